// SPDX-License-Identifier: GPL-2.0
/*
 * The selftests' VMM: VM, memslot, vCPUs in real or long mode, run loop,
 * port protocol. Guest programs are position-independent blobs from
 * guest_code.S rather than C functions: a blob needs no identity map of
 * the test binary and runs the same in real and long mode setups.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "vmm.h"

#define PTE_P	0x1ULL
#define PTE_RW	0x2ULL
#define PTE_PS	0x80ULL

#define CR0_PE	0x1ULL
#define CR0_NE	0x20ULL
#define CR0_PG	0x80000000ULL
#define CR4_PAE	0x20ULL
#define EFER_LME 0x100ULL
#define EFER_LMA 0x400ULL

static uint64_t *gpa_ptr(struct vmm *vmm, uint64_t gpa)
{
	return (uint64_t *)(vmm->mem + gpa);
}

/* Identity map of the first GiB with 2 MiB pages, and a flat GDT. */
static void setup_long_mode_tables(struct vmm *vmm)
{
	uint64_t *pml4 = gpa_ptr(vmm, GUEST_PT_GPA);
	uint64_t *pdpt = gpa_ptr(vmm, GUEST_PT_GPA + 0x1000);
	uint64_t *pd = gpa_ptr(vmm, GUEST_PT_GPA + 0x2000);
	uint64_t *gdt = gpa_ptr(vmm, GUEST_PT_GPA + 0x3000);
	int i;

	pml4[0] = (GUEST_PT_GPA + 0x1000) | PTE_P | PTE_RW;
	pdpt[0] = (GUEST_PT_GPA + 0x2000) | PTE_P | PTE_RW;
	for (i = 0; i < 512; i++)
		pd[i] = ((uint64_t)i << 21) | PTE_P | PTE_RW | PTE_PS;
	gdt[0] = 0;
	gdt[1] = 0x00209a0000000000ULL;	/* 64-bit code */
	gdt[2] = 0x0000920000000000ULL;	/* data */
}

static void long_mode_sregs(struct kvm_sregs *s)
{
	struct kvm_segment code = {
		.base = 0, .limit = 0xffffffff, .selector = 8, .type = 11,
		.present = 1, .s = 1, .l = 1, .g = 1,
	};
	struct kvm_segment data = code;

	data.selector = 16;
	data.type = 3;
	data.l = 0;
	data.db = 1;
	s->cs = code;
	s->ds = s->es = s->fs = s->gs = s->ss = data;
	s->gdt.base = GUEST_PT_GPA + 0x3000;
	s->gdt.limit = 3 * 8 - 1;
	s->cr3 = GUEST_PT_GPA;
	s->cr4 = CR4_PAE;
	s->cr0 = CR0_PE | CR0_NE | CR0_PG;
	s->efer = EFER_LME | EFER_LMA;
}

static int setup_vcpu_state(struct vmm *vmm, int fd)
{
	struct kvm_regs regs = { .rip = GUEST_CODE_GPA, .rflags = 2,
				 .rsp = GUEST_PT_GPA - 16 };
	struct kvm_sregs sregs;

	if (ioctl(fd, KVM_GET_SREGS, &sregs))
		return -1;
	if (vmm->mode == VMM_LONG) {
		long_mode_sregs(&sregs);
	} else {
		sregs.cs.base = 0;
		sregs.cs.selector = 0;
	}
	if (ioctl(fd, KVM_SET_SREGS, &sregs))
		return -1;
	return ioctl(fd, KVM_SET_REGS, &regs);
}

/**
 * vmm_add_vcpu() - create the next vCPU, at the program's start
 * @vmm: the VMM.
 *
 * Return: the vCPU's index, or -1 with errno.
 */
int vmm_add_vcpu(struct vmm *vmm)
{
	int idx = vmm->nr_vcpus, size;
	struct vmm_vcpu *v = &vmm->vcpu[idx];

	if (idx >= VMM_MAX_VCPUS)
		return errno = ENOSPC, -1;
	v->fd = ioctl(vmm->vm_fd, KVM_CREATE_VCPU, idx);
	size = ioctl(vmm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (v->fd < 0 || size <= 0)
		return -1;
	v->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED || setup_vcpu_state(vmm, v->fd))
		return -1;
	return vmm->nr_vcpus++;
}

