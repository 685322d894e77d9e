/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * memlens debugfs file formats.
 *
 * This header is the contract between memlens.ko, the memlens reader and
 * users' scripts: every file's columns or keys are defined here once, as
 * X-macros that both sides expand.  Change a format only by appending.
 *
 * All files live in /sys/kernel/debug/memlens/ and are plain text:
 *
 *  version    "key: value" lines: the module version, the running kernel's
 *             release, and one line per view: "<view>: available",
 *             "<view>: partial: <reason>" or "<view>: unsupported: <reason>".
 *  processes  a header line naming the columns, then one row per process
 *             (thread group) in the reader's pid namespace, ascending pid.
 *  system     "Key: value [unit]" lines like /proc/meminfo; a value the
 *             kernel gives no safe way to read is printed as "unavailable".
 *  slab       a header line, then one row per slab cache in the kernel's
 *             list order; or the single line "unsupported: <reason>".
 *  files      a header line, then one row per inode with pages in the page
 *             cache, on every superblock; then one MEMLENS_FILES_TOTAL row
 *             per superblock; possibly a last MEMLENS_FILES_BELOW line.
 *  mapped     the files format, with only the rows of files that some
 *             process maps (procs > 0 when the snapshot was taken).
 *  pss        a header line, then one row per process in the reader's pid
 *             namespace, ascending pid: smaps_rollup's sizes, a status
 *             word and the comm.
 *  pages      a header line, then one row per online NUMA node and class
 *             of physical memory: a census of every page of present RAM.
 *  dirs       a header line, then one row per directory with files in the
 *             page cache directly in it, their totals; then the total rows
 *             and the MEMLENS_FILES_BELOW line of the files format.
 *  cgroups    a header line, then one row per memory cgroup, live or dying,
 *             parents before their children: memory.current, the limits,
 *             memory.stat's values, a state word and the path; or the
 *             single line "unsupported: <reason>".
 *  cgroup_files  a header line, then one row per file and memory cgroup
 *             that file's page cache is charged to; then the total rows and
 *             the MEMLENS_FILES_BELOW line of the files format.
 *
 * Rows are whitespace-separated fields.  A string field (a process's comm,
 * a cache's name) is written with every byte for which MEMLENS_MUST_ESCAPE()
 * is true replaced by a backslash and three octal digits, as /proc/mounts
 * does, so a field never contains whitespace and a row is always one line.
 */
#ifndef _UAPI_MEMLENS_H
#define _UAPI_MEMLENS_H

#define MEMLENS_DEBUGFS_DIR	"memlens"
#define MEMLENS_DEFAULT_PATH	"/sys/kernel/debug/" MEMLENS_DEBUGFS_DIR

/*
 * The views, one file each, in the order the version file lists them:
 * X(ID, file, help).  A new view is one line here (appended), its columns
 * below, and a struct memlens_view named memlens_<file>_view in the module.
 */
#define MEMLENS_VIEWS(X)						\
	X(PROCESSES, processes, "per-process sizes, as /proc/PID/status")	\
	X(SYSTEM, system, "system totals, as /proc/meminfo, and a breakdown") \
	X(SLAB, slab, "every slab cache, as /proc/slabinfo")		\
	X(FILES, files, "page cache per file, every superblock")	\
	X(MAPPED, mapped, "page cache of files that processes map")	\
	X(PSS, pss, "per-process PSS and USS, as /proc/PID/smaps_rollup") \
	X(PAGES, pages, "every page of present RAM in one class, per node") \
	X(DIRS, dirs, "page cache per directory, of the files directly in it") \
	X(CGROUPS, cgroups, "memory cgroups, live and dying, as memory.stat") \
	X(CGROUP_FILES, cgroup_files, "page cache per file and memory cgroup charged")

#define MEMLENS_ENUM_VIEW(id, file, help) MEMLENS_VIEW_##id,
enum memlens_view_id {
	MEMLENS_VIEWS(MEMLENS_ENUM_VIEW)
	MEMLENS_NR_VIEWS
};

#define MEMLENS_FILE_VERSION	"version"
#define MEMLENS_FILE_PROCESSES	"processes"
#define MEMLENS_FILE_SYSTEM	"system"
#define MEMLENS_FILE_SLAB	"slab"
#define MEMLENS_FILE_FILES	"files"
#define MEMLENS_FILE_MAPPED	"mapped"
#define MEMLENS_FILE_PSS	"pss"
#define MEMLENS_FILE_PAGES	"pages"
#define MEMLENS_FILE_DIRS	"dirs"
#define MEMLENS_FILE_CGROUPS	"cgroups"
#define MEMLENS_FILE_CGROUP_FILES	"cgroup_files"

/* Keys of the version file; view lines use the view's file name as key. */
#define MEMLENS_KEY_MODULE	"memlens"
#define MEMLENS_KEY_KERNEL	"kernel"
#define MEMLENS_STATUS_AVAILABLE	"available"
#define MEMLENS_STATUS_PARTIAL		"partial"
#define MEMLENS_STATUS_UNSUPPORTED	"unsupported"

/* A value the module cannot read safely on this kernel. */
#define MEMLENS_UNAVAILABLE	"unavailable"

#define MEMLENS_MUST_ESCAPE(c) \
	((unsigned char)(c) <= 0x20 || (unsigned char)(c) == 0x7f || (c) == '\\')

enum memlens_unit {
	MEMLENS_UNIT_ID,	/* an identifier: pid, uid */
	MEMLENS_UNIT_COUNT,	/* a plain number */
	MEMLENS_UNIT_KB,	/* kibibytes */
	MEMLENS_UNIT_BYTES,	/* bytes */
	MEMLENS_UNIT_PERCENT,	/* 0..100 */
	MEMLENS_UNIT_STRING,	/* an escaped string, or MAJOR:MINOR */
};

/*
 * One column of a table, or one key of the system file.  Expand a list
 * below with MEMLENS_COLUMN (or MEMLENS_KEY) to get an array of these in
 * the list's order, and with MEMLENS_ENUM_* to get the indexes.
 */
struct memlens_column {
	const char *name;
	enum memlens_unit unit;
	unsigned int width;	/* of the value, right-aligned */
	const char *help;
};

#define MEMLENS_COLUMN(id, name, unit, width, help) { name, unit, width, help },
#define MEMLENS_KEY(id, key, unit, help) { key, unit, 0, help },

/*
 * processes: X(id, name, unit, width, help).  Numeric columns in order;
 * MEMLENS_PROC_COMM follows them as the last field of every row.  Every
 * value is computed as fs/proc/task_mmu.c task_mem() computes the
 * /proc/PID/status field named in the help text.  Fields are separated by
 * one space, unpadded (width 0): the table can have tens of thousands of
 * rows, and "column -t" aligns it for a person.  The columns from vsz on
 * come from the process's mm and are 0 for a kernel thread.
 */
#define MEMLENS_PROC_COLUMNS(X)						\
	X(PID, "pid", MEMLENS_UNIT_ID, 0,				\
	  "process id (thread group id) in the reader's pid namespace")	\
	X(PPID, "ppid", MEMLENS_UNIT_ID, 0,				\
	  "parent process id (PPid), 0 if the parent is outside")	\
	X(UID, "uid", MEMLENS_UNIT_ID, 0,				\
	  "effective user id in the reader's user namespace")		\
	X(THREADS, "threads", MEMLENS_UNIT_COUNT, 0,			\
	  "number of threads (Threads)")				\
	X(VSZ, "vsz", MEMLENS_UNIT_KB, 0,				\
	  "virtual memory size (VmSize)")				\
	X(RSS, "rss", MEMLENS_UNIT_KB, 0,				\
	  "resident set size, anon + file + shmem (VmRSS)")		\
	X(ANON, "anon", MEMLENS_UNIT_KB, 0,				\
	  "resident anonymous memory (RssAnon)")			\
	X(FILE, "file", MEMLENS_UNIT_KB, 0,				\
	  "resident file mappings (RssFile)")				\
	X(SHMEM, "shmem", MEMLENS_UNIT_KB, 0,				\
	  "resident shared memory: shmem, tmpfs, MAP_SHARED anon (RssShmem)") \
	X(SHARED, "shared", MEMLENS_UNIT_KB, 0,			\
	  "resident pages that may be shared, file + shmem (statm shared)") \
	X(SWAP, "swap", MEMLENS_UNIT_KB, 0,				\
	  "anonymous memory swapped out (VmSwap)")			\
	X(PTE, "pte", MEMLENS_UNIT_KB, 0,				\
	  "page table memory (VmPTE)")					\
	X(HWM, "hwm", MEMLENS_UNIT_KB, 0,				\
	  "peak resident set size (VmHWM)")				\
	X(CODE, "code", MEMLENS_UNIT_KB, 0,				\
	  "code segment of the executable (VmExe)")			\
	X(DATA, "data", MEMLENS_UNIT_KB, 0,				\
	  "private writable mappings: data, bss, heap, anon mmap (VmData)") \
	X(HEAP, "heap", MEMLENS_UNIT_KB, 0,				\
	  "brk heap, brk - start_brk")					\
	X(STACK, "stack", MEMLENS_UNIT_KB, 0,				\
	  "stack mappings (VmStk)")					\
	X(LIB, "lib", MEMLENS_UNIT_KB, 0,				\
	  "executable mappings other than the program's code (VmLib)")	\
	X(CGROUP, "cgroup", MEMLENS_UNIT_ID, 0,			\
	  "id of the memory cgroup the process is in (the cgroups view's id), " \
	  "0 without one")

#define MEMLENS_PROC_COMM	"comm"
#define MEMLENS_PROC_COMM_HELP	"command name (Name), escaped"

#define MEMLENS_ENUM_PROC(id, name, unit, width, help) MEMLENS_PROC_##id,
enum memlens_proc_column {
	MEMLENS_PROC_COLUMNS(MEMLENS_ENUM_PROC)
	MEMLENS_PROC_NR_NUMERIC
};

/*
 * system: X(id, key, unit, help).  The /proc/meminfo keys are computed as
 * fs/proc/meminfo.c computes them, the counters as /proc/vmstat's.  The
 * Breakdown* keys split MemTotal into parts that do not overlap and sum to
 * MemTotal exactly; BreakdownOtherKernel is the remainder, which later keys
 * split further (MEMLENS_SYS_FIRST_PART below, docs/formats.md).
 * A meminfo key that the running kernel does not print, or that memlens
 * cannot read safely there, is unavailable.
 */
#define MEMLENS_SYSTEM_KEYS(X)						\
	X(MEMTOTAL, "MemTotal", MEMLENS_UNIT_KB, "usable RAM")		\
	X(MEMFREE, "MemFree", MEMLENS_UNIT_KB, "free pages")		\
	X(MEMAVAILABLE, "MemAvailable", MEMLENS_UNIT_KB,		\
	  "estimate of memory available without swapping")		\
	X(BUFFERS, "Buffers", MEMLENS_UNIT_KB,				\
	  "page cache of block devices (metadata, raw reads)")		\
	X(CACHED, "Cached", MEMLENS_UNIT_KB,				\
	  "page cache of files, including shmem, excluding buffers")	\
	X(SWAPCACHED, "SwapCached", MEMLENS_UNIT_KB,			\
	  "pages in RAM with a copy in swap: written out, or read back in") \
	X(ACTIVE_ANON, "Active(anon)", MEMLENS_UNIT_KB,		\
	  "anon and shmem pages on the active LRU list, recently used") \
	X(INACTIVE_ANON, "Inactive(anon)", MEMLENS_UNIT_KB,		\
	  "anon and shmem pages on the inactive LRU list, to swap first") \
	X(ACTIVE_FILE, "Active(file)", MEMLENS_UNIT_KB,		\
	  "page cache on the active LRU list, recently used")	\
	X(INACTIVE_FILE, "Inactive(file)", MEMLENS_UNIT_KB,		\
	  "page cache on the inactive LRU list, to reclaim first")	\
	X(UNEVICTABLE, "Unevictable", MEMLENS_UNIT_KB,		\
	  "pages reclaim cannot free: mlocked, ramfs, locked shmem")	\
	X(SHMEM, "Shmem", MEMLENS_UNIT_KB, "shmem and tmpfs pages")	\
	X(ANONPAGES, "AnonPages", MEMLENS_UNIT_KB,			\
	  "anonymous pages mapped by processes")			\
	X(MAPPED, "Mapped", MEMLENS_UNIT_KB, "file pages mapped by processes") \
	X(DIRTY, "Dirty", MEMLENS_UNIT_KB,				\
	  "file pages changed, waiting to be written back")	\
	X(WRITEBACK, "Writeback", MEMLENS_UNIT_KB,			\
	  "file pages being written back now")			\
	X(SLAB, "Slab", MEMLENS_UNIT_KB, "slab allocator")		\
	X(SRECLAIMABLE, "SReclaimable", MEMLENS_UNIT_KB,		\
	  "slab reclaim can free, such as dentries and inodes")	\
	X(SUNRECLAIM, "SUnreclaim", MEMLENS_UNIT_KB,			\
	  "slab reclaim cannot free")				\
	X(KERNELSTACK, "KernelStack", MEMLENS_UNIT_KB,		\
	  "kernel stacks of every thread")			\
	X(PAGETABLES, "PageTables", MEMLENS_UNIT_KB,			\
	  "page tables of the processes")			\
	X(SWAPTOTAL, "SwapTotal", MEMLENS_UNIT_KB, "swap space")	\
	X(SWAPFREE, "SwapFree", MEMLENS_UNIT_KB, "swap space not in use") \
	X(PSWPIN, "pswpin", MEMLENS_UNIT_COUNT, "pages swapped in since boot") \
	X(PSWPOUT, "pswpout", MEMLENS_UNIT_COUNT,			\
	  "pages swapped out since boot")				\
	X(PGFAULT, "pgfault", MEMLENS_UNIT_COUNT, "page faults since boot") \
	X(PGMAJFAULT, "pgmajfault", MEMLENS_UNIT_COUNT,		\
	  "major page faults (needing I/O) since boot")		\
	X(PAGESIZE, "PageSize", MEMLENS_UNIT_BYTES, "size of a page")	\
	X(PROCESSRSSSUM, "ProcessRssSum", MEMLENS_UNIT_KB,		\
	  "sum of the rss of every process in the reader's pid namespace; "	\
	  "shared pages count once per process") \
	X(B_FREE, "BreakdownFree", MEMLENS_UNIT_KB, "free")		\
	X(B_ANON, "BreakdownAnon", MEMLENS_UNIT_KB, "process anonymous memory") \
	X(B_PAGECACHE, "BreakdownPageCache", MEMLENS_UNIT_KB,		\
	  "page cache without buffers and shmem")			\
	X(B_BUFFERS, "BreakdownBuffers", MEMLENS_UNIT_KB, "buffers")	\
	X(B_SHMEM, "BreakdownShmem", MEMLENS_UNIT_KB, "shmem")		\
	X(B_SRECLAIMABLE, "BreakdownSlabReclaimable", MEMLENS_UNIT_KB,	\
	  "slab, reclaimable")						\
	X(B_SUNRECLAIM, "BreakdownSlabUnreclaimable", MEMLENS_UNIT_KB,	\
	  "slab, unreclaimable")					\
	X(B_KERNELSTACK, "BreakdownKernelStack", MEMLENS_UNIT_KB,	\
	  "kernel stacks")						\
	X(B_PAGETABLES, "BreakdownPageTables", MEMLENS_UNIT_KB, "page tables") \
	X(B_OTHER, "BreakdownOtherKernel", MEMLENS_UNIT_KB,		\
	  "the rest: kernel memory no part above names, swap cache "	\
	  "no process maps, hugetlb pools (BreakdownHugetlb + "		\
	  "BreakdownKernelOther)")					\
	X(B_CLAMPED, "BreakdownClamped", MEMLENS_UNIT_KB,		\
	  "how much the parts exceeded MemTotal, taken from free (normally 0)") \
	X(MLOCKED, "Mlocked", MEMLENS_UNIT_KB,				\
	  "pages locked in memory by mlock() or MAP_LOCKED, in Unevictable") \
	X(ANONHUGEPAGES, "AnonHugePages", MEMLENS_UNIT_KB,		\
	  "anonymous memory in transparent huge pages, in AnonPages")	\
	X(SHMEMHUGEPAGES, "ShmemHugePages", MEMLENS_UNIT_KB,		\
	  "shmem and tmpfs memory in huge pages, in Shmem")		\
	X(SHMEMPMDMAPPED, "ShmemPmdMapped", MEMLENS_UNIT_KB,		\
	  "shmem huge pages that processes map whole (by a PMD)")	\
	X(FILEHUGEPAGES, "FileHugePages", MEMLENS_UNIT_KB,		\
	  "page cache of files in huge pages, in Cached")		\
	X(FILEPMDMAPPED, "FilePmdMapped", MEMLENS_UNIT_KB,		\
	  "file huge pages that processes map whole (by a PMD)")	\
	X(KRECLAIMABLE, "KReclaimable", MEMLENS_UNIT_KB,		\
	  "kernel memory reclaim can free: SReclaimable and the like")	\
	X(SECPAGETABLES, "SecPageTables", MEMLENS_UNIT_KB,		\
	  "secondary page tables: KVM's for its guests, the IOMMU's")	\
	X(COMMITTED_AS, "Committed_AS", MEMLENS_UNIT_KB,		\
	  "memory promised to processes, used or not (overcommit accounting)") \
	X(COMMITLIMIT, "CommitLimit", MEMLENS_UNIT_KB,			\
	  "how far Committed_AS may go when vm.overcommit_memory is 2") \
	X(VMALLOCUSED, "VmallocUsed", MEMLENS_UNIT_KB,			\
	  "pages allocated by vmalloc()")				\
	X(PERCPU, "Percpu", MEMLENS_UNIT_KB,				\
	  "pages of the per-cpu allocator's chunks")			\
	X(HARDWARECORRUPTED, "HardwareCorrupted", MEMLENS_UNIT_KB,	\
	  "pages taken out of use after memory errors (hwpoison)")	\
	X(CMATOTAL, "CmaTotal", MEMLENS_UNIT_KB,			\
	  "memory set aside for the contiguous allocator (CMA), if built in") \
	X(CMAFREE, "CmaFree", MEMLENS_UNIT_KB,				\
	  "CMA memory not in use, if CMA is built in")			\
	X(HUGEPAGES_TOTAL, "HugePages_Total", MEMLENS_UNIT_COUNT,	\
	  "huge pages of the default size in the hugetlb pool")	\
	X(HUGEPAGES_FREE, "HugePages_Free", MEMLENS_UNIT_COUNT,	\
	  "of those, huge pages not allocated")			\
	X(HUGEPAGES_RSVD, "HugePages_Rsvd", MEMLENS_UNIT_COUNT,	\
	  "free huge pages promised to mappings, not yet faulted in")	\
	X(HUGEPAGES_SURP, "HugePages_Surp", MEMLENS_UNIT_COUNT,	\
	  "huge pages above vm.nr_hugepages (vm.nr_overcommit_hugepages)") \
	X(HUGEPAGESIZE, "Hugepagesize", MEMLENS_UNIT_KB,		\
	  "the default huge page size")				\
	X(HUGETLB, "Hugetlb", MEMLENS_UNIT_KB,				\
	  "hugetlb pools of every page size, used or not")		\
	X(ZSWAP, "Zswap", MEMLENS_UNIT_KB,				\
	  "zswap's compressed pool (unavailable from 6.12: not locatable)") \
	X(ZSWAPPED, "Zswapped", MEMLENS_UNIT_KB,			\
	  "pages zswap holds, uncompressed")				\
	X(UNACCEPTED, "Unaccepted", MEMLENS_UNIT_KB,			\
	  "memory a confidential VM's guest has not accepted, if built in") \
	X(B_HUGETLB, "BreakdownHugetlb", MEMLENS_UNIT_KB,		\
	  "hugetlb pools, used or not (Hugetlb), part of BreakdownOtherKernel") \
	X(B_KERNELOTHER, "BreakdownKernelOther", MEMLENS_UNIT_KB,	\
	  "BreakdownOtherKernel without hugetlb: kernel memory no part "	\
	  "names, and swap cache no process maps")

#define MEMLENS_ENUM_SYS(id, key, unit, help) MEMLENS_SYS_##id,
enum memlens_system_key {
	MEMLENS_SYSTEM_KEYS(MEMLENS_ENUM_SYS)
	MEMLENS_SYS_NR_KEYS
};

/*
 * Keys from this one on were appended after the first release: a reader
 * takes any of them that a module does not print as not present and
 * unavailable; every key before it must be there.
 */
#define MEMLENS_SYS_FIRST_LATER	MEMLENS_SYS_MLOCKED

/*
 * The breakdown parts, in order, are MEMLENS_SYS_FIRST_PART..LAST_PART: they
 * add up to MemTotal, LAST_PART (BreakdownOtherKernel) being the rest.  A
 * module that prints MEMLENS_SYS_FIRST_OTHER_PART..LAST_OTHER_PART splits
 * that rest into them, and they add up to it: a reader that knows them
 * shows FIRST_PART..LAST_PART - 1, then these, instead of LAST_PART.  With
 * an older module, where they are not present or one is unavailable, it
 * shows LAST_PART.  A part split off later is appended the same way, with
 * a new key for what is left.
 */
#define MEMLENS_SYS_FIRST_PART		MEMLENS_SYS_B_FREE
#define MEMLENS_SYS_LAST_PART		MEMLENS_SYS_B_OTHER
#define MEMLENS_SYS_FIRST_OTHER_PART	MEMLENS_SYS_B_HUGETLB
#define MEMLENS_SYS_LAST_OTHER_PART	MEMLENS_SYS_B_KERNELOTHER

/*
 * slab: X(id, name, unit, width, help).  MEMLENS_SLAB_NAME is the first
 * field of every row, the numeric columns follow.  The first seven numeric
 * columns are those /proc/slabinfo (version 2.1) prints for the cache.
 */
#define MEMLENS_SLAB_NAME	"name"
#define MEMLENS_SLAB_NAME_HELP	"cache name, escaped"
#define MEMLENS_SLAB_NAME_WIDTH	18	/* left-aligned, as /proc/slabinfo */

#define MEMLENS_SLAB_COLUMNS(X)						\
	X(ACTIVE_OBJS, "active_objs", MEMLENS_UNIT_COUNT, 8,		\
	  "objects in use")						\
	X(NUM_OBJS, "num_objs", MEMLENS_UNIT_COUNT, 8,			\
	  "objects in all slabs")					\
	X(OBJSIZE, "objsize", MEMLENS_UNIT_BYTES, 7,			\
	  "bytes per object as /proc/slabinfo prints it (padded size)")	\
	X(OBJPERSLAB, "objperslab", MEMLENS_UNIT_COUNT, 5,		\
	  "objects per slab")						\
	X(PAGESPERSLAB, "pagesperslab", MEMLENS_UNIT_COUNT, 4,		\
	  "pages per slab")						\
	X(ACTIVE_SLABS, "active_slabs", MEMLENS_UNIT_COUNT, 7,		\
	  "slabs holding objects in use")				\
	X(NUM_SLABS, "num_slabs", MEMLENS_UNIT_COUNT, 7, "slabs")	\
	X(SIZE, "size", MEMLENS_UNIT_BYTES, 7,				\
	  "bytes per object with metadata and alignment")		\
	X(OBJECT_SIZE, "object_size", MEMLENS_UNIT_BYTES, 7,		\
	  "bytes per object as the cache's user asked for")		\
	X(TOTAL, "total_kb", MEMLENS_UNIT_KB, 8,			\
	  "memory held by the cache's slabs")				\
	X(ACTIVE, "active_kb", MEMLENS_UNIT_KB, 8,			\
	  "memory of objects in use, active_objs * size")		\
	X(WASTE, "waste_kb", MEMLENS_UNIT_KB, 8,			\
	  "held but not in use: total - active_objs * size")		\
	X(EFF, "eff", MEMLENS_UNIT_PERCENT, 3,				\
	  "percent of held memory that is live objects' own bytes")	\
	X(RECLAIM, "reclaim", MEMLENS_UNIT_COUNT, 1,			\
	  "1 if reclaimable (SLAB_RECLAIM_ACCOUNT)")			\
	X(ACCOUNT, "account", MEMLENS_UNIT_COUNT, 1,			\
	  "1 if accounted to memory cgroups (SLAB_ACCOUNT)")		\
	X(MERGED, "merged", MEMLENS_UNIT_COUNT, 3,			\
	  "number of other caches merged into this one")

#define MEMLENS_ENUM_SLAB(id, name, unit, width, help) MEMLENS_SLAB_##id,
enum memlens_slab_column {
	MEMLENS_SLAB_COLUMNS(MEMLENS_ENUM_SLAB)
	MEMLENS_SLAB_NR_NUMERIC
};

/*
 * files: X(id, name, unit, width, help).  Every field of a row, in order:
 * dev, ino and fstype identify the inode, the sizes follow, path is last.
 * dev is "MAJOR:MINOR" (st_dev of the files on that superblock); fstype
 * and path are escaped string fields.  path is the inode's name within its
 * filesystem (a memfd's "memfd:NAME", SysV shm's "SYSVkey"), or
 * MEMLENS_FILES_NONAME_PREFIX "block:MAJOR:MINOR>" for a block device's
 * own inode (fstype "bdev": its pages are Buffers), or
 * MEMLENS_FILES_NONAME when the inode has no name at all.  The file is a
 * snapshot taken at open(), of at most MEMLENS_FILES_CAP bytes.  When the
 * rows would not fit, the rows of the files with the least cached are left
 * out (see MEMLENS_FILES_BELOW): every file listed has at least as much
 * cached as every file left out.  Rows come in the order of the walk.
 */
#define MEMLENS_FILES_COLUMNS(X)					\
	X(DEV, "dev", MEMLENS_UNIT_STRING, 0,				\
	  "device of the superblock, MAJOR:MINOR")			\
	X(INO, "ino", MEMLENS_UNIT_ID, 0, "inode number")		\
	X(FSTYPE, "fstype", MEMLENS_UNIT_STRING, 0,			\
	  "filesystem type name, escaped")				\
	X(CACHED, "cached", MEMLENS_UNIT_KB, 0,			\
	  "pages in the page cache (nrpages)")				\
	X(DIRTY, "dirty", MEMLENS_UNIT_KB, 0, "dirty pages")		\
	X(WRITEBACK, "writeback", MEMLENS_UNIT_KB, 0,			\
	  "pages under writeback")					\
	X(MAPPED, "mapped", MEMLENS_UNIT_KB, 0,			\
	  "cached pages mapped by at least one process: held once")	\
	X(IN_RSS, "in_rss", MEMLENS_UNIT_KB, 0,			\
	  "sum over those pages of their mappings: counted in RSS")	\
	X(PROCS, "procs", MEMLENS_UNIT_COUNT, 0,			\
	  "processes (mm's) that map the file")				\
	X(NLINK, "nlink", MEMLENS_UNIT_COUNT, 0,			\
	  "hard links; 0 for a deleted file")				\
	X(PATH, "path", MEMLENS_UNIT_STRING, 0,			\
	  "path within its filesystem, escaped")

#define MEMLENS_ENUM_FILES(id, name, unit, width, help) MEMLENS_FILES_##id,
enum memlens_files_column {
	MEMLENS_FILES_COLUMNS(MEMLENS_ENUM_FILES)
	MEMLENS_FILES_NR_COLUMNS
};

#define MEMLENS_FILES_NONAME		"<unnamed>"
#define MEMLENS_FILES_NONAME_PREFIX	"<"
/* The last line of a snapshot cut short by memory running out (-ENOMEM). */
#define MEMLENS_FILES_TRUNCATED		"truncated"
#define MEMLENS_FILES_CAP		(64UL << 20)

/*
 * After the rows of files, mapped and dirs: one row per superblock walked
 * that has a file with cache (for mapped, a file that a process maps),
 * MEMLENS_FILES_TOTAL then these fields, counted over every such inode,
 * also those whose rows were left out: the exact totals whatever the
 * number of files.  Superblocks in the order walked.
 */
#define MEMLENS_FILES_TOTAL		"total"
#define MEMLENS_FILES_TOTAL_COLUMNS(X)					\
	X(DEV, "dev", MEMLENS_UNIT_STRING, 0,				\
	  "device of the superblock, MAJOR:MINOR")			\
	X(FSTYPE, "fstype", MEMLENS_UNIT_STRING, 0,			\
	  "filesystem type name, escaped")				\
	X(FILES, "files", MEMLENS_UNIT_COUNT, 0,			\
	  "inodes with pages in the page cache")			\
	X(CACHED, "cached", MEMLENS_UNIT_KB, 0, "their cached pages")	\
	X(DIRTY, "dirty", MEMLENS_UNIT_KB, 0, "dirty pages")		\
	X(WRITEBACK, "writeback", MEMLENS_UNIT_KB, 0,			\
	  "pages under writeback")					\
	X(MAPPED, "mapped", MEMLENS_UNIT_KB, 0,			\
	  "cached pages mapped by at least one process")		\
	X(IN_RSS, "in_rss", MEMLENS_UNIT_KB, 0,			\
	  "sum over those pages of their mappings")

#define MEMLENS_ENUM_FILES_TOTAL(id, name, unit, width, help) MEMLENS_FILES_TOTAL_##id,
enum memlens_files_total_column {
	MEMLENS_FILES_TOTAL_COLUMNS(MEMLENS_ENUM_FILES_TOTAL)
	MEMLENS_FILES_TOTAL_NR_COLUMNS
};

/*
 * The last line when rows were left out to stay within MEMLENS_FILES_CAP:
 * MEMLENS_FILES_BELOW, then KB and ROWS: the ROWS rows of files (or
 * directories) with less than KB kB cached are not listed; every file (or
 * directory) with KB or more is.  The totals count them all.
 */
#define MEMLENS_FILES_BELOW		"below"

/*
 * dirs: X(id, name, unit, width, help).  One row per directory with files
 * in the page cache directly in it (not in its subdirectories), the totals
 * of those files; the rows of a superblock add up to its total row.  path
 * is the directory's path within its filesystem ("/" for its root), from
 * which the tree is rebuilt; MEMLENS_DIRS_NODIR for the files that are in
 * no directory (block devices' own inodes, pseudo files, nameless ones).
 * A file with several links is counted in the directory of one of them.
 */
#define MEMLENS_DIRS_COLUMNS(X)						\
	X(DEV, "dev", MEMLENS_UNIT_STRING, 0,				\
	  "device of the superblock, MAJOR:MINOR")			\
	X(FSTYPE, "fstype", MEMLENS_UNIT_STRING, 0,			\
	  "filesystem type name, escaped")				\
	X(FILES, "files", MEMLENS_UNIT_COUNT, 0,			\
	  "files with cache directly in the directory")			\
	X(CACHED, "cached", MEMLENS_UNIT_KB, 0, "their cached pages")	\
	X(DIRTY, "dirty", MEMLENS_UNIT_KB, 0, "dirty pages")		\
	X(WRITEBACK, "writeback", MEMLENS_UNIT_KB, 0,			\
	  "pages under writeback")					\
	X(MAPPED, "mapped", MEMLENS_UNIT_KB, 0,			\
	  "cached pages mapped by at least one process")		\
	X(PATH, "path", MEMLENS_UNIT_STRING, 0,			\
	  "the directory's path within its filesystem, escaped")

#define MEMLENS_ENUM_DIRS(id, name, unit, width, help) MEMLENS_DIRS_##id,
enum memlens_dirs_column {
	MEMLENS_DIRS_COLUMNS(MEMLENS_ENUM_DIRS)
	MEMLENS_DIRS_NR_COLUMNS
};

#define MEMLENS_DIRS_NODIR		"<none>"

/*
 * pss: X(id, name, unit, width, help).  The numeric columns in order, then
 * MEMLENS_PSS_STATUS and MEMLENS_PSS_COMM, the last two fields of every
 * row.  Every size is what /proc/PID/smaps_rollup of the running kernel
 * prints on the line named in the help text (fs/proc/task_mmu.c), from a
 * walk of the process's page tables that never waits for its mmap lock.
 * A number the module could not compute is MEMLENS_BLANK: every number of
 * a MEMLENS_PSS_BUSY row, and swap_pss where the version file says
 * "pss: partial: swap_pss unavailable: ..." and the process has swap.
 */
#define MEMLENS_PSS_COLUMNS(X)						\
	X(PID, "pid", MEMLENS_UNIT_ID, 0,				\
	  "process id (thread group id) in the reader's pid namespace")	\
	X(RSS, "rss", MEMLENS_UNIT_KB, 0,				\
	  "resident pages found in the page tables (Rss)")		\
	X(PSS, "pss", MEMLENS_UNIT_KB, 0,				\
	  "proportional set size: each page divided by its mappers (Pss)") \
	X(PSS_ANON, "pss_anon", MEMLENS_UNIT_KB, 0,			\
	  "pss of anonymous pages (Pss_Anon)")				\
	X(PSS_FILE, "pss_file", MEMLENS_UNIT_KB, 0,			\
	  "pss of file pages (Pss_File)")				\
	X(PSS_SHMEM, "pss_shmem", MEMLENS_UNIT_KB, 0,			\
	  "pss of shmem, tmpfs and MAP_SHARED anon pages (Pss_Shmem)")	\
	X(USS, "uss", MEMLENS_UNIT_KB, 0,				\
	  "unique set size: pages only this process maps "		\
	  "(Private_Clean + Private_Dirty)")				\
	X(SWAP, "swap", MEMLENS_UNIT_KB, 0,				\
	  "swapped out anonymous and shmem memory (Swap)")		\
	X(SWAP_PSS, "swap_pss", MEMLENS_UNIT_KB, 0,			\
	  "swap divided among the processes sharing it (SwapPss)")

#define MEMLENS_PSS_STATUS	"status"
#define MEMLENS_PSS_STATUS_HELP	"ok, busy (mmap lock held by a writer: no numbers) or " \
				"partial (time budget spent: numbers so far)"
#define MEMLENS_PSS_COMM	"comm"
#define MEMLENS_PSS_COMM_HELP	"command name (Name), escaped"

#define MEMLENS_PSS_OK		"ok"
#define MEMLENS_PSS_BUSY	"busy"
#define MEMLENS_PSS_PARTIAL	"partial"

/* A number that is not known, in a table. */
#define MEMLENS_BLANK		"-"

#define MEMLENS_ENUM_PSS(id, name, unit, width, help) MEMLENS_PSS_##id,
enum memlens_pss_column {
	MEMLENS_PSS_COLUMNS(MEMLENS_ENUM_PSS)
	MEMLENS_PSS_NR_NUMERIC
};

/*
 * pages: MEMLENS_PAGES_CLASS, the class's name, is the first field of every
 * row, the numeric columns follow.  Rows come node by node, ascending, and
 * within a node in the order of MEMLENS_PAGE_CLASSES, every class of every
 * online node, 0 included.  Each page of present RAM (the zones' present
 * pages, as /proc/zoneinfo prints them) is in exactly one row: the rows of
 * a node add up to its present pages.  A page is counted on the node its
 * struct page names.  The version file says "pages: partial: CLASSES
 * unavailable: <reason>" when the structures behind some classes cannot
 * be read on the running kernel: their pages are then in untyped (the
 * kernel image's in reserved).
 */
#define MEMLENS_PAGES_CLASS		"class"
#define MEMLENS_PAGES_CLASS_HELP	"what the pages are used for (the classes below)"
#define MEMLENS_PAGES_CLASS_WIDTH	13	/* left-aligned */

#define MEMLENS_PAGES_COLUMNS(X)					\
	X(NODE, "node", MEMLENS_UNIT_ID, 4, "NUMA node")		\
	X(PAGES, "pages", MEMLENS_UNIT_COUNT, 10, "pages of PAGE_SIZE")	\
	X(SIZE, "size", MEMLENS_UNIT_KB, 11, "the same, in kB")

#define MEMLENS_ENUM_PAGES(id, name, unit, width, help) MEMLENS_PAGES_##id,
enum memlens_pages_column {
	MEMLENS_PAGES_COLUMNS(MEMLENS_ENUM_PAGES)
	MEMLENS_PAGES_NR_NUMERIC
};

/*
 * The classes: X(id, name, help), help saying what is counted and how the
 * module finds it.  A class added later is appended; its pages leave
 * untyped (or reserved), never another named class.
 */
#define MEMLENS_PAGE_CLASSES(X)						\
	X(FREE, "free", "the buddy allocator's free blocks (page type), "	\
	  "plus the per-CPU free lists (their counts)")			\
	X(ANON, "anon", "anonymous pages not in the swap cache, "	\
	  "mapped or not (folio->mapping)")				\
	X(SHMEM, "shmem", "shmem and tmpfs page cache (swap-backed file "	\
	  "pages)")							\
	X(FILE, "file", "page cache of files, but for block devices")	\
	X(BUFFERS, "buffers", "page cache of block devices (Buffers)")	\
	X(SWAPCACHE, "swapcache", "pages in the swap cache, anon or shmem") \
	X(SLAB, "slab", "slab allocator's slabs (page flag or type)")	\
	X(LARGE_KMALLOC, "large_kmalloc", "kmalloc()s too large for a slab " \
	  "(a page type from 7.x; before, in untyped)")			\
	X(PAGETABLES, "pagetables", "page tables marked as such (PageTables: " \
	  "user, and kernel PTEs from 7.x)")				\
	X(KERNEL_STACK, "kernel_stack", "task stacks: the pages of each "	\
	  "task's stack, vmap'ed or not")				\
	X(VMALLOC, "vmalloc", "pages of vmalloc areas (as /proc/vmallocinfo " \
	  "lists them) that no class above or below claims")		\
	X(PERCPU, "percpu", "percpu memory: the first chunk's units and "	\
	  "the dynamic chunks' populated pages")				\
	X(MODULES, "modules", "loadable modules' memory and other "	\
	  "allocations in the modules area (BPF JIT, kprobes, ftrace)")	\
	X(HUGETLB, "hugetlb", "hugetlb pool pages, free or in use "	\
	  "(folio type)")						\
	X(ZSMALLOC, "zsmalloc", "zram and zswap's zspages (page type; "	\
	  "before 6.10, their movable ops)")				\
	X(PAGE_POOL, "page_pool", "network page_pool pages (pp_magic)")	\
	X(KERNEL_IMAGE, "kernel_image", "the kernel's text, rodata, data, " \
	  "bss and brk still reserved (the image's resources)")		\
	X(MEMMAP, "memmap", "the struct page arrays, found through the "	\
	  "vmemmap's page tables")					\
	X(RESERVED, "reserved", "other memory reserved at boot: firmware, "	\
	  "crashkernel, early allocations (PG_reserved, less the holes)") \
	X(OFFLINE, "offline", "pages given back to a hypervisor (balloon, "	\
	  "virtio-mem) or hardware-poisoned")				\
	X(UNTYPED, "untyped", "allocated pages that nothing above claims: " \
	  "drivers' alloc_pages(), large kmallocs before 7.x, GPU memory")

#define MEMLENS_ENUM_PAGE_CLASS(id, name, help) MEMLENS_PAGE_##id,
#define MEMLENS_PAGE_CLASS_NAME(id, name, help) name,
enum memlens_page_class {
	MEMLENS_PAGE_CLASSES(MEMLENS_ENUM_PAGE_CLASS)
	MEMLENS_NR_PAGE_CLASSES
};

/*
 * cgroups: X(id, name, unit, width, help).  The numeric columns in order,
 * then MEMLENS_CGROUPS_STATE and MEMLENS_CGROUPS_PATH, the last two fields
 * of every row.  One row per memory cgroup of the memory controller's
 * hierarchy (cgroup2's, or cgroup1's memory hierarchy), in the order of a
 * walk from its root: every cgroup after its parent.  A removed cgroup
 * that something still holds (page cache charged to it, above all) is
 * listed, "dying", until it is freed.  Each size is the file of the
 * cgroup's directory named in the help text, in kB (bytes / 1024, rounded
 * down); memory.stat's values are those a flush of its statistics gives,
 * which memory.stat itself shows at rest.  A value the running kernel does
 * not have is MEMLENS_BLANK, as are max and high when there is no limit
 * ("max" in the file) and, for the root, which has no such files, current,
 * swap, max and high: its current is in the root's memory.stat only as
 * the sum of its parts.  From 7.2 the kernel gives a removed cgroup's
 * memory to its parent when it goes offline: every size of such a dying
 * row is then MEMLENS_BLANK.
 */
#define MEMLENS_CGROUPS_COLUMNS(X)					\
	X(ID, "id", MEMLENS_UNIT_ID, 0,					\
	  "cgroup id: the inode number of its cgroup2 directory")	\
	X(PROCS, "procs", MEMLENS_UNIT_COUNT, 0,			\
	  "processes with memory (an mm) in the cgroup itself, in the "	\
	  "reader's pid namespace (cgroup.procs)")			\
	X(CURRENT, "current", MEMLENS_UNIT_KB, 0,			\
	  "memory charged to the cgroup and its descendants (memory.current)") \
	X(MAX, "max", MEMLENS_UNIT_KB, 0, "the hard limit (memory.max)") \
	X(HIGH, "high", MEMLENS_UNIT_KB, 0,				\
	  "the throttling limit (memory.high)")				\
	X(SWAP, "swap", MEMLENS_UNIT_KB, 0,				\
	  "swap charged to the cgroup and its descendants (memory.swap.current)") \
	X(OOM_KILL, "oom_kill", MEMLENS_UNIT_COUNT, 0,			\
	  "processes the OOM killer killed in the cgroup and below "	\
	  "(memory.events oom_kill)")					\
	X(ANON, "anon", MEMLENS_UNIT_KB, 0,				\
	  "anonymous memory, swap cache included (memory.stat anon)")	\
	X(FILE, "file", MEMLENS_UNIT_KB, 0,				\
	  "page cache, shmem included (memory.stat file)")		\
	X(KERNEL, "kernel", MEMLENS_UNIT_KB, 0,			\
	  "kernel memory charged: slab, stacks, page tables, percpu... "	\
	  "(memory.stat kernel)")					\
	X(KERNEL_STACK, "kernel_stack", MEMLENS_UNIT_KB, 0,		\
	  "kernel stacks of the cgroup's tasks (memory.stat kernel_stack)") \
	X(PAGETABLES, "pagetables", MEMLENS_UNIT_KB, 0,		\
	  "page tables (memory.stat pagetables)")			\
	X(PERCPU, "percpu", MEMLENS_UNIT_KB, 0,			\
	  "per-cpu allocations (memory.stat percpu)")			\
	X(SOCK, "sock", MEMLENS_UNIT_KB, 0,				\
	  "network socket buffers (memory.stat sock)")			\
	X(VMALLOC, "vmalloc", MEMLENS_UNIT_KB, 0,			\
	  "vmalloc allocations (memory.stat vmalloc)")			\
	X(SHMEM, "shmem", MEMLENS_UNIT_KB, 0,				\
	  "shmem and tmpfs pages, in file (memory.stat shmem)")	\
	X(FILE_MAPPED, "file_mapped", MEMLENS_UNIT_KB, 0,		\
	  "page cache mapped by processes (memory.stat file_mapped)")	\
	X(FILE_DIRTY, "file_dirty", MEMLENS_UNIT_KB, 0,		\
	  "dirty page cache (memory.stat file_dirty)")			\
	X(FILE_WRITEBACK, "file_writeback", MEMLENS_UNIT_KB, 0,	\
	  "page cache being written back (memory.stat file_writeback)") \
	X(SWAPCACHED, "swapcached", MEMLENS_UNIT_KB, 0,		\
	  "swap cache, in anon (memory.stat swapcached)")		\
	X(ANON_THP, "anon_thp", MEMLENS_UNIT_KB, 0,			\
	  "anonymous transparent huge pages (memory.stat anon_thp)")	\
	X(INACTIVE_ANON, "inactive_anon", MEMLENS_UNIT_KB, 0,		\
	  "anon and shmem on the inactive LRU (memory.stat inactive_anon)") \
	X(ACTIVE_ANON, "active_anon", MEMLENS_UNIT_KB, 0,		\
	  "anon and shmem on the active LRU (memory.stat active_anon)") \
	X(INACTIVE_FILE, "inactive_file", MEMLENS_UNIT_KB, 0,		\
	  "page cache on the inactive LRU, reclaimed first "		\
	  "(memory.stat inactive_file)")				\
	X(ACTIVE_FILE, "active_file", MEMLENS_UNIT_KB, 0,		\
	  "page cache on the active LRU (memory.stat active_file)")	\
	X(UNEVICTABLE, "unevictable", MEMLENS_UNIT_KB, 0,		\
	  "pages reclaim cannot free (memory.stat unevictable)")	\
	X(SLAB_RECLAIMABLE, "slab_reclaimable", MEMLENS_UNIT_KB, 0,	\
	  "slab that reclaim can free (memory.stat slab_reclaimable)")	\
	X(SLAB_UNRECLAIMABLE, "slab_unreclaimable", MEMLENS_UNIT_KB, 0,	\
	  "slab reclaim cannot free (memory.stat slab_unreclaimable)")

#define MEMLENS_CGROUPS_STATE		"state"
#define MEMLENS_CGROUPS_STATE_HELP	"online, or dying: removed, still held"
#define MEMLENS_CGROUPS_PATH		"path"
#define MEMLENS_CGROUPS_PATH_HELP	"path from the root of the reader's cgroup namespace " \
					"(as /proc/self/cgroup), escaped"
#define MEMLENS_CGROUP_ONLINE		"online"
#define MEMLENS_CGROUP_DYING		"dying"

#define MEMLENS_ENUM_CGROUPS(id, name, unit, width, help) MEMLENS_CGROUPS_##id,
enum memlens_cgroups_column {
	MEMLENS_CGROUPS_COLUMNS(MEMLENS_ENUM_CGROUPS)
	MEMLENS_CGROUPS_NR_NUMERIC
};

/*
 * cgroup_files: X(id, name, unit, width, help).  Every field of a row, in
 * order.  The walk of the files view, where each file's page cache is
 * split by the memory cgroup each page is charged to: a file whose pages
 * are charged to three cgroups has three rows.  The rows of a cgroup add
 * up to its memory.stat file but for page cache that no superblock walk
 * reaches.  Then the files view's total rows (their files and sizes those
 * of the files, whatever cgroups they are charged to) and, when rows were
 * left out to stay within the cap, its MEMLENS_FILES_BELOW line, which
 * counts (cgroup, file) rows.
 */
#define MEMLENS_CGROUP_FILES_COLUMNS(X)					\
	X(CGROUP, "cgroup", MEMLENS_UNIT_ID, 0,				\
	  "id of the memory cgroup the pages are charged to (the cgroups "	\
	  "view's id), 0 for pages charged to none")			\
	X(DEV, "dev", MEMLENS_UNIT_STRING, 0,				\
	  "device of the superblock, MAJOR:MINOR")			\
	X(INO, "ino", MEMLENS_UNIT_ID, 0, "inode number")		\
	X(CACHED, "cached", MEMLENS_UNIT_KB, 0,			\
	  "the file's pages in the page cache charged to the cgroup")	\
	X(DIRTY, "dirty", MEMLENS_UNIT_KB, 0, "of those, dirty")	\
	X(WRITEBACK, "writeback", MEMLENS_UNIT_KB, 0,			\
	  "of those, under writeback")					\
	X(FSTYPE, "fstype", MEMLENS_UNIT_STRING, 0,			\
	  "filesystem type name, escaped")				\
	X(PATH, "path", MEMLENS_UNIT_STRING, 0,			\
	  "path within its filesystem, escaped, as in files")

#define MEMLENS_ENUM_CGROUP_FILES(id, name, unit, width, help) MEMLENS_CGROUP_FILES_##id,
enum memlens_cgroup_files_column {
	MEMLENS_CGROUP_FILES_COLUMNS(MEMLENS_ENUM_CGROUP_FILES)
	MEMLENS_CGROUP_FILES_NR_COLUMNS
};

#endif /* _UAPI_MEMLENS_H */
