"""The gravity panel of a sector: directed flows per year with zeros, and the trade-cost variables.

Flows: BACI (the warehouse's ``baci_trade``), summed over the sector's HS6 products
(``sources/data/hs6_sectors.csv``: crude oil, natural gas, coal, metal ores, precious metals, critical
minerals (the EU 2023 list), other minerals). Every ordered pair of the states that trade the
sector in the period, every year: a missing flow is a zero inside BACI's years (PPML needs the
zeros), never outside them. ``total`` is all goods, from a full trade file the user imports: a
full BACI file (every HS6 product), or else COW's dyadic trade, whose missing flows stay missing
(see :func:`_flows`); the energy and minerals subset alone is refused for it.

Costs (:data:`COSTS`): log distance, contiguity, common official language and colonial tie
(CEPII GeoDist); a shared trade agreement, a defence or offence pact, sanctions by type either way
(GSDB; after 2022 the dated list of measures) and the ideal-point distance (UN votes), from
:class:`~multipolar.dimensions.dyads.Dyads`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError
from ..warehouse import Warehouse
from ..years import runs

TIME_INVARIANT = ["ln_dist", "contig", "comlang", "colony"]
TIME_VARYING = ["rta", "alliance", "sanction_trade", "sanction_financial", "sanction_other", "ip_distance"]
COSTS = TIME_INVARIANT + TIME_VARYING


def sectors() -> pd.DataFrame:
    """The HS6 products of the energy and minerals subset, by sector
    (:func:`multipolar.sources.products.hs6_sectors`)."""
    from ..sources.products import hs6_sectors
    return hs6_sectors().copy()


def sector_products(sector: str) -> list[str]:
    """The HS6 codes of ``sector``; an unknown sector raises naming the known ones."""
    s = sectors()
    if sector not in set(s["sector"]):
        raise InputError(f"--sector: unknown sector {sector!r}; choose one of {', '.join(sorted(set(s['sector'])) + ['total'])}")
    return s.loc[s["sector"] == sector, "hs6"].tolist()


def build(years: tuple[int, int], sector: str, db=None) -> pd.DataFrame:
    """exporter, importer, year, trade (thousand US$), pair, exp_year, imp_year and the :data:`COSTS`."""
    from ..dimensions.dyads import Dyads
    w = Warehouse(db)
    if not (w.path.exists() and w.has("geodist_dyad")):
        raise InputError("gravity: the warehouse has no CEPII GeoDist (geodist_dyad); import it (`multipolar data import ../shared/data`)")
    fl, source, zeros = _flows(w, years, sector)
    yrs = sorted(fl["year"].unique().tolist()) if not zeros else zeros
    states = sorted(set(fl["exporter"]) | set(fl["importer"]))
    if zeros:                                   # BACI: every ordered pair, every year; inside BACI a missing flow is no flow
        full = pd.MultiIndex.from_product([states, states, yrs], names=["exporter", "importer", "year"]).to_frame(index=False)
        full = full[full["exporter"] != full["importer"]]
        d = full.merge(fl, on=["exporter", "importer", "year"], how="left")
        d["trade"] = d["trade"].fillna(0.0)
        d = _drop_gaps(d, fl)
    else:                                       # COW: the pairs and years it lists; its missing flows stay out
        d = fl
    geo = w.query("SELECT code_o AS exporter, code_d AS importer, dist, contig, comlang_off AS comlang, colony FROM geodist_dyad")
    geo = geo.groupby(["exporter", "importer"], as_index=False).first()
    geo, geo_note = _continuations(geo, states)
    d = d.merge(geo, on=["exporter", "importer"], how="left")
    d["ln_dist"] = np.log(d["dist"])
    from ..warehouse import retry_locked
    dy = retry_locked(Dyads, years=f"{yrs[0]}:{yrs[-1]}", states=states, db=db, db_path=w.path).add_values().add_institutions().add_interaction()
    m = dy.to_pandas(["trade_agreements_shared_n", "alliance_defense", "alliance_offense", "sanctions_a_on_b_types",
                      "sanctions_b_on_a_types", "ip_distance"])
    types = m["sanctions_a_on_b_types"].astype(str).fillna("") + "," + m["sanctions_b_on_a_types"].astype(str).fillna("")
    m["rta"] = (m["trade_agreements_shared_n"].fillna(0) > 0).astype(float)
    m["alliance"] = ((m["alliance_defense"].fillna(0) > 0) | (m["alliance_offense"].fillna(0) > 0)).astype(float)
    m["sanction_trade"] = types.str.contains("trade").astype(float)
    m["sanction_financial"] = types.str.contains("financial").astype(float)
    m["sanction_other"] = types.str.contains("arms|military|travel|other").astype(float)
    m = m.rename(columns={"code_a": "exporter", "code_b": "importer"})
    d = d.merge(m[["exporter", "importer", "year", "rta", "alliance", "sanction_trade", "sanction_financial", "sanction_other", "ip_distance"]],
                on=["exporter", "importer", "year"], how="left")
    d["pair"] = np.where(d["exporter"] < d["importer"], d["exporter"] + "-" + d["importer"], d["importer"] + "-" + d["exporter"])
    d["exp_year"] = d["exporter"] + d["year"].astype(str)
    d["imp_year"] = d["importer"] + d["year"].astype(str)
    d.attrs.update({"sector": sector, "years": (yrs[0], yrs[-1]), "states": len(states), "source": source,
                    "rows": ("every ordered pair and year, zeros included" if zeros else
                             "the pairs and years the source lists, its missing flows left out"),
                    "notes": [*fl.attrs.get("notes", []), *geo_note, *dy.notes]})
    return d


#: GeoDist is a cross-section of 2006 codes: a state that continued one of them takes its rows (same capital and main
#: city). Serbia continued Serbia and Montenegro's UN membership in June 2006 (COW code 345 runs on); Montenegro, a new
#: state, has no row and its pairs' costs stay missing.
GEODIST_CONTINUATIONS = {"SRB": "SCG"}


def _continuations(geo: pd.DataFrame, states) -> tuple[pd.DataFrame, list[str]]:
    """GeoDist's rows of the continued state for a state of :data:`GEODIST_CONTINUATIONS` that has none of its own."""
    add, notes = [], []
    have = set(geo["exporter"]) | set(geo["importer"])
    for new, old in GEODIST_CONTINUATIONS.items():
        if new not in states or new in have or old not in have:
            continue
        rows = geo[(geo["exporter"] == old) | (geo["importer"] == old)].replace({"exporter": {old: new}, "importer": {old: new}})
        add.append(rows)
        notes.append(f"costs: {new} has no row in CEPII GeoDist (2006 codes); it takes the {len(rows)} rows of {old}, the state it "
                     f"continued (same capital); MNE and other states GeoDist does not list keep missing costs")
    return (pd.concat([geo, *add], ignore_index=True) if add else geo), notes


