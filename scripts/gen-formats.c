// SPDX-License-Identifier: GPL-2.0
/*
 * gen-formats: write docs/formats.md, the reference of memlens's debugfs
 * files, from the X-macros of include/uapi/memlens.h (make docs).
 *
 * Everything a reader of a file needs that the header defines (the views,
 * their columns or keys, units, widths and help strings, the constant
 * words) is expanded from the header; only the prose saying how each view
 * is measured is written here, in view_docs[], keyed by view.  A view with
 * no entry there still gets its section, and a warning on stderr (which
 * makes scripts/lint.sh fail) until its entry is written.
 *
 *   cc -Iinclude -o build/gen-formats scripts/gen-formats.c
 *   build/gen-formats >docs/formats.md
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uapi/memlens.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A string field outside the numeric X-macro list: a row's name or comm. */
struct field {
	const char *name;
	const char *help;
};

/* A constant of the header a reader of the view must know. */
struct constant {
	const char *macro;
	const char *str;	/* its value, or NULL for a number */
	unsigned long num;
	const char *meaning;
};

#define STR_CONSTANT(m, meaning) { #m, m, 0, meaning }
#define NUM_CONSTANT(m, meaning) { #m, NULL, m, meaning }

struct view_doc {
	const struct memlens_column *cols;	/* NULL: no table (version) */
	size_t nr_cols;
	int keys;			/* "Key: value" lines, not a table */
	const char *same_as;		/* the columns are another view's */
	const struct field *first;	/* string fields before the columns */
	size_t nr_first;
	const struct field *last;	/* and after them */
	size_t nr_last;
	const struct constant *constants;
	size_t nr_constants;
	const struct field *values;	/* the words of its first field */
	size_t nr_values;
	const char *prose;		/* how the view is measured: Markdown */
	const struct memlens_column *total;	/* its total rows' fields */
	size_t nr_total;
};

#define COLS(list) .cols = list, .nr_cols = ARRAY_SIZE(list)
#define FIRST(list) .first = list, .nr_first = ARRAY_SIZE(list)
#define LAST(list) .last = list, .nr_last = ARRAY_SIZE(list)
#define CONSTANTS(list) .constants = list, .nr_constants = ARRAY_SIZE(list)
#define VALUES(list) .values = list, .nr_values = ARRAY_SIZE(list)
#define TOTAL(list) .total = list, .nr_total = ARRAY_SIZE(list)

static const struct {
	const char *file;
	const char *help;
} views[] = {
#define VIEW_ENTRY(id, file, help) { #file, help },
	MEMLENS_VIEWS(VIEW_ENTRY)
#undef VIEW_ENTRY
};

static const char *const unit_names[] = {
	[MEMLENS_UNIT_ID] = "id",
	[MEMLENS_UNIT_COUNT] = "count",
	[MEMLENS_UNIT_KB] = "kB",
	[MEMLENS_UNIT_BYTES] = "bytes",
	[MEMLENS_UNIT_PERCENT] = "%",
	[MEMLENS_UNIT_STRING] = "string",
};

static const char *const unit_meanings[] = {
	[MEMLENS_UNIT_ID] = "an identifier (pid, uid, inode number): a decimal number",
	[MEMLENS_UNIT_COUNT] = "a plain decimal number",
	[MEMLENS_UNIT_KB] = "a size in kibibytes (1024 bytes), a decimal number",
	[MEMLENS_UNIT_BYTES] = "a size in bytes, a decimal number",
	[MEMLENS_UNIT_PERCENT] = "a whole percentage, 0 to 100",
	[MEMLENS_UNIT_STRING] = "an escaped string (see Escaping), or `MAJOR:MINOR`",
};

static const struct memlens_column proc_cols[] = {
	MEMLENS_PROC_COLUMNS(MEMLENS_COLUMN)
};

static const struct memlens_column system_keys[] = {
	MEMLENS_SYSTEM_KEYS(MEMLENS_KEY)
};

static const struct memlens_column slab_cols[] = {
	MEMLENS_SLAB_COLUMNS(MEMLENS_COLUMN)
};

static const struct memlens_column files_cols[] = {
	MEMLENS_FILES_COLUMNS(MEMLENS_COLUMN)
};

static const struct memlens_column files_total_cols[] = {
	MEMLENS_FILES_TOTAL_COLUMNS(MEMLENS_COLUMN)
};

static const struct memlens_column dirs_cols[] = {
	MEMLENS_DIRS_COLUMNS(MEMLENS_COLUMN)
};

static const struct memlens_column pss_cols[] = {
	MEMLENS_PSS_COLUMNS(MEMLENS_COLUMN)
};

static const struct memlens_column cgroups_cols[] = {
	MEMLENS_CGROUPS_COLUMNS(MEMLENS_COLUMN)
};

static const struct memlens_column cgroup_files_cols[] = {
	MEMLENS_CGROUP_FILES_COLUMNS(MEMLENS_COLUMN)
};

static const struct field cgroups_last[] = {
	{ MEMLENS_CGROUPS_STATE, MEMLENS_CGROUPS_STATE_HELP },
	{ MEMLENS_CGROUPS_PATH, MEMLENS_CGROUPS_PATH_HELP },
};

