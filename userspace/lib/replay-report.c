// SPDX-License-Identifier: GPL-2.0
/*
 * Describing a divergence: what the recording expected, what happened,
 * which value differs, where, and the last input the guest consumed
 * before. One item per line for people, or one JSON object.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <linux/kvm.h>

#include "replay.h"
#include "vmtrace.h"

static const char *const field_names[] = {
	[VMTRACE_FIELD_TYPE] = "type",
	[VMTRACE_FIELD_ORDINAL] = "ordinal",
	[VMTRACE_FIELD_RIP] = "rip",
	[VMTRACE_FIELD_DATA] = "data",
	[VMTRACE_FIELD_WHERE] = "where",
	[VMTRACE_FIELD_REGS] = "regs",
	[VMTRACE_FIELD_RFLAGS] = "rflags",
	[VMTRACE_FIELD_MEM] = "mem",
	[VMTRACE_FIELD_VECTOR] = "vector",
	[VMTRACE_FIELD_BRANCHES] = "branches",
};

static const char *const kind_names[] = {
	[VMTRACE_DIVERGE_NONE] = NULL,
	[VMTRACE_DIVERGE_EVENT] = "another event than the recorded one",
	[VMTRACE_DIVERGE_VALUE] = "the recorded event, with other values",
	[VMTRACE_DIVERGE_EXTRA] = "an event the recording lacks",
	[VMTRACE_DIVERGE_UNSUPPORTED] = "a record replay cannot follow",
};

static const char *field_name(uint32_t f)
{
	return f < sizeof(field_names) / sizeof(field_names[0]) ? field_names[f] : "unknown";
}

/* The KVM_EXIT_* name (without the prefix) of an exit reason. */
const char *replay_exit_name(uint32_t reason)
{
	static const char *const names[] = {
		[KVM_EXIT_UNKNOWN] = "UNKNOWN", [KVM_EXIT_EXCEPTION] = "EXCEPTION",
		[KVM_EXIT_IO] = "IO", [KVM_EXIT_HYPERCALL] = "HYPERCALL",
		[KVM_EXIT_DEBUG] = "DEBUG", [KVM_EXIT_HLT] = "HLT",
		[KVM_EXIT_MMIO] = "MMIO", [KVM_EXIT_IRQ_WINDOW_OPEN] = "IRQ_WINDOW_OPEN",
		[KVM_EXIT_SHUTDOWN] = "SHUTDOWN", [KVM_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
		[KVM_EXIT_INTR] = "INTR", [KVM_EXIT_SET_TPR] = "SET_TPR",
		[KVM_EXIT_TPR_ACCESS] = "TPR_ACCESS", [KVM_EXIT_NMI] = "NMI",
		[KVM_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
		[KVM_EXIT_SYSTEM_EVENT] = "SYSTEM_EVENT",
		[KVM_EXIT_X86_RDMSR] = "X86_RDMSR", [KVM_EXIT_X86_WRMSR] = "X86_WRMSR",
	};

	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	return "?";
}

/* The data bytes of a pio record, little-endian, as far as 8 of them go. */
static uint64_t pio_value(const struct vmtrace_rec_pio *p)
{
	uint64_t v = 0, n = (uint64_t)p->size * p->count;

	memcpy(&v, p->data, n < 8 ? n : 8);
	return v;
}

/**
 * replay_rec_text() - a record's type and main fields, on one line
 * @buf: out.
 * @len: its room.
 * @r: the record.
 *
 * Return: what snprintf() returned.
 */
int replay_rec_text(char *buf, size_t len, const struct vmtrace_rec *r)
{
	const union vmtrace_rec_any *u = (const void *)r;
	const char *name = vmtrace_rec_name(r->type) ? vmtrace_rec_name(r->type) : "?";

	switch (r->type) {
	case VMTRACE_REC_RDTSC:
	case VMTRACE_REC_RDTSCP:
		return snprintf(buf, len, "%s tsc=0x%llx rip=0x%llx", name,
				(unsigned long long)u->tsc.tsc, (unsigned long long)u->tsc.rip);
	case VMTRACE_REC_RDRAND:
	case VMTRACE_REC_RDSEED:
		return snprintf(buf, len, "%s value=0x%llx rip=0x%llx", name,
				(unsigned long long)u->rand.value, (unsigned long long)u->rand.rip);
	case VMTRACE_REC_RDPMC:
		return snprintf(buf, len, "%s ecx=0x%x value=0x%llx", name, u->rdpmc.ecx,
				(unsigned long long)u->rdpmc.value);
	case VMTRACE_REC_CPUID:
		return snprintf(buf, len, "%s function=0x%x index=0x%x", name,
				u->cpuid.function, u->cpuid.index);
	case VMTRACE_REC_PIO_IN:
	case VMTRACE_REC_PIO_OUT:
		return snprintf(buf, len, "%s port=0x%x size=%u count=%u data=0x%llx", name,
				u->pio.port, u->pio.size, u->pio.count,
				(unsigned long long)pio_value(&u->pio));
	case VMTRACE_REC_MMIO_READ:
	case VMTRACE_REC_MMIO_WRITE:
		return snprintf(buf, len, "%s gpa=0x%llx len=%u data=0x%llx", name,
				(unsigned long long)u->mmio.gpa, u->mmio.len,
				(unsigned long long)u->mmio.data);
	case VMTRACE_REC_MSR_READ:
		return snprintf(buf, len, "%s msr=0x%x value=0x%llx", name, u->msr.index,
				(unsigned long long)u->msr.value);
	case VMTRACE_REC_IRQ:
	case VMTRACE_REC_NMI:
	case VMTRACE_REC_EXCEPTION:
		if (r->flags & VMTRACE_RECF_BRANCHES)
			return snprintf(buf, len, "%s vector=%u rip=0x%llx branches=%llu", name,
					u->ev.vector, (unsigned long long)u->ev.rip,
					(unsigned long long)u->ev.branches);
		return snprintf(buf, len, "%s vector=%u rip=0x%llx", name, u->ev.vector,
				(unsigned long long)u->ev.rip);
	case VMTRACE_REC_MEM_WRITE:
		return snprintf(buf, len, "%s gpa=0x%llx len=%u", name,
				(unsigned long long)u->mem.gpa, u->mem.len);
	case VMTRACE_REC_DIGEST:
		return snprintf(buf, len, "%s rip=0x%llx regs=0x%llx mem=0x%llx", name,
				(unsigned long long)u->dig.rip, (unsigned long long)u->dig.regs,
				(unsigned long long)u->dig.mem);
	}
	return snprintf(buf, len, "%s", name);
}

/* An input's RIP (false if it has none) and value. */
static bool input_of(const struct vmtrace_rec *r, uint64_t *rip, uint64_t *value)
{
	const union vmtrace_rec_any *u = (const void *)r;

	*rip = 0;
	switch (r->type) {
	case VMTRACE_REC_RDTSC:
	case VMTRACE_REC_RDTSCP:
		return *rip = u->tsc.rip, *value = u->tsc.tsc, true;
	case VMTRACE_REC_RDRAND:
	case VMTRACE_REC_RDSEED:
		return *rip = u->rand.rip, *value = u->rand.value, true;
	case VMTRACE_REC_RDPMC:
		return *value = u->rdpmc.value, false;
	case VMTRACE_REC_CPUID:
		return *value = u->cpuid.eax, false;
	case VMTRACE_REC_PIO_IN:
		return *value = pio_value(&u->pio), false;
	case VMTRACE_REC_MMIO_READ:
		return *value = u->mmio.data, false;
	case VMTRACE_REC_MSR_READ:
		return *value = u->msr.value, false;
	}
	return false;
}

static bool is_input(uint32_t type)
{
	switch (type) {
	case VMTRACE_REC_RDTSC:
	case VMTRACE_REC_RDTSCP:
	case VMTRACE_REC_RDRAND:
	case VMTRACE_REC_RDSEED:
	case VMTRACE_REC_RDPMC:
	case VMTRACE_REC_CPUID:
	case VMTRACE_REC_PIO_IN:
	case VMTRACE_REC_MMIO_READ:
	case VMTRACE_REC_MSR_READ:
		return true;
	}
	return false;
}

/* The last input record in the first @feed_pos bytes of t->feed, or NULL. */
const struct vmtrace_rec *replay_last_input(const struct replay_trace *t, size_t feed_pos)
{
	const struct vmtrace_rec *last = NULL, *r;
	size_t off;

	for (off = 0; off < feed_pos && off < t->feed_len; off += r->size) {
		r = (const void *)(t->feed + off);
		if (is_input(r->type))
			last = r;
	}
	return last;
}

/* Feed offset of record @n of batch @b (its end if it has fewer). */
static size_t batch_rec_off(const struct replay_trace *t, const struct replay_batch *b,
			    uint32_t n)
{
	size_t off = b->feed_off, end = b->feed_off + b->feed_bytes;

	while (n-- && off < end)
		off += ((const struct vmtrace_rec *)(t->feed + off))->size;
	return off;
}

/**
 * replay_div_from_status() - the divergence VMTRACE_REPLAY_STATUS reports
 * @d: out.
 * @st: the status, diverged.
 * @t: the trace.
 * @b: the batch fed last (its first st->consumed records were consumed).
 */
void replay_div_from_status(struct replay_div *d, const struct vmtrace_replay_status *st,
			    const struct replay_trace *t, const struct replay_batch *b)
{
	size_t pos = batch_rec_off(t, b, st->consumed);
	const struct vmtrace_rec *next = pos < b->feed_off + b->feed_bytes ?
					 (const void *)(t->feed + pos) : NULL;

	memset(d, 0, sizeof(*d));
	d->ordinal = st->ordinal;
	d->rip = st->rip;
	d->kind = st->diverged;
	snprintf(d->why, sizeof(d->why), "%s",
		 st->diverged < sizeof(kind_names) / sizeof(kind_names[0]) && kind_names[st->diverged] ?
		 kind_names[st->diverged] : "unknown divergence");
	d->expected_type = st->expected_type;
	d->expected_rec = next && next->type == st->expected_type ? next : NULL;
	d->seen_type = st->seen_type;
	d->has_field = true;
	d->field = st->field;
	d->expected = st->expected;
	d->seen_value = st->seen;
	d->detail = st->detail;
	d->has_detail = st->field == VMTRACE_FIELD_WHERE || st->detail;
	d->last_input = replay_last_input(t, pos);
}

/* "port 0x3f8", "gpa 0x...", ... for the type concerned; false if none applies. */
static bool where_text(const struct replay_div *d, char *buf, size_t len)
{
	uint32_t type = d->expected_type ? d->expected_type : d->seen_type;
	const char *what = NULL;

	switch (type) {
	case VMTRACE_REC_PIO_IN:
	case VMTRACE_REC_PIO_OUT:
		what = "port";
		break;
	case VMTRACE_REC_MMIO_READ:
	case VMTRACE_REC_MMIO_WRITE:
	case VMTRACE_REC_MEM_WRITE:
	case VMTRACE_REC_DIGEST:
		what = "gpa";
		break;
	case VMTRACE_REC_MSR_READ:
		what = "msr";
		break;
	case VMTRACE_REC_CPUID:
		what = "cpuid";
		break;
	}
	if (!what || !d->has_detail)
		return false;
	snprintf(buf, len, "%s 0x%llx", what, (unsigned long long)d->detail);
	return true;
}

static void expected_text(const struct replay_div *d, char *buf, size_t len)
{
	if (d->expected_rec)
		replay_rec_text(buf, len, d->expected_rec);
	else if (d->expected_type && vmtrace_rec_name(d->expected_type))
		snprintf(buf, len, "%s", vmtrace_rec_name(d->expected_type));
	else
		snprintf(buf, len, "nothing (no record was left)");
}

static void seen_text(const struct replay_div *d, char *buf, size_t len)
{
	if (d->seen[0])
		snprintf(buf, len, "%s", d->seen);
	else if (d->seen_type && vmtrace_rec_name(d->seen_type))
		snprintf(buf, len, "%s", vmtrace_rec_name(d->seen_type));
	else
		snprintf(buf, len, "nothing");
}

static void last_input_text(const struct vmtrace_rec *r, char *buf, size_t len)
{
	uint64_t rip, value = 0;
	bool has_rip = input_of(r, &rip, &value);
	char ripbuf[24] = "-";

	if (has_rip)
		snprintf(ripbuf, sizeof(ripbuf), "0x%llx", (unsigned long long)rip);
	snprintf(buf, len, "%s at ordinal %llu rip %s value 0x%llx", vmtrace_rec_name(r->type),
		 (unsigned long long)r->ordinal, ripbuf, (unsigned long long)value);
}

/* The report, one item per line (Documentation/man/vmtrace-ctl-replay.rst). */
void replay_div_print(FILE *out, const struct replay_div *d)
{
	char buf[256];

	fprintf(out, "vmtrace-ctl replay: DIVERGED at vCPU 0, exit ordinal %llu, rip 0x%llx\n",
		(unsigned long long)d->ordinal, (unsigned long long)d->rip);
	if (d->why[0])
		fprintf(out, "  why: %s\n", d->why);
	expected_text(d, buf, sizeof(buf));
	fprintf(out, "  expected: %s\n", buf);
	seen_text(d, buf, sizeof(buf));
	fprintf(out, "  seen: %s\n", buf);
	if (d->has_field)
		fprintf(out, "  field: %s expected 0x%llx seen 0x%llx\n", field_name(d->field),
			(unsigned long long)d->expected, (unsigned long long)d->seen_value);
	if (where_text(d, buf, sizeof(buf)))
		fprintf(out, "  where: %s\n", buf);
	if (d->last_input) {
		last_input_text(d->last_input, buf, sizeof(buf));
		fprintf(out, "  last input: %s\n", buf);
	}
}

static void json_last_input(FILE *out, const struct vmtrace_rec *r)
{
	uint64_t rip, value = 0;
	bool has_rip = input_of(r, &rip, &value);

	fprintf(out, ", \"last_input\": {\"type\": \"%s\", \"ordinal\": %llu, ",
		vmtrace_rec_name(r->type), (unsigned long long)r->ordinal);
	if (has_rip)
		fprintf(out, "\"rip\": \"0x%llx\", ", (unsigned long long)rip);
	else
		fprintf(out, "\"rip\": null, ");
	fprintf(out, "\"value\": \"0x%llx\"}", (unsigned long long)value);
}

/* The same as one JSON object (no newline). */
void replay_div_json(FILE *out, const struct replay_div *d)
{
	char buf[256];

	fprintf(out, "{\"vcpu\": 0, \"ordinal\": %llu, \"rip\": \"0x%llx\", \"why\": ",
		(unsigned long long)d->ordinal, (unsigned long long)d->rip);
	vmtrace_json_string(out, d->why);
	expected_text(d, buf, sizeof(buf));
	fprintf(out, ", \"expected\": ");
	vmtrace_json_string(out, buf);
	seen_text(d, buf, sizeof(buf));
	fprintf(out, ", \"seen\": ");
	vmtrace_json_string(out, buf);
	if (d->has_field)
		fprintf(out, ", \"field\": \"%s\", \"expected_value\": \"0x%llx\", \"seen_value\": \"0x%llx\"",
			field_name(d->field), (unsigned long long)d->expected,
			(unsigned long long)d->seen_value);
	if (where_text(d, buf, sizeof(buf))) {
		fprintf(out, ", \"where\": ");
		vmtrace_json_string(out, buf);
	}
	if (d->last_input)
		json_last_input(out, d->last_input);
	fputc('}', out);
}
