#!/usr/bin/env bash
# Ingestion benchmark: srm-check against DuckDB (@duckdb/node-api, 2 threads)
# on the same 10-million-row exposure file, side by side in one run.
#
#   tests/bench/run_ingest_bench.sh [ROWS_FILE]        (ROWS_FILE may be a .gz: both tools read it compressed)
#
# Builds the Release binaries (preset bench; SRM_CHECK=path uses that
# srm-check instead), generates the file with srm-simulate when it does not
# exist (default /tmp/srm-bench/events10m.csv; a .gz is gzip -6 of it),
# warms the page cache, then runs srm-check and DuckDB RUNS times each, in a
# counterbalanced order,
# (default 8) under /usr/bin/time, and prints wall time and peak RSS of each,
# their medians and ratios, and whether the two agree on the counts.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/bench_lib.sh
root=$(pwd)
file=${1:-/tmp/srm-bench/events10m.csv}
runs=${RUNS:-8}
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time
command -v node >/dev/null || { echo "node is needed for the DuckDB peer"; exit 2; }

srm_check=${SRM_CHECK:-build/bench/app/srm-check}
if [ -z "${SRM_CHECK:-}" ]; then cmake --preset bench >/dev/null && cmake --build --preset bench >/dev/null; fi
(cd tests/bench/duckdb && [ -d node_modules/@duckdb ] || npm ci --silent)

plain=${file%.gz}
if [ ! -f "$plain" ]; then
    mkdir -p "$(dirname "$plain")"
    "$(dirname "$srm_check")/srm-simulate" --users 6250000 --exposures-per-user 1.7 --no-metrics --seed 42 --out "$plain"
fi
if [ "$file" != "$plain" ] && [ ! -f "$file" ]; then gzip -6 -k -c "$plain" > "$file"; fi
echo "file: $file ($(du -h "$file" | cut -f1), $(($(wc -l < "$plain") - 1)) rows)"
cat "$file" > /dev/null  # warm page cache

out=$(mktemp -d)
run_srm() { timed "$out/srm.$1" "$srm_check" "$file" --json > "$out/srm.json" || [ $? -ne 65 ]; }
run_duck() { timed "$out/duck.$1" node tests/bench/duckdb/duckdb_bench.mjs "$file" > "$out/duck.json"; }
counterbalanced "$runs" "$out" srm duck
times_table "$out" "$runs" duck srm
/usr/bin/python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
srm = json.load(open(f"{out}/srm.json"))
duck = json.load(open(f"{out}/duck.json"))
ours = {v["name"]: v["observed"] for v in srm["srm"]["variants"]}
ok = ours == duck["per_variant"] and srm["srm"]["units"] == duck["units"]
browser = {}
for d in srm.get("dimensions", []):
    if d["name"] == "browser":
        for s in d["segments"]:
            for v, n in s["counts"].items():
                browser[f"{v}|{s['value']}"] = n
if browser:
    ok = ok and browser == duck["per_browser"]
days = {}
for v, series in srm.get("timeline", {}).get("daily_new_units", {}).items():
    for d, n in series.items():
        days[f"{v}|{d}"] = n
if days:
    ok = ok and days == duck["per_day"]
print("counts agree (units, per variant" + (", per browser" if browser else "") + (", per day" if days else "") +
      "):", "yes" if ok else "NO")
sys.exit(0 if ok else 1)
PY
if [ -x build/bench/tests/bench/bench_diagnosis ] && [ "$file" = "$plain" ]; then
    echo
    echo "diagnosis on the loaded file (bench_diagnosis):"
    build/bench/tests/bench/bench_diagnosis "$file" 5
fi
