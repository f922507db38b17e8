// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of traces holding every record type, from two vCPUs, in
 * zstd and raw chunks: exact statistics, dump's filters, and faults that
 * only a check past the CRC finds (the CRC is fixed up after the damage).
 *
 * The trace: chunk 0 (vCPU 0, zstd) is a CHECKPOINT chunk of types 19-21,
 * chunk 1 (vCPU 0, zstd) holds types 1-8, chunk 2 (vCPU 1, raw) types
 * 9-18, type T T times; chunks 3 and 4 are the END chunks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zstd.h>

#include "trace.h"
#include "unit.h"

struct recbuf {
	uint8_t data[96 * 1024];
	uint32_t len;
	uint32_t nr;
	uint64_t first, last;
};

static const char *ctl;
static char path[1024];
static uint64_t chunk_bytes, raw_bytes;
static uint32_t mem_off;	/* of the first mem_write record in chunk 1 */

/* Bytes of a record of @type: the fixed part, and 8 data bytes if any. */
static uint16_t rec_size(unsigned int type)
{
	static const uint16_t sizes[VMTRACE_REC_NR] = {
		0, 40, 40, 40, 40, 32, 40, 40, 40, 32, 64, 64, 64, 40, 32, 32,
		40, 40, 56, 32, 64, 4128,
	};

	return sizes[type];
}

static void rec_add(struct recbuf *b, unsigned int type, uint64_t ord)
{
	struct vmtrace_rec *r = (void *)(b->data + b->len);

	memset(r, 0, rec_size(type));
	r->type = type;
	r->size = rec_size(type);
	r->ordinal = ord;
	if (type == VMTRACE_REC_PIO_IN || type == VMTRACE_REC_PIO_OUT) {
		((struct vmtrace_rec_pio *)r)->size = 1;
		((struct vmtrace_rec_pio *)r)->count = 1;
	} else if (type == VMTRACE_REC_MEM_WRITE) {
		((struct vmtrace_rec_mem *)r)->len = 8;
	} else if (type == VMTRACE_REC_CKPT_PAGE) {
		((struct vmtrace_rec_mem *)r)->len = VMTRACE_PAGE_SIZE;
	} else if (type == VMTRACE_REC_CKPT_STATE) {
		((struct vmtrace_rec_ckpt_state *)r)->what = VMTRACE_CKPT_MP_STATE;
		((struct vmtrace_rec_ckpt_state *)r)->len = 8;
	}
	if (!b->nr++)
		b->first = ord;
	b->last = ord;
	b->len += r->size;
}

/* Records of types @from..@to, type T T times, ordinals from @ord. */
static void fill(struct recbuf *b, unsigned int from, unsigned int to, uint64_t ord)
{
	unsigned int t, i;

	memset(b, 0, sizeof(*b));
	for (t = from; t <= to; t++) {
		if (t == VMTRACE_REC_MEM_WRITE)
			mem_off = b->len;
		if (b->len + t * rec_size(t) > sizeof(b->data))
			abort();
		for (i = 0; i < t; i++)
			rec_add(b, t, ord + b->nr / 3);
	}
}

void chunk_seal(struct vmtrace_chunk *c)
{
	c->crc32c = 0;
	c->crc32c = vmtrace_crc32c(vmtrace_crc32c(0, c, sizeof(*c)), c + 1,
				   c->payload_size);
}

/* A chunk of @b's records (NULL: an END chunk at ordinal @ord). */
static struct vmtrace_chunk *chunk_new(const struct recbuf *b, uint64_t seq,
				       uint32_t vcpu, bool zstd, uint64_t ord)
{
	return records_chunk(b ? b->data : NULL, b ? b->len : 0, b ? b->nr : 0,
			     b ? VMTRACE_CHUNK_RECORDS : VMTRACE_CHUNK_END, seq, vcpu,
			     zstd, ord);
}

/*
 * A chunk of type @type holding the @nr records in @len bytes at @recs,
 * sealed; an END chunk (no records) is at ordinal @ord. For other tests.
 */
