/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hook on the vendor's handle_exit.
 */
#ifndef _VMTRACE_EXIT_HOOK_H
#define _VMTRACE_EXIT_HOOK_H

struct vmtrace_vendor_ops;

int vmtrace_exit_hook_register(const struct vmtrace_vendor_ops *vendor);
void vmtrace_exit_hook_unregister(void);

#endif /* _VMTRACE_EXIT_HOOK_H */
