/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recording side of the KVM hooks.
 */
#ifndef _VMTRACE_REC_HOOKS_H
#define _VMTRACE_REC_HOOKS_H

#include <linux/types.h>

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

#endif /* _VMTRACE_REC_HOOKS_H */
