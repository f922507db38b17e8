/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Digests of guest state that recording writes and replay checks (digest.c).
 */
#ifndef _VMTRACE_DIGEST_H
#define _VMTRACE_DIGEST_H

#include <linux/types.h>
#include <uapi/linux/vmtrace.h>

struct kvm_vcpu;
struct vmtrace_vendor_ops;

u64 vmtrace_regs_digest(const struct vmtrace_vendor_ops *vendor,
			struct kvm_vcpu *vcpu);
void vmtrace_digest_fill(const struct vmtrace_vendor_ops *vendor,
			 struct kvm_vcpu *vcpu, u64 ordinal,
			 struct vmtrace_rec_digest *d);

#endif /* _VMTRACE_DIGEST_H */
