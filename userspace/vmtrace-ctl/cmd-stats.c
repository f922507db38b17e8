// SPDX-License-Identifier: GPL-2.0
/*
 * vmtrace-ctl stats FILE [--json]: what a trace holds: records per type,
 * chunks, bytes before and after compression, vCPUs, mode.
 */
#include <getopt.h>
#include <stdio.h>

#include "../lib/trace.h"
#include "../lib/vmtrace.h"
#include "ctl.h"

void cmd_stats_usage(FILE *out)
{
	fprintf(out, "usage: vmtrace-ctl stats FILE [--json]\n\n"
		"Count what a trace holds. An incomplete or corrupt trace is\n"
		"counted up to the fault, with a warning, and exits %d.\n",
		VMTRACE_E_CORRUPT);
}

static void stats_json(const struct vmtrace_walk *w, int complete)
{
	int t;

	printf("{\"records\": {");
	for (t = 1; t < VMTRACE_REC_NR; t++)
		printf("%s\"%s\": %llu", t > 1 ? ", " : "", vmtrace_rec_name(t),
		       (unsigned long long)w->records[t]);
	printf("}, \"total_records\": %llu, \"chunks\": %llu, \"bytes\": %llu, "
	       "\"bytes_uncompressed\": %llu, \"ratio\": %.3f, \"vcpus\": %u, "
	       "\"last_ordinal\": %llu, \"waits\": %llu, \"mode\": \"%s\", \"complete\": %s, "
	       "\"checkpoint_chunks\": %llu, \"duration_ns\": %llu}\n",
	       (unsigned long long)w->nr_records, (unsigned long long)w->chunks,
	       (unsigned long long)w->bytes, (unsigned long long)w->bytes_raw,
	       w->bytes ? (double)w->bytes_raw / w->bytes : 0.0,
	       w->vcpus, (unsigned long long)w->last_ordinal,
	       (unsigned long long)w->waits, w->mode, complete ? "true" : "false",
	       (unsigned long long)w->ckpt_chunks, (unsigned long long)w->duration_ns);
}

static void stats_text(const struct vmtrace_walk *w)
{
	int t;

	for (t = 1; t < VMTRACE_REC_NR; t++)
		printf("%-12s %llu\n", vmtrace_rec_name(t),
		       (unsigned long long)w->records[t]);
	printf("%-12s %llu\n%-12s %llu\n%-12s %llu\n%-12s %llu\n", "records",
	       (unsigned long long)w->nr_records, "chunks",
	       (unsigned long long)w->chunks, "bytes", (unsigned long long)w->bytes,
	       "bytes_raw", (unsigned long long)w->bytes_raw);
	if (w->bytes)
		printf("%-12s %.2f\n", "ratio", (double)w->bytes_raw / w->bytes);
	printf("%-12s %u\n%-12s %llu\n%-12s %s\n", "vcpus", w->vcpus,
	       "ordinals", (unsigned long long)w->last_ordinal, "mode", w->mode);
	printf("%-12s %llu\n", "checkpoint", (unsigned long long)w->ckpt_chunks);
	if (w->duration_ns)
		printf("%-12s %.3f s\n", "duration", w->duration_ns / 1e9);
}

int cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct vmtrace_walk w;
	int c, ret, json = 0;

	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		if (c == 'j') {
			json = 1;
		} else {
			cmd_stats_usage(c == 'h' ? stdout : stderr);
			return c == 'h' ? 0 : VMTRACE_E_USAGE;
		}
	}
	if (optind != argc - 1)
		return ctl_fail(VMTRACE_E_USAGE, "stats needs one FILE");
	ret = ctl_walk(argv[optind], NULL, NULL, &w);
	if (ret)
		fprintf(stderr, "vmtrace-ctl: %s%s: %s\n", w.sys_errno ? "" : "warning: ",
			argv[optind], w.error);
	if (w.sys_errno)
		return VMTRACE_E_OTHER;
	if (json)
		stats_json(&w, !ret);
	else
		stats_text(&w);
	return ctl_walk_status(ret, &w);
}
