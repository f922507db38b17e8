// SPDX-License-Identifier: GPL-2.0
/*
 * The KVM_RUN hook: kvm_arch_vcpu_ioctl_run(), redirected for vCPUs of
 * attached VMs (redirect.c) to vmtrace_vcpu_run(). It runs in the vCPU's
 * thread, in process context, with vcpu->mutex held and before KVM loads
 * the vCPU, so it may sleep.
 *
 * For a recorded vCPU it takes the checkpoint at its first KVM_RUN
 * (checkpoint.c), writes a VMTRACE_REC_VCPU_IN marker when KVM_RUN
 * starts, followed by the pages the VMM wrote into guest RAM while the
 * vCPU was out (vmm_writes.c), and a digest of the guest's state and a
 * VMTRACE_REC_VCPU_OUT marker when KVM_RUN returns to the VMM. For a
 * replayed vCPU it checks that digest (rep_hooks.c). Time the host spends elsewhere inside
 * KVM_RUN (preemption, a halted vCPU) reaches the guest only through the
 * events and values recorded anyway, so it has no marker.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_host.h>

#include "checkpoint.h"
#include "digest.h"
#include "rec_pmu.h"
#include "record.h"
#include "redirect.h"
#include "replay.h"
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

/* The digest of the state KVM_RUN returns with, before VCPU_OUT. */
static void vmtrace_run_digest(struct vmtrace_session *s,
			       struct vmtrace_vcpu_rec *vr, struct kvm_vcpu *vcpu)
{
	struct vmtrace_rec_digest *d;
	int idx;

	vmtrace_recbuf_make_room(vr);
	d = vmtrace_rec_append(vr, VMTRACE_REC_DIGEST, sizeof(*d), 0);
	if (!d)
		return;
	vcpu_load(vcpu);
	idx = srcu_read_lock(&vcpu->kvm->srcu);
	vmtrace_digest_fill(s->vendor, vcpu, vr->ordinal, d);
	srcu_read_unlock(&vcpu->kvm->srcu, idx);
	vcpu_put(vcpu);
}

/*
 * KVM_RUN starts: the vCPU's checkpoint the first time, then its VCPU_IN
 * marker and the VMM's writes. Returns 1 to go on, else what KVM_RUN
 * returns without running.
 */
static int vmtrace_run_start(struct vmtrace_session *s, struct vmtrace_vcpu *v)
{
	int ret = 1;

	vmtrace_rec_pmu_run(s, v);
	if (!v->rec->ckpt_done) {
		ret = vmtrace_checkpoint_take(s, v, (vmtrace_vcpu_run_t)
					      READ_ONCE(vmtrace_run_redirect.orig));
		if (ret > 0)
			vmtrace_rec_branches_start(s, v);
	}
	if (ret <= 0)
		return ret;
	vmtrace_run_marker(v->rec, VMTRACE_REC_VCPU_IN, 0);
	vmtrace_vmm_writes_record(s, v->rec);
	v->rec->extint = v->vcpu->arch.pending_external_vector;
	return 1;
}

/*
 * KVM_RUN returns @ret: a digest where the guest stopped at a point replay
 * finds again (not for a signal), and the VCPU_OUT marker.
 */
static void vmtrace_run_end(struct vmtrace_session *s, struct vmtrace_vcpu *v,
			    int ret)
{
	u32 reason = v->vcpu->run->exit_reason;

	/* KVM_RUN cut short (immediate_exit, a signal) may leave it stale. */
	if (ret == -EINTR)
		reason = KVM_EXIT_INTR;
	if (!ret && reason != KVM_EXIT_INTR)
		vmtrace_run_digest(s, v->rec, v->vcpu);
	vmtrace_run_marker(v->rec, VMTRACE_REC_VCPU_OUT, reason);
}

/* The session of @vcpu with its recorder's or replayer's SRCU held in @idx. */
static struct vmtrace_session *vmtrace_run_session(struct kvm_vcpu *vcpu,
						   struct vmtrace_vcpu **vp,
						   int *idx)
{
	struct vmtrace_session *s;
	struct vmtrace_vcpu *v;

	rcu_read_lock();
	s = vmtrace_session_find(vcpu->kvm);
	v = s ? vmtrace_vcpu_lookup(s, vcpu) : NULL;
	/* Taken inside RCU, so that stop's grace periods cover it. */
	if (v && v->rec && s->rec)
		*idx = srcu_read_lock(&s->rec->srcu);
	else if (v && v->rep && s->rep)
		*idx = srcu_read_lock(&s->rep->srcu);
	else
		s = NULL;
	rcu_read_unlock();
	*vp = v;
	return s;
}

static void vmtrace_run_session_put(struct vmtrace_session *s, int idx)
{
	if (s->rec)
		srcu_read_unlock(&s->rec->srcu, idx);
	else
		srcu_read_unlock(&s->rep->srcu, idx);
}

/*
 * A replayed vCPU's KVM_RUN starts: 1 to go on, or what KVM_RUN returns
 * without running (KVM_EXIT_INTR for the VMM to find an event's point).
 */
static int vmtrace_run_replay_start(struct vmtrace_session *s,
				    struct vmtrace_vcpu *v)
{
	int go = vmtrace_rep_pmu_run(s, v, (vmtrace_vcpu_run_t)
				     READ_ONCE(vmtrace_run_redirect.orig));

	if (go > 0 && vmtrace_rep_pausing(v)) {
		v->vcpu->run->exit_reason = KVM_EXIT_INTR;
		go = 0;
	}
	return go;
}

/* KVM_RUN starts (@in, @ret unused) or has returned @ret for @vcpu. */
static int vmtrace_run_record(struct kvm_vcpu *vcpu, bool in, int ret)
{
	struct vmtrace_session *s;
	struct vmtrace_vcpu *v;
	int idx = 0, go = 1;

	s = vmtrace_run_session(vcpu, &v, &idx);
	if (!s)
		return 1;
	if (s->rep && in)
		go = vmtrace_run_replay_start(s, v);
	else if (s->rep)
		vmtrace_rep_run_done(s, v, ret);
	else if (s->rec && READ_ONCE(s->rec->active) && in)
		go = vmtrace_run_start(s, v);
	else if (s->rec && READ_ONCE(s->rec->active))
		vmtrace_run_end(s, v, ret);
	vmtrace_run_session_put(s, idx);
	return go;
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

	ret = vmtrace_run_record(vcpu, true, 0);
	if (ret > 0) {
		ret = orig(vcpu);
		vmtrace_run_record(vcpu, false, ret);
	}
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
