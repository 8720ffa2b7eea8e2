#!/usr/bin/env bash
# Two builds of srm-check on the same input, side by side in one run: the
# check that a change keeps the loader's speed (e.g. against the commit
# before it). Alternates the two RUNS times (default 8) under /usr/bin/time
# and prints the medians and their ratio.
#
#   tests/bench/compare_builds.sh OLD_SRM_CHECK NEW_SRM_CHECK FILE [srm-check options]
set -euo pipefail
old=$1 new=$2 file=$3
shift 3
extra=("$@")
runs=${RUNS:-8}
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time
cat "$file" > /dev/null  # warm the page cache
out=$(mktemp -d)
one() { /usr/bin/time -f "%e %M" -o "$out/$1.$2" "$3" "$file" --json "${extra[@]}" > "$out/$1.json" 2>/dev/null || [ $? -eq 1 ]; }
for i in $(seq "$runs"); do
    if [ $((i % 2)) -eq 1 ]; then one old "$i" "$old"; one new "$i" "$new"
    else one new "$i" "$new"; one old "$i" "$old"; fi
done
/usr/bin/python3 - "$out" "$runs" <<'PY'
import statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
def load(name):
    rows = [open(f"{out}/{name}.{i}").read().split() for i in range(1, runs + 1)]
    return [float(r[0]) for r in rows], [int(r[1]) / 1024 for r in rows]
ow, om = load("old")
nw, nm = load("new")
for i in range(runs):
    print(f"{i+1:>3}  old {ow[i]:6.2f} s {om[i]:6.0f} MB   new {nw[i]:6.2f} s {nm[i]:6.0f} MB")
mo, mn = statistics.median(ow), statistics.median(nw)
print(f"median: old {mo:.3f} s, new {mn:.3f} s -> new/old = {mn/mo:.3f}; peak RSS old {max(om):.0f} MB, new {max(nm):.0f} MB")
PY
