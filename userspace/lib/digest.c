// SPDX-License-Identifier: GPL-2.0
/*
 * FNV-1a 64, the hash of the state digests: the module's digest records,
 * vmtrace-ctl replay's final "digest regs=... mem=..." line and the
 * selftest VMM's, which must print the same after its recording.
 */
#include "vmtrace.h"

/* Continue FNV-1a 64 hash @h (start: VMTRACE_FNV1A_INIT) over @n bytes. */
uint64_t vmtrace_fnv1a(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--) {
		h ^= *b++;
		h *= VMTRACE_FNV1A_PRIME;
	}
	return h;
}
