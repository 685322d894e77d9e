// SPDX-License-Identifier: GPL-2.0
/*
 * The pages view: a census of physical memory, every page of present RAM
 * in exactly one class, per node.
 *
 * A walk of every online section's struct pages sorts pages by what they
 * say of themselves: page types and flags (buddy, slab, page table,
 * hugetlb...), and for the rest the folio's mapping (anon, shmem, file,
 * buffers, swap cache), as /proc/kpageflags reads them: racily, never
 * taking a reference.  A page that says nothing is untyped, one marked
 * PG_reserved at boot is reserved.  Kernel structures then claim from
 * those two the pages they own: the memmap (through the vmemmap's page
 * tables), the kernel image (its resources), vmalloc areas (vmap.c).  The
 * per-CPU free lists hold pages that look untyped; their counts move that
 * many pages to free.  The sections' holes are PG_reserved too: per node,
 * the pages walked less the zones' present pages are holes, not reserved.
 *
 * The walk reads one section at a time under census_mutex, which memory
 * hot(un)plug waits for (a memory notifier) before it takes a section
 * offline: a section's memmap is not freed while it is read.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bsearch.h>
#include <linux/fs.h>
#include <linux/ioport.h>
#include <linux/kallsyms.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/poison.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <asm/pgtable.h>

#include "compat.h"
#include "memlens.h"

#include <linux/hugetlb.h>	/* after compat.h, as mm_mirror.h */

/* The largest folio the walk skips in one step: a 1 GiB hugetlb page. */
#define CENSUS_MAX_ORDER	(PUD_SHIFT - PAGE_SHIFT)

/* Block devices whose page cache the walk tells apart as buffers. */
#define CENSUS_MAX_BDEVS	4096

/* Distinct movable ops met in one walk: zsmalloc's, a balloon's, z3fold's... */
#define CENSUS_MAX_OPS		8

struct census_node {
	long pages[MEMLENS_NR_PAGE_CLASSES];
	unsigned long walked;	/* pages the walk saw here, holes included */
};

struct memlens_census {
	struct census_node *node;	/* nr_node_ids of them */
	struct address_space **bdev;	/* sorted */
	size_t nr_bdev;
	struct address_space *last_bdev;
	struct {
		const void *ops;
		enum memlens_page_class class;
	} ops[CENSUS_MAX_OPS];
	int nr_ops;
	struct notifier_block nb;
	bool done;
};

static const struct memlens_column pages_cols[] = {
	MEMLENS_PAGES_COLUMNS(MEMLENS_COLUMN)
};

static const struct memlens_table pages_table = {
	.cols = pages_cols,
	.n = ARRAY_SIZE(pages_cols),
	.str_width = MEMLENS_PAGES_CLASS_WIDTH,
};

static const char *const class_names[] = {
	MEMLENS_PAGE_CLASSES(MEMLENS_PAGE_CLASS_NAME)
};

/* Held while a section's struct pages are read; hotplug waits for it. */
static DEFINE_MUTEX(census_mutex);

static int census_hotplug(struct notifier_block *nb, unsigned long action, void *arg)
{
	mutex_lock(&census_mutex);
	mutex_unlock(&census_mutex);
	return NOTIFY_OK;
}

static int census_cmp_ptr(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/*
 * The page cache mappings of block devices, as nr_blockdev_pages() finds
 * them: only pointers are kept, compared with folio->mapping, never
 * followed.  More devices than fit are counted as file.
 */
static void census_bdevs(struct memlens_census *c)
{
	struct super_block *sb = blockdev_superblock;
	struct inode *inode;
	size_t n = 0;

	c->bdev = kmalloc_array(CENSUS_MAX_BDEVS, sizeof(*c->bdev), GFP_KERNEL);
	if (!c->bdev || !sb)
		return;
	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		if (n == CENSUS_MAX_BDEVS)
			break;
		c->bdev[n++] = inode->i_mapping;
	}
	spin_unlock(&sb->s_inode_list_lock);
	sort(c->bdev, n, sizeof(*c->bdev), census_cmp_ptr, NULL);
	c->nr_bdev = n;
}

