#!/usr/bin/env python3
"""Prints the reference values test/stats-welch.test.ts checks Welch's unpaired difference
(src/shared/intervals.ts welchInterval, src/services/experiments/stats.ts welchDifference) against,
computed independently of jstat: SciPy is not installed here, so the Student t distribution comes
from mpmath (50 digits): its CDF by the regularized incomplete beta function, its quantile by
root-finding on that CDF. Welch-Satterthwaite degrees of freedom, standard error and p-value are
written out from their textbook definitions.

    /usr/bin/python3 scripts/record-welch-reference.py   # mpmath 1.2.1 (a dependency of sympy)
"""
import json

import mpmath as mp

mp.mp.dps = 50


def t_cdf(t, df):
    """P(T_df <= t) = 1 - I_{df/(df+t^2)}(df/2, 1/2) / 2 for t >= 0 (regularized incomplete beta)."""
    x = df / (df + t * t)
    tail = mp.betainc(df / 2, mp.mpf(1) / 2, 0, x, regularized=True) / 2
    return 1 - tail if t >= 0 else tail


def t_quantile(q, df):
    return mp.findroot(lambda t: t_cdf(t, df) - q, mp.mpf(2))


def welch(variant, baseline, level=0.95, bounds=None):
    v = [mp.mpf(x) for x in variant]
    b = [mp.mpf(x) for x in baseline]
    nv, nb = len(v), len(b)
    mv, mb = sum(v) / nv, sum(b) / nb
    sv2 = sum((x - mv) ** 2 for x in v) / (nv - 1)
    sb2 = sum((x - mb) ** 2 for x in b) / (nb - 1)
    qv, qb = sv2 / nv, sb2 / nb
    se = mp.sqrt(qv + qb)
    df = (qv + qb) ** 2 / (qv**2 / (nv - 1) + qb**2 / (nb - 1))
    d = mv - mb
    h = t_quantile(1 - (1 - mp.mpf(level)) / 2, df) * se
    t = d / se
    p = 2 * t_cdf(-abs(t), df)
    lower, upper = d - h, d + h
    if bounds:
        lower, upper = max(bounds[0], lower), min(bounds[1], upper)
    return {
        "variant": variant,
        "baseline": baseline,
        "bounds": bounds,
        "mean": float(d),
        "se": float(se),
        "df": float(df),
        "lower": float(lower),
        "upper": float(upper),
        "t": float(t),
        "p": float(p),
    }


cases = [
    welch([0.61, 0.58, 0.66, 0.70], [0.52, 0.47, 0.55]),
    welch([0.9, 1.0], [1.2, 1.9, 0.7, 1.4, 2.3]),
    welch([0.99, 0.2, 0.98], [0.05, 0.9], bounds=[-1, 1]),
]
print(json.dumps({"mpmath": mp.__version__, "cases": cases}, indent=2))
