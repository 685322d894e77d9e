// SPDX-License-Identifier: GPL-2.0
/*
 * The pages view: a census of physical memory.
 */
#include "memlens.h"

void memlens_census_claim(struct memlens_census *c, struct page *page,
			  enum memlens_page_class class)
{
}

void memlens_census_claim_pfns(struct memlens_census *c, unsigned long pfn,
			       unsigned long nr, enum memlens_page_class class)
{
}

static int pages_show(struct seq_file *m, void *v)
{
	seq_puts(m, MEMLENS_STATUS_UNSUPPORTED ": not built yet\n");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pages);

static const char *pages_status(const char **missing)
{
	return "not built yet";
}

const struct memlens_view memlens_pages_view = {
	.name = MEMLENS_FILE_PAGES,
	.fops = &pages_fops,
	.status = pages_status,
};
