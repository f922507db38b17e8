// SPDX-License-Identifier: GPL-2.0
/*
 * Handing a session to a new vmtraced (for start and record): the daemon
 * inherits the session fd and says "ready" on a pipe once it owns the
 * session (and, when recording, has created the trace file), or why not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/vmtrace.h"
#include "ctl.h"

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

static void exec_daemon(int session_fd, int ready_fd, pid_t pid,
			const struct ctl_daemon_opts *o)
{
	char path[PATH_MAX], sfd[16], rfd[16], vm[16];
	const char *args[16];
	int n = 0;

	daemon_path(path, sizeof(path));
	snprintf(sfd, sizeof(sfd), "%d", session_fd);
	snprintf(rfd, sizeof(rfd), "%d", ready_fd);
	snprintf(vm, sizeof(vm), "%d", (int)pid);
	fcntl(session_fd, F_SETFD, 0);	/* inherited across exec */
	fcntl(ready_fd, F_SETFD, 0);
	setsid();
	args[n++] = "vmtraced";
	args[n++] = "--vm";
	args[n++] = vm;
	args[n++] = "--session-fd";
	args[n++] = sfd;
	args[n++] = "--ready-fd";
	args[n++] = rfd;
	if (o->log) {
		args[n++] = "--log";
		args[n++] = o->log;
	}
	if (o->output) {
		args[n++] = "--output";
		args[n++] = o->output;
	}
	if (o->force)
		args[n++] = "--force";
	if (o->resume)
		args[n++] = "--resume";
	args[n] = NULL;
	execvp(path, (char *const *)args);
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

/**
 * ctl_start_daemon() - hand a session to a new vmtraced
 * @session_fd: the session; the caller closes its copy afterwards.
 * @pid: the VMM.
 * @o: the daemon's options.
 * @daemon: out: the daemon's pid.
 *
 * Return: 0 once the daemon owns the session, else an exit status.
 */
int ctl_start_daemon(int session_fd, pid_t pid, const struct ctl_daemon_opts *o,
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
		exec_daemon(session_fd, pipefd[1], pid, o);
	}
	close(pipefd[1]);
	ret = wait_ready(pipefd[0], *daemon);
	close(pipefd[0]);
	return ret;
}

/**
 * ctl_output_path() - where a trace goes, checked before attaching
 * @arg: the -o argument.
 * @force: an existing file may be replaced.
 * @buf: out: the absolute path (the daemon runs in /).
 * @len: size of @buf.
 *
 * Return: 0, or an exit status with the reason printed.
 */
int ctl_output_path(const char *arg, bool force, char *buf, size_t len)
{
	char dir[PATH_MAX], copy[PATH_MAX];

	snprintf(copy, sizeof(copy), "%s", arg);
	if (!realpath(dirname(copy), dir))
		return ctl_fail(VMTRACE_E_USAGE, "%s", arg);
	snprintf(copy, sizeof(copy), "%s", arg);
	if ((size_t)snprintf(buf, len, "%s/%s", dir, basename(copy)) >= len)
		return ctl_fail(VMTRACE_E_USAGE, "path too long: %s", arg);
	if (access(dir, W_OK))
		return ctl_fail(VMTRACE_E_PERM, "cannot write in %s", dir);
	if (!force && !access(buf, F_OK)) {
		errno = EEXIST;
		return ctl_fail(VMTRACE_E_USAGE, "%s (use --force to replace it)", buf);
	}
	return 0;
}
