// SPDX-License-Identifier: GPL-2.0
/*
 * selftests/vm/warn/vmrun_warn.c - a module that WARNs when loaded, so
 * that vmrun_test.sh can check that vmrun fails a run whose kernel WARNed.
 * With stall=1 it instead halts the CPU with interrupts off, for good: the
 * test VM then looks as a stalled one does (its CPU halted, nothing left
 * to wake it), for vmrun's stall watchdog.
 */
#include <linux/bug.h>
#include <linux/irqflags.h>
#include <linux/module.h>
#include <asm/irqflags.h>

static bool stall;
module_param(stall, bool, 0444);
MODULE_PARM_DESC(stall, "halt the CPU with interrupts off instead of warning");

static int __init vmrun_warn_init(void)
{
	if (stall) {
		local_irq_disable();
		for (;;)
			native_halt();
	}
	WARN(1, "vmrun_warn: deliberate warning for the vmrun self-test\n");
	return 0;
}

static void __exit vmrun_warn_exit(void)
{
}

module_init(vmrun_warn_init);
module_exit(vmrun_warn_exit);
MODULE_DESCRIPTION("vmrun self-test: WARN on load, or halt for good");
MODULE_LICENSE("GPL");
