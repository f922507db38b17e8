// SPDX-License-Identifier: GPL-2.0
/*
 * AMD SVM: reading the VMCB of a vCPU.
 *
 * struct vcpu_svm is private to kvm_amd, but in every kernel we support it
 * starts with the struct kvm_vcpu, then the current VMCB pointer, then
 * vmcb01 {ptr, pa, ...}. vmtrace_svm_check_vcpu() verifies that at attach
 * with invariants KVM maintains, and attach fails if they do not hold.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_host.h>
#include <asm/svm.h>

#include "vendor.h"

struct vmtrace_svm_head {
	struct kvm_vcpu vcpu;
	struct vmcb *vmcb;
	struct {
		struct vmcb *ptr;
		unsigned long pa;
	} vmcb01;
};

static struct vmcb *vmtrace_svm_vmcb(struct kvm_vcpu *vcpu)
{
	return container_of(vcpu, struct vmtrace_svm_head, vcpu)->vmcb;
}

static int vmtrace_svm_check_vcpu(struct kvm_vcpu *vcpu)
{
	struct vmtrace_svm_head *svm = container_of(vcpu, struct vmtrace_svm_head,
						    vcpu);

	if (!svm->vmcb01.ptr || !PAGE_ALIGNED(svm->vmcb01.ptr) ||
	    __pa(svm->vmcb01.ptr) != svm->vmcb01.pa ||
	    !svm->vmcb || !PAGE_ALIGNED(svm->vmcb)) {
		pr_err("vCPU %d: kvm_amd's vcpu_svm layout is not the expected one\n",
		       vcpu->vcpu_id);
		return -EOPNOTSUPP;
	}
	return 0;
}

static enum vmtrace_exit_kind vmtrace_svm_exit_kind(struct kvm_vcpu *vcpu)
{
	u64 code = vmtrace_svm_vmcb(vcpu)->control.exit_code;

	if (code >= SVM_EXIT_EXCP_BASE && code <= SVM_EXIT_LAST_EXCP)
		return VMTRACE_EXIT_EXCEPTION;
	switch (code) {
	case SVM_EXIT_IOIO:	return VMTRACE_EXIT_IO;
	case SVM_EXIT_NPF:	return VMTRACE_EXIT_TDP_FAULT;
	case SVM_EXIT_MSR:	return VMTRACE_EXIT_MSR;
	case SVM_EXIT_CPUID:	return VMTRACE_EXIT_CPUID;
	case SVM_EXIT_HLT:	return VMTRACE_EXIT_HLT;
	case SVM_EXIT_INTR:	return VMTRACE_EXIT_INTR;
	case SVM_EXIT_NMI:	return VMTRACE_EXIT_NMI;
	case SVM_EXIT_RDTSC:	return VMTRACE_EXIT_RDTSC;
	case SVM_EXIT_RDTSCP:	return VMTRACE_EXIT_RDTSCP;
	case SVM_EXIT_RDPMC:	return VMTRACE_EXIT_RDPMC;
	case SVM_EXIT_VINTR:	return VMTRACE_EXIT_IRQ_WINDOW;
	}
	return VMTRACE_EXIT_OTHER;
}

const struct vmtrace_vendor_ops vmtrace_svm_ops = {
	.name		= "svm",
	.handle_exit	= "svm_handle_exit",
	.check_vcpu	= vmtrace_svm_check_vcpu,
	.exit_kind	= vmtrace_svm_exit_kind,
};
