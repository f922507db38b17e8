// SPDX-License-Identifier: GPL-2.0
/*
 * CRC32C (Castagnoli), as the module computes it with __crc32c_le():
 * reflected polynomial 0x82F63B78, initial value and final XOR ~0.
 * A byte-wise table, built on first use.
 */
#include <stdbool.h>

#include "trace.h"

static uint32_t crc32c_table[256];
static bool crc32c_ready;

static void crc32c_init(void)
{
	uint32_t c;
	int i, k;

	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82f63b78 & -(c & 1));
		crc32c_table[i] = c;
	}
	crc32c_ready = true;
}

/*
 * Continue the CRC32C @crc (0 to start) over @len bytes of @buf; the
 * result is the finished CRC of everything so far.
 */
uint32_t vmtrace_crc32c(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (!crc32c_ready)
		crc32c_init();
	crc = ~crc;
	while (len--)
		crc = (crc >> 8) ^ crc32c_table[(crc ^ *p++) & 0xff];
	return ~crc;
}
