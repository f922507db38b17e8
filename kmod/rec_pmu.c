// SPDX-License-Identifier: GPL-2.0
/*
 * The recorder's branch counter in PMU mode (VMTRACE_MODE_PMU): one
 * guest-only counter (pmu.c) per vCPU, on the thread that runs it.
 *
 * A vCPU that has run gets its counter at attach, on the thread KVM last
 * saw in KVM_RUN; one that has not ("vmtrace-ctl record" starts the VMM
 * under the recorder) gets it at its first KVM_RUN, on that thread. If
 * the VMM later runs the vCPU from another thread, the counter moves
 * there at that KVM_RUN's start, the count going on from where it was
 * (the old thread cannot be in guest mode: the new one holds the vCPU).
 * Counts are recorded from the checkpoint on.
 *
 * Where a counter cannot be had, or one lost counts (perf took its
 * hardware counter away), the recording goes on in exit-ordinal mode
 * from that exit: the events recorded so far keep their exact counts, the
 * later ones are placed by exit ordinal, and a pr_info says why. Nothing
 * is recorded with a count that may be wrong.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_host.h>
#include <linux/sched/task.h>

#include "pmu.h"
#include "rec_pmu.h"
#include "record.h"
#include "session.h"

/* The rest of the recording is in exit-ordinal mode. */
static void vmtrace_rec_pmu_off(struct vmtrace_session *s,
				struct vmtrace_vcpu *v, const char *why)
{
	if (READ_ONCE(s->rec->mode) != VMTRACE_MODE_PMU)
		return;
	pr_info("session %llu: vCPU %u %s; exit-ordinal mode from exit %llu on\n",
		s->id, v->idx, why, v->rec->ordinal);
	WRITE_ONCE(s->rec->mode, VMTRACE_MODE_EXIT_ORDINAL);
}

/* Count on @task; the count so far (from the checkpoint) goes on. */
static int vmtrace_rec_pmu_move(struct vmtrace_vcpu_rec *vr,
				struct task_struct *task)
{
	u64 count = 0;
	int ret;

	if (vr->pmu.event) {
		count = vmtrace_pmu_read(&vr->pmu) - vr->branches_base;
		vmtrace_rec_pmu_free(vr);
	}
	ret = vmtrace_pmu_create(&vr->pmu, task);
	if (ret)
		return ret;
	get_task_struct(task);
	vr->pmu_task = task;
	vr->branches_base = -count;	/* read() - base: count + new events */
	return 0;
}

/**
 * vmtrace_rec_pmu_attach() - PMU mode: a counter for a vCPU being attached
 * @s: a recording session in PMU mode.
 * @v: the vCPU, not yet visible to the hooks.
 *
 * On the thread KVM last saw run the vCPU; none if it has not run yet:
 * its first KVM_RUN creates it (vmtrace_rec_pmu_run()).
 *
 * Context: process context, @s->lock held; may sleep.
 * Return: 0, or the counter's error (the caller records in exit-ordinal
 * mode then).
 */
int vmtrace_rec_pmu_attach(struct vmtrace_session *s, struct vmtrace_vcpu *v)
{
	struct task_struct *task = NULL;
	struct pid *pid;
	int ret;

	rcu_read_lock();
	pid = rcu_dereference(v->vcpu->pid);
	if (pid)
		task = get_pid_task(pid, PIDTYPE_PID);
	rcu_read_unlock();
	if (!task)
		return 0;
	ret = vmtrace_rec_pmu_move(v->rec, task);
	put_task_struct(task);
	return ret;
}

/**
 * vmtrace_rec_pmu_run() - PMU mode: count on the thread entering KVM_RUN
 * @s: a recording session.
 * @v: a recorded vCPU.
 *
 * Creates the counter at the vCPU's first KVM_RUN, or moves it to the
 * calling thread if another one ran the vCPU before.
 *
 * Context: the KVM_RUN hook, vcpu->mutex held; may sleep.
 */
void vmtrace_rec_pmu_run(struct vmtrace_session *s, struct vmtrace_vcpu *v)
{
	if (READ_ONCE(s->rec->mode) != VMTRACE_MODE_PMU ||
	    v->rec->pmu_task == current)
		return;
	if (vmtrace_rec_pmu_move(v->rec, current))
		vmtrace_rec_pmu_off(s, v, "has no branch counter on its thread");
}

/**
 * vmtrace_rec_branches_start() - PMU mode: branches count from the checkpoint
 * @s: a recording session.
 * @v: a vCPU whose checkpoint was just taken, out of guest mode.
 *
 * Replay starts its counter at 0 in the checkpoint's state: so do the
 * recorded counts.
 *
 * Context: the KVM_RUN hook: process context, may sleep.
 */
void vmtrace_rec_branches_start(struct vmtrace_session *s, struct vmtrace_vcpu *v)
{
	struct vmtrace_vcpu_rec *vr = v->rec;

	if (READ_ONCE(s->rec->mode) != VMTRACE_MODE_PMU || !vr->pmu.event)
		return;
	vr->branches_base = vmtrace_pmu_read(&vr->pmu);
	vr->branches = 0;
}

/**
 * vmtrace_rec_pmu_exit() - PMU mode: the count at this exit
 * @s: a recording session.
 * @v: a recorded vCPU, out of guest mode.
 *
 * The count the next entry's event is recorded with. A counter that lost
 * counts ends PMU mode before any event gets a count from it.
 *
 * Context: the exit hook: preemptible, vCPU loaded.
 */
void vmtrace_rec_pmu_exit(struct vmtrace_session *s, struct vmtrace_vcpu *v)
{
	struct vmtrace_vcpu_rec *vr = v->rec;

	if (READ_ONCE(s->rec->mode) != VMTRACE_MODE_PMU || !vr->pmu.event)
		return;
	vr->branches = vmtrace_pmu_read(&vr->pmu) - vr->branches_base;
	if (vmtrace_pmu_lost(&vr->pmu))
		vmtrace_rec_pmu_off(s, v, "lost branch counts (perf took the counter)");
}

/**
 * vmtrace_rec_pmu_free() - release a vCPU's counter
 * @vr: the vCPU's recording state.
 *
 * Context: process context, may sleep.
 */
void vmtrace_rec_pmu_free(struct vmtrace_vcpu_rec *vr)
{
	vmtrace_pmu_destroy(&vr->pmu);
	if (vr->pmu_task)
		put_task_struct(vr->pmu_task);
	vr->pmu_task = NULL;
}
