/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libvmtrace: what vmtrace-ctl, vmtraced and tests share. Finding the VM
 * of a VMM, attaching, and reading the module's debugfs status.
 */
#ifndef _VMTRACE_LIB_H
#define _VMTRACE_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <linux/vmtrace.h>

/* Results of library calls; also vmtrace-ctl's exit statuses. */
enum vmtrace_err {
	VMTRACE_OK		= 0,
	VMTRACE_E_OTHER		= 1,	/* anything else; errno says more */
	VMTRACE_E_USAGE		= 2,	/* bad command line */
	VMTRACE_E_NOMODULE	= 3,	/* /dev/vmtrace missing: not loaded */
	VMTRACE_E_NOPID		= 4,	/* no such process */
	VMTRACE_E_NOTVMM	= 5,	/* the process has no KVM VM */
	VMTRACE_E_BUSY		= 6,	/* the VM already has a session */
	VMTRACE_E_PERM		= 7,	/* not permitted */
	VMTRACE_E_NOTATTACHED	= 8,	/* no session for that VM */
	VMTRACE_E_VERSION	= 9,	/* module speaks another API version */
	VMTRACE_E_CORRUPT	= 10,	/* a trace file is corrupt or incomplete */
	VMTRACE_E_DIVERGED	= 11,	/* the replay diverged from the recording */
	VMTRACE_E_NOREPLAY	= 12,	/* the trace cannot be replayed */
};

const char *vmtrace_strerror(enum vmtrace_err err);
enum vmtrace_err vmtrace_err_from_errno(int err);

/* Paths, overridable for tests through the environment. */
const char *vmtrace_dev_path(void);	/* VMTRACE_DEV, /dev/vmtrace */
const char *vmtrace_debugfs_dir(void);	/* VMTRACE_DEBUGFS */
const char *vmtrace_proc_dir(void);	/* VMTRACE_PROC, /proc */
const char *vmtrace_run_dir(void);	/* VMTRACE_RUNDIR, /run/vmtrace */

enum vmtrace_err vmtrace_open(int *ctl_fd);
enum vmtrace_err vmtrace_find_vm_fd(const char *proc, pid_t pid, int *vm_fd);
enum vmtrace_err vmtrace_grab_fd(pid_t pid, int remote_fd, int *fd);
enum vmtrace_err vmtrace_attach(int ctl_fd, int vm_fd, uint64_t flags,
				struct vmtrace_attach *attach, int *session_fd);
enum vmtrace_err vmtrace_attach_pid(pid_t pid, uint64_t flags,
				    struct vmtrace_attach *attach, int *session_fd);
enum vmtrace_err vmtrace_session_info(int session_fd,
				      struct vmtrace_session_info *info);

/* One debugfs status file: its "key: value" lines, in order. */
#define VMTRACE_STATUS_MAX	128
struct vmtrace_status {
	int nr;
	char key[VMTRACE_STATUS_MAX][32];
	char value[VMTRACE_STATUS_MAX][96];
};

int vmtrace_status_parse(FILE *f, struct vmtrace_status *st);
const char *vmtrace_status_get(const struct vmtrace_status *st,
			       const char *key);
int vmtrace_status_list(const char *dir, struct vmtrace_status **list);
void vmtrace_status_print(FILE *out, const struct vmtrace_status *st);
void vmtrace_status_print_json(FILE *out, const struct vmtrace_status *st);
void vmtrace_json_string(FILE *out, const char *s);

/* FNV-1a 64 (digest.c). */
#define VMTRACE_FNV1A_INIT	0xcbf29ce484222325ULL
#define VMTRACE_FNV1A_PRIME	0x100000001b3ULL
uint64_t vmtrace_fnv1a(uint64_t h, const void *p, size_t n);

/* The daemon's pid file for the VM of a VMM. */
int vmtrace_pidfile_path(char *buf, size_t len, pid_t vmm_pid);
pid_t vmtrace_pidfile_read(pid_t vmm_pid);
/* Next to it, vm-PID.trace: the trace it records into, if it does. */
int vmtrace_tracenote_path(char *buf, size_t len, pid_t vmm_pid);
int vmtrace_tracenote_read(pid_t vmm_pid, char *buf, size_t len);

#endif /* _VMTRACE_LIB_H */
