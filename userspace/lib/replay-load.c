// SPDX-License-Identifier: GPL-2.0
/*
 * Loading a trace for replay: walk it with every check, keep vCPU 0's
 * checkpoint records and the records after them, then parse the
 * checkpoint (slots, pages, pieces of state) and split the records into
 * the KVM_RUNs to replay. Only the file is read: replay_ckpt_parse() and
 * replay_split() are pure functions of their buffers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "replay.h"
#include "vmtrace.h"

struct growbuf {
	uint8_t *p;
	size_t len;
	size_t cap;
};

static int gb_add(struct growbuf *b, const void *data, size_t n)
{
	size_t cap = b->cap ? b->cap : 65536;
	uint8_t *p;

	while (cap - b->len < n)
		cap *= 2;
	if (cap != b->cap) {
		p = realloc(b->p, cap);
		if (!p)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	return 0;
}

static bool ckpt_vm_piece(uint32_t what)
{
	return what == VMTRACE_CKPT_IRQCHIP || what == VMTRACE_CKPT_PIT2 ||
	       what == VMTRACE_CKPT_CLOCK || what == VMTRACE_CKPT_SPLIT_IRQCHIP;
}

/* Is @st's length right for what it holds (KVM's structure)? */
static bool ckpt_len_ok(const struct vmtrace_rec_ckpt_state *st)
{
	static const uint32_t fixed[VMTRACE_CKPT_NR] = {
		[VMTRACE_CKPT_REGS] = sizeof(struct kvm_regs),
		[VMTRACE_CKPT_SREGS] = sizeof(struct kvm_sregs),
		[VMTRACE_CKPT_XCRS] = sizeof(struct kvm_xcrs),
		[VMTRACE_CKPT_DEBUGREGS] = sizeof(struct kvm_debugregs),
		[VMTRACE_CKPT_EVENTS] = sizeof(struct kvm_vcpu_events),
		[VMTRACE_CKPT_LAPIC] = sizeof(struct kvm_lapic_state),
		[VMTRACE_CKPT_MP_STATE] = sizeof(struct kvm_mp_state),
		[VMTRACE_CKPT_TSC_KHZ] = sizeof(uint64_t),
		[VMTRACE_CKPT_IRQCHIP] = sizeof(struct kvm_irqchip),
		[VMTRACE_CKPT_PIT2] = sizeof(struct kvm_pit_state2),
		[VMTRACE_CKPT_CLOCK] = sizeof(struct kvm_clock_data),
		[VMTRACE_CKPT_SPLIT_IRQCHIP] = sizeof(uint64_t),
	};
	const struct kvm_msrs *msrs = (const void *)st->data;
	const struct kvm_cpuid2 *cpuid = (const void *)st->data;

	switch (st->what) {
	case VMTRACE_CKPT_XSAVE:
		return st->len >= sizeof(struct kvm_xsave);
	case VMTRACE_CKPT_MSRS:
		return st->len >= sizeof(*msrs) &&
		       st->len >= sizeof(*msrs) + (uint64_t)msrs->nmsrs * sizeof(msrs->entries[0]);
	case VMTRACE_CKPT_CPUID:
		return st->len >= sizeof(*cpuid) &&
		       st->len >= sizeof(*cpuid) + (uint64_t)cpuid->nent * sizeof(cpuid->entries[0]);
	}
	return st->what && st->what < VMTRACE_CKPT_NR && st->len == fixed[st->what];
}

static int ckpt_state(struct replay_ckpt *ck, const struct vmtrace_rec_ckpt_state *st,
		      char *err)
{
	const char *name = vmtrace_ckpt_name(st->what);

	if (!name || !ckpt_len_ok(st) ||
	    !!(st->hdr.flags & VMTRACE_RECF_CKPT_VM) != ckpt_vm_piece(st->what))
		return snprintf(err, VMTRACE_ERRLEN, "checkpoint: bad state record (what %u, %u bytes, flags %#x)",
				st->what, st->len, st->hdr.flags), -1;
	if (st->what == VMTRACE_CKPT_IRQCHIP) {
		if (ck->nr_irqchip == REPLAY_MAX_IRQCHIP)
			return snprintf(err, VMTRACE_ERRLEN, "checkpoint: more than %d irqchips",
					REPLAY_MAX_IRQCHIP), -1;
		ck->irqchip[ck->nr_irqchip++] = st;
		return 0;
	}
	if (ck->state[st->what])
		return snprintf(err, VMTRACE_ERRLEN, "checkpoint: two %s records", name), -1;
	ck->state[st->what] = st;
	if (st->what == VMTRACE_CKPT_REGS)
		ck->ordinal = st->hdr.ordinal;
	return 0;
}

