// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of replay's pure parts: loading a synthetic trace written
 * with the trace writer (checkpoint, records before it skipped, batches),
 * cutting big KVM_RUNs, the checkpoint parser's refusals, the digests and
 * the divergence report; and vmtrace-ctl replay's refusals, which come
 * before it needs KVM or the module.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <linux/kvm.h>

#include "replay.h"
#include "vmtrace.h"
#include "unit.h"

struct recs {
	uint8_t data[65536];
	uint32_t len;
	uint32_t nr;
};

static const char *ctl;
static char path[1024];

static void *rec(struct recs *b, uint16_t type, uint16_t size, uint32_t flags, uint64_t ord)
{
	struct vmtrace_rec *r = (void *)(b->data + b->len);

	memset(r, 0, size);
	*r = (struct vmtrace_rec){ .type = type, .size = size, .flags = flags, .ordinal = ord };
	b->len += size;
	b->nr++;
	return r;
}

static void sched(struct recs *b, uint16_t type, uint64_t ord, uint32_t exit)
{
	struct vmtrace_rec_sched *s = rec(b, type, sizeof(*s), 0, ord);

	s->exit_reason = exit;
}

static void tsc(struct recs *b, uint64_t ord, uint64_t value)
{
	struct vmtrace_rec_tsc *t = rec(b, VMTRACE_REC_RDTSC, sizeof(*t), 0, ord);

	t->tsc = value;
	t->rip = 0x1000 + ord;
}

static void pio(struct recs *b, uint16_t type, uint64_t ord, uint32_t port, uint8_t v)
{
	struct vmtrace_rec_pio *p = rec(b, type, sizeof(*p) + 8, 0, ord);

	p->port = port;
	p->size = p->count = 1;
	p->data[0] = v;
}

static void state(struct recs *b, uint32_t what, uint32_t len, uint32_t flags, uint64_t ord)
{
	struct vmtrace_rec_ckpt_state *s = rec(b, VMTRACE_REC_CKPT_STATE,
					       sizeof(*s) + ((len + 7) & ~7U), flags, ord);

	s->what = what;
	s->len = len;
}

static void slot(struct recs *b, uint32_t id, uint64_t gpa, uint64_t size, uint64_t pages)
{
	struct vmtrace_rec_ckpt_slot *s = rec(b, VMTRACE_REC_CKPT_SLOT, sizeof(*s),
					      VMTRACE_RECF_CKPT_VM, 5);

	s->slot = id;
	s->gpa = gpa;
	s->size = size;
	s->pages = pages;
}

static void alias(struct recs *b, uint32_t id, uint64_t gpa, uint64_t size, uint32_t of,
		  uint64_t offset)
{
	struct vmtrace_rec_ckpt_slot *s;

	slot(b, id, gpa, size, 0);
	s = (void *)(b->data + b->len - sizeof(*s));
	s->hdr.flags |= VMTRACE_RECF_CKPT_ALIAS;
	s->alias_of = of;
	s->alias_offset = offset;
}

static void page(struct recs *b, uint16_t type, uint32_t flags, uint64_t ord, uint64_t gpa)
{
	struct vmtrace_rec_mem *m = rec(b, type, sizeof(*m) + VMTRACE_PAGE_SIZE, flags, ord);

	m->gpa = gpa;
	m->len = VMTRACE_PAGE_SIZE;
	memset(m->data, 0xab, VMTRACE_PAGE_SIZE);
}

static void checkpoint(struct recs *b)
{
	memset(b, 0, sizeof(*b));
	state(b, VMTRACE_CKPT_REGS, sizeof(struct kvm_regs), 0, 5);
	state(b, VMTRACE_CKPT_SREGS, sizeof(struct kvm_sregs), 0, 5);
	state(b, VMTRACE_CKPT_IRQCHIP, sizeof(struct kvm_irqchip), VMTRACE_RECF_CKPT_VM, 5);
	slot(b, 0, 0, 0x10000, 2);
	page(b, VMTRACE_REC_CKPT_PAGE, VMTRACE_RECF_CKPT_VM, 5, 0x1000);
	page(b, VMTRACE_REC_CKPT_PAGE, VMTRACE_RECF_CKPT_VM, 5, 0x3000);
	slot(b, 1, 0x100000, 0x1000, 0);
}

