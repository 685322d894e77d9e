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

# The Debian mirrors this machine's apt uses (no file in the tree names
# one); empty if apt knows none, and debootstrap then uses its default.
debian_mirror() {
	apt-cache policy 2>/dev/null |
		awk '$3 ~ /^[a-z]+(-updates)?\/main$/ && $2 !~ /security/ { print $2; exit }'
}
debian_security_mirror() {
	apt-cache policy 2>/dev/null | awk '$3 ~ /-security\/main$/ { print $2; exit }'
}

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

# Both Debian 12 kernels, or die saying what to install.
supported_releases() {
	local s r
	for s in 6.1 6.12; do
		r=$(kernel_release "$s")
		[ -n "$r" ] || die "no Debian $s kernel with headers installed: run scripts/setup.sh"
		echo "$r"
	done
}

# The kernels of scripts/kernels.conf, by name, in its order.
kernel_names() {
	awk '!/^#/ && NF >= 3 { print $1 }' "$MEMLENS_TOP/scripts/kernels.conf"
}

# Where one kernel of the matrix is: sets K_NAME, K_RELEASE (uname -r),
# K_ROOT (its chroot, empty for this machine's own), K_KDIR (headers as
# seen from K_ROOT), K_IMAGE and K_MODDIR (modules) as seen from here.
# "6.1" and "6.12" still name the Debian 12 kernels.  Makes the chroot if
# needed (scripts/chroot.sh).
kernel_lookup() {
	local name=$1 root
	case $name in 6.1 | 6.12) name=bookworm-$name ;; esac
	root=$(awk -v n="$name" '$1 == n { print $2 }' "$MEMLENS_TOP/scripts/kernels.conf")
	[ -n "$root" ] || die "unknown kernel '$name' (scripts/kernels.conf: $(kernel_names | tr '\n' ' '))"
	K_NAME=$name
	if [ "$root" = host ]; then
		K_ROOT=
		K_RELEASE=$(kernel_release "${name#bookworm-}")
		[ -n "$K_RELEASE" ] || die "$name: not installed: run scripts/setup.sh"
		K_KDIR=/lib/modules/$K_RELEASE/build
		K_IMAGE=/boot/vmlinuz-$K_RELEASE
		K_MODDIR=/lib/modules/$K_RELEASE
		return
	fi
	K_ROOT=$("$MEMLENS_TOP/scripts/chroot.sh" "$root")
	K_RELEASE=$(awk -v n="$name" '$1 == n { print $2 }' "$K_ROOT/.memlens-kernels")
	[ -n "$K_RELEASE" ] || die "$name: not in $K_ROOT"
	K_KDIR=/usr/src/linux-headers-$K_RELEASE
	K_MODDIR=$K_ROOT/usr/lib/modules/$K_RELEASE
	# from 7.2 Debian installs the image beside the modules only
	K_IMAGE=$K_ROOT/boot/vmlinuz-$K_RELEASE
	[ -e "$K_IMAGE" ] || K_IMAGE=$K_MODDIR/vmlinuz
}

# Run a command in a chroot with /proc, /sys, /dev and DIR (at /mnt/memlens)
# mounted in a mount namespace of its own: nothing stays mounted when it
# ends, however it ends.  objtool of 6.19+ reads /proc.
in_chroot() { # ROOT DIR|"" COMMAND...
	local root=$1 dir=$2
	shift 2
	unshare -m sh -c 'r=$1 d=$2; shift 2
		mount -t proc proc "$r/proc" && mount -t sysfs sysfs "$r/sys" &&
		mount --bind /dev "$r/dev" || exit 1
		if [ -n "$d" ]; then
			mkdir -p "$r/mnt/memlens" && mount --bind "$d" "$r/mnt/memlens" || exit 1
		fi
		exec chroot "$r" "$@"' sh "$root" "$dir" env DEBIAN_FRONTEND=noninteractive "$@"
}

# An uncompressed vmlinux of an installed kernel: qemu boots it through the
# PVH entry, a second faster than decompressing the bzImage.
kernel_vmlinux() { # RELEASE [IMAGE]
	local r=$1 image=${2:-/boot/vmlinuz-$1} out="$MEMLENS_BUILD/kernels/vmlinux-$1"
	if [ ! -s "$out" ] || [ "$image" -nt "$out" ]; then
		mkdir -p "$MEMLENS_BUILD/kernels"
		"$MEMLENS_TOP/scripts/ksrc.sh" >/dev/null
		sh "$MEMLENS_BUILD/ksrc/scripts/extract-vmlinux" "$image" >"$out.tmp" ||
			die "cannot extract vmlinux from $image"
		mv "$out.tmp" "$out"
	fi
	echo "$out"
}

# Build memlens.ko and the test module with W=1 for one kernel tree, in a
# copy of the sources (kbuild writes its objects next to them), into
# $MEMLENS_BUILD/<name>/.  With ROOT, the build runs in that chroot, with
# its compiler, and KDIR is a path inside it.  Fails on any compiler
# warning.  Prints the dir.
build_module() { # NAME KDIR [ROOT]
	local name=$1 kdir=$2 root=${3:-} dir="$MEMLENS_BUILD/$1" log src
	mkdir -p "$dir/src"
	# rsync keeps kbuild's objects of unchanged files: rebuilds stay quick
	rsync -a --delete --exclude='*.o' --exclude='.*' --exclude='*.ko' --exclude='*.mod*' \
		--exclude=modules.order --exclude=Module.symvers \
		"$MEMLENS_TOP"/{Kbuild,VERSION,include,module} "$dir/src/"
	mkdir -p "$dir/src/selftests"
	rsync -a "$MEMLENS_TOP/selftests/module" "$dir/src/selftests/"
	log=$dir/build.log
	if [ -n "$root" ]; then
		src=/mnt/memlens/src
		in_chroot "$root" "$dir" sh -c "make -j$(nproc) -C '$kdir' M=$src W=1 modules &&
			make -j$(nproc) -C '$kdir' M=$src/selftests/module W=1 modules" >"$log" 2>&1
	else
		src=$dir/src
		{
			make -j"$(nproc)" -C "$kdir" M="$src" W=1 modules &&
				make -j"$(nproc)" -C "$kdir" M="$src/selftests/module" W=1 modules
		} >"$log" 2>&1
	fi || { cat "$log" >&2; die "module build for $name failed"; }
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