static const struct memlens_column pages_cols[] = {
	MEMLENS_PAGES_COLUMNS(MEMLENS_COLUMN)
};

static const struct field pages_first[] = {
	{ MEMLENS_PAGES_CLASS, MEMLENS_PAGES_CLASS_HELP },
};

#define CLASS_FIELD(id, name, help) { name, help },
static const struct field page_classes[] = {
	MEMLENS_PAGE_CLASSES(CLASS_FIELD)
};

static const struct field proc_last[] = {
	{ MEMLENS_PROC_COMM, MEMLENS_PROC_COMM_HELP },
};

static const struct field slab_first[] = {
	{ MEMLENS_SLAB_NAME, MEMLENS_SLAB_NAME_HELP },
};

static const struct field pss_last[] = {
	{ MEMLENS_PSS_STATUS, MEMLENS_PSS_STATUS_HELP },
	{ MEMLENS_PSS_COMM, MEMLENS_PSS_COMM_HELP },
};

static const struct constant system_constants[] = {
	STR_CONSTANT(MEMLENS_UNAVAILABLE,
		     "the value of a key the kernel gives no safe way to read"),
};

static const struct constant slab_constants[] = {
	STR_CONSTANT(MEMLENS_STATUS_UNSUPPORTED,
		     "the first word of the file's one line when the view does not work here"),
	NUM_CONSTANT(MEMLENS_SLAB_NAME_WIDTH,
		     "the name is left-aligned and padded to this width less one, as "
		     "`/proc/slabinfo` pads it"),
};

static const struct constant files_constants[] = {
	NUM_CONSTANT(MEMLENS_FILES_CAP, "the most bytes of rows one snapshot holds"),
	STR_CONSTANT(MEMLENS_FILES_TOTAL, "the first field of a superblock's total row"),
	STR_CONSTANT(MEMLENS_FILES_BELOW,
		     "begins the last line, `below KB ROWS`, when rows were left out: the "
		     "ROWS rows of less than KB kB cached"),
	STR_CONSTANT(MEMLENS_FILES_TRUNCATED, "the last line when memory ran out"),
	STR_CONSTANT(MEMLENS_FILES_NONAME, "the path of an inode with no name at all"),
	STR_CONSTANT(MEMLENS_FILES_NONAME_PREFIX,
		     "begins a path that is not a name, e.g. `<block:MAJOR:MINOR>` for a "
		     "block device's own inode (fstype `bdev`)"),
};

static const struct constant dirs_constants[] = {
	STR_CONSTANT(MEMLENS_DIRS_NODIR,
		     "the path of the row of files in no directory: block devices' own "
		     "inodes, pseudo files (memfd, SysV shm), nameless inodes"),
};

static const struct constant pss_constants[] = {
	STR_CONSTANT(MEMLENS_PSS_OK, "status: every number counted"),
	STR_CONSTANT(MEMLENS_PSS_BUSY,
		     "status: a writer held or waited for the mmap lock; every number is "
		     "`" MEMLENS_BLANK "`"),
	STR_CONSTANT(MEMLENS_PSS_PARTIAL,
		     "status: the time budget ran out; the numbers counted until then"),
	STR_CONSTANT(MEMLENS_BLANK, "a number not known"),
};

static const struct constant cgroups_constants[] = {
	STR_CONSTANT(MEMLENS_CGROUP_ONLINE, "state: the cgroup exists"),
	STR_CONSTANT(MEMLENS_CGROUP_DYING,
		     "state: removed (rmdir) but not freed: something still holds it, "
		     "page cache charged to it above all"),
	STR_CONSTANT(MEMLENS_BLANK,
		     "no such value: no limit (`max` in the file), a file the root or "
		     "cgroup1 does not have, a key this kernel does not count"),
	STR_CONSTANT(MEMLENS_STATUS_UNSUPPORTED,
		     "the first word of the file's one line when the view does not work here"),
};

static const char processes_prose[] =
"One row per process (thread group) in the reader's pid namespace, ascending\n"
"pid; the columns from `vsz` on come from the process's mm. Each value is computed as `fs/proc/task_mmu.c` `task_mem()` computes the\n"
"`/proc/PID/status` field named in its help. Kernel threads have zero memory\n"
"columns, as in `ps`. A process whose main thread has exited is read through a\n"
"thread that still runs, as the OOM killer reads it (`/proc/PID/status` shows\n"
"no memory then). `comm` is the task's 16-byte `comm`; `/proc` adds a\n"
"workqueue's name to a kworker's, memlens does not.\n"
"\n"
"From 6.12 on the rss counters are per-cpu and summed exactly\n"
"(`get_mm_counter_sum()`), as Debian's `/proc/PID/status` does; on 6.1 they\n"
"are read as `/proc` reads them, including the thread-local cache each task\n"
"flushes to them every 64 page faults.\n";

