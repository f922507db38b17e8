// SPDX-License-Identifier: GPL-2.0
/*
 * vmtrace-ctl record -o FILE -- VMM-COMMAND [ARG...]: run a VMM and record
 * its VM from the guest's first instruction until the VMM exits.
 *
 * The VMM starts under ptrace and is held where its first vCPU thread
 * enters KVM_RUN (lib/launch.c); the VM is attached and handed to a
 * vmtraced there, then the VMM runs on untraced. When it exits, vmtraced
 * sees the VM end, saves the last chunks and finishes the file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/launch.h"
#include "../lib/trace.h"
#include "ctl.h"

void cmd_record_usage(FILE *out)
{
	fprintf(out, "usage: vmtrace-ctl record -o FILE [--force] [--digest-exits] [--log FILE] -- VMM-COMMAND [ARG...]\n\n"
		"Run VMM-COMMAND (e.g. qemu-system-x86_64 -enable-kvm ...) and record\n"
		"its VM from the guest's first instruction into the trace FILE; the\n"
		"file is finished when the VMM exits. Exits with the VMM's status, or\n"
		"1 if the trace could not be finished.\n"
		"  --digest-exits    a register and memory digest at every exit, so\n"
		"                    that replay finds the first differing exit\n");
}

static int record_args(int argc, char **argv, struct ctl_daemon_opts *o,
		       const char **out, uint64_t *flags)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "log", required_argument, NULL, 'l' },
		{ "digest-exits", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "+o:l:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': *out = optarg; break;
		case 'F': o->force = true; break;
		case 'l': o->log = optarg; break;
		case 'D': *flags |= VMTRACE_ATTACH_DIGEST_EXITS; break;
		case 'h': cmd_record_usage(stdout); return -1;
		default: cmd_record_usage(stderr); return VMTRACE_E_USAGE;
		}
	}
	if (!*out || optind >= argc)
		return ctl_fail(VMTRACE_E_USAGE, "record needs -o FILE and a VMM command");
	return 0;
}

/* Attach to the held VMM and hand the recording to vmtraced. */
static int record_attach(struct vmtrace_launch *l, const struct ctl_daemon_opts *o,
			 uint64_t flags, pid_t *daemon)
{
	struct vmtrace_attach a;
	int err, fd;

	err = vmtrace_attach_pid(l->pid, VMTRACE_ATTACH_RECORD | flags, &a, &fd);
	if (err)
		return ctl_fail(err, "cannot attach to the VM of pid %d", (int)l->pid);
	err = ctl_start_daemon(fd, l->pid, o, daemon);
	close(fd);
	if (!err)
		fprintf(stderr, "vmtrace: recording the VM of pid %d (session %llu) to %s\n",
			(int)l->pid, (unsigned long long)a.session_id, o->output);
	return err;
}

static int exit_status(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int cmd_record(int argc, char **argv)
{
	struct ctl_daemon_opts o = { 0 };
	struct vmtrace_launch l;
	struct vmtrace_walk w;
	char output[PATH_MAX];
	const char *out = NULL;
	uint64_t flags = 0;
	int err, st, dst = 0;
	pid_t daemon = 0;

	err = record_args(argc, argv, &o, &out, &flags);
	if (err)
		return err < 0 ? 0 : err;
	err = ctl_output_path(out, o.force, output, sizeof(output));
	if (err)
		return err;
	o.output = output;
	err = vmtrace_launch(&l, argv + optind);
	if (err) {
		fprintf(stderr, "vmtrace-ctl: %s exited before running a vCPU\n", argv[optind]);
		return l.status ? exit_status(l.status) : err;
	}
	err = record_attach(&l, &o, flags, &daemon);
	if (err)
		kill(l.pid, SIGKILL);
	vmtrace_launch_release(&l);
	waitpid(l.pid, &st, 0);
	if (err)
		return err;
	if (waitpid(daemon, &dst, 0) == daemon && exit_status(dst))
		fprintf(stderr, "vmtrace-ctl: vmtraced failed (status %d); see its log\n",
			exit_status(dst));
	/* The trace itself says whether it was finished. */
	if (vmtrace_trace_walk(output, NULL, NULL, &w)) {
		fprintf(stderr, "vmtrace-ctl: %s: %s\n", output, w.error);
		return 1;
	}
	fprintf(stderr, "vmtrace: trace %s: %llu records in %llu chunks\n", output,
		(unsigned long long)w.nr_records, (unsigned long long)w.chunks);
	return exit_status(st);
}
