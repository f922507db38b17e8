// SPDX-License-Identifier: GPL-2.0
/*
 * Finding the loaded KVM vendor module.
 *
 * A vendor counts as present when its exit handler, the function vmtrace
 * hooks, can be found by ftrace: that is the question the hook will ask,
 * and it needs neither kallsyms nor the vendor module's private symbols.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/string.h>

#include "vendor.h"

static const char * const vmtrace_exit_kind_names[] = {
	[VMTRACE_EXIT_IO]		= "io",
	[VMTRACE_EXIT_TDP_FAULT]	= "tdp_fault",
	[VMTRACE_EXIT_MSR]		= "msr",
	[VMTRACE_EXIT_CPUID]		= "cpuid",
	[VMTRACE_EXIT_HLT]		= "hlt",
	[VMTRACE_EXIT_INTR]		= "intr",
	[VMTRACE_EXIT_NMI]		= "nmi",
	[VMTRACE_EXIT_EXCEPTION]	= "exception",
	[VMTRACE_EXIT_RDTSC]		= "rdtsc",
	[VMTRACE_EXIT_RDTSCP]		= "rdtscp",
	[VMTRACE_EXIT_RDPMC]		= "rdpmc",
	[VMTRACE_EXIT_IRQ_WINDOW]	= "irq_window",
	[VMTRACE_EXIT_OTHER]		= "other",
};

/**
 * vmtrace_exit_kind_name() - the name debugfs shows for an exit kind
 * @kind: the kind.
 *
 * Context: any.
 * Return: a static string.
 */
const char *vmtrace_exit_kind_name(enum vmtrace_exit_kind kind)
{
	BUILD_BUG_ON(ARRAY_SIZE(vmtrace_exit_kind_names) != VMTRACE_EXIT_NR);
	if (kind >= VMTRACE_EXIT_NR)
		return "invalid";
	return vmtrace_exit_kind_names[kind];
}

/**
 * vmtrace_vendor_present() - is this vendor's module loaded?
 * @ops: the vendor.
 *
 * Context: process context.
 * Return: true if its handle_exit can be traced.
 */
bool vmtrace_vendor_present(const struct vmtrace_vendor_ops *ops)
{
	struct ftrace_ops probe = {};
	char buf[KSYM_NAME_LEN];
	int ret;

	/* ftrace_set_filter() parses its buffer in place. */
	strscpy(buf, ops->handle_exit, sizeof(buf));
	ret = ftrace_set_filter(&probe, buf, strlen(buf), 0);
	ftrace_free_filter(&probe);
	return ret == 0;
}

/**
 * vmtrace_vendor_find() - the vendor whose module is loaded
 *
 * Context: process context.
 * Return: its ops, or NULL if neither kvm_amd nor kvm_intel is loaded.
 */
const struct vmtrace_vendor_ops *vmtrace_vendor_find(void)
{
	if (vmtrace_vendor_present(&vmtrace_svm_ops))
		return &vmtrace_svm_ops;
	if (vmtrace_vendor_present(&vmtrace_vmx_ops))
		return &vmtrace_vmx_ops;
	return NULL;
}
