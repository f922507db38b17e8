/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Precise mode's counter: the guest's retired conditional branches, per
 * vCPU thread.
 */
#ifndef _VMTRACE_PMU_H
#define _VMTRACE_PMU_H

#include <linux/types.h>

/* Bytes of vmtrace_pmu_explain()'s reason. */
#define VMTRACE_PMU_WHY_LEN	160

struct perf_event;
struct task_struct;
struct vmtrace_pmu_model;

/**
 * struct vmtrace_pmu - the branch counter of one vCPU thread
 * @event: the perf event, counting only while the thread is in guest mode.
 * @model: the host CPU's row of the table: event, skid, flags.
 * @fired: set by the overflow handler (NMI); cleared by vmtrace_pmu_arm(),
 *	vmtrace_pmu_disarm() and vmtrace_pmu_fired().
 * @lost: a read found the event not counting all the time it was enabled
 *	(no counter for it): counts are no longer exact.
 */
struct vmtrace_pmu {
	struct perf_event *event;
	const struct vmtrace_pmu_model *model;
	bool fired;
	bool lost;
};

int vmtrace_pmu_probe(const struct vmtrace_pmu_model **model);
int vmtrace_pmu_explain(char *why);
int vmtrace_pmu_create(struct vmtrace_pmu *p, struct task_struct *vcpu_task);
void vmtrace_pmu_destroy(struct vmtrace_pmu *p);
u64 vmtrace_pmu_read(struct vmtrace_pmu *p);
bool vmtrace_pmu_lost(struct vmtrace_pmu *p);
int vmtrace_pmu_arm(struct vmtrace_pmu *p, u64 target);
int vmtrace_pmu_disarm(struct vmtrace_pmu *p);
bool vmtrace_pmu_fired(struct vmtrace_pmu *p);

#endif /* _VMTRACE_PMU_H */
