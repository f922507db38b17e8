// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/vmtrace misc device: API version, extensions and
 * VMTRACE_ATTACH.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/file.h>
#include <linux/kvm_host.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <uapi/linux/vmtrace.h>

#include "compat/uaccess.h"
#include "ctl.h"
#include "pmu.h"
#include "session.h"
#include "session_fops.h"
#include "vendor.h"

/* The first published size of struct vmtrace_attach. */
#define VMTRACE_ATTACH_SIZE_VER0	64

static void vmtrace_ctl_check_abi(void)
{
	BUILD_BUG_ON(sizeof(struct vmtrace_attach) != VMTRACE_ATTACH_SIZE_VER0);
	BUILD_BUG_ON(offsetof(struct vmtrace_attach, vm_fd) != 4);
	BUILD_BUG_ON(offsetof(struct vmtrace_attach, flags) != 8);
	BUILD_BUG_ON(offsetof(struct vmtrace_attach, session_id) != 16);
	BUILD_BUG_ON(offsetof(struct vmtrace_attach, vmm_pid) != 24);
	BUILD_BUG_ON(offsetof(struct vmtrace_attach, nr_vcpus) != 28);
	BUILD_BUG_ON(offsetof(struct vmtrace_attach, reserved) != 32);
}

/* VMTRACE_CAP_REPLAY_PMU, quietly: debugfs's "pmu" file says why not. */
static long vmtrace_cap_replay_pmu(void)
{
	char why[VMTRACE_PMU_WHY_LEN];

	return vmtrace_pmu_explain(why) == 0;
}

static long vmtrace_check_extension(unsigned long cap)
{
	switch (cap) {
	case VMTRACE_CAP_ATTACH:
	case VMTRACE_CAP_SESSION_INFO:
	case VMTRACE_CAP_RECORD:
	case VMTRACE_CAP_REPLAY:
		return 1;
	case VMTRACE_CAP_SVM:
		return vmtrace_vendor_present(&vmtrace_svm_ops);
	case VMTRACE_CAP_VMX:
		return vmtrace_vendor_present(&vmtrace_vmx_ops);
	case VMTRACE_CAP_REPLAY_PMU:
		return vmtrace_cap_replay_pmu();
	}
	return 0;
}

/* Copy in and validate the attach request. */
static int vmtrace_attach_copy_in(struct vmtrace_attach *a,
				  struct vmtrace_attach __user *uarg)
{
	u32 usize;
	int ret, i;

	if (get_user(usize, &uarg->size))
		return -EFAULT;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	if (usize < VMTRACE_ATTACH_SIZE_VER0)
		return -EINVAL;
	ret = copy_struct_from_user(a, sizeof(*a), uarg, usize);
	if (ret)
		return ret;
	if (a->flags & ~VMTRACE_ATTACH_FLAGS_ALL)
		return -EINVAL;
	if ((a->flags & VMTRACE_ATTACH_RESUME) && a->flags != VMTRACE_ATTACH_RESUME)
		return -EINVAL;
	if ((a->flags & VMTRACE_ATTACH_REPLAY) &&
	    (a->flags & ~VMTRACE_ATTACH_PMU) != VMTRACE_ATTACH_REPLAY)
		return -EINVAL;
	if ((a->flags & VMTRACE_ATTACH_PMU) && !(a->flags & VMTRACE_ATTACH_REPLAY))
		return -EINVAL;
	if ((a->flags & VMTRACE_ATTACH_DIGEST_EXITS) &&
	    !(a->flags & VMTRACE_ATTACH_RECORD))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(a->reserved); i++)
		if (a->reserved[i])
			return -EINVAL;
	return 0;
}

/* Take a reference on the VM behind @fd. */
static struct kvm *vmtrace_kvm_get(unsigned int fd)
{
	struct file *file = fget(fd);
	struct kvm *kvm;

	if (!file)
		return ERR_PTR(-EBADF);
	if (!file_is_kvm(file)) {
		fput(file);
		return ERR_PTR(-EINVAL);
	}
	kvm = file->private_data;
	kvm_get_kvm(kvm);
	fput(file);
	return kvm;
}

/* VMTRACE_ATTACH_RESUME: a new fd to the VM's ownerless recording. */
static long vmtrace_take_over(struct kvm *kvm,
			      struct vmtrace_attach __user *uarg,
			      struct vmtrace_attach *a)
{
	struct file *file = vmtrace_session_take_over(kvm);
	struct vmtrace_session *s;

	kvm_put_kvm(kvm);	/* the session holds its own */
	if (IS_ERR(file))
		return PTR_ERR(file);
	s = file->private_data;
	a->session_id = s->id;
	a->vmm_pid = vmtrace_session_vmm_vnr(s);
	a->nr_vcpus = READ_ONCE(s->nr_vcpus);
	return vmtrace_session_fd_reinstall(file, uarg, a);
}

static long vmtrace_attach(struct vmtrace_attach __user *uarg)
{
	struct vmtrace_session *s;
	struct vmtrace_attach a;
	struct kvm *kvm;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = vmtrace_attach_copy_in(&a, uarg);
	if (ret)
		return ret;
	kvm = vmtrace_kvm_get(a.vm_fd);
	if (IS_ERR(kvm))
		return PTR_ERR(kvm);
	if (a.flags & VMTRACE_ATTACH_RESUME)
		return vmtrace_take_over(kvm, uarg, &a);
	s = vmtrace_session_create(kvm, a.flags);
	if (IS_ERR(s)) {
		kvm_put_kvm(kvm);
		return PTR_ERR(s);
	}
	a.session_id = s->id;
	a.vmm_pid = vmtrace_session_vmm_vnr(s);
	a.nr_vcpus = s->nr_vcpus;
	return vmtrace_session_fd_install(s, uarg, &a);
}

static long vmtrace_ctl_ioctl(struct file *filp, unsigned int cmd,
			      unsigned long arg)
{
	switch (cmd) {
	case VMTRACE_GET_API_VERSION:
		return arg ? -EINVAL : VMTRACE_API_VERSION;
	case VMTRACE_CHECK_EXTENSION:
		return vmtrace_check_extension(arg);
	case VMTRACE_ATTACH:
		return vmtrace_attach((void __user *)arg);
	}
	return -ENOTTY;
}

static const struct file_operations vmtrace_ctl_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= vmtrace_ctl_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice vmtrace_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= VMTRACE_DEVICE_NAME,
	.fops	= &vmtrace_ctl_fops,
	.mode	= 0600,
};

/**
 * vmtrace_ctl_init() - register /dev/vmtrace
 *
 * Context: module init.
 * Return: 0 or the error from misc_register().
 */
int vmtrace_ctl_init(void)
{
	vmtrace_ctl_check_abi();
	return misc_register(&vmtrace_miscdev);
}

/**
 * vmtrace_ctl_exit() - unregister /dev/vmtrace
 *
 * Context: module exit.
 */
void vmtrace_ctl_exit(void)
{
	misc_deregister(&vmtrace_miscdev);
}
