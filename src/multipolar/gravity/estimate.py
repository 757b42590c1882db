"""Gravity estimation by PPML with high-dimensional fixed effects (pyfixest ``fepois``).

PPML (Santos Silva & Tenreyro 2006) with exporter(-year), importer(-year) and, where the panel
allows, pair fixed effects (Yotov et al. 2016, ch. 1); standard errors clustered by pair.

Nothing is dropped silently. Before the fit, :func:`fit` removes, in rounds until none is left,
and counts by reason (``GravityFit.dropped``):

* observations in a fixed-effect group whose flows are all zero (the group's effect would be
  minus infinity: the estimates do not exist with them; Correia, Guimarães & Zylkin 2021);
* singletons: observations alone in a fixed-effect group (they carry no information and bias
  the clustered variance).

Whatever pyfixest still removes (its own separation check) is counted as well, as the difference
between the rows passed and the rows used.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError


@dataclass
class GravityFit:
    formula: str
    coef: pd.Series
    se: pd.Series
    nobs: int
    dropped: pd.DataFrame                 # reason, fixed_effect, rows
    fixef: dict = field(default_factory=dict)
    vcov: pd.DataFrame | None = None
    deviance: float | None = None
    notes: list[str] = field(default_factory=list)
    used: pd.DataFrame | None = None      # the rows used, with the fitted values ``fitted``

    def table(self) -> pd.DataFrame:
        z = self.coef / self.se
        from scipy.stats import norm
        return pd.DataFrame({"coef": self.coef, "se_cluster_pair": self.se, "z": z, "p": 2 * norm.sf(np.abs(z))})


def _drop_degenerate(df: pd.DataFrame, y: str, fes: list[str]) -> tuple[pd.DataFrame, list[dict]]:
    rows = []
    while True:
        changed = False
        for fe in fes:
            tot = df.groupby(fe, observed=True)[y].transform("sum")
            bad = tot <= 0
            if bad.any():
                rows.append({"reason": "fixed-effect group with only zero flows", "fixed_effect": fe, "rows": int(bad.sum())})
                df = df[~bad]
                changed = True
            n = df.groupby(fe, observed=True)[y].transform("size")
            single = n == 1
            if single.any():
                rows.append({"reason": "singleton", "fixed_effect": fe, "rows": int(single.sum())})
                df = df[~single]
                changed = True
        if not changed:
            return df, rows


def fit(df: pd.DataFrame, y: str, x: list[str], fes: list[str], cluster: str = "pair", offset: str | None = None,
        tol: float = 1e-10, max_iter: int = 100, fixef_tol: float = 1e-8, fixef_maxiter: int = 20_000) -> GravityFit:
    """PPML of ``y`` on ``x`` with the fixed effects ``fes`` (column names), clustered by ``cluster``."""
    import pyfixest as pf
    missing = [c for c in [y, *x, *fes, cluster] + ([offset] if offset else []) if c not in df.columns]
    if missing:
        raise InputError(f"gravity: the data lack the column(s) {', '.join(missing)}")
    if (df[y] < 0).any():
        raise InputError(f"gravity: {y} has negative values ({int((df[y] < 0).sum())} rows); trade flows must be >= 0")
    n0 = len(df)
    d = df.dropna(subset=[y, *x])
    dropped = []
    if len(d) < n0:
        dropped.append({"reason": "missing outcome or regressor", "fixed_effect": "", "rows": n0 - len(d)})
    d, more = _drop_degenerate(d, y, fes)
    dropped += more
    for c in x:
        if d[c].nunique() < 2:
            raise InputError(f"gravity: the regressor {c} does not vary in the estimation sample; drop it or widen the data")
    formula = f"{y} ~ {' + '.join(x)} | {' + '.join(fes)}"
    d = d.reset_index(drop=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            m = pf.fepois(formula, data=d, vcov={"CRV1": cluster}, offset=offset, iwls_tol=tol, iwls_maxiter=max_iter,
                          fixef_rm="singleton", separation_check=["fe", "ir"], fixef_tol=fixef_tol, fixef_maxiter=fixef_maxiter)
        except ValueError as e:
            from .ge import NotConverged
            raise NotConverged(f"gravity: PPML did not converge ({e}); try fewer years, a looser --tol, or no pair effects") from None
    notes = [str(w.message) for w in caught if "separation" in str(w.message) or "converge" in str(w.message).lower()]
    used = int(m._N)
    if used < len(d):
        dropped.append({"reason": "separation (pyfixest check)", "fixed_effect": "", "rows": len(d) - used})
    keep = np.ones(len(d), dtype=bool)
    na = getattr(m, "_na_index", None)
    if na is not None and len(na):
        keep[np.asarray(na, dtype=int)] = False
    u = d[keep].copy()
    u["fitted"] = np.asarray(m.predict(type="response")) if len(u) == used else np.nan
    return GravityFit(formula, m.coef(), m.se(), used, pd.DataFrame(dropped, columns=["reason", "fixed_effect", "rows"]),
                      fixef=m.fixef(), vcov=pd.DataFrame(m._vcov, index=m.coef().index, columns=m.coef().index),
                      deviance=float(getattr(m, "deviance", np.nan)) if np.ndim(getattr(m, "deviance", np.nan)) == 0 else None,
                      notes=notes, used=u)


def pair_effects(f: GravityFit, rows: pd.DataFrame, x: list[str], pair: str = "pair", exporter: str = "exporter",
                 importer: str = "importer") -> tuple[pd.Series, int, int]:
    """The estimated pair effects (log) of ``rows`` (aligned with them), those the fit has none for
    (pairs that never trade in the sample) predicted by the second stage of Anderson & Yotov (2016,
    "Terms of trade and global efficiency effects of free trade agreements", JIE 99): PPML of
    exp(pair effect) on the time-invariant costs ``x`` with exporter and importer effects.
    Returns the effects, how many were predicted, and how many stay missing (a cost or a country
    effect the second stage cannot give)."""
    fe = {str(k): v for k, v in f.fixef[f"C({pair})"].items()}
    seen = set(f.used[pair].astype(str))
    # pyfixest leaves one level of each extra effect out as the reference: its effect is 0
    eff = rows[pair].astype(str).map(lambda p: fe.get(p, 0.0) if p in seen else np.nan).astype(float)
    miss = eff.isna()
    if not miss.any():
        return eff, 0, 0
    known = rows[~miss].assign(_tbar=np.exp(eff[~miss]))
    x = [v for v in x if known[v].nunique(dropna=True) >= 2]        # a cost without variation cannot be estimated
    s2 = fit(known, "_tbar", x, [exporter, importer], cluster=pair)
    c = s2.coef
    used = s2.used

    def country(col):
        lv = {str(k): v for k, v in s2.fixef[f"C({col})"].items()}
        present = set(used[col].astype(str))
        return rows.loc[miss, col].astype(str).map(lambda k: lv.get(k, 0.0) if k in present else np.nan).to_numpy()
    pred = sum(c[v] * rows.loc[miss, v].to_numpy(dtype=float) for v in x) + country(exporter) + country(importer)
    eff[miss] = pred
    return eff, int(miss.sum()), int(np.isnan(pred).sum())
