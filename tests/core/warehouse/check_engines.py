#!/usr/bin/env python3
"""The warehouse query, run on real engines: for each simulated export, the
query that `srm-check --print-sql ENGINE` prints is run over the export loaded
into PostgreSQL 15 (a server this test starts in a temporary directory and
stops), SQLite (Python's sqlite3, the system library) and DuckDB (the
@duckdb/node-api package of tests/bench/duckdb). srm-check then diagnoses the
query's result, and its report must equal the report of the export itself:
every count, p-value, segment, check and step, with the input's description
and the traffic span's exact first and last second left out (the result
holds buckets, not events).

Usage: check_engines.py BIN_DIR [--engines postgresql,sqlite,duckdb] [--keep DIR]
"""
import argparse
import copy
import datetime
import csv
import io
import json
import math
import os
import pathlib
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile

SOURCE = pathlib.Path(__file__).resolve().parents[3]
DUCKDB_DIR = SOURCE / "tests" / "bench" / "duckdb"
DIMENSIONS = ["browser", "os", "country", "sdk_version"]

# name, srm-simulate options, extra --print-sql options, the same for srm-check
# on the export, and which parts of the report depend on time buckets finer
# than the query's (left out of the comparison).
CASES = [
    ("jumping_and_funnel", ["--scenario", "variant_jumping", "--event-type", "--users", "20000", "--seed", "3"], [], []),
    ("assignment_exposure_drop", ["--scenario", "assignment_exposure_drop", "--event-type", "--users", "20000", "--seed", "5"], [], []),
    ("segment_skew_three_arms", ["--scenario", "segment_skew", "--variants", "control=50,a=25,b=25", "--users", "30000", "--seed", "7"], [], []),
    ("deployment_drop_window", ["--scenario", "deployment_drop", "--event-type", "--users", "20000", "--seed", "11"],
     ["--window", "2026-03-04,2026-03-10T12:00:00Z"], ["--window", "2026-03-04,2026-03-10T12:00:00Z"]),
    ("allocation_change_daily", ["--scenario", "allocation_change", "--users", "20000", "--seed", "13"], ["--bucket", "day"], []),
    # Every 20th unit is assigned a second time, to the other variant, before its one exposure: not a variant jumper.
    ("assigned_twice", ["--scenario", "assignment_exposure_drop", "--event-type", "--users", "20000", "--seed", "19"], [], []),
    # Names that must be quoted: a table and a dimension with a double quote and a space.
    ("hostile_names", ["--scenario", "segment_skew", "--event-type", "--users", "10000", "--seed", "17"], [], []),
]
HOSTILE_TABLE = 'ev"ents of march'
HOSTILE_DIMENSION = 'brow"ser name\'s'


def quoted(name):
    return '"' + name.replace('"', '""') + '"'


def assign_twice(path, every):
    """After every `every`-th assignment row, the same unit assigned to the other variant a millisecond later."""
    rows = list(csv.reader(io.StringIO(pathlib.Path(path).read_text())))
    header, out, seen = rows[0], [rows[0]], 0
    t, v, e = header.index("timestamp"), header.index("variant"), header.index("event_type")
    for row in rows[1:]:
        out.append(row)
        if row[e] == "assignment":
            seen += 1
            if seen % every == 0:
                when = datetime.datetime.fromisoformat(row[t].replace("Z", "+00:00")) + datetime.timedelta(milliseconds=1)
                again = list(row)
                again[t] = when.isoformat(timespec="milliseconds").replace("+00:00", "Z")
                again[v] = "treatment" if row[v] == "control" else "control"
                out.append(again)
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(out)
    pathlib.Path(path).write_text(text.getvalue())
    return seen // every


def rename_column(path, old, new):
    lines = pathlib.Path(path).read_text().split("\n", 1)
    header = next(csv.reader([lines[0]]))
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([new if h == old else h for h in header])
    pathlib.Path(path).write_text(out.getvalue() + "\n" + lines[1])

# Report parts that differ by construction: how the input was read, and the
# exact span of traffic (the query's buckets start on the hour).
IGNORED_TOP = {"tool", "input", "scope", "window"}


