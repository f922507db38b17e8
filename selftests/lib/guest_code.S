/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest programs, assembled into the test binaries and copied into guest
 * memory at GUEST_CODE_GPA by the VMM library. They use only relative
 * jumps, so they run wherever they are copied. Each program is the bytes
 * between guest_<name> and guest_<name>_end.
 *
 * Port protocol (see include/vmm.h): OUT EAX to PORT_REPORT reports a
 * value, OUT to PORT_TICK says "still running", OUT to PORT_DONE ends.
 */
#define PORT_REPORT	0xf0
#define PORT_DONE	0xf1
#define PORT_TICK	0xf3
#define PORT_INPUT	0xf4
#define NR_RDTSC	20
#define NR_RDTSCP	5
#define NR_CPUID	3
#define NR_IN		5
#define MMIO_GPA	0x10000000	/* mapped by the page tables, not RAM */
#define NR_IRQ		5
#define IRQ_VECTOR	0x20
#define IRQ_COUNT	0x500		/* real mode: interrupts handled */

	.section .rodata, "a"

/* Real mode: report 0x12345678 and 0xcafe, then done. */
	.code16
	.globl guest_real_report, guest_real_report_end
guest_real_report:
	movl	$0x12345678, %eax
	outl	%eax, $PORT_REPORT
	movl	$0xcafe, %eax
	outl	%eax, $PORT_REPORT
	outb	%al, $PORT_DONE
1:	hlt
	jmp	1b
guest_real_report_end:

/* Real mode: read the TSC and tick, forever. */
	.globl guest_real_rdtsc_spin, guest_real_rdtsc_spin_end
guest_real_rdtsc_spin:
1:	rdtsc
	outl	%eax, $PORT_TICK
	jmp	1b
guest_real_rdtsc_spin_end:

/* Real mode: 50000 x (RDTSC, OUT), then done: an exit-heavy loop. */
	.globl guest_real_rdtsc_loop, guest_real_rdtsc_loop_end
guest_real_rdtsc_loop:
	movl	$50000, %esi
1:	rdtsc
	outl	%eax, $PORT_TICK
	decl	%esi
	jnz	1b
	outb	%al, $PORT_DONE
2:	hlt
	jmp	2b
guest_real_rdtsc_loop_end:

/* Real mode: tick forever, EAX counting up. */
	.globl guest_real_spin, guest_real_spin_end
guest_real_spin:
	xorl	%eax, %eax
1:	incl	%eax
	outl	%eax, $PORT_TICK
	jmp	1b
guest_real_spin_end:

/* Long mode: report the sum 1..100 (5050) and 0xdeadbeef, then done. */
	.code64
	.globl guest_long_report, guest_long_report_end
guest_long_report:
	xorq	%rax, %rax
	movq	$100, %rcx
1:	addq	%rcx, %rax
	loop	1b
	outl	%eax, $PORT_REPORT
	movabsq	$0x1deadbeef, %rax
	outl	%eax, $PORT_REPORT
	/* Proves 64-bit registers: the high half is 1. */
	shrq	$32, %rax
	outl	%eax, $PORT_REPORT
	outb	%al, $PORT_DONE
1:	hlt
	jmp	1b
guest_long_report_end:

/*
 * Real mode: take NR_IRQ interrupts at IRQ_VECTOR while ticking; the
 * handler reports the IP each one interrupted.
 */
	.code16
	.globl guest_real_irq, guest_real_irq_end
guest_real_irq:
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, IRQ_COUNT
	call	1f
1:	popw	%ax
	addw	$(9f - 1b), %ax
	movw	%ax, IRQ_VECTOR * 4
	movw	$0, IRQ_VECTOR * 4 + 2
	sti
2:	outl	%eax, $PORT_TICK
	incl	%eax
	cmpw	$NR_IRQ, IRQ_COUNT
	jb	2b
	cli
	outb	%al, $PORT_DONE
3:	hlt
	jmp	3b
9:	pushl	%eax
	pushw	%bp
	movw	%sp, %bp
	movzwl	6(%bp), %eax
	outl	%eax, $PORT_REPORT
	incw	IRQ_COUNT
	popw	%bp
	popl	%eax
	iret
guest_real_irq_end:

