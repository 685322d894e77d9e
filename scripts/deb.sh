#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make deb: memlens-dkms_VERSION_all.deb (the module's source, registered
# with DKMS through dh-dkms) and memlens_VERSION_amd64.deb (the reader and
# its man page), in build/deb/, then lintian on both.  The version comes
# from VERSION, the project's single version source.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$MEMLENS_TOP/scripts/setup.sh"
out=$MEMLENS_BUILD/deb
src=$out/memlens-$MEMLENS_VERSION
rm -rf "$out" && mkdir -p "$src"
# the sources only: no object of an earlier build
rsync -a --exclude='*.o' --exclude='.*.cmd' --exclude='*.ko' --exclude='*.mod*' \
	--exclude=modules.order --exclude=Module.symvers \
	"$MEMLENS_TOP"/{Kbuild,Makefile,VERSION,README.md,dkms.conf,include,module,debian} "$src/"
mkdir -p "$src/userspace"
(cd "$MEMLENS_TOP/userspace" && cp -a Makefile memlens.8 ./*.c ./*.h "$src/userspace/")
cat >"$src/debian/changelog" <<EOT
memlens ($MEMLENS_VERSION) unstable; urgency=medium

  * memlens $MEMLENS_VERSION.

 -- memlens developers <memlens@memlens.org>  $(date -R -d @"${SOURCE_DATE_EPOCH:-$(git -C "$MEMLENS_TOP" log -1 --format=%ct 2>/dev/null || date +%s)}")
EOT
(cd "$src" && dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1) ||
	{ tail -n 40 "$out/build.log" >&2; die "dpkg-buildpackage failed (log: $out/build.log)"; }
# lintian's remarks are shown; errors fail the build (see README.md for
# the warnings left and why)
lintian --tag-display-limit 0 "$out"/*.deb | tee "$out/lintian.log" >&2 || true
! grep -q '^E:' "$out/lintian.log" || die "lintian found errors"
ls "$out"/*.deb
