// SPDX-License-Identifier: GPL-2.0
/*
 * The KVM hooks: probes on KVM's exported kvm_entry and kvm_exit
 * tracepoints, and the exit and KVM_RUN hooks (exit_hook.c, run_hook.c).
 *
 * They are registered only while at least one session is attached,
 * so a host with no session pays nothing. They run for every vCPU of every
 * VM on the host, find the vCPU's session under RCU and return at once for
 * VMs nobody traces.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_host.h>
#include <linux/rcupdate.h>

#include "compat/kvm-tracepoints.h"
#include "exit_hook.h"
#include "hooks.h"
#include "ksym.h"
#include "rec_hooks.h"
#include "replay.h"
#include "run_hook.h"
#include "session.h"
#include "vcpu.h"
#include "vmm_writes.h"

/* Sessions using the probes; under the registry lock (session.c). */
static unsigned int vmtrace_hooks_users;

/*
 * kvm_entry: immediately before VMRUN/VMRESUME, interrupts off. Every vCPU
 * enters before anything else happens to it, so this is where a vCPU the
 * VMM created after attach is noticed.
 */
static void vmtrace_probe_entry(void *data, struct kvm_vcpu *vcpu)
{
	struct vmtrace_session *s;
	struct vmtrace_vcpu *v;

	rcu_read_lock();
	s = vmtrace_session_find(vcpu->kvm);
	v = s ? vmtrace_vcpu_lookup(s, vcpu) : NULL;
	if (v) {
		WRITE_ONCE(v->entries, v->entries + 1);
		if (v->rec)
			vmtrace_rec_entry(s, v);
		else if (v->rep)
			vmtrace_rep_entry(s, v);
	} else if (s) {
		schedule_work(&s->discover_work);
	}
	rcu_read_unlock();
}

/* kvm_exit: after the exit reason is known. */
static void vmtrace_probe_exit(void *data, struct kvm_vcpu *vcpu)
{
	struct vmtrace_vcpu *v;

	rcu_read_lock();
	v = vmtrace_vcpu_find(vcpu);
	if (v) {
		WRITE_ONCE(v->exits, v->exits + 1);
		v->exit_entry = v->entries;
	}
	rcu_read_unlock();
}

static void vmtrace_hooks_unregister_probes(void)
{
	vmtrace_vmm_writes_probes_unregister();
	vmtrace_rep_probes_unregister();
	vmtrace_rec_probes_unregister();
	vmtrace_unregister_kvm_probe(&__tracepoint_kvm_exit,
				     vmtrace_probe_exit, NULL);
	vmtrace_unregister_kvm_probe(&__tracepoint_kvm_entry,
				     vmtrace_probe_entry, NULL);
	tracepoint_synchronize_unregister();
}

static int vmtrace_hooks_register(const struct vmtrace_vendor_ops *vendor)
{
	int ret;

	ret = vmtrace_ksym_resolve();
	if (ret)
		return ret;
	ret = vmtrace_register_kvm_probe(&__tracepoint_kvm_entry,
					 vmtrace_probe_entry, NULL);
	if (ret)
		return ret;
	ret = vmtrace_register_kvm_probe(&__tracepoint_kvm_exit,
					 vmtrace_probe_exit, NULL);
	if (ret)
		goto err_unregister_entry;
	ret = vmtrace_rec_probes_register();
	if (ret)
		goto err_unregister_exit;
	ret = vmtrace_rep_probes_register();
	if (ret)
		goto err_unregister_rec_probes;
	ret = vmtrace_vmm_writes_probes_register();
	if (ret)
		goto err_unregister_rep_probes;
	ret = vmtrace_exit_hook_register(vendor);
	if (ret)
		goto err_unregister_probes;
	ret = vmtrace_run_hook_register();
	if (ret)
		goto err_unregister_exit_hook;
	ret = vmtrace_rep_timer_register();
	if (ret)
		goto err_unregister_run_hook;
	return 0;

err_unregister_run_hook:
	vmtrace_run_hook_unregister();
err_unregister_exit_hook:
	vmtrace_exit_hook_unregister();
	goto err_unregister_probes;

err_unregister_rep_probes:
	vmtrace_rep_probes_unregister();
err_unregister_rec_probes:
	vmtrace_rec_probes_unregister();
err_unregister_exit:
	vmtrace_unregister_kvm_probe(&__tracepoint_kvm_exit,
				     vmtrace_probe_exit, NULL);
	goto err_unregister_entry;

err_unregister_probes:
	vmtrace_hooks_unregister_probes();
	return ret;

err_unregister_entry:
	vmtrace_unregister_kvm_probe(&__tracepoint_kvm_entry,
				     vmtrace_probe_entry, NULL);
	tracepoint_synchronize_unregister();
	return ret;
}

/**
 * vmtrace_hooks_get() - enable the KVM hooks for one more session
 * @vendor: the vendor module running the session's VM.
 *
 * Context: process context, registry lock held.
 * Return: 0, or the error from registering a probe or the exit hook.
 */
int vmtrace_hooks_get(const struct vmtrace_vendor_ops *vendor)
{
	int ret;

	if (vmtrace_hooks_users == 0) {
		ret = vmtrace_hooks_register(vendor);
		if (ret) {
			pr_err("cannot attach to KVM's tracepoints: %d\n", ret);
			return ret;
		}
	}
	vmtrace_hooks_users++;
	return 0;
}

/**
 * vmtrace_hooks_put() - a session no longer needs the KVM probes
 *
 * The last user unregisters them and waits until no probe runs.
 *
 * Context: process context, registry lock held.
 */
void vmtrace_hooks_put(void)
{
	if (--vmtrace_hooks_users)
		return;
	vmtrace_rep_timer_unregister();
	vmtrace_run_hook_unregister();
	vmtrace_exit_hook_unregister();
	vmtrace_hooks_unregister_probes();
}
