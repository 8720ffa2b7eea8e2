#!/usr/bin/env python3
"""srm-check's reader against an independent one, on random event files.

Each file is written from a known list of rows, in a random dialect: the
delimiter (, ; tab |), LF or CRLF, a UTF-8 BOM or not, columns in any order,
times in one of six layouts (ISO 8601 with Z, with milliseconds, with a space
and no zone, with another zone's offset; epoch seconds or milliseconds),
fields quoted at random (some holding the delimiter, a quote or a line
break), blank lines before the header and between rows, an event-type column or none, a unit
column or none, two or three variants, repeated units and units exposed to
two variants, and rows that must be rejected (an empty or missing variant,
a time that is no time or a missing-value marker such as NA, a field missing, an empty unit id). What the report
must say follows from the rows alone, with Python's csv module as the
reader's check: the rows read, the blank lines, each rejected row's line
and message, the rows of other event types, each variant's units (a unit
counts in the variant of its first exposure, ties in time, which are
many, in file order), the timeline's resolution (days for dates alone or
more than three days, else hours) and the new units of each time bin, each browser's units per variant (a unit in the browser of its
first exposure), the first and last time of the traffic, and the share of units
seen in more than one variant. Every third file is of counts instead (a
time bucket of hours or days, a variant, a browser and one of five count
column names; counts written as 12 or 12.0, bad counts and missing
variants rejected), whose units are the counts' sums. (The report names a tab
delimiter as the two characters \\t, as srm-check's --delimiter takes it.)

Usage: check_reader.py BIN_DIR [--files N] [--seed S] [--keep DIR]
"""
import argparse
import csv
import datetime
import io
import json
import pathlib
import random
import subprocess
import sys
import tempfile

T0 = datetime.datetime(2026, 3, 1, tzinfo=datetime.timezone.utc)
EXPOSURE_WORDS = ["exposure", "impression", "$exposure"]
ASSIGNMENT_WORDS = ["assignment", "$assignment"]
OTHER_WORDS = ["click", "purchase"]


def make_case(rng, index):
    """The rows of one file and what the report must say about them."""
    arms = ["control", "treatment"] if rng.random() < 0.7 else ["a", "b", "c"]
    with_unit = rng.random() < 0.8
    with_event = rng.random() < 0.5
    layout = rng.choice(["iso", "iso_ms", "space", "offset", "epoch_s", "epoch_ms"])
    millis = layout in ("iso_ms", "epoch_ms")
    columns = ["timestamp", "variant", "browser"] + (["user_id"] if with_unit else []) + (["event_type"] if with_event else [])
    rng.shuffle(columns)
    browsers = ["Chrome", "Firefox", "Safari", "Edge, legacy", 'Opera "GX"', "Samsung\nInternet"]
    n_units = rng.randint(60, 220)
    rows, expected_errors = [], []
    first = {}  # unit -> (time, order, variant) of its first exposure
    seen_variants = {}
    counts = {a: 0 for a in arms}
    other = 0
    for u in range(n_units):
        arm = arms[rng.randrange(len(arms))] if rng.random() < 0.9 else arms[0]
        t = None
        for r in range(rng.choice([1, 1, 1, 2, 3])):
            if t is None or rng.random() < 0.6:  # else the same time as the unit's row before: a tie, settled by file order
                t = T0 + datetime.timedelta(seconds=rng.randint(0, 3 * 86400), milliseconds=rng.randint(0, 999) if millis else 0)
            variant = arm
            if with_unit and r > 0 and rng.random() < 0.15:
                variant = arms[(arms.index(arm) + 1) % len(arms)]  # seen in another variant too
            kind = "exposure"
            if with_event:
                x = rng.random()
                kind = "assignment" if x < 0.15 else "other" if x < 0.3 else "exposure"
            row = {"timestamp": t, "variant": variant, "browser": rng.choice(browsers), "user_id": f"u{index}-{u}",
                   "event_type": rng.choice({"exposure": EXPOSURE_WORDS, "assignment": ASSIGNMENT_WORDS, "other": OTHER_WORDS}[kind]),
                   "kind": kind, "bad": None}
            rows.append(row)
    rng.shuffle(rows)
    # Rows the reader must reject, each of one kind.
    for _ in range(rng.randint(0, 6)):
        bad = dict(rng.choice(rows))
        bad["bad"] = rng.choice(["empty variant", "missing variant", "time", "missing time", "field", "unit"] if with_unit else
                                ["empty variant", "missing variant", "time", "missing time", "field"])
        rows.insert(rng.randrange(len(rows) + 1), bad)
    return {"arms": arms, "columns": columns, "rows": rows, "with_unit": with_unit, "with_event": with_event, "layout": layout}


