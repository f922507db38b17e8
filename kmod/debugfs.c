// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/vmtrace: the module's version, whether this host can
 * record and replay in PMU mode (and why not), and one directory per
 * session with a human-readable status file.
 *
 * debugfs is a view, never a requirement: if it is missing or a file
 * cannot be created, tracing works all the same.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <uapi/linux/vmtrace.h>

#include "debugfs.h"
#include "pmu.h"
#include "record.h"
#include "session.h"
#include "status.h"
#include "vcpu.h"
#include "vendor.h"

static struct dentry *vmtrace_debugfs_root;

static int vmtrace_version_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "%s api %d\n", VMTRACE_MODULE_VERSION,
		   VMTRACE_API_VERSION);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmtrace_version);

/* "pmu: yes (Skylake, skid 100 branches)" or "pmu: no (no PMU ...)". */
static int vmtrace_pmu_show(struct seq_file *m, void *unused)
{
	char why[VMTRACE_PMU_WHY_LEN];
	int ret = vmtrace_pmu_explain(why);

	seq_printf(m, "pmu: %s (%s)\n", ret ? "no" : "yes", why);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmtrace_pmu);

/* Recording counters; @s->lock held, which keeps @s->rec. */
static void vmtrace_record_show(struct seq_file *m, struct vmtrace_session *s)
{
	struct vmtrace_record_info info = {};
	int k;

	vmtrace_record_info(s, &info);
	seq_printf(m, "recording: %s\n", READ_ONCE(s->rec->active) ? "on" : "stopped");
	seq_printf(m, "mode: %s\n", info.mode == VMTRACE_MODE_PMU ? "pmu" :
		   "exit-ordinal");
	for (k = 1; k < VMTRACE_REC_NR; k++)
		seq_printf(m, "records_%s: %llu\n", vmtrace_rec_name(k),
			   info.records[k]);
	seq_printf(m, "chunks: %llu\n", info.chunks);
	seq_printf(m, "bytes: %llu\n", info.bytes);
	seq_printf(m, "bytes_raw: %llu\n", info.bytes_raw);
	seq_printf(m, "waits: %llu\n", info.waits);
	seq_printf(m, "overflows: %llu\n", info.overflows);
}

static int vmtrace_status_show(struct seq_file *m, void *unused)
{
	struct vmtrace_session *s = m->private;
	struct vmtrace_counts sum;
	struct vmtrace_vcpu *v;
	unsigned long i;
	int k;

	vmtrace_vcpus_sum(s, &sum);
	seq_printf(m, "session: %llu\n", s->id);
	seq_printf(m, "vmm_pid: %d\n", s->vmm_pid);
	seq_printf(m, "vendor: %s\n", s->vendor->name);
	seq_printf(m, "state: %s\n", vmtrace_state_name(READ_ONCE(s->state)));
	seq_printf(m, "vcpus: %u\n", READ_ONCE(s->nr_vcpus));
	seq_printf(m, "entries: %llu\n", sum.entries);
	seq_printf(m, "exits: %llu\n", sum.exits);
	for (k = 0; k < VMTRACE_EXIT_NR; k++)
		seq_printf(m, "exits_%s: %llu\n", vmtrace_exit_kind_name(k),
			   sum.exit_kinds[k]);
	mutex_lock(&s->lock);
	xa_for_each(&s->vcpus, i, v)
		seq_printf(m, "vcpu%u: entries=%llu exits=%llu rip=%#llx\n", v->idx,
			   READ_ONCE(v->entries), READ_ONCE(v->exits),
			   READ_ONCE(v->last_rip));
	if (s->rec)
		vmtrace_record_show(m, s);
	mutex_unlock(&s->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmtrace_status);

/**
 * vmtrace_debugfs_init() - create /sys/kernel/debug/vmtrace
 *
 * Context: module init.
 */
void vmtrace_debugfs_init(void)
{
	vmtrace_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("version", 0444, vmtrace_debugfs_root, NULL,
			    &vmtrace_version_fops);
	debugfs_create_file("pmu", 0444, vmtrace_debugfs_root, NULL,
			    &vmtrace_pmu_fops);
}

/**
 * vmtrace_debugfs_exit() - remove /sys/kernel/debug/vmtrace
 *
 * Context: module exit, after every session is gone.
 */
void vmtrace_debugfs_exit(void)
{
	debugfs_remove_recursive(vmtrace_debugfs_root);
}

/**
 * vmtrace_debugfs_session_add() - create the session's directory
 * @s: a new session.
 *
 * Context: process context.
 */
void vmtrace_debugfs_session_add(struct vmtrace_session *s)
{
	char name[24];

	snprintf(name, sizeof(name), "%llu", s->id);
	s->debugfs = debugfs_create_dir(name, vmtrace_debugfs_root);
	debugfs_create_file("status", 0444, s->debugfs, s,
			    &vmtrace_status_fops);
}

/**
 * vmtrace_debugfs_session_remove() - remove the session's directory
 * @s: the session being destroyed.
 *
 * Waits for readers of its files to finish, so @s may be freed after.
 *
 * Context: process context.
 */
void vmtrace_debugfs_session_remove(struct vmtrace_session *s)
{
	debugfs_remove_recursive(s->debugfs);
	s->debugfs = NULL;
}