/*
 * Guest RAM aligned to 2 MiB, as QEMU aligns it, so that with transparent
 * huge pages each 2 MiB of guest memory is one huge page.
 */
static uint8_t *guest_mem_alloc(void)
{
	const size_t huge = 2UL << 20;
	uint8_t *p = mmap(NULL, GUEST_MEM_SIZE + huge, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uint8_t *mem;

	if (p == MAP_FAILED)
		return p;
	mem = (uint8_t *)(((uintptr_t)p + huge - 1) & ~(huge - 1));
	if (mem > p)
		munmap(p, mem - p);
	munmap(mem + GUEST_MEM_SIZE, p + huge - mem);
	return mem;
}

/**
 * vmm_split_slot() - make guest RAM two memslots, split at @gpa
 * @vmm: a VMM whose vCPUs have not run.
 * @gpa: page-aligned, inside guest RAM.
 *
 * Return: 0, or -1 with errno.
 */
int vmm_split_slot(struct vmm *vmm, uint64_t gpa)
{
	struct kvm_userspace_memory_region slot = { .slot = 0 };

	if (ioctl(vmm->vm_fd, KVM_SET_USER_MEMORY_REGION, &slot))
		return -1;
	slot.memory_size = gpa;
	slot.userspace_addr = (uintptr_t)vmm->mem;
	if (ioctl(vmm->vm_fd, KVM_SET_USER_MEMORY_REGION, &slot))
		return -1;
	slot.slot = 1;
	slot.guest_phys_addr = gpa;
	slot.memory_size = GUEST_MEM_SIZE - gpa;
	slot.userspace_addr = (uintptr_t)vmm->mem + gpa;
	return ioctl(vmm->vm_fd, KVM_SET_USER_MEMORY_REGION, &slot) ? -1 : 0;
}

/* vmm_create(), vmm_create_irqchip(): @irqchip is KVM_CREATE_IRQCHIP. */
static int vmm_create_vm(struct vmm *vmm, enum vmm_mode mode,
			 struct guest_prog prog, bool irqchip)
{
	struct kvm_userspace_memory_region slot = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = GUEST_MEM_SIZE,
	};

	memset(vmm, 0, sizeof(*vmm));
	vmm->mode = mode;
	vmm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vmm->kvm_fd < 0)
		return -1;
	vmm->vm_fd = ioctl(vmm->kvm_fd, KVM_CREATE_VM, 0);
	vmm->mem = guest_mem_alloc();
	if (vmm->vm_fd < 0 || vmm->mem == MAP_FAILED)
		return -1;
	slot.userspace_addr = (uintptr_t)vmm->mem;
	if (ioctl(vmm->vm_fd, KVM_SET_USER_MEMORY_REGION, &slot))
		return -1;
	memcpy(vmm->mem + GUEST_CODE_GPA, prog.start, prog.end - prog.start);
	if (mode == VMM_LONG)
		setup_long_mode_tables(vmm);
	if (irqchip && ioctl(vmm->vm_fd, KVM_CREATE_IRQCHIP, 0))
		return -1;
	return vmm_add_vcpu(vmm) < 0 ? -1 : 0;
}

/**
 * vmm_create() - a VM with one vCPU about to run @prog
 * @vmm: filled in.
 * @mode: real or long mode.
 * @prog: the guest program, copied to GUEST_CODE_GPA.
 *
 * Return: 0, or -1 with errno.
 */
int vmm_create(struct vmm *vmm, enum vmm_mode mode, struct guest_prog prog)
{
	return vmm_create_vm(vmm, mode, prog, false);
}

/**
 * vmm_create_irqchip() - vmm_create(), with KVM's in-kernel irqchip
 * @vmm: filled in.
 * @mode: real or long mode.
 * @prog: the guest program.
 *
 * The PIC, IOAPIC and each vCPU's LAPIC are KVM's, as with QEMU's
 * default; KVM_INTERRUPT then cannot be used.
 *
 * Return: 0, or -1 with errno.
 */
int vmm_create_irqchip(struct vmm *vmm, enum vmm_mode mode, struct guest_prog prog)
{
	return vmm_create_vm(vmm, mode, prog, true);
}

/**
 * vmm_set_supported_cpuid() - give vCPU @idx every CPUID leaf KVM supports
 * @vmm: the VMM.
 * @idx: the vCPU, before its first KVM_RUN.
 *
 * Return: 0, or -1 with errno.
 */
