"""Country-code normalisation as engine-neutral expressions.

The joins that turn a source's codes into registry codes are written in ibis, so the same
expression runs on DuckDB (the default, in process) and on Spark or any other ibis backend
when event data grow to hundreds of millions of rows. ``join_codes`` takes a pandas frame for
the small sources; ``code_join_expr`` is the expression itself, for tables already in a backend.
"""
from __future__ import annotations

from functools import lru_cache

import ibis
import pandas as pd

from ..actors.registry import Registry, registry


@lru_cache(maxsize=16)
def _year_xwalk(system: str) -> pd.DataFrame:
    return registry().year_crosswalk(system)


@lru_cache(maxsize=16)
def _span_xwalk(system: str) -> pd.DataFrame:
    return registry().crosswalk(system)


def code_join_expr(t: ibis.Table, col: str, *, system: str, year: str | None = None, date: str | None = None,
                   out: str = "code") -> ibis.Table:
    """``t`` left-joined to the registry crosswalk of ``system``: adds column ``out``.

    With ``year``: the state that held the code for the larger part of that year (the registry's
    yearly rule, :meth:`Registry.year_crosswalk`). With ``date`` (an ISO
    date string column): the state whose spell contains the date. Neither: today's holder.
    """
    key = t[col].cast("string")
    if system in ("cow", "gw", "isonum"):
        key = t[col].cast("float64").cast("int64").cast("string")
    t = t.mutate(_x_key=key)
    if year is not None:
        x = ibis.memtable(_year_xwalk(system)).rename(_x_xkey="key", _x_year="year", _x_code="code")
        j = t.left_join(x, [t._x_key == x._x_xkey, t[year].cast("int64") == x._x_year])
    else:
        x = ibis.memtable(_span_xwalk(system)).rename(_x_xkey="key", _x_s="start", _x_e="end", _x_code="code")
        if date is not None:
            d = t[date].cast("string")
            j = t.left_join(x, [t._x_key == x._x_xkey, x._x_s <= d, x._x_e >= d])
        else:
            j = t.left_join(x, [t._x_key == x._x_xkey, x._x_e == "9999-12-31"])
    j = j.mutate(**{out: j._x_code})
    return j.drop(*[c for c in j.columns if c.startswith("_x_")])


def join_codes(df: pd.DataFrame, col: str, *, system: str, year: str | None = None, date: str | None = None,
               out: str = "code", reg: Registry | None = None, overrides: dict | None = None) -> pd.DataFrame:
    """pandas in, pandas out: ``df`` with ``out`` added (None where nothing matched)."""
    reg = reg or registry()
    if system == "name":
        return _join_names(df, col, year=year, date=date, out=out, reg=reg, overrides=overrides)
    import numpy as np
    df = df.reset_index(drop=True)
    if date is not None and len(df) > 50_000:
        return _join_dates_by_year(df, col, system=system, date=date, out=out, reg=reg, overrides=overrides)
    when = year or date
    # map the distinct (key, when) pairs only (a few thousand), then index the result back onto the rows
    kc, kuniq = pd.factorize(df[col])
    if when:
        wc, wuniq = pd.factorize(df[when])
        m = len(wuniq) + 1
        comb = (kc.astype("int64") + 1) * m + (wc.astype("int64") + 1)
    else:
        m, wuniq = 1, None
        comb = kc.astype("int64") + 1
    ucomb, inv = np.unique(comb, return_inverse=True)
    ki, wi = ucomb // m - 1, ucomb % m - 1
    keys = pd.DataFrame({col: pd.Series(kuniq).reindex(ki).to_numpy() if len(kuniq) else np.full(len(ucomb), None)})
    if when:
        keys[when] = pd.Series(wuniq).reindex(wi).to_numpy()
    keys["__row"] = np.arange(len(keys))
    sel = keys[col].notna() & (keys[when].notna() if when else True)
    codes = np.full(len(keys), None, dtype=object)
    if sel.any():
        expr = code_join_expr(ibis.memtable(keys[sel]), col, system=system, year=year, date=date, out=out)
        res = expr.to_pandas()
        # one code per key: a key held by two states on one date keeps the later holder
        res = res.sort_values("__row").drop_duplicates("__row", keep="last")
        codes[res["__row"].to_numpy()] = res[out].to_numpy()
    if overrides:
        o = keys[col].astype(str).map(overrides).to_numpy()
        has = keys[col].astype(str).isin(overrides).to_numpy()
        codes[has] = o[has]
    df[out] = codes[inv]
    return df


def _join_names(df, col, *, year, date, out, reg, overrides):
    df = df.reset_index(drop=True).copy()
    whencol = date or year
    keys = df[[col] + ([whencol] if whencol else [])].drop_duplicates()
    memo = {}
    for row in keys.itertuples(index=False):
        name = row[0]
        when = row[1] if whencol else None
        code = None
        if overrides and name in overrides:
            code = overrides[name]
        elif name is not None and name == name:
            if date:
                code = reg.try_resolve(name, date=str(when)[:10], system="name")
            elif year:
                code = reg.try_resolve(name, year=int(when), system="name") if when == when else None
            else:
                code = reg.try_resolve(name, system="name")
        memo[(name, when)] = code
    if whencol:
        df[out] = [memo[(n, w)] for n, w in zip(df[col], df[whencol])]
    else:
        df[out] = [memo[(n, None)] for n in df[col]]
    return df


def _join_dates_by_year(df, col, *, system, date, out, reg, overrides):
    """Date-level mapping done per (key, year) where one state holds the key all year, and per
    (key, date) only where a spell begins or ends inside that year: same result, far fewer keys."""
    import numpy as np
    years = pd.to_numeric(df[date].astype(str).str[:4], errors="coerce").fillna(-1).astype("int64").to_numpy()
    raw = df[col]
    if system in ("cow", "gw", "isonum"):
        raw = pd.to_numeric(raw, errors="coerce").astype("Int64")
    kc, kuniq = pd.factorize(raw)
    comb = (kc.astype("int64") + 1) * 10_000 + (years + 1)
    ucomb, inv = np.unique(comb, return_inverse=True)
    spans = reg._systems[system]
    ures = np.full(len(ucomb), None, dtype=object)
    uhit = np.zeros(len(ucomb), dtype=bool)
    for n, c in enumerate(ucomb):
        ki, y = int(c // 10_000) - 1, int(c % 10_000) - 1
        if ki < 0 or y < 0:
            uhit[n] = True
            continue
        sp = spans.get(str(kuniq[ki]), [])
        lo, hi = f"{y}-01-01", f"{y}-12-31"
        inside = [(s, e, code) for s, e, code in sp if s <= hi and e >= lo]
        if len(inside) <= 1 and not any(s > lo or e < hi for s, e, _ in inside):
            uhit[n] = True
            ures[n] = inside[0][2] if inside else None
    res = ures[inv]
    hit = uhit[inv]
    if (~hit).any():
        sub = df.loc[~hit, [col, date]].copy()
        sub = join_codes(sub, col, system=system, date=date, out=out, reg=reg)    # few rows: exact dates
        res[~hit] = sub[out].to_numpy()
    if overrides:
        o = df[col].astype(str).map(overrides).to_numpy()
        has = df[col].astype(str).isin(overrides).to_numpy()
        res[has] = o[has]
    df[out] = res
    return df
