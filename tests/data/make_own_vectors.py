#!/usr/bin/python3
"""Computes tests/data/own-srm-vectors.csv independently of the C++ code.

Run:  /usr/bin/python3 tests/data/make_own_vectors.py > tests/data/own-srm-vectors.csv
Uses Debian's python3-scipy (scipy 1.10.1) and R 4.2 (r-base-core):
  chi_square, p_value   scipy.stats.chisquare(obs, obs.sum() * w / w.sum())
  log10_p_value         Rscript -e 'pchisq(x, df, lower.tail=FALSE, log.p=TRUE)/log(10)'
  exact_p_value         two variants: scipy.stats.binomtest(obs[0], n, w[0]/w.sum()).pvalue
                        more: sum of scipy.stats.multinomial.pmf over every outcome whose
                        pmf <= pmf(obs) * (1 + 1e-7), all outcomes enumerated
"""
import itertools
import subprocess

import numpy as np
from scipy import stats

VECTORS = [
    ([5003, 4997], [1, 1]),                       # p ~ 0.95
    ([1010, 990], [1, 1]),                        # p ~ 0.65
    ([2000, 1000, 1100], [2, 1, 1]),              # k = 3, unequal weights
    ([700, 310, 290, 200], [35, 15, 15, 10]),     # k = 4, unequal
    ([100, 120, 90, 110, 95], [1, 1, 1, 1, 1]),   # k = 5
    ([500, 480, 530, 510, 470, 640], [1, 1, 1, 1, 1, 1.2]),  # k = 6, unequal
    ([10500, 9500], [1, 1]),                      # p ~ 1e-12
    ([52000, 48000], [1, 1]),                     # p ~ 1e-36
    ([600000, 400000], [1, 1]),                   # p underflows
    ([900000, 50000, 50000], [8, 1, 1]),          # k = 3 underflow
    ([1, 2, 0, 3], [1, 1, 1, 1]),                 # exact multinomial, k = 4
    ([0, 9, 1], [1, 1, 1]),                       # exact multinomial, k = 3
    ([4, 0, 1, 2, 3], [2, 1, 1, 1, 1]),           # exact multinomial, k = 5
    ([2, 10], [1, 1]),                            # exact binomial
    ([96, 4], [90, 10]),                          # exact binomial, unequal, expected 10 vs 90 -> 10 >= 5 so chi-square
    ([99, 1], [97, 3]),                           # exact binomial, expected 3
    ([0, 6], [1, 1]),                             # zero observed in a variant, exact
    ([0, 1000], [1, 1]),                          # zero observed, chi-square, deep underflow
]


def r_log10(x, df):
    out = subprocess.run(["Rscript", "-e",
                          f"cat(sprintf('%.17g', pchisq({x!r}, {df}, lower.tail=FALSE, log.p=TRUE)/log(10)))"],
                         check=True, capture_output=True, text=True).stdout
    return float(out)


def exact(obs, w):
    obs = np.array(obs)
    p = np.array(w, dtype=float) / sum(w)
    n = int(obs.sum())
    if len(obs) == 2:
        return stats.binomtest(int(obs[0]), n, p[0]).pvalue
    ref = stats.multinomial.pmf(obs, n, p) * (1 + 1e-7)
    total = 0.0
    for cut in itertools.combinations_with_replacement(range(len(obs)), n):
        x = np.bincount(cut, minlength=len(obs))
        q = stats.multinomial.pmf(x, n, p)
        if q <= ref:
            total += q
    return total


print("observed;weights;chi_square;df;p_value;log10_p_value;exact_p_value")
for obs, w in VECTORS:
    o = np.array(obs, dtype=float)
    e = o.sum() * np.array(w, dtype=float) / sum(w)
    chi, p = stats.chisquare(o, e)
    df = len(obs) - 1
    ex = exact(obs, w) if e.min() < 5 else None
    print(";".join([" ".join(map(str, obs)), " ".join(map(str, w)), repr(float(chi)), str(df), repr(float(p)),
                    repr(r_log10(float(chi), df)), "" if ex is None else repr(float(ex))]))
