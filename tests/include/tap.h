/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TAP output for the host-side unit tests of pure kernel files: one
 * translation unit per test program.
 */
#ifndef _UNIT_TEST_TAP_H
#define _UNIT_TEST_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int nr_tests, nr_failed;

/* One test point: "ok N - ..." or "not ok N - ...". */
static inline void check(int cond, const char *fmt, ...)
{
	va_list ap;

	nr_tests++;
	if (!cond)
		nr_failed++;
	printf("%sok %d - ", cond ? "" : "not ", nr_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* The plan and the exit status: 1 if any point failed. */
static inline int tap_done(void)
{
	printf("1..%d\n", nr_tests);
	if (nr_failed)
		printf("# %d of %d failed\n", nr_failed, nr_tests);
	return nr_failed ? 1 : 0;
}

#endif /* _UNIT_TEST_TAP_H */
