// SPDX-License-Identifier: GPL-2.0
/*
 * The host CPUs whose PMU can count a guest's retired conditional
 * branches: the raw event, the skid and the quirks of each.
 *
 * Every figure comes from rr (rr-debugger/rr): the events, skids and
 * quirks from src/PerfCounters.cc (pmu_configs[], check_for_zen_
 * speclockmap()), the Intel models from src/PerfCounters_x86.h
 * (compute_cpu_microarch()). rr names Intel parts by product; so do we.
 * AMD rows use the kernel's Zen generation ranges (arch/x86/kernel/cpu/
 * amd.c, 6.12): they cover every model rr lists, and all Zen rows carry
 * the same figures anyway. Documentation/pmu.rst has the whole story.
 *
 * Pure C, no kernel-only headers: tests/pmu/ builds this file as is.
 */
#include <linux/types.h>
#include <linux/stddef.h>

#include "pmu_table.h"

/* BR_INST_RETIRED.CONDITIONAL, Nehalem to Comet Lake. */
#define VMTRACE_PMU_EV_CORE	0x5101c4ULL
/* BR_INST_RETIRED.COND, Ice Lake on. */
#define VMTRACE_PMU_EV_ICL	0x5111c4ULL
/* The same with umask2 bit 0 (bit 40), Lunar Lake and Arrow Lake. */
#define VMTRACE_PMU_EV_LNL	0x100005111c4ULL
/* BR_INST_RETIRED.JCC, Atom cores: Silvermont to Gracemont. */
#define VMTRACE_PMU_EV_ATOM	0x517ec4ULL
/* RETIRED_CONDITIONAL_BRANCH_INSTRUCTIONS, AMD Zen 1 to 5. */
#define VMTRACE_PMU_EV_ZEN	0x5100d1ULL
/* Retired taken branches, AMD family 15h (rr subtracts far branches). */
#define VMTRACE_PMU_EV_AMD15	0xc4ULL

/* rr's AMD skids, in branches; Intel rows say 100 or 125 (Alder Lake on). */
#define VMTRACE_PMU_SKID_AMD15	250
#define VMTRACE_PMU_SKID_ZEN	10000

#define VMTRACE_PMU_ZEN_FLAGS \
	(VMTRACE_PMU_SKID_UNBOUNDED | VMTRACE_PMU_ZEN_SPECLOCKMAP)
#define VMTRACE_PMU_NEW_HYBRID \
	(VMTRACE_PMU_HYBRID | VMTRACE_PMU_UMASK2)
#define VMTRACE_PMU_NONE	(VMTRACE_PMU_UNSUPPORTED)
#define VMTRACE_PMU_AMD15_FLAGS \
	(VMTRACE_PMU_UNSUPPORTED | VMTRACE_PMU_TAKEN_BRANCHES)

/* Intel family 6 models, usually one per row. */
#define VMTRACE_PMU_INTEL(_name, _first, _last, _config, _skid, _flags)	\
	{ .name = _name, .vendor = VMTRACE_PMU_VENDOR_INTEL,		\
	  .family = 6, .model_first = _first, .model_last = _last,	\
	  .config = _config, .skid = _skid, .flags = _flags }

/* A range of models of one AMD family. */
#define VMTRACE_PMU_AMD(_name, _family, _first, _last, _config, _skid,	\
			_flags)						\
	{ .name = _name, .vendor = VMTRACE_PMU_VENDOR_AMD,		\
	  .family = _family, .model_first = _first, .model_last = _last,\
	  .config = _config, .skid = _skid, .flags = _flags }

#define VMTRACE_PMU_ZEN(_name, _family, _first, _last)			\
	VMTRACE_PMU_AMD(_name, _family, _first, _last, VMTRACE_PMU_EV_ZEN,\
			VMTRACE_PMU_SKID_ZEN, VMTRACE_PMU_ZEN_FLAGS)

/*
 * The table, ended by an empty row. Intel hybrid parts: the figures are
 * those of the P-cores, which PERF_TYPE_RAW events count on.
 */
