/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMM's page tables: which pages of guest RAM the host wrote.
 */
#ifndef _VMTRACE_PGWALK_H
#define _VMTRACE_PGWALK_H

#include <linux/types.h>

struct mm_struct;

/* What vmtrace_pgwalk_state() reports of the entry mapping an address. */
#define VMTRACE_PG_PRESENT	BIT(0)
#define VMTRACE_PG_WRITE	BIT(1)
#define VMTRACE_PG_DIRTY	BIT(2)
/* Nothing maps it, not even a swap or migration entry. */
#define VMTRACE_PG_NONE		BIT(3)

/**
 * struct vmtrace_pgrange - a range of virtual addresses
 * @start: first address.
 * @end: the address after the last.
 */
struct vmtrace_pgrange {
	unsigned long start, end;
};

/**
 * struct vmtrace_pgleaves - the huge entries a clean pass cleared
 * @r: room for @max ranges, each a whole huge page.
 * @nr: ranges in @r.
 * @max: room; a dirty huge entry beyond it stays dirty for the next pass.
 */
struct vmtrace_pgleaves {
	struct vmtrace_pgrange *r;
	unsigned int nr, max;
};

unsigned long vmtrace_pgwalk_clean(struct mm_struct *mm, unsigned long base,
				   unsigned long start, unsigned long end,
				   unsigned long *dirty,
				   struct vmtrace_pgleaves *leaves);
unsigned int vmtrace_pgwalk_state(struct mm_struct *mm, unsigned long addr);
void vmtrace_pgwalk_flush(struct mm_struct *mm);

#endif /* _VMTRACE_PGWALK_H */
