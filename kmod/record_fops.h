/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recording ioctls of a session fd.
 */
#ifndef _VMTRACE_RECORD_FOPS_H
#define _VMTRACE_RECORD_FOPS_H

struct vmtrace_session;

long vmtrace_record_ioctl(struct vmtrace_session *s, unsigned int cmd,
			  unsigned long arg);

#endif /* _VMTRACE_RECORD_FOPS_H */
