# SPDX-License-Identifier: GPL-2.0
# Shared by the scripts: where things are, and which kernels are installed.
# Sourced, never run.

MEMLENS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MEMLENS_BUILD=${MEMLENS_BUILD:-$MEMLENS_TOP/build}
MEMLENS_CACHE=${MEMLENS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/memlens}
MEMLENS_VERSION=$(cat "$MEMLENS_TOP/VERSION")
LINUX_SOURCE_TAR=/usr/src/linux-source-6.12.tar.xz

die() { echo "${0##*/}: $*" >&2; exit 1; }
note() { echo "==> $*" >&2; }

# The newest installed Debian kernel of a series ("6.1" or "6.12"), as its
# release string (uname -r); the ABI number is never assumed.
kernel_release() {
	local series=$1 pattern
	case $series in
	6.1) pattern='6.1.0-*-amd64' ;;
	6.12) pattern='6.12.*-amd64' ;;
	*) pattern="$series" ;;
	esac
	# shellcheck disable=SC2086
	(cd /lib/modules 2>/dev/null && ls -d $pattern 2>/dev/null) |
		while read -r r; do
			[ -e "/lib/modules/$r/build/Makefile" ] && [ -e "/boot/vmlinuz-$r" ] && echo "$r"
		done | sort -V | tail -n 1
}

# Both supported kernels, or die saying what to install.
supported_releases() {
	local s r
	for s in 6.1 6.12; do
		r=$(kernel_release "$s")
		[ -n "$r" ] || die "no Debian $s kernel with headers installed: run scripts/setup.sh"
		echo "$r"
	done
}

# An uncompressed vmlinux of an installed kernel: qemu boots it through the
# PVH entry, a second faster than decompressing the bzImage.
kernel_vmlinux() {
	local r=$1 out="$MEMLENS_BUILD/kernels/vmlinux-$1"
	if [ ! -s "$out" ]; then
		mkdir -p "$MEMLENS_BUILD/kernels"
		"$MEMLENS_TOP/scripts/ksrc.sh" >/dev/null
		sh "$MEMLENS_BUILD/ksrc/scripts/extract-vmlinux" "/boot/vmlinuz-$r" >"$out.tmp" ||
			die "cannot extract vmlinux from /boot/vmlinuz-$r"
		mv "$out.tmp" "$out"
	fi
	echo "$out"
}

# Build memlens.ko and the test module with W=1 for one kernel tree, in a
# copy of the sources (kbuild writes its objects next to them), into
# $MEMLENS_BUILD/<name>/.  Fails on any compiler warning.  Prints the dir.
build_module() {
	local name=$1 kdir=$2 dir="$MEMLENS_BUILD/$1" log
	mkdir -p "$dir/src"
	# rsync keeps kbuild's objects of unchanged files: rebuilds stay quick
	rsync -a --delete --exclude='*.o' --exclude='.*' --exclude='*.ko' --exclude='*.mod*' \
		--exclude=modules.order --exclude=Module.symvers \
		"$MEMLENS_TOP"/{Kbuild,VERSION,include,module} "$dir/src/"
	mkdir -p "$dir/src/selftests"
	rsync -a "$MEMLENS_TOP/selftests/module" "$dir/src/selftests/"
	log=$dir/build.log
	{
		make -C "$kdir" M="$dir/src" W=1 modules &&
			make -C "$kdir" M="$dir/src/selftests/module" W=1 modules
	} >"$log" 2>&1 || { cat "$log" >&2; die "module build for $name failed"; }
	if grep -E 'warning:|error:' "$log" >&2; then
		die "module build for $name has warnings (W=1)"
	fi
	mkdir -p "$dir/selftests"
	cp "$dir/src/memlens.ko" "$dir/"
	cp "$dir/src/selftests/module/memlens_selftest.ko" "$dir/selftests/"
	echo "$dir"
}

# Build the reader and the selftests (userspace, kernel-independent).
build_userspace() {
	"$MEMLENS_TOP/scripts/ksrc.sh" >/dev/null
	make -s -C "$MEMLENS_TOP/userspace" >&2 || die "reader build failed"
	make -s -C "$MEMLENS_TOP/selftests" >&2 || die "selftests build failed"
}
