// SPDX-License-Identifier: GPL-2.0
/*
 * Checking a chunk (magic, version, sizes, CRC32C), decompressing its
 * records and checking them one by one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "trace.h"

static const char *const rec_names[VMTRACE_REC_NR] = {
	[VMTRACE_REC_RDTSC]	= "rdtsc",
	[VMTRACE_REC_RDTSCP]	= "rdtscp",
	[VMTRACE_REC_RDRAND]	= "rdrand",
	[VMTRACE_REC_RDSEED]	= "rdseed",
	[VMTRACE_REC_RDPMC]	= "rdpmc",
	[VMTRACE_REC_CPUID]	= "cpuid",
	[VMTRACE_REC_PIO_IN]	= "pio_in",
	[VMTRACE_REC_MMIO_READ]	= "mmio_read",
	[VMTRACE_REC_MSR_READ]	= "msr_read",
	[VMTRACE_REC_IRQ]	= "irq",
	[VMTRACE_REC_NMI]	= "nmi",
	[VMTRACE_REC_EXCEPTION]	= "exception",
	[VMTRACE_REC_MEM_WRITE]	= "mem_write",
	[VMTRACE_REC_VCPU_IN]	= "vcpu_in",
	[VMTRACE_REC_VCPU_OUT]	= "vcpu_out",
	[VMTRACE_REC_PIO_OUT]	= "pio_out",
	[VMTRACE_REC_MMIO_WRITE] = "mmio_write",
	[VMTRACE_REC_DIGEST]	= "digest",
	[VMTRACE_REC_CKPT_STATE] = "ckpt_state",
	[VMTRACE_REC_CKPT_SLOT]	= "ckpt_slot",
	[VMTRACE_REC_CKPT_PAGE]	= "ckpt_page",
};

static const char *const ckpt_names[VMTRACE_CKPT_NR] = {
	[VMTRACE_CKPT_REGS]	= "regs",
	[VMTRACE_CKPT_SREGS]	= "sregs",
	[VMTRACE_CKPT_XSAVE]	= "xsave",
	[VMTRACE_CKPT_XCRS]	= "xcrs",
	[VMTRACE_CKPT_MSRS]	= "msrs",
	[VMTRACE_CKPT_DEBUGREGS] = "debugregs",
	[VMTRACE_CKPT_EVENTS]	= "events",
	[VMTRACE_CKPT_LAPIC]	= "lapic",
	[VMTRACE_CKPT_MP_STATE]	= "mp_state",
	[VMTRACE_CKPT_CPUID]	= "cpuid",
	[VMTRACE_CKPT_TSC_KHZ]	= "tsc_khz",
	[VMTRACE_CKPT_IRQCHIP]	= "irqchip",
	[VMTRACE_CKPT_PIT2]	= "pit2",
	[VMTRACE_CKPT_CLOCK]	= "clock",
	[VMTRACE_CKPT_SPLIT_IRQCHIP] = "split_irqchip",
};

/* Smallest valid size of each record type. */
static const uint16_t rec_min_size[VMTRACE_REC_NR] = {
	[VMTRACE_REC_RDTSC]	= sizeof(struct vmtrace_rec_tsc),
	[VMTRACE_REC_RDTSCP]	= sizeof(struct vmtrace_rec_tsc),
	[VMTRACE_REC_RDRAND]	= sizeof(struct vmtrace_rec_rand),
	[VMTRACE_REC_RDSEED]	= sizeof(struct vmtrace_rec_rand),
	[VMTRACE_REC_RDPMC]	= sizeof(struct vmtrace_rec_rdpmc),
	[VMTRACE_REC_CPUID]	= sizeof(struct vmtrace_rec_cpuid),
	[VMTRACE_REC_PIO_IN]	= sizeof(struct vmtrace_rec_pio),
	[VMTRACE_REC_MMIO_READ]	= sizeof(struct vmtrace_rec_mmio),
	[VMTRACE_REC_MSR_READ]	= sizeof(struct vmtrace_rec_msr),
	[VMTRACE_REC_IRQ]	= sizeof(struct vmtrace_rec_event),
	[VMTRACE_REC_NMI]	= sizeof(struct vmtrace_rec_event),
	[VMTRACE_REC_EXCEPTION]	= sizeof(struct vmtrace_rec_event),
	[VMTRACE_REC_MEM_WRITE]	= sizeof(struct vmtrace_rec_mem),
	[VMTRACE_REC_VCPU_IN]	= sizeof(struct vmtrace_rec_sched),
	[VMTRACE_REC_VCPU_OUT]	= sizeof(struct vmtrace_rec_sched),
	[VMTRACE_REC_PIO_OUT]	= sizeof(struct vmtrace_rec_pio),
	[VMTRACE_REC_MMIO_WRITE] = sizeof(struct vmtrace_rec_mmio),
	[VMTRACE_REC_DIGEST]	= sizeof(struct vmtrace_rec_digest),
	[VMTRACE_REC_CKPT_STATE] = sizeof(struct vmtrace_rec_ckpt_state),
	[VMTRACE_REC_CKPT_SLOT]	= sizeof(struct vmtrace_rec_ckpt_slot),
	[VMTRACE_REC_CKPT_PAGE]	= sizeof(struct vmtrace_rec_mem) + VMTRACE_PAGE_SIZE,
};

