#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# promtool, the Prometheus project's checker of the text format, from
# Debian's prometheus package, unpacked (never installed: installing it
# would start a Prometheus server on this machine) and cached.  Prints the
# program's path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dir=$MEMLENS_CACHE/promtool
if [ ! -x "$dir/usr/bin/promtool" ]; then
	note "unpacking promtool from Debian's prometheus package into $dir"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	# _apt cannot write to a root-owned mktemp directory; it is only a download
	(cd "$tmp" && apt-get download -q prometheus 2>/dev/null >&2) ||
		(cd "$tmp" && chmod 0777 . && apt-get download -q prometheus >&2)
	rm -rf "$dir" && mkdir -p "$dir"
	dpkg-deb -x "$tmp"/prometheus_*.deb "$dir"
	rm -rf "$dir/usr/bin/prometheus" "$dir/usr/share/prometheus"
fi
echo "$dir/usr/bin/promtool"
