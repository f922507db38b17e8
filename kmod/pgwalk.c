// SPDX-License-Identifier: GPL-2.0
/*
 * Walking the VMM's page tables for the hardware dirty bit.
 *
 * A write through a host virtual address sets the dirty bit of the page
 * table entry mapping it; a guest write, which goes through the nested
 * page tables (NPT/EPT), does not. So the dirty bits of the entries that
 * map guest RAM in the VMM tell which pages the host (the VMM, or KVM
 * through copy_to_user()) wrote since they were last cleared.
 *
 * Clearing a dirty bit (the hardware's, and on kernels that have it the
 * SavedDirty bit a write-protected entry keeps it in) takes the page table
 * lock, moves the dirty state to the page (set_page_dirty(), as
 * try_to_unmap() does) so that reclaim and writeback still see it, and
 * leaves the entry writable: no fault, no MMU notifier, KVM's own
 * mappings stay. TLB entries that cached the bit set
 * are flushed by vmtrace_pgwalk_flush() before the page content is read.
 *
 * Entries are read locklessly first (a clean entry costs one load) under
 * RCU, which keeps page table pages alive as GUP-fast does; a changed PMD
 * is walked again.
 */
#include <linux/bitmap.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/smp.h>
#include <asm/tlbflush.h>

#include "compat/pgtable.h"
#include "pgwalk.h"

/**
 * struct vmtrace_walk - one clean pass
 * @mm: the address space.
 * @base: the address bit 0 of @dirty stands for.
 * @start: start of the range walked; entries beyond it are not marked.
 * @end: its end.
 * @dirty: bitmap of the pages found dirty, or NULL.
 * @leaves: where cleared huge entries are noted, or NULL.
 * @cleared: dirty entries found: cleared, or marked and left dirty.
 */
struct vmtrace_walk {
	struct mm_struct *mm;
	unsigned long base, start, end;
	unsigned long *dirty;
	struct vmtrace_pgleaves *leaves;
	unsigned long cleared;
};

/* Mark [addr, addr + size) within the walked range as written. */
static void vmtrace_walk_mark(struct vmtrace_walk *w, unsigned long addr,
			      unsigned long size)
{
	unsigned long s = max(addr, w->start), e = min(addr + size, w->end);

	if (w->dirty && s < e)
		bitmap_set(w->dirty, (s - w->base) >> PAGE_SHIFT,
			   (e - s) >> PAGE_SHIFT);
}

/*
 * Clear the dirty bits of a present leaf entry, under its lock; the dirty
 * state moves to the page (if @pfn has one), so that the kernel keeps it.
 */
static bool vmtrace_clear_dirty(struct vmtrace_walk *w, void *entry,
				unsigned long pfn, bool page)
{
	if (!vmtrace_entry_clean(entry))
		return false;
	if (page && pfn_valid(pfn))
		set_page_dirty(pfn_to_page(pfn));
	w->cleared++;
	return true;
}

static void vmtrace_walk_pte(struct vmtrace_walk *w, pte_t *ptep,
			     unsigned long addr)
{
	pte_t pte = ptep_get(ptep);

	if (pte_present(pte) && (pte_flags(pte) & VMTRACE_PAGE_DIRTY_BITS) &&
	    vmtrace_clear_dirty(w, ptep, pte_pfn(pte), !pte_special(pte)))
		vmtrace_walk_mark(w, addr, PAGE_SIZE);
}

/*
 * A dirty huge entry mapping [addr, addr + size): cleared and noted in
 * w->leaves, since the page may also back a part of another memslot,
 * which the caller then marks too. Without room to note it, it is marked
 * here and stays dirty for the next pass.
 */
static void vmtrace_walk_leaf(struct vmtrace_walk *w, void *entry,
			      unsigned long pfn, unsigned long addr,
			      unsigned long size)
{
	struct vmtrace_pgleaves *l = w->leaves;

	if (l && l->nr == l->max) {
		vmtrace_walk_mark(w, addr, size);
		w->cleared++;	/* counted, so that the caller records it */
		return;
	}
	if (!vmtrace_clear_dirty(w, entry, pfn, true))
		return;
	vmtrace_walk_mark(w, addr, size);
	if (l)
		l->r[l->nr++] = (struct vmtrace_pgrange){ addr, addr + size };
}

