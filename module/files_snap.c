// SPDX-License-Identifier: GPL-2.0
/*
 * The files view's snapshot buffer: the text of one open() of files,
 * mapped or dirs, whose rows are grown up to a cap and then cut by size.
 * Its size is remembered for the next snapshot, and the buffer itself is
 * kept a while after release() as a spare for it.
 */
#include <linux/jiffies.h>
#include <linux/kstrtox.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "files.h"

#define FILES_BUF_MIN		(256UL << 10)
/* The least and most cap, kB: room for the header and some rows; 1 GiB */
#define FILES_CAP_MIN_KB	64
#define FILES_CAP_MAX_KB	(1024U * 1024)

/* read-only, as every memlens parameter: set at load time */
static unsigned int files_cap_kb = MEMLENS_FILES_CAP >> 10;

static int files_cap_set(const char *val, const struct kernel_param *kp)
{
	unsigned int kb;
	int ret = kstrtouint(val, 10, &kb);

	if (ret || kb < FILES_CAP_MIN_KB || kb > FILES_CAP_MAX_KB)
		return -EINVAL;
	files_cap_kb = kb;
	return 0;
}

static const struct kernel_param_ops files_cap_ops = {
	.set = files_cap_set,
	.get = param_get_uint,
};

module_param_cb(files_cap_kb, &files_cap_ops, &files_cap_kb, 0444);
MODULE_PARM_DESC(files_cap_kb,
		 "the most rows of one read of files, mapped or dirs, kB; the smallest files' rows are left out beyond (64 to 1048576; default 65536)");

size_t files_buf_cap(void)
{
	return (size_t)files_cap_kb << 10;
}

/*
 * The buffer of the last snapshot freed, kept up to FILES_SPARE_DELAY for
 * the next one: a new buffer has each of its pages zeroed first
 * (init_on_alloc, on in Debian's kernels), a spare is not.
 */
#define FILES_SPARE_DELAY	(2 * HZ)
static DEFINE_SPINLOCK(files_spare_lock);
static char *files_spare;
static size_t files_spare_size;

static void files_spare_drop(struct work_struct *work)
{
	char *buf;

	spin_lock(&files_spare_lock);
	buf = files_spare;
	files_spare = NULL;
	spin_unlock(&files_spare_lock);
	kvfree(buf);
}

static DECLARE_DELAYED_WORK(files_spare_work, files_spare_drop);

/* The spare buffer if it has @size bytes, its size in @got; else NULL. */
static char *files_spare_take(size_t size, size_t *got)
{
	char *buf = NULL;

	spin_lock(&files_spare_lock);
	if (files_spare && files_spare_size >= size) {
		buf = files_spare;
		*got = files_spare_size;
		files_spare = NULL;
	}
	spin_unlock(&files_spare_lock);
	return buf;
}

/* Keep @buf as the spare, or free it if there is one already. */
static void files_spare_give(char *buf, size_t size)
{
	char *old;

	spin_lock(&files_spare_lock);
	old = files_spare;
	files_spare = buf;
	files_spare_size = size;
	spin_unlock(&files_spare_lock);
	kvfree(old);
	/* not pushed back by each close: a buffer is kept at most that long */
	schedule_delayed_work(&files_spare_work, FILES_SPARE_DELAY);
}

/* At unload: no snapshot is open, as each holds a reference on the module. */
void memlens_files_exit(void)
{
	cancel_delayed_work_sync(&files_spare_work);
	kvfree(files_spare);
}

/*
 * Grow the buffer for @need more bytes; rows stay within the cap, the
 * lines after them may pass it.  The first size of a snapshot's buffer is
 * at least the last snapshot's, so that the rows are copied once at most
 * rather than at each doubling.
 */
bool files_buf_grow(struct files_buf *b, size_t need)
{
	size_t size = max3(2 * b->size, b->len + need, FILES_BUF_MIN);
	char *buf;

	if (!b->last_size)	/* the total rows: a line a superblock */
		size = max3(2 * b->size, b->len + need, (size_t)PAGE_SIZE);
	else if (!b->size)
		size = max_t(size_t, size, READ_ONCE(*b->last_size));
	size = min_t(size_t, size, max(b->cap, b->len + need));
	if (!b->size && b->last_size) {
		b->buf = files_spare_take(size, &b->size);
		if (b->buf)
			return true;
	}
	buf = memlens_kvrealloc(b->buf, b->len, size, GFP_KERNEL_ACCOUNT);
	if (!buf) {
		b->err = -ENOMEM;
		return false;
	}
	b->buf = buf;
	b->size = size;
	return true;
}

/* The least size of bucket @t, files_bucket()'s inverse. */
static u64 files_bucket_min(unsigned int t)
{
	unsigned int lg;

	if (t < 16)
		return t;
	if (t >= FILES_BUCKETS)
		return U64_MAX;
	lg = (t - 16) / 4 + 4;
	return (u64)(4 + (t - 16) % 4) << (lg - 2);
}

/* The size of a row of files or dirs: its fourth field, cached. */
static u64 files_row_kb(const char *row, const char *end)
{
	unsigned int field = 0;
	u64 kb = 0;

	BUILD_BUG_ON(MEMLENS_FILES_CACHED != 3 || MEMLENS_DIRS_CACHED != 3);
	while (row < end && field < 3)
		field += *row++ == ' ';
	while (row < end && *row >= '0' && *row <= '9')
		kb = kb * 10 + *row++ - '0';
	return kb;
}

/*
 * Cut the rows of the smallest sizes, whole buckets and at least a
 * quarter of the cap, so that cuts are rare; rows under the least size
 * kept are left out from then on: every row in the buffer is of that size
 * or more, every row cut or left out of less.  The rows keep their order.
 */
bool files_buf_cut(struct files_buf *b, size_t need)
{
	size_t freed = 0, len;
	char *row, *to, *end, *nl;
	unsigned int t, n = 0;

	for (t = 0; t < FILES_BUCKETS; t++) {
		if (freed >= b->cap / 4 && b->len - freed + need <= b->cap)
			break;
		freed += b->bytes[t];
		b->bytes[t] = 0;
	}
	b->min_kb = max(b->min_kb, files_bucket_min(t));
	to = b->buf + b->head;
	end = b->buf + b->len;
	for (row = to; row < end; row += len) {
		nl = memchr(row, '\n', end - row);
		len = (nl ? nl + 1 : end) - row;
		if (files_row_kb(row, row + len) < b->min_kb) {
			b->below++;
		} else {
			memmove(to, row, len);
			to += len;
		}
		if (!(++n % 4096))
			cond_resched();
	}
	b->len = to - b->buf;
	return b->len + need <= b->cap;
}

/* Text out of the rows: the header, the totals, a status line. */
void files_buf_write(struct files_buf *b, const char *str, size_t len)
{
	if (b->err || (b->len + len > b->size && !files_buf_grow(b, len)))
		return;
	memcpy(b->buf + b->len, str, len);
	b->len += len;
}

void files_buf_puts(struct files_buf *b, const char *str)
{
	files_buf_write(b, str, strlen(str));
}

/* The snapshot's size, an eighth more, kept for the next one, which may have a few more rows. */
void files_buf_end(struct files_buf *b)
{
	WRITE_ONCE(*b->last_size, b->len + b->len / 8);
}

void files_buf_free(struct files_buf *b)
{
	if (b->buf && b->last_size)
		files_spare_give(b->buf, b->size);
	else
		kvfree(b->buf);
	b->buf = NULL;
}
