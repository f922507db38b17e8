// SPDX-License-Identifier: GPL-2.0
/*
 * vmtrace-ctl status [--vm PID] [--json]: the attached sessions, as the
 * module reports them in debugfs.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/vmtrace.h"
#include "ctl.h"

void cmd_status_usage(FILE *out)
{
	fprintf(out, "usage: vmtrace-ctl status [--vm PID] [--json]\n\n"
		"Show every attached session, or the one of the VM of VMM PID.\n"
		"  --vm PID   only the session of this VMM (exit 8 if none)\n"
		"  --json     a JSON array of objects, numbers as numbers\n");
}

static bool status_matches(const struct vmtrace_status *st, pid_t pid)
{
	const char *v = vmtrace_status_get(st, "vmm_pid");

	return !pid || (v && atoi(v) == pid);
}

static void status_print_all(const struct vmtrace_status *list, int n,
			     pid_t pid, bool json)
{
	int i, shown = 0;

	if (json)
		putchar('[');
	for (i = 0; i < n; i++) {
		if (!status_matches(&list[i], pid))
			continue;
		if (json) {
			fputs(shown ? ",\n " : "", stdout);
			vmtrace_status_print_json(stdout, &list[i]);
		} else {
			fputs(shown ? "\n" : "", stdout);
			vmtrace_status_print(stdout, &list[i]);
		}
		shown++;
	}
	if (json)
		puts("]");
	else if (!shown && !pid)
		puts("no sessions");
}

static int count_matches(const struct vmtrace_status *list, int n, pid_t pid)
{
	int i, c = 0;

	for (i = 0; i < n; i++)
		c += status_matches(&list[i], pid);
	return c;
}

int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "vm", required_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct vmtrace_status *list = NULL;
	bool json = false;
	pid_t pid = 0;
	int c, n;

	while ((c = getopt_long(argc, argv, "v:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			if (ctl_parse_pid(optarg, &pid))
				return ctl_fail(VMTRACE_E_USAGE, "bad pid '%s'", optarg);
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			cmd_status_usage(stdout);
			return 0;
		default:
			cmd_status_usage(stderr);
			return VMTRACE_E_USAGE;
		}
	}
	if (optind != argc)
		return ctl_fail(VMTRACE_E_USAGE, "unexpected argument '%s'", argv[optind]);
	if (access(vmtrace_dev_path(), F_OK))
		return ctl_fail(VMTRACE_E_NOMODULE, "status");
	n = vmtrace_status_list(vmtrace_debugfs_dir(), &list);
	if (n < 0)
		return ctl_fail(VMTRACE_E_OTHER, "cannot read %s (is debugfs mounted?)",
				vmtrace_debugfs_dir());
	if (pid && !count_matches(list, n, pid)) {
		free(list);
		return ctl_fail(VMTRACE_E_NOTATTACHED, "VM of pid %d", (int)pid);
	}
	status_print_all(list, n, pid, json);
	free(list);
	return 0;
}
