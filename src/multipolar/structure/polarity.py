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

**The reading** (``reading``; ``poles``: the states counted): a great power is a **pole** when it is a
**global power** that year and its military expenditure is at least :data:`POLE_RULE` (0.37) of the
leader's. One pole is unipolar, two bipolar, three or more multipolar.

*Global powers.* Polarity counts the powers whose reach is global (Waltz 1979, ch. 8: the poles are
the powers that the system's other members must reckon with everywhere), not every great power.
The global powers are those of Maoz's coding (Maoz 2010, *Networks of Nations*, Cambridge UP,
ch. 2 and appendix; the peacesciencer table ``maoz_powers``: global powers the United States
1899-, the United Kingdom, France to 1941, Germany to 1945, the USSR 1922-1990; every other major
power regional, Russia from 1991 among them). A great power is global in a year when its global
spell covers any day of that year (``global_powers``). Maoz's list ends in 2019 and is carried
after it, flagged (``global_powers_carried``); a warehouse without the table uses the list as
published (the same twenty spells).

*The spending threshold* is calibrated, not derived: it is set inside the gap that the historical
readings leave in the data, at about its middle. Measured on the shared COW NMC data (1946-2022):
in 1950-1989 the runner-up (the USSR or the United States) spends at least 0.405 of the leader
(1989, its lowest), and the third great power at most 0.305 (China, 1970); in 1992-1999 the
runner-up spends at most 0.330 of the United States (Russia, 1994) and from 2000 at most 0.287
(China, 2018).

*What the data say about 1990-91.* The USSR spends 0.44 of the United States in 1990 and 0.51 in
1991, more than in 1989 (0.405): no rule on the spending (or the leader's share, 0.613 in 1989 and
0.582 in 1990) reads 1989 bipolar and 1990 unipolar. Maoz codes the USSR a global power to the
last day of 1990 and Russia a regional power from 1 January 1991 (COW's own 1991 row for code 365
already holds Russia's population and steel, with the Union's spending): so 1991 reads unipolar
and **1990 bipolar**, the year the Soviet Union still was a global power. Readers who date
unipolarity from 1990 (Krauthammer 1990/91, "The unipolar moment", *Foreign Affairs* 70(1)) do so
on judgement that these data do not carry; the row shows the numbers (``runner_up_ratio``,
``third_ratio``, ``gp_leader_share``, ``global_powers``) for any other rule. ``pole_rule`` changes
the threshold; ``global_only=False`` counts every great power (the reading of earlier versions:
1990-91 bipolar).

**The decade reading** (:func:`decades`): per decade, the reading most of its years have, and the
years that read otherwise, named.

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
#: Maoz's regional and global powers as published (peacesciencer ``maoz_powers``): (ccode, global from, global to).
#: Only the global spells matter here; used when the warehouse has no ``maoz_powers`` table.
MAOZ_GLOBAL = [(2, "1899-01-01", "2019-12-31"), (200, "1816-01-01", "2019-12-31"), (220, "1816-01-01", "1941-12-31"),
               (255, "1867-01-01", "1945-05-08"), (365, "1922-01-01", "1990-12-31")]


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
    have = set(wh.tables()) if wh.path.exists() else set()
    if "cow_majors" in have:
        m = wh.query("SELECT ccode, styear, endyear FROM cow_majors")
        last = int(m["endyear"].max())
    else:                     # the list as published (COW 2016), for a warehouse without it
        m = pd.DataFrame({"ccode": [2, 200, 220, 365, 710, 255, 740], "styear": [1898, 1816, 1945, 1922, 1950, 1991, 1991],
                          "endyear": [2016] * 7})
        last = 2016
    return _spells_by_year(m.rename(columns={"styear": "a", "endyear": "b"}), years, last), last


def global_powers(wh, years: range) -> tuple[dict[int, list[str]], int | None]:
    """{year: [codes]} of Maoz's global powers (a global spell covering any day of the year), and the
    last year the list covers (carried after it)."""
    have = set(wh.tables()) if wh.path.exists() else set()
    if "maoz_powers" in have:
        m = wh.query("SELECT ccode, year(globstdate) AS a, year(globenddate) AS b FROM maoz_powers WHERE globstdate IS NOT NULL")
        last = int(wh.query("SELECT max(year(greatest(coalesce(regenddate, globenddate), coalesce(globenddate, regenddate)))) AS y "
                            "FROM maoz_powers").iloc[0, 0])
    else:
        m = pd.DataFrame([(c, int(a[:4]), int(b[:4])) for c, a, b in MAOZ_GLOBAL], columns=["ccode", "a", "b"])
        last = 2019
    return _spells_by_year(m, years, last), last


