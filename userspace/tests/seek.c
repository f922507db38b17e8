// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the search for an event's point (replay-seek.c), run
 * against a model vCPU instead of KVM: a recorded execution, one state per
 * instruction boundary (RIP, RCX, register digest, retired conditional
 * branches). A breakpoint run stops where the model arrives at the RIP
 * (not at each iteration of a REP string instruction, which keeps its
 * RIP), a step runs one instruction, and QEMU's emulated SVM, whose nested
 * breakpoints do not fire, is modelled by runs that end "cut" on the
 * address without a debug stop.
 *
 * The program: a loop of three instructions run LOOP_N times, whose last
 * is a conditional branch, then a REP MOVSB of REP_N bytes, then an exit.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"
#include "unit.h"

#define LOOP_N	1000
#define REP_N	50
#define LOOP_RIP 0x1000
#define REP_RIP	0x2000
#define NR_STATES (3 * LOOP_N + REP_N + 1)

struct model {
	struct replay_seek_view s[NR_STATES];
	size_t n;
	size_t at;		/* the vCPU's state */
	bool counter_regs;	/* the loop counter is in a register */
	bool qemu;		/* breakpoint runs end cut, no debug stop */
	unsigned int bp_runs, steps;
};

static void model_build(struct model *m, bool counter_regs)
{
	uint64_t branches = 0;
	size_t i, n = 0;

	memset(m, 0, sizeof(*m));
	m->counter_regs = counter_regs;
	for (i = 0; i < LOOP_N; i++) {
		for (int k = 0; k < 3; k++) {
			m->s[n] = (struct replay_seek_view){ .rip = LOOP_RIP + 4 * k, .rcx = 7,
				.rflags = 0x2, .branches = branches,
				.digest = counter_regs ? 0x5eed + i : 0x5eed };
			n++;
		}
		branches++;	/* the loop's JNZ retired */
	}
	for (i = 0; i < REP_N; i++, n++)
		m->s[n] = (struct replay_seek_view){ .rip = REP_RIP, .rcx = REP_N - i,
			.rflags = 0x2, .branches = branches, .digest = 0xd00d + i };
	m->s[n++] = (struct replay_seek_view){ .rip = 0x3000, .rflags = 0x2,
					       .branches = branches, .digest = 1 };
	m->n = n;
}

static int model_view(void *ctx, struct replay_seek_view *v)
{
	struct model *m = ctx;

	*v = m->s[m->at];
	return 0;
}

static int model_run(void *ctx, enum replay_seek_how how, uint64_t rip, unsigned int ms,
		     struct replay_seek *sk, bool *cut)
{
	struct model *m = ctx;
	size_t j = m->at + 1;

	(void)ms;
	sk->runs++;
	*cut = false;
	if (how == REPLAY_SEEK_STEP) {
		m->steps++;
		if (j >= m->n)
			return sk->exit = 1, 1;
		m->at = j;
		return 0;
	}
	m->bp_runs++;
	for (; j < m->n; j++)
		if (m->s[j].rip == rip && m->s[j - 1].rip != rip)
			break;
	if (j >= m->n) {
		m->at = m->n - 1;
		return sk->exit = 1, 1;
	}
	m->at = j;
	*cut = m->qemu;
	return 0;
}

static const struct replay_seek_ops model_ops = { model_view, model_run };

/* The state of loop iteration @i at instruction @k. */
static size_t loop_state(size_t i, int k)
{
	return 3 * i + k;
}

static int seek_to(struct model *m, size_t from, size_t want, bool branches,
		   struct replay_seek *sk)
{
	struct replay_seek_target t = { m->s[want].rip, m->s[want].rcx, m->s[want].rflags,
					m->s[want].digest, branches, m->s[want].branches };

	m->at = from;
	return replay_seek_find(&model_ops, m, &t, sk);
}

static void test_seek_branches(void)
{
	static struct model m;
	struct replay_seek sk;
	size_t want = loop_state(537, 1);
	int ret;

	/* The registers are the same in every iteration: only the count tells. */
	model_build(&m, false);
	ret = seek_to(&m, loop_state(0, 0), want, true, &sk);
	ok(ret == 0 && m.at == want, "seek: by branch count, iteration 537 of identical ones (at %zu, want %zu)",
	   m.at, want);
	ok(sk.stops == 2 * 537 + 1 && sk.steps == 537,
	   "seek: a breakpoint stop and a step off it per iteration on the way (%llu stops, %llu steps)",
	   (unsigned long long)sk.stops, (unsigned long long)sk.steps);
	/* As after the counter's overflow: a skid of a few branches short. */
	ret = seek_to(&m, loop_state(531, 2), want, true, &sk);
	ok(ret == 0 && m.at == want && sk.stops == 6 + 5,
	   "seek: from within the skid, 6 breakpoint stops and 5 steps (%llu stops)",
	   (unsigned long long)sk.stops);
	ret = seek_to(&m, loop_state(0, 0), want, false, &sk);
	ok(ret == 0 && m.at == loop_state(0, 1),
	   "seek: without a count the first iteration matches (at %zu): what PMU mode adds",
	   m.at);
}

static void test_seek_past(void)
{
	static struct model m;
	struct replay_seek sk;
	size_t want = loop_state(537, 1);
	int ret;

	model_build(&m, false);
	ret = seek_to(&m, loop_state(538, 0), want, true, &sk);
	ok(ret == 1 && sk.passed && sk.runs == 0,
	   "seek: a count already past the event's is reported, nothing run (ret %d runs %llu)",
	   ret, (unsigned long long)sk.runs);
	ret = seek_to(&m, loop_state(537, 2), want, true, &sk);
	ok(ret == 1 && sk.passed, "seek: an overshoot by the skid is passed, not a later match (ret %d)",
	   ret);
	model_build(&m, true);
	ret = seek_to(&m, loop_state(900, 0), loop_state(10, 1), false, &sk);
	ok(ret == 1 && !sk.passed && sk.exit == 1 && m.at == m.n - 1,
	   "seek: without a count, a point never reached ends with the guest's exit (ret %d)", ret);
}

static void test_seek_regs(void)
{
	static struct model m;
	struct replay_seek sk;
	size_t want = loop_state(421, 2);
	int ret;

	model_build(&m, true);
	ret = seek_to(&m, loop_state(3, 0), want, false, &sk);
	ok(ret == 0 && m.at == want, "seek: exit-ordinal mode, iteration 421 told by its registers (at %zu)",
	   m.at);
	ok(sk.steps == 421 - 3, "seek: ... one single step off the RIP per wrong iteration (%llu steps)",
	   (unsigned long long)sk.steps);
	m.qemu = true;
	ret = seek_to(&m, loop_state(3, 0), want, true, &sk);
	ok(ret == 0 && m.at == want, "seek: breakpoint runs cut on the address (QEMU's nested SVM) still find it");
}

static void test_seek_rep(void)
{
	static struct model m;
	struct replay_seek sk;
	size_t want = 3 * LOOP_N + (REP_N - 17);
	int ret;

	model_build(&m, false);
	ret = seek_to(&m, loop_state(990, 0), want, true, &sk);
	ok(ret == 0 && m.at == want && m.s[m.at].rcx == 17,
	   "seek: REP MOVSB iteration with RCX 17, same RIP and count (at %zu rcx %llu)", m.at,
	   (unsigned long long)m.s[m.at].rcx);
	ok(m.steps == REP_N - 17, "seek: stepped through the string's iterations (%u steps)",
	   m.steps);
}

void test_seek(void)
{
	test_seek_branches();
	test_seek_past();
	test_seek_regs();
	test_seek_rep();
}
