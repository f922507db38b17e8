// SPDX-License-Identifier: GPL-2.0
/*
 * Replay in PMU mode (VMTRACE_ATTACH_PMU). A recording in PMU mode gives
 * each interrupt and NMI the guest's retired conditional branch count at
 * its injection (VMTRACE_RECF_BRANCHES); together with RIP, RCX and the
 * registers that names one point of the guest's execution, whatever exits
 * the host took in between. Replay finds it again as rr finds a signal's:
 *
 *  1. The event is due where the count, RIP and registers are the
 *     recorded ones: most events are, right after an exit.
 *  2. Otherwise KVM_RUN returns for the VMM (VMTRACE_PENDING_POINT). It
 *     feeds VMTRACE_FEED_BRANCHES: the counter's overflow is programmed
 *     the model's skid before the count (vmtrace_pmu_arm()) and the guest
 *     runs at full speed until the overflow's NMI exits it within the
 *     skid; an overflow that comes early (a capped period) arms again.
 *  3. The VMM then stops the guest with a breakpoint on the RIP until the
 *     count and registers match (replay-seek.c), and feeds
 *     VMTRACE_FEED_AT_POINT: the next entry delivers the event.
 *
 * A count past the recorded one at any exit is a divergence. The counter
 * is the recording's (pmu.c): it counts the vCPU thread's guest mode only,
 * so its value is exact whenever the vCPU is out of guest mode.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_host.h>
#include <linux/sched.h>

#include "checkpoint.h"
#include "digest.h"
#include "pmu.h"
#include "pmu_table.h"
#include "replay.h"
#include "rep_pmu.h"
#include "session.h"
#include "vendor.h"

#define VMTRACE_RFLAGS_TF	0x100ULL
#define VMTRACE_RFLAGS_RF	0x10000ULL

/**
 * vmtrace_rep_pmu_feed() - a PMU-mode vCPU is fed: count from here
 * @s: the session.
 * @v: a replayed vCPU.
 *
 * The first feed creates the counter on the calling thread, so the count
 * starts at 0 in the checkpoint's state; later feeds read it and take
 * back an overflow a previous feed armed.
 *
 * Context: the feed ioctl, vcpu->mutex held; may sleep.
 * Return: 0; -EBUSY if another thread than the first feeds the vCPU; the
 * counter's error (-ENODEV, -EOPNOTSUPP) if it cannot be created.
 */
int vmtrace_rep_pmu_feed(struct vmtrace_session *s, struct vmtrace_vcpu *v)
{
	struct vmtrace_rep_pmu *p = &v->rep->pmu;
	int ret;

	if (!s->rep->pmu)
		return 0;
	if (p->task && p->task != current)
		return -EBUSY;
	if (!p->task) {
		ret = vmtrace_pmu_create(&p->pmu, current);
		if (ret)
			return ret;
		p->task = current;
	}
	if (p->armed)
		vmtrace_pmu_disarm(&p->pmu);
	p->armed = false;
	p->count = vmtrace_pmu_read(&p->pmu);
	return 0;
}

/**
 * vmtrace_rep_pmu_exit() - a PMU-mode vCPU left guest mode: read the count
 * @s: the session.
 * @v: a replayed vCPU.
 *
 * Context: the exit hook: preemptible, vCPU loaded.
 */
void vmtrace_rep_pmu_exit(struct vmtrace_session *s, struct vmtrace_vcpu *v)
{
	struct vmtrace_rep_pmu *p = &v->rep->pmu;

	if (!s->rep->pmu || !p->task)
		return;
	if (p->task != current)
		p->elsewhere = true;
	p->count = vmtrace_pmu_read(&p->pmu);
	/*
	 * perf reloads the period after an overflow: take it back, so that
	 * only vmtrace_rep_pmu_place() keeps an overflow armed.
	 */
	if (p->armed && vmtrace_pmu_fired(&p->pmu)) {
		vmtrace_pmu_disarm(&p->pmu);
		p->armed = false;
	}
}

/**
 * vmtrace_rep_pmu_count() - the guest's branch count, for the status
 * @v: a replayed vCPU, out of guest mode.
 *
 * Context: any.
 * Return: the count at the last exit or feed; 0 without a counter.
 */
u64 vmtrace_rep_pmu_count(struct vmtrace_vcpu *v)
{
	return v->rep->pmu.task ? v->rep->pmu.count : 0;
}

/* Are RIP, RCX, RFLAGS and the GPRs those of @e? */
static bool vmtrace_rep_pmu_regs(struct vmtrace_session *s,
				 struct kvm_vcpu *vcpu,
				 const struct vmtrace_rec_event *e)
{
	u64 ign = VMTRACE_RFLAGS_TF | VMTRACE_RFLAGS_RF;

	return s->vendor->rip(vcpu) == e->rip &&
	       vcpu->arch.regs[VCPU_REGS_RCX] == e->rcx &&
	       !((kvm_get_rflags(vcpu) ^ e->rflags) & ~ign) &&
	       vmtrace_regs_digest(s->vendor, vcpu) == e->regs_digest;
}