/* The records after the checkpoint: two whole KVM_RUNs and an unfinished one. */
static void stream(struct recs *b)
{
	memset(b, 0, sizeof(*b));
	sched(b, VMTRACE_REC_VCPU_IN, 5, 0);
	page(b, VMTRACE_REC_MEM_WRITE, VMTRACE_RECF_VMM, 5, 0x2000);
	tsc(b, 6, 1234);
	pio(b, VMTRACE_REC_PIO_OUT, 7, 0x3f8, 'A');
	sched(b, VMTRACE_REC_VCPU_OUT, 8, KVM_EXIT_IO);
	sched(b, VMTRACE_REC_VCPU_IN, 8, 0);
	pio(b, VMTRACE_REC_PIO_IN, 8, 0x60, 0x42);
	pio(b, VMTRACE_REC_PIO_OUT, 9, 0x3f8, 'B');
	sched(b, VMTRACE_REC_VCPU_OUT, 10, KVM_EXIT_HLT);
	sched(b, VMTRACE_REC_VCPU_IN, 10, 0);
	tsc(b, 11, 5678);
}

static int put(struct vmtrace_tw *w, struct vmtrace_chunk *c)
{
	char err[VMTRACE_ERRLEN] = "";
	int ret = vmtrace_tw_chunk(w, c, err);

	if (ret)
		printf("# %s\n", err);
	free(c);
	return ret;
}

/* The trace; without its checkpoint if !@ckpt. */
static int write_trace(const char *file, bool with_ckpt)
{
	uint64_t seq = 0;
	static struct recs pre, ck, st;
	struct vmtrace_tw w;

	memset(&pre, 0, sizeof(pre));
	sched(&pre, VMTRACE_REC_VCPU_IN, 1, 0);
	tsc(&pre, 1, 99);
	sched(&pre, VMTRACE_REC_VCPU_OUT, 2, KVM_EXIT_IO);
	checkpoint(&ck);
	stream(&st);
	if (vmtrace_tw_create(&w, file, true, "format=3\nvcpus=1\n", NULL, 0))
		return -1;
	w.start_ns = vmtrace_monotonic_ns() - 1000000000ULL;
	if (put(&w, records_chunk(pre.data, pre.len, pre.nr, VMTRACE_CHUNK_RECORDS, seq++, 0, true, 0)) ||
	    (with_ckpt && put(&w, records_chunk(ck.data, ck.len, ck.nr, VMTRACE_CHUNK_CHECKPOINT,
						seq++, 0, true, 0))) ||
	    put(&w, records_chunk(st.data, st.len, st.nr, VMTRACE_CHUNK_RECORDS, seq++, 0, false, 0)) ||
	    put(&w, records_chunk(NULL, 0, 0, VMTRACE_CHUNK_END, seq++, 0, false, 12))) {
		vmtrace_tw_close(&w);
		return -1;
	}
	return vmtrace_tw_finish(&w, 0);
}

static bool batch_is(const struct replay_batch *b, uint64_t ord, uint64_t stop,
		     uint32_t exit, uint32_t nr_feed, uint32_t nr_vmm, bool open_end)
{
	return b->ordinal == ord && b->stop_ordinal == stop && b->exit_reason == exit &&
	       b->nr_feed == nr_feed && b->nr_vmm == nr_vmm && b->open_end == open_end &&
	       !b->cont;
}