static bool census_is_bdev(struct memlens_census *c, struct address_space *mapping)
{
	if (mapping == c->last_bdev)
		return true;
	if (!bsearch(&mapping, c->bdev, c->nr_bdev, sizeof(*c->bdev), census_cmp_ptr))
		return false;
	c->last_bdev = mapping;
	return true;
}

/* A racy size is trusted only if the block it gives is aligned and in range. */
static unsigned long census_span(unsigned long pfn, unsigned long nr, unsigned int max_order)
{
	if (!is_power_of_2(nr) || nr > BIT(max_order) || !IS_ALIGNED(pfn, nr))
		return 1;
	return nr;
}

/*
 * A page with movable ops is zsmalloc's if they are zsmalloc_mops (a
 * module's symbol on some kernels: found by name, once per walk).
 */
static enum memlens_page_class census_movable_class(struct memlens_census *c, const void *ops)
{
	static const char zs[] = "zsmalloc_mops+0x0/";
	enum memlens_page_class class;
	char sym[KSYM_SYMBOL_LEN];
	int i;

	for (i = 0; i < c->nr_ops; i++)
		if (c->ops[i].ops == ops)
			return c->ops[i].class;
	sprint_symbol(sym, (unsigned long)ops);
	class = strncmp(sym, zs, sizeof(zs) - 1) ? MEMLENS_PAGE_UNTYPED : MEMLENS_PAGE_ZSMALLOC;
	if (c->nr_ops < CENSUS_MAX_OPS) {
		c->ops[c->nr_ops].ops = ops;
		c->ops[c->nr_ops++].class = class;
	}
	return class;
}

/* Class of a page cache or anonymous folio, or of one that says nothing. */
static enum memlens_page_class census_mapped_class(struct memlens_census *c, struct page *head)
{
	struct folio *folio = (struct folio *)head;
	struct address_space *mapping = READ_ONCE(head->mapping);
	const void *ops;

	if (folio_test_swapcache(folio))
		return MEMLENS_PAGE_SWAPCACHE;
	if (!mapping)
		return MEMLENS_PAGE_UNTYPED;
	ops = memlens_page_movable_ops(head);
	if (ops)
		return census_movable_class(c, ops);
	if (folio_test_anon(folio))
		return MEMLENS_PAGE_ANON;
	if (folio_test_swapbacked(folio))
		return MEMLENS_PAGE_SHMEM;
	return census_is_bdev(c, mapping) ? MEMLENS_PAGE_BUFFERS : MEMLENS_PAGE_FILE;
}

/*
 * The class of @head, a page that is not a tail (at the time it was
 * looked at), and in *nr the pages from it that share the class: a free
 * block's or a folio's.
 */
static enum memlens_page_class census_class(struct memlens_census *c, struct page *head,
					    unsigned long pfn, unsigned long *nr)
{
	enum memlens_page_class class;

	*nr = 1;
	/* most pages in use are on an LRU list: nothing below but their mapping */
	if (PageLRU(head)) {
		if (PageHead(head))
			*nr = census_span(pfn, compound_nr(head), CENSUS_MAX_ORDER);
		return census_mapped_class(c, head);
	}
	if (PageBuddy(head)) {
		unsigned long order = READ_ONCE(head->private);

		*nr = census_span(pfn, order < BITS_PER_LONG ? BIT(order) : 0,
				  MEMLENS_MAX_PAGE_ORDER);
		return MEMLENS_PAGE_FREE;
	}
	if (PageOffline(head) || PageHWPoison(head))
		return MEMLENS_PAGE_OFFLINE;
	if (PageHead(head))
		*nr = census_span(pfn, compound_nr(head), CENSUS_MAX_ORDER);
	if (PageHuge(head))
		class = MEMLENS_PAGE_HUGETLB;
	else if (PageSlab(head))
		class = MEMLENS_PAGE_SLAB;
	else if (memlens_page_large_kmalloc(head))
		class = MEMLENS_PAGE_LARGE_KMALLOC;
	else if (PageTable(head))
		class = MEMLENS_PAGE_PAGETABLES;
	else if (memlens_page_zsmalloc(head))
		class = MEMLENS_PAGE_ZSMALLOC;
	else if (memlens_page_pool(head))
		class = MEMLENS_PAGE_PAGE_POOL;
	else if (PageReserved(head))
		class = MEMLENS_PAGE_RESERVED;
	else
		class = census_mapped_class(c, head);
	return class;
}

