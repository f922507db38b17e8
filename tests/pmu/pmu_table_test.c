// SPDX-License-Identifier: GPL-2.0
/*
 * tests/pmu/pmu_table_test.c - unit tests of precise mode's counter
 * selection, kmod/pmu_table.c built for the host (the test VM has no PMU).
 * Prints TAP; exits 1 if any test fails.
 */
#include <stdio.h>
#include <string.h>

#include "pmu_table.h"
#include "tap.h"

#define INTEL	VMTRACE_PMU_VENDOR_INTEL
#define AMD	VMTRACE_PMU_VENDOR_AMD

/* A real part: CPUID.1:EAX (stepping included) and what it must select. */
struct part {
	enum vmtrace_pmu_vendor vendor;
	u32 eax;
	const char *what;
	const char *name;
	u64 config;
	u32 skid;
	u32 flags;
};

#define ZEN_FLAGS	(VMTRACE_PMU_SKID_UNBOUNDED | VMTRACE_PMU_ZEN_SPECLOCKMAP)

static const struct part parts[] = {
	{ INTEL, 0x000106a5, "Xeon 5500", "Intel Nehalem", 0x5101c4, 100, 0 },
	{ INTEL, 0x000206a7, "Core i7-2600", "Intel Sandy Bridge", 0x5101c4, 100, 0 },
	{ INTEL, 0x000306c3, "Core i7-4770", "Intel Haswell", 0x5101c4, 100, 0 },
	{ INTEL, 0x000506e3, "Core i7-6700 (06_5E)", "Intel Skylake", 0x5101c4, 100, 0 },
	{ INTEL, 0x00050654, "Xeon Skylake-SP (06_55)", "Intel Skylake", 0x5101c4, 100, 0 },
	{ INTEL, 0x000906ea, "Core i7-8700 (06_9E)", "Intel Kaby Lake", 0x5101c4, 100, 0 },
	{ INTEL, 0x000a0655, "Core i9-10900K", "Intel Comet Lake", 0x5101c4, 100, 0 },
	{ INTEL, 0x000706e5, "Core i7-1065G7 (06_7E)", "Intel Ice Lake", 0x5111c4, 100, 0 },
	{ INTEL, 0x000606a6, "Xeon Ice Lake-SP (06_6A)", "Intel Ice Lake", 0x5111c4, 100, 0 },
	{ INTEL, 0x000806c1, "Core i7-1165G7", "Intel Tiger Lake", 0x5111c4, 100, 0 },
	{ INTEL, 0x000a0671, "Core i9-11900K", "Intel Rocket Lake", 0x5111c4, 100, 0 },
	{ INTEL, 0x00090672, "Core i9-12900K (06_97)", "Intel Alder Lake", 0x5111c4, 125,
	  VMTRACE_PMU_HYBRID },
	{ INTEL, 0x000906a3, "Core i7-1260P (06_9A)", "Intel Alder Lake", 0x5111c4, 125,
	  VMTRACE_PMU_HYBRID },
	{ INTEL, 0x000b0671, "Core i9-13900K (06_B7)", "Intel Raptor Lake", 0x5111c4, 125,
	  VMTRACE_PMU_HYBRID },
	{ INTEL, 0x000806f8, "Xeon Sapphire Rapids", "Intel Sapphire Rapids", 0x5111c4, 125, 0 },
	{ INTEL, 0x000c06f2, "Xeon Emerald Rapids", "Intel Emerald Rapids", 0x5111c4, 125, 0 },
	{ INTEL, 0x000a06a4, "Core Ultra 7 155H", "Intel Meteor Lake", 0x5111c4, 125,
	  VMTRACE_PMU_HYBRID },
	{ INTEL, 0x000c0662, "Core Ultra 9 285K", "Intel Arrow Lake", 0x100005111c4ULL, 125,
	  VMTRACE_PMU_HYBRID | VMTRACE_PMU_UMASK2 },
	{ INTEL, 0x00030678, "Atom E3800 (06_37)", "Intel Silvermont", 0x517ec4, 100, 0 },
	{ INTEL, 0x000506c9, "Atom C3000 (06_5C)", "Intel Goldmont", 0x517ec4, 100, 0 },
	{ INTEL, 0x000706a8, "Pentium Silver J5005 (06_7A)", "Intel Goldmont", 0x517ec4, 100, 0 },
	{ INTEL, 0x000906c0, "Jasper Lake (06_9C)", "Intel Tremont", 0x517ec4, 100, 0 },
	{ INTEL, 0x000b06e0, "N100 (06_BE)", "Intel Gracemont", 0x517ec4, 100, 0 },
	{ INTEL, 0x0001067a, "Core 2 Q9650", "Intel Penryn", 0, 100, VMTRACE_PMU_UNSUPPORTED },
	{ AMD, 0x00800f11, "EPYC 7601 (17_01)", "AMD Zen", 0x5100d1, 10000, ZEN_FLAGS },
	{ AMD, 0x00800f82, "Ryzen 7 2700X (17_08)", "AMD Zen", 0x5100d1, 10000, ZEN_FLAGS },
	{ AMD, 0x00810f81, "Ryzen 5 3400G (17_18)", "AMD Zen", 0x5100d1, 10000, ZEN_FLAGS },
	{ AMD, 0x00830f10, "EPYC 7742 (17_31)", "AMD Zen 2", 0x5100d1, 10000, ZEN_FLAGS },
	{ AMD, 0x00870f10, "Ryzen 9 3900X (17_71)", "AMD Zen 2", 0x5100d1, 10000, ZEN_FLAGS },
	{ AMD, 0x00860f01, "Ryzen 7 4800U (17_60)", "AMD Zen 2", 0x5100d1, 10000, ZEN_FLAGS },
	{ AMD, 0x00a00f11, "EPYC 7763 (19_01)", "AMD Zen 3", 0x5100d1, 10000, ZEN_FLAGS },
	{ AMD, 0x00a20f10, "Ryzen 9 5950X (19_21)", "AMD Zen 3", 0x5100d1, 10000, ZEN_FLAGS },
	{ AMD, 0x00a50f00, "Ryzen 7 5800U (19_50)", "AMD Zen 3", 0x5100d1, 10000, ZEN_FLAGS },
	{ AMD, 0x00a40f41, "Ryzen 7 6800U (19_44)", "AMD Zen 3", 0x5100d1, 10000, ZEN_FLAGS },
	{ AMD, 0x00a10f11, "EPYC 9654 (19_11)", "AMD Zen 4", 0x5100d1, 10000, ZEN_FLAGS },
	{ AMD, 0x00a60f12, "Ryzen 9 7950X (19_61)", "AMD Zen 4", 0x5100d1, 10000, ZEN_FLAGS },
	{ AMD, 0x00a70f41, "Ryzen 7 7840U (19_74)", "AMD Zen 4", 0x5100d1, 10000, ZEN_FLAGS },
	{ AMD, 0x00b40f40, "Ryzen 9 9950X (1A_44)", "AMD Zen 5", 0x5100d1, 10000, ZEN_FLAGS },
	{ AMD, 0x00b20f40, "Ryzen AI 9 HX 370 (1A_24)", "AMD Zen 5", 0x5100d1, 10000, ZEN_FLAGS },
	{ AMD, 0x00600f20, "FX-8350 (15_02)", "AMD Family 15h", 0xc4, 250,
	  VMTRACE_PMU_UNSUPPORTED | VMTRACE_PMU_TAKEN_BRANCHES },
};

