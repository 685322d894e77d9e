// SPDX-License-Identifier: GPL-2.0
/*
 * memlens: read the memlens kernel module's debugfs files and show a
 * system's memory as tables, JSON, live deltas or Prometheus metrics.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

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

/*
 * --by-dir's depth: --by-dir=N, or --by-dir N as du -d takes it (a path
 * of digits alone is then written ./N); 1 without.
 */
static long by_dir_depth(const char *arg, int argc, char **argv)
{
	if (!arg && optind < argc && argv[optind][0] &&
	    strspn(argv[optind], "0123456789") == strlen(argv[optind]))
		arg = argv[optind++];
	return arg ? number(arg, "depth", 0) : 1;
}

/* What files takes only with --by-dir, or only without it; or not with --cgroup. */
static void check_by_dir(const struct ml_options *o, const bool *given)
{
	if (!o->by_dir && given['w'])
		errx(ML_EXIT_FAIL, "--watch needs --by-dir in 'memlens files'");
	if (o->by_dir && (o->deleted || o->dirty))
		errx(ML_EXIT_FAIL, "--%s does not apply to --by-dir (a directory's files are summed)",
		     o->deleted ? "deleted" : "dirty");
	if (o->ncgroups && (o->by_dir || o->deleted))
		errx(ML_EXIT_FAIL, "--%s does not apply to --cgroup (the cgroup_files view has "
		     "no directories, no link counts)", o->by_dir ? "by-dir" : "deleted");
}

/* What cgroups takes only without --files: its files are read once, for -J or people. */
static void check_files(const struct ml_options *o)
{
	if (o->files_top && (o->watch > 0 || o->raw))
		errx(ML_EXIT_FAIL, "--files does not apply to --%s (-J has the files)",
		     o->raw ? "raw" : "watch");
}

/*
 * --files' count: --files=N, or --files N (a number alone); 3 without.
 */
