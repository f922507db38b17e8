/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dirty bits of an x86 page table entry.
 *
 * 6.6 added "SavedDirty" (_PAGE_SAVED_DIRTY, for shadow stacks): an entry
 * that is write-protected keeps its dirty state there instead of in the
 * hardware bit. Debian 6.12 has it, 6.1 does not. Probed by the macro.
 */
#ifndef _VMTRACE_COMPAT_PGTABLE_H
#define _VMTRACE_COMPAT_PGTABLE_H

#include <linux/bitops.h>
#include <asm/pgtable_types.h>

#ifdef _PAGE_SAVED_DIRTY
#define VMTRACE_PAGE_DIRTY_BITS	(_PAGE_DIRTY | _PAGE_SAVED_DIRTY)
#else
#define VMTRACE_PAGE_DIRTY_BITS	_PAGE_DIRTY
#endif

/**
 * vmtrace_entry_clean() - clear every dirty bit of a leaf entry
 * @entry: a PTE, PMD or PUD, under its page table lock.
 *
 * Context: the entry's page table lock held.
 * Return: true if a dirty bit was set.
 */
static inline bool vmtrace_entry_clean(void *entry)
{
	bool dirty = test_and_clear_bit(_PAGE_BIT_DIRTY, entry);

#ifdef _PAGE_SAVED_DIRTY
	dirty |= test_and_clear_bit(_PAGE_BIT_SAVED_DIRTY, entry);
#endif
	return dirty;
}

#endif /* _VMTRACE_COMPAT_PGTABLE_H */
