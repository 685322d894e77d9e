// SPDX-License-Identifier: GPL-2.0
/*
 * The pss view: one row per process with the sizes /proc/PID/smaps_rollup
 * prints (Rss, Pss and its parts, Private_Clean + Private_Dirty as uss,
 * Swap, SwapPss), from a walk of the process's page tables done as
 * fs/proc/task_mmu.c does it, but one that never waits for the process:
 *
 *  - its mmap lock is only ever try-locked: a process whose lock a writer
 *    holds, or waits for, is "busy" and has no numbers;
 *  - the lock is held for PSS_BATCH page-table steps at most, then let go;
 *    the walk goes on from the same address with the VMA looked up again,
 *    as smaps_rollup does when its lock is contended;
 *  - each process has a time budget (pss_budget_ms); past it the row is
 *    "partial", with what was counted until then.
 *
 * Nothing smaps uses for the walk is exported (walk_page_vma(),
 * pte_offset_map_lock(), vm_normal_page(), swp_swapcount(),
 * shmem_swap_usage()): each is done here with inline primitives under the
 * protection the kernel's own function relies on, and each such place
 * names the function it mirrors.  The file position is the next tgid, as
 * in the processes view; nothing is held between two processes.
 */
#include <linux/delay.h>
#include <linux/hugetlb.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/moduleparam.h>
#include <linux/pgtable.h>
#include <linux/pid.h>
#include <linux/rcupdate_wait.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/xarray.h>

#include "compat.h"
#include "memlens.h"
#include "mm_mirror.h"

/* smaps' fixed point for PSS: bytes << 12, so that 1/N of a page adds up */
#define PSS_SHIFT	12

/* Page-table steps (a PTE table, a PMD leaf, a hole, a VMA) per hold of the lock. */
#define PSS_BATCH	16

/* PTEs between two looks for a writer waiting on the mmap lock. */
#define PSS_PTE_CHECK	16

/* How long a process whose writer waited is left alone, µs: doubling between these. */
#define PSS_BACKOFF_MIN_US	100U
#define PSS_BACKOFF_MAX_US	2000U

/* Tries at one PMD that keeps changing between its read and its lock. */
#define PSS_PMD_TRIES	3

/* read-only, as every memlens parameter: set at load time */
static unsigned int pss_budget_ms = 1000;
module_param(pss_budget_ms, uint, 0444);
MODULE_PARM_DESC(pss_budget_ms,
		 "time for one process in the pss file, ms; past it the row is partial (0: none; default 1000)");

/* The part of smaps' struct mem_size_stats that the columns need. */
struct pss_stats {
	u64 resident;				/* bytes */
	u64 pss, pss_anon, pss_file, pss_shmem;	/* bytes << PSS_SHIFT */
	u64 private;				/* bytes, Private_Clean + Private_Dirty */
	u64 swap;				/* bytes */
	u64 swap_pss;				/* bytes << PSS_SHIFT */
	bool swap_pss_unknown;			/* a swap entry's count was not read */
};

struct pss_walk {
	struct mm_struct *mm;
	struct vm_area_struct *vma;		/* the mmap lock is held while set */
	struct address_space *holes;		/* shmem: add the swap of holes in it */
	struct swap_info_struct **swap_info;	/* NULL: swap counts not readable */
	struct pss_stats s;
	u64 deadline;				/* ktime_get_ns(), 0 for none */
	unsigned int steps;
	unsigned int backoff_us;		/* the last wait for a writer */
	unsigned long section;			/* pss_pfn_valid(): a whole section, or ULONG_MAX */
	/* the last VMA entered at its start, and its shmem decision */
	unsigned long last_start, last_end;
	struct file *last_file;
	bool last_holes;
};

enum pss_status { PSS_OK, PSS_BUSY, PSS_PARTIAL };

static const char *const pss_status_words[] = {
	[PSS_OK] = MEMLENS_PSS_OK,
	[PSS_BUSY] = MEMLENS_PSS_BUSY,
	[PSS_PARTIAL] = MEMLENS_PSS_PARTIAL,
};

