// SPDX-License-Identifier: GPL-2.0
/*
 * Replay sessions: the VM a replay VMM built from a recording's
 * checkpoint. Before each KVM_RUN the VMM feeds a vCPU the records the
 * recording has for that KVM_RUN (VMTRACE_REPLAY_FEED); the hooks
 * (rep_hooks.c) answer the guest from them and check everything else
 * against them; VMTRACE_REPLAY_STATUS tells how far the vCPU got and
 * where it diverged, if it did.
 *
 * The records are swapped in with vcpu->mutex held, which KVM_RUN holds
 * too: the vCPU never sees a feed change under it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/kvm_host.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "rec_hooks.h"
#include "replay.h"
#include "session.h"
#include "vcpu.h"
#include "vendor.h"

/* How long detach waits for a vCPU in KVM_RUN to come out of it. */
#define VMTRACE_REP_RELEASE_TIMEOUT	(10 * HZ)

/**
 * vmtrace_replay_create() - make a session a replay session
 * @s: a new session.
 * @flags: its VMTRACE_ATTACH_* flags, validated.
 *
 * Context: process context, may sleep.
 * Return: 0, -ENOMEM, or for VMTRACE_ATTACH_PMU on a host that cannot
 * count guest branches exactly -ENODEV or -EOPNOTSUPP.
 */
int vmtrace_replay_create(struct vmtrace_session *s, u64 flags)
{
	const struct vmtrace_pmu_model *model;
	struct vmtrace_replayer *rep;
	int ret;

	if (flags & VMTRACE_ATTACH_PMU) {
		ret = vmtrace_pmu_probe(&model);
		if (ret)
			return ret;
	}
	rep = kzalloc(sizeof(*rep), GFP_KERNEL);
	if (!rep)
		return -ENOMEM;
	rep->pmu = flags & VMTRACE_ATTACH_PMU;
	if (init_srcu_struct(&rep->srcu)) {
		kfree(rep);
		return -ENOMEM;
	}
	s->rep = rep;
	return 0;
}

/**
 * vmtrace_replay_vcpu_add() - replay state of a new vCPU
 * @s: the session.
 * @v: the vCPU, not yet visible to the hooks.
 *
 * Context: process context, @s->lock held.
 * Return: 0 or -ENOMEM.
 */
int vmtrace_replay_vcpu_add(struct vmtrace_session *s, struct vmtrace_vcpu *v)
{
	if (!s->rep)
		return 0;
	v->rep = kzalloc(sizeof(*v->rep), GFP_KERNEL);
	if (!v->rep)
		return -ENOMEM;
	v->rep->stop = VMTRACE_REPLAY_NO_STOP;
	return 0;
}

/**
 * vmtrace_replay_vcpu_free() - free it
 * @v: the vCPU; no hook uses its replay state any more.
 *
 * Context: process context.
 */
void vmtrace_replay_vcpu_free(struct vmtrace_vcpu *v)
{
	if (!v->rep)
		return;
	vmtrace_rep_pmu_free(v);
	kvfree(v->rep->buf);
	kfree(v->rep);
	v->rep = NULL;
}

/* Turn the vCPU's exits and interrupt block off, with the vCPU out of KVM_RUN. */
static void vmtrace_replay_release_vcpu(struct vmtrace_session *s,
					struct vmtrace_vcpu *v)
{
	struct kvm_vcpu *vcpu = v->vcpu;
	unsigned long deadline = jiffies + VMTRACE_REP_RELEASE_TIMEOUT;

	while (!mutex_trylock(&vcpu->mutex)) {
		if (time_after(jiffies, deadline)) {
			pr_err("session %llu: vCPU %u stays in KVM_RUN; RDTSC exits stay on\n",
			       s->id, v->idx);
			return;
		}
		kvm_vcpu_kick(vcpu);
		usleep_range(500, 1000);
	}
	if (v->rep->exiting && s->vendor->clear_exiting_remote(vcpu))
		v->rep->exiting = false;
	vmtrace_block_irq(vcpu, &v->rep->blocked, false);
	vmtrace_rep_pmu_free(v);	/* no overflow after detach */
	mutex_unlock(&vcpu->mutex);
}

/**
 * vmtrace_replay_release() - give the VM back to KVM alone
 * @s: a replay session about to unhook.
 *
 * Context: process context, hooks still registered; may sleep.
 */
void vmtrace_replay_release(struct vmtrace_session *s)
{
	struct vmtrace_vcpu *v;
	unsigned long i;

	WRITE_ONCE(s->rep->release, true);
	synchronize_srcu(&s->rep->srcu);
	xa_for_each(&s->vcpus, i, v)
		if (v->rep)
			vmtrace_replay_release_vcpu(s, v);
	kvm_set_or_clear_apicv_inhibit(s->kvm, APICV_INHIBIT_REASON_BLOCKIRQ,
				       false);
}

