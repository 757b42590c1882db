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
    from .triangles import SCORES
    cols = ["closeness", "relation_type", "closeness_lo", "closeness_hi"] + [f"score_{k}" for k in SCORES]
    if dy is not None:
        cols = [c for c in cols if c in dy.columns]
    dy = _measures(years, sorted(codes), db, dy, cols).copy()
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
    from ..years import clip, data_coverage, span
    rng, note = clip(years, data_coverage(db), "triangle")
    sg = relation_signs(codes, span(rng), db, threshold, dy)
    out = triangles.triangle(sg, *codes)
    out.attrs.update({"states": codes, "years": span(rng), "threshold": threshold, "method": "Dittmer 1981 from multipolar relation signs; neutral where the "
                      "closeness interval spans the threshold or the sign hangs on one component (multipolar.structure.triangles)",
                      "notes": [note] if note else []})
    return out


def poles(years=None, db=None, pole_rule: float | None = None, global_only: bool = True) -> pd.DataFrame:
    """Per year: the great powers' distribution and the polarity reading, and the all-state
    diversity indices (:mod:`multipolar.structure.polarity`), within the years the data cover (a request beyond them
    is an error naming them; one that overlaps them is clipped, ``attrs["notes"]``). Inside them, a
    year without capability or GDP data is a row of gaps."""
    from ..warehouse import Warehouse
    from ..years import clip, data_coverage, span
    from . import polarity as P
    w = Warehouse(db)
    rng, note = clip(years, data_coverage(db), "poles")
    out = P.poles(w, span(rng), pole_rule if pole_rule is not None else P.POLE_RULE, global_only=global_only)
    out.attrs.update({"years": span(rng), "pole_rule": pole_rule or P.POLE_RULE, "global_only": global_only,
                      "decades": P.decades(out).to_dict("records"),
                      "method": "great powers (COW majors): effective number, Ray-Singer concentration, leader's share, runner-up ratio "
                                "of military expenditure; a pole is a global power (Maoz 2010) that spends at least pole_rule of the "
                                "leader" + ("" if global_only else " (here: any great power)") + "; all-state Laakso-Taagepera "
                                "numbers as diversity indices",
                      "notes": [note] if note else []})
    return out


def triangles_ranked(year: int, top: int = 20, db=None, states=None, threshold: float = 0.0, signs=None) -> pd.DataFrame:
    """The most unbalanced triads among major powers (COW major powers of the year plus the G20's
    states by default) in ``year``. ``signs``: the year's signed relations if already computed
    (:func:`balance` with ``return_signs``), so the dyads are built once."""
    from ..actors.groupings import members
    from ..years import clip, data_coverage
    from . import triangles
    if signs is None:
        clip(year, data_coverage(db), "triangles")          # a year without data is an error naming the coverage
    if states is None:
        states = sorted(set(members("G20", year)) | {"USA", "RUS", "CHN", "GBR", "FRA", "DEU", "JPN", "IND"})
    sg = signs if signs is not None else relation_signs(states, f"{year}:{year}", db, threshold)
    out = triangles.most_unbalanced(sg, year, states, top)
    out.attrs.update({"year": year, "states": states, "threshold": threshold})
    return out


