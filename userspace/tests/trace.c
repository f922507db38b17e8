// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the trace format on the host: chunks made here the way
 * the module makes them (zstd, CRC32C), written with the trace writer,
 * read back, then damaged in every way verify must notice.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zstd.h>

#include "trace.h"
#include "unit.h"

#define NR_RECS	100	/* RDTSC records per chunk */

static const char *ctl;
static char path[4096];

/* A chunk of @nr RDTSC records from ordinal @ord, as the module builds it. */
static struct vmtrace_chunk *make_chunk(uint64_t seq, uint16_t type, int nr,
					uint64_t ord)
{
	struct vmtrace_rec_tsc recs[NR_RECS];
	size_t bound = ZSTD_compressBound(sizeof(recs)), n;
	struct vmtrace_chunk *c = calloc(1, sizeof(*c) + bound + 8);
	int i;

	memset(recs, 0, sizeof(recs));
	for (i = 0; i < nr; i++) {
		recs[i].hdr = (struct vmtrace_rec){ .type = VMTRACE_REC_RDTSC,
			.size = sizeof(recs[i]), .ordinal = ord + i };
		recs[i].tsc = 1000000 + 37 * (ord + i);
	}
	n = nr ? ZSTD_compress(c + 1, bound, recs, nr * sizeof(recs[0]), 3) : 0;
	*c = (struct vmtrace_chunk){ .magic = VMTRACE_CHUNK_MAGIC,
		.version = VMTRACE_CHUNK_VERSION, .type = type,
		.size = (sizeof(*c) + n + 7) & ~7UL, .seq = seq,
		.first_ordinal = nr ? ord : ord, .last_ordinal = nr ? ord + nr - 1 : ord,
		.nr_records = nr, .flags = nr ? VMTRACE_CHUNK_ZSTD : 0,
		.raw_size = nr * sizeof(recs[0]), .payload_size = n };
	c->crc32c = vmtrace_crc32c(vmtrace_crc32c(0, c, sizeof(*c)), c + 1, n);
	return c;
}

