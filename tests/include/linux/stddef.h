/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for the kernel's <linux/stddef.h>: NULL. */
#ifndef _UNIT_TEST_LINUX_STDDEF_H
#define _UNIT_TEST_LINUX_STDDEF_H

#include <stddef.h>

#endif /* _UNIT_TEST_LINUX_STDDEF_H */
