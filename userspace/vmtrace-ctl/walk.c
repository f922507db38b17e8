// SPDX-License-Identifier: GPL-2.0
/*
 * Walking a trace for dump, verify and stats: libvmtrace's walk, plus
 * what only the file's name says. A FILE.incomplete was never finished
 * (its writer had not renamed it), even if it holds an END section; and
 * when FILE is missing but FILE.incomplete exists, say so.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../lib/trace.h"
#include "../lib/vmtrace.h"
#include "ctl.h"

#define INCOMPLETE	".incomplete"

static bool incomplete_name(const char *path)
{
	size_t n = strlen(path), k = strlen(INCOMPLETE);

	return n > k && !strcmp(path + n - k, INCOMPLETE);
}

/* FILE is missing, FILE.incomplete is there. */
static bool only_incomplete(const char *path)
{
	char part[PATH_MAX + 16];

	snprintf(part, sizeof(part), "%s%s", path, INCOMPLETE);
	return access(path, F_OK) && !access(part, F_OK);
}

/**
 * ctl_walk() - vmtrace_trace_walk() with what the name tells
 * @path: the trace.
 * @ops: callbacks, or NULL.
 * @ctx: their argument.
 * @w: out: what was found; w->error says why for a non-zero return.
 *
 * Return: 0 if the trace is whole, sound and finished; 1 if it is sound
 * but incomplete; -1 at a fault.
 */
int ctl_walk(const char *path, const struct vmtrace_walk_ops *ops, void *ctx,
	     struct vmtrace_walk *w)
{
	int ret;

	if (only_incomplete(path)) {
		memset(w, 0, sizeof(*w));
		snprintf(w->error, sizeof(w->error),
			 "incomplete: only %.200s%s exists (being recorded, or its writer died)",
			 path, INCOMPLETE);
		return 1;
	}
	ret = vmtrace_trace_walk(path, ops, ctx, w);
	if (ret == 0 && incomplete_name(path)) {
		snprintf(w->error, sizeof(w->error),
			 "incomplete: %s files were never finished (not renamed by their writer)",
			 INCOMPLETE);
		w->complete = false;
		return 1;
	}
	return ret;
}

/* The exit status for what ctl_walk() returned. */
int ctl_walk_status(int ret, const struct vmtrace_walk *w)
{
	if (!ret)
		return 0;
	return w->sys_errno ? VMTRACE_E_OTHER : VMTRACE_E_CORRUPT;
}
