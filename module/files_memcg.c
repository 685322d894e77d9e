// SPDX-License-Identifier: GPL-2.0
/*
 * The page cache of one file split by the memory cgroup each folio is
 * charged to, for the cgroup_files view.
 *
 * A folio's memcg (folio_memcg(): the memcg itself up to 6.12, through an
 * obj_cgroup from 7.2) is read with a reference on the folio, taken and
 * checked against the mapping as filemap_get_entry() takes it: a folio
 * freed and reused meanwhile is never followed.  The charge keeps the
 * memcg (6.x) or RCU does (7.x, where reparenting may move it): its id is
 * read under RCU.
 */
#include <linux/cgroup.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "files.h"

#define FILES_MEMCGS_FIRST	8

int files_memcgs_init(struct files_memcgs *m)
{
	m->use = kmalloc_array(FILES_MEMCGS_FIRST, sizeof(*m->use), GFP_KERNEL);
	m->cap = FILES_MEMCGS_FIRST;
	m->n = 0;
	return m->use ? 0 : -ENOMEM;
}

void files_memcgs_free(struct files_memcgs *m)
{
	kfree(m->use);
	m->use = NULL;
}

/* The cgroup id of @folio's memcg, 0 for none; a reference held, under RCU. */
static u64 files_folio_memcg(struct folio *folio)
{
	struct mem_cgroup *memcg = folio_memcg(folio);

	return memcg ? cgroup_id(memcg->css.cgroup) : 0;
}

/*
 * @folio's entry for its memcg, added if new; NULL when the array is full
 * (the caller grows it where it may sleep, and looks again).
 */
static struct files_memcg_use *files_memcg_find(struct files_memcgs *m, u64 id)
{
	int i;

	/* a file's pages are nearly always all charged to one cgroup */
	for (i = 0; i < m->n; i++)
		if (m->use[i].id == id)
			return &m->use[i];
	if (m->n == m->cap)
		return NULL;
	m->use[m->n] = (struct files_memcg_use){ .id = id };
	return &m->use[m->n++];
}

static int files_memcgs_grow(struct files_memcgs *m)
{
	struct files_memcg_use *use;

	use = krealloc_array(m->use, m->cap * 2, sizeof(*use), GFP_KERNEL);
	if (!use)
		return -ENOMEM;
	m->use = use;
	m->cap *= 2;
	return 0;
}

/**
 * files_memcgs_count() - split a mapping's page cache by memcg
 * @m: the sums, one per memcg met, from m->use[0] to m->use[m->n - 1]
 * @mapping: the file's, whose inode a reference keeps
 *
 * May sleep: RCU is left every XA_CHECK_SCHED folios, as filemap's walks
 * leave it.
 *
 * Return: 0, or -ENOMEM.
 */
int files_memcgs_count(struct files_memcgs *m, struct address_space *mapping)
{
	XA_STATE(xas, &mapping->i_pages, 0);
	struct folio *folio, *last = NULL;
	struct files_memcg_use *u;
	unsigned int batch = 0;
	pgoff_t index;
	long nr;
	u64 id;

	m->n = 0;
	rcu_read_lock();
	xas_for_each(&xas, folio, ULONG_MAX) {
		/* a large folio may be met at each of its indexes */
		if (xas_retry(&xas, folio) || xa_is_value(folio) || folio == last)
			continue;
		if (!folio_try_get(folio)) {
			xas_reset(&xas);
			continue;
		}
		if (unlikely(folio != xas_reload(&xas))) {
			folio_put(folio);
			xas_reset(&xas);
			continue;
		}
		index = folio->index;
		id = files_folio_memcg(folio);
		nr = folio_nr_pages(folio);
		u = files_memcg_find(m, id);
		if (u) {
			u->pages += nr;
			u->dirty += folio_test_dirty(folio) ? nr : 0;
			u->writeback += folio_test_writeback(folio) ? nr : 0;
			last = folio;
		}
		folio_put(folio);
		if (!u || !(++batch % XA_CHECK_SCHED)) {
			/* the walk resumes after the folio, or at it to count it */
			if (!u)
				xas_set(&xas, index);
			else
				xas_pause(&xas);
			rcu_read_unlock();
			if (!u && files_memcgs_grow(m))
				return -ENOMEM;
			cond_resched();
			rcu_read_lock();
		}
	}
	rcu_read_unlock();
	return 0;
}
