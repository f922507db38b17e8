/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recording side of the KVM hooks.
 */
#ifndef _VMTRACE_REC_HOOKS_H
#define _VMTRACE_REC_HOOKS_H

#include <linux/kvm_host.h>
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
 * vmtrace_block_irq() - keep KVM from injecting interrupts and NMIs, or not
 * @vcpu: the vCPU, outside guest mode.
 * @blocked: whether vmtrace holds KVM_GUESTDBG_BLOCKIRQ on it; updated.
 * @block: what it should be.
 *
 * Context: the vCPU's thread, or with the vCPU out of KVM_RUN; under the
 * vCPU's icpt_lock.
 */
static inline void vmtrace_block_irq(struct kvm_vcpu *vcpu, bool *blocked,
				     bool block)
{
	if (block == *blocked)
		return;
	if (block) {
		vcpu->guest_debug |= KVM_GUESTDBG_BLOCKIRQ;
	} else {
		vcpu->guest_debug &= ~KVM_GUESTDBG_BLOCKIRQ;
		/* Have KVM look at pending interrupts before the next entry. */
		kvm_make_request(KVM_REQ_EVENT, vcpu);
	}
	*blocked = block;
}

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
