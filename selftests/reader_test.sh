#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The memlens reader against the live module: its JSON against the file,
# sorting, --watch deltas of a process that grows and of one paged out,
# and each error a user can meet, with its message and exit status 1.
. "$(dirname "$0")/lib.sh"

require_root
ktap_print_header
ktap_set_plan 39
here=$(dirname "$0")
T=/tmp/reader_test
mkdir -p $T

# Status 1 and a message containing PATTERN, from COMMAND.
fails_with() {
	pattern=$1
	shift
	"$@" >$T/out 2>$T/err
	st=$?
	log "exit $st: $(cat $T/err)"
	[ $st = 1 ] && grep -q -- "$pattern" $T/err
}

# Start memhog MODE MIB WHEN in the background; its pid once it is ready.
memhog_start() {
	: >$T/pid
	$here/memhog "$@" >$T/pid &
	for i in $(seq 50); do [ -s $T/pid ] && break; sleep 0.2; done
	cat $T/pid
}

# Rows of the file that did not change between two reads, as "pid values".
quiescent_rows() {
	cat $MEMLENS_DIR/processes >$T/f1
	memlens ps -A -J -b --output-all >$T/json || return 1
	cat $MEMLENS_DIR/processes >$T/f2
	# rows in both reads, sizes in bytes, without comm
	awk 'NR == FNR { seen[$0] = 1; next } FNR > 1 && ($0 in seen)' $T/f1 $T/f2 |
		awk '{ for (i = 5; i <= 18; i++) $i = $i * 1024; NF = 18; print }' >$T/quiet
}

test_json_rows() {
	quiescent_rows || return 1
	jq -r '.processes[] | [.pid, .ppid, .uid, .threads, .vsz, .rss, .anon, .file, .shmem, .shared, .swap, .pte, .hwm, .code, .data, .heap, .stack, .lib] | map(tostring) | join(" ")' \
		$T/json >$T/jrows
	awk 'NR == FNR { j[$0] = 1; next } !($0 in j)' $T/jrows $T/quiet >$T/missing
	n=$(wc -l <$T/quiet)
	missing=$(wc -l <$T/missing)
	log "$n rows unchanged between two reads of the file; $missing not in the JSON"
	[ "$n" -gt 20 ] && [ "$missing" = 0 ] || { head -3 $T/missing; return 1; }
	# and one entry per row: the JSON has as many as a read of the file
	a=$(jq '.processes | length' $T/json)
	b=$(tail -n +2 $T/f1 | wc -l)
	log "JSON entries $a, file rows $b"
	[ $((a - b)) -ge -2 ] && [ $((a - b)) -le 2 ]
}

test_sort_rss() {
	memlens ps -s rss -b -r -n -o rss >$T/rss || return 1
	sort -n -r $T/rss | cmp -s - $T/rss
}

# Run memhog MODE (8 MiB) under a live view of three samples 2 s apart,
# cue its change once the first sample is out, and print "pid drss dswap":
# the deltas of the second and third samples added up, so that a change
# slowed down (KASAN, a busy host) still falls inside the 4 s they cover.
# A change on a timer instead could come before the first sample.
hog_delta() {
	pid=$(memhog_start "$1" 8 usr1)
	memlens ps -w 2 --count 3 -p "$pid" -o "pid,drss,dswap" -b -r -n >$T/watch.raw &
	view=$!
	for i in $(seq 100); do grep -q -v '^#' $T/watch.raw && break; sleep 0.1; done
	kill -USR1 "$pid"
	wait $view
	st=$?
	kill "$pid"
	sed 's/^/# watch: /' $T/watch.raw >&2
	[ $st = 0 ] || return 1
	# a stamp line opens each sample: three, each with the process's row
	[ "$(grep -c '^# .* sample [123]$' $T/watch.raw)" = 3 ] || return 1
	grep -v '^#' $T/watch.raw >$T/watch
	[ "$(wc -l <$T/watch)" = 3 ] &&
		awk 'NR > 1 { p = $1; r += $2; s += $3 } END { print p, r, s }' $T/watch
}

test_watch_grows() {
	line=$(hog_delta grow)
	drss=$(echo "$line" | awk '{ print $2 }')
	[ "${drss:-0}" -ge $((8 << 20)) ]
}

test_watch_pageout() {
	"$here/scratch.sh" swap >/dev/null || return 4
	line=$(hog_delta pageout)
	drss=$(echo "$line" | awk '{ print $2 }')
	dswap=$(echo "$line" | awk '{ print $3 }')
	[ "${drss:-0}" -le $((-4 << 20)) ] && [ "${dswap:-0}" -ge $((4 << 20)) ]
}

test_not_loaded() {
	rmmod memlens || return 1
	fails_with "kernel module not loaded; try: sudo modprobe memlens" memlens ps
	st=$?
	modprobe memlens
	return $st
}

test_not_mounted() {
	umount /sys/kernel/debug || return 1
	fails_with "debugfs is not mounted; try: sudo mount -t debugfs none /sys/kernel/debug" memlens
	st=$?
	mount -t debugfs debugfs /sys/kernel/debug
	return $st
}

test_not_root() {
	fails_with "readable by root only" su -s /bin/sh nobody -c "memlens ps"
}

test_unsupported() {
	rmmod memlens && modprobe memlens btf=/nonexistent || return 1
	fails_with "the slab view is unsupported on this kernel: cannot read BTF /nonexistent.*the other views work" \
		memlens slab
	st=$?
	memlens ps -t 1 >/dev/null || st=1
	rmmod memlens && modprobe memlens
	return $st
}

