/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host-side unit tests: shared by unit.c and the test files it runs.
 */
#ifndef _VMTRACE_UNIT_H
#define _VMTRACE_UNIT_H

void ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void test_trace(const char *dir, const char *ctl);

#endif /* _VMTRACE_UNIT_H */