static int add(struct vmtrace_tw *w, struct vmtrace_chunk *c)
{
	char err[VMTRACE_ERRLEN];
	int ret = vmtrace_tw_chunk(w, c, err);

	free(c);
	return ret;
}

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int run(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void write_good(void)
{
	struct vmtrace_tw w;

	ok(!vmtrace_tw_create(&w, path, true, "format=1\nmode=exit-ordinal\n", NULL, 0),
	   "trace: create");
	ok(!add(&w, make_chunk(0, VMTRACE_CHUNK_RECORDS, NR_RECS, 10)) &&
	   !add(&w, make_chunk(1, VMTRACE_CHUNK_RECORDS, NR_RECS, 110)) &&
	   !add(&w, make_chunk(2, VMTRACE_CHUNK_END, 0, 209)), "trace: three chunks");
	ok(add(&w, make_chunk(4, VMTRACE_CHUNK_RECORDS, 1, 300)) != 0,
	   "trace: the writer refuses a chunk out of seq order");
	ok(!vmtrace_tw_finish(&w, 7), "trace: finish");
}

static void test_good(void)
{
	struct vmtrace_walk w;
	int ret = vmtrace_trace_walk(path, NULL, NULL, &w);

	ok(ret == 0 && w.complete, "trace: walks clean (%s)", w.error);
	ok(w.chunks == 3 && w.records[VMTRACE_REC_RDTSC] == 2 * NR_RECS &&
	   w.vcpus == 1 && w.waits == 7 && !strcmp(w.mode, "exit-ordinal"),
	   "trace: counts, vCPUs, waits, mode");
	ok(run("%s verify %s >/dev/null", ctl, path) == 0, "cli: verify of a good trace is 0");
	ok(run("%s stats --json %s | grep -q '\"rdtsc\": %d'", ctl, path, 2 * NR_RECS) == 0,
	   "cli: stats --json counts rdtsc");
	ok(run("test $(%s dump --type rdtsc %s | wc -l) -eq %d", ctl, path, 2 * NR_RECS) == 0,
	   "cli: dump --type rdtsc prints every record");
	ok(run("test $(%s dump --type cpuid %s | wc -l) -eq 0", ctl, path) == 0,
	   "cli: dump --type filters");
	ok(run("%s dump --type nosuch %s 2>/dev/null", ctl, path) == 2,
	   "cli: dump with an unknown type is a usage error");
}

/* Copy the good trace, damage it with SHELL-CMD on $f, verify it. */
static void damaged(const char *what, const char *damage, const char *expect)
{
	ok(run("f=%s.bad; cp %s $f && %s && %s verify $f 2>$f.err >/dev/null; "
	       "test $? -eq 10 && grep -q '%s' $f.err", path, path, damage, ctl,
	       expect) == 0, "verify: %s is found (%s)", what, expect);
}

static void test_damage(void)
{
	char cut[128];
	struct stat st;

	stat(path, &st);
	/* The END section: a 16-byte header and struct vmtrace_file_end. */
	snprintf(cut, sizeof(cut), "truncate -s %ld $f",
		 (long)st.st_size - 16 - (long)sizeof(struct vmtrace_file_end));
	/* Section 2 (INFO, CPUID first) is chunk 0; its payload starts 80 bytes in. */
	damaged("a flipped bit in a chunk's payload",
		"printf '\\125' | dd of=$f bs=1 seek=$(( 32 + 16 + 32 + 16 + 0 + 16 + 64 + 5 )) conv=notrunc 2>/dev/null",
		"section 2: chunk seq 0: CRC32C mismatch");
	damaged("a flipped bit in a chunk's header",
		"printf '\\125' | dd of=$f bs=1 seek=$(( 32 + 16 + 32 + 16 + 16 + 30 )) conv=notrunc 2>/dev/null",
		"section 2: chunk seq 0");
	damaged("a truncated file", "truncate -s 500 $f", "truncated");
	damaged("a missing END section", cut, "incomplete: no END section");
	damaged("a bad magic", "printf 'X' | dd of=$f bs=1 seek=0 conv=notrunc 2>/dev/null",
		"bad magic");
	damaged("bytes after END", "echo junk >>$f", "after the END section");
}

static void test_gap(void)
{
	struct vmtrace_walk walk;
	struct vmtrace_tw w;

	vmtrace_tw_create(&w, path, true, "format=1\n", NULL, 0);
	add(&w, make_chunk(0, VMTRACE_CHUNK_RECORDS, 3, 1));
	w.next_seq = 2;		/* as if chunk 1 were lost */
	add(&w, make_chunk(2, VMTRACE_CHUNK_END, 0, 4));
	vmtrace_tw_finish(&w, 0);
	ok(vmtrace_trace_walk(path, NULL, NULL, &walk) < 0 &&
	   strstr(walk.error, "chunk seq 2 where 1 was expected"),
	   "verify: a lost chunk is found (%s)", walk.error);
}

static void test_reopen(void)
{
	char err[VMTRACE_ERRLEN] = "";
	struct vmtrace_walk walk;
	struct vmtrace_tw w;

	vmtrace_tw_create(&w, path, true, "format=1\n", NULL, 0);
	add(&w, make_chunk(0, VMTRACE_CHUNK_RECORDS, 5, 1));
	add(&w, make_chunk(1, VMTRACE_CHUNK_RECORDS, 5, 6));
	vmtrace_tw_close(&w);
	run("printf 'half a chunk' >>%s.incomplete", path);
	ok(!vmtrace_tw_reopen(&w, path, err) && w.next_seq == 2,
	   "trace: reopen continues after the last good chunk (%s)", err);
	add(&w, make_chunk(2, VMTRACE_CHUNK_END, 0, 10));
	vmtrace_tw_finish(&w, 0);
	ok(vmtrace_trace_walk(path, NULL, NULL, &walk) == 0 &&
	   walk.records[VMTRACE_REC_RDTSC] == 10,
	   "trace: a reopened trace is whole (%s)", walk.error);
}

struct ckpt_seen {
	unsigned int ckpt, other;
};

static int count_ckpt(void *ctx, const struct vmtrace_chunk *c, const struct vmtrace_rec *r)
{
	struct ckpt_seen *seen = ctx;

	if (c->type == VMTRACE_CHUNK_CHECKPOINT && r->type == VMTRACE_REC_CKPT_SLOT)
		seen->ckpt++;
	else
		seen->other++;
	return 0;
}

/* A CHECKPOINT chunk goes into a CHECKPOINT section and comes back. */
static void test_checkpoint(void)
{
	static const struct vmtrace_walk_ops ops = { .record = count_ckpt };
	struct vmtrace_rec_ckpt_slot slot = { .hdr = { .type = VMTRACE_REC_CKPT_SLOT,
		.size = sizeof(slot), .flags = VMTRACE_RECF_CKPT_VM, .ordinal = 1 },
		.size = 1 << 20 };
	struct ckpt_seen seen = { 0 };
	struct vmtrace_walk walk;
	struct vmtrace_tw w;
	char info[256], boot[64], err[VMTRACE_ERRLEN];
	int ret;

	vmtrace_boot_id(boot, sizeof(boot));
	snprintf(info, sizeof(info), "format=3\nstart_ns=%llu\nboot_id=%s\n",
		 (unsigned long long)(vmtrace_monotonic_ns() - 2000000000ULL), boot);
	vmtrace_tw_create(&w, path, true, info, NULL, 0);
	w.start_ns = vmtrace_monotonic_ns() - 2000000000ULL;
	ok(!add(&w, records_chunk(&slot, sizeof(slot), 1, VMTRACE_CHUNK_CHECKPOINT, 0, 0,
				  true, 0)) &&
	   !add(&w, make_chunk(1, VMTRACE_CHUNK_RECORDS, 5, 1)),
	   "checkpoint: the writer takes a CHECKPOINT chunk, then RECORDS");
	vmtrace_tw_close(&w);
	ok(!vmtrace_tw_reopen(&w, path, err) && w.next_seq == 2 &&
	   w.start_ns && boot[0], "checkpoint: reopen recovers the start on this boot (%s)", err);
	add(&w, make_chunk(2, VMTRACE_CHUNK_END, 0, 6));
	vmtrace_tw_finish(&w, 0);
	ret = vmtrace_trace_walk(path, &ops, &seen, &walk);
	ok(ret == 0 && walk.chunks == 3 && walk.ckpt_chunks == 1 &&
	   walk.records[VMTRACE_REC_CKPT_SLOT] == 1 && seen.ckpt == 1 && seen.other == 5,
	   "checkpoint: a CHECKPOINT section round trip (%s)", walk.error);
	ok(walk.duration_ns >= 2000000000ULL && walk.duration_ns < 60000000000ULL,
	   "checkpoint: END has the duration (%llu ns)", (unsigned long long)walk.duration_ns);
	ok(run("%s verify %s >/dev/null && %s stats %s | grep -q '^checkpoint *1$'",
	       ctl, path, ctl, path) == 0, "checkpoint: verify and stats take it");
}

void test_trace(const char *dir, const char *ctl_path)
{
	ctl = ctl_path;
	snprintf(path, sizeof(path), "%s/t.vmt", dir);
	ok(vmtrace_crc32c(0, "123456789", 9) == 0xe3069283, "crc32c check value");
	write_good();
	test_good();
	test_damage();
	test_gap();
	test_reopen();
	test_checkpoint();
}