def _drop_gaps(d: pd.DataFrame, fl: pd.DataFrame) -> pd.DataFrame:
    """Leave out the pair-years of the flows BACI does not record although they took place (``fl.attrs["gaps"]``: rows of
    :func:`multipolar.sources.products.gap_rows`): missing, not a zero or an undercount; noted in ``fl``'s notes."""
    if not fl.attrs.get("gaps"):
        return d
    g = pd.DataFrame(fl.attrs["gaps"], columns=["exporter", "importer", "year", "sector"])
    key = ["exporter", "importer", "year"]
    hit = d[key].merge(g[key].drop_duplicates(), on=key, how="left", indicator=True)["_merge"].eq("both").to_numpy()
    if hit.any():          # the gaps of the pair-years the panel holds (a pair outside the panel loses nothing)
        held = g.merge(d.loc[hit, key].drop_duplicates(), on=key)
        shown = "; ".join(f"{a}->{b} {s_.replace('_', ' ')} {runs(x['year'])}" for (a, b, s_), x in held.groupby(["exporter", "importer", "sector"]))
        fl.attrs.setdefault("notes", []).append(f"{int(hit.sum())} pair-year(s) left out: flows BACI does not record although they "
                                                f"took place (sources/data/trade_gaps.csv): {shown}")
    return d[~hit]


