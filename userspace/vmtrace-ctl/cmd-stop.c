// SPDX-License-Identifier: GPL-2.0
/*
 * vmtrace-ctl stop --vm PID: ask the daemon owning the VM's session to
 * detach, and wait until it has.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../lib/vmtrace.h"
#include "ctl.h"

/*
 * A recording daemon saves its file first, and gives up after 60 s of
 * waiting for the module's last chunks; wait longer than that.
 */
#define STOP_TIMEOUT_MS	90000

void cmd_stop_usage(FILE *out)
{
	fprintf(out, "usage: vmtrace-ctl stop --vm PID\n\n"
		"Detach vmtrace from the VM of the VMM with pid PID: its vmtraced\n"
		"closes the session and exits. The VM keeps running. When the VM was\n"
		"being recorded, the daemon ends the recording and finishes the trace\n"
		"first, and stop prints its path (exit %d if it stayed incomplete).\n",
		VMTRACE_E_CORRUPT);
}

/* After the daemon is gone: was its trace finished? */
static int report_trace(const char *output)
{
	char part[PATH_MAX + 16];

	snprintf(part, sizeof(part), "%s.incomplete", output);
	if (!access(part, F_OK) || access(output, F_OK)) {
		fprintf(stderr, "vmtrace-ctl: the trace was not finished: %s stays "
			"(see vmtraced's log)\n", part);
		return VMTRACE_E_CORRUPT;
	}
	printf("vmtrace: trace %s\n", output);
	return 0;
}

/* Is a session for the VM of @pid listed in debugfs? */
static bool session_listed(pid_t pid)
{
	struct vmtrace_status *list = NULL;
	int i, n = vmtrace_status_list(vmtrace_debugfs_dir(), &list);
	bool found = false;

	for (i = 0; i < n; i++) {
		const char *v = vmtrace_status_get(&list[i], "vmm_pid");

		found |= v && atoi(v) == pid;
	}
	free(list);
	return found;
}

/* SIGTERM @daemon and wait for it to exit. */
static int stop_daemon(pid_t daemon)
{
	int pidfd = syscall(SYS_pidfd_open, daemon, 0);
	struct pollfd p;
	int ret;

	if (pidfd < 0)
		return errno == ESRCH ? 1 : -1;
	if (kill(daemon, SIGTERM)) {
		close(pidfd);
		return -1;
	}
	p = (struct pollfd){ .fd = pidfd, .events = POLLIN };
	ret = poll(&p, 1, STOP_TIMEOUT_MS);
	close(pidfd);
	return ret == 1 ? 0 : -1;
}

/* Stop the daemon of the VM of @pid; report its trace if it recorded. */
static int stop_vm(pid_t pid)
{
	char output[PATH_MAX] = "";
	pid_t daemon = vmtrace_pidfile_read(pid);
	int ret;

	if (daemon > 0)
		vmtrace_tracenote_read(pid, output, sizeof(output));
	ret = daemon > 0 ? stop_daemon(daemon) : 1;
	if (ret < 0)
		return ctl_fail(VMTRACE_E_OTHER, "vmtraced (pid %d) did not stop", (int)daemon);
	if (ret > 0 && !session_listed(pid))
		return ctl_fail(VMTRACE_E_NOTATTACHED, "VM of pid %d", (int)pid);
	if (session_listed(pid)) {
		errno = 0;
		return ctl_fail(VMTRACE_E_OTHER,
				"the VM of pid %d is still attached, by a process other than vmtraced",
				(int)pid);
	}
	printf("vmtrace: detached from the VM of pid %d\n", (int)pid);
	return output[0] ? report_trace(output) : 0;
}

int cmd_stop(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "vm", required_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	pid_t pid = 0;
	int c;

	while ((c = getopt_long(argc, argv, "v:h", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			if (ctl_parse_pid(optarg, &pid))
				return ctl_fail(VMTRACE_E_USAGE, "bad pid '%s'", optarg);
			break;
		case 'h':
			cmd_stop_usage(stdout);
			return 0;
		default:
			cmd_stop_usage(stderr);
			return VMTRACE_E_USAGE;
		}
	}
	if (!pid || optind != argc)
		return ctl_fail(VMTRACE_E_USAGE, "stop needs --vm PID and nothing else");
	if (access(vmtrace_dev_path(), F_OK))
		return ctl_fail(VMTRACE_E_NOMODULE, "stop");
	return stop_vm(pid);
}
