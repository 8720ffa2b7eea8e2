#!/usr/bin/env python3
"""Writes step4_segments.csv and prints Step 4's values computed independently
(scipy 1.10): per segment the chi-square test against the 50/50 plan
(scipy.stats.chisquare), Holm across all segments of both dimensions (the
textbook step-down), and per dimension the independence test computed within
each day of first exposure and summed over the days (scipy.stats.chi2_contingency
per day, correction=False; statistics and df added, p = chi2.sf).
Usage: /usr/bin/python3 step4_oracle.py"""
import os
from scipy import stats

here = os.path.dirname(os.path.abspath(__file__))
# (day, browser, os, control, treatment): the browser mix shifts between the days.
cells = [(1, "Chrome", "Android", 220, 200), (1, "Chrome", "iOS", 90, 100), (1, "Safari", "iOS", 60, 30),
         (2, "Chrome", "Android", 100, 110), (2, "Chrome", "iOS", 40, 38), (2, "Safari", "iOS", 180, 150), (2, "Safari", "Android", 12, 20)]
rows, u = ["timestamp,user_id,variant,browser,os"], 0
for day, b, o, c, t in cells:
    for v, n in (("control", c), ("treatment", t)):
        for i in range(n):
            rows.append("2026-03-%02dT%02d:%02d:00Z,u%d,%s,%s,%s" % (day, (i * 7) % 24, i % 60, u, v, b, o))
            u += 1
open(os.path.join(here, "step4_segments.csv"), "w").write("\n".join(rows) + "\n")

segs = {}
for day, b, o, c, t in cells:
    for dim, val in (("browser", b), ("os", o)):
        s = segs.setdefault((dim, val), [0, 0])
        s[0] += c
        s[1] += t
keys = sorted(segs)
ps = [stats.chisquare(segs[k]).pvalue for k in keys]
order = sorted(range(len(ps)), key=lambda i: ps[i])
adj, running = [0.0] * len(ps), 0.0
for r, i in enumerate(order):
    running = max(running, min(1.0, ps[i] * (len(ps) - r)))
    adj[i] = running
for k, p, a in zip(keys, ps, adj):
    print(k, segs[k], "p", repr(p), "holm", repr(a))
for dim in ("browser", "os"):
    stat, df = 0.0, 0
    for day in (1, 2):
        table = {}
        for d, b, o, c, t in cells:
            if d != day:
                continue
            v = b if dim == "browser" else o
            x = table.setdefault(v, [0, 0])
            x[0] += c
            x[1] += t
        if len(table) > 1:
            chi, _, dof, _ = stats.chi2_contingency(list(table.values()), correction=False)
            stat, df = stat + chi, df + dof
    print(dim, "independence stat", repr(stat), "df", df, "p", repr(stats.chi2.sf(stat, df)))