/**
 * vmtrace_replay_destroy() - free the replay side of a session
 * @s: the session, detached.
 *
 * Context: process context.
 */
void vmtrace_replay_destroy(struct vmtrace_session *s)
{
	if (!s->rep)
		return;
	synchronize_srcu(&s->rep->srcu);
	cleanup_srcu_struct(&s->rep->srcu);
	kfree(s->rep);
	s->rep = NULL;
}

/* The fixed size of each record type a vCPU may be fed; 0: never fed. */
static const u16 vmtrace_replay_sizes[VMTRACE_REC_NR] = {
	[VMTRACE_REC_RDTSC]	= sizeof(struct vmtrace_rec_tsc),
	[VMTRACE_REC_RDTSCP]	= sizeof(struct vmtrace_rec_tsc),
	[VMTRACE_REC_RDRAND]	= sizeof(struct vmtrace_rec_rand),
	[VMTRACE_REC_RDSEED]	= sizeof(struct vmtrace_rec_rand),
	[VMTRACE_REC_RDPMC]	= sizeof(struct vmtrace_rec_rdpmc),
	[VMTRACE_REC_CPUID]	= sizeof(struct vmtrace_rec_cpuid),
	[VMTRACE_REC_PIO_IN]	= sizeof(struct vmtrace_rec_pio),
	[VMTRACE_REC_PIO_OUT]	= sizeof(struct vmtrace_rec_pio),
	[VMTRACE_REC_MMIO_READ]	= sizeof(struct vmtrace_rec_mmio),
	[VMTRACE_REC_MMIO_WRITE] = sizeof(struct vmtrace_rec_mmio),
	[VMTRACE_REC_MSR_READ]	= sizeof(struct vmtrace_rec_msr),
	[VMTRACE_REC_IRQ]	= sizeof(struct vmtrace_rec_event),
	[VMTRACE_REC_NMI]	= sizeof(struct vmtrace_rec_event),
	[VMTRACE_REC_EXCEPTION]	= sizeof(struct vmtrace_rec_event),
	[VMTRACE_REC_MEM_WRITE]	= sizeof(struct vmtrace_rec_mem),
	[VMTRACE_REC_DIGEST]	= sizeof(struct vmtrace_rec_digest),
};

/* Does @r, of a type a vCPU may be fed, hold what its type says? */
static bool vmtrace_replay_rec_ok(const struct vmtrace_rec *r)
{
	const struct vmtrace_rec_pio *p = (const void *)r;
	const struct vmtrace_rec_mem *m = (const void *)r;
	u32 fixed = vmtrace_replay_sizes[r->type];

	if (!fixed || r->size < fixed)
		return false;
	if (r->type == VMTRACE_REC_PIO_IN || r->type == VMTRACE_REC_PIO_OUT)
		return (u64)p->size * p->count <= r->size - fixed;
	if (r->type == VMTRACE_REC_MEM_WRITE)
		return m->len <= r->size - fixed;
	return true;
}

/* Every record lies inside @len bytes, with a known type and a sane size. */
static int vmtrace_replay_check(const u8 *buf, u32 len, u32 nr)
{
	const struct vmtrace_rec *r;
	u32 pos = 0, n = 0;

	while (pos < len) {
		if (len - pos < sizeof(*r))
			return -EINVAL;
		r = (const struct vmtrace_rec *)(buf + pos);
		if (r->size < sizeof(*r) || r->size % 8 || r->size > len - pos ||
		    !r->type || r->type >= VMTRACE_REC_NR || !vmtrace_replay_rec_ok(r))
			return -EINVAL;
		pos += r->size;
		n++;
	}
	return n == nr ? 0 : -EINVAL;
}

static struct kvm_vcpu *vmtrace_replay_vcpu(struct vmtrace_session *s,
					    u32 idx, struct vmtrace_vcpu **v)
{
	*v = xa_load(&s->vcpus, idx);
	return *v && (*v)->rep ? (*v)->vcpu : NULL;
}

static int vmtrace_replay_feed_copy(const struct vmtrace_replay_feed *f,
				    u8 **buf)
{
	int ret;

	*buf = NULL;
	if (!f->nr_bytes)
		return 0;
	*buf = kvmalloc(f->nr_bytes, GFP_KERNEL_ACCOUNT);
	if (!*buf)
		return -ENOMEM;
	ret = copy_from_user(*buf, u64_to_user_ptr(f->records), f->nr_bytes) ?
	      -EFAULT : vmtrace_replay_check(*buf, f->nr_bytes, f->nr_records);
	if (ret) {
		kvfree(*buf);
		*buf = NULL;
	}
	return ret;
}

