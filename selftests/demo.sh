#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What make demo shows inside the VM (a Debian 12 userspace, from
# scripts/demo.sh): a few real programs, each using memory in its own way,
# then what memlens shows of them, a line or two before each command
# saying what to look at.  A step that fails ends the demo, exit status 1.
#
#   DEMO_TTY=1  the host shows this on a terminal: commands in bold and
#               the summary's bar in colour (ttyS1 is a terminal to the
#               reader, whatever the host does with it)
t=/usr/lib/memlens/selftests
ready=/tmp/demo-ready
export COLUMNS=120
B='' N=''
if [ "${DEMO_TTY:-0}" = 1 ]; then
	B=$(printf '\033[1m') N=$(printf '\033[0m')
else
	export NO_COLOR=1
fi

die() { echo "demo: FAIL: $*"; exit 1; }
# say LINE...: the explanation before a command
say() { printf '\n'; for l in "$@"; do printf '# %s\n' "$l"; done; }
# run COMMAND: show it, run it, stop the demo if it fails
run() {
	printf '%s$ %s%s\n' "$B" "$*" "$N"
	sh -c "$*" || die "'$*' exited with status $?"
}
# wait_for PID FIELD KIB WHAT: until /proc/PID/status's FIELD reaches KIB
wait_for() {
	i=0
	while :; do
		v=$(awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null)
		[ "${v:-0}" -ge "$3" ] && return 0
		kill -0 "$1" 2>/dev/null || die "$4 (pid $1) exited"
		i=$((i + 1))
		[ $i -le 1200 ] || die "$4 (pid $1): $2 is ${v:-?} kB after 120 s, not $3 kB"
		sleep 0.1
	done
}
# wait_ready N: until the first N python3 programs have set up their memory
wait_ready() {
	i=0
	while [ "$(find $ready -type f | wc -l)" -lt "$1" ]; do
		i=$((i + 1))
		[ $i -le 1200 ] || die "only $(find $ready -type f | wc -l) of $1 python3 ready after 120 s"
		sleep 0.1
	done
}

echo "Setting up: a scratch disk with swap, files, a tmpfs, four python3, two memhog ..."
mnt=$($t/scratch.sh swap) || die "no scratch disk (scripts/vm.sh -d) or no swap on it"
mkdir -p $ready

# Two files on disk (ext2), dropped from the page cache after writing:
# cat reads one back and exits; a python3 maps the other and keeps it.
dd if=/dev/zero of="$mnt/big.log" bs=1M count=100 2>/dev/null || die "cannot write $mnt/big.log"
dd if=/dev/zero of="$mnt/table.db" bs=1M count=64 2>/dev/null || die "cannot write $mnt/table.db"
sync
echo 3 >/proc/sys/vm/drop_caches || die "cannot drop the page cache"
cat "$mnt/big.log" >/dev/null || die "cannot read $mnt/big.log"

# A file in a tmpfs: memory (Shmem) that no process holds.
mkdir -p /mnt/ram
mount -t tmpfs -o size=64m ram /mnt/ram || die "cannot mount a tmpfs"
dd if=/dev/zero of=/mnt/ram/cache.bin bs=1M count=48 2>/dev/null || die "cannot fill the tmpfs"

# Three interpreters with 20 MiB of bytes each (every page written).
workers=''
for i in 1 2 3; do
	python3 -c 'import sys, time
x = b"\1" * (20 << 20)
open(sys.argv[1], "w").close()
time.sleep(1e6)' $ready/worker$i &
	workers="${workers:+$workers,}$!"
done
# One that maps table.db and reads every page of it.
python3 -c 'import mmap, sys, time
f = open(sys.argv[1], "rb")
m = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
sum(m[i] for i in range(0, len(m), 4096))
open(sys.argv[2], "w").close()
time.sleep(1e6)' "$mnt/table.db" $ready/mapper &
mapper=$!
# 100 MiB of heap, written; 48 MiB written, then paged out to swap.
$t/memhog grow 100 0 >/dev/null &
hog=$!
$t/memhog pageout 48 0 >/dev/null &
swapped=$!

wait_for $hog VmRSS 102400 "memhog grow"
wait_for $swapped VmSwap 40960 "memhog pageout"
wait_ready 4

say "Which memlens, which kernel:"
run "memlens version"

say "Running now, besides the system's own processes:" \
	"$(printf '  %-16s python3: three interpreters, 20 MiB of bytes each' "$workers")" \
	"$(printf '  %-16s python3: maps %s (64 MiB) and has read all of it' "$mapper" "$mnt/table.db")" \
	"$(printf '  %-16s memhog: 100 MiB of heap, written (an anonymous mmap, as malloc makes above 128 KiB)' "$hog")" \
	"$(printf '  %-16s memhog: 48 MiB written, then paged out to swap (MADV_PAGEOUT)' "$swapped")" \
	"and, held by no process: $mnt/big.log (100 MiB, read once by cat, which exited)," \
	"/mnt/ram/cache.bin (48 MiB in a tmpfs), and the root filesystem itself: the initramfs," \
	"a tmpfs, so the programs' own files are shmem here, not page cache of a disk." \
	"" \
	"First what free(1) sees: buff/cache holds big.log, table.db, the tmpfs file and the root" \
	"filesystem; 'shared' (Shmem) the last two."
run "free -m"

say "memlens's summary: physical memory by use. anon is the python3 bytes and memhog's heap;" \
	"shmem the tmpfs file and the root filesystem; page cache big.log and table.db; other kernel" \
	"includes the swap cache: memhog's 48 MiB, written to swap, stay in RAM until it is needed."
run "memlens"

say "The ten largest processes by RSS. memhog's heap is ANON, and DATA, not HEAP: HEAP is the brk" \
	"heap only. The mapper's table.db is FILE, in its RSS though the page cache holds it. The other" \
	"memhog's 48 MiB are SWAP, not RSS. SHMEM is mostly the programs' code, from the tmpfs root."
run "memlens ps -t 10 -o pid,vsz,rss,anon,file,shmem,swap,data,heap,comm"

say "Where physical memory is, as /proc/meminfo counts it. Shmem is the tmpfs file and the" \
	"root filesystem; Cached includes them and the two files; SwapTotal - SwapFree is memhog's" \
	"48 MiB (pswpout counts them in pages); SwapCached the part of them still in RAM. The" \
	"Breakdown rows are the summary's bar: parts that add up to MemTotal."
run "memlens mem"

say "The kernel's own allocations, per slab cache: shmem_inode_cache and dentry are the root" \
	"filesystem's files (a tmpfs inode each), radix_tree_node the page cache's indexes," \
	"kernfs_node_cache sysfs's entries. The last line: what Slab counts beyond the caches."
run "memlens slab -t 10"

say "The page cache file by file: big.log, read once, with no process left to map it (MAPPED" \
	"0B); table.db, mapped by the python3 reader; the tmpfs file (tmpfs pages are memory, not" \
	"a cache of a disk); then the root filesystem's largest files."
run "memlens files -t 10"

say "Mapped files, each held once but counted again in the RSS of every process mapping it:" \
	"the python3.11 interpreter (Debian links libpython into it) and libc are counted in each" \
	"interpreter's RSS; EXTRA is what summing RSS over processes counts twice or more."
run "memlens shared -t 10"

if memlens --help | grep -q '^ *memlens map'; then
	say "The address space of the mapper python3, from low addresses to high: the program," \
		"its heap, the mapped table.db and the anonymous mappings, the libraries, the stack."
	run "memlens map $mapper"
else
	say "memlens map PID (one process's address space, drawn) is not in this reader: skipped."
fi
