// SPDX-License-Identifier: GPL-2.0
/*
 * vmtraced's recording: drain the session's chunk channel into the trace
 * file, end it cleanly, or take over the recording of a daemon that died.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "../lib/vmtrace.h"
#include "vmtraced.h"

/* At most this much is read from the channel before it is saved. */
#define READ_SIZE	(256 * 1024)
/* Room for a read and the incomplete chunk before it. */
#define BUF_SIZE	(2 * READ_SIZE)
#define FINISH_TIMEOUT_MS	60000

static void host_cpu(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[256];

	snprintf(buf, len, "unknown");
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && colon) {
			snprintf(buf, len, "%s", colon + 2);
			buf[strcspn(buf, "\n")] = '\0';
			break;
		}
	}
	if (f)
		fclose(f);
}

static void info_text(struct vmtraced *d, char *buf, size_t len)
{
	struct vmtrace_record_info ri = { .size = sizeof(ri) };
	char cpu[128], when[32], boot[64];
	struct utsname u;
	time_t now = time(NULL);

	host_cpu(cpu, sizeof(cpu));
	uname(&u);
	strftime(when, sizeof(when), "%FT%TZ", gmtime(&now));
	vmtrace_boot_id(boot, sizeof(boot));
	ioctl(d->session_fd, VMTRACE_RECORD_INFO, &ri);
	snprintf(buf, len, "format=%d\nmode=%s\nhost_cpu=%s\nhost_kernel=%s\n"
		 "vmm_pid=%d\nsession_id=%llu\nvcpus=%u\nstarted=%s\n"
		 "start_ns=%llu\nboot_id=%s\n",
		 VMTRACE_FILE_VERSION,
		 ri.mode == VMTRACE_MODE_PMU ? "pmu" : "exit-ordinal", cpu, u.release,
		 (int)d->vmm_pid,
		 (unsigned long long)d->session_id, d->nr_vcpus, when,
		 (unsigned long long)d->start_ns, boot);
}

/* The guest's CPUID view of vCPU 0; 0 entries if it has not run yet. */
static unsigned int get_cpuid(struct vmtraced *d, struct vmtrace_cpuid_entry *e,
			      unsigned int room)
{
	struct vmtrace_cpuid c = { .size = sizeof(c), .vcpu = 0, .nr = room,
				   .entries = (uintptr_t)e };

	if (ioctl(d->session_fd, VMTRACE_GET_CPUID, &c))
		return 0;
	d->cpuid_written = true;
	return c.nr;
}

static int open_channel(struct vmtraced *d)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%llu/chunks0", vmtrace_debugfs_dir(),
		 (unsigned long long)d->session_id);
	d->chan_fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (d->chan_fd < 0)
		say("%s: %s", path, strerror(errno));
	return d->chan_fd < 0 ? -1 : 0;
}

static int create_trace(struct vmtraced *d)
{
	static struct vmtrace_cpuid_entry cpuid[256];
	unsigned int n = get_cpuid(d, cpuid, 256);
	char info[1024];

	info_text(d, info, sizeof(info));
	if (vmtrace_tw_create(&d->tw, d->output, d->force, info, cpuid, n)) {
		say("%s: %s", d->output, strerror(errno));
		return -1;
	}
	d->tw.start_ns = d->start_ns;
	return 0;
}

/* Continue a dead daemon's file; the module resends what it lacks. */
static int resume_trace(struct vmtraced *d)
{
	char err[VMTRACE_ERRLEN];
	uint64_t next;

	if (vmtrace_tw_reopen(&d->tw, d->output, err)) {
		say("cannot continue the trace: %s", err);
		return -1;
	}
	next = d->tw.next_seq;
	d->cpuid_written = true;
	if (ioctl(d->session_fd, VMTRACE_RECORD_RESUME, &next)) {
		say("resume from chunk %llu: %s", (unsigned long long)next,
		    strerror(errno));
		return -1;
	}
	say("continuing %s from chunk %llu%s", d->tw.part, (unsigned long long)next,
	    d->tw.start_ns ? "" : " (start time lost: the duration will be 0)");
	return 0;
}

/**
 * vmtraced_rec_open() - start (or continue) the trace file
 * @d: the daemon, with its session fd.
 *
 * Return: 0, or -1 (said why).
 */
int vmtraced_rec_open(struct vmtraced *d)
{
	d->buf = malloc(BUF_SIZE);
	if (!d->buf)
		return -1;
	if (d->resume ? resume_trace(d) : create_trace(d))
		return -1;
	return open_channel(d);
}

