#!/usr/bin/env bash
# Two builds of srm-check on the same input, side by side in one run: the
# check that a change keeps the loader's speed (e.g. against the commit
# before it). RUNS (default 8) counterbalanced runs under /usr/bin/time.
#
#   tests/bench/compare_builds.sh OLD_SRM_CHECK NEW_SRM_CHECK FILE [srm-check options]
set -euo pipefail
. "$(dirname "$0")/bench_lib.sh"
old=$1 new=$2 file=$3
shift 3
extra=("$@")
runs=${RUNS:-8}
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time
cat "$file" > /dev/null  # warm the page cache
out=$(mktemp -d)
run_old() { timed "$out/old.$1" "$old" "$file" --json "${extra[@]}" > /dev/null 2>&1 || true; }
run_new() { timed "$out/new.$1" "$new" "$file" --json "${extra[@]}" > /dev/null 2>&1 || true; }
counterbalanced "$runs" "$out" old new
times_table "$out" "$runs" old new
