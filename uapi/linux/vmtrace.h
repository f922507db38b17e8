/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The vmtrace control ABI.
 *
 * This is the only definition of the interface between vmtrace.ko and
 * user space. The module, vmtrace-ctl, vmtraced and the selftests all
 * include this file; nobody keeps a copy.
 *
 * File descriptors:
 *   /dev/vmtrace      system fd: API version, extensions, attach
 *   session fd        returned by VMTRACE_ATTACH; the attachment lives
 *                     exactly as long as this fd (close = detach)
 *
 * Rules every struct follows: only __u32/__u64 fields, natural alignment,
 * explicit padding, a leading @size that the caller sets to sizeof(),
 * @flags whose unknown bits are rejected with EINVAL, and reserved space
 * that must be zero. Layouts are pinned with BUILD_BUG_ON in the module
 * and static_assert in user space.
 */
#ifndef _UAPI_LINUX_VMTRACE_H
#define _UAPI_LINUX_VMTRACE_H

#include <linux/const.h>
#include <linux/types.h>
#include <linux/ioctl.h>

/* Bumped on any incompatible change to this file. */
#define VMTRACE_API_VERSION	2	/* 2: replay; records 16-21 */

#define VMTRACE_DEVICE_NAME	"vmtrace"

/*
 * ioctl magic: unassigned in Documentation/userspace-api/ioctl/
 * ioctl-number.rst of 6.1 and 6.12. Numbers 0x00-0x0f are system ioctls
 * on /dev/vmtrace, 0x10-0x2f are session ioctls.
 */
#define VMTRACEIO		0xBA

/* Extensions for VMTRACE_CHECK_EXTENSION; the answer is 0 or 1. */
#define VMTRACE_CAP_ATTACH		1	/* VMTRACE_ATTACH on a KVM VM fd */
#define VMTRACE_CAP_SESSION_INFO	2	/* VMTRACE_SESSION_INFO */
#define VMTRACE_CAP_SVM			3	/* kvm_amd is loaded and hooked */
#define VMTRACE_CAP_VMX			4	/* kvm_intel is loaded and hooked */
#define VMTRACE_CAP_RECORD		5	/* VMTRACE_ATTACH_RECORD */
#define VMTRACE_CAP_REPLAY		6	/* VMTRACE_ATTACH_REPLAY */
/* VMTRACE_ATTACH_PMU: this host can count a replayed guest's branches. */
#define VMTRACE_CAP_REPLAY_PMU		7

/**
 * struct vmtrace_attach - argument of VMTRACE_ATTACH
 * @size: sizeof(struct vmtrace_attach); smaller than the first version or
 *	larger than a page is rejected, unknown trailing bytes must be zero.
 * @vm_fd: a file descriptor, in the caller, of a KVM VM ("anon_inode:kvm-vm").
 * @flags: VMTRACE_ATTACH_* bits below; unknown bits are rejected (EINVAL).
 * @session_id: out: the session's id, also the name of its debugfs
 *	directory (/sys/kernel/debug/vmtrace/<session_id>).
 * @vmm_pid: out: the pid (in the caller's namespace) of the process that
 *	created the VM, 0 if it cannot be seen from there.
 * @nr_vcpus: out: vCPUs the VM had at attach time.
 * @reserved: must be zero.
 *
 * The ioctl returns a new session fd (O_CLOEXEC) on success.
 */
struct vmtrace_attach {
	__u32 size;
	__u32 vm_fd;
	__u64 flags;
	__u64 session_id;
	__u32 vmm_pid;
	__u32 nr_vcpus;
	__u64 reserved[4];
};

/*
 * Record the VM: the session gets a chunk channel in debugfs
 * (<session_id>/chunks0) that the session fd's owner must drain.
 */
#define VMTRACE_ATTACH_RECORD		_BITULL(0)
/*
 * Take over the VM's recording session whose owner died (a recording
 * outlives its session fd until VMTRACE_RECORD_STOP or the end of the
 * VM). Returns a new fd to that session; EBUSY if it still has an owner,
 * ENOENT if the VM has no recording session. Then VMTRACE_RECORD_RESUME.
 */
#define VMTRACE_ATTACH_RESUME		_BITULL(1)
/*
 * Replay into the VM, which a replay VMM built from a recording's
 * checkpoint: the vCPUs get their inputs from VMTRACE_REPLAY_FEED instead
 * of the host, and every event is checked against the recording.
 */
#define VMTRACE_ATTACH_REPLAY		_BITULL(2)
/*
 * With VMTRACE_ATTACH_RECORD: a digest record (struct vmtrace_rec_digest)
 * at every synchronous exit instead of only where chunks close, so that a
 * replay reports the very exit where the guest's registers first differ.
 * A debugging aid: it costs a record and a guest page read per exit.
 */
#define VMTRACE_ATTACH_DIGEST_EXITS	_BITULL(3)
/*
 * With VMTRACE_ATTACH_REPLAY: the trace was recorded in PMU mode, its
 * events are placed by guest branch count (VMTRACE_RECF_BRANCHES). Each
 * vCPU counts its guest's retired conditional branches from its first
 * VMTRACE_REPLAY_FEED on, in the thread that feeds it, which must be the
 * thread that runs it. ENODEV if the host has no usable PMU, EOPNOTSUPP
 * if its CPU cannot count exactly (the kernel log says why).
 */
