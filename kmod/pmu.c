// SPDX-License-Identifier: GPL-2.0
/*
 * The counter of precise mode (PMU mode, VMTRACE_MODE_PMU): a perf event
 * counting the guest's retired conditional branches on one vCPU thread,
 * and its overflow interrupt, programmed to come a skid before a target.
 *
 * The event is a pinned, guest-only (exclude_host) PERF_TYPE_RAW task
 * event: Intel loads it through KVM's VM-entry/exit MSR switch, AMD sets
 * its Guest-only bit, so it counts between VM entry and VM exit only and
 * the value read while KVM handles an exit is the value at the next
 * entry. The overflow is an NMI; in guest mode it forces a VM exit.
 *
 * Anything that makes the counter unusable (no PMU, a CPU not in the
 * table, a hybrid CPU, AMD Zen with SpecLockMap on, perf refusing the
 * event) is reported once per attempt with pr_info and -ENODEV or
 * -EOPNOTSUPP: the caller records in exit-ordinal mode instead.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/err.h>
#include <linux/perf_event.h>
#include <linux/string.h>
#include <asm/msr.h>
#include <asm/processor.h>

#include "compat/perf.h"
#include "pmu.h"
#include "pmu_table.h"

/* LS_CFG bit that disables SpecLockMap (rr's scripts/zen_workaround.py). */
#define VMTRACE_ZEN_SPECLOCKMAP_OFF	BIT_ULL(54)

/* The host CPU's row, NULL if it is not in the table. */
static const struct vmtrace_pmu_model *vmtrace_pmu_host_model(void)
{
	enum vmtrace_pmu_vendor vendor;

	switch (boot_cpu_data.x86_vendor) {
	case X86_VENDOR_INTEL:
		vendor = VMTRACE_PMU_VENDOR_INTEL;
		break;
	case X86_VENDOR_AMD:
		vendor = VMTRACE_PMU_VENDOR_AMD;
		break;
	default:
		vendor = VMTRACE_PMU_VENDOR_NONE;
		break;
	}
	return vmtrace_pmu_lookup(vendor, boot_cpu_data.x86,
				  boot_cpu_data.x86_model);
}

/* Is SpecLockMap disabled on every online CPU? */
static bool vmtrace_pmu_speclockmap_off(void)
{
	unsigned int cpu;
	bool off = true;
	u64 val;

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		if (rdmsrl_safe_on_cpu(cpu, MSR_AMD64_LS_CFG, &val) ||
		    !(val & VMTRACE_ZEN_SPECLOCKMAP_OFF)) {
			off = false;
			break;
		}
	}
	cpus_read_unlock();
	return off;
}

/* Say in @why (VMTRACE_PMU_WHY_LEN bytes, or NULL) why PMU mode is unavailable. */
static __printf(2, 3) void vmtrace_pmu_why(char *why, const char *fmt, ...)
{
	va_list ap;

	if (!why)
		return;
	va_start(ap, fmt);
	vsnprintf(why, VMTRACE_PMU_WHY_LEN, fmt, ap);
	va_end(ap);
}

