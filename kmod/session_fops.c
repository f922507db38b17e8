// SPDX-License-Identifier: GPL-2.0
/*
 * The session fd: its lifetime is the session's.
 *
 * Closing the last reference to the fd detaches and frees the session.
 * poll() reports EPOLLHUP once the VM is gone, so an owner can wait for
 * that without polling the status.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <uapi/linux/vmtrace.h>

#include "compat/uaccess.h"
#include "record_fops.h"
#include "replay.h"
#include "session.h"
#include "session_fops.h"
#include "vcpu.h"

/* The first published size of struct vmtrace_session_info. */
#define VMTRACE_SESSION_INFO_SIZE_VER0	80

static void vmtrace_session_check_abi(void)
{
	BUILD_BUG_ON(sizeof(struct vmtrace_session_info) !=
		     VMTRACE_SESSION_INFO_SIZE_VER0);
	BUILD_BUG_ON(offsetof(struct vmtrace_session_info, session_id) != 8);
	BUILD_BUG_ON(offsetof(struct vmtrace_session_info, state) != 20);
	BUILD_BUG_ON(offsetof(struct vmtrace_session_info, entries) != 32);
	BUILD_BUG_ON(offsetof(struct vmtrace_session_info, reserved) != 48);
}

static long vmtrace_session_info(struct vmtrace_session *s,
				 struct vmtrace_session_info __user *uarg)
{
	struct vmtrace_session_info info = {};
	struct vmtrace_counts sum;
	u32 usize, flags;

	if (get_user(usize, &uarg->size) || get_user(flags, &uarg->flags))
		return -EFAULT;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	if (usize < VMTRACE_SESSION_INFO_SIZE_VER0 || flags)
		return -EINVAL;
	info.size = sizeof(info);
	info.session_id = s->id;
	info.vmm_pid = vmtrace_session_vmm_vnr(s);
	info.state = READ_ONCE(s->state);
	info.nr_vcpus = READ_ONCE(s->nr_vcpus);
	vmtrace_vcpus_sum(s, &sum);
	info.entries = sum.entries;
	info.exits = sum.exits;
	return vmtrace_copy_struct_to_user(uarg, usize, &info, sizeof(info));
}

static long vmtrace_session_ioctl(struct file *filp, unsigned int cmd,
				  unsigned long arg)
{
	struct vmtrace_session *s = filp->private_data;

	switch (cmd) {
	case VMTRACE_SESSION_INFO:
		return vmtrace_session_info(s, (void __user *)arg);
	case VMTRACE_REPLAY_FEED:
	case VMTRACE_REPLAY_STATUS:
		return vmtrace_replay_ioctl(s, cmd, arg);
	}
	return vmtrace_record_ioctl(s, cmd, arg);
}

static __poll_t vmtrace_session_poll(struct file *filp, poll_table *wait)
{
	struct vmtrace_session *s = filp->private_data;

	poll_wait(filp, &s->wq, wait);
	if (READ_ONCE(s->state) == VMTRACE_STATE_DETACHED)
		return EPOLLIN | EPOLLRDNORM | EPOLLHUP;
	return 0;
}

static int vmtrace_session_release(struct inode *inode, struct file *filp)
{
	vmtrace_session_destroy(filp->private_data);
	return 0;
}

static const struct file_operations vmtrace_session_fops = {
	.owner		= THIS_MODULE,
	.release	= vmtrace_session_release,
	.unlocked_ioctl	= vmtrace_session_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.poll		= vmtrace_session_poll,
	.llseek		= noop_llseek,
};

/**
 * vmtrace_session_fd_reinstall() - another fd to an existing session
 * @file: the session's file; our reference passes to the fd, or is
 *	dropped on failure.
 * @uarg: the caller's struct vmtrace_attach, to return @a into.
 * @a: the request with its output fields filled in.
 *
 * Context: process context, the ioctl caller.
 * Return: the new fd, or a negative error.
 */
int vmtrace_session_fd_reinstall(struct file *file,
				 struct vmtrace_attach __user *uarg,
				 struct vmtrace_attach *a)
{
	int fd = get_unused_fd_flags(O_CLOEXEC), ret;

	if (fd < 0) {
		fput(file);
		return fd;
	}
	ret = vmtrace_copy_struct_to_user(uarg, a->size, a, sizeof(*a));
	if (ret) {
		put_unused_fd(fd);
		fput(file);
		return ret;
	}
	fd_install(fd, file);
	return fd;
}

/**
 * vmtrace_session_fd_install() - give a new session its fd
 * @s: the session; on failure it is destroyed.
 * @uarg: the caller's struct vmtrace_attach, to return @a into.
 * @a: the validated request with its output fields filled in.
 *
 * Context: process context, the ioctl caller.
 * Return: the new fd, or a negative error.
 */
int vmtrace_session_fd_install(struct vmtrace_session *s,
			       struct vmtrace_attach __user *uarg,
			       struct vmtrace_attach *a)
{
	struct file *file;
	int fd, ret;

	vmtrace_session_check_abi();
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		vmtrace_session_destroy(s);
		return fd;
	}
	file = anon_inode_getfile("vmtrace-session", &vmtrace_session_fops,
				  s, O_RDWR);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		vmtrace_session_destroy(s);
		return PTR_ERR(file);
	}
	ret = vmtrace_copy_struct_to_user(uarg, a->size, a, sizeof(*a));
	if (ret) {
		put_unused_fd(fd);
		fput(file);	/* releases and destroys the session */
		return ret;
	}
	vmtrace_session_keep(s, file);
	fd_install(fd, file);
	return fd;
}
