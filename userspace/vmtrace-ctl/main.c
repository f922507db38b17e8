// SPDX-License-Identifier: GPL-2.0
/*
 * vmtrace-ctl: control vmtrace sessions. One file per subcommand; this
 * one dispatches and holds what they share.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/vmtrace.h"
#include "ctl.h"

static void usage(FILE *out);

static const struct vmtrace_cmd commands[] = {
	{ "start",  "attach to a running VM and start its daemon",
	  cmd_start, cmd_start_usage },
	{ "stop",   "detach from a VM and stop its daemon",
	  cmd_stop, cmd_stop_usage },
	{ "status", "show attached sessions",
	  cmd_status, cmd_status_usage },
	{ "record", "run a VMM and record its VM into a trace file",
	  cmd_record, cmd_record_usage },
	{ "dump",   "print the records of a trace",
	  cmd_dump, cmd_dump_usage },
	{ "verify", "check a trace file",
	  cmd_verify, cmd_verify_usage },
	{ "stats",  "count what a trace holds",
	  cmd_stats, cmd_stats_usage },
	{ "replay", "replay a trace in a new VM, checking every event",
	  cmd_replay, cmd_replay_usage },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/* Print "vmtrace-ctl: <message>: <reason>" and return @err. */
int ctl_fail(int err, const char *fmt, ...)
{
	va_list ap;

	fputs("vmtrace-ctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (err == VMTRACE_E_OTHER && errno)
		fprintf(stderr, ": %s\n", strerror(errno));
	else if (err != VMTRACE_E_USAGE)
		fprintf(stderr, ": %s\n", vmtrace_strerror(err));
	else
		fputc('\n', stderr);
	return err;
}

/*
 * For commands with no options but --help: parse them. Returns non-zero
 * (usage printed) if the command must not go on.
 */
int ctl_no_options(int argc, char **argv, void (*usage)(FILE *out))
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			exit(0);
		}
	optind = 1;
	if (argc > 1 && argv[1][0] == '-' && argv[1][1]) {
		usage(stderr);
		return -1;
	}
	return 0;
}

int ctl_parse_pid(const char *arg, pid_t *pid)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *end || end == arg || v <= 0 || v > 0x7fffffff)
		return -1;
	*pid = (pid_t)v;
	return 0;
}

static const struct vmtrace_cmd *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: vmtrace-ctl [--help | --version] COMMAND [ARGS]\n\n"
		"commands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "  %-8s %s\n\n", "help", "help on a command: help COMMAND");
	fprintf(out, "exit status: 0 ok, 1 error, 2 usage, 3 module not loaded,\n"
		"  4 no such pid, 5 not a KVM VMM, 6 already attached,\n"
		"  7 not permitted, 8 not attached, 9 module API mismatch,\n"
		"  10 corrupt or incomplete trace, 11 replay diverged,\n"
		"  12 trace cannot be replayed\n");
}

static int help(int argc, char **argv)
{
	const struct vmtrace_cmd *cmd = argc > 1 ? find_command(argv[1]) : NULL;

	if (argc > 1 && !cmd)
		return ctl_fail(VMTRACE_E_USAGE, "unknown command '%s'", argv[1]);
	if (cmd)
		cmd->usage(stdout);
	else
		usage(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const struct vmtrace_cmd *cmd;

	if (argc < 2) {
		usage(stderr);
		return VMTRACE_E_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return help(1, argv);
	if (!strcmp(argv[1], "--version")) {
		printf("vmtrace-ctl %s (vmtrace API %d)\n", VMTRACE_CTL_VERSION,
		       VMTRACE_API_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help"))
		return help(argc - 1, argv + 1);
	cmd = find_command(argv[1]);
	if (!cmd) {
		usage(stderr);
		return ctl_fail(VMTRACE_E_USAGE, "unknown command '%s'", argv[1]);
	}
	return cmd->run(argc - 1, argv + 1);
}