/* A page table: -EAGAIN if it was replaced under us. */
static int vmtrace_walk_ptes(struct vmtrace_walk *w, pmd_t *pmd, pmd_t pmdval,
			     unsigned long addr, unsigned long end)
{
	spinlock_t *ptl = NULL;
	pte_t *ptep;
	int ret = 0;

	rcu_read_lock();
	ptep = pte_offset_kernel(&pmdval, addr);
	for (; addr < end; addr += PAGE_SIZE, ptep++) {
		if (!(pte_flags(ptep_get(ptep)) & VMTRACE_PAGE_DIRTY_BITS))
			continue;
		if (!ptl) {
			ptl = pte_lockptr(w->mm, &pmdval);
			spin_lock(ptl);
			if (!pmd_same(pmdval, READ_ONCE(*pmd))) {
				ret = -EAGAIN;
				break;
			}
		}
		vmtrace_walk_pte(w, ptep, addr);
	}
	if (ptl)
		spin_unlock(ptl);
	rcu_read_unlock();
	return ret;
}

/* A huge PMD: -EAGAIN if it is no longer one (split under us). */
static int vmtrace_walk_pmd_leaf(struct vmtrace_walk *w, pmd_t *pmd,
				 unsigned long addr)
{
	spinlock_t *ptl = pmd_lock(w->mm, pmd);
	pmd_t val = READ_ONCE(*pmd);
	int ret = 0;

	if (pmd_present(val) && pmd_leaf(val))
		vmtrace_walk_leaf(w, pmd, pmd_pfn(val), addr & PMD_MASK, PMD_SIZE);
	else if (pmd_present(val))
		ret = -EAGAIN;
	spin_unlock(ptl);
	return ret;
}

static void vmtrace_walk_pmds(struct vmtrace_walk *w, pud_t *pud,
			      unsigned long addr, unsigned long end)
{
	pmd_t *pmd = pmd_offset(pud, addr), val;
	unsigned long next;

	for (; addr < end; pmd++, addr = next) {
		next = pmd_addr_end(addr, end);
		cond_resched();	/* a large guest has many page tables */
again:
		val = READ_ONCE(*pmd);
		if (pmd_none(val) || !pmd_present(val))
			continue;
		if (pmd_leaf(val)) {
			if ((pmd_flags(val) & VMTRACE_PAGE_DIRTY_BITS) &&
			    vmtrace_walk_pmd_leaf(w, pmd, addr) == -EAGAIN)
				goto again;
			continue;
		}
		if (vmtrace_walk_ptes(w, pmd, val, addr, next) == -EAGAIN)
			goto again;
	}
}

/* A huge PUD: -EAGAIN if it is no longer one. */
static int vmtrace_walk_pud_leaf(struct vmtrace_walk *w, pud_t *pud,
				 unsigned long addr)
{
	spinlock_t *ptl = pud_lockptr(w->mm, pud);
	int ret = 0;
	pud_t val;

	spin_lock(ptl);
	val = READ_ONCE(*pud);
	if (pud_present(val) && pud_leaf(val))
		vmtrace_walk_leaf(w, pud, pud_pfn(val), addr & PUD_MASK, PUD_SIZE);
	else if (pud_present(val))
		ret = -EAGAIN;
	spin_unlock(ptl);
	return ret;
}

static void vmtrace_walk_puds(struct vmtrace_walk *w, p4d_t *p4d,
			      unsigned long addr, unsigned long end)
{
	pud_t *pud = pud_offset(p4d, addr), val;
	unsigned long next;

	for (; addr < end; pud++, addr = next) {
		next = pud_addr_end(addr, end);
again:
		val = READ_ONCE(*pud);
		if (pud_none(val) || !pud_present(val))
			continue;
		if (pud_leaf(val)) {
			if ((pud_flags(val) & VMTRACE_PAGE_DIRTY_BITS) &&
			    vmtrace_walk_pud_leaf(w, pud, addr) == -EAGAIN)
				goto again;
			continue;
		}
		vmtrace_walk_pmds(w, pud, addr, next);
	}
}