/* @to shares the memory of an earlier slot that has memory of its own. */
static int ckpt_alias(const struct replay_ckpt *ck, struct replay_slot *to,
		      const struct vmtrace_rec_ckpt_slot *s, char *err)
{
	unsigned int i;

	for (i = 0; i < ck->nr_slots; i++)
		if (ck->slots[i].slot == s->alias_of && !ck->slots[i].alias)
			break;
	if (i == ck->nr_slots || s->pages || s->alias_offset > ck->slots[i].size ||
	    s->size > ck->slots[i].size - s->alias_offset ||
	    s->alias_offset % VMTRACE_PAGE_SIZE)
		return snprintf(err, VMTRACE_ERRLEN, "checkpoint: slot %u: bad alias of slot %u at 0x%llx",
				s->slot, s->alias_of, (unsigned long long)s->alias_offset), -1;
	to->alias = true;
	to->alias_of = i;
	to->alias_offset = s->alias_offset;
	return 0;
}

static int ckpt_slot(struct replay_ckpt *ck, const struct vmtrace_rec_ckpt_slot *s,
		     char *err)
{
	struct replay_slot *slots;

	if (!s->size || s->size % VMTRACE_PAGE_SIZE || s->gpa % VMTRACE_PAGE_SIZE ||
	    s->gpa + s->size < s->gpa || s->pages > s->size / VMTRACE_PAGE_SIZE)
		return snprintf(err, VMTRACE_ERRLEN, "checkpoint: slot %u: bad gpa 0x%llx, size 0x%llx or pages %llu",
				s->slot, (unsigned long long)s->gpa, (unsigned long long)s->size,
				(unsigned long long)s->pages), -1;
	slots = realloc(ck->slots, (ck->nr_slots + 1) * sizeof(*slots));
	if (!slots)
		return snprintf(err, VMTRACE_ERRLEN, "out of memory"), -1;
	ck->slots = slots;
	slots[ck->nr_slots] = (struct replay_slot){ .slot = s->slot, .flags = s->flags,
		.gpa = s->gpa, .size = s->size, .pages = s->pages };
	if ((s->hdr.flags & VMTRACE_RECF_CKPT_ALIAS) &&
	    ckpt_alias(ck, &slots[ck->nr_slots], s, err))
		return -1;
	ck->nr_slots++;
	return 0;
}

/* A page: inside the slot it follows (@left of whose pages are still due). */
static int ckpt_page(struct replay_ckpt *ck, const struct vmtrace_rec_mem *m,
		     uint64_t left, char *err)
{
	const struct replay_slot *s = ck->nr_slots ? &ck->slots[ck->nr_slots - 1] : NULL;

	if (!s || !left)
		return snprintf(err, VMTRACE_ERRLEN, "checkpoint: page at gpa 0x%llx follows no slot that has pages left",
				(unsigned long long)m->gpa), -1;
	if (m->gpa % VMTRACE_PAGE_SIZE || m->gpa < s->gpa ||
	    m->gpa - s->gpa > s->size - VMTRACE_PAGE_SIZE)
		return snprintf(err, VMTRACE_ERRLEN, "checkpoint: page at gpa 0x%llx outside slot %u (0x%llx-0x%llx)",
				(unsigned long long)m->gpa, s->slot, (unsigned long long)s->gpa,
				(unsigned long long)(s->gpa + s->size - 1)), -1;
	ck->pages[ck->nr_pages++] = (struct replay_page){ .gpa = m->gpa,
		.slot = ck->nr_slots - 1, .data = m->data };
	return 0;
}

static uint64_t count_pages(const uint8_t *recs, size_t len)
{
	uint64_t n = 0;
	size_t off;

	for (off = 0; off < len; off += ((const struct vmtrace_rec *)(recs + off))->size)
		n += ((const struct vmtrace_rec *)(recs + off))->type == VMTRACE_REC_CKPT_PAGE;
	return n;
}