/*
 * Real mode, KVM's in-kernel LAPIC (x2APIC, through MSRs): a periodic
 * LAPIC timer at IRQ_VECTOR while the guest loops until NR_IRQ
 * interrupts came, the handler reporting the IP each one interrupted and
 * writing the EOI. lapic_timer's loop executes RDTSC, which only the
 * module handles; lapic_in's an IN the VMM answers, so that interrupts
 * come as KVM_RUN starts again; lapic_spin's exits never, so the recording delivers
 * its interrupts after asynchronous exits (VMTRACE_RECF_ASYNC), at points
 * only RIP and the registers tell.
 */
#define MSR_APIC_BASE	0x1b
#define X2APIC_SVR	0x80f
#define X2APIC_EOI	0x80b
#define X2APIC_LVTT	0x832
#define X2APIC_TMICT	0x838
#define X2APIC_TDCR	0x83e
#define LAPIC_PERIOD	2000000		/* APIC bus cycles (KVM: 1 ns) */
.macro LAPIC_GUEST name, loop_insn:vararg
	.globl guest_real_\name, guest_real_\name\()_end
guest_real_\name:
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, IRQ_COUNT
	call	1f
1:	popw	%ax
	addw	$(9f - 1b), %ax
	movw	%ax, IRQ_VECTOR * 4
	movw	$0, IRQ_VECTOR * 4 + 2
	movl	$MSR_APIC_BASE, %ecx
	rdmsr
	orl	$0xc00, %eax		/* enabled, x2APIC */
	wrmsr
	xorl	%edx, %edx
	movl	$X2APIC_SVR, %ecx
	movl	$0x1ff, %eax		/* software-enabled, spurious 0xff */
	wrmsr
	movl	$X2APIC_TDCR, %ecx
	movl	$0xb, %eax		/* divide by 1 */
	wrmsr
	movl	$X2APIC_LVTT, %ecx
	movl	$(0x20000 | IRQ_VECTOR), %eax	/* periodic */
	wrmsr
	movl	$X2APIC_TMICT, %ecx
	movl	$LAPIC_PERIOD, %eax
	wrmsr
	sti
2:	\loop_insn
	cmpw	$NR_IRQ, IRQ_COUNT
	jb	2b
	cli
	movl	$X2APIC_TMICT, %ecx
	xorl	%eax, %eax
	xorl	%edx, %edx
	wrmsr
	outb	%al, $PORT_DONE
3:	hlt
	jmp	3b
9:	pushl	%eax
	pushl	%ecx
	pushl	%edx
	pushw	%bp
	movw	%sp, %bp
	movzwl	14(%bp), %eax
	outl	%eax, $PORT_REPORT
	incw	IRQ_COUNT
	movl	$X2APIC_EOI, %ecx
	xorl	%eax, %eax
	xorl	%edx, %edx
	wrmsr
	popw	%bp
	popl	%edx
	popl	%ecx
	popl	%eax
	iret
guest_real_\name\()_end:
.endm
	LAPIC_GUEST lapic_timer, rdtsc
	LAPIC_GUEST lapic_spin, nop
	LAPIC_GUEST lapic_in, inl $PORT_INPUT, %eax

/*
 * Real mode: take NR_IRQ NMIs while ticking (interrupts stay disabled:
 * NMIs ignore IF); the handler reports the IP each one interrupted.
 */
	.globl guest_real_nmi, guest_real_nmi_end
guest_real_nmi:
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, IRQ_COUNT
	call	1f
1:	popw	%ax
	addw	$(9f - 1b), %ax
	movw	%ax, 2 * 4
	movw	$0, 2 * 4 + 2
2:	outl	%eax, $PORT_TICK
	incl	%eax
	cmpw	$NR_IRQ, IRQ_COUNT
	jb	2b
	outb	%al, $PORT_DONE
3:	hlt
	jmp	3b
9:	pushl	%eax
	pushw	%bp
	movw	%sp, %bp
	movzwl	6(%bp), %eax
	outl	%eax, $PORT_REPORT
	incw	IRQ_COUNT
	popw	%bp
	popl	%eax
	iret
guest_real_nmi_end:

/*
 * Real mode: RDMSR of an MSR nobody has, 3 times: KVM injects #GP, whose
 * handler reports the faulting IP and skips the 2-byte RDMSR.
 */
	.globl guest_real_gp, guest_real_gp_end
