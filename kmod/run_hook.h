/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hook on KVM_RUN.
 */
#ifndef _VMTRACE_RUN_HOOK_H
#define _VMTRACE_RUN_HOOK_H

int vmtrace_run_hook_register(void);
void vmtrace_run_hook_unregister(void);

#endif /* _VMTRACE_RUN_HOOK_H */
