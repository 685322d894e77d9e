/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memlens internals shared between the module's files.
 */
#ifndef _MEMLENS_H
#define _MEMLENS_H

#include <linux/fs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <uapi/memlens.h>

/*
 * A view is one debugfs file.  ->status() says whether it works on the
 * running kernel: NULL when it does, otherwise why not; *missing then names
 * what is left out if the rest of the file still works.
 */
struct memlens_view {
	const char *name;
	const struct file_operations *fops;
	const char *(*status)(const char **missing);
};

/* Each view's file defines memlens_<file>_view; the list is uapi's. */
#define MEMLENS_VIEW_DECLARE(id, file, help) extern const struct memlens_view memlens_##file##_view;
MEMLENS_VIEWS(MEMLENS_VIEW_DECLARE)

/* Pages to kB, the unit of every size memlens prints. */
#define MEMLENS_PAGES_TO_KB(x)	((u64)(x) << (PAGE_SHIFT - 10))

void memlens_files_exit(void);

/* procs.c: one process's numbers, as /proc/PID/status computes them. */
struct memlens_proc_row {
	u64 val[MEMLENS_PROC_NR_NUMERIC];
	char comm[TASK_COMM_LEN];
};

/* A pid cursor in the reader's namespaces; nothing else is held. */
struct memlens_proc_iter {
	struct pid_namespace *ns;
	struct user_namespace *user_ns;
	int tgid;
	bool uid_valid;		/* the last euid mapped, for the next row */
	kuid_t last_kuid;
	uid_t last_uid;
};

void memlens_proc_iter_init(struct memlens_proc_iter *it, struct user_namespace *user_ns);
void memlens_proc_iter_exit(struct memlens_proc_iter *it);
bool memlens_proc_next(struct memlens_proc_iter *it, struct memlens_proc_row *row);
bool memlens_proc_next_mm(struct memlens_proc_iter *it, char *comm, struct mm_struct **mm);
bool memlens_proc_next_memcg(struct memlens_proc_iter *it, u64 *id);

/* cgroups.c: the memory cgroup of a task, by id. */
u64 memlens_task_memcg_id(struct task_struct *p);

/* pid_seq.c: the seq_file of a table with one row per process. */
struct memlens_pid_seq;

/**
 * struct memlens_pid_view - the rows of a per-process table
 * @read: read the row of the process at or after @ps->it.tgid, and leave
 *	it.tgid at that process; NULL when no process is left
 * @header: print the header line
 * @show: print a row that @read returned
 * @size: of the view's state, which begins with its struct memlens_pid_seq
 */
struct memlens_pid_view {
	void *(*read)(struct memlens_pid_seq *ps);
	void (*header)(struct seq_file *m);
	void (*show)(struct seq_file *m, void *row);
	size_t size;
};

struct memlens_pid_seq {
	struct memlens_proc_iter it;
	const struct memlens_pid_view *view;
	void *row;		/* the row of it.tgid, or NULL */
};

struct memlens_pid_seq *memlens_pid_seq_open(struct file *file,
					     const struct memlens_pid_view *view);
int memlens_pid_seq_release(struct inode *inode, struct file *file);

/*
 * util.c: the rows of a table, its numbers right-aligned to their columns
 * and one string field, either first, left-aligned to str_width, or last.
 */
struct memlens_table {
	const struct memlens_column *cols;
	int n;			/* numeric columns */
	int str_width;		/* 0: the string field is last */
};

void memlens_seq_row(struct seq_file *m, const struct memlens_table *t, const u64 *val,
		     unsigned long blank, const char *word, const char *str, size_t str_len);
void memlens_seq_header(struct seq_file *m, const struct memlens_table *t, const char *str);
char *memlens_u64_slow(char *p, u64 v);

/**
 * memlens_u64() - write a number in decimal
 * @p: where to write; room for 20 bytes
 * @v: the number
 *
 * For views that build their rows outside a seq_file.  Most columns of
 * most rows are a single digit, 0 above all: that is written inline.
 *
 * Return: the end of what was written.
 */
static inline char *memlens_u64(char *p, u64 v)
{
	if (v < 10) {
		*p = '0' + v;
		return p + 1;
	}
	return memlens_u64_slow(p, v);
}

char *memlens_escape(char *p, const char *s, size_t len);
/* Plain bytes after a string for memlens_escape_padded(): a word's worth */
#define MEMLENS_ESCAPE_PAD	8
char *memlens_escape_padded(char *p, const char *s, size_t len);

