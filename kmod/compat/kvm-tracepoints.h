/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM's exported x86 tracepoints.
 *
 * kvm.ko exports __tracepoint_kvm_entry and __tracepoint_kvm_exit with
 * EXPORT_TRACEPOINT_SYMBOL_GPL, but declares them only in the private
 * arch/x86/kvm/trace.h, which headers packages do not ship. We declare the
 * two objects here and attach with tracepoint_probe_register().
 *
 * The prototypes differ across kernels: kvm_entry is (vcpu) in early 6.1.y
 * and (vcpu, bool force_immediate_exit) in 6.1.192 and 6.12; kvm_exit is
 * (vcpu, u32 isa). Our probes take only the first argument, which sits in
 * the same register whatever follows it on x86-64. That is only valid
 * without indirect-call type checking, so refuse to build with kCFI.
 */
#ifndef _VMTRACE_COMPAT_KVM_TRACEPOINTS_H
#define _VMTRACE_COMPAT_KVM_TRACEPOINTS_H

#include <linux/tracepoint.h>

#ifdef CONFIG_CFI_CLANG
#error "vmtrace: kvm tracepoint probes need per-kernel prototypes under CONFIG_CFI_CLANG"
#endif

struct kvm_vcpu;

extern struct tracepoint __tracepoint_kvm_entry;
extern struct tracepoint __tracepoint_kvm_exit;
/* (unsigned int write, u32 ecx, u64 data, bool exception) in 6.1 and 6.12 */
extern struct tracepoint __tracepoint_kvm_msr;
/* (struct kvm_vcpu *vcpu, u64 fault_address, u64 error_code) in 6.1 and 6.12 */
extern struct tracepoint __tracepoint_kvm_page_fault;

/* The shape every vmtrace probe on kvm_entry/kvm_exit has. */
typedef void (*vmtrace_vcpu_probe_t)(void *data, struct kvm_vcpu *vcpu);

static inline int vmtrace_register_kvm_probe(struct tracepoint *tp,
					     vmtrace_vcpu_probe_t probe,
					     void *data)
{
	return tracepoint_probe_register(tp, (void *)probe, data);
}

static inline void vmtrace_unregister_kvm_probe(struct tracepoint *tp,
						vmtrace_vcpu_probe_t probe,
						void *data)
{
	tracepoint_probe_unregister(tp, (void *)probe, data);
}

#endif /* _VMTRACE_COMPAT_KVM_TRACEPOINTS_H */