static void test_load(void)
{
	char err[VMTRACE_ERRLEN] = "";
	struct replay_trace t = { 0 };
	const struct vmtrace_rec *r;
	int ret;

	ok(!write_trace(path, true), "replay: a synthetic trace with a checkpoint");
	ret = replay_load(&t, path, err);
	ok(ret == 0 && t.skipped == 3 && t.ckpt.ordinal == 5 && t.vcpus == 1 &&
	   t.duration_ns >= 1000000000ULL, "replay: load skips the 3 records before the checkpoint (%s)", err);
	ok(t.ckpt.nr_slots == 2 && t.ckpt.nr_pages == 2 && t.ckpt.pages[1].gpa == 0x3000 &&
	   t.ckpt.pages[1].slot == 0 && t.ckpt.pages[0].data[0] == 0xab &&
	   t.ckpt.state[VMTRACE_CKPT_REGS] && t.ckpt.state[VMTRACE_CKPT_SREGS] &&
	   !t.ckpt.state[VMTRACE_CKPT_XSAVE] && t.ckpt.nr_irqchip == 1,
	   "replay: the checkpoint's slots, pages and pieces");
	ok(t.nr_batches == 3 && batch_is(&t.batches[0], 5, 8, KVM_EXIT_IO, 2, 1, false) &&
	   batch_is(&t.batches[1], 8, 10, KVM_EXIT_HLT, 2, 0, false) &&
	   batch_is(&t.batches[2], 10, 12, 0, 1, 0, true) && t.nr_feed == 5,
	   "replay: three KVM_RUNs, ordinals and stops, the last unfinished (%zu)", t.nr_batches);
	r = (const void *)(t.vmm + t.batches[0].vmm_off);
	ok(r->type == VMTRACE_REC_MEM_WRITE && ((const struct vmtrace_rec_mem *)r)->gpa == 0x2000,
	   "replay: the VMM's write is kept apart from the fed records");
	r = (const void *)(t.feed + t.batches[1].feed_off);
	ok(r->type == VMTRACE_REC_PIO_IN && r->ordinal == 8 &&
	   ((const struct vmtrace_rec *)(t.feed + t.batches[0].feed_off))->type == VMTRACE_REC_RDTSC,
	   "replay: the IN's data opens the next KVM_RUN's records, no markers fed");
	replay_trace_free(&t);
}

static void test_cut(void)
{
	static struct recs b;
	struct replay_trace t = { .feed_max = 80 };
	char err[VMTRACE_ERRLEN] = "";
	const struct replay_batch *p = t.batches;

	memset(&b, 0, sizeof(b));
	sched(&b, VMTRACE_REC_VCPU_IN, 1, 0);
	tsc(&b, 1, 1);
	tsc(&b, 2, 2);
	tsc(&b, 2, 3);
	tsc(&b, 3, 4);
	sched(&b, VMTRACE_REC_VCPU_OUT, 3, KVM_EXIT_HLT);
	pio(&b, VMTRACE_REC_PIO_IN, 3, 0x60, 1);
	sched(&b, VMTRACE_REC_VCPU_IN, 3, 0);
	sched(&b, VMTRACE_REC_VCPU_OUT, 4, KVM_EXIT_IO);
	ok(!replay_split(&t, b.data, b.len, err) && t.nr_batches == 4, "replay: split (%s)", err);
	p = t.batches;
	ok(p && p[0].cont && p[0].ordinal == 1 && p[0].stop_ordinal == 1 && p[0].nr_feed == 1 &&
	   p[1].cont && p[1].ordinal == 1 && p[1].stop_ordinal == 2 && p[1].nr_feed == 2 &&
	   !p[2].cont && p[2].ordinal == 2 && p[2].stop_ordinal == 3 && p[2].nr_feed == 1 &&
	   p[2].exit_reason == KVM_EXIT_HLT,
	   "replay: a KVM_RUN over the feed limit is cut between exits");
	ok(p && p[3].ordinal == 3 && p[3].nr_feed == 1 && p[3].exit_reason == KVM_EXIT_IO,
	   "replay: a record between vcpu_out and vcpu_in goes with the next KVM_RUN");
	replay_trace_free(&t);
	t.feed_max = 40;
	ok(replay_split(&t, b.data, b.len, err) && strstr(err, "more than 40 bytes of records at exit 2"),
	   "replay: one exit with more records than a feed takes is refused (%s)", err);
	memset(&b, 0, sizeof(b));
	sched(&b, VMTRACE_REC_VCPU_IN, 1, 0);
	sched(&b, VMTRACE_REC_VCPU_IN, 2, 0);
	ok(replay_split(&t, b.data, b.len, err) && strstr(err, "vcpu_in at ordinal 2 inside a KVM_RUN"),
	   "replay: a vcpu_in inside a KVM_RUN is refused (%s)", err);
}

