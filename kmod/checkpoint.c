// SPDX-License-Identifier: GPL-2.0
/*
 * The checkpoint: everything replay needs to build the VM again, taken at
 * the start of the first KVM_RUN of each recorded vCPU, in its own thread.
 * That is the context of KVM's own vCPU ioctls (process context, the VMM's
 * mm, vcpu->mutex held, vCPU not loaded), so the state is read by KVM's
 * ioctl handlers themselves (ksym.c), exactly as KVM_GET_* would return
 * it, through a scratch mapping in the VMM.
 *
 * The first vCPU to get here also saves the VM: the in-kernel irqchip
 * (or the split irqchip's IOAPIC pins), PIT and clock, every memslot and
 * its pages that are not all zero. The dirty bits of the VMM's mappings
 * are cleared just before the pages are read (vmm_writes.c), so a page the
 * VMM writes meanwhile is recorded again at the next KVM_RUN: nothing
 * written after the copy can be missed.
 *
 * The records go into chunks of type VMTRACE_CHUNK_CHECKPOINT.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/fs.h>
#include <linux/kvm_host.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/mce.h>
#include <asm/msr-index.h>

#include "checkpoint.h"
#include "pgwalk.h"
#include "ksym.h"
#include "record.h"
#include "session.h"
#include "vcpu.h"
#include "vmm_writes.h"

/* Scratch for one KVM_GET_* and its kernel copy: the largest is CPUID2. */
#define VMTRACE_CKPT_SCRATCH	(16 * 1024)
/* CPUID entries saved at most: ~6 KiB, inside a buffer's margin. */
#define VMTRACE_CKPT_CPUID_MAX	150
/* MSRs saved at most: KVM_GET_MSRS takes fewer than 256 at a time. */
#define VMTRACE_CKPT_MSRS_MAX	255

struct vmtrace_ckpt {
	struct vmtrace_vcpu_rec *vr;
	struct kvm_vcpu *vcpu;
	struct file *file;	/* stand-in for the vCPU or VM fd */
	unsigned long uaddr;	/* scratch in the VMM */
	void *buf;		/* kernel copy of the scratch */
};

/* Append a CKPT_STATE record holding @len bytes of @data. */
static int vmtrace_ckpt_put(struct vmtrace_ckpt *ck, u32 what, u32 flags,
			    const void *data, u32 len)
{
	struct vmtrace_rec_ckpt_state *r;
	u32 size = sizeof(*r) + len;

	vmtrace_recbuf_make_room(ck->vr);
	r = vmtrace_rec_append(ck->vr, VMTRACE_REC_CKPT_STATE, size, flags);
	if (!r)
		return -ENOSPC;
	r->what = what;
	r->len = len;
	memcpy(r->data, data, len);
	memset(r->data + len, 0, r->hdr.size - size);
	return 0;
}

/*
 * Run one of KVM's ioctl handlers on the scratch: @in bytes of ck->buf
 * copied in first, @out bytes copied back. Returns the handler's value.
 */
static long vmtrace_ckpt_ioctl(struct vmtrace_ckpt *ck, void *priv, bool vm,
			       unsigned int ioctl, size_t in, size_t out)
{
	long r;

	if (in && copy_to_user((void __user *)ck->uaddr, ck->buf, in))
		return -EFAULT;
	ck->file->private_data = priv;
	if (vm)
		r = vmtrace_kvm.vm_ioctl(ck->file, ioctl, ck->uaddr);
	else
		r = vmtrace_kvm.vcpu_ioctl(ck->file, ioctl, ck->uaddr);
	if (r >= 0 && out && copy_from_user(ck->buf, (void __user *)ck->uaddr, out))
		return -EFAULT;
	return r;
}

/* A vCPU structure KVM returns whole: save it. */
static int vmtrace_ckpt_vcpu_get(struct vmtrace_ckpt *ck, u32 what,
				 unsigned int ioctl, size_t len)
{
	long r = vmtrace_ckpt_ioctl(ck, ck->vcpu, false, ioctl, 0, len);

	return r < 0 ? r : vmtrace_ckpt_put(ck, what, 0, ck->buf, len);
}

