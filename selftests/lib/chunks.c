// SPDX-License-Identifier: GPL-2.0
/*
 * Draining and decoding a recording session's chunk channel
 * (/sys/kernel/debug/vmtrace/<id>/chunks0) in the selftests.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#include "chunks.h"
#include "vt.h"

uint32_t vt_crc32c(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	int k;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78 & -(crc & 1));
	}
	return ~crc;
}

static int fail(struct vt_records *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
	return -1;
}

static int append(struct vt_records *r, const void *p, size_t n)
{
	uint8_t *d = realloc(r->data, r->size + n);

	if (!d)
		return -1;
	memcpy(d + r->size, p, n);
	r->data = d;
	r->size += n;
	return 0;
}

static int chunk_check(struct vt_records *r, const struct vmtrace_chunk *c,
		       size_t avail)
{
	struct vmtrace_chunk h = *c;
	uint32_t crc;

	if (h.magic != VMTRACE_CHUNK_MAGIC || h.version != VMTRACE_CHUNK_VERSION)
		return fail(r, "chunk %llu: bad magic/version", (unsigned long long)r->chunks);
	if (h.size < sizeof(h) || h.size % 8 || h.size > avail ||
	    h.payload_size > h.size - sizeof(h))
		return fail(r, "chunk seq %llu: bad size %u", (unsigned long long)h.seq, h.size);
	if (h.seq != r->first_seq + r->chunks)
		return fail(r, "chunk seq %llu, expected %llu", (unsigned long long)h.seq,
			    (unsigned long long)(r->first_seq + r->chunks));
	h.crc32c = 0;
	crc = vt_crc32c(0, &h, sizeof(h));
	crc = vt_crc32c(crc, c + 1, h.payload_size);
	if (crc != c->crc32c)
		return fail(r, "chunk seq %llu: CRC mismatch", (unsigned long long)h.seq);
	return 0;
}

static int records_add(struct vt_records *r, const uint8_t *p, size_t n,
		       uint32_t nr)
{
	size_t off = 0;

	while (off < n) {
		const struct vmtrace_rec *rec = (const void *)(p + off);

		if (rec->size < sizeof(*rec) || rec->size % 8 || off + rec->size > n ||
		    !rec->type || rec->type >= VMTRACE_REC_NR)
			return fail(r, "bad record at offset %zu", off);
		r->count[rec->type]++;
		r->nr++;
		off += rec->size;
		nr--;
	}
	if (nr)
		return fail(r, "record count mismatch");
	return append(r, p, n);
}

static int chunk_decode(struct vt_records *r, const struct vmtrace_chunk *c)
{
	const uint8_t *payload = (const uint8_t *)(c + 1);
	uint8_t *raw;
	size_t n;
	int ret;

	if (!(c->flags & VMTRACE_CHUNK_ZSTD)) {
		if (c->payload_size != c->raw_size)
			return fail(r, "raw chunk with sizes %u/%u", c->payload_size, c->raw_size);
		return records_add(r, payload, c->raw_size, c->nr_records);
	}
	raw = malloc(c->raw_size ? c->raw_size : 1);
	if (!raw)
		return fail(r, "no memory");
	n = ZSTD_decompress(raw, c->raw_size, payload, c->payload_size);
	if (ZSTD_isError(n) || n != c->raw_size) {
		free(raw);
		return fail(r, "chunk seq %llu: zstd: %s", (unsigned long long)c->seq,
			    ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short");
	}
	ret = records_add(r, raw, n, c->nr_records);
	free(raw);
	return ret;
}

/* Decode the whole chunks in @buf[0..*len); keep an incomplete tail. */
static int chunks_parse(struct vt_records *r, uint8_t *buf, size_t *len)
{
	size_t off = 0;

	while (*len - off >= sizeof(struct vmtrace_chunk) &&
	       (!r->max_chunks || r->chunks < r->max_chunks)) {
		const struct vmtrace_chunk *c = (const void *)(buf + off);

		if (c->size > *len - off && c->magic == VMTRACE_CHUNK_MAGIC)
			break;
		if (chunk_check(r, c, *len - off) || chunk_decode(r, c))
			return -1;
		r->chunks++;
		r->end_chunks += c->type == VMTRACE_CHUNK_END;
		off += c->size;
	}
	memmove(buf, buf + off, *len - off);
	*len -= off;
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * Read the channel until every vCPU's END chunk arrived and as many chunks
 * as the module wrote; the recording must have been stopped (or the VM be
 * gone) for that to happen.
 */
static int open_channel(uint64_t session_id, struct vt_records *out)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), VT_DEBUGFS "/%llu/chunks0",
		 (unsigned long long)session_id);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		fail(out, "open %s: %s", path, strerror(errno));
	return fd;
}

