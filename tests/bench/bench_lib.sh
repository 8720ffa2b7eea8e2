# Shared by the benchmark scripts (source it). Runs two commands side by side
# RUNS times under /usr/bin/time in a counterbalanced order (a b, b a, a b,
# ...): on a virtual machine a run is slower right after a process that
# freed much memory (the host takes the pages back), so each follows the
# other as often as it follows itself.
#
#   counterbalanced RUNS OUT NAME_A NAME_B   calls run_NAME_A I and run_NAME_B I,
#                                            which write OUT/NAME.I with "%e %M"
#   times_table OUT RUNS NAME_A NAME_B       prints each run and the medians
counterbalanced() {
    local runs=$1 out=$2 a=$3 b=$4 i
    for i in $(seq "$runs"); do
        if [ $((i % 2)) -eq 1 ]; then "run_$a" "$i"; "run_$b" "$i"; else "run_$b" "$i"; "run_$a" "$i"; fi
    done
}
timed() { local file=$1; shift; /usr/bin/time -f "%e %M" -o "$file" "$@"; }
times_table() {
    /usr/bin/python3 - "$@" <<'PY'
import statistics, sys
out, runs, a, b = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def load(name):
    rows = [open(f"{out}/{name}.{i}").read().split() for i in range(1, runs + 1)]
    return [float(r[0]) for r in rows], [int(r[1]) / 1024 for r in rows]
aw, am = load(a)
bw, bm = load(b)
print(f"{'run':>4} {a + ' s':>14} {'MB':>8} {b + ' s':>14} {'MB':>8}")
for i in range(runs):
    print(f"{i+1:>4} {aw[i]:>14.2f} {am[i]:>8.0f} {bw[i]:>14.2f} {bm[i]:>8.0f}")
ma, mb = statistics.median(aw), statistics.median(bw)
print(f"median wall: {a} {ma:.3f} s, {b} {mb:.3f} s -> {b}/{a} = {mb/ma:.3f} ({ma/mb:.1f}x the speed of {a})")
print(f"peak RSS: {a} {max(am):.0f} MB, {b} {max(bm):.0f} MB -> {max(am)/max(bm):.1f}x")
PY
}
