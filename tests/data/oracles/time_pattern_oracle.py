#!/usr/bin/env python3
"""Independent log-likelihoods and BICs of Step 1's four time-pattern models
for two variants planned 50/50 over hourly bins (scipy 1.10):
  none      every bin at the plan:               ll0 = sum n_bj log theta_j
  from_start one constant share (MLE N_j / N):   ll1
  at_point  the plan before bin tau, a constant share after (MLE), tau over
            the bins with >= 2 % of the units on each side:  ll2 = max_tau
  gradual   logit share = logit theta + c t, t = (b + 0.5) / bins, c by
            scipy.optimize.minimize_scalar:      ll3
BIC = -2 ll + params ln N (none 0, from_start 1, gradual 1, at_point 2).
Usage: /usr/bin/python3 time_pattern_oracle.py"""
import math
from scipy.optimize import minimize_scalar

bins = [(100 + 2 * h, 100 - 2 * h) for h in range(10)]  # (control, treatment) per hour
N = sum(a + b for a, b in bins)
ll0 = sum((a + b) * math.log(0.5) for a, b in bins)
A, B = sum(a for a, _ in bins), sum(b for _, b in bins)
ll1 = A * math.log(A / N) + B * math.log(B / N)
ll2 = -math.inf
for tau in range(1, len(bins)):
    before = sum(a + b for a, b in bins[:tau])
    if before < 0.02 * N or N - before < 0.02 * N:
        continue
    a2, b2 = sum(a for a, _ in bins[tau:]), sum(b for _, b in bins[tau:])
    ll = sum((a + b) * math.log(0.5) for a, b in bins[:tau]) + a2 * math.log(a2 / (a2 + b2)) + b2 * math.log(b2 / (a2 + b2))
    if ll > ll2:
        ll2, best_tau = ll, tau


def neg_ll3(c):
    s = 0.0
    for h, (a, b) in enumerate(bins):
        t = (h + 0.5) / len(bins)
        p1 = math.exp(c * t) / (1 + math.exp(c * t))
        s += a * math.log(1 - p1) + b * math.log(p1)
    return -s


ll3 = -minimize_scalar(neg_ll3, bounds=(-20, 20), method="bounded", options={"xatol": 1e-12}).fun
lnN = math.log(N)
print("N", N, "tau", best_tau)
print("bic_none", repr(-2 * ll0), "bic_constant", repr(-2 * ll1 + lnN), "bic_step", repr(-2 * ll2 + 2 * lnN),
      "bic_trend", repr(-2 * ll3 + lnN))
