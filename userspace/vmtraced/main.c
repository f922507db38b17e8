// SPDX-License-Identifier: GPL-2.0
/*
 * vmtraced: owns a vmtrace session fd for as long as the session should
 * live. It detaches (closes the fd) on SIGTERM/SIGINT, and exits by itself
 * when the module reports the VM gone (POLLHUP on the session fd). With
 * --output it records: it drains the session's chunks into a trace file
 * (record.c) and finishes the file before exiting.
 *
 * Started by "vmtrace-ctl start" with the session fd inherited, or by hand
 * with --vm PID, in which case it attaches itself (--resume: takes over a
 * recording whose daemon died).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../lib/vmtrace.h"
#include "vmtraced.h"

/* How often a recording daemon drains the channel without a wakeup. */
#define DRAIN_INTERVAL_MS	100

void say(const char *fmt, ...)
{
	char stamp[32];
	time_t now = time(NULL);
	va_list ap;

	strftime(stamp, sizeof(stamp), "%F %T", localtime(&now));
	fprintf(stderr, "%s vmtraced[%d]: ", stamp, (int)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *out)
{
	fprintf(out, "usage: vmtraced --vm PID [--session-fd FD] [--ready-fd FD]\n"
		"                [--output FILE [--force] [--resume]] [--log FILE]\n"
		"                [--foreground]\n");
}

static int parse_args(struct vmtraced *d, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "vm", required_argument, NULL, 'v' },
		{ "session-fd", required_argument, NULL, 's' },
		{ "ready-fd", required_argument, NULL, 'r' },
		{ "log", required_argument, NULL, 'l' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "resume", no_argument, NULL, 'R' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "v:s:r:l:fo:RFh", opts, NULL)) != -1) {
		switch (c) {
		case 'v': d->vmm_pid = atoi(optarg); break;
		case 's': d->session_fd = atoi(optarg); break;
		case 'r': d->ready_fd = atoi(optarg); break;
		case 'l': d->log = optarg; break;
		case 'f': d->foreground = true; break;
		case 'o': d->output = optarg; break;
		case 'R': d->resume = true; break;
		case 'F': d->force = true; break;
		case 'h': usage(stdout); exit(0);
		default: return -1;
		}
	}
	if (d->resume && !d->output)
		return -1;
	return d->vmm_pid > 0 && optind == argc ? 0 : -1;
}

/*
 * The daemon works in "/": make --output absolute, against the directory
 * it was started in.
 */
static int absolute_output(struct vmtraced *d)
{
	char dir[PATH_MAX], copy[PATH_MAX];

	if (!d->output || d->output[0] == '/')
		return 0;
	snprintf(copy, sizeof(copy), "%s", d->output);
	if (!realpath(dirname(copy), dir))
		return -1;
	snprintf(copy, sizeof(copy), "%s", d->output);
	if ((size_t)snprintf(d->output_abs, sizeof(d->output_abs), "%s/%s", dir,
			     basename(copy)) >= sizeof(d->output_abs))
		return errno = ENAMETOOLONG, -1;
	d->output = d->output_abs;
	return 0;
}

/* Report a startup failure to vmtrace-ctl (if it waits) and to the log. */
static int fail(struct vmtraced *d, const char *what, int err)
{
	if (d->ready_fd >= 0)
		dprintf(d->ready_fd, "%s: %s\n", what, err ? strerror(err) : "failed");
	say("%s: %s", what, err ? strerror(err) : "failed");
	return 1;
}

/*
 * vm-PID.trace: the trace we record into, for "vmtrace-ctl stop" to
 * report; a stale one from a killed daemon goes.
 */
static int note_trace(struct vmtraced *d)
{
	char path[PATH_MAX];
	FILE *f;

	vmtrace_tracenote_path(path, sizeof(path), d->vmm_pid);
	if (!d->output)
		return unlink(path) && errno != ENOENT ? -1 : 0;
	f = fopen(path, "we");
	if (!f)
		return -1;
	fprintf(f, "%s\n", d->output);
	return fclose(f);
}

/* Take vm-PID.lock and publish vm-PID.pid (written aside, then renamed). */
static int claim_pidfile(struct vmtraced *d)
{
	char lock[PATH_MAX + 8], tmp[PATH_MAX + 8];
	FILE *f;

	mkdir(vmtrace_run_dir(), 0755);
	vmtrace_pidfile_path(d->pidfile, sizeof(d->pidfile), d->vmm_pid);
	snprintf(lock, sizeof(lock), "%s.lock", d->pidfile);
	d->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (d->lock_fd < 0 || flock(d->lock_fd, LOCK_EX | LOCK_NB))
		return -1;
	if (note_trace(d))
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.tmp", d->pidfile);
	f = fopen(tmp, "we");
	if (!f)
		return -1;
	fprintf(f, "%d\n", (int)getpid());
	if (fclose(f) || rename(tmp, d->pidfile))
		return -1;
	return 0;
}

