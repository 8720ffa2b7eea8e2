#!/usr/bin/env python3
"""Writes step4_strata_60d.csv and step4_strata_130d.csv and prints Step 4's
independence test of the browser dimension on each, computed independently
(scipy 1.10): within each time stratum (days for a test up to 120 days long,
weeks of seven days from the first hour for a longer one) a chi-square test of
independence (scipy.stats.chi2_contingency, correction=False), statistics and
degrees of freedom summed over the strata, p = chi2.sf.
The two files hold the same units; only the last day differs (day 59 or 129),
so the 60-day file has three daily strata and the 130-day file two weekly ones.
Usage: /usr/bin/python3 strata_oracle.py"""
import datetime
import os
from scipy import stats

here = os.path.dirname(os.path.abspath(__file__))
t0 = datetime.datetime(2026, 3, 1, tzinfo=datetime.timezone.utc)
# (day offset, browser, control, treatment): the browser mix differs between days 0 and 1.
first = [(0, "Chrome", 300, 290), (0, "Safari", 60, 30), (1, "Chrome", 140, 150), (1, "Safari", 180, 150)]
last = [("Chrome", 40, 45), ("Safari", 35, 30)]


def write(last_day, name):
    cells = first + [(last_day, b, c, t) for b, c, t in last]
    rows, u = ["timestamp,user_id,variant,browser"], 0
    for day, b, c, t in cells:
        for v, n in (("control", c), ("treatment", t)):
            for i in range(n):
                ts = t0 + datetime.timedelta(days=day, hours=(i * 7) % 24, minutes=i % 60)
                rows.append("%s,u%d,%s,%s" % (ts.strftime("%Y-%m-%dT%H:%M:%SZ"), u, v, b))
                u += 1
    open(os.path.join(here, name), "w").write("\n".join(rows) + "\n")
    return cells


for last_day, width, name in ((59, 1, "step4_strata_60d.csv"), (129, 7, "step4_strata_130d.csv")):
    cells = write(last_day, name)
    strata = {}
    for day, b, c, t in cells:
        x = strata.setdefault(day // width, {}).setdefault(b, [0, 0])
        x[0] += c
        x[1] += t
    stat, df = 0.0, 0
    for s in sorted(strata):
        table = list(strata[s].values())
        if len(table) > 1:
            chi, _, dof, _ = stats.chi2_contingency(table, correction=False)
            stat, df = stat + chi, df + dof
    print(name, "strata", len(strata), "stat", repr(stat), "df", df, "p", repr(stats.chi2.sf(stat, df)))
