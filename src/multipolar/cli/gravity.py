"""`multipolar gravity ...` (PPML estimates, replications, backtests, fragmentation) and `multipolar simulate`."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from ..errors import MultipolarError
from ._common import DB, FORMAT, OUT, YEARS, _fail, api, check_format, console, deprecated_years, emit, err, save

def _solve(status: str, fn, *args, **kw):
    """``fn(*args, **kw)`` behind a status line; a data error or a solver that does not converge ends the command."""
    from ..gravity.ge import NotConverged
    try:
        with err.status(status):
            return fn(*args, **kw)
    except (MultipolarError, NotConverged) as e:
        _fail(e)



gravity_app = typer.Typer(help="Structural gravity: PPML estimates and general-equilibrium counterfactuals.", no_args_is_help=True)


@gravity_app.command("replicate")
def gravity_replicate(name: str = typer.Argument(..., help="yotov2016-borders or yotov2016-nafta"),
                      out: Optional[Path] = OUT, fmt: str = FORMAT,
                      data: Optional[Path] = typer.Option(None, "--data", help="Folder with Chapter2Application1/2.dta (default ../shared/data/gravity)."),
                      sigma: float = typer.Option(7.0, "--sigma", help="Elasticity of substitution (the book: 7)."),
                      tol: float = typer.Option(1e-10, "--tol", help="Convergence tolerance of the GE solver.")):
    """Reproduce a general-equilibrium application of Yotov et al. (2016), ch. 2, with multipolar's own
    estimator and solver: % changes per country in exports (conditional, full), producer prices,
    the inward multilateral resistance and real GDP."""
    fmt = check_format(fmt)
    r = _solve(f"{name}: PPML and the general-equilibrium solver…", api.gravity_replicate, name, data=data, sigma=sigma, tol=tol)
    if emit(r.table, fmt, out, r.fit.notes):
        return
    f = r.fit
    console.print(f"[bold]{name}[/]: {f.formula}; {f.nobs:,} observations; clustered by pair")
    for k, row in f.table().iterrows():
        console.print(f"  {k}: {row['coef']:+.6f} (se {row['se_cluster_pair']:.4f})")
    for d in f.dropped.itertuples(index=False):
        console.print(f"  dropped {d.rows:,} rows: {d.reason}{' (' + d.fixed_effect + ')' if d.fixed_effect else ''}")
    for n in f.notes:
        console.print(f"  note: {n}")
    it = r.result.iterations
    console.print(f"  GE solver: tolerance {r.result.tol:.0e}; iterations baseline {it['baseline']}, conditional {it['conditional']}, "
                  f"full-endowment prices {it['full_prices']}; sigma {sigma}")
    t = Table(title="% change per country")
    for c in r.table.columns:
        t.add_column(c, justify="right" if c != "country" else "left")
    for row in r.table.itertuples(index=False):
        t.add_row(row[0], *(f"{v:.2f}" for v in row[1:]))
    console.print(t)


@gravity_app.command("fit")
def gravity_fit(years: Optional[str] = YEARS("every year the sector's trade data cover, from 1946"),
                sector: str = typer.Option("crude_oil", "--sector", help="crude_oil, natural_gas, coal, metal_ores, precious_metals, "
                                           "critical_minerals, other_minerals or total."),
                pair: Optional[bool] = typer.Option(None, "--pair/--no-pair", help="Pair fixed effects (default: when the panel allows)."),
                out: Optional[Path] = OUT, fmt: str = FORMAT,
                db: Optional[Path] = DB):
    """PPML gravity on a sector of the BACI data, or on all goods (--sector total) from a full trade file you imported
    (a full BACI file, or COW dyadic trade): estimates with standard errors clustered by pair, what was dropped and why,
    and the fit diagnostics."""
    fmt = check_format(fmt)
    f, d = _solve(f"{sector} {years or 'every year with data'}: building the panel and fitting PPML…", api.gravity_fit,
                  years, sector=sector, db=db, pair=pair)
    tab = f.table()
    if emit(tab.reset_index().rename(columns={"index": "variable", "Coefficient": "variable"}), fmt, out, f.notes):
        return
    console.print(f"[bold]{sector}, {d.attrs['years'][0]}-{d.attrs['years'][1]}[/]: {f.formula}")
    console.print(f"  {f.nobs:,} observations used of {len(d):,} ({d.attrs['states']} states, {d.attrs['rows']}; {d.attrs['source']}); "
                  f"standard errors clustered by pair")
    t = Table(title="PPML estimates")
    for c in ("variable", "coef", "se (pair)", "z", "p"):
        t.add_column(c, justify="right" if c != "variable" else "left")
    for k, r in tab.iterrows():
        t.add_row(str(k), f"{r['coef']:+.4f}", f"{r['se_cluster_pair']:.4f}", f"{r['z']:.2f}", f"{r['p']:.3f}")
    console.print(t)
    for r in f.dropped.itertuples(index=False):
        console.print(f"  dropped {r.rows:,} rows: {r.reason}{' (' + r.fixed_effect + ')' if r.fixed_effect else ''}")
    for n in f.notes:
        console.print(f"  note: {n}")


def _persistence(text: str):
    """--persistence: 'estimate' or a number from 0 to 1."""
    if text.strip().lower() == "estimate":
        return "estimate"
    try:
        v = float(text)
    except ValueError:
        v = -1.0
    if not 0.0 <= v <= 1.0:
        from ..errors import UsageError
        _fail(UsageError(f"--persistence: expected 'estimate' or a number from 0 to 1, got {text!r}"))
    return v


@gravity_app.command("backtest")
def gravity_backtest(episode: Optional[str] = typer.Argument(None, help="A backtest file or the name of a built-in one (default: "
                                                             "russia_crude_2023); `all`: every built-in one."),
                     list_: bool = typer.Option(False, "--list", help="List the built-in backtests."),
                     cap_pct: Optional[float] = typer.Option(None, "--cap-pct", help="Russian crude: the G7 price cap as a tariff "
                                                             "equivalent on Russia's other crude sales (%; default 10)."),
                     years: Optional[str] = typer.Option(None, "--years", "-y", help="Years FIRST:LAST the gravity is fitted on "
                                                         "(default: the episode's, before the measures)."),
                     fit_years: Optional[str] = typer.Option(None, "--fit-years", hidden=True, help="Deprecated: --years."),
                     base_year: Optional[int] = typer.Option(None, "--base-year", help="The baseline year the measures are imposed on."),
                     observed_year: Optional[int] = typer.Option(None, "--observed-year", help="The year whose observed destinations are compared."),
                     baseline: str = typer.Option("observed", "--baseline", help="observed (the model's changes applied to the observed "
                                                  "flows), calibrated (exact hat algebra on the observed shares, prices re-solved) or fitted (the "
                                                  "model's levels)."),
                     persistence: str = typer.Option("estimate", "--persistence", help="The share of each pair's deviation from "
                                                     "gravity left in the observed year: estimate (measured on the fit years), or "
                                                     "a number from 0 to 1 (1 keeps the deviations as observed)."),
                     out: Optional[Path] = OUT, fmt: str = FORMAT,
                     db: Optional[Path] = DB):
    """Impose a historical episode's sanctions on the year before, predict the destinations of the sanctioned exporter's
    sales, and score them against what BACI observed, next to two rivals: no change (base-year shares) and proportional
    redistribution (the banned buyers' purchases shared among the others by their base-year shares). The model's
    forecast lets each pair's deviation from gravity fade as such deviations faded in the fit years; "model, deviations
    kept" is the same counterfactual with the deviations as observed."""
    fmt = check_format(fmt)
    rho = _persistence(persistence)
    if fit_years is not None:
        years = deprecated_years(years, fit_years, "--fit-years")
    if list_:
        import pandas as pd
        eps = api.backtests()
        if emit(pd.DataFrame([{"name": n, "title": e.name, "sector": e.sector, "exporter": e.exporter,
                               "fit_years": f"{e.fit_years[0]}:{e.fit_years[1]}", "base_year": e.base_year,
                               "observed_year": e.observed_year} for n, e in eps.items()]), fmt):
            return
        for name, ep in eps.items():
            console.print(f"[bold]{name}[/]: {ep.name} ({ep.sector}, {ep.exporter}; fit {ep.fit_years[0]}-{ep.fit_years[1]}, "
                          f"base {ep.base_year}, observed {ep.observed_year})", soft_wrap=True, highlight=False)
        return
    names = list(api.backtests()) if episode == "all" else [episode or "russia_crude_2023"]
    rows, shown = [], fmt == "table"
    for name in names:
        ep, r = _solve(f"{name}: fitting the gravity and imposing the measures on the base year…", api.backtest, name,
                       years=years, base_year=base_year, observed_year=observed_year, cap_pct=cap_pct, baseline=baseline, persistence=rho, db=db)
        for fc, sc in r.scores.iterrows():
            rows.append({"episode": ep.key, "forecast": fc, **sc.to_dict(), "importers_all": r.importers_all,
                         "importers_bought": r.importers_bought, "importers_dropped": len(r.importers_dropped),
                         "importers_unrecorded": len(r.importers_unrecorded), "baseline": baseline,
                         "persistence": r.persistence.get("rho")})
        if not shown:
            continue
        by, oy = ep.base_year, ep.observed_year
        # the heading as a line of its own: a table's title wraps to the table's width
        console.print(f"[bold]{ep.name}[/]: destinations of {ep.exporter}'s {ep.sector.replace('_', ' ')} exports, predicted from "
                      f"{by}, against {oy} (rank correlation, Spearman)", soft_wrap=True, highlight=False)
        t = Table()
        for c in ("forecast", f"all {r.importers_all} importers", f"the {r.importers_bought} that bought", "L1 distance of shares"):
            t.add_column(c, justify="right" if c != "forecast" else "left")
        for fc, sc in r.scores.iterrows():
            t.add_row(fc, f"{sc['spearman_all']:+.3f}", f"{sc['spearman_bought']:+.3f}", f"{sc['l1_all']:.3f}")
        console.print(t)
        if r.importers_dropped:
            console.print(f"  {len(r.importers_dropped)} importer(s) of {oy} have no row in the model (no prediction) and are left out "
                          f"of every forecast's score: {', '.join(r.importers_dropped)}", soft_wrap=True, highlight=False)
        if r.importers_unrecorded:
            console.print(f"  not scored, as BACI does not record {ep.exporter}'s sales to them although they took place (see the notes): "
                          f"{', '.join(r.importers_unrecorded)}", soft_wrap=True, highlight=False)
        bi = r.by_importer.set_index("importer").sort_values("observed", ascending=False)
        top = bi.head(6)
        console.print("  shares, model / no change / observed: " + "; ".join(
            f"{c} {x['model']:.1%} / {x['no change']:.1%} / {x['observed']:.1%}" for c, x in top.iterrows()), soft_wrap=True, highlight=False)
        console.print(f"  banned buyers: {', '.join(r.banned) or 'none'}; totals (M$): {by} {r.totals_musd['base']:,.0f}, "
                      f"model {r.totals_musd['model']:,.0f}, observed {oy} {r.totals_musd['observed']:,.0f} (prices changed too; "
                      "the shares are the comparison)", soft_wrap=True, highlight=False)
        for over, label in (("bought", "the importers that bought"), ("all", "all importers")):
            verdict = "beats" if r.beats_rivals(over) else "does not beat (a tie is not a win)"
            console.print(f"  over {label}, the model {verdict} both rivals", highlight=False)
        for n in r.notes:
            console.print(f"  note: {n}", soft_wrap=True, highlight=False)
    import pandas as pd
    emit(pd.DataFrame(rows), fmt, out)


@gravity_app.command("fragmentation")
def gravity_fragmentation(blocs_year: int = typer.Option(2019, "--blocs", help="The year whose blocs are held fixed."),
                          post: int = typer.Option(2022, "--post", help="The first year of the 'after' period."),
                          sector: str = typer.Option("energy_minerals", "--sector", help="energy_minerals (every product of the shared "
                                                     "BACI subset), a sector (crude_oil, natural_gas, critical_minerals...) or total."),
                          years: Optional[str] = typer.Option(None, "--years", "-y", help="The panel's first year, e.g. 2017 or "
                                                              "2017: (default 2017); it runs to the latest year with data."),
                          start: Optional[int] = typer.Option(None, "--start", hidden=True, help="Deprecated: --years."),
                          bloc_method: str = typer.Option("ideal-points", "--bloc-method", help="ideal-points (the IMF split) or network."),
                          sensitivity: bool = typer.Option(True, "--sensitivity/--no-sensitivity", help="Also the estimate with one choice "
                                                           "changed at a time."),
                          out: Optional[Path] = OUT, fmt: str = FORMAT,
                          db: Optional[Path] = DB):
    """Trade between the US-leaning and China-leaning blocs after POST against trade within them: PPML with exporter-year,
    importer-year and pair effects, SEs clustered by pair; its sensitivity, and the IMF's published -12% beside it."""
    fmt = check_format(fmt)
    years = deprecated_years(years, start, "--start")
    tab, notes = _solve(f"fragmentation: PPML on {sector}, blocs of {blocs_year}, after {post}…", api.fragmentation, years,
                        blocs_year=blocs_year, post=post, sector=sector, bloc_method=bloc_method, sensitivity=sensitivity, db=db)
    if emit(tab, fmt, out, notes):
        return
    imf = api.fragmentation_imf()
    start = int(tab.iloc[0]["start"])
    m = tab.iloc[0]
    console.print(f"Trade between the blocs after {post}, against trade within them: [bold]{m['effect_pct']:+.1f}%[/] "
                  f"(90% interval {m['lo90_pct']:+.1f}% to {m['hi90_pct']:+.1f}%; β = {m['beta']:+.3f}, se {m['se']:.3f} clustered by pair; "
                  f"{int(m['obs']):,} observations, {int(m['pairs']):,} pairs)", highlight=False)
    console.print(f"IMF anchor: {imf['estimate_pct']:+.0f}% ({imf['source']}). What differs: their data are "
                  f"{imf['data']}; here {sector.replace('_', ' ')} from BACI {start}-, blocs of {blocs_year} by {bloc_method}.",
                  soft_wrap=True, highlight=False)
    t = Table(title="Sensitivity: one choice changed at a time")
    for c in ("variant", "effect %", "90% interval", "β", "se", "obs", "pairs", "blocs", "method", "Russia", "sector", "from", "s"):
        t.add_column(c, justify="left" if c in ("variant", "method", "Russia", "sector") else "right")
    for r in tab.itertuples(index=False):
        t.add_row(r.variant, f"{r.effect_pct:+.1f}", f"{r.lo90_pct:+.1f} to {r.hi90_pct:+.1f}", f"{r.beta:+.3f}", f"{r.se:.3f}",
                  f"{int(r.obs):,}", f"{int(r.pairs):,}", str(r.blocs), r.bloc_method, r.russia, r.sector, str(r.start), f"{r.seconds:.1f}")
    console.print(t)
    for n in notes:
        console.print(f"  note: {n}", soft_wrap=True, highlight=False)


def simulate(scenario: Optional[str] = typer.Argument(None, help="A scenario YAML file or the name of a built-in one."),
             list_: bool = typer.Option(False, "--list", help="List the built-in scenarios."),
             years: Optional[str] = typer.Option(None, "--years", "-y", help="Years FIRST:LAST the gravity is fitted on (default: "
                                                 "the scenario's)."),
             draws: Optional[int] = typer.Option(None, "--draws", help="Draws: Monte Carlo draws of the coefficients (default: the scenario's)."),
             out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the per-country table (.parquet, .csv, .dta, .json)."),
             flows_out: Optional[Path] = typer.Option(None, "--flows", help="Write every pair's observed baseline, model baseline and "
                                                      "counterfactual flow (.parquet, .csv, .dta, .json)."),
             fmt: str = FORMAT,
             baseline: str = typer.Option("observed", "--baseline", help="observed (the model's changes applied to the observed flows), "
                                          "calibrated (exact hat algebra) or fitted (the model's levels, as the textbook)."),
             keep: bool = typer.Option(True, "--store/--no-store", help="Store the results in the warehouse (default), where the report "
                                       "and the dashboard show them; --no-store keeps nothing."),
             db: Optional[Path] = DB):
    """Solve a scenario in general equilibrium: trade flows, diversion and real income per country, with intervals.
    The results are stored in the warehouse (for the report and the dashboard) unless --no-store."""
    from ..gravity.ge import NotConverged
    fmt = check_format(fmt)
    if list_ or scenario is None:
        import pandas as pd
        scs = api.scenarios()
        if emit(pd.DataFrame([{"name": n, "title": sc.name, "sector": sc.sector, "base_year": sc.base_year} for n, sc in scs.items()]), fmt):
            return
        for name, sc in scs.items():
            console.print(f"[bold]{name}[/]: {sc.name} ({sc.sector}, base year {sc.base_year})")
        if scenario is None:
            return
    try:
        with err.status(f"{scenario}: fitting the gravity and solving…"):
            sc, r, key = api.simulate(scenario, draws=draws, baseline=baseline, years=years, store=keep, db=db)
    except (MultipolarError, NotConverged) as e:
        _fail(e)
    if flows_out:
        save(r.flows, flows_out, "every pair")
    if emit(r.table, fmt, out, r.notes + ([f"stored as {key!r} in the warehouse"] if key else [])):
        return
    console.print(f"[bold]{sc.name}[/] ({sc.sector}, base year {sc.base_year}, sigma {sc.sigma})")
    for line in r.shocks:
        console.print(f"  shock: {line}")
    console.print(f"  baseline: {baseline}; trade on pairs that traded nothing in {sc.base_year} (their cost cut by the scenario): "
                  f"{r.new_pair_share:.2%} of the counterfactual's flows", highlight=False)
    t = r.table.dropna(subset=["change_real_income_FULL"]).sort_values("change_real_income_FULL")
    iv = None
    if r.intervals is not None:
        iv = r.intervals[r.intervals["measure"] == "change_real_income_FULL"].set_index("country")

    def fmt(row):
        s = f"{row.country} {row.change_real_income_FULL:+.2f}%"
        if iv is not None and row.country in iv.index:
            s += f" [{iv.loc[row.country, 'q05']:+.2f}, {iv.loc[row.country, 'q95']:+.2f}]"
        return s
    console.print("  largest real-income losers: " + "; ".join(fmt(x) for x in t.head(5).itertuples()))
    console.print("  largest real-income gainers: " + "; ".join(fmt(x) for x in t.tail(5).iloc[::-1].itertuples()))
    gains = r.diversion[r.diversion["change"] > 0].head(5)
    console.print("  largest diversion routes: " + "; ".join(f"{g.exporter}→{g.importer} {g.change / 1e3:+,.0f} M$ ({g.change_pct:+.0f}%)"
                                                          for g in gains.itertuples()))
    losses = r.diversion[r.diversion["change"] < 0].head(3)
    console.print("  largest flows lost: " + "; ".join(f"{g.exporter}→{g.importer} {g.change / 1e3:+,.0f} M$ ({g.change_pct:+.0f}%)"
                                                     for g in losses.itertuples()))
    if r.intervals is not None:
        console.print(f"  intervals: 90% over {r.intervals.attrs.get('draws', draws or sc.draws)} draws of the coefficients")
    for n in r.notes:
        console.print(f"  note: {n}")
    if key:
        console.print(f"stored as {key!r} in the warehouse (shown by `multipolar report` and `multipolar serve`)")