/* ksyms.c: addresses of non-exported kernel data, verified. */
enum memlens_ksym {
	MEMLENS_KSYM_SLAB_CACHES,
	MEMLENS_KSYM_SLAB_MUTEX,
	MEMLENS_KSYM_TOTAL_SWAP_PAGES,
	MEMLENS_KSYM_SWAP_LOCK,
	MEMLENS_KSYM_SWAP_INFO,
	MEMLENS_KSYM_NR_SWAPFILES,
	MEMLENS_KSYM_FILE_SYSTEMS,
	MEMLENS_KSYM_FILE_SYSTEMS_LOCK,
	MEMLENS_KSYM_HSTATES,
	MEMLENS_KSYM_HUGETLB_MAX_HSTATE,
	MEMLENS_KSYM_DEFAULT_HSTATE_IDX,
	MEMLENS_KSYM_OVERCOMMIT_KBYTES,
	MEMLENS_KSYM_OVERCOMMIT_RATIO,
	MEMLENS_KSYM_NUM_POISONED_PAGES,
	MEMLENS_KSYM_TOTALCMA_PAGES,
	MEMLENS_KSYM_NR_VMALLOC_PAGES,
	MEMLENS_KSYM_PCPU_NR_POPULATED,
	MEMLENS_KSYM_PCPU_NR_UNITS,
	MEMLENS_KSYM_ZSWAP_STORED_PAGES,
	MEMLENS_KSYM_ZSWAP_POOL_TOTAL_SIZE,
	MEMLENS_KSYM_CODE_RESOURCE,
	MEMLENS_KSYM_RODATA_RESOURCE,
	MEMLENS_KSYM_DATA_RESOURCE,
	MEMLENS_KSYM_BSS_RESOURCE,
	MEMLENS_KSYM_BRK_END,
	MEMLENS_KSYM_VMAP_AREA_ROOT,
	MEMLENS_KSYM_VMAP_AREA_LOCK,
	MEMLENS_KSYM_VMAP_NODES,
	MEMLENS_KSYM_NR_VMAP_NODES,
	MEMLENS_KSYM_PCPU_BASE_ADDR,
	MEMLENS_KSYM_PCPU_UNIT_OFFSETS,
	MEMLENS_KSYM_PCPU_UNIT_SIZE,
	MEMLENS_KSYM_PCPU_FIRST_CHUNK,
	MEMLENS_NR_KSYMS
};

void *memlens_ksym(enum memlens_ksym sym, const char **why);

/* btf.c: a bounds-checked reader of the kernel's BTF. */
struct memlens_btf;

struct memlens_btf_member {
	u32 bit_offset;		/* from the start of the outer struct */
	u32 bitfield_size;	/* 0 if not a bitfield */
	u64 size;		/* bytes of the member's type */
	u32 nelems;		/* array length, 0 if not an array */
	u32 elem_id;		/* type id of an array's element, else of the member */
	char type_name[64];	/* "unsigned int", "struct list_head", "pointer" */
};

extern char *memlens_btf_path;	/* slab_layout.c: the btf= parameter */

struct memlens_btf *memlens_btf_load(const char *path, char *why, size_t why_len);
void memlens_btf_free(struct memlens_btf *btf);
int memlens_btf_struct(const struct memlens_btf *btf, const char *name, u32 *size);
int memlens_btf_member(const struct memlens_btf *btf, u32 struct_id, const char *name,
		       struct memlens_btf_member *out);

/*
 * pages.c: the census of physical memory.  Its walk of every page sorts
 * pages by their flags and types; pages that only a kernel structure can
 * name (untyped or PG_reserved to the walk) are then claimed by walks of
 * those structures.  A claim moves a page from untyped or reserved to
 * @class if the page is still in one of them, and does nothing otherwise:
 * each page is claimed once, by one structure, and counted once.
 * memlens_census_claim() never sleeps.
 */
struct memlens_census;
void memlens_census_claim(struct memlens_census *c, struct page *page,
			  enum memlens_page_class class);

/*
 * vmap.c: the pages of vmalloc areas, as /proc/vmallocinfo walks them,
 * claimed as kernel_stack, modules, percpu or vmalloc.  The status is
 * NULL when the areas can be read on this kernel, otherwise why not, and
 * *missing names the classes left out.
 */
const char *memlens_vmap_status(const char **missing);
void memlens_vmap_census(struct memlens_census *c);

/* vmap_layout.c: offsets in private structures of mm/, from BTF */
struct memlens_vmap_layout {
	u32 node_size;			/* struct vmap_node (v6.9 on): its size, */
	u32 node_root, node_lock;	/* busy.root and busy.lock */
	u32 chunk_base, chunk_nr_pages;	/* struct pcpu_chunk: base_addr, nr_pages */
};

int memlens_vmap_node_layout(struct memlens_vmap_layout *l, char *why, size_t len);
int memlens_pcpu_chunk_layout(struct memlens_vmap_layout *l, char *why, size_t len);

/*
 * memcg_layout.c: where struct memcg_vmstats and memcg_vmstats_percpu,
 * private to mm/memcontrol.c, keep their arrays of statistics (byte
 * offsets; each array has memlens_memcg_nr_state() longs, mm_mirror.h).
 */
struct memlens_memcg_layout {
	u32 state, pending;		/* memcg_vmstats: state, state_pending */
	u32 cpu_state, cpu_prev;	/* memcg_vmstats_percpu: state, state_prev */
};

extern struct memlens_memcg_layout memlens_memcg;
#define MEMLENS_MEMCG_DISABLED	"the memory controller is disabled (cgroup_disable=memory)"
const char *memlens_memcg_layout(void);

/* swap_layout.c: swap counts where they live in the swap table (7.x) */
struct swap_info_struct;
const char *memlens_swap_table_layout(void);
int memlens_swap_table_count(struct swap_info_struct *si, unsigned long offset);

#endif /* _MEMLENS_H */