#define VMTRACE_ATTACH_PMU		_BITULL(4)
#define VMTRACE_ATTACH_FLAGS_ALL	(VMTRACE_ATTACH_RECORD | \
					 VMTRACE_ATTACH_RESUME | \
					 VMTRACE_ATTACH_REPLAY | \
					 VMTRACE_ATTACH_DIGEST_EXITS | \
					 VMTRACE_ATTACH_PMU)

/* Session states reported by VMTRACE_SESSION_INFO and debugfs. */
#define VMTRACE_STATE_ATTACHED	1	/* hooks active on the VM */
#define VMTRACE_STATE_DETACHED	2	/* VM gone; only the fd remains */

/**
 * struct vmtrace_session_info - argument of VMTRACE_SESSION_INFO
 * @size: sizeof(struct vmtrace_session_info), set by the caller.
 * @flags: must be 0.
 * @session_id: out: as in struct vmtrace_attach.
 * @vmm_pid: out: as in struct vmtrace_attach.
 * @state: out: VMTRACE_STATE_*.
 * @nr_vcpus: out: vCPUs the session knows (grows when the VMM adds some).
 * @pad: zero.
 * @entries: out: VM entries of the VM's vCPUs seen since attach.
 * @exits: out: VM exits seen since attach.
 * @reserved: out: zero.
 */
struct vmtrace_session_info {
	__u32 size;
	__u32 flags;
	__u64 session_id;
	__u32 vmm_pid;
	__u32 state;
	__u32 nr_vcpus;
	__u32 pad;
	__u64 entries;
	__u64 exits;
	__u64 reserved[4];
};

/*
 * Recording: records, chunks, the trace file.
 *
 * A vCPU appends records to its own buffer. A full buffer (or stop) is
 * closed as a chunk: a struct vmtrace_chunk followed by the records,
 * compressed with zstd when VMTRACE_CHUNK_ZSTD is set. Chunks leave the
 * module through a relay channel as a plain byte stream of chunks; every
 * chunk starts 8-byte aligned. All integers are little-endian.
 */

/* Record types. The lowercase name without VMTRACE_REC_ is the one tools print. */
#define VMTRACE_REC_RDTSC	1	/* struct vmtrace_rec_tsc */
#define VMTRACE_REC_RDTSCP	2	/* struct vmtrace_rec_tsc */
#define VMTRACE_REC_RDRAND	3	/* struct vmtrace_rec_rand */
#define VMTRACE_REC_RDSEED	4	/* struct vmtrace_rec_rand */
#define VMTRACE_REC_RDPMC	5	/* struct vmtrace_rec_rdpmc */
#define VMTRACE_REC_CPUID	6	/* struct vmtrace_rec_cpuid */
#define VMTRACE_REC_PIO_IN	7	/* struct vmtrace_rec_pio */
#define VMTRACE_REC_MMIO_READ	8	/* struct vmtrace_rec_mmio */
#define VMTRACE_REC_MSR_READ	9	/* struct vmtrace_rec_msr */
#define VMTRACE_REC_IRQ		10	/* struct vmtrace_rec_event */
#define VMTRACE_REC_NMI		11	/* struct vmtrace_rec_event */
#define VMTRACE_REC_EXCEPTION	12	/* struct vmtrace_rec_event */
#define VMTRACE_REC_MEM_WRITE	13	/* struct vmtrace_rec_mem */
#define VMTRACE_REC_VCPU_IN	14	/* struct vmtrace_rec_sched */
#define VMTRACE_REC_VCPU_OUT	15	/* struct vmtrace_rec_sched */
#define VMTRACE_REC_PIO_OUT	16	/* struct vmtrace_rec_pio: OUT, OUTS */
#define VMTRACE_REC_MMIO_WRITE	17	/* struct vmtrace_rec_mmio */
#define VMTRACE_REC_DIGEST	18	/* struct vmtrace_rec_digest */
#define VMTRACE_REC_CKPT_STATE	19	/* struct vmtrace_rec_ckpt_state */
#define VMTRACE_REC_CKPT_SLOT	20	/* struct vmtrace_rec_ckpt_slot */
#define VMTRACE_REC_CKPT_PAGE	21	/* struct vmtrace_rec_mem, a page */
#define VMTRACE_REC_NR		22	/* types are 1 .. VMTRACE_REC_NR - 1 */

/**
 * struct vmtrace_rec - header of every record
 * @type: VMTRACE_REC_*.
 * @size: bytes of the record, this header included; a multiple of 8.
 * @flags: type-specific VMTRACE_RECF_* bits.
 * @ordinal: the vCPU's exit ordinal: VM exits of this vCPU since the
 *	recording began. An input is consumed between exit @ordinal and
 *	exit @ordinal + 1.
 */
struct vmtrace_rec {
	__u16 type;
	__u16 size;
	__u32 flags;
	__u64 ordinal;
};

/**
 * struct vmtrace_rec_tsc - RDTSC or RDTSCP, emulated by the module
 * @hdr: type VMTRACE_REC_RDTSC or VMTRACE_REC_RDTSCP.
 * @tsc: the value the guest received in EDX:EAX.
 * @rip: guest RIP of the instruction.
 * @aux: RDTSCP: the value received in ECX (TSC_AUX); RDTSC: 0.
 * @pad: zero.
 */
