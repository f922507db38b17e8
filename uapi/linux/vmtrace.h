/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The vmtrace control ABI.
 *
 * This is the only definition of the interface between vmtrace.ko and
 * user space. The module, vmtrace-ctl, vmtraced and the selftests all
 * include this file; nobody keeps a copy.
 *
 * File descriptors:
 *   /dev/vmtrace      system fd: API version, extensions, attach
 *   session fd        returned by VMTRACE_ATTACH; the attachment lives
 *                     exactly as long as this fd (close = detach)
 *
 * Rules every struct follows: only __u32/__u64 fields, natural alignment,
 * explicit padding, a leading @size that the caller sets to sizeof(),
 * @flags whose unknown bits are rejected with EINVAL, and reserved space
 * that must be zero. Layouts are pinned with BUILD_BUG_ON in the module
 * and static_assert in user space.
 */
#ifndef _UAPI_LINUX_VMTRACE_H
#define _UAPI_LINUX_VMTRACE_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* Bumped on any incompatible change to this file. */
#define VMTRACE_API_VERSION	1

#define VMTRACE_DEVICE_NAME	"vmtrace"

/*
 * ioctl magic: unassigned in Documentation/userspace-api/ioctl/
 * ioctl-number.rst of 6.1 and 6.12. Numbers 0x00-0x0f are system ioctls
 * on /dev/vmtrace, 0x10-0x2f are session ioctls.
 */
#define VMTRACEIO		0xBA

/* Extensions for VMTRACE_CHECK_EXTENSION; the answer is 0 or 1. */
#define VMTRACE_CAP_ATTACH		1	/* VMTRACE_ATTACH on a KVM VM fd */
#define VMTRACE_CAP_SESSION_INFO	2	/* VMTRACE_SESSION_INFO */
#define VMTRACE_CAP_SVM			3	/* kvm_amd is loaded and hooked */
#define VMTRACE_CAP_VMX			4	/* kvm_intel is loaded and hooked */

/**
 * struct vmtrace_attach - argument of VMTRACE_ATTACH
 * @size: sizeof(struct vmtrace_attach); smaller than the first version or
 *	larger than a page is rejected, unknown trailing bytes must be zero.
 * @vm_fd: a file descriptor, in the caller, of a KVM VM ("anon_inode:kvm-vm").
 * @flags: VMTRACE_ATTACH_* bits; none are defined yet, so it must be 0.
 * @session_id: out: the session's id, also the name of its debugfs
 *	directory (/sys/kernel/debug/vmtrace/<session_id>).
 * @vmm_pid: out: the pid (in the caller's namespace) of the process that
 *	created the VM, 0 if it cannot be seen from there.
 * @nr_vcpus: out: vCPUs the VM had at attach time.
 * @reserved: must be zero.
 *
 * The ioctl returns a new session fd (O_CLOEXEC) on success.
 */
struct vmtrace_attach {
	__u32 size;
	__u32 vm_fd;
	__u64 flags;
	__u64 session_id;
	__u32 vmm_pid;
	__u32 nr_vcpus;
	__u64 reserved[4];
};

#define VMTRACE_ATTACH_FLAGS_ALL	0ULL

/* Session states reported by VMTRACE_SESSION_INFO and debugfs. */
#define VMTRACE_STATE_ATTACHED	1	/* hooks active on the VM */
#define VMTRACE_STATE_DETACHED	2	/* VM gone; only the fd remains */

/**
 * struct vmtrace_session_info - argument of VMTRACE_SESSION_INFO
 * @size: sizeof(struct vmtrace_session_info), set by the caller.
 * @flags: must be 0.
 * @session_id: out: as in struct vmtrace_attach.
 * @vmm_pid: out: as in struct vmtrace_attach.
 * @state: out: VMTRACE_STATE_*.
 * @nr_vcpus: out: vCPUs the session knows (grows when the VMM adds some).
 * @pad: zero.
 * @entries: out: VM entries of the VM's vCPUs seen since attach.
 * @exits: out: VM exits seen since attach.
 * @reserved: out: zero.
 */
struct vmtrace_session_info {
	__u32 size;
	__u32 flags;
	__u64 session_id;
	__u32 vmm_pid;
	__u32 state;
	__u32 nr_vcpus;
	__u32 pad;
	__u64 entries;
	__u64 exits;
	__u64 reserved[4];
};

/* System ioctls, on /dev/vmtrace. */
#define VMTRACE_GET_API_VERSION	_IO(VMTRACEIO, 0x00)
#define VMTRACE_CHECK_EXTENSION	_IO(VMTRACEIO, 0x01)
#define VMTRACE_ATTACH		_IOWR(VMTRACEIO, 0x02, struct vmtrace_attach)

/* Session ioctls, on the fd VMTRACE_ATTACH returned. */
#define VMTRACE_SESSION_INFO	_IOWR(VMTRACEIO, 0x10, struct vmtrace_session_info)

#endif /* _UAPI_LINUX_VMTRACE_H */