#define NR_PARTS	(sizeof(parts) / sizeof(parts[0]))

static void test_parts(void)
{
	const struct vmtrace_pmu_model *m;
	const struct part *p;
	unsigned int i;

	for (i = 0; i < NR_PARTS; i++) {
		p = &parts[i];
		m = vmtrace_pmu_lookup(p->vendor,
				       vmtrace_pmu_cpuid_family(p->eax),
				       vmtrace_pmu_cpuid_model(p->eax));
		check(m && !strcmp(m->name, p->name) &&
		      m->config == p->config && m->skid == p->skid &&
		      m->flags == p->flags,
		      "%s, CPUID %#010x: %s, config %#llx, skid %u, flags %#x",
		      p->what, p->eax, p->name, (unsigned long long)p->config,
		      p->skid, p->flags);
	}
}

static void test_unknown(void)
{
	check(!vmtrace_pmu_lookup(VMTRACE_PMU_VENDOR_NONE, 0x17, 0x01),
	      "another vendor (Hygon 18_00 given as family 0x17): NULL");
	check(!vmtrace_pmu_lookup(VMTRACE_PMU_VENDOR_NONE, 6, 0x5e),
	      "another vendor with Skylake's signature: NULL");
	check(!vmtrace_pmu_lookup(INTEL, 6, 0x01),
	      "Intel 06_01 (Pentium Pro): NULL");
	check(!vmtrace_pmu_lookup(INTEL, 0x13, 0x01),
	      "Intel family 0x13: NULL");
	check(!vmtrace_pmu_lookup(INTEL, 0x17, 0x01),
	      "an AMD signature given as Intel: NULL");
	check(!vmtrace_pmu_lookup(AMD, 6, 0x5e),
	      "an Intel signature given as AMD: NULL");
	check(!vmtrace_pmu_lookup(AMD, 0x17, 0xff),
	      "AMD 17_FF (outside the kernel's Zen ranges): NULL");
	check(!vmtrace_pmu_lookup(AMD, 0x1a, 0x31),
	      "AMD 1A_31 (outside the kernel's Zen 5 ranges): NULL");
	check(!vmtrace_pmu_lookup(AMD, 0x1b, 0x00),
	      "AMD family 0x1b: NULL");
}