_Static_assert(sizeof(struct vmtrace_rec) == 16, "vmtrace_rec layout");
_Static_assert(sizeof(struct vmtrace_chunk) == 64, "vmtrace_chunk layout");
_Static_assert(sizeof(struct vmtrace_rec_event) == 64, "vmtrace_rec_event layout");
_Static_assert(sizeof(struct vmtrace_file_header) == 32, "file header layout");
_Static_assert(sizeof(struct vmtrace_section) == 16, "section layout");
_Static_assert(sizeof(struct vmtrace_file_end) == 240, "file end layout");
_Static_assert(sizeof(struct vmtrace_rec_digest) == 56, "vmtrace_rec_digest layout");
_Static_assert(sizeof(struct vmtrace_rec_ckpt_state) == 24, "ckpt_state layout");
_Static_assert(sizeof(struct vmtrace_rec_ckpt_slot) == 64, "ckpt_slot layout");
_Static_assert(sizeof(struct vmtrace_cpuid_entry) == 32, "cpuid entry layout");

const char *vmtrace_rec_name(unsigned int type)
{
	return type && type < VMTRACE_REC_NR ? rec_names[type] : NULL;
}

/* The name of a VMTRACE_CKPT_* piece of state, NULL if unknown. */
const char *vmtrace_ckpt_name(unsigned int what)
{
	return what && what < VMTRACE_CKPT_NR ? ckpt_names[what] : NULL;
}

/* The type named @name (lowercase uapi name), -1 if none. */
int vmtrace_rec_type(const char *name)
{
	int t;

	for (t = 1; t < VMTRACE_REC_NR; t++)
		if (!strcmp(rec_names[t], name))
			return t;
	return -1;
}

/* The CRC32C a chunk must carry: header (crc32c zero), then payload. */
static uint32_t chunk_crc(const struct vmtrace_chunk *c)
{
	struct vmtrace_chunk h = *c;

	h.crc32c = 0;
	return vmtrace_crc32c(vmtrace_crc32c(0, &h, sizeof(h)), c + 1,
			      c->payload_size);
}

/*
 * Check a chunk's header and CRC; @avail bytes are readable at @c.
 * Return: 0, or -1 with the reason in @err.
 */
