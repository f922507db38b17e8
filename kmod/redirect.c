// SPDX-License-Identifier: GPL-2.0
/*
 * Redirecting hooks: a kprobe on a KVM function's ftrace site whose
 * pre-handler, for vCPUs of attached VMs, moves the call to a wrapper of
 * ours with the same prototype. The wrapper runs in the original's own
 * context (for handle_exit: preemptible, vCPU loaded, kvm->srcu held; for
 * KVM_RUN: process context, vcpu->mutex held) and calls the original
 * itself. Calls coming from the wrapper are recognized by their return
 * address and left alone. VMs that are not attached pay the kprobe and
 * one RCU hash lookup per call while any session exists, and nothing
 * otherwise: the hooks are registered with the first session and removed
 * with the last.
 *
 * A kprobe rather than an ftrace_ops of our own: kprobes attach through the
 * kernel's static kprobe ftrace_ops instead of allocating and freeing a
 * dynamic trampoline at every attach and detach, and register_kprobe()
 * resolves the name without kallsyms.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_host.h>
#include <linux/module.h>

#include "compat/ftrace-ip.h"
#include "redirect.h"
#include "vcpu.h"

/*
 * The kprobe sits on the __fentry__ call of the function, so it runs
 * through ftrace with the registers of the function's entry: @regs->sp
 * points at the return address, which tells calls made by our wrapper
 * apart from KVM's, and @regs->di is the vCPU.
 */
static int vmtrace_redirect_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct vmtrace_redirect *r = container_of(p, struct vmtrace_redirect, kp);
	struct kvm_vcpu *vcpu = (struct kvm_vcpu *)regs->di;
	unsigned long caller = *(unsigned long *)regs->sp;
	bool attached;

	if (within_module(caller, THIS_MODULE) || !READ_ONCE(r->armed))
		return 0;
	rcu_read_lock();
	attached = vmtrace_vcpu_find(vcpu);
	rcu_read_unlock();
	if (!attached)
		return 0;
	__module_get(THIS_MODULE);
	/* A non-zero return tells kprobes that we moved regs->ip. */
	regs->ip = (unsigned long)r->wrapper;
	return 1;
}

/**
 * vmtrace_redirect_register() - start redirecting calls
 * @r: the redirect, with @symbol and @wrapper set.
 *
 * Context: process context, registry lock held (session.c).
 * Return: 0, or an error from kprobes; -EBUSY if another IPMODIFY user
 * such as a livepatch owns the function, -EOPNOTSUPP if the function has
 * no ftrace site or if IBT sealed it (no indirect call may reach it).
 */
int vmtrace_redirect_register(struct vmtrace_redirect *r)
{
	int ret;

	r->kp = (struct kprobe) {
		.symbol_name	= r->symbol,
		.pre_handler	= vmtrace_redirect_pre,
	};
	ret = register_kprobe(&r->kp);
	if (ret) {
		pr_err("cannot hook %s: %d\n", r->symbol, ret);
		return ret;
	}
	if (!kprobe_ftrace(&r->kp)) {
		/* An int3 kprobe would see other registers: refuse it. */
		pr_err("%s is not hookable through ftrace\n", r->symbol);
		unregister_kprobe(&r->kp);
		return -EOPNOTSUPP;
	}
	WRITE_ONCE(r->orig, vmtrace_ftrace_func_start((unsigned long)r->kp.addr));
	if (!vmtrace_func_callable((unsigned long)r->orig)) {
		pr_err("%s cannot be called back on this IBT kernel\n", r->symbol);
		unregister_kprobe(&r->kp);
		return -EOPNOTSUPP;
	}
	WRITE_ONCE(r->armed, true);
	return 0;
}

/**
 * vmtrace_redirect_unregister() - stop redirecting
 * @r: a registered redirect.
 *
 * Wrappers already running go on; they hold references on the module.
 *
 * Context: process context, registry lock held, may sleep.
 */
void vmtrace_redirect_unregister(struct vmtrace_redirect *r)
{
	WRITE_ONCE(r->armed, false);
	unregister_kprobe(&r->kp);
}