struct vmtrace_rec_tsc {
	struct vmtrace_rec hdr;
	__u64 tsc;
	__u64 rip;
	__u32 aux;
	__u32 pad;
};

/**
 * struct vmtrace_rec_rand - RDRAND or RDSEED, executed by the module on the
 *	host for the guest (VMX only: SVM cannot intercept them, so they are
 *	hidden from recorded guests there)
 * @hdr: type VMTRACE_REC_RDRAND or VMTRACE_REC_RDSEED; flag
 *	VMTRACE_RECF_RAND_OK when the guest got CF = 1 (a random value),
 *	clear when it got CF = 0 (no value: @value is 0). Either way OF, SF,
 *	ZF, AF and PF were cleared.
 * @value: the operand the guest received, @width bytes zero-extended:
 *	a 16-bit destination got it in bits 0-15 (bits 16-63 kept), a 32-bit
 *	one zero-extended to 64 bits, a 64-bit one whole.
 * @rip: guest RIP of the instruction.
 * @reg: destination register number (0 = RAX ... 15 = R15).
 * @width: operand size in bytes: 2, 4 or 8.
 */
struct vmtrace_rec_rand {
	struct vmtrace_rec hdr;
	__u64 value;
	__u64 rip;
	__u32 reg;
	__u32 width;
};

/* RDRAND, RDSEED: the instruction succeeded (CF = 1). */
#define VMTRACE_RECF_RAND_OK	_BITUL(7)

/**
 * struct vmtrace_rec_rdpmc - RDPMC, as KVM answered it
 * @hdr: type VMTRACE_REC_RDPMC. Written only when the instruction
 *	completed; an RDPMC that KVM refused is the #GP exception recorded
 *	at the same point instead.
 * @value: the value received in EDX:EAX.
 * @ecx: the counter selector the guest passed in ECX.
 * @pad: zero.
 */
struct vmtrace_rec_rdpmc {
	struct vmtrace_rec hdr;
	__u64 value;
	__u32 ecx;
	__u32 pad;
};

/**
 * struct vmtrace_rec_cpuid - CPUID, as the guest saw it
 * @hdr: type VMTRACE_REC_CPUID; flag VMTRACE_RECF_MASKED when the
 *	module hid features (RDRAND/RDSEED on SVM, KVM PV features).
 * @function: EAX on input.
 * @index: ECX on input.
 * @eax: EAX on output.
 * @ebx: EBX on output.
 * @ecx: ECX on output.
 * @edx: EDX on output.
 */
struct vmtrace_rec_cpuid {
	struct vmtrace_rec hdr;
	__u32 function;
	__u32 index;
	__u32 eax;
	__u32 ebx;
	__u32 ecx;
	__u32 edx;
};

#define VMTRACE_RECF_MASKED	_BITUL(0)

/**
 * struct vmtrace_rec_pio - IN, INS: the bytes the guest read from a port;
 *	OUT, OUTS: the bytes it wrote (outputs, which replay compares)
 * @hdr: type VMTRACE_REC_PIO_IN or VMTRACE_REC_PIO_OUT; for IN, flag
 *	VMTRACE_RECF_KERNEL when a device
 *	inside KVM (PIC, PIT, ...) answered, else the VMM did.
 * @port: the port.
 * @size: bytes per access: 1, 2 or 4.
 * @count: accesses (1, or more for a string instruction).
 * @pad: zero.
 * @data: @size * @count bytes, then zeros up to a multiple of 8.
 */
struct vmtrace_rec_pio {
	struct vmtrace_rec hdr;
	__u32 port;
	__u32 size;
	__u32 count;
	__u32 pad;
	__u8 data[];
};

#define VMTRACE_RECF_KERNEL	_BITUL(1)

/**
 * struct vmtrace_rec_mmio - an MMIO read, or an MMIO write (an output)
 * @hdr: type VMTRACE_REC_MMIO_READ or VMTRACE_REC_MMIO_WRITE;
 *	VMTRACE_RECF_KERNEL as for PIO.
 * @gpa: guest physical address.
 * @len: bytes read or written, 1 to 8.
 * @pad: zero.
 * @data: the bytes, little-endian, zero-extended.
 */
struct vmtrace_rec_mmio {
	struct vmtrace_rec hdr;
	__u64 gpa;
	__u32 len;
	__u32 pad;
	__u64 data;
};

/**
 * struct vmtrace_rec_msr - an RDMSR whose value is not a function of
 *	guest state (see Documentation/recording.rst for the rule)
 * @hdr: type VMTRACE_REC_MSR_READ.
 * @index: the MSR (ECX).
 * @pad: zero.
 * @value: EDX:EAX returned.
 */
struct vmtrace_rec_msr {
	struct vmtrace_rec hdr;
	__u32 index;
	__u32 pad;
	__u64 value;
};

/**
 * struct vmtrace_rec_event - an interrupt, NMI or exception injected
 * @hdr: type VMTRACE_REC_IRQ, VMTRACE_REC_NMI or VMTRACE_REC_EXCEPTION;
 *	flags VMTRACE_RECF_SOFT, VMTRACE_RECF_ERROR_CODE,
 *	VMTRACE_RECF_REINJECTED, VMTRACE_RECF_BRANCHES, VMTRACE_RECF_ASYNC,
 *	VMTRACE_RECF_EXTINT.
 * @vector: the vector.
 * @error_code: the error code pushed, if VMTRACE_RECF_ERROR_CODE.
 * @rip: guest RIP at the injection point.
 * @rcx: guest RCX there (tells apart iterations of a REP string op).
 * @rflags: guest RFLAGS there.
 * @branches: guest retired branches, if VMTRACE_RECF_BRANCHES (PMU mode).
 * @regs_digest: FNV-1a 64 of the 16 general-purpose registers (RAX to R15,
 *	8 bytes each, in that order) at the injection point.
 */
