/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which host CPUs can count guest retired conditional branches, with
 * which raw perf event, and how late the counter's interrupt may come.
 *
 * Pure C on purpose: this header and pmu_table.c use nothing but
 * <linux/types.h> and <linux/stddef.h>, so that tests/pmu/ builds them
 * unchanged in user space against a two-file shim.
 */
#ifndef _VMTRACE_PMU_TABLE_H
#define _VMTRACE_PMU_TABLE_H

#include <linux/types.h>

/**
 * enum vmtrace_pmu_vendor - CPU vendors the table knows
 * @VMTRACE_PMU_VENDOR_NONE: any other vendor; never matches.
 * @VMTRACE_PMU_VENDOR_INTEL: GenuineIntel.
 * @VMTRACE_PMU_VENDOR_AMD: AuthenticAMD (not Hygon: rr does not know it).
 */
enum vmtrace_pmu_vendor {
	VMTRACE_PMU_VENDOR_NONE,
	VMTRACE_PMU_VENDOR_INTEL,
	VMTRACE_PMU_VENDOR_AMD,
};

/* The counter cannot serve precise mode: fall back to exit ordinals. */
#define VMTRACE_PMU_UNSUPPORTED		0x01U
/* The event counts taken branches, not conditional ones (rr: AMD 15h). */
#define VMTRACE_PMU_TAKEN_BRANCHES	0x02U
/* The skid is usually below @skid but rarely exceeds it (rr: AMD Zen). */
#define VMTRACE_PMU_SKID_UNBOUNDED	0x04U
/* Counts are exact only with SpecLockMap disabled (rr: AMD Zen). */
#define VMTRACE_PMU_ZEN_SPECLOCKMAP	0x08U
/* P-cores and E-cores: a PERF_TYPE_RAW event counts on P-cores only. */
#define VMTRACE_PMU_HYBRID		0x10U
/* @config uses umask2 (bits 40-47), which perf in Linux 6.1 drops. */
#define VMTRACE_PMU_UMASK2		0x20U

/*
 * Largest sample period vmtrace programs: far below perf's limit (bit 63
 * is refused); the x86 driver clamps further (2^47 or so), so an overflow
 * may come before the period ends and says only "look at the count".
 */
#define VMTRACE_PMU_PERIOD_MAX		0x4000000000000000ULL	/* 2^62 */
/*
 * Smallest period vmtrace programs. perf raises a period below 2 to 2
 * (x86_perf_event_set_period()), and refuses one below 32 on Nehalem and
 * Haswell (x86_pmu_check_period() with nhm/hsw_limit_period()); 128 is
 * above every such limit. A target closer than skid + 1 + this is reached
 * with breakpoints instead.
 */
#define VMTRACE_PMU_PERIOD_MIN		128

/**
 * struct vmtrace_pmu_model - one row of the table
 * @name: the microarchitecture, for messages.
 * @vendor: the vendor.
 * @family: display family (CPUID.1:EAX, extended family included).
 * @model_first: first display model of the row.
 * @model_last: last display model of the row, inclusive.
 * @config: PERF_TYPE_RAW config of retired conditional branches.
 * @skid: branches that may retire after the overflow before the guest
 *	stops: the interrupt is programmed this many branches early.
 * @flags: VMTRACE_PMU_*.
 *
 * The figures are rr's (rr-debugger/rr, src/PerfCounters.cc
 * pmu_configs[] and src/PerfCounters_x86.h compute_cpu_microarch()).
 */
struct vmtrace_pmu_model {
	const char *name;
	enum vmtrace_pmu_vendor vendor;
	u16 family;
	u8 model_first;
	u8 model_last;
	u64 config;
	u32 skid;
	u32 flags;
};

/**
 * enum vmtrace_pmu_where - a replayed guest's count next to an event's
 * @VMTRACE_PMU_AT: the count and the registers are the event's.
 * @VMTRACE_PMU_NEAR: within the skid (or at the count, registers not yet
 *	the event's): stop the guest with a breakpoint from here.
 * @VMTRACE_PMU_FAR: further: arm the overflow (vmtrace_pmu_period()).
 * @VMTRACE_PMU_PAST: the count went past the event's: a divergence.
 */
enum vmtrace_pmu_where {
	VMTRACE_PMU_AT,
	VMTRACE_PMU_NEAR,
	VMTRACE_PMU_FAR,
	VMTRACE_PMU_PAST,
};

unsigned int vmtrace_pmu_cpuid_family(u32 eax);
unsigned int vmtrace_pmu_cpuid_model(u32 eax);
const struct vmtrace_pmu_model *vmtrace_pmu_table(void);
const struct vmtrace_pmu_model *
vmtrace_pmu_lookup(enum vmtrace_pmu_vendor vendor, unsigned int family,
		   unsigned int model);
u64 vmtrace_pmu_period(const struct vmtrace_pmu_model *m, u64 now,
		       u64 target);
enum vmtrace_pmu_where vmtrace_pmu_where(const struct vmtrace_pmu_model *m,
					 u64 now, u64 target, bool regs);

#endif /* _VMTRACE_PMU_TABLE_H */