FULL_PRODUCTS = 1000        # a BACI year with fewer HS6 products is a subset (the shared energy and minerals file has 74)


def _flows(w: Warehouse, years: tuple[int, int], sector: str) -> tuple[pd.DataFrame, str, list[int]]:
    """Directed flows (exporter, importer, year, trade in thousand US$) of the sector, the source, and
    the years inside which a missing flow is a zero (BACI's; empty for COW, whose missing flows are
    marked and stay missing).

    ``total``: every product of a full BACI file (a year with at least :data:`FULL_PRODUCTS` HS6
    products) where the warehouse has one for every requested year BACI covers; otherwise COW's
    dyadic trade (``flow1`` = imports of ``ccode1`` from ``ccode2``, million current US$) for the
    years it covers."""
    has_baci = w.path.exists() and w.has("baci_trade")
    if sector != "total":
        if not has_baci:
            raise InputError("gravity: the warehouse has no BACI trade; import it (`multipolar data import ../shared/data`)")
        prods = ", ".join(f"'{p}'" for p in sector_products(sector))
        fl = w.query(f"""SELECT exporter, importer, year, sum(value_kusd) AS trade FROM baci_trade
                         WHERE hs6 IN ({prods}) AND year BETWEEN {years[0]} AND {years[1]} AND exporter <> importer GROUP BY ALL""")
        if fl.empty:
            raise InputError(f"gravity: no {sector} flows in BACI in {years[0]}-{years[1]}")
        from ..sources.products import gap_rows
        fl.attrs["gaps"] = list(gap_rows(sector_products(sector), *years).itertuples(index=False, name=None))
        return fl, "CEPII BACI", _baci_years(w, years)
    found = []
    if has_baci:
        per_year = w.query(f"""SELECT year, count(DISTINCT hs6) AS n FROM baci_trade WHERE year BETWEEN {years[0]} AND {years[1]}
                               GROUP BY year ORDER BY year""")
        full = per_year[per_year["n"] >= FULL_PRODUCTS]
        if len(per_year) and len(full) == len(per_year):
            fl = w.query(f"""SELECT exporter, importer, year, sum(value_kusd) AS trade FROM baci_trade
                             WHERE year BETWEEN {years[0]} AND {years[1]} AND exporter <> importer GROUP BY ALL""")
            return fl, f"CEPII BACI, all {int(full['n'].min())}+ HS6 products", _baci_years(w, years)
        if len(per_year):
            found.append(f"BACI with {int(per_year['n'].max())} HS6 products at most per year (a subset; a full file has about 5,000)")
    if w.path.exists() and w.has("cow_trade_dyad"):
        fl = w.query(f"""SELECT code_b AS exporter, code_a AS importer, year, flow1 * 1000 AS trade FROM cow_trade_dyad
                         WHERE year BETWEEN {years[0]} AND {years[1]} AND code_a <> code_b
                         UNION ALL
                         SELECT code_a, code_b, year, flow2 * 1000 FROM cow_trade_dyad
                         WHERE year BETWEEN {years[0]} AND {years[1]} AND code_a <> code_b""")
        if len(fl):
            miss = int(fl["trade"].isna().sum())
            fl = fl.dropna(subset=["trade"]).groupby(["exporter", "importer", "year"], as_index=False)["trade"].sum()
            fl.attrs["notes"] = [f"COW dyadic trade: {miss:,} directed flows marked missing (-9) left out, not set to zero"] if miss else []
            return fl, "COW Trade 4.0 dyadic", []
        found.append("COW dyadic trade outside these years")
    raise InputError(f"gravity --sector total: no full trade file in the warehouse for {years[0]}-{years[1]}"
                     + (f" (it holds {'; '.join(found)})" if found else "")
                     + ". Import a full BACI file (columns t,i,j,k,v,q, from cepii.fr) or COW dyadic trade (ccode1, ccode2, year, "
                       "flow1, flow2) with `multipolar data import FILE`, or pick a sector")