/* Can this row's event serve precise mode on this host? */
static int vmtrace_pmu_check_model(const struct vmtrace_pmu_model *m,
				   char *why)
{
	if (m->flags & VMTRACE_PMU_UNSUPPORTED) {
		vmtrace_pmu_why(why,
				"%s has no usable retired conditional branch event",
				m->name);
		return -EOPNOTSUPP;
	}
	if ((m->flags & VMTRACE_PMU_UMASK2) && !vmtrace_perf_has_umask2()) {
		vmtrace_pmu_why(why,
				"%s needs umask2, which this kernel's perf drops",
				m->name);
		return -EOPNOTSUPP;
	}
	if ((m->flags & VMTRACE_PMU_ZEN_SPECLOCKMAP) &&
	    !vmtrace_pmu_speclockmap_off()) {
		vmtrace_pmu_why(why,
				"%s counts branches exactly only with SpecLockMap disabled (MSR 0xc0011020 bit 54 on every CPU)",
				m->name);
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * Can this host count guest branches exactly? *@model: the host CPU's row.
 *
 * Why not, in @why if not NULL: a hybrid CPU (a PERF_TYPE_RAW event counts
 * on P-cores only), no PMU (perf has software events only, as in the
 * QEMU/TCG test VM), a CPU not in the table, a row flagged unusable, or
 * AMD Zen with SpecLockMap enabled on some CPU.
 *
 * Context: process context, may sleep (reads an MSR on every CPU).
 * Return: 0; -ENODEV (no PMU, unknown CPU) or -EOPNOTSUPP (not usable).
 */
static int vmtrace_pmu_check(const struct vmtrace_pmu_model **model, char *why)
{
	struct x86_pmu_capability cap;
	const struct vmtrace_pmu_model *m;
	int ret;

	/* Checked first: the capability query WARNs on hybrid CPUs. */
	if (boot_cpu_has(X86_FEATURE_HYBRID_CPU)) {
		vmtrace_pmu_why(why,
				"hybrid CPU, the counter would miss the branches run on E-cores");
		return -EOPNOTSUPP;
	}
	perf_get_x86_pmu_capability(&cap);
	if (cap.num_counters_gp <= 0) {
		vmtrace_pmu_why(why,
				"no PMU (perf has software events only)");
		return -ENODEV;
	}
	m = vmtrace_pmu_host_model();
	if (!m) {
		vmtrace_pmu_why(why,
				"CPU vendor %u family %#x model %#x unknown",
				boot_cpu_data.x86_vendor, boot_cpu_data.x86,
				boot_cpu_data.x86_model);
		return -ENODEV;
	}
	ret = vmtrace_pmu_check_model(m, why);
	if (ret)
		return ret;
	*model = m;
	return 0;
}

/**
 * vmtrace_pmu_probe() - can this host count guest branches exactly?
 * @model: set to the host CPU's row of the table on success.
 *
 * Says why not with pr_info (see vmtrace_pmu_explain()).
 *
 * Context: process context, may sleep (reads an MSR on every CPU).
 * Return: 0; -ENODEV (no PMU, unknown CPU) or -EOPNOTSUPP (not usable).
 */
int vmtrace_pmu_probe(const struct vmtrace_pmu_model **model)
{
	char why[VMTRACE_PMU_WHY_LEN] = "";
	int ret = vmtrace_pmu_check(model, why);

	if (ret)
		pr_info("PMU mode unavailable: %s\n", why);
	return ret;
}

/**
 * vmtrace_pmu_explain() - vmtrace_pmu_probe(), quietly, with its reason
 * @why: out, VMTRACE_PMU_WHY_LEN bytes: why PMU mode is unavailable, or
 *	the host CPU's row if it is available.
 *
 * Context: process context, may sleep.
 * Return: 0 if PMU mode is available; as vmtrace_pmu_probe() if not.
 */
int vmtrace_pmu_explain(char *why)
{
	const struct vmtrace_pmu_model *model;
	int ret = vmtrace_pmu_check(&model, why);

	if (!ret)
		snprintf(why, VMTRACE_PMU_WHY_LEN, "%s, skid %u branches",
			 model->name, model->skid);
	return ret;
}

/* NMI context: only note that the period ran out. */
static void vmtrace_pmu_overflow(struct perf_event *event,
				 struct perf_sample_data *data,
				 struct pt_regs *regs)
{
	struct vmtrace_pmu *p = event->overflow_handler_context;

	WRITE_ONCE(p->fired, true);
}

/**
 * vmtrace_pmu_create() - start counting a vCPU thread's guest branches
 * @p: the counter, overwritten; the overflow handler finds it by address,
 *	so it must stay in place until vmtrace_pmu_destroy().
 * @vcpu_task: the vCPU's thread; perf holds a reference while counting.
 *
 * The event counts from now on, guest user and kernel mode alike, with
 * an overflow period of VMTRACE_PMU_PERIOD_MAX until vmtrace_pmu_arm().
 *
 * Context: process context, may sleep.
 * Return: 0; -ENODEV if the host has no PMU or an unknown CPU (perf has
 * no raw PMU either); -EOPNOTSUPP if the CPU or the kernel cannot count
 * exactly or perf refused the event. A pr_info says which.
 */
int vmtrace_pmu_create(struct vmtrace_pmu *p, struct task_struct *vcpu_task)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_RAW,
		.size = sizeof(attr),
		.pinned = 1,
		.exclude_host = 1,
		.sample_period = VMTRACE_PMU_PERIOD_MAX,
	};
	const struct vmtrace_pmu_model *m;
	struct perf_event *event;
	int ret;

	memset(p, 0, sizeof(*p));
	ret = vmtrace_pmu_probe(&m);
	if (ret)
		return ret;
	attr.config = m->config;
	event = perf_event_create_kernel_counter(&attr, -1, vcpu_task,
						 vmtrace_pmu_overflow, p);
	if (IS_ERR(event)) {
		ret = PTR_ERR(event);
		pr_info("PMU mode unavailable: perf refused the %s counter %#llx: %d\n",
			m->name, m->config, ret);
		return ret == -ENOENT ? -ENODEV : -EOPNOTSUPP;
	}
	p->event = event;
	p->model = m;
	return 0;
}

