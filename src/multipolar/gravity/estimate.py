r"""Gravity estimation by PPML with high-dimensional fixed effects (pyfixest ``fepois``).

PPML (Santos Silva & Tenreyro 2006) with exporter(-year), importer(-year) and, where the panel
allows, pair fixed effects (Yotov et al. 2016, ch. 1); standard errors clustered by pair.

The estimator is :class:`PPML` (scikit-learn style: parameters in the constructor, ``fit`` returns
it, ``predict`` gives the fitted flows of any rows); :func:`ppml` is the one-call form that returns
the :class:`GravityFit` summary. The model, for flow :math:`X_{ij}` of a row:

.. math:: E[X_{ij} \mid x] = \exp\left(x_{ij}' b + \sum_k \gamma_{k, g_k(ij)}\right),

one effect :math:`\gamma` per level of each fixed effect k, estimated from the Poisson score
:math:`\sum (X_{ij} - \hat\mu_{ij}) x_{ij} = 0`, so zero flows stay in the sample.

Nothing is dropped silently. Before the fit, :class:`PPML` removes, in rounds until none is left,
and counts by reason (``dropped_``, ``GravityFit.dropped``):

* observations in a fixed-effect group whose flows are all zero (the group's effect would be
  minus infinity: the estimates do not exist with them; Correia, Guimarães & Zylkin 2021);
* singletons: observations alone in a fixed-effect group (they carry no information and bias
  the clustered variance).

Whatever pyfixest still removes (its own separation check) is counted as well, as the difference
between the rows passed and the rows used.
"""
from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ..errors import InputError


@dataclass
class GravityFit:
    """What a PPML fit gives the gravity pipeline: the formula, coefficients with pair-clustered
    standard errors and their covariance, the rows used (with their fitted flows ``fitted``), the
    rows dropped by reason, the fixed effects (``{"C(name)": {level: effect}}``), the deviance, notes,
    and ``pair_effects``: whether the fit has pair fixed effects (then the pair effects enter the costs
    of :func:`multipolar.gravity.panel.baseline`)."""
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
    pair_effects: bool = False            # the fit has pair fixed effects

    def table(self) -> pd.DataFrame:
        """Per coefficient: estimate, pair-clustered se, z and the two-sided p-value."""
        z = self.coef / self.se
        from scipy.stats import norm
        return pd.DataFrame({"coef": self.coef, "se_cluster_pair": self.se, "z": z, "p": 2 * norm.sf(np.abs(z))})


def _drop_degenerate(df: pd.DataFrame, y: str, fes: list[str]) -> tuple[pd.DataFrame, list[dict]]:
    """``df`` without the rows in a fixed-effect group of zero flows and the singletons, in rounds until
    none is left, and the rows dropped per reason and effect."""
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