static void test_ckpt(void)
{
	static struct recs b;
	struct replay_ckpt ck;
	char err[VMTRACE_ERRLEN] = "";

	checkpoint(&b);
	((struct vmtrace_rec_mem *)(b.data + b.len - sizeof(struct vmtrace_rec_ckpt_slot) -
				    sizeof(struct vmtrace_rec_mem) - VMTRACE_PAGE_SIZE))->gpa = 0x10000;
	ok(replay_ckpt_parse(&ck, b.data, b.len, err) &&
	   strstr(err, "page at gpa 0x10000 outside slot 0 (0x0-0xffff)"),
	   "replay: a page outside its slot is refused (%s)", err);
	checkpoint(&b);
	b.len -= sizeof(struct vmtrace_rec_ckpt_slot);
	b.len -= sizeof(struct vmtrace_rec_mem) + VMTRACE_PAGE_SIZE;
	ok(replay_ckpt_parse(&ck, b.data, b.len, err) && strstr(err, "slot 0 lacks 1 of its pages"),
	   "replay: a slot without all its pages is refused (%s)", err);
	memset(&b, 0, sizeof(b));
	slot(&b, 0, 0, 0x1000, 0);
	ok(replay_ckpt_parse(&ck, b.data, b.len, err) && strstr(err, "no regs"),
	   "replay: a checkpoint without registers is refused (%s)", err);
	memset(&b, 0, sizeof(b));
	state(&b, VMTRACE_CKPT_REGS, 8, 0, 5);
	ok(replay_ckpt_parse(&ck, b.data, b.len, err) && strstr(err, "bad state record (what 1, 8 bytes"),
	   "replay: a piece of state of the wrong size is refused (%s)", err);
}

/* A memslot sharing another's memory, as QEMU's firmware at 0xf0000 and 4G-64K. */
static void test_alias(void)
{
	static struct recs b;
	struct replay_ckpt ck;
	char err[VMTRACE_ERRLEN] = "";
	int ret;

	checkpoint(&b);
	alias(&b, 3, 0xffff0000, 0x8000, 0, 0x8000);
	ret = replay_ckpt_parse(&ck, b.data, b.len, err);
	ok(!ret && ck.nr_slots == 3 && ck.slots[2].alias && ck.slots[2].alias_of == 0 &&
	   ck.slots[2].alias_offset == 0x8000 && !ck.slots[0].alias,
	   "replay: an alias names the slot whose memory it shares (%s)", err);
	if (!ret) {
		free(ck.slots);
		free(ck.pages);
	}
	checkpoint(&b);
	alias(&b, 3, 0xffff0000, 0x10000, 0, 0x8000);
	ok(replay_ckpt_parse(&ck, b.data, b.len, err) &&
	   strstr(err, "slot 3: bad alias of slot 0 at 0x8000"),
	   "replay: an alias reaching past its slot's memory is refused (%s)", err);
	checkpoint(&b);
	alias(&b, 3, 0xffff0000, 0x1000, 7, 0);
	ok(replay_ckpt_parse(&ck, b.data, b.len, err) && strstr(err, "bad alias of slot 7"),
	   "replay: an alias of a slot the checkpoint lacks is refused (%s)", err);
}

static void test_digest(void)
{
	uint8_t lo[4096], hi[4096];
	struct replay_slot s[2] = {
		{ .gpa = 0x100000, .size = sizeof(hi), .hva = hi },
		{ .gpa = 0, .size = sizeof(lo), .hva = lo },
	};
	uint64_t want;

	ok(vmtrace_fnv1a(VMTRACE_FNV1A_INIT, "a", 1) == 0xaf63dc4c8601ec8cULL &&
	   vmtrace_fnv1a(vmtrace_fnv1a(VMTRACE_FNV1A_INIT, "foo", 3), "bar", 3) == 0x85944171f73967e8ULL,
	   "digest: FNV-1a 64 of \"a\" and of \"foobar\" in two pieces");
	memset(lo, 1, sizeof(lo));
	memset(hi, 2, sizeof(hi));
	want = vmtrace_fnv1a(vmtrace_fnv1a(VMTRACE_FNV1A_INIT, lo, sizeof(lo)), hi, sizeof(hi));
	ok(replay_mem_digest(s, 2) == want, "digest: memory is hashed in increasing GPA order");
}