struct vmtrace_rec_event {
	struct vmtrace_rec hdr;
	__u32 vector;
	__u32 error_code;
	__u64 rip;
	__u64 rcx;
	__u64 rflags;
	__u64 branches;
	__u64 regs_digest;
};

#define VMTRACE_RECF_SOFT	_BITUL(2)
#define VMTRACE_RECF_ERROR_CODE	_BITUL(3)
#define VMTRACE_RECF_REINJECTED	_BITUL(4)
#define VMTRACE_RECF_BRANCHES	_BITUL(5)
/*
 * Exit-ordinal mode, guest spinning without exits: delivered after an
 * asynchronous exit, at a point replay finds by RIP and registers.
 */
#define VMTRACE_RECF_ASYNC	_BITUL(6)
/*
 * An interrupt the VMM's own PIC queued with KVM_INTERRUPT (ExtINT, with
 * a split irqchip): replay queues it the same way.
 */
#define VMTRACE_RECF_EXTINT	_BITUL(11)

/**
 * struct vmtrace_rec_mem - bytes the host wrote into guest RAM
 * @hdr: type VMTRACE_REC_MEM_WRITE; flag VMTRACE_RECF_VMM when the write
 *	was found in the VMM's page tables (see below), else KVM wrote it:
 *	flag VMTRACE_RECF_IN_EXIT for the wall clock, none for the kvmclock
 *	area.
 * @gpa: guest physical address of the first byte.
 * @len: bytes.
 * @pad: zero.
 * @data: @len bytes, then zeros up to a multiple of 8.
 *
 * The guest sees these bytes from the record's point on: for KVM's writes
 * the next VM entry, for VMTRACE_RECF_VMM ones the KVM_RUN that the
 * preceding VMTRACE_REC_VCPU_IN starts. A kvmclock update KVM makes after
 * an asynchronous exit is held back until the entry after the next
 * synchronous exit, so that each is seen at an exit ordinal.
 */
struct vmtrace_rec_mem {
	struct vmtrace_rec hdr;
	__u64 gpa;
	__u32 len;
	__u32 pad;
	__u8 data[];
};

/*
 * A page of guest RAM the host wrote through the VMM's mapping while the
 * vCPU was outside KVM_RUN (device emulation, DMA): @len is a page, and
 * the record follows the VMTRACE_REC_VCPU_IN of the KVM_RUN that found it.
 */
#define VMTRACE_RECF_VMM	_BITUL(8)

/*
 * Bytes KVM wrote while it handled the exit at the record's ordinal (the
 * wall clock a WRMSR asks for): replay writes them once KVM has handled
 * that exit, before the next entry.
 */
#define VMTRACE_RECF_IN_EXIT	_BITUL(13)

/**
 * struct vmtrace_rec_sched - the vCPU thread entered or left KVM_RUN
 * @hdr: type VMTRACE_REC_VCPU_IN (KVM_RUN starts) or VMTRACE_REC_VCPU_OUT
 *	(KVM_RUN returns to the VMM).
 * @seq: global marker: VCPU_IN and VCPU_OUT records of all vCPUs of the
 *	session are numbered 0, 1, 2, ... in the order they happened.
 * @cpu: the host CPU the thread ran on.
 * @exit_reason: VCPU_OUT: kvm_run.exit_reason (KVM_EXIT_*), KVM_EXIT_INTR
 *	whenever KVM_RUN returned -EINTR; VCPU_IN: 0.
 */
struct vmtrace_rec_sched {
	struct vmtrace_rec hdr;
	__u64 seq;
	__u32 cpu;
	__u32 exit_reason;
};

/**
 * struct vmtrace_rec_digest - what the guest's state was at a point
 * @hdr: type VMTRACE_REC_DIGEST; flag VMTRACE_RECF_AT_EXIT: taken at exit
 *	@hdr.ordinal, before KVM handled it (when a chunk closes), else when
 *	KVM_RUN returned to the VMM (just before its VMTRACE_REC_VCPU_OUT).
 * @rip: guest RIP.
 * @rflags: guest RFLAGS.
 * @regs: FNV-1a 64 of RAX..R15, as in struct vmtrace_rec_event.
 * @mem_gpa: the guest page sampled: page (@hdr.ordinal * 2654435761) mod
 *	the pages of all memslots of address space 0, in GPA order.
 * @mem: FNV-1a 64 of that page taken as 512 little-endian 64-bit words
 *	(h = (h ^ word) * prime), 0 if the VM has no RAM.
 *
 * Replay computes the same at the same point; any difference is a
 * divergence.
 */
struct vmtrace_rec_digest {
	struct vmtrace_rec hdr;
	__u64 rip;
	__u64 rflags;
	__u64 regs;
	__u64 mem_gpa;
	__u64 mem;
};

#define VMTRACE_RECF_AT_EXIT	_BITUL(9)