/* Every slot had all its pages; there are REGS and memory. */
static int ckpt_complete(const struct replay_ckpt *ck, uint64_t left, char *err)
{
	if (left)
		return snprintf(err, VMTRACE_ERRLEN, "checkpoint: slot %u lacks %llu of its pages",
				ck->slots[ck->nr_slots - 1].slot, (unsigned long long)left), -1;
	if (!ck->state[VMTRACE_CKPT_REGS])
		return snprintf(err, VMTRACE_ERRLEN, "checkpoint: no regs record"), -1;
	if (!ck->nr_slots)
		return snprintf(err, VMTRACE_ERRLEN, "checkpoint: no memslot"), -1;
	return 0;
}

static int ckpt_record(struct replay_ckpt *ck, const struct vmtrace_rec *r,
		       uint64_t *left, char *err)
{
	if (r->type != VMTRACE_REC_CKPT_PAGE && *left)
		return ckpt_complete(ck, *left, err);
	switch (r->type) {
	case VMTRACE_REC_CKPT_STATE:
		return ckpt_state(ck, (const void *)r, err);
	case VMTRACE_REC_CKPT_SLOT:
		if (ckpt_slot(ck, (const void *)r, err))
			return -1;
		*left = ck->slots[ck->nr_slots - 1].pages;
		return 0;
	case VMTRACE_REC_CKPT_PAGE:
		if (ckpt_page(ck, (const void *)r, *left, err))
			return -1;
		(*left)--;
		return 0;
	}
	return snprintf(err, VMTRACE_ERRLEN, "checkpoint: a %s record",
			vmtrace_rec_name(r->type) ? vmtrace_rec_name(r->type) : "bad"), -1;
}

/**
 * replay_ckpt_parse() - the checkpoint in @len bytes of checked records
 * @ck: out: what it holds, pointing into @recs (keep it); free ck->slots
 *	and ck->pages.
 * @recs: the CKPT_* records of vCPU 0's CHECKPOINT chunks, in order.
 * @len: their bytes.
 * @err: why not, for -1.
 *
 * Return: 0, or -1 (@ck's arrays freed).
 */
int replay_ckpt_parse(struct replay_ckpt *ck, const uint8_t *recs, size_t len,
		      char *err)
{
	uint64_t left = 0;
	size_t off;

	memset(ck, 0, sizeof(*ck));
	ck->pages = calloc(count_pages(recs, len) + 1, sizeof(*ck->pages));
	if (!ck->pages)
		return snprintf(err, VMTRACE_ERRLEN, "out of memory"), -1;
	for (off = 0; off < len; off += ((const struct vmtrace_rec *)(recs + off))->size)
		if (ckpt_record(ck, (const void *)(recs + off), &left, err))
			goto err_free;
	if (!ckpt_complete(ck, left, err))
		return 0;
err_free:
	free(ck->slots);
	free(ck->pages);
	memset(ck, 0, sizeof(*ck));
	return -1;
}

/* The batch being filled by replay_split(). */
struct splitter {
	struct replay_trace *t;
	struct growbuf feed, vmm;
	struct replay_batch *batches;
	size_t nr, cap;
	enum { SPLIT_NONE, SPLIT_OPEN, SPLIT_PENDING } state;
	uint64_t last_ordinal;
};

static struct replay_batch *batch_new(struct splitter *s, uint64_t ordinal)
{
	struct replay_batch *b;

	if (s->nr == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		b = realloc(s->batches, s->cap * sizeof(*b));
		if (!b)
			return NULL;
		s->batches = b;
	}
	b = &s->batches[s->nr++];
	*b = (struct replay_batch){ .ordinal = ordinal, .stop_ordinal = ordinal,
		.feed_off = s->feed.len, .vmm_off = s->vmm.len };
	return b;
}

static int batch_emit(struct splitter *s, const struct replay_batch *part)
{
	struct replay_batch *b = batch_new(s, 0);

	if (!b)
		return -1;
	*b = *part;
	return 0;
}

