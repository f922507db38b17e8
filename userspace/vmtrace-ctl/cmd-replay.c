// SPDX-License-Identifier: GPL-2.0
/*
 * vmtrace-ctl replay FILE [--until N] [--json] [--quiet]: build a KVM VM
 * from the trace's checkpoint, attach the module to it for replay, and
 * run the recording's KVM_RUNs again, checking every event. The guest's
 * COM1 output goes to stdout; progress, the summary and a divergence go
 * to stderr (with --json the summary is stdout's last line).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../lib/replay.h"
#include "../lib/vmtrace.h"
#include "ctl.h"

#define PROGRESS_NS	500000000ULL

struct replay_cli {
	const char *file;
	uint64_t until;
	bool json;
	bool quiet;
	bool progress;		/* stderr is a terminal and not --quiet */
	bool progress_shown;	/* a progress line is on the terminal */
	int last_byte;		/* of the console output, -1 if none */
	uint64_t t0, last_progress;
};

void cmd_replay_usage(FILE *out)
{
	fprintf(out, "usage: vmtrace-ctl replay FILE [--until N] [--json] [--quiet]\n\n"
		"Replay a 1-vCPU trace: build a KVM VM from its checkpoint and run it\n"
		"again under the module, which gives the guest the recorded inputs and\n"
		"checks every event. The guest's COM1 output goes to stdout; the summary\n"
		"(and the final 'digest regs=... mem=...' line) to stderr, or with --json\n"
		"as a JSON object on stdout's last line. --until N stops at exit ordinal N.\n"
		"Exit 0 identical, %d diverged, %d corrupt or incomplete trace, %d a trace\n"
		"that cannot be replayed, 3 no module, 1 other errors.\n",
		VMTRACE_E_DIVERGED, VMTRACE_E_CORRUPT, VMTRACE_E_NOREPLAY);
}

static int replay_args(struct replay_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "until", required_argument, NULL, 'u' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	int o;

	while ((o = getopt_long(argc, argv, "u:jqh", opts, NULL)) != -1) {
		if (o == 'u') {
			errno = 0;
			c->until = strtoull(optarg, &end, 0);
			if (errno || *end || end == optarg || optarg[0] == '-')
				return ctl_fail(VMTRACE_E_USAGE, "bad --until '%s'", optarg);
		} else if (o == 'j' || o == 'q') {
			*(o == 'j' ? &c->json : &c->quiet) = true;
		} else {
			cmd_replay_usage(o == 'h' ? stdout : stderr);
			return o == 'h' ? -1 : VMTRACE_E_USAGE;
		}
	}
	if (optind != argc - 1)
		return ctl_fail(VMTRACE_E_USAGE, "replay needs one FILE");
	c->file = argv[optind];
	return 0;
}

static void progress_clear(struct replay_cli *c)
{
	if (c->progress_shown)
		fputs("\r\033[K", stderr);
	c->progress_shown = false;
}

static void on_progress(void *ctx, const struct replay_result *r)
{
	struct replay_cli *c = ctx;
	uint64_t now = vmtrace_monotonic_ns();

	if (!c->progress || now - c->last_progress < PROGRESS_NS)
		return;
	c->last_progress = now;
	fprintf(stderr, "\rreplay: %llu events, ordinal %llu, %.1f s\033[K",
		(unsigned long long)r->consumed, (unsigned long long)r->ordinal,
		(now - c->t0) / 1e9);
	c->progress_shown = true;
}

static void on_console(void *ctx, const void *p, size_t n)
{
	struct replay_cli *c = ctx;

	if (!n)
		return;
	progress_clear(c);
	fwrite(p, 1, n, stdout);
	fflush(stdout);
	c->last_byte = ((const uint8_t *)p)[n - 1];
}

