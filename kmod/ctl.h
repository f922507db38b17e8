/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /dev/vmtrace.
 */
#ifndef _VMTRACE_CTL_H
#define _VMTRACE_CTL_H

int vmtrace_ctl_init(void);
void vmtrace_ctl_exit(void);

#endif /* _VMTRACE_CTL_H */
