// SPDX-License-Identifier: GPL-2.0
/*
 * Reading /sys/kernel/debug/vmtrace/<session>/status files, printing them
 * as text or JSON, and the daemons' pid files.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "vmtrace.h"

static char *vmtrace_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* Parse "key: value" lines; other lines are ignored. Returns the count. */
int vmtrace_status_parse(FILE *f, struct vmtrace_status *st)
{
	char line[256], *colon;

	st->nr = 0;
	while (fgets(line, sizeof(line), f) && st->nr < VMTRACE_STATUS_MAX) {
		colon = strchr(line, ':');
		if (!colon || colon == line)
			continue;
		*colon = '\0';
		snprintf(st->key[st->nr], sizeof(st->key[0]), "%s",
			 vmtrace_trim(line));
		snprintf(st->value[st->nr], sizeof(st->value[0]), "%s",
			 vmtrace_trim(colon + 1));
		st->nr++;
	}
	return st->nr;
}

const char *vmtrace_status_get(const struct vmtrace_status *st,
			       const char *key)
{
	int i;

	for (i = 0; i < st->nr; i++)
		if (!strcmp(st->key[i], key))
			return st->value[i];
	return NULL;
}

static int vmtrace_status_read(const char *dir, const char *name,
			       struct vmtrace_status *st)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/status", dir, name);
	f = fopen(path, "re");
	if (!f)
		return -1;
	vmtrace_status_parse(f, st);
	fclose(f);
	return 0;
}

/* Every session's status under @dir. Returns the count, -1 if no @dir. */
int vmtrace_status_list(const char *dir, struct vmtrace_status **list)
{
	struct dirent **names;
	int i, n, nr = 0;

	n = scandir(dir, &names, NULL, versionsort);
	if (n < 0)
		return -1;
	*list = calloc(n ? n : 1, sizeof(**list));
	for (i = 0; i < n; i++) {
		if (*list && isdigit((unsigned char)names[i]->d_name[0]) &&
		    !vmtrace_status_read(dir, names[i]->d_name, &(*list)[nr]))
			nr++;
		free(names[i]);
	}
	free(names);
	return *list ? nr : -1;
}

void vmtrace_status_print(FILE *out, const struct vmtrace_status *st)
{
	int i;

	for (i = 0; i < st->nr; i++)
		fprintf(out, "%-16s %s\n", st->key[i], st->value[i]);
}

void vmtrace_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static bool vmtrace_is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* One JSON object; values that are whole numbers become numbers. */
void vmtrace_status_print_json(FILE *out, const struct vmtrace_status *st)
{
	int i;

	fputc('{', out);
	for (i = 0; i < st->nr; i++) {
		fputs(i ? ", " : "", out);
		vmtrace_json_string(out, st->key[i]);
		fputs(": ", out);
		if (vmtrace_is_number(st->value[i]))
			fputs(st->value[i], out);
		else
			vmtrace_json_string(out, st->value[i]);
	}
	fputc('}', out);
}

int vmtrace_pidfile_path(char *buf, size_t len, pid_t vmm_pid)
{
	return snprintf(buf, len, "%s/vm-%d.pid", vmtrace_run_dir(), (int)vmm_pid);
}

/* The pid of the daemon owning the VM of @vmm_pid, or -1. */
pid_t vmtrace_pidfile_read(pid_t vmm_pid)
{
	char path[PATH_MAX];
	int pid = -1;
	FILE *f;

	vmtrace_pidfile_path(path, sizeof(path), vmm_pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fscanf(f, "%d", &pid) != 1)
		pid = -1;
	fclose(f);
	return pid;
}

/* Where the daemon of @vmm_pid notes the trace it records (one line). */
int vmtrace_tracenote_path(char *buf, size_t len, pid_t vmm_pid)
{
	return snprintf(buf, len, "%s/vm-%d.trace", vmtrace_run_dir(), (int)vmm_pid);
}

/*
 * The trace file the daemon of @vmm_pid records into.
 * Return: 0 with the path in @buf, or -1 if it records nothing.
 */
int vmtrace_tracenote_read(pid_t vmm_pid, char *buf, size_t len)
{
	char path[PATH_MAX];
	int ret = -1;
	FILE *f;

	vmtrace_tracenote_path(path, sizeof(path), vmm_pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fgets(buf, len, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		ret = buf[0] ? 0 : -1;
	}
	fclose(f);
	return ret;
}
