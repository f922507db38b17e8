// SPDX-License-Identifier: GPL-2.0
/*
 * Writing a trace file. It is FILE.incomplete while being written: the
 * header, INFO and CPUID sections, then one CHUNK (or, for a CHECKPOINT
 * chunk, CHECKPOINT) section per chunk as it arrives (each checked first:
 * a bad chunk from the module is an error, never written).
 * vmtrace_tw_finish() adds the END section, fsyncs and renames it to
 * FILE. vmtrace_tw_reopen() continues an incomplete file after the last
 * good chunk, for a restarted vmtraced.
 *
 * The recording's duration: w->start_ns is CLOCK_MONOTONIC when it began
 * (the caller sets it, 0 if unknown). The INFO keys start_ns= and
 * boot_id= let a reopen on the same boot recover it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "trace.h"

static int write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* A section: header, @len bytes of @data, zeros up to a multiple of 8. */
static int write_section(int fd, uint32_t id, const void *data, size_t len)
{
	struct vmtrace_section s = { .id = id, .size = len };
	static const uint8_t zeros[8];

	if (write_all(fd, &s, sizeof(s)) || write_all(fd, data, len))
		return -1;
	return write_all(fd, zeros, (8 - len % 8) % 8);
}

static void tw_paths(struct vmtrace_tw *w, const char *path)
{
	memset(w, 0, sizeof(*w));
	w->fd = -1;
	snprintf(w->path, sizeof(w->path), "%s", path);
	snprintf(w->part, sizeof(w->part), "%s.incomplete", path);
}

/*
 * Start FILE.incomplete. An existing FILE is refused unless @force.
 * Return: 0, or -1 with errno.
 */
