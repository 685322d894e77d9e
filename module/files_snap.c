// SPDX-License-Identifier: GPL-2.0
/*
 * The files view's snapshot buffer: the text of one open() of files or
 * mapped, grown up to MEMLENS_FILES_CAP and ended by a marker line when a
 * row did not fit.  Its size is remembered for the next snapshot, and the
 * buffer itself is kept a while after release() as a spare for it.
 */
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "files.h"

#define FILES_BUF_MIN		(256UL << 10)

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
 * Grow the buffer for @need more bytes, up to the cap.  The first size is
 * at least the last snapshot's, so that the rows are copied once at most
 * rather than at each doubling.
 */
bool files_buf_grow(struct files_buf *b, size_t need)
{
	size_t size = max3(2 * b->size, b->len + need, FILES_BUF_MIN);
	char *buf;

	if (!b->size)
		size = max_t(size_t, size, READ_ONCE(*b->last_size));
	size = min_t(size_t, size, MEMLENS_FILES_CAP);
	if (!b->size) {
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

void files_buf_puts(struct files_buf *b, const char *str)
{
	size_t n = strlen(str);

	if (files_buf_room(b, n)) {
		memcpy(b->buf + b->len, str, n);
		b->len += n;
	}
}

/*
 * The end of the snapshot: the marker line if it was truncated (it always
 * fits within the cap), and its size, an eighth more, kept for the next
 * one, which may have a few more rows.
 */
void files_buf_end(struct files_buf *b)
{
	if (b->truncated && (b->len + FILES_MARKER_LEN <= b->size ||
			     files_buf_grow(b, FILES_MARKER_LEN))) {
		memcpy(b->buf + b->len, FILES_MARKER, FILES_MARKER_LEN);
		b->len += FILES_MARKER_LEN;
	}
	WRITE_ONCE(*b->last_size, b->len + b->len / 8);
}

void files_buf_free(struct files_buf *b)
{
	if (b->buf)
		files_spare_give(b->buf, b->size);
	b->buf = NULL;
}
