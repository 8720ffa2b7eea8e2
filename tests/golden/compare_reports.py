#!/usr/bin/env python3
"""Golden comparison of two builds of srm-check.

Runs the same inputs through a baseline and a candidate build and compares
exit codes, stderr and the --json and text reports. Used when code is
restructured (results must not change) and, with --allow-added, when a
change only adds report fields (every field the baseline printed must keep
its value).

    tests/golden/compare_reports.py OLD_BIN_DIR NEW_BIN_DIR [--allow-added] [--keep DIR]

Each BIN_DIR holds srm-check and srm-simulate. The inputs are written with
the *baseline* srm-simulate (so both builds read the same bytes), and the
candidate's srm-simulate is checked to write the same bytes. Inputs: the
bundled sample, every srm-simulate scenario (with change log, allocation
history, aggregated counts), dialect variants, windows, counts and the
reference vectors, and bad inputs (exit code and message).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
SAMPLE = os.path.join(SOURCE, "resources", "sample")

SCENARIOS = ["healthy", "bucketing_defect", "deployment_drop", "gradual_attrition", "segment_skew",
             "variant_jumping", "allocation_change", "assignment_exposure_drop"]


def run(cmd, cwd=None):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True)
    return p.returncode, p.stdout, p.stderr


def simulate(bindir, work, name, args):
    """Writes one simulated experiment; returns its paths."""
    base = os.path.join(work, name)
    paths = {"events": base + ".csv", "changes": base + ".changes.csv", "alloc": base + ".alloc.csv",
             "agg": base + ".agg.csv"}
    cmd = [os.path.join(bindir, "srm-simulate"), "--out", paths["events"], "--changes", paths["changes"],
           "--allocation", paths["alloc"], "--aggregated", paths["agg"]] + args
    code, out, err = run(cmd)
    if code != 0:
        sys.exit("srm-simulate failed for %s: %s" % (name, err.decode()))
    return paths


def cases(old_bin, work):
    """(name, srm-check arguments) pairs."""
    out = []
    sample = os.path.join(SAMPLE, "exposures.csv")
    changes = os.path.join(SAMPLE, "changes.csv")
    out.append(("sample", [sample]))
    out.append(("sample-expected-changes", [sample, "--expected", "control=50,treatment=50", "--changes", changes]))
    out.append(("sample-window", [sample, "--window", "2026-03-05,2026-03-10", "--changes", changes]))
    out.append(("sample-window-open-end", [sample, "--window", "2026-03-09T12:00:00Z,"]))
    out.append(("sample-thresholds", [sample, "--warn-alpha", "0.05", "--severe-alpha", "0.0001", "--min-practical-pp", "1"]))
    out.append(("sample-segments", [sample, "--min-segment-units", "500", "--max-dimension-values", "3", "--near-hours", "6"]))
    out.append(("sample-dims", [sample, "--dimensions", "browser,os", "--metrics", "crashed"]))
    for s in SCENARIOS:
        p = simulate(old_bin, work, s, ["--scenario", s, "--users", "20000", "--seed", "7"])
        out.append((s, [p["events"], "--changes", p["changes"]]))
        out.append((s + "-alloc", [p["events"], "--allocation", p["alloc"], "--changes", p["changes"]]))
        out.append((s + "-agg", [p["agg"]]))
    extra = {
        "three-arms": ["--variants", "a=1,b=1,c=2", "--scenario", "bucketing_defect"],
        "events-typed": ["--event-type", "--scenario", "assignment_exposure_drop"],
        "inclusion": ["--inclusion"],
        "semicolon-crlf-bom": ["--delimiter", ";", "--crlf", "--bom"],
        "quoted-tab": ["--quote-all", "--delimiter", "tab"],
        "epoch-ms": ["--time-format", "epoch-ms"],
        "epoch-s": ["--time-format", "epoch-s"],
        "iso-offset": ["--time-format", "iso-offset"],
        "date-only": ["--time-format", "date", "--scenario", "gradual_attrition"],
        "no-dims": ["--no-dimensions", "--no-metrics", "--scenario", "deployment_drop"],
        "long": ["--days", "800", "--users", "30000", "--scenario", "gradual_attrition"],
    }
    for name, args in extra.items():
        if "--users" not in args:
            args = args + ["--users", "15000"]
        p = simulate(old_bin, work, name, args + ["--seed", "11"])
        out.append((name, [p["events"]]))
    three = os.path.join(work, "three-arms.csv")
    out.append(("three-arms-expected", [three, "--expected", "a=1,b=1,c=2"]))
    out.append(("three-arms-missing-arm", [three, "--expected", "a=1,b=1,c=1,d=1"]))
    out.append(("three-arms-unplanned", [three, "--expected", "a=1,b=1"]))
    out.append(("forced-columns", [os.path.join(work, "healthy.csv"), "--variant-col", "variant", "--unit-col", "user_id",
                                    "--time-col", "timestamp", "--shape", "events"]))
    for f in ("reference-srm-vectors.csv", "own-srm-vectors.csv"):
        with open(os.path.join(SOURCE, "tests", "data", f)) as fh:
            next(fh)
            for i, line in enumerate(fh):
                obs, weights = line.split(";")[:2]
                obs, weights = obs.split(), weights.split()
                names = ["v%d" % j for j in range(len(obs))]
                out.append(("%s-%d" % (f, i), ["--counts", ",".join("%s=%s" % x for x in zip(names, obs)),
                                              "--expected", ",".join("%s=%s" % x for x in zip(names, weights))]))
    # Bad and awkward inputs.
    bad = {
        "bad-rows.csv": "timestamp,user_id,variant\n2026-03-01T00:00:00Z,u1,control\n2026-03-01T00:00:01Z,u2\n"
                        "nonsense,u3,treatment\n2026-03-01T00:00:03Z,,treatment\n2026-03-01T00:00:04Z,u5,\n"
                        "2026-03-01T00:00:05Z,u6,treatment,extra\n2026-03-01T00:00:06Z,u7,\"treatment\"\n"
                        "2026-03-01T00:00:07Z,u8,\"control\n",
        "empty.csv": "",
        "header-only.csv": "timestamp,user_id,variant\n",
        "one-variant.csv": "user_id,variant\nu1,a\nu2,a\n",
        "no-variant.csv": "foo,bar\n1,x\n2,y\n",
        "counts.csv": "variant,users\ncontrol,1000\ntreatment,1100\n",
        "counts-bad.csv": "variant,users\ncontrol,1000\ntreatment,1x0\n",
        "small.csv": "user_id,variant\nu1,a\nu2,a\nu3,a\nu4,b\n",
    }
    bad.update(awkward())
    bad["hostile-invalid-utf8.csv"] = (b"user_id,variant,br\xffowser\n" +
                                       b"".join(b"u%d,%s,\xc3\x28x%d\n" % (i, b"ab"[i % 2:i % 2 + 1], i % 3) for i in range(600)))
    bad["hostile-nul.csv"] = b"user_id,variant\nu1,a\x00b\nu2,b\n"
    for name, text in bad.items():
        path = os.path.join(work, name)
        with open(path, "wb") as fh:
            fh.write(text if isinstance(text, bytes) else text.encode())
        if not name.endswith(".side.csv"):
            out.append((name, [path]))
    out.append(("sample-two-near-changes", [sample, "--changes", os.path.join(work, "two-near.side.csv")]))
    out.append(("three-arms-unplanned-middle", [three, "--expected", "a=1,c=1"]))
    out.append(("three-arms-planned-zero-middle", [three, "--expected", "a=1,b=0,c=1"]))
    out.append(("sample-window-from-before-the-traffic", [sample, "--window", "2026-02-20,2026-03-10"]))
    out.append(("counts-monte-carlo", ["--counts", "a=2,b=3,c=4,d=1,e=5,f=2,g=3,h=4,i=2,j=6,k=3,l=4,m=2,n=5"]))
    out.append(("sample-expected-all-zero", [sample, "--expected", "control=0,treatment=0"]))
    out.append(("one-row-per-unit-window-few-outside", [os.path.join(work, "unit-level.csv"), "--window", "2026-03-01,2026-03-09T20:00:00Z"]))
    out.append(("zero-weight-phase", [os.path.join(work, "healthy.csv"), "--allocation", os.path.join(work, "zero-phase.side.csv")]))
    out.append(("one-row-per-unit-window", [os.path.join(work, "unit-level.csv"), "--window", "2026-03-01,2026-03-05"]))
    out.append(("strict", [os.path.join(work, "bad-rows.csv"), "--strict"]))
    out.append(("window-outside", [os.path.join(work, "bad-rows.csv"), "--window", "2027-01-01,2027-02-01"]))
    out.append(("usage", ["--counts", "a=1", "--bogus"]))
    out.append(("missing-file", [os.path.join(work, "nope.csv")]))
    return out


def rows(header, items):
    return header + "\n" + "".join(line + "\n" for line in items)


def awkward():
    """Small inputs at the edges of the report's rules (file name: text); *.side.csv are side files."""
    t = lambda i: "2026-03-%02dT%02d:%02d:00Z" % (1 + i // 1440 % 9, i // 60 % 24, i % 60)  # noqa: E731
    out = {}
    # The funnel at the warn level beside an SRM at the warn level: assignments 1100 : 1000, exposures 1048 : 922.
    ev = []
    for v, assigned, exposed, base in (("control", 1100, 1048, 0), ("treatment", 1000, 922, 5000)):
        for i in range(assigned):
            ev.append("%s,u%d,%s,assignment" % (t(base + i), base + i, v))
            if i < exposed:
                ev.append("%s,u%d,%s,exposure" % (t(base + i + 1), base + i, v))
    out["funnel-warn.csv"] = rows("timestamp,user_id,variant,event_type", ev)
    # A variant with exposures but no assignment events, beside two with both.
    ev = []
    for v, assigned, exposed, base in (("a", 400, 380, 0), ("b", 400, 360, 1000)):
        for i in range(assigned):
            ev.append("%s,u%d,%s,assignment" % (t(base + i), base + i, v))
            if i < exposed:
                ev.append("%s,u%d,%s,exposure" % (t(base + i), base + i, v))
    ev += ["%s,u%d,c,exposure" % (t(2000 + i), 2000 + i) for i in range(370)]
    out["funnel-unassigned-arm.csv"] = rows("timestamp,user_id,variant,event_type", ev)
    # An equal split assumed, the units split 65 : 35 (15 pp off).
    out["counts-unequal.csv"] = "variant,users\ncontrol,650\ntreatment,350\n"
    # One row per unit with 7 % and 4 % of the rows repeating an earlier id.
    for name, repeats in (("repeats-7pct.csv", 70), ("repeats-4pct.csv", 40)):
        out[name] = rows("timestamp,user_id,variant", ["%s,u%d,%s" % (t(i * 7), i, "ab"[i % 2]) for i in range(1000)] +
                         ["%s,u%d,%s" % (t(7000 + i), i, "ab"[i % 2]) for i in range(repeats)])
    # One row per unit over nine days (read with a window of its first four).
    out["unit-level.csv"] = rows("timestamp,user_id,variant", ["%s,u%d,%s" % (t(i * 13), i, "ab"[i % 3 == 0]) for i in range(1000)])
    # A metric where one of three arms has a single unit.
    out["metric-one-unit-arm.csv"] = rows("user_id,variant,crashed", ["u%d,%s,%d" % (i, "ab"[i % 2], int(i % 7 == 0)) for i in range(600)] +
                                          ["u9999,c,1"])
    # A leap second, and columns known only by their names' patterns.
    out["leap-second.csv"] = rows("timestamp,user_id,variant", ["2026-03-01T23:59:60Z,u0,control", "2026-03-01T23:59:60+00:00,u00,treatment",
                                                                 "2026-03-01 23:59:60.5,u000,control"] +
                                  ["%s,u%d,%s" % (t(i), i + 1, ("control", "treatment")[i % 2]) for i in range(300)])
    out["name-patterns.csv"] = rows("exposed_at,visitor_key,test_cohort,crashed",
                                    ["%s,k%d,%s,%d" % (t(i * 3), i, ("x1", "x2")[i % 5 == 0], i % 2) for i in range(500)])
    # Two changes near the change point (4 h after it and 10 h before), the nearer listed last.
    out["two-near.side.csv"] = ("timestamp,kind,description\n2026-03-07T10:00:00Z,config,Earlier config change\n"
                                "2026-03-08T00:00:00Z,deployment,The nearer deployment\n")
    # Hostile inputs: a negative count in a column named like counts, counts whose total passes 2^64, counts
    # that look like epoch nanoseconds, 300 variants in a column named variant, names and values that are not
    # UTF-8, a 100 KB dimension value, NUL bytes, two columns of one name.
    out["hostile-negative-count.csv"] = "variant,users\na,100\nb,-5\nc,120\n"
    out["hostile-count-total-overflow.csv"] = "variant,users\na,9223372036854775808\nb,9223372036854775808\n"
    out["hostile-epoch-like-counts.csv"] = "variant,users\na,4611686018427387904\nb,4611686018427387904\n"
    out["hostile-300-variants.csv"] = rows("user_id,variant", ["u%d,v%d" % (i, i % 300) for i in range(3000)])
    out["hostile-long-value.csv"] = rows("user_id,variant,browser", ["u%d,%s,%s" % (i, "ab"[i % 2], "x" * 100000 if i == 5 else "c")
                                                                      for i in range(400)])
    out["hostile-duplicate-header.csv"] = rows("user_id,variant,variant", ["u%d,%s,%s" % (i, "ab"[i % 2], "ba"[i % 2]) for i in range(200)])
    # A gradual SRM inside Safari (treatment falls from 12 to 6 an hour over ten days) with a crash rate that
    # differs between the variants: a symptom (eligibility), not tracking.
    ev, u = [], 0
    for h in range(240):
        ts = "2026-03-%02dT%02d:00:00Z" % (1 + h // 24, h % 24)
        for browser, nc, nt in (("Chrome", 20, 20), ("Safari", 12, round(12 - 6 * h / 239))):
            for v, n in (("control", nc), ("treatment", nt)):
                for _ in range(n):
                    ev.append("%s,u%d,%s,%s,%d" % (ts, u, v, browser, int((u * 7) % 100 < (20 if v == "treatment" else 5))))
                    u += 1
    out["gradual-in-a-segment-with-a-symptom.csv"] = rows("timestamp,user_id,variant,browser,crashed", ev)
    # A column that mirrors the variant, disagreeing on 3 rows, beside 20 rejected rows (the share is of the rows read).
    mirror = ["2026-03-01T%02d:%02d:00Z,u%d,%s,%s" % (i // 60 % 24, i % 60, i, ("control", "treatment")[i % 2],
                                                  ("ctrl", "test")[(i % 2) ^ (i in (7, 100, 901))]) for i in range(1200)]
    mirror += ["not a time,x%d,control,ctrl" % i for i in range(20)]
    out["mirror-with-rejected-rows.csv"] = rows("timestamp,user_id,variant,arm_label", mirror)
    # An allocation history whose second phase gives every variant weight 0.
    out["zero-phase.side.csv"] = "timestamp,control,treatment\n2026-03-01T00:00:00Z,50,50\n2026-03-06T00:00:00Z,0,0\n"
    return out


def strip_added(old, new):
    """new restricted to the keys old has (recursively; lists element-wise)."""
    if isinstance(old, dict) and isinstance(new, dict):
        return {k: strip_added(old[k], new[k]) if k in new else new.get(k) for k in old if k in new}
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [strip_added(a, b) for a, b in zip(old, new)]
    return new


RESULT_KEYS = ["srm", "sequential", "time_pattern", "timeline", "group_metrics", "dimensions", "ranked_segments"]


def results(j):
    """The statistical results of a report, without wording."""
    out = {k: j.get(k) for k in RESULT_KEYS}
    if isinstance(out.get("time_pattern"), dict):
        out["time_pattern"] = {k: v for k, v in out["time_pattern"].items() if k != "evidence"}
    out["checks"] = {c["id"]: [c["status"], c.get("value")] for c in j.get("checks", [])}
    out["verdict"] = (j["verdict"]["srm"], j["verdict"]["type"]) if "verdict" in j else None
    out["rows"] = (j["input"]["rows_read"], j["input"]["rows_rejected"]) if "input" in j else None
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--allow-added", action="store_true", help="ignore fields only the candidate prints")
    ap.add_argument("--results-only", action="store_true",
                    help="compare only the statistical results (srm, sequential, time pattern, timeline, metrics, dimensions, "
                         "segments, check statuses and values, verdict srm and type), not the wording or what was read")
    ap.add_argument("--keep", help="write the inputs here instead of a temporary folder")
    a = ap.parse_args()
    work = a.keep or tempfile.mkdtemp(prefix="srm-golden-")
    os.makedirs(work, exist_ok=True)
    all_cases = cases(a.old, work)
    failures = 0
    # The candidate's simulator must write the same bytes.
    check = os.path.join(work, "candidate-sim")
    os.makedirs(check, exist_ok=True)
    for s in SCENARIOS:
        p = simulate(a.new, check, s, ["--scenario", s, "--users", "20000", "--seed", "7"])
        for kind, path in p.items():
            with open(path, "rb") as x, open(os.path.join(work, os.path.basename(path)), "rb") as y:
                if x.read() != y.read():
                    print("DIFF simulate %s %s" % (s, kind))
                    failures += 1
    for name, args in all_cases:
        for mode in ("json", "text"):
            extra = ["--json"] if mode == "json" else []
            oc, oo, oe = run([os.path.join(a.old, "srm-check")] + args + extra)
            nc, no, ne = run([os.path.join(a.new, "srm-check")] + args + extra)
            problems = []
            if oc != nc:
                problems.append("exit %d -> %d" % (oc, nc))
            if oe != ne and not a.results_only:
                problems.append("stderr %r -> %r" % (oe.decode()[:200], ne.decode()[:200]))
            if mode == "json" and oo and no:
                oj, nj = json.loads(oo), json.loads(no)
                if a.results_only:
                    oj, nj = results(oj), results(nj)
                if a.allow_added:
                    nj = strip_added(oj, nj)
                if oj != nj:
                    problems.append("json differs")
                    with open(os.path.join(work, name + ".old.json"), "wb") as fh:
                        fh.write(oo)
                    with open(os.path.join(work, name + ".new.json"), "wb") as fh:
                        fh.write(no)
            elif mode == "text" and oo != no and not a.results_only:
                problems.append("text differs")
            if problems:
                failures += 1
                print("DIFF %s (%s): %s" % (name, mode, "; ".join(problems)))
    print("%d cases x 2 modes compared, %d differences (inputs in %s)" % (len(all_cases), failures, work))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
