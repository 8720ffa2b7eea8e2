#!/usr/bin/env python3
"""Judges Step 4's localization on random simulated experiments.

Each case draws a kind of cause (one value, a value of the correlated
dimension, a conjunction, two independent causes, cancelling skews, an
allocation-wide cause, healthy, a break at a point inside a segment, a tiny
segment, a cause in an extra dimension), a size, a strength, sometimes three
arms or an unequal plan or aggregated counts, writes it with srm-simulate
(which also writes what the localization should find) and reads
`srm-check --json`'s explanation. It prints every miss and the exact-set F1
(a case's set counts as found only when it is exactly the truth) and the
share of cases with the right status.

    tests/bench/evaluate_localization.py BUILD/app [--cases 200] [--seed 1]
        [--min-f1 0.9] [--min-status 1.0]

Exit 1 when F1 or the status accuracy is below the given minimum.
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile

BROWSERS = {"Chrome": 0.58, "Safari": 0.21, "Firefox": 0.09, "Edge": 0.08, "Samsung Internet": 0.04}
COUNTRIES = {"US": 0.34, "DE": 0.12, "GB": 0.10, "FR": 0.08, "IN": 0.09, "BR": 0.08, "JP": 0.07, "CA": 0.06, "ES": 0.06}
SDK = {"3.1.0": 0.25, "3.2.0": 0.50, "3.3.0": 0.25}
# os given the browser (srm-simulate's table), as shares of all units
OS = {"iOS": 0.21 * 0.55, "macOS": 0.21 * 0.45 + 0.58 * 0.17 + 0.08 * 0.1 + 0.09 * 0.17, "Android": 0.04 + 0.67 * 0.30}


def share_of(dim, value, extra_values=10):
    if dim == "browser":
        return BROWSERS[value]
    if dim == "country":
        return COUNTRIES[value]
    if dim == "sdk_version":
        return SDK[value]
    if dim == "os":
        return OS[value]
    rank = int(value.split("_v")[1])
    return (1.0 / rank) / sum(1.0 / (r + 1) for r in range(extra_values))


def detectable(share, strength, users, treat_share):
    """Rough chi-square of the segment against the plan: lost units squared over the segment's variance."""
    n = users * share
    lost = n * treat_share * strength
    return n - lost >= 150 and lost * lost / max(1.0, n * treat_share * (1 - treat_share)) >= 80


def draw_case(rng):
    kinds = ["single", "correlated", "conjunction", "two", "cancelling", "global", "healthy", "break", "tiny", "extra"]
    kind = rng.choice(kinds)
    users = rng.choice([20000, 50000, 100000, 200000])
    args = ["--users", str(users), "--seed", str(rng.randrange(1, 10**6)), "--no-metrics"]
    expected = None
    treat = 0.5
    arms = rng.random()
    if arms < 0.15 and kind not in ("cancelling",):
        args += ["--variants", "control=34,treatment_a=33,treatment_b=33"]
        expected = "control=34,treatment_a=33,treatment_b=33"
        treat = 0.66
    elif arms < 0.3 and kind not in ("cancelling",):
        args += ["--variants", "control=70,treatment=30"]
        expected = "control=70,treatment=30"
        treat = 0.3
    if rng.random() < 0.3:
        args += ["--extra-dimensions", str(rng.randint(1, 3)), "--extra-values", str(rng.choice([5, 10, 40]))]
    causes = []

    def cause(conditions, share, lo=0.3, hi=0.9, start=None):
        for _ in range(20):
            s = rng.uniform(lo, hi)
            if detectable(share, s, users, treat):
                text = "&".join(f"{d}={v}" for d, v in conditions) + f":{s:.2f}"
                if start is not None:
                    text += f"@{start}"
                return text
        return None

    if kind == "single":
        b = rng.choice(["Safari", "Firefox", "Edge", "Samsung Internet"])
        causes.append(cause([("browser", b)], BROWSERS[b]))
    elif kind == "correlated":
        o = rng.choice(["iOS", "macOS"])
        causes.append(cause([("os", o)], OS[o]))
    elif kind == "conjunction":
        b = rng.choice(["Chrome", "Safari"])
        v = rng.choice(["3.2.0", "3.1.0"])
        causes.append(cause([("browser", b), ("sdk_version", v)], BROWSERS[b] * SDK[v]))
    elif kind == "two":
        b = rng.choice(["Firefox", "Edge", "Safari"])
        c = rng.choice(["IN", "JP", "BR", "DE"])
        causes.append(cause([("browser", b)], BROWSERS[b]))
        causes.append(cause([("country", c)], COUNTRIES[c]))
    elif kind == "break":
        b = rng.choice(["Safari", "Firefox", "Edge"])
        start = rng.choice([0.3, 0.5, 0.7])
        causes.append(cause([("browser", b)], BROWSERS[b] * (1 - start), 0.5, 0.9, start=start))
    elif kind == "tiny":
        c = rng.choice(["JP", "CA", "ES"])
        users = max(users, 100000)
        args[1] = str(users)
        causes.append(cause([("browser", "Samsung Internet"), ("country", c)], BROWSERS["Samsung Internet"] * COUNTRIES[c], 0.8, 0.95))
    elif kind == "extra":
        if "--extra-dimensions" not in args:
            args += ["--extra-dimensions", "2", "--extra-values", "10"]
        values = int(args[args.index("--extra-values") + 1])
        v = f"e1_v{rng.randint(1, min(values, 4)):03d}"
        causes.append(cause([("extra1", v)], share_of("extra1", v, values)))
    if any(c is None for c in causes):
        return None  # too weak to be found at this size: not a fair case
    if kind == "cancelling":
        # srm-simulate skews the browser by +s and Firefox (Safari when Firefox is the one) by -s x share ratio
        b = rng.choice(["Safari", "Edge", "Samsung Internet", "Firefox"])
        other = "Safari" if b == "Firefox" else "Firefox"
        s = rng.uniform(0.05, 0.12)
        dev_other = s * BROWSERS[b] / BROWSERS[other]
        if min((2 * s) ** 2 * users * BROWSERS[b], (2 * dev_other) ** 2 * users * BROWSERS[other]) < 80 or dev_other > 0.45:
            return None
        args += ["--scenario", "segment_skew", "--strength", f"{s:.3f}", "--browser", b]
    elif kind == "global":
        scen = rng.choice(["bucketing_defect", "gradual_attrition", "assignment_exposure_drop"])
        args += ["--scenario", scen]
        if users < 50000:
            args[1] = "100000"
    elif kind == "healthy":
        args += ["--scenario", "healthy"]
    else:
        args += ["--scenario", "segment_drop"]
        for c in causes:
            args += ["--cause", c]
    aggregated = rng.random() < 0.2
    return kind, args, expected, aggregated