/*
 * The checkpoint: the state a recording starts from, taken when the first
 * vCPU enters KVM_RUN after recording starts (the first instruction for
 * `vmtrace-ctl record`). It fills chunks of type VMTRACE_CHUNK_CHECKPOINT
 * that come before any other chunk of that vCPU: the VM's state (flag
 * VMTRACE_RECF_CKPT_VM, in the chunks of the vCPU that took it), each
 * memslot and its pages, then every vCPU's state, each taken by its own
 * thread at its first KVM_RUN. Records of a checkpoint have the exit
 * ordinal of the recording at that point.
 */

/* What a VMTRACE_REC_CKPT_STATE holds: what KVM's matching KVM_GET_* returns. */
#define VMTRACE_CKPT_REGS	1	/* struct kvm_regs */
#define VMTRACE_CKPT_SREGS	2	/* struct kvm_sregs */
#define VMTRACE_CKPT_XSAVE	3	/* struct kvm_xsave */
#define VMTRACE_CKPT_XCRS	4	/* struct kvm_xcrs */
#define VMTRACE_CKPT_MSRS	5	/* struct kvm_msrs and its entries */
#define VMTRACE_CKPT_DEBUGREGS	6	/* struct kvm_debugregs */
#define VMTRACE_CKPT_EVENTS	7	/* struct kvm_vcpu_events */
#define VMTRACE_CKPT_LAPIC	8	/* struct kvm_lapic_state */
#define VMTRACE_CKPT_MP_STATE	9	/* struct kvm_mp_state */
#define VMTRACE_CKPT_CPUID	10	/* struct kvm_cpuid2 and its entries */
#define VMTRACE_CKPT_TSC_KHZ	11	/* __u64: KVM_GET_TSC_KHZ */
#define VMTRACE_CKPT_IRQCHIP	12	/* struct kvm_irqchip, one per chip_id */
#define VMTRACE_CKPT_PIT2	13	/* struct kvm_pit_state2 */
#define VMTRACE_CKPT_CLOCK	14	/* struct kvm_clock_data */
/* __u64: KVM_CAP_SPLIT_IRQCHIP's IOAPIC pins, if the VM has a split irqchip */
#define VMTRACE_CKPT_SPLIT_IRQCHIP 15
#define VMTRACE_CKPT_NR		16

/* A checkpoint record of the VM, not of the vCPU whose chunk holds it. */
#define VMTRACE_RECF_CKPT_VM	_BITUL(10)

/**
 * struct vmtrace_rec_ckpt_state - a piece of vCPU or VM state
 * @hdr: type VMTRACE_REC_CKPT_STATE; VMTRACE_RECF_CKPT_VM for VM state
 *	(IRQCHIP, PIT2, CLOCK).
 * @what: VMTRACE_CKPT_*.
 * @len: bytes of @data.
 * @data: the structure named by @what, as KVM returned it, then zeros up
 *	to a multiple of 8.
 */
struct vmtrace_rec_ckpt_state {
	struct vmtrace_rec hdr;
	__u32 what;
	__u32 len;
	__u8 data[];
};

/**
 * struct vmtrace_rec_ckpt_slot - a memslot of the VM
 * @hdr: type VMTRACE_REC_CKPT_SLOT, flag VMTRACE_RECF_CKPT_VM.
 * @slot: as kvm_userspace_memory_region.slot (address space 0 only).
 * @flags: its KVM_MEM_* flags.
 * @gpa: guest physical address of its first byte.
 * @size: bytes.
 * @pages: VMTRACE_REC_CKPT_PAGE records that follow for it: its pages that
 *	are not all zero. The others are zero. 0 for an alias.
 * @alias_of: with VMTRACE_RECF_CKPT_ALIAS, the slot whose memory this one
 *	shares: the VMM maps one buffer at two guest addresses (QEMU does so
 *	with its firmware) and a write through either shows in both. That
 *	slot is not an alias itself and comes before; else 0.
 * @pad: zero.
 * @alias_offset: with VMTRACE_RECF_CKPT_ALIAS, where in @alias_of's memory
 *	this slot's first byte is; else 0.
 */
struct vmtrace_rec_ckpt_slot {
	struct vmtrace_rec hdr;
	__u32 slot;
	__u32 flags;
	__u64 gpa;
	__u64 size;
	__u64 pages;
	__u32 alias_of;
	__u32 pad;
	__u64 alias_offset;
};

/* A VMTRACE_REC_CKPT_SLOT that shares another slot's memory. */
#define VMTRACE_RECF_CKPT_ALIAS	_BITUL(12)

#define VMTRACE_CHUNK_MAGIC	0x4b435456	/* "VTCK" */
/*
 * 2: VCPU_IN/VCPU_OUT markers and the VMM's writes (VMTRACE_RECF_VMM).
 * 3: outputs (PIO_OUT, MMIO_WRITE), digests, the checkpoint.
 * 4: kvmclock updates at exit ordinals; the wall clock (VMTRACE_RECF_IN_EXIT);
 *    debug register accesses are not synchronous exits.
 */
#define VMTRACE_CHUNK_VERSION	4

/* Chunk types. */
#define VMTRACE_CHUNK_RECORDS	1	/* records of one vCPU */
#define VMTRACE_CHUNK_END	2	/* the vCPU's last chunk: no records */
#define VMTRACE_CHUNK_CHECKPOINT 3	/* checkpoint records of one vCPU */

