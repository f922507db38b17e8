// SPDX-License-Identifier: GPL-2.0
/*
 * Vmtrace: record and replay of KVM virtual machines.
 *
 * Module init and exit. Sessions hold a reference on the module through
 * their fd, so the module cannot be unloaded while any is attached:
 * rmmod is refused with EWOULDBLOCK ("in use") and the VM is untouched.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/rcupdate.h>

#include "ctl.h"
#include "debugfs.h"
#include "kvm_tracepoints.h"
#include "status.h"

static int __init vmtrace_init(void)
{
	int ret;

	ret = vmtrace_kvm_tracepoints_init();
	if (ret) {
		pr_err("cannot watch for KVM's tracepoints: %d\n", ret);
		return ret;
	}
	vmtrace_debugfs_init();
	ret = vmtrace_ctl_init();
	if (ret) {
		pr_err("cannot register /dev/vmtrace: %d\n", ret);
		goto err_remove_debugfs;
	}
	pr_info("version %s loaded\n", VMTRACE_MODULE_VERSION);
	return 0;

err_remove_debugfs:
	vmtrace_debugfs_exit();
	vmtrace_kvm_tracepoints_exit();
	return ret;
}

static void __exit vmtrace_exit(void)
{
	vmtrace_ctl_exit();
	vmtrace_debugfs_exit();
	vmtrace_kvm_tracepoints_exit();
	/* No task is left in the last instructions of a hook's wrapper. */
	synchronize_rcu_tasks();
	pr_info("unloaded\n");
}

module_init(vmtrace_init);
module_exit(vmtrace_exit);

MODULE_DESCRIPTION("Record and replay of KVM virtual machines");
MODULE_AUTHOR("The vmtrace developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(VMTRACE_MODULE_VERSION);
