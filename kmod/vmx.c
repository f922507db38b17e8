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
#include <asm/msr.h>
#include <asm/vmx.h>

#include <uapi/linux/vmtrace.h>

#include "cpuid_mask.h"
#include "vendor.h"

#define VMTRACE_VMX_RAND_EXITING	(SECONDARY_EXEC_RDRAND_EXITING |	\
					 SECONDARY_EXEC_RDSEED_EXITING)

/* 1: RDRAND and RDSEED can exit; 0: they cannot; -1: not looked at yet. */
static int vmtrace_vmx_rand_ok = -1;

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

/*
 * Not MOV DR: without guest debugging KVM stops intercepting it at the
 * first one, until the next exit of any kind, and with it
 * (KVM_GUESTDBG_BLOCKIRQ included) it never does. Whether one exits thus
 * depends on the host's timing.
 */
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
 * Can RDRAND and RDSEED exit on this CPU? The allowed-1 halves (bits
 * 32-63) of the capability MSRs: secondary controls, and both exiting
 * controls among them. KVM uses secondary controls whenever they exist.
 * Every CPU answers alike; the answer is kept.
 */
static bool vmtrace_vmx_rand_exiting(void)
{
	int ok = READ_ONCE(vmtrace_vmx_rand_ok);
	u64 ctls, ctls2;

	if (ok >= 0)
		return ok;
	ok = !rdmsrl_safe(MSR_IA32_VMX_PROCBASED_CTLS, &ctls) &&
	     ((ctls >> 32) & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &&
	     !rdmsrl_safe(MSR_IA32_VMX_PROCBASED_CTLS2, &ctls2) &&
	     ((ctls2 >> 32) & VMTRACE_VMX_RAND_EXITING) == VMTRACE_VMX_RAND_EXITING;
	WRITE_ONCE(vmtrace_vmx_rand_ok, ok);
	return ok;
}

static bool vmtrace_vmx_hide_rand(void)
{
	return !vmtrace_vmx_rand_exiting();
}

/*
 * The RDRAND/RDSEED exiting KVM itself sets: for the features the guest's
 * CPUID lacks, so that it can inject #UD (vmx_secondary_exec_control()).
 */
static u32 vmtrace_vmx_kvm_rand_exiting(struct kvm_vcpu *vcpu)
{
	u32 bits = 0;

	if (!vmtrace_cpuid_has_rand(vcpu, false))
		bits |= SECONDARY_EXEC_RDRAND_EXITING;
	if (!vmtrace_cpuid_has_rand(vcpu, true))
		bits |= SECONDARY_EXEC_RDSEED_EXITING;
	return bits;
}

/* Set the @bits of a control field to @want, writing only on a change. */
static void vmtrace_vmx_set_ctl(unsigned long field, u32 ctl, u32 bits, u32 want)
{
	u32 now = (ctl & ~bits) | (want & bits);

	if (now != ctl)
		vmtrace_vmwrite(field, now);
}

/*
 * KVM shadows the execution controls and writes them only when its own
 * value changes, so the bits are asserted again at every entry. Off, the
 * RDRAND/RDSEED bits go back to KVM's own value.
 */
static void vmtrace_vmx_set_exiting(struct kvm_vcpu *vcpu, bool on)
{
	u32 ctl = vmtrace_vmread(CPU_BASED_VM_EXEC_CONTROL);

	vmtrace_vmx_set_ctl(CPU_BASED_VM_EXEC_CONTROL, ctl,
			    CPU_BASED_RDTSC_EXITING,
			    on ? CPU_BASED_RDTSC_EXITING : 0);
	if (!(ctl & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) ||
	    !vmtrace_vmx_rand_exiting())
		return;
	vmtrace_vmx_set_ctl(SECONDARY_VM_EXEC_CONTROL,
			    vmtrace_vmread(SECONDARY_VM_EXEC_CONTROL),
			    VMTRACE_VMX_RAND_EXITING,
			    on ? VMTRACE_VMX_RAND_EXITING :
				 vmtrace_vmx_kvm_rand_exiting(vcpu));
}

/* The VMCS can only be written on the CPU it is loaded on. */
static bool vmtrace_vmx_clear_exiting_remote(struct kvm_vcpu *vcpu)
{
	return false;
}

/*
 * An RDRAND or RDSEED exit that only vmtrace asked for. RSP is the one GPR
 * KVM reads from the VMCS lazily: load it, as kvm_rsp_read() would.
 */
static u16 vmtrace_vmx_rand_exit(struct kvm_vcpu *vcpu, u32 *info)
{
	u16 type;
	u32 bit;

	switch ((u16)vmtrace_vmread(VM_EXIT_REASON)) {
	case EXIT_REASON_RDRAND:
		type = VMTRACE_REC_RDRAND;
		bit = SECONDARY_EXEC_RDRAND_EXITING;
		break;
	case EXIT_REASON_RDSEED:
		type = VMTRACE_REC_RDSEED;
		bit = SECONDARY_EXEC_RDSEED_EXITING;
		break;
	default:
		return 0;
	}
	if (vmtrace_vmx_kvm_rand_exiting(vcpu) & bit)
		return 0;
	*info = vmtrace_vmread(VMX_INSTRUCTION_INFO);
	if (!(vcpu->arch.regs_avail & BIT(VCPU_REGS_RSP))) {
		vcpu->arch.regs[VCPU_REGS_RSP] = vmtrace_vmread(GUEST_RSP);
		vcpu->arch.regs_avail |= BIT(VCPU_REGS_RSP);
	}
	return type;
}

/* RIP is cached in vcpu->arch.regs once read, else still in the VMCS. */
static u64 vmtrace_vmx_rip(struct kvm_vcpu *vcpu)
{
	if (vcpu->arch.regs_avail & BIT(VCPU_REGS_RIP))
		return vcpu->arch.regs[VCPU_REGS_RIP];
	return vmtrace_vmread(GUEST_RIP);
}

/* RSP is read from the VMCS lazily: as kvm_rsp_read(), without caching it. */
static u64 vmtrace_vmx_rsp(struct kvm_vcpu *vcpu)
{
	if (vcpu->arch.regs_avail & BIT(VCPU_REGS_RSP))
		return vcpu->arch.regs[VCPU_REGS_RSP];
	return vmtrace_vmread(GUEST_RSP);
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
	.hide_rand	= vmtrace_vmx_hide_rand,
	.check_vcpu	= vmtrace_vmx_check_vcpu,
	.exit_kind	= vmtrace_vmx_exit_kind,
	.exit_sync	= vmtrace_vmx_exit_sync,
	.tsc_exit	= vmtrace_vmx_tsc_exit,
	.set_exiting	= vmtrace_vmx_set_exiting,
	.clear_exiting_remote = vmtrace_vmx_clear_exiting_remote,
	.rand_exit	= vmtrace_vmx_rand_exit,
	.rip		= vmtrace_vmx_rip,
	.rsp		= vmtrace_vmx_rsp,
	.pending_event	= vmtrace_vmx_pending_event,
};
