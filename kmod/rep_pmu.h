/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replay in PMU mode: interrupts and NMIs placed by the guest's branch
 * count, as rr places signals (rep_pmu.c).
 */
#ifndef _VMTRACE_REP_PMU_H
#define _VMTRACE_REP_PMU_H

#include <linux/types.h>

#include "pmu.h"

struct vmtrace_session;
struct vmtrace_vcpu;
struct vmtrace_rec_event;
struct task_struct;
struct kvm_vcpu;

/**
 * struct vmtrace_rep_pmu - the branch counter of a replayed vCPU
 * @pmu: the counter, created at the vCPU's first feed.
 * @task: the thread it counts (compared with current only).
 * @count: guest branches at the last exit or feed: while the vCPU is out
 *	of guest mode, the count now.
 * @armed: the overflow is programmed for the event due.
 * @elsewhere: another thread than @task ran the vCPU: counts are missing.
 */
struct vmtrace_rep_pmu {
	struct vmtrace_pmu pmu;
	struct task_struct *task;
	u64 count;
	bool armed;
	bool elsewhere;
};

/**
 * enum vmtrace_rep_place - where a replayed vCPU is, next to an event's point
 * @VMTRACE_REP_AT: at the point: count, RIP and registers are the recorded.
 * @VMTRACE_REP_BEFORE: not there yet; the VMM is to find it.
 * @VMTRACE_REP_WITHIN: with VMTRACE_FEED_BRANCHES, within the counter's
 *	skid of it: the VMM is to go on with a breakpoint.
 * @VMTRACE_REP_RUN: with VMTRACE_FEED_BRANCHES, the overflow is armed:
 *	run on.
 * @VMTRACE_REP_PAST: the count passed the recorded one: a divergence.
 * @VMTRACE_REP_FAILED: the counter lost counts or refused the period:
 *	replay cannot place the event (a divergence too).
 */
enum vmtrace_rep_place {
	VMTRACE_REP_AT,
	VMTRACE_REP_BEFORE,
	VMTRACE_REP_WITHIN,
	VMTRACE_REP_RUN,
	VMTRACE_REP_PAST,
	VMTRACE_REP_FAILED,
};

int vmtrace_rep_pmu_feed(struct vmtrace_session *s, struct vmtrace_vcpu *v);
void vmtrace_rep_pmu_exit(struct vmtrace_session *s, struct vmtrace_vcpu *v);
u64 vmtrace_rep_pmu_count(struct vmtrace_vcpu *v);
enum vmtrace_rep_place vmtrace_rep_pmu_place(struct vmtrace_session *s,
					     struct vmtrace_vcpu *v,
					     const struct vmtrace_rec_event *e);
int vmtrace_rep_pmu_run(struct vmtrace_session *s, struct vmtrace_vcpu *v,
			int (*run)(struct kvm_vcpu *vcpu));
void vmtrace_rep_pmu_free(struct vmtrace_vcpu *v);

#endif /* _VMTRACE_REP_PMU_H */