static int vmtrace_ckpt_cpuid(struct vmtrace_ckpt *ck)
{
	struct kvm_cpuid2 *c = ck->buf;
	size_t len;
	long r;

	c->nent = VMTRACE_CKPT_CPUID_MAX;
	c->padding = 0;
	r = vmtrace_ckpt_ioctl(ck, ck->vcpu, false, KVM_GET_CPUID2, sizeof(*c),
			       struct_size(c, entries, VMTRACE_CKPT_CPUID_MAX));
	if (r < 0)
		return r;
	if (c->nent > VMTRACE_CKPT_CPUID_MAX)	/* read back from the VMM */
		return -E2BIG;
	len = struct_size(c, entries, c->nent);
	return vmtrace_ckpt_put(ck, VMTRACE_CKPT_CPUID, 0, c, len);
}

/* The MSRs KVM saves for migration (KVM_GET_MSR_INDEX_LIST) into @out. */
static int vmtrace_ckpt_msr_list(struct vmtrace_ckpt *ck, u32 *idx)
{
	struct kvm_msr_list *l = ck->buf;
	long r;

	l->nmsrs = VMTRACE_CKPT_MSRS_MAX;
	if (copy_to_user((void __user *)ck->uaddr, l, sizeof(*l)))
		return -EFAULT;
	r = vmtrace_kvm.dev_ioctl(NULL, KVM_GET_MSR_INDEX_LIST, ck->uaddr);
	if (r < 0)
		return r;
	if (copy_from_user(l, (void __user *)ck->uaddr,
			   struct_size(l, indices, VMTRACE_CKPT_MSRS_MAX)))
		return -EFAULT;
	/* The scratch is the VMM's memory: trust nothing read back from it. */
	if (l->nmsrs > VMTRACE_CKPT_MSRS_MAX)
		return -E2BIG;
	memcpy(idx, l->indices, l->nmsrs * sizeof(u32));
	return l->nmsrs;
}

/*
 * The machine-check MSRs KVM emulates but does not list: MCG_CAP (set by
 * the VMM's KVM_X86_SETUP_MCE; without it a replay VM has no banks and
 * the guest's writes to them fault) and each bank's, after the @n in @idx.
 */
static int vmtrace_ckpt_mce_msrs(struct kvm_vcpu *vcpu, u32 *idx, int n)
{
	u64 cap = vcpu->arch.mcg_cap;
	unsigned int i, banks = cap & MCG_BANKCNT_MASK;

	if (n + 1 + banks * 5 > VMTRACE_CKPT_MSRS_MAX)
		return n;
	idx[n++] = MSR_IA32_MCG_CAP;
	for (i = 0; i < banks * 4; i++)
		idx[n++] = MSR_IA32_MC0_CTL + i;
	for (i = 0; cap & MCG_CMCI_P && i < banks; i++)
		idx[n++] = MSR_IA32_MC0_CTL2 + i;
	return n;
}

/*
 * KVM_GET_MSRS stops at the first MSR it cannot read (one the guest's
 * CPUID lacks): read on past it, and save those that could be read.
 */
static int vmtrace_ckpt_msrs(struct vmtrace_ckpt *ck, u32 *idx,
			     struct kvm_msrs *all)
{
	struct kvm_msrs *m = ck->buf;
	int n, i = 0, k;
	long r;

	n = vmtrace_ckpt_msr_list(ck, idx);
	if (n < 0)
		return n;
	n = vmtrace_ckpt_mce_msrs(ck->vcpu, idx, n);
	all->nmsrs = 0;
	all->pad = 0;
	while (i < n) {
		m->nmsrs = n - i;
		m->pad = 0;
		for (k = 0; k < n - i; k++)
			m->entries[k] = (struct kvm_msr_entry){ .index = idx[i + k] };
		r = vmtrace_ckpt_ioctl(ck, ck->vcpu, false, KVM_GET_MSRS,
				       struct_size(m, entries, n - i),
				       struct_size(m, entries, n - i));
		if (r < 0)
			return r;
		if (r > n - i)
			return -EIO;
		memcpy(&all->entries[all->nmsrs], m->entries, r * sizeof(m->entries[0]));
		all->nmsrs += r;
		i += r + 1;
	}
	return vmtrace_ckpt_put(ck, VMTRACE_CKPT_MSRS, 0, all,
				struct_size(all, entries, all->nmsrs));
}