def blocs(years, method: str = "ideal-points", db=None, draws: int | None = None, seed: int = 0, tau: float = 1 / 3,
          swing: float = 0.8, jobs: int | None = None, dy: pd.DataFrame | None = None,
          cut: str = "side") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each state's bloc per year with the probability of that membership (``multipolar blocs``).

    Returns (summary: code, year, bloc, probability, runner_up, runner_up_probability, swing;
    probabilities: code, year, bloc, probability for every bloc). ``method``: ``ideal-points`` (the
    IMF split, bootstrap of the ideal points' posterior: :class:`~multipolar.structure.communities.IdealPointBlocs`)
    or ``network`` (Leiden on the closeness graph, bootstrap of the closeness:
    :class:`~multipolar.structure.communities.NetworkBlocs`), fitted year by year. Network bloc names are
    carried from year to year by overlap. ``attrs`` records the parameters that made the tables
    (provenance for the files written; the estimators hold their own).

    Only the years with data: the years are clipped to the ideal points' run (ideal-points) or to the
    data's coverage (network), a request beyond them is an error naming them
    (:func:`multipolar.years.clip`). The network method forms blocs only in the years whose closeness
    rests on the UN votes for at least :data:`~multipolar.relations.MIN_VALUES_SHARE` of the pairs
    (:func:`~multipolar.relations.covered_years`): without them closeness rests on pacts, groupings,
    trade and visas, which tie nearly every state to every other, and Leiden returns one bloc of
    everyone (2024 on the shared data: 195 states, the United States among them). The other half of
    the report's gate (3 components on average) is not applied: before 2019 the dyads have 1.9
    (1946-1994) to 3.0 components on average, so it would leave out every year but 2019. Years left
    out are named in ``attrs["notes"]`` and ``attrs["years_left_out"]``; when none is left, an error.
    ``attrs["notes"]`` also names the ideal-point run the result rests on.
    """
    import os

    from ..dimensions.values import parse_years
    from ..errors import InputError, MissingDataError, UsageError
    from ..years import Coverage, clip, data_coverage
    from . import communities as B
    if parse_years(years) is None:
        raise InputError("blocs: give a year or a range, e.g. 2023 or 1985:2024")
    if cut not in ("band", "side"):
        raise InputError(f"--cut must be band (nonaligned: the middle of the US-China span, --tau) or side (nonaligned: "
                         f"undecided about the side of the midpoint), not {cut!r}")
    if method not in ("ideal-points", "network"):
        raise UsageError(f"--method must be ideal-points or network, not {method!r}")
    probs, notes, left_out = [], [], {}
    extra: dict = {}
    if method == "ideal-points":
        from ..dimensions.values import stored_ideal_points
        ip = stored_ideal_points(db)
        if ip is None:
            raise MissingDataError("no ideal points to form the blocs", hint="import the UN votes (`multipolar data import`) and run "
                                   "`multipolar idealpoints`")
        run = ip.attrs.get("run") or {}
        notes += list(ip.attrs.get("notes", []))
        extra["ideal_points_run"] = str(run.get("run_id", ""))
        cov = Coverage(int(ip["year"].min()), int(ip["year"].max()), f"the ideal points (run {run.get('run_id')})")
        rng, note = clip(years, cov, "blocs")
        draws = draws or 200
        est = B.IdealPointBlocs(tau=tau, draws=draws, seed=seed, cut=cut)
        for y in range(rng[0], rng[1] + 1):
            if ((ip["year"] == y) & ip["code"].isin(["USA", "CHN"])).sum() == 2:
                probs.append(est.fit(ip[ip["year"] == y]).probabilities_.assign(year=y))
            else:
                left_out[y] = "no ideal points of both the United States and China (fewer than 10 recorded roll calls)"
    else:
        rng, note = clip(years, data_coverage(db), "blocs")
        draws = draws or (200 if rng[0] == rng[1] else 50)
        from ..relations import MIN_VALUES_SHARE, covered_years
        dy = _measures(f"{rng[0]}:{rng[1]}", None, db, dy, ["closeness", "closeness_lo", "closeness_hi", "closeness_n_dims", "score_values"])
        notes += [n for n in dy.attrs.get("notes", []) if n.startswith("values:")]
        und = dy[dy["code_a"] < dy["code_b"]]
        # the coverage gate (multipolar.relations.covered_years): a year whose closeness lacks the UN votes
        # for most pairs gets no blocs, rather than one bloc of everyone (see NETWORK_GATE)
        cov = covered_years(und)
        est = B.NetworkBlocs(draws=draws, seed=seed, jobs=jobs or os.cpu_count())
        prev = None
        for y in range(rng[0], rng[1] + 1):
            if y not in cov.index or not cov.loc[y, "values_share"] >= MIN_VALUES_SHARE:
                m = cov.loc[y] if y in cov.index else None
                left_out[y] = ("no dyads" if m is None else
                               f"the UN votes for {m['values_share']:.0%} of the pairs (needed: {MIN_VALUES_SHARE:.0%}), closeness "
                               f"resting on {m['mean_dims']:.1f} of 5 components on average")
                continue
            p = est.fit(und[und["year"] == y]).probabilities_.assign(year=y)
            if prev is not None:
                ren = B.match_across_years(prev, p)
                p["bloc"] = p["bloc"].replace(ren)
                p = p.groupby(["code", "bloc", "year"], as_index=False)["probability"].sum()
            probs.append(p)
            prev = p
    if note:
        notes.insert(0, note)
    if not probs:
        need = ("ideal points of both the United States and China" if method == "ideal-points" else
                "dyads whose closeness rests on enough components (the UN votes among them)")
        why = "; ".join(f"{y}: {r}" for y, r in sorted(left_out.items())[:5]) + ("; ..." if len(left_out) > 5 else "")
        raise MissingDataError(f"no year in {rng[0]}-{rng[1]} has the data for {method} blocs ({need}): {why}",
                               hint="choose years with data (`multipolar data status`), or import the UN votes and run `multipolar idealpoints`"
                               if method == "ideal-points" else "choose years with the UN votes (the network blocs need closeness "
                               "resting on them), or use --method ideal-points")
    if left_out:
        groups: dict[str, list[int]] = {}
        for y, r in sorted(left_out.items()):
            groups.setdefault(r if method == "ideal-points" else "closeness without the UN votes", []).append(y)
        for r, ys in groups.items():
            detail = "" if method == "ideal-points" else ": " + "; ".join(f"{y}: {left_out[y]}" for y in ys)
            notes.append(f"no {method} blocs in {_years_text(ys)} ({r}){detail}")
    prob = pd.concat(probs, ignore_index=True)
    summ = pd.concat([B.summarise(g, swing).assign(year=y) for y, g in prob.groupby("year")], ignore_index=True)
    params = {"years": f"{rng[0]}:{rng[1]}", "method": method, "draws": draws, "seed": seed, "tau": tau, "cut": cut, "swing": swing, **extra,
              "years_left_out": ",".join(str(y) for y in sorted(left_out)), "notes": notes}
    summ.attrs.update(params)
    prob.attrs.update(params)
    return summ, prob


def _years_text(ys: list[int]) -> str:
    """[2020, 2021, 2022, 2024] -> '2020-2022, 2024'."""
    out, run = [], []
    for y in sorted(ys):
        if run and y != run[-1] + 1:
            out.append(run)
            run = []
        run.append(y)
    if run:
        out.append(run)
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else f"{r[0]}" for r in out)


def trends(years=None, db=None, blocs_year: int | None = None, method: str = "ideal-points", seed: int = 0,
           dy: pd.DataFrame | None = None):
    """The de-globalization scoreboard (``multipolar trends``): per year and process, ties within
    blocs against across them and the fragmentation index (:mod:`multipolar.structure.fragmentation`).
    Blocs are fixed at ``blocs_year`` (default: the last year with a full UN session in the ideal
    points). ``years``: FIRST:LAST; None: from the first to the last year in which any process has
    data (years between without data stay, as gaps)."""
    from ..dimensions.values import stored_ideal_points
    from ..dimensions.values import parse_years
    from . import fragmentation as T
    from ..years import clip, data_coverage
    rng, note = clip(years, data_coverage(db), "trends") if parse_years(years) is not None else (None, None)
    if blocs_year is None:
        from ..errors import MissingDataError
        ip = stored_ideal_points(db)
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
    notes = ([note] if note else []) + [f"blocs of {blocs_year}: {n}" if not n.startswith("ideal points:") else n
                                        for n in summ.attrs.get("notes", [])]
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
    info = sorted(int(y) for y in sb.loc[(sb["process"] == "information") & sb["fragmentation"].notna(), "year"])
    if info:
        from ..events import VOLUME_CAVEAT
        notes.append(f"information: the share of cooperative events (quad classes 1-2) among each pair's events, from the event series in "
                     f"{', '.join(map(str, info))} only (the years one source's files cover; missing elsewhere, never 0); {VOLUME_CAVEAT}")
    sb.attrs.update({"years": f"{rng[0]}:{rng[1]}", "blocs_year": blocs_year, "method": method, "seed": seed,
                     "blocs": bl.value_counts().to_dict(), "notes": notes,
                     **({"ideal_points_run": summ.attrs["ideal_points_run"]} if "ideal_points_run" in summ.attrs else {})})
    return sb


def balance(years, db=None, threshold: float = 0.0, return_signs: bool = False, dy: pd.DataFrame | None = None):
    """The share of balanced triads (Heider) among all states per year (and, with ``return_signs``,
    the signed relations it was computed from)."""
    from ..years import clip, data_coverage, span
    from . import triangles
    rng, note = clip(years, data_coverage(db), "triangles")
    # the signs as the triangle's: the closeness interval and the components (a sign hanging on one is neutral)
    cols = ["closeness", "relation_type", "closeness_lo", "closeness_hi"] + [f"score_{k}" for k in triangles.SCORES]
    if dy is not None:
        cols = [c for c in cols if c in dy.columns]
    sg = triangles.signs(_measures(span(rng), None, db, dy, cols), threshold)
    out = triangles.balance_share(sg)
    out.attrs.update({"years": span(rng), "threshold": threshold, "notes": [note] if note else []})
    return (out, sg) if return_signs else out


def with_parameters(df: pd.DataFrame) -> pd.DataFrame:
    """The table with the parameters that made it as columns (so a written file can be reproduced)."""
    out = df.copy()
    for k, v in df.attrs.items():
        if isinstance(v, (str, int, float, bool)) or v is None:
            out[f"param_{k}"] = v
    return out
