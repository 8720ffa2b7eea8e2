#!/usr/bin/env python3
"""Mutation check of the test suite: puts one plausible bug at a time into a
scratch copy of the sources, builds it and runs every test (ctest). A mutant
is *caught* when the build succeeds and at least one test fails.

    tests/mutants/run_mutants.py [--list issue17|fresh|freshN|all] [--only ID,...]
                                 [--work /tmp/srm-mutants] [--jobs 2]

The copy is made from the working tree (build folders left out), so the
suite as it stands is what is judged. Each mutant names the file, the exact
text it replaces (which must occur exactly once, so a refactoring that
moves it is noticed) and the replacement. The result table is printed and
written to WORK/results.tsv. Needs the build dependencies of the README's
test command; one mutant takes about a minute on 2 cores.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mutants import MUTANTS  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def copy_tree(dst):
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(ROOT, dst, ignore=shutil.ignore_patterns("build", "build-*", ".git", "__pycache__"))


def sh(cmd, cwd, log, timeout):
    with open(log, "ab") as f:
        try:
            return subprocess.run(cmd, cwd=cwd, stdout=f, stderr=subprocess.STDOUT, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            return -9


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--list", default="all", choices=sorted({m["list"] for m in MUTANTS}) + ["all"])
    ap.add_argument("--only", default="")
    ap.add_argument("--work", default="/tmp/srm-mutants")
    ap.add_argument("--jobs", default="2")
    ap.add_argument("--keep", action="store_true", help="reuse the scratch copy and its build")
    a = ap.parse_args()
    src, build = os.path.join(a.work, "src"), os.path.join(a.work, "build")
    os.makedirs(a.work, exist_ok=True)
    if not a.keep or not os.path.exists(src):
        copy_tree(src)
        shutil.rmtree(build, ignore_errors=True)  # a build of another tree can miss new files (AUTOMOC)
    log = os.path.join(a.work, "log.txt")
    open(log, "w").close()
    if sh(["cmake", "-S", src, "-B", build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1"],
          src, log, 600) != 0 or sh(["cmake", "--build", build, "-j", a.jobs], src, log, 3600) != 0:
        sys.exit("the unmutated copy does not build: see " + log)
    if sh(["ctest", "--test-dir", build, "-j", a.jobs, "--timeout", "300"], src, log, 1800) != 0:
        sys.exit("the unmutated suite fails: see " + log)
    only = set(filter(None, a.only.split(",")))
    chosen = [m for m in MUTANTS if (a.list == "all" or m["list"] == a.list) and (not only or m["id"] in only)]
    rows, caught, built = [], 0, 0
    for m in chosen:
        path = os.path.join(src, m["file"])
        with open(path, encoding="utf-8") as f:
            original = f.read()
        if original.count(m["old"]) != 1:
            rows.append((m["id"], "STALE", "the text to replace occurs %d times" % original.count(m["old"]), ""))
            continue
        with open(path, "w", encoding="utf-8") as f:
            f.write(original.replace(m["old"], m["new"]))
        t0 = time.time()
        with open(log, "a") as f:
            f.write("\n==== mutant %s ====\n" % m["id"])
        try:
            if sh(["cmake", "--build", build, "-j", a.jobs], src, log, 1800) != 0:
                rows.append((m["id"], "NO-BUILD", m["what"], ""))
                continue
            built += 1
            out = subprocess.run(["ctest", "--test-dir", build, "-j", a.jobs, "--timeout", "300"], cwd=src,
                                 capture_output=True, text=True)
            # ctest's summary lists each failed test as "  N - name (Failed)".
            failed = [l.strip() for l in out.stdout.splitlines() if " - " in l and l.strip()[:1].isdigit()]
            status = "caught" if out.returncode != 0 else "SURVIVED"
            caught += out.returncode != 0
            rows.append((m["id"], status, m["what"], " ".join(f.split(" - ")[1].split()[0] for f in failed)))
        finally:
            with open(path, "w", encoding="utf-8") as f:
                f.write(original)
        print("%-28s %-9s %5.0f s  %s" % (rows[-1][0], rows[-1][1], time.time() - t0, rows[-1][3]), flush=True)
    with open(os.path.join(a.work, "results.tsv"), "w") as f:
        for r in rows:
            f.write("\t".join(r) + "\n")
    print("\n%d of %d built mutants caught" % (caught, built))
    for r in rows:
        if r[1] != "caught":
            print("  %s %s: %s" % (r[1], r[0], r[2]))
    sys.exit(0 if caught == built else 1)


if __name__ == "__main__":
    main()