/* Chunk flags. */
#define VMTRACE_CHUNK_ZSTD	_BITUL(0)	/* payload is one zstd frame */

/**
 * struct vmtrace_chunk - header of a chunk
 * @magic: VMTRACE_CHUNK_MAGIC.
 * @version: VMTRACE_CHUNK_VERSION.
 * @type: VMTRACE_CHUNK_*.
 * @size: bytes of the chunk: this header and the payload, a multiple of 8.
 * @vcpu: index of the vCPU (kvm_vcpu.vcpu_idx) whose records these are.
 * @seq: global marker: chunks of one session, all vCPUs, are numbered
 *	0, 1, 2, ... in the order they were closed.
 * @first_ordinal: exit ordinal of the first record (END: of the last exit).
 * @last_ordinal: exit ordinal of the last record.
 * @nr_records: records in the payload.
 * @flags: VMTRACE_CHUNK_ZSTD.
 * @raw_size: bytes of the records before compression.
 * @payload_size: bytes of payload after this header, padding excluded.
 * @crc32c: CRC32C (Castagnoli) of this header with @crc32c zero, then of
 *	the @payload_size payload bytes.
 * @reserved: zero.
 */
struct vmtrace_chunk {
	__u32 magic;
	__u16 version;
	__u16 type;
	__u32 size;
	__u32 vcpu;
	__u64 seq;
	__u64 first_ordinal;
	__u64 last_ordinal;
	__u32 nr_records;
	__u32 flags;
	__u32 raw_size;
	__u32 payload_size;
	__u32 crc32c;
	__u32 reserved;
};

/* Recording modes, for struct vmtrace_record_info and the trace header. */
#define VMTRACE_MODE_EXIT_ORDINAL	1	/* no PMU: events at exits */
#define VMTRACE_MODE_PMU		2	/* branch counter */

/**
 * struct vmtrace_record_info - argument of VMTRACE_RECORD_INFO
 * @size: sizeof(struct vmtrace_record_info), set by the caller.
 * @flags: must be 0.
 * @mode: out: VMTRACE_MODE_*.
 * @vcpus_ended: out: vCPUs whose END chunk was written.
 * @records: out: records appended, per type (index = VMTRACE_REC_*).
 * @chunks: out: chunks written to the channel.
 * @bytes: out: bytes written to the channel.
 * @bytes_raw: out: bytes of records before compression.
 * @waits: out: times a vCPU waited for a free buffer (backpressure).
 * @overflows: out: vCPUs whose buffer overflowed; non-zero means the
 *	recording is incomplete and must be treated as failed.
 * @checkpoints: out: vCPUs whose state is in the checkpoint.
 * @checkpoint_error: out: 0, or the negative errno of the first
 *	checkpoint that failed: the recording cannot be replayed.
 * @reserved: out: zero.
 */
struct vmtrace_record_info {
	__u32 size;
	__u32 flags;
	__u32 mode;
	__u32 vcpus_ended;
	__u64 records[VMTRACE_REC_NR];
	__u64 chunks;
	__u64 bytes;
	__u64 bytes_raw;
	__u64 waits;
	__u64 overflows;
	__u32 checkpoints;
	__s32 checkpoint_error;
	__u64 reserved[2];
};

/**
 * struct vmtrace_cpuid_entry - one entry of the guest's CPUID view
 * @function: leaf.
 * @index: subleaf.
 * @flags: KVM_CPUID_FLAG_* of the entry.
 * @eax: EAX.
 * @ebx: EBX.
 * @ecx: ECX.
 * @edx: EDX.
 * @pad: zero.
 */
struct vmtrace_cpuid_entry {
	__u32 function;
	__u32 index;
	__u32 flags;
	__u32 eax;
	__u32 ebx;
	__u32 ecx;
	__u32 edx;
	__u32 pad;
};

/**
 * struct vmtrace_cpuid - argument of VMTRACE_GET_CPUID
 * @size: sizeof(struct vmtrace_cpuid), set by the caller.
 * @vcpu: in: the vCPU index.
 * @nr: in: room in @entries; out: entries the vCPU has (E2BIG if more
 *	than the room).
 * @pad: zero.
 * @entries: user pointer to @nr struct vmtrace_cpuid_entry.
 */
struct vmtrace_cpuid {
	__u32 size;
	__u32 vcpu;
	__u32 nr;
	__u32 pad;
	__u64 entries;
};

/*
 * The trace file: a struct vmtrace_file_header, then sections, each a
 * struct vmtrace_section and @size payload bytes padded to a multiple of 8.
 */
#define VMTRACE_FILE_MAGIC	"VMTRACE\0"	/* 8 bytes */
/*
 * 2: chunks of version 2; a version 1 trace lacks the VMM's RAM writes.
 * 3: chunks of version 3, CHECKPOINT sections.
 * 4: chunks of version 4.
 */
#define VMTRACE_FILE_VERSION	4

/**
 * struct vmtrace_file_header - start of a trace file
 * @magic: VMTRACE_FILE_MAGIC.
 * @version: VMTRACE_FILE_VERSION; readers refuse other versions.
 * @flags: zero.
 * @reserved: zero.
 */
struct vmtrace_file_header {
	char magic[8];
	__u32 version;
	__u32 flags;
	__u64 reserved[2];
};