guest_real_gp:
	xorw	%ax, %ax
	movw	%ax, %ds
	call	1f
1:	popw	%ax
	addw	$(9f - 1b), %ax
	movw	%ax, 13 * 4
	movw	$0, 13 * 4 + 2
	movw	$3, %si
2:	movl	$0x12345678, %ecx
	rdmsr
	decw	%si
	jnz	2b
	outb	%al, $PORT_DONE
3:	hlt
	jmp	3b
9:	pushw	%bp
	movw	%sp, %bp
	movzwl	2(%bp), %eax	/* real mode: no error code, IP above BP */
	outl	%eax, $PORT_REPORT
	addw	$2, 2(%bp)
	popw	%bp
	iret
guest_real_gp_end:

/*
 * Real mode: turn kvmclock on at GPA 0x3000, take an exit, and report the
 * dwords of the area KVM wrote: version, tsc_timestamp (low), system_time
 * (low).
 */
	.globl guest_real_kvmclock, guest_real_kvmclock_end
guest_real_kvmclock:
	xorw	%ax, %ax
	movw	%ax, %ds
	movl	$0x4b564d01, %ecx	/* MSR_KVM_SYSTEM_TIME_NEW */
	movl	$0x3001, %eax		/* GPA 0x3000, enabled */
	xorl	%edx, %edx
	wrmsr
	outb	%al, $PORT_TICK
	movl	0x3000, %eax
	outl	%eax, $PORT_REPORT
	movl	0x3008, %eax
	outl	%eax, $PORT_REPORT
	movl	0x3010, %eax
	outl	%eax, $PORT_REPORT
	outb	%al, $PORT_DONE
1:	hlt
	jmp	1b
guest_real_kvmclock_end:

/*
 * Real mode: ask KVM for the wall clock at GPA 0x3100 and report what it
 * wrote there: version, seconds, nanoseconds (the host's time of day).
 */
	.globl guest_real_wallclock, guest_real_wallclock_end
guest_real_wallclock:
	xorw	%ax, %ax
	movw	%ax, %ds
	movl	$0x4b564d00, %ecx	/* MSR_KVM_WALL_CLOCK_NEW */
	movl	$0x3100, %eax
	xorl	%edx, %edx
	wrmsr
	movl	0x3100, %eax
	outl	%eax, $PORT_REPORT
	movl	0x3104, %eax
	outl	%eax, $PORT_REPORT
	movl	0x3108, %eax
	outl	%eax, $PORT_REPORT
	outb	%al, $PORT_DONE
1:	hlt
	jmp	1b
guest_real_wallclock_end:

/*
 * Real mode: turn kvmclock on at GPA 0x3000, then, until its version
 * changes (at most NR_HOLD rounds): read the version, spin SPIN_HOLD
 * times without an exit, read it again, OUT to PORT_TICK. KVM updates
 * the area again 100 ms after the WRMSR, kicking the vCPU out of guest
 * mode: that update must not show between two exits. Reports how many
 * rounds saw the version change within the spin (0), and the rounds
 * left (non-zero: the update came).
 */
#define NR_HOLD		20000
#define SPIN_HOLD	100000
	.code16
	.globl guest_real_kvmclock_hold, guest_real_kvmclock_hold_end
guest_real_kvmclock_hold:
	xorw	%ax, %ax
	movw	%ax, %ds
	movl	$0x4b564d01, %ecx	/* MSR_KVM_SYSTEM_TIME_NEW */
	movl	$0x3001, %eax
	xorl	%edx, %edx
	wrmsr
	outb	%al, $PORT_TICK
	movl	0x3000, %ebp		/* the version after the WRMSR */
	xorl	%edi, %edi
	movl	$NR_HOLD, %esi
1:	movl	0x3000, %ebx
	movl	$SPIN_HOLD, %ecx
2:	decl	%ecx
	jnz	2b
	movl	0x3000, %eax
	cmpl	%eax, %ebx
	je	3f
	incl	%edi
3:	outb	%al, $PORT_TICK
	cmpl	%eax, %ebp
	jne	4f
	decl	%esi
	jnz	1b
4:	movl	%edi, %eax
	outl	%eax, $PORT_REPORT
	movl	%esi, %eax
	outl	%eax, $PORT_REPORT
	outb	%al, $PORT_DONE
5:	hlt
	jmp	5b
