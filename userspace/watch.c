// SPDX-License-Identifier: GPL-2.0
/*
 * The live view of -w.  On a terminal, one screen redrawn in place, as top
 * and slabtop draw theirs: a header with the time and the interval, the
 * table cut to the screen, q to quit.  Anywhere else (a pipe, a file, -r,
 * -J), samples one after another, each with its time, as pidstat prints
 * them: a stamp line before each table, or with -J one JSON document per
 * line (JSON Lines).
 */
#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "reader.h"

/* The terminal as it was, restored at exit however the program ends. */
static struct {
	bool screen, keys;
	struct termios tio;
	sigset_t mask;		/* the signal mask before ours */
} term;

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	caught = sig;
}

/* Autowrap and the cursor back on, the line discipline as it was. */
static void restore(void)
{
	if (!term.screen)
		return;
	term.screen = false;
	fputs("\033[?7h\033[?25h", stdout);
	fflush(stdout);
	if (term.keys)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &term.tio);
}

/* Keys one at a time without echo, autowrap and the cursor off. */
static void screen_enter(void)
{
	struct termios raw;

	if (term.keys) {
		raw = term.tio;
		raw.c_lflag &= ~(ICANON | ECHO);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
	}
	term.screen = true;
	/* lines longer than the screen are cut, not wrapped onto the next */
	fputs("\033[?7l\033[?25l\033[H\033[2J", stdout);
}

/*
 * Ctrl-C still a signal (ISIG stays), Ctrl-Z too.  The signals that end,
 * stop or resize the view are blocked but while waiting, so that one
 * cannot slip in between a check and the wait (ppoll()).
 */
static void screen_start(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGTSTP };
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block;
	size_t i;

	sigemptyset(&block);
	for (i = 0; i < ARRAY_SIZE(sigs); i++) {
		sigaction(sigs[i], &sa, NULL);
		sigaddset(&block, sigs[i]);
	}
	sigprocmask(SIG_BLOCK, &block, &term.mask);
	term.keys = isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &term.tio);
	atexit(restore);
	screen_enter();
}

/*
 * Ctrl-Z: the terminal as it was for the shell while stopped, as top
 * leaves it; the view again once continued.
 */
static void suspend(void)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL }, sa = { .sa_handler = on_signal };
	sigset_t set;

	restore();
	sigaction(SIGTSTP, &dfl, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	kill(getpid(), SIGTSTP);
	/* it stops here, pending until unblocked, and goes on after SIGCONT */
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigaction(SIGTSTP, &sa, NULL);
	screen_enter();
}

/**
 * ml_watch_start() - begin a live view
 * @w: the view
 * @o: the options: -w, --count, -J, -r
 *
 * The screen is for people at a terminal; -r and -J are for programs and
 * always come as a stream of samples.
 */
void ml_watch_start(struct ml_watch *w, const struct ml_options *o)
{
	memset(w, 0, sizeof(*w));
	w->o = o;
	w->screen = !o->json && !o->raw && isatty(STDOUT_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &w->next);
	if (!w->screen)
		return;
	/* a frame goes out in one write */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	screen_start();
	w->keys = term.keys;
}

/* The screen's size: the terminal's, else LINES and COLUMNS, else 24 x 80. */
static void screen_size(struct ml_watch *w)
{
	struct winsize ws = { 0 };
	const char *s;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws))
		ws.ws_row = ws.ws_col = 0;
	s = getenv("LINES");
	w->rows = ws.ws_row ? ws.ws_row : s && atoi(s) > 0 ? atoi(s) : 24;
	s = getenv("COLUMNS");
	w->cols = ws.ws_col ? ws.ws_col : s && atoi(s) > 0 ? atoi(s) : 80;
}

/* The local time @t, or the epoch if it cannot be had. */
static struct tm local_time(time_t t)
{
	struct tm tm = { .tm_year = 70, .tm_mday = 1 };

	localtime_r(&t, &tm);
	return tm;
}

/**
 * ml_watch_sample() - a new sample is being taken: its number and time
 * @w: the view
 */
void ml_watch_sample(struct ml_watch *w)
{
	struct tm tm;
	char date[64], *z;

	w->sample++;
	w->stamp = time(NULL);
	if (w->screen)
		screen_size(w);
	/* RFC 3339: the offset as +01:00 */
	tm = local_time(w->stamp);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S%z", &tm);
	z = date + strlen(date);
	if (z - date > 4 && (z[-5] == '+' || z[-5] == '-')) {
		memmove(z - 1, z - 2, 3);
		z[-2] = ':';
	}
	snprintf(w->json_head, sizeof(w->json_head),
		 "\"time\":\"%s\",\"sample\":%ld,\"interval\":%g,", date, w->sample,
		 w->o->watch);
}

