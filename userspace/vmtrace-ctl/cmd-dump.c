// SPDX-License-Identifier: GPL-2.0
/*
 * vmtrace-ctl dump FILE [--json] [--type NAME[,NAME...]] [--vcpu N]: the
 * records of a trace, one per line (or a JSON array), in file order.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/trace.h"
#include "../lib/vmtrace.h"
#include "ctl.h"

struct dump {
	bool json;
	bool types[VMTRACE_REC_NR];	/* all false: every type */
	bool any_type;
	long vcpu;			/* -1: every vCPU */
	unsigned long long shown;
};

void cmd_dump_usage(FILE *out)
{
	fprintf(out, "usage: vmtrace-ctl dump FILE [--json] [--type NAME[,NAME...]] [--vcpu N]\n\n"
		"Print the records of a trace: vCPU, chunk, exit ordinal, type and\n"
		"fields. Types: rdtsc rdtscp rdrand rdseed rdpmc cpuid pio_in\n"
		"mmio_read msr_read irq nmi exception mem_write vcpu_in vcpu_out\n"
		"pio_out mmio_write digest ckpt_state ckpt_slot ckpt_page.\n");
}

/* A checkpoint state record: what=<name> len=<bytes>. */
static void dump_ckpt_state(const struct dump *d, const struct vmtrace_rec_ckpt_state *st)
{
	const char *what = vmtrace_ckpt_name(st->what);
	char unknown[16];

	if (!what) {
		snprintf(unknown, sizeof(unknown), "%u", st->what);
		what = unknown;
	}
	printf(d->json ? ", \"what\": \"%s\", \"len\": %u" : " what=%s len=%#x", what, st->len);
}

/* The type-specific fields as "name": value pairs (JSON) or name=value. */
static void dump_fields(const struct dump *d, const struct vmtrace_rec *r)
{
	const char *f = d->json ? ", \"%s\": %llu" : " %s=%#llx";
	const union vmtrace_rec_any *u = (const void *)r;
#define F(name, val) printf(f, name, (unsigned long long)(val))

	switch (r->type) {
	case VMTRACE_REC_RDTSC:
	case VMTRACE_REC_RDTSCP:
		F("tsc", u->tsc.tsc); F("rip", u->tsc.rip); F("aux", u->tsc.aux);
		break;
	case VMTRACE_REC_RDRAND:
	case VMTRACE_REC_RDSEED:
		F("value", u->rand.value); F("rip", u->rand.rip); F("reg", u->rand.reg);
		break;
	case VMTRACE_REC_RDPMC:
		F("ecx", u->rdpmc.ecx); F("value", u->rdpmc.value);
		break;
	case VMTRACE_REC_CPUID:
		F("function", u->cpuid.function); F("index", u->cpuid.index);
		F("eax", u->cpuid.eax); F("ebx", u->cpuid.ebx);
		F("ecx", u->cpuid.ecx); F("edx", u->cpuid.edx);
		break;
	case VMTRACE_REC_PIO_IN:
	case VMTRACE_REC_PIO_OUT:
		F("port", u->pio.port); F("size", u->pio.size); F("count", u->pio.count);
		if (u->pio.size <= 4 && u->pio.count == 1) {
			unsigned int v = 0;

			memcpy(&v, u->pio.data, u->pio.size);
			F("value", v);
		}
		break;
	case VMTRACE_REC_MMIO_READ:
	case VMTRACE_REC_MMIO_WRITE:
		F("gpa", u->mmio.gpa); F("len", u->mmio.len); F("value", u->mmio.data);
		break;
	case VMTRACE_REC_MSR_READ:
		F("msr", u->msr.index); F("value", u->msr.value);
		break;
	case VMTRACE_REC_IRQ:
	case VMTRACE_REC_NMI:
	case VMTRACE_REC_EXCEPTION:
		F("vector", u->ev.vector); F("error_code", u->ev.error_code);
		F("rip", u->ev.rip); F("rcx", u->ev.rcx); F("rflags", u->ev.rflags);
		if (r->flags & VMTRACE_RECF_BRANCHES)
			F("branches", u->ev.branches);
		break;
	case VMTRACE_REC_MEM_WRITE:
		F("gpa", u->mem.gpa); F("len", u->mem.len);
		break;
	case VMTRACE_REC_CKPT_PAGE:
		F("gpa", u->mem.gpa);
		break;
	case VMTRACE_REC_DIGEST:
		F("rip", u->dig.rip); F("rflags", u->dig.rflags); F("regs", u->dig.regs);
		F("mem_gpa", u->dig.mem_gpa); F("mem", u->dig.mem);
		break;
	case VMTRACE_REC_CKPT_STATE:
		dump_ckpt_state(d, (const void *)r);
		break;
	case VMTRACE_REC_CKPT_SLOT:
		F("slot", u->slot.slot); F("flags", u->slot.flags); F("gpa", u->slot.gpa);
		F("size", u->slot.size); F("pages", u->slot.pages);
		if (r->flags & VMTRACE_RECF_CKPT_ALIAS) {
			F("alias_of", u->slot.alias_of);
			F("alias_offset", u->slot.alias_offset);
		}
		break;
	case VMTRACE_REC_VCPU_IN:
	case VMTRACE_REC_VCPU_OUT:
		F("seq", u->sched.seq); F("cpu", u->sched.cpu);
		F("exit_reason", u->sched.exit_reason);
		break;
	}
#undef F
}