struct vmtrace_chunk *records_chunk(const void *recs, uint32_t len, uint32_t nr,
				    uint16_t type, uint64_t seq, uint32_t vcpu,
				    bool zstd, uint64_t ord)
{
	size_t bound = ZSTD_compressBound(len), n = 0;
	struct vmtrace_chunk *c = calloc(1, sizeof(*c) + bound + 8);
	const struct vmtrace_rec *r = recs;
	uint64_t first = ord, last = ord;
	uint32_t off;

	for (off = 0; recs && off < len; off += r->size) {
		r = (const void *)((const uint8_t *)recs + off);
		first = off ? first : r->ordinal;
		last = r->ordinal;
	}
	if (len && zstd)
		n = ZSTD_compress(c + 1, bound, recs, len, 3);
	else if (len)
		memcpy(c + 1, recs, n = len);
	*c = (struct vmtrace_chunk){ .magic = VMTRACE_CHUNK_MAGIC,
		.version = VMTRACE_CHUNK_VERSION, .type = type,
		.size = (sizeof(*c) + n + 7) & ~7UL, .vcpu = vcpu, .seq = seq,
		.first_ordinal = first, .last_ordinal = last, .nr_records = nr,
		.flags = len && zstd ? VMTRACE_CHUNK_ZSTD : 0,
		.raw_size = len, .payload_size = n };
	chunk_seal(c);
	return c;
}

static int put(struct vmtrace_tw *w, struct vmtrace_chunk *c, char *err)
{
	int ret = vmtrace_tw_chunk(w, c, err);

	if (!ret) {
		chunk_bytes += c->size;
		raw_bytes += c->raw_size;
	}
	free(c);
	return ret;
}

/* The trace of the header comment; without vCPU 1's END if @lose_end. */
int records_trace_write(const char *file, bool lose_end)
{
	static struct recbuf ck, b0, b1;
	char err[VMTRACE_ERRLEN] = "";
	struct vmtrace_tw w;

	chunk_bytes = raw_bytes = 0;
	fill(&ck, 19, 21, 40);
	fill(&b0, 1, 8, 100);
	fill(&b1, 9, 18, 200);
	if (vmtrace_tw_create(&w, file, true, "format=1\nmode=exit-ordinal\n", NULL, 0))
		return -1;
	if (put(&w, records_chunk(ck.data, ck.len, ck.nr, VMTRACE_CHUNK_CHECKPOINT,
				  0, 0, true, 0), err) ||
	    put(&w, chunk_new(&b0, 1, 0, true, 0), err) ||
	    put(&w, chunk_new(&b1, 2, 1, false, 0), err) ||
	    put(&w, chunk_new(NULL, 3, 0, false, b0.last + 1), err) ||
	    (!lose_end && put(&w, chunk_new(NULL, 4, 1, false, b1.last), err))) {
		fprintf(stderr, "# %s\n", err);
		vmtrace_tw_close(&w);
		return -1;
	}
	return vmtrace_tw_finish(&w, 0);
}

