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

#include <uapi/linux/vmtrace.h>

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

/* VMWRITE to a field of the current VMCS. */
static void vmtrace_vmwrite(unsigned long field, unsigned long value)
{
	asm volatile("vmwrite %[value], %[field]"
		     : : [field] "r" (field), [value] "rm" (value) : "cc");
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

static bool vmtrace_vmx_exit_sync(struct kvm_vcpu *vcpu)
{
	u64 gpa;

	switch ((u16)vmtrace_vmread(VM_EXIT_REASON)) {
	case EXIT_REASON_IO_INSTRUCTION:
	case EXIT_REASON_MSR_READ:
	case EXIT_REASON_MSR_WRITE:
	case EXIT_REASON_CPUID:
	case EXIT_REASON_RDTSC:
	case EXIT_REASON_RDTSCP:
	case EXIT_REASON_RDPMC:
	case EXIT_REASON_HLT:
	case EXIT_REASON_XSETBV:
	case EXIT_REASON_CR_ACCESS:
	case EXIT_REASON_DR_ACCESS:
	case EXIT_REASON_VMCALL:
	case EXIT_REASON_RDRAND:
	case EXIT_REASON_RDSEED:
	case EXIT_REASON_EPT_MISCONFIG:		/* MMIO, cached */
		return true;
	case EXIT_REASON_EPT_VIOLATION:		/* MMIO, first access */
		gpa = vmtrace_vmread(GUEST_PHYSICAL_ADDRESS);
		return !gfn_to_memslot(vcpu->kvm, gpa_to_gfn(gpa));
	}
	return false;
}

/*
 * With RDTSC exiting on, RDTSCP exits with its own reason when the guest
 * may use it.
 */
static u16 vmtrace_vmx_tsc_exit(struct kvm_vcpu *vcpu)
{
	switch ((u16)vmtrace_vmread(VM_EXIT_REASON)) {
	case EXIT_REASON_RDTSC:		return VMTRACE_REC_RDTSC;
	case EXIT_REASON_RDTSCP:	return VMTRACE_REC_RDTSCP;
	}
	return 0;
}

/*
 * KVM shadows the execution controls and writes them only when its own
 * value changes, so the bit is asserted again at every entry.
 */
static void vmtrace_vmx_set_tsc_exiting(struct kvm_vcpu *vcpu, bool on)
{
	unsigned long ctl = vmtrace_vmread(CPU_BASED_VM_EXEC_CONTROL);
	unsigned long want = on ? ctl | CPU_BASED_RDTSC_EXITING :
				  ctl & ~CPU_BASED_RDTSC_EXITING;

	if (want != ctl)
		vmtrace_vmwrite(CPU_BASED_VM_EXEC_CONTROL, want);
}

/* The VMCS can only be written on the CPU it is loaded on. */
static bool vmtrace_vmx_clear_tsc_exiting_remote(struct kvm_vcpu *vcpu)
{
	return false;
}

/* RIP is cached in vcpu->arch.regs once read, else still in the VMCS. */
static u64 vmtrace_vmx_rip(struct kvm_vcpu *vcpu)
{
	if (vcpu->arch.regs_avail & BIT(VCPU_REGS_RIP))
		return vcpu->arch.regs[VCPU_REGS_RIP];
	return vmtrace_vmread(GUEST_RIP);
}

static u16 vmtrace_vmx_event_type(u32 info, u32 *flags)
{
	switch (info & INTR_INFO_INTR_TYPE_MASK) {
	case INTR_TYPE_NMI_INTR:
		return VMTRACE_REC_NMI;
	case INTR_TYPE_HARD_EXCEPTION:
		return VMTRACE_REC_EXCEPTION;
	case INTR_TYPE_PRIV_SW_EXCEPTION:
	case INTR_TYPE_SOFT_EXCEPTION:
		*flags |= VMTRACE_RECF_SOFT;
		return VMTRACE_REC_EXCEPTION;
	case INTR_TYPE_SOFT_INTR:
		*flags |= VMTRACE_RECF_SOFT;
		return VMTRACE_REC_IRQ;
	}
	return VMTRACE_REC_IRQ;
}

static bool vmtrace_vmx_pending_event(struct kvm_vcpu *vcpu,
				      struct vmtrace_event *ev)
{
	u32 info = vmtrace_vmread(VM_ENTRY_INTR_INFO_FIELD);

	if (!(info & INTR_INFO_VALID_MASK))
		return false;
	ev->flags = 0;
	ev->error_code = 0;
	ev->vector = info & INTR_INFO_VECTOR_MASK;
	ev->type = vmtrace_vmx_event_type(info, &ev->flags);
	if (info & INTR_INFO_DELIVER_CODE_MASK) {
		ev->flags |= VMTRACE_RECF_ERROR_CODE;
		ev->error_code = vmtrace_vmread(VM_ENTRY_EXCEPTION_ERROR_CODE);
	}
	return true;
}

const struct vmtrace_vendor_ops vmtrace_vmx_ops = {
	.name		= "vmx",
	.handle_exit	= "vmx_handle_exit",
	/* Until RDRAND/RDSEED exiting is implemented: never unrecorded. */
	.hide_rand	= true,
	.check_vcpu	= vmtrace_vmx_check_vcpu,
	.exit_kind	= vmtrace_vmx_exit_kind,
	.exit_sync	= vmtrace_vmx_exit_sync,
	.tsc_exit	= vmtrace_vmx_tsc_exit,
	.set_tsc_exiting = vmtrace_vmx_set_tsc_exiting,
	.clear_tsc_exiting_remote = vmtrace_vmx_clear_tsc_exiting_remote,
	.rip		= vmtrace_vmx_rip,
	.pending_event	= vmtrace_vmx_pending_event,
};
