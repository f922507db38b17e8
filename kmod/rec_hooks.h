/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recording side of the KVM hooks.
 */
#ifndef _VMTRACE_REC_HOOKS_H
#define _VMTRACE_REC_HOOKS_H

#include <linux/types.h>
#include <uapi/linux/vmtrace.h>

#include "exit_kinds.h"

struct vmtrace_session;
struct vmtrace_vcpu;

void vmtrace_rec_entry(struct vmtrace_session *s, struct vmtrace_vcpu *v);
bool vmtrace_rec_exit(struct vmtrace_session *s, struct vmtrace_vcpu *v,
		      enum vmtrace_exit_kind kind, int *ret);
void vmtrace_rec_exit_done(struct vmtrace_session *s, struct vmtrace_vcpu *v);
void vmtrace_rec_prepare(struct vmtrace_session *s);
void vmtrace_rec_release(struct vmtrace_session *s);
int vmtrace_rec_probes_register(void);
void vmtrace_rec_probes_unregister(void);

/**
 * vmtrace_event_again() - is @e KVM re-injecting the last event?
 * @last: the last event recorded (or checked, in replay).
 * @last_ordinal: the exit ordinal it was recorded at.
 * @ordinal: the vCPU's exit ordinal now.
 * @e: the event an entry injects.
 *
 * The same event at the same point is a re-injection after an exit
 * during its delivery, recorded (and checked) once.
 *
 * Context: any.
 * Return: true for a re-injection.
 */
static inline bool vmtrace_event_again(const struct vmtrace_rec_event *last,
				       u64 last_ordinal, u64 ordinal,
				       const struct vmtrace_rec_event *e)
{
	return last_ordinal == ordinal && last->hdr.type &&
	       last->hdr.type == e->hdr.type && last->vector == e->vector &&
	       last->rip == e->rip && last->rcx == e->rcx;
}

#endif /* _VMTRACE_REC_HOOKS_H */