/**
 * vmtrace_pmu_destroy() - stop counting and free the event
 * @p: the counter; nothing happens if it was not created.
 *
 * Context: process context, may sleep.
 */
void vmtrace_pmu_destroy(struct vmtrace_pmu *p)
{
	if (!p->event)
		return;
	perf_event_release_kernel(p->event);
	p->event = NULL;
}

/**
 * vmtrace_pmu_read() - guest branches retired since vmtrace_pmu_create()
 * @p: the counter.
 *
 * Exact while the vCPU thread is outside guest mode, e.g. in the exit
 * handler. Marks the counter lost if the event ever stopped counting.
 *
 * Context: process context, may sleep (perf_event_read_value() takes a
 * mutex and may IPI the CPU the thread runs on).
 * Return: the count.
 */
u64 vmtrace_pmu_read(struct vmtrace_pmu *p)
{
	u64 enabled, running, count;

	count = perf_event_read_value(p->event, &enabled, &running);
	if (running != enabled)
		p->lost = true;
	return count;
}

/**
 * vmtrace_pmu_lost() - have counts been lost?
 * @p: the counter, created.
 *
 * True once a read found the event not running for part of the time it
 * was enabled, or if perf put it in error state (a pinned event that got
 * no hardware counter) or the thread exited: precise mode cannot go on.
 *
 * Context: any.
 * Return: true if the counts can no longer be trusted.
 */
bool vmtrace_pmu_lost(struct vmtrace_pmu *p)
{
	return p->lost || READ_ONCE(p->event->state) < PERF_EVENT_STATE_OFF;
}

/**
 * vmtrace_pmu_arm() - have the guest stopped just before a branch count
 * @p: the counter.
 * @target: the count the guest must not reach.
 *
 * Programs the overflow skid + 1 branches before @target (see
 * vmtrace_pmu_period()): the guest then exits with a count below @target
 * and the caller single-steps the rest. An overflow that comes earlier
 * (the period was capped) only sets the flag: the caller compares the
 * count with @target and arms again.
 *
 * Context: process context, vCPU thread outside guest mode, may sleep.
 * Return: 0 if armed; 1 if @target is within the skid, nothing armed: step
 * from here; -ERANGE if the count already passed @target; or
 * perf_event_period()'s error (-EINVAL: period refused).
 */
int vmtrace_pmu_arm(struct vmtrace_pmu *p, u64 target)
{
	u64 now = vmtrace_pmu_read(p);
	u64 period;
	int ret;

	if (now > target)
		return -ERANGE;
	period = vmtrace_pmu_period(p->model, now, target);
	if (!period)
		return 1;
	ret = perf_event_period(p->event, period);
	if (ret)
		return ret;
	WRITE_ONCE(p->fired, false);
	return 0;
}

/**
 * vmtrace_pmu_disarm() - count on without stopping the guest
 * @p: the counter.
 *
 * Context: process context, may sleep.
 * Return: 0 or perf_event_period()'s error.
 */
int vmtrace_pmu_disarm(struct vmtrace_pmu *p)
{
	int ret = perf_event_period(p->event, VMTRACE_PMU_PERIOD_MAX);

	WRITE_ONCE(p->fired, false);
	return ret;
}

/**
 * vmtrace_pmu_fired() - did the overflow come since it was last asked?
 * @p: the counter.
 *
 * Clears the flag. Meant for the vCPU thread after an exit: the overflow
 * is what caused the exit, or came during it.
 *
 * Context: any; the vCPU thread, outside guest mode.
 * Return: true if the overflow handler ran.
 */
bool vmtrace_pmu_fired(struct vmtrace_pmu *p)
{
	return xchg(&p->fired, false);
}