test_malformed() {
	rm -rf $T/copy && mkdir $T/copy && cp $MEMLENS_DIR/* $T/copy/ || return 1
	sed -i '3s/ [0-9]* / x /' $T/copy/processes
	fails_with "$T/copy/processes:3: " memlens ps --debugfs $T/copy
}

test_version() {
	memlens version >$T/version || return 1
	sed 's/^/# /' $T/version
	grep -q "^memlens module $(cat /sys/module/memlens/version)\$" $T/version &&
		grep -q "^kernel $(uname -r)\$" $T/version
}

ktap_test_result "ps -J: one entry per row, values equal the file's" test_json_rows
ktap_test_result "--sort rss orders by rss, largest first" test_sort_rss
ktap_test_result "--watch: a process touching 8 MiB shows ΔRSS adding up to >= +8 MiB" test_watch_grows
if test_watch_pageout; then
	ktap_test_pass "--watch: a process paged out shows negative ΔRSS, positive ΔSWAP"
elif [ $? = 4 ]; then
	ktap_test_skip "--watch: pageout (no scratch disk for swap)"
else
	ktap_test_fail "--watch: a process paged out shows negative ΔRSS, positive ΔSWAP"
fi
ktap_test_result "module not loaded: says modprobe, exit 1" test_not_loaded
ktap_test_result "debugfs not mounted: says the mount command, exit 1" test_not_mounted
ktap_test_result "not root: says so, exit 1" test_not_root
ktap_test_result "slab unsupported: says which view, and that others work" test_unsupported
ktap_test_result "a malformed file: names file and line, exit 1" test_malformed
ktap_test_result "version: module and kernel" test_version
test_summary() {
	memlens >$T/summary && grep -q '^Physical memory' $T/summary && grep -q '^Top 10' $T/summary
}
ktap_test_result "the summary shows the bar and the top 10" test_summary

# As ps -p and pgrep: a selection of nothing prints the header, exits 1.
test_empty_selection() {
	for sel in "-u nobody" "-p 4194304" "-c ^no-such-command\$"; do
		memlens ps $sel >$T/empty 2>$T/err
		st=$?
		log "ps $sel: exit $st: $(cat $T/empty $T/err)"
		[ $st = 1 ] && [ ! -s $T/err ] && grep -qx 'PID USER *VSZ *RSS .*COMM' $T/empty &&
			[ "$(wc -l <$T/empty)" = 1 ] || return 1
	done
	memlens ps -p 1 -p "$$" -n -r -o pid >$T/pids && [ "$(sort -n $T/pids | tr '\n' ' ')" = "1 $$ " ]
}
ktap_test_result "an empty selection: the header, exit 1; -p repeated adds up" test_empty_selection

# The caches' total plus what no cache holds is meminfo's Slab (or, with a
# cache grown between the reads, Slab plus what it lacks).
test_slab_total() {
	memlens slab -b -t 1 >$T/slab || return 1
	line=$(tail -n 1 $T/slab)
	log "$line"
	echo "$line" | awk '
		/^Total: [0-9]+ caches, [0-9]+ in slabs; Slab \(meminfo\) [0-9]+: [0-9]+ not in any cache \(large kmalloc\)$/ {
			sub(/:$/, "", $9); exit !($4 + $10 == $9 && $9 > 0) }
		/read a moment later, is [0-9]+ less$/ { sub(/,$/, "", $9); exit !($4 - $(NF - 1) == $9) }
		{ exit 1 }'
}
ktap_test_result "slab: the caches' total and what no cache holds add up to Slab" test_slab_total

# The summary's free figures against free(1) run just before and after it.
# Each reader holds a little memory of its own while it reads (memlens
# more than free), so a figure may lie outside the two reads by that much:
# 2 MiB, far below what a wrong formula costs (busybox's used, total -
# free - buff/cache, is ~100 MiB from procps's total - available here).
# The VM's free is busybox's unless it says procps: its used is then
# checked as procps computes it, from its own total and available.
test_free() {
	for i in 1 2 3 4 5; do
		free -k >$T/free1
		COLUMNS=1000 memlens -b >$T/summary || return 1
		free -k >$T/free2
		m=$(sed -n 's/^As free shows it: used \([0-9]*\) (total - available), buff\/cache \([0-9]*\) ([^)]*), available \([0-9]*\), free \([0-9]*\), shared \([0-9]*\) (S)\.$/\1 \2 \3 \4 \5/p' $T/summary)
		[ -n "$m" ] || { cat $T/summary; return 1; }
		procps=0
		free -V 2>&1 | grep -q procps && procps=1
		log "memlens (bytes): used buff/cache available free shared: $m"
		sed 's/^/# free -k: /' $T/free1 $T/free2
		echo "$m" | awk -v procps=$procps -v f1=$T/free1 -v f2=$T/free2 '
			function mem(f, v,   l) {
				while ((getline l < f) > 0)
					if (l ~ /^Mem:/) {
						split(l, a)
						# total used free shared buff/cache available
						v[1] = procps ? a[3] : a[2] - a[7]
						v[2] = a[6]; v[3] = a[7]; v[4] = a[4]; v[5] = a[5]
					}
			}
			{
				mem(f1, x); mem(f2, y)
				if (!(1 in x) || !(1 in y)) exit 1
				for (i = 1; i <= 5; i++) {
					lo = x[i] < y[i] ? x[i] : y[i]; hi = x[i] < y[i] ? y[i] : x[i]
					kb = $i / 1024
					if (kb < lo - 2048 || kb > hi + 2048) {
						printf "# figure %d: %.0f kB, free read %.0f and %.0f\n", i, kb, x[i], y[i]
						bad = 1
					}
				}
				exit bad
			}' && return 0
	done
	return 1
}
ktap_test_result "summary: free's used, buff/cache, available, free and shared, as free shows them" test_free

# A file read on the scratch disk: its full path, its 40 KiB cached.
test_files_path() {
	mnt=$("$here/scratch.sh") || return 4
	dd if=/dev/urandom of=$mnt/reader-files bs=4k count=10 2>/dev/null && sync &&
		cat $mnt/reader-files >/dev/null || return 1
	memlens files -r -n -b -o cached,fstype,path $mnt >$T/files || return 1
	sed 's/^/# /' $T/files
	grep -qx "40960 ext2 $mnt/reader-files" $T/files
}

# A program run from a tmpfs, then the tmpfs lazily unmounted: the program
# is still mapped, shown with its device, "unmounted", in files and shared.
test_files_unmounted() {
	mkdir -p $T/tmpfs && mount -t tmpfs none $T/tmpfs || return 1
	# busybox runs the applet its name says
	cp /bin/busybox $T/tmpfs/sleep && $T/tmpfs/sleep 60 &
	sleep 1
	d=$(stat -c '%d' $T/tmpfs/sleep)
	dev=$(((d >> 8) & 0xfff)):$(((d & 0xff) | ((d >> 12) & 0xfff00)))
	umount -l $T/tmpfs || return 1
	memlens files -r -n -o state,path --fstype tmpfs >$T/files
	memlens shared -r -n -o procs,path --fstype tmpfs >$T/shared
	kill $! 2>/dev/null
	sed 's/^/# files: /' $T/files
	sed 's/^/# shared: /' $T/shared
	grep -qxF "unmounted [$dev]/sleep" $T/files && grep -qxF "1 [$dev]/sleep" $T/shared
}

# busybox, which every process here runs, is shared.
test_shared() {
	memlens shared -r -n -b -o mapped,in_rss,procs,path >$T/shared || return 1
	sed 's/^/# /' $T/shared | head -n 5
	awk '$4 == "/bin/busybox" && $3 >= 2 && $2 >= $1 * 2 { ok = 1 } END { exit !ok }' $T/shared
}

# Buffers(DEV) rows add up to Buffers (retried: the system may move).
test_mem_buffers() {
	"$here/scratch.sh" >/dev/null || return 4
	for i in 1 2 3; do
		memlens mem -r -n -b -o key,size >$T/mem || return 1
		grep '^Buffers' $T/mem | sed 's/^/# /'
		awk '$1 == "Buffers" { b = $2 } $1 ~ /^Buffers\(/ { s += $2; n++ }
			END { exit !(n >= 1 && s == b) }' $T/mem && return 0
		sleep 1
	done
	return 1
}

# TEST's result: 0 pass, 4 skip (for WHY), anything else fail.
result_or_skip() { # DESC WHY TEST
	"$3"
	case $? in
	0) ktap_test_pass "$1" ;;
	4) ktap_test_skip "$1 ($2)" ;;
	*) ktap_test_fail "$1" ;;
	esac
}

result_or_skip "files: a file read on ext2, with its full path and size" "no scratch disk" \
	test_files_path
result_or_skip "files, shared: a lazily unmounted tmpfs's mapped program" "no scratch disk" \
	test_files_unmounted
result_or_skip "shared: busybox, mapped by every process, with its factor" "no scratch disk" \
	test_shared
result_or_skip "mem: Buffers per block device add up to Buffers" "no scratch disk" \
	test_mem_buffers
# --prometheus --textfile against the files read around it: the views
# the version file has, MemTotal and the page size exactly, and process
# groups that add up to the processes file (retried: the VM may move).
prom_value() { awk -v m="$1" '$1 == m { print $2 }' "$2"; }
test_prometheus() {
	mkdir -p $T/prom && f=$T/prom/memlens.prom
	# each read sees its reader: grep in the files, memlens in the metrics
	for i in 1 2 3 4 5; do
		grep -v ' grep$' $MEMLENS_DIR/processes >$T/p1
		memlens --prometheus --textfile $T/prom || return 1
		grep -v ' grep$' $MEMLENS_DIR/processes >$T/p2
		cmp -s $T/p1 $T/p2 && break
	done
	grep -qx 'memlens_up 1' $f || return 1
	tail -n +3 $MEMLENS_DIR/version | while IFS=: read -r v st; do
		want=1
		case $st in *unsupported*) want=0 ;; esac
		grep -qx "memlens_view_available{view=\"$v\"} $want" $f ||
			{ log "view $v:$st, not $want in the metrics"; return 1; }
	done || return 1
	mt=$(($(keyval $MEMLENS_DIR/system MemTotal | awk '{ print $1 }') * 1024))
	ps=$(keyval $MEMLENS_DIR/system PageSize)
	procs=$(awk '/^memlens_group_num_procs\{/ && !/"memlens"/ { s += $2 } END { print s }' $f)
	rss=$(awk '/^memlens_group_memory_bytes\{.*memtype="rss"/ && !/"memlens"/ { s += $2 }
		END { printf "%.0f\n", s }' $f)
	rows=$(tail -n +2 $T/p2 | wc -l)
	frss=$(awk 'NR > 1 { s += $6 } END { printf "%.0f\n", s * 1024 }' $T/p2)
	log "MemTotal $mt, page size $ps; $procs processes (file: $rows), RSS $rss (file: $frss); $(grep -vc '^#' $f) series"
	[ "$(prom_value memlens_system_MemTotal_bytes $f)" = "$mt" ] &&
		[ "$(prom_value memlens_system_page_size_bytes $f)" = "$ps" ] &&
		[ "$procs" = "$rows" ] && [ "$rss" = "$frss" ]
}
ktap_test_result "--prometheus --textfile: views, MemTotal, page size and process groups as the files have them" test_prometheus

# 2,000 more processes, each named differently: still at most 2,000
# series, the groups past 100 summed in [other].
test_prometheus_series() {
	"$here/namedprocs" 2000 >$T/named &
	pid=$!
	for i in $(seq 180); do grep -q ready $T/named && break; sleep 1; done
	memlens --prometheus >$T/many.prom
	st=$?
	kill $pid
	wait $pid 2>/dev/null
	n=$(grep -vc '^#' $T/many.prom)
	other=$(prom_value 'memlens_group_num_procs{groupname="[other]"}' $T/many.prom)
	log "$n series; [other] has $other processes"
	[ $st = 0 ] && [ "$n" -le 2000 ] && [ "${other:-0}" -ge 1900 ]
}
ktap_test_result "--prometheus: 2,000 more processes of different names, at most 2,000 series" test_prometheus_series

# No module: the file is replaced by one that says so, exit 0.
test_prometheus_down() {
	rmmod memlens || return 1
	memlens --prometheus --textfile $T/prom 2>$T/err
	st=$?
	modprobe memlens
	log "exit $st: $(cat $T/err)"
	[ $st = 0 ] && grep -qx 'memlens_up 0' $T/prom/memlens.prom &&
		! grep -q '^memlens_system' $T/prom/memlens.prom &&
		[ "$(ls -A $T/prom)" = memlens.prom ]
}
ktap_test_result "--prometheus --textfile, module not loaded: memlens_up 0, exit 0" test_prometheus_down

# ps -o pss,uss: a process's as its smaps_rollup says, read before and
# after.  memhog is static: no page of it is mapped by the programs this
# test runs (a shell's libc pages are, and their share moves with them).
rollup_pss_uss() {
	awk '/^Pss:/ { p = $2 } /^Private_(Clean|Dirty):/ { u += $2 }
	     END { print p * 1024, u * 1024 }' /proc/$1/smaps_rollup
}
test_ps_pss() {
	pid=$(memhog_start pageout 8 100000)
	st=1
	for i in 1 2 3 4 5; do
		a=$(rollup_pss_uss $pid)
		m=$(memlens ps -p $pid -o pss,uss -b -r -n) || break
		b=$(rollup_pss_uss $pid)
		log "smaps_rollup $a, then $b; memlens ps: $m"
		[ "$a" = "$b" ] || continue
		[ "$(echo $m)" = "$a" ] && [ "${a%% *}" -ge 8388608 ] && st=0
		break
	done
	kill $pid
	return $st
}
ktap_test_result "ps -o pss,uss: a process's equal its smaps_rollup" test_ps_pss

# The summary's sums and shared's ratio in a new pid namespace, where the
# processes and pss files hold only its processes while meminfo and pages'
# map counts stay the system's.  sh is its pid 1 and sleep its pid 2 (a
# process, child of sh, not kthreadd); the readers are the third.
# Before 6.2 a thread keeps up to 64 page events of its RSS to itself
# (SPLIT_RSS_COUNTING): an idle shell's RSS, as /proc's, can read far
# below what it maps, and a sum of RSS below the PSS of the same processes.
rss_lags() {
	v=$(uname -r)
	maj=${v%%.*} min=${v#*.}
	min=${min%%[!0-9]*}
	[ "$maj" -lt 6 ] || { [ "$maj" = 6 ] && [ "$min" -lt 2 ]; }
}

test_pidns() {
	unshare -pf --mount-proc sh -c "
		sleep 60 &
		sleep 1
		COLUMNS=1000 memlens -b >$T/ns.summary
		memlens ps -r -n -b -o pid,ppid,rss,comm >$T/ns.ps
		memlens shared >$T/ns.shared
		COLUMNS=1000 memlens -b -c '^sleep\$' >$T/ns.sel
		memlens ps -r -n -b -o rss -c '^sleep\$' >$T/ns.sleep" || return 1
	COLUMNS=1000 memlens -b >$T/all.summary && memlens shared >$T/all.shared || return 1
	sed 's/^/# ns ps: /' $T/ns.ps
	grep -h 'RSS adds up\|^System-wide\|^Shared files' $T/ns.summary $T/ns.sel $T/all.summary |
		sed 's/^/# /'
	sed -n '/^Total:/,$s/^/# ns shared: /p' $T/ns.shared
	sed -n '/^Total:/,$s/^/# shared: /p' $T/all.shared
	n=$(wc -l <$T/ns.ps)
	ns=$(sed -n "s/^The $n processes of this pid namespace: their RSS adds up to \([0-9]*\), .*/\1/p" $T/ns.summary)
	all=$(sed -n 's/^The [0-9]* processes of the system: their RSS adds up to \([0-9]*\), .*/\1/p' $T/all.summary)
	pss=$(sed -n 's/.* Their PSS adds up to \([0-9]*\) .*/\1/p' $T/ns.summary)
	log "namespace: $n processes, RSS $ns, PSS $pss; system: RSS $all"
	# the namespace's sums are its own, meminfo's are said to be the system's
	[ "$n" = 3 ] && awk '$1 == 2 && $2 == 1 && $4 == "sleep"' $T/ns.ps | grep -q . &&
		[ -n "$ns" ] && [ -n "$all" ] && [ "$ns" -lt "$all" ] &&
		{ [ -z "$pss" ] || [ "$pss" -le "$ns" ] ||
			{ rss_lags && grep -q "RSS counters lag behind its page tables: the PSS exceeds" \
				$T/ns.summary; }; } &&
		grep -q '^System-wide, every process of every pid namespace: the pages mapped' $T/ns.summary &&
		grep -q '^Shared files, system-wide' $T/ns.summary &&
		grep -qx "The one process selected in this pid namespace: its RSS adds up to $(cat $T/ns.sleep), counting a shared page once per process\..*" $T/ns.sel || return 1
	# shared: no ratio to the namespace's RSS sum; the system's is a part of its whole
	# (before 6.2, with RSS lagging, no ratio: the part exceeds the whole)
	grep -q '^System-wide: every process of every pid namespace' $T/ns.shared && ! grep -q '%' $T/ns.shared &&
		{ sed -n 's/.* of their RSS sum of .* (\([0-9.]*\)%) is file and shmem pages counted again$/\1/p' \
			$T/all.shared | awk '{ ok = $1 > 0 && $1 <= 100 } END { exit !ok }' ||
		{ rss_lags && grep -q "^this kernel's RSS counters lag behind its page tables\.\$" $T/all.shared; }; }
}
ktap_test_result "a pid namespace: the summary's sums are its processes', shared's are said system-wide" test_pidns

