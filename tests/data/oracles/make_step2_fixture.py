#!/usr/bin/env python3
"""Writes step2_metrics.csv: 3 variants x 40 units, 1-3 event rows per
unit with a 0/1 `crashed` and a numeric `revenue` (summed per unit; a unit
crashed if any row has crashed = 1). Run once; the CSV is checked in."""
import random
rng = random.Random(17)
rows = ["timestamp,user_id,variant,crashed,revenue"]
crash = {"control": 0.10, "t1": 0.25, "t2": 0.12}
mean = {"control": 10.0, "t1": 10.5, "t2": 13.0}
uid = 0
for v in ("control", "t1", "t2"):
    for i in range(40):
        uid += 1
        for r in range(rng.randint(1, 3)):
            t = "2026-03-01T%02d:%02d:%02dZ" % (rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
            rows.append("%s,u%03d,%s,%d,%.2f" % (t, uid, v, rng.random() < crash[v], rng.gammavariate(2.0, mean[v] / 2) / 2))
open("step2_metrics.csv", "w").write("\n".join(rows) + "\n")