static const struct vmtrace_pmu_model vmtrace_pmu_models[] = {
	VMTRACE_PMU_INTEL("Intel Merom", 0x0f, 0x0f,
			  0, 100, VMTRACE_PMU_NONE),
	VMTRACE_PMU_INTEL("Intel Merom", 0x16, 0x16,
			  0, 100, VMTRACE_PMU_NONE),
	VMTRACE_PMU_INTEL("Intel Penryn", 0x17, 0x17,
			  0, 100, VMTRACE_PMU_NONE),
	VMTRACE_PMU_INTEL("Intel Penryn", 0x1d, 0x1d,
			  0, 100, VMTRACE_PMU_NONE),
	VMTRACE_PMU_INTEL("Intel Nehalem", 0x1a, 0x1a,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Nehalem", 0x1e, 0x1e,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Nehalem", 0x2e, 0x2e,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Westmere", 0x25, 0x25,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Westmere", 0x2c, 0x2c,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Westmere", 0x2f, 0x2f,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Sandy Bridge", 0x2a, 0x2a,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Sandy Bridge", 0x2d, 0x2d,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Sandy Bridge", 0x3e, 0x3e,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Ivy Bridge", 0x3a, 0x3a,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Haswell", 0x3c, 0x3c,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Haswell", 0x3f, 0x3f,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Haswell", 0x45, 0x45,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Haswell", 0x46, 0x46,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Broadwell", 0x3d, 0x3d,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Broadwell", 0x47, 0x47,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Broadwell", 0x4f, 0x4f,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Broadwell", 0x56, 0x56,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Skylake", 0x4e, 0x4e,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Skylake", 0x55, 0x55,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Skylake", 0x5e, 0x5e,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Kaby Lake", 0x8e, 0x8e,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Kaby Lake", 0x9e, 0x9e,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Comet Lake", 0xa5, 0xa5,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Comet Lake", 0xa6, 0xa6,
			  VMTRACE_PMU_EV_CORE, 100, 0),
	VMTRACE_PMU_INTEL("Intel Ice Lake", 0x6a, 0x6a,
			  VMTRACE_PMU_EV_ICL, 100, 0),
	VMTRACE_PMU_INTEL("Intel Ice Lake", 0x7e, 0x7e,
			  VMTRACE_PMU_EV_ICL, 100, 0),
	VMTRACE_PMU_INTEL("Intel Ice Lake", 0x86, 0x86,
			  VMTRACE_PMU_EV_ICL, 100, 0),
	VMTRACE_PMU_INTEL("Intel Tiger Lake", 0x8c, 0x8c,
			  VMTRACE_PMU_EV_ICL, 100, 0),
	VMTRACE_PMU_INTEL("Intel Tiger Lake", 0x8d, 0x8d,
			  VMTRACE_PMU_EV_ICL, 100, 0),
	VMTRACE_PMU_INTEL("Intel Rocket Lake", 0xa7, 0xa7,
			  VMTRACE_PMU_EV_ICL, 100, 0),
	VMTRACE_PMU_INTEL("Intel Alder Lake", 0x97, 0x97,
			  VMTRACE_PMU_EV_ICL, 125, VMTRACE_PMU_HYBRID),
	VMTRACE_PMU_INTEL("Intel Alder Lake", 0x9a, 0x9a,
			  VMTRACE_PMU_EV_ICL, 125, VMTRACE_PMU_HYBRID),
	VMTRACE_PMU_INTEL("Intel Raptor Lake", 0xb7, 0xb7,
			  VMTRACE_PMU_EV_ICL, 125, VMTRACE_PMU_HYBRID),
	VMTRACE_PMU_INTEL("Intel Raptor Lake", 0xba, 0xba,
			  VMTRACE_PMU_EV_ICL, 125, VMTRACE_PMU_HYBRID),
	VMTRACE_PMU_INTEL("Intel Raptor Lake", 0xbf, 0xbf,
			  VMTRACE_PMU_EV_ICL, 125, VMTRACE_PMU_HYBRID),
	VMTRACE_PMU_INTEL("Intel Sapphire Rapids", 0x8f, 0x8f,
			  VMTRACE_PMU_EV_ICL, 125, 0),
	VMTRACE_PMU_INTEL("Intel Emerald Rapids", 0xcf, 0xcf,
			  VMTRACE_PMU_EV_ICL, 125, 0),
	VMTRACE_PMU_INTEL("Intel Granite Rapids", 0xad, 0xad,
			  VMTRACE_PMU_EV_ICL, 125, 0),
	VMTRACE_PMU_INTEL("Intel Meteor Lake", 0xaa, 0xaa,
			  VMTRACE_PMU_EV_ICL, 125, VMTRACE_PMU_HYBRID),
	VMTRACE_PMU_INTEL("Intel Lunar Lake", 0xbd, 0xbd,
			  VMTRACE_PMU_EV_LNL, 125, VMTRACE_PMU_NEW_HYBRID),
	VMTRACE_PMU_INTEL("Intel Arrow Lake", 0xb5, 0xb5,
			  VMTRACE_PMU_EV_LNL, 125, VMTRACE_PMU_NEW_HYBRID),
	VMTRACE_PMU_INTEL("Intel Arrow Lake", 0xc5, 0xc5,
			  VMTRACE_PMU_EV_LNL, 125, VMTRACE_PMU_NEW_HYBRID),
	VMTRACE_PMU_INTEL("Intel Arrow Lake", 0xc6, 0xc6,
			  VMTRACE_PMU_EV_LNL, 125, VMTRACE_PMU_NEW_HYBRID),
	VMTRACE_PMU_INTEL("Intel Silvermont", 0x37, 0x37,
			  VMTRACE_PMU_EV_ATOM, 100, 0),
	VMTRACE_PMU_INTEL("Intel Silvermont", 0x4c, 0x4c,
			  VMTRACE_PMU_EV_ATOM, 100, 0),
	VMTRACE_PMU_INTEL("Intel Silvermont", 0x57, 0x57,
			  VMTRACE_PMU_EV_ATOM, 100, 0),
	VMTRACE_PMU_INTEL("Intel Goldmont", 0x5c, 0x5c,
			  VMTRACE_PMU_EV_ATOM, 100, 0),
	VMTRACE_PMU_INTEL("Intel Goldmont", 0x5f, 0x5f,
			  VMTRACE_PMU_EV_ATOM, 100, 0),
	VMTRACE_PMU_INTEL("Intel Goldmont", 0x7a, 0x7a,
			  VMTRACE_PMU_EV_ATOM, 100, 0),
	VMTRACE_PMU_INTEL("Intel Tremont", 0x9c, 0x9c,
			  VMTRACE_PMU_EV_ATOM, 100, 0),
	VMTRACE_PMU_INTEL("Intel Gracemont", 0xbe, 0xbe,
			  VMTRACE_PMU_EV_ATOM, 100, 0),
	VMTRACE_PMU_AMD("AMD Family 12h", 0x12, 0x01, 0x01,
			VMTRACE_PMU_EV_AMD15, VMTRACE_PMU_SKID_AMD15,
			VMTRACE_PMU_AMD15_FLAGS),
	VMTRACE_PMU_AMD("AMD Family 15h", 0x15, 0x00, 0xff,
			VMTRACE_PMU_EV_AMD15, VMTRACE_PMU_SKID_AMD15,
			VMTRACE_PMU_AMD15_FLAGS),
	VMTRACE_PMU_ZEN("AMD Zen", 0x17, 0x00, 0x2f),
	VMTRACE_PMU_ZEN("AMD Zen 2", 0x17, 0x30, 0x4f),
	VMTRACE_PMU_ZEN("AMD Zen", 0x17, 0x50, 0x5f),
	VMTRACE_PMU_ZEN("AMD Zen 2", 0x17, 0x60, 0x7f),
	VMTRACE_PMU_ZEN("AMD Zen 2", 0x17, 0x90, 0x91),
	VMTRACE_PMU_ZEN("AMD Zen 2", 0x17, 0xa0, 0xaf),
	VMTRACE_PMU_ZEN("AMD Zen 3", 0x19, 0x00, 0x0f),
	VMTRACE_PMU_ZEN("AMD Zen 4", 0x19, 0x10, 0x1f),
	VMTRACE_PMU_ZEN("AMD Zen 3", 0x19, 0x20, 0x5f),
	VMTRACE_PMU_ZEN("AMD Zen 4", 0x19, 0x60, 0xaf),
	VMTRACE_PMU_ZEN("AMD Zen 5", 0x1a, 0x00, 0x2f),
	VMTRACE_PMU_ZEN("AMD Zen 5", 0x1a, 0x40, 0x4f),
	VMTRACE_PMU_ZEN("AMD Zen 5", 0x1a, 0x60, 0x7f),
	{ }
};