/* The structures returned through a kernel pointer, by KVM's own getters. */
static int vmtrace_ckpt_direct(struct vmtrace_ckpt *ck)
{
	struct kvm_vcpu *vcpu = ck->vcpu;
	int r;

	r = vmtrace_kvm.get_regs(vcpu, ck->buf);
	r = r ?: vmtrace_ckpt_put(ck, VMTRACE_CKPT_REGS, 0, ck->buf,
				  sizeof(struct kvm_regs));
	r = r ?: vmtrace_kvm.get_sregs(vcpu, ck->buf);
	r = r ?: vmtrace_ckpt_put(ck, VMTRACE_CKPT_SREGS, 0, ck->buf,
				  sizeof(struct kvm_sregs));
	r = r ?: vmtrace_kvm.get_mpstate(vcpu, ck->buf);
	r = r ?: vmtrace_ckpt_put(ck, VMTRACE_CKPT_MP_STATE, 0, ck->buf,
				  sizeof(struct kvm_mp_state));
	return r;
}

static int vmtrace_ckpt_vcpu(struct vmtrace_ckpt *ck, u32 *idx,
			     struct kvm_msrs *msrs)
{
	u64 khz;
	int r;

	r = vmtrace_ckpt_direct(ck);
	r = r ?: vmtrace_ckpt_vcpu_get(ck, VMTRACE_CKPT_XSAVE, KVM_GET_XSAVE,
				       sizeof(struct kvm_xsave));
	r = r ?: vmtrace_ckpt_vcpu_get(ck, VMTRACE_CKPT_XCRS, KVM_GET_XCRS,
				       sizeof(struct kvm_xcrs));
	r = r ?: vmtrace_ckpt_vcpu_get(ck, VMTRACE_CKPT_DEBUGREGS,
				       KVM_GET_DEBUGREGS,
				       sizeof(struct kvm_debugregs));
	r = r ?: vmtrace_ckpt_vcpu_get(ck, VMTRACE_CKPT_EVENTS,
				       KVM_GET_VCPU_EVENTS,
				       sizeof(struct kvm_vcpu_events));
	if (!r && ck->vcpu->arch.apic)	/* an in-kernel LAPIC */
		r = vmtrace_ckpt_vcpu_get(ck, VMTRACE_CKPT_LAPIC, KVM_GET_LAPIC,
					  sizeof(struct kvm_lapic_state));
	r = r ?: vmtrace_ckpt_cpuid(ck);
	r = r ?: vmtrace_ckpt_msrs(ck, idx, msrs);
	if (r)
		return r;
	khz = vmtrace_ckpt_ioctl(ck, ck->vcpu, false, KVM_GET_TSC_KHZ, 0, 0);
	return (long)khz > 0 ?
	       vmtrace_ckpt_put(ck, VMTRACE_CKPT_TSC_KHZ, 0, &khz, sizeof(khz)) : 0;
}

/* VM state that exists only with an in-kernel irqchip or PIT: skip ENXIO. */
static int vmtrace_ckpt_vm_get(struct vmtrace_ckpt *ck, u32 what,
			       unsigned int ioctl, size_t in, size_t len)
{
	long r = vmtrace_ckpt_ioctl(ck, ck->vcpu->kvm, true, ioctl, in, len);

	if (r == -ENXIO || r == -ENOTTY)
		return 0;
	return r < 0 ? r : vmtrace_ckpt_put(ck, what, VMTRACE_RECF_CKPT_VM,
					    ck->buf, len);
}

static int vmtrace_ckpt_vm(struct vmtrace_ckpt *ck)
{
	struct kvm *kvm = ck->vcpu->kvm;
	struct kvm_irqchip *chip = ck->buf;
	u64 pins = kvm->arch.nr_reserved_ioapic_pins;
	int id, r = 0;

	if (kvm->arch.irqchip_mode == KVM_IRQCHIP_SPLIT)
		r = vmtrace_ckpt_put(ck, VMTRACE_CKPT_SPLIT_IRQCHIP,
				     VMTRACE_RECF_CKPT_VM, &pins, sizeof(pins));
	for (id = 0; !r && kvm->arch.irqchip_mode == KVM_IRQCHIP_KERNEL && id < 3; id++) {
		memset(chip, 0, sizeof(*chip));
		chip->chip_id = id;
		r = vmtrace_ckpt_vm_get(ck, VMTRACE_CKPT_IRQCHIP, KVM_GET_IRQCHIP,
					sizeof(*chip), sizeof(*chip));
	}
	if (!r && kvm->arch.vpit)
		r = vmtrace_ckpt_vm_get(ck, VMTRACE_CKPT_PIT2, KVM_GET_PIT2, 0,
					sizeof(struct kvm_pit_state2));
	return r ?: vmtrace_ckpt_vm_get(ck, VMTRACE_CKPT_CLOCK, KVM_GET_CLOCK,
					0, sizeof(struct kvm_clock_data));
}

