#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-dkms: memlens installed the way users install it, end to end,
# on Debian 12 and on Debian 13.
#  Debian 12:
#  1. A root filesystem with dkms and the 6.1 kernel and headers
#     (debootstrap, cached; the kernel's ABI is whatever the mirror has).
#  2. The two packages of "make deb" installed in it, in a chroot (nothing
#     is ever loaded on this machine): DKMS builds memlens for 6.1.
#  3. The 6.12 kernel and headers installed after them: DKMS builds memlens
#     for 6.12 by itself, as on a kernel upgrade.
#  4. The root filesystem booted in the VM on each kernel: "modprobe memlens"
#     finds it through modules.dep, "memlens" prints the summary, and
#     "dkms status" shows it installed for that kernel.  On 6.12, the
#     metrics as a fleet gets them (scripts/guest/prom-check): the service
#     the package ships writes them, Debian's node-exporter serves them,
#     promtool checks them, with 5,000 more processes, with the module
#     unloaded, and with the writer killed mid-run.
#  5. The packages purged: the module and DKMS's tree are gone for both.
#  Debian 13: the matrix's trixie root (scripts/chroot.sh: trixie's own
#  kernels and the newest of trixie-backports, with headers) with dkms:
#  the packages install and DKMS builds memlens for every kernel there; the
#  trixie and trixie-backports kernels boot and work as in 4; purge as 5.
#  Debian 13's part runs in the background beside Debian 12's, in a root
#  and disk image of its own; its results follow.
# The mirror is the one this machine's apt uses.  TAP, and a "# Totals:"
# line.  "scripts/check-dkms.sh --prepare" makes only step 1's cached root
# filesystem (CI starts it early, in the background).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$MEMLENS_TOP/scripts/setup.sh"
mirror=$(debian_mirror)
security=$(debian_security_mirror)

. "$MEMLENS_TOP/scripts/tap.sh"
# -13 for Debian 13's part: its step log and disk image
part=
# a step's output is kept for the boot steps, which show it
check() { local d=$1; shift; echo "# $(date -u +%T) $d"; tap_check "$d" logged "$@"; }
logged() { "$@" 2>&1 | tee "$MEMLENS_BUILD/dkms-step$part.log"; return "${PIPESTATUS[0]}"; }

# Run in the root filesystem with /proc, /sys and /dev (lib.sh).
in_root() { local r=$1; shift; in_chroot "$r" "" "$@"; }

# The VM boots the root from a virtio disk: an initramfs of just what that
# needs is made in seconds, where the default one takes minutes.
small_initramfs() { # ROOT
	mkdir -p "$1/etc/initramfs-tools/conf.d"
	printf 'MODULES=list\nCOMPRESS=gzip\n' >"$1/etc/initramfs-tools/conf.d/memlens"
	printf 'virtio_pci\nvirtio_blk\next4\n' >"$1/etc/initramfs-tools/modules"
}

# 1. the base: Debian 12, dkms, the 6.1 kernel with its headers, and what
# the metrics' check runs (Debian's node-exporter, promtool, curl, ip).
# The cache is named after the packages: a new list makes a new root, from
# a copy of an older one when there is one (same kernel ABI, no debootstrap).
BASE_PACKAGES="dkms kmod procps linux-image-amd64 linux-headers-amd64
	prometheus-node-exporter prometheus curl iproute2"
base_root() {
	local key dir old
	# one at a time: CI makes it early, in the background (--prepare)
	mkdir -p "$MEMLENS_CACHE"
	exec 8>"$MEMLENS_CACHE/dkms-root.lock"
	flock 8
	# shellcheck disable=SC2086 # the words, whatever the spacing
	key=$(echo $BASE_PACKAGES | md5sum | cut -c1-8)
	dir=$MEMLENS_CACHE/dkms-root-bookworm-$key
	if [ ! -f "$dir/.complete" ]; then
		rm -rf "$dir" "$dir.new"
		mkdir -p "$MEMLENS_CACHE"
		# shellcheck disable=SC2012 # the newest, by time
		old=$(ls -td "$MEMLENS_CACHE"/dkms-root-bookworm*/.complete 2>/dev/null | head -n 1 || true)
		if [ -n "$old" ]; then
			note "the DKMS test root filesystem $dir, from ${old%/.complete}"
			cp -a "${old%/.complete}" "$dir.new"
			rm -f "$dir.new/.complete"
		else
			note "debootstrap of the DKMS test root filesystem into $dir"
			debootstrap --variant=minbase bookworm "$dir.new" ${mirror:+"$mirror"} >&2
			mirror=${mirror:-$(awk '$1 == "deb" { print $2; exit }' "$dir.new/etc/apt/sources.list")}
			{
				echo "deb $mirror bookworm main"
				echo "deb $mirror bookworm-updates main"
				[ -z "$security" ] || echo "deb $security bookworm-security main"
			} >"$dir.new/etc/apt/sources.list"
			small_initramfs "$dir.new"
		fi
		# no daemon started in the chroot (prometheus, node-exporter)
		printf '#!/bin/sh\nexit 101\n' >"$dir.new/usr/sbin/policy-rc.d"
		chmod 0755 "$dir.new/usr/sbin/policy-rc.d"
		in_root "$dir.new" apt-get update -q >&2
		# shellcheck disable=SC2086
		in_root "$dir.new" apt-get install -y -q --no-install-recommends $BASE_PACKAGES >&2
		in_root "$dir.new" apt-get clean
		touch "$dir.new/.complete"
		mv "$dir.new" "$dir"
	fi
	echo "$dir"
}

