"""Backtests: historical episodes of sanctions, predicted from the year before and scored against
what happened, next to the two simplest rivals.

An episode is a YAML file (``gravity/backtests/*.yaml``; ``multipolar gravity backtest --list``)::

    name: Sanctions on Russian crude oil, 2022-23
    sector: crude_oil
    exporter: RUS              # the state whose sales are sanctioned: the destinations of its exports are scored
    fit_years: 2012:2021       # the gravity costs are estimated on these years (before the measures)
    base_year: 2021            # the observed flows the measures are imposed on
    observed_year: 2023        # the year the prediction is scored against (BACI)
    sigma: 7
    shocks:                    # the measures, as in a scenario file (multipolar.gravity.scenarios)
      - {type: sanction, exporters: [RUS], importers: [EU, USA], except: [HUN], ban: true, direction: one-way}
    sources: [...]             # the legal acts

The prediction is the counterfactual from the observed base-year flows (the model's changes applied to them, or exact
hat algebra: :func:`multipolar.gravity.ge.counterfactual_observed`; ``method`` chooses), with each pair's deviation
from gravity fading over the episode's horizon as such deviations faded in the fit years
(:func:`persistence`, :func:`multipolar.gravity.ge.decay_deviations`; ``rho=1`` keeps them, and the
forecast "model, deviations kept" shows that variant beside it). It is scored by the rank
correlation (Spearman) between predicted and observed shares of the exporter's sales, importer by
importer, in the observed year:

* over **all importers**: every state that imports the sector from anyone in the observed year
  and has a row in the gravity equilibrium of the base year (a state that buys none of the
  exporter's goods is a 0 share, and that is a prediction too; a state with no imports of the
  sector at all that year is missing from the data, not scored, and named in the notes; a state
  the model has no row for, as it did not trade the sector in the base year or lacks a cost
  variable, has no prediction: it is left out of every forecast's score, counted in
  ``importers_dropped`` and named in the notes: missing stays missing); a flow that BACI does not
  record although it took place (``sources/data/trade_gaps.csv``, a source per row: Russia's crude
  sales to Türkiye from 2022) is missing too, and its importer is left out of every score
  (``importers_unrecorded``);
* over **the importers that bought**: those with a positive observed flow from the exporter.

Next to two rivals:

* **no change**: the base-year shares;
* **proportional redistribution**: the banned importers' base-year purchases shared among the
  other buyers in proportion to their base-year shares (their shares, renormalised; the banned 0).

Every forecast is scored over the same importers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError

TOP_KEYS = {"name", "description", "sector", "exporter", "fit_years", "base_year", "observed_year", "sigma", "shocks", "sources", "costs"}
FORECASTS = ("model", "model, deviations kept", "no change", "proportional")
RIVALS = ("no change", "proportional")


@dataclass
class Episode:
    key: str
    name: str
    sector: str
    exporter: str
    fit_years: tuple[int, int]
    base_year: int
    observed_year: int
    sigma: float
    shocks: list[dict]
    source: str
    description: str = ""
    sources: list[str] = field(default_factory=list)
    costs: list[str] | None = None


def builtin() -> dict[str, Path]:
    """The backtests shipped with multipolar: {name: path of its YAML file}."""
    d = Path(str(resources.files("multipolar.gravity").joinpath("backtests")))
    return {p.stem: p for p in sorted(d.glob("*.yaml"))}


def load(path) -> Episode:
    """An episode from a YAML file or the name of a built-in one; bad input gets a clear error."""
    import yaml

    from . import scenarios as SC
    p = Path(str(path))
    if not p.exists():
        b = builtin()
        if str(path) not in b:
            raise InputError(f"{path}: no such backtest file or built-in backtest; built-in: {', '.join(b)}")
        p = b[str(path)]
    try:
        spec = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise InputError(f"{p}: not valid YAML ({e})") from None
    if not isinstance(spec, dict):
        raise InputError(f"{p}: expected a mapping with name, sector, exporter, fit_years, base_year, observed_year, shocks")
    unknown = set(spec) - TOP_KEYS
    if unknown:
        raise InputError(f"{p}: unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(TOP_KEYS))}")
    for k in ("name", "sector", "exporter", "fit_years", "base_year", "observed_year", "shocks"):
        if k not in spec:
            raise InputError(f"{p}: missing {k!r}")
    from ..dimensions.values import parse_years
    fy = parse_years(str(spec["fit_years"]))
    by, oy = int(spec["base_year"]), int(spec["observed_year"])
    if fy is None or not fy[0] <= by <= fy[1] + 1:
        raise InputError(f"{p}: base_year {by} must lie in fit_years {spec['fit_years']} (or be the year after)")
    if oy <= by:
        raise InputError(f"{p}: observed_year {oy} must come after base_year {by}")
    sc = SC.Scenario(str(spec["name"]), str(spec["sector"]), fy, by, float(spec.get("sigma", 7)), 0, spec["shocks"], str(p))
    SC.validate(sc)
    return Episode(p.stem, sc.name, sc.sector, str(spec["exporter"]).upper(), fy, by, oy, sc.sigma, sc.shocks, str(p),
                   str(spec.get("description", "")).strip(), list(spec.get("sources", []) or []), spec.get("costs"))


@dataclass
class BacktestResult:
    episode: Episode
    scores: pd.DataFrame             # forecast x (spearman_all, spearman_bought, l1_all)
    by_importer: pd.DataFrame        # importer: model, no change, proportional, observed, baseline, bought, banned
    importers_all: int
    importers_bought: int
    banned: list[str]
    totals_musd: dict
    method: str
    fit: object = None
    flows: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    importers_dropped: list[str] = field(default_factory=list)   # observed importers without a row in the model: not scored
    persistence: dict = field(default_factory=dict)             # rho, horizon, pairs, how it was set
    importers_unrecorded: list[str] = field(default_factory=list)  # flows BACI does not record (trade_gaps.csv): not scored

    def beats_rivals(self, over: str = "bought") -> bool:
        """True when the model's Spearman correlation ``over`` the importers (``bought`` or ``all``) beats
        both rivals (no change, proportional)."""
        s = self.scores[f"spearman_{over}"]
        return bool(all(s["model"] > s[r] for r in RIVALS))


def _spearman(a: pd.Series, b: pd.Series) -> float:
    from scipy.stats import spearmanr
    if len(a) < 3 or a.nunique() < 2 or b.nunique() < 2:
        return np.nan
    return float(spearmanr(a, b).statistic)


def persistence(fit, horizon: int) -> tuple[float, int]:
    """How much of a pair's deviation from gravity is left ``horizon`` years later, measured on the fit.

    Over the fit years, every pair with a positive flow in a year t and in t + ``horizon`` gives its log deviation
    from the fitted flow, r = log(X / X̂), at both dates; ρ is the least-squares slope of r(t + h) on r(t) (a
    partial-adjustment rate: the share of a deviation that survives h years), clipped to [0, 1]. Estimated on the
    years before the measures only: nothing from the observed year enters it. Returns (ρ, pairs used); (1.0, 0) when
    fewer than 30 pairs span the horizon (deviations are then kept)."""
    u = fit.used
    if u is None or "fitted" not in u or horizon < 1:
        return 1.0, 0
    u = u.loc[(u["trade"] > 0) & (u["fitted"] > 0), ["year", "exporter", "importer", "trade", "fitted"]]
    r = u.assign(r=np.log(u["trade"].to_numpy(float) / u["fitted"].to_numpy(float)))[["year", "exporter", "importer", "r"]]
    a = r.merge(r.assign(year=r["year"] - horizon), on=["year", "exporter", "importer"], suffixes=("", "_h"))
    if len(a) < 30 or a["r"].var() <= 0:
        return 1.0, len(a)
    slope = float(np.cov(a["r"], a["r_h"])[0, 1] / a["r"].var())
    return float(min(max(slope, 0.0), 1.0)), len(a)


def run(ep: Episode | str, db=None, method: str = "observed", rho: float | str | None = "estimate") -> BacktestResult:
    """Fit, impose the episode's measures on the base year, score against the observed year.

    ``rho``: the share ρ of each pair's deviation from gravity that survives to the observed year;
    ``"estimate"`` (default) measures it on the fit years (:func:`persistence`), a number from 0 to 1 sets it, 1 keeps
    the deviations as observed."""
    from . import ge, panel as P, scenarios as SC
    from ..warehouse import Warehouse
    ep = load(ep) if not isinstance(ep, Episode) else ep
    costs = ep.costs or [c for c in P.COSTS if c != "ip_distance"]     # no UN votes after 2019: the distance would be missing
    # sanctions panels of one exporter's good do not allow pair effects reliably (see panel.fit): costs instead
    f, d = P.fit(ep.fit_years, ep.sector, db, pair_effects=False, costs=costs)
    if ep.base_year not in set(d["year"]):
        d = pd.concat([d, P.build((ep.base_year, ep.base_year), ep.sector, db)], ignore_index=True)
    bl = P.baseline(d, ep.base_year, ep.source, fit=f)
    countries, X = bl.countries, bl.X
    if ep.exporter not in countries:
        raise InputError(f"{ep.source}: {ep.exporter} has no {ep.sector} trade in the equilibrium of {ep.base_year}")
    sc = SC.Scenario(ep.name, ep.sector, ep.fit_years, ep.base_year, ep.sigma, 0, ep.shocks, ep.source)
    tau0 = bl.costs(f.coef)
    bans = np.zeros_like(tau0, dtype=bool)
    tau1, said = SC.apply(sc, countries, tau0, d, f.coef, bans=bans)
    Y, E = X.sum(axis=1), X.sum(axis=0)
    ref = "USA" if "USA" in countries and min(Y[countries.index("USA")], E[countries.index("USA")]) > 0 else \
        max(countries, key=lambda c: min(Y[countries.index(c)], E[countries.index(c)]))
    res = ge.counterfactual_observed(countries, X, tau0, tau1, ref, ep.sigma, method=method, banned=bans, domestic=False)
    r = countries.index(ep.exporter)
    banned = sorted(countries[j] for j in np.flatnonzero(bans[r]))
    w = Warehouse(db)
    prods = ", ".join(f"'{p}'" for p in P.sector_products(ep.sector))
    raw = w.query(f"""SELECT year, exporter, importer, sum(value_kusd) AS v FROM baci_trade WHERE hs6 IN ({prods})
                      AND year IN ({ep.base_year}, {ep.observed_year}) AND exporter <> importer GROUP BY ALL""")
    if raw[raw["year"] == ep.observed_year].empty:
        raise InputError(f"{ep.source}: BACI has no {ep.sector} trade in {ep.observed_year}; import a BACI file that covers it")
    # the importers observed in the observed year: a state with no imports of the sector at all that year is not in
    # the data (Belarus after 2021 reports nothing), and its purchases are missing, not zero
    seen = sorted(set(raw.loc[raw["year"] == ep.observed_year, "importer"]) - {ep.exporter})
    unseen = sorted(set(raw.loc[(raw["year"] == ep.base_year) & (raw["exporter"] == ep.exporter), "importer"]) - set(seen))
    # a flow that BACI does not record although it took place (sources/data/trade_gaps.csv, a source per row) is
    # missing, not a 0: the importer is left out of every forecast's score
    from ..sources.products import unrecorded
    gaps = pd.concat([unrecorded(ep.exporter, ep.sector, y) for y in (ep.base_year, ep.observed_year)])
    gapped = sorted(set(gaps["importer"]) & set(seen))
    # an importer the equilibrium has no row for has no prediction: left out of every forecast's score (not a predicted 0)
    universe = [c for c in seen if c in countries and c not in gapped]
    dropped = [c for c in seen if c not in countries]
    mine = raw[raw["exporter"] == ep.exporter]
    obs = mine[mine["year"] == ep.observed_year].set_index("importer")["v"].reindex(universe).fillna(0.0)
    base = mine[mine["year"] == ep.base_year].set_index("importer")["v"].reindex(universe).fillna(0.0)
    if obs.sum() <= 0 or base.sum() <= 0:
        raise InputError(f"{ep.source}: BACI has no {ep.sector} exports of {ep.exporter} in "
                         f"{ep.observed_year if obs.sum() <= 0 else ep.base_year} among the importers the model covers")
    horizon = ep.observed_year - ep.base_year
    if rho in (None, "estimate"):
        rho, pairs = persistence(f, horizon)
        how = (f"estimated on {pairs:,} pairs of the fit years {ep.fit_years[0]}-{ep.fit_years[1]} (slope of log(X/X̂) "
               f"{horizon} years later on log(X/X̂), clipped to [0, 1])") if pairs >= 30 else \
              f"kept (ρ = 1): only {pairs} pairs of the fit years span {horizon} years"
    else:
        rho, pairs, how = float(rho), 0, "set by the user"
    full = res.full if method == "fitted" else ge.decay_deviations(res.full, res.observed, res.model.baseline, rho)
    pred = pd.Series(full[r], index=countries).drop(ep.exporter).reindex(universe)
    kept = pd.Series(res.full[r], index=countries).drop(ep.exporter).reindex(universe)
    notes = list(f.notes) + bl.notes + res.notes
    if method != "fitted":
        notes.append(f"the model's forecast lets each pair's deviation from gravity fade: ρ = {rho:.3f} of it is left after "
                     f"{horizon} years, {how}; 'model, deviations kept' is the same counterfactual with ρ = 1")
    if unseen:
        notes.append(f"bought from {ep.exporter} in {ep.base_year} but import no {ep.sector} at all in {ep.observed_year} in the data "
                     f"(missing, not scored): {', '.join(unseen)}")
    for _, g in gaps.drop_duplicates(["importer"]).iterrows():
        if g["importer"] in gapped:
            notes.append(f"{ep.exporter}'s {ep.sector} sales to {g['importer']} in {g['first_year']}-{g['last_year']} are missing from BACI "
                         f"(not scored; sources/data/trade_gaps.csv): {g['what']}. Source: {g['source']}")
    if dropped:
        lost = mine[(mine["year"] == ep.observed_year) & mine["importer"].isin(dropped)]["v"].sum()
        notes.append(f"{len(dropped)} importer(s) of {ep.observed_year} without a row in the {ep.base_year} equilibrium (no prediction; "
                     f"left out of every forecast's score; {lost / max(obs.sum() + lost, 1e-300):.1%} of {ep.exporter}'s observed sales): "
                     f"{', '.join(dropped)}")
    prop = base.copy()
    prop[prop.index.isin(banned)] = 0.0
    sh = lambda s: s / s.sum() if s.sum() > 0 else s          # noqa: E731
    by = pd.DataFrame({"model": sh(pred), "model, deviations kept": sh(kept), "no change": sh(base), "proportional": sh(prop),
                       "observed": sh(obs)})
    by["bought"] = obs > 0
    by["banned"] = by.index.isin(banned)
    rows = {}
    for fc in FORECASTS:
        rows[fc] = {"spearman_all": _spearman(by[fc], by["observed"]),
                    "spearman_bought": _spearman(by.loc[by["bought"], fc], by.loc[by["bought"], "observed"]),
                    "l1_all": float((by[fc] - by["observed"]).abs().sum())}
    scores = pd.DataFrame(rows).T.loc[list(FORECASTS)]
    by.index.name = "importer"
    return BacktestResult(ep, scores, by.reset_index(), len(universe), int(by["bought"].sum()), banned,
                          {"base": float(base.sum() / 1e3), "model": float(pred.sum() / 1e3), "observed": float(obs.sum() / 1e3)},
                          method, f, _flows(res, full), said + notes, dropped,
                          {"rho": rho, "horizon": horizon, "pairs": pairs, "how": how}, gapped)


def _flows(res, full) -> pd.DataFrame:
    """The counterfactual's flows table with the forecast (deviations faded) beside it."""
    t = res.flows()
    idx = {c: i for i, c in enumerate(res.countries)}
    t["forecast"] = full[t["exporter"].map(idx).to_numpy(), t["importer"].map(idx).to_numpy()]
    return t


