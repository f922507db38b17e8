/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-in for the kernel's <linux/types.h>: what
 * the pure kernel files the unit tests build (kmod/pmu_table.c,
 * kmod/rand_emul.c) use of it.
 */
#ifndef _UNIT_TEST_LINUX_TYPES_H
#define _UNIT_TEST_LINUX_TYPES_H

#include <stdbool.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#endif /* _UNIT_TEST_LINUX_TYPES_H */
