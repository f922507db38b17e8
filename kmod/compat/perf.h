/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 perf as it differs between kernels.
 *
 * umask2 (bits 40-47 of a raw config, PerfMon v6: Lunar Lake, Arrow
 * Lake): 6.1's x86_pmu_hw_config() keeps only X86_RAW_EVENT_MASK of a
 * raw config and silently drops it; 6.12 defines
 * ARCH_PERFMON_EVENTSEL_UMASK2 and passes it to PMUs that enumerate it.
 */
#ifndef _VMTRACE_COMPAT_PERF_H
#define _VMTRACE_COMPAT_PERF_H

#include <linux/types.h>
#include <asm/perf_event.h>

static inline bool vmtrace_perf_has_umask2(void)
{
#ifdef ARCH_PERFMON_EVENTSEL_UMASK2
	return true;
#else
	return false;
#endif
}

#endif /* _VMTRACE_COMPAT_PERF_H */
