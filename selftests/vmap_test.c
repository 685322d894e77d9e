// SPDX-License-Identifier: GPL-2.0
/*
 * The pages view's classes found through the vmap areas: together they
 * are meminfo's VmallocUsed and Percpu; and a vmalloc(), a percpu
 * allocation and a module's memory planted by the test module
 * (memlens_selftest), and the stacks of 500 threads, each must move its
 * class by what was planted.
 */
#include <elf.h>
#include <pthread.h>
#include <sys/utsname.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define PAGES		MEMLENS_DIR "/pages"
#define NR_THREADS	500

static const char *const class_names[] = {
#define CLASS_NAME(id, name, help) name,
	MEMLENS_PAGE_CLASSES(CLASS_NAME)
};

/*
 * The census, each class summed over the nodes; 1 when the view is not
 * there or unsupported, -1 on a malformed file.
 */
static int read_pages(int64_t *cls)
{
	char *buf, *line, *end, name[32];
	unsigned long long node, pages;
	size_t len;
	int i, rows = 0;

	memset(cls, 0, sizeof(*cls) * MEMLENS_NR_PAGE_CLASSES);
	buf = read_file(PAGES, &len, 4096);
	if (!buf || !strncmp(buf, MEMLENS_STATUS_UNSUPPORTED, strlen(MEMLENS_STATUS_UNSUPPORTED))) {
		free(buf);
		return 1;
	}
	/* the header line, then "class node pages size" */
	for (line = strchr(buf, '\n'); line && line[1]; line = end) {
		end = strchr(++line, '\n');
		if (sscanf(line, "%31s %llu %llu", name, &node, &pages) != 3)
			break;
		for (i = 0; i < MEMLENS_NR_PAGE_CLASSES; i++)
			if (!strcmp(name, class_names[i]))
				break;
		if (i == MEMLENS_NR_PAGE_CLASSES)
			break;
		cls[i] += pages;
		rows++;
		if (!end)
			break;
	}
	free(buf);
	return rows >= MEMLENS_NR_PAGE_CLASSES ? 0 : -1;
}

static int64_t meminfo_kb(const char *key)
{
	return proc_field("/proc/meminfo", key, 1);
}

/* |got - want| within 2% of want */
#define EXPECT_WITHIN_2PCT(want, got)						\
	EXPECT_LE(llabs((long long)(got) - (long long)(want)), (long long)(want) / 50) \
		TH_LOG("expected %lld pages, got %lld", (long long)(want), (long long)(got))

/* Before and after loading the test module with @params. */
static int planted(const char *params, int64_t *before, int64_t *after)
{
	char cmd[256];
	int ret;

	sh("rmmod memlens_selftest 2>/dev/null");
	ret = read_pages(before);
	if (ret)
		return ret;
	snprintf(cmd, sizeof(cmd), "modprobe memlens_selftest %s", params);
	if (sh(cmd))
		return 2;
	ret = read_pages(after);
	sh("rmmod memlens_selftest");
	return ret;
}

FIXTURE(census) {
	int64_t before[MEMLENS_NR_PAGE_CLASSES], after[MEMLENS_NR_PAGE_CLASSES];
};

FIXTURE_SETUP(census)
{
	int ret = read_pages(self->before);

	if (ret > 0)
		SKIP(return, "no pages view");
	ASSERT_EQ(0, ret);
}

FIXTURE_TEARDOWN(census)
{
}

/* Are task stacks vmalloc'ed (CONFIG_VMAP_STACK)?  Then vmallocinfo lists them. */
static bool vmap_stacks(void)
{
	static const char *const callers[] = {
		" alloc_thread_stack_node+", " dup_task_struct+", " copy_process+", " kernel_clone+",
	};
	char line[512];
	bool found = false;
	FILE *f = fopen("/proc/vmallocinfo", "r");
	size_t i;

	while (f && !found && fgets(line, sizeof(line), f))
		for (i = 0; i < sizeof(callers) / sizeof(callers[0]); i++)
			found |= strstr(line, callers[i]) != NULL;
	if (f)
		fclose(f);
	return found;
}

/*
 * meminfo's VmallocUsed counts the pages of every vmalloc(): those of
 * vmalloc, modules and, where stacks are vmalloc'ed, kernel_stack.  Its
 * Percpu counts the first chunk's units and the dynamic chunks' populated
 * pages, as percpu does.  Each read of meminfo before and after the census
 * must bracket it, give or take 1% for what moves meanwhile.
 */
