/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The checkpoint a recording starts from (checkpoint.c).
 */
#ifndef _VMTRACE_CHECKPOINT_H
#define _VMTRACE_CHECKPOINT_H

struct vmtrace_session;
struct vmtrace_vcpu;

struct kvm_vcpu;

int vmtrace_complete_userspace_exit(struct kvm_vcpu *vcpu,
				    int (*run)(struct kvm_vcpu *vcpu));
int vmtrace_checkpoint_take(struct vmtrace_session *s, struct vmtrace_vcpu *v,
			    int (*run)(struct kvm_vcpu *vcpu));

#endif /* _VMTRACE_CHECKPOINT_H */