/* Is the VMM's memory behind @slot private anonymous memory, all of it? */
static bool vmtrace_ckpt_slot_anon(struct kvm_memory_slot *slot)
{
	unsigned long start = slot->userspace_addr;
	unsigned long end = start + (slot->npages << PAGE_SHIFT);
	struct vm_area_struct *vma;
	bool anon;

	mmap_read_lock(current->mm);
	vma = find_vma(current->mm, start);
	anon = vma && vma->vm_start <= start && vma->vm_end >= end &&
	       vma_is_anonymous(vma) && !(vma->vm_flags & VM_SHARED);
	mmap_read_unlock(current->mm);
	return anon;
}

/*
 * Which pages of @slot are not all zero: set in @nonzero. Their count.
 * A page of anonymous memory that nothing maps was never written: zero,
 * without reading (and so mapping) it.
 */
static long vmtrace_ckpt_scan_slot(struct kvm_memory_slot *slot, void *page,
				   unsigned long *nonzero)
{
	bool anon = vmtrace_ckpt_slot_anon(slot);
	unsigned long i, hva;
	long n = 0;

	for (i = 0; i < slot->npages; i++) {
		hva = slot->userspace_addr + (i << PAGE_SHIFT);
		if (anon && vmtrace_pgwalk_state(current->mm, hva) == VMTRACE_PG_NONE)
			continue;
		if (copy_from_user(page, (void __user *)hva, PAGE_SIZE))
			return -EFAULT;
		if (memchr_inv(page, 0, PAGE_SIZE)) {
			__set_bit(i, nonzero);
			n++;
		}
		cond_resched();
	}
	return n;
}

static int vmtrace_ckpt_pages(struct vmtrace_ckpt *ck,
			      struct kvm_memory_slot *slot,
			      const unsigned long *nonzero)
{
	struct vmtrace_rec_mem *r;
	unsigned long i;

	for_each_set_bit(i, nonzero, slot->npages) {
		vmtrace_recbuf_make_room(ck->vr);
		r = vmtrace_rec_append(ck->vr, VMTRACE_REC_CKPT_PAGE,
				       sizeof(*r) + PAGE_SIZE, VMTRACE_RECF_CKPT_VM);
		if (!r)
			return -ENOSPC;
		r->gpa = (slot->base_gfn + i) << PAGE_SHIFT;
		r->len = PAGE_SIZE;
		r->pad = 0;
		if (copy_from_user(r->data, (void __user *)(slot->userspace_addr +
							   (i << PAGE_SHIFT)),
				   PAGE_SIZE))
			return -EFAULT;
	}
	return 0;
}

static unsigned long vmtrace_slot_hva_end(const struct kvm_memory_slot *slot)
{
	return slot->userspace_addr + (slot->npages << PAGE_SHIFT);
}

/*
 * The memslot whose VMM memory holds all of @slot's, if @slot is an alias:
 * a larger one, or one of the same range with a lower id. NULL otherwise.
 */
static struct kvm_memory_slot *vmtrace_ckpt_alias_of(struct kvm_memslots *slots,
						     struct kvm_memory_slot *slot)
{
	unsigned long start = slot->userspace_addr, end = vmtrace_slot_hva_end(slot);
	struct kvm_memory_slot *o;
	int bkt;

	kvm_for_each_memslot(o, bkt, slots) {
		if (o == slot || o->id >= KVM_USER_MEM_SLOTS ||
		    o->userspace_addr > start || vmtrace_slot_hva_end(o) < end)
			continue;
		if (o->npages > slot->npages || o->id < slot->id)
			return o;
	}
	return NULL;
}

static struct vmtrace_rec_ckpt_slot *vmtrace_ckpt_slot_rec(struct vmtrace_ckpt *ck,
							   struct kvm_memory_slot *slot)
{
	struct vmtrace_rec_ckpt_slot *r;

