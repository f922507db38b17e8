// SPDX-License-Identifier: GPL-2.0
/*
 * vmtrace-ctl start --vm PID: attach to the VM of a running VMM here, so
 * that every error is reported at once, then hand the session fd to a new
 * vmtraced, which owns it from then on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/vmtrace.h"
#include "ctl.h"

void cmd_start_usage(FILE *out)
{
	fprintf(out, "usage: vmtrace-ctl start --vm PID [--log FILE]\n\n"
		"Attach vmtrace to the KVM VM of the VMM with pid PID and start\n"
		"vmtraced, the daemon that owns the session until 'stop' or\n"
		"until the VM ends.\n"
		"  --vm PID     the VMM (e.g. qemu-system-x86_64)\n"
		"  --log FILE   where vmtraced logs (default: nowhere)\n");
}

/* vmtraced next to this binary, else from PATH. */
static void daemon_path(char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		snprintf(buf, len, "%s/vmtraced", dirname(self));
		if (!access(buf, X_OK))
			return;
	}
	snprintf(buf, len, "vmtraced");
}

static void exec_daemon(int session_fd, int ready_fd, pid_t pid, const char *log)
{
	char path[PATH_MAX], sfd[16], rfd[16], vm[16];

	daemon_path(path, sizeof(path));
	snprintf(sfd, sizeof(sfd), "%d", session_fd);
	snprintf(rfd, sizeof(rfd), "%d", ready_fd);
	snprintf(vm, sizeof(vm), "%d", (int)pid);
	fcntl(session_fd, F_SETFD, 0);	/* inherited across exec */
	fcntl(ready_fd, F_SETFD, 0);
	setsid();
	execlp(path, "vmtraced", "--vm", vm, "--session-fd", sfd,
	       "--ready-fd", rfd, log ? "--log" : NULL, log, (char *)NULL);
	fprintf(stderr, "vmtrace-ctl: cannot run %s: %s\n", path, strerror(errno));
	_exit(127);
}

/* Wait for the daemon's "ready" line; anything else is its error. */
static int wait_ready(int fd, pid_t child)
{
	char msg[256] = "";
	ssize_t n = read(fd, msg, sizeof(msg) - 1);

	if (n > 0)
		msg[n] = '\0';
	if (!strncmp(msg, "ready", 5))
		return 0;
	waitpid(child, NULL, WNOHANG);
	fprintf(stderr, "vmtrace-ctl: vmtraced did not start%s%s",
		n > 0 ? ": " : "\n", n > 0 ? msg : "");
	return VMTRACE_E_OTHER;
}

static int start_daemon(int session_fd, pid_t pid, const char *log,
			pid_t *daemon)
{
	int pipefd[2], ret;

	if (pipe2(pipefd, O_CLOEXEC))
		return ctl_fail(VMTRACE_E_OTHER, "pipe");
	*daemon = fork();
	if (*daemon < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return ctl_fail(VMTRACE_E_OTHER, "fork");
	}
	if (*daemon == 0) {
		close(pipefd[0]);
		exec_daemon(session_fd, pipefd[1], pid, log);
	}
	close(pipefd[1]);
	ret = wait_ready(pipefd[0], *daemon);
	close(pipefd[0]);
	return ret;
}

int cmd_start(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "vm", required_argument, NULL, 'v' },
		{ "log", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct vmtrace_attach a;
	const char *log = NULL;
	int c, err, session_fd;
	pid_t pid = 0, daemon = 0;

	while ((c = getopt_long(argc, argv, "v:l:h", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			if (ctl_parse_pid(optarg, &pid))
				return ctl_fail(VMTRACE_E_USAGE, "bad pid '%s'", optarg);
			break;
		case 'l':
			log = optarg;
			break;
		case 'h':
			cmd_start_usage(stdout);
			return 0;
		default:
			cmd_start_usage(stderr);
			return VMTRACE_E_USAGE;
		}
	}
	if (!pid || optind != argc)
		return ctl_fail(VMTRACE_E_USAGE, "start needs --vm PID and nothing else");
	err = vmtrace_attach_pid(pid, &a, &session_fd);
	if (err)
		return ctl_fail(err, "cannot attach to the VM of pid %d", (int)pid);
	err = start_daemon(session_fd, pid, log, &daemon);
	close(session_fd);	/* the daemon holds it now, or it detaches */
	if (err)
		return err;
	printf("vmtrace: attached to the VM of pid %d (session %llu, %u vCPU%s), vmtraced pid %d\n",
	       (int)pid, (unsigned long long)a.session_id, a.nr_vcpus,
	       a.nr_vcpus == 1 ? "" : "s", (int)daemon);
	return 0;
}
