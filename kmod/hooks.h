/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The probes vmtrace attaches to KVM.
 */
#ifndef _VMTRACE_HOOKS_H
#define _VMTRACE_HOOKS_H

int vmtrace_hooks_get(void);
void vmtrace_hooks_put(void);

#endif /* _VMTRACE_HOOKS_H */
