#!/usr/bin/python3
"""A corpus of hostile inputs, generated here, through srm-check and the workbench.

Usage: check_hostile.py BIN_DIR SCHEMA

Every input is built from a clean export of known content (5000 exposures of
5000 units, a and b alternating, one browser column), then damaged in one way
whose effect the README's rules decide ("What is counted"): rows of the wrong
width, unparsable times, empty ids or variants and an unterminated quote are
rejected with their physical line; blank lines are skipped; quoted newlines,
BOMs, CRLF and CR line ends, NUL bytes, invalid UTF-8 and a 1 MB value are
data; compressed copies read like the plain file. Unusable files are refused
with exit 65 and one message (a missing file and a folder too).

For each input it checks:
  - no signal, no hang (60 s), no sanitizer report, never exit 70;
  - refused input: the exit code and the message, with the line where one is known;
  - readable input: the JSON validates against the schema, and rows_read,
    rows_rejected (by reason and first line), blank_lines, units and the
    health state are exactly the ones the damage implies;
  - srm-workbench --screenshot on each (offscreen): a PNG, whatever the text
    it has to draw, and exit 0, or 65 for a refused input (the window shows why);
  - each within 60 s (120 s for the workbench), under the sanitizers too: a
    header of 100,000 columns once took 15 s to refuse (a quadratic check of
    duplicate names) and 20,000 columns 19 s to show (one label for all).
"""
import gzip
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import zipfile

import jsonschema

BIN, SCHEMA = sys.argv[1], sys.argv[2]
CHECK = os.path.join(BIN, "srm-check")
WORKBENCH = os.path.join(BIN, "srm-workbench")
N = 5000
failures = []


