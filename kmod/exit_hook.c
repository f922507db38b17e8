// SPDX-License-Identifier: GPL-2.0
/*
 * The exit hook: the vendor's handle_exit (svm_handle_exit or
 * vmx_handle_exit), redirected for vCPUs of attached VMs (redirect.c) to
 * vmtrace_handle_exit(), which classifies the exit, lets the recorder or
 * the replayer handle or observe it, and calls the original.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_host.h>

#include "exit_hook.h"
#include "rec_hooks.h"
#include "record.h"
#include "redirect.h"
#include "replay.h"
#include "session.h"
#include "vcpu.h"
#include "vendor.h"
#include "vmm_writes.h"

typedef int (*vmtrace_handle_exit_t)(struct kvm_vcpu *vcpu,
				     fastpath_t fastpath);

static int vmtrace_handle_exit(struct kvm_vcpu *vcpu, fastpath_t fastpath);

static struct vmtrace_redirect vmtrace_exit_redirect = {
	.wrapper	= vmtrace_handle_exit,
};

static int vmtrace_handle_exit(struct kvm_vcpu *vcpu, fastpath_t fastpath)
{
	vmtrace_handle_exit_t orig =
		(vmtrace_handle_exit_t)READ_ONCE(vmtrace_exit_redirect.orig);
	struct vmtrace_recorder *rec = NULL;
	struct vmtrace_replayer *rep = NULL;
	struct vmtrace_session *s;
	struct vmtrace_vcpu *v;
	enum vmtrace_exit_kind kind;
	bool handled = false;
	int ret, idx = 0;

	rcu_read_lock();
	s = vmtrace_session_find(vcpu->kvm);
	v = s ? vmtrace_vcpu_lookup(s, vcpu) : NULL;
	if (v) {
		kind = s->vendor->exit_kind(vcpu);
		WRITE_ONCE(v->exit_kinds[kind], v->exit_kinds[kind] + 1);
		WRITE_ONCE(v->last_rip, s->vendor->rip(vcpu));
		rec = v->rec ? s->rec : NULL;
		rep = v->rep ? s->rep : NULL;
		/* Taken inside RCU, so that stop's grace periods cover it. */
		if (rec)
			idx = srcu_read_lock(&rec->srcu);
		else if (rep)
			idx = srcu_read_lock(&rep->srcu);
	}
	rcu_read_unlock();

	if (rec) {
		vmtrace_vmm_writes_exit(v, kind);
		handled = vmtrace_rec_exit(s, v, kind, &ret);
	} else if (rep) {
		handled = vmtrace_rep_exit(s, v, kind, &ret);
	}
	if (!handled) {
		ret = orig(vcpu, fastpath);
		if (rec) {
			vmtrace_rec_exit_done(s, v);
			vmtrace_vmm_writes_exit_done(v);
		} else if (rep) {
			vmtrace_rep_exit_done(s, v);
			if (ret > 0 && vmtrace_rep_pausing(v)) {
				vcpu->run->exit_reason = KVM_EXIT_INTR;
				ret = 0;
			}
		}
	}
	if (rec)
		srcu_read_unlock(&rec->srcu, idx);
	else if (rep)
		srcu_read_unlock(&rep->srcu, idx);

	vmtrace_redirect_done(&vmtrace_exit_redirect);
	return ret;
}

/**
 * vmtrace_exit_hook_register() - hook the vendor's handle_exit
 * @vendor: the loaded vendor module.
 *
 * Context: process context, registry lock held (session.c).
 * Return: 0, or the error of vmtrace_redirect_register().
 */
int vmtrace_exit_hook_register(const struct vmtrace_vendor_ops *vendor)
{
	vmtrace_exit_redirect.symbol = vendor->handle_exit;
	return vmtrace_redirect_register(&vmtrace_exit_redirect);
}

/**
 * vmtrace_exit_hook_unregister() - remove the hook
 *
 * Context: process context, registry lock held, may sleep.
 */
void vmtrace_exit_hook_unregister(void)
{
	vmtrace_redirect_unregister(&vmtrace_exit_redirect);
}