/*
 * Section ids, in file order: INFO, CPUID, then CHECKPOINT and CHUNK
 * sections in chunk order (a vCPU's CHECKPOINT sections come before its
 * CHUNK sections), END.
 */
#define VMTRACE_SECTION_INFO	1	/* "key=value\n" text */
#define VMTRACE_SECTION_CPUID	2	/* struct vmtrace_cpuid_entry[] of vCPU 0 */
#define VMTRACE_SECTION_CHUNK	3	/* one struct vmtrace_chunk + payload */
#define VMTRACE_SECTION_END	4	/* struct vmtrace_file_end */
#define VMTRACE_SECTION_CHECKPOINT 5	/* one CHECKPOINT chunk + payload */

/**
 * struct vmtrace_section - header of a section of the trace file
 * @id: VMTRACE_SECTION_*.
 * @flags: zero.
 * @size: payload bytes after this header, padding excluded.
 */
struct vmtrace_section {
	__u32 id;
	__u32 flags;
	__u64 size;
};

/**
 * struct vmtrace_file_end - payload of the END section: totals
 * @chunks: RECORDS and END chunks in the file.
 * @records: records in the file, per type.
 * @bytes: bytes of chunks (headers and payloads) in the file.
 * @bytes_raw: bytes of records before compression.
 * @waits: backpressure waits the module reported.
 * @duration_ns: nanoseconds from the start of the recording (attach) to
 *	its end, as the daemon measured them (CLOCK_MONOTONIC); 0 if unknown.
 * @reserved: zero.
 */
struct vmtrace_file_end {
	__u64 chunks;
	__u64 records[VMTRACE_REC_NR];
	__u64 bytes;
	__u64 bytes_raw;
	__u64 waits;
	__u64 duration_ns;
	__u64 reserved[3];
};

/* System ioctls, on /dev/vmtrace. */
#define VMTRACE_GET_API_VERSION	_IO(VMTRACEIO, 0x00)
#define VMTRACE_CHECK_EXTENSION	_IO(VMTRACEIO, 0x01)
#define VMTRACE_ATTACH		_IOWR(VMTRACEIO, 0x02, struct vmtrace_attach)

/* Session ioctls, on the fd VMTRACE_ATTACH returned. */
#define VMTRACE_SESSION_INFO	_IOWR(VMTRACEIO, 0x10, struct vmtrace_session_info)
/*
 * Record sessions: end the recording; every vCPU's END chunk follows. The
 * session then lives only as long as its fds.
 */
#define VMTRACE_RECORD_STOP	_IO(VMTRACEIO, 0x11)
#define VMTRACE_RECORD_INFO	_IOWR(VMTRACEIO, 0x12, struct vmtrace_record_info)
#define VMTRACE_GET_CPUID	_IOWR(VMTRACEIO, 0x13, struct vmtrace_cpuid)
/*
 * After VMTRACE_ATTACH_RESUME: the caller has every chunk before seq
 * *arg (a __u64). The channel is emptied and the module writes again every
 * chunk from *arg on, then continues. ENODATA if it no longer holds chunk
 * *arg; open chunks0 only after this returns.
 */
#define VMTRACE_RECORD_RESUME	_IOW(VMTRACEIO, 0x14, __u64)

/*
 * Replay sessions (VMTRACE_ATTACH_REPLAY).
 *
 * Before each KVM_RUN the replay VMM gives the vCPU the records that the
 * recording has for that KVM_RUN: those between its VMTRACE_REC_VCPU_IN
 * and VMTRACE_REC_VCPU_OUT, except the VMM's writes into guest RAM (the
 * replay VMM makes them itself) and the markers. The module answers the
 * vCPU's RDTSC, RDTSCP, RDRAND, RDSEED, RDPMC, CPUID, RDMSR and kvmclock
 * from them and checks every other record against what happens. KVM_RUN
 * returns at the first mismatch (a divergence, which
 * VMTRACE_REPLAY_STATUS describes) or after exit @stop_ordinal.
 */

/* No exit ordinal to stop at. */
#define VMTRACE_REPLAY_NO_STOP	(~0ULL)
/* Bytes of records one VMTRACE_REPLAY_FEED takes at most. */
#define VMTRACE_REPLAY_MAX	(4U << 20)

/**
 * struct vmtrace_replay_feed - argument of VMTRACE_REPLAY_FEED
 * @size: sizeof(struct vmtrace_replay_feed), set by the caller.
 * @vcpu: the vCPU index.
 * @flags: VMTRACE_FEED_* bits below; unknown bits are rejected (EINVAL).
 * @records: user pointer to the records, laid out as in a chunk.
 * @nr_bytes: bytes at @records, at most VMTRACE_REPLAY_MAX.
 * @nr_records: records at @records.
 * @ordinal: the recording's exit ordinal of the vCPU at this KVM_RUN's
 *	start; the vCPU counts on from there.
 * @stop_ordinal: return from KVM_RUN after handling exit @stop_ordinal,
 *	or VMTRACE_REPLAY_NO_STOP.
 * @reserved: zero.
 *
 * The records replace any the vCPU had: what it had not consumed is lost.
 */
struct vmtrace_replay_feed {
	__u32 size;
	__u32 vcpu;
	__u64 flags;
	__u64 records;
	__u32 nr_bytes;
	__u32 nr_records;
	__u64 ordinal;
	__u64 stop_ordinal;
	__u64 reserved[4];
};

