/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small VMM for the selftests: one VM, one memslot, vCPUs in real or
 * long mode running a guest program from lib/guest_code.S, a vCPU thread,
 * and a port protocol for the guest to report values.
 */
#ifndef _VMTRACE_SELFTEST_VMM_H
#define _VMTRACE_SELFTEST_VMM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <linux/kvm.h>

#define PORT_REPORT	0xf0
#define PORT_DONE	0xf1
#define PORT_TICK	0xf3
#define PORT_INPUT	0xf4	/* IN: the VMM answers VMM_INPUT(n) */
#define PORT_DMA	0xf5	/* OUT n: the VMM writes VMM_DMA(n) at VMM_DMA_GPA(n) */

/* The value of the n-th IN from PORT_INPUT (n from 0). */
#define VMM_INPUT(n)	(0xa5a50000u + 7u * (n))
/* MMIO reads (GPAs outside the memslot) return VMM_MMIO(n), n from 0. */
#define VMM_MMIO(n)	(0x3c3c0000deadb000ull + 0x100000001ull * (n))
/* What the VMM writes into guest RAM for OUT n to PORT_DMA, and where. */
#define VMM_DMA(n)	(0x0d0a0000c0de0000ull + 0x10000000001ull * (n))
#define VMM_DMA_GPA(n)	(0x200000UL + 0x1000UL * (n))

#define GUEST_MEM_SIZE	(4UL << 20)	/* one slot at GPA 0 */
#define GUEST_CODE_GPA	0x1000UL
#define GUEST_PT_GPA	0x100000UL	/* long mode page tables and GDT */

#define VMM_MAX_VCPUS	4
#define VMM_MAX_REPORTS	256

enum vmm_mode { VMM_REAL, VMM_LONG };

/* A guest program: the bytes between two labels of guest_code.S. */
struct guest_prog {
	const uint8_t *start, *end;
};

#define GUEST_PROG(name) ({						\
	extern const uint8_t guest_##name[], guest_##name##_end[];	\
	(struct guest_prog){ guest_##name, guest_##name##_end };	\
})

struct vmm_vcpu {
	int fd;
	struct kvm_run *run;
};

struct vmm {
	int kvm_fd, vm_fd;
	uint8_t *mem;
	enum vmm_mode mode;
	int nr_vcpus;
	struct vmm_vcpu vcpu[VMM_MAX_VCPUS];
	pthread_t thread;
	bool running;
	volatile bool stop;
	volatile bool done;
	volatile uint64_t ticks;
	int nr_reports;
	uint32_t reports[VMM_MAX_REPORTS];
	uint32_t nr_inputs;
	uint32_t nr_mmio_reads;
	uint32_t nr_dma;	/* PORT_DMA writes done */
	uint64_t nr_runs;	/* KVM_RUN calls */
	uint32_t irq_every;	/* inject IRQ vector irq_vector every N ticks */
	uint8_t irq_vector;
	uint32_t nr_irqs;	/* interrupts injected */
	uint32_t nmi_every;	/* inject an NMI every N ticks */
	uint32_t nr_nmis;	/* NMIs injected */
	int exit_reason;	/* first unexpected KVM exit, 0 if none */
};

int vmm_create(struct vmm *vmm, enum vmm_mode mode, struct guest_prog prog);
int vmm_create_irqchip(struct vmm *vmm, enum vmm_mode mode, struct guest_prog prog);
int vmm_add_vcpu(struct vmm *vmm);
int vmm_split_slot(struct vmm *vmm, uint64_t gpa);
int vmm_set_supported_cpuid(struct vmm *vmm, int idx);
int vmm_run_once(struct vmm *vmm, int idx);
int vmm_run_to_done(struct vmm *vmm, unsigned int max_exits);
int vmm_start(struct vmm *vmm);
void vmm_stop(struct vmm *vmm);
bool vmm_wait_ticks(struct vmm *vmm, uint64_t more, unsigned int timeout_ms);
void vmm_destroy(struct vmm *vmm);
int vmm_child(enum vmm_mode mode, struct guest_prog prog, int *vm_fd_in_child,
	      int *pid);

#endif /* _VMTRACE_SELFTEST_VMM_H */