def _baci_years(w: Warehouse, years: tuple[int, int]) -> list[int]:
    span = w.query("SELECT min(year) AS a, max(year) AS b FROM baci_trade").iloc[0]
    return [y for y in range(years[0], years[1] + 1) if span["a"] <= y <= span["b"]]


def fit(years=None, sector: str = "crude_oil", db=None, pair_effects: bool | None = None, costs: list[str] | None = None):
    """PPML on the sector panel: exporter-year and importer-year effects, and pair effects when the
    panel has more than one year (then the time-invariant costs are absorbed and left out).
    ``years``: (first, last); None: every year the sector's trade data cover (from 1946, where the
    state system of the dyads starts); the panel's ``attrs["years"]`` says which."""
    from . import estimate
    from .ge import NotConverged
    if years is None:
        import datetime as dt
        years = (1946, dt.date.today().year)      # the flows decide: _flows keeps the years the data have
    d = build(years, sector, db)
    multi = d["year"].nunique() > 1
    pair_effects = multi if pair_effects is None else pair_effects
    if pair_effects and not multi:
        raise InputError("pair fixed effects need more than one year")
    x = list(costs or (TIME_VARYING if pair_effects else COSTS))
    fes = ["exp_year", "imp_year"] + (["pair"] if pair_effects else [])
    # a cost variable without variation left after the fixed effects cannot be estimated: say so and leave it out
    dropped_vars = [c for c in x if d[c].nunique(dropna=True) < 2]
    x = [c for c in x if c not in dropped_vars]
    fallback = None
    try:
        f = estimate.ppml(d, "trade", x, fes, cluster="pair", fixef_tol=1e-6, fixef_maxiter=3000 if pair_effects else 20_000)
    except NotConverged as e:
        if not pair_effects or costs is not None:
            raise
        # the panel does not allow pair effects (too few positive flows per pair for the demeaning to converge)
        fallback = str(e)
        pair_effects = False
        x = [c for c in COSTS if d[c].nunique(dropna=True) >= 2]
        f = estimate.ppml(d, "trade", x, ["exp_year", "imp_year"], cluster="pair", fixef_tol=1e-6)
    for c in dropped_vars:
        f.notes.append(f"{c}: no variation in the sample, left out")
    if fallback:
        f.notes.append(f"pair fixed effects: {fallback.split(';')[0]}; estimated without them, with the time-invariant costs")
    elif pair_effects:
        f.notes.append("pair fixed effects absorb distance, contiguity, language and colony (time-invariant)")
    f.pair_effects = pair_effects                  # a field of GravityFit: the baseline's costs take the pair effects
    f.notes.append(f"data: {d.attrs['source']}; no domestic flows: exporter-year and importer-year effects absorb each "
                   "country's total supply and demand of the sector")
    return f, d


def matrix(d: pd.DataFrame, countries: list[str], values) -> np.ndarray:
    """An exporter x importer matrix of ``values`` (aligned with the rows of ``d``), zero elsewhere."""
    idx = {c: k for k, c in enumerate(countries)}
    m = np.zeros((len(countries), len(countries)))
    m[d["exporter"].map(idx).to_numpy(), d["importer"].map(idx).to_numpy()] = np.asarray(values, dtype=float)
    return m


@dataclass
class Baseline:
    """A year of the panel as the GE solver takes it: the states that trade, their flows, sales and
    purchases, and (when the fit has them) the pair effects of its rows."""
    countries: list[str]
    rows: pd.DataFrame
    X: np.ndarray
    Y: np.ndarray
    E: np.ndarray
    pair_effect: np.ndarray | None = None
    notes: list[str] = field(default_factory=list)

    def costs(self, coef: pd.Series) -> np.ndarray:
        """t_ij^(1-σ) = exp(pair effect_ij + b·x_ij) from the estimated coefficients. A pair
        without one of its costs gets t = 0 (no trade), never a guessed cost; :func:`baseline`
        leaves out the states for which that would be every pair. The pair effects stay as
        estimated when ``coef`` is a Monte Carlo draw."""
        z = sum(coef[c] * self.rows[c].to_numpy(dtype=float) for c in coef.index)
        if self.pair_effect is not None:
            z = z + self.pair_effect
        return matrix(self.rows, self.countries, np.nan_to_num(np.exp(z), nan=0.0))


