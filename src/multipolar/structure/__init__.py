"""The shape of the system: poles, strategic triangles and blocs, from the dyad-year relations.

Every result carries the data and parameters that made it (``attrs``: years, method, thresholds),
so that it can be reproduced.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..actors.registry import SERIES_PREDECESSORS

#: historical predecessors shown under their successor's name in long series (the USSR as Russia)
SERIES_ALIASES = {old: new for new, old in SERIES_PREDECESSORS.items()}


def _measures(years=None, states=None, db=None, dy: pd.DataFrame | None = None, columns: list[str] | None = None) -> pd.DataFrame:
    """The dyad-year measures (:func:`multipolar.relations.measures.measures`), or the rows of ``dy``
    (measures already loaded, e.g. by the report) for those years and states; ``columns``: only
    these besides the keys (filtering fewer columns is faster)."""
    from ..dimensions.values import parse_years
    from ..relations.measures import measures
    keys = ["code_a", "code_b", "year"]
    if dy is None:
        from ..warehouse import Warehouse, retry_locked
        dy = retry_locked(measures, years, states, db, db_path=Warehouse(db).path)   # waits while an import writes a file
        return dy if columns is None else dy[keys + [c for c in columns if c not in keys]]
    if columns is not None:
        dy = dy[keys + [c for c in columns if c not in keys]]
    rng = parse_years(years)
    keep = np.ones(len(dy), dtype=bool)
    if rng:
        yr = dy["year"].to_numpy()
        keep &= (yr >= rng[0]) & (yr <= rng[1])
    if states is not None:
        keep &= dy["code_a"].isin(states).to_numpy() & dy["code_b"].isin(states).to_numpy()
    return dy if keep.all() else dy[keep]


def relation_signs(states, years=None, db=None, threshold: float = 0.0, dy: pd.DataFrame | None = None) -> pd.DataFrame:
    """Signed relations among ``states`` (predecessors folded into successors for long series)."""
    from . import triangles
    rev = {v: k for k, v in SERIES_ALIASES.items()}
    codes = set(states) | {rev[c] for c in states if c in rev}
    dy = _measures(years, sorted(codes), db, dy, ["closeness", "relation_type"]).copy()
    for col in ("code_a", "code_b"):
        dy[col] = dy[col].replace(SERIES_ALIASES)
    dy = dy[dy["code_a"] != dy["code_b"]]
    sg = triangles.signs(dy, threshold)
    return sg


def triangle(a: str, b: str, c: str, years=None, db=None, threshold: float = 0.0, dy: pd.DataFrame | None = None) -> pd.DataFrame:
    """Dittmer type, pivot or pariah, balance and dated changes of the triangle A-B-C per year."""
    from ..actors.registry import registry
    from . import triangles
    reg = registry()
    codes = [reg.resolve(x) for x in (a, b, c)]
    codes = [SERIES_ALIASES.get(x, x) for x in codes]
    if len(set(codes)) < 3:
        from ..errors import InputError
        raise InputError(f"a triangle needs three different states, got {', '.join(codes)}")
    sg = relation_signs(codes, years, db, threshold, dy)
    out = triangles.triangle(sg, *codes)
    out.attrs.update({"states": codes, "years": years, "threshold": threshold, "method": "Dittmer 1981 from multipolar relation signs"})
    return out


def poles(years=None, db=None, pole_rule: float | None = None) -> pd.DataFrame:
    from ..warehouse import Warehouse
    from . import polarity as P
    out = P.poles(Warehouse(db), years, pole_rule if pole_rule is not None else P.POLE_RULE)
    out.attrs.update({"years": years, "pole_rule": pole_rule or P.POLE_RULE, "method": "Laakso-Taagepera; military half-leader rule"})
    return out


def triangles_ranked(year: int, top: int = 20, db=None, states=None, threshold: float = 0.0, signs=None) -> pd.DataFrame:
    """The most unbalanced triads among major powers (COW major powers of the year plus the G20's
    states by default) in ``year``. ``signs``: the year's signed relations if already computed
    (:func:`balance` with ``return_signs``), so the dyads are built once."""
    from ..actors.groupings import members
    from . import triangles
    if states is None:
        states = sorted(set(members("G20", year)) | {"USA", "RUS", "CHN", "GBR", "FRA", "DEU", "JPN", "IND"})
    sg = signs if signs is not None else relation_signs(states, f"{year}:{year}", db, threshold)
    out = triangles.most_unbalanced(sg, year, states, top)
    out.attrs.update({"year": year, "states": states, "threshold": threshold})
    return out


def blocs(years, method: str = "ideal-points", db=None, n_boot: int | None = None, seed: int = 0, tau: float = 1 / 3,
          swing: float = 0.8, jobs: int | None = None, dy: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each state's bloc per year with the probability of that membership (``multipolar blocs``).

    Returns (summary: code, year, bloc, probability, runner_up, runner_up_probability, swing;
    probabilities: code, year, bloc, probability for every bloc). ``method``: ``ideal-points`` (the
    IMF split, bootstrap of the ideal points' posterior) or ``network`` (Leiden on the closeness
    graph, bootstrap of the closeness). Network bloc names are carried from year to year by overlap.
    """
    import os

    from ..dimensions.values import parse_years
    from ..errors import InputError, MissingDataError
    from . import communities as B
    rng = parse_years(years)
    if rng is None:
        raise InputError("blocs: give a year or a range, e.g. 2023 or 1985:2024")
    if method not in ("ideal-points", "network"):
        raise InputError(f"--method must be ideal-points or network, not {method!r}")
    n_boot = n_boot or (200 if rng[0] == rng[1] or method == "ideal-points" else 50)
    probs = []
    if method == "ideal-points":
        from .. import api
        ip = api.stored_ideal_points(db)
        if ip is None:
            raise MissingDataError("no ideal points to form the blocs", hint="import the UN votes (`multipolar data import`) and run "
                                   "`multipolar idealpoints`")
        for y in range(rng[0], rng[1] + 1):
            if ((ip["year"] == y) & ip["code"].isin(["USA", "CHN"])).sum() == 2:
                probs.append(B.ideal_point_blocs(ip, y, tau=tau, n_boot=n_boot, seed=seed))
    else:
        dy = _measures(f"{rng[0]}:{rng[1]}", None, db, dy, ["closeness", "closeness_lo", "closeness_hi"])
        und = dy[dy["code_a"] < dy["code_b"]]
        prev = None
        for y in range(rng[0], rng[1] + 1):
            p = B.network_blocs(und, y, n_boot=n_boot, seed=seed, jobs=jobs or os.cpu_count())
            if prev is not None:
                ren = B.match_across_years(prev, p)
                p["bloc"] = p["bloc"].replace(ren)
                p = p.groupby(["code", "bloc", "year"], as_index=False)["probability"].sum()
            probs.append(p)
            prev = p
    if not probs:
        need = ("ideal points of both the United States and China" if method == "ideal-points" else "dyad closeness")
        raise MissingDataError(f"no year in {rng[0]}-{rng[1]} has the data for {method} blocs ({need})",
                               hint="choose years with data (`multipolar data status`), or import the UN votes and run `multipolar idealpoints`"
                               if method == "ideal-points" else "choose years with data (`multipolar data status`), or import the data")
    prob = pd.concat(probs, ignore_index=True)
    summ = pd.concat([B.summarise(g, swing).assign(year=y) for y, g in prob.groupby("year")], ignore_index=True)
    params = {"years": f"{rng[0]}:{rng[1]}", "method": method, "n_boot": n_boot, "seed": seed, "tau": tau, "swing": swing}
    summ.attrs.update(params)
    prob.attrs.update(params)
    return summ, prob


