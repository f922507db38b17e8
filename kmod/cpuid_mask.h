/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPUID features hidden from recorded guests.
 */
#ifndef _VMTRACE_CPUID_MASK_H
#define _VMTRACE_CPUID_MASK_H

#include <linux/types.h>

struct kvm_vcpu;

bool vmtrace_cpuid_mask(struct kvm_vcpu *vcpu, bool hide_rand, u32 fn,
			u32 idx, u32 r[4]);
bool vmtrace_cpuid_has_rand(struct kvm_vcpu *vcpu, bool seed);

#endif /* _VMTRACE_CPUID_MASK_H */
