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

static void __attribute__((noreturn)) usage(void)
{
	fputs("Usage:\n"
	      " memlens [options]              a summary: memory by use, top processes\n"
	      " memlens ps [options]           every process's memory\n"
	      " memlens mem [options]          where physical memory is\n"
	      " memlens slab [options]         the slab caches, with their waste\n"
	      " memlens files [options] [path...]  the page cache, file by file\n"
	      " memlens shared [options] [path...] mapped files, held once, in RSS\n"
	      " memlens map [options] <pid>    a process's address space, low to high\n"
	      " memlens version                reader, module and kernel versions\n"
	      "\nShow what the memlens kernel module sees of this system's memory.\n"
	      "\nOptions:\n"
	      " -o, --output <list>    columns to show; +<list> adds to the default\n"
	      "     --output-all       show every column\n"
	      " -H, --list-columns     list the columns of the command and exit\n"
	      " -s, --sort [+-]<col>   sort by column (sizes largest first)\n"
	      "     --reverse          sort the other way round\n"
	      " -t, --top <n>          show only the first n rows (by size without -s)\n"
	      " -p, --pid <list>       only these processes (comma-separated)\n"
	      " -c, --comm <regexes>   only processes whose command matches one\n"
	      " -u, --user <users>     only processes of these user names or uids\n"
	      " -w, --watch <seconds>  repeat, with each process's change (ps, map)\n"
	      "     --fstype <list>    only files on these filesystem types (files, shared)\n"
	      "     --deleted          only deleted files (files, shared)\n"
	      "     --dirty            only files with dirty or writeback pages (files, shared)\n"
	      "     --mountinfo <file> mount table to resolve full paths with\n"
	      "     --count <n>        stop after n samples of --watch\n"
	      "     --color[=<when>]   colour the summary's bar: auto, always or never\n"
	      " -b, --bytes            sizes in bytes, not K/M/G\n"
	      " -J, --json             JSON output\n"
	      " -r, --raw              raw output\n"
	      " -n, --noheadings       no header line\n"
	      "     --prometheus       Prometheus metrics; --textfile <dir> etc.: memlens(8)\n"
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

/* --color[=WHEN], as util-linux takes it: no WHEN is auto. */
static enum ml_colour colour_mode(const char *when)
{
	if (!when || !strcmp(when, "auto"))
		return ML_COLOUR_AUTO;
	if (!strcmp(when, "always"))
		return ML_COLOUR_ALWAYS;
	if (!strcmp(when, "never"))
		return ML_COLOUR_NEVER;
	errx(ML_EXIT_FAIL, "invalid --color argument: '%s' (auto, always or never)", when);
}

/* --group-by: comm or user. */
static bool group_by(const char *what)
{
	if (!strcmp(what, "comm"))
		return false;
	if (!strcmp(what, "user"))
		return true;
	errx(ML_EXIT_FAIL, "invalid --group-by argument: '%s' (comm or user)", what);
}

/* A size as util-linux takes one: 4096, 64K, 1M, 2GiB (powers of 1024). */
static uint64_t size_arg(const char *s, const char *what)
{
	static const char units[] = "KMGT";
	const char *u;
	uint64_t v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		goto bad;
	if (*end) {
		u = strchr(units, *end);
		if (!u || (end[1] && strcmp(end + 1, "iB") != 0 && strcmp(end + 1, "B") != 0))
			goto bad;
		if (v > (UINT64_MAX >> (10 * (u - units + 1))))
			goto bad;
		v <<= 10 * (u - units + 1);
	}
	return v;
bad:
	errx(ML_EXIT_FAIL, "invalid %s argument: '%s' (a size, such as 4096, 64K or 1M)", what, s);
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

/* -H: the columns of each table. */
static void ps_columns(void)
{
	ml_print_columns(ml_ps_columns(true, false), ml_ps_ncols(true));
}

static void mem_columns(void)
{
	ml_print_columns(ml_mem_columns(), ml_mem_ncols());
}

static void slab_columns(void)
{
	ml_print_columns(ml_slab_columns(), ml_slab_ncols());
}

static void files_columns(void)
{
	ml_print_columns(ml_files_columns(false), ml_files_ncols());
}

static void shared_columns(void)
{
	ml_print_columns(ml_files_columns(true), ml_files_ncols());
}

static void map_columns(void)
{
	ml_print_columns(ml_map_columns(true, false), ml_map_ncols());
}

/* The long-only options, numbered after every char as util-linux numbers them. */
enum {
	OPT_OUTPUT_ALL = CHAR_MAX + 1, OPT_COUNT, OPT_PROMETHEUS, OPT_DEBUGFS,
	OPT_FSTYPE, OPT_DELETED, OPT_DIRTY, OPT_MOUNTINFO, OPT_REVERSE, OPT_PROC, OPT_COLOR,
	OPT_TEXTFILE, OPT_GROUP_BY, OPT_GROUPS, OPT_PER_PROCESS, OPT_SLAB_MIN, OPT_MAX_SERIES,
	OPT_END
};

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },
	{ "list-columns", no_argument, NULL, 'H' },
	{ "sort", required_argument, NULL, 's' },
	{ "reverse", no_argument, NULL, OPT_REVERSE },
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
	{ "color", optional_argument, NULL, OPT_COLOR },
	{ "textfile", required_argument, NULL, OPT_TEXTFILE },
	{ "group-by", required_argument, NULL, OPT_GROUP_BY },
	{ "groups", required_argument, NULL, OPT_GROUPS },
	{ "per-process", required_argument, NULL, OPT_PER_PROCESS },
	{ "slab-min", required_argument, NULL, OPT_SLAB_MIN },
	{ "max-series", required_argument, NULL, OPT_MAX_SERIES },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

/* What every table takes; --debugfs, --help and --version go everywhere. */
#define TABLE_OPTS	'o', OPT_OUTPUT_ALL, 'H', 's', OPT_REVERSE, 't', 'b', 'J', 'r', 'n'
#define SELECT_OPTS	'p', 'c', 'u'
#define FILE_OPTS	OPT_FSTYPE, OPT_DELETED, OPT_DIRTY, OPT_MOUNTINFO

/*
 * The commands, each with the options it takes: any other is refused
 * rather than ignored.  --prometheus is a row of its own, for what it
 * takes in place of the summary.
 */
static const struct command {
	const char *name;
	int (*run)(const struct ml_options *o);
	const int *opts;		/* ends with 0 */
	void (*columns)(void);		/* -H */
	bool paths;			/* path prefixes follow */
} commands[] = {
	{ .name = "", .run = ml_cmd_summary, .columns = ps_columns,
	  .opts = (const int[]){ 'o', OPT_OUTPUT_ALL, 'H', 's', OPT_REVERSE, 't', 'b', 'n',
				 SELECT_OPTS, OPT_MOUNTINFO, OPT_PROMETHEUS, OPT_COLOR, 0 } },
	{ .name = "ps", .run = ml_cmd_ps, .columns = ps_columns,
	  .opts = (const int[]){ TABLE_OPTS, SELECT_OPTS, 'w', OPT_COUNT, 0 } },
	{ .name = "mem", .run = ml_cmd_mem, .columns = mem_columns,
	  .opts = (const int[]){ TABLE_OPTS, 0 } },
	{ .name = "slab", .run = ml_cmd_slab, .columns = slab_columns,
	  .opts = (const int[]){ TABLE_OPTS, 0 } },
	{ .name = "version", .run = ml_cmd_version, .opts = (const int[]){ 0 } },
	{ .name = "files", .run = ml_cmd_files, .columns = files_columns, .paths = true,
	  .opts = (const int[]){ TABLE_OPTS, FILE_OPTS, 0 } },
	{ .name = "shared", .run = ml_cmd_shared, .columns = shared_columns, .paths = true,
	  .opts = (const int[]){ TABLE_OPTS, FILE_OPTS, 0 } },
	/* its pid comes as the paths do */
	{ .name = "map", .run = ml_cmd_map, .columns = map_columns, .paths = true,
	  .opts = (const int[]){ TABLE_OPTS, 'w', OPT_COUNT, OPT_PROC, 0 } },
	{ .name = "--prometheus", .run = ml_prometheus,
	  .opts = (const int[]){ SELECT_OPTS, 't', OPT_MOUNTINFO, OPT_TEXTFILE, OPT_GROUP_BY,
				 OPT_GROUPS, OPT_PER_PROCESS, OPT_SLAB_MIN, OPT_MAX_SERIES, 0 } },
};
#define CMD_SUMMARY	(&commands[0])
#define CMD_PROMETHEUS	(&commands[ARRAY_SIZE(commands) - 1])

static const struct command *command(const char *name)
{
	size_t i;

	/* neither the summary nor --prometheus is a command's name */
	for (i = 1; i < ARRAY_SIZE(commands) - 1; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	warnx("unknown command: %s", name);
	try_help();
}

static bool takes(const struct command *cmd, int opt)
{
	const int *p;

	for (p = cmd->opts; *p; p++)
		if (*p == opt)
			return true;
	return false;
}

/* "'memlens ps'", "the summary" or "--prometheus", for messages. */
static const char *cmd_str(const struct command *cmd, char *buf, size_t len)
{
	if (cmd == CMD_SUMMARY)
		return "the summary";
	if (cmd == CMD_PROMETHEUS)
		return cmd->name;
	snprintf(buf, len, "'memlens %s'", cmd->name);
	return buf;
}

/*
 * Refuse, in one line, the first option given that @cmd does not take,
 * naming those that take it.
 */
static void check_options(const struct command *cmd, const bool *given)
{
	char where[256], name[32];
	const struct option *lo;
	size_t i, n;

	for (lo = longopts; lo->name; lo++) {
		/* every command reads the files */
		if (!given[lo->val] || lo->val == OPT_DEBUGFS || takes(cmd, lo->val))
			continue;
		for (i = n = 0, where[0] = '\0'; i < ARRAY_SIZE(commands); i++)
			if (takes(&commands[i], lo->val) && n < sizeof(where))
				n += snprintf(where + n, sizeof(where) - n, "%s%s", n ? ", " : "",
					      commands[i].name[0] ? commands[i].name : "the summary");
		errx(ML_EXIT_FAIL, "--%s does not apply to %s (only to %s)", lo->name,
		     cmd_str(cmd, name, sizeof(name)), where);
	}
}

/* -p 1 -p 2 is -p 1,2: a repeated list adds to the one before. */
static const char *add_list(const char *list, const char *more)
{
	char *both;

	if (!list)
		return more;
	if (asprintf(&both, "%s,%s", list, more) < 0)
		err(ML_EXIT_FAIL, "asprintf");
	return both;		/* lives until exit */
}

int main(int argc, char **argv)
{
	struct ml_options o = { .debugfs = MEMLENS_DEFAULT_PATH, .groups = 100,
				.slab_min = 1 << 20, .max_series = 2000 };
	const struct command *cmd = CMD_SUMMARY;
	bool given[OPT_END] = { false };
	int c;

	setlocale(LC_ALL, "");
	/* a decimal point, whatever the locale: -r and -J are read by programs */
	setlocale(LC_NUMERIC, "C");
	while ((c = getopt_long(argc, argv, "o:Hs:t:p:c:u:w:bJrnhV", longopts, NULL)) != -1) {
		if (c > 0 && c < OPT_END)
			given[c] = true;
		switch (c) {
		case 'o': o.output = optarg; break;
		case OPT_OUTPUT_ALL: o.output_all = true; break;
		case 'H': break;
		case 's': o.sort = optarg; break;
		case OPT_REVERSE: o.reverse = true; break;
		case 't': o.top = number(optarg, "number of rows", 1); break;
		case 'p': o.pids = add_list(o.pids, optarg); break;
		case 'c': o.comm = add_list(o.comm, optarg); break;
		case 'u': o.user = add_list(o.user, optarg); break;
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
		case OPT_COLOR: o.colour = colour_mode(optarg); break;
		case OPT_TEXTFILE: o.textfile = optarg; break;
		case OPT_GROUP_BY: o.group_by_user = group_by(optarg); break;
		case OPT_GROUPS: o.groups = number(optarg, "number of groups", 0); break;
		case OPT_PER_PROCESS: o.per_process = number(optarg, "number of processes", 0); break;
		case OPT_SLAB_MIN: o.slab_min = size_arg(optarg, "--slab-min"); break;
		case OPT_MAX_SERIES: o.max_series = number(optarg, "number of series", 100); break;
		case 'h': usage();
		case 'V': printf("memlens %s\n", MEMLENS_VERSION); return ML_EXIT_OK;
		default: try_help();
		}
	}
	if (optind < argc)
		cmd = command(argv[optind++]);
	if (cmd->paths) {
		o.paths = argv + optind;
		o.npaths = argc - optind;
		optind = argc;
	}
	if (optind < argc) {
		warnx("unexpected argument: %s", argv[optind]);
		try_help();
	}
	if (o.prometheus && cmd == CMD_SUMMARY) {
		/* not the summary, but what --prometheus takes */
		cmd = CMD_PROMETHEUS;
		given[OPT_PROMETHEUS] = false;
	}
	check_options(cmd, given);
	/* as lsblk: one output format */
	if (o.json && o.raw)
		errx(ML_EXIT_FAIL, "mutually exclusive arguments: --json --raw");
	if (given['H']) {
		cmd->columns();
		return ML_EXIT_OK;
	}
	if (o.count && o.watch <= 0)
		errx(ML_EXIT_FAIL, "--count needs --watch");
	/* a bad pid, user or pattern is refused before anything is read */
	ml_select_prepare(&o);
	return cmd->run(&o);
}