def time_text(t, layout, rng):
    ms = t.microsecond // 1000
    if layout == "iso":
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")
    if layout == "iso_ms":
        return t.strftime("%Y-%m-%dT%H:%M:%S") + f".{ms:03d}Z"
    if layout == "space":  # no zone: UTC
        return t.strftime("%Y-%m-%d %H:%M:%S")
    if layout == "offset":  # the same instant in another zone
        hours = rng.choice([-7, -5, 0, 1, 2, 9])
        return t.astimezone(datetime.timezone(datetime.timedelta(hours=hours))).isoformat()
    seconds = int(t.timestamp())
    return str(seconds) if layout == "epoch_s" else str(seconds * 1000 + ms)


def write_case(rng, case, path):
    """Writes the file; returns what the report must say."""
    delimiter = rng.choice([",", ";", "\t", "|"])
    crlf = rng.random() < 0.4
    bom = rng.random() < 0.2
    eol = "\r\n" if crlf else "\n"
    cols = case["columns"]

    def field(text, force=False):
        needs = any(c in text for c in (delimiter, '"', "\n", "\r"))
        if needs or force or rng.random() < 0.1:
            return '"' + text.replace('"', '""') + '"'
        return text

    out = io.StringIO()
    leading = rng.choice([0, 0, 0, 0, 0, 1, 2, 3])  # blank lines before the header: skipped, not counted, but they are lines
    out.write(eol * leading)
    out.write(delimiter.join(field(c) for c in cols) + eol)
    line = 2 + leading
    rows_read = blank = other = 0
    errors = []
    first = {}
    browser_of = {}  # a unit's segment: the browser of its first exposure
    variants_of = {}
    counts = {a: 0 for a in case["arms"]}
    exposed_rows = 0
    for order, row in enumerate(case["rows"]):
        while rng.random() < 0.05:
            out.write(eol)
            line += 1
            blank += 1
        values = {"timestamp": time_text(row["timestamp"], case["layout"], rng), "variant": row["variant"], "browser": row["browser"],
                  "user_id": row["user_id"], "event_type": row["event_type"]}
        bad = row["bad"]
        message = None
        if bad == "empty variant":
            values["variant"], message = "", "empty variant"
        elif bad == "missing variant":
            values["variant"], message = "NA", "missing variant 'NA'"
        elif bad == "time":
            values["timestamp"], message = "not a time", "unparsable time 'not a time'"
        elif bad == "missing time":  # a missing-value marker is not an unparsable time
            values["timestamp"] = rng.choice(["NA", "null", "None", "-", "n/a", "NaN"])
            message = f"missing time '{values['timestamp']}'"
        elif bad == "unit":
            values["user_id"], message = "", "empty unit id"
        fields = [field(values[c]) for c in cols]
        if bad == "field":
            fields = fields[:-1]
            message = f"expected {len(cols)} fields, found {len(cols) - 1}"
        text = delimiter.join(fields)
        out.write(text + eol)
        rows_read += 1
        if message:
            errors.append({"line": line, "message": message})
        else:
            if case["with_event"] and row["kind"] == "other":
                other += 1
            elif row["kind"] == "exposure":
                exposed_rows += 1
                key = row["user_id"] if case["with_unit"] else ("row", order)
                variants_of.setdefault(key, set()).add(row["variant"])
                at = (row["timestamp"], order)
                if key not in first or at < first[key][0]:
                    first[key] = (at, row["variant"])
                    browser_of[key] = row["browser"]
        line += text.count("\n") + 1
    data = out.getvalue()
    # The independent reader reads the file back: the rows it sees are those written.
    check = list(csv.reader(io.StringIO(data, newline=""), delimiter=delimiter))
    records = [r for r in check if r][1:]
    if len(records) != rows_read:
        raise SystemExit(f"the check's own reader sees {len(records)} rows, not {rows_read}")
    for a in case["arms"]:
        counts[a] = sum(1 for _, v in first.values() if v == a)
    jumped = sum(1 for v in variants_of.values() if len(v) > 1)
    raw = data.encode("utf-8")
    pathlib.Path(path).write_bytes((b"\xef\xbb\xbf" if bom else b"") + raw)
    segments = {}
    for key, (_, v) in first.items():
        segments.setdefault(browser_of[key], {}).setdefault(v, 0)
        segments[browser_of[key]][v] += 1
    bins = {}
    for (t, _), v in first.values():
        bins.setdefault(t.replace(minute=0, second=0, microsecond=0), {}).setdefault(v, 0)
        bins[t.replace(minute=0, second=0, microsecond=0)][v] += 1
    return {"segments": segments, "timeline": bins, "last": max((t for (t, _), _ in first.values()), default=T0),
            "midnights": all(t.hour == t.minute == t.second == t.microsecond == 0 for (t, _), _ in first.values()), "traffic": [min(t for (t, _), _ in first.values()), max(t for (t, _), _ in first.values())] if first else None,
            "delimiter": "\\t" if delimiter == "\t" else delimiter, "line_end": "CRLF" if crlf else "LF", "rows_read": rows_read, "blank_lines": blank,
            "errors": errors, "rows_other_events": other, "counts": {a: c for a, c in counts.items() if c > 0},
            "units": len(first), "jumped": jumped, "with_unit": case["with_unit"]}


