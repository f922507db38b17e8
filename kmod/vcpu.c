// SPDX-License-Identifier: GPL-2.0
/*
 * Finding and tracking the vCPUs of an attached VM.
 *
 * The vCPUs that exist at attach time are found then. A vCPU the VMM
 * creates later is noticed by the probes at its first VM entry, which
 * queue discover_work to add it; probes run with interrupts off and must
 * not allocate.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_host.h>
#include <linux/slab.h>
#include <uapi/linux/vmtrace.h>

#include "record.h"
#include "replay.h"
#include "session.h"
#include "vcpu.h"
#include "vendor.h"

static int vmtrace_vcpu_add(struct vmtrace_session *s, struct kvm_vcpu *vcpu)
{
	struct vmtrace_vcpu *v;
	int ret;

	if (xa_load(&s->vcpus, vcpu->vcpu_idx))
		return 0;
	ret = s->vendor->check_vcpu(vcpu);
	if (ret)
		return ret;
	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	v->vcpu = vcpu;
	v->idx = vcpu->vcpu_idx;
	spin_lock_init(&v->icpt_lock);
	ret = vmtrace_record_vcpu_add(s, v);
	ret = ret ?: vmtrace_replay_vcpu_add(s, v);
	if (ret)
		goto err_free;
	ret = xa_insert(&s->vcpus, v->idx, v, GFP_KERNEL);
	if (ret)
		goto err_free;
	s->nr_vcpus++;
	return 0;

err_free:
	if (v->rec)
		vmtrace_recbuf_vcpu_free(v->rec);
	vmtrace_replay_vcpu_free(v);
	kfree(v);
	return ret;
}

/**
 * vmtrace_vcpus_discover() - add every vCPU of the VM not yet known
 * @s: an attached session.
 *
 * Context: process context; takes @s->lock.
 * Return: 0, -ENOMEM, or -EOPNOTSUPP if a vCPU is not laid out as this
 * vendor support expects.
 */
int vmtrace_vcpus_discover(struct vmtrace_session *s)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;
	int ret = 0;

	mutex_lock(&s->lock);
	if (s->state == VMTRACE_STATE_ATTACHED) {
		kvm_for_each_vcpu(i, vcpu, s->kvm) {
			ret = vmtrace_vcpu_add(s, vcpu);
			if (ret)
				break;
		}
	}
	mutex_unlock(&s->lock);
	return ret;
}

/**
 * vmtrace_vcpus_discover_work() - work function behind discover_work
 * @work: &vmtrace_session.discover_work.
 *
 * Context: workqueue.
 */
void vmtrace_vcpus_discover_work(struct work_struct *work)
{
	struct vmtrace_session *s = container_of(work, struct vmtrace_session,
						 discover_work);

	int ret = vmtrace_vcpus_discover(s);

	if (ret)
		pr_err("session %llu: cannot track a new vCPU: %d\n", s->id, ret);
}

/**
 * vmtrace_vcpu_find() - the attached-session entry of any vCPU
 * @vcpu: a vCPU of any VM on the host.
 *
 * Context: RCU read side.
 * Return: the entry, or NULL if @vcpu's VM has no session or the session
 * has not discovered @vcpu yet.
 */
struct vmtrace_vcpu *vmtrace_vcpu_find(struct kvm_vcpu *vcpu)
{
	struct vmtrace_session *s = vmtrace_session_find(vcpu->kvm);

	return s ? vmtrace_vcpu_lookup(s, vcpu) : NULL;
}

/**
 * vmtrace_vcpu_lookup() - the session's entry for a vCPU
 * @s: the session.
 * @vcpu: a vCPU of @s's VM.
 *
 * Context: RCU read side, as in the KVM probes.
 * Return: the entry, or NULL if @vcpu was not discovered yet.
 */
struct vmtrace_vcpu *vmtrace_vcpu_lookup(struct vmtrace_session *s,
					 struct kvm_vcpu *vcpu)
{
	return xa_load(&s->vcpus, vcpu->vcpu_idx);
}

/**
 * vmtrace_vcpus_sum() - totals of the per-vCPU counters
 * @s: the session.
 * @sum: out: the counters of all vCPUs added up.
 *
 * Context: process context; takes @s->lock. The counters are read while
 * vCPUs may be running, so the totals are a snapshot.
 */
void vmtrace_vcpus_sum(struct vmtrace_session *s, struct vmtrace_counts *sum)
{
	struct vmtrace_vcpu *v;
	unsigned long i;
	int k;

	memset(sum, 0, sizeof(*sum));
	mutex_lock(&s->lock);
	xa_for_each(&s->vcpus, i, v) {
		sum->entries += READ_ONCE(v->entries);
		sum->exits += READ_ONCE(v->exits);
		for (k = 0; k < VMTRACE_EXIT_NR; k++)
			sum->exit_kinds[k] += READ_ONCE(v->exit_kinds[k]);
	}
	mutex_unlock(&s->lock);
}

/**
 * vmtrace_vcpus_free() - forget every vCPU of a session
 * @s: the session, no longer visible to the probes.
 *
 * Context: process context.
 */
void vmtrace_vcpus_free(struct vmtrace_session *s)
{
	struct vmtrace_vcpu *v;
	unsigned long i;

	xa_for_each(&s->vcpus, i, v) {
		xa_erase(&s->vcpus, i);
		vmtrace_replay_vcpu_free(v);
		kfree_rcu(v, rcu);
	}
	xa_destroy(&s->vcpus);
	s->nr_vcpus = 0;
}
