"""Poles: how concentrated power is, 1946 to the latest year.

Two readings, side by side:

* **The effective number of poles** (Laakso & Taagepera 1979, *Comparative Political Studies* 12(1)):
  :math:`N = 1 / \\sum_i s_i^2` over the states' shares :math:`s_i` of the system total, for
  capability (COW CINC) and for GDP (``enp_gdp``: Maddison Project GDP in 2011 PPP dollars, one
  consistent series 1946-2022; ``enp_gdp_wdi``: World Bank WDI, current US$, 1960-). The same over blocs
  when a bloc assignment is given (:func:`bloc_poles`). N counts the long tail of small states, so it
  reads as a trend (rising: power spreading out), not as a head count.
* **The polarity reading**: a pole is a state whose share of world military expenditure (the
  military component of CINC, COW NMC) is at least half the leading state's (``pole_rule``);
  ``polarity`` = the number of poles, ``poles`` their codes. Military spending is the measure of the
  unipolarity literature (Wohlforth 1999, *International Security* 24(1); Brooks & Wohlforth 2008).
  With it the Cold War reads bipolar (USA and USSR) and the years after 1991 unipolar; the drift
  since then shows in ``runner_up_ratio`` (the second state's military share / the leader's) and in
  ``enp_gdp``.

Every row says which data it rests on (``n_states_*`` and the source columns); missing stays missing.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

POLE_RULE = 0.5     # a pole holds at least this fraction of the leader's military-expenditure share


def _enp(s: pd.Series) -> float:
    s = s.dropna()
    s = s[s > 0]
    if s.empty:
        return np.nan
    sh = s / s.sum()
    return float(1.0 / (sh ** 2).sum())


def state_power(wh) -> pd.DataFrame:
    """code, year, cinc, milex, gdp (WDI current US$), gdp_maddison (2011 PPP $) from the warehouse
    (or the embedded snapshot's state-year table when the warehouse has none)."""
    have = set(wh.tables()) if wh.path.exists() else set()
    parts = []
    if "nmc" in have:
        parts.append(wh.query("SELECT code, year, cinc, milex FROM nmc"))
    if "wdi" in have:
        parts.append(wh.query("SELECT code, year, value AS gdp FROM wdi WHERE indicator = 'NY.GDP.MKTP.CD'"))
    if "maddison" in have:
        parts.append(wh.query("SELECT code, year, gdppc_2011usd * pop_thousands * 1000 AS gdp_maddison FROM maddison"))
    if not parts:
        from ..snapshot import snapshot_table
        sy = snapshot_table("state_year")
        if sy is None:
            return pd.DataFrame(columns=["code", "year", "cinc", "milex", "gdp", "gdp_maddison"])
        sy = sy.rename(columns={"gdp_current_usd": "gdp"})
        return sy[[c for c in ("code", "year", "cinc", "milex", "gdp", "gdp_maddison") if c in sy]]
    out = parts[0]
    for p in parts[1:]:
        out = out.merge(p, on=["code", "year"], how="outer")
    return out


def poles(wh, years=None, pole_rule: float = POLE_RULE) -> pd.DataFrame:
    """Per year: enp_cinc, enp_gdp (and its source), polarity, poles, leader, runner_up_ratio, coverage."""
    from ..dimensions.values import parse_years
    df = state_power(wh)
    rng = parse_years(years) or (1946, int(df["year"].max()) if len(df) else 1946)
    df = df[df["year"].between(*rng)]
    rows = []
    for y, g in df.groupby("year"):
        row = {"year": int(y), "enp_cinc": _enp(g["cinc"]) if "cinc" in g else np.nan,
               "n_states_cinc": int(g["cinc"].notna().sum()) if "cinc" in g else 0,
               "enp_gdp": _enp(g["gdp_maddison"]) if "gdp_maddison" in g else np.nan,
               "n_states_gdp": int(g["gdp_maddison"].notna().sum()) if "gdp_maddison" in g else 0,
               "enp_gdp_wdi": _enp(g["gdp"]) if "gdp" in g else np.nan}
        m = g.dropna(subset=["milex"]) if "milex" in g else g.iloc[0:0]
        m = m[m["milex"] > 0]
        if len(m):
            sh = (m.set_index("code")["milex"] / m["milex"].sum()).sort_values(ascending=False)
            pl = sh[sh >= pole_rule * sh.iloc[0]]
            row.update({"polarity": int(len(pl)), "poles": " ".join(pl.index), "leader": sh.index[0],
                        "leader_military_share": float(sh.iloc[0]),
                        "runner_up_ratio": float(sh.iloc[1] / sh.iloc[0]) if len(sh) > 1 else np.nan})
        else:
            row.update({"polarity": np.nan, "poles": None, "leader": None, "leader_military_share": np.nan, "runner_up_ratio": np.nan})
        rows.append(row)
    out = pd.DataFrame(rows, columns=["year", "enp_cinc", "n_states_cinc", "enp_gdp", "n_states_gdp", "enp_gdp_wdi", "polarity",
                                      "poles", "leader", "leader_military_share", "runner_up_ratio"])   # no year with data: no rows
    out["pole_rule"] = pole_rule
    out["reading"] = out["polarity"].map({1: "unipolar", 2: "bipolar"}).where(out["polarity"].notna())
    out.loc[out["polarity"] >= 3, "reading"] = "multipolar"
    return out


def bloc_poles(wh, blocs: pd.DataFrame) -> pd.DataFrame:
    """Effective number of poles over blocs: ``blocs`` has code, year, bloc; shares are summed per bloc."""
    df = state_power(wh).merge(blocs[["code", "year", "bloc"]], on=["code", "year"], how="inner")
    rows = []
    for y, g in df.groupby("year"):
        rows.append({"year": int(y), "enp_blocs_cinc": _enp(g.groupby("bloc")["cinc"].sum(min_count=1)),
                     "enp_blocs_gdp": _enp(g.groupby("bloc")["gdp"].sum(min_count=1))})
    return pd.DataFrame(rows)