def baseline(d: pd.DataFrame, year: int, where: str = "gravity", fit=None) -> Baseline:
    """The base year of the panel as the solver takes it. With the ``fit``: its cost variables
    must be there for a pair to have a cost, and its pair effects (when it has them) enter the
    costs, the pairs it has none for predicted by :func:`estimate.pair_effects`. A state none of
    whose sales (or purchases) can be given a cost is left out of the equilibrium, and named."""
    rows = d[d["year"] == year]
    if rows.empty:
        raise InputError(f"{where}: the panel has no year {year}")
    traded = rows[rows["trade"] > 0]
    countries = sorted(set(traded["exporter"]) | set(traded["importer"]))
    rows = rows[rows["exporter"].isin(countries) & rows["importer"].isin(countries)].reset_index(drop=True)
    notes = []
    if fit is None:
        X = matrix(rows, countries, rows["trade"])
        return Baseline(countries, rows, X, X.sum(axis=1), X.sum(axis=0), None, notes)
    lacking = {c: rows[c].isna() for c in fit.coef.index if c in rows.columns}
    eff = None
    if fit.pair_effects:
        from .estimate import pair_effects
        eff, n_pred, n_miss = pair_effects(fit, rows, TIME_INVARIANT)
        lacking["pair effect"] = eff.isna()
        notes.append(f"pair effects in the {year} costs: {len(rows) - n_pred:,} pairs as estimated, {n_pred:,} that never traded in the "
                     "fit years predicted from distance, contiguity, language and colony (Anderson & Yotov 2016)")
    gaps = pd.DataFrame(lacking)
    costed = ~gaps.any(axis=1) if len(gaps.columns) else pd.Series(True, index=rows.index)
    out, alone = {}, []
    while True:
        ok = costed.to_numpy()
        sells, buys = set(rows.loc[ok, "exporter"]), set(rows.loc[ok, "importer"])
        Xs, Xb = rows.groupby("exporter")["trade"].sum(), rows.groupby("importer")["trade"].sum()
        bad = [c for c in countries if (Xs.get(c, 0) > 0 and c not in sells) or (Xb.get(c, 0) > 0 and c not in buys)]
        lone = [c for c in countries if c not in bad and Xs.get(c, 0) + Xb.get(c, 0) <= 0]
        if not bad and not lone:
            break
        for c in bad:
            mine = ((rows["exporter"] == c) | (rows["importer"] == c)).to_numpy()
            out[c] = [v for v in gaps.columns if gaps.loc[mine, v].all()] or ["a cost on every pair"]
        alone += lone
        countries = [c for c in countries if c not in bad and c not in lone]
        keep = (rows["exporter"].isin(countries) & rows["importer"].isin(countries)).to_numpy()
        rows, gaps, costed = rows[keep].reset_index(drop=True), gaps[keep].reset_index(drop=True), costed[keep].reset_index(drop=True)
        if eff is not None:
            eff = eff[keep].reset_index(drop=True)
    if out:
        notes.append("left out of the equilibrium, as none of their pairs has every cost: "
                     + "; ".join(f"{c} (missing: {', '.join(v)})" for c, v in sorted(out.items()))
                     + (f"; and, their only partners gone, {', '.join(sorted(alone))}" if alone else ""))
    n_gap = int((~costed).sum())
    if n_gap:
        by = ", ".join(f"{c} {int(n):,}" for c, n in gaps.sum().items() if n)
        notes.append(f"{n_gap:,} of the {len(rows):,} pairs in the equilibrium lack a cost ({by}): no trade on them, not a guessed cost")
    X = matrix(rows, countries, rows["trade"])
    return Baseline(countries, rows, X, X.sum(axis=1), X.sum(axis=0), None if eff is None else eff.to_numpy(), notes)