static long files_count(const char *arg, int argc, char **argv)
{
	if (!arg && optind < argc && argv[optind][0] &&
	    strspn(argv[optind], "0123456789") == strlen(argv[optind]))
		arg = argv[optind++];
	return arg ? number(arg, "number of files", 1) : 3;
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

/* memlens files --by-dir or --cgroup, whose columns -H lists instead of the files' */
static bool by_dir, by_cgroup;

static void files_columns(void)
{
	if (by_cgroup)
		ml_print_columns(ml_cgfiles_columns(), ml_cgfiles_ncols());
	else if (by_dir)
		ml_print_columns(ml_dirs_columns(true, false), ml_dirs_ncols());
	else
		ml_print_columns(ml_files_columns(false), ml_files_ncols());
}

static void shared_columns(void)
{
	ml_print_columns(ml_files_columns(true), ml_files_ncols());
}

static void pages_columns(void)
{
	ml_print_columns(ml_pages_columns(true, true, true), ml_pages_ncols());
}

static void vmalloc_columns(void)
{
	ml_print_columns(ml_vmalloc_columns(), ml_vmalloc_ncols());
}

static void cgroups_columns(void)
{
	ml_print_columns(ml_cgroups_columns(true, false), ml_cgroups_ncols());
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
	OPT_PER_NODE, OPT_BY_DIR, OPT_DYING, OPT_CGROUP, OPT_CGROUPS, OPT_FILES, OPT_END
};

/*
 * Every option, once: getopt's table, the short options and each line of
 * --help are made from this.  @val is the short option's letter, or an
 * OPT_ value for a long-only one; @arg is how --help shows its argument.
 */
static const struct opt {
	int val;
	int has_arg;
	const char *name;
	const char *arg;
	const char *help;
} opts[] = {
	/* the tables */
	{ 'o', required_argument, "output", " <list>",
	  "columns to show; +<list> adds to the default" },
	{ OPT_OUTPUT_ALL, no_argument, "output-all", "", "show every column" },
	{ 'H', no_argument, "list-columns", "", "list the columns and exit" },
	{ 's', required_argument, "sort", " [+-]<col>", "sort by column (sizes largest first)" },
	{ OPT_REVERSE, no_argument, "reverse", "", "sort the other way round" },
	{ 't', required_argument, "top", " <n>",
	  "show only the first n rows (by size without -s)" },
	/* which processes */
	{ 'p', required_argument, "pid", " <list>", "only these processes (comma-separated)" },
	{ 'c', required_argument, "comm", " <regexes>", "only processes whose command matches one" },
	{ 'u', required_argument, "user", " <users>",
	  "only processes of these user names or uids" },
	{ 'A', no_argument, "kthreads", "", "kernel threads too (they own no user memory)" },
	{ OPT_CGROUP, required_argument, "cgroup", " <path>",
	  "only processes in this memory cgroup or below it" },
	/* the live view */
	{ 'w', required_argument, "watch", " <seconds>", "repeat, with the changes since the last" },
	{ OPT_COUNT, required_argument, "count", " <n>", "stop after n samples of --watch" },
	/* which files */
	{ OPT_FSTYPE, required_argument, "fstype", " <list>",
	  "only files on these filesystem types" },
	{ OPT_DELETED, no_argument, "deleted", "", "only deleted files" },
	{ OPT_DIRTY, no_argument, "dirty", "", "only files with dirty or writeback pages" },
	{ OPT_MOUNTINFO, required_argument, "mountinfo", " <file>",
	  "mount table to resolve full paths with" },
	{ OPT_BY_DIR, optional_argument, "by-dir", " [<depth>]",
	  "by directory, with what is below, to depth (1)" },
	{ OPT_PER_NODE, no_argument, "per-node", "", "a row per NUMA node and class" },
	{ OPT_DYING, no_argument, "dying", "", "only dying cgroups, under their ancestors" },
	{ OPT_FILES, optional_argument, "files", " [<n>]",
	  "each cgroup's n largest files under it (3)" },
	/* how the output looks */
	{ OPT_COLOR, optional_argument, "color", "[=<when>]",
	  "colour the bar: auto, always or never" },
	{ 'b', no_argument, "bytes", "", "sizes in bytes, not K/M/G" },
	{ 'J', no_argument, "json", "", "JSON output" },
	{ 'r', no_argument, "raw", "", "raw output" },
	{ 'n', no_argument, "noheadings", "", "no header line" },
	/* Prometheus metrics */
	{ OPT_PROMETHEUS, no_argument, "prometheus", "",
	  "Prometheus metrics (memlens --prometheus --help)" },
	{ OPT_TEXTFILE, required_argument, "textfile", " <dir>",
	  "write <dir>/memlens.prom, replacing it whole" },
	{ OPT_GROUP_BY, required_argument, "group-by", " comm|user", "sum processes by these" },
	{ OPT_GROUPS, required_argument, "groups", " <n>", "the n groups with the most RSS" },
	{ OPT_PER_PROCESS, required_argument, "per-process", " <n>",
	  "and the n processes with the most RSS" },
	{ OPT_CGROUPS, required_argument, "cgroups", " <n>",
	  "the n memory cgroups with the most memory" },
	{ OPT_SLAB_MIN, required_argument, "slab-min", " <size>",
	  "slab caches of this size or more" },
	{ OPT_MAX_SERIES, required_argument, "max-series", " <n>", "write at most n series" },
	/* where to read */
	{ OPT_PROC, required_argument, "proc", " <dir>",
	  "read /proc/PID files here (default /proc)" },
	{ OPT_DEBUGFS, required_argument, "debugfs", " <dir>",
	  "the files here, not in " MEMLENS_DEFAULT_PATH },
	{ 'h', no_argument, "help", "", "display this help" },
	{ 'V', no_argument, "version", "", "display version" },
};

/* What every table takes; --debugfs, --help and --version go everywhere. */
#define TABLE_OPTS	'o', OPT_OUTPUT_ALL, 'H', 's', OPT_REVERSE, 't', 'b', 'J', 'r', 'n'
#define SELECT_OPTS	'p', 'c', 'u'
#define FILE_OPTS	OPT_FSTYPE, OPT_DELETED, OPT_DIRTY, OPT_MOUNTINFO

/*
 * The commands, each with the options it takes: any other is refused
 * rather than ignored, and its --help lists these.  --prometheus is a row
 * of its own, for what it takes in place of the summary.
 */
static const struct command {
	const char *name;
	const char *synopsis;		/* after "memlens NAME" */
	const char *what;		/* one line, for --help */
	int (*run)(const struct ml_options *o);
	const int *opts;		/* ends with 0 */
	void (*columns)(void);		/* -H */
	bool paths;			/* path prefixes follow */
	const char *note;		/* for --help, after what */
} commands[] = {
	{ .name = "", .synopsis = "[options]", .run = ml_cmd_summary, .columns = ps_columns,
	  .what = "a summary: memory by use, top processes",
	  .opts = (const int[]){ 'o', OPT_OUTPUT_ALL, 'H', 's', OPT_REVERSE, 't', 'b', 'n',
				 SELECT_OPTS, OPT_MOUNTINFO, OPT_PROMETHEUS, OPT_COLOR, 0 } },
	{ .name = "ps", .synopsis = "[options]", .run = ml_cmd_ps, .columns = ps_columns,
	  .what = "every process's memory",
	  .opts = (const int[]){ TABLE_OPTS, SELECT_OPTS, 'A', OPT_CGROUP, 'w', OPT_COUNT, OPT_PROC,
				 0 } },
	{ .name = "mem", .synopsis = "[options]", .run = ml_cmd_mem, .columns = mem_columns,
	  .what = "where physical memory is",
	  .opts = (const int[]){ TABLE_OPTS, 0 } },
	{ .name = "slab", .synopsis = "[options]", .run = ml_cmd_slab, .columns = slab_columns,
	  .what = "the slab caches, with their waste",
	  .opts = (const int[]){ TABLE_OPTS, 0 } },
	{ .name = "files", .synopsis = "[options] [path...]", .run = ml_cmd_files,
	  .columns = files_columns, .paths = true, .what = "the page cache, file by file",
	  .note = "With --by-dir, by directory as du -d <depth> | sort -rh shows disk usage:\n"
		  "each directory down to <depth> (1) below / or below each path, with\n"
		  "the sums of everything under it, largest first. Totals count every file.\n"
		  "With --cgroup, the page cache charged to the cgroup and those below it,\n"
		  "each file's summed over them, largest first.\n",
	  .opts = (const int[]){ TABLE_OPTS, FILE_OPTS, OPT_BY_DIR, OPT_CGROUP, 'w', OPT_COUNT,
				 0 } },
	{ .name = "shared", .synopsis = "[options] [path...]", .run = ml_cmd_shared,
	  .columns = shared_columns, .paths = true, .what = "mapped files, held once, in RSS",
	  .opts = (const int[]){ TABLE_OPTS, FILE_OPTS, 0 } },
	{ .name = "pages", .synopsis = "[options]", .run = ml_cmd_pages,
	  .columns = pages_columns, .what = "every page of RAM by use, largest first",
	  .note = "The classes largest first, as slabtop orders caches (node by node with\n"
		  "--per-node; -t N keeps the N largest of each node). They add up to the\n"
		  "RAM present, which the total line holds against MemTotal.\n",
	  .opts = (const int[]){ TABLE_OPTS, OPT_PER_NODE, 'w', OPT_COUNT, 0 } },
	{ .name = "vmalloc", .synopsis = "[options]", .run = ml_cmd_vmalloc,
	  .columns = vmalloc_columns, .what = "vmalloc memory by caller, largest first",
	  .note = "From /proc/vmallocinfo, which only root can read. SIZE is the pages the\n"
		  "areas allocated (pages=); an area mapping memory allocated elsewhere\n"
		  "(ioremap, vmap, VM_MAP) has none and counts only in AREAS.\n",
	  .opts = (const int[]){ TABLE_OPTS, OPT_PROC, 0 } },
	{ .name = "cgroups", .synopsis = "[options]", .run = ml_cmd_cgroups,
	  .columns = cgroups_columns, .what = "the memory cgroups as a tree",
	  .note = "Each cgroup under its parent, a parent's children largest first (by\n"
		  "current, or -s); -t N keeps the N first and their ancestors. The root\n"
		  "has no memory.current: its CURRENT, marked *, is anon + file + kernel\n"
		  "+ sock of its memory.stat, what memory.current counts.\n"
		  "-J has every column in bytes, unless -o names them. --files lists\n"
		  "under each cgroup the files charged to it (not below it), in its FILE.\n",
	  .opts = (const int[]){ TABLE_OPTS, OPT_DYING, OPT_FILES, OPT_MOUNTINFO, 'w', OPT_COUNT,
				 0 } },
	/* its pid comes as the paths do */
	{ .name = "map", .synopsis = "[options] <pid>", .run = ml_cmd_map, .columns = map_columns,
	  .paths = true, .what = "a process's address space, low to high",
	  .opts = (const int[]){ TABLE_OPTS, 'w', OPT_COUNT, OPT_PROC, 0 } },
	{ .name = "version", .synopsis = "", .run = ml_cmd_version,
	  .what = "reader, module and kernel versions", .opts = (const int[]){ 0 } },
	{ .name = "--prometheus", .synopsis = "[options]", .run = ml_prometheus,
	  .what = "the views as Prometheus metrics",
	  .opts = (const int[]){ SELECT_OPTS, 't', OPT_MOUNTINFO, OPT_TEXTFILE, OPT_GROUP_BY,
				 OPT_GROUPS, OPT_PER_PROCESS, OPT_CGROUPS, OPT_SLAB_MIN, OPT_MAX_SERIES,
				 0 } },
};
#define CMD_SUMMARY	(&commands[0])
#define CMD_PS		(&commands[1])
#define CMD_PROMETHEUS	(&commands[ARRAY_SIZE(commands) - 1])

/* What every command takes, besides its own. */
static const int common_opts[] = { OPT_DEBUGFS, 'h', 'V', 0 };

static const struct opt *opt_of(int val)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(opts); i++)
		if (opts[i].val == val)
			return &opts[i];
	return NULL;
}