/* Take back an armed overflow. */
static void vmtrace_rep_pmu_idle(struct vmtrace_rep_pmu *p)
{
	if (p->armed)
		vmtrace_pmu_disarm(&p->pmu);
	p->armed = false;
}

/*
 * VMTRACE_FEED_BRANCHES, the guest further than the skid: have the
 * overflow stop it within the skid. An armed overflow stays until it
 * fires (vmtrace_rep_pmu_exit() takes it back then); one that came early
 * (a capped period) is armed again here.
 */
static enum vmtrace_rep_place vmtrace_rep_pmu_arm(struct vmtrace_rep_pmu *p,
						  u64 target)
{
	int ret;

	if (p->armed)
		return VMTRACE_REP_RUN;
	ret = vmtrace_pmu_arm(&p->pmu, target);
	p->armed = !ret;
	if (!ret)
		return VMTRACE_REP_RUN;
	vmtrace_rep_pmu_idle(p);
	if (ret == 1)
		return VMTRACE_REP_WITHIN;
	return ret == -ERANGE ? VMTRACE_REP_PAST : VMTRACE_REP_FAILED;
}

/**
 * vmtrace_rep_pmu_place() - where is the vCPU, next to event @e's point?
 * @s: the session, in PMU mode.
 * @v: a replayed vCPU, out of guest mode, loaded.
 * @e: the interrupt or NMI due at its ordinal, VMTRACE_RECF_BRANCHES.
 *
 * With VMTRACE_FEED_BRANCHES in the last feed, arms the overflow when the
 * count is further than the skid, and again after an early overflow.
 *
 * Context: the exit hook or the feed ioctl: process context, may sleep.
 * Return: an enum vmtrace_rep_place; VMTRACE_REP_FAILED if the counter
 * lost counts, could not be armed, or another thread than the one it
 * counts ran the vCPU.
 */
enum vmtrace_rep_place vmtrace_rep_pmu_place(struct vmtrace_session *s,
					     struct vmtrace_vcpu *v,
					     const struct vmtrace_rec_event *e)
{
	struct vmtrace_rep_pmu *p = &v->rep->pmu;
	enum vmtrace_pmu_where where;
	bool regs;

	if (!p->task || p->elsewhere || vmtrace_pmu_lost(&p->pmu))
		return VMTRACE_REP_FAILED;
	regs = p->count == e->branches && vmtrace_rep_pmu_regs(s, v->vcpu, e);
	where = vmtrace_pmu_where(p->pmu.model, p->count, e->branches, regs);
	if (where != VMTRACE_PMU_FAR)
		vmtrace_rep_pmu_idle(p);
	if (where == VMTRACE_PMU_AT)
		return VMTRACE_REP_AT;
	if (where == VMTRACE_PMU_PAST)
		return VMTRACE_REP_PAST;
	if (!(v->rep->feed_flags & VMTRACE_FEED_BRANCHES))
		return VMTRACE_REP_BEFORE;
	return where == VMTRACE_PMU_NEAR ? VMTRACE_REP_WITHIN :
					   vmtrace_rep_pmu_arm(p, e->branches);
}

/**
 * vmtrace_rep_pmu_run() - PMU mode: KVM_RUN starts; decide before entry
 * @s: the session.
 * @v: a replayed vCPU.
 * @run: KVM's KVM_RUN, to finish the exit the VMM handled.
 *
 * An event due at the first entry is at its point only once KVM finished
 * the exit the VMM handled (an IN's data in RAX, RIP past an OUT): the
 * recording saw the registers after that. So KVM_RUN finishes it first,
 * told not to enter the guest, and the gate decides with the registers
 * the guest enters with.
 *
 * Context: the KVM_RUN hook, vcpu->mutex held, vCPU not loaded; may sleep.
 * Return: 1 to go on, or what KVM_RUN must return (<= 0).
 */
int vmtrace_rep_pmu_run(struct vmtrace_session *s, struct vmtrace_vcpu *v,
			int (*run)(struct kvm_vcpu *vcpu))
{
	struct kvm_vcpu *vcpu = v->vcpu;
	int ret;

	if (!s->rep->pmu || !vcpu->arch.complete_userspace_io)
		return 1;
	ret = vmtrace_complete_userspace_exit(vcpu, run);
	if (ret <= 0)
		return ret;
	vcpu_load(vcpu);
	vmtrace_rep_gate(s, v);
	vcpu_put(vcpu);
	return 1;
}

/**
 * vmtrace_rep_pmu_free() - release the counter
 * @v: a replayed vCPU: out of KVM_RUN with vcpu->mutex held (detach), or
 *	no hook uses any more. The hooks find no counter after it.
 *
 * Context: process context, may sleep.
 */
void vmtrace_rep_pmu_free(struct vmtrace_vcpu *v)
{
	vmtrace_pmu_destroy(&v->rep->pmu.pmu);
	v->rep->pmu.task = NULL;
}