/* Swap the records in; @v's vcpu->mutex held. */
static void vmtrace_replay_feed_set(struct vmtrace_session *s,
				    struct vmtrace_vcpu *v,
				    const struct vmtrace_replay_feed *f, u8 **buf)
{
	struct vmtrace_vcpu_rep *rp = v->rep;

	swap(rp->buf, *buf);
	rp->len = f->nr_bytes;
	rp->pos = 0;
	rp->consumed = 0;
	rp->ordinal = f->ordinal;
	rp->stop = f->stop_ordinal;
	rp->raised = 0;
	rp->feed_flags = f->flags;
	rp->pause = false;
	/* PMU mode compares registers: they are read with the vCPU loaded. */
	if (s->rep->pmu)
		vcpu_load(v->vcpu);
	vmtrace_rep_gate(s, v);
	if (s->rep->pmu)
		vcpu_put(v->vcpu);
}

static long vmtrace_replay_feed(struct vmtrace_session *s, void __user *uarg)
{
	struct vmtrace_replay_feed f;
	struct kvm_vcpu *vcpu;
	struct vmtrace_vcpu *v;
	u8 *buf;
	int ret;

	if (copy_from_user(&f, uarg, sizeof(f)))
		return -EFAULT;
	if (f.size != sizeof(f) || (f.flags & ~VMTRACE_FEED_FLAGS_ALL) ||
	    memchr_inv(f.reserved, 0, sizeof(f.reserved)) ||
	    f.nr_bytes > VMTRACE_REPLAY_MAX || f.nr_bytes % 8)
		return -EINVAL;
	ret = vmtrace_replay_feed_copy(&f, &buf);
	if (ret)
		return ret;
	mutex_lock(&s->lock);
	vcpu = s->kvm ? vmtrace_replay_vcpu(s, f.vcpu, &v) : NULL;
	ret = !vcpu ? -ENOENT : mutex_lock_killable(&vcpu->mutex);
	if (!ret) {
		ret = vmtrace_rep_pmu_feed(s, v);
		if (!ret)
			vmtrace_replay_feed_set(s, v, &f, &buf);
		mutex_unlock(&vcpu->mutex);
	}
	mutex_unlock(&s->lock);
	kvfree(buf);
	return ret;
}

static long vmtrace_replay_status(struct vmtrace_session *s, void __user *uarg)
{
	struct vmtrace_replay_status st;
	struct kvm_vcpu *vcpu;
	struct vmtrace_vcpu *v;
	int ret;

	if (copy_from_user(&st, uarg, sizeof(st)))
		return -EFAULT;
	if (st.size != sizeof(st) || st.flags)
		return -EINVAL;
	mutex_lock(&s->lock);
	vcpu = s->kvm ? vmtrace_replay_vcpu(s, st.vcpu, &v) : NULL;
	ret = !vcpu ? -ENOENT : mutex_lock_killable(&vcpu->mutex);
	if (!ret) {
		st = v->rep->status;
		st.size = sizeof(st);
		st.vcpu = v->idx;
		st.ordinal = v->rep->ordinal;
		st.consumed = v->rep->consumed;
		st.pending = vmtrace_rep_pausing(v) ? VMTRACE_PENDING_POINT : 0;
		st.branches = vmtrace_rep_pmu_count(v);
		mutex_unlock(&vcpu->mutex);
	}
	mutex_unlock(&s->lock);
	if (!ret && copy_to_user(uarg, &st, sizeof(st)))
		return -EFAULT;
	return ret;
}

/**
 * vmtrace_replay_ioctl() - the replay ioctls of a session fd
 * @s: the session.
 * @cmd: the ioctl.
 * @arg: its argument.
 *
 * Context: process context, the ioctl caller.
 * Return: the ioctl's result; -ENOTTY if @cmd is not a replay ioctl,
 * -EINVAL if the session does not replay.
 */
long vmtrace_replay_ioctl(struct vmtrace_session *s, unsigned int cmd,
			  unsigned long arg)
{
	if (cmd != VMTRACE_REPLAY_FEED && cmd != VMTRACE_REPLAY_STATUS)
		return -ENOTTY;
	if (!s->rep)
		return -EINVAL;
	if (cmd == VMTRACE_REPLAY_FEED)
		return vmtrace_replay_feed(s, (void __user *)arg);
	return vmtrace_replay_status(s, (void __user *)arg);
}