static const char system_prose[] =
"`MemTotal` to `SwapFree` are the `/proc/meminfo` values of the same name,\n"
"computed as `fs/proc/meminfo.c` computes them; `pswpin`, `pswpout`,\n"
"`pgfault` and `pgmajfault` those of `/proc/vmstat`. `ProcessRssSum` adds up\n"
"the `rss` of every row of `processes`: it exceeds the memory processes really\n"
"use, because a page shared by many processes counts once for each.\n"
"\n"
"`SwapTotal` and `SwapFree` follow `si_swapinfo()`, which is not exported;\n"
"memlens reads its variables only after verifying them\n"
"([internals](internals.md)). A swap device being swapped on or off counts in\n"
"both, as there; from 6.14 its in-use count carries a flag bit then, which\n"
"memlens masks as the kernel does (bit 30 up to 7.2.7, bit 62 since: memlens\n"
"tells them apart by the device's size, exactly unless a device of more than\n"
"4 TiB is swapped off on a kernel with the bit-30 flag).\n"
"\n"
"The keys after `BreakdownClamped`, `Mlocked` to `Unaccepted`, are more\n"
"`/proc/meminfo` values (and `hugetlb_report_meminfo()`'s), appended later: a\n"
"reader takes any of them that an older module does not print as unavailable.\n"
"A key the running kernel does not print (`CmaTotal` and `CmaFree` without\n"
"`CONFIG_CMA`, as in Debian's 6.1 and 6.12; `Unaccepted` before 6.5; the\n"
"`*HugePages` and `*PmdMapped` keys without transparent huge pages) is\n"
"unavailable. What meminfo reads that is not exported (the hugetlb pools, the\n"
"overcommit sysctls, vmalloc's and the per-cpu allocator's counts before the\n"
"kernel had node counters for them, `num_poisoned_pages`, `totalcma_pages`,\n"
"zswap's counts) memlens reads as it reads the swap variables. `Zswap` is\n"
"unavailable from 6.12, where the kernel sums it over its private list of\n"
"pools.\n"
"\n"
"The `Breakdown*` keys split `MemTotal` into parts that do not overlap and sum\n"
"to it exactly, in every read:\n"
"\n"
"| key | formula | why it does not overlap |\n"
"|---|---|---|\n"
"| `BreakdownFree` | `MemFree` | free pages are in no other counter |\n"
"| `BreakdownAnon` | `AnonPages` | mapped anonymous pages; not file pages |\n"
"| `BreakdownPageCache` | `Cached - Shmem` | `Cached` already excludes buffers "
"and swap cache; shmem is taken out |\n"
"| `BreakdownBuffers` | `Buffers` | block-device page cache, outside `Cached` |\n"
"| `BreakdownShmem` | `Shmem` | shmem/tmpfs pages, counted once here |\n"
"| `BreakdownSlabReclaimable` | `SReclaimable` | slab pages |\n"
"| `BreakdownSlabUnreclaimable` | `SUnreclaim` | slab pages |\n"
"| `BreakdownKernelStack` | `KernelStack` | vmalloc'd stacks, in no page counter "
"above |\n"
"| `BreakdownPageTables` | `PageTables` | page-table pages |\n"
"| `BreakdownOtherKernel` | `MemTotal` minus the above | everything else the kernel "
"holds: vmalloc, per-cpu, driver pages, pages on per-cpu free lists; and two "
"kinds of user memory no part above names: swap cache no process maps, and the "
"hugetlb pools |\n"
"| `BreakdownClamped` | normally 0 | see below |\n"
"\n"
"The counters are per-cpu and fold into the global ones with a delay, so the\n"
"parts can, in a rare read, exceed `MemTotal`. Then `BreakdownOtherKernel` is\n"
"0 rather than negative, the excess is taken from `BreakdownFree` (the most\n"
"volatile counter) and shown in `BreakdownClamped`.\n"
"\n"
"`BreakdownHugetlb` and `BreakdownKernelOther`, appended later, split\n"
"`BreakdownOtherKernel` in two: `Hugetlb` (every pool page of every size, used\n"
"or free: in `MemTotal` and in no part above, as pool pages leave the buddy\n"
"allocator, are never counted as mapped anonymous pages and never enter\n"
"`Cached`) and what is left, kernel memory no part names and the swap cache no\n"
"process maps (the kernel's counters cannot tell it from the swap cache\n"
"processes map, which is in `AnonPages`). A reader shows them in place of\n"
"`BreakdownOtherKernel` where the module prints them\n"
"(`MEMLENS_SYS_FIRST_OTHER_PART..MEMLENS_SYS_LAST_OTHER_PART`); both are\n"
"unavailable where `Hugetlb` is. The pools count in the excess a clamped read\n"
"takes from free, so both sets of parts sum to `MemTotal`.\n";

static const char slab_prose[] =
"One row per slab cache, in the kernel's list order; or, where the view does\n"
"not work, the one line `unsupported: <reason>`. The first seven numeric columns are those `/proc/slabinfo` (version 2.1)\n"
"prints, computed as `get_slabinfo()` computes them (on 6.12 the free count\n"
"past 10,000 partial slabs per node is extrapolated, as there). `total_kb` is\n"
"`num_slabs × pagesperslab × page size`, `active_kb` `active_objs × size`,\n"
"`waste_kb` `total_kb − active_kb` (free objects and slab tails), `eff`\n"
"`100 × active_objs × object_size / total`. The list of caches and its mutex\n"
"are not exported and the structures are private to `mm/`: how memlens reads\n"
"them is in [internals](internals.md).\n";