/**
 * ml_watch_stamp() - in a stream of tables, the line that opens a sample
 * @w: the view
 *
 * "# 2026-11-27 19:30:05 sample 2", after a blank line between tables for
 * people; JSON carries its stamp in the document, the screen in its header.
 */
void ml_watch_stamp(const struct ml_watch *w)
{
	struct tm tm = local_time(w->stamp);
	char date[64];

	if (w->screen || w->o->json)
		return;
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
	printf("%s# %s sample %ld\n", w->sample > 1 && !w->o->raw ? "\n" : "", date, w->sample);
}

/**
 * ml_watch_header() - on the screen, the lines above the table
 * @w: the view
 * @title: what is shown: "memlens ps"
 * @status: a line of totals
 *
 * Return: how many rows of the table fit below them.
 */
long ml_watch_header(const struct ml_watch *w, const char *title, const char *status)
{
	struct tm tm = local_time(w->stamp);
	char clock[16];
	long rows;

	if (!w->screen)
		return 0;
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	printf("\033[H%s - %s, every %g s, sample %ld%s\033[K\n%s\033[K\n", title, clock,
	       w->o->watch, w->sample, w->keys ? " (q to quit)" : "", status);
	/* the last line stays free: a newline there would scroll the screen */
	rows = w->rows - 3 - !w->o->noheadings;
	return rows > 0 ? rows : 1;
}

/* The frame is done: clear what the last one left below it, show it. */
static void frame_end(const struct ml_watch *w)
{
	if (w->screen)
		fputs("\033[J", stdout);
	fflush(stdout);
}

/* Wait for @ts on the monotonic clock, through signals. */
static void sleep_until(const struct timespec *ts)
{
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, ts, NULL) == EINTR)
		;
}

/* Milliseconds from now to @ts, 0 if past. */
static int ms_until(const struct timespec *ts)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (ts->tv_sec - now.tv_sec) * 1000LL + (ts->tv_nsec - now.tv_nsec + 999999) / 1000000;
	return ms < 0 ? 0 : ms;
}

/* Ends the program as the signal @sig would have, the terminal restored. */
static void __attribute__((noreturn)) die_of(int sig)
{
	sigset_t set;

	restore();
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	kill(getpid(), sig);
	exit(ML_EXIT_FAIL);	/* not reached */
}

/**
 * ml_watch_wait() - after a sample, wait for the next
 * @w: the view
 *
 * The next sample is due one interval after the last was due (not after
 * it was printed), so that samples do not drift.
 *
 * Return: ML_WATCH_NEXT for the next sample, ML_WATCH_REDRAW to draw the
 * same one again (the terminal was resized), ML_WATCH_QUIT for q or when
 * --count samples are out.
 */
enum ml_watch_next ml_watch_wait(struct ml_watch *w)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	struct timespec ts;
	int ms, n;
	char c;

	frame_end(w);
	if (w->o->count && w->sample >= w->o->count)
		return ML_WATCH_QUIT;
	if (!w->redrawn) {
		w->next.tv_sec += (time_t)w->o->watch;
		w->next.tv_nsec += (long)((w->o->watch - (time_t)w->o->watch) * 1e9);
		if (w->next.tv_nsec >= 1000000000L) {
			w->next.tv_sec++;
			w->next.tv_nsec -= 1000000000L;
		}
	}
	w->redrawn = false;
	if (!w->screen) {
		sleep_until(&w->next);
		return ML_WATCH_NEXT;
	}
	for (;;) {
		ms = ms_until(&w->next);
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (ms % 1000) * 1000000L;
		n = ppoll(w->keys ? &pfd : NULL, w->keys, &ts, &term.mask);
		if (caught == SIGTSTP) {
			caught = 0;
			suspend();
			screen_size(w);
			w->redrawn = true;
			return ML_WATCH_REDRAW;
		}
		if (caught == SIGWINCH) {
			caught = 0;
			screen_size(w);
			w->redrawn = true;
			return ML_WATCH_REDRAW;
		}
		if (caught)
			die_of(caught);
		if (n == 0)
			return ML_WATCH_NEXT;
		if (n < 0 && errno != EINTR)
			err(ML_EXIT_FAIL, "ppoll");
		if (n > 0 && (read(STDIN_FILENO, &c, 1) <= 0 || c == 'q' || c == 'Q'))
			return ML_WATCH_QUIT;	/* q, or the terminal gone */
	}
}

/**
 * ml_watch_end() - the view is over: the terminal as it was
 * @w: the view
 */
void ml_watch_end(struct ml_watch *w)
{
	frame_end(w);
	restore();
}
