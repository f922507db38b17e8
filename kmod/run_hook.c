// SPDX-License-Identifier: GPL-2.0
/*
 * The KVM_RUN hook: kvm_arch_vcpu_ioctl_run(), redirected for vCPUs of
 * attached VMs (redirect.c) to vmtrace_vcpu_run(). It runs in the vCPU's
 * thread, in process context, with vcpu->mutex held and before KVM loads
 * the vCPU, so it may sleep.
 *
 * For a recorded vCPU it writes a VMTRACE_REC_VCPU_IN marker when KVM_RUN
 * starts, followed by the pages the VMM wrote into guest RAM while the
 * vCPU was out (vmm_writes.c), and a VMTRACE_REC_VCPU_OUT marker when
 * KVM_RUN returns to the VMM. Time the host spends elsewhere inside
 * KVM_RUN (preemption, a halted vCPU) reaches the guest only through the
 * events and values recorded anyway, so it has no marker.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_host.h>

#include "record.h"
#include "redirect.h"
#include "run_hook.h"
#include "session.h"
#include "vcpu.h"
#include "vmm_writes.h"

typedef int (*vmtrace_vcpu_run_t)(struct kvm_vcpu *vcpu);

static int vmtrace_vcpu_run(struct kvm_vcpu *vcpu);

static struct vmtrace_redirect vmtrace_run_redirect = {
	.symbol		= "kvm_arch_vcpu_ioctl_run",
	.wrapper	= vmtrace_vcpu_run,
};

static void vmtrace_run_marker(struct vmtrace_vcpu_rec *vr, u16 type,
			       u32 exit_reason)
{
	struct vmtrace_rec_sched *r;

	vmtrace_recbuf_make_room(vr);
	r = vmtrace_rec_append(vr, type, sizeof(*r), 0);
	if (!r)
		return;
	r->seq = atomic64_inc_return(&vr->rec->sched_seq) - 1;
	r->cpu = raw_smp_processor_id();
	r->exit_reason = exit_reason;
}

/* KVM_RUN starts (@in) or has returned for @vcpu. */
static void vmtrace_run_record(struct kvm_vcpu *vcpu, bool in)
{
	struct vmtrace_recorder *rec = NULL;
	struct vmtrace_session *s;
	struct vmtrace_vcpu *v;
	int idx = 0;

	rcu_read_lock();
	s = vmtrace_session_find(vcpu->kvm);
	v = s ? vmtrace_vcpu_lookup(s, vcpu) : NULL;
	rec = v && v->rec ? s->rec : NULL;
	/* Taken inside RCU, so that stop's grace periods cover it. */
	if (rec)
		idx = srcu_read_lock(&rec->srcu);
	rcu_read_unlock();
	if (!rec)
		return;
	if (READ_ONCE(rec->active) && in) {
		vmtrace_run_marker(v->rec, VMTRACE_REC_VCPU_IN, 0);
		vmtrace_vmm_writes_record(s, v->rec);
	} else if (READ_ONCE(rec->active)) {
		vmtrace_run_marker(v->rec, VMTRACE_REC_VCPU_OUT,
				   vcpu->run->exit_reason);
	}
	srcu_read_unlock(&rec->srcu, idx);
}

/*
 * The recorder's SRCU is not held across the original: a vCPU may stay in
 * KVM_RUN, halted, for as long as its guest likes, and stopping a
 * recording waits for SRCU readers.
 */
static int vmtrace_vcpu_run(struct kvm_vcpu *vcpu)
{
	vmtrace_vcpu_run_t orig =
		(vmtrace_vcpu_run_t)READ_ONCE(vmtrace_run_redirect.orig);
	int ret;

	vmtrace_run_record(vcpu, true);
	ret = orig(vcpu);
	vmtrace_run_record(vcpu, false);
	vmtrace_redirect_done(&vmtrace_run_redirect);
	return ret;
}

/**
 * vmtrace_run_hook_register() - hook KVM_RUN
 *
 * Context: process context, registry lock held (session.c).
 * Return: 0, or the error of vmtrace_redirect_register().
 */
int vmtrace_run_hook_register(void)
{
	return vmtrace_redirect_register(&vmtrace_run_redirect);
}

/**
 * vmtrace_run_hook_unregister() - remove the hook
 *
 * Context: process context, registry lock held, may sleep.
 */
void vmtrace_run_hook_unregister(void)
{
	vmtrace_redirect_unregister(&vmtrace_run_redirect);
}