struct pss_row {
	int tgid;
	enum pss_status status;
	u64 val[MEMLENS_PSS_NR_NUMERIC];
	unsigned long blank;			/* bit i: val[i] is not known */
	char comm[TASK_COMM_LEN];
};

/* smaps_page_accumulate(): @pss in bytes << PSS_SHIFT. */
static void pss_accumulate(struct pss_stats *s, struct folio *folio, unsigned long size,
			   u64 pss, bool private)
{
	s->pss += pss;
	if (folio_test_anon(folio))
		s->pss_anon += pss;
	else if (folio_test_swapbacked(folio))
		s->pss_shmem += pss;
	else
		s->pss_file += pss;
	if (private)
		s->private += size;
}

/*
 * smaps_account(), for the columns.  @present and @migration describe the
 * entry that maps @page; mm_mirror.h applies the kernel's rules.  No
 * reference is taken on the folio: it would spoil the refcount == 1 test.
 * The mapcounts are read without the folio lock, as smaps reads them.
 */
static void pss_account(struct pss_stats *s, struct page *page, bool compound,
			bool present, bool migration)
{
	struct folio *folio = page_folio(page);
	int i, nr = compound ? compound_nr(page) : 1;
	unsigned long size = nr * PAGE_SIZE;
	struct memlens_share sh = { 0 };

	s->resident += size;
	if (memlens_smaps_whole(folio, present, migration, &sh.private)) {
		pss_accumulate(s, folio, size, (u64)size << PSS_SHIFT, sh.private);
		return;
	}
	memlens_folio_share(folio, &sh);
	for (i = 0; i < nr; i++, page++) {
		u64 pss = (u64)PAGE_SIZE << PSS_SHIFT;

		memlens_page_share(folio, page, &sh);
		if (sh.mapcount >= 2)
			pss = div_u64(pss, sh.mapcount);
		pss_accumulate(s, folio, PAGE_SIZE, pss, sh.private);
	}
}

/*
 * shmem_partial_swap_usage(): bytes of [@start, @end) of a shmem mapping
 * that are in swap.  Under a page table lock (@may_sleep false) the range
 * is one page, and the loop ends at its first entry, as in smaps.
 */
static unsigned long pss_shmem_swapped(struct address_space *mapping, pgoff_t start,
				       pgoff_t end, bool may_sleep)
{
	XA_STATE(xas, &mapping->i_pages, start);
	unsigned long swapped = 0, max = end - 1;
	void *entry;

	rcu_read_lock();
	xas_for_each(&xas, entry, max) {
		if (xas_retry(&xas, entry))
			continue;
		if (xa_is_value(entry))
			swapped += memlens_xas_pages(&xas);
		if (xas.xa_index == max)
			break;
		if (may_sleep && need_resched()) {
			xas_pause(&xas);
			cond_resched_rcu();
		}
	}
	rcu_read_unlock();
	return swapped << PAGE_SHIFT;
}

/*
 * shmem_swap_usage(): bytes of the shmem object mapped by @vma in swap.
 * info->swapped is read without info->lock, as there.
 */
static unsigned long pss_shmem_swap_usage(struct vm_area_struct *vma)
{
	struct inode *inode = file_inode(vma->vm_file);
	unsigned long swapped = READ_ONCE(SHMEM_I(inode)->swapped);

	if (!swapped)
		return 0;
	if (!vma->vm_pgoff && vma->vm_end - vma->vm_start >= i_size_read(inode))
		return swapped << PAGE_SHIFT;
	return pss_shmem_swapped(inode->i_mapping, vma->vm_pgoff,
				 vma->vm_pgoff + vma_pages(vma), true);
}

/*
 * smap_gather_stats()'s shmem branch, on entering @vma.  At its start: the
 * swap of the whole object part it maps is added at once, unless it is a
 * private writable mapping with some of it in swap, whose holes are then
 * looked up one by one (COWed pages are not the object's).  Resumed inside
 * it: holes, as smaps does for "start != 0", unless this is the VMA whose
 * whole swap was already added.
 */
