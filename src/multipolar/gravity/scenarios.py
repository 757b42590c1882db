"""Scenarios: cost shocks named in plain terms (a YAML file), solved in general equilibrium.

A scenario file::

    name: Secondary sanctions on Russia's oil trade through China, the UAE and Turkey
    sector: crude_oil          # a sector of sources/data/hs6_sectors.csv, or total
    fit_years: 2012:2019       # the years the costs are estimated on
    base_year: 2019            # the baseline flows and costs
    sigma: 7                   # elasticity of substitution (Yotov et al. 2016 use 7)
    draws: 100                 # Monte Carlo draws of the coefficients for the intervals (0: none)
    shocks:
      - {type: sanction, exporters: [RUS], importers: [EU, USA], ban: true, direction: one-way}   # or tariff_pct: 35
      - {type: secondary, target: RUS, through: [CHN, ARE, TUR], tariff_pct: 50}
      - {type: payment_friction, pairs: [[RUS, CHN], [RUS, IND]], tariff_pct: 5}
      - {type: decouple, blocs_year: 2019, tariff_pct: 30}                 # US-leaning vs China-leaning (ideal points)
      - {type: reopen, between: [EU], and: [RUS], year: 2013}              # the pairs' time-varying costs of that year

States are names or codes (resolved by the actor registry, with suggestions when unknown) or
groupings (EU, NATO, BRICS, G7...: their members in the base year); ``all`` is every state of the
sector's traders, and a sanction's ``except`` leaves states out of its importers (the EU's pipeline
exemptions, say). A tariff-equivalent of t%
multiplies t_ij^(1-σ) by (1 + t/100)^(1-σ); a ban sets it to
0 (no flow). ``sanction`` bans or taxes the ``exporters``' sales to the ``importers`` and, unless
``direction: one-way``, the reverse flows too; ``payment_friction`` applies both ways; ``secondary`` taxes the trade of each ``through`` state with the target,
both ways. Shocks compound.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError

SHOCK_KEYS = {"sanction": {"exporters", "importers", "ban", "tariff_pct", "direction", "except"},
              "secondary": {"target", "through", "tariff_pct", "ban"},
              "payment_friction": {"pairs", "tariff_pct"},
              "decouple": {"blocs_year", "tariff_pct", "ban"},
              "reopen": {"between", "and", "year"}}
TOP_KEYS = {"name", "sector", "fit_years", "base_year", "sigma", "draws", "shocks", "description", "seed"}


@dataclass
class Scenario:
    name: str
    sector: str
    fit_years: tuple[int, int]
    base_year: int
    sigma: float
    draws: int
    shocks: list[dict]
    source: str = ""
    seed: int = 0


def builtin() -> dict[str, Path]:
    """The scenarios shipped with multipolar: {name: path of its YAML file}."""
    d = Path(str(resources.files("multipolar.gravity").joinpath("scenarios")))
    return {p.stem: p for p in sorted(d.glob("*.yaml"))}


def load(path) -> Scenario:
    """The :class:`Scenario` of the YAML file ``path``; a missing file or a bad field raises naming it."""
    import yaml
    p = Path(path)
    if not p.exists():
        b = builtin()
        if str(path) in b:
            p = b[str(path)]
        else:
            raise InputError(f"{path}: no such scenario file or built-in scenario; built-in: {', '.join(b)}")
    try:
        spec = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise InputError(f"{p}: not valid YAML ({e})") from None
    where = str(p)
    if not isinstance(spec, dict):
        raise InputError(f"{where}: expected a mapping with name, sector, shocks...")
    unknown = set(spec) - TOP_KEYS
    if unknown:
        raise InputError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(TOP_KEYS))}")
    for k in ("name", "sector", "shocks"):
        if k not in spec:
            raise InputError(f"{where}: missing {k!r}")
    from ..dimensions.values import parse_years
    fy = parse_years(str(spec.get("fit_years", "2012:2019")))
    by = int(spec.get("base_year", fy[1]))
    sigma = float(spec.get("sigma", 7))
    if sigma <= 1:
        raise InputError(f"{where}: sigma must exceed 1, got {sigma}")
    sc = Scenario(str(spec["name"]), str(spec["sector"]), fy, by, sigma, int(spec.get("draws", 100)), spec["shocks"], where,
                  int(spec.get("seed", 0)))
    validate(sc)
    return sc


def validate(sc: Scenario) -> None:
    """Check the shocks of a scenario: their types, keys and values; errors name the file and shock."""
    where, shocks = sc.source, sc.shocks
    if not isinstance(shocks, list) or not shocks:
        raise InputError(f"{where}: shocks must be a non-empty list")
    for i, s in enumerate(shocks, 1):
        if not isinstance(s, dict) or s.get("type") not in SHOCK_KEYS:
            raise InputError(f"{where}, shock {i}: type must be one of {', '.join(SHOCK_KEYS)}, got {s!r}")
        extra = set(s) - SHOCK_KEYS[s["type"]] - {"type"}
        if extra:
            raise InputError(f"{where}, shock {i} ({s['type']}): unknown key(s) {', '.join(sorted(extra))}; "
                             f"allowed: {', '.join(sorted(SHOCK_KEYS[s['type']]))}")
        if s["type"] != "reopen":
            if bool(s.get("ban")) == ("tariff_pct" in s):
                raise InputError(f"{where}, shock {i} ({s['type']}): give either ban: true or tariff_pct, not both or neither")
            if "tariff_pct" in s:
                t = s["tariff_pct"]
                if not isinstance(t, (int, float)) or t <= -100 or t > 10_000:
                    raise InputError(f"{where}, shock {i}: tariff_pct must be a number above -100 and at most 10000 (a tariff "
                                     f"equivalent in %), got {t!r}")


def _states(items, year: int, where: str) -> list[str]:
    """Codes of names, codes and groupings (members in ``year``); errors say which item is unknown."""
    from ..actors import groupings
    from ..actors.registry import registry
    from ..errors import MultipolarError
    if isinstance(items, str):
        items = [items]
    out = []
    orgs = set(groupings.organisations()["org"])
    for it in items:
        if str(it).lower() == "all":
            out.append("*")
        elif str(it).upper() in orgs:
            m = groupings.members(str(it).upper(), year)
            if not m:
                raise InputError(f"{where}: the group {it} has no members in {year}")
            out += m
        else:
            try:
                out.append(registry().resolve(it, year=year))
            except MultipolarError as e:
                raise InputError(f"{where}: {e}") from None
    if not out:
        raise InputError(f"{where}: an empty list of states")
    return sorted(set(out))


def _factor(s: dict, sigma: float) -> float:
    return 0.0 if s.get("ban") else (1 + s["tariff_pct"] / 100.0) ** (1 - sigma)


def apply(sc: Scenario, countries: list[str], tau: np.ndarray, panel: pd.DataFrame, coef: pd.Series,
          bans: np.ndarray | None = None) -> tuple[np.ndarray, list[str]]:
    """The counterfactual costs and a line per shock saying what it did; ``bans`` (a boolean
    matrix, when given) is set True on the pairs a shock bans."""
    idx = {c: i for i, c in enumerate(countries)}
    out = tau.copy()
    said = []
    bans = np.zeros_like(tau, dtype=bool) if bans is None else bans
    for k, s in enumerate(sc.shocks, 1):
        where = f"{sc.source}, shock {k} ({s['type']})"
        mask = np.zeros_like(tau, dtype=bool)
        if s["type"] == "sanction":
            a, b = _states(s.get("exporters", []), sc.base_year, where), _states(s.get("importers", []), sc.base_year, where)
            a, b = (countries if "*" in a else a), (countries if "*" in b else b)
            if s.get("except"):
                b = [c for c in b if c not in set(_states(s["except"], sc.base_year, where)) and c not in a]
            ia, ib = [idx[c] for c in a if c in idx], [idx[c] for c in b if c in idx]
            mask[np.ix_(ia, ib)] = True
            if s.get("direction", "both") != "one-way":
                mask[np.ix_(ib, ia)] = True
        elif s["type"] == "secondary":
            t = _states(s["target"], sc.base_year, where)
            th = _states(s["through"], sc.base_year, where)
            it, ith = [idx[c] for c in t if c in idx], [idx[c] for c in th if c in idx]
            mask[np.ix_(it, ith)] = True
            mask[np.ix_(ith, it)] = True
        elif s["type"] == "payment_friction":
            for pair in s["pairs"]:
                if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                    raise InputError(f"{where}: each pair is two states, e.g. [RUS, CHN]; got {pair!r}")
                a, b = (_states(x, sc.base_year, where) for x in pair)
                for x in a:
                    for y in b:
                        if x in idx and y in idx:
                            mask[idx[x], idx[y]] = mask[idx[y], idx[x]] = True
        elif s["type"] == "decouple":
            from .. import structure as S
            yb = int(s.get("blocs_year", 2019))
            summ, _ = S.blocs(str(yb), method="ideal-points", draws=50)
            bl = summ.set_index("code")["bloc"]
            us = [idx[c] for c in bl[bl == "US-leaning"].index if c in idx]
            cn = [idx[c] for c in bl[bl == "China-leaning"].index if c in idx]
            if not us or not cn:
                raise InputError(f"{where}: the blocs of {yb} leave one side empty among the sector's traders")
            mask[np.ix_(us, cn)] = mask[np.ix_(cn, us)] = True
        elif s["type"] == "reopen":
            a, b = _states(s["between"], sc.base_year, where), _states(s["and"], sc.base_year, where)
            year = int(s.get("year", 2013))
            rows = panel[panel["year"] == year]
            if rows.empty:
                raise InputError(f"{where}: the panel has no year {year} (fit_years {sc.fit_years[0]}-{sc.fit_years[1]} must include it)")
            then = rows.set_index(["exporter", "importer"])
            now = panel[panel["year"] == sc.base_year].set_index(["exporter", "importer"])
            tv = [c for c in coef.index if c in then.columns]
            n, channel = 0, dict.fromkeys(tv, 0.0)
            for x in a:
                for y in b:
                    for e, i in ((x, y), (y, x)):
                        if e in idx and i in idx and (e, i) in then.index and (e, i) in now.index:
                            parts = {c: coef[c] * (np.nan_to_num(then.at[(e, i), c]) - np.nan_to_num(now.at[(e, i), c])) for c in tv}
                            out[idx[e], idx[i]] *= np.exp(float(sum(parts.values())))
                            for c, v in parts.items():
                                channel[c] += float(v)
                            n += 1
            moved = sorted(((c, v / n) for c, v in channel.items() if n and abs(v / n) > 1e-3), key=lambda cv: -abs(cv[1]))
            said.append(f"reopen: {n} directed pairs back to their {year} costs; change in log t^(1-σ) by channel, mean over the pairs: "
                        + (", ".join(f"{c} {v:+.2f}" for c, v in moved) or "none (the costs did not change)"))
            continue
        f = _factor(s, sc.sigma)
        mask &= ~np.eye(len(countries), dtype=bool)
        out[mask] *= f
        if s.get("ban"):
            bans[mask] = True
        said.append(f"{s['type']}: {int(mask.sum())} directed pairs, t^(1-σ) x {f:.3g}" + (" (ban)" if s.get("ban") else f" ({s['tariff_pct']}% tariff equivalent)"))
        if not mask.any():
            raise InputError(f"{where}: no pair of the sector's traders is affected; check the states and the sector")
    return out, said


@dataclass
class Simulation:
    scenario: Scenario
    table: pd.DataFrame
    diversion: pd.DataFrame
    intervals: pd.DataFrame | None
    fit: object
    shocks: list[str]
    notes: list[str] = field(default_factory=list)
    flows: pd.DataFrame | None = None          # every pair: observed baseline, model baseline, counterfactual, origin
    new_pair_share: float = 0.0                # the counterfactual's share on pairs that traded nothing in the baseline


def simulate(sc: Scenario, db=None, draws: int | None = None, baseline: str = "observed") -> Simulation:
    """Fit the scenario's sector, impose its shocks on the base year and solve. ``baseline``: the
    counterfactual applied to the observed flows (``observed``, default; ``calibrated``: exact hat
    algebra) or the model's fitted flows (``fitted``); see :func:`multipolar.gravity.ge.counterfactual_observed`.
    A pair under a ban gets no flow in any of them."""
    from . import ge, panel as P
    f, d = P.fit(sc.fit_years, sc.sector, db)
    if not sc.fit_years[0] <= sc.base_year <= sc.fit_years[1]:
        raise InputError(f"{sc.source}: base_year {sc.base_year} is outside fit_years {sc.fit_years[0]}-{sc.fit_years[1]}")
    coef = f.coef
    bl = P.baseline(d, sc.base_year, sc.source, fit=f)
    countries, X, Y, E = bl.countries, bl.X, bl.Y, bl.E

    def costs_of(b: pd.Series):
        t0 = bl.costs(b)
        return t0, apply(sc, countries, t0, d, b)[0]
    t0 = bl.costs(coef)
    bans = np.zeros_like(t0, dtype=bool)
    t1, said = apply(sc, countries, t0, d, coef, bans=bans)
    ref = max(countries, key=lambda c: min(Y[countries.index(c)], E[countries.index(c)]))     # a large two-way trader as numeraire
    obs = ge.counterfactual_observed(countries, X, t0, t1, ref, sc.sigma, method=baseline, banned=bans, domestic=False)
    res = obs.solved
    tab = res.table().set_index("country").reindex(countries).reset_index()
    tab["baseline_exports_kusd"] = (X * ~np.eye(len(countries), dtype=bool)).sum(axis=1)
    tab["baseline_imports_kusd"] = E
    tab = tab.rename(columns={"change_rGDP_FULL": "change_real_income_FULL"})
    n = draws if draws is not None else sc.draws
    iv = None
    if n and n > 0 and f.vcov is not None:
        iv = ge.monte_carlo(countries, costs_of, coef, f.vcov, Y, E, ref, sc.sigma, draws=n, seed=sc.seed,
                            solve=lambda a, b: ge.counterfactual_observed(countries, X, a, b, ref, sc.sigma, method=baseline, banned=bans,
                                                                          domestic=False, tol=1e-8).table())
        iv["measure"] = iv["measure"].replace({"change_rGDP_FULL": "change_real_income_FULL"})
    notes = list(f.notes) + bl.notes + obs.notes + [f"baseline: {baseline} (" + {
        "observed": "the model's change of each pair applied to its observed flow", "calibrated": "exact hat algebra: the equilibrium "
        "calibrated to the observed flows", "fitted": "the model's fitted flows, as the textbook"}[baseline] + ")", 
        "No domestic flows: output is each state's sales of the sector abroad and expenditure its purchases; the real-income "
        "change is the change in the real value of that trade (deflated by the inward resistance), not a change in GDP.",
        f"numeraire: {ref} (its inward resistance is held at 1)"]
    for c in ("sanction_trade", "sanction_financial", "sanction_other"):
        if c in coef.index and coef[c] > 1.645 * f.se[c]:
            notes.append(f"{c} is estimated at {coef[c]:+.2f} (se {f.se[c]:.2f}), above zero at the 10% level: in these {sc.sector} "
                         "data such sanctions went with more trade, not less, so a shock that lifts them lowers the modelled flows")
    return Simulation(sc, tab, obs.diversion(15), iv, f, said, notes, obs.flows(), obs.new_pair_share())


def store(sim: Simulation, db=None) -> str:
    """Keep a simulation's results in the warehouse (tables ``scenario_runs``, ``scenario_results``,
    ``scenario_diversion``), replacing an earlier run of the same scenario, in one transaction; the
    report and the dashboard show the stored runs. Returns the scenario's key (its file name)."""
    import datetime as dt
    import json

    from ..warehouse import Warehouse
    key = Path(sim.scenario.source).stem
    sc = sim.scenario
    run = pd.DataFrame([{"key": key, "name": sc.name, "sector": sc.sector, "fit_years": f"{sc.fit_years[0]}:{sc.fit_years[1]}",
                         "base_year": sc.base_year, "sigma": sc.sigma, "draws": 0 if sim.intervals is None else int(sc.draws),
                         "shocks": json.dumps(sc.shocks), "applied": json.dumps(sim.shocks), "notes": json.dumps(sim.notes),
                         "created": dt.datetime.now().isoformat(timespec="seconds")}])
    res = sim.table.copy()
    if sim.intervals is not None:
        iv = sim.intervals[sim.intervals["measure"] == "change_real_income_FULL"].set_index("country")
        res["real_income_q05"] = res["country"].map(iv["q05"])
        res["real_income_q95"] = res["country"].map(iv["q95"])
    else:
        res["real_income_q05"] = res["real_income_q95"] = np.nan
    res.insert(0, "key", key)
    div = sim.diversion.copy()
    div.insert(0, "key", key)
    with Warehouse(db).transaction() as con:
        for name, df in (("scenario_runs", run), ("scenario_results", res), ("scenario_diversion", div)):
            con.register("_df", df)
            con.execute(f"CREATE TABLE IF NOT EXISTS {name} AS SELECT * FROM _df LIMIT 0")
            con.execute(f"DELETE FROM {name} WHERE key = ?", [key])
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _df")
            con.unregister("_df")
    return key


def stored(db=None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame] | None:
    """(runs, results, diversion) of the stored simulations, or None."""
    from ..warehouse import Warehouse
    w = Warehouse(db)
    if not (w.path.exists() and w.has("scenario_runs")):
        return None
    return w.table("scenario_runs"), w.table("scenario_results"), w.table("scenario_diversion")
