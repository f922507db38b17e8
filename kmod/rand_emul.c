// SPDX-License-Identifier: GPL-2.0
/*
 * RDRAND and RDSEED as the guest must see them when the module executes
 * them on the host for it (rec_hooks.c): the architectural rules of the
 * Intel SDM vol. 2, "RDRAND" and "RDSEED", and the VM-exit instruction
 * information of vol. 3.
 *
 * Pure C, no kernel-only headers: tests/rand/ builds this file as is.
 */
#include <linux/types.h>

#include "rand_emul.h"

/**
 * vmtrace_rand_decode() - the operand of an RDRAND or RDSEED exit
 * @info: the VM-exit instruction information (VMCS field 0x440e).
 * @insn: out: destination register and operand size; untouched on failure.
 *
 * The undefined bits of @info are ignored.
 *
 * Context: any.
 * Return: true, or false if the operand size field is the unused value 3.
 */
bool vmtrace_rand_decode(u32 info, struct vmtrace_rand_insn *insn)
{
	u32 size = (info >> VMTRACE_RAND_INFO_SIZE_SHIFT) &
		   VMTRACE_RAND_INFO_SIZE_MASK;

	if (size == 3)
		return false;
	insn->reg = (info >> VMTRACE_RAND_INFO_REG_SHIFT) &
		    VMTRACE_RAND_INFO_REG_MASK;
	insn->width = 2U << size;
	return true;
}

/**
 * vmtrace_rand_value() - the operand value the guest receives
 * @raw: 64 bits the host's RDRAND or RDSEED returned.
 * @ok: the host's instruction succeeded (CF was 1).
 * @width: operand size in bytes: 2, 4 or 8.
 *
 * A failed instruction writes zero to its destination.
 *
 * Context: any.
 * Return: @raw cut to @width bytes, or 0 if not @ok.
 */
u64 vmtrace_rand_value(u64 raw, bool ok, u32 width)
{
	if (!ok)
		return 0;
	if (width == 2)
		return raw & 0xffffULL;
	if (width == 4)
		return raw & 0xffffffffULL;
	return raw;
}

/**
 * vmtrace_rand_merge() - the destination register after the instruction
 * @old: its 64-bit value before.
 * @value: the operand value written (vmtrace_rand_value()).
 * @width: operand size in bytes: 2, 4 or 8.
 *
 * The rules of x86-64 for a register destination: a 16-bit write changes
 * bits 0-15 only, a 32-bit write zero-extends to 64 bits, a 64-bit write
 * replaces the register.
 *
 * Context: any.
 * Return: the register's new 64-bit value.
 */
u64 vmtrace_rand_merge(u64 old, u64 value, u32 width)
{
	if (width == 2)
		return (old & ~0xffffULL) | (value & 0xffffULL);
	if (width == 4)
		return value & 0xffffffffULL;
	return value;
}

/**
 * vmtrace_rand_rflags() - RFLAGS after the instruction
 * @rflags: RFLAGS before.
 * @ok: a random value was returned.
 *
 * CF is set if @ok and cleared otherwise; OF, SF, ZF, AF and PF are
 * cleared; every other bit is kept.
 *
 * Context: any.
 * Return: the new RFLAGS.
 */
u64 vmtrace_rand_rflags(u64 rflags, bool ok)
{
	rflags &= ~VMTRACE_RAND_RFLAGS;
	if (ok)
		rflags |= VMTRACE_RFLAGS_CF;
	return rflags;
}