struct sig {
	u32 eax;
	unsigned int family;
	unsigned int model;
};

static const struct sig sigs[] = {
	{ 0x000906ea, 0x06, 0x9e },	/* Coffee Lake */
	{ 0x00a20f10, 0x19, 0x21 },	/* Vermeer */
	{ 0x000506e3, 0x06, 0x5e },	/* Skylake */
	{ 0x000b0671, 0x06, 0xb7 },	/* Raptor Lake */
	{ 0x00800f11, 0x17, 0x01 },	/* Naples */
	{ 0x00b40f40, 0x1a, 0x44 },	/* Granite Ridge */
	{ 0x00600f20, 0x15, 0x02 },	/* Piledriver */
	{ 0x00000f29, 0x0f, 0x02 },	/* Pentium 4: ext. family 0 */
	{ 0x00000662, 0x06, 0x06 },	/* AMD K7 (Athlon): no ext. model */
	{ 0x00030f00, 0x0f, 0x30 },	/* family field 0xf takes ext. model */
	{ 0x000f0550, 0x05, 0x05 },	/* family field 5 ignores ext. model */
	{ 0x0ff00f00, 0x10e, 0x00 },	/* ext. family 0xff */
	{ 0xf000f6f0, 0x06, 0x0f },	/* reserved high bits ignored */
};

#define NR_SIGS	(sizeof(sigs) / sizeof(sigs[0]))

static void test_cpuid(void)
{
	unsigned int i, f, m;

	for (i = 0; i < NR_SIGS; i++) {
		f = vmtrace_pmu_cpuid_family(sigs[i].eax);
		m = vmtrace_pmu_cpuid_model(sigs[i].eax);
		check(f == sigs[i].family && m == sigs[i].model,
		      "CPUID %#010x: family %#x model %#x (got %#x %#x)",
		      sigs[i].eax, sigs[i].family, sigs[i].model, f, m);
	}
}

static void test_period(void)
{
	const struct vmtrace_pmu_model *sky, *zen;

	sky = vmtrace_pmu_lookup(INTEL, 6, 0x5e);
	zen = vmtrace_pmu_lookup(AMD, 0x19, 0x21);
	if (!sky || !zen) {
		check(0, "period: Skylake and Zen 3 rows found");
		return;
	}
	check(vmtrace_pmu_period(sky, 0, 1000) == 1000 - 101,
	      "period: 0 -> 1000 on Skylake is 899 (skid 100, +1)");
	check(vmtrace_pmu_period(sky, 5000, 6000) == 1000 - 101,
	      "period: counts from the current value");
	check(vmtrace_pmu_period(sky, 0, 101 + VMTRACE_PMU_PERIOD_MIN + 1) ==
	      VMTRACE_PMU_PERIOD_MIN + 1,
	      "period: skid + 1 + min + 1 ahead gives min + 1");
	check(vmtrace_pmu_period(sky, 0, 101 + VMTRACE_PMU_PERIOD_MIN) == 0,
	      "period: skid + 1 + min ahead: nothing armed (perf would not program less)");
	check(vmtrace_pmu_period(sky, 0, 102) == 0,
	      "period: skid + 2 ahead: nothing armed");
	check(vmtrace_pmu_period(sky, 0, 50) == 0,
	      "period: target within the skid: nothing armed");
	check(vmtrace_pmu_period(sky, 700, 700) == 0,
	      "period: target reached: nothing armed");
	check(vmtrace_pmu_period(sky, 800, 700) == 0,
	      "period: target passed: nothing armed");
	check(vmtrace_pmu_period(zen, 0, 10000) == 0,
	      "period: Zen, target 10000 within skid 10000: nothing armed");
	check(vmtrace_pmu_period(zen, 1, 20002) == 10000,
	      "period: Zen, 20001 ahead gives 10000");
	check(vmtrace_pmu_period(zen, 0, 10000 + 1 + VMTRACE_PMU_PERIOD_MIN) == 0,
	      "period: Zen, skid + 1 + min ahead: nothing armed");
	check(vmtrace_pmu_period(sky, 0, ~0ULL) == VMTRACE_PMU_PERIOD_MAX,
	      "period: capped at VMTRACE_PMU_PERIOD_MAX");
	check(vmtrace_pmu_period(sky, ~0ULL - 1000, ~0ULL) == 1000 - 101,
	      "period: no overflow near 2^64");
}

