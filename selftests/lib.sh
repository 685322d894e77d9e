# SPDX-License-Identifier: GPL-2.0
# Helpers for the shell selftests, on top of the kernel's ktap_helpers.sh.
# Sourced, never run.

. "$(dirname "$0")/ktap_helpers.sh"

MEMLENS_DIR=/sys/kernel/debug/memlens
# the version file and the views, as the uapi header lists them
MEMLENS_VIEWS=$(cat "$(dirname "$0")/views")
MEMLENS_FILES="version $MEMLENS_VIEWS"

# Print a message for the test log.
log() { echo "# $*"; }

# The value of "key: value" in a memlens or /proc file.
keyval() { sed -n "s/^$2:[[:space:]]*//p" "$1" | head -n 1; }

# Kilobytes of a /proc/meminfo line.
meminfo_kb() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

# The VM's console messages since the mark, for checks of what we print.
dmesg_mark() { dmesg | wc -l; }
dmesg_since() { dmesg | tail -n +$(($1 + 1)); }

require_root() {
	[ "$(id -u)" = 0 ] || { ktap_skip_all "needs root"; exit "$KSFT_SKIP"; }
}