static void pss_enter_vma(struct pss_walk *w, struct vm_area_struct *vma, bool at_start)
{
	struct file *file = vma->vm_file;
	unsigned long swapped;

	w->vma = vma;
	w->holes = NULL;
	if (!file || !shmem_mapping(file->f_mapping))
		return;
	if (!at_start) {
		if (vma->vm_start != w->last_start || vma->vm_end != w->last_end ||
		    file != w->last_file || w->last_holes)
			w->holes = file->f_mapping;
		return;
	}
	swapped = pss_shmem_swap_usage(vma);
	if (!swapped || (vma->vm_flags & VM_SHARED) || !(vma->vm_flags & VM_WRITE))
		w->s.swap += swapped;
	else
		w->holes = file->f_mapping;
	w->last_start = vma->vm_start;
	w->last_end = vma->vm_end;
	w->last_file = file;
	w->last_holes = w->holes;
}

/* smaps_pte_hole(): a range with no page table, in a VMA looked up hole by hole. */
static unsigned long pss_hole(struct pss_walk *w, unsigned long addr, unsigned long end)
{
	if (w->holes)
		w->s.swap += pss_shmem_swapped(w->holes, linear_page_index(w->vma, addr),
					       linear_page_index(w->vma, end), true);
	return end;
}

/*
 * The swap part of smaps_pte_entry(), with swp_swapcount(): the entry is
 * counted in Swap, and in SwapPss divided by the number of its users.  The
 * PTE lock is held with the PTE holding the entry, which keeps the device
 * from going away: swapoff must replace this PTE, under this lock, before
 * it frees anything.  _swap_info_get()'s checks, then mm_mirror.h's reader.
 */
static void pss_swap(struct pss_walk *w, swp_entry_t entry)
{
	unsigned long offset = swp_offset(entry);
	unsigned int type = swp_type(entry);
	struct swap_info_struct *si = NULL;
	u64 pss = (u64)PAGE_SIZE << PSS_SHIFT;
	int count = 0;

	w->s.swap += PAGE_SIZE;
	if (!w->swap_info) {
		w->s.swap_pss_unknown = true;
		return;
	}
	if (type < MAX_SWAPFILES)
		si = READ_ONCE(w->swap_info[type]);
	if (si && (READ_ONCE(si->flags) & SWP_USED) && offset < READ_ONCE(si->max))
		count = memlens_swp_swapcount(si, offset);
	if (count >= 2)
		pss = div_u64(pss, count);
	w->s.swap_pss += pss;
}

/*
 * pfn_valid() for the PTEs of one PTE table, most of whose pages are in
 * the same memory section.  Under the PTE lock a mapped page cannot go
 * offline (that would need this lock to unmap it), so its section stays;
 * @w->section is forgotten with the lock.
 */
static bool pss_pfn_valid(struct pss_walk *w, unsigned long pfn)
{
	return memlens_pfn_valid_cached(pfn, &w->section);
}

/*
 * smaps_pte_entry(), with vm_normal_page(): the PTE lock is held.  x86 has
 * pte_special(): a special PTE (the zero page, a pfnmap or mixedmap pfn,
 * devmap) is no page smaps counts.  vm_normal_page()'s highest_memmap_pfn
 * is not exported: pfn_valid() is the stricter test.  A VMA's
 * find_special_page() (Xen's gntdev) is not called: an indirect call into
 * code that is not exported.
 */
static void pss_pte(struct pss_walk *w, pte_t *pte, unsigned long addr)
{
	pte_t ptent = ptep_get(pte);
	struct memlens_leaf l;
	unsigned long pfn;

	if (pte_present(ptent)) {
		pfn = pte_pfn(ptent);
		if (!pte_special(ptent) && pss_pfn_valid(w, pfn))
			pss_account(&w->s, pfn_to_page(pfn), false, true, false);
		return;
	}
	if (pte_none(ptent)) {
		if (w->holes) {
			pgoff_t index = linear_page_index(w->vma, addr);

			w->s.swap += pss_shmem_swapped(w->holes, index, index + 1, false);
		}
		return;
	}
	/* a PTE marker (uffd-wp, guard) is neither, and is not counted */
	memlens_pte_leaf(ptent, &l);
	if (l.swap)
		pss_swap(w, l.entry);
	else if (l.pfn && pfn_valid(l.pfnval))
		pss_account(&w->s, pfn_to_page(l.pfnval), false, l.device_private, l.migration);
}

