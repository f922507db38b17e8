/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel's types to compile kmod/record.h in user
 * space, for the fast-path benchmark. Nothing here is used at run time
 * except the integer types and ALIGN/unlikely.
 */
#ifndef _BENCH_KSHIM_H
#define _BENCH_KSHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

struct list_head { struct list_head *next, *prev; };
struct mutex { int unused; };
struct srcu_struct { int unused; };
struct work_struct { int unused; };
typedef struct { int unused; } spinlock_t;
typedef struct { int unused; } wait_queue_head_t;
typedef struct { long long unused; } atomic64_t;
typedef struct { int unused; } atomic_t;

#define ALIGN(x, a)	(((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#endif