TEST_F(census, vmap_classes_equal_meminfo)
{
	int64_t used[2], percpu[2], got_used, lo, hi;
	bool stacks = vmap_stacks();

	used[0] = meminfo_kb("VmallocUsed") / PAGE_KB;
	percpu[0] = meminfo_kb("Percpu") / PAGE_KB;
	ASSERT_EQ(0, read_pages(self->after));
	used[1] = meminfo_kb("VmallocUsed") / PAGE_KB;
	percpu[1] = meminfo_kb("Percpu") / PAGE_KB;
	got_used = self->after[MEMLENS_PAGE_VMALLOC] + self->after[MEMLENS_PAGE_MODULES] +
		   (stacks ? self->after[MEMLENS_PAGE_KERNEL_STACK] : 0);
	TH_LOG("vmalloc %lld, modules %lld, kernel_stack %lld (%s), percpu %lld pages; "
	       "VmallocUsed %lld..%lld, Percpu %lld..%lld pages",
	       (long long)self->after[MEMLENS_PAGE_VMALLOC],
	       (long long)self->after[MEMLENS_PAGE_MODULES],
	       (long long)self->after[MEMLENS_PAGE_KERNEL_STACK],
	       stacks ? "vmalloc'ed" : "not vmalloc'ed",
	       (long long)self->after[MEMLENS_PAGE_PERCPU], (long long)used[0],
	       (long long)used[1], (long long)percpu[0], (long long)percpu[1]);
	lo = used[0] < used[1] ? used[0] : used[1];
	hi = used[0] < used[1] ? used[1] : used[0];
	EXPECT_GE(got_used, lo - lo / 100);
	EXPECT_LE(got_used, hi + hi / 100);
	lo = percpu[0] < percpu[1] ? percpu[0] : percpu[1];
	hi = percpu[0] < percpu[1] ? percpu[1] : percpu[0];
	EXPECT_GE(self->after[MEMLENS_PAGE_PERCPU], lo - lo / 100);
	EXPECT_LE(self->after[MEMLENS_PAGE_PERCPU], hi + hi / 100);
}

/* A vmalloc() of 16,384 pages (and its page array, 32 pages) is vmalloc. */
TEST_F(census, vmalloc_planted)
{
	int ret = planted("objects=1 vmalloc_pages=16384", self->before, self->after);

	if (ret == 2)
		SKIP(return, "no memlens_selftest module");
	ASSERT_EQ(0, ret);
	EXPECT_WITHIN_2PCT(16384, DELTA(self->after[MEMLENS_PAGE_VMALLOC],
					self->before[MEMLENS_PAGE_VMALLOC]));
}

/* The CPUs of /sys/devices/system/cpu/possible, "0-3,5"; -1 if unreadable. */
static int possible_cpus(void)
{
	size_t len;
	char *buf = read_file("/sys/devices/system/cpu/possible", &len, 4096), *p = buf;
	int n = 0, a, b;

	if (!buf)
		return -1;
	while (*p && *p != '\n') {
		if (sscanf(p, "%d-%d", &a, &b) == 2)
			n += b - a + 1;
		else if (sscanf(p, "%d", &a) == 1)
			n++;
		p += strcspn(p, ",\n");
		if (*p == ',')
			p++;
	}
	free(buf);
	return n;
}

/*
 * 16 MiB per CPU of alloc_percpu(), a page at a time: a page of each CPU's
 * unit per allocation, so 4,096 pages per possible CPU, and meminfo's
 * Percpu moves as much.
 */
TEST_F(census, percpu_planted)
{
	int cpus = possible_cpus(), ret;
	int64_t want;

	ASSERT_LT(0, cpus);
	ret = planted("objects=1 percpu_kb=16384", self->before, self->after);
	if (ret == 2)
		SKIP(return, "no memlens_selftest module");
	ASSERT_EQ(0, ret);
	want = 16384 / 4 * cpus;
	EXPECT_WITHIN_2PCT(want, DELTA(self->after[MEMLENS_PAGE_PERCPU],
					self->before[MEMLENS_PAGE_PERCPU]));
	TH_LOG("%d possible CPUs", cpus);
}

static int stop_pipe[2];

static void *sleeper(void *arg)
{
	char c;

	return read(stop_pipe[0], &c, 1) < 0 ? arg : NULL;
}

/*
 * 500 threads, sleeping: their stacks are kernel_stack, as many pages as
 * meminfo's KernelStack grows by (THREAD_SIZE each: 16 KiB, 32 KiB with
 * KASAN).  Stacks that exiting tasks left in the per-CPU cache are counted
 * before and reused, a few against 2,000 or more.
 */
TEST_F(census, thread_stacks)
{
	static pthread_t threads[NR_THREADS];
	int64_t ks_before, ks_after, want;
	pthread_attr_t attr;
	int i, n = 0;

	ASSERT_EQ(0, pipe(stop_pipe));
	ASSERT_EQ(0, pthread_attr_init(&attr));
	ASSERT_EQ(0, pthread_attr_setstacksize(&attr, 64 << 10));
	ks_before = meminfo_kb("KernelStack");
	ASSERT_EQ(0, read_pages(self->before));
	for (i = 0; i < NR_THREADS; i++)
		n += !pthread_create(&threads[i], &attr, sleeper, NULL);
	ks_after = meminfo_kb("KernelStack");
	ASSERT_EQ(0, read_pages(self->after));
	close(stop_pipe[1]);
	for (i = 0; i < n; i++)
		pthread_join(threads[i], NULL);
	close(stop_pipe[0]);
	ASSERT_EQ(NR_THREADS, n);
	want = DELTA(ks_after, ks_before) / PAGE_KB;
	TH_LOG("KernelStack grew by %lld kB: %lld kB a thread", (long long)(ks_after - ks_before),
	       (long long)((ks_after - ks_before) / NR_THREADS));
	/* a few of the system's own tasks may come and go meanwhile */
	EXPECT_GE(want, NR_THREADS * 16 / PAGE_KB * 98 / 100);
	EXPECT_WITHIN_2PCT(want, DELTA(self->after[MEMLENS_PAGE_KERNEL_STACK],
				       self->before[MEMLENS_PAGE_KERNEL_STACK]));
}