static int dump_record(void *ctx, const struct vmtrace_chunk *c,
		       const struct vmtrace_rec *r)
{
	struct dump *d = ctx;

	if ((d->any_type && !d->types[r->type]) || (d->vcpu >= 0 && c->vcpu != d->vcpu))
		return 0;
	if (d->json)
		printf("%s{\"vcpu\": %u, \"chunk\": %llu, \"ordinal\": %llu, \"type\": \"%s\", \"flags\": %u",
		       d->shown ? ",\n " : "", c->vcpu, (unsigned long long)c->seq,
		       (unsigned long long)r->ordinal, vmtrace_rec_name(r->type), r->flags);
	else
		printf("vcpu %u chunk %llu ordinal %llu %-10s flags=%#x", c->vcpu,
		       (unsigned long long)c->seq, (unsigned long long)r->ordinal,
		       vmtrace_rec_name(r->type), r->flags);
	dump_fields(d, r);
	printf(d->json ? "}" : "\n");
	d->shown++;
	return 0;
}

static int parse_types(struct dump *d, char *list)
{
	char *name, *save = NULL;
	int t;

	for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		t = vmtrace_rec_type(name);
		if (t < 0)
			return ctl_fail(VMTRACE_E_USAGE, "unknown record type '%s'", name);
		d->types[t] = d->any_type = true;
	}
	return 0;
}

static int dump_args(struct dump *d, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "type", required_argument, NULL, 't' },
		{ "vcpu", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "jt:c:h", opts, NULL)) != -1) {
		if (c == 'j')
			d->json = true;
		else if (c == 't' && parse_types(d, optarg))
			return VMTRACE_E_USAGE;
		else if (c == 'c')
			d->vcpu = strtol(optarg, NULL, 0);
		else if (c == 'h' || c == '?')
			return cmd_dump_usage(c == 'h' ? stdout : stderr), c == 'h' ? -1 : VMTRACE_E_USAGE;
	}
	return optind == argc - 1 ? 0 : ctl_fail(VMTRACE_E_USAGE, "dump needs one FILE");
}

int cmd_dump(int argc, char **argv)
{
	static const struct vmtrace_walk_ops ops = { .record = dump_record };
	struct dump d = { .vcpu = -1 };
	struct vmtrace_walk w;
	int ret = dump_args(&d, argc, argv);

	if (ret)
		return ret < 0 ? 0 : ret;
	if (d.json)
		printf("[");
	ret = ctl_walk(argv[optind], &ops, &d, &w);
	if (d.json)
		printf("]\n");
	if (ret)
		fprintf(stderr, "vmtrace-ctl: %s%s: %s\n", w.sys_errno ? "" : "warning: ",
			argv[optind], w.error);
	return ctl_walk_status(ret, &w);
}