int vmtrace_tw_create(struct vmtrace_tw *w, const char *path, bool force,
		      const char *info, const struct vmtrace_cpuid_entry *cpuid,
		      unsigned int nr_cpuid)
{
	struct vmtrace_file_header h = { .version = VMTRACE_FILE_VERSION };

	tw_paths(w, path);
	if (!force && !access(w->path, F_OK))
		return errno = EEXIST, -1;
	memcpy(h.magic, VMTRACE_FILE_MAGIC, sizeof(h.magic));
	w->fd = open(w->part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (w->fd < 0)
		return -1;
	if (write_all(w->fd, &h, sizeof(h)) ||
	    write_section(w->fd, VMTRACE_SECTION_INFO, info, strlen(info)) ||
	    write_section(w->fd, VMTRACE_SECTION_CPUID, cpuid,
			  nr_cpuid * sizeof(*cpuid))) {
		vmtrace_tw_close(w);
		return -1;
	}
	return 0;
}

uint64_t vmtrace_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* This boot's id (/proc/sys/kernel/random/boot_id), "" if unknown. */
void vmtrace_boot_id(char *buf, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");

	buf[0] = '\0';
	if (f && !fgets(buf, len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (f)
		fclose(f);
}

/* The value of "@key=" in INFO text, copied into @buf ("" if absent). */
static void info_value(const char *text, size_t len, const char *key,
		       char *buf, size_t room)
{
	size_t k = strlen(key), n = 0;
	const char *p = text, *end = text + len;

	buf[0] = '\0';
	for (; p && p + k <= end; p = memchr(p, '\n', end - p), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, k) || p + k >= end || p[k] != '=')
			continue;
		for (p += k + 1; p + n < end && p[n] != '\n' && n < room - 1; n++)
			buf[n] = p[n];
		buf[n] = '\0';
		return;
	}
}

/* A reopened trace keeps its start if it was recorded on this boot. */
static void reopen_info(void *ctx, const char *text, size_t len)
{
	struct vmtrace_tw *w = ctx;
	char start[32], boot[64], now[64];

	info_value(text, len, "start_ns", start, sizeof(start));
	info_value(text, len, "boot_id", boot, sizeof(boot));
	vmtrace_boot_id(now, sizeof(now));
	if (start[0] && boot[0] && !strcmp(boot, now))
		w->start_ns = strtoull(start, NULL, 10);
}

/*
 * Continue FILE.incomplete after its last good section.
 * Return: 0 with w->next_seq the first chunk missing; -1 with @err.
 */
int vmtrace_tw_reopen(struct vmtrace_tw *w, const char *path, char *err)
{
	static const struct vmtrace_walk_ops ops = { .info = reopen_info };
	struct vmtrace_walk walk;
	int ret;

	tw_paths(w, path);
	ret = vmtrace_trace_walk(w->part, &ops, w, &walk);
	if (ret == 0 || walk.valid_end == 0) {
		snprintf(err, VMTRACE_ERRLEN, "%.100s: %.140s", w->part,
			 ret == 0 ? "already complete" : walk.error);
		return -1;
	}
	w->fd = open(w->part, O_WRONLY | O_CLOEXEC);
	if (w->fd < 0 || ftruncate(w->fd, walk.valid_end) ||
	    lseek(w->fd, walk.valid_end, SEEK_SET) != walk.valid_end) {
		snprintf(err, VMTRACE_ERRLEN, "%.160s: %.60s", w->part, strerror(errno));
		vmtrace_tw_close(w);
		return -1;
	}
	w->next_seq = walk.chunks;
	w->end.chunks = walk.chunks;
	w->end.bytes = walk.bytes;
	w->end.bytes_raw = walk.bytes_raw;
	memcpy(w->end.records, walk.records, sizeof(w->end.records));
	return 0;
}

/*
 * Check a chunk from the module and append it: a CHECKPOINT chunk as a
 * CHECKPOINT section, others as CHUNK sections. Chunks of both kinds come
 * in one seq order, without gaps. Return: 0, or -1 with @err.
 */
int vmtrace_tw_chunk(struct vmtrace_tw *w, const struct vmtrace_chunk *c,
		     char *err)
{
	uint64_t counts[VMTRACE_REC_NR] = { 0 };
	uint8_t *raw;
	int i;

	if (vmtrace_chunk_check(c, c->size, err))
		return -1;
	if (c->seq != w->next_seq)
		return snprintf(err, VMTRACE_ERRLEN, "chunk seq %llu, expected %llu",
				(unsigned long long)c->seq,
				(unsigned long long)w->next_seq), -1;
	if (vmtrace_chunk_records(c, &raw, err))
		return -1;
	i = vmtrace_records_check(c, raw, counts, err);
	free(raw);
	if (i)
		return -1;
	if (write_section(w->fd, c->type == VMTRACE_CHUNK_CHECKPOINT ?
			  VMTRACE_SECTION_CHECKPOINT : VMTRACE_SECTION_CHUNK, c, c->size))
		return snprintf(err, VMTRACE_ERRLEN, "%.160s: %.60s", w->part, strerror(errno)), -1;
	for (i = 0; i < VMTRACE_REC_NR; i++)
		w->end.records[i] += counts[i];
	w->end.chunks++;
	w->end.bytes += c->size;
	w->end.bytes_raw += c->raw_size;
	w->next_seq++;
	return 0;
}

/* A CPUID section, for a guest whose CPUID was not known at the start. */
int vmtrace_tw_cpuid(struct vmtrace_tw *w, const struct vmtrace_cpuid_entry *e,
		     unsigned int n)
{
	return write_section(w->fd, VMTRACE_SECTION_CPUID, e, n * sizeof(*e));
}

static int fsync_dir(const char *path)
{
	char copy[PATH_MAX];
	int fd, ret;

	snprintf(copy, sizeof(copy), "%s", path);
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = fsync(fd);
	close(fd);
	return ret;
}

/*
 * Write END (its duration_ns from w->start_ns to now, 0 if no start is
 * known), fsync, rename to FILE. Return: 0, or -1 with errno.
 */
int vmtrace_tw_finish(struct vmtrace_tw *w, uint64_t waits)
{
	uint64_t now = vmtrace_monotonic_ns();

	w->end.waits = waits;
	w->end.duration_ns = w->start_ns && now > w->start_ns ? now - w->start_ns : 0;
	if (write_section(w->fd, VMTRACE_SECTION_END, &w->end, sizeof(w->end)) ||
	    fsync(w->fd) || rename(w->part, w->path) || fsync_dir(w->path))
		return -1;
	vmtrace_tw_close(w);
	return 0;
}

/* Close without finishing: FILE.incomplete stays for a later reopen. */
void vmtrace_tw_close(struct vmtrace_tw *w)
{
	if (w->fd >= 0) {
		fsync(w->fd);
		close(w->fd);
	}
	w->fd = -1;
}