class PPML(BaseEstimator):
    """Poisson pseudo-maximum likelihood with high-dimensional fixed effects (the module doc), a
    scikit-learn estimator.

    Parameters: ``outcome`` the flow column; ``regressors`` the cost columns (b); ``fixed_effects``
    the columns whose levels get an effect (e.g. exporter-year, importer-year, pair); ``cluster`` the
    column standard errors are clustered by; ``offset`` a column with a known log term (or None);
    ``tol``, ``max_iter`` the IRLS stopping rule; ``fixef_tol``, ``fixef_maxiter`` those of the
    demeaning (pyfixest ``fepois``).

    ``fit(X)``: X a DataFrame with those columns (``y``: the outcome's values, when not a column of X).
    Learned: ``formula_``, ``coef_``, ``se_`` (clustered), ``vcov_``, ``nobs_``, ``dropped_`` (reason,
    fixed_effect, rows), ``fixef_``, ``deviance_``, ``notes_``, ``used_`` (the rows used, with
    ``fitted``), ``model_`` (pyfixest's fit), ``result_`` (all of it as a :class:`GravityFit`).
    """

    def __init__(self, outcome: str = "trade", regressors: tuple = (), fixed_effects: tuple = ("exporter", "importer"),
                 cluster: str = "pair", offset: str | None = None, tol: float = 1e-10, max_iter: int = 100,
                 fixef_tol: float = 1e-8, fixef_maxiter: int = 20_000):
        self.outcome, self.regressors, self.fixed_effects, self.cluster, self.offset = outcome, regressors, fixed_effects, cluster, offset
        self.tol, self.max_iter, self.fixef_tol, self.fixef_maxiter = tol, max_iter, fixef_tol, fixef_maxiter

    def fit(self, X: pd.DataFrame, y=None):
        """Estimate b and the fixed effects on the rows of ``X`` (degenerate rows dropped and counted
        first); returns the estimator. A regressor that does not vary, a negative flow or a missing
        column is an :class:`InputError`; no convergence, :class:`~multipolar.gravity.ge.NotConverged`."""
        import pyfixest as pf
        yname, x, fes, cluster, offset = self.outcome, list(self.regressors), list(self.fixed_effects), self.cluster, self.offset
        df = X if y is None else X.assign(**{yname: np.asarray(y)})
        missing = [c for c in [yname, *x, *fes, cluster] + ([offset] if offset else []) if c not in df.columns]
        if missing:
            raise InputError(f"gravity: the data lack the column(s) {', '.join(missing)}")
        if (df[yname] < 0).any():
            raise InputError(f"gravity: {yname} has negative values ({int((df[yname] < 0).sum())} rows); trade flows must be >= 0")
        n0 = len(df)
        d = df.dropna(subset=[yname, *x])
        dropped = []
        if len(d) < n0:
            dropped.append({"reason": "missing outcome or regressor", "fixed_effect": "", "rows": n0 - len(d)})
        d, more = _drop_degenerate(d, yname, fes)
        dropped += more
        for c in x:
            if d[c].nunique() < 2:
                raise InputError(f"gravity: the regressor {c} does not vary in the estimation sample; drop it or widen the data")
        formula = f"{yname} ~ {' + '.join(x)} | {' + '.join(fes)}"
        d = d.reset_index(drop=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                m = pf.fepois(formula, data=d, vcov={"CRV1": cluster}, offset=offset, iwls_tol=self.tol, iwls_maxiter=self.max_iter,
                              fixef_rm="singleton", separation_check=["fe", "ir"], fixef_tol=self.fixef_tol,
                              fixef_maxiter=self.fixef_maxiter)
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
        dev = getattr(m, "deviance", np.nan)
        self.model_, self.formula_, self.coef_, self.se_, self.nobs_ = m, formula, m.coef(), m.se(), used
        self.dropped_ = pd.DataFrame(dropped, columns=["reason", "fixed_effect", "rows"])
        self.fixef_ = m.fixef()
        self.vcov_ = pd.DataFrame(m._vcov, index=m.coef().index, columns=m.coef().index)
        self.deviance_ = float(dev) if np.ndim(dev) == 0 else None
        self.notes_, self.used_ = notes, u
        self.result_ = GravityFit(formula, self.coef_, self.se_, used, self.dropped_, fixef=self.fixef_, vcov=self.vcov_,
                                  deviance=self.deviance_, notes=notes, used=u)
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """The expected flows exp(x'b + effects) of the rows of ``X`` (the regressors and fixed-effect
        columns; the offset too when the model has one); NaN where a fixed-effect level was not in the
        fit (pyfixest ``predict``)."""
        check_is_fitted(self, "model_")
        return np.asarray(self.model_.predict(newdata=X, type="response"), dtype=float)


def ppml(df: pd.DataFrame, y: str, x: list[str], fes: list[str], cluster: str = "pair", offset: str | None = None,
         tol: float = 1e-10, max_iter: int = 100, fixef_tol: float = 1e-8, fixef_maxiter: int = 20_000) -> GravityFit:
    """PPML of ``y`` on ``x`` with the fixed effects ``fes`` (column names), clustered by ``cluster``:
    :class:`PPML` fitted on ``df``, its :class:`GravityFit` summary.

    A fit depends on its rows and its specification alone, so it is kept in the cache folder
    (:func:`multipolar.config.cache_dir`; ``MULTIPOLAR_CACHE=off`` turns it off) under a hash of every cell of ``df``,
    the specification and the versions of multipolar and pyfixest: the same fit asked again (``simulate`` after
    ``gravity fit``, a second scenario on the same years) is read back, and its notes say so. Any change of the
    data or the specification is a new fit."""
    spec = dict(y=y, x=list(x), fes=list(fes), cluster=cluster, offset=offset, tol=tol, max_iter=max_iter,
                fixef_tol=fixef_tol, fixef_maxiter=fixef_maxiter)
    path = _cached_fit_path(df, spec)
    if path is not None and path.exists():
        try:
            import pickle
            with open(path, "rb") as fh:
                f = pickle.load(fh)
            os.utime(path)
            f.notes = list(f.notes) + ["this PPML fit was read from the cache: the same rows and specification were fitted before "
                                       f"({path.name[:12]}; MULTIPOLAR_CACHE=off fits again)"]
            return f
        except Exception:                   # a damaged or older entry: fit again and replace it
            pass
    est = PPML(outcome=y, regressors=tuple(x), fixed_effects=tuple(fes), cluster=cluster, offset=offset, tol=tol,
               max_iter=max_iter, fixef_tol=fixef_tol, fixef_maxiter=fixef_maxiter)
    f = est.fit(df).result_
    if path is not None:
        _store_fit(path, f)
    return f


#: how many fits the cache keeps (the least recently used go first)
CACHE_KEEP = 64


def _cached_fit_path(df: pd.DataFrame, spec: dict):
    from ..config import cache_dir
    root = cache_dir()
    if root is None:
        return None
    import hashlib
    import json

    import pyfixest

    from .. import __version__
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()         # a change of this fitting code is a new fit
    h = hashlib.sha256(json.dumps({**spec, "columns": list(map(str, df.columns)), "dtypes": list(map(str, df.dtypes)),
                                   "multipolar": __version__, "code": code, "pyfixest": pyfixest.__version__},
                                  sort_keys=True).encode())
    h.update(pd.util.hash_pandas_object(df, index=True).to_numpy().tobytes())
    return root / "gravity-fits" / f"{h.hexdigest()}.pkl"


def _store_fit(path, f: GravityFit) -> None:
    """Write atomically (a temporary file renamed), then keep the :data:`CACHE_KEEP` most recently used. A cache
    that cannot be written is no error: the fit is returned all the same."""
    import pickle
    import tempfile
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(f, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        entries = sorted(path.parent.glob("*.pkl"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[CACHE_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


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
    s2 = ppml(known, "_tbar", x, [exporter, importer], cluster=pair)
    c = s2.coef
    used = s2.used

    def country(col):
        lv = {str(k): v for k, v in s2.fixef[f"C({col})"].items()}
        present = set(used[col].astype(str))
        return rows.loc[miss, col].astype(str).map(lambda k: lv.get(k, 0.0) if k in present else np.nan).to_numpy()
    pred = sum(c[v] * rows.loc[miss, v].to_numpy(dtype=float) for v in x) + country(exporter) + country(importer)
    eff[miss] = pred
    return eff, int(miss.sum()), int(np.isnan(pred).sum())