# PSS in a new pid namespace: memlens ps, the summary's PSS and USS sums
# and the module's pss file, all read inside it.  sh is its pid 1, sleep
# its pid 2, two memhogs (static, 8 and 4 MiB of their own) its pids 3 and
# 4; the reader comes after.  Outside it, another memhog holds 16 MiB: a
# sum over more than the namespace's processes would count it.  The Pss
# of sh and sleep moves whenever a process mapping busybox comes or goes
# (run.sh's sleep 1, each second); the memhogs' does not.
pidns_pss_run() {
	cat >$T/ns-pss.sh <<-'EOS'
	out=$1 here=$2 dir=$3
	# killed with the rest when sh, the namespace's init, exits
	sleep 600 &
	$here/memhog pageout 8 100000 >$out/ns.hog &
	$here/memhog pageout 4 100000 >$out/ns.hog2 &
	for i in $(seq 100); do [ -s $out/ns.hog ] && [ -s $out/ns.hog2 ] && break; sleep 0.1; done
	# Pss and USS in bytes, read by the shell itself: a process of busybox
	# would add a mapper of the pages sh and sleep share, and move their Pss.
	rollup() {
		p=0 u=0
		while read -r k v _; do
			case $k in
			Pss:) p=$v ;;
			Private_Clean:|Private_Dirty:) u=$((u + v)) ;;
			esac
		done </proc/$1/smaps_rollup
		echo "$1 $((p * 1024)) $((u * 1024))"
	}
	for i in $(seq 10); do
		: >$out/ns.r1
		: >$out/ns.r2
		for p in 1 2 3 4; do rollup $p >>$out/ns.r1; done
		memlens ps -r -n -b -o pid,pss,uss,rss,comm >$out/ns.ps || exit 1
		for p in 1 2 3 4; do rollup $p >>$out/ns.r2; done
		# again if sh's or sleep's moved
		cmp -s $out/ns.r1 $out/ns.r2 &&
			awk '$1 <= 4 { print $1, $2, $3 }' $out/ns.ps | cmp -s - $out/ns.r2 && break
	done
	COLUMNS=1000 memlens -b -o pid,pss,uss >$out/ns.summary || exit 1
	COLUMNS=1000 memlens -b -p 3,4 -o pid,pss,uss >$out/ns.sel || exit 1
	cat $dir/pss >$out/ns.pssfile
	EOS
	unshare -pf --mount-proc sh $T/ns-pss.sh $T "$here" $MEMLENS_DIR
}