/**
 * vmtrace_pgwalk_clean() - clear the dirty bits of a range, noting them
 * @mm: the address space.
 * @base: the address that bit 0 of @dirty stands for.
 * @start: page-aligned start of the range, in a VMA that is neither VM_IO
 *	nor VM_PFNMAP.
 * @end: its end.
 * @dirty: out: a bit set for every page of [@start, @end) whose mapping
 *	was dirty (a whole huge page's worth for a huge mapping); NULL to
 *	clear only.
 * @leaves: out, if not NULL: the huge pages cleared, which may extend
 *	beyond [@start, @end).
 *
 * Context: process context, mmap lock of @mm held for read; may sleep.
 * The caller flushes TLBs (vmtrace_pgwalk_flush()) before reading the pages.
 * Return: how many dirty entries were found (all cleared, but for huge ones
 * beyond the room of @leaves, which are marked and stay dirty).
 */
unsigned long vmtrace_pgwalk_clean(struct mm_struct *mm, unsigned long base,
				   unsigned long start, unsigned long end,
				   unsigned long *dirty,
				   struct vmtrace_pgleaves *leaves)
{
	struct vmtrace_walk w = { mm, base, start, end, dirty, leaves, 0 };
	unsigned long addr, next;
	pgd_t *pgd;
	p4d_t *p4d;

	for (addr = start; addr < end; addr = next) {
		next = pgd_addr_end(addr, end);
		pgd = pgd_offset(mm, addr);
		if (pgd_none(*pgd) || pgd_bad(*pgd))
			continue;
		p4d = p4d_offset(pgd, addr);
		if (p4d_none(*p4d) || p4d_bad(*p4d))
			continue;
		vmtrace_walk_puds(&w, p4d, addr, min(p4d_addr_end(addr, end), next));
	}
	return w.cleared;
}

static unsigned int vmtrace_pg_state(unsigned long flags, bool present)
{
	if (!present)
		return 0;
	return VMTRACE_PG_PRESENT | (flags & _PAGE_RW ? VMTRACE_PG_WRITE : 0) |
	       (flags & VMTRACE_PAGE_DIRTY_BITS ? VMTRACE_PG_DIRTY : 0);
}

/**
 * vmtrace_pgwalk_state() - the entry mapping an address
 * @mm: the address space.
 * @addr: the address.
 *
 * A lockless walk with interrupts off, as GUP-fast does.
 *
 * Context: any context; @mm must be live.
 * Return: VMTRACE_PG_* bits of the leaf entry mapping @addr;
 * VMTRACE_PG_NONE if there is none; 0 for a swap or migration entry.
 */
unsigned int vmtrace_pgwalk_state(struct mm_struct *mm, unsigned long addr)
{
	unsigned int state = 0;
	unsigned long flags;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t pud;
	pmd_t pmd;
	pte_t pte;

	local_irq_save(flags);
	state = VMTRACE_PG_NONE;
	pgd = pgd_offset(mm, addr);
	if (pgd_none(*pgd) || pgd_bad(*pgd))
		goto out;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		goto out;
	pud = READ_ONCE(*pud_offset(p4d, addr));
	if (pud_none(pud))
		goto out;
	if (!pud_present(pud) || pud_leaf(pud)) {
		state = vmtrace_pg_state(pud_flags(pud), pud_present(pud));
		goto out;
	}
	pmd = READ_ONCE(*pmd_offset(&pud, addr));
	if (pmd_none(pmd))
		goto out;
	if (!pmd_present(pmd) || pmd_leaf(pmd)) {
		state = vmtrace_pg_state(pmd_flags(pmd), pmd_present(pmd));
		goto out;
	}
	pte = ptep_get(pte_offset_kernel(&pmd, addr));
	state = pte_none(pte) ? VMTRACE_PG_NONE :
		vmtrace_pg_state(pte_flags(pte), pte_present(pte));
out:
	local_irq_restore(flags);
	return state;
}

static void vmtrace_pgwalk_flush_local(void *unused)
{
	__flush_tlb_all();
}

/**
 * vmtrace_pgwalk_flush() - flush TLB entries that cached cleared bits
 * @mm: the address space whose dirty bits vmtrace_pgwalk_clean() cleared.
 *
 * CPUs running @mm flush now; the others flush when they switch to it
 * again, since its TLB generation moves on.
 *
 * Context: process context.
 */
void vmtrace_pgwalk_flush(struct mm_struct *mm)
{
	/*
	 * inc_mm_tlb_gen(), which asm/tlbflush.h keeps from modules: a full
	 * barrier, then switch_mm() flushes a CPU's stale PCID of @mm.
	 */
	atomic64_inc_return(&mm->context.tlb_gen);
	on_each_cpu_mask(mm_cpumask(mm), vmtrace_pgwalk_flush_local, NULL, true);
}
