// SPDX-License-Identifier: GPL-2.0
/*
 * selftests/vm/warn/vmrun_warn.c - a module that WARNs when loaded, so
 * that vmrun_test.sh can check that vmrun fails a run whose kernel WARNed.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init vmrun_warn_init(void)
{
	WARN(1, "vmrun_warn: deliberate warning for the vmrun self-test\n");
	return 0;
}

static void __exit vmrun_warn_exit(void)
{
}

module_init(vmrun_warn_init);
module_exit(vmrun_warn_exit);
MODULE_DESCRIPTION("vmrun self-test: WARN on load");
MODULE_LICENSE("GPL");
