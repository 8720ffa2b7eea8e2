#!/usr/bin/env python3
"""srm-check --db against a real PostgreSQL 15 server (started by this test in
a temporary directory, with password logins over TCP on 127.0.0.1, stopped
afterwards) and a SQLite file: the report of the table equals the report of
the export it was loaded from, count for count; the password never appears
in the output; a wrong password, a missing table, a server that is not
there and a connection dropped mid-query each end with a clear message and
their exit code, never a hang.

Usage: check_database.py BIN_DIR DATABASE_CANCEL_BIN
"""
import csv
import json
import os
import pathlib
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from check_engines import Postgres, comparable, differences, must, quoted  # noqa: E402

PASSWORD = "s3cr€t pass:@/"  # a character of every kind a URL must escape
COLUMNS = ["--table", "events", "--unit-col", "user_id", "--variant-col", "variant", "--time-col", "timestamp",
           "--event-col", "event_type", "--dimensions", "browser,os,country,sdk_version"]


def url_escape(s):
    return "".join(c if c.isalnum() or c in "-._~" else "".join(f"%{b:02X}" for b in c.encode()) for c in s)


class PasswordPostgres(Postgres):
    """The same server, but TCP logins need a password (scram-sha-256)."""

    def start(self):
        data = self.dir / "data"
        pwfile = self.dir / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if self.as_user:
            shutil.chown(pwfile, "postgres")
        must(self.as_user + [self.bin / "initdb", "-D", data, "-U", "srm", "--auth-local=trust", "--auth-host=scram-sha-256",
                             f"--pwfile={pwfile}", "-E", "UTF8", "--no-locale"])
        must(self.as_user + [self.bin / "pg_ctl", "-D", data, "-w", "-l", self.dir / "log",
                             "-o", f"-k {self.dir} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off", "start"])