int vmtrace_chunk_check(const struct vmtrace_chunk *c, size_t avail, char *err)
{
	uint32_t crc;

	if (avail < sizeof(*c))
		return snprintf(err, VMTRACE_ERRLEN, "chunk header truncated (%zu bytes)", avail), -1;
	if (c->magic != VMTRACE_CHUNK_MAGIC || c->version != VMTRACE_CHUNK_VERSION)
		return snprintf(err, VMTRACE_ERRLEN, "bad chunk magic 0x%08x or version %u",
				c->magic, c->version), -1;
	if (c->size < sizeof(*c) || c->size % 8 || c->size > avail ||
	    c->payload_size > c->size - sizeof(*c) || c->reserved ||
	    (c->type != VMTRACE_CHUNK_RECORDS && c->type != VMTRACE_CHUNK_END &&
	     c->type != VMTRACE_CHUNK_CHECKPOINT))
		return snprintf(err, VMTRACE_ERRLEN, "chunk seq %llu: bad size %u/%u or type %u",
				(unsigned long long)c->seq, c->size, c->payload_size, c->type), -1;
	crc = chunk_crc(c);
	if (crc != c->crc32c)
		return snprintf(err, VMTRACE_ERRLEN, "chunk seq %llu: CRC32C mismatch (stored 0x%08x, computed 0x%08x)",
				(unsigned long long)c->seq, c->crc32c, crc), -1;
	return 0;
}

/*
 * The records of a checked chunk, decompressed if needed, in a new buffer
 * of c->raw_size bytes (*raw, to free). Return: 0 or -1 with @err.
 */
