/* SPDX-License-Identifier: GPL-2.0 */
/*
 * From the ip an ftrace callback receives to the traced function's entry.
 *
 * ftrace passes the address of the __fentry__ call. On kernels built with
 * CONFIG_X86_KERNEL_IBT (Debian 6.12) that call follows an ENDBR64, and an
 * indirect call must land on the ENDBR or an IBT CPU raises #CP; on other
 * kernels (Debian 6.1) the call is the function's first instruction.
 */
#ifndef _VMTRACE_COMPAT_FTRACE_IP_H
#define _VMTRACE_COMPAT_FTRACE_IP_H

#include <asm/cpufeature.h>
#include <asm/ibt.h>

static inline unsigned long vmtrace_ftrace_func_start(unsigned long ip)
{
	if (ENDBR_INSN_SIZE && is_endbr(*(u32 *)(ip - ENDBR_INSN_SIZE)))
		return ip - ENDBR_INSN_SIZE;
	return ip;
}

/*
 * May a module call the function at @start through a pointer? Not on a CPU
 * that enforces IBT if the kernel sealed the function's ENDBR (it does so
 * for every function nothing takes the address of): the call would raise
 * #CP.
 */
static inline bool vmtrace_func_callable(unsigned long start)
{
#ifdef CONFIG_X86_KERNEL_IBT
	if (cpu_feature_enabled(X86_FEATURE_IBT) &&
	    *(u32 *)start == gen_endbr_poison())
		return false;
#endif
	return true;
}

#endif /* _VMTRACE_COMPAT_FTRACE_IP_H */
