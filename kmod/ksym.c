// SPDX-License-Identifier: GPL-2.0
/*
 * The one place private KVM symbols are resolved: by name, through a
 * kprobe registered and removed at once (kallsyms_lookup_name() is not
 * exported). Done with the hooks, when kvm.ko is known to be loaded; the
 * hooks hold it loaded while any session exists.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>

#include "compat/ftrace-ip.h"
#include "ksym.h"

struct vmtrace_kvm_fns vmtrace_kvm;

static const struct {
	const char *name;
	size_t offset;
} vmtrace_ksyms[] = {
	{ "kvm_arch_vcpu_ioctl", offsetof(struct vmtrace_kvm_fns, vcpu_ioctl) },
	{ "kvm_arch_vm_ioctl", offsetof(struct vmtrace_kvm_fns, vm_ioctl) },
	{ "kvm_arch_dev_ioctl", offsetof(struct vmtrace_kvm_fns, dev_ioctl) },
	{ "kvm_arch_vcpu_ioctl_get_regs",
	  offsetof(struct vmtrace_kvm_fns, get_regs) },
	{ "kvm_arch_vcpu_ioctl_get_sregs",
	  offsetof(struct vmtrace_kvm_fns, get_sregs) },
	{ "kvm_arch_vcpu_ioctl_get_mpstate",
	  offsetof(struct vmtrace_kvm_fns, get_mpstate) },
};

static unsigned long vmtrace_ksym_lookup(const char *name)
{
	struct kprobe kp = { .symbol_name = name };
	unsigned long addr;

	if (register_kprobe(&kp))
		return 0;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	/* A kprobe on an IBT kernel sits after the ENDBR: call the ENDBR. */
	return vmtrace_ftrace_func_start(addr);
}

/**
 * vmtrace_ksym_resolve() - fill vmtrace_kvm
 *
 * Context: process context, registry lock held (session.c).
 * Return: 0, -ENOENT (logged) if a function cannot be found, or
 * -EOPNOTSUPP if IBT sealed one.
 */
int vmtrace_ksym_resolve(void)
{
	unsigned long addr;
	int i;

	for (i = 0; i < ARRAY_SIZE(vmtrace_ksyms); i++) {
		addr = vmtrace_ksym_lookup(vmtrace_ksyms[i].name);
		if (!addr) {
			pr_err("cannot find KVM's %s\n", vmtrace_ksyms[i].name);
			return -ENOENT;
		}
		if (!vmtrace_func_callable(addr)) {
			pr_err("KVM's %s cannot be called on this IBT kernel\n",
			       vmtrace_ksyms[i].name);
			return -EOPNOTSUPP;
		}
		*(unsigned long *)((u8 *)&vmtrace_kvm + vmtrace_ksyms[i].offset) = addr;
	}
	return 0;
}
