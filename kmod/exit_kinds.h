/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Vendor-neutral kinds of VM exit, as counted per vCPU and shown in
 * debugfs. A new kind needs a name in vendor.c (checked at build time).
 */
#ifndef _VMTRACE_EXIT_KINDS_H
#define _VMTRACE_EXIT_KINDS_H

enum vmtrace_exit_kind {
	VMTRACE_EXIT_IO,
	VMTRACE_EXIT_TDP_FAULT,		/* NPF / EPT violation or misconfig */
	VMTRACE_EXIT_MSR,
	VMTRACE_EXIT_CPUID,
	VMTRACE_EXIT_HLT,
	VMTRACE_EXIT_INTR,
	VMTRACE_EXIT_NMI,
	VMTRACE_EXIT_EXCEPTION,
	VMTRACE_EXIT_RDTSC,
	VMTRACE_EXIT_RDTSCP,
	VMTRACE_EXIT_RDPMC,
	VMTRACE_EXIT_IRQ_WINDOW,
	VMTRACE_EXIT_OTHER,
	VMTRACE_EXIT_NR
};

const char *vmtrace_exit_kind_name(enum vmtrace_exit_kind kind);

#endif /* _VMTRACE_EXIT_KINDS_H */