/* __pmd_trans_huge_lock()'s test: a PMD that maps a huge page, or a leaf entry. */
static bool pss_pmd_is_huge(pmd_t pmd)
{
	return (!pmd_none(pmd) && !pmd_present(pmd)) || pmd_trans_huge(pmd) ||
	       memlens_pmd_devmap(pmd);
}

/*
 * vm_normal_page_pmd() (follow_trans_huge_pmd(FOLL_DUMP) on older kernels,
 * mm_mirror.h).  VM_PFNMAP VMAs are never walked.  is_huge_zero_pmd() reads
 * huge_zero_pfn, which is not exported: the huge zero folio is the one
 * PMD-mapped folio that is neither anonymous nor in a mapping (a page
 * cache folio keeps its mapping while it is mapped); from v6.18 it is
 * special anyway.
 */
static struct page *pss_normal_page_pmd(pmd_t pmd)
{
	unsigned long pfn = pmd_pfn(pmd);
	struct folio *folio;

	if (memlens_pmd_special(pmd) || memlens_smaps_skip_pmd(pmd) || !pfn_valid(pfn))
		return NULL;
	folio = page_folio(pfn_to_page(pfn));
	if (!folio_test_anon(folio) && !READ_ONCE(folio->mapping))
		return NULL;
	return pfn_to_page(pfn);
}

/*
 * __pmd_trans_huge_lock() and smaps_pmd_entry(): under the PMD lock the
 * folio can neither be freed nor split while the PMD maps it.  false when
 * the PMD is no leaf any more: look at it again.
 */
static bool pss_pmd_leaf(struct pss_walk *w, pmd_t *pmd)
{
	bool present = true, migration = false;
	struct page *page = NULL;
	struct memlens_leaf l;
	spinlock_t *ptl;	/* the PMD's lock, pmd_lockptr() */
	pmd_t pmdval;

	if (!memlens_smaps_pmd_leaves())
		return true;
	ptl = pmd_lock(w->mm, pmd);
	pmdval = *pmd;
	if (!pss_pmd_is_huge(pmdval)) {
		spin_unlock(ptl);
		return false;
	}
	if (pmd_present(pmdval)) {
		page = pss_normal_page_pmd(pmdval);
	} else if (thp_migration_supported()) {
		memlens_pmd_leaf(pmdval, &l);
		if (memlens_smaps_pmd_entry(&l) && pfn_valid(l.pfnval)) {
			page = pfn_to_page(l.pfnval);
			present = false;
			migration = l.migration;
		}
	}
	if (page)
		pss_account(&w->s, page, true, present, migration);
	spin_unlock(ptl);
	return true;
}

/*
 * __pte_offset_map_lock() and smaps_pte_range()'s loop, from *@addr.  Since
 * v6.5 a PTE table may be freed with only the mmap lock held for read
 * (compat.h): it is then freed through RCU, its lock with it, so it is
 * read inside an RCU section, and the PMD read again under the PTE lock
 * must still point to it.  A writer waiting for the mmap lock stops the
 * loop within PSS_PTE_CHECK entries, not a whole table: a process looping
 * on mmap() must not wait for the walk.  *@addr is set to where it stopped.
 * false when the PMD changed: look at it again.
 */
