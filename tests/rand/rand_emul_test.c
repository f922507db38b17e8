// SPDX-License-Identifier: GPL-2.0
/*
 * tests/rand/rand_emul_test.c - unit tests of the RDRAND/RDSEED emulation
 * of VMX recording, kmod/rand_emul.c built for the host (the test VM has
 * no VMX, so this is the only place the logic runs here). Prints TAP;
 * exits 1 if any test fails.
 */
#include <stdio.h>
#include <string.h>

#include "rand_emul.h"
#include "tap.h"

static const char *const reg_names[16] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

/* Bits of the instruction information the SDM leaves undefined. */
#define INFO_UNDEFINED	(~((0xfU << 3) | (0x3U << 11)))

/* The instruction information of a destination @reg, size code @size. */
static u32 info_of(u32 reg, u32 size, u32 junk)
{
	return reg << 3 | size << 11 | (junk & INFO_UNDEFINED);
}

/* Every register, every size code, with and without undefined bits set. */
static void test_decode(void)
{
	static const u32 junk[] = { 0, INFO_UNDEFINED, 0x5a5a5a5a, 0x87 };
	static const u32 widths[3] = { 2, 4, 8 };
	struct vmtrace_rand_insn in;
	u32 reg, size, j;
	int bad;

	for (size = 0; size < 3; size++) {
		for (reg = 0; reg < 16; reg++) {
			bad = 0;
			for (j = 0; j < sizeof(junk) / sizeof(junk[0]); j++) {
				memset(&in, 0xff, sizeof(in));
				if (!vmtrace_rand_decode(info_of(reg, size, junk[j]), &in) ||
				    in.reg != reg || in.width != widths[size])
					bad++;
			}
			check(!bad, "decode: %s, %u-bit (undefined bits ignored)",
			      reg_names[reg], widths[size] * 8);
		}
	}
	bad = 0;
	for (reg = 0; reg < 16; reg++) {
		in.reg = 99;
		in.width = 99;
		if (vmtrace_rand_decode(info_of(reg, 3, 0), &in) ||
		    vmtrace_rand_decode(info_of(reg, 3, INFO_UNDEFINED), &in) ||
		    in.reg != 99 || in.width != 99)
			bad++;
	}
	check(!bad, "decode: operand size 3 is refused for every register, insn untouched");
	check(vmtrace_rand_decode(0, &in) && in.reg == 0 && in.width == 2,
	      "decode: 0 is RAX, 16-bit");
	check(vmtrace_rand_decode(0xffffefff, &in) && in.reg == 15 && in.width == 4,
	      "decode: 0xffffefff is R15, 32-bit");
	check(vmtrace_rand_decode(0x1078, &in) && in.reg == 15 && in.width == 8,
	      "decode: 0x1078 is R15, 64-bit");
}

static void test_value(void)
{
	const u64 raw = 0x8899aabbccddeeffULL;

	check(vmtrace_rand_value(raw, true, 2) == 0xeeff, "value: 16-bit keeps bits 0-15");
	check(vmtrace_rand_value(raw, true, 4) == 0xccddeeff, "value: 32-bit keeps bits 0-31");
	check(vmtrace_rand_value(raw, true, 8) == raw, "value: 64-bit keeps all");
	check(vmtrace_rand_value(raw, false, 2) == 0 &&
	      vmtrace_rand_value(raw, false, 4) == 0 &&
	      vmtrace_rand_value(raw, false, 8) == 0,
	      "value: a failed instruction returns 0 at every width");
	check(vmtrace_rand_value(0, true, 8) == 0 && vmtrace_rand_value(~0ULL, true, 2) == 0xffff,
	      "value: 0 and all-ones pass through");
}

static void test_merge(void)
{
	const u64 old = 0x0123456789abcdefULL, v = 0xfedcba9876543210ULL;

	check(vmtrace_rand_merge(old, 0x3210, 2) == 0x0123456789ab3210ULL,
	      "merge: 16-bit changes bits 0-15 only");
	check(vmtrace_rand_merge(old, v, 2) == 0x0123456789ab3210ULL,
	      "merge: 16-bit ignores value bits above 15");
	check(vmtrace_rand_merge(~0ULL, 0, 2) == 0xffffffffffff0000ULL,
	      "merge: 16-bit zero keeps the upper 48 bits set");
	check(vmtrace_rand_merge(old, 0x76543210, 4) == 0x76543210ULL,
	      "merge: 32-bit zero-extends to 64 bits");
	check(vmtrace_rand_merge(~0ULL, v, 4) == 0x76543210ULL,
	      "merge: 32-bit clears the upper half whatever was there");
	check(vmtrace_rand_merge(~0ULL, 0, 4) == 0, "merge: 32-bit zero clears the register");
	check(vmtrace_rand_merge(old, v, 8) == v, "merge: 64-bit replaces the register");
	check(vmtrace_rand_merge(~0ULL, 0, 8) == 0, "merge: 64-bit zero clears the register");
}

