// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: damage to trace-records.c's trace that verify must find and
 * locate, the writer's own refusals, and what incomplete traces do to
 * verify, stats and dump (exit statuses included). Damage inside a chunk
 * is done with the CRC fixed up, so that the check under test, not the
 * CRC, must catch it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trace.h"
#include "unit.h"

static const char *ctl;
static char path[1024], bad[1100];

static uint8_t *load(const char *file, size_t *len)
{
	FILE *f = fopen(file, "rb");
	uint8_t *buf = malloc(1 << 20);

	*len = f ? fread(buf, 1, 1 << 20, f) : 0;
	if (f)
		fclose(f);
	return buf;
}

static void save(const char *file, const uint8_t *buf, size_t len)
{
	FILE *f = fopen(file, "wb");

	if (!f || fwrite(buf, 1, len, f) != len)
		abort();
	fclose(f);
}

/* File offset of the @kth section with id @id, 0 if there is none. */
static size_t section_at(const uint8_t *buf, size_t len, uint32_t id, unsigned int kth)
{
	size_t off = sizeof(struct vmtrace_file_header);
	const struct vmtrace_section *s;

	while (off + sizeof(*s) <= len) {
		s = (const void *)(buf + off);
		if (s->id == id && !kth--)
			return off;
		off += sizeof(*s) + ((s->size + 7) & ~7ULL);
	}
	return 0;
}

/* File offset of the @kth CHUNK section's chunk, 0 if there is none. */
static size_t chunk_at(const uint8_t *buf, size_t len, unsigned int kth)
{
	size_t off = section_at(buf, len, VMTRACE_SECTION_CHUNK, kth);

	return off ? off + sizeof(struct vmtrace_section) : 0;
}

static int verify_says(const char *file, const char *expect)
{
	char cmd[8192];
	int st;

	snprintf(cmd, sizeof(cmd), "%s verify %s >/dev/null 2>%s.err; test $? -eq 10 && "
		 "grep -q '%s' %s.err", ctl, file, file, expect, file);
	st = system(cmd);
	if (st)
		snprintf(cmd, sizeof(cmd), "sed 's/^/# /' %s.err", file), st = system(cmd), st = 1;
	return st;
}

enum field { NR_RECORDS, LAST_ORD, SEQ, TYPE, REC0_SIZE, REC0_TYPE, MEM_LEN,
	     PAYLOAD_BIT, HEADER_BIT };

/* Damage chunk @kth of a copy of the trace; reseal unless a bit flip. */
static void damage(unsigned int kth, enum field f)
{
	size_t len, off;
	uint8_t *buf = load(path, &len);
	struct vmtrace_chunk *c = (void *)(buf + (off = chunk_at(buf, len, kth)));
	struct vmtrace_rec *r = (void *)(c + 1);

	switch (f) {
	case NR_RECORDS: c->nr_records++; break;
	case LAST_ORD: c->last_ordinal += 5; break;
	case SEQ: c->seq++; break;
	case TYPE: c->type = VMTRACE_CHUNK_END; break;
	case REC0_SIZE: r->size = 12; break;
	case REC0_TYPE: r->type = 99; break;
	case MEM_LEN:
		((struct vmtrace_rec_mem *)((uint8_t *)r + records_mem_off()))->len = 1000;
		break;
	case PAYLOAD_BIT: ((uint8_t *)r)[17] ^= 0x10; break;
	case HEADER_BIT: c->vcpu ^= 4; break;
	}
	if (f != PAYLOAD_BIT && f != HEADER_BIT)
		chunk_seal(c);
	save(bad, buf, len);
	free(buf);
}