/* The class a page is in now: a tail's is its head's. */
static enum memlens_page_class census_class_of(struct memlens_census *c, struct page *page)
{
	struct page *head = compound_head(page);
	unsigned long nr;

	return census_class(c, head, page_to_pfn(head), &nr);
}

/*
 * Count the pages of one section from @pfn to @end on node @nid; return
 * where the walk goes on (a folio may run past the section).
 */
static unsigned long census_section(struct memlens_census *c, int nid, unsigned long pfn,
				    unsigned long end, unsigned long node_end)
{
	struct census_node *n = &c->node[nid];
	unsigned long nr;

	while (pfn < end) {
		struct page *page;
		enum memlens_page_class class;

		if (IS_ALIGNED(pfn, PAGES_PER_SUBSECTION) && !pfn_valid(pfn)) {
			pfn += PAGES_PER_SUBSECTION;
			continue;
		}
		page = pfn_to_page(pfn);
		if (page_to_nid(page) != nid || is_zone_device_page(page)) {
			pfn++;
			continue;
		}
		if (PageTail(page)) {
			class = census_class_of(c, page);
			nr = 1;
		} else {
			class = census_class(c, page, pfn, &nr);
			nr = min(nr, node_end - pfn);
		}
		n->pages[class] += nr;
		n->walked += nr;
		pfn += nr;
	}
	return pfn;
}

static void census_walk_node(struct memlens_census *c, int nid)
{
	unsigned long pfn = node_start_pfn(nid), end = node_end_pfn(nid);

	while (pfn < end) {
		unsigned long sec_end = min(ALIGN(pfn + 1, PAGES_PER_SECTION), end);

		mutex_lock(&census_mutex);
		if (online_section_nr(pfn_to_section_nr(pfn)))
			pfn = census_section(c, nid, pfn, sec_end, end);
		else
			pfn = sec_end;
		mutex_unlock(&census_mutex);
		cond_resched();
	}
}

/* A node's present pages, as /proc/zoneinfo sums them. */
static unsigned long census_present(int nid)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	unsigned long present = 0;
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++)
		present += READ_ONCE(pgdat->node_zones[z].present_pages);
	return present;
}

/* Pages on the per-CPU free lists of a node's zones, read as zoneinfo does. */
static unsigned long census_pcp(int nid)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	unsigned long pcp = 0;
	int z, cpu;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];

		if (!populated_zone(zone))
			continue;
		for_each_online_cpu(cpu)
			pcp += max(READ_ONCE(per_cpu_ptr(zone->per_cpu_pageset, cpu)->count), 0);
	}
	return pcp;
}

static void census_move(struct census_node *n, enum memlens_page_class from,
			enum memlens_page_class to, long nr)
{
	nr = min(nr, n->pages[from]);
	if (nr <= 0)
		return;
	n->pages[from] -= nr;
	n->pages[to] += nr;
}

void memlens_census_claim(struct memlens_census *c, struct page *page,
			  enum memlens_page_class class)
{
	enum memlens_page_class now = census_class_of(c, page);

	if (now == MEMLENS_PAGE_UNTYPED || now == MEMLENS_PAGE_RESERVED)
		census_move(&c->node[page_to_nid(page)], now, class, 1);
}

/* Claim @nr pages from @pfn on (the memmap's); may sleep. */
static void census_claim_pfns(struct memlens_census *c, unsigned long pfn, unsigned long nr,
			      enum memlens_page_class class)
{
	for (; nr; pfn++, nr--) {
		if (pfn_valid(pfn))
			memlens_census_claim(c, pfn_to_page(pfn), class);
		if (!(nr % 4096))
			cond_resched();
	}
}

