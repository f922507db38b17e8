/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-in for the kernel's <linux/types.h>: what
 * kmod/rand_emul.[ch] use of it.
 */
#ifndef _RAND_TEST_LINUX_TYPES_H
#define _RAND_TEST_LINUX_TYPES_H

#include <stdbool.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#endif /* _RAND_TEST_LINUX_TYPES_H */
