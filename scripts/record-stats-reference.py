#!/usr/bin/env python3
"""Records the reference values test/stats.test.ts checks src/shared/intervals.ts and
src/services/experiments/stats.ts against, computed here independently with SciPy and statsmodels:
Student-t intervals, the log-t and logit-t intervals of bounded metrics (the formulas of
docs/experiments.md, "Statistics", evaluated with SciPy's t quantiles), paired t-tests, Cohen's d_z,
Holm-adjusted p-values and the power of the paired t-test with the seeds it needs.

    apt-get install python3-scipy python3-statsmodels   # Debian 12: SciPy 1.10, statsmodels 0.13
    /usr/bin/python3 scripts/record-stats-reference.py   # writes test/fixtures/stats-reference.json
"""
import json
import math
import os

import numpy as np
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import TTestPower

LEVEL = 0.95
rng = np.random.default_rng(13)


def t_interval(x):
    x = np.asarray(x, dtype=float)
    n = len(x)
    m = x.mean()
    sem = x.std(ddof=1) / math.sqrt(n)
    lo, hi = stats.t.interval(LEVEL, n - 1, loc=m, scale=sem)
    return m, sem, float(lo), float(hi)


def bounded_interval(x, scale):
    """The delta-method t-interval on the log or logit scale, mapped back."""
    m, sem, _, _ = t_interval(x)
    n = len(x)
    h = stats.t.ppf(1 - (1 - LEVEL) / 2, n - 1) * sem
    if scale == "log":
        if m <= 0:
            return m, m
        return float(np.exp(np.log(m) - h / m)), float(np.exp(np.log(m) + h / m))
    if m <= 0 or m >= 1:
        return m, m
    centre = scipy.special.logit(m)
    k = h / (m * (1 - m))
    return float(scipy.special.expit(centre - k)), float(scipy.special.expit(centre + k))


def sample(kind, n):
    if kind == "accuracy":  # near the top of [0, 1], as test accuracies are
        return np.clip(rng.normal(0.9, 0.06, n), 0, 1)
    if kind == "loss":  # small positive losses with a wide spread
        return rng.lognormal(-1.2, 0.9, n)
    return rng.normal(0.0, 1.0, n)


means = []
for kind, rng_name in [("accuracy", "unit"), ("loss", "positive"), ("real", "real")]:
    for n in [2, 3, 5, 10]:
        x = sample(kind, n)
        m, _, lo, hi = t_interval(x)
        case = {"range": rng_name, "values": [float(v) for v in x], "mean": float(m), "sd": float(np.std(x, ddof=1))}
        case["t"] = [lo, hi]
        if rng_name != "real":
            case["bounded"] = list(bounded_interval(x, "logit" if rng_name == "unit" else "log"))
        means.append(case)
# Three seeds that give the two t-intervals: test accuracy 87.6% [68.1%, 107.2%] and
# validation loss 0.44 [-0.229, 1.11].
for rng_name, x in [("unit", [0.797, 0.876, 0.955]), ("positive", [0.17, 0.44, 0.71])]:
    m, _, lo, hi = t_interval(x)
    means.append(
        {"range": rng_name, "values": x, "mean": float(m), "sd": float(np.std(x, ddof=1)), "t": [lo, hi],
         "bounded": list(bounded_interval(np.asarray(x), "logit" if rng_name == "unit" else "log"))}
    )

paired = []
for n in [2, 3, 5, 8]:
    a = rng.normal(0.5, 0.1, n)
    b = a + rng.normal(0.03, 0.05, n)
    d = b - a
    res = stats.ttest_rel(b, a)
    _, _, lo, hi = t_interval(d)
    paired.append(
        {"baseline": [float(v) for v in a], "variant": [float(v) for v in b], "mean": float(d.mean()),
         "sd": float(d.std(ddof=1)), "t": [lo, hi], "statistic": float(res.statistic), "p": float(res.pvalue),
         "dz": float(d.mean() / d.std(ddof=1))}
    )

holm = []
for p in [[0.01, 0.04, 0.03, 0.005], [0.2, 0.5, 0.01], [0.04], [0.3, 0.3, 0.3, 0.001, 0.6]]:
    holm.append({"p": p, "adjusted": [float(v) for v in multipletests(p, method="holm")[1]]})

power = []
analysis = TTestPower()
for dz in [0.3, 0.5, 0.8, 1.2, 2.0, 3.0]:
    for n in [2, 3, 5, 10, 30]:
        power.append({"dz": dz, "n": n, "power": float(analysis.power(effect_size=dz, nobs=n, alpha=0.05, alternative="two-sided"))})
seeds = []
for dz in [0.2, 0.35, 0.5, 0.8, 1.0, 1.5, 2.5]:
    n = analysis.solve_power(effect_size=dz, nobs=None, alpha=0.05, power=0.8, alternative="two-sided")
    seeds.append({"dz": dz, "solvedN": float(n), "seeds": max(2, math.ceil(n))})

out = {
    "generator": f"scripts/record-stats-reference.py (SciPy {scipy.__version__}, statsmodels {statsmodels.__version__}, NumPy {np.__version__})",
    "level": LEVEL,
    "means": means,
    "paired": paired,
    "holm": holm,
    "power": power,
    "seeds": seeds,
}
path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "stats-reference.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(f"wrote {os.path.normpath(path)}")
