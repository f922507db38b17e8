/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Chunks and trace files (Documentation/trace-format.rst): checking and
 * decoding chunks (chunk.c), writing a trace (trace-write.c), and walking
 * one with every check (trace-read.c).
 */
#ifndef _VMTRACE_TRACE_H
#define _VMTRACE_TRACE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/vmtrace.h>

#define VMTRACE_ERRLEN	256
#define VMTRACE_PAGE_SIZE	4096	/* of guest RAM, in CKPT_PAGE and VMM writes */

uint32_t vmtrace_crc32c(uint32_t crc, const void *buf, size_t len);

/* Any record, to read one through the layout its header's type names. */
union vmtrace_rec_any {
	struct vmtrace_rec hdr;
	struct vmtrace_rec_tsc tsc;
	struct vmtrace_rec_rand rand;
	struct vmtrace_rec_rdpmc rdpmc;
	struct vmtrace_rec_cpuid cpuid;
	struct vmtrace_rec_pio pio;
	struct vmtrace_rec_mmio mmio;
	struct vmtrace_rec_msr msr;
	struct vmtrace_rec_event ev;
	struct vmtrace_rec_mem mem;
	struct vmtrace_rec_sched sched;
	struct vmtrace_rec_digest dig;
	struct vmtrace_rec_ckpt_state state;
	struct vmtrace_rec_ckpt_slot slot;
};

const char *vmtrace_rec_name(unsigned int type);
const char *vmtrace_ckpt_name(unsigned int what);
int vmtrace_rec_type(const char *name);

int vmtrace_chunk_check(const struct vmtrace_chunk *c, size_t avail,
			char *err);
int vmtrace_chunk_records(const struct vmtrace_chunk *c, uint8_t **raw,
			  char *err);
int vmtrace_records_check(const struct vmtrace_chunk *c, const uint8_t *raw,
			  uint64_t counts[VMTRACE_REC_NR], char *err);

/* A trace being written: FILE.incomplete until vmtrace_tw_finish(). */
struct vmtrace_tw {
	int fd;
	char path[PATH_MAX];
	char part[PATH_MAX + 16];
	uint64_t next_seq;
	uint64_t start_ns;	/* CLOCK_MONOTONIC at the recording's start; 0: unknown */
	struct vmtrace_file_end end;
};

uint64_t vmtrace_monotonic_ns(void);
void vmtrace_boot_id(char *buf, size_t len);

int vmtrace_tw_create(struct vmtrace_tw *w, const char *path, bool force,
		      const char *info, const struct vmtrace_cpuid_entry *cpuid,
		      unsigned int nr_cpuid);
int vmtrace_tw_reopen(struct vmtrace_tw *w, const char *path, char *err);
int vmtrace_tw_chunk(struct vmtrace_tw *w, const struct vmtrace_chunk *c,
		     char *err);
int vmtrace_tw_cpuid(struct vmtrace_tw *w, const struct vmtrace_cpuid_entry *e,
		     unsigned int n);
int vmtrace_tw_finish(struct vmtrace_tw *w, uint64_t waits);
void vmtrace_tw_close(struct vmtrace_tw *w);

/* What walking a trace found; error[] names the place of the first fault. */
struct vmtrace_walk {
	uint64_t chunks;	/* every kind, CHECKPOINT included */
	uint64_t ckpt_chunks;
	uint64_t bytes;
	uint64_t bytes_raw;
	uint64_t nr_records;
	uint64_t records[VMTRACE_REC_NR];
	uint64_t last_ordinal;
	uint64_t waits;
	uint64_t duration_ns;	/* END's; 0 if unknown */
	unsigned int vcpus;
	unsigned int nr_cpuid;
	bool complete;		/* an END section that matches */
	int sys_errno;		/* the file could not be read: not a fault in it */
	off_t valid_end;	/* file offset after the last good section */
	char mode[32];
	char error[VMTRACE_ERRLEN * 2];
};

struct vmtrace_walk_ops {
	/* Each record, in file order; non-zero stops the walk. */
	int (*record)(void *ctx, const struct vmtrace_chunk *c,
		      const struct vmtrace_rec *r);
	/* The INFO section's text. */
	void (*info)(void *ctx, const char *text, size_t len);
};

int vmtrace_trace_walk(const char *path, const struct vmtrace_walk_ops *ops,
		       void *ctx, struct vmtrace_walk *w);

#endif /* _VMTRACE_TRACE_H */
