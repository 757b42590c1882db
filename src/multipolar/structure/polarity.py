r"""Poles: how power is distributed among the great powers, 1946 to the latest year.

Polarity is about the states that matter, not about every state (Waltz 1979, *Theory of
International Politics*, ch. 8; Mansfield 1993, "Concentration, polarity, and the distribution of
power", *International Studies Quarterly* 37(1)). The **great powers** of a year are the COW major
powers (``cow_majors``: the United States, the United Kingdom, France, the USSR/Russia, China from
1950, Germany and Japan from 1991); the COW list ends in 2016 and is carried forward after it,
flagged (``great_powers_carried``). Their shares :math:`s_i` are of the great powers' total:

* ``gp_effective_n``: the effective number of great powers, :math:`1/\sum s_i^2` (Laakso &
  Taagepera 1979, *Comparative Political Studies* 12(1), over the great powers only);
* ``gp_concentration``: the Ray–Singer concentration index (Ray & Singer 1973, "Measuring the
  concentration of power in the international system", *Sociological Methods & Research* 1(4);
  Singer, Bremer & Stuckey 1972), :math:`CON = \sqrt{(\sum s_i^2 - 1/n) / (1 - 1/n)}`, 0 when the
  n great powers are equal, 1 when one holds everything;
* ``gp_leader``, ``gp_leader_share``: the leading great power and its share;
* ``runner_up_ratio``: the second great power's capability over the leader's (``third_ratio``:
  the third's).

The capability measure is military expenditure (COW NMC ``milex``), the measure of the unipolarity
literature (Wohlforth 1999, *International Security* 24(1); Brooks & Wohlforth 2008); the same
measures over CINC are given too (``gp_effective_n_cinc``, ``gp_concentration_cinc``). CINC weighs
population, steel and energy, and puts China next to the United States from the 1990s: it reads
the system as bipolar or multipolar after 1991, which no account of the 1990s does.

**The reading** (``reading``; ``poles``: the states counted): a great power is a **pole** when its
military expenditure is at least :data:`POLE_RULE` (0.37) of the leader's. One pole is unipolar,
two bipolar, three or more multipolar. The threshold is calibrated, not derived: it is set inside
the gap that the historical readings leave in the data, at about its middle. Measured on the shared
COW NMC data (1946-2022): in 1950-1989 the runner-up (the USSR or the United States) spends at least
0.405 of the leader (1989, its lowest; 0.44 in 1990), and the third great power at most 0.305 (China,
1970); in 1992-1999 the runner-up spends at most 0.330 of the United States (Russia, 1994) and from
2000 at most 0.287 (China, 2018). A rule of one third would read 1994 as unipolar by 0.003; half
the leader (``--pole-rule 0.5``) reads 1989 and 1990 as unipolar already. The three numbers that
matter are in every row (``runner_up_ratio``, ``third_ratio``, ``gp_leader_share``), so a reader can
apply another threshold.

**Diversity** (not polarity): ``enp_cinc``, ``enp_gdp`` (Maddison Project GDP, 2011 PPP dollars,
1946-2022) and ``enp_gdp_wdi`` (World Bank WDI, current US$, 1960-) are the Laakso–Taagepera number
over *every* state's share: a diversity index of the whole system (11.7 for CINC in 2022), a trend
(rising: power spreading out), not a count of poles.

Every row says which data it rests on (``n_states_*``, ``great_powers``); missing stays missing.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

POLE_RULE = 0.37    # a pole holds at least this fraction of the leader's military expenditure (see the module docstring)


def _enp(s: pd.Series) -> float:
    s = s.dropna()
    s = s[s > 0]
    if s.empty:
        return np.nan
    sh = s / s.sum()
    return float(1.0 / (sh ** 2).sum())


def state_power(wh) -> pd.DataFrame:
    """code, year, cinc, milex, gdp (WDI current US$), gdp_maddison (2011 PPP $) from the warehouse's
    state-year query (:meth:`~multipolar.warehouse.Warehouse.state_year`), or the embedded snapshot's
    state-year table (the same query, shipped) when the warehouse has none of the sources."""
    sy = wh.state_year()
    if len(sy.columns) == 2:
        from ..snapshot import snapshot_table
        sy = snapshot_table("state_year")
        if sy is None:
            return pd.DataFrame(columns=["code", "year", "cinc", "milex", "gdp", "gdp_maddison"])
    sy = sy.rename(columns={"gdp_current_usd": "gdp"})
    return sy[[c for c in ("code", "year", "cinc", "milex", "gdp", "gdp_maddison") if c in sy]]


def great_powers(wh, years: range) -> tuple[dict[int, list[str]], int | None]:
    """{year: [codes]} of the COW major powers, and the last year the list covers (carried after it)."""
    from ..actors.registry import registry
    have = set(wh.tables()) if wh.path.exists() else set()
    reg = registry()
    out: dict[int, list[str]] = {}
    if "cow_majors" in have:
        m = wh.query("SELECT ccode, styear, endyear FROM cow_majors")
        last = int(m["endyear"].max())
    else:                     # the list as published (COW 2016), for a warehouse without it
        m = pd.DataFrame({"ccode": [2, 200, 220, 365, 710, 255, 740], "styear": [1898, 1816, 1945, 1922, 1950, 1991, 1991],
                          "endyear": [2016] * 7})
        last = 2016
    for y in years:
        yy = min(y, last)
        codes = []
        for c in m.loc[(m["styear"] <= yy) & (m["endyear"] >= yy), "ccode"].astype(int):
            try:
                codes.append(reg.resolve(int(c), year=yy, system="cow"))
            except Exception:          # noqa: BLE001 - a code the registry cannot date stays out, and is not guessed
                continue
        out[y] = sorted(set(codes))
    return out, last


def _gp(sh: pd.Series) -> dict:
    """The great-power measures of the shares ``sh`` (of the great powers' total, sorted descending)."""
    n = len(sh)
    hh = float((sh ** 2).sum())
    return {"n": 1.0 / hh if hh > 0 else np.nan,
            "con": float(np.sqrt(max(hh - 1.0 / n, 0.0) / (1.0 - 1.0 / n))) if n > 1 else 1.0}


def poles(wh, years=None, pole_rule: float = POLE_RULE) -> pd.DataFrame:
    """Per year: the great-power measures and reading, and the all-state diversity indices (module docstring)."""
    from ..dimensions.values import parse_years
    df = state_power(wh)
    rng = parse_years(years) or (1946, int(df["year"].max()) if len(df) else 1946)
    df = df[df["year"].between(*rng)]
    gps, last = great_powers(wh, range(rng[0], rng[1] + 1))
    rows = []
    for y, g in df.groupby("year"):
        y = int(y)
        row = {"year": y, "enp_cinc": _enp(g["cinc"]) if "cinc" in g else np.nan,
               "n_states_cinc": int(g["cinc"].notna().sum()) if "cinc" in g else 0,
               "enp_gdp": _enp(g["gdp_maddison"]) if "gdp_maddison" in g else np.nan,
               "n_states_gdp": int(g["gdp_maddison"].notna().sum()) if "gdp_maddison" in g else 0,
               "enp_gdp_wdi": _enp(g["gdp"]) if "gdp" in g else np.nan}
        gp = gps.get(y, [])
        row["great_powers"] = " ".join(gp) if gp else None
        row["great_powers_carried"] = bool(last is not None and y > last)
        gg = g[g["code"].isin(gp)].set_index("code")
        m = gg["milex"].dropna() if "milex" in gg else pd.Series(dtype=float)
        m = m[m > 0].sort_values(ascending=False)
        if len(gp) >= 2 and len(m) == len(gp):             # every great power's spending known, or no reading
            sh = m / m.sum()
            ratio = m / m.iloc[0]
            pl = ratio[ratio >= pole_rule - 1e-12]
            k = _gp(sh)
            row.update({"gp_effective_n": k["n"], "gp_concentration": k["con"], "gp_leader": sh.index[0],
                        "gp_leader_share": float(sh.iloc[0]), "runner_up": sh.index[1], "runner_up_ratio": float(ratio.iloc[1]),
                        "third_ratio": float(ratio.iloc[2]) if len(ratio) > 2 else np.nan,
                        "polarity": int(len(pl)), "poles": " ".join(pl.index), "leader": sh.index[0],
                        "leader_military_share": float((m.iloc[0] / g["milex"].where(g["milex"] > 0).sum())) if "milex" in g else np.nan})
        else:
            row.update({"gp_effective_n": np.nan, "gp_concentration": np.nan, "gp_leader": None, "gp_leader_share": np.nan,
                        "runner_up": None, "runner_up_ratio": np.nan, "third_ratio": np.nan, "polarity": np.nan, "poles": None,
                        "leader": None, "leader_military_share": np.nan})
        c = gg["cinc"].dropna() if "cinc" in gg else pd.Series(dtype=float)
        c = c[c > 0]
        if len(gp) >= 2 and len(c) == len(gp):
            k = _gp((c / c.sum()).sort_values(ascending=False))
            row.update({"gp_effective_n_cinc": k["n"], "gp_concentration_cinc": k["con"]})
        else:
            row.update({"gp_effective_n_cinc": np.nan, "gp_concentration_cinc": np.nan})
        rows.append(row)
    cols = ["year", "great_powers", "great_powers_carried", "gp_effective_n", "gp_concentration", "gp_leader", "gp_leader_share",
            "runner_up", "runner_up_ratio", "third_ratio", "polarity", "poles", "gp_effective_n_cinc", "gp_concentration_cinc",
            "enp_cinc", "n_states_cinc", "enp_gdp", "n_states_gdp", "enp_gdp_wdi", "leader", "leader_military_share"]
    out = pd.DataFrame(rows, columns=cols)                # no year with data: no rows
    out["pole_rule"] = pole_rule
    out["reading"] = out["polarity"].map({1: "unipolar", 2: "bipolar"}).where(out["polarity"].notna())
    out.loc[out["polarity"] >= 3, "reading"] = "multipolar"
    return out