/*
 * The pages backing the struct pages of the section at @pfn: the vmemmap
 * is mapped by the kernel's page tables, mostly with 2 MiB pages.
 */
static void census_memmap_section(struct memlens_census *c, unsigned long pfn)
{
	unsigned long va = (unsigned long)pfn_to_page(pfn);
	unsigned long end = (unsigned long)pfn_to_page(pfn + PAGES_PER_SECTION);

	while (va < end) {
		unsigned int level;
		pte_t *pte = lookup_address(va, &level);
		unsigned long size, off, n, base;

		if (!pte || !pte_present(*pte)) {
			va = ALIGN(va + 1, PAGE_SIZE);
			continue;
		}
		size = page_level_size(level);	/* 4K, 2M or 1G */
		if (level == PG_LEVEL_2M)
			base = pmd_pfn(*(pmd_t *)pte);
		else if (level == PG_LEVEL_1G)
			base = pud_pfn(*(pud_t *)pte);
		else
			base = pte_pfn(*pte);
		off = va & (size - 1);
		n = min(size - off, end - va);
		census_claim_pfns(c, base + PFN_DOWN(off), PFN_UP(n), MEMLENS_PAGE_MEMMAP);
		va += n;
	}
}

/* Every online section's, once: nodes' spans may share a section. */
static void census_memmap(struct memlens_census *c)
{
	unsigned long pfn = ULONG_MAX, end = 0;
	int nid;

	for_each_online_node(nid) {
		pfn = min(pfn, node_start_pfn(nid));
		end = max(end, node_end_pfn(nid));
	}
	for (pfn = ALIGN_DOWN(pfn, PAGES_PER_SECTION); pfn < end; pfn += PAGES_PER_SECTION) {
		mutex_lock(&census_mutex);
		if (online_section_nr(pfn_to_section_nr(pfn)))
			census_memmap_section(c, pfn);
		mutex_unlock(&census_mutex);
		cond_resched();
	}
}

/*
 * The reserved pages of PFNs @*next to @end (inclusive), as the kernel
 * image; @*next moves past them, so that a page two of the image's
 * ranges share counts once.  The image's pages the kernel gave back at
 * boot are not reserved, whatever they became since.
 */
static void census_image_pfns(struct memlens_census *c, unsigned long *next, unsigned long end)
{
	for (; *next <= end; ++*next) {
		struct page *page;

		if (!pfn_valid(*next))
			continue;
		page = pfn_to_page(*next);
		if (census_class_of(c, page) == MEMLENS_PAGE_RESERVED)
			census_move(&c->node[page_to_nid(page)], MEMLENS_PAGE_RESERVED,
				    MEMLENS_PAGE_KERNEL_IMAGE, 1);
	}
}

/* The kernel image: its text, rodata, data and bss, and the brk in use. */
static const char *census_kernel_image(struct memlens_census *c)
{
	static const enum memlens_ksym res[] = {
		MEMLENS_KSYM_CODE_RESOURCE, MEMLENS_KSYM_RODATA_RESOURCE,
		MEMLENS_KSYM_DATA_RESOURCE, MEMLENS_KSYM_BSS_RESOURCE,
	};
	const char *why = NULL;
	struct resource *r[ARRAY_SIZE(res)];
	unsigned long *brk_end, next = 0, brk;
	int i;

	for (i = 0; i < ARRAY_SIZE(res); i++)
		r[i] = memlens_ksym(res[i], &why);
	brk_end = memlens_ksym(MEMLENS_KSYM_BRK_END, &why);
	if (why || !c)
		return why;
	for (i = 0; i < ARRAY_SIZE(res); i++) {
		if (r[i]->end <= r[i]->start)
			continue;
		next = max(next, PHYS_PFN(r[i]->start));
		census_image_pfns(c, &next, PHYS_PFN(r[i]->end));
	}
	/* the brk follows the bss; what it did not use was never reserved */
	brk = __pa_symbol(READ_ONCE(*brk_end));
	if (next && brk > PFN_PHYS(next))
		census_image_pfns(c, &next, PHYS_PFN(brk - 1));
	return NULL;
}

