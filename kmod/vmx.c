// SPDX-License-Identifier: GPL-2.0
/*
 * Intel VMX: reading the current VMCS of a vCPU.
 *
 * vmtrace never touches struct vcpu_vmx, which is private to kvm_intel:
 * while KVM handles an exit the vCPU is loaded, so its VMCS is current on
 * this CPU (KVM's preempt notifier reloads it after a migration) and
 * VMREAD with the architectural field encodings reads it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_host.h>
#include <asm/vmx.h>

#include "vendor.h"

/* VMREAD of a field of the current VMCS; 0 if VMREAD fails. */
static unsigned long vmtrace_vmread(unsigned long field)
{
	unsigned long value;
	bool ok;

	asm volatile("vmread %[field], %[value]\n\t"
		     "seta %[ok]"
		     : [value] "=rm" (value), [ok] "=qm" (ok)
		     : [field] "r" (field)
		     : "cc");
	return ok ? value : 0;
}

static enum vmtrace_exit_kind vmtrace_vmx_exception_or_nmi(void)
{
	u32 info = vmtrace_vmread(VM_EXIT_INTR_INFO);

	if ((info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR)
		return VMTRACE_EXIT_NMI;
	return VMTRACE_EXIT_EXCEPTION;
}

static int vmtrace_vmx_check_vcpu(struct kvm_vcpu *vcpu)
{
	return 0;
}

static enum vmtrace_exit_kind vmtrace_vmx_exit_kind(struct kvm_vcpu *vcpu)
{
	u16 reason = (u16)vmtrace_vmread(VM_EXIT_REASON);

	switch (reason) {
	case EXIT_REASON_IO_INSTRUCTION:	return VMTRACE_EXIT_IO;
	case EXIT_REASON_EPT_VIOLATION:
	case EXIT_REASON_EPT_MISCONFIG:		return VMTRACE_EXIT_TDP_FAULT;
	case EXIT_REASON_MSR_READ:
	case EXIT_REASON_MSR_WRITE:		return VMTRACE_EXIT_MSR;
	case EXIT_REASON_CPUID:			return VMTRACE_EXIT_CPUID;
	case EXIT_REASON_HLT:			return VMTRACE_EXIT_HLT;
	case EXIT_REASON_EXTERNAL_INTERRUPT:	return VMTRACE_EXIT_INTR;
	case EXIT_REASON_EXCEPTION_NMI:
		return vmtrace_vmx_exception_or_nmi();
	case EXIT_REASON_RDTSC:			return VMTRACE_EXIT_RDTSC;
	case EXIT_REASON_RDTSCP:		return VMTRACE_EXIT_RDTSCP;
	case EXIT_REASON_RDPMC:			return VMTRACE_EXIT_RDPMC;
	case EXIT_REASON_INTERRUPT_WINDOW:
	case EXIT_REASON_NMI_WINDOW:		return VMTRACE_EXIT_IRQ_WINDOW;
	}
	return VMTRACE_EXIT_OTHER;
}

const struct vmtrace_vendor_ops vmtrace_vmx_ops = {
	.name		= "vmx",
	.handle_exit	= "vmx_handle_exit",
	.check_vcpu	= vmtrace_vmx_check_vcpu,
	.exit_kind	= vmtrace_vmx_exit_kind,
};
