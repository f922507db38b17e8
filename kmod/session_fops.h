/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The session file descriptor.
 */
#ifndef _VMTRACE_SESSION_FOPS_H
#define _VMTRACE_SESSION_FOPS_H

#include <linux/compiler_types.h>

struct vmtrace_session;
struct vmtrace_attach;
struct file;

int vmtrace_session_fd_reinstall(struct file *file,
				 struct vmtrace_attach __user *uarg,
				 struct vmtrace_attach *a);
int vmtrace_session_fd_install(struct vmtrace_session *s,
			       struct vmtrace_attach __user *uarg,
			       struct vmtrace_attach *a);

#endif /* _VMTRACE_SESSION_FOPS_H */
