// SPDX-License-Identifier: GPL-2.0
/*
 * maplayout: a process whose address space is known, for map_test.sh.
 *   maplayout FILE
 * makes, all of it resident:
 *   - an anonymous mmap of exactly 1 MiB, between two PROT_NONE pages so
 *     that the kernel cannot merge it with a neighbour;
 *   - a brk heap of 100 blocks of 64 KiB (sbrk);
 *   - FILE, written with 1 MiB and mapped whole;
 *   - a 1 MiB array on the stack;
 * then prints its pid and sleeps until killed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MIB (1UL << 20)
#define BLOCK (64UL << 10)
#define BLOCKS 100

#ifndef MADV_NOHUGEPAGE
#define MADV_NOHUGEPAGE 15
#endif

static int anon_mib(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, MIB + 2 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED || mprotect(m + page, MIB, PROT_READ | PROT_WRITE))
		return -1;
	madvise(m + page, MIB, MADV_NOHUGEPAGE);
	memset(m + page, 1, MIB);
	return 0;
}

static int heap(void)
{
	int i;

	for (i = 0; i < BLOCKS; i++) {
		char *b = sbrk(BLOCK);

		if (b == (void *)-1)
			return -1;
		memset(b, 1, BLOCK);
	}
	return 0;
}

static int file(const char *path)
{
	static char buf[64 << 10];
	volatile const char *m;
	unsigned long i, sum = 0;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		return -1;
	memset(buf, 'x', sizeof(buf));
	for (i = 0; i < MIB / sizeof(buf); i++)
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			return -1;
	m = mmap(NULL, MIB, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return -1;
	for (i = 0; i < MIB; i += 4096)
		sum += m[i];
	return sum ? 0 : -1;
}

/* The array lives as long as the process: this frame never returns. */
static int __attribute__((noinline)) stack_and_wait(void)
{
	volatile char array[MIB];
	void *scratch;

	memset((char *)array, 1, sizeof(array));
	/*
	 * Before 6.2 a task caches its last rss changes (up to 64 faults'
	 * worth): zapping a page of its own publishes them to VmRSS.
	 */
	scratch = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (scratch != MAP_FAILED) {
		*(volatile char *)scratch = 1;
		madvise(scratch, 4096, MADV_DONTNEED);
		munmap(scratch, 4096);
	}
	printf("%d\n", getpid());
	fflush(stdout);
	for (;;)
		pause();
	return array[0];
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	if (anon_mib() || heap() || file(argv[1]))
		return 1;
	return stack_and_wait();
}
