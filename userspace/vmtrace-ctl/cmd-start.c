// SPDX-License-Identifier: GPL-2.0
/*
 * vmtrace-ctl start --vm PID [-o FILE]: attach to the VM of a running VMM
 * here, so that every error is reported at once, then hand the session fd
 * to a new vmtraced, which owns it from then on (and with -o records the
 * VM into FILE).
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../lib/vmtrace.h"
#include "ctl.h"

void cmd_start_usage(FILE *out)
{
	fprintf(out, "usage: vmtrace-ctl start --vm PID [-o FILE [--force | --resume] [--digest-exits]] [--log FILE]\n\n"
		"Attach vmtrace to the KVM VM of the VMM with pid PID and start\n"
		"vmtraced, the daemon that owns the session until 'stop' or\n"
		"until the VM ends.\n"
		"  --vm PID          the VMM (e.g. qemu-system-x86_64)\n"
		"  -o, --output FILE record the VM into the trace file FILE\n"
		"  --force           replace an existing FILE\n"
		"  --resume          take over the recording into FILE whose vmtraced\n"
		"                    died: continue FILE.incomplete without loss\n"
		"  --digest-exits    a register and memory digest at every exit, so\n"
		"                    that replay finds the first differing exit\n"
		"  --log FILE        where vmtraced logs (default: nowhere)\n");
}

int cmd_start(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "vm", required_argument, NULL, 'v' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "resume", no_argument, NULL, 'R' },
		{ "digest-exits", no_argument, NULL, 'D' },
		{ "log", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctl_daemon_opts o = { 0 };
	char output[PATH_MAX];
	const char *out_arg = NULL;
	struct vmtrace_attach a;
	uint64_t flags = 0;
	int c, err, session_fd;
	pid_t pid = 0, daemon = 0;

	while ((c = getopt_long(argc, argv, "v:o:l:h", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			if (ctl_parse_pid(optarg, &pid))
				return ctl_fail(VMTRACE_E_USAGE, "bad pid '%s'", optarg);
			break;
		case 'o': out_arg = optarg; break;
		case 'F': o.force = true; break;
		case 'R': o.resume = true; break;
		case 'D': flags |= VMTRACE_ATTACH_DIGEST_EXITS; break;
		case 'l': o.log = optarg; break;
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
	if (o.resume && !out_arg)
		return ctl_fail(VMTRACE_E_USAGE, "--resume needs -o FILE");
	if (flags && (o.resume || !out_arg))
		return ctl_fail(VMTRACE_E_USAGE, "--digest-exits needs -o FILE, without --resume");
	/* A resumed trace exists as FILE.incomplete: only check the path. */
	if (out_arg && (err = ctl_output_path(out_arg, o.force || o.resume, output,
					      sizeof(output))))
		return err;
	o.output = out_arg ? output : NULL;
	if (o.resume)
		flags = VMTRACE_ATTACH_RESUME;
	else if (o.output)
		flags |= VMTRACE_ATTACH_RECORD;
	err = vmtrace_attach_pid(pid, flags, &a, &session_fd);
	if (err)
		return ctl_fail(err, "cannot attach to the VM of pid %d", (int)pid);
	err = ctl_start_daemon(session_fd, pid, &o, &daemon);
	close(session_fd);	/* the daemon holds it now, or it detaches */
	if (err)
		return err;
	printf("vmtrace: attached to the VM of pid %d (session %llu, %u vCPU%s), vmtraced pid %d%s%s\n",
	       (int)pid, (unsigned long long)a.session_id, a.nr_vcpus,
	       a.nr_vcpus == 1 ? "" : "s", (int)daemon,
	       o.output ? ", recording to " : "", o.output ? o.output : "");
	return 0;
}