/*
 * struct vmtrace_replay_feed.flags, for an event the recording delivered
 * after an asynchronous exit (VMTRACE_RECF_ASYNC). Without them, KVM_RUN
 * returns (KVM_EXIT_INTR, VMTRACE_PENDING_POINT in the status) once the
 * exit that event follows is handled, for the VMM to find the point where
 * it was delivered: its RIP, RCX and register digest. With
 * VMTRACE_FEED_SEEK the vCPU runs on without returning for it, the event
 * held back, while the VMM steps towards the point; with
 * VMTRACE_FEED_AT_POINT the vCPU is there and the next entry delivers it.
 */
#define VMTRACE_FEED_SEEK	_BITULL(0)
#define VMTRACE_FEED_AT_POINT	_BITULL(1)
/*
 * PMU mode (VMTRACE_ATTACH_PMU): an interrupt or NMI placed by branch
 * count is due where the count, RIP and registers are the recorded ones.
 * If the count is lower, KVM_RUN returns (VMTRACE_PENDING_POINT) as for
 * an asynchronous event. With VMTRACE_FEED_BRANCHES (a PMU-mode VMM sets
 * it in every feed) the vCPU instead runs on with the counter's overflow
 * programmed a skid before the count, and KVM_RUN returns
 * (VMTRACE_PENDING_POINT) only once the guest is within that skid; the
 * VMM goes on with VMTRACE_FEED_SEEK, a breakpoint on the RIP and
 * status.branches, then VMTRACE_FEED_AT_POINT. A count past the recorded
 * one is a divergence (VMTRACE_FIELD_BRANCHES).
 */
#define VMTRACE_FEED_BRANCHES	_BITULL(2)
#define VMTRACE_FEED_FLAGS_ALL	(VMTRACE_FEED_SEEK | VMTRACE_FEED_AT_POINT | \
				 VMTRACE_FEED_BRANCHES)

/* Why replay stopped: struct vmtrace_replay_status.diverged. */
#define VMTRACE_DIVERGE_NONE	0
#define VMTRACE_DIVERGE_EVENT	1	/* another event than the record */
#define VMTRACE_DIVERGE_VALUE	2	/* the same event, other values */
#define VMTRACE_DIVERGE_EXTRA	3	/* an event the recording lacks */
#define VMTRACE_DIVERGE_UNSUPPORTED 4	/* a record replay cannot follow */

/**
 * struct vmtrace_replay_status - argument of VMTRACE_REPLAY_STATUS
 * @size: sizeof(struct vmtrace_replay_status), set by the caller.
 * @vcpu: in: the vCPU index.
 * @flags: must be 0.
 * @ordinal: out: the vCPU's exit ordinal.
 * @consumed: out: records of the last feed consumed.
 * @diverged: out: VMTRACE_DIVERGE_*; sticky until the session ends.
 * @expected_type: out: type of the record expected (0: none was left).
 * @seen_type: out: type of the event that happened (a VMTRACE_REC_*).
 * @rip: out: guest RIP at the mismatch.
 * @expected: out: the value expected: RDTSC's TSC, an output's data, a
 *	digest's register hash, CPUID's leaf, an event's vector ...
 * @seen: out: the value seen instead.
 * @detail: out: the port, GPA, MSR or CPUID leaf concerned, if any.
 * @field: out: which value differs: VMTRACE_FIELD_*.
 * @pending: out: VMTRACE_PENDING_POINT when KVM_RUN returned for the VMM
 *	to find the point of the next event (see VMTRACE_FEED_SEEK), else 0.
 * @branches: out: with VMTRACE_ATTACH_PMU, the guest's retired
 *	conditional branches since the vCPU's first feed; else 0.
 * @reserved: zero.
 */
struct vmtrace_replay_status {
	__u32 size;
	__u32 vcpu;
	__u64 flags;
	__u64 ordinal;
	__u32 consumed;
	__u32 diverged;
	__u32 expected_type;
	__u32 seen_type;
	__u64 rip;
	__u64 expected;
	__u64 seen;
	__u64 detail;
	__u32 field;
	__u32 pending;
	__u64 branches;
	__u64 reserved[3];
};

#define VMTRACE_PENDING_POINT	1

/* struct vmtrace_replay_status.field */
#define VMTRACE_FIELD_TYPE	0	/* the kind of event (or its ordinal) */
#define VMTRACE_FIELD_ORDINAL	1
#define VMTRACE_FIELD_RIP	2
#define VMTRACE_FIELD_DATA	3	/* an output's bytes, a value */
#define VMTRACE_FIELD_WHERE	4	/* port, GPA, MSR, CPUID leaf */
#define VMTRACE_FIELD_REGS	5	/* a digest's register hash */
#define VMTRACE_FIELD_RFLAGS	6
#define VMTRACE_FIELD_MEM	7	/* a digest's memory hash */
#define VMTRACE_FIELD_VECTOR	8
#define VMTRACE_FIELD_BRANCHES	9	/* PMU mode: the guest's branch count */

#define VMTRACE_REPLAY_FEED	_IOW(VMTRACEIO, 0x20, struct vmtrace_replay_feed)
#define VMTRACE_REPLAY_STATUS	_IOWR(VMTRACEIO, 0x21, struct vmtrace_replay_status)

#endif /* _UAPI_LINUX_VMTRACE_H */