/**
 * vmtrace_pmu_cpuid_family() - display family from CPUID leaf 1 EAX
 * @eax: EAX of CPUID leaf 1.
 *
 * Family field, plus the extended family when the family field is 0xf
 * (Intel SDM vol. 2A "CPUID", AMD APM vol. 3 "CPUID Fn0000_0001_EAX").
 *
 * Context: any.
 * Return: the display family.
 */
unsigned int vmtrace_pmu_cpuid_family(u32 eax)
{
	unsigned int family = (eax >> 8) & 0xf;

	if (family == 0xf)
		family += (eax >> 20) & 0xff;
	return family;
}

/**
 * vmtrace_pmu_cpuid_model() - display model from CPUID leaf 1 EAX
 * @eax: EAX of CPUID leaf 1.
 *
 * Model field, with the extended model as its high nibble when the family
 * field is 6 or 0xf (SDM); AMD defines it for family field 0xf only, and
 * its older family 6 parts have an extended model of zero.
 *
 * Context: any.
 * Return: the display model.
 */
unsigned int vmtrace_pmu_cpuid_model(u32 eax)
{
	unsigned int family = (eax >> 8) & 0xf;
	unsigned int model = (eax >> 4) & 0xf;

	if (family == 6 || family == 0xf)
		model |= ((eax >> 16) & 0xf) << 4;
	return model;
}