def backtest(db=None, fit_years=(2012, 2021), base_year: int = 2021, observed_year: int = 2023, cap_pct: float = 10.0,
             sigma: float = 7.0, method: str = "observed", rho: float | str | None = "estimate") -> dict:
    """The 2022-23 sanctions on Russian crude (``russia_crude_2023``) with its years, price cap and
    sigma as given; a dict for the ``gravity backtest`` summary (the EU's, China's, India's and
    Türkiye's shares) and the :class:`BacktestResult` under ``"result"``."""
    from ..actors import groupings
    ep = load("russia_crude_2023")
    shocks = [dict(s) for s in ep.shocks]
    for s in shocks:
        if "tariff_pct" in s:
            s["tariff_pct"] = cap_pct
    ep.fit_years, ep.base_year, ep.observed_year, ep.sigma, ep.shocks = tuple(fit_years), base_year, observed_year, sigma, shocks
    if cap_pct == 0:
        ep.shocks = [s for s in shocks if "tariff_pct" not in s]
    res = run(ep, db, method, rho)
    bi = res.by_importer.set_index("importer")
    groups = {"EU": groupings.members("EU", observed_year), "China": ["CHN"], "India": ["IND"], "Türkiye": ["TUR"]}
    b_, p_, o_ = f"baseline_{base_year}", f"predicted_{observed_year}", f"observed_{observed_year}"
    shares = pd.DataFrame({g: {b_: bi["no change"].reindex(cs).sum(), p_: bi["model"].reindex(cs).sum(),
                               o_: bi["observed"].reindex(cs).sum()} for g, cs in groups.items()}).T
    return {"result": res, "shares": shares, "scores": res.scores, "base_year": base_year, "observed_year": observed_year,
            "fit_years": tuple(fit_years), "fit": res.fit, "notes": res.notes, "cap_pct": cap_pct,
            "observed_total_musd": res.totals_musd["observed"], "baseline_total_musd": res.totals_musd["base"],
            "predicted_total_musd": res.totals_musd["model"]}