static const char files_prose[] =
"One row per inode that has pages in the page cache, on every superblock the\n"
"kernel has: disk filesystems, tmpfs and shmem (memfd, SysV shm and shared\n"
"anonymous memory are files there), the initramfs rootfs, and the block\n"
"devices' own inodes, whose pages are `Buffers`.\n"
"\n"
"`path` is the inode's path from the root of its own filesystem (not from\n"
"`/`: the reader adds the mount point). A deleted file keeps the name it had.\n"
"A memfd shows `memfd:NAME`, a SysV shm segment `SYSV` and its key, shared\n"
"anonymous memory `dev/zero`, a block device's inode `<block:MAJOR:MINOR>`:\n"
"the field is never blank.\n"
"\n"
"`dirty` and `writeback` are counted only for files whose inode says they may\n"
"have such pages (`I_DIRTY_PAGES`, or the inode on its superblock's writeback\n"
"list, both set with the page cache's marks and cleared after them), then only\n"
"if the page cache's marks say so; `mapped`, `in_rss` and `procs` only for\n"
"files some process maps: the cost is one step per cached inode plus the pages\n"
"of the files that are dirty or mapped. `mapped` and `in_rss` are exact for\n"
"pages of one base page (all of ext2/ext4's on these kernels, tmpfs without\n"
"`huge=`); from 6.9 on a large folio counts whole once any of it is mapped,\n"
"since the kernel no longer counts its pages' mappings one by one.\n"
"\n"
"The file is a snapshot: `open()` walks every superblock's inodes and writes\n"
"the rows into a buffer, `read()` copies from it and `close()` gives it back.\n"
"Nothing is held once `open()` returns: a filesystem whose files were just\n"
"listed unmounts at once. The buffer of the last snapshot closed is kept for\n"
"the next `open()`, and freed within 2 s.\n"
"\n"
"The rows stay within `MEMLENS_FILES_CAP` bytes (about half a million rows):\n"
"when the next row would not fit, the rows of the smallest files are cut, a\n"
"quarter of the cap at least, and files under the least size kept are left\n"
"out from then on. So every file listed has at least as much cached as every\n"
"file left out, and the largest files are always there, in memory that does\n"
"not grow with the number of files; the last line `below KB ROWS` says how\n"
"many were left out and under what size. The total rows count every inode\n"
"walked, listed or not: they are the exact totals however many files there\n"
"are. The walk ends however fast files are created: new inodes go to the\n"
"head of their superblock's list, behind the walk.\n"
"\n"
"The rows add up: `cached` summed over the `bdev` rows is `Buffers`, and over\n"
"the other rows `Cached` of `/proc/meminfo` within a few tens of kB in the test\n"
"VM. The gap is the page cache of superblocks no registered filesystem type\n"
"and no exported pointer reaches (`devtmpfs`'s internal mount, `aio` rings,\n"
"`secretmem`), pages added or removed between two counters' reads, and the\n"
"per-cpu deltas of `NR_FILE_PAGES` not yet folded into the global counter\n"
"(up to the vmstat threshold per cpu). hugetlbfs pages are in `cached` but not\n"
"in `Cached`.\n"
"\n"
"Superblocks are found with `iterate_supers_type()` for every registered\n"
"filesystem type (the list, `file_systems`, and its lock are read as\n"
"[internals](internals.md) describes), plus `blockdev_superblock` (exported)\n"
"and the superblock of init's root (pid 1's), the initramfs rootfs while init\n"
"runs from it, whose types are not registered (after a `switch_root` the\n"
"emptied rootfs has no pages left). Each superblock's inodes are walked as\n"
"`fs/drop_caches.c` walks them.\n";

static const char dirs_prose[] =
"The files of the [`files`](#files) view summed per directory: one row per\n"
"directory that has files in the page cache directly in it, not counting its\n"
"subdirectories (add the rows under a path for its recursive sums, as\n"
"`memlens files --by-dir` does), then the same total rows and `below` line.\n"
"Its memory follows the number of directories with cached files, not the\n"
"number of files: one entry of about 100 bytes and its path per directory,\n"
"freed after each superblock. A file's directory is that of the path the\n"
"files view shows for it; a file with several links counts in one.\n";

static const char mapped_prose[] =
"The rows of the `files` format for the files some process maps\n"
"(`procs` > 0 when the snapshot was taken), and no others: what\n"
"`memlens shared` reads. The walk passes over every inode that no process\n"
"maps without taking a reference or building its path, so the cost follows\n"
"the mapped files (a few thousand on most systems), not the page cache. A\n"
"reader falls back to `files` where a module has no `mapped`.\n";

