/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which KVM vendor module (kvm_amd, kvm_intel) is present.
 */
#ifndef _VMTRACE_VENDOR_H
#define _VMTRACE_VENDOR_H

#include <linux/types.h>

bool vmtrace_vendor_svm_present(void);
bool vmtrace_vendor_vmx_present(void);

#endif /* _VMTRACE_VENDOR_H */
