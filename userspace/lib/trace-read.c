// SPDX-License-Identifier: GPL-2.0
/*
 * Walking a trace file with every check the format allows: header,
 * section framing, each chunk's CRC, sizes and seq order (CHECKPOINT and
 * CHUNK sections share one), every record,
 * per-vCPU ordinal order and END chunks, and the END section's totals.
 * The first fault stops the walk and is reported with its place: file
 * offset, section index, chunk seq, record.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace.h"

#define WALK_MAX_VCPUS	1024

struct walker {
	const uint8_t *map;
	size_t size;
	size_t off;			/* of the section being looked at */
	unsigned int index;		/* its index */
	const struct vmtrace_walk_ops *ops;
	void *ctx;
	struct vmtrace_walk *w;
	uint64_t last_ordinal[WALK_MAX_VCPUS];
	bool seen[WALK_MAX_VCPUS];
	bool ended[WALK_MAX_VCPUS];
};

static int walk_fail(struct walker *k, const char *fmt, ...)
{
	struct vmtrace_walk *w = k->w;
	char why[VMTRACE_ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(w->error, sizeof(w->error), "offset %zu, section %u: %s",
		 k->off, k->index, why);
	return -1;
}

static void walk_info(struct walker *k, const char *text, size_t len)
{
	const char *m = memmem(text, len, "\nmode=", 6);
	size_t n = 0;

	if (m) {
		m += 6;
		while (m + n < text + len && m[n] != '\n' && n < sizeof(k->w->mode) - 1)
			n++;
		memcpy(k->w->mode, m, n);
	}
	k->w->mode[n] = '\0';
	if (k->ops && k->ops->info)
		k->ops->info(k->ctx, text, len);
}

/* Per-vCPU order: ordinals never go back; nothing after a vCPU's END. */
static int walk_vcpu_order(struct walker *k, const struct vmtrace_chunk *c)
{
	unsigned int v = c->vcpu;

	if (v >= WALK_MAX_VCPUS)
		return walk_fail(k, "chunk seq %llu: vCPU %u out of range",
				 (unsigned long long)c->seq, v);
	if (k->ended[v])
		return walk_fail(k, "chunk seq %llu: vCPU %u after its END chunk",
				 (unsigned long long)c->seq, v);
	if (k->seen[v] && c->first_ordinal < k->last_ordinal[v])
		return walk_fail(k, "chunk seq %llu: vCPU %u ordinal %llu after %llu",
				 (unsigned long long)c->seq, v,
				 (unsigned long long)c->first_ordinal,
				 (unsigned long long)k->last_ordinal[v]);
	if (!k->seen[v])
		k->w->vcpus++;
	k->seen[v] = true;
	k->ended[v] = c->type == VMTRACE_CHUNK_END;
	k->last_ordinal[v] = c->last_ordinal;
	if (c->last_ordinal > k->w->last_ordinal)
		k->w->last_ordinal = c->last_ordinal;
	return 0;
}

static int walk_records(struct walker *k, const struct vmtrace_chunk *c,
			const uint8_t *raw)
{
	uint32_t off;

	if (!k->ops || !k->ops->record)
		return 0;
	for (off = 0; off < c->raw_size; off += ((const struct vmtrace_rec *)(raw + off))->size)
		if (k->ops->record(k->ctx, c, (const void *)(raw + off)))
			return walk_fail(k, "stopped by the caller");
	return 0;
}

/* A CHECKPOINT section holds a CHECKPOINT chunk, a CHUNK section any other. */
static int walk_chunk(struct walker *k, uint32_t id, const uint8_t *p, size_t len)
{
	const struct vmtrace_chunk *c = (const void *)p;
	char err[VMTRACE_ERRLEN];
	uint8_t *raw;
	int ret;

	if (vmtrace_chunk_check(c, len, err))
		return walk_fail(k, "%s", err);
	if ((id == VMTRACE_SECTION_CHECKPOINT) != (c->type == VMTRACE_CHUNK_CHECKPOINT))
		return walk_fail(k, "chunk seq %llu of type %u in a %s section",
				 (unsigned long long)c->seq, c->type,
				 id == VMTRACE_SECTION_CHECKPOINT ? "CHECKPOINT" : "CHUNK");
	if (c->size != len)
		return walk_fail(k, "chunk seq %llu of %u bytes in a section of %zu",
				 (unsigned long long)c->seq, c->size, len);
	if (vmtrace_chunk_records(c, &raw, err))
		return walk_fail(k, "%s", err);
	ret = vmtrace_records_check(c, raw, k->w->records, err);
	if (ret)
		walk_fail(k, "%s", err);
	else if (c->seq != k->w->chunks)
		ret = walk_fail(k, "chunk seq %llu where %llu was expected",
				(unsigned long long)c->seq,
				(unsigned long long)k->w->chunks);
	else if (!(ret = walk_vcpu_order(k, c)))
		ret = walk_records(k, c, raw);
	free(raw);
	if (ret)
		return -1;
	k->w->chunks++;
	k->w->ckpt_chunks += c->type == VMTRACE_CHUNK_CHECKPOINT;
	k->w->nr_records += c->nr_records;
	k->w->bytes += c->size;
	k->w->bytes_raw += c->raw_size;
	return 0;
}

static int walk_end(struct walker *k, const uint8_t *p, size_t len)
{
	struct vmtrace_file_end e;
	struct vmtrace_walk *w = k->w;
	unsigned int v;

	if (len != sizeof(e))
		return walk_fail(k, "END section of %zu bytes", len);
	memcpy(&e, p, sizeof(e));
	if (e.chunks != w->chunks || e.bytes != w->bytes || e.bytes_raw != w->bytes_raw ||
	    memcmp(e.records, w->records, sizeof(e.records)))
		return walk_fail(k, "END totals (%llu chunks, %llu bytes) differ from the file's (%llu, %llu)",
				 (unsigned long long)e.chunks, (unsigned long long)e.bytes,
				 (unsigned long long)w->chunks, (unsigned long long)w->bytes);
	for (v = 0; v < WALK_MAX_VCPUS; v++)
		if (k->seen[v] && !k->ended[v])
			return walk_fail(k, "vCPU %u has no END chunk", v);
	w->waits = e.waits;
	w->duration_ns = e.duration_ns;
	return 0;
}

/* One section at k->off; sets *next to the following one's offset. */
static int walk_section(struct walker *k, size_t *next)
{
	const struct vmtrace_section *s = (const void *)(k->map + k->off);
	size_t left = k->size - k->off - sizeof(*s), padded;

	if (k->size - k->off < sizeof(*s))
		return walk_fail(k, "truncated: %zu bytes where a section header needs 16",
				 k->size - k->off);
	padded = (s->size + 7) & ~(uint64_t)7;
	if (s->size > left || padded > left)
		return walk_fail(k, "truncated: section %u needs %llu bytes, %zu left",
				 s->id, (unsigned long long)s->size, left);
	*next = k->off + sizeof(*s) + padded;
	if (s->flags || (k->index == 0) != (s->id == VMTRACE_SECTION_INFO))
		return walk_fail(k, "section id %u, flags %u out of place", s->id, s->flags);
	switch (s->id) {
	case VMTRACE_SECTION_INFO:
		walk_info(k, (const char *)(s + 1), s->size);
		return 0;
	case VMTRACE_SECTION_CPUID:
		k->w->nr_cpuid = s->size / sizeof(struct vmtrace_cpuid_entry);
		return s->size % sizeof(struct vmtrace_cpuid_entry) ?
		       walk_fail(k, "CPUID section of %llu bytes", (unsigned long long)s->size) : 0;
	case VMTRACE_SECTION_CHUNK:
	case VMTRACE_SECTION_CHECKPOINT:
		return walk_chunk(k, s->id, (const uint8_t *)(s + 1), s->size);
	case VMTRACE_SECTION_END:
		if (walk_end(k, (const uint8_t *)(s + 1), s->size))
			return -1;
		k->w->complete = true;
		return *next == k->size ? 0 : walk_fail(k, "%zu bytes after the END section",
							k->size - *next);
	}
	return walk_fail(k, "unknown section id %u", s->id);
}

static int walk_header(struct walker *k)
{
	const struct vmtrace_file_header *h = (const void *)k->map;

	if (k->size < sizeof(*h))
		return walk_fail(k, "truncated: %zu bytes, the header needs 32", k->size);
	if (memcmp(h->magic, VMTRACE_FILE_MAGIC, sizeof(h->magic)))
		return walk_fail(k, "not a vmtrace trace (bad magic)");
	if (h->version != VMTRACE_FILE_VERSION)
		return walk_fail(k, "trace format version %u; this tool reads %u",
				 h->version, VMTRACE_FILE_VERSION);
	k->off = sizeof(*h);
	k->w->valid_end = k->off;
	return 0;
}

static int walk_map(struct walker *k)
{
	size_t next = 0;

	if (walk_header(k))
		return -1;
	while (k->off < k->size && !k->w->complete) {
		if (walk_section(k, &next))
			return -1;
		k->off = next;
		k->index++;
		k->w->valid_end = next;
	}
	if (!k->w->complete) {
		walk_fail(k, "incomplete: no END section");
		return 1;
	}
	return 0;
}

/*
 * Walk the trace at @path, calling @ops (may be NULL) for what it holds.
 * Return: 0 if the trace is whole and sound; 1 if it is sound but has no
 * END section (still being written, or its writer died); -1 at the first
 * fault. w->error says why and where for 1 and -1; w->valid_end is the
 * offset up to which the file is good.
 */
int vmtrace_trace_walk(const char *path, const struct vmtrace_walk_ops *ops,
		       void *ctx, struct vmtrace_walk *w)
{
	struct walker *k = calloc(1, sizeof(*k));
	struct stat st;
	int fd, ret = -1;

	memset(w, 0, sizeof(*w));
	if (!k)
		return snprintf(w->error, sizeof(w->error), "out of memory"), -1;
	k->w = w;
	k->ops = ops;
	k->ctx = ctx;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		w->sys_errno = errno;
		snprintf(w->error, sizeof(w->error), "%.200s: %s", path, strerror(errno));
	} else if (st.st_size == 0) {
		snprintf(w->error, sizeof(w->error), "offset 0: empty file");
	} else {
		k->size = st.st_size;
		k->map = mmap(NULL, k->size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (k->map == MAP_FAILED)
			snprintf(w->error, sizeof(w->error), "mmap: %s",
				 strerror(w->sys_errno = errno));
		else
			ret = walk_map(k);
		if (k->map != MAP_FAILED)
			munmap((void *)k->map, k->size);
	}
	if (fd >= 0)
		close(fd);
	free(k);
	return ret;
}