guest_real_kvmclock_hold_end:

	.code64
/*
 * Long mode: 3 x 4-byte MMIO reads and one 8-byte read at MMIO_GPA,
 * 2 x RDMSR of IA32_TSC; reports every value (8 bytes as two halves).
 */
	.globl guest_long_mmio_msr, guest_long_mmio_msr_end
guest_long_mmio_msr:
	movl	$MMIO_GPA, %ebx
	movl	$3, %esi
1:	movl	(%rbx), %eax
	outl	%eax, $PORT_REPORT
	decl	%esi
	jnz	1b
	movq	8(%rbx), %rax
	outl	%eax, $PORT_REPORT
	shrq	$32, %rax
	outl	%eax, $PORT_REPORT
	movl	$2, %esi
2:	movl	$0x10, %ecx
	rdmsr
	outl	%eax, $PORT_REPORT
	movl	%edx, %eax
	outl	%eax, $PORT_REPORT
	decl	%esi
	jnz	2b
	outb	%al, $PORT_DONE
3:	hlt
	jmp	3b
guest_long_mmio_msr_end:

/*
 * Long mode: RDMSR of IA32_TSC with all 64 bits of RBX in use; reports
 * the TSC (low) and the high half of RBX, which RDMSR leaves alone. (Not
 * RCX's: QEMU's emulated SVM then does not intercept the RDMSR.)
 */
	.globl guest_long_msr_regs, guest_long_msr_regs_end
guest_long_msr_regs:
	movabsq	$0x8877665544332211, %rbx
	movl	$0x10, %ecx		/* IA32_TSC */
	rdmsr
	outl	%eax, $PORT_REPORT
	movq	%rbx, %rax
	shrq	$32, %rax
	outl	%eax, $PORT_REPORT
	outb	%al, $PORT_DONE
1:	hlt
	jmp	1b
guest_long_msr_regs_end:

/*
 * Long mode: every kind of input the recording tests check. Reports, in
 * order: NR_RDTSC x (EAX, EDX) of RDTSC; NR_RDTSCP x (EAX, EDX, ECX) of
 * RDTSCP; NR_CPUID x EBX of CPUID leaf 0; NR_IN x IN from PORT_INPUT.
 */
	.globl guest_long_inputs, guest_long_inputs_end
guest_long_inputs:
	movl	$NR_RDTSC, %esi
1:	rdtsc
	outl	%eax, $PORT_REPORT
	movl	%edx, %eax
	outl	%eax, $PORT_REPORT
	decl	%esi
	jnz	1b
	movl	$NR_RDTSCP, %esi
2:	rdtscp
	outl	%eax, $PORT_REPORT
	movl	%edx, %eax
	outl	%eax, $PORT_REPORT
	movl	%ecx, %eax
	outl	%eax, $PORT_REPORT
	decl	%esi
	jnz	2b
	movl	$NR_CPUID, %esi
3:	xorl	%eax, %eax
	xorl	%ecx, %ecx
	cpuid
	movl	%ebx, %eax
	outl	%eax, $PORT_REPORT
	decl	%esi
	jnz	3b
	movl	$NR_IN, %esi
4:	inl	$PORT_INPUT, %eax
	outl	%eax, $PORT_REPORT
	decl	%esi
	jnz	4b
	outb	%al, $PORT_DONE
5:	hlt
	jmp	5b
guest_long_inputs_end:

/* Long mode: report ECX of CPUID leaf 1 and EBX, ECX of leaf 7.0. */
	.globl guest_long_cpuid, guest_long_cpuid_end
guest_long_cpuid:
	movl	$1, %eax
	xorl	%ecx, %ecx
	cpuid
	movl	%ecx, %eax
	outl	%eax, $PORT_REPORT
	movl	$7, %eax
	xorl	%ecx, %ecx
	cpuid
	movl	%ebx, %eax
	outl	%eax, $PORT_REPORT
	movl	%ecx, %eax
	outl	%eax, $PORT_REPORT
	outb	%al, $PORT_DONE
1:	hlt
	jmp	1b
guest_long_cpuid_end:

