// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU a recorded guest sees: features whose results nothing can
 * record or replay are hidden from it.
 *
 *  - RDRAND, RDSEED where they cannot be intercepted: always on SVM, on
 *    VMX when the CPU lacks RDRAND/RDSEED exiting (elsewhere rec_hooks.c
 *    records their values instead);
 *  - HLE and RTM: transactions abort for reasons outside the guest;
 *  - WAITPKG: UMWAIT/TPAUSE exit with RDTSC exiting on and have no
 *    handler in KVM;
 *  - KVM's paravirtual features that make KVM write guest RAM behind the
 *    guest's back or act on the host's timing: steal time, async page
 *    faults, PV EOI, PV unhalt, TLB flush, IPIs, yield, poll control.
 *    kvmclock stays: Linux guests depend on it (without it, one hung early
 *    in boot in the test VM), and rec_hooks.c records its updates.
 */
#include <linux/kvm_host.h>
#include <asm/cpufeatures.h>
#include <asm/kvm_para.h>

#include "cpuid_mask.h"

/* The KVM PV features a recorded guest keeps. */
#define VMTRACE_KVM_FEATURES_KEPT	(BIT(KVM_FEATURE_CLOCKSOURCE) |	\
					 BIT(KVM_FEATURE_NOP_IO_DELAY) |	\
					 BIT(KVM_FEATURE_CLOCKSOURCE2) |	\
					 BIT(KVM_FEATURE_MSI_EXT_DEST_ID) |	\
					 BIT(KVM_FEATURE_CLOCKSOURCE_STABLE_BIT))

/* "KVMKVMKVM\0\0\0" as EBX, ECX, EDX of the hypervisor base leaf. */
#define VMTRACE_KVM_SIG_EBX	0x4b4d564b
#define VMTRACE_KVM_SIG_ECX	0x564b4d56
#define VMTRACE_KVM_SIG_EDX	0x0000004d

/* Is @fn the features leaf (base + 1) of KVM's PV leaves? */
static bool vmtrace_is_kvm_features_leaf(struct kvm_vcpu *vcpu, u32 fn)
{
	struct kvm_cpuid_entry2 *e = vcpu->arch.cpuid_entries;
	int i;

	if (fn < 0x40000001 || fn > 0x4fffff01 || (fn & 0xff) != 1)
		return false;
	for (i = 0; i < vcpu->arch.cpuid_nent; i++)
		if (e[i].function == fn - 1 && e[i].ebx == VMTRACE_KVM_SIG_EBX &&
		    e[i].ecx == VMTRACE_KVM_SIG_ECX &&
		    e[i].edx == VMTRACE_KVM_SIG_EDX)
			return true;
	return false;
}

/**
 * vmtrace_cpuid_has_rand() - does the vCPU's own CPUID offer RDRAND/RDSEED?
 * @vcpu: the vCPU.
 * @seed: RDSEED (CPUID.(7,0):EBX[18]) rather than RDRAND (CPUID.1:ECX[30]).
 *
 * The table the VMM gave KVM, before any masking: KVM makes the
 * instruction exit and injects #UD when the feature is not there.
 *
 * Context: any; reads the vCPU's CPUID table, fixed once it has run.
 * Return: true if the entry exists and has the feature bit.
 */
bool vmtrace_cpuid_has_rand(struct kvm_vcpu *vcpu, bool seed)
{
	struct kvm_cpuid_entry2 *e = vcpu->arch.cpuid_entries;
	u32 fn = seed ? 7 : 1;
	int i;

	for (i = 0; i < vcpu->arch.cpuid_nent; i++) {
		if (e[i].function != fn ||
		    ((e[i].flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) && e[i].index))
			continue;
		if (seed)
			return e[i].ebx & BIT(X86_FEATURE_RDSEED & 31);
		return e[i].ecx & BIT(X86_FEATURE_RDRAND & 31);
	}
	return false;
}

/**
 * vmtrace_cpuid_mask() - hide what recording cannot cover
 * @vcpu: the vCPU whose CPUID this is.
 * @hide_rand: hide RDRAND and RDSEED too (the vendor's hide_rand()).
 * @fn: the leaf (EAX on input).
 * @idx: the subleaf (ECX on input).
 * @r: EAX, EBX, ECX, EDX on output; changed in place.
 *
 * Context: any; reads the vCPU's CPUID table, fixed once it has run.
 * Return: true if something was hidden.
 */
bool vmtrace_cpuid_mask(struct kvm_vcpu *vcpu, bool hide_rand, u32 fn,
			u32 idx, u32 r[4])
{
	u32 old[4];

	memcpy(old, r, sizeof(old));
	if (fn == 1 && hide_rand)
		r[2] &= ~BIT(X86_FEATURE_RDRAND & 31);
	if (fn == 7 && idx == 0) {
		r[1] &= ~(BIT(X86_FEATURE_HLE & 31) | BIT(X86_FEATURE_RTM & 31));
		if (hide_rand)
			r[1] &= ~BIT(X86_FEATURE_RDSEED & 31);
		r[2] &= ~BIT(X86_FEATURE_WAITPKG & 31);
	}
	if (vmtrace_is_kvm_features_leaf(vcpu, fn))
		r[0] &= VMTRACE_KVM_FEATURES_KEPT;
	return memcmp(old, r, sizeof(old)) != 0;
}