# memlens.ko under every kernel's updates/dkms
modules() { find "$root/lib/modules/" -path '*/updates/dkms/memlens.ko*' | sort; }
built_for() { # RELEASE...: memlens.ko for each of them
	local r
	for r in "$@"; do
		modules | grep -q "/lib/modules/$r/updates/dkms/" || { echo "none for $r"; return 1; }
	done
}
# the newest kernel of a series in the root filesystem
root_kernel() {
	(cd "$root/lib/modules" && ls -d "$1"*-amd64) | sort -V | tail -n 1
}
purged() {
	in_root "$root" apt-get purge -y -q memlens memlens-dkms &&
		[ -z "$(find "$root/lib/modules/" -name 'memlens.ko*')" ] &&
		[ ! -e "$root/var/lib/dkms/memlens" ] &&
		! ls -d "$root"/usr/src/memlens-* >/dev/null 2>&1
}
install_debs() {
	cp "${debs[@]}" "$root/tmp/"
	in_root "$root" apt-get install -y -q --no-install-recommends \
		"/tmp/${debs[0]##*/}" "/tmp/${debs[1]##*/}"
}
install_debs_built_for() { install_debs && built_for "$@"; }

# Boot RELEASE from the root filesystem (image $image) and run dkms-check;
# with "prom", prom-check after it.
boot_root() { # RELEASE [prom]
	local k=$root/boot/vmlinuz-$1
	[ -e "$k" ] || k=$root/usr/lib/modules/$1/vmlinuz
	"$MEMLENS_TOP/scripts/vm.sh" --no-load -k "$k" -i "$root/boot/initrd.img-$1" \
		--disk-image "$image" -m 2048 -t 600 \
		-a "root=/dev/vda rw init=/usr/local/sbin/memlens-dkms-check ${2:+memlens_$2}" -- dkms-check
}
make_image() {
	install -m 0755 "$MEMLENS_TOP/scripts/guest/dkms-check" "$root/usr/local/sbin/memlens-dkms-check"
	install -m 0755 "$MEMLENS_TOP/scripts/guest/prom-check" "$root/usr/local/sbin/memlens-prom-check"
	# static: the root's libc is bookworm's, and this machine's may not be
	${CC:-cc} -static -O2 -Wall -Wextra -o "$root/usr/local/sbin/memlens-procs" \
		"$MEMLENS_TOP/selftests/namedprocs.c"
	image=$MEMLENS_BUILD/dkms-root$part.img
	rm -f "$image"
	mke2fs -q -t ext4 -d "$root" -L memlens-root "$image" "$1"
}
show_log() {
	sed 's/^/# /' "$MEMLENS_BUILD/dkms-step$part.log" |
		grep -v '^# \[\|^# prom \|^# memlens-prom: ' | head -n 40
}

# prom-check's checks, by the ID it reports them under: a TAP line each,
# with its "prom ID:" lines; one it did not report (the VM stopped before)
# fails.
PROM_CHECKS="service|memlens-prometheus.service's commands, from the installed unit, write memlens.prom
scrape|node-exporter serves the memlens families, memlens_up 1, node_textfile_scrape_error 0
values|the scraped values equal the debugfs files read around the run
promtool|promtool check metrics: no error, only the meminfo names' camelCase warnings
series|5000 more processes of 5000 names: fewer than 2000 series, the groups past 100 in [other]
unloaded|memlens unloaded: the service writes memlens_up 0, promtool passes
killed|the writer killed 50 times mid-run: memlens.prom always whole, no other .prom"
prom_results() {
	local log=$MEMLENS_BUILD/dkms-step$part.log id d
	while IFS='|' read -r id d; do
		if grep -qx "memlens-prom: ok $id" "$log"; then
			tap_ok "metrics: $d"
		else
			tap_not_ok "metrics: $d"
			grep -qx "memlens-prom: not ok $id" "$log" || echo "# not run"
		fi
		grep "^prom $id: " "$log" | sed 's/^/# /' | head -n 30
	done <<<"$PROM_CHECKS"
}

# --prepare: only the cached root filesystem of step 1, for CI to make early
if [ "${1:-}" = --prepare ]; then
	base_root >/dev/null
	exit 0
fi