/* The part of @whole from feed offset @start to @end, its @n records. */
static struct replay_batch batch_part(const struct replay_batch *whole, size_t start,
				      size_t end, uint32_t n, uint64_t ordinal)
{
	struct replay_batch p = *whole;

	p.ordinal = ordinal;
	p.feed_off = start;
	p.feed_bytes = end - start;
	p.nr_feed = n;
	if (start != whole->feed_off)
		p.vmm_bytes = p.nr_vmm = 0;
	return p;
}

/* Emit a cont part from @start to @cut; return its last exit (the next part's start). */
static int batch_cut(struct splitter *s, const struct replay_batch *whole, size_t start,
		     size_t cut, uint32_t n, uint64_t ordinal, uint64_t cut_ord)
{
	struct replay_batch p = batch_part(whole, start, cut, n, ordinal);

	p.stop_ordinal = cut_ord;
	p.cont = true;
	p.open_end = false;
	p.exit_reason = 0;
	return batch_emit(s, &p);
}

/*
 * The batch just closed, cut into parts of at most @max bytes of records,
 * between exits (records of one exit stay together).
 */
static int batch_fit(struct splitter *s, uint32_t max, char *err)
{
	struct replay_batch whole = s->batches[--s->nr];
	size_t off = whole.feed_off, end = off + whole.feed_bytes, start = off, cut = off;
	uint64_t prev = whole.ordinal, cut_ord = whole.ordinal, part_ord = whole.ordinal;
	uint32_t n = 0, ncut = 0;

	while (off < end) {
		const struct vmtrace_rec *r = (const void *)(s->feed.p + off);

		if (off > start && r->ordinal != prev) {
			cut = off;
			ncut = n;
			cut_ord = prev;
		}
		if (off + r->size - start <= max) {
			prev = r->ordinal;
			off += r->size;
			n++;
			continue;
		}
		if (cut == start)
			return snprintf(err, VMTRACE_ERRLEN, "more than %u bytes of records at exit %llu",
					max, (unsigned long long)r->ordinal), -1;
		if (batch_cut(s, &whole, start, cut, ncut, part_ord, cut_ord))
			return snprintf(err, VMTRACE_ERRLEN, "out of memory"), -1;
		start = cut;
		part_ord = cut_ord;
		n -= ncut;
	}
	whole = batch_part(&whole, start, end, n, part_ord);
	return batch_emit(s, &whole) ? snprintf(err, VMTRACE_ERRLEN, "out of memory"), -1 : 0;
}

static int split_close(struct splitter *s, const struct vmtrace_rec_sched *out, char *err)
{
	struct replay_batch *b = &s->batches[s->nr - 1];
	uint32_t max = s->t->feed_max ? s->t->feed_max : VMTRACE_REPLAY_MAX;

	if (out) {
		b->stop_ordinal = out->hdr.ordinal;
		b->exit_reason = out->exit_reason;
	} else {
		b->open_end = true;
		b->stop_ordinal = s->last_ordinal > b->ordinal ? s->last_ordinal : b->ordinal;
	}
	s->state = SPLIT_NONE;
	return b->feed_bytes > max ? batch_fit(s, max, err) : 0;
}

/* The batch a record goes into: the open one, or a new one. */
static struct replay_batch *split_batch(struct splitter *s, uint64_t ordinal)
{
	if (s->state != SPLIT_NONE)
		return &s->batches[s->nr - 1];
	if (!batch_new(s, s->nr ? s->batches[s->nr - 1].stop_ordinal : ordinal))
		return NULL;
	s->state = s->nr == 1 ? SPLIT_OPEN : SPLIT_PENDING;
	return &s->batches[s->nr - 1];
}

static int split_add(struct splitter *s, const struct vmtrace_rec *r, char *err)
{
	bool vmm = r->type == VMTRACE_REC_MEM_WRITE && (r->flags & VMTRACE_RECF_VMM);
	struct replay_batch *b = split_batch(s, s->t->ckpt.ordinal);

	if (!b || gb_add(vmm ? &s->vmm : &s->feed, r, r->size))
		return snprintf(err, VMTRACE_ERRLEN, "out of memory"), -1;
	if (vmm) {
		b->vmm_bytes += r->size;
		b->nr_vmm++;
	} else {
		b->feed_bytes += r->size;
		b->nr_feed++;
	}
	return 0;
}

