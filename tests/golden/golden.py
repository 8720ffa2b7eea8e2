#!/usr/bin/env python3
"""Golden reports: srm-check's exit code, stderr, --json, text report and
report document (--report NAME.md) for
every input of compare_reports.py's list (the sample with options, every
simulated scenario with its change log, allocation history and aggregated
counts, dialects, windows, the reference vectors, and bad or awkward inputs)
compared with the outputs recorded in tests/golden/expected/.

    tests/golden/golden.py BIN_DIR            # check (CTest runs this)
    tests/golden/golden.py BIN_DIR --update   # record the current outputs

A difference is a failure, printed as a unified diff of the first lines that
differ. When a change of the reports is intended, run --update and read the
diff of tests/golden/expected/ before committing it: that diff is the change
every user will see. Paths of the scratch folder are written as WORK, of
the source tree as SOURCE.
"""
import argparse
import difflib
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare_reports  # noqa: E402

EXPECTED = os.path.join(HERE, "expected")


def outputs(bindir, work):
    """{file name: bytes} of every case's outputs."""
    result = {}
    env = dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC")
    for name, args in compare_reports.cases(bindir, work):
        document = os.path.join(work, name + ".report.md")
        for mode, extra in (("json", ["--json"]), ("txt", ["--report", document])):
            p = subprocess.run([os.path.join(bindir, "srm-check")] + args + extra, capture_output=True, env=env, timeout=600)
            body = b"exit %d\n--- stderr\n%s--- stdout\n%s" % (p.returncode, p.stderr, p.stdout)
            result["%s.%s" % (name, mode)] = body.replace(work.encode(), b"WORK").replace(compare_reports.SOURCE.encode(), b"SOURCE")
        # The text run also writes the report document (Markdown: the same
        # document as the HTML and PDF), its time of writing left out.
        if os.path.exists(document):
            with open(document, "rb") as fh:
                md = re.sub(rb"^(srm-check \S+ \xc2\xb7) \d{4}-\d\d-\d\d \d\d:\d\d UTC$", lambda m: m.group(1) + b" WHEN", fh.read(), count=1, flags=re.M)
            for path, word in ((work, b"WORK"), (compare_reports.SOURCE, b"SOURCE")):
                # A path in the document's text is Markdown-escaped ('_' as '\\_').
                md = md.replace(markdown_escaped(path), word).replace(path.encode(), word)
            result["%s.md" % name] = md
    return result


def markdown_escaped(path):
    """The path as the report document writes it in Markdown text."""
    out = ""
    for c in path:
        out += "\\" + c if c in "\\`*_[]|#~!" else {"<": "&lt;", ">": "&gt;", "&": "&amp;"}.get(c, c)
    return out.encode()


def read_expected(name):
    path = os.path.join(EXPECTED, name + ".gz")
    if not os.path.exists(path):
        return None
    with gzip.open(path, "rb") as fh:
        return fh.read()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bindir")
    ap.add_argument("--update", action="store_true")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="srm-golden-")
    try:
        got = outputs(a.bindir, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if a.update:
        shutil.rmtree(EXPECTED, ignore_errors=True)
        os.makedirs(EXPECTED)
        for name, body in sorted(got.items()):
            # mtime=0: the same report gives the same bytes.
            with open(os.path.join(EXPECTED, name + ".gz"), "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
                fh.write(body)
        print("recorded %d outputs in %s" % (len(got), EXPECTED))
        return 0
    failures = 0
    recorded = {n[:-3] for n in os.listdir(EXPECTED)} if os.path.isdir(EXPECTED) else set()
    for name in sorted(recorded - set(got)):
        print("MISSING %s: recorded, but no case writes it any more" % name)
        failures += 1
    for name, body in sorted(got.items()):
        want = read_expected(name)
        if want is None:
            print("NEW %s: not recorded (run with --update)" % name)
            failures += 1
        elif want != body:
            failures += 1
            diff = list(difflib.unified_diff(want.decode(errors="replace").splitlines(), body.decode(errors="replace").splitlines(),
                                             "expected/" + name, "now/" + name, n=1, lineterm=""))
            print("DIFF %s" % name)
            print("\n".join(diff[:24]))
    print("%d outputs compared, %d differ" % (len(got), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