# "pss uss" of the summary's line, and the sums of its table's rows.
summary_pss_uss() {
	sed -n 's/.* PSS adds up to \([0-9]*\) (.*, their USS (pages only one process maps) to \([0-9]*\): .*/\1 \2/p' "$1"
}
summary_rows_sum() {
	sed -n '/^Top 10/,$p' "$1" | awk '$1 ~ /^[0-9]+$/ { p += $2; u += $3; n++ }
		END { print p + 0, u + 0, n + 0 }'
}

test_pidns_pss() {
	hog=$(memhog_start pageout 16 100000)
	pidns_pss_run
	st=$?
	kill "$hog"
	[ $st = 0 ] || return 1
	sed 's/^/# ns ps: /' $T/ns.ps
	sed 's/^/# ns pss file: /' $T/ns.pssfile
	sed 's/^/# ns smaps_rollup (pid pss uss): /' $T/ns.r2
	grep -h 'PSS adds up' $T/ns.summary $T/ns.sel | sed 's/^/# /'
	sed -n '/^Top 10/,$s/^/# ns summary: /p' $T/ns.summary
	# the namespace's processes by its own pids, the reader last, and no other
	awk '{ print $1, $5 }' $T/ns.ps | tr '\n' ' ' |
		grep -qx '1 sh 2 sleep 3 memhog 4 memhog [0-9]* memlens ' || return 1
	awk 'NR > 1 { print $1, $NF }' $T/ns.pssfile | tr '\n' ' ' |
		grep -qx '1 sh 2 sleep 3 memhog 4 memhog [0-9]* cat ' || return 1
	# a row's pss and uss are its smaps_rollup's; uss <= pss <= rss (rss lags before 6.2)
	cmp -s $T/ns.r1 $T/ns.r2 && awk '$1 <= 4 { print $1, $2, $3 }' $T/ns.ps | cmp -s - $T/ns.r2 ||
		return 1
	awk '$1 <= 4 && ($3 > $2 || $2 > $4) { print "# pid", $1, "uss > pss or pss > rss"; bad = 1 }
		END { exit bad }' $T/ns.ps || rss_lags || return 1
	# the module's rows of the memhogs, in kB, are their Pss
	[ "$(awk 'NR > 1 && ($1 == 3 || $1 == 4) { print $1, $3 * 1024 }' $T/ns.pssfile)" = \
		"$(awk '$1 == 3 || $1 == 4 { print $1, $2 }' $T/ns.r2)" ] || return 1
	# the memhogs selected: the sums, from the reader's first read of the
	# pss file, are the rows of its second
	sel=$(summary_pss_uss $T/ns.sel)
	rows=$(summary_rows_sum $T/ns.sel)
	log "selected: summary's PSS and USS sums $sel; rows' $rows"
	[ -n "$sel" ] && [ "$rows" = "$sel 2" ] &&
		grep -q '^The 2 processes selected in this pid namespace: ' $T/ns.sel || return 1
	# all five: the reader's own pss, and sh's and sleep's, move between
	# its two reads, by far less than the 16 MiB outside
	all=$(summary_pss_uss $T/ns.summary)
	rows=$(summary_rows_sum $T/ns.summary)
	log "all: summary's PSS and USS sums $all; rows' $rows"
	grep -q '^The 5 processes of this pid namespace: ' $T/ns.summary &&
		echo "$all $rows" | awk '{ d1 = $1 - $3; d2 = $2 - $4
			m = 1048576
			exit !(NF == 5 && $5 == 5 && d1 > -m && d1 < m && d2 > -m && d2 < m) }'
}
ktap_test_result "a pid namespace: ps's pss, the summary's PSS and USS sums and the pss file are its processes'" \
	test_pidns_pss

