/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM's unexported tracepoints, found by name at load time.
 */
#ifndef _VMTRACE_KVM_TRACEPOINTS_H
#define _VMTRACE_KVM_TRACEPOINTS_H

struct tracepoint;

enum vmtrace_ktp {
	VMTRACE_KTP_PIO,
	VMTRACE_KTP_MMIO,
	VMTRACE_KTP_CPUID,
	VMTRACE_KTP_NR
};

struct tracepoint *vmtrace_kvm_tracepoint(enum vmtrace_ktp id);
int vmtrace_kvm_tracepoints_init(void);
void vmtrace_kvm_tracepoints_exit(void);

#endif /* _VMTRACE_KVM_TRACEPOINTS_H */