/* Save every whole chunk in the buffer; keep an incomplete last one. */
static int save_chunks(struct vmtraced *d)
{
	char err[VMTRACE_ERRLEN];
	size_t off = 0;

	while (d->len - off >= sizeof(struct vmtrace_chunk)) {
		const struct vmtrace_chunk *c = (const void *)(d->buf + off);

		if (c->magic == VMTRACE_CHUNK_MAGIC && c->size <= BUF_SIZE &&
		    c->size > d->len - off)
			break;
		/* Checked against what is in the buffer, never beyond it. */
		if (vmtrace_chunk_check(c, d->len - off, err) ||
		    vmtrace_tw_chunk(&d->tw, c, err)) {
			say("bad chunk from the module: %s", err);
			return -1;
		}
		off += c->size;
	}
	memmove(d->buf, d->buf + off, d->len - off);
	d->len -= off;
	return 0;
}

/**
 * vmtraced_rec_drain() - save what the channel holds now
 * @d: the recording daemon.
 *
 * Return: 0, or -1 if the channel or the file failed (said why).
 */
int vmtraced_rec_drain(struct vmtraced *d)
{
	size_t room;
	ssize_t n;

	for (;;) {
		room = BUF_SIZE - d->len < READ_SIZE ? BUF_SIZE - d->len : READ_SIZE;
		n = read(d->chan_fd, d->buf + d->len, room);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n < 0) {
			say("reading the chunk channel: %s", strerror(errno));
			return -1;
		}
		if (n == 0)
			return 0;
		d->len += n;
		if (save_chunks(d))
			return -1;
	}
}

/* Has everything the module wrote reached the file? */
static int all_saved(struct vmtraced *d, struct vmtrace_record_info *info)
{
	struct vmtrace_session_info si;

	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	if (ioctl(d->session_fd, VMTRACE_RECORD_INFO, info) ||
	    vmtrace_session_info(d->session_fd, &si)) {
		say("recording info: %s", strerror(errno));
		return -1;
	}
	return d->tw.next_seq == info->chunks && info->vcpus_ended == si.nr_vcpus &&
	       !d->len;
}

static int write_late_cpuid(struct vmtraced *d)
{
	static struct vmtrace_cpuid_entry cpuid[256];
	unsigned int n;

	if (d->cpuid_written)
		return 0;
	n = get_cpuid(d, cpuid, 256);
	return vmtrace_tw_cpuid(&d->tw, cpuid, n);
}

static int finish_file(struct vmtraced *d, const struct vmtrace_record_info *info)
{
	if (info->overflows) {
		say("the module lost records (buffer overflow): %s stays incomplete",
		    d->tw.part);
		vmtrace_tw_close(&d->tw);
		return -1;
	}
	if (write_late_cpuid(d) || vmtrace_tw_finish(&d->tw, info->waits)) {
		say("%s: %s", d->tw.part, strerror(errno));
		return -1;
	}
	say("trace %s: %llu chunks, %llu bytes (%llu before compression), %llu waits",
	    d->tw.path, (unsigned long long)d->tw.end.chunks,
	    (unsigned long long)d->tw.end.bytes,
	    (unsigned long long)d->tw.end.bytes_raw,
	    (unsigned long long)info->waits);
	return 0;
}

/**
 * vmtraced_rec_finish() - end the recording and the trace file
 * @d: the recording daemon.
 * @stop: end the recording (VMTRACE_RECORD_STOP); false when the VM has
 *	ended it already.
 *
 * Saves every chunk up to each vCPU's END, then writes the END section,
 * fsyncs and renames the file. On failure the file stays FILE.incomplete.
 *
 * Return: 0, or -1 (said why).
 */
int vmtraced_rec_finish(struct vmtraced *d, bool stop)
{
	struct vmtrace_record_info info;
	int waited = 0, ret;

	if (stop && ioctl(d->session_fd, VMTRACE_RECORD_STOP, 0))
		say("stopping the recording: %s", strerror(errno));
	for (;;) {
		if (vmtraced_rec_drain(d))
			return -1;
		ret = all_saved(d, &info);
		if (ret < 0)
			return -1;
		if (ret)
			return finish_file(d, &info);
		if (waited >= FINISH_TIMEOUT_MS) {
			say("timed out: %llu of %llu chunks saved; %s stays incomplete",
			    (unsigned long long)d->tw.next_seq,
			    (unsigned long long)info.chunks, d->tw.part);
			return -1;
		}
		usleep(20000);
		waited += 20;
	}
}
