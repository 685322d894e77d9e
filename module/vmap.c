// SPDX-License-Identifier: GPL-2.0
/*
 * The pages of vmalloc areas, for the census (pages.c).
 */
#include "memlens.h"

const char *memlens_vmap_status(void)
{
	return "not built yet";
}

void memlens_vmap_census(struct memlens_census *c)
{
}