static void test_where(void)
{
	const struct vmtrace_pmu_model *sky = vmtrace_pmu_lookup(INTEL, 6, 0x5e);

	if (!sky) {
		check(0, "where: Skylake row found");
		return;
	}
	check(vmtrace_pmu_where(sky, 700, 700, true) == VMTRACE_PMU_AT,
	      "where: count and registers the event's: at it");
	check(vmtrace_pmu_where(sky, 700, 700, false) == VMTRACE_PMU_NEAR,
	      "where: the count, other registers: near (breakpoint on)");
	check(vmtrace_pmu_where(sky, 650, 700, true) == VMTRACE_PMU_NEAR,
	      "where: within the skid: near, whatever the registers");
	check(vmtrace_pmu_where(sky, 0, 102 + VMTRACE_PMU_PERIOD_MIN, false) ==
	      VMTRACE_PMU_FAR, "where: skid + 2 + min ahead: far (arm)");
	check(vmtrace_pmu_where(sky, 0, 101 + VMTRACE_PMU_PERIOD_MIN, false) ==
	      VMTRACE_PMU_NEAR, "where: skid + 1 + min ahead: near");
	check(vmtrace_pmu_where(sky, 701, 700, true) == VMTRACE_PMU_PAST,
	      "where: one branch past: past, whatever the registers");
}

/*
 * The replay's counter phase on every usable row: arm, let the guest run
 * the period and then a skid of up to the row's, arm again, until near.
 * It must never pass the target, and end near within a few overflows.
 */
static void test_arm_walk(void)
{
	const struct vmtrace_pmu_model *m;
	const u64 targets[] = { 103 + VMTRACE_PMU_PERIOD_MIN, 4096, 1000003, 1ULL << 50 };
	unsigned int bad = 0, rows = 0, i, n;
	u64 now, period, seed = 1;

	for (m = vmtrace_pmu_table(); m->name; m++) {
		if (m->flags & VMTRACE_PMU_UNSUPPORTED)
			continue;
		rows++;
		for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
			for (now = 0, n = 0; n < 64; n++) {
				period = vmtrace_pmu_period(m, now, targets[i]);
				if (!period)
					break;
				bad += period < VMTRACE_PMU_PERIOD_MIN;
				seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
				now += period + (seed >> 33) % ((u64)m->skid + 1);
			}
			if (vmtrace_pmu_where(m, now, targets[i], false) != VMTRACE_PMU_NEAR ||
			    n > 2)
				bad++;
		}
	}
	check(rows > 0 && !bad,
	      "arm walk: %u rows x 4 targets end within the skid, never past, in <= 2 overflows, no period below the minimum (%u bad)",
	      rows, bad);
}

static int rows_overlap(const struct vmtrace_pmu_model *a,
			const struct vmtrace_pmu_model *b)
{
	return a->vendor == b->vendor && a->family == b->family &&
	       a->model_first <= b->model_last &&
	       b->model_first <= a->model_last;
}

static int row_sane(const struct vmtrace_pmu_model *m)
{
	if (m->vendor != INTEL && m->vendor != AMD)
		return 0;
	if (m->model_first > m->model_last || !m->skid)
		return 0;
	if (!(m->flags & VMTRACE_PMU_UNSUPPORTED) && !m->config)
		return 0;
	/* Every row the module may use counts conditional branches. */
	if (!(m->flags & VMTRACE_PMU_UNSUPPORTED) &&
	    (m->flags & VMTRACE_PMU_TAKEN_BRANCHES))
		return 0;
	/* Bits above 31 only as umask2, and then flagged. */
	if ((m->config >> 32) && !(m->flags & VMTRACE_PMU_UMASK2))
		return 0;
	return 1;
}

static void test_table(void)
{
	const struct vmtrace_pmu_model *t = vmtrace_pmu_table(), *a, *b;
	int overlaps = 0, insane = 0, rows = 0, zen = 0;

	for (a = t; a->name; a++) {
		rows++;
		insane += !row_sane(a);
		for (b = a + 1; b->name; b++)
			overlaps += rows_overlap(a, b);
		if (a->vendor == AMD && a->family >= 0x17) {
			zen += a->config == 0x5100d1 && a->skid == 10000 &&
			       a->flags == ZEN_FLAGS;
			zen -= a->config != 0x5100d1;
		}
	}
	check(rows > 50, "table: %d rows", rows);
	check(!overlaps, "table: no duplicate or overlapping rows (%d found)",
	      overlaps);
	check(!insane, "table: every row well-formed (%d not)", insane);
	check(zen == 13, "table: all 13 Zen rows are rr's Zen figures (%d)",
	      zen);
}

int main(void)
{
	test_parts();
	test_unknown();
	test_cpuid();
	test_period();
	test_where();
	test_arm_walk();
	test_table();
	return tap_done();
}
