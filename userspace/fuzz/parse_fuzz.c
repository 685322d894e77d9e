// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over the reader's parsers (parse.c, smaps.c).  The first byte of
 * an input chooses the format, the rest is the file: any bytes must give a
 * parse or a clean error, never a crash, a leak or undefined behaviour.
 * The seed corpus (corpus/) is files captured from the VM on both kernels,
 * a /proc/PID/smaps, and pss and pages files written by hand (busy and
 * blank rows; two nodes), a dirs file with total rows and a below line, and
 * a cgroups file (blanks, dying cgroups, an escaped path) and a cgroup_files
 * file (a file in three cgroups, total rows, a below line).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data + 1;
	struct ml_version v;
	struct ml_system sys;
	struct ml_procs p;
	struct ml_slabs s;
	struct ml_files f;
	struct ml_vmas m;
	struct ml_pss pss;
	struct ml_pages pages;
	struct ml_cgroups cg;
	struct ml_error e;
	char out[64];

	if (!size)
		return 0;
	size--;
	switch (data[0] % 12) {
	case 0:
		if (!ml_parse_processes(buf, size, &p, &e))
			ml_procs_free(&p);
		break;
	case 1:
		ml_parse_system(buf, size, &sys, &e);
		break;
	case 2:
		if (!ml_parse_slab(buf, size, &s, &e))
			ml_slabs_free(&s);
		break;
	case 3:
		ml_parse_version(buf, size, &v, &e);
		break;
	case 5:
		if (!ml_parse_files(buf, size, &f, &e))
			ml_files_free(&f);
		break;
	case 6:
		if (!ml_parse_smaps(buf, size, &m, &e))
			ml_vmas_free(&m);
		break;
	case 7:
		if (!ml_parse_pss(buf, size, &pss, &e))
			ml_pss_free(&pss);
		break;
	case 8:
		if (!ml_parse_pages(buf, size, &pages, &e))
			ml_pages_free(&pages);
		break;
	case 9:
		if (!ml_parse_dirs(buf, size, &f, &e))
			ml_files_free(&f);
		break;
	case 10:
		if (!ml_parse_cgroups(buf, size, &cg, &e))
			ml_cgroups_free(&cg);
		break;
	case 11:
		if (!ml_parse_cgroup_files(buf, size, &f, &e))
			ml_files_free(&f);
		break;
	default:
		ml_unescape(buf, size, out, sizeof(out));
		break;
	}
	return 0;
}