static const char pss_prose[] =
"One row per process in the reader's pid namespace, ascending pid. For\n"
"example:\n"
"\n"
"    pid rss pss pss_anon pss_file pss_shmem uss swap swap_pss status comm\n"
"    1 10240 4000 3000 900 100 2048 0 0 ok init\n"
"    345 - - - - - - - - busy postgres\n"
"\n"
"Each size is the line of the running kernel's `/proc/PID/smaps_rollup` named\n"
"in its help, computed as `fs/proc/task_mmu.c` computes it, page by page, with\n"
"the same fixed-point rounding. `rss` here is smaps' (a page-table walk), not\n"
"the `processes` view's counters. hugetlb pages are not in any column, as in\n"
"smaps (only its `*_Hugetlb` lines count them); nor are `VM_PFNMAP` mappings,\n"
"the zero page or other special mappings. Transparent huge pages, swap\n"
"entries, pages under migration, shmem (and its swap) and KSM pages count as\n"
"smaps counts them.\n"
"\n"
"It never waits for the process measured. Its `mmap_lock` is only ever\n"
"try-locked: a process whose lock a writer holds or waits for is `busy`, with\n"
"`-` for every number, never a stale or partial one. The lock is held for at\n"
"most 16 page tables, then let go (sooner when a writer queues or another task\n"
"wants the CPU), and the walk resumes at the same address with the VMA looked\n"
"up again, as smaps_rollup itself does when contended. When it let go for a\n"
"waiting writer, it leaves the process alone for 100 µs before trying again,\n"
"twice as long each time in a row up to 2 ms: a process that maps and unmaps\n"
"in a loop then pays one wake-up every few milliseconds, not one per call,\n"
"and a long walk of such a process is more likely to end `partial`. Each\n"
"process has a budget, `pss_budget_ms` (module parameter, set at load time,\n"
"default 1000 ms, 0 for none), past which its row is `partial`: what was\n"
"counted until then.\n"
"\n"
"Where smaps uses functions a module cannot call (`walk_page_vma()`,\n"
"`pte_offset_map_lock()`, `vm_normal_page()`, `swp_swapcount()`,\n"
"`shmem_swap_usage()`), memlens does what they do with the kernel's inline\n"
"primitives, under the protection they rely on ([internals](internals.md)).\n"
"Where the swap counts cannot be read (lockdown), `swap_pss` is `-` for a\n"
"process with swap and the version file says\n"
"`pss: partial: swap_pss unavailable: <reason>`.\n";

static const char pages_prose[] =
"A census of physical memory: every page of present RAM (the zones'\n"
"`present` pages, as `/proc/zoneinfo` prints them) is in exactly one class,\n"
"so a node's rows add up to its present pages, to the page. The rows come\n"
"node by node, every class of every online node, 0 included, in the order\n"
"below; a class added later is appended, and its pages leave `untyped` or\n"
"`reserved`, never another class.\n"
"\n"
"The module walks every online section's `struct page`s, one section at a\n"
"time (memory hot-unplug waits for the section being read), and sorts each\n"
"page by what it says of itself, read racily as `/proc/kpageflags` reads it:\n"
"its page type or flags (free blocks, slab, page tables, hugetlb, zspages,\n"
"large kmallocs, offline), the page pool's signature, `PG_reserved`, and for\n"
"the rest the folio's mapping (anonymous, swap cache, shmem, a block device's\n"
"page cache, a file's). A free block, a folio or a hugetlb page is read once,\n"
"at its head. Pages that say nothing are `untyped` and pages reserved at boot\n"
"`reserved`; kernel structures then claim, from those two only, the pages\n"
"they own: the memmap (the vmemmap's page tables give the pages behind each\n"
"online section's `struct page`s), the kernel image (x86's resources of its\n"
"text, rodata, data and bss, and the brk in use), and the vmalloc areas, as\n"
"`/proc/vmallocinfo` walks them: task stacks, modules, percpu chunks, the\n"
"rest. The pages on the per-CPU free lists look untyped; their counts (as\n"
"`/proc/zoneinfo` reads them) move as many pages to `free`. The holes in a\n"
"section (firmware ranges, the end of RAM) have a `struct page` marked\n"
"`PG_reserved` too: per node, the pages walked less the present ones are\n"
"holes, and are taken out of `reserved`.\n"
"\n"
"Against `/proc/meminfo`: `free` is MemFree plus the per-CPU lists;\n"
"`pagetables` is PageTables; `swapcache` SwapCached; `hugetlb` Hugetlb;\n"
"`slab` the slab caches' own pages (Slab also counts large kmallocs, which\n"
"are `untyped` before 7.x and `large_kmalloc` from it); `shmem`, `file`,\n"
"`buffers` and `swapcache` together are the kernel's file pages (Cached +\n"
"Buffers + SwapCached) but for pages truncated while someone holds them\n"
"(`untyped`). `kernel_stack` also counts stacks cached for reuse or waiting\n"
"to be freed, which KernelStack does not.\n"
"\n"
"Where a structure cannot be read on the running kernel, the version file\n"
"says `pages: partial: <classes> unavailable: <reason>` and their pages stay\n"
"`untyped` (or `reserved`, for the kernel image).\n";

