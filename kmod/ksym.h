/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM functions that kvm.ko neither exports nor declares in a shipped
 * header for modules, resolved by name once, in ksym.c.
 */
#ifndef _VMTRACE_KSYM_H
#define _VMTRACE_KSYM_H

#include <linux/kvm_host.h>

/**
 * struct vmtrace_kvm_fns - KVM's ioctl handlers the checkpoint calls
 * @vcpu_ioctl: kvm_arch_vcpu_ioctl(): KVM_GET_XSAVE, KVM_GET_MSRS, ...
 * @vm_ioctl: kvm_arch_vm_ioctl(): KVM_GET_IRQCHIP, KVM_GET_PIT2, ...
 * @dev_ioctl: kvm_arch_dev_ioctl(): KVM_GET_MSR_INDEX_LIST.
 * @get_regs: kvm_arch_vcpu_ioctl_get_regs().
 * @get_sregs: kvm_arch_vcpu_ioctl_get_sregs().
 * @get_mpstate: kvm_arch_vcpu_ioctl_get_mpstate().
 *
 * The prototypes come from <linux/kvm_host.h>, which declares them for
 * kvm.ko, so a kernel that changes one changes the type here too.
 */
struct vmtrace_kvm_fns {
	typeof(kvm_arch_vcpu_ioctl) *vcpu_ioctl;
	typeof(kvm_arch_vm_ioctl) *vm_ioctl;
	typeof(kvm_arch_dev_ioctl) *dev_ioctl;
	typeof(kvm_arch_vcpu_ioctl_get_regs) *get_regs;
	typeof(kvm_arch_vcpu_ioctl_get_sregs) *get_sregs;
	typeof(kvm_arch_vcpu_ioctl_get_mpstate) *get_mpstate;
};

extern struct vmtrace_kvm_fns vmtrace_kvm;

int vmtrace_ksym_resolve(void);

#endif /* _VMTRACE_KSYM_H */