static void test_rflags(void)
{
	const u64 written = 0x8d5;	/* CF PF AF ZF SF OF */
	int bit, bad_ok = 0, bad_fail = 0;

	check(VMTRACE_RAND_RFLAGS == written, "rflags: the six status flags are the ones written");
	check(vmtrace_rand_rflags(0x2, true) == 0x3, "rflags: success sets CF (bit 1 kept)");
	check(vmtrace_rand_rflags(0x2, false) == 0x2, "rflags: failure leaves CF clear");
	check(vmtrace_rand_rflags(0x8d7, true) == 0x3,
	      "rflags: success clears OF SF ZF AF PF");
	check(vmtrace_rand_rflags(0x8d7, false) == 0x2,
	      "rflags: failure clears CF OF SF ZF AF PF");
	check(vmtrace_rand_rflags(~0ULL, true) == (~written | 1),
	      "rflags: success keeps every other bit (all ones)");
	check(vmtrace_rand_rflags(~0ULL, false) == ~written,
	      "rflags: failure keeps every other bit (all ones)");
	/* TF, IF, DF, IOPL, NT, RF, VM, AC, VIF, VIP, ID and the rest. */
	for (bit = 0; bit < 64; bit++) {
		u64 f = 1ULL << bit, keep = (f & written) ? 0 : f;

		if (vmtrace_rand_rflags(f, true) != (keep | 1))
			bad_ok++;
		if (vmtrace_rand_rflags(f, false) != keep)
			bad_fail++;
	}
	check(!bad_ok, "rflags: success, each of the 64 bits alone (%d wrong)", bad_ok);
	check(!bad_fail, "rflags: failure, each of the 64 bits alone (%d wrong)", bad_fail);
}

/* A register file where every register is told apart from the others. */
static void fill_regs(u64 regs[16])
{
	int i;

	for (i = 0; i < 16; i++)
		regs[i] = 0xa5a5a5a500000000ULL | (u64)(i + 1) * 0x11111111ULL;
}

/* What rec_hooks.c does with the pieces, on a plain register file. */
static void emulate(u64 regs[16], u64 *rflags, u32 info, u64 raw, bool ok)
{
	struct vmtrace_rand_insn in;

	if (!vmtrace_rand_decode(info, &in))
		return;
	regs[in.reg] = vmtrace_rand_merge(regs[in.reg],
					  vmtrace_rand_value(raw, ok, in.width),
					  in.width);
	*rflags = vmtrace_rand_rflags(*rflags, ok);
}

/* The expected destination, computed bit by bit rather than by mask. */
static u64 expected(u64 old, u64 raw, bool ok, u32 width)
{
	u64 r = width == 4 ? 0 : old;
	u32 b;

	for (b = 0; b < width * 8; b++) {
		r &= ~(1ULL << b);
		if (ok)
			r |= raw & (1ULL << b);
	}
	return r;
}

/* Every register x every width x success and failure. */
static void test_emulate(void)
{
	static const u32 widths[3] = { 2, 4, 8 };
	const u64 raw = 0x0f1e2d3c4b5a6978ULL;
	u64 regs[16], before[16], rflags;
	u32 reg, size, i;
	int ok, others;

	for (ok = 1; ok >= 0; ok--) {
		for (size = 0; size < 3; size++) {
			for (reg = 0; reg < 16; reg++) {
				fill_regs(regs);
				memcpy(before, regs, sizeof(regs));
				rflags = 0x246 | 0x800 | 0x1;	/* IF ZF PF OF CF */
				emulate(regs, &rflags, info_of(reg, size, INFO_UNDEFINED),
					raw, ok);
				others = 0;
				for (i = 0; i < 16; i++)
					if (i != reg && regs[i] != before[i])
						others++;
				check(regs[reg] == expected(before[reg], raw, ok, widths[size]) &&
				      !others &&
				      rflags == (0x202ULL | (ok ? 1 : 0)),
				      "emulate: %s %u-bit %s: %#llx, others untouched, rflags %#llx",
				      reg_names[reg], widths[size] * 8, ok ? "success" : "failure",
				      (unsigned long long)regs[reg], (unsigned long long)rflags);
			}
		}
	}
}

int main(void)
{
	test_decode();
	test_value();
	test_merge();
	test_rflags();
	test_emulate();
	return tap_done();
}