# memlens map as root of a new user namespace: the kernel denies it ptrace
# read access to init, outside it (no CAP_SYS_PTRACE in init's namespace),
# which reading smaps needs, even as root, and the reader says it is in a
# user namespace.  There, cat is refused too, and the reader maps its own
# shell.
test_map_userns() {
	fails_with '^memlens: permission denied reading /proc/1/smaps: even root needs ptrace read access to the process: memlens runs in a user namespace, whose root has none over a process outside it$' \
		unshare -U -r sh -c "
			[ \$(id -u) = 0 ] || exit 2
			! cat /proc/1/smaps >/dev/null 2>$T/cat.err || exit 3
			memlens map \$\$ >$T/own || exit 4
			memlens map 1" || return 1
	log "cat: $(cat $T/cat.err); own map: $(tail -n 1 $T/own)"
	[ "$(wc -l <$T/err)" = 1 ] && grep -q 'Permission denied' $T/cat.err &&
		grep -q '^Total: ' $T/own
}
ktap_test_result "map as root of a user namespace, of init outside it: ptrace denied, exit 1" \
	test_map_userns

# -p 1: the summary's per-process sums are init's alone.
test_summary_selected() {
	COLUMNS=1000 memlens -b -p 1 >$T/sel || return 1
	rss=$(memlens ps -p 1 -b -r -n -o rss)
	grep 'RSS adds up' $T/sel | sed 's/^/# /'
	grep -qx "The one process selected: its RSS adds up to $rss, counting a shared page once per process\..*" $T/sel &&
		grep -q '^System-wide, every process of every pid namespace: the pages mapped' $T/sel &&
		[ "$(sed -n '/^Top 10/,$p' $T/sel | wc -l)" = 3 ]
}
ktap_test_result "summary -p 1: its RSS sum is init's, meminfo's figures are said system-wide" test_summary_selected

