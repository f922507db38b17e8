/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM functions that kvm.ko exports but declares only in its private
 * headers (arch/x86/kvm/x86.h, lapic.h), which headers packages do not
 * ship.
 *
 * kvm_read_guest_virt() has had the same prototype in every kernel we
 * support; it fills a struct x86_exception (private, kvm_emulate.h: 32
 * bytes in 6.1 and 6.12) on a fault, for which we pass room to spare.
 */
#ifndef _VMTRACE_COMPAT_KVM_PRIVATE_H
#define _VMTRACE_COMPAT_KVM_PRIVATE_H

#include <linux/kvm_host.h>

struct x86_exception;

int kvm_read_guest_virt(struct kvm_vcpu *vcpu, gva_t addr, void *val,
			unsigned int bytes, struct x86_exception *exception);

/*
 * The in-kernel LAPIC's IRR, for replay (arch/x86/kvm/lapic.h, exported
 * for kvm-intel's posted interrupts; the same in 6.1 and 6.12).
 */
struct kvm_lapic;

void kvm_apic_clear_irr(struct kvm_vcpu *vcpu, int vec);
int kvm_lapic_find_highest_irr(struct kvm_vcpu *vcpu);
void kvm_apic_send_ipi(struct kvm_lapic *apic, u32 icr_low, u32 icr_high);

/* Room for a struct x86_exception of any supported kernel. */
struct vmtrace_x86_exception {
	u64 space[8];
};

/**
 * vmtrace_read_guest_virt() - read guest memory at a linear address
 * @vcpu: the vCPU, loaded.
 * @addr: guest linear address.
 * @val: out: the bytes.
 * @bytes: how many.
 *
 * Context: process context, vCPU loaded, kvm->srcu held.
 * Return: 0, or non-zero if the guest mapping faults.
 */
static inline int vmtrace_read_guest_virt(struct kvm_vcpu *vcpu, gva_t addr,
					  void *val, unsigned int bytes)
{
	struct vmtrace_x86_exception e = {};

	return kvm_read_guest_virt(vcpu, addr, val, bytes,
				   (struct x86_exception *)&e);
}

#endif /* _VMTRACE_COMPAT_KVM_PRIVATE_H */