static int split_record(struct splitter *s, const struct vmtrace_rec *r, char *err)
{
	s->last_ordinal = r->ordinal > s->last_ordinal ? r->ordinal : s->last_ordinal;
	if (r->type == VMTRACE_REC_VCPU_IN) {
		if (s->state == SPLIT_OPEN)
			return snprintf(err, VMTRACE_ERRLEN, "vcpu_in at ordinal %llu inside a KVM_RUN",
					(unsigned long long)r->ordinal), -1;
		if (s->state == SPLIT_NONE && !batch_new(s, r->ordinal))
			return snprintf(err, VMTRACE_ERRLEN, "out of memory"), -1;
		s->batches[s->nr - 1].ordinal = r->ordinal;
		s->state = SPLIT_OPEN;
		return 0;
	}
	if (r->type == VMTRACE_REC_VCPU_OUT) {
		if (s->state == SPLIT_NONE && !split_batch(s, s->t->ckpt.ordinal))
			return snprintf(err, VMTRACE_ERRLEN, "out of memory"), -1;
		if (s->state == SPLIT_PENDING)
			return snprintf(err, VMTRACE_ERRLEN, "vcpu_out at ordinal %llu without its vcpu_in",
					(unsigned long long)r->ordinal), -1;
		return split_close(s, (const void *)r, err);
	}
	return split_add(s, r, err);
}

/**
 * replay_split() - split vCPU 0's records after the checkpoint into batches
 * @t: the trace; its ckpt.ordinal (the first KVM_RUN's start if the
 *	records do not begin with a vcpu_in), last_ordinal (where an
 *	unfinished last KVM_RUN stops) and feed_max are used. Out: feed,
 *	vmm, batches and their counts.
 * @stream: the records, checked, in order.
 * @len: their bytes.
 * @err: why not, for -1.
 *
 * Each batch is a KVM_RUN: from a vcpu_in to the next vcpu_out, markers
 * left out, the VMM's writes (mem_write with VMTRACE_RECF_VMM) apart.
 * Records between a vcpu_out and the next vcpu_in go with the latter.
 *
 * Return: 0, or -1.
 */
int replay_split(struct replay_trace *t, const uint8_t *stream, size_t len, char *err)
{
	struct splitter s = { .t = t, .last_ordinal = t->last_ordinal };
	size_t off;

	for (off = 0; off < len; off += ((const struct vmtrace_rec *)(stream + off))->size)
		if (split_record(&s, (const void *)(stream + off), err))
			goto err_free;
	if (s.state != SPLIT_NONE && split_close(&s, NULL, err))
		goto err_free;
	t->feed = s.feed.p;
	t->feed_len = s.feed.len;
	t->vmm = s.vmm.p;
	t->vmm_len = s.vmm.len;
	t->batches = s.batches;
	t->nr_batches = s.nr;
	for (t->nr_feed = 0, off = 0; off < s.nr; off++)
		t->nr_feed += s.batches[off].nr_feed;
	return 0;
err_free:
	free(s.feed.p);
	free(s.vmm.p);
	free(s.batches);
	return -1;
}

/* What the walk keeps of a trace. */
struct loader {
	struct growbuf ckpt;
	struct growbuf stream;
	bool in_ckpt;		/* vCPU 0's first CHECKPOINT chunk was seen */
	bool oom;
	unsigned int info_vcpus;
	uint64_t skipped;
	bool branches;		/* an event placed by branch count */
};

static int load_record(void *ctx, const struct vmtrace_chunk *c, const struct vmtrace_rec *r)
{
	struct loader *l = ctx;

	if (c->vcpu != 0)
		return 0;
	if (c->type == VMTRACE_CHUNK_CHECKPOINT)
		l->in_ckpt = true;
	else if (!l->in_ckpt)
		return l->skipped++, 0;
	if ((r->type == VMTRACE_REC_IRQ || r->type == VMTRACE_REC_NMI ||
	     r->type == VMTRACE_REC_EXCEPTION) && (r->flags & VMTRACE_RECF_BRANCHES))
		l->branches = true;
	if (gb_add(c->type == VMTRACE_CHUNK_CHECKPOINT ? &l->ckpt : &l->stream, r, r->size))
		return l->oom = true, -1;
	return 0;
}

