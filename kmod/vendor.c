// SPDX-License-Identifier: GPL-2.0
/*
 * Finding the loaded KVM vendor module.
 *
 * A vendor counts as present when its exit handler, the function vmtrace
 * hooks, can be found by ftrace: that is the question the hooks will ask,
 * and it needs neither kallsyms nor the vendor module's private symbols.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/string.h>

#include "vendor.h"

#define VMTRACE_SVM_HANDLE_EXIT	"svm_handle_exit"
#define VMTRACE_VMX_HANDLE_EXIT	"vmx_handle_exit"

static bool vmtrace_function_traceable(const char *name)
{
	struct ftrace_ops ops = {};
	char buf[KSYM_NAME_LEN];
	int ret;

	/* ftrace_set_filter() parses its buffer in place. */
	strscpy(buf, name, sizeof(buf));
	ret = ftrace_set_filter(&ops, buf, strlen(buf), 0);
	ftrace_free_filter(&ops);
	return ret == 0;
}

/**
 * vmtrace_vendor_svm_present() - is kvm_amd loaded?
 *
 * Context: process context.
 * Return: true if svm_handle_exit can be hooked.
 */
bool vmtrace_vendor_svm_present(void)
{
	return vmtrace_function_traceable(VMTRACE_SVM_HANDLE_EXIT);
}

/**
 * vmtrace_vendor_vmx_present() - is kvm_intel loaded?
 *
 * Context: process context.
 * Return: true if vmx_handle_exit can be hooked.
 */
bool vmtrace_vendor_vmx_present(void)
{
	return vmtrace_function_traceable(VMTRACE_VMX_HANDLE_EXIT);
}
