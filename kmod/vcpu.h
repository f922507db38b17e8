/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vCPUs of an attached VM.
 */
#ifndef _VMTRACE_VCPU_H
#define _VMTRACE_VCPU_H

#include <linux/types.h>

#include "exit_kinds.h"

struct vmtrace_session;
struct vmtrace_vcpu;
struct kvm_vcpu;
struct work_struct;

/**
 * struct vmtrace_counts - counters of a session, all vCPUs added up
 * @entries: VM entries.
 * @exits: VM exits.
 * @exit_kinds: exits handled by the vendor's handle_exit, by kind.
 */
struct vmtrace_counts {
	u64 entries;
	u64 exits;
	u64 exit_kinds[VMTRACE_EXIT_NR];
};

int vmtrace_vcpus_discover(struct vmtrace_session *s);
void vmtrace_vcpus_discover_work(struct work_struct *work);
void vmtrace_vcpus_free(struct vmtrace_session *s);
struct vmtrace_vcpu *vmtrace_vcpu_lookup(struct vmtrace_session *s,
					 struct kvm_vcpu *vcpu);
void vmtrace_vcpus_sum(struct vmtrace_session *s, struct vmtrace_counts *sum);
struct vmtrace_vcpu *vmtrace_vcpu_find(struct kvm_vcpu *vcpu);

#endif /* _VMTRACE_VCPU_H */
