#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract from Debian's linux-source-6.12 the few kernel files memlens uses
# but never copies into its tree: the kselftest headers and KTAP helpers,
# checkpatch.pl and its data, and extract-vmlinux.  Prints the directory.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$MEMLENS_BUILD/ksrc
stamp=$out/.stamp
[ -f "$LINUX_SOURCE_TAR" ] || die "$LINUX_SOURCE_TAR missing: run scripts/setup.sh"
if [ ! -f "$stamp" ] || [ "$LINUX_SOURCE_TAR" -nt "$stamp" ]; then
	note "extracting kernel files from $LINUX_SOURCE_TAR"
	rm -rf "$out" && mkdir -p "$out"
	tar -xJf "$LINUX_SOURCE_TAR" -C "$out" --strip-components=1 \
		linux-source-6.12/tools/testing/selftests/kselftest.h \
		linux-source-6.12/tools/testing/selftests/kselftest_harness.h \
		linux-source-6.12/tools/testing/selftests/kselftest/ktap_helpers.sh \
		linux-source-6.12/scripts/checkpatch.pl \
		linux-source-6.12/scripts/spelling.txt \
		linux-source-6.12/scripts/const_structs.checkpatch \
		linux-source-6.12/scripts/extract-vmlinux
	touch "$stamp"
fi
echo "$out"
