// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for tests of /dev/vmtrace.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vt.h"

/* Why the vmtrace tests cannot run here, or NULL if they can. */
const char *vt_skip_reason(void)
{
	if (access("/dev/kvm", R_OK | W_OK))
		return "no /dev/kvm (KVM not available)";
	if (access("/dev/" VMTRACE_DEVICE_NAME, R_OK | W_OK))
		return "no /dev/vmtrace (vmtrace.ko not loaded, or not root)";
	return NULL;
}

int vt_open(void)
{
	return open("/dev/" VMTRACE_DEVICE_NAME, O_RDWR | O_CLOEXEC);
}

/* VMTRACE_ATTACH with a well-formed request; returns the session fd. */
int vt_attach_flags(int ctl_fd, int vm_fd, uint64_t flags,
		    struct vmtrace_attach *a)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->vm_fd = vm_fd;
	a->flags = flags;
	return vt_ioctl(ctl_fd, VMTRACE_ATTACH, a);
}

int vt_attach(int ctl_fd, int vm_fd, struct vmtrace_attach *a)
{
	return vt_attach_flags(ctl_fd, vm_fd, 0, a);
}

int vt_info(int session_fd, struct vmtrace_session_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return vt_ioctl(session_fd, VMTRACE_SESSION_INFO, info);
}

/*
 * A key of the session's debugfs status: its number, or for "state" 1
 * (attached) / 2 (detached); -1 if the file or the key is missing.
 */
long long vt_status(uint64_t session_id, const char *key)
{
	char path[128], line[256], *colon;
	long long value = -1;
	FILE *f;

	snprintf(path, sizeof(path), VT_DEBUGFS "/%llu/status",
		 (unsigned long long)session_id);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		colon = strchr(line, ':');
		if (!colon || strncmp(line, key, colon - line) || key[colon - line])
			continue;
		if (!strcmp(key, "state"))
			value = strstr(colon, "detached") ? 2 : 1;
		else
			value = strtoll(colon + 1, NULL, 10);
	}
	fclose(f);
	return value;
}

bool vt_session_listed(uint64_t session_id)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), VT_DEBUGFS "/%llu",
		 (unsigned long long)session_id);
	return !stat(path, &st);
}

/* Copy fd @remote_fd of process @pid, as vmtrace-ctl does. */
int vt_grab_fd(int pid, int remote_fd)
{
	int pidfd = syscall(SYS_pidfd_open, pid, 0), fd;

	if (pidfd < 0)
		return -1;
	fd = syscall(SYS_pidfd_getfd, pidfd, remote_fd, 0);
	close(pidfd);
	return fd;
}

/* Wait until poll() reports POLLHUP on a session fd. */
bool vt_wait_hup(int session_fd, int timeout_ms)
{
	struct pollfd p = { .fd = session_fd, .events = POLLIN };

	return poll(&p, 1, timeout_ms) == 1 && (p.revents & POLLHUP);
}