static void release_pidfile(struct vmtraced *d)
{
	char lock[PATH_MAX + 8];

	unlink(d->pidfile);
	vmtrace_tracenote_path(lock, sizeof(lock), d->vmm_pid);
	unlink(lock);
	snprintf(lock, sizeof(lock), "%s.lock", d->pidfile);
	unlink(lock);
	close(d->lock_fd);
}

static int open_signals(struct vmtraced *d)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	d->signal_fd = signalfd(-1, &set, SFD_CLOEXEC);
	return d->signal_fd < 0 ? -1 : 0;
}

static int redirect_stdio(const char *log)
{
	int in = open("/dev/null", O_RDONLY);
	int out = log ? open(log, O_WRONLY | O_CREAT | O_APPEND, 0644)
		      : open("/dev/null", O_WRONLY);

	if (in < 0 || out < 0)
		return -1;
	dup2(in, 0);
	dup2(out, 1);
	dup2(out, 2);
	close(in);
	close(out);
	return chdir("/");
}

/* Attach ourselves when no session fd was handed over. */
static int ensure_session(struct vmtraced *d)
{
	uint64_t flags = d->resume ? VMTRACE_ATTACH_RESUME :
			 d->output ? VMTRACE_ATTACH_RECORD : 0;
	struct vmtrace_session_info si;
	struct vmtrace_attach a;
	enum vmtrace_err err;

	if (d->session_fd >= 0) {
		if (fcntl(d->session_fd, F_SETFD, FD_CLOEXEC) ||
		    vmtrace_session_info(d->session_fd, &si))
			return -1;
		d->session_id = si.session_id;
		d->nr_vcpus = si.nr_vcpus;
		return 0;
	}
	err = vmtrace_attach_pid(d->vmm_pid, flags, &a, &d->session_fd);
	if (err) {
		errno = 0;
		if (d->ready_fd >= 0)
			dprintf(d->ready_fd, "attach: %s\n", vmtrace_strerror(err));
		say("attach to the VM of pid %d: %s", (int)d->vmm_pid,
		    vmtrace_strerror(err));
		return -1;
	}
	d->session_id = a.session_id;
	d->nr_vcpus = a.nr_vcpus;
	return 0;
}

/*
 * The event loop: until a signal (returns 1) or the VM's end (returns 0),
 * or a recording error (-1).
 */
static int serve(struct vmtraced *d)
{
	struct pollfd p[2] = {
		{ .fd = d->session_fd, .events = POLLIN },
		{ .fd = d->signal_fd, .events = POLLIN },
	};
	struct signalfd_siginfo si;

	for (;;) {
		if (poll(p, 2, d->output ? DRAIN_INTERVAL_MS : -1) < 0) {
			if (errno == EINTR)
				continue;
			say("poll: %s", strerror(errno));
			return -1;
		}
		if (d->output && vmtraced_rec_drain(d))
			return -1;
		if (p[1].revents && read(d->signal_fd, &si, sizeof(si)) == sizeof(si)) {
			say("signal %u: detaching from the VM of pid %d",
			    si.ssi_signo, (int)d->vmm_pid);
			return 1;
		}
		if (p[0].revents & (POLLHUP | POLLIN | POLLERR)) {
			say("the VM of pid %d is gone", (int)d->vmm_pid);
			return 0;
		}
	}
}

/* Serve, then finish the trace file if recording. Returns the exit status. */
static int run(struct vmtraced *d)
{
	int ret = serve(d);

	if (!d->output)
		return ret < 0 ? 1 : 0;
	if (ret < 0) {
		say("recording failed; %s stays incomplete", d->tw.part);
		return 1;
	}
	return vmtraced_rec_finish(d, ret == 1) ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct vmtraced d = { .session_fd = -1, .ready_fd = -1, .lock_fd = -1,
			      .chan_fd = -1 };
	int status;

	if (parse_args(&d, argc, argv)) {
		usage(stderr);
		return 2;
	}
	if (absolute_output(&d))
		return fail(&d, d.output, errno);
	if (open_signals(&d))
		return fail(&d, "signalfd", errno);
	d.start_ns = vmtrace_monotonic_ns();
	if (ensure_session(&d))
		return 1;
	if (claim_pidfile(&d))
		return fail(&d, "pid file (is another vmtraced running for this VM?)", errno);
	if (d.output && vmtraced_rec_open(&d)) {
		/* Nobody would drain a recording left running: end it. */
		if (!d.resume)
			ioctl(d.session_fd, VMTRACE_RECORD_STOP, 0);
		release_pidfile(&d);
		return fail(&d, "trace file (see the log)", 0);
	}
	if (!d.foreground && redirect_stdio(d.log))
		return fail(&d, "log", errno);
	say("owning the session of the VM of pid %d%s%s", (int)d.vmm_pid,
	    d.output ? ", recording to " : "", d.output ? d.output : "");
	if (d.ready_fd >= 0) {
		dprintf(d.ready_fd, "ready\n");
		close(d.ready_fd);
	}
	status = run(&d);
	close(d.session_fd);	/* detaches */
	release_pidfile(&d);
	say("exiting with status %d", status);
	return status;
}
