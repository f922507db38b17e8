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
 * struct vmtrace_vendor_ops - what differs between SVM and VMX
 * @name: "svm" or "vmx".
 * @handle_exit: name of the vendor's handle_exit, the function hooked.
 * @check_vcpu: slow path, at attach: is @vcpu laid out as expected?
 *	Returns 0 or -EOPNOTSUPP. Mandatory.
 * @exit_kind: fast path, in the exit hook, preemptible, vCPU loaded:
 *	the kind of the exit being handled. Mandatory.
 */
struct vmtrace_vendor_ops {
	const char *name;
	const char *handle_exit;
	int (*check_vcpu)(struct kvm_vcpu *vcpu);
	enum vmtrace_exit_kind (*exit_kind)(struct kvm_vcpu *vcpu);
};

extern const struct vmtrace_vendor_ops vmtrace_svm_ops;
extern const struct vmtrace_vendor_ops vmtrace_vmx_ops;

bool vmtrace_vendor_present(const struct vmtrace_vendor_ops *ops);
const struct vmtrace_vendor_ops *vmtrace_vendor_find(void);

#endif /* _VMTRACE_VENDOR_H */