static void test_chunk_faults(void)
{
	static const struct { unsigned int kth; enum field f; const char *what, *says; } t[] = {
		{ 1, NR_RECORDS, "a wrong nr_records", "chunk seq 2: 135 records, header says 136" },
		{ 0, LAST_ORD, "a wrong last_ordinal", "chunk seq 1: header ordinals" },
		{ 3, SEQ, "a seq gap", "chunk seq 5 where 4 was expected" },
		{ 0, TYPE, "records in an END chunk", "chunk seq 1: END chunk with" },
		{ 1, REC0_SIZE, "a record size under 16", "chunk seq 2, record 0 at offset 0: bad record size 12" },
		{ 1, REC0_TYPE, "an unknown record type", "chunk seq 2, record 0 at offset 0: bad record type 99" },
		{ 1, MEM_LEN, "mem_write data past its record", "chunk seq 2, record 42 .*carries 1000" },
		{ 1, PAYLOAD_BIT, "a flipped bit in a payload", "section 4: chunk seq 2: CRC32C mismatch" },
		{ 2, HEADER_BIT, "a flipped bit in a header", "section 5: chunk seq 3: CRC32C mismatch" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		damage(t[i].kth, t[i].f);
		ok(!verify_says(bad, t[i].says), "damage: %s: verify exits 10 naming it (%s)",
		   t[i].what, t[i].says);
	}
}

/*
 * Move a chunk into the other kind of section (@id: the one it is in),
 * giving it chunk type @type (0: keep it), resealed.
 */
static void misplace(uint32_t id, uint16_t type)
{
	size_t len, off;
	uint8_t *buf = load(path, &len);
	struct vmtrace_section *s = (void *)(buf + (off = section_at(buf, len, id, 0)));
	struct vmtrace_chunk *c = (void *)(s + 1);

	s->id = id == VMTRACE_SECTION_CHUNK ? VMTRACE_SECTION_CHECKPOINT : VMTRACE_SECTION_CHUNK;
	if (type) {
		c->type = type;
		chunk_seal(c);
	}
	save(bad, buf, len);
	free(buf);
}

static void test_checkpoint_faults(void)
{
	misplace(VMTRACE_SECTION_CHECKPOINT, 0);
	ok(!verify_says(bad, "section 2: chunk seq 0 of type 3 in a CHUNK section"),
	   "damage: a CHECKPOINT chunk in a CHUNK section");
	misplace(VMTRACE_SECTION_CHUNK, 0);
	ok(!verify_says(bad, "section 3: chunk seq 1 of type 1 in a CHECKPOINT section"),
	   "damage: a RECORDS chunk in a CHECKPOINT section");
	misplace(VMTRACE_SECTION_CHECKPOINT, VMTRACE_CHUNK_RECORDS);
	ok(!verify_says(bad, "chunk seq 0, record 0 at offset 0: ckpt_state record in a RECORDS chunk"),
	   "damage: a checkpoint record in a RECORDS chunk");
	misplace(VMTRACE_SECTION_CHUNK, VMTRACE_CHUNK_CHECKPOINT);
	ok(!verify_says(bad, "chunk seq 1, record 0 at offset 0: rdtsc record in a CHECKPOINT chunk"),
	   "damage: another record in a CHECKPOINT chunk");
}

static void test_file_faults(void)
{
	size_t len;
	uint8_t *buf = load(path, &len);
	size_t c2 = chunk_at(buf, len, 2);

	save(bad, buf, c2 + 10);
	ok(!verify_says(bad, "offset [0-9]*, section 5: truncated"),
	   "damage: a file cut inside chunk 3 is truncated, at section 5");
	save(bad, buf, len - sizeof(struct vmtrace_section) - sizeof(struct vmtrace_file_end));
	ok(!verify_says(bad, "incomplete: no END section"), "damage: a missing END section");
	((struct vmtrace_file_end *)(buf + len - sizeof(struct vmtrace_file_end)))->records[3]++;
	save(bad, buf, len);
	ok(!verify_says(bad, "END totals"), "damage: END totals that differ from the file's");
	free(buf);
	ok(!records_trace_write(bad, true) && !verify_says(bad, "vCPU 1 has no END chunk"),
	   "damage: a vCPU without its END chunk");
}

static void test_incomplete(void)
{
	char cmd[16384];

	snprintf(cmd, sizeof(cmd), "rm -f %s; cp %s %s.incomplete", bad, path, bad);
	ok(!system(cmd) && !verify_says(bad, "only .*incomplete exists"),
	   "incomplete: verify FILE with only FILE.incomplete there exits 10");
	snprintf(cmd, sizeof(cmd), "%s.incomplete", bad);
	ok(!verify_says(cmd, "never finished"),
	   "incomplete: verify of a FILE.incomplete exits 10, even with an END section");
	snprintf(cmd, sizeof(cmd), "head -c -%zu %s >%s; %s stats --json %s 2>%s.err | "
		 "grep -q '\"complete\": false'; a=$?; %s stats --json %s >/dev/null 2>&1; "
		 "test $a -eq 0 -a $? -eq 10 && grep -q 'warning: .*incomplete' %s.err",
		 sizeof(struct vmtrace_section) + sizeof(struct vmtrace_file_end),
		 path, bad, ctl, bad, bad, ctl, bad, bad);
	ok(!system(cmd), "incomplete: stats counts what is there, warns, exits 10");
	snprintf(cmd, sizeof(cmd), "test $(%s dump %s 2>/dev/null | wc -l) -eq 231; a=$?; "
		 "%s dump %s >/dev/null 2>&1; test $a -eq 0 -a $? -eq 10", ctl, bad, ctl, bad);
	ok(!system(cmd), "incomplete: dump shows every record there, exits 10");
}

/* The writer checks what the module hands it, and keeps a finished FILE. */
static void test_writer(void)
{
	char err[VMTRACE_ERRLEN] = "", part[1200];
	struct vmtrace_walk walk;
	struct vmtrace_tw w;
	size_t len;
	uint8_t *buf = load(path, &len);
	struct vmtrace_chunk *c = (void *)(buf + chunk_at(buf, len, 0));

	errno = 0;
	ok(vmtrace_tw_create(&w, path, false, "format=1\n", NULL, 0) && errno == EEXIST,
	   "writer: refuses to replace a finished FILE without force");
	ok(!vmtrace_tw_create(&w, bad, true, "format=1\n", NULL, 0), "writer: create");
	((uint8_t *)(c + 1))[3] ^= 1;
	ok(vmtrace_tw_chunk(&w, c, err) && strstr(err, "chunk seq 1: CRC32C mismatch"),
	   "writer: a corrupt chunk from the module is an error (%s)", err);
	vmtrace_tw_close(&w);
	snprintf(part, sizeof(part), "%s.incomplete", bad);
	ok(vmtrace_trace_walk(part, NULL, NULL, &walk) == 1 && walk.chunks == 0,
	   "writer: the corrupt chunk was not written");
	free(buf);
}

static int ctl_status(const char *args)
{
	char cmd[8192];
	int st;

	snprintf(cmd, sizeof(cmd), "%s %s >/dev/null 2>&1", ctl, args);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_exit_codes(void)
{
	char args[1200], cmd[8400];

	ok(ctl_status("verify") == 2 && ctl_status("stats") == 2 && ctl_status("dump") == 2,
	   "cli: verify, stats, dump without FILE exit 2");
	ok(ctl_status("verify --frob x") == 2 && ctl_status("stats --frob x") == 2,
	   "cli: an unknown option exits 2");
	ok(ctl_status("verify /nonexistent/t.vmt") == 1 && ctl_status("stats /nonexistent/t.vmt") == 1,
	   "cli: a file that cannot be read exits 1, not 10");
	snprintf(args, sizeof(args), "verify %s", path);
	snprintf(cmd, sizeof(cmd), "%s %s | grep -q ': ok, 5 chunks, 231 records, 2 vCPUs, mode exit-ordinal'",
		 ctl, args);
	ok(ctl_status(args) == 0 && !system(cmd), "cli: verify of a sound trace exits 0 with a summary");
	ok(ctl_status("help verify") == 0 && ctl_status("help stats") == 0 &&
	   ctl_status("help dump") == 0, "cli: help for verify, stats, dump");
}

void test_trace_damage(const char *dir, const char *ctl_path)
{
	ctl = ctl_path;
	snprintf(path, sizeof(path), "%s/r.vmt", dir);
	snprintf(bad, sizeof(bad), "%s.bad", path);
	test_chunk_faults();
	test_checkpoint_faults();
	test_file_faults();
	test_incomplete();
	test_writer();
	test_exit_codes();
}