static int run(char *out, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Run a shell command; its stdout (up to @len) in @out; its exit status. */
static int run(char *out, size_t len, const char *fmt, ...)
{
	char cmd[8192];
	size_t n = 0;
	va_list ap;
	FILE *p;
	int st;

	if (out)
		out[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (out) {
		n = fread(out, 1, len - 1, p);
		out[n] = '\0';
	}
	while (fgetc(p) != EOF)
		;
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The records object stats --json must print: type T counted T times. */
static void expected_records(char *buf, size_t len)
{
	size_t n = snprintf(buf, len, "{\"records\": {");
	unsigned int t;

	for (t = 1; t < VMTRACE_REC_NR; t++)
		n += snprintf(buf + n, len - n, "%s\"%s\": %u", t > 1 ? ", " : "",
			      vmtrace_rec_name(t), t);
	snprintf(buf + n, len - n, "}, \"total_records\": 231, \"chunks\": 5, ");
}

static void test_stats(void)
{
	char out[4096], want[1024], tail[256];
	int st = run(out, sizeof(out), "%s stats --json %s", ctl, path);

	expected_records(want, sizeof(want));
	ok(st == 0 && !strncmp(out, want, strlen(want)),
	   "records: stats --json counts every type exactly (%.300s)", out);
	snprintf(tail, sizeof(tail), "\"bytes\": %llu, \"bytes_uncompressed\": %llu, ",
		 (unsigned long long)chunk_bytes, (unsigned long long)raw_bytes);
	ok(strstr(out, tail) && strstr(out, "\"vcpus\": 2,") &&
	   strstr(out, "\"mode\": \"exit-ordinal\"") && strstr(out, "\"complete\": true"),
	   "records: stats --json bytes, vCPUs, mode, complete (%s)", tail);
	ok(run(out, sizeof(out), "%s stats %s", ctl, path) == 0 &&
	   strstr(out, "mem_write    13\n") && strstr(out, "ratio "),
	   "records: stats in text counts and gives the ratio");
}

static void test_dump(void)
{
	char out[65536] = "";

	ok(run(out, sizeof(out), "%s dump --type irq,cpuid %s | wc -l", ctl, path) == 0 &&
	   atoi(out) == 16, "records: dump --type irq,cpuid shows 10 + 6 (%d)", atoi(out));
	ok(run(out, sizeof(out), "%s dump --vcpu 1 %s | wc -l", ctl, path) == 0 &&
	   atoi(out) == 135, "records: dump --vcpu 1 shows vCPU 1's 135 (%d)", atoi(out));
	ok(run(out, sizeof(out), "%s dump --vcpu 1 --type rdtsc %s | wc -l", ctl, path) == 0 &&
	   atoi(out) == 0, "records: dump --vcpu and --type combine");
	ok(run(out, sizeof(out), "%s dump --json %s | grep -o '\"type\": ' | wc -l",
	       ctl, path) == 0 && atoi(out) == 231,
	   "records: dump --json has an object per record (%d)", atoi(out));
	ok(run(out, sizeof(out), "%s dump --json --type nmi %s", ctl, path) == 0 &&
	   out[0] == '[' && !strcmp(out + strlen(out) - 2, "]\n") &&
	   strstr(out, "{\"vcpu\": 1, \"chunk\": 2, \"ordinal\": "),
	   "records: dump --json is an array of objects");
	ok(run(out, sizeof(out), "%s dump --type pio_in %s", ctl, path) == 0 &&
	   strstr(out, "vcpu 0 chunk 1 ordinal ") && strstr(out, "pio_in") &&
	   strstr(out, "port="), "records: dump prints vCPU, chunk, ordinal, type, fields");
	ok(run(out, sizeof(out), "%s dump --type ckpt_state,ckpt_slot,digest,pio_out %s",
	       ctl, path) == 0 && strstr(out, "vcpu 0 chunk 0 ordinal ") &&
	   strstr(out, "ckpt_state flags=0 what=mp_state len=0x8") &&
	   strstr(out, "ckpt_slot  flags=0 slot=0 flags=0 gpa=0 size=0 pages=0") &&
	   strstr(out, "digest     flags=0 rip=0 rflags=0 regs=0 mem_gpa=0 mem=0") &&
	   strstr(out, "pio_out    flags=0 port=0 size=0x1 count=0x1 value=0"),
	   "records: dump prints the checkpoint, digest and output records");
	ok(run(out, sizeof(out), "%s dump --json --type ckpt_state %s", ctl, path) == 0 &&
	   strstr(out, "\"what\": \"mp_state\", \"len\": 8}"),
	   "records: dump --json names a checkpoint record's piece");
}

uint32_t records_mem_off(void)
{
	return mem_off;
}

void test_trace_records(const char *dir, const char *ctl_path)
{
	ctl = ctl_path;
	snprintf(path, sizeof(path), "%s/r.vmt", dir);
	ok(vmtrace_crc32c(vmtrace_crc32c(0, "1234", 4), "56789", 5) == 0xe3069283,
	   "crc32c continues over pieces");
	ok(!records_trace_write(path, false), "records: a trace of every type, two vCPUs");
	test_stats();
	test_dump();
	test_trace_damage(dir, ctl_path);
}