static bool pss_pte_table(struct pss_walk *w, pmd_t *pmd, unsigned long *addrp,
			  unsigned long end)
{
	unsigned long addr = *addrp;
	spinlock_t *ptl;	/* the table's lock, pte_lockptr() */
	pmd_t pmdval;
	pte_t *pte;

	rcu_read_lock();
	pmdval = memlens_pmdp_get(pmd);
	if (pmd_none(pmdval) || !pmd_present(pmdval) || pss_pmd_is_huge(pmdval)) {
		rcu_read_unlock();
		return false;
	}
	/* __pte_offset_map() clears a bad PMD, a hole from then on; not ours to write */
	if (unlikely(pmd_bad(pmdval))) {
		rcu_read_unlock();
		*addrp = end;
		return true;
	}
	pte = pte_offset_kernel(&pmdval, addr);
	ptl = pte_lockptr(w->mm, &pmdval);
	spin_lock(ptl);
	if (unlikely(!pmd_same(pmdval, memlens_pmdp_get(pmd)))) {
		spin_unlock(ptl);
		rcu_read_unlock();
		return false;
	}
	w->section = ULONG_MAX;
	while (addr != end) {
		pss_pte(w, pte++, addr);
		addr += PAGE_SIZE;
		if (!(addr & (PSS_PTE_CHECK * PAGE_SIZE - 1)) && mmap_lock_is_contended(w->mm))
			break;
	}
	spin_unlock(ptl);
	rcu_read_unlock();
	*addrp = addr;
	return true;
}

/*
 * walk_pmd_range() for one PMD, with smaps_pte_range(); returns where it
 * stopped.  A PMD leaf met after the walk stopped inside the range (a
 * table collapsed into a huge page meanwhile) is not counted: part of it
 * was, as pages.
 */
static unsigned long pss_pmd(struct pss_walk *w, pmd_t *pmd, unsigned long addr,
			     unsigned long end)
{
	pmd_t pmdval;
	int i;

	for (i = 0; i < PSS_PMD_TRIES; i++) {
		pmdval = memlens_pmdp_get(pmd);
		if (pmd_none(pmdval))
			return pss_hole(w, addr, end);
		if (pss_pmd_is_huge(pmdval)) {
			if (!IS_ALIGNED(addr, PMD_SIZE) || pss_pmd_leaf(w, pmd))
				return end;
		} else if (pss_pte_table(w, pmd, &addr, end)) {
			return addr;
		}
	}
	/* the PMD kept changing: the range is left uncounted, as a race in smaps can */
	return end;
}

/*
 * One step from @addr, below @end: a hole at the highest level it is one,
 * a PMD leaf or a PTE table (or part of one, when a writer waits).
 * Returns where the next step starts.
 *
 * walk_pgd_range() to walk_pud_range(): the upper tables of a VMA in the
 * tree are freed only by free_pgtables(), with the mmap lock held for
 * write or once the VMA has left the tree, so the read lock keeps them.
 * p?d_none_or_clear_bad() would write to them: a bad entry is a hole here
 * as it becomes one there.  A PUD leaf (device DAX, a huge pfnmap) is
 * split by smaps's walk and then found empty; here it is passed over
 * without writing: nothing is counted either way.
 */
static unsigned long pss_step(struct pss_walk *w, unsigned long addr, unsigned long end)
{
	unsigned long next;
	pud_t *pud, pudval;
	pgd_t *pgd;
	p4d_t *p4d;

	pgd = pgd_offset(w->mm, addr);
	next = pgd_addr_end(addr, end);
	if (pgd_none(*pgd) || unlikely(pgd_bad(*pgd)))
		return pss_hole(w, addr, next);
	p4d = p4d_offset(pgd, addr);
	next = p4d_addr_end(addr, end);
	if (p4d_none(*p4d) || unlikely(p4d_bad(*p4d)))
		return pss_hole(w, addr, next);
	pud = pud_offset(p4d, addr);
	next = pud_addr_end(addr, end);
	pudval = READ_ONCE(*pud);
	if (pud_none(pudval))
		return pss_hole(w, addr, next);
	if (pud_leaf(pudval) || !pud_present(pudval) || unlikely(pud_bad(pudval)))
		return next;
	next = pmd_addr_end(addr, end);
	return pss_pmd(w, pmd_offset(&pudval, addr), addr, next);
}

static bool pss_past_deadline(struct pss_walk *w)
{
	return (w->deadline && ktime_get_ns() > w->deadline) || fatal_signal_pending(current);
}