int vmm_set_supported_cpuid(struct vmm *vmm, int idx)
{
	struct kvm_cpuid2 *c;
	int nent = 256, ret;

	c = calloc(1, sizeof(*c) + nent * sizeof(c->entries[0]));
	if (!c)
		return -1;
	c->nent = nent;
	ret = ioctl(vmm->kvm_fd, KVM_GET_SUPPORTED_CPUID, c);
	if (!ret)
		ret = ioctl(vmm->vcpu[idx].fd, KVM_SET_CPUID2, c);
	free(c);
	return ret ? -1 : 0;
}

static void handle_in(struct vmm *vmm, struct kvm_run *run)
{
	uint32_t value = VMM_INPUT(vmm->nr_inputs);

	if (run->io.port != PORT_INPUT || run->io.count != 1) {
		vmm->exit_reason = KVM_EXIT_IO;
		return;
	}
	vmm->nr_inputs++;
	memcpy((uint8_t *)run + run->io.data_offset, &value,
	       run->io.size < 4 ? run->io.size : 4);
}

static void handle_mmio(struct vmm *vmm, struct kvm_run *run)
{
	uint64_t value = VMM_MMIO(vmm->nr_mmio_reads);

	if (run->mmio.is_write || run->mmio.len > 8) {
		vmm->exit_reason = KVM_EXIT_MMIO;
		return;
	}
	vmm->nr_mmio_reads++;
	memcpy(run->mmio.data, &value, run->mmio.len);
}

/*
 * Inject an interrupt every irq_every ticks, when the guest can take it,
 * and an NMI every nmi_every ticks.
 */
static void maybe_inject(struct vmm *vmm, int idx)
{
	struct kvm_run *run = vmm->vcpu[idx].run;
	struct kvm_interrupt irq = { .irq = vmm->irq_vector };

	if (vmm->nmi_every && !(vmm->ticks % vmm->nmi_every) &&
	    !ioctl(vmm->vcpu[idx].fd, KVM_NMI))
		vmm->nr_nmis++;

	if (!vmm->irq_every || vmm->ticks % vmm->irq_every ||
	    !run->ready_for_interrupt_injection || !run->if_flag)
		return;
	if (!ioctl(vmm->vcpu[idx].fd, KVM_INTERRUPT, &irq))
		vmm->nr_irqs++;
}

/* Device emulation writing into guest RAM, as a DMA would. */
static void vmm_dma(struct vmm *vmm, uint32_t n)
{
	uint64_t value = VMM_DMA(n);

	if (VMM_DMA_GPA(n) + sizeof(value) > GUEST_MEM_SIZE) {
		vmm->exit_reason = KVM_EXIT_IO;
		return;
	}
	memcpy(vmm->mem + VMM_DMA_GPA(n), &value, sizeof(value));
	vmm->nr_dma++;
}

static void handle_io(struct vmm *vmm, struct kvm_run *run)
{
	uint32_t value = 0;

	memcpy(&value, (uint8_t *)run + run->io.data_offset,
	       run->io.size < 4 ? run->io.size : 4);
	switch (run->io.port) {
	case PORT_REPORT:
		if (vmm->nr_reports < VMM_MAX_REPORTS)
			vmm->reports[vmm->nr_reports++] = value;
		break;
	case PORT_TICK:
		__atomic_add_fetch(&vmm->ticks, 1, __ATOMIC_RELAXED);
		break;
	case PORT_DONE:
		vmm->done = true;
		break;
	case PORT_DMA:
		vmm_dma(vmm, value);
		break;
	default:
		vmm->exit_reason = KVM_EXIT_IO;
	}
}

/**
 * vmm_run_once() - one KVM_RUN of vCPU @idx and its exit
 * @vmm: the VMM.
 * @idx: the vCPU.
 *
 * Return: 0, or -1 with errno (EINTR is not an error).
 */
