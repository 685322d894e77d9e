// SPDX-License-Identifier: GPL-2.0
/*
 * memlens slab: the slab caches, like slabtop, with the memory each holds,
 * the part of it that is waste, and its efficiency.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <libsmartcols.h>

#include "reader.h"

/* NAME first, then the file's numeric columns at their index + 1. */
enum { SL_NAME, SL_NCOLS = MEMLENS_SLAB_NR_NUMERIC + 1 };

static struct ml_col slab_cols[SL_NCOLS];
static char slab_names[MEMLENS_SLAB_NR_NUMERIC][24];

static const char *const slab_default[] = {
	"active_objs", "num_objs", "objsize", "num_slabs", "total_kb", "waste_kb", "eff",
};

/*
 * The file's columns, upper-cased; a "_kb" column is shown as a size, so
 * it loses the suffix: total_kb is TOTAL.
 */
const struct ml_col *ml_slab_columns(void)
{
	int i;
	size_t j;

	for (i = 0; i < MEMLENS_SLAB_NR_NUMERIC; i++) {
		const struct memlens_column *c = &ml_slab_fmt[i];
		size_t len = strlen(c->name);

		if (c->unit == MEMLENS_UNIT_KB && len > 3 && !strcmp(c->name + len - 3, "_kb"))
			len -= 3;
		for (j = 0; j < len && j < sizeof(slab_names[i]) - 1; j++)
			slab_names[i][j] = toupper((unsigned char)c->name[j]);
		slab_cols[i + 1] = (struct ml_col){
			slab_names[i], ml_kind_of(c->unit), i,
			ml_shown_if(ml_in_list(slab_default, ARRAY_SIZE(slab_default), c->name)),
			c->help
		};
	}
	slab_cols[SL_NAME] = (struct ml_col){ "NAME", ML_STR, SL_NAME, ML_SHOW,
					      MEMLENS_SLAB_NAME_HELP };
	return slab_cols;
}

int ml_slab_ncols(void)
{
	return SL_NCOLS;
}

/*
 * For people, the caches' total against meminfo's Slab: Slab also counts
 * the pages of kmalloc()s too large for any cache (above 8 KiB with SLUB),
 * which the page allocator hands out directly.
 */
static void slab_total(const struct ml_options *o, const struct ml_slabs *s)
{
	char held[32], slab[32], diff[32];
	struct ml_system sys;
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < s->n; i++)
		sum += s->rows[i].val[MEMLENS_SLAB_TOTAL];
	ml_size_str(sum, o->bytes, held, sizeof(held));
	printf("Total: %zu cache%s, %s in slabs", s->n, s->n == 1 ? "" : "s", held);
	ml_load_system(o, &sys);
	if (sys.unavailable[MEMLENS_SYS_SLAB] || !sys.present[MEMLENS_SYS_SLAB]) {
		putchar('\n');
		return;
	}
	ml_size_str(sys.val[MEMLENS_SYS_SLAB], o->bytes, slab, sizeof(slab));
	ml_size_str(sys.val[MEMLENS_SYS_SLAB] > sum ? sys.val[MEMLENS_SYS_SLAB] - sum :
		    sum - sys.val[MEMLENS_SYS_SLAB], o->bytes, diff, sizeof(diff));
	/* the two are read one after the other: caches may grow in between */
	if (sys.val[MEMLENS_SYS_SLAB] >= sum)
		printf("; Slab (meminfo) %s: %s not in any cache (large kmalloc)\n", slab, diff);
	else
		printf("; Slab (meminfo) %s, read a moment later, is %s less\n", slab, diff);
}

int ml_cmd_slab(const struct ml_options *o)
{
	struct ml_options so = *o;
	struct ml_slabs s;
	struct ml_table t;
	size_t i;
	int c, ret;

	ml_load_slab(o, &s);
	/* the biggest caches first, unless asked otherwise */
	if (!so.sort)
		so.sort = "total";
	if (ml_table_init(&t, &so, MEMLENS_FILE_SLAB, ml_slab_columns(), SL_NCOLS)) {
		ml_slabs_free(&s);
		return ML_EXIT_FAIL;
	}
	for (i = 0; i < s.n; i++) {
		struct ml_line ln = ml_table_line(&t);

		ml_table_set(&t, ln, SL_NAME, s.rows[i].name, 0);
		for (c = 0; c < MEMLENS_SLAB_NR_NUMERIC; c++) {
			ml_table_set(&t, ln, c + 1, NULL, (int64_t)s.rows[i].val[c]);
		}
	}
	ret = ml_table_print(&t, &so, o->top);
	ml_table_free(&t);
	/* as the files' total line: every cache, not only the -t first */
	if (!ret && !o->json && !o->raw && !o->noheadings)
		slab_total(o, &s);
	ml_slabs_free(&s);
	return ret ? ML_EXIT_FAIL : ML_EXIT_OK;
}
