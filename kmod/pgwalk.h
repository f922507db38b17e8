/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMM's page tables: which pages of guest RAM the host wrote.
 */
#ifndef _VMTRACE_PGWALK_H
#define _VMTRACE_PGWALK_H

#include <linux/types.h>

struct mm_struct;

unsigned long vmtrace_pgwalk_clean(struct mm_struct *mm, unsigned long base,
				   unsigned long start, unsigned long end,
				   unsigned long *dirty);
bool vmtrace_pgwalk_is_dirty(struct mm_struct *mm, unsigned long addr);
void vmtrace_pgwalk_flush(struct mm_struct *mm);

#endif /* _VMTRACE_PGWALK_H */
