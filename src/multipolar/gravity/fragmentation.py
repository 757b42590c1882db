"""Trade between blocs after a break: the IMF's fragmentation estimate, and how much it moves.

Gopinath, Gourinchas, Presbitero & Topalova (2024, "Changing global linkages: a new Cold War?",
IMF Working Paper 24/76) report that since the invasion of Ukraine trade between the US-leaning and
the China-leaning blocs (UN General Assembly ideal points, Bailey, Strezhnev & Voeten 2017) fell
about 12% more than trade within them: a PPML gravity on bilateral goods trade with
exporter-year, importer-year and pair fixed effects and a between-bloc × post-2022 term.

:func:`estimate` fits the same specification on the flows the warehouse holds:

.. math:: X_{ijt} = \\exp(β \\, \\text{between}_{ij} × \\text{post}_t + η_{it} + ψ_{jt} + μ_{ij}) \\, ε_{ijt}

over the ordered pairs whose two states are in the US-leaning or the China-leaning bloc of the
bloc year (nonaligned states left out: the contrast is across against within, as in the IMF's
headline), every year from ``start`` to the last year of the data, zeros included (BACI: a missing
flow inside its years is no flow). Standard errors clustered by pair (pyfixest ``fepois``); the
effect in % is exp(β) − 1, its 90% interval from β ± 1.645 se.

:func:`sensitivity` re-estimates it with one choice changed at a time — the bloc year, the bloc
method (ideal points, or the network communities of the closeness graph), with and without Russia, the sector, the start
year — and prints the IMF's −12% beside it with what differs: their data are total goods trade of
about 200 economies to 2023 (IMF DOTS); the shared data here are the energy and minerals products
of BACI (74 HS6 products) unless a user imports a full trade file (``--sector total``).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError

IMF = {"estimate_pct": -12.0, "source": "Gopinath, Gourinchas, Presbitero & Topalova (2024), IMF WP 24/76",
       "data": "total goods trade (IMF DOTS), about 200 economies, quarterly to 2023; blocs from 2022 UN votes (ideal points)"}
ENERGY_MINERALS = "energy_minerals"     # every product of the shared BACI subset (all the sectors together)


@dataclass
class Estimate:
    label: str
    beta: float
    se: float
    pct: float
    lo_pct: float
    hi_pct: float
    nobs: int
    pairs: int
    spec: dict
    seconds: float
    notes: list[str] = field(default_factory=list)

    def row(self) -> dict:
        """The estimate as one table row: effect in percent with its 90% interval, beta, se, counts and the
        specification."""
        return {"variant": self.label, "effect_pct": self.pct, "lo90_pct": self.lo_pct, "hi90_pct": self.hi_pct, "beta": self.beta,
                "se": self.se, "obs": self.nobs, "pairs": self.pairs, **{k: v for k, v in self.spec.items() if k != "label"},
                "seconds": self.seconds}


def _products(sector: str) -> list[str]:
    from .panel import sector_products, sectors
    if sector == ENERGY_MINERALS:
        return sectors()["hs6"].tolist()
    return sector_products(sector)


def flows(db, sector: str, start: int, end: int | None = None) -> pd.DataFrame:
    """exporter, importer, year, trade (thousand US$) of the sector from BACI, without zeros."""
    from ..warehouse import Warehouse
    w = Warehouse(db)
    if sector == "total":
        from .panel import _flows
        fl, _, _ = _flows(w, (start, end or 2100), "total")
        return fl
    if not (w.path.exists() and w.has("baci_trade")):
        raise InputError("fragmentation: the warehouse has no BACI trade; import it (`multipolar data import ../shared/data`)")
    prods = ", ".join(f"'{p}'" for p in _products(sector))
    fl = w.query(f"""SELECT exporter, importer, year, sum(value_kusd) AS trade FROM baci_trade WHERE hs6 IN ({prods})
                     AND year >= {start} {f'AND year <= {end}' if end else ''} AND exporter <> importer GROUP BY ALL""")
    if fl.empty:
        raise InputError(f"fragmentation: no {sector} flows in BACI from {start}")
    from ..sources.products import gap_rows
    fl.attrs["gaps"] = list(gap_rows(_products(sector), start, end or int(fl["year"].max())).itertuples(index=False, name=None))
    return fl


def bloc_map(db, year: int, method: str = "ideal-points") -> pd.Series:
    """code -> bloc (US-leaning, China-leaning or nonaligned) of ``year``. ``method``: ``ideal-points``
    (the IMF's split of the current ideal-point run) or ``network`` (the Leiden communities of the
    closeness graph, :data:`NETWORK_BOOT` bootstrap replicates, named by the pole they hold)."""
    from .. import structure as S
    if method == "ideal-points":
        summ, _ = S.blocs(str(year), method="ideal-points", db=db, draws=50)
        return summ.set_index("code")["bloc"]
    if method == "network":
        # the Leiden communities of the year's closeness graph (few bootstrap replicates: the most likely bloc is what counts
        # here), named by the pole each holds
        summ, _ = S.blocs(str(year), method="network", db=db, draws=NETWORK_BOOT)
        b = summ.set_index("code")["bloc"]
        us, cn = b.get("USA"), b.get("CHN")
        if us is None or cn is None or us == cn:
            raise InputError(f"the network blocs of {year} put the United States and China "
                             + ("in the same bloc" if us == cn and us is not None else "out of the graph") + ": no across-bloc contrast")
        return b.map(lambda x: "US-leaning" if x == us else "China-leaning" if x == cn else "nonaligned")
    raise InputError(f"--bloc-method: ideal-points or network, got {method!r}")


def estimate(fl: pd.DataFrame, blocs: pd.Series, post: int = 2022, start: int | None = None, drop: tuple[str, ...] = (),
             label: str = "", spec: dict | None = None) -> Estimate:
    """The between-bloc × post effect on the flows ``fl`` (module docstring)."""
    from . import estimate as E
    t0 = time.perf_counter()
    side = blocs[blocs.isin(["US-leaning", "China-leaning"])]
    states = sorted(set(side.index) - set(drop))
    f = fl[fl["exporter"].isin(states) & fl["importer"].isin(states)]
    if start is not None:
        f = f[f["year"] >= start]
    years = sorted(f["year"].unique())
    if not years or years[-1] < post or years[0] >= post:
        raise InputError(f"fragmentation: the flows cover {years[0] if years else '-'}-{years[-1] if years else '-'}; "
                         f"need years before and from {post}")
    traders = sorted(set(f["exporter"]) | set(f["importer"]))
    full = pd.MultiIndex.from_product([traders, traders, years], names=["exporter", "importer", "year"]).to_frame(index=False)
    full = full[full["exporter"] != full["importer"]]
    d = full.merge(f, on=["exporter", "importer", "year"], how="left")
    d["trade"] = d["trade"].fillna(0.0)
    from .panel import _drop_gaps
    gap_notes = fl.attrs.setdefault("notes", [])
    n_notes = len(gap_notes)
    d = _drop_gaps(d, fl)
    ba, bb = d["exporter"].map(side), d["importer"].map(side)
    d["between_post"] = ((ba != bb) & (d["year"] >= post)).astype(float)
    d["pair"] = d["exporter"] + "-" + d["importer"]
    d["exp_year"] = d["exporter"] + d["year"].astype(str)
    d["imp_year"] = d["importer"] + d["year"].astype(str)
    fit = E.ppml(d, "trade", ["between_post"], ["exp_year", "imp_year", "pair"], cluster="pair", fixef_tol=1e-6, fixef_maxiter=5000)
    b, se = float(fit.coef["between_post"]), float(fit.se["between_post"])
    pct = lambda x: (np.exp(x) - 1) * 100   # noqa: E731
    n_us, n_cn = int((side.reindex(traders) == "US-leaning").sum()), int((side.reindex(traders) == "China-leaning").sum())
    notes = [f"{n_us} US-leaning and {n_cn} China-leaning states trade the sector; nonaligned states left out", *gap_notes[n_notes:],
             *[f"dropped: {r.rows:,} rows ({r.reason}{', ' + r.fixed_effect if r.fixed_effect else ''})" for r in fit.dropped.itertuples()]]
    return Estimate(label, b, se, pct(b), pct(b - 1.645 * se), pct(b + 1.645 * se), int(fit.nobs), int(fit.used["pair"].nunique()),
                    dict(spec or {}), time.perf_counter() - t0, notes)


NETWORK_BOOT = 10
DEFAULT_SECTORS = ("crude_oil", "natural_gas", "coal", "metal_ores", "critical_minerals")


def sensitivity(db=None, blocs_year: int = 2019, post: int = 2022, sector: str = ENERGY_MINERALS, start: int = 2017,
                bloc_method: str = "ideal-points", variants: bool = True, other_years: tuple[int, ...] = (2015, 2021),
                sectors: tuple[str, ...] = DEFAULT_SECTORS, starts: tuple[int, ...] = (2012,)) -> tuple[pd.DataFrame, list[str]]:
    """The estimate and, with ``variants``, the same with one choice changed at a time. Returns the
    table (first row: the main estimate) and notes (variants that could not be estimated say why)."""
    from .ge import NotConverged
    notes: list[str] = []
    cache: dict = {}

    def get_flows(sec, st):
        key = (sec, st)
        if key not in cache:
            cache[key] = flows(db, sec, st)
        return cache[key]
    base = {"blocs": blocs_year, "bloc_method": bloc_method, "russia": "with", "sector": sector, "start": start, "post": post}
    specs = [("main", base)]
    if variants:
        specs += [(f"blocs {y}", {**base, "blocs": y}) for y in other_years if y != blocs_year]
        specs += [("without Russia", {**base, "russia": "without"})]
        other_method = "network" if bloc_method == "ideal-points" else "ideal-points"
        specs += [(f"blocs by {other_method}", {**base, "bloc_method": other_method})]
        specs += [(f"sector {s}", {**base, "sector": s}) for s in sectors if s != sector]
        specs += [(f"from {s}", {**base, "start": s}) for s in starts if s != start]
    rows = []
    bl_cache: dict = {}
    for label, sp in specs:
        try:
            bk = (sp["blocs"], sp["bloc_method"])
            if bk not in bl_cache:
                bl_cache[bk] = bloc_map(db, sp["blocs"], sp["bloc_method"])
            fl = get_flows(sp["sector"], min(sp["start"], start))
            if sp["russia"] == "without" and bl_cache[bk].get("RUS") not in ("US-leaning", "China-leaning"):
                notes.append(f"{label}: Russia is {bl_cache[bk].get('RUS', 'not placed')} in the {sp['blocs']} blocs ({sp['bloc_method']}), "
                             "outside the two blocs already: the same as the main estimate")
                continue
            e = estimate(fl, bl_cache[bk], sp["post"], sp["start"], ("RUS",) if sp["russia"] == "without" else (), label, sp)
            rows.append(e.row())
            if label == "main":
                notes += e.notes
        except (InputError, NotConverged) as err:
            if label == "main":
                raise
            notes.append(f"{label}: not estimated ({err})")
    return pd.DataFrame(rows), notes
