/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The KVM vendor modules (kvm_amd, kvm_intel) as vmtrace sees them.
 */
#ifndef _VMTRACE_VENDOR_H
#define _VMTRACE_VENDOR_H

#include <linux/types.h>

#include "exit_kinds.h"

struct kvm_vcpu;

/**
 * struct vmtrace_event - an event about to be injected into a guest
 * @type: VMTRACE_REC_IRQ, VMTRACE_REC_NMI or VMTRACE_REC_EXCEPTION.
 * @flags: VMTRACE_RECF_SOFT, VMTRACE_RECF_ERROR_CODE.
 * @vector: the vector.
 * @error_code: the error code, if VMTRACE_RECF_ERROR_CODE.
 */
struct vmtrace_event {
	u16 type;
	u32 flags;
	u32 vector;
	u32 error_code;
};

/**
 * struct vmtrace_vendor_ops - what differs between SVM and VMX
 * @name: "svm" or "vmx".
 * @handle_exit: name of the vendor's handle_exit, the function hooked.
 * @hide_rand: are RDRAND and RDSEED left unintercepted, so that recorded
 *	guests must not see them in CPUID? Decided at run time: always on
 *	SVM, on VMX when the CPU lacks the exiting controls. Any context.
 * @check_vcpu: slow path, at attach: is @vcpu laid out as expected?
 *	Returns 0 or -EOPNOTSUPP. Mandatory.
 * @exit_kind: fast path, in the exit hook, preemptible, vCPU loaded:
 *	the kind of the exit being handled. Mandatory.
 * @exit_sync: in the exit hook: did a guest instruction cause this exit,
 *	at a point that replay reaches the same way (I/O, MSR, CPUID, RDTSC,
 *	HLT, MMIO, ...)? Host interrupts, NMIs, window and RAM faults are
 *	asynchronous; so is anything unknown.
 * @tsc_exit: in the exit hook: VMTRACE_REC_RDTSC or VMTRACE_REC_RDTSCP if
 *	the exit is one of those instructions, else 0.
 * @set_exiting: in the kvm_entry probe (IRQs off, vCPU loaded): make
 *	RDTSC and RDTSCP exit, or not, from the coming entry on; on VMX with
 *	the controls (!@hide_rand) RDRAND and RDSEED too (off: as KVM wants
 *	them, i.e. exiting only for features the guest's CPUID lacks).
 * @clear_exiting_remote: from another thread, the vCPU outside guest
 *	mode: turn the exits off. Returns false if the vendor cannot.
 * @rand_exit: in the exit hook: VMTRACE_REC_RDRAND or VMTRACE_REC_RDSEED
 *	if the exit is one of those instructions and the module is to
 *	execute it for the guest, else 0 (also when KVM itself wants the
 *	exit: the guest's CPUID lacks the feature, KVM injects #UD). Then
 *	*@info is the VM-exit instruction information and every GPR is in
 *	vcpu->arch.regs.
 * @rip: guest RIP, in the exit hook or the kvm_entry probe.
 * @rsp: guest RSP, likewise (or in an ioctl with the vCPU loaded).
 * @pending_event: in the kvm_entry probe: the event this entry injects;
 *	false if none.
 */
struct vmtrace_vendor_ops {
	const char *name;
	const char *handle_exit;
	bool (*hide_rand)(void);
	int (*check_vcpu)(struct kvm_vcpu *vcpu);
	enum vmtrace_exit_kind (*exit_kind)(struct kvm_vcpu *vcpu);
	bool (*exit_sync)(struct kvm_vcpu *vcpu);
	u16 (*tsc_exit)(struct kvm_vcpu *vcpu);
	void (*set_exiting)(struct kvm_vcpu *vcpu, bool on);
	bool (*clear_exiting_remote)(struct kvm_vcpu *vcpu);
	u16 (*rand_exit)(struct kvm_vcpu *vcpu, u32 *info);
	u64 (*rip)(struct kvm_vcpu *vcpu);
	u64 (*rsp)(struct kvm_vcpu *vcpu);
	bool (*pending_event)(struct kvm_vcpu *vcpu, struct vmtrace_event *ev);
};

extern const struct vmtrace_vendor_ops vmtrace_svm_ops;
extern const struct vmtrace_vendor_ops vmtrace_vmx_ops;

bool vmtrace_vendor_present(const struct vmtrace_vendor_ops *ops);
const struct vmtrace_vendor_ops *vmtrace_vendor_find(void);

#endif /* _VMTRACE_VENDOR_H */
