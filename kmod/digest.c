// SPDX-License-Identifier: GPL-2.0
/*
 * Digests of guest state: FNV-1a 64 of the general-purpose registers and
 * of one guest page, chosen by the exit ordinal so that, over a recording,
 * the samples cover guest RAM. Recording writes them (struct
 * vmtrace_rec_digest) where chunks close and where KVM_RUN returns; replay
 * computes them at the same points and compares.
 */
#include <linux/kvm_host.h>

#include "digest.h"
#include "vendor.h"

#define VMTRACE_FNV_OFFSET	0xcbf29ce484222325ULL
#define VMTRACE_FNV_PRIME	0x100000001b3ULL
/* Bytes of guest RAM read at a time for the page digest. */
#define VMTRACE_DIGEST_STEP	256

/**
 * vmtrace_regs_digest() - FNV-1a 64 of RAX..R15, 8 bytes each, in order
 * @vendor: the vendor module's ops, for RSP.
 * @vcpu: the vCPU, after an exit or at entry, loaded.
 *
 * The registers KVM_GET_REGS would return: RSP from the vendor (VMX
 * reads it from the VMCS lazily), the others from KVM's register array.
 *
 * Context: vCPU loaded (the exit hook, the kvm_entry probe, a loaded ioctl).
 * Return: the digest.
 */
u64 vmtrace_regs_digest(const struct vmtrace_vendor_ops *vendor,
			struct kvm_vcpu *vcpu)
{
	u64 g[16];
	const u8 *p = (const u8 *)g;
	u64 h = VMTRACE_FNV_OFFSET;
	int i;

	for (i = 0; i < 16; i++)
		g[i] = vcpu->arch.regs[i];
	g[VCPU_REGS_RSP] = vendor->rsp(vcpu);
	for (i = 0; i < sizeof(g); i++)
		h = (h ^ p[i]) * VMTRACE_FNV_PRIME;
	return h;
}

/* The @k-th page of the guest's RAM, in GPA order; false if none. */
static bool vmtrace_digest_page(struct kvm *kvm, u64 k, gpa_t *gpa)
{
	struct kvm_memslots *slots = __kvm_memslots(kvm, 0);
	struct kvm_memslot_iter iter;
	struct kvm_memory_slot *slot;
	u64 total = 0;
	int bkt;

	kvm_for_each_memslot(slot, bkt, slots)
		if (slot->id < KVM_USER_MEM_SLOTS)
			total += slot->npages;
	if (!total)
		return false;
	k %= total;
	kvm_for_each_memslot_in_gfn_range(&iter, slots, 0, ~0ULL) {
		slot = iter.slot;
		if (slot->id >= KVM_USER_MEM_SLOTS)
			continue;
		if (k < slot->npages) {
			*gpa = (slot->base_gfn + k) << PAGE_SHIFT;
			return true;
		}
		k -= slot->npages;
	}
	return false;
}

/* FNV-1a 64 of a guest page as 512 little-endian 64-bit words. */
static u64 vmtrace_digest_mem(struct kvm *kvm, gpa_t gpa)
{
	u64 words[VMTRACE_DIGEST_STEP / 8], h = VMTRACE_FNV_OFFSET;
	unsigned int off, i;

	for (off = 0; off < PAGE_SIZE; off += VMTRACE_DIGEST_STEP) {
		if (kvm_read_guest(kvm, gpa + off, words, sizeof(words)))
			memset(words, 0xff, sizeof(words));
		for (i = 0; i < ARRAY_SIZE(words); i++)
			h = (h ^ le64_to_cpu(words[i])) * VMTRACE_FNV_PRIME;
	}
	return h;
}

/**
 * vmtrace_digest_fill() - the payload of a VMTRACE_REC_DIGEST
 * @vendor: the VM's vendor.
 * @vcpu: the vCPU, loaded.
 * @ordinal: its exit ordinal, which picks the page.
 * @d: out: everything after the header.
 *
 * Context: process context, vCPU loaded, kvm->srcu held.
 */
void vmtrace_digest_fill(const struct vmtrace_vendor_ops *vendor,
			 struct kvm_vcpu *vcpu, u64 ordinal,
			 struct vmtrace_rec_digest *d)
{
	gpa_t gpa = 0;

	d->rip = vendor->rip(vcpu);
	d->rflags = kvm_get_rflags(vcpu);
	d->regs = vmtrace_regs_digest(vendor, vcpu);
	d->mem_gpa = 0;
	d->mem = 0;
	if (vmtrace_digest_page(vcpu->kvm, ordinal * 2654435761ULL, &gpa)) {
		d->mem_gpa = gpa;
		d->mem = vmtrace_digest_mem(vcpu->kvm, gpa);
	}
}
