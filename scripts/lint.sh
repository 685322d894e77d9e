#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make lint: the kernel's checkpatch.pl --strict (from linux-source-6.12) on
# the module, sparse (C=2) with W=1 on both kernels, cppcheck and
# clang-tidy on the reader, groff's warnings on the man page, and
# docs/formats.md against a fresh generation.
# TAP, one test per tool; exits non-zero if any of them says anything.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$MEMLENS_TOP/scripts/setup.sh"
ksrc=$("$MEMLENS_TOP/scripts/ksrc.sh")
. "$MEMLENS_TOP/scripts/tap.sh"
cd "$MEMLENS_TOP"

# quiet COMMAND...: succeed and print no diagnostic.
quiet() {
	local out st=0
	out=$("$@" 2>&1) || st=1
	echo "$out"
	[ $st = 0 ] && ! grep -qE 'warning:|error:|ERROR:|WARNING:|CHECK:|style:|portability:|performance:' <<<"$out"
}
check() { local d=$1; shift; tap_check "$d" quiet "$@"; }

checkpatch() {
	perl "$ksrc/scripts/checkpatch.pl" --strict --no-tree --terse --show-types "$@"
}

# cppcheck's variableScope is off: the kernel's style declares at the top.

# Checks that do not fit an out-of-tree module, each for one file only:
# compat.h exists to test kernel versions; the uapi header's X-macro lists
# are the formats' single definition; util.c's table of digit pairs is
# made by a macro whose argument, used ten times, is a string literal;
# main.c and memlens.h expand uapi's list of views, which is an X-macro.
lint_checkpatch() {
	checkpatch -f $(ls module/*.[ch] selftests/module/*.c |
		grep -v -e compat.h -e util.c -e main.c -e memlens.h) &&
		checkpatch --ignore MACRO_ARG_UNUSED,TRAILING_SEMICOLON,COMPLEX_MACRO \
			-f module/main.c module/memlens.h &&
		checkpatch --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f module/compat.h &&
		checkpatch --ignore MACRO_ARG_REUSE -f module/util.c &&
		checkpatch --ignore MACRO_ARG_UNUSED,COMPLEX_MACRO,MACRO_ARG_REUSE \
			-f include/uapi/memlens.h
}

lint_sparse() {
	local rel=$1 dir
	dir=$(build_module "$rel" "/lib/modules/$rel/build")
	make -C "/lib/modules/$rel/build" M="$dir/src" C=2 W=1 modules
}

userspace_sources() { ls userspace/*.c; }

lint_cppcheck() {
	cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability \
		--inline-suppr --std=c11 -D__linux__ -Iinclude -Iuserspace \
		--suppress=missingIncludeSystem --suppress=variableScope $(userspace_sources)
}

# One file per run: clang-tidy 14's va_list checker misfires across files.
lint_clang_tidy() {
	local f st=0
	for f in $(userspace_sources); do
		clang-tidy --quiet "$f" -- -std=gnu11 -D_GNU_SOURCE -Iinclude -Iuserspace \
			$(pkg-config --cflags smartcols) 2>&1 | grep -v 'warnings generated'
		[ "${PIPESTATUS[0]}" = 0 ] || st=1
	done
	return $st
}

# docs/formats.md is generated from the uapi header (make docs): the copy
# in the tree must be what the generator writes now.
lint_docs() {
	local tmp st=0
	tmp=$(mktemp -d)
	cc -std=gnu11 -Wall -Wextra -Werror -Iinclude -o "$tmp/gen-formats" scripts/gen-formats.c &&
		"$tmp/gen-formats" >"$tmp/formats.md" || st=1
	if [ $st = 0 ] && ! diff -u docs/formats.md "$tmp/formats.md"; then
		echo "docs/formats.md is stale: run make docs, and commit it"
		st=1
	fi
	rm -rf "$tmp"
	return $st
}

# groff's every warning (-ww), as man --warnings shows them, on the page
lint_man() {
	groff -man -ww -z userspace/memlens.8
}

echo "TAP version 13"
check "docs/formats.md generated from include/uapi/memlens.h" lint_docs
check "checkpatch.pl --strict" lint_checkpatch
for s in 6.1 6.12; do
	rel=$(kernel_release "$s")
	check "sparse C=2 W=1 on $rel" lint_sparse "$rel"
done
check "cppcheck on the reader" lint_cppcheck
check "clang-tidy on the reader" lint_clang_tidy
check "groff -ww on the man page" lint_man
tap_finish
