// SPDX-License-Identifier: GPL-2.0
/*
 * vmm_guest [--pause-at N] GUEST: run one of the recording tests' guests
 * in the selftest VMM, to be recorded by `vmtrace-ctl record` (or, with
 * --pause-at, attached to while it runs) and then replayed. Prints what
 * the guest reported, one "report N 0xVALUE" line each, and at the end
 * the state digest line `vmtrace-ctl replay` prints for the same point:
 * "digest regs=%016llx mem=%016llx" (FNV-1a 64 of struct kvm_regs and of
 * guest RAM in GPA order). A test helper: exits 1 with the reason if the
 * guest did not finish.
 *
 * --pause-at N: after the guest's N-th tick (OUT to PORT_TICK), print
 * "paused" and wait for SIGUSR1 before the next KVM_RUN.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vmtrace.h"
#include "vmm.h"

struct guest {
	const char *name;
	enum vmm_mode mode;
	struct guest_prog prog;
	int irq_every, nmi_every;
	bool supported_cpuid, split, irqchip;
};

static volatile sig_atomic_t resumed;

static void on_usr1(int sig)
{
	(void)sig;
	resumed = 1;
}

static int find_guest(const char *name, struct guest *g)
{
	const struct guest guests[] = {
		{ .name = "inputs", .mode = VMM_LONG, .prog = GUEST_PROG(long_inputs) },
		{ .name = "cpuid", .mode = VMM_LONG, .prog = GUEST_PROG(long_cpuid), .supported_cpuid = true },
		{ .name = "mmio_msr", .mode = VMM_LONG, .prog = GUEST_PROG(long_mmio_msr) },
		{ .name = "msr_regs", .mode = VMM_LONG, .prog = GUEST_PROG(long_msr_regs) },
		{ .name = "irq", .mode = VMM_REAL, .prog = GUEST_PROG(real_irq), .irq_every = 50 },
		{ .name = "lapic_timer", .mode = VMM_REAL, .prog = GUEST_PROG(real_lapic_timer),
		  .supported_cpuid = true, .irqchip = true },
		{ .name = "lapic_spin", .mode = VMM_REAL, .prog = GUEST_PROG(real_lapic_spin),
		  .supported_cpuid = true, .irqchip = true },
		{ .name = "lapic_in", .mode = VMM_REAL, .prog = GUEST_PROG(real_lapic_in),
		  .supported_cpuid = true, .irqchip = true },
		{ .name = "nmi", .mode = VMM_REAL, .prog = GUEST_PROG(real_nmi), .nmi_every = 40 },
		{ .name = "exception", .mode = VMM_REAL, .prog = GUEST_PROG(real_gp) },
		{ .name = "kvmclock", .mode = VMM_REAL, .prog = GUEST_PROG(real_kvmclock) },
		{ .name = "wallclock", .mode = VMM_REAL, .prog = GUEST_PROG(real_wallclock) },
		{ .name = "kvmclock_hold", .mode = VMM_REAL, .prog = GUEST_PROG(real_kvmclock_hold) },
		{ .name = "rdpmc", .mode = VMM_REAL, .prog = GUEST_PROG(real_rdpmc) },
		{ .name = "debugreg", .mode = VMM_LONG, .prog = GUEST_PROG(long_debugreg) },
		{ .name = "dma", .mode = VMM_LONG, .prog = GUEST_PROG(long_dma) },
		{ .name = "dma_split", .mode = VMM_LONG, .prog = GUEST_PROG(long_dma), .split = true },
		{ .name = "loop", .mode = VMM_REAL, .prog = GUEST_PROG(real_rdtsc_loop) },
	};
	size_t i;

	for (i = 0; i < sizeof(guests) / sizeof(guests[0]); i++)
		if (!strcmp(guests[i].name, name)) {
			*g = guests[i];
			return 0;
		}
	return -1;
}

static int setup(struct vmm *vmm, const struct guest *g)
{
	if ((g->irqchip ? vmm_create_irqchip : vmm_create)(vmm, g->mode, g->prog))
		return -1;
	vmm->irq_every = g->irq_every;
	vmm->irq_vector = 0x20;
	vmm->nmi_every = g->nmi_every;
	if (g->supported_cpuid && vmm_set_supported_cpuid(vmm, 0))
		return -1;
	/* The DMA target of the long_dma guest's second page starts a slot. */
	if (g->split && vmm_split_slot(vmm, VMM_DMA_GPA(1)))
		return -1;
	return 0;
}

/* Run to done; with @pause_at, stop once for SIGUSR1 after that many ticks. */
static int run(struct vmm *vmm, uint64_t pause_at)
{
	bool paused = false;

	while (!vmm->done && !vmm->exit_reason) {
		if (vmm_run_once(vmm, 0))
			return -1;
		if (pause_at && !paused && vmm->ticks >= pause_at) {
			paused = true;
			printf("paused\n");
			fflush(stdout);
			while (!resumed)
				pause();
		}
	}
	return vmm->done ? 0 : -1;
}

static int print_digest(struct vmm *vmm)
{
	struct kvm_regs regs;

	if (ioctl(vmm->vcpu[0].fd, KVM_GET_REGS, &regs))
		return -1;
	printf("digest regs=%016llx mem=%016llx\n",
	       (unsigned long long)vmtrace_fnv1a(VMTRACE_FNV1A_INIT, &regs, sizeof(regs)),
	       (unsigned long long)vmtrace_fnv1a(VMTRACE_FNV1A_INIT, vmm->mem,
						 GUEST_MEM_SIZE));
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t pause_at = 0;
	struct guest g;
	struct vmm vmm;
	int i;

	if (argc == 4 && !strcmp(argv[1], "--pause-at")) {
		pause_at = strtoull(argv[2], NULL, 0);
		argv += 2;
		argc -= 2;
	}
	if (argc != 2 || find_guest(argv[1], &g)) {
		fprintf(stderr, "usage: vmm_guest [--pause-at N] GUEST\n");
		return 2;
	}
	signal(SIGUSR1, on_usr1);
	if (setup(&vmm, &g) || run(&vmm, pause_at)) {
		fprintf(stderr, "vmm_guest %s: did not finish (exit reason %d): %s\n",
			g.name, vmm.exit_reason, strerror(errno));
		return 1;
	}
	for (i = 0; i < vmm.nr_reports; i++)
		printf("report %d 0x%x\n", i, vmm.reports[i]);
	if (print_digest(&vmm))
		return 1;
	vmm_destroy(&vmm);
	return 0;
}
