#!/usr/bin/env python3
"""Independent values for Step 2 on step2_metrics.csv (scipy 1.10):
per unit, crashed = any row crashed, revenue = sum of rows; per variant the
Wilson interval (scipy binomtest(...).proportion_ci(method="wilson")) and the
t interval (scipy.stats.t.interval); each variant against control by the
two-proportion z-test (pooled; 2*norm.sf) or Welch's t-test
(scipy.stats.ttest_ind(equal_var=False)); Holm within the metric (over the
two pairs) and again across the two metrics, by the textbook step-down.
Usage: /usr/bin/python3 step2_oracle.py"""
import csv
import math
from collections import defaultdict
from scipy import special, stats

units = {}
for r in csv.DictReader(open(__file__.replace("step2_oracle.py", "step2_metrics.csv"))):
    u = units.setdefault(r["user_id"], {"variant": r["variant"], "crashed": 0, "revenue": 0.0, "first": r["timestamp"]})
    if r["timestamp"] < u["first"]:
        u["first"], u["variant"] = r["timestamp"], r["variant"]
    u["crashed"] = max(u["crashed"], int(r["crashed"]))
    u["revenue"] += float(r["revenue"])
by = defaultdict(lambda: {"crashed": [], "revenue": []})
for u in units.values():
    by[u["variant"]]["crashed"].append(u["crashed"])
    by[u["variant"]]["revenue"].append(u["revenue"])


def holm(ps):
    order = sorted(range(len(ps)), key=lambda i: ps[i])
    out, running = [0.0] * len(ps), 0.0
    for r, i in enumerate(order):
        running = max(running, min(1.0, ps[i] * (len(ps) - r)))
        out[i] = running
    return out


best = {}
for metric in ("crashed", "revenue"):
    pairs = []
    for v in ("control", "t1", "t2"):
        x = by[v][metric]
        n = len(x)
        if metric == "crashed":
            ci = stats.binomtest(sum(x), n).proportion_ci(0.95, method="wilson")
            print(metric, v, n, repr(sum(x) / n), repr(ci.low), repr(ci.high))
        else:
            m = sum(x) / n
            xb = special.betaincinv((n - 1) / 2, 0.5, 0.05)
            q = math.sqrt((n - 1) * (1 / xb - 1))
            lo, hi = m - q * stats.sem(x), m + q * stats.sem(x)
            print(metric, v, n, repr(m), repr(lo), repr(hi))
    c = by["control"][metric]
    for v in ("t1", "t2"):
        x = by[v][metric]
        if metric == "crashed":
            p0, p1, n0, n1 = sum(c) / len(c), sum(x) / len(x), len(c), len(x)
            pool = (sum(c) + sum(x)) / (n0 + n1)
            z = (p1 - p0) / math.sqrt(pool * (1 - pool) * (1 / n0 + 1 / n1))
            pairs.append(2 * stats.norm.sf(abs(z)))
        else:
            pairs.append(stats.ttest_ind(x, c, equal_var=False).pvalue)
    print(metric, "pair p", [repr(p) for p in pairs], "holm", [repr(p) for p in holm(pairs)])
    best[metric] = min(holm(pairs))
print("metric p", {k: repr(v) for k, v in best.items()}, "holm across metrics", [repr(p) for p in holm(list(best.values()))])