	vmtrace_recbuf_make_room(ck->vr);
	r = vmtrace_rec_append(ck->vr, VMTRACE_REC_CKPT_SLOT, sizeof(*r),
			       VMTRACE_RECF_CKPT_VM);
	if (r) {
		r->slot = slot->id;
		r->flags = slot->flags;
		r->gpa = slot->base_gfn << PAGE_SHIFT;
		r->size = slot->npages << PAGE_SHIFT;
	}
	return r;
}

/* A memslot with memory of its own, and its pages that are not zero. */
static int vmtrace_ckpt_slot(struct vmtrace_ckpt *ck, struct kvm_memory_slot *slot)
{
	struct vmtrace_rec_ckpt_slot *r;
	unsigned long *nonzero;
	long n;
	int ret;

	nonzero = bitmap_zalloc(slot->npages, GFP_KERNEL_ACCOUNT);
	if (!nonzero)
		return -ENOMEM;
	n = vmtrace_ckpt_scan_slot(slot, ck->buf, nonzero);
	ret = n < 0 ? n : 0;
	r = ret ? NULL : vmtrace_ckpt_slot_rec(ck, slot);
	if (r) {
		r->pages = n;
		ret = vmtrace_ckpt_pages(ck, slot, nonzero);
	} else if (!ret) {
		ret = -ENOSPC;
	}
	bitmap_free(nonzero);
	return ret;
}

/* A memslot that shares the memory of @root, which was recorded before. */
static int vmtrace_ckpt_alias(struct vmtrace_ckpt *ck, struct kvm_memory_slot *slot,
			      struct kvm_memory_slot *root)
{
	struct vmtrace_rec_ckpt_slot *r = vmtrace_ckpt_slot_rec(ck, slot);

	if (!r)
		return -ENOSPC;
	r->hdr.flags |= VMTRACE_RECF_CKPT_ALIAS;
	r->alias_of = root->id;
	r->alias_offset = slot->userspace_addr - root->userspace_addr;
	return 0;
}

/*
 * The memslots the VMM made (KVM's private ones it makes again itself):
 * first those with memory of their own, then the aliases of those.
 */
static int vmtrace_ckpt_slots(struct vmtrace_ckpt *ck, struct kvm_memslots *slots,
			      bool aliases)
{
	struct kvm_memory_slot *slot, *root, *up;
	int bkt, ret = 0;

	kvm_for_each_memslot(slot, bkt, slots) {
		if (slot->id >= KVM_USER_MEM_SLOTS)
			continue;
		root = vmtrace_ckpt_alias_of(slots, slot);
		/* Each step is to a larger range or a lower id: it ends. */
		while (root && (up = vmtrace_ckpt_alias_of(slots, root)))
			root = up;
		if (!aliases && !root)
			ret = vmtrace_ckpt_slot(ck, slot);
		else if (aliases && root)
			ret = vmtrace_ckpt_alias(ck, slot, root);
		if (ret)
			break;
	}
	return ret;
}

static int vmtrace_ckpt_memory(struct vmtrace_ckpt *ck)
{
	struct kvm *kvm = ck->vcpu->kvm;
	int idx, ret;

	/* SRCU: a memslot update waits for the copy instead of racing it. */
	idx = srcu_read_lock(&kvm->srcu);
	ret = vmtrace_ckpt_slots(ck, __kvm_memslots(kvm, 0), false) ?:
	      vmtrace_ckpt_slots(ck, __kvm_memslots(kvm, 0), true);
	srcu_read_unlock(&kvm->srcu, idx);
	return ret;
}

/**
 * vmtrace_complete_userspace_exit() - finish the exit the VMM handled, now
 * @vcpu: the vCPU, at the start of KVM_RUN.
 * @run: KVM's KVM_RUN (kvm_arch_vcpu_ioctl_run()).
 *
 * KVM_RUN finishes the exit the VMM just handled (an IN's data, the skip
 * past an OUT, an MMIO read into a register) before it enters the guest.
 * Have KVM_RUN itself do that first, in its own context (guest FPU, regs
 * sync, SRCU), told not to enter the guest, so that the state is at an
 * instruction boundary: for the checkpoint, and for PMU replay's gate.
 *
 * Context: the KVM_RUN hook, vcpu->mutex held, vCPU not loaded; may sleep.
 * Return: 1 to go on, or what KVM_RUN must return (<= 0) when finishing
 * the exit asks for that.
 */
