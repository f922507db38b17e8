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

#include <uapi/linux/vmtrace.h>

#include "compat/kvm-private.h"
#include "vendor.h"

/* VMCB clean bit of the intercept vectors (AMD APM vol. 2, 15.15.3). */
#define VMTRACE_VMCB_CLEAN_INTERCEPTS	BIT(0)

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

/* A nested page fault on a GPA with no memslot is MMIO emulation. */
static bool vmtrace_svm_npf_is_mmio(struct kvm_vcpu *vcpu, u64 gpa)
{
	return !gfn_to_memslot(vcpu->kvm, gpa_to_gfn(gpa));
}

/*
 * Not debug register accesses: without guest debugging KVM stops
 * intercepting them at the first one, until the next exit of any kind,
 * and with it (KVM_GUESTDBG_BLOCKIRQ included) it never does. Whether one
 * exits thus depends on the host's timing.
 */
static bool vmtrace_svm_exit_sync(struct kvm_vcpu *vcpu)
{
	struct vmcb *vmcb = vmtrace_svm_vmcb(vcpu);
	u64 code = vmcb->control.exit_code;

	if (code < SVM_EXIT_READ_DR0)		/* CR accesses */
		return true;
	switch (code) {
	case SVM_EXIT_IOIO:
	case SVM_EXIT_MSR:
	case SVM_EXIT_CPUID:
	case SVM_EXIT_RDTSC:
	case SVM_EXIT_RDTSCP:
	case SVM_EXIT_RDPMC:
	case SVM_EXIT_HLT:
	case SVM_EXIT_XSETBV:
	case SVM_EXIT_VMMCALL:
	case SVM_EXIT_MONITOR:
	case SVM_EXIT_MWAIT:
		return true;
	case SVM_EXIT_NPF:
		return vmtrace_svm_npf_is_mmio(vcpu, vmcb->control.exit_info_2);
	}
	return false;
}

/*
 * 0x6e is RDTSC on hardware; QEMU's emulated SVM also reports RDTSCP
 * (0F 01 F9) as 0x6e, so look at the instruction.
 */
static u16 vmtrace_svm_tsc_exit(struct kvm_vcpu *vcpu)
{
	u64 code = vmtrace_svm_vmcb(vcpu)->control.exit_code;
	u8 insn[3];

	if (code == SVM_EXIT_RDTSCP)
		return VMTRACE_REC_RDTSCP;
	if (code != SVM_EXIT_RDTSC)
		return 0;
	if (!vmtrace_read_guest_virt(vcpu, kvm_get_linear_rip(vcpu), insn,
				     sizeof(insn)) &&
	    insn[0] == 0x0f && insn[1] == 0x01 && insn[2] == 0xf9)
		return VMTRACE_REC_RDTSCP;
	return VMTRACE_REC_RDTSC;
}

static void vmtrace_svm_tsc_bits(struct vmcb *vmcb, bool on)
{
	u32 *w3 = &vmcb->control.intercepts[INTERCEPT_RDTSC / 32];
	u32 *w4 = &vmcb->control.intercepts[INTERCEPT_RDTSCP / 32];
	u32 b3 = BIT(INTERCEPT_RDTSC % 32), b4 = BIT(INTERCEPT_RDTSCP % 32);
	u32 n3 = on ? *w3 | b3 : *w3 & ~b3, n4 = on ? *w4 | b4 : *w4 & ~b4;

	if (n3 == *w3 && n4 == *w4)
		return;
	*w3 = n3;
	*w4 = n4;
	vmcb->control.clean &= ~VMTRACE_VMCB_CLEAN_INTERCEPTS;
}

static void vmtrace_svm_set_exiting(struct kvm_vcpu *vcpu, bool on)
{
	vmtrace_svm_tsc_bits(vmtrace_svm_vmcb(vcpu), on);
}

/* The VMCB is memory: with the vCPU outside guest mode, just write it. */
static bool vmtrace_svm_clear_exiting_remote(struct kvm_vcpu *vcpu)
{
	vmtrace_svm_tsc_bits(vmtrace_svm_vmcb(vcpu), false);
	return true;
}

/* SVM has no intercept for RDRAND and RDSEED: recorded guests lose them. */
static bool vmtrace_svm_hide_rand(void)
{
	return true;
}

static u16 vmtrace_svm_rand_exit(struct kvm_vcpu *vcpu, u32 *info)
{
	return 0;
}

/* KVM keeps RIP in vcpu->arch.regs and syncs it with the VMCB at VMRUN. */
static u64 vmtrace_svm_rip(struct kvm_vcpu *vcpu)
{
	return vcpu->arch.regs[VCPU_REGS_RIP];
}

/* SVM copies the VMCB's RSP into KVM's array at every exit. */
static u64 vmtrace_svm_rsp(struct kvm_vcpu *vcpu)
{
	return vcpu->arch.regs[VCPU_REGS_RSP];
}

static bool vmtrace_svm_pending_event(struct kvm_vcpu *vcpu,
				      struct vmtrace_event *ev)
{
	struct vmcb *vmcb = vmtrace_svm_vmcb(vcpu);
	u32 inj = vmcb->control.event_inj;

	if (!(inj & SVM_EVTINJ_VALID))
		return false;
	ev->vector = inj & SVM_EVTINJ_VEC_MASK;
	ev->flags = 0;
	ev->error_code = 0;
	if (inj & SVM_EVTINJ_VALID_ERR) {
		ev->flags |= VMTRACE_RECF_ERROR_CODE;
		ev->error_code = vmcb->control.event_inj_err;
	}
	switch (inj & SVM_EVTINJ_TYPE_MASK) {
	case SVM_EVTINJ_TYPE_NMI:
		/* EVENTINJ leaves the vector of an NMI 0; it is 2. */
		ev->type = VMTRACE_REC_NMI;
		ev->vector = NMI_VECTOR;
		break;
	case SVM_EVTINJ_TYPE_EXEPT:
		ev->type = VMTRACE_REC_EXCEPTION;
		break;
	case SVM_EVTINJ_TYPE_SOFT:
		ev->flags |= VMTRACE_RECF_SOFT;
		fallthrough;
	default:
		ev->type = VMTRACE_REC_IRQ;
	}
	return true;
}

const struct vmtrace_vendor_ops vmtrace_svm_ops = {
	.name		= "svm",
	.handle_exit	= "svm_handle_exit",
	.hide_rand	= vmtrace_svm_hide_rand,
	.check_vcpu	= vmtrace_svm_check_vcpu,
	.exit_kind	= vmtrace_svm_exit_kind,
	.exit_sync	= vmtrace_svm_exit_sync,
	.tsc_exit	= vmtrace_svm_tsc_exit,
	.set_exiting	= vmtrace_svm_set_exiting,
	.clear_exiting_remote = vmtrace_svm_clear_exiting_remote,
	.rand_exit	= vmtrace_svm_rand_exit,
	.rip		= vmtrace_svm_rip,
	.rsp		= vmtrace_svm_rsp,
	.pending_event	= vmtrace_svm_pending_event,
};