def write_aggregated(rng, index, path):
    """A file of counts (one row per time bucket, variant and browser); returns what the report must say."""
    arms = ["control", "treatment"] if rng.random() < 0.6 else ["a", "b", "c"]
    daily = rng.random() < 0.5
    count_name = rng.choice(["count", "units", "users", "unique_users", "n_users"])
    cols = [("date" if daily else "timestamp"), "variant", "browser", count_name]
    rng.shuffle(cols)
    delimiter = rng.choice([",", ";", "\t"])
    eol = "\r\n" if rng.random() < 0.4 else "\n"
    browsers = ["Chrome", "Safari", "Edge, legacy", 'Opera "GX"']

    def field(text):
        if any(c in text for c in (delimiter, '"', "\n")) or rng.random() < 0.1:
            return '"' + text.replace('"', '""') + '"'
        return text

    out = io.StringIO()
    out.write(delimiter.join(field(c) for c in cols) + eol)
    line, rows_read, errors = 2, 0, []
    counts, segments, bins, last = {}, {}, {}, T0
    buckets = rng.randint(2, 9)
    rows = [(b, v, br) for b in range(buckets) for v in arms for br in browsers if rng.random() < 0.8]
    rng.shuffle(rows)
    for b, v, br in rows:
        start = T0 + (datetime.timedelta(days=b) if daily else datetime.timedelta(hours=3 * b))
        n = rng.randint(0, 400)
        values = {"date": start.strftime("%Y-%m-%d"), "timestamp": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "variant": v, "browser": br,
                  count_name: str(n) if rng.random() < 0.9 else f"{n}.0"}
        message = None
        x = rng.random()
        if x < 0.03:
            values[count_name], message = "-3", "count '-3' is not a whole number of units (0 or more)"
        elif x < 0.06:
            values[count_name], message = "10.5", "count '10.5' is not a whole number of units (0 or more)"
        elif x < 0.08:
            values["variant"], message = "NA", "missing variant 'NA'"
        out.write(delimiter.join(field(values[c]) for c in cols) + eol)
        rows_read += 1
        if message:
            errors.append({"line": line, "message": message})
        elif n:
            last = max(last, start)
            counts[v] = counts.get(v, 0) + n
            segments.setdefault(br, {}).setdefault(v, 0)
            segments[br][v] += n
            bins.setdefault(start, {}).setdefault(v, 0)
            bins[start][v] += n
        line += 1
    pathlib.Path(path).write_bytes(out.getvalue().encode("utf-8"))
    return {"case": f"aggregated, {'daily' if daily else 'hourly'}, count column '{count_name}', {len(arms)} arms",
            "segments": segments, "timeline": bins, "traffic": None, "last": last, "midnights": daily, "delimiter": "\\t" if delimiter == "\t" else delimiter,
            "line_end": "CRLF" if eol == "\r\n" else "LF", "rows_read": rows_read, "blank_lines": 0, "errors": errors, "rows_other_events": 0,
            "counts": counts, "units": sum(counts.values()), "jumped": 0, "with_unit": False, "shape": "aggregated"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin_dir")
    ap.add_argument("--files", type=int, default=120)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--keep")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    work = pathlib.Path(a.keep or tempfile.mkdtemp(prefix="srm-reader-"))
    work.mkdir(parents=True, exist_ok=True)
    failures = []
    for i in range(a.files):
        path = work / f"case{i:03d}.csv"
        if i % 3 == 2:
            want = write_aggregated(rng, i, path)
        else:
            case = make_case(rng, i)
            want = write_case(rng, case, path)
            want["case"] = f"{'unit' if case['with_unit'] else 'no unit'}, {'events' if case['with_event'] else 'no events'}, {len(case['arms'])} arms"
            want["shape"] = "events"
        p = subprocess.run([str(pathlib.Path(a.bin_dir) / "srm-check"), str(path), "--json"], capture_output=True, text=True)
        if p.returncode not in (0, 1, 2, 65):
            failures.append(f"{path.name}: exit {p.returncode}: {p.stderr.strip()}")
            continue
        try:
            r = json.loads(p.stdout)
        except ValueError:
            failures.append(f"{path.name}: exit {p.returncode}, no JSON: {p.stderr.strip()[:300]}")
            continue
        inp = r["input"]
        got = {"case": want["case"], "shape": inp["shape"], "delimiter": inp["dialect"]["delimiter"], "line_end": inp["dialect"]["line_end"], "rows_read": inp["rows_read"],
               "blank_lines": inp["blank_lines"], "errors": inp["errors"], "rows_other_events": inp["rows_other_events"],
               "counts": {v["name"]: v["observed"] for v in r["srm"]["variants"] if v["observed"] > 0}, "units": r["srm"]["units"]}
        jumping = next(c for c in r["checks"] if c["id"] == "variant_jumping")
        got["jumped"] = round(jumping["value"] * want["units"]) if want["with_unit"] and jumping["value"] is not None else 0
        got["with_unit"] = want["with_unit"]
        # Each time bin's new units (first exposures), the bin named by its
        # end; the last one ends with the hour of the last time (a day's
        # point there is the part of the day up to it: 01:00 for a last day
        # given by its date alone).
        # Dates alone (every time a midnight) are counted by day, the last
        # day's point at its end; other times by hour for up to three days.
        last = want.pop("last")
        midnights = want.pop("midnights")
        span = (last - min(want["timeline"])) if want["timeline"] else datetime.timedelta(0)
        want["resolution"] = "day" if midnights or span > datetime.timedelta(days=3) else "hour"
        got["resolution"] = r["timeline"]["resolution"]
        step = {"hour": datetime.timedelta(hours=1), "day": datetime.timedelta(days=1)}[want["resolution"]]
        bins = {}
        end = last + datetime.timedelta(days=1) if midnights else last.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=1)
        for start, per in want["timeline"].items():
            if step.days:
                start = start.replace(hour=0)
            name = min(start + step, end).strftime("%Y-%m-%dT%H:%M:%SZ")
            for v, n in per.items():
                bins.setdefault(name, {}).setdefault(v, 0)
                bins[name][v] += n
        want["timeline"] = bins
        got["timeline"] = {p["time"]: {v: n for v, n in p["new_units"].items() if n} for p in r["timeline"]["points"]
                           if any(p["new_units"].values())}
        if want["traffic"]:
            want["traffic"] = [want["traffic"][0].strftime("%Y-%m-%dT%H:%M:%SZ"), want["traffic"][1].strftime("%Y-%m-%dT%H:%M:%SZ")]
        browser = [d for d in r["dimensions"] if d["name"] == "browser"]
        got["segments"] = {sg["value"]: {v: n for v, n in sg["counts"].items() if n} for sg in browser[0]["segments"]} if browser else None
        got["traffic"] = [r["window"]["traffic_start"], r["window"]["traffic_end"]] if want["traffic"] else None
        diff = [f"{k}: report {got[k]!r}, rows {want[k]!r}" for k in want if got.get(k) != want[k]]
        if diff:
            failures.append(f"{path.name} ({want['case']}):\n    " + "\n    ".join(d[:400] for d in diff))
    if failures:
        print("\n".join(failures))
        print(f"FAIL: {len(failures)} of {a.files} files read differently (kept in {work})" if a.keep else f"FAIL: {len(failures)} of {a.files}")
        return 1
    print(f"ok: {a.files} random files read as their rows say")
    return 0


if __name__ == "__main__":
    sys.exit(main())
