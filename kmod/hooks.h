/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The probes vmtrace attaches to KVM.
 */
#ifndef _VMTRACE_HOOKS_H
#define _VMTRACE_HOOKS_H

struct vmtrace_vendor_ops;

int vmtrace_hooks_get(const struct vmtrace_vendor_ops *vendor);
void vmtrace_hooks_put(void);

#endif /* _VMTRACE_HOOKS_H */