debs=("$MEMLENS_BUILD"/deb/memlens-dkms_"$MEMLENS_VERSION"_all.deb
      "$MEMLENS_BUILD"/deb/memlens_"$MEMLENS_VERSION"_amd64.deb)

debian12() {
	base=$(base_root)
	rm -rf "$root"
	cp -a "$base" "$root"
	small_initramfs "$root"

	# 2. install: DKMS builds for the one kernel with headers
	k61=$(root_kernel 6.1.0-)
	check "the packages install; DKMS builds memlens for 6.1" install_debs
	check "memlens.ko is in 6.1's updates/dkms" built_for "$k61"

	# 3. a new kernel arrives: DKMS builds for it by itself
	check "installing the 6.12 kernel and headers builds memlens for 6.12" \
		in_root "$root" sh -c "apt-get update -q && apt-get install -y -q --no-install-recommends \
			linux-image-6.12-amd64 linux-headers-6.12-amd64"
	modules | sed "s|^$root|# |"
	check "memlens.ko is in both kernels' updates/dkms" built_for "$k61" "$(root_kernel 6.12.)"

	# 4. boot each kernel from the root filesystem
	make_image 4G
	rel=$(root_kernel 6.1.0-)
	check "boot $rel: modprobe memlens, memlens, dkms status" boot_root "$rel"
	show_log
	# 6.12 also runs the metrics through node-exporter (prom-check)
	rel=$(root_kernel 6.12.)
	check "boot $rel: modprobe memlens, memlens, dkms status; the metrics" boot_root "$rel" prom
	show_log
	prom_results

	# 5. purge: nothing left for either kernel
	check "purging the packages removes module and DKMS tree for both kernels" purged
}

debian13() {
	trixie=$("$MEMLENS_TOP/scripts/chroot.sh" trixie)
	rm -rf "$root"
	cp -a "$trixie" "$root"
	# the matrix root skips initramfs generation; a booted root needs it back
	for t in /usr/sbin/update-initramfs /usr/bin/dracut; do
		if [ -e "$root$t.memlens" ]; then
			rm -f "$root$t"
			in_root "$root" dpkg-divert --local --rename --remove "$t" >/dev/null
		fi
	done
	small_initramfs "$root"
	releases=$(awk '{ print $2 }' "$root/.memlens-kernels")
	k13=$(awk '$1 == "trixie" { print $2 }' "$root/.memlens-kernels")
	kbpo=$(awk '$1 == "trixie-bpo" { print $2 }' "$root/.memlens-kernels")
	check "dkms and procps install in the trixie root" \
		in_root "$root" sh -c "apt-get update -q && apt-get install -y -q dkms procps"
	# shellcheck disable=SC2086
	check "the packages install; DKMS builds memlens for every kernel: $(echo $releases)" \
		install_debs_built_for $releases
	modules | sed "s|^$root|# |"
	for rel in "$k13" "$kbpo"; do
		in_root "$root" update-initramfs -c -k "$rel" >"$MEMLENS_BUILD/dkms-initrd$part.log" 2>&1 ||
			tail -n 20 "$MEMLENS_BUILD/dkms-initrd$part.log" | sed 's/^/# /'
	done
	make_image 8G
	for rel in "$k13" "$kbpo"; do
		check "boot $rel: modprobe memlens, memlens, dkms status" boot_root "$rel"
		show_log
	done
	check "purging the packages removes module and DKMS tree for every kernel" purged
	rm -f "$image"
}

# The background part's TAP, its tests numbered on after ours: a run that
# ended before its totals line fails.
retap() { # LOG
	local line
	while IFS= read -r line; do
		case $line in
		"ok "*) tap_ok "${line#ok [0-9]* }" ;;
		"not ok "*) tap_not_ok "${line#not ok [0-9]* }" ;;
		"TAP version"* | 1..* | "# Totals:"*) ;;
		*) echo "$line" ;;
		esac
	done <"$1"
	grep -q '^# Totals:' "$1" || tap_not_ok "Debian 13: the run ended early"
}

if [ "${1:-}" = --debian13 ]; then
	echo "TAP version 13"
	part=-13 root=$MEMLENS_BUILD/dkms-root-13
	debian13
	tap_finish
	exit
fi
echo "TAP version 13"
"$MEMLENS_TOP/scripts/deb.sh" >/dev/null
# Debian 13 in the background, in its own root, beside Debian 12: its
# steps are mostly one core's (dpkg, DKMS, a VM of one vCPU)
"$0" --debian13 >"$MEMLENS_BUILD/dkms-13.log" 2>&1 &
d13=$!
trap 'kill $d13 2>/dev/null || true' EXIT
echo "# Debian 12"
root=$MEMLENS_BUILD/dkms-root
debian12
wait $d13 || true
trap - EXIT
echo "# Debian 13"
retap "$MEMLENS_BUILD/dkms-13.log"
tap_finish