/*
 * Let the lock go and take it again; false, unlocked, when the budget ran
 * out.  When a writer was waiting, the process is left alone for a while
 * first, twice as long each time in a row: a process that takes its lock
 * for write in a loop (mmap, mprotect, munmap) would otherwise pay a
 * wake-up for every call, and be slowed by being measured.
 */
static bool pss_relock(struct pss_walk *w)
{
	bool writer = mmap_lock_is_contended(w->mm);

	mmap_read_unlock(w->mm);
	w->vma = NULL;
	w->steps = 0;
	if (writer) {
		w->backoff_us = clamp(2 * w->backoff_us, PSS_BACKOFF_MIN_US, PSS_BACKOFF_MAX_US);
		usleep_range(w->backoff_us, 2 * w->backoff_us);
	} else {
		w->backoff_us = 0;
	}
	for (;;) {
		cond_resched();
		if (mmap_read_trylock(w->mm))
			return true;
		if (pss_past_deadline(w))
			return false;
		/* a writer holds it or waits: let it be, with a timer, not a lock */
		usleep_range(50, 100);
	}
}

/* Stop here for a while: every PSS_BATCH steps, or when anyone else wants the CPU or the lock. */
static bool pss_should_yield(struct pss_walk *w)
{
	return w->steps >= PSS_BATCH || need_resched() || mmap_lock_is_contended(w->mm);
}

/*
 * show_smaps_rollup()'s loop over the VMAs, with its "case 4": a VMA
 * resumed inside is walked from where the walk stopped.  Hugetlb VMAs
 * count only in smaps' *_Hugetlb lines, and VM_PFNMAP ones not at all
 * (walk_page_test()): both are passed over.  The gate VMA is not in the
 * tree.  @addr only goes up, so no page is counted twice however the VMAs
 * change while the lock is let go.
 */
static enum pss_status pss_walk_mm(struct pss_walk *w)
{
	/* vma_next()'s walk of the VMA tree (mas_find() is exported), from @addr after a relock */
	MA_STATE(mas, &w->mm->mm_mt, 0, 0);
	struct vm_area_struct *vma;
	unsigned long addr = 0;
	bool at_start;

	if (!mmap_read_trylock(w->mm)) {
		cond_resched();
		if (!mmap_read_trylock(w->mm))
			return PSS_BUSY;
	}
	while ((vma = mas_find(&mas, ULONG_MAX))) {
		at_start = vma->vm_start >= addr;
		if (at_start)
			addr = vma->vm_start;
		if (is_vm_hugetlb_page(vma) || (vma->vm_flags & VM_PFNMAP)) {
			addr = vma->vm_end;
		} else {
			pss_enter_vma(w, vma, at_start);
			while (addr < vma->vm_end) {
				addr = pss_step(w, addr, vma->vm_end);
				w->steps++;
				if (pss_should_yield(w))
					break;
			}
		}
		w->steps++;
		if (pss_should_yield(w)) {
			if (!pss_relock(w))
				return PSS_PARTIAL;
			/* the tree may have changed while unlocked: look @addr up again */
			mas_set(&mas, addr);
		} else if (addr < vma->vm_end) {
			mas_set(&mas, addr);
		}
		if (pss_past_deadline(w)) {
			mmap_read_unlock(w->mm);
			return PSS_PARTIAL;
		}
	}
	mmap_read_unlock(w->mm);
	return PSS_OK;
}

/* The file's state: the cursor, then what the rows need and the row being shown. */
struct pss_file {
	struct memlens_pid_seq ps;
	struct swap_info_struct **swap_info;
	struct pss_row row;
};

