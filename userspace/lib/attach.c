// SPDX-License-Identifier: GPL-2.0
/*
 * Finding the KVM VM of a VMM and attaching vmtrace to it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vmtrace.h"

_Static_assert(sizeof(struct vmtrace_attach) == 64, "vmtrace_attach layout");
_Static_assert(sizeof(struct vmtrace_session_info) == 80,
	       "vmtrace_session_info layout");

#define KVM_VM_LINK	"anon_inode:kvm-vm"

/* Is /proc/<pid>/fd/<name> the VM fd? */
static bool vmtrace_is_vm_fd(int dirfd, const char *name)
{
	char link[64];
	ssize_t n = readlinkat(dirfd, name, link, sizeof(link) - 1);

	if (n < 0)
		return false;
	link[n] = '\0';
	return strcmp(link, KVM_VM_LINK) == 0;
}

/*
 * Find the fd number of the KVM VM in process @pid, looking at
 * @proc/<pid>/fd. A VMM normally has exactly one; with several, the
 * lowest is taken (the first VM created).
 */
enum vmtrace_err vmtrace_find_vm_fd(const char *proc, pid_t pid, int *vm_fd)
{
	char path[PATH_MAX];
	struct dirent *d;
	int found = -1;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/%d", proc, (int)pid);
	if (pid <= 0 || access(path, F_OK))
		return VMTRACE_E_NOPID;
	snprintf(path, sizeof(path), "%s/%d/fd", proc, (int)pid);
	dir = opendir(path);
	if (!dir)
		return errno == ENOENT ? VMTRACE_E_NOPID : vmtrace_err_from_errno(errno);
	while ((d = readdir(dir))) {
		int n = atoi(d->d_name);

		if (d->d_name[0] == '.' || !vmtrace_is_vm_fd(dirfd(dir), d->d_name))
			continue;
		if (found < 0 || n < found)
			found = n;
	}
	closedir(dir);
	if (found < 0)
		return VMTRACE_E_NOTVMM;
	*vm_fd = found;
	return VMTRACE_OK;
}

/* Duplicate fd @remote_fd of process @pid into ours (needs ptrace rights). */
enum vmtrace_err vmtrace_grab_fd(pid_t pid, int remote_fd, int *fd)
{
	int pidfd = syscall(SYS_pidfd_open, pid, 0);
	int err;

	if (pidfd < 0)
		return vmtrace_err_from_errno(errno);
	*fd = syscall(SYS_pidfd_getfd, pidfd, remote_fd, 0);
	err = errno;
	close(pidfd);
	if (*fd < 0)
		return err == EBADF ? VMTRACE_E_NOTVMM : vmtrace_err_from_errno(err);
	return VMTRACE_OK;
}

enum vmtrace_err vmtrace_open(int *ctl_fd)
{
	int version;

	*ctl_fd = open(vmtrace_dev_path(), O_RDWR | O_CLOEXEC);
	if (*ctl_fd < 0)
		return vmtrace_err_from_errno(errno);
	version = ioctl(*ctl_fd, VMTRACE_GET_API_VERSION, 0);
	if (version != VMTRACE_API_VERSION) {
		close(*ctl_fd);
		*ctl_fd = -1;
		return VMTRACE_E_VERSION;
	}
	return VMTRACE_OK;
}

enum vmtrace_err vmtrace_attach(int ctl_fd, int vm_fd, uint64_t flags,
				struct vmtrace_attach *attach, int *session_fd)
{
	memset(attach, 0, sizeof(*attach));
	attach->size = sizeof(*attach);
	attach->vm_fd = vm_fd;
	attach->flags = flags;
	*session_fd = ioctl(ctl_fd, VMTRACE_ATTACH, attach);
	if (*session_fd >= 0)
		return VMTRACE_OK;
	if (errno == ENOENT && (flags & VMTRACE_ATTACH_RESUME))
		return VMTRACE_E_NOTATTACHED;	/* no recording to take over */
	return errno == EINVAL ? VMTRACE_E_NOTVMM : vmtrace_err_from_errno(errno);
}

/* All of it: find the VMM's VM, duplicate it, attach, drop the copy. */
enum vmtrace_err vmtrace_attach_pid(pid_t pid, uint64_t flags,
				    struct vmtrace_attach *attach, int *session_fd)
{
	int ctl_fd, remote, vm_fd;
	enum vmtrace_err err;

	err = vmtrace_open(&ctl_fd);
	if (err)
		return err;
	err = vmtrace_find_vm_fd(vmtrace_proc_dir(), pid, &remote);
	if (err)
		goto out_close_ctl;
	err = vmtrace_grab_fd(pid, remote, &vm_fd);
	if (err)
		goto out_close_ctl;
	err = vmtrace_attach(ctl_fd, vm_fd, flags, attach, session_fd);
	close(vm_fd);
out_close_ctl:
	close(ctl_fd);
	return err;
}

enum vmtrace_err vmtrace_session_info(int session_fd,
				      struct vmtrace_session_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	if (ioctl(session_fd, VMTRACE_SESSION_INFO, info) < 0)
		return vmtrace_err_from_errno(errno);
	return VMTRACE_OK;
}