int vmtrace_chunk_records(const struct vmtrace_chunk *c, uint8_t **raw, char *err)
{
	size_t n;

	*raw = malloc(c->raw_size ? c->raw_size : 1);
	if (!*raw)
		return snprintf(err, VMTRACE_ERRLEN, "out of memory"), -1;
	if (!(c->flags & VMTRACE_CHUNK_ZSTD)) {
		if (c->payload_size == c->raw_size) {
			memcpy(*raw, c + 1, c->raw_size);
			return 0;
		}
		snprintf(err, VMTRACE_ERRLEN, "chunk seq %llu: raw payload of %u bytes, %u expected",
			 (unsigned long long)c->seq, c->payload_size, c->raw_size);
		goto err_free;
	}
	n = ZSTD_decompress(*raw, c->raw_size, c + 1, c->payload_size);
	if (!ZSTD_isError(n) && n == c->raw_size)
		return 0;
	snprintf(err, VMTRACE_ERRLEN, "chunk seq %llu: zstd: %s",
		 (unsigned long long)c->seq, ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short output");
err_free:
	free(*raw);
	*raw = NULL;
	return -1;
}

/* Bytes of data a variable-size record says it carries after its fixed part. */
static uint64_t rec_data_len(const struct vmtrace_rec *r)
{
	const struct vmtrace_rec_pio *pio = (const void *)r;
	const struct vmtrace_rec_mem *mem = (const void *)r;

	const struct vmtrace_rec_ckpt_state *st = (const void *)r;

	switch (r->type) {
	case VMTRACE_REC_PIO_IN:
	case VMTRACE_REC_PIO_OUT:
		return (uint64_t)pio->size * pio->count;
	case VMTRACE_REC_MEM_WRITE:
		return mem->len;
	case VMTRACE_REC_CKPT_PAGE:
		return mem->len == VMTRACE_PAGE_SIZE ? 0 : mem->len;	/* a page, nothing else */
	case VMTRACE_REC_CKPT_STATE:
		return st->len;
	}
	return 0;
}

/* Types whose records have exactly one size: the fixed part, or that and the data. */
static bool rec_size_exact(const struct vmtrace_rec *r)
{
	const struct vmtrace_rec_ckpt_state *st = (const void *)r;

	switch (r->type) {
	case VMTRACE_REC_DIGEST:
	case VMTRACE_REC_CKPT_SLOT:
	case VMTRACE_REC_CKPT_PAGE:
		return r->size == rec_min_size[r->type];
	case VMTRACE_REC_CKPT_STATE:
		return r->size == sizeof(*st) + (((uint64_t)st->len + 7) & ~7ULL);
	}
	return true;
}

static bool rec_is_ckpt(unsigned int type)
{
	return type == VMTRACE_REC_CKPT_STATE || type == VMTRACE_REC_CKPT_SLOT ||
	       type == VMTRACE_REC_CKPT_PAGE;
}

static int record_check(const struct vmtrace_chunk *c, const struct vmtrace_rec *r,
			size_t left, uint64_t prev, char *err, size_t errlen)
{
	if (left < sizeof(*r) || r->size < sizeof(*r) || r->size % 8 || r->size > left)
		return snprintf(err, errlen, "bad record size %u", left < sizeof(*r) ? 0 : r->size), -1;
	if (!vmtrace_rec_name(r->type) || r->size < rec_min_size[r->type])
		return snprintf(err, errlen, "bad record type %u or size %u", r->type, r->size), -1;
	if (rec_data_len(r) > (uint64_t)r->size - rec_min_size[r->type])
		return snprintf(err, errlen, "%s record of %u bytes carries %llu data bytes",
				vmtrace_rec_name(r->type), r->size,
				(unsigned long long)rec_data_len(r)), -1;
	if (!rec_size_exact(r))
		return snprintf(err, errlen, "%s record of %u bytes: bad size",
				vmtrace_rec_name(r->type), r->size), -1;
	if (rec_is_ckpt(r->type) != (c->type == VMTRACE_CHUNK_CHECKPOINT))
		return snprintf(err, errlen, "%s record in a %s chunk", vmtrace_rec_name(r->type),
				c->type == VMTRACE_CHUNK_CHECKPOINT ? "CHECKPOINT" : "RECORDS"), -1;
	if (r->ordinal < prev || r->ordinal < c->first_ordinal || r->ordinal > c->last_ordinal)
		return snprintf(err, errlen, "ordinal %llu out of order or outside %llu-%llu",
				(unsigned long long)r->ordinal, (unsigned long long)c->first_ordinal,
				(unsigned long long)c->last_ordinal), -1;
	return 0;
}

/*
 * The header's ordinals are those of the first and last record (@last);
 * an END chunk has no records.
 */
static int chunk_ordinals_check(const struct vmtrace_chunk *c, const uint8_t *raw,
				uint64_t last, char *err)
{
	const struct vmtrace_rec *first = (const void *)raw;

	if (c->type == VMTRACE_CHUNK_END)
		return c->raw_size ? snprintf(err, VMTRACE_ERRLEN,
					      "chunk seq %llu: END chunk with %u bytes of records",
					      (unsigned long long)c->seq, c->raw_size), -1 : 0;
	if (!c->nr_records || (first->ordinal == c->first_ordinal && last == c->last_ordinal))
		return 0;
	return snprintf(err, VMTRACE_ERRLEN,
			"chunk seq %llu: header ordinals %llu-%llu, records %llu-%llu",
			(unsigned long long)c->seq, (unsigned long long)c->first_ordinal,
			(unsigned long long)c->last_ordinal,
			(unsigned long long)first->ordinal, (unsigned long long)last), -1;
}

/*
 * Check every record of a chunk and add them to @counts.
 * Return: 0, or -1 with the record's index and offset in @err.
 */
int vmtrace_records_check(const struct vmtrace_chunk *c, const uint8_t *raw,
			  uint64_t counts[VMTRACE_REC_NR], char *err)
{
	uint64_t prev = c->first_ordinal;
	char why[VMTRACE_ERRLEN / 2];
	uint32_t off = 0, i = 0;

	while (off < c->raw_size) {
		const struct vmtrace_rec *r = (const void *)(raw + off);

		if (record_check(c, r, c->raw_size - off, prev, why, sizeof(why)))
			return snprintf(err, VMTRACE_ERRLEN, "chunk seq %llu, record %u at offset %u: %.120s",
					(unsigned long long)c->seq, i, off, why), -1;
		counts[r->type]++;
		prev = r->ordinal;
		off += r->size;
		i++;
	}
	if (i != c->nr_records)
		return snprintf(err, VMTRACE_ERRLEN, "chunk seq %llu: %u records, header says %u",
				(unsigned long long)c->seq, i, c->nr_records), -1;
	return chunk_ordinals_check(c, raw, prev, err);
}
