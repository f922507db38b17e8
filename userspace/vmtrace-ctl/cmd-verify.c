// SPDX-License-Identifier: GPL-2.0
/*
 * vmtrace-ctl verify FILE: check every byte of a trace that can be checked
 * (libvmtrace's trace walk); name the place of the first fault.
 */
#include <getopt.h>
#include <stdio.h>

#include "../lib/trace.h"
#include "../lib/vmtrace.h"
#include "ctl.h"

void cmd_verify_usage(FILE *out)
{
	fprintf(out, "usage: vmtrace-ctl verify FILE\n\n"
		"Check a trace file: header, sections, every chunk's CRC32C, sizes\n"
		"and order, every record, each vCPU's END chunk and the totals.\n"
		"Exit 0 if it is whole and sound, %d if it is corrupt or incomplete\n"
		"(the message says where).\n", VMTRACE_E_CORRUPT);
}

int cmd_verify(int argc, char **argv)
{
	struct vmtrace_walk w;
	int ret;

	if (ctl_no_options(argc, argv, cmd_verify_usage))
		return VMTRACE_E_USAGE;
	if (optind != argc - 1)
		return ctl_fail(VMTRACE_E_USAGE, "verify needs one FILE");
	ret = ctl_walk(argv[optind], NULL, NULL, &w);
	if (ret) {
		fprintf(stderr, "vmtrace-ctl: %s: %s\n", argv[optind], w.error);
		return ctl_walk_status(ret, &w);
	}
	printf("%s: ok, %llu chunks, %llu records, %u vCPU%s, mode %s\n",
	       argv[optind], (unsigned long long)w.chunks,
	       (unsigned long long)w.nr_records, w.vcpus, w.vcpus == 1 ? "" : "s",
	       w.mode[0] ? w.mode : "unknown");
	return 0;
}