# A selection of nothing: one error, nothing on stdout, exit 1.
test_summary_empty() {
	memlens -c zzz >$T/out 2>$T/err
	st=$?
	log "exit $st: $(cat $T/err)"
	[ $st = 1 ] && [ ! -s $T/out ] && [ "$(cat $T/err)" = "memlens: no process matches the selection" ]
}
ktap_test_result "summary -c zzz: no process matches, nothing printed, exit 1" test_summary_empty

# ps -o pid,args,%mem of a process holding 32 MiB: its command line as
# /proc/PID/cmdline has it, and %MEM as procps computes it, VmRSS * 1000 /
# MemTotal in tenths, rounded down.  A kernel thread's args is [comm].
test_ps_args_pmem() {
	pid=$(memhog_start pageout 32 100000)
	# its memory is touched before its pid is out: VmRSS stays put
	a=$(awk '/^VmRSS:/ { print $2 }' /proc/$pid/status)
	# -r would write the spaces as \x20: the aligned table, for people
	m=$(memlens ps -p $pid -o %mem,args -n | sed 's/^ *//')
	want="$(awk -v r=$a '/^MemTotal:/ { t = int(r * 1000 / $2); printf "%d.%d%%", t / 10, t % 10 }' \
		/proc/meminfo) $(tr '\0' ' ' </proc/$pid/cmdline | sed 's/ $//')"
	log "memlens: $m; want: $want (VmRSS $a, then $(awk '/^VmRSS:/ { print $2 }' /proc/$pid/status))"
	kill $pid
	[ "$m" = "$want" ] && [ "${m%% *}" != 0.0% ] || return 1
	m=$(memlens ps -p 2 -o args -r -n)
	log "pid 2: $m"
	[ "$m" = "[$(cat /proc/2/comm)]" ]
}
ktap_test_result "ps -o pid,args,%mem: the command line, %MEM as procps; [comm] for a kernel thread" \
	test_ps_args_pmem

# memlens ps leaves out kernel threads, counting them in a last line; -A
# and a selection show them.
test_ps_kthreads() {
	memlens ps -r -n -o pid,vsz,comm >$T/user || return 1
	memlens ps -A -r -n -o pid >$T/all || return 1
	memlens ps >$T/human || return 1
	n=$(awk 'NR > 1 && $5 == 0 && ($1 == 2 || $2 == 2)' $MEMLENS_DIR/processes | wc -l)
	log "$(wc -l <$T/user) processes, $(wc -l <$T/all) with -A, $n kernel threads in the file"
	log "$(tail -n 1 $T/human)"
	[ "$n" -gt 5 ] && ! grep -q '^2 ' $T/user && grep -qx 2 $T/all &&
		[ "$(memlens ps -p 2 -r -n -o pid)" = 2 ] &&
		[ "$(memlens ps -c '^kthreadd$' -r -n -o pid)" = 2 ] &&
		tail -n 1 $T/human | grep -qE '^[0-9]+ kernel threads not shown \(-A shows them\)$' &&
		[ $(($(wc -l <$T/all) - $(wc -l <$T/user))) -ge $((n - 2)) ] &&
		[ $(($(wc -l <$T/all) - $(wc -l <$T/user))) -le $((n + 2)) ]
}
ktap_test_result "ps hides kernel threads and says how many; -A and -p show them" test_ps_kthreads

# A selection of nothing: the header alone, exit 1, as ps -C.
test_ps_comm_none() {
	memlens ps -c zzz -o pid,args >$T/none 2>$T/err
	st=$?
	log "exit $st: $(cat $T/none $T/err)"
	[ $st = 1 ] && [ ! -s $T/err ] && [ "$(cat $T/none)" = "PID ARGS" ]
}
ktap_test_result "ps -c zzz: the header, exit 1" test_ps_comm_none

# A path that is not there is an error naming it, as in fincore; a
# directory with nothing cached prints the header and its total, and exits
# 1 as an empty ps -p selection does.
test_files_nonexistent() {
	fails_with "^memlens: /nonexistent: No such file or directory\$" memlens files /nonexistent &&
		[ ! -s $T/out ] &&
		fails_with "^memlens: /nonexistent: No such file or directory\$" memlens shared /nonexistent &&
		mkdir -p $T/nothing && { memlens files $T/nothing >$T/out; [ $? = 1 ]; } &&
		tail -n 1 $T/out | grep -q '^Total: 0 files'
}
ktap_test_result "files /nonexistent: an error naming it, exit 1" test_files_nonexistent

# Many files under a cap of 64 kB of rows (files_cap_kb=64): 4,000
# one-page files in 8 directories of a tmpfs, and two large ones.  The
# module leaves out small files' rows; the reader's -t and total are
# exact all the same, it says what is not listed, and --by-dir sums every
# directory from the dirs view.  Live, a file written between two samples
# is its directory's change.
many_files() { # DIR: 4,000 files of one byte, big1 of 200 KiB, d1/big2 of 120 KiB
	for d in $(seq 1 8); do
		mkdir -p "$1/d$d" && (cd "$1/d$d" && for i in $(seq 1 500); do echo > "$i"; done) ||
			return 1
	done
	dd if=/dev/zero of="$1/big1" bs=1k count=200 2>/dev/null &&
		dd if=/dev/zero of="$1/d1/big2" bs=1k count=120 2>/dev/null
}
test_files_many() {
	m=$T/many
	mkdir -p $m && mount -t tmpfs -o size=512m none $m || return 1
	many_files $m || { umount $m; return 1; }
	rmmod memlens && modprobe memlens files_cap_kb=64 || { umount $m; return 1; }
	memlens files -t 2 -r -n -b -o cached,path $m >$T/many.top 2>$T/many.err
	st1=$?
	memlens files >$T/many.txt 2>>$T/many.err
	st2=$?
	rows=$(($(grep -vc '^total ' $MEMLENS_DIR/files) - 2))
	files=$(awk '$1 == "total" { s += $4 } END { print s }' $MEMLENS_DIR/files)
	memlens files --by-dir 1 $m -r -n -b -o cached,files,path >$T/many.dirs 2>>$T/many.err
	st3=$?
	memlens files --by-dir 0 $m -w 2 --count 2 -r -b -o cached,dcached,path >$T/many.w &
	view=$!
	for i in $(seq 100); do grep -q -v '^#' $T/many.w && break; sleep 0.1; done
	dd if=/dev/zero of=$m/d2/new bs=1k count=40 2>/dev/null
	wait $view
	st4=$?
	rmmod memlens && modprobe memlens
	umount $m
	log "exit $st1 $st2 $st3 $st4; the file: $rows rows listed, $files files in its total rows"
	sed 's/^/# /' $T/many.err $T/many.top $T/many.dirs $T/many.w
	tail -n 2 $T/many.txt | sed 's/^/# /'
	[ "$st1$st2$st3$st4" = 0000 ] && [ ! -s $T/many.err ] && [ "$rows" -lt 4000 ] &&
		[ "$files" -gt 4002 ] || return 1
	[ "$(cat $T/many.top)" = "$(printf '204800 %s\n122880 %s' $m/big1 $m/d1/big2)" ] || return 1
	# the total counts every file: a moment later, within 100 of the file's
	tail -n 2 $T/many.txt | awk -v f=$files '
		NR == 1 { n = $2 } NR == 2 && /^Files with less than .* cached are not listed \([0-9]+ files\); the total counts them\.$/ { ok = 1 }
		END { exit !(ok && n > f - 100 && n < f + 100) }' || return 1
	grep -qx "16711680 4002 $m" $T/many.dirs && grep -qx "2170880 501 $m/d1" $T/many.dirs &&
		grep -qx "2048000 500 $m/d8" $T/many.dirs && [ "$(wc -l <$T/many.dirs)" = 9 ] &&
		grep -qx "16711680 - $m" $T/many.w && grep -qx "16752640 40960 $m" $T/many.w
}
ktap_test_result "files at 4,000 files over a 64 kB cap: -t, the total and --by-dir exact, -w its change" \
	test_files_many

