/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Launching a VMM stopped at its first KVM_RUN (launch.c).
 */
#ifndef _VMTRACE_LAUNCH_H
#define _VMTRACE_LAUNCH_H

#include <sys/types.h>

#include "vmtrace.h"

#define VMTRACE_LAUNCH_MAX_TIDS	512

struct vmtrace_launch {
	pid_t pid;		/* the VMM */
	pid_t run_tid;		/* its thread stopped entering KVM_RUN */
	int status;		/* wait status, if the VMM ended first */
	int nr_tids;
	pid_t tids[VMTRACE_LAUNCH_MAX_TIDS];	/* threads being traced */
};

enum vmtrace_err vmtrace_launch(struct vmtrace_launch *l, char *const argv[]);
void vmtrace_launch_release(struct vmtrace_launch *l);

#endif /* _VMTRACE_LAUNCH_H */