def base_rows(n=N):
    """The clean export's data lines (no line ends)."""
    browsers = ["Chrome", "Safari", "Firefox", "Edge"]  # each with as many a as b
    return ["u%d,%s,2026-03-%02dT%02d:%02d:00Z,%s" % (i, "ab"[i % 2], 1 + i // 1440, i // 60 % 24, i % 60, browsers[i // 2 % 4])
            for i in range(n)]


HEADER = "user_id,variant,timestamp,browser"


def text(lines, end="\n", header=HEADER):
    return (header + end + end.join(lines) + end).encode("utf-8", "surrogateescape")  # \udcXX: the byte XX


def replace(lines, positions, make):
    """The lines with those at `positions` (0-based data rows) replaced by make(i, line)."""
    out = list(lines)
    for p in positions:
        out[p] = make(p, out[p])
    return out


def cases():
    rows = base_rows()
    clean = dict(rows_read=N, rows_rejected=0, units=N, blank=0, health="healthy", reasons={})
    out = []

    def ok(name, data, **expect):
        e = dict(clean)
        e.update(expect)
        out.append((name, data, e))

    def refused(name, data, code, message, workbench=True):
        out.append((name, data, dict(code=code, message=message, workbench=workbench)))

    ok("clean.csv", text(rows))
    ok("crlf.csv", text(rows, "\r\n"))
    ok("cr-only.csv", text(rows, "\r"))
    ok("bom-crlf.csv", b"\xef\xbb\xbf" + text(rows, "\r\n"))
    ok("no-final-newline.csv", text(rows)[:-1])
    # Ten rows one field short and ten one field long, spread out: rejected
    # (0.4 % of the rows, so the test still stands).
    short = list(range(100, 1100, 100))
    long_ = list(range(150, 1150, 100))
    damaged = replace(replace(rows, short, lambda i, l: l.rsplit(",", 1)[0]), long_, lambda i, l: l + ",extra")
    ok("wrong-widths.csv", text(damaged), rows_rejected=20, units=N - 20, reasons={"field_count": (20, 102)})
    # Unparsable times.
    bad_time = list(range(7, 40, 4))
    ok("bad-times.csv", text(replace(rows, bad_time, lambda i, l: l.replace(l.split(",")[2], "not-a-time"))),
       rows_rejected=len(bad_time), units=N - len(bad_time), reasons={"bad_time": (len(bad_time), 9)})
    # Empty unit ids and empty variants: 30 each, 1.2 % in all: too many to trust the test.
    no_id = list(range(1000, 1030))
    no_variant = list(range(2001, 2061, 2))
    damaged = replace(replace(rows, no_id, lambda i, l: "," + l.split(",", 1)[1]), no_variant,
                      lambda i, l: ",".join([l.split(",")[0], ""] + l.split(",")[2:]))
    ok("empty-ids.csv", text(damaged), rows_rejected=60, units=N - 60, health="input_problem",
       reasons={"missing_unit": (30, 1002), "missing_variant": (30, 2003)})
    # 25 blank lines (and lines of spaces are not blank: they have one field).
    with_blanks = list(rows)
    for k in range(25):
        with_blanks.insert(200 * k + 3, "")
    ok("blank-lines.csv", text(with_blanks), blank=25)
    # A quoted browser value with the delimiter, a doubled quote and two line
    # breaks, then a short row: its line counts the physical lines before it.
    quoted = replace(rows, [10], lambda i, l: l.rsplit(",", 1)[0] + ',"Chrome, ""beta""\nline two\nline three"')
    quoted = replace(quoted, [20], lambda i, l: l.rsplit(",", 1)[0])
    ok("quoted-newlines.csv", text(quoted), rows_rejected=1, units=N - 1, reasons={"field_count": (1, 24)})
    # An unterminated quote in the last row: it runs to the end of the file.
    unterminated = replace(rows, [N - 1], lambda i, l: l.rsplit(",", 1)[0] + ',"Chrome')
    ok("unterminated-quote.csv", text(unterminated), rows_rejected=1, units=N - 1, reasons={"unterminated_quote": (1, N + 1)})
    # The same unit exposed twice (same variant, later): counted once.
    ok("repeated-units.csv", text(rows + [r.replace("2026-03-0", "2026-03-1", 1) for r in rows[:300]]), rows_read=N + 300)
    # A NUL byte is not text: the row holding it is rejected, early in the file
    # and far past the part the dialect is detected on.
    nul = replace(rows, [5, 6, 4000], lambda i, l: l.replace(",", ",\x00", 1))
    ok("nul-in-values.csv", text(nul), rows_rejected=3, units=N - 3, reasons={"nul_byte": (3, 7)})
    # Invalid UTF-8 and a 1 MB value in the browser column, and invalid UTF-8
    # in the column's name: data, kept (and escaped when shown).
    ok("invalid-utf8.csv", text(replace(rows, [1, 2, 3], lambda i, l: l.rsplit(",", 1)[0] + ",\udcc3(x"),
                                header="user_id,variant,timestamp,br\udcffowser"))
    ok("megabyte-value.csv", text(replace(rows, [42], lambda i, l: l.rsplit(",", 1)[0] + "," + "x" * (1 << 20))))
    # One name 20,000 times (read as x, x_2, ... x_20000) beside the unit and variant.
    ok("one-name-20000-times.csv", "".join(["user_id,variant," + ",".join("x" for _ in range(20000)) + "\n"] +
                                           ["u%d,%s,%s\n" % (i, "ab"[i % 2], ",".join("1" for _ in range(20000))) for i in range(4)]).encode(),
       rows_read=4, units=4)
    # Tabs, and semicolons with a quoted field.
    ok("tabs.tsv", text([r.replace(",", "\t") for r in rows], header=HEADER.replace(",", "\t")))
    ok("semicolons.csv", text([r.replace(",", ";") for r in rows], header=HEADER.replace(",", ";")))
    # Compressed copies of the clean file read like it.
    ok("clean.csv.gz", gzip.compress(text(rows), mtime=0))
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("export.csv", text(rows))
    ok("clean.zip", z.getvalue())

    # Unusable: refused with one message.
    rng = random.Random(16)
    refused("empty.csv", b"", 65, "the file is empty")
    refused("bom-only.csv", b"\xef\xbb\xbf", 65, "")
    refused("newlines-only.csv", b"\n" * 1000, 65, "")
    refused("header-only.csv", text([]), 65, "")
    refused("binary.csv", bytes(rng.randrange(256) for _ in range(200000)), 65, "")
    refused("utf16.csv", (HEADER + "\n" + "\n".join(rows[:100]) + "\n").encode("utf-16"), 65, "UTF-16")
    refused("no-variant.csv", text([r.split(",", 1)[0] for r in rows], header="user_id"), 65, "")
    # 100,000 columns, none a variant: refused at once, the message naming the first 30.
    refused("wide-header.csv", (",".join("c%d" % i for i in range(100000)) + "\n" + ",".join("1" for _ in range(100000)) + "\n").encode(),
            65, "The columns are: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21, c22, "
                "c23, c24, c25, c26, c27, c28, c29, ... (100,000 columns in all)")
    gz = gzip.compress(text(rows), mtime=0)
    refused("truncated.csv.gz", gz[:len(gz) // 2], 65, "")
    refused("garbage.csv.gz", b"\x1f\x8b\x08\x00" + bytes(rng.randrange(256) for _ in range(5000)), 65, "")
    refused("damaged.zip", b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(5000)), 65, "")
    return out


def run(args, timeout=60):
    try:
        p = subprocess.run(args, capture_output=True, timeout=timeout, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    except subprocess.TimeoutExpired:
        return None
    return p


def sanitizer(stderr):
    return any(s in stderr for s in (b"AddressSanitizer", b"LeakSanitizer", b"runtime error:", b"ThreadSanitizer"))


def check(name, path, expect, schema):
    p = run([CHECK, path, "--json"])
    if p is None:
        return "srm-check did not finish within 60 s"
    if p.returncode < 0 or p.returncode == 70 or sanitizer(p.stderr):
        return "srm-check crashed or failed inside (exit %d): %s" % (p.returncode, p.stderr.decode(errors="replace")[-2000:])
    if "message" in expect:
        err = p.stderr.decode("utf-8", "replace").strip()
        if p.returncode != expect["code"]:
            return "exit %d, expected %d (%s)" % (p.returncode, expect["code"], err)
        if p.stdout:
            return "a refused input printed a report"
        if not err.startswith("srm-check: bad input: ") or expect["message"] not in err or len(err.splitlines()) != 1:
            return "message %r, expected one line 'srm-check: bad input: ...%s...'" % (err, expect["message"])
        return None
    try:
        report = json.loads(p.stdout)
    except ValueError as e:
        return "no JSON (exit %d): %s %s" % (p.returncode, e, p.stderr.decode(errors="replace")[-500:])
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(report))
    if errors:
        return "the JSON breaks the schema: %s" % errors[0].message
    inp = report["input"]
    got = dict(rows_read=inp["rows_read"], rows_rejected=inp["rows_rejected"], units=report["srm"]["units"], blank=inp["blank_lines"],
               health=report["health"]["state"],
               reasons={k: (v, inp["first_rejected_line_by_reason"][k]) for k, v in inp["rejected_by_reason"].items()})
    want = {k: expect[k] for k in got}
    if got != want:
        return "got %s, expected %s" % (got, want)
    code = {"healthy": 0, "input_problem": 65}[expect["health"]]
    if p.returncode != code:
        return "exit %d, expected %d" % (p.returncode, code)
    return None


def check_workbench(path, work, code):
    png = os.path.join(work, os.path.basename(path) + ".png")
    if os.path.exists(png):
        os.remove(png)
    p = run([WORKBENCH, path, "--screenshot", png, "--page", "step4"], timeout=120)
    if p is None:
        return "srm-workbench did not finish within 120 s"
    made = os.path.exists(png) and os.path.getsize(png) > 0
    if p.returncode != code or sanitizer(p.stderr) or not made:
        return "srm-workbench exit %s (expected %d), PNG %s: %s" % (p.returncode, code, os.path.exists(png), p.stderr.decode(errors="replace")[-1500:])
    if os.environ.get("SRM_HOSTILE_SHOTS"):  # a folder to keep the screenshots in, to look at them
        os.replace(png, os.path.join(os.environ["SRM_HOSTILE_SHOTS"], os.path.basename(png)))
    return None


def main():
    schema = json.load(open(SCHEMA, encoding="utf-8"))
    with tempfile.TemporaryDirectory() as work:
        corpus = cases()
        for name, data, expect in corpus:
            path = os.path.join(work, name)
            with open(path, "wb") as fh:
                fh.write(data)
            problem = check(name, path, expect, schema)
            if problem is None and expect.get("workbench", True) and os.path.exists(WORKBENCH):
                problem = check_workbench(path, work, expect.get("code", 0))
            print("%-26s %s" % (name, problem or "ok"))
            if problem:
                failures.append(name)
            os.remove(path)
        # A missing file and a folder given as the input.
        for name, args, code in (("missing", [os.path.join(work, "nope.csv")], 65), ("folder", [work], 65)):
            p = run([CHECK] + args)
            good = p is not None and p.returncode == code and p.stderr.startswith(b"srm-check: ") and not sanitizer(p.stderr)
            print("%-26s %s" % (name, "ok" if good else "exit %s: %s" % (p and p.returncode, p and p.stderr[-300:])))
            if not good:
                failures.append(name)
        print("%d inputs, %d failed" % (len(corpus) + 2, len(failures)))
    sys.exit(1 if failures else 0)


main()
