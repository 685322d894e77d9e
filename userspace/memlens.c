// SPDX-License-Identifier: GPL-2.0
/*
 * memlens: read the memlens kernel module's debugfs files and show a
 * system's memory as tables, JSON, live deltas or Prometheus metrics.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

#ifndef MEMLENS_VERSION
#define MEMLENS_VERSION "unknown"
#endif

static void __attribute__((noreturn)) usage(void)
{
	fputs("Usage:\n"
	      " memlens [options]              a summary: memory by use, top processes\n"
	      " memlens ps [options]           every process's memory\n"
	      " memlens mem [options]          where physical memory is\n"
	      " memlens slab [options]         the slab caches, with their waste\n"
	      " memlens files [options] [path...]\n"
	      "                                what is in the page cache, file by file\n"
	      " memlens shared [options] [path...]\n"
	      "                                mapped files, held once, counted in RSS\n"
	      " memlens map [options] <pid>    a process's address space, low to high\n"
	      " memlens version                reader, module and kernel versions\n"
	      "\nShow what the memlens kernel module sees of this system's memory.\n"
	      "\nOptions:\n"
	      " -o, --output <list>    columns to show; +<list> adds to the default\n"
	      "     --output-all       show every column\n"
	      " -H, --list-columns     list the columns of the command and exit\n"
	      " -s, --sort <column>    sort by column (sizes largest first)\n"
	      " -t, --top <n>          show only the first n rows\n"
	      " -p, --pid <list>       only these processes (comma-separated)\n"
	      " -c, --comm <regex>     only processes whose command matches\n"
	      " -u, --user <user>      only processes of this user name or uid\n"
	      " -w, --watch <seconds>  repeat, with each process's change (ps)\n"
	      "     --fstype <list>    only files on these filesystem types (files, shared)\n"
	      "     --deleted          only deleted files (files, shared)\n"
	      "     --dirty            only files with dirty or writeback pages (files, shared)\n"
	      "     --mountinfo <file> mount table to resolve full paths with\n"
	      "     --count <n>        stop after n samples of --watch\n"
	      " -b, --bytes            sizes in bytes, not K/M/G\n"
	      " -J, --json             JSON output\n"
	      " -r, --raw              raw output\n"
	      " -n, --noheadings       no header line\n"
	      "     --prometheus       every view as Prometheus metrics\n"
	      "     --debugfs <dir>    read the files here (default " MEMLENS_DEFAULT_PATH ")\n"
	      "     --proc <dir>       read /proc/PID/smaps here (map; default /proc)\n"
	      " -h, --help             display this help\n"
	      " -V, --version          display version\n"
	      "\nFor more details see memlens(8).\n", stdout);
	exit(ML_EXIT_OK);
}

static void __attribute__((noreturn)) try_help(void)
{
	fprintf(stderr, "Try 'memlens --help' for more information.\n");
	exit(ML_EXIT_FAIL);
}

static long number(const char *s, const char *what, long min)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min)
		errx(ML_EXIT_FAIL, "invalid %s: '%s'", what, s);
	return v;
}

static double seconds(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= 0.1 && v <= 86400))
		errx(ML_EXIT_FAIL, "invalid interval: '%s' (0.1 to 86400 seconds)", s);
	return v;
}

int ml_cmd_version(const struct ml_options *o)
{
	struct ml_version v;
	unsigned int i;

	printf("memlens reader %s\n", MEMLENS_VERSION);
	ml_load_version(o, &v);
	printf("memlens module %s\nkernel %s\n", v.module, v.kernel);
	for (i = 0; i < v.nviews; i++)
		printf("view %s: %s\n", v.views[i].name, v.views[i].status);
	return ML_EXIT_OK;
}

enum cmd { CMD_SUMMARY, CMD_PS, CMD_MEM, CMD_SLAB, CMD_VERSION, CMD_FILES, CMD_SHARED, CMD_MAP };

static enum cmd command(const char *name)
{
	static const char *const names[] = {
		"", "ps", "mem", "slab", "version", "files", "shared", "map"
	};
	unsigned int i;

	for (i = 1; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return i;
	warnx("unknown command: %s", name);
	try_help();
}

static int list_columns(enum cmd cmd)
{
	switch (cmd) {
	case CMD_SLAB:
		ml_print_columns(ml_slab_columns(), ml_slab_ncols());
		break;
	case CMD_MEM:
		ml_print_columns(ml_mem_columns(), ml_mem_ncols());
		break;
	case CMD_FILES:
	case CMD_SHARED:
		ml_print_columns(ml_files_columns(cmd == CMD_SHARED), ml_files_ncols());
		break;
	case CMD_MAP:
		ml_print_columns(ml_map_columns(true, false), ml_map_ncols());
		break;
	default:
		ml_print_columns(ml_ps_columns(true, false), ml_ps_ncols(true));
	}
	return ML_EXIT_OK;
}

int main(int argc, char **argv)
{
	enum {
		OPT_OUTPUT_ALL = CHAR_MAX + 1, OPT_COUNT, OPT_PROMETHEUS, OPT_DEBUGFS,
		OPT_FSTYPE, OPT_DELETED, OPT_DIRTY, OPT_MOUNTINFO, OPT_PROC
	};
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },
		{ "list-columns", no_argument, NULL, 'H' },
		{ "sort", required_argument, NULL, 's' },
		{ "top", required_argument, NULL, 't' },
		{ "pid", required_argument, NULL, 'p' },
		{ "comm", required_argument, NULL, 'c' },
		{ "user", required_argument, NULL, 'u' },
		{ "watch", required_argument, NULL, 'w' },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "bytes", no_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "prometheus", no_argument, NULL, OPT_PROMETHEUS },
		{ "debugfs", required_argument, NULL, OPT_DEBUGFS },
		{ "fstype", required_argument, NULL, OPT_FSTYPE },
		{ "deleted", no_argument, NULL, OPT_DELETED },
		{ "dirty", no_argument, NULL, OPT_DIRTY },
		{ "mountinfo", required_argument, NULL, OPT_MOUNTINFO },
		{ "proc", required_argument, NULL, OPT_PROC },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ml_options o = { .debugfs = MEMLENS_DEFAULT_PATH };
	enum cmd cmd = CMD_SUMMARY;
	bool columns = false;
	int c;

	setlocale(LC_ALL, "");
	while ((c = getopt_long(argc, argv, "o:Hs:t:p:c:u:w:bJrnhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o.output = optarg; break;
		case OPT_OUTPUT_ALL: o.output_all = true; break;
		case 'H': columns = true; break;
		case 's': o.sort = optarg; break;
		case 't': o.top = number(optarg, "number of rows", 1); break;
		case 'p': o.pids = optarg; break;
		case 'c': o.comm = optarg; break;
		case 'u': o.user = optarg; break;
		case 'w': o.watch = seconds(optarg); break;
		case OPT_COUNT: o.count = number(optarg, "count", 1); break;
		case 'b': o.bytes = true; break;
		case 'J': o.json = true; break;
		case 'r': o.raw = true; break;
		case 'n': o.noheadings = true; break;
		case OPT_PROMETHEUS: o.prometheus = true; break;
		case OPT_DEBUGFS: o.debugfs = optarg; break;
		case OPT_FSTYPE: o.fstype = optarg; break;
		case OPT_DELETED: o.deleted = true; break;
		case OPT_DIRTY: o.dirty = true; break;
		case OPT_MOUNTINFO: ml_mountinfo(optarg); break;
		case OPT_PROC: o.proc = optarg; break;
		case 'h': usage();
		case 'V': printf("memlens %s\n", MEMLENS_VERSION); return ML_EXIT_OK;
		default: try_help();
		}
	}
	if (optind < argc)
		cmd = command(argv[optind++]);
	if (cmd == CMD_FILES || cmd == CMD_SHARED || cmd == CMD_MAP) {
		/* path prefixes; map's pid */
		o.paths = argv + optind;
		o.npaths = argc - optind;
		optind = argc;
	} else if (o.fstype || o.deleted || o.dirty) {
		errx(ML_EXIT_FAIL, "--fstype, --deleted and --dirty work with "
		     "'memlens files' and 'memlens shared'");
	}
	if (optind < argc) {
		warnx("unexpected argument: %s", argv[optind]);
		try_help();
	}
	if (columns)
		return list_columns(cmd);
	if (o.count && o.watch <= 0)
		errx(ML_EXIT_FAIL, "--count needs --watch");
	if (cmd == CMD_MAP)
		return ml_cmd_map(&o);	/* its options checked there */
	if (o.proc)
		errx(ML_EXIT_FAIL, "--proc works with 'memlens map'");
	if (o.watch > 0 && cmd != CMD_PS)
		errx(ML_EXIT_FAIL, "--watch works with 'memlens ps'");
	if (o.prometheus)
		return ml_prometheus(&o);

	switch (cmd) {
	case CMD_PS: return ml_cmd_ps(&o);
	case CMD_MEM: return ml_cmd_mem(&o);
	case CMD_SLAB: return ml_cmd_slab(&o);
	case CMD_VERSION: return ml_cmd_version(&o);
	case CMD_FILES: return ml_cmd_files(&o);
	case CMD_SHARED: return ml_cmd_shared(&o);
	default: return ml_cmd_summary(&o);
	}
}