/* Where an option means something of its own to a command. */
static const struct {
	const char *cmd;
	int val;
	const char *help;
} opt_notes[] = {
	{ "", 't', "the n processes with the most RSS (default 10)" },
	{ "--prometheus", 't', "the n files with the most page cache (default 10)" },
	{ "vmalloc", OPT_PROC, "read vmallocinfo and meminfo here (default /proc)" },
	{ "files", 'w', "with --by-dir: repeat, with the changes since the last" },
	{ "cgroups", 's', "sort each parent's children (default current)" },
	{ "cgroups", 't', "only the n first by the sort, and their ancestors" },
	{ "files", OPT_CGROUP, "the files charged to this cgroup or below it" },
};

/* " -o, --output <list>    columns to show ...", as util-linux aligns them. */
static void print_opts(const char *cmd, const int *vals)
{
	const struct opt *op;
	const char *help;
	char head[64];
	size_t i;

	for (; *vals; vals++) {
		op = opt_of(*vals);
		help = op->help;
		for (i = 0; i < ARRAY_SIZE(opt_notes); i++)
			if (opt_notes[i].val == op->val && !strcmp(opt_notes[i].cmd, cmd))
				help = opt_notes[i].help;
		if (op->val <= CHAR_MAX)
			snprintf(head, sizeof(head), " -%c, --%s%s", op->val, op->name, op->arg);
		else
			snprintf(head, sizeof(head), "     --%s%s", op->name, op->arg);
		printf("%-25s %s\n", head, help);
	}
}