static void pss_measure(struct pss_file *f, struct mm_struct *mm, struct pss_row *row)
{
	struct pss_walk w = { .mm = mm, .swap_info = f->swap_info };
	u64 *val = row->val;

	memset(val, 0, sizeof(row->val));
	val[MEMLENS_PSS_PID] = row->tgid;
	row->blank = 0;
	row->status = PSS_OK;
	/* a kernel thread, or a process that left its mm: zeros, as in processes */
	if (!mm)
		return;
	if (pss_budget_ms)
		w.deadline = ktime_get_ns() + (u64)pss_budget_ms * NSEC_PER_MSEC;
	row->status = pss_walk_mm(&w);
	/* the last reference, if the process exited meanwhile: exit_mmap() elsewhere */
	mmput_async(mm);
	if (row->status == PSS_BUSY) {
		row->blank = GENMASK(MEMLENS_PSS_NR_NUMERIC - 1, 0) & ~BIT(MEMLENS_PSS_PID);
		return;
	}
	/* each as __show_smap() prints it: >> 10, and PSS values >> PSS_SHIFT first */
	val[MEMLENS_PSS_RSS] = w.s.resident >> 10;
	val[MEMLENS_PSS_PSS] = (w.s.pss >> PSS_SHIFT) >> 10;
	val[MEMLENS_PSS_PSS_ANON] = (w.s.pss_anon >> PSS_SHIFT) >> 10;
	val[MEMLENS_PSS_PSS_FILE] = (w.s.pss_file >> PSS_SHIFT) >> 10;
	val[MEMLENS_PSS_PSS_SHMEM] = (w.s.pss_shmem >> PSS_SHIFT) >> 10;
	val[MEMLENS_PSS_USS] = w.s.private >> 10;
	val[MEMLENS_PSS_SWAP] = w.s.swap >> 10;
	val[MEMLENS_PSS_SWAP_PSS] = (w.s.swap_pss >> PSS_SHIFT) >> 10;
	if (w.s.swap_pss_unknown)
		row->blank |= BIT(MEMLENS_PSS_SWAP_PSS);
}

static void *pss_read(struct memlens_pid_seq *ps)
{
	struct pss_file *f = container_of(ps, struct pss_file, ps);
	struct mm_struct *mm;

	if (!memlens_proc_next_mm(&ps->it, f->row.comm, &mm))
		return NULL;
	f->row.tgid = ps->it.tgid;
	pss_measure(f, mm, &f->row);
	return &f->row;
}

static const struct memlens_column pss_cols[] = {
	MEMLENS_PSS_COLUMNS(MEMLENS_COLUMN)
};

static const struct memlens_table pss_table = {
	.cols = pss_cols,
	.n = MEMLENS_PSS_NR_NUMERIC,
};

static void pss_header(struct seq_file *m)
{
	memlens_seq_header(m, &pss_table, MEMLENS_PSS_STATUS " " MEMLENS_PSS_COMM);
}

static void pss_show(struct seq_file *m, void *v)
{
	struct pss_row *row = v;

	memlens_seq_row(m, &pss_table, row->val, row->blank, pss_status_words[row->status],
			row->comm, sizeof(row->comm));
}

static const struct memlens_pid_view pss_pid_view = {
	.read = pss_read,
	.header = pss_header,
	.show = pss_show,
	.size = sizeof(struct pss_file),
};

/* Why swap counts cannot be read, or NULL. */
static const char *pss_swap_why(void)
{
	const char *why = NULL;

	why = memlens_swp_swapcount_why();
	if (why)
		return why;
	return memlens_ksym(MEMLENS_KSYM_SWAP_INFO, &why) ? NULL : why;
}

static int pss_open(struct inode *inode, struct file *file)
{
	struct memlens_pid_seq *ps = memlens_pid_seq_open(file, &pss_pid_view);
	struct pss_file *f;
	const char *why;

	if (!ps)
		return -ENOMEM;
	f = container_of(ps, struct pss_file, ps);
	if (!pss_swap_why())
		f->swap_info = memlens_ksym(MEMLENS_KSYM_SWAP_INFO, &why);
	return 0;
}

static const struct file_operations pss_fops = {
	.owner = THIS_MODULE,
	.open = pss_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = memlens_pid_seq_release,
};

/* swap_pss needs every swap entry's count; the rest works on every kernel. */
static const char *pss_view_status(const char **missing)
{
	const char *why = pss_swap_why();

	if (why)
		*missing = "swap_pss";
	return why;
}

const struct memlens_view memlens_pss_view = {
	.name = MEMLENS_FILE_PSS,
	.fops = &pss_fops,
	.status = pss_view_status,
};