static const char cgroups_prose[] =
"One row per memory cgroup, parents before their children, in the order of a\n"
"walk from the memory controller's root (cgroup2's root, or the cgroup1 memory\n"
"hierarchy's). A removed cgroup stays in the kernel as long as something\n"
"holds it, most often page cache charged to it: it is listed `dying` until it\n"
"is freed, which no file in `/sys/fs/cgroup` shows. For example:\n"
"\n"
"    id procs current max high swap oom_kill anon file ... state path\n"
"    1 0 - - - - 0 40960 102400 ... online /\n"
"    2117 3 65536 131072 - 0 0 16384 49152 ... online /system.slice/nginx.service\n"
"    2290 0 8192 - - 0 0 0 8192 ... dying /system.slice/old.service\n"
"\n"
"Each value is what the cgroup's file named in its help prints, read as\n"
"`mm/memcontrol.c` reads it, in kB (bytes / 1024, rounded down): `current`,\n"
"`max`, `high` and `swap` from the cgroup's page counters, `oom_kill` from its\n"
"memory events, the rest from its statistics. `memory.stat` prints the\n"
"statistics as their last flush left them; the kernel flushes them every two\n"
"seconds, and before `memory.stat` is read if enough changed since. memlens\n"
"cannot call the flush (it is not exported) and adds what the flush would add\n"
"(each CPU's changes since the last one, and the counts pending from the\n"
"cgroups below), without writing anything: at rest the numbers are\n"
"`memory.stat`'s, and between flushes they are the newer. The root has no\n"
"`memory.current`, `memory.max`, `memory.high` or `memory.swap.current`;\n"
"cgroup1 has no `memory.high` or `memory.swap.current`: those are `-`.\n"
"`procs` counts the processes in the cgroup itself, not below, that have\n"
"memory (an mm), in the reader's pid namespace; the `processes` view's\n"
"`cgroup` column gives each process's cgroup id. The cgroups are walked with\n"
"a reference on the one read and RCU from one to the next, as\n"
"`mem_cgroup_iter()` walks them; the rows are made at the first read.\n";

static const char cgroup_files_prose[] =
"The page cache of every file split by the memory cgroup each page is\n"
"charged to: one row per file and cgroup, so a file read in three cgroups has\n"
"three rows. `cgroup` is the [`cgroups`](#cgroups) view's id (the memory\n"
"cgroup's directory inode); the reader joins the two for the path. The files\n"
"are walked as the [`files`](#files) view walks them, each file's folios read\n"
"for their memcg (`folio_memcg()`, with a reference on the folio, as\n"
"`filemap_get_entry()` takes one): its cost follows the cached pages, not only\n"
"the files. The rows of a cgroup add up to its `memory.stat` `file`, but for\n"
"page cache no superblock walk reaches (pages truncated while someone holds\n"
"them). The rows stay within the files view's cap, cut by size the same way\n"
"(`below` counts rows); then come the files view's total rows, counted per\n"
"file, whatever the cgroups. On 7.2 and later a removed cgroup's pages are\n"
"given to its parent, and show there.\n";

static const struct view_doc view_docs[MEMLENS_NR_VIEWS] = {
	[MEMLENS_VIEW_PROCESSES] = {
		COLS(proc_cols), LAST(proc_last), .prose = processes_prose,
	},
	[MEMLENS_VIEW_SYSTEM] = {
		COLS(system_keys), .keys = 1, CONSTANTS(system_constants),
		.prose = system_prose,
	},
	[MEMLENS_VIEW_SLAB] = {
		COLS(slab_cols), FIRST(slab_first), CONSTANTS(slab_constants),
		.prose = slab_prose,
	},
	[MEMLENS_VIEW_FILES] = {
		COLS(files_cols), CONSTANTS(files_constants), .prose = files_prose,
		TOTAL(files_total_cols),
	},
	[MEMLENS_VIEW_MAPPED] = {
		.same_as = "files", .prose = mapped_prose,
	},
	[MEMLENS_VIEW_PSS] = {
		COLS(pss_cols), LAST(pss_last), CONSTANTS(pss_constants),
		.prose = pss_prose,
	},
	[MEMLENS_VIEW_PAGES] = {
		COLS(pages_cols), FIRST(pages_first), VALUES(page_classes),
		.prose = pages_prose,
	},
	[MEMLENS_VIEW_DIRS] = {
		COLS(dirs_cols), CONSTANTS(dirs_constants), .prose = dirs_prose,
		TOTAL(files_total_cols),
	},
	[MEMLENS_VIEW_CGROUP_FILES] = {
		COLS(cgroup_files_cols), .prose = cgroup_files_prose,
		TOTAL(files_total_cols),
	},
	[MEMLENS_VIEW_CGROUPS] = {
		COLS(cgroups_cols), LAST(cgroups_last), CONSTANTS(cgroups_constants),
		.prose = cgroups_prose,
	},
};