static long long module_bytes(const char *name, const char *what)
{
	char path[256];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/%s/%s", name, what);
	f = fopen(path, "r");
	if (f && fscanf(f, "%lld", &v) != 1)
		v = -1;
	if (f)
		fclose(f);
	return v;
}

/*
 * The bytes of a module file's text that stay after init: its allocated,
 * executable sections but .init.*; -1 if the file cannot be read.
 */
static long long module_text_bytes(const char *name)
{
	char cmd[128], path[512];
	long long text = -1;
	size_t len;
	Elf64_Ehdr eh;
	Elf64_Shdr *sh = NULL;
	char *names = NULL;
	FILE *f;
	int i;

	snprintf(cmd, sizeof(cmd), "modinfo -n %s", name);
	f = popen(cmd, "r");
	len = f ? fread(path, 1, sizeof(path) - 1, f) : 0;
	if (f)
		pclose(f);
	path[len] = '\0';
	path[strcspn(path, "\n")] = '\0';
	f = fopen(path, "r");
	if (!f || fread(&eh, sizeof(eh), 1, f) != 1 || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_shentsize != sizeof(*sh) ||
	    eh.e_shstrndx >= eh.e_shnum)
		goto out;
	sh = calloc(eh.e_shnum, sizeof(*sh));
	if (!sh || fseek(f, eh.e_shoff, SEEK_SET) || fread(sh, sizeof(*sh), eh.e_shnum, f) != eh.e_shnum)
		goto out;
	names = calloc(1, sh[eh.e_shstrndx].sh_size + 1);
	if (!names || fseek(f, sh[eh.e_shstrndx].sh_offset, SEEK_SET) ||
	    fread(names, 1, sh[eh.e_shstrndx].sh_size, f) != sh[eh.e_shstrndx].sh_size)
		goto out;
	text = 0;
	for (i = 0; i < eh.e_shnum; i++)
		if ((sh[i].sh_flags & (SHF_ALLOC | SHF_EXECINSTR)) == (SHF_ALLOC | SHF_EXECINSTR) &&
		    sh[i].sh_name < sh[eh.e_shstrndx].sh_size &&
		    strncmp(names + sh[i].sh_name, ".init", 5))
			text += sh[i].sh_size;
out:
	free(names);
	free(sh);
	if (f)
		fclose(f);
	return text;
}

/* From v6.14, x86 takes module text from a cache of 2 MiB ROX areas. */
static bool module_text_cached(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	return !uname(&u) && sscanf(u.release, "%d.%d", &major, &minor) == 2 &&
	       (major > 6 || (major == 6 && minor >= 14));
}

/*
 * Loading the test module moves modules by its memory: coresize, what it
 * keeps after init, in whole pages (each part of it is page-aligned).  Where
 * module text comes from the execmem ROX cache, the text is carved from a
 * cache area already counted, or the cache grows by a whole 2 MiB area: the
 * module's own pages are then coresize less its text, or that plus 512.
 */
TEST_F(census, module_loaded)
{
	long long core, text, pages, delta, want;
	int page = getpagesize();

	sh("rmmod memlens_selftest 2>/dev/null");
	ASSERT_EQ(0, read_pages(self->before));
	if (sh("modprobe memlens_selftest objects=1"))
		SKIP(return, "no memlens_selftest module");
	/* the module's init memory is freed by a worker, after the load */
	sh("sleep 1");
	ASSERT_EQ(0, read_pages(self->after));
	core = module_bytes("memlens_selftest", "coresize");
	sh("rmmod memlens_selftest");
	text = module_text_bytes("memlens_selftest");
	ASSERT_LT(0, core);
	ASSERT_LT(0, text);
	pages = (core + page - 1) / page;
	delta = DELTA(self->after[MEMLENS_PAGE_MODULES], self->before[MEMLENS_PAGE_MODULES]);
	want = pages;
	if (module_text_cached()) {
		want -= (text + page - 1) / page;
		if (delta > want + 256)
			want += 512;
	}
	TH_LOG("coresize %lld bytes (%lld pages), text %lld bytes, modules grew by %lld pages%s",
	       core, pages, text, delta, module_text_cached() ? " (text from the ROX cache)" : "");
	EXPECT_WITHIN_2PCT(want, delta);
}

TEST_HARNESS_MAIN