int vmtrace_complete_userspace_exit(struct kvm_vcpu *vcpu,
				    int (*run)(struct kvm_vcpu *vcpu))
{
	bool wants = vcpu->wants_to_run;
	int r;

	if (!vcpu->arch.complete_userspace_io)
		return 1;
	vcpu->wants_to_run = false;
	r = run(vcpu);		/* -EINTR once done: it did not run the guest */
	vcpu->wants_to_run = wants;
	return r == -EINTR ? 1 : r;
}

static int vmtrace_ckpt_run(struct vmtrace_session *s, struct vmtrace_vcpu *v,
			    struct vmtrace_ckpt *ck)
{
	struct vmtrace_recorder *rec = s->rec;
	struct kvm_msrs *msrs;
	u32 *idx;
	int ret;

	idx = kcalloc(VMTRACE_CKPT_MSRS_MAX, sizeof(*idx), GFP_KERNEL);
	msrs = kzalloc(struct_size(msrs, entries, VMTRACE_CKPT_MSRS_MAX),
		       GFP_KERNEL);
	ret = idx && msrs ? 0 : -ENOMEM;
	vmtrace_recbuf_next(ck->vr, VMTRACE_CHUNK_CHECKPOINT);
	mutex_lock(&rec->ckpt_lock);
	if (!ret && !rec->ckpt_vm) {
		/* The baseline: clear the dirty bits before reading the pages. */
		vmtrace_vmm_writes_record(s, ck->vr);
		ret = vmtrace_ckpt_vm(ck);
		ret = ret ?: vmtrace_ckpt_memory(ck);
		rec->ckpt_vm = !ret;
	}
	mutex_unlock(&rec->ckpt_lock);
	ret = ret ?: vmtrace_ckpt_vcpu(ck, idx, msrs);
	vmtrace_recbuf_next(ck->vr, VMTRACE_CHUNK_RECORDS);
	kfree(msrs);
	kfree(idx);
	return ret;
}

/**
 * vmtrace_checkpoint_take() - save a vCPU's state, and the VM's the first time
 * @s: a recording session.
 * @v: a recorded vCPU whose thread starts KVM_RUN.
 * @run: KVM's own kvm_arch_vcpu_ioctl_run(), to finish the last exit.
 *
 * A failure fails the recording loudly (logged, recorder error set):
 * replay cannot start without the checkpoint.
 *
 * Context: the vCPU's thread at the start of KVM_RUN, vcpu->mutex held,
 * vCPU not loaded, the recorder's SRCU held; may sleep.
 * Return: 1 to go on with KVM_RUN, or what KVM_RUN must return (<= 0)
 * when finishing the previous exit asks for that.
 */
int vmtrace_checkpoint_take(struct vmtrace_session *s, struct vmtrace_vcpu *v,
			    int (*run)(struct kvm_vcpu *vcpu))
{
	struct vmtrace_ckpt ck = { .vr = v->rec, .vcpu = v->vcpu };
	int ret;

	ret = vmtrace_complete_userspace_exit(v->vcpu, run);
	if (ret <= 0)
		return ret;
	ck.file = kzalloc(sizeof(*ck.file), GFP_KERNEL);
	ck.buf = kvzalloc(VMTRACE_CKPT_SCRATCH, GFP_KERNEL);
	ck.uaddr = vm_mmap(NULL, 0, VMTRACE_CKPT_SCRATCH, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, 0);
	ret = ck.file && ck.buf && !IS_ERR_VALUE(ck.uaddr) ? 0 : -ENOMEM;
	ret = ret ?: vmtrace_ckpt_run(s, v, &ck);
	if (!IS_ERR_VALUE(ck.uaddr))
		vm_munmap(ck.uaddr, VMTRACE_CKPT_SCRATCH);
	kvfree(ck.buf);
	kfree(ck.file);
	v->rec->ckpt_done = true;
	if (ret) {
		pr_err("session %llu: vCPU %u: checkpoint failed: %d\n", s->id,
		       v->idx, ret);
		mutex_lock(&s->rec->ckpt_lock);
		s->rec->ckpt_error = s->rec->ckpt_error ?: ret;
		mutex_unlock(&s->rec->ckpt_lock);
	}
	return 1;
}