static void test_report(void)
{
	struct vmtrace_replay_status st = { .size = sizeof(st), .ordinal = 9, .consumed = 1,
		.diverged = VMTRACE_DIVERGE_VALUE, .expected_type = VMTRACE_REC_PIO_OUT,
		.seen_type = VMTRACE_REC_PIO_OUT, .rip = 0x1234, .expected = 0x42,
		.seen = 0x43, .detail = 0x3f8, .field = VMTRACE_FIELD_DATA };
	struct replay_trace t = { 0 };
	char err[VMTRACE_ERRLEN], *out = NULL;
	struct replay_div d;
	size_t len;
	FILE *f;

	replay_load(&t, path, err);
	replay_div_from_status(&d, &st, &t, &t.batches[1]);
	f = open_memstream(&out, &len);
	replay_div_print(f, &d);
	fclose(f);
	ok(out && strstr(out, "vmtrace-ctl replay: DIVERGED at vCPU 0, exit ordinal 9, rip 0x1234\n") &&
	   strstr(out, "\n  expected: pio_out port=0x3f8 size=1 count=1 data=0x42\n") &&
	   strstr(out, "\n  seen: pio_out\n") &&
	   strstr(out, "\n  field: data expected 0x42 seen 0x43\n") &&
	   strstr(out, "\n  where: port 0x3f8\n") &&
	   strstr(out, "\n  last input: pio_in at ordinal 8 rip - value 0x42\n"),
	   "report: one item per line, the last input before");
	free(out);
	f = open_memstream(&out, &len);
	replay_div_json(f, &d);
	fclose(f);
	ok(out && strstr(out, "\"field\": \"data\", \"expected_value\": \"0x42\", \"seen_value\": \"0x43\"") &&
	   strstr(out, "\"where\": \"port 0x3f8\"") &&
	   strstr(out, "\"last_input\": {\"type\": \"pio_in\", \"ordinal\": 8, \"rip\": null"),
	   "report: the same as JSON (%s)", out);
	free(out);
	st.consumed = 0;
	replay_div_from_status(&d, &st, &t, &t.batches[0]);
	ok(d.last_input == NULL && d.expected_rec == NULL,
	   "report: no input consumed yet, and an unexpected type is not matched to a record");
	replay_trace_free(&t);
}

static int run_ctl(const char *env, const char *args)
{
	char cmd[4096];
	int st;

	snprintf(cmd, sizeof(cmd), "env %s '%s' %s >/dev/null 2>&1", env, ctl, args);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_cli(const char *dir)
{
	char args[2048];

	ok(run_ctl("", "replay") == 2 && run_ctl("", "replay --until x f") == 2 &&
	   run_ctl("", "help replay") == 0, "cli: replay usage errors exit 2, help 0");
	snprintf(args, sizeof(args), "%s/nockpt.vmt", dir);
	write_trace(args, false);
	snprintf(args, sizeof(args), "replay %s/nockpt.vmt", dir);
	ok(run_ctl("", args) == 12, "cli: replay of a trace without checkpoint exits 12");
	snprintf(args, sizeof(args), "f=%s/v2.vmt; cp %s $f && printf '\\002' | "
		 "dd of=$f bs=1 seek=8 conv=notrunc 2>/dev/null && '%s' replay $f 2>&1 | "
		 "grep -q 'format 2, before format 3: it has no checkpoint'", dir, path, ctl);
	ok(!system(args), "cli: replay of a format 2 trace says it has no checkpoint");
	snprintf(args, sizeof(args), "replay %s/r.vmt", dir);
	ok(run_ctl("", args) == 12, "cli: replay of a 2-vCPU trace exits 12");
	snprintf(args, sizeof(args), "replay %s/r.vmt.bad", dir);
	ok(run_ctl("", args) == 10, "cli: replay of a corrupt trace exits 10");
	snprintf(args, sizeof(args), "replay %s", path);
	ok(run_ctl("VMTRACE_DEV=/nonexistent", args) == 3,
	   "cli: replay without the module exits 3");
}

void test_replay(const char *dir, const char *ctl_path)
{
	ctl = ctl_path;
	snprintf(path, sizeof(path), "%s/replay.vmt", dir);
	test_load();
	test_cut();
	test_ckpt();
	test_alias();
	test_digest();
	test_report();
	test_cli(dir);
}
