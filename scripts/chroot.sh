#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A Debian release's build and boot root for the kernel matrix: a
# debootstrap minbase chroot of RELEASE holding make, libc6-dev, perl and
# python3 (W=1's kernel-doc), and, for each kernel of scripts/kernels.conf
# whose ROOT is RELEASE, its image, modules and headers; the headers bring
# the compiler the kernel was built with.  Made once and cached in
# $MEMLENS_CACHE (default ~/.cache/memlens); remade when this script or
# kernels.conf changes, or when older than MEMLENS_ROOT_DAYS (default 7)
# days, so that the archive's newest kernels are the ones tested.  The
# mirror is the one this machine's apt uses.  Prints the chroot's directory;
# its .memlens-kernels lists "NAME RELEASE_STRING" for each kernel in it.
#
#   scripts/chroot.sh RELEASE         (trixie, sid)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: $0 RELEASE"
release=$1
case $release in
trixie) suites="trixie trixie-updates trixie-backports" security=trixie-security ;;
sid) suites="sid" security= ;;
*) die "no chroot recipe for release '$release' (trixie, sid)" ;;
esac

key=$( { cat "$0"; awk -v r="$release" '$2 == r' "$MEMLENS_TOP/scripts/kernels.conf"; } |
	md5sum | cut -c1-12)
dir=$MEMLENS_CACHE/root-$release-$key
days=${MEMLENS_ROOT_DAYS:-7}
mkdir -p "$MEMLENS_CACHE"
exec 9>"$MEMLENS_CACHE/root-$release.lock"
flock 9
if [ -f "$dir/.memlens-kernels" ] &&
	[ -z "$(find "$dir/.memlens-kernels" -mtime +"$days")" ]; then
	echo "$dir"
	exit 0
fi

in_root() { in_chroot "$dir" "" "$@"; }

mirror=$(debian_mirror)
secmirror=$(debian_security_mirror)
note "debootstrap of $release into $dir${mirror:+ from $mirror}"
rm -rf "$MEMLENS_CACHE/root-$release"-*
log=$MEMLENS_CACHE/root-$release.log
{
	debootstrap --variant=minbase "$release" "$dir" ${mirror:+"$mirror"}
	mirror=${mirror:-$(awk '$1 == "deb" { print $2; exit }' "$dir/etc/apt/sources.list")}
	for s in $suites; do echo "deb $mirror $s main"; done >"$dir/etc/apt/sources.list"
	if [ -n "$security" ] && [ -n "$secmirror" ]; then
		echo "deb $secmirror $security main" >>"$dir/etc/apt/sources.list"
	fi
	# unstable's Release file is often past its Valid-Until on mirrors
	echo 'Acquire::Check-Valid-Until "false";' >"$dir/etc/apt/apt.conf.d/90memlens"
	echo 'APT::Install-Recommends "false";' >>"$dir/etc/apt/apt.conf.d/90memlens"
	in_root apt-get update -q
	in_root apt-get install -y -q make libc6-dev perl python3 kmod xz-utils zstd
	# The VM boots with memlens's own initramfs: skip the minutes each
	# kernel's initramfs would take (scripts/check-dkms.sh makes the ones
	# it boots).
	for t in /usr/sbin/update-initramfs /usr/bin/dracut; do
		in_root dpkg-divert --local --rename --divert "$t.memlens" --add "$t"
		ln -sf /bin/true "$dir$t"
	done
} >"$log" 2>&1 || { tail -n 30 "$log" >&2; die "debootstrap of $release failed (log: $log)"; }

# Each kernel: the metapackage's candidate names the versioned image.
: >"$dir/.memlens-kernels.tmp"
awk -v r="$release" '$2 == r { print $1, $3 }' "$MEMLENS_TOP/scripts/kernels.conf" |
while read -r name pkg; do
	suite=${pkg#*/}
	[ "$suite" != "$pkg" ] || suite=$release
	pkg=${pkg%%/*}
	image=$(in_root apt-cache -o APT::Default-Release="$suite" show --no-all-versions "$pkg" |
		sed -n 's/^Depends: .*\(linux-image-[0-9][^ ,]*\).*/\1/p' | head -n 1)
	[ -n "$image" ] || die "$name: no kernel behind $pkg in $suite"
	kver=${image#linux-image-}
	note "$name: $kver"
	in_root apt-get install -y -q -t "$suite" "linux-image-$kver" "linux-headers-$kver" \
		>>"$log" 2>&1 ||
		{ tail -n 30 "$log" >&2; die "$name: installing linux-image-$kver failed (log: $log)"; }
	echo "$name $kver" >>"$dir/.memlens-kernels.tmp"
done
in_root apt-get clean >>"$log" 2>&1
mv "$dir/.memlens-kernels.tmp" "$dir/.memlens-kernels"
echo "$dir"