int vmm_run_once(struct vmm *vmm, int idx)
{
	struct kvm_run *run = vmm->vcpu[idx].run;

	vmm->nr_runs++;
	if (ioctl(vmm->vcpu[idx].fd, KVM_RUN, 0))
		return errno == EINTR ? 0 : -1;
	if (run->exit_reason == KVM_EXIT_IO && run->io.direction == KVM_EXIT_IO_OUT) {
		handle_io(vmm, run);
		maybe_inject(vmm, idx);
	} else if (run->exit_reason == KVM_EXIT_MMIO)
		handle_mmio(vmm, run);
	else if (run->exit_reason == KVM_EXIT_IO)
		handle_in(vmm, run);
	else if (run->exit_reason == KVM_EXIT_HLT)
		vmm->done = true;
	else if (!vmm->exit_reason)
		vmm->exit_reason = run->exit_reason;
	return 0;
}

/**
 * vmm_run_to_done() - run vCPU 0 until the guest says done
 * @vmm: the VMM.
 * @max_exits: give up after this many exits.
 *
 * Return: 0 if the guest finished, -1 otherwise.
 */
int vmm_run_to_done(struct vmm *vmm, unsigned int max_exits)
{
	while (!vmm->done && !vmm->exit_reason && max_exits--)
		if (vmm_run_once(vmm, 0))
			return -1;
	return vmm->done ? 0 : -1;
}

static void *vmm_thread(void *arg)
{
	struct vmm *vmm = arg;

	while (!vmm->stop && !vmm->done && !vmm->exit_reason)
		if (vmm_run_once(vmm, 0))
			break;
	return NULL;
}

static void vmm_sigusr1(int sig)
{
	(void)sig;
}

/**
 * vmm_start() - run vCPU 0 in a thread until vmm_stop()
 * @vmm: the VMM.
 *
 * Return: 0, or an error number.
 */
int vmm_start(struct vmm *vmm)
{
	signal(SIGUSR1, vmm_sigusr1);	/* only to interrupt KVM_RUN */
	vmm->running = !pthread_create(&vmm->thread, NULL, vmm_thread, vmm);
	return vmm->running ? 0 : -1;
}

void vmm_stop(struct vmm *vmm)
{
	if (!vmm->running)
		return;
	vmm->stop = true;
	pthread_kill(vmm->thread, SIGUSR1);
	pthread_join(vmm->thread, NULL);
	vmm->running = false;
}

/* Wait until the guest ticked @more times. */
bool vmm_wait_ticks(struct vmm *vmm, uint64_t more, unsigned int timeout_ms)
{
	uint64_t target = vmm->ticks + more;
	struct timespec ts = { 0, 1000000 };

	while (vmm->ticks < target && timeout_ms--)
		nanosleep(&ts, NULL);
	return vmm->ticks >= target;
}

/* Release everything; the kvm_run mappings hold the vCPUs (and the VM). */
void vmm_destroy(struct vmm *vmm)
{
	int i, size = ioctl(vmm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);

	vmm_stop(vmm);
	for (i = 0; i < vmm->nr_vcpus; i++) {
		munmap(vmm->vcpu[i].run, size);
		close(vmm->vcpu[i].fd);
	}
	if (vmm->mem && vmm->mem != MAP_FAILED)
		munmap(vmm->mem, GUEST_MEM_SIZE);
	close(vmm->vm_fd);
	close(vmm->kvm_fd);
	vmm->nr_vcpus = 0;
}

/**
 * vmm_child() - a VMM in a child process, running @prog until killed
 * @mode: real or long mode.
 * @prog: the guest program.
 * @vm_fd_in_child: out: the VM's fd number in the child.
 * @pid: out: the child.
 *
 * Return: 0 once the guest runs, -1 if the child could not start it.
 */
int vmm_child(enum vmm_mode mode, struct guest_prog prog, int *vm_fd_in_child,
	      int *pid)
{
	int pipefd[2], fd = -1;
	struct vmm vmm;

	if (pipe(pipefd))
		return -1;
	*pid = fork();
	if (*pid == 0) {
		close(pipefd[0]);
		if (vmm_create(&vmm, mode, prog) || vmm_run_once(&vmm, 0))
			_exit(1);
		if (write(pipefd[1], &vmm.vm_fd, sizeof(int)) != sizeof(int))
			_exit(1);
		for (;;)
			vmm_run_once(&vmm, 0);
	}
	close(pipefd[1]);
	if (*pid < 0 || read(pipefd[0], &fd, sizeof(fd)) != sizeof(fd))
		fd = -1;
	close(pipefd[0]);
	*vm_fd_in_child = fd;
	return fd < 0 ? -1 : 0;
}
