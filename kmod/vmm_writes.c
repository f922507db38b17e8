// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the host makes into guest RAM outside guest mode: device
 * emulation and DMA in the VMM (a firmware's fw_cfg DMA, a disk read),
 * which KVM never sees.
 *
 * At the start of every KVM_RUN of a recorded vCPU, the dirty bits of the
 * VMM's page table entries that map guest RAM are cleared (pgwalk.c) and
 * every page found dirty is recorded whole as a VMTRACE_REC_MEM_WRITE with
 * VMTRACE_RECF_VMM, before the guest runs again. Guest writes go through
 * the nested page tables and leave those bits alone, with one exception:
 * when KVM faults a page in for a guest write, the kernel maps it dirty.
 * So for a nested page fault on RAM the entry's state is noted before KVM
 * handles it (kvm_page_fault tracepoint) and a bit that the fault set is
 * cleared right after, unrecorded.
 *
 * The first scan of a recording only clears: what the VMM wrote before
 * (firmware, kernel images) is the starting state, not an input. A huge
 * mapping is tracked, and recorded, as a whole: `vmtrace-ctl record`
 * starts the VMM without transparent huge pages for that reason.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat/kvm-tracepoints.h"
#include "pgwalk.h"
#include "record.h"
#include "session.h"
#include "vcpu.h"
#include "vmm_writes.h"

/* Bits of a memslot in rec->mem_dirty, which starts each at a long. */
static unsigned long vmtrace_vmm_bits(const struct kvm_memory_slot *slot)
{
	return round_up(slot->npages, BITS_PER_LONG);
}

/*
 * Room for a scan of every memslot, under rec->mem_lock: a bitmap of all
 * their pages, and a note for each huge page that can map them (one per
 * 2 MiB, and one more per slot for unaligned ends).
 */
static int vmtrace_vmm_room(struct vmtrace_recorder *rec,
			    struct kvm_memslots *slots)
{
	unsigned long bits = 0, leaves = 0;
	struct kvm_memory_slot *slot;
	int bkt;

	kvm_for_each_memslot(slot, bkt, slots) {
		bits += vmtrace_vmm_bits(slot);
		leaves += (slot->npages >> (PMD_SHIFT - PAGE_SHIFT)) + 2;
	}
	if (bits > rec->mem_dirty_bits) {
		kvfree(rec->mem_dirty);
		rec->mem_dirty_bits = 0;
		rec->mem_dirty = kvcalloc(BITS_TO_LONGS(bits), sizeof(long),
					  GFP_KERNEL_ACCOUNT);
		if (!rec->mem_dirty)
			return -ENOMEM;
		rec->mem_dirty_bits = bits;
	}
	if (leaves > rec->mem_leaves.max) {
		kvfree(rec->mem_leaves.r);
		rec->mem_leaves.max = 0;
		rec->mem_leaves.r = kvcalloc(leaves, sizeof(*rec->mem_leaves.r),
					     GFP_KERNEL_ACCOUNT);
		if (!rec->mem_leaves.r)
			return -ENOMEM;
		rec->mem_leaves.max = leaves;
	}
	bitmap_zero(rec->mem_dirty, bits);
	rec->mem_leaves.nr = 0;
	return 0;
}

/*
 * Clear the dirty bits of @slot's pages in the VMM, marking in @dirty the
 * pages that had them. Return: entries cleared.
 */
static unsigned long vmtrace_vmm_slot_clean(struct mm_struct *mm,
					    struct kvm_memory_slot *slot,
					    unsigned long *dirty,
					    struct vmtrace_pgleaves *leaves)
{
	unsigned long base = slot->userspace_addr, addr = base, cleared = 0;
	unsigned long end = base + (slot->npages << PAGE_SHIFT);
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	while (addr < end) {
		vma = find_vma(mm, addr);
		if (!vma || vma->vm_start >= end)
			break;
		addr = max(addr, vma->vm_start);
		if (!(vma->vm_flags & (VM_IO | VM_PFNMAP)))
			cleared += vmtrace_pgwalk_clean(mm, base, addr,
							min(end, vma->vm_end),
							dirty, leaves);
		addr = min(end, vma->vm_end);
	}
	mmap_read_unlock(mm);
	return cleared;
}

/* Mark in @dirty the pages of @slot that a cleared huge page maps. */
static void vmtrace_vmm_slot_leaves(struct kvm_memory_slot *slot,
				    unsigned long *dirty,
				    const struct vmtrace_pgleaves *leaves)
{
	unsigned long base = slot->userspace_addr, s, e;
	unsigned long end = base + (slot->npages << PAGE_SHIFT);
	unsigned int i;

	for (i = 0; i < leaves->nr; i++) {
		s = max(base, leaves->r[i].start);
		e = min(end, leaves->r[i].end);
		if (s < e)
			bitmap_set(dirty, (s - base) >> PAGE_SHIFT,
				   (e - s) >> PAGE_SHIFT);
	}
}

/* Record the pages of @slot marked in @dirty, as they are now. */
static void vmtrace_vmm_slot_record(struct vmtrace_vcpu_rec *vr,
				    struct kvm_memory_slot *slot,
				    const unsigned long *dirty)
{
	struct vmtrace_rec_mem *r;
	unsigned long i;

	for_each_set_bit(i, dirty, slot->npages) {
		cond_resched();
		vmtrace_recbuf_make_room(vr);
		r = vmtrace_rec_append(vr, VMTRACE_REC_MEM_WRITE,
				       sizeof(*r) + PAGE_SIZE, VMTRACE_RECF_VMM);
		if (!r)
			return;
		r->gpa = gfn_to_gpa(slot->base_gfn + i);
		r->len = PAGE_SIZE;
		r->pad = 0;
		if (copy_from_user(r->data, (const void __user *)
				   (slot->userspace_addr + i * PAGE_SIZE),
				   PAGE_SIZE)) {
			/* The guest cannot read it either: KVM would fail. */
			pr_warn_ratelimited("session %llu: guest page %#llx is unmapped in the VMM\n",
					    vr->rec->session->id, r->gpa);
			memset(r->data, 0, PAGE_SIZE);
		}
	}
}

/*
 * Clear the dirty bits of every memslot's pages; with @vr, record the
 * pages that had them. A huge page can back parts of two memslots: the
 * pages it maps are marked in both. One TLB flush, before any page is
 * read.
 */
static void vmtrace_vmm_slots(struct vmtrace_recorder *rec,
			      struct vmtrace_vcpu_rec *vr, struct mm_struct *mm,
			      struct kvm_memslots *slots)
{
	struct vmtrace_pgleaves *leaves = &rec->mem_leaves;
	struct kvm_memory_slot *slot;
	unsigned long cleared = 0, off = 0;
	int bkt;

	if (vmtrace_vmm_room(rec, slots)) {
		if (vr)
			vr->overflow = true;	/* fails the recording loudly */
		return;
	}
	kvm_for_each_memslot(slot, bkt, slots) {
		cleared += vmtrace_vmm_slot_clean(mm, slot, rec->mem_dirty + off / BITS_PER_LONG,
						  leaves);
		off += vmtrace_vmm_bits(slot);
	}
	if (!cleared)
		return;
	/* No CPU may write through a TLB entry that still says dirty. */
	vmtrace_pgwalk_flush(mm);
	if (!vr)
		return;
	off = 0;
	kvm_for_each_memslot(slot, bkt, slots) {
		unsigned long *dirty = rec->mem_dirty + off / BITS_PER_LONG;

		vmtrace_vmm_slot_leaves(slot, dirty, leaves);
		vmtrace_vmm_slot_record(vr, slot, dirty);
		off += vmtrace_vmm_bits(slot);
	}
}

/* Scan every memslot of @s's VM in @mm; record into @vr, or only clear. */
static void vmtrace_vmm_scan(struct vmtrace_session *s, struct mm_struct *mm,
			     struct vmtrace_vcpu_rec *vr)
{
	struct vmtrace_recorder *rec = s->rec;
	struct kvm *kvm = s->kvm;
	int idx;

	mutex_lock(&rec->mem_lock);
	idx = srcu_read_lock(&kvm->srcu);
	vmtrace_vmm_slots(rec, vr, mm, kvm_memslots(kvm));
	srcu_read_unlock(&kvm->srcu, idx);
	mutex_unlock(&rec->mem_lock);
}

/**
 * vmtrace_vmm_writes_record() - record what the host wrote into guest RAM
 * @s: a recording session.
 * @vr: the vCPU starting a KVM_RUN; the records go into its buffer.
 *
 * The recording's first scan only clears: what the VMM wrote before
 * (firmware, kernel images) is the starting state, not an input.
 *
 * Context: the vCPU's thread at the start of KVM_RUN, before KVM loads the
 * vCPU; process context, the recorder's SRCU held; may sleep.
 */
void vmtrace_vmm_writes_record(struct vmtrace_session *s,
			       struct vmtrace_vcpu_rec *vr)
{
	struct vmtrace_recorder *rec = s->rec;

	if (current->mm != s->kvm->mm)	/* KVM refuses such a KVM_RUN */
		return;
	vmtrace_vmm_scan(s, current->mm, READ_ONCE(rec->mem_baseline) ? vr : NULL);
	WRITE_ONCE(rec->mem_baseline, true);
}

/**
 * vmtrace_vmm_writes_exit() - a recorded vCPU exited, before KVM handles it
 * @v: the vCPU.
 * @kind: the kind of exit.
 *
 * Context: the exit hook.
 */
void vmtrace_vmm_writes_exit(struct vmtrace_vcpu *v,
			     enum vmtrace_exit_kind kind)
{
	v->rec->npf_exit = kind == VMTRACE_EXIT_TDP_FAULT;
	v->rec->npf_pending = false;
}

/*
 * kvm_page_fault: KVM is about to fault in a guest page. On a RAM page,
 * note the state of the VMM's mapping of it.
 */
static void vmtrace_probe_page_fault(void *data, struct kvm_vcpu *vcpu,
				     u64 gpa, u64 error_code)
{
	struct kvm_memory_slot *slot;
	struct vmtrace_vcpu_rec *vr;
	struct vmtrace_vcpu *v;

	rcu_read_lock();
	v = vmtrace_vcpu_find(vcpu);
	vr = v ? v->rec : NULL;
	if (!vr || !vr->npf_exit || vr->npf_pending)
		goto out;
	slot = gfn_to_memslot(vcpu->kvm, gpa_to_gfn(gpa));
	if (!slot || current->mm != vcpu->kvm->mm)
		goto out;
	vr->npf_hva = __gfn_to_hva_memslot(slot, gpa_to_gfn(gpa));
	vr->npf_state = vmtrace_pgwalk_state(current->mm, vr->npf_hva);
	vr->npf_pending = true;
out:
	rcu_read_unlock();
}

/**
 * vmtrace_vmm_writes_exit_done() - KVM handled an exit of a recorded vCPU
 * @v: the vCPU.
 *
 * KVM faulting a RAM page in for a guest write maps it dirty; only then
 * (the entry was missing or read-only before) is the bit the guest's,
 * and cleared unrecorded. A bit set on an entry that was writable and
 * clean is someone else's write and stays for the next scan.
 *
 * Context: the exit hook, after KVM's handle_exit; may sleep.
 */
void vmtrace_vmm_writes_exit_done(struct vmtrace_vcpu *v)
{
	struct vmtrace_vcpu_rec *vr = v->rec;
	struct mm_struct *mm = v->vcpu->kvm->mm;
	unsigned long hva = vr->npf_hva & PAGE_MASK;
	unsigned int was = vr->npf_state;

	vr->npf_exit = false;
	if (!vr->npf_pending)
		return;
	vr->npf_pending = false;
	if ((was & VMTRACE_PG_PRESENT) && (was & VMTRACE_PG_WRITE))
		return;
	if (current->mm != mm || !(vmtrace_pgwalk_state(mm, hva) & VMTRACE_PG_DIRTY))
		return;
	mmap_read_lock(mm);
	if (vmtrace_pgwalk_clean(mm, hva, hva, hva + PAGE_SIZE, NULL, NULL))
		vmtrace_pgwalk_flush(mm);
	mmap_read_unlock(mm);
}

/**
 * vmtrace_vmm_writes_probes_register() - attach the kvm_page_fault probe
 *
 * Context: process context, registry lock held.
 * Return: 0 or the registration's error.
 */
int vmtrace_vmm_writes_probes_register(void)
{
	return tracepoint_probe_register(&__tracepoint_kvm_page_fault,
					 vmtrace_probe_page_fault, NULL);
}

/**
 * vmtrace_vmm_writes_probes_unregister() - detach it
 *
 * Context: process context, registry lock held.
 */
void vmtrace_vmm_writes_probes_unregister(void)
{
	tracepoint_probe_unregister(&__tracepoint_kvm_page_fault,
				    vmtrace_probe_page_fault, NULL);
}
