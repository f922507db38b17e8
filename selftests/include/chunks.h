/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a recording session's chunk channel in the selftests: every
 * chunk is checked (magic, version, size, CRC32C) and its records are
 * decompressed into one flat array.
 */
#ifndef _VMTRACE_SELFTEST_CHUNKS_H
#define _VMTRACE_SELFTEST_CHUNKS_H

#include <stddef.h>
#include <stdint.h>
#include <linux/vmtrace.h>

struct vt_records {
	uint8_t *data;		/* the records of every chunk, in seq order */
	size_t size;
	uint64_t first_seq;	/* seq of the first chunk expected */
	uint64_t max_chunks;	/* decode no more than this many; 0: all */
	uint64_t chunks, end_chunks, nr;
	uint64_t count[VMTRACE_REC_NR];
	char error[256];	/* why vt_drain() failed */
};

uint32_t vt_crc32c(uint32_t crc, const void *buf, size_t len);
int vt_drain(uint64_t session_id, int session_fd, unsigned int nr_vcpus,
	     struct vt_records *out, int timeout_ms);
int vt_drain_from(uint64_t session_id, int session_fd, unsigned int nr_vcpus,
		  uint64_t first_seq, struct vt_records *out, int timeout_ms);
int vt_read_chunks(uint64_t session_id, uint64_t want, struct vt_records *out,
		   int timeout_ms);
const struct vmtrace_rec *vt_rec_last(const struct vt_records *r,
				      uint16_t type);
const struct vmtrace_rec *vt_rec_next(const struct vt_records *r,
				      const struct vmtrace_rec *prev,
				      uint16_t type);
void vt_records_free(struct vt_records *r);

#endif /* _VMTRACE_SELFTEST_CHUNKS_H */