def sqlite_table(db, name, csv_path):
    """A CSV file as a table of text columns in the SQLite database db."""
    con = sqlite3.connect(db)
    with open(csv_path, newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        con.execute("CREATE TABLE %s (%s)" % (name, ", ".join(quoted(h) + " TEXT" for h in header)))
        con.executemany("INSERT INTO %s VALUES (%s)" % (name, ", ".join("?" * len(header))), rows)
    con.commit()
    con.close()


def main():
    bin_dir = pathlib.Path(sys.argv[1])
    check = bin_dir / "srm-check"
    work = pathlib.Path(tempfile.mkdtemp(prefix="srm-db-"))
    failures = []

    def expect(what, ok):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    pg = PasswordPostgres(work)
    try:
        pg.start()
        events = work / "events.csv"
        must([bin_dir / "srm-simulate", "--out", events, "--no-metrics", "--scenario", "variant_jumping", "--event-type",
              "--users", "20000", "--seed", "3"])
        expected = json.loads(must([check, events, "--json"], ok=(0, 1, 2)).stdout)
        pg.query(events, "events", "SELECT 1", work / "ignored.csv")  # loads the table
        # A view that sleeps, to drop its connection mid-query.
        pg.psql("-c", "CREATE VIEW slow_events AS SELECT e.* FROM events e CROSS JOIN (SELECT pg_sleep(30)) s")
        base = f"postgresql://srm@127.0.0.1:{pg.port}/postgres"
        env = dict(os.environ, PGPASSWORD=PASSWORD, PGCONNECT_TIMEOUT="10")
        env.pop("PGPASSFILE", None)

        r = subprocess.run([check, "--db", base, *COLUMNS, "--json"], capture_output=True, text=True, env=env, timeout=120)
        got = json.loads(r.stdout) if r.stdout.startswith("{") else {}
        diff = list(differences(comparable(expected, False, False), comparable(got, False, False))) if got else ["no report: " + r.stderr]
        expect(f"--db PostgreSQL (PGPASSWORD): the report equals the export's, exit {r.returncode} = {expected['health']['exit_code']}"
               + ("" if not diff else "\n    " + "\n    ".join(diff[:10])), not diff and r.returncode == expected["health"]["exit_code"])
        expect("the input is named by the table and URL, as the workbench names it: " + got.get("input", {}).get("file", "?"),
               got.get("input", {}).get("file") == f"events on postgresql://srm@127.0.0.1:{pg.port}/postgres")

        in_url = f"postgresql://srm:{url_escape(PASSWORD)}@127.0.0.1:{pg.port}/postgres"
        no_pw = {k: v for k, v in env.items() if k != "PGPASSWORD"}
        r = subprocess.run([check, "--db", in_url, *COLUMNS, "--json", "--window", "2026-03-03,2026-03-08"], capture_output=True,
                           text=True, env=no_pw, timeout=120)
        expect("the password in the URL logs in, and appears nowhere in the output",
               r.returncode in (0, 1, 2) and PASSWORD not in r.stdout + r.stderr and "s3cr" not in r.stdout + r.stderr)
        windowed = json.loads(r.stdout) if r.stdout.startswith("{") else {}
        expect("a window applied by the query is said in the report's input warnings",
               any(w["code"] == "window_in_query" for w in windowed.get("input", {}).get("warnings", [])))

        # --max-dimension-values applies to the query's result as to a file:
        # the same dimensions left out of the breakdown (country has 9 values, browser and os 5).
        def dims(report):
            return [d["name"] for d in report.get("dimensions", [])]
        few_file = json.loads(must([check, events, "--json", "--max-dimension-values", "5"], ok=(0, 1, 2)).stdout)
        r = subprocess.run([check, "--db", base, *COLUMNS, "--json", "--max-dimension-values", "5"], capture_output=True, text=True,
                           env=env, timeout=120)
        few_db = json.loads(r.stdout) if r.stdout.startswith("{") else {}
        expect(f"--db --max-dimension-values 5: the breakdown's dimensions {dims(few_db)} = the file's {dims(few_file)}, fewer than all",
               dims(few_db) == dims(few_file) and len(dims(few_file)) < len(dims(expected)))

        wrong = dict(env, PGPASSWORD="wrong")
        t0 = time.monotonic()
        r = subprocess.run([check, "--db", base, *COLUMNS], capture_output=True, text=True, env=wrong, timeout=60)
        expect(f"a wrong password: exit 69 and the server's reason ({r.stderr.strip()[:120]})",
               r.returncode == 69 and "password authentication failed" in r.stderr and time.monotonic() - t0 < 30)

        r = subprocess.run([check, "--db", base, *COLUMNS[:0], "--table", "nope", *COLUMNS[2:]], capture_output=True, text=True,
                           env=env, timeout=60)
        expect(f"a missing table: exit 65 and the server's words ({r.stderr.strip()[:120]})",
               r.returncode == 65 and 'relation "nope" does not exist' in r.stderr)

        r = subprocess.run([check, "--db", f"postgresql://srm@127.0.0.1:{pg.port + 1 if pg.port < 65535 else 1}/postgres", *COLUMNS],
                           capture_output=True, text=True, env=env, timeout=60)
        expect(f"no server at the port: exit 69 ({r.stderr.strip()[:120]})", r.returncode == 69 and "cannot connect" in r.stderr)

        # Dropped mid-query: the server terminates the backend while the view sleeps.
        p = subprocess.Popen([check, "--db", base, "--table", "slow_events", *COLUMNS[2:]], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
        killed = False
        for _ in range(100):
            time.sleep(0.1)
            out = pg.psql("-At", "-c", "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                       "WHERE application_name = 'srm-workbench' AND query LIKE '%slow_events%'").stdout.strip()
            if out not in ("", "0"):
                killed = True
                break
        try:
            _, err = p.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            _, err = p.communicate()
        expect(f"a connection dropped mid-query: exit 69 within 30 s ({err.strip()[:140]})",
               killed and p.returncode == 69 and "connection" in err and "lost" in err)

        # Cancel (the workbench's): the client stops, and the statement is cancelled on the server.
        r = subprocess.run([sys.argv[2], base, "slow_events"], capture_output=True, text=True, env=env, timeout=60)
        running = "1"
        for _ in range(50):  # the server ends the cancelled statement at its next check
            running = pg.psql("-At", "-c", "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%slow_events%' "
                                           "AND state = 'active' AND pid <> pg_backend_pid()").stdout.strip()
            if running == "0":
                break
            time.sleep(0.1)
        expect(f"Cancel mid-query: {r.stdout.strip()}; the statement is no longer running on the server",
               r.returncode == 0 and running == "0")
    finally:
        pg.stop()

    # SQLite: the export as a database file.
    db = work / "events.db"
    sqlite_table(db, "events", events)
    r = subprocess.run([check, "--db", f"sqlite://{db}", *COLUMNS, "--json"], capture_output=True, text=True, timeout=120)
    got = json.loads(r.stdout) if r.stdout.startswith("{") else {}
    diff = list(differences(comparable(expected, False, False), comparable(got, False, False))) if got else ["no report: " + r.stderr]
    expect("--db SQLite: the report equals the export's" + ("" if not diff else "\n    " + "\n    ".join(diff[:10])), not diff)
    # Either end of --window alone is applied by the query too, and said so.
    tail = " were aggregated (--window, applied by the database query); the span outside it is not known here"
    for window, said in (("2026-03-03,", "only events from 2026-03-03T00:00:00Z to the end" + tail),
                         (",2026-03-08", "only events from the start to 2026-03-08T23:59:59Z" + tail),
                         ("2026-03-03,2026-03-08", "only events from 2026-03-03T00:00:00Z to 2026-03-08T23:59:59Z" + tail)):
        r = subprocess.run([check, "--db", f"sqlite://{db}", *COLUMNS, "--json", "--window", window], capture_output=True, text=True,
                           timeout=120)
        got = json.loads(r.stdout) if r.stdout.startswith("{") else {}
        msgs = [w["message"] for w in got.get("input", {}).get("warnings", []) if w["code"] == "window_in_query"]
        expect(f"--db SQLite --window {window}: the input warning says what the query aggregated ({msgs})", msgs == [said])
        # The result is the window already: it is not cut again, so no "whole span" p
        # (it would be the window's own) and no "N of N units" window scope.
        expect(f"--db SQLite --window {window}: the result is not diagnosed as a window again "
               f"({got.get('window', {}).get('whole_span_srm')}, {got.get('scope')})",
               got and "whole_span_srm" not in got["window"] and got["window"]["start"] is None and got["window"]["end"] is None
               and got["scope"]["all"] is True and "window" not in got["scope"])
    r = subprocess.run([check, "--db", f"sqlite://{db}", *COLUMNS, "--json"], capture_output=True, text=True, timeout=120)
    got = json.loads(r.stdout) if r.stdout.startswith("{") else {}
    expect("--db SQLite without --window: no window warning",
           got and not any(w["code"] == "window_in_query" for w in got["input"].get("warnings", [])))
    # --dimensions applies to the query's result as to a file: a numeric
    # column named as a dimension (a plan tier, 1 to 7) is one, not a metric.
    tiered = work / "tiered.csv"
    with open(events, newline="") as f, open(tiered, "w", newline="") as out:
        rows = csv.reader(f)
        w = csv.writer(out)
        header = next(rows)
        w.writerow(header + ["tier"])
        unit = header.index("user_id")
        for row in rows:
            w.writerow(row + [str(1 + sum(map(ord, row[unit])) % 7)])
    sqlite_table(db, "tiered", tiered)
    dims_args = ["--dimensions", "browser,tier"]
    tiers_file = json.loads(must([check, str(tiered), "--json", "--unit-col", "user_id", "--variant-col", "variant", "--time-col", "timestamp",
                                  "--event-col", "event_type", *dims_args], ok=(0, 1, 2)).stdout)
    r = subprocess.run([check, "--db", f"sqlite://{db}", "--table", "tiered", *COLUMNS[2:-2], *dims_args, "--json"], capture_output=True,
                       text=True, timeout=120)
    tiers_db = json.loads(r.stdout) if r.stdout.startswith("{") else {}
    expect(f"--db --dimensions browser,tier: the breakdown's dimensions {dims(tiers_db)} = the file's {dims(tiers_file)} = browser, tier",
           dims(tiers_db) == dims(tiers_file) and sorted(dims(tiers_file)) == ["browser", "tier"])
    r = subprocess.run([check, "--db", f"sqlite://{work}/missing.db", *COLUMNS], capture_output=True, text=True, timeout=60)
    expect(f"a SQLite file that is not there: exit 69 ({r.stderr.strip()[:100]})", r.returncode == 69 and "no SQLite database" in r.stderr)
    expect("the SQLite file was not created by trying", not (work / "missing.db").exists())

    shutil.rmtree(work, ignore_errors=True)
    if failures:
        print(f"{len(failures)} FAILED")
        return 1
    print("all database checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
