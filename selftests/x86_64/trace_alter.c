// SPDX-License-Identifier: GPL-2.0
/*
 * trace_alter IN OUT TYPE N DELTA [FLAGS]: copy trace IN to OUT with the
 * N-th record (from 0) of type TYPE (a record name: rdtsc, pio_in, ...) in
 * the vCPUs' RECORDS chunks changed: DELTA added to its first 64-bit field
 * after the header (RDTSC's value, for one), FLAGS or'ed into its flags. The chunk holding it is
 * written uncompressed with a new CRC, and the END section's byte count
 * follows, so the trace stays well-formed: only its content lies. Prints
 * "ordinal O rip 0xR" of the record changed (RIP where the record has
 * one, else 0). A test helper for divergence detection.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

struct alter {
	int type;
	long target, seen;
	uint64_t delta;
	uint32_t flags;
	int64_t bytes_delta;
	bool done;
};

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		goto out;
	buf = malloc(n ? n : 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	*len = n;
out:
	if (f)
		fclose(f);
	return buf;
}

/* Change the record in @raw if it is there; true if it was. */
static bool alter_records(struct alter *a, uint8_t *raw, uint32_t len)
{
	struct vmtrace_rec *r;
	uint32_t pos;
	uint64_t *field, rip;

	for (pos = 0; pos + sizeof(*r) <= len; pos += r->size) {
		r = (struct vmtrace_rec *)(raw + pos);
		if (r->size < sizeof(*r))
			return false;
		if (r->type != a->type || a->seen++ != a->target)
			continue;
		field = (uint64_t *)(r + 1);
		*field += a->delta;
		r->flags |= a->flags;
		rip = r->type == VMTRACE_REC_RDTSC || r->type == VMTRACE_REC_RDTSCP ?
		      ((struct vmtrace_rec_tsc *)r)->rip : 0;
		printf("ordinal %llu rip 0x%llx\n", (unsigned long long)r->ordinal,
		       (unsigned long long)rip);
		return true;
	}
	return false;
}

/* Write the chunk section of @c, altered if it holds the target. */
static int put_chunk(FILE *out, struct alter *a, const struct vmtrace_section *s,
		     const struct vmtrace_chunk *c)
{
	struct vmtrace_section ns = *s;
	struct vmtrace_chunk nc = *c;
	char err[VMTRACE_ERRLEN];
	uint8_t *raw = NULL, pad[8] = {0};
	uint32_t crc;
	int ret = -1;

	if (a->done || c->type != VMTRACE_CHUNK_RECORDS ||
	    vmtrace_chunk_records(c, &raw, err) || !alter_records(a, raw, c->raw_size)) {
		free(raw);
		return fwrite(s, 1, sizeof(*s) + ((s->size + 7) & ~7ULL), out) ==
		       sizeof(*s) + ((s->size + 7) & ~7ULL) ? 0 : -1;
	}
	a->done = true;
	nc.flags &= ~VMTRACE_CHUNK_ZSTD;
	nc.payload_size = c->raw_size;
	nc.size = (sizeof(nc) + nc.payload_size + 7) & ~7U;
	nc.crc32c = 0;
	crc = vmtrace_crc32c(0, &nc, sizeof(nc));
	nc.crc32c = vmtrace_crc32c(crc, raw, nc.payload_size);
	a->bytes_delta = (int64_t)nc.size - c->size;
	ns.size = nc.size;	/* a section holds the chunk, padding included */
	if (fwrite(&ns, sizeof(ns), 1, out) == 1 && fwrite(&nc, sizeof(nc), 1, out) == 1 &&
	    fwrite(raw, 1, nc.payload_size, out) == nc.payload_size &&
	    fwrite(pad, 1, nc.size - sizeof(nc) - nc.payload_size, out) ==
	    nc.size - sizeof(nc) - nc.payload_size)
		ret = 0;
	free(raw);
	return ret;
}

static int copy(FILE *out, struct alter *a, uint8_t *buf, size_t len)
{
	size_t pos = sizeof(struct vmtrace_file_header);
	struct vmtrace_section *s;

	if (len < pos || fwrite(buf, 1, pos, out) != pos)
		return -1;
	while (pos + sizeof(*s) <= len) {
		s = (struct vmtrace_section *)(buf + pos);
		if (s->id == VMTRACE_SECTION_END)
			((struct vmtrace_file_end *)(s + 1))->bytes += a->bytes_delta;
		if (s->id == VMTRACE_SECTION_CHUNK) {
			if (put_chunk(out, a, s, (const struct vmtrace_chunk *)(s + 1)))
				return -1;
		} else if (fwrite(s, 1, sizeof(*s) + ((s->size + 7) & ~7ULL), out) !=
			   sizeof(*s) + ((s->size + 7) & ~7ULL)) {
			return -1;
		}
		pos += sizeof(*s) + ((s->size + 7) & ~7ULL);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct alter a = {};
	uint8_t *buf;
	size_t len = 0;
	FILE *out;

	if (argc != 6 && argc != 7) {
		fprintf(stderr, "usage: trace_alter IN OUT TYPE N DELTA [FLAGS]\n");
		return 2;
	}
	if (argc == 7)
		a.flags = strtoul(argv[6], NULL, 0);
	a.type = vmtrace_rec_type(argv[3]);
	a.target = strtol(argv[4], NULL, 0);
	a.delta = strtoull(argv[5], NULL, 0);
	buf = slurp(argv[1], &len);
	out = fopen(argv[2], "wb");
	if (a.type <= 0 || !buf || !out || copy(out, &a, buf, len) || fclose(out)) {
		fprintf(stderr, "trace_alter: cannot copy %s to %s\n", argv[1], argv[2]);
		return 1;
	}
	if (!a.done) {
		fprintf(stderr, "trace_alter: %s has no %s record %ld\n", argv[1],
			argv[3], a.target);
		return 1;
	}
	free(buf);
	return 0;
}