static const char preamble[] =
"<!-- Generated by `make docs` from include/uapi/memlens.h and\n"
"     scripts/gen-formats.c: edit those, not this file. -->\n"
"\n"
"# The debugfs files\n"
"\n"
"memlens.ko writes its views as plain-text files in `" MEMLENS_DEFAULT_PATH "/`,\n"
"mode 0400 (root only). Their formats are a contract between the module, the\n"
"reader and your scripts, defined once as X-macros in\n"
"[`include/uapi/memlens.h`](../include/uapi/memlens.h), which both sides\n"
"include; this page is generated from them. Formats only ever grow by\n"
"appending columns or keys: read a table by its header line, not by position.\n"
"The reader's view of the same numbers is in\n"
"[`memlens(8)`](../userspace/memlens.8); how the module gets them is in\n"
"[internals](internals.md).\n"
"\n"
"Root only means the files' owner, the host's uid 0: debugfs checks the mode,\n"
"not ptrace access as `/proc/PID/smaps` does, so a root process that entered a\n"
"user namespace still reads every process's rows, where `/proc` refuses it\n"
"the smaps of a process outside the namespace. Whoever can read them is root\n"
"on the host already.\n";

static const char table_rules[] =
"## Rows\n"
"\n"
"A table is a header line naming the columns, then one row per record, each\n"
"one line of whitespace-separated fields. Where every column's width is 0 the\n"
"fields are separated by one space and not padded: such a table can have tens\n"
"of thousands of rows, and `column -t` aligns it for a person. A non-zero\n"
"width is the width a value is right-aligned to.\n"
"\n"
"A number that is not known is `" MEMLENS_BLANK "` (`MEMLENS_BLANK`), never 0;\n"
"a key of `system` the kernel gives no safe way to read has the value\n"
"`" MEMLENS_UNAVAILABLE "` (`MEMLENS_UNAVAILABLE`).\n";

static void print_escaping(void)
{
	int c, start = -1;
	const char *sep = "";

	printf("## Escaping\n\n");
	printf("A string field (a process's `comm`, a cache's `name`, a file's `path`) is\n"
	       "written with every byte for which `MEMLENS_MUST_ESCAPE()` is true replaced\n"
	       "by a backslash and three octal digits, as `/proc/mounts` does. Those bytes\n"
	       "are: ");
	for (c = 0; c <= 256; c++) {
		int esc = c < 256 && MEMLENS_MUST_ESCAPE(c);

		if (esc && start < 0)
			start = c;
		if (esc || start < 0)
			continue;
		if (start == c - 1 && start > 0x20 && start < 0x7f)
			printf("%s0x%02x (`%c`)", sep, start, start);
		else if (start == c - 1)
			printf("%s0x%02x", sep, start);
		else
			printf("%s0x%02x to 0x%02x", sep, start, c - 1);
		sep = ", ";
		start = -1;
	}
	printf(".\nSo `\\%03o` is a space, `\\%03o` a newline, `\\%03o` a backslash,\n",
	       ' ', '\n', '\\');
	printf("and an empty string is `\\000`. A field never contains whitespace, and a\n"
	       "process naming itself `\"x\\n1 2 3\"` cannot forge a row.\n\n");
}

static void print_units(void)
{
	size_t i;

	printf("## Units\n\n| unit | how a value is written |\n|---|---|\n");
	for (i = 0; i < ARRAY_SIZE(unit_names); i++)
		printf("| %s | %s |\n", unit_names[i], unit_meanings[i]);
	printf("\n");
}

static void print_version(void)
{
	size_t i;

	printf("## `%s`\n\n", MEMLENS_FILE_VERSION);
	printf("`key: value` lines: the module's version, the running kernel's release,\n"
	       "then one line per view, keyed by the view's file name, in this order:\n\n");
	printf("    %s: VERSION\n    %s: RELEASE\n", MEMLENS_KEY_MODULE, MEMLENS_KEY_KERNEL);
	for (i = 0; i < ARRAY_SIZE(views); i++)
		printf("    %s: STATUS\n", views[i].file);
	printf("\nA view's STATUS is one of:\n\n"
	       "- `%s`: the view works;\n"
	       "- `%s: <what> unavailable: <reason>`: the view works, but some of its\n"
	       "  numbers cannot be had on this kernel, and are blank;\n"
	       "- `%s: <reason>`: the view does not work here, and says why.\n\n",
	       MEMLENS_STATUS_AVAILABLE, MEMLENS_STATUS_PARTIAL, MEMLENS_STATUS_UNSUPPORTED);
}

static void print_views(void)
{
	size_t i;

	printf("## The views\n\n| file | what it shows |\n|---|---|\n");
	printf("| [`%s`](#%s) | the module, the kernel, and which views work |\n",
	       MEMLENS_FILE_VERSION, MEMLENS_FILE_VERSION);
	for (i = 0; i < ARRAY_SIZE(views); i++)
		printf("| [`%s`](#%s) | %s |\n", views[i].file, views[i].file, views[i].help);
	printf("\n");
}

static int any_width(const struct view_doc *d)
{
	size_t i;

	for (i = 0; i < d->nr_cols; i++)
		if (d->cols[i].width)
			return 1;
	return 0;
}