/**
 * vmtrace_pmu_table() - the whole table, for tests and dumps
 *
 * Context: any.
 * Return: its first row; the rows end with one whose @name is NULL.
 */
const struct vmtrace_pmu_model *vmtrace_pmu_table(void)
{
	return vmtrace_pmu_models;
}

/**
 * vmtrace_pmu_lookup() - the table's row for a CPU
 * @vendor: the CPU's vendor.
 * @family: its display family.
 * @model: its display model.
 *
 * Rows flagged VMTRACE_PMU_UNSUPPORTED are returned too: the caller says
 * why it will not use them.
 *
 * Context: any.
 * Return: the row, or NULL if the CPU is unknown.
 */
const struct vmtrace_pmu_model *
vmtrace_pmu_lookup(enum vmtrace_pmu_vendor vendor, unsigned int family,
		   unsigned int model)
{
	const struct vmtrace_pmu_model *m;

	if (vendor == VMTRACE_PMU_VENDOR_NONE)
		return NULL;
	for (m = vmtrace_pmu_models; m->name; m++) {
		if (m->vendor == vendor && m->family == family &&
		    model >= m->model_first && model <= m->model_last)
			return m;
	}
	return NULL;
}

/**
 * vmtrace_pmu_period() - the sample period that stops short of a target
 * @m: the CPU's row.
 * @now: the counter's value.
 * @target: the count to reach, the guest stopped before it.
 *
 * The overflow is asked for @m->skid + 1 branches before @target: it may
 * come up to @m->skid branches late, and the one more leaves the guest at
 * a count below @target, before any instruction that runs at count
 * @target (rr adds its minimum period to the skid the same way). The
 * period is at least VMTRACE_PMU_PERIOD_MIN, which perf programs as asked
 * on every CPU, and capped at VMTRACE_PMU_PERIOD_MAX; an overflow then
 * comes early and is re-armed.
 *
 * Context: any.
 * Return: the period, or 0 if @target is no more than @m->skid + 1 +
 * VMTRACE_PMU_PERIOD_MIN branches ahead of @now (or behind it): then
 * nothing is armed and the caller goes to @target with breakpoints.
 */
u64 vmtrace_pmu_period(const struct vmtrace_pmu_model *m, u64 now,
		       u64 target)
{
	u64 left;

	if (target <= now)
		return 0;
	left = target - now;
	if (left <= (u64)m->skid + 1 + VMTRACE_PMU_PERIOD_MIN)
		return 0;
	left -= (u64)m->skid + 1;
	return left < VMTRACE_PMU_PERIOD_MAX ? left : VMTRACE_PMU_PERIOD_MAX;
}

/**
 * vmtrace_pmu_where() - how far a replayed guest is from an event's point
 * @m: the CPU's row.
 * @now: the guest's branch count, out of guest mode.
 * @target: the event's count.
 * @regs: RIP, RCX, RFLAGS and the registers are the event's.
 *
 * Context: any.
 * Return: an enum vmtrace_pmu_where.
 */
enum vmtrace_pmu_where vmtrace_pmu_where(const struct vmtrace_pmu_model *m,
					 u64 now, u64 target, bool regs)
{
	if (now > target)
		return VMTRACE_PMU_PAST;
	if (now == target && regs)
		return VMTRACE_PMU_AT;
	return vmtrace_pmu_period(m, now, target) ? VMTRACE_PMU_FAR :
						    VMTRACE_PMU_NEAR;
}