def must(cmd, ok=(0,), **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode not in ok:
        raise SystemExit(f"FAIL: {' '.join(map(str, cmd))} exited {r.returncode}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return r


class Postgres:
    """A PostgreSQL server in a temporary directory, on a Unix socket only."""

    def __init__(self, root):
        self.dir = pathlib.Path(root) / "pg"
        self.dir.mkdir()
        self.bin = self.find_bin()
        self.as_user = []
        if os.geteuid() == 0:  # initdb refuses root: run the server as Debian's postgres user
            shutil.chown(self.dir, "postgres")
            os.chmod(root, 0o755)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]

    @staticmethod
    def find_bin():
        for d in sorted(pathlib.Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
            if (d / "initdb").exists():
                return d
        raise SystemExit("FAIL: no PostgreSQL server (Debian's postgresql package) under /usr/lib/postgresql")

    def start(self):
        data = self.dir / "data"
        must(self.as_user + [self.bin / "initdb", "-D", data, "-U", "srm", "--auth=trust", "-E", "UTF8", "--no-locale"])
        must(self.as_user + [self.bin / "pg_ctl", "-D", data, "-w", "-l", self.dir / "log",
                             "-o", f"-k {self.dir} -p {self.port} -c listen_addresses='' -c fsync=off", "start"])

    def stop(self):
        subprocess.run(self.as_user + [self.bin / "pg_ctl", "-D", self.dir / "data", "-m", "fast", "-w", "stop"], capture_output=True)

    def psql(self, *args, stdin=None):
        return must(self.as_user + ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.dir, "-p", str(self.port), "-U", "srm",
                                    "-d", "postgres", *args], input=stdin)

    def query(self, events_csv, table, sql, out_csv):
        header = next(csv.reader(open(events_csv)))
        cols = ", ".join(quoted(h) + (" timestamptz" if h == "timestamp" else " text") for h in header)
        self.psql("-c", f"DROP TABLE IF EXISTS {quoted(table)}", "-c", f"CREATE TABLE {quoted(table)} ({cols})")
        self.psql("-c", f"COPY {quoted(table)} FROM STDIN WITH (FORMAT csv, HEADER true)", stdin=open(events_csv).read())
        r = self.psql("--csv", "-c", sql)
        pathlib.Path(out_csv).write_text(r.stdout)


def sqlite_query(events_csv, table, sql, out_csv):
    con = sqlite3.connect(":memory:")
    with open(events_csv, newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        con.execute("CREATE TABLE %s (%s)" % (quoted(table), ", ".join(quoted(h) + " TEXT" for h in header)))
        con.executemany("INSERT INTO %s VALUES (%s)" % (quoted(table), ", ".join("?" * len(header))), rows)
    cur = con.execute(sql)
    with open(out_csv, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([d[0] for d in cur.description])
        for r in cur:
            w.writerow(["" if v is None else v for v in r])


def duckdb_query(events_csv, table, sql_file, out_csv):
    if not (DUCKDB_DIR / "node_modules" / "@duckdb" / "node-api").exists():
        raise SystemExit(f"FAIL: DuckDB for Node is not installed: run npm ci --prefix {DUCKDB_DIR} (.ci/install-deps test does)")
    must(["node", DUCKDB_DIR / "duckdb_query.mjs", events_csv, sql_file, out_csv, table], cwd=DUCKDB_DIR)


def check_opts_of_result(check_opts):
    """The --dimensions given for the export hold for the result too (its columns keep the names); the window does not (the query applied it)."""
    return check_opts if "--dimensions" in check_opts else []


def close(a, b):
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
        return a == b
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def differences(x, y, path=""):
    if isinstance(x, dict) and isinstance(y, dict):
        for k in sorted(set(x) | set(y)):
            if k not in x or k not in y:
                yield f"{path}/{k}: only in one report"
            else:
                yield from differences(x[k], y[k], f"{path}/{k}")
    elif isinstance(x, list) and isinstance(y, list):
        if len(x) != len(y):
            yield f"{path}: {len(x)} items against {len(y)}"
        for i, (u, v) in enumerate(zip(x, y)):
            yield from differences(u, v, f"{path}/{i}")
    elif not close(x, y):
        yield f"{path}: {str(x)[:160]!r} against {str(y)[:160]!r}"


def comparable(report, daily, windowed):
    r = {k: copy.deepcopy(v) for k, v in report.items() if k not in IGNORED_TOP}
    for c in r["checks"]:
        if c["id"] == "analysis_window":  # names the traffic's exact first and last second; a window's result knows no more
            c.pop("detail")
            if windowed:
                c.pop("status")
                c.pop("value")
    if daily:  # the query's day buckets against the file's hours: the time pattern is another fit
        for k in ("sequential", "time_pattern", "timeline", "changes", "steps", "verdict", "explanation"):
            r.pop(k, None)
        r["checks"] = [c for c in r["checks"] if c["id"] not in ("allocation_change", "variant_added_removed", "repeated_srm")]
        r.pop("health", None)
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin_dir")
    ap.add_argument("--engines", default="postgresql,sqlite,duckdb")
    ap.add_argument("--keep", help="keep the files here")
    a = ap.parse_args()
    bin_dir = pathlib.Path(a.bin_dir)
    engines = a.engines.split(",")
    work = pathlib.Path(a.keep) if a.keep else pathlib.Path(tempfile.mkdtemp(prefix="srm-warehouse-"))
    work.mkdir(parents=True, exist_ok=True)
    pg = None
    failures = []
    try:
        if "postgresql" in engines:
            pg = Postgres(work)
            pg.start()
        for name, sim, sql_opts, check_opts in CASES:
            events = work / f"{name}.csv"
            must([bin_dir / "srm-simulate", "--out", events, "--no-metrics", *sim])
            table, dims = "events", list(DIMENSIONS)
            if name == "assigned_twice":
                twice = assign_twice(events, 20)
            if name == "hostile_names":
                rename_column(events, "browser", HOSTILE_DIMENSION)
                table, dims = HOSTILE_TABLE, [HOSTILE_DIMENSION] + DIMENSIONS[1:]
                check_opts = ["--dimensions", ",".join(dims)]
            expected = json.loads(must([bin_dir / "srm-check", events, "--json", *check_opts], ok=(0, 1, 2)).stdout)
            if name == "assigned_twice":
                jumping = next(c for c in expected["checks"] if c["id"] == "variant_jumping")
                if twice < 100 or jumping["value"] != 0:
                    failures.append(f"assigned_twice: {twice} units assigned twice, the file's variant jumping {jumping['value']} (expected 0)")
            daily, windowed = "--bucket" in sql_opts, "--window" in sql_opts
            has_event = "--event-type" in sim
            for engine in engines:
                sql_args = ["--print-sql", engine, "--table", table, "--unit-col", "user_id", "--variant-col", "variant",
                            "--time-col", "timestamp", "--dimensions", ",".join(dims), *sql_opts]
                if has_event:
                    sql_args += ["--event-col", "event_type"]
                sql_file = work / f"{name}.{engine}.sql"
                sql_file.write_text(must([bin_dir / "srm-check", *sql_args]).stdout)
                result = work / f"{name}.{engine}.result.csv"
                if engine == "postgresql":
                    pg.query(events, table, sql_file.read_text(), result)
                elif engine == "sqlite":
                    sqlite_query(events, table, sql_file.read_text(), result)
                elif engine == "duckdb":
                    duckdb_query(events, table, sql_file, result)
                else:
                    raise SystemExit(f"FAIL: {engine} cannot run here")
                got = json.loads(must([bin_dir / "srm-check", result, "--json", *check_opts_of_result(check_opts)], ok=(0, 1, 2)).stdout)
                if got["input"]["shape"] != "aggregated" or got["input"]["rows_rejected"] != 0:
                    failures.append(f"{name} on {engine}: the result was read as {got['input']['shape']} "
                                    f"with {got['input']['rows_rejected']} rows rejected")
                diff = list(differences(comparable(expected, daily, windowed), comparable(got, daily, windowed)))
                units = got["srm"]["units"]
                if diff:
                    failures.append(f"{name} on {engine}: the query's result diagnoses differently:\n    " + "\n    ".join(diff[:20]))
                    print(f"FAIL {name} on {engine}")
                else:
                    print(f"ok   {name} on {engine}: {units} units, health {got['health']['state']}, "
                          f"{len(got['dimensions'])} dimensions, the same report")
    finally:
        if pg:
            pg.stop()
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("\n".join(failures))
        return 1
    print(f"all {len(CASES)} cases equal on {', '.join(engines)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