static void print_field_row(const char *name, const char *help, int width)
{
	printf("| `%s` | %s |%s %s |\n", name, unit_names[MEMLENS_UNIT_STRING],
	       width ? " |" : "", help);
}

static void print_columns(const struct view_doc *d)
{
	int width = any_width(d);
	size_t i;

	if (d->keys) {
		printf("| key | unit | meaning |\n|---|---|---|\n");
		for (i = 0; i < d->nr_cols; i++)
			printf("| `%s` | %s | %s |\n", d->cols[i].name,
			       unit_names[d->cols[i].unit], d->cols[i].help);
		printf("\n");
		return;
	}
	printf("Header line:\n\n    ");
	for (i = 0; i < d->nr_first; i++)
		printf("%s ", d->first[i].name);
	for (i = 0; i < d->nr_cols; i++)
		printf("%s%s", d->cols[i].name, i + 1 < d->nr_cols || d->nr_last ? " " : "");
	for (i = 0; i < d->nr_last; i++)
		printf("%s%s", d->last[i].name, i + 1 < d->nr_last ? " " : "");
	printf("\n\n| column | unit |%s meaning |\n|---|---|%s---|\n",
	       width ? " width |" : "", width ? "---|" : "");
	for (i = 0; i < d->nr_first; i++)
		print_field_row(d->first[i].name, d->first[i].help, width);
	for (i = 0; i < d->nr_cols; i++) {
		printf("| `%s` | %s |", d->cols[i].name, unit_names[d->cols[i].unit]);
		if (width)
			printf(" %u |", d->cols[i].width);
		printf(" %s |\n", d->cols[i].help);
	}
	for (i = 0; i < d->nr_last; i++)
		print_field_row(d->last[i].name, d->last[i].help, width);
	printf("\n");
}

static void print_values(const struct view_doc *d)
{
	size_t i;

	if (!d->nr_values)
		return;
	printf("| `%s` | what it counts, and how the module finds it |\n|---|---|\n",
	       d->first[0].name);
	for (i = 0; i < d->nr_values; i++)
		printf("| `%s` | %s |\n", d->values[i].name, d->values[i].help);
	printf("\n");
}

static void print_constants(const struct view_doc *d)
{
	size_t i;

	if (!d->nr_constants)
		return;
	printf("| constant | value | meaning |\n|---|---|---|\n");
	for (i = 0; i < d->nr_constants; i++) {
		const struct constant *k = &d->constants[i];

		if (k->str)
			printf("| `%s` | `%s` | %s |\n", k->macro, k->str, k->meaning);
		else if (k->num >= (1UL << 20) && !(k->num & ((1UL << 20) - 1)))
			printf("| `%s` | %lu (%lu MiB) | %s |\n", k->macro, k->num,
			       k->num >> 20, k->meaning);
		else
			printf("| `%s` | %lu | %s |\n", k->macro, k->num, k->meaning);
	}
	printf("\n");
}

/* The total rows after a view's rows, one per superblock. */
static void print_total(const struct view_doc *d)
{
	size_t i;

	if (!d->nr_total)
		return;
	printf("After the rows, one row per superblock: `%s`, then\n\n    ", MEMLENS_FILES_TOTAL);
	for (i = 0; i < d->nr_total; i++)
		printf("%s%s", d->total[i].name, i + 1 < d->nr_total ? " " : "\n\n");
	printf("| field | unit | meaning |\n|---|---|---|\n");
	for (i = 0; i < d->nr_total; i++)
		printf("| `%s` | %s | %s |\n", d->total[i].name, unit_names[d->total[i].unit],
		       d->total[i].help);
	printf("\n");
}

static void print_view(size_t i)
{
	const struct view_doc *d = &view_docs[i];

	printf("## `%s`\n\n%c%s.\n\n", views[i].file,
	       views[i].help[0] >= 'a' && views[i].help[0] <= 'z' ?
			views[i].help[0] - 'a' + 'A' : views[i].help[0],
	       views[i].help + 1);
	if (!d->cols && !d->same_as) {
		fprintf(stderr, "gen-formats: warning: view %s has no entry in view_docs[]\n",
			views[i].file);
		printf("Its format is not described here yet: see the header.\n\n");
		return;
	}
	if (d->same_as) {
		printf("The format of [`%s`](#%s).\n\n", d->same_as, d->same_as);
	} else {
		if (d->keys)
			printf("`Key: value` lines like `/proc/meminfo`'s: `kB` after a size in\n"
			       "kB, nothing after a count or a size in bytes.\n\n");
		print_columns(d);
		print_values(d);
		print_total(d);
	}
	print_constants(d);
	if (d->prose)
		printf("%s\n", d->prose);
}

int main(void)
{
	size_t i;

	printf("%s\n", preamble);
	print_views();
	printf("%s\n", table_rules);
	print_escaping();
	print_units();
	print_version();
	for (i = 0; i < ARRAY_SIZE(views); i++)
		print_view(i);
	if (fflush(stdout) || ferror(stdout)) {
		perror("gen-formats: stdout");
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