# ps --help lists the options ps takes and no other command's.
test_ps_help() {
	memlens ps --help >$T/help || return 1
	grep -q '^ memlens ps \[options\]$' $T/help &&
		for o in --output --sort --top --pid --comm --user --kthreads --watch --count --json --debugfs; do
			grep -q -- "$o" $T/help || { log "no $o"; return 1; }
		done &&
		! grep -qE -- '--(fstype|textfile|group-by|color|prometheus|mountinfo)' $T/help
}
ktap_test_result "ps --help: ps's options only" test_ps_help

# The census: memlens pages against the zones' present pages and the
# pages file, both read by this script.  Skipped (4) where the version file
# says the view is unsupported.
pages_skip() {
	grep -q '^pages: \(available\|partial\)' $MEMLENS_DIR/version || {
		log "$(grep '^pages:' $MEMLENS_DIR/version)"
		return 4
	}
}
# The page size, from the system file (busybox has no getconf).
page_size() { awk '$1 == "PageSize:" { print $2 }' $MEMLENS_DIR/system; }
present_bytes() {
	awk -v p=$(page_size) '$1 == "present" { s += $2 } END { printf "%.0f\n", s * p }' /proc/zoneinfo
}

# The table's total, live, is present RAM to the byte; each class of a
# copy of the file, through memlens, its sum over the nodes of the kB.
test_pages_census() {
	pages_skip || return
	present=$(present_bytes)
	memlens pages -b >$T/pages.txt || return 1
	tail -n 1 $T/pages.txt | sed 's/^/# /'
	tail -n 1 $T/pages.txt | grep -q "^Total: $present, present RAM" || return 1
	[ "$(memlens pages -J -b | jq '[.pages[].size] | add')" = "$present" ] || return 1
	rm -rf $T/copy && mkdir $T/copy && cp $MEMLENS_DIR/* $T/copy/ || return 1
	memlens pages -J -b --debugfs $T/copy | jq -r '.pages[] | "\(.class) \(.size)"' | sort >$T/pj
	awk 'NR > 1 { s[$1] += $4 * 1024 } END { for (c in s) print c, s[c] }' $T/copy/pages | sort >$T/pf
	log "$(wc -l <$T/pj) classes; untyped $(grep '^untyped ' $T/pj)"
	diff $T/pf $T/pj >&2 && [ "$(wc -l <$T/pj)" -ge 21 ]
}

# --per-node: a row per online node and class, each node's adding up to
# its zones' present pages.
test_pages_per_node() {
	pages_skip || return
	memlens pages --per-node -J -b -o node,size >$T/pn.json || return 1
	nodes=$(ls -d /sys/devices/system/node/node[0-9]* | wc -l)
	classes=$(memlens pages -J | jq '.pages | length')
	log "$nodes nodes, $classes classes, $(jq '.pages | length' $T/pn.json) rows"
	[ "$(jq '.pages | length' $T/pn.json)" = $((nodes * classes)) ] || return 1
	for n in $(seq 0 $((nodes - 1))); do
		want=$(awk -v p=$(page_size) -v n="$n," '$1 == "Node" && $2 == n { on = 1 }
			$1 == "Node" && $2 != n { on = 0 } on && $1 == "present" { s += $2 }
			END { printf "%.0f\n", s * p }' /proc/zoneinfo)
		got=$(jq "[.pages[] | select(.node == $n) | .size] | add" $T/pn.json)
		log "node $n: $got, zoneinfo $want"
		[ "$got" = "$want" ] || return 1
	done
}

# The summary's first line: installed is present RAM, beside MemTotal;
# no "other kernel" lump.
test_pages_summary() {
	pages_skip || return
	COLUMNS=1000 memlens -b --color=never >$T/summary || return 1
	head -n 3 $T/summary | sed 's/^/# /'
	total=$(awk '/^MemTotal:/ { print $2 * 1024 }' $MEMLENS_DIR/system)
	head -n 1 $T/summary | grep -q "^Physical memory: $(present_bytes) installed (present), MemTotal [0-9]*: [0-9]* reserved at boot, kernel image [0-9]*, memmap [0-9]*, the rest" &&
		! grep -q 'other kernel' $T/summary && grep -q ' ? untyped ' $T/summary &&
		[ -n "$total" ]
}

# Prometheus: a series per class, adding up to present RAM.
test_pages_prometheus() {
	pages_skip || return
	memlens --prometheus >$T/p.prom || return 1
	sum=$(awk '/^memlens_pages_bytes\{/ { s += $NF } END { printf "%.0f\n", s }' $T/p.prom)
	log "memlens_pages_bytes: $(grep -c '^memlens_pages_bytes{' $T/p.prom) series, sum $sum"
	[ "$sum" = "$(present_bytes)" ]
}

unsup="the pages view is unsupported"
result_or_skip "pages: the total is the zones' present pages; each class the file's" "$unsup" \
	test_pages_census
result_or_skip "pages --per-node: each node's rows add up to its present pages" "$unsup" \
	test_pages_per_node
result_or_skip "summary with the census: installed (present) against MemTotal, no other kernel" \
	"$unsup" test_pages_summary
result_or_skip "Prometheus: memlens_pages_bytes adds up to present RAM" "$unsup" test_pages_prometheus

# memlens vmalloc: a copy of /proc/vmallocinfo summed as awk sums it; live,
# beside VmallocUsed; and 10 MiB vmalloc()ed by the test module, in one
# area of 2560 pages, counted under its caller.  As a user, a clear error.
test_vmalloc() {
	mkdir -p $T/proc && cp /proc/vmallocinfo /proc/meminfo $T/proc/ || return 1
	memlens vmalloc -J -b --proc $T/proc | jq -r '.vmalloc[] | "\(.caller)|\(.size)|\(.areas)"' | sort >$T/vj
	awk -v p=$(page_size) '$3 ~ /\+0x/ { c = $3; sub(/\+.*/, "", c); if ($4 ~ /^\[/) c = c " " $4; n[c]++
		for (i = 4; i <= NF; i++) if ($i ~ /^pages=/) s[c] += substr($i, 7) }
		END { for (c in n) printf "%s|%.0f|%d\n", c, s[c] * p, n[c] }' $T/proc/vmallocinfo | sort >$T/vw
	log "$(wc -l <$T/vw) callers with a symbol, $(wc -l <$T/vj) in all"
	grep -v '^\[' $T/vj | grep -v '^0x' | diff $T/vw - >&2 || return 1
	memlens vmalloc -t 3 | sed 's/^/# /'
	modprobe memlens_selftest objects=1 vmalloc_pages=2560 || return 1
	memlens vmalloc -J -b >$T/v.json
	cp /proc/vmallocinfo $T/proc/vmallocinfo
	rmmod memlens_selftest
	caller=$(awk '/ pages=2560 / { c = $3; sub(/\+.*/, "", c); if ($4 ~ /^\[/) c = c " " $4; print c; exit }' \
		$T/proc/vmallocinfo)
	log "the planted area's caller: $caller"
	[ -n "$caller" ] &&
		jq -e --arg c "$caller" '[.vmalloc[] | select(.caller == $c)][0].size >= 2560 * 4096' $T/v.json >/dev/null &&
		fails_with "permission denied reading /proc/vmallocinfo: it is readable by root only; run memlens as root" \
			su -s /bin/sh nobody -c "memlens vmalloc"
}
ktap_test_result "vmalloc: callers summed as vmallocinfo lists them; 10 MiB planted under its caller; root only" test_vmalloc