static void load_info(void *ctx, const char *text, size_t len)
{
	struct loader *l = ctx;
	char buf[4096];
	const char *v;

	snprintf(buf, sizeof(buf), "\n%.*s", (int)(len < sizeof(buf) - 2 ? len : sizeof(buf) - 2), text);
	v = strstr(buf, "\nvcpus=");
	if (v)
		l->info_vcpus = strtoul(v + 7, NULL, 10);
}

/* A trace of an older format has no checkpoint: say so before the walk refuses it. */
static int load_version(const char *path, char *err)
{
	struct vmtrace_file_header h;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, &h, sizeof(h));

	if (fd >= 0)
		close(fd);
	if (n != sizeof(h) || memcmp(h.magic, VMTRACE_FILE_MAGIC, sizeof(h.magic)) ||
	    h.version >= 3)
		return 0;
	snprintf(err, VMTRACE_ERRLEN, "%.100s: recorded in trace format %u, before format 3: it has no checkpoint",
		 path, h.version);
	return -1;
}

/* Is the walked trace one replay can follow? */
static int load_check(const struct vmtrace_walk *w, const struct loader *l, char *err)
{
	unsigned int n = w->vcpus > l->info_vcpus ? w->vcpus : l->info_vcpus;

	if (w->vcpus > 1)
		return snprintf(err, VMTRACE_ERRLEN, "replay supports one vCPU; this trace has %u", n), -1;
	if (!w->ckpt_chunks || !l->ckpt.len)
		return snprintf(err, VMTRACE_ERRLEN, "the trace has no checkpoint of vCPU 0 (recorded before format 3, or without one)"), -1;
	return 0;
}

static int load_walk(struct loader *l, const char *path, struct vmtrace_walk *w, char *err)
{
	static const struct vmtrace_walk_ops ops = { .record = load_record, .info = load_info };
	int ret = vmtrace_trace_walk(path, &ops, l, w);

	if (!ret)
		return VMTRACE_OK;
	snprintf(err, VMTRACE_ERRLEN, "%.100s: %.150s", path, l->oom ? "out of memory" : w->error);
	return w->sys_errno || l->oom ? VMTRACE_E_OTHER : VMTRACE_E_CORRUPT;
}

/**
 * replay_load() - read a trace for replay
 * @t: out: the trace; free it with replay_trace_free(). t->feed_max is
 *	kept if set.
 * @path: the trace file.
 * @err: why not.
 *
 * Return: VMTRACE_OK; VMTRACE_E_CORRUPT for a corrupt or incomplete
 * trace, VMTRACE_E_NOREPLAY for one replay cannot follow (several vCPUs,
 * no checkpoint, a bad checkpoint or KVM_RUN order), VMTRACE_E_OTHER if
 * it cannot be read.
 */
int replay_load(struct replay_trace *t, const char *path, char *err)
{
	uint32_t feed_max = t->feed_max;
	struct loader l = { 0 };
	struct vmtrace_walk w;
	int ret;

	memset(t, 0, sizeof(*t));
	t->feed_max = feed_max;
	if (load_version(path, err))
		return VMTRACE_E_NOREPLAY;
	ret = load_walk(&l, path, &w, err);
	if (!ret && (load_check(&w, &l, err) ||
		     replay_ckpt_parse(&t->ckpt, l.ckpt.p, l.ckpt.len, err)))
		ret = VMTRACE_E_NOREPLAY;
	if (ret)
		goto err_free;
	t->ckpt_recs = l.ckpt.p;
	t->ckpt_len = l.ckpt.len;
	t->skipped = l.skipped;
	t->last_ordinal = w.last_ordinal;
	t->duration_ns = w.duration_ns;
	t->vcpus = w.vcpus;
	t->pmu = l.branches;
	ret = replay_split(t, l.stream.p, l.stream.len, err) ? VMTRACE_E_NOREPLAY : VMTRACE_OK;
	free(l.stream.p);
	if (ret)
		replay_trace_free(t);
	return ret;
err_free:
	free(l.ckpt.p);
	free(l.stream.p);
	return ret;
}

void replay_trace_free(struct replay_trace *t)
{
	free(t->ckpt.slots);
	free(t->ckpt.pages);
	free(t->ckpt_recs);
	free(t->feed);
	free(t->vmm);
	free(t->batches);
	memset(t, 0, sizeof(*t));
}