/* "memlens ps", "memlens" or "memlens --prometheus" */
static const char *cmd_line(const struct command *cmd, char *buf, size_t len)
{
	snprintf(buf, len, "memlens%s%s", cmd->name[0] ? " " : "", cmd->name);
	return buf;
}

/*
 * --help: the summary's adds the commands; a command's is its synopsis,
 * its options and where its columns are listed.
 */
static void __attribute__((noreturn)) usage(const struct command *cmd)
{
	char name[32], line[64];
	size_t i;

	fputs("Usage:\n", stdout);
	if (cmd == CMD_SUMMARY) {
		for (i = 0; i < ARRAY_SIZE(commands); i++) {
			snprintf(line, sizeof(line), "%s %s",
				 cmd_line(&commands[i], name, sizeof(name)), commands[i].synopsis);
			printf(" %-34s %s\n", line, commands[i].what);
		}
		fputs("\nShow what the memlens kernel module sees of this system's memory.\n",
		      stdout);
		fputs("\nOptions of the summary:\n", stdout);
		print_opts(cmd->name, cmd->opts);
		fputs("\nOptions of every command:\n", stdout);
	} else {
		printf(" %s%s%s\n\n%c%s.\n", cmd_line(cmd, name, sizeof(name)),
		       *cmd->synopsis ? " " : "", cmd->synopsis,
		       toupper((unsigned char)cmd->what[0]), cmd->what + 1);
		if (cmd->note)
			printf("%s", cmd->note);
		fputs("\nOptions:\n", stdout);
		print_opts(cmd->name, cmd->opts);
		if (*cmd->opts)
			fputs("\n", stdout);
	}
	print_opts(cmd->name, common_opts);
	if (cmd->columns)
		printf("\nColumns: '%s -H' lists them, with what each means.\n",
		       cmd_line(cmd, name, sizeof(name)));
	/* the summary's help fills a screen: the three last lines together */
	if (cmd == CMD_SUMMARY)
		fputs("'memlens <command> --help' shows a command's options.\n"
		      "For more details see memlens(8).\n", stdout);
	else
		fputs("\nFor more details see memlens(8).\n", stdout);
	exit(ML_EXIT_OK);
}

static void __attribute__((noreturn)) try_help(const struct command *cmd)
{
	char name[32];

	fprintf(stderr, "Try '%s --help' for more information.\n",
		cmd_line(cmd, name, sizeof(name)));
	exit(ML_EXIT_FAIL);
}

