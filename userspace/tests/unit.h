/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host-side unit tests: shared by unit.c and the test files it runs.
 */
#ifndef _VMTRACE_UNIT_H
#define _VMTRACE_UNIT_H

#include <stdbool.h>
#include <stdint.h>

void ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void test_trace(const char *dir, const char *ctl);
void test_trace_records(const char *dir, const char *ctl);
void test_trace_damage(const char *dir, const char *ctl);
void test_replay(const char *dir, const char *ctl);
void test_seek(void);

/* trace-records.c's trace, for trace-damage.c. */
struct vmtrace_chunk;
int records_trace_write(const char *file, bool lose_end);
uint32_t records_mem_off(void);
void chunk_seal(struct vmtrace_chunk *c);
struct vmtrace_chunk *records_chunk(const void *recs, uint32_t len, uint32_t nr,
				    uint16_t type, uint64_t seq, uint32_t vcpu,
				    bool zstd, uint64_t ord);

#endif /* _VMTRACE_UNIT_H */
