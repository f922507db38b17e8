/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /sys/kernel/debug/vmtrace.
 */
#ifndef _VMTRACE_DEBUGFS_H
#define _VMTRACE_DEBUGFS_H

struct vmtrace_session;

void vmtrace_debugfs_init(void);
void vmtrace_debugfs_exit(void);
void vmtrace_debugfs_session_add(struct vmtrace_session *s);
void vmtrace_debugfs_session_remove(struct vmtrace_session *s);

#endif /* _VMTRACE_DEBUGFS_H */