/*
 * Read the channel until @want chunks are decoded, then stop, leaving
 * whatever else was read undecoded: like a reader killed at that point.
 */
int vt_read_chunks(uint64_t session_id, uint64_t want, struct vt_records *out,
		   int timeout_ms)
{
	static uint8_t buf[1 << 20];
	long long deadline = now_ms() + timeout_ms;
	size_t len = 0;
	ssize_t n;
	int fd;

	memset(out, 0, sizeof(*out));
	out->max_chunks = want;
	fd = open_channel(session_id, out);
	if (fd < 0)
		return -1;
	while (out->chunks < want && now_ms() < deadline) {
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n < 0 || (n > 0 && (len += n, chunks_parse(out, buf, &len))))
			break;
		if (!n)
			usleep(10000);
	}
	close(fd);
	return out->chunks >= want ? 0 : -1;
}

int vt_drain(uint64_t session_id, int session_fd, unsigned int nr_vcpus,
	     struct vt_records *out, int timeout_ms)
{
	return vt_drain_from(session_id, session_fd, nr_vcpus, 0, out, timeout_ms);
}

int vt_drain_from(uint64_t session_id, int session_fd, unsigned int nr_vcpus,
		  uint64_t first_seq, struct vt_records *out, int timeout_ms)
{
	static uint8_t buf[4 << 20];
	struct vmtrace_record_info info = { .size = sizeof(info) };
	long long deadline = now_ms() + timeout_ms;
	size_t len = 0;
	ssize_t n;
	int fd;

	memset(out, 0, sizeof(*out));
	out->first_seq = first_seq;
	fd = open_channel(session_id, out);
	if (fd < 0)
		return -1;
	for (;;) {
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n < 0 || (n > 0 && (len += n, chunks_parse(out, buf, &len))))
			break;
		if (n > 0)
			continue;
		if (vt_ioctl(session_fd, VMTRACE_RECORD_INFO, &info))
			break;
		if (out->end_chunks == nr_vcpus &&
		    first_seq + out->chunks == info.chunks && !len) {
			close(fd);
			return 0;
		}
		if (now_ms() > deadline) {
			fail(out, "timeout: %llu chunks read, %llu written",
			     (unsigned long long)out->chunks, (unsigned long long)info.chunks);
			break;
		}
		usleep(10000);
	}
	if (!out->error[0])
		fail(out, "read/ioctl: %s", strerror(errno));
	close(fd);
	return -1;
}

/* The next record of @type after @prev (NULL: the first); 0 = any type. */
const struct vmtrace_rec *vt_rec_next(const struct vt_records *r,
				      const struct vmtrace_rec *prev,
				      uint16_t type)
{
	const uint8_t *p = prev ? (const uint8_t *)prev + prev->size : r->data;

	while (p && p < r->data + r->size) {
		const struct vmtrace_rec *rec = (const void *)p;

		if (!type || rec->type == type)
			return rec;
		p += rec->size;
	}
	return NULL;
}

/* The last record of @type, NULL if none. */
const struct vmtrace_rec *vt_rec_last(const struct vt_records *r,
				      uint16_t type)
{
	const struct vmtrace_rec *rec = NULL, *last = NULL;

	while ((rec = vt_rec_next(r, rec, type)))
		last = rec;
	return last;
}

void vt_records_free(struct vt_records *r)
{
	free(r->data);
	r->data = NULL;
}