# memlens cgroups, ps -o cgroup and files --cgroup against a cgroup made
# here: a process in /rt-x that wrote 4 MiB to a tmpfs file and sleeps.
# Its row's current is memory.current, read before and after (the
# process is idle: what moves is a few pages of the kernel's); ps shows
# the process in it; files --cgroup, and cgroups --files, its file.
CG=/sys/fs/cgroup
cg_setup() {
	grep -q ' cgroup2 ' /proc/mounts || mount -t cgroup2 none $CG 2>/dev/null || return 4
	grep -qw memory $CG/cgroup.controllers 2>/dev/null || return 4
	echo +memory >$CG/cgroup.subtree_control || return 4
	grep -q '^cgroups: available' $MEMLENS_DIR/version &&
		grep -q '^cgroup_files: available' $MEMLENS_DIR/version || return 4
	mkdir -p $CG/rt-x $T/cgtmp && mount -t tmpfs none $T/cgtmp || return 1
	: >$T/cg.ready
	sh -c "echo \$\$ >$CG/rt-x/cgroup.procs && head -c 4194304 /dev/zero >$T/cgtmp/f &&
		echo ready >$T/cg.ready && exec sleep 120" &
	cgpid=$!
	for i in $(seq 50); do [ -s $T/cg.ready ] && return 0; sleep 0.2; done
	return 1
}
cg_cleanup() {
	[ -n "${cgpid:-}" ] && kill $cgpid 2>/dev/null && wait $cgpid 2>/dev/null
	rm -f $T/cgtmp/f
	umount $T/cgtmp 2>/dev/null
	rmdir $CG/rt-x 2>/dev/null
	cgpid=
}
test_cgroup_live() {
	cg_setup
	st=$?
	[ $st = 0 ] || { cg_cleanup; return $st; }
	before=$(cat $CG/rt-x/memory.current)
	memlens cgroups -J -b >$T/cg.json
	after=$(cat $CG/rt-x/memory.current)
	cur=$(jq '.cgroups[] | select(.path == "/rt-x") | .current' $T/cg.json)
	log "/rt-x: memory.current $before then $after, memlens cgroups $cur"
	rtpid=$cgpid
	memlens ps -r -n -o pid,cgroup >$T/cg.ps
	log "ps: $(grep "^$rtpid " $T/cg.ps)"
	memlens files --cgroup /rt-x -r -n -b -o cached,path >$T/cg.files
	log "files --cgroup /rt-x: $(head -n 3 $T/cg.files | tr '\n' ' ')"
	memlens files --cgroup /rt-x | sed 's/^/# /'
	memlens cgroups --files 1 -J -b >$T/cgf.json
	log "cgroups --files 1 -J: $(jq -c '.cgroups[] | select(.path == "/rt-x") | .children[] | [.path, .file]' $T/cgf.json)"
	cg_cleanup
	[ -n "$cur" ] && [ "$cur" -ge $((${before} - 262144)) ] && [ "$cur" -le $((${after} + 262144)) ] &&
		grep -qx "$rtpid /rt-x" $T/cg.ps &&
		grep -qx "4194304 $T/cgtmp/f" $T/cg.files &&
		jq -e --arg f "$T/cgtmp/f" '.cgroups[] | select(.path == "/rt-x") | .children[0] |
			.path == $f and .file == 4194304' $T/cgf.json >/dev/null
}
result_or_skip "cgroups: /rt-x's current is memory.current; ps -o cgroup and files --cgroup show its process and 4 MiB tmpfs file" \
	"no cgroup2 memory controller" test_cgroup_live

ktap_finished
