#!/usr/bin/env python3
"""The warehouse query for the engines that cannot run here, checked with a
parser of each dialect (tests/core/warehouse/parsers: node-sql-parser's PEG
grammars for BigQuery, Snowflake, Redshift, Trino and PostgreSQL;
dt-sql-parser's ANTLR 4 grammars for Spark SQL and Trino). Every option that
changes the query's text is printed for every engine and parsed; names that
need escaping (a quote, a backtick, a space) go to the ANTLR parsers, which
know the escapes (node-sql-parser does not: it rejects PostgreSQL's own
doubled quote). ClickHouse has no parser that installs here: its query is
only printed (its quoting is asserted in tst_sql). A corrupted copy of each
query must fail to parse, so that the check can fail.

Usage: check_dialects.py BIN_DIR
"""
import pathlib
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
PARSERS = HERE / "parsers"
PARSED = ["bigquery", "snowflake", "redshift", "trino", "databricks", "postgresql"]
ESCAPES_KNOWN = ["databricks", "trino"]  # by the ANTLR grammars

BASE = ["--unit-col", "user_id", "--variant-col", "variant", "--time-col", "timestamp"]
VARIANTS = {
    "full": ["--table", "proj.dataset.events", "--dimensions", "browser,country,sdk_version", "--event-col", "event_type",
             "--window", "2026-03-02,2026-03-05T12:00:00Z"],
    "plain_daily": ["--table", "events", "--bucket", "day"],
    "start_only": ["--table", "analytics.exposures", "--dimensions", "os", "--window", "2026-03-02,"],
    "hostile": ["--table", 'we"ird.ta`ble', "--dimensions", 'brow"ser,co`untry,two words', "--event-col", "ev`ent"],
}


def main():
    bin_dir = pathlib.Path(sys.argv[1])
    if not (PARSERS / "node_modules" / "node-sql-parser").exists():
        print(f"FAIL: the parsers are not installed: run npm ci --prefix {PARSERS} (.ci/install-deps test does)")
        return 1
    work = pathlib.Path(tempfile.mkdtemp(prefix="srm-dialects-"))
    good, bad, antlr_only = [], [], []
    for name, opts in VARIANTS.items():
        for engine in PARSED + ["clickhouse"]:
            r = subprocess.run([bin_dir / "srm-check", "--print-sql", engine, *BASE, *opts], capture_output=True, text=True)
            if r.returncode != 0 or "SELECT" not in r.stdout:
                print(f"FAIL: --print-sql {engine} ({name}) exited {r.returncode}: {r.stderr}")
                return 1
            if engine == "clickhouse":
                continue
            f = work / f"{name}.{engine}.sql"
            f.write_text(r.stdout)
            if name == "hostile":
                if engine in ESCAPES_KNOWN:
                    antlr_only.append(f)
                continue
            good.append(f)
            if name == "full":  # the control: a query without its last FROM does not parse
                b = work / f"corrupted.{engine}.sql"
                b.write_text(r.stdout.replace("FROM srm_units", "srm_units"))
                bad.append(b)

    def parse(files, *flags):
        return subprocess.run(["node", "--import", "./register.mjs", "parse_sql.mjs", *flags, *map(str, files)], cwd=PARSERS,
                              capture_output=True, text=True)

    failed = False
    r = parse(good)
    print(r.stdout, end="")
    failed |= r.returncode != 0
    r = parse(antlr_only, "--antlr-only")
    print(r.stdout, end="")
    failed |= r.returncode != 0
    r = parse(bad)
    wrongly = [line for line in r.stdout.splitlines() if line.startswith("ok ")]
    if r.returncode == 0 or wrongly:
        print("FAIL: a corrupted query parsed:\n" + "\n".join(wrongly))
        failed = True
    else:
        print(f"ok   the {len(bad)} corrupted queries are rejected by every parser")
    shutil.rmtree(work, ignore_errors=True)
    if failed:
        print("FAIL")
        return 1
    print(f"parsed: {', '.join(PARSED)}; printed only: clickhouse")
    return 0


if __name__ == "__main__":
    sys.exit(main())