static void census_take(struct memlens_census *c)
{
	int nid;

	census_bdevs(c);
	for_each_online_node(nid)
		census_walk_node(c, nid);
	for_each_online_node(nid) {
		struct census_node *n = &c->node[nid];
		long holes = n->walked - census_present(nid);
		long *reserved = &n->pages[MEMLENS_PAGE_RESERVED];

		*reserved -= clamp(holes, 0L, *reserved);
	}
	census_memmap(c);
	census_kernel_image(c);
	memlens_vmap_census(c);
	for_each_online_node(nid)
		census_move(&c->node[nid], MEMLENS_PAGE_UNTYPED, MEMLENS_PAGE_FREE,
			    census_pcp(nid));
	c->done = true;
}

/* Positions: 0 the header, then node * classes + class + 1. */
static void *pages_start(struct seq_file *m, loff_t *pos)
{
	struct memlens_census *c = m->private;
	loff_t i = *pos;
	int nid;

	if (!c->done)
		census_take(c);
	if (!i)
		return SEQ_START_TOKEN;
	i--;
	for_each_online_node(nid) {
		if (i < MEMLENS_NR_PAGE_CLASSES)
			return &c->node[nid].pages[i];
		i -= MEMLENS_NR_PAGE_CLASSES;
	}
	return NULL;
}

static void *pages_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return pages_start(m, pos);
}

static void pages_stop(struct seq_file *m, void *v)
{
}

static int pages_show(struct seq_file *m, void *v)
{
	struct memlens_census *c = m->private;
	u64 val[MEMLENS_PAGES_NR_NUMERIC];
	long *p = v;
	int nid, class;

	if (v == SEQ_START_TOKEN) {
		memlens_seq_header(m, &pages_table, MEMLENS_PAGES_CLASS);
		return 0;
	}
	for_each_online_node(nid) {
		class = p - c->node[nid].pages;
		if (class >= 0 && class < MEMLENS_NR_PAGE_CLASSES)
			break;
	}
	val[MEMLENS_PAGES_NODE] = nid;
	val[MEMLENS_PAGES_PAGES] = max(*p, 0L);
	val[MEMLENS_PAGES_SIZE] = MEMLENS_PAGES_TO_KB(val[MEMLENS_PAGES_PAGES]);
	memlens_seq_row(m, &pages_table, val, 0, NULL, class_names[class],
			strlen(class_names[class]));
	return 0;
}

static const struct seq_operations pages_sops = {
	.start = pages_start,
	.next = pages_next,
	.stop = pages_stop,
	.show = pages_show,
};

static void census_free(struct memlens_census *c)
{
	if (c->nb.notifier_call)
		unregister_memory_notifier(&c->nb);
	kfree(c->bdev);
	kfree(c->node);
}

static int pages_open(struct inode *inode, struct file *file)
{
	struct memlens_census *c;
	int ret;

	c = __seq_open_private(file, &pages_sops, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->node = kcalloc(nr_node_ids, sizeof(*c->node), GFP_KERNEL);
	ret = c->node ? 0 : -ENOMEM;
	if (!ret) {
		c->nb.notifier_call = census_hotplug;
		ret = register_memory_notifier(&c->nb);
		if (ret)
			c->nb.notifier_call = NULL;
	}
	if (ret) {
		census_free(c);
		seq_release_private(inode, file);
	}
	return ret;
}

static int pages_release(struct inode *inode, struct file *file)
{
	census_free(((struct seq_file *)file->private_data)->private);
	return seq_release_private(inode, file);
}

static const struct file_operations pages_fops = {
	.owner = THIS_MODULE,
	.open = pages_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = pages_release,
};

/* What is missing when a structure cannot be read: its classes' pages are untyped. */
static const char *pages_status(const char **missing)
{
	const char *why = memlens_vmap_status(missing);

	if (why)
		return why;
	why = census_kernel_image(NULL);
	if (why)
		*missing = "kernel_image";
	return why;
}

const struct memlens_view memlens_pages_view = {
	.name = MEMLENS_FILE_PAGES,
	.fops = &pages_fops,
	.status = pages_status,
};