/* Why the module cannot count guest branches: its debugfs "pmu" line. */
static void pmu_reason(char *buf, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/pmu", vmtrace_debugfs_dir());
	snprintf(buf, len, "see %.*s", (int)(len > 5 ? len - 5 : 0), path);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(buf, len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* /dev/vmtrace, if the module can replay @t here. */
static int open_module(const struct replay_cli *c, const struct replay_trace *t, int *ctl_fd)
{
	enum vmtrace_err err = vmtrace_open(ctl_fd);
	int ret = VMTRACE_E_OTHER;

	if (err)
		return ctl_fail(err, "%s", vmtrace_dev_path());
	if (ioctl(*ctl_fd, VMTRACE_CHECK_EXTENSION, VMTRACE_CAP_REPLAY) != 1) {
		fprintf(stderr, "vmtrace-ctl: replay: the loaded vmtrace module cannot replay (no VMTRACE_CAP_REPLAY)\n");
	} else if (t->pmu &&
		   ioctl(*ctl_fd, VMTRACE_CHECK_EXTENSION, VMTRACE_CAP_REPLAY_PMU) != 1) {
		char why[200];

		pmu_reason(why, sizeof(why));
		fprintf(stderr, "vmtrace-ctl: replay: %s was recorded in PMU mode: its interrupts are placed by the guest's branch count, and this host cannot count guest branches exactly (%s); replay it on a host with a usable PMU\n",
			c->file, why);
		ret = VMTRACE_E_NOREPLAY;
	} else {
		return 0;
	}
	close(*ctl_fd);
	*ctl_fd = -1;
	return ret;
}

/* Build the VM, attach for replay, run. */
static int replay_in_vm(struct replay_cli *c, int ctl_fd, const struct replay_trace *t,
			struct replay_result *res, uint64_t digest[2])
{
	struct replay_opts o = { .until = c->until, .progress = on_progress,
				 .console = on_console, .ctx = c };
	char err[VMTRACE_ERRLEN];
	struct vmtrace_attach a;
	struct replay_vm vm;
	int session = -1, ret = VMTRACE_E_OTHER;
	enum vmtrace_err e;

	if (replay_vm_build(&vm, &t->ckpt, stderr, err)) {
		fprintf(stderr, "vmtrace-ctl: replay: building the VM: %s\n", err);
		goto out_vm;
	}
	e = vmtrace_attach(ctl_fd, vm.vm_fd, VMTRACE_ATTACH_REPLAY |
			   (t->pmu ? VMTRACE_ATTACH_PMU : 0), &a, &session);
	if (e) {
		ret = ctl_fail(e, "replay: attaching to the VM (VMTRACE_ATTACH_REPLAY)");
		goto out_vm;
	}
	c->t0 = c->last_progress = vmtrace_monotonic_ns();
	if (replay_run(&vm, session, t, &o, res, err))
		fprintf(stderr, "vmtrace-ctl: replay: %s\n", err);
	else if (replay_vm_digest(&vm, &digest[0], &digest[1]))
		fprintf(stderr, "vmtrace-ctl: replay: KVM_GET_REGS: %s\n", strerror(errno));
	else
		ret = res->verdict == REPLAY_DIVERGED ? VMTRACE_E_DIVERGED : 0;
	close(session);
out_vm:
	replay_vm_free(&vm);
	return ret;
}

static void verdict_text(const struct replay_cli *c, const struct replay_result *r,
			 char *buf, size_t len)
{
	if (r->verdict == REPLAY_DIVERGED)
		snprintf(buf, len, "diverged");
	else if (r->verdict == REPLAY_UNTIL)
		snprintf(buf, len, "identical up to ordinal %llu", (unsigned long long)c->until);
	else
		snprintf(buf, len, "identical");
}

static void summary_text(const struct replay_cli *c, const struct replay_trace *t,
			 const struct replay_result *r, const uint64_t digest[2])
{
	char verdict[64];

	verdict_text(c, r, verdict, sizeof(verdict));
	fprintf(stderr, "vmtrace-ctl replay: %s: %s\n"
		"  events:   %llu fed, %llu consumed\n  kvm_runs: %llu\n  outputs:  %llu\n"
		"  ordinal:  %llu\n  time:     %.3f s replayed", c->file, verdict,
		(unsigned long long)r->fed, (unsigned long long)r->consumed,
		(unsigned long long)r->kvm_runs, (unsigned long long)r->outputs,
		(unsigned long long)r->ordinal, r->wall_ns / 1e9);
	if (t->duration_ns)
		fprintf(stderr, ", %.3f s recorded, ratio %.2f\n", t->duration_ns / 1e9,
			(double)r->wall_ns / t->duration_ns);
	else
		fprintf(stderr, ", recording's duration unknown\n");
	if (r->seeks)
		fprintf(stderr, "  async:    %llu events found at their points, in %llu breakpoint and step stops\n",
			(unsigned long long)r->seeks, (unsigned long long)r->seek_stops);
	fprintf(stderr, "digest regs=%016llx mem=%016llx\n",
		(unsigned long long)digest[0], (unsigned long long)digest[1]);
}

static void summary_json(const struct replay_cli *c, const struct replay_trace *t,
			 const struct replay_result *r, const uint64_t digest[2])
{
	char verdict[64];

	verdict_text(c, r, verdict, sizeof(verdict));
	if (c->last_byte >= 0 && c->last_byte != '\n')
		putchar('\n');
	printf("{\"file\": ");
	vmtrace_json_string(stdout, c->file);
	printf(", \"verdict\": \"%s\", \"events_fed\": %llu, \"events_consumed\": %llu, "
	       "\"kvm_runs\": %llu, \"outputs\": %llu, \"ordinal\": %llu, \"wall_ns\": %llu, "
	       "\"record_ns\": %llu, \"async_events\": %llu, \"async_stops\": %llu, ",
	       verdict, (unsigned long long)r->fed,
	       (unsigned long long)r->consumed, (unsigned long long)r->kvm_runs,
	       (unsigned long long)r->outputs, (unsigned long long)r->ordinal,
	       (unsigned long long)r->wall_ns, (unsigned long long)t->duration_ns,
	       (unsigned long long)r->seeks, (unsigned long long)r->seek_stops);
	if (t->duration_ns)
		printf("\"ratio\": %.3f, ", (double)r->wall_ns / t->duration_ns);
	else
		printf("\"ratio\": null, ");
	printf("\"regs_digest\": \"%016llx\", \"mem_digest\": \"%016llx\"",
	       (unsigned long long)digest[0], (unsigned long long)digest[1]);
	if (r->verdict == REPLAY_DIVERGED) {
		printf(", \"divergence\": ");
		replay_div_json(stdout, &r->div);
	}
	printf("}\n");
}

static void report(const struct replay_cli *c, const struct replay_trace *t,
		   const struct replay_result *r, const uint64_t digest[2])
{
	if (c->json) {
		summary_json(c, t, r, digest);
		return;
	}
	if (r->verdict == REPLAY_DIVERGED)
		replay_div_print(stderr, &r->div);
	if (!c->quiet)
		summary_text(c, t, r, digest);
}

int cmd_replay(int argc, char **argv)
{
	struct replay_cli c = { .until = VMTRACE_REPLAY_NO_STOP, .last_byte = -1 };
	struct replay_trace t = { 0 };
	struct replay_result res;
	uint64_t digest[2] = { 0, 0 };
	char err[VMTRACE_ERRLEN];
	int ctl_fd = -1, ret = replay_args(&c, argc, argv);

	if (ret)
		return ret < 0 ? 0 : ret;
	c.progress = !c.quiet && isatty(STDERR_FILENO);
	ret = replay_load(&t, c.file, err);
	if (ret) {
		fprintf(stderr, "vmtrace-ctl: replay: %s\n", err);
		return ret;
	}
	ret = open_module(&c, &t, &ctl_fd);
	if (!ret) {
		ret = replay_in_vm(&c, ctl_fd, &t, &res, digest);
		progress_clear(&c);
		if (ret == 0 || ret == VMTRACE_E_DIVERGED)
			report(&c, &t, &res, digest);
		close(ctl_fd);
	}
	replay_trace_free(&t);
	return ret;
}
