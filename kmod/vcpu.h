/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vCPUs of an attached VM.
 */
#ifndef _VMTRACE_VCPU_H
#define _VMTRACE_VCPU_H

#include <linux/types.h>

struct vmtrace_session;
struct vmtrace_vcpu;
struct kvm_vcpu;
struct work_struct;

int vmtrace_vcpus_discover(struct vmtrace_session *s);
void vmtrace_vcpus_discover_work(struct work_struct *work);
void vmtrace_vcpus_free(struct vmtrace_session *s);
struct vmtrace_vcpu *vmtrace_vcpu_lookup(struct vmtrace_session *s,
					 struct kvm_vcpu *vcpu);
void vmtrace_vcpus_sum(struct vmtrace_session *s, u64 *entries, u64 *exits);

#endif /* _VMTRACE_VCPU_H */
