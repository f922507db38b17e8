/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RDRAND and RDSEED emulated on VMX: the operand from the VM-exit
 * instruction information, the destination register's new value, RFLAGS.
 *
 * Pure C on purpose: this header and rand_emul.c use nothing but
 * <linux/types.h>, so that tests/rand/ builds them unchanged in user
 * space against a one-file shim.
 */
#ifndef _VMTRACE_RAND_EMUL_H
#define _VMTRACE_RAND_EMUL_H

#include <linux/types.h>

/*
 * VM-exit instruction information of RDRAND and RDSEED (Intel SDM vol. 3,
 * "Information for VM Exits Due to Instruction Execution"): bits 3-6 the
 * destination register, bits 11-12 the operand size (0: 16-bit, 1: 32-bit,
 * 2: 64-bit, 3: not used); every other bit is undefined.
 */
#define VMTRACE_RAND_INFO_REG_SHIFT	3
#define VMTRACE_RAND_INFO_REG_MASK	0xfU
#define VMTRACE_RAND_INFO_SIZE_SHIFT	11
#define VMTRACE_RAND_INFO_SIZE_MASK	0x3U

/* The RFLAGS bits RDRAND and RDSEED write: CF, PF, AF, ZF, SF, OF. */
#define VMTRACE_RFLAGS_CF	0x001ULL
#define VMTRACE_RFLAGS_PF	0x004ULL
#define VMTRACE_RFLAGS_AF	0x010ULL
#define VMTRACE_RFLAGS_ZF	0x040ULL
#define VMTRACE_RFLAGS_SF	0x080ULL
#define VMTRACE_RFLAGS_OF	0x800ULL
#define VMTRACE_RAND_RFLAGS	(VMTRACE_RFLAGS_CF | VMTRACE_RFLAGS_PF |	\
				 VMTRACE_RFLAGS_AF | VMTRACE_RFLAGS_ZF |	\
				 VMTRACE_RFLAGS_SF | VMTRACE_RFLAGS_OF)

/**
 * struct vmtrace_rand_insn - the operand of one RDRAND or RDSEED
 * @reg: the destination register, 0 = RAX ... 15 = R15, which is also the
 *	order of KVM's VCPU_REGS_* and of vcpu->arch.regs.
 * @width: the operand size in bytes: 2, 4 or 8.
 */
struct vmtrace_rand_insn {
	u32 reg;
	u32 width;
};

bool vmtrace_rand_decode(u32 info, struct vmtrace_rand_insn *insn);
u64 vmtrace_rand_value(u64 raw, bool ok, u32 width);
u64 vmtrace_rand_merge(u64 old, u64 value, u32 width);
u64 vmtrace_rand_rflags(u64 rflags, bool ok);

#endif /* _VMTRACE_RAND_EMUL_H */