static const struct command *command(const char *name)
{
	size_t i;

	/* neither the summary nor --prometheus is a command's name */
	for (i = 1; i < ARRAY_SIZE(commands) - 1; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	warnx("unknown command: %s", name);
	try_help(CMD_SUMMARY);
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
	const struct opt *lo;
	size_t i, n;

	for (lo = opts; lo < opts + ARRAY_SIZE(opts); lo++) {
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

/* --cgroup A --cgroup B: both (a path may hold a comma) */
static const char **add_path(const char **paths, int n, const char *path)
{
	paths = reallocarray(paths, n + 1, sizeof(*paths));
	if (!paths)
		err(ML_EXIT_FAIL, "reallocarray");
	paths[n] = path;
	return paths;	/* lives until exit */
}

/* getopt's long options and short option string, from opts[]. */
static void getopt_tables(struct option *longopts, char *shortopts)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(opts); i++) {
		longopts[i] = (struct option){ opts[i].name, opts[i].has_arg, NULL, opts[i].val };
		if (opts[i].val > CHAR_MAX)
			continue;
		*shortopts++ = (char)opts[i].val;
		if (opts[i].has_arg == required_argument)
			*shortopts++ = ':';
	}
	longopts[i] = (struct option){ NULL, 0, NULL, 0 };
	*shortopts = '\0';
}

/* The command named at @i of argv, if any; "memlens help CMD" is CMD --help. */
static const struct command *command_arg(int argc, char **argv, int *i, bool *help)
{
	if (*i < argc && !strcmp(argv[*i], "help")) {
		*help = true;
		++*i;
	}
	return *i < argc ? command(argv[(*i)++]) : CMD_SUMMARY;
}

int main(int argc, char **argv)
{
	struct ml_options o = { .debugfs = MEMLENS_DEFAULT_PATH, .groups = 100, .cgroups_top = 20,
				.slab_min = 1 << 20, .max_series = 2000 };
	struct option longopts[ARRAY_SIZE(opts) + 1];
	char shortopts[2 * ARRAY_SIZE(opts) + 1];
	const struct command *cmd;
	char command_name[32];
	bool given[OPT_END] = { false };
	bool help = false, bad = false;
	int c;

	/* getopt's messages begin with argv[0]: "memlens:", as err()'s do */
	argv[0] = program_invocation_short_name;
	getopt_tables(longopts, shortopts);
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
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
		case OPT_PER_NODE: o.per_node = true; break;
		case OPT_BY_DIR: o.depth = by_dir_depth(optarg, argc, argv); break;
		case OPT_DYING: o.dying_only = true; break;
		case OPT_CGROUP: o.cgroups = add_path(o.cgroups, o.ncgroups++, optarg); break;
		case OPT_CGROUPS: o.cgroups_top = number(optarg, "number of cgroups", 0); break;
		case OPT_FILES: o.files_top = files_count(optarg, argc, argv); break;
		case 'A': break;
		case 'h': help = true; break;
		case 'V': printf("memlens %s\n", MEMLENS_VERSION); return ML_EXIT_OK;
		/* "Try" names the command's --help: it is known after the loop */
		default: bad = true; break;
		}
	}
	/*
	 * Raw output is the same bytes in every locale, for programs to read:
	 * it loads the locale only where libsmartcols makes the table
	 * (ml_table_init()): loading one is a good part of a short command's start.
	 */
	if (!o.raw || bad || help || given['H'])
		ml_locale();
	cmd = command_arg(argc, argv, &optind, &help);
	if (o.prometheus && cmd == CMD_SUMMARY) {
		/* not the summary, but what --prometheus takes */
		cmd = CMD_PROMETHEUS;
		given[OPT_PROMETHEUS] = false;
	}
	if (bad)
		try_help(cmd);
	if (help)
		usage(cmd);
	if (cmd->paths) {
		o.paths = argv + optind;
		o.npaths = argc - optind;
		optind = argc;
	}
	if (optind < argc) {
		warnx("unexpected argument: %s", argv[optind]);
		try_help(cmd);
	}
	check_options(cmd, given);
	o.by_dir = by_dir = given[OPT_BY_DIR];
	by_cgroup = given[OPT_CGROUP];
	if (cmd->run == ml_cmd_files)
		check_by_dir(&o, given);
	if (cmd->run == ml_cmd_cgroups)
		check_files(&o);
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
	o.command = cmd_line(cmd, command_name, sizeof(command_name));
	/* as ps: a selection shows the kernel threads it names, -A all of them */
	o.hide_kthreads = cmd == CMD_PS && !given['A'] && !ml_selecting(&o);
	return cmd->run(&o);
}