def truth_of(path):
    status, segments = "", []
    with open(path) as f:
        for line in f:
            key, _, rest = line.rstrip("\n").partition(" ")
            if key == "explanation":
                status = rest
            elif key == "explaining_segment":
                segments.append(frozenset(tuple(p.split("=", 1)) for p in rest.split("&")))
    return status, frozenset(segments)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bindir")
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--min-f1", type=float, default=0.0)
    ap.add_argument("--min-status", type=float, default=0.0)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    sim, check = os.path.join(a.bindir, "srm-simulate"), os.path.join(a.bindir, "srm-check")
    tp = fp = fn = 0
    status_right = cases = 0
    by_kind = {}
    with tempfile.TemporaryDirectory() as tmp:
        while cases < a.cases:
            case = draw_case(rng)
            if case is None:
                continue
            kind, args, expected, aggregated = case
            events, agg, truth = (os.path.join(tmp, n) for n in ("e.csv", "a.csv", "t.txt"))
            subprocess.run([sim, "--out", events, "--truth", truth] + (["--aggregated", agg] if aggregated else []) + args,
                           check=True, stdout=subprocess.DEVNULL)
            want_status, want = truth_of(truth)
            if not want_status:
                continue
            cmd = [check, agg if aggregated else events, "--json"] + (["--expected", expected] if expected else [])
            out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if out.returncode not in (0, 1, 2):
                print(f"FAILED {kind}: {' '.join(cmd)}: {out.stderr.strip()}")
                sys.exit(2)
            ex = json.loads(out.stdout)["explanation"]
            got = frozenset(frozenset(s["conditions"].items()) for s in ex["segments"])
            cases += 1
            ok_status = ex["status"] == want_status
            status_right += ok_status
            exact = got == want
            if want or got:
                tp += exact
                fp += not exact
                fn += not exact
            k = by_kind.setdefault(kind, [0, 0])
            k[0] += 1
            k[1] += ok_status and exact
            if not (ok_status and exact):
                fmt = lambda s: sorted(" & ".join(f"{d}={v}" for d, v in sorted(seg)) for seg in s)
                print(f"miss [{kind}] want {want_status} {fmt(want)} got {ex['status']} {fmt(got)}  "
                      f"args: {' '.join(args)}{' (aggregated)' if aggregated else ''}")
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    status = status_right / cases
    print("by kind (cases, right):", ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(by_kind.items())))
    print(f"cases {cases}: exact-set F1 {f1:.3f}, status right {status:.3f}")
    sys.exit(0 if f1 >= a.min_f1 and status >= a.min_status else 1)


if __name__ == "__main__":
    main()