def trends(years=None, db=None, blocs_year: int | None = None, method: str = "ideal-points", seed: int = 0,
           dy: pd.DataFrame | None = None):
    """The de-globalization scoreboard (``multipolar trends``): per year and process, ties within
    blocs against across them and the fragmentation index (:mod:`multipolar.structure.fragmentation`).
    Blocs are fixed at ``blocs_year`` (default: the last year with a full UN session in the ideal
    points). ``years``: FIRST:LAST; None: from the first to the last year in which any process has
    data (years between without data stay, as gaps)."""
    from .. import api
    from ..dimensions.values import parse_years
    from . import fragmentation as T
    rng = parse_years(years)
    if blocs_year is None:
        from ..errors import MissingDataError
        ip = api.stored_ideal_points(db)
        if ip is None:
            raise MissingDataError("no ideal points to form the blocs", hint="import the UN votes and run `multipolar idealpoints`, "
                                   "or give --blocs-year with --method network")
        from ..dimensions.values import MIN_ROLL_CALLS, last_full_session
        blocs_year = last_full_session(ip[ip["code"].isin(["USA", "CHN"]).groupby(ip["year"]).transform("sum") == 2])
        if blocs_year is None:
            raise MissingDataError(f"no year of the ideal points has a full UN session (a median of {MIN_ROLL_CALLS} votes per state) "
                                   "to form the blocs", hint="import the UN votes of whole sessions and run `multipolar idealpoints`, "
                                   "or give --blocs-year")
    summ, _ = blocs(str(blocs_year), method=method, db=db, seed=seed, dy=dy)
    bl = summ.set_index("code")["bloc"]
    sb = T.scoreboard(_measures(f"{rng[0]}:{rng[1]}" if rng else None, None, db, dy, T.COLUMNS), bl)
    if rng is None:
        with_data = sb.loc[sb["fragmentation"].notna(), "year"]
        if with_data.empty:
            from ..errors import MissingDataError
            raise MissingDataError("no year has data on any of the five processes across the blocs",
                                   hint="import the data (`multipolar data import ../shared/data`)")
        rng = (int(with_data.min()), int(with_data.max()))
        sb = sb[sb["year"].between(*rng)].reset_index(drop=True)
    sb.attrs.update({"years": f"{rng[0]}:{rng[1]}", "blocs_year": blocs_year, "method": method, "seed": seed,
                     "blocs": bl.value_counts().to_dict()})
    return sb


def balance(years, db=None, threshold: float = 0.0, return_signs: bool = False, dy: pd.DataFrame | None = None):
    """The share of balanced triads (Heider) among all states per year (and, with ``return_signs``,
    the signed relations it was computed from)."""
    from . import triangles
    sg = triangles.signs(_measures(years, None, db, dy, ["closeness", "relation_type"]), threshold)
    out = triangles.balance_share(sg)
    out.attrs.update({"years": years, "threshold": threshold})
    return (out, sg) if return_signs else out


def with_parameters(df: pd.DataFrame) -> pd.DataFrame:
    """The table with the parameters that made it as columns (so a written file can be reproduced)."""
    out = df.copy()
    for k, v in df.attrs.items():
        if isinstance(v, (str, int, float, bool)) or v is None:
            out[f"param_{k}"] = v
    return out
