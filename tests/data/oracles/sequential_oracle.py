"""Independent reference for the Dirichlet-multinomial sequential SRM test,
written from the formulas of Lindon & Malek (Optimizely's ssrm: prior alpha = c x
null shares, log marginal likelihoods with the multinomial coefficient on both
sides, p = min(1, running min of 1/BF)); phases keep their closed Bayes
factors and restart the prior. Natural logs. /usr/bin/python3 (scipy 1.10).
"""
import math
import numpy as np
from scipy.special import gammaln, xlogy


def log_multinomial_coef(x):
    x = np.asarray(x, dtype=float)
    return gammaln(x.sum() + 1.0) - gammaln(x + 1.0).sum()


def log_null_pmf(x, p0):
    """log Multinomial(x | n, p0), coefficient included; 0*log(0) := 0."""
    x = np.asarray(x, dtype=float); p0 = np.asarray(p0, dtype=float)
    return float(gammaln(x.sum() + 1.0) + np.sum(xlogy(x, p0) - gammaln(x + 1.0)))


def log_dm_predictive(x, alpha):
    """log Dirichlet-multinomial pmf of batch x under Dirichlet(alpha), coefficient included."""
    x = np.asarray(x, dtype=float); a = np.asarray(alpha, dtype=float)
    return float(log_multinomial_coef(x) + gammaln(a.sum()) - gammaln(a).sum()
                 + gammaln(a + x).sum() - gammaln((a + x).sum()))


def run(batches, p0, concentration=10000.0, dirichlet_probability=None):
    """Returns list of per-step dicts: cumulative log marginal likelihoods, posterior alpha,
    log BF, BF, sequential p = min(1, running min 1/BF)."""
    p0 = np.asarray(p0, dtype=float)
    m = p0 if dirichlet_probability is None else np.asarray(dirichlet_probability, dtype=float)
    alpha = m * concentration
    lm1 = lm0 = 0.0
    p = 1.0
    out = []
    for x in batches:
        x = np.asarray(x, dtype=float)
        lm1 += log_dm_predictive(x, alpha)
        if x.sum() > 0:
            lm0 += log_null_pmf(x, p0)
        alpha = alpha + x
        lbf = lm1 - lm0
        bf = math.exp(lbf) if lbf < 709 else math.inf
        p = min(p, 1.0 / bf if bf != 0 else math.inf)
        out.append(dict(lm1=lm1, lm0=lm0, alpha=alpha.copy(), lbf=lbf, bf=bf, p=p,
                        post_prob=(1.0 if math.isinf(bf) else bf / (1 + bf))))
    return out


def run_phases(phases, concentration):
    """phases: list of (p0, batches). Closed phases' log BF kept; new phase restarts prior.
    p = min(1, running min over all hours of exp(-total log BF))."""
    closed = 0.0
    p = 1.0
    rows = []
    for p0, batches in phases:
        res = run(batches, p0, concentration)
        for r in res:
            total = closed + r['lbf']
            p = min(p, math.exp(-total))
            rows.append((r['lbf'], total, p))
        closed += res[-1]['lbf']
    return rows


if __name__ == '__main__':
    print('=== published test_sequential_posteriors, unit-level (alpha=[1,1,1]) ===')
    for r in run([[1,0,0],[0,1,0],[1,0,0],[0,1,0],[0,0,1]], [0.4,0.4,0.2], 1, [1,1,1]):
        print(repr(r['lm1']), repr(r['lm0']), r['alpha'].tolist())
    print('=== published test_sequential_posteriors, batched (alpha=[1,1,1]) ===')
    for r in run([[20,17,9],[18,21,8],[4,6,4],[18,19,11]], [0.4,0.4,0.2], 1, [1,1,1]):
        print(repr(r['lm1']), repr(r['lm0']), r['alpha'].tolist())
    print('=== test_multinomiallogpmf inputs ===')
    for x, p in zip([[10,20,30],[1,1,1],[0,0,1],[12,30,8]],
                    [[0.2,0.4,0.4],[1/3,1/3,1/3],[0.3,0.4,0.3],[0,0,1]]):
        print(x, p, repr(log_null_pmf(x, p)))
    print('=== test_overflow ===')
    lbf = -23.585991739528254 - (-76546.65811250894)
    print('logBF', repr(lbf), 'BF', math.inf if lbf > 709 else math.exp(lbf))
    # The cases of tests/core/diagnosis/tst_oracles.cpp: log10 p after each hour.
    A = [[510, 490], [530, 470], [560, 440], [540, 460], [580, 420]]
    for c in (100, 10000):
        print('A c=%g' % c, [repr(math.log10(r['p'])) for r in run(A, [0.5, 0.5], c)])
    B = [[580, 420], [420, 580], [500, 500], [505, 495]]
    print('B c=100', [repr(math.log10(r['p'])) for r in run(B, [0.5, 0.5], 100)])
    C = [([0.5, 0.5], [[540, 460], [545, 455], [530, 470]]), ([0.2, 0.8], [[230, 770], [235, 765], [228, 772]])]
    print('C c=100', [repr(math.log10(p)) for _, _, p in run_phases(C, 100)])