/*
 * Real mode: NR_RDPMC x RDPMC, of counters ECX = NR_RDPMC - 1 down to 0,
 * each first given RDPMC_VALUE + ECX through MSR_K7_PERFCTR0 + ECX (which
 * KVM ignores without an AMD vPMU, and never refuses), and with EAX and
 * EDX zeroed before. Reports three values per RDPMC: a tag, EAX, EDX. The
 * tag is 0 if it completed; if it raised #GP, the handler makes it
 * RDPMC_GP_TAG | the IP of the RDPMC and skips the 2-byte instruction.
 */
#define NR_RDPMC	3
#define RDPMC_GP_TAG	0x80000000
#define RDPMC_VALUE_LO	0x9abcde00	/* RDPMC_VALUE 0x12349abcde00 */
#define RDPMC_VALUE_HI	0x1234
#define MSR_K7_PERFCTR0	0xc0010004
	.code16
	.globl guest_real_rdpmc, guest_real_rdpmc_end
guest_real_rdpmc:
	xorw	%ax, %ax
	movw	%ax, %ds
	call	1f
1:	popw	%ax
	addw	$(9f - 1b), %ax
	movw	%ax, 13 * 4
	movw	$0, 13 * 4 + 2
	movw	$NR_RDPMC, %si
2:	movzwl	%si, %ebx
	decl	%ebx
	leal	MSR_K7_PERFCTR0(%ebx), %ecx
	leal	RDPMC_VALUE_LO(%ebx), %eax
	movl	$RDPMC_VALUE_HI, %edx
	wrmsr
	xorl	%edi, %edi
	xorl	%eax, %eax
	xorl	%edx, %edx
	movl	%ebx, %ecx
	rdpmc
	movl	%eax, %ebx
	movl	%edi, %eax
	outl	%eax, $PORT_REPORT
	movl	%ebx, %eax
	outl	%eax, $PORT_REPORT
	movl	%edx, %eax
	outl	%eax, $PORT_REPORT
	decw	%si
	jnz	2b
	outb	%al, $PORT_DONE
3:	hlt
	jmp	3b
9:	pushw	%bp
	movw	%sp, %bp
	movzwl	2(%bp), %edi	/* real mode: no error code, IP above BP */
	orl	$RDPMC_GP_TAG, %edi
	addw	$2, 2(%bp)
	popw	%bp
	iret
guest_real_rdpmc_end:

/*
 * Long mode: NR_DMA times, write to a page the guest never touched
 * (TOUCH_GPA + i pages), ask the VMM through PORT_DMA to write into
 * another (DMA_GPA + i pages), then report the qword the VMM wrote there
 * (low, high).
 */
#define PORT_DMA	0xf5
#define NR_DMA		4
#define DMA_GPA		0x200000
#define TOUCH_GPA	0x180000
	.code64
	.globl guest_long_dma, guest_long_dma_end
guest_long_dma:
	xorl	%esi, %esi
1:	movl	%esi, %edi
	shll	$12, %edi
	movq	$0x5a5a5a5a5a5a5a5a, %rax
	movq	%rax, TOUCH_GPA(%rdi)
	movl	%esi, %eax
	outl	%eax, $PORT_DMA
	movq	DMA_GPA(%rdi), %rax
	outl	%eax, $PORT_REPORT
	shrq	$32, %rax
	outl	%eax, $PORT_REPORT
	incl	%esi
	cmpl	$NR_DMA, %esi
	jne	1b
	outb	%al, $PORT_DONE
2:	hlt
	jmp	2b
guest_long_dma_end:

/*
 * Long mode: NR_DR times, write DR7 and DR6, report DR6, DR7 and the
 * TSC. Whether a MOV DR exits depends on KVM's state, not the guest's:
 * without guest debugging KVM stops intercepting them until the next exit.
 */
#define NR_DR		8
	.code64
	.globl guest_long_debugreg, guest_long_debugreg_end
guest_long_debugreg:
	movl	$NR_DR, %esi
1:	movq	$0x400, %rax
	movq	%rax, %dr7
	movq	$0xffff0ff0, %rax
	movq	%rax, %dr6
	movq	%dr6, %rax
	outl	%eax, $PORT_REPORT
	movq	%dr7, %rax
	outl	%eax, $PORT_REPORT
	rdtsc
	outl	%eax, $PORT_REPORT
	decl	%esi
	jnz	1b
	outb	%al, $PORT_DONE
2:	hlt
	jmp	2b
guest_long_debugreg_end:

	.section .note.GNU-stack, "", @progbits
