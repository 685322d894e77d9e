// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input: memlens has no writable file and one module parameter, btf=,
 * an absolute path.  Every file refuses a write, even root's; the
 * parameter's sysfs file cannot be written; and loading with a bad btf=
 * (random bytes, huge, empty, relative, negative or overflowing numbers,
 * control characters) fails with EINVAL and leaves memlens unloaded.
 */
#include <dirent.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "helpers.h"

static int module_fd(void)
{
	char path[256];
	FILE *f = popen("modinfo -n memlens", "r");

	if (!f || !fgets(path, sizeof(path), f)) {
		if (f)
			pclose(f);
		return -1;
	}
	pclose(f);
	path[strcspn(path, "\n")] = '\0';
	return open(path, O_RDONLY);
}

static bool loaded(void)
{
	return !access("/sys/module/memlens", F_OK);
}

TEST(no_file_is_writable)
{
	struct dirent *de;
	struct stat st;
	char path[300], before[4096], after[4096];
	int files = 0;
	DIR *d;

	ASSERT_TRUE(loaded() || !sh("modprobe memlens"));
	d = opendir(MEMLENS_DIR);
	ASSERT_NE(NULL, d);
	while ((de = readdir(d))) {
		ssize_t n, m;
		int fd;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), MEMLENS_DIR "/%s", de->d_name);
		ASSERT_EQ(0, stat(path, &st));
		EXPECT_EQ(0400, st.st_mode & 07777) TH_LOG("%s", path);
		fd = open(path, O_RDONLY);
		n = read(fd, before, 64);
		close(fd);
		/* root may open it for writing; the write itself is refused */
		fd = open(path, O_WRONLY);
		if (fd >= 0) {
			errno = 0;
			EXPECT_EQ(-1, write(fd, "1\n", 2)) TH_LOG("%s took a write", path);
			EXPECT_EQ(EINVAL, errno);
			close(fd);
		}
		fd = open(path, O_RDONLY);
		m = read(fd, after, 64);
		close(fd);
		if (strcmp(de->d_name, "processes") && strcmp(de->d_name, "system"))
			EXPECT_TRUE(n == m && !memcmp(before, after, n)) TH_LOG("%s changed", path);
		files++;
	}
	closedir(d);
	EXPECT_EQ(MEMLENS_NR_VIEWS + 1, files);	/* the version file and the views */
}

/* btf, pss_budget_ms and files_cap_kb, all set at load time only. */
TEST(parameters_read_only)
{
	char path[300];
	struct dirent *de;
	int n = 0, fd;
	DIR *d = opendir("/sys/module/memlens/parameters");

	ASSERT_NE(NULL, d);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		EXPECT_TRUE(!strcmp(de->d_name, "btf") || !strcmp(de->d_name, "pss_budget_ms") ||
			    !strcmp(de->d_name, "files_cap_kb"))
			TH_LOG("parameter %s", de->d_name);
		snprintf(path, sizeof(path), "/sys/module/memlens/parameters/%s", de->d_name);
		errno = 0;
		fd = open(path, O_WRONLY);
		EXPECT_EQ(-1, fd) TH_LOG("%s is writable", de->d_name);
		EXPECT_EQ(EACCES, errno);
		if (fd >= 0)
			close(fd);
		n++;
	}
	closedir(d);
	EXPECT_EQ(3, n);
}

/* Load with @params; the load must fail with EINVAL and leave nothing. */
static void refused(struct __test_metadata *_metadata, int fd, const char *params,
		    const char *what)
{
	long ret;

	errno = 0;
	ret = syscall(SYS_finit_module, fd, params, 0);
	EXPECT_EQ(-1, ret) TH_LOG("%s: loaded", what);
	EXPECT_EQ(EINVAL, errno) TH_LOG("%s: %s", what, strerror(errno));
	if (!ret)
		sh("rmmod memlens");
	EXPECT_FALSE(loaded());
}

TEST(bad_parameters_are_refused)
{
	static char huge[8192], random_param[600];
	int fd = module_fd(), i, tries;
	unsigned int seed = 1;

	ASSERT_LE(0, fd);
	sh("rmmod memlens 2>/dev/null");
	refused(_metadata, fd, "btf=", "empty");
	refused(_metadata, fd, "btf=relative/path", "relative");
	refused(_metadata, fd, "btf=-1", "negative");
	refused(_metadata, fd, "btf=99999999999999999999999", "overflowing");
	refused(_metadata, fd, "btf=\"/tmp/a\x01b\"", "control character");
	memcpy(huge, "btf=/", 5);
	memset(huge + 5, 'a', sizeof(huge) - 6);
	refused(_metadata, fd, huge, "8 KiB path");
	refused(_metadata, fd, "pss_budget_ms=-1", "negative budget");
	refused(_metadata, fd, "pss_budget_ms=1ms", "budget with a unit");
	refused(_metadata, fd, "files_cap_kb=63", "no room for rows");
	refused(_metadata, fd, "files_cap_kb=1048577", "cap over 1 GiB");
	refused(_metadata, fd, "files_cap_kb=64M", "cap with a unit");
	refused(_metadata, fd, "files_cap_kb=-1", "negative cap");
	/* random bytes, not starting with '/', no NUL, no blank to end the value */
	for (tries = 0; tries < 20; tries++) {
		memcpy(random_param, "btf=", 4);
		for (i = 4; i < (int)sizeof(random_param) - 1; i++) {
			do
				random_param[i] = rand_r(&seed);
			while (!random_param[i] || random_param[i] == ' ' || random_param[i] == '"' ||
			       (i == 4 && random_param[i] == '/'));
		}
		random_param[sizeof(random_param) - 1] = '\0';
		refused(_metadata, fd, random_param, "random bytes");
	}
	/* and a good one still works */
	EXPECT_EQ(0, syscall(SYS_finit_module, fd, "btf=/sys/kernel/btf/vmlinux", 0));
	EXPECT_TRUE(loaded());
	close(fd);
}

TEST_HARNESS_MAIN
