#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The VM tests' scratch disk, made on the host at native speed: an ext2
# filesystem of 512 MiB holding what the selftests would otherwise write
# under emulation (selftests/scratch.sh mounts it, and makes a filesystem
# only on a blank disk):
#   swapfile  64 MiB, mkswap'd (scratch.sh swap turns it on)
#   cached    64 MiB of random bytes (system_test's page cache test)
#   shared16  16 MiB of zeros (system_test's 50 processes mapping one file)
# The file's contents are random where a block of zeros would become a
# hole (mke2fs -d leaves one), which swapon refuses.
#
#   scripts/scratch-image.sh OUT
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=${1:?usage: scripts/scratch-image.sh OUT}
# made again only when this script changes
if [ -s "$out" ] && [ "$out" -nt "$0" ]; then
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/root"
head -c 64M /dev/urandom >"$tmp/root/swapfile"
chmod 600 "$tmp/root/swapfile"
mkswap "$tmp/root/swapfile" >/dev/null
head -c 64M /dev/urandom >"$tmp/root/cached"
head -c 16M /dev/zero >"$tmp/root/shared16"
mke2fs -q -t ext2 -F -d "$tmp/root" "$tmp/scratch.img" 512M >/dev/null
mv "$tmp/scratch.img" "$out"