def _spells_by_year(m: pd.DataFrame, years, last: int) -> dict[int, list[str]]:
    """{year: [codes]} of the COW codes ``ccode`` whose spell [a, b] covers the year (the last year the list covers
    after it), each resolved by date; a code the registry cannot date stays out, and is not guessed."""
    from ..actors.registry import registry
    reg = registry()
    out: dict[int, list[str]] = {}
    for y in years:
        yy = min(y, last)
        codes = []
        for c in m.loc[(m["a"] <= yy) & (m["b"] >= yy), "ccode"].astype(int):
            try:
                codes.append(reg.resolve(int(c), year=yy, system="cow"))
            except Exception:          # noqa: BLE001 - see the docstring
                continue
        out[y] = sorted(set(codes))
    return out


def decades(df: pd.DataFrame) -> pd.DataFrame:
    """Per decade of :func:`poles`: the reading most of its years with a reading have, how many do, and
    the years that read otherwise (named, with their reading)."""
    rows = []
    d = df[df["reading"].notna()]
    for dec, g in d.groupby(d["year"] // 10 * 10):
        counts = g["reading"].value_counts()
        top = counts.index[0]
        other = g[g["reading"] != top]
        rows.append({"decade": f"{int(dec)}s", "years": f"{int(g['year'].min())}-{int(g['year'].max())}", "reading": top,
                     "years_reading": int(counts.iloc[0]), "years_with_reading": int(len(g)),
                     "otherwise": "; ".join(f"{int(y)} {r}" for y, r in zip(other["year"], other["reading"])) or None,
                     "mean_gp_effective_n": float(g["gp_effective_n"].mean())})
    return pd.DataFrame(rows, columns=["decade", "years", "reading", "years_reading", "years_with_reading", "otherwise",
                                       "mean_gp_effective_n"])


def _gp(sh: pd.Series) -> dict:
    """The great-power measures of the shares ``sh`` (of the great powers' total, sorted descending)."""
    n = len(sh)
    hh = float((sh ** 2).sum())
    return {"n": 1.0 / hh if hh > 0 else np.nan,
            "con": float(np.sqrt(max(hh - 1.0 / n, 0.0) / (1.0 - 1.0 / n))) if n > 1 else 1.0}


def poles(wh, years=None, pole_rule: float = POLE_RULE, global_only: bool = True) -> pd.DataFrame:
    """Per year: the great-power measures and reading, and the all-state diversity indices (module docstring).
    ``global_only``: a pole must be one of Maoz's global powers that year (False: any great power)."""
    from ..dimensions.values import parse_years
    df = state_power(wh)
    rng = parse_years(years) or (1946, int(df["year"].max()) if len(df) else 1946)
    df = df[df["year"].between(*rng)]
    gps, last = great_powers(wh, range(rng[0], rng[1] + 1))
    glob, glast = global_powers(wh, range(rng[0], rng[1] + 1))
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
        row["global_powers"] = " ".join(glob.get(y, [])) or None
        row["global_powers_carried"] = bool(glast is not None and y > glast)
        gg = g[g["code"].isin(gp)].set_index("code")
        m = gg["milex"].dropna() if "milex" in gg else pd.Series(dtype=float)
        m = m[m > 0].sort_values(ascending=False)
        if len(gp) >= 2 and len(m) == len(gp):             # every great power's spending known, or no reading
            sh = m / m.sum()
            ratio = m / m.iloc[0]
            pl = ratio[ratio >= pole_rule - 1e-12]
            if global_only:
                pl = pl[pl.index.isin(glob.get(y, []))]
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
    cols = ["year", "great_powers", "great_powers_carried", "global_powers", "global_powers_carried", "gp_effective_n", "gp_concentration", "gp_leader", "gp_leader_share",
            "runner_up", "runner_up_ratio", "third_ratio", "polarity", "poles", "gp_effective_n_cinc", "gp_concentration_cinc",
            "enp_cinc", "n_states_cinc", "enp_gdp", "n_states_gdp", "enp_gdp_wdi", "leader", "leader_military_share"]
    out = pd.DataFrame(rows, columns=cols)                # no year with data: no rows
    out["pole_rule"] = pole_rule
    out["global_only"] = global_only
    out["reading"] = out["polarity"].map({0: None, 1: "unipolar", 2: "bipolar"}).where(out["polarity"].notna())
    out.loc[out["polarity"] >= 3, "reading"] = "multipolar"
    return out
