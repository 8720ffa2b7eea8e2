#!/usr/bin/env python3
"""Step 2's statistics on random inputs, from scipy 1.10 and statsmodels 0.13
(Debian 12's python3-scipy and python3-statsmodels), for tst_oracles:
- wilson: k n z -> low high: statsmodels proportion_confint(k, n, alpha, method="wilson"),
  alpha = 2 * norm.sf(z); checked against scipy binomtest(k, n).proportion_ci(1 - alpha, "wilson")
- t: mean variance n alpha -> low high: mean -+ q sqrt(variance / n), the t quantile q from the
  inverse regularised incomplete beta function (scipy.special.betaincinv; scipy's own t.ppf is off
  in the 9th digit for few degrees of freedom: 2.13184678134 for t(4) at 95 %, not 2.13184678633);
  checked against scipy.stats.t.interval to 1e-7
- z: x0 n0 x1 n1 -> p: statsmodels proportions_ztest([x1, x0], [n1, n0]) (pooled); checked
  against scipy chi2_contingency([[x0, n0 - x0], [x1, n1 - x1]], correction=False)
- welch: mean0 var0 n0 mean1 var1 n1 -> p: scipy ttest_ind_from_stats(..., equal_var=False)
- holm: p1 ... pm -> adjusted: statsmodels multipletests(ps, method="holm")
- variance: sum_sq mean n -> variance: numpy var(x, ddof=1) of the values summed
Usage: /usr/bin/python3 tests/data/oracles/step2_vectors.py > tests/data/oracles/step2-vectors.csv"""
import math
import sys

import numpy as np
from scipy import special, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

rng = np.random.default_rng(20261203)
out = sys.stdout
out.write("kind,inputs,expected\n")


def row(kind, inputs, expected):
    out.write(kind + "," + ";".join(repr(float(v)) for v in inputs) + "," + ";".join(repr(float(v)) for v in expected) + "\n")


sizes = [2, 3, 5, 12, 40, 333, 5000, 120000, 3000000]
for i in range(30):
    n = int(rng.choice(sizes)) if i % 3 else int(rng.integers(2, 60))
    k = int(rng.integers(0, n + 1)) if i % 5 else (0 if i % 10 == 0 else n)
    z = [1.959963984540054, stats.norm.isf(0.005), stats.norm.isf(0.05)][i % 3]
    alpha = 2 * stats.norm.sf(z)
    lo, hi = proportion_confint(k, n, alpha, method="wilson")
    ci = stats.binomtest(k, n).proportion_ci(1 - alpha, method="wilson")
    assert math.isclose(lo, ci.low, rel_tol=1e-9, abs_tol=1e-15) and math.isclose(hi, ci.high, rel_tol=1e-9, abs_tol=1e-15)
    row("wilson", [k, n, z], [lo, hi])
for i in range(30):
    n = int(rng.choice(sizes))
    mean = float(rng.normal(10, 20))
    var = float(rng.gamma(2.0, 30.0))
    alpha = [0.05, 0.01, 0.1, 0.2][i % 4]
    xb = special.betaincinv((n - 1) / 2, 0.5, alpha)
    q = math.sqrt((n - 1) * (1 / xb - 1))
    lo, hi = mean - q * math.sqrt(var / n), mean + q * math.sqrt(var / n)
    slo, shi = stats.t.interval(1 - alpha, n - 1, loc=mean, scale=math.sqrt(var / n))
    assert math.isclose(lo, slo, rel_tol=1e-7) and math.isclose(hi, shi, rel_tol=1e-7)
    row("t", [mean, var, n, alpha], [lo, hi])
for i in range(40):
    n0, n1 = int(rng.choice(sizes[2:])), int(rng.choice(sizes[2:]))
    p0 = float(rng.uniform(0.001, 0.6))
    p1 = min(0.999, max(0.0005, p0 * float(rng.uniform(0.7, 1.5))))
    x0, x1 = int(rng.binomial(n0, p0)), int(rng.binomial(n1, p1))
    if x0 + x1 == 0 or x0 + x1 == n0 + n1:
        continue
    _, p = proportions_ztest([x1, x0], [n1, n0])
    chi = stats.chi2_contingency([[x0, n0 - x0], [x1, n1 - x1]], correction=False)[1]
    assert math.isclose(p, chi, rel_tol=1e-7), (p, chi)
    row("z", [x0, n0, x1, n1], [p])
for i in range(40):
    n0, n1 = int(rng.choice(sizes)), int(rng.choice(sizes))
    m0 = float(rng.normal(50, 10))
    m1 = m0 + float(rng.normal(0, 3))
    v0, v1 = float(rng.gamma(2.0, 20.0)), float(rng.gamma(2.0, 20.0)) * (1 if i % 2 else 10)
    p = stats.ttest_ind_from_stats(m0, math.sqrt(v0), n0, m1, math.sqrt(v1), n1, equal_var=False).pvalue
    row("welch", [m0, v0, n0, m1, v1, n1], [p])
for i in range(20):
    m = int(rng.integers(2, 8))
    ps = [float(10 ** rng.uniform(-8, 0)) for _ in range(m)]
    if i % 4 == 0:
        ps[1] = ps[0]  # a tie
    row("holm", ps, multipletests(ps, method="holm")[1])
for i in range(15):
    n = int(rng.choice([2, 3, 7, 50, 1000]))
    x = rng.normal(rng.uniform(-5, 5), rng.uniform(0.1, 4), n)
    row("variance", [float(np.sum(x * x)), float(np.mean(x)), n], [np.var(x, ddof=1)])
