// SPDX-License-Identifier: GPL-2.0
/*
 * The one control hook: a kprobe on the vendor's handle_exit
 * (svm_handle_exit or vmx_handle_exit), which kprobes places on the
 * function's ftrace site.
 *
 * For vCPUs of attached VMs the pre-handler redirects the call to
 * vmtrace_handle_exit(), which has the same prototype, runs in the same
 * context as the original (preemptible, vCPU loaded, kvm->srcu held) and
 * calls the original itself. Calls coming from vmtrace_handle_exit() are
 * recognized by their return address and left alone. VMs that are not
 * attached pay the kprobe and one RCU hash lookup per exit while any
 * session exists, and nothing otherwise: the kprobe is registered with the
 * first session and removed with the last.
 *
 * A kprobe rather than an ftrace_ops of our own: kprobes attach through the
 * kernel's static kprobe ftrace_ops instead of allocating and freeing a
 * dynamic trampoline at every attach and detach, and register_kprobe()
 * resolves the name without kallsyms.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/kvm_host.h>
#include <linux/module.h>
#include <linux/wait_bit.h>

#include "compat/ftrace-ip.h"
#include "exit_hook.h"
#include "rec_hooks.h"
#include "record.h"
#include "session.h"
#include "vcpu.h"
#include "vendor.h"

typedef int (*vmtrace_handle_exit_t)(struct kvm_vcpu *vcpu,
				     fastpath_t fastpath);

static const struct vmtrace_vendor_ops *vmtrace_exit_vendor;
/* Entry of the vendor's handle_exit. */
static vmtrace_handle_exit_t vmtrace_exit_orig;
/* Calls redirected and not yet returned; module text must outlive them. */
static atomic_t vmtrace_exit_inflight = ATOMIC_INIT(0);

static int vmtrace_handle_exit(struct kvm_vcpu *vcpu, fastpath_t fastpath)
{
	vmtrace_handle_exit_t orig = READ_ONCE(vmtrace_exit_orig);
	struct vmtrace_recorder *rec = NULL;
	struct vmtrace_session *s;
	struct vmtrace_vcpu *v;
	enum vmtrace_exit_kind kind;
	bool handled = false;
	int ret, idx = 0;

	rcu_read_lock();
	s = vmtrace_session_find(vcpu->kvm);
	v = s ? vmtrace_vcpu_lookup(s, vcpu) : NULL;
	if (v) {
		kind = vmtrace_exit_vendor->exit_kind(vcpu);
		WRITE_ONCE(v->exit_kinds[kind], v->exit_kinds[kind] + 1);
		WRITE_ONCE(v->last_rip, vmtrace_exit_vendor->rip(vcpu));
		rec = v->rec ? s->rec : NULL;
		/* Taken inside RCU, so that stop's grace periods cover it. */
		if (rec)
			idx = srcu_read_lock(&rec->srcu);
	}
	rcu_read_unlock();

	if (rec)
		handled = vmtrace_rec_exit(s, v, kind, &ret);
	if (!handled) {
		ret = orig(vcpu, fastpath);
		if (rec)
			vmtrace_rec_exit_done(s, v);
	}
	if (rec)
		srcu_read_unlock(&rec->srcu, idx);

	if (atomic_dec_and_test(&vmtrace_exit_inflight))
		wake_up_var(&vmtrace_exit_inflight);
	return ret;
}

/*
 * The kprobe sits on the __fentry__ call of handle_exit, so it runs through
 * ftrace with the registers of the function's entry: @regs->sp points at
 * the return address, which tells calls made by vmtrace_handle_exit()
 * apart from KVM's.
 */
static int vmtrace_exit_kprobe(struct kprobe *p, struct pt_regs *regs)
{
	struct kvm_vcpu *vcpu = (struct kvm_vcpu *)regs->di;
	unsigned long caller = *(unsigned long *)regs->sp;
	bool attached;

	/* Not before registration has published the original's address. */
	if (within_module(caller, THIS_MODULE) || !READ_ONCE(vmtrace_exit_orig))
		return 0;
	rcu_read_lock();
	attached = vmtrace_vcpu_find(vcpu);
	rcu_read_unlock();
	if (!attached)
		return 0;
	atomic_inc(&vmtrace_exit_inflight);
	/* A non-zero return tells kprobes that we moved regs->ip. */
	regs->ip = (unsigned long)vmtrace_handle_exit;
	return 1;
}

static struct kprobe vmtrace_exit_kp;

/**
 * vmtrace_exit_hook_register() - hook the vendor's handle_exit
 * @vendor: the loaded vendor module.
 *
 * Context: process context, registry lock held (session.c).
 * Return: 0, or an error from ftrace; -EBUSY if another IPMODIFY user such
 * as a livepatch owns the function.
 */
int vmtrace_exit_hook_register(const struct vmtrace_vendor_ops *vendor)
{
	int ret;

	vmtrace_exit_vendor = vendor;
	vmtrace_exit_kp = (struct kprobe) {
		.symbol_name	= vendor->handle_exit,
		.pre_handler	= vmtrace_exit_kprobe,
	};
	ret = register_kprobe(&vmtrace_exit_kp);
	if (ret) {
		pr_err("cannot hook %s: %d\n", vendor->handle_exit, ret);
		goto err_forget_vendor;
	}
	if (!kprobe_ftrace(&vmtrace_exit_kp)) {
		/* An int3 kprobe would see other registers: refuse it. */
		pr_err("%s is not hookable through ftrace\n", vendor->handle_exit);
		ret = -EOPNOTSUPP;
		goto err_unregister;
	}
	WRITE_ONCE(vmtrace_exit_orig, (vmtrace_handle_exit_t)
		   vmtrace_ftrace_func_start((unsigned long)vmtrace_exit_kp.addr));
	return 0;

err_unregister:
	unregister_kprobe(&vmtrace_exit_kp);
err_forget_vendor:
	vmtrace_exit_vendor = NULL;
	return ret;
}

/**
 * vmtrace_exit_hook_unregister() - remove the hook
 *
 * Returns when no vCPU is inside vmtrace_handle_exit() any more.
 *
 * Context: process context, registry lock held, may sleep.
 */
void vmtrace_exit_hook_unregister(void)
{
	unregister_kprobe(&vmtrace_exit_kp);
	vmtrace_exit_vendor = NULL;
	WRITE_ONCE(vmtrace_exit_orig, NULL);
	wait_var_event(&vmtrace_exit_inflight,
		       !atomic_read(&vmtrace_exit_inflight));
}
