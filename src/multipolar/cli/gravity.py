"""`multipolar gravity ...` (PPML estimates, replications, backtests, fragmentation) and `multipolar simulate`."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from ..errors import InputError, MultipolarError
from ._common import DB, _fail, _write_table, console


gravity_app = typer.Typer(help="Structural gravity: PPML estimates and general-equilibrium counterfactuals.", no_args_is_help=True)


@gravity_app.command("replicate")
def gravity_replicate(name: str = typer.Argument(..., help="yotov2016-borders or yotov2016-nafta"),
                      out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the per-country table (.csv, .parquet, .dta)."),
                      data: Optional[Path] = typer.Option(None, "--data", help="Folder with Chapter2Application1/2.dta (default ../shared/data/gravity)."),
                      sigma: float = typer.Option(7.0, "--sigma", help="Elasticity of substitution (the book: 7)."),
                      tol: float = typer.Option(1e-10, "--tol", help="Convergence tolerance of the GE solver.")):
    """Reproduce a general-equilibrium application of Yotov et al. (2016), ch. 2, with multipolar's own
    estimator and solver: % changes per country in exports (conditional, full), producer prices,
    the inward multilateral resistance and real GDP."""
    from ..gravity.ge import NotConverged
    from ..gravity.replicate import replicate
    try:
        with console.status(f"{name}: PPML and the general-equilibrium solver…"):
            r = replicate(name, data, sigma=sigma, tol=tol)
    except (MultipolarError, NotConverged) as e:
        _fail(e)
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
    if out:
        _write_table(r.table, out)
        console.print(f"wrote {out}")


@gravity_app.command("fit")
def gravity_fit(years: Optional[str] = typer.Option(None, "--years", help="Years FIRST:LAST (default: every year the sector's trade "
                                                    "data cover, from 1946)."),
                sector: str = typer.Option("crude_oil", "--sector", help="crude_oil, natural_gas, coal, metal_ores, precious_metals, "
                                           "critical_minerals, other_minerals or total."),
                pair: Optional[bool] = typer.Option(None, "--pair/--no-pair", help="Pair fixed effects (default: when the panel allows)."),
                out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the estimates (.csv, .parquet, .dta)."),
                db: Optional[Path] = DB):
    """PPML gravity on a sector of the BACI data, or on all goods (--sector total) from a full trade file you imported
    (a full BACI file, or COW dyadic trade): estimates with standard errors clustered by pair, what was dropped and why,
    and the fit diagnostics."""
    from ..dimensions.values import parse_years
    from ..gravity.ge import NotConverged
    from ..gravity.panel import fit
    try:
        rng = parse_years(years)
        with console.status(f"{sector} {f'{rng[0]}-{rng[1]}' if rng else 'every year with data'}: building the panel and fitting PPML…"):
            f, d = fit(rng, sector, db, pair)
    except (MultipolarError, NotConverged) as e:
        _fail(e)
    console.print(f"[bold]{sector}, {d.attrs['years'][0]}-{d.attrs['years'][1]}[/]: {f.formula}")
    console.print(f"  {f.nobs:,} observations used of {len(d):,} ({d.attrs['states']} states, {d.attrs['rows']}; {d.attrs['source']}); "
                  f"standard errors clustered by pair")
    t = Table(title="PPML estimates")
    for c in ("variable", "coef", "se (pair)", "z", "p"):
        t.add_column(c, justify="right" if c != "variable" else "left")
    tab = f.table()
    for k, r in tab.iterrows():
        t.add_row(str(k), f"{r['coef']:+.4f}", f"{r['se_cluster_pair']:.4f}", f"{r['z']:.2f}", f"{r['p']:.3f}")
    console.print(t)
    for r in f.dropped.itertuples(index=False):
        console.print(f"  dropped {r.rows:,} rows: {r.reason}{' (' + r.fixed_effect + ')' if r.fixed_effect else ''}")
    for n in f.notes:
        console.print(f"  note: {n}")
    if out:
        _write_table(tab.reset_index().rename(columns={"index": "variable", "Coefficient": "variable"}), out)
        console.print(f"wrote {out}")


@gravity_app.command("backtest")
def gravity_backtest(episode: Optional[str] = typer.Argument(None, help="A backtest file or the name of a built-in one (default: "
                                                             "russia_crude_2023); `all`: every built-in one."),
                     list_: bool = typer.Option(False, "--list", help="List the built-in backtests."),
                     cap_pct: Optional[float] = typer.Option(None, "--cap-pct", help="Russian crude: the G7 price cap as a tariff "
                                                             "equivalent on Russia's other crude sales (%; default 10)."),
                     fit_years: Optional[str] = typer.Option(None, "--fit-years", help="Years FIRST:LAST the gravity is fitted on "
                                                             "(default: the episode's, before the measures)."),
                     base_year: Optional[int] = typer.Option(None, "--base-year", help="The baseline year the measures are imposed on."),
                     observed_year: Optional[int] = typer.Option(None, "--observed-year", help="The year whose observed destinations are compared."),
                     baseline: str = typer.Option("observed", "--baseline", help="observed (the model's changes applied to the observed "
                                                  "flows), calibrated (exact hat algebra in a re-solved equilibrium) or fitted (the "
                                                  "model's levels)."),
                     out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the scores of every episode (.csv, .parquet)."),
                     db: Optional[Path] = DB):
    """Impose a historical episode's sanctions on the year before, predict the destinations of the sanctioned exporter's
    sales, and score them against what BACI observed, next to two rivals: no change (base-year shares) and proportional
    redistribution (the banned buyers' purchases shared among the others by their base-year shares)."""
    from ..gravity import backtest as BT
    from ..gravity.ge import NotConverged
    if list_:
        for name, p in BT.builtin().items():
            ep = BT.load(p)
            console.print(f"[bold]{name}[/]: {ep.name} ({ep.sector}, {ep.exporter}; fit {ep.fit_years[0]}-{ep.fit_years[1]}, "
                          f"base {ep.base_year}, observed {ep.observed_year})", soft_wrap=True, highlight=False)
        return
    names = list(BT.builtin()) if episode == "all" else [episode or "russia_crude_2023"]
    rows = []
    for name in names:
        try:
            ep = BT.load(name)
            if fit_years:
                from ..dimensions.values import parse_years
                fy = parse_years(fit_years)
                if fy is None:
                    raise InputError(f"--fit-years: give FIRST:LAST, e.g. 2012:2021 (got {fit_years!r})")
                ep.fit_years = fy
            ep.base_year = base_year or ep.base_year
            ep.observed_year = observed_year or ep.observed_year
            if cap_pct is not None:
                ep.shocks = [dict(sh, tariff_pct=cap_pct) if "tariff_pct" in sh else sh for sh in ep.shocks]
            with console.status(f"{ep.name}: fitting {ep.sector} {ep.fit_years[0]}-{ep.fit_years[1]}, imposing the measures on "
                                f"{ep.base_year}…"):
                r = BT.run(ep, db, method=baseline)
        except (MultipolarError, NotConverged) as e:
            _fail(e)
        by, oy = ep.base_year, ep.observed_year
        t = Table(title=f"{ep.name}: destinations of {ep.exporter}'s {ep.sector.replace('_', ' ')} exports, predicted from {by}, "
                        f"against {oy} (rank correlation, Spearman)")
        for c in ("forecast", f"all {r.importers_all} importers", f"the {r.importers_bought} that bought", "L1 distance of shares"):
            t.add_column(c, justify="right" if c != "forecast" else "left")
        for fc, sc in r.scores.iterrows():
            t.add_row(fc, f"{sc['spearman_all']:+.3f}", f"{sc['spearman_bought']:+.3f}", f"{sc['l1_all']:.3f}")
            rows.append({"episode": ep.key, "forecast": fc, **sc.to_dict(), "importers_all": r.importers_all,
                         "importers_bought": r.importers_bought, "baseline": baseline})
        console.print(t)
        bi = r.by_importer.set_index("importer").sort_values("observed", ascending=False)
        top = bi.head(6)
        console.print("  shares, model / no change / observed: " + "; ".join(
            f"{c} {x['model']:.1%} / {x['no change']:.1%} / {x['observed']:.1%}" for c, x in top.iterrows()), soft_wrap=True, highlight=False)
        console.print(f"  banned buyers: {', '.join(r.banned) or 'none'}; totals (M$): {by} {r.totals_musd['base']:,.0f}, "
                      f"model {r.totals_musd['model']:,.0f}, observed {oy} {r.totals_musd['observed']:,.0f} (prices changed too; "
                      "the shares are the comparison)", soft_wrap=True, highlight=False)
        verdict = "beats" if r.beats_rivals("bought") else "does not beat"
        console.print(f"  over the importers that bought, the model {verdict} both rivals", highlight=False)
        for n in r.notes:
            console.print(f"  note: {n}", soft_wrap=True, highlight=False)
    if out:
        import pandas as pd
        _write_table(pd.DataFrame(rows), out)
        console.print(f"wrote {out}")


@gravity_app.command("fragmentation")
def gravity_fragmentation(blocs_year: int = typer.Option(2019, "--blocs", help="The year whose blocs are held fixed."),
                          post: int = typer.Option(2022, "--post", help="The first year of the 'after' period."),
                          sector: str = typer.Option("energy_minerals", "--sector", help="energy_minerals (every product of the shared "
                                                     "BACI subset), a sector (crude_oil, natural_gas, critical_minerals...) or total."),
                          start: int = typer.Option(2017, "--start", help="The first year of the panel."),
                          bloc_method: str = typer.Option("ideal-points", "--bloc-method", help="ideal-points (the IMF split) or network."),
                          sensitivity: bool = typer.Option(True, "--sensitivity/--no-sensitivity", help="Also the estimate with one choice "
                                                           "changed at a time."),
                          out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the table (.csv, .parquet)."),
                          db: Optional[Path] = DB):
    """Trade between the US-leaning and China-leaning blocs after POST against trade within them: PPML with exporter-year,
    importer-year and pair effects, SEs clustered by pair; its sensitivity, and the IMF's published -12% beside it."""
    from ..gravity import fragmentation as FR
    from ..gravity.ge import NotConverged
    try:
        with console.status(f"fragmentation: PPML on {sector} from {start}, blocs of {blocs_year}, after {post}…"):
            tab, notes = FR.sensitivity(db, blocs_year, post, sector, start, bloc_method, variants=sensitivity)
    except (MultipolarError, NotConverged) as e:
        _fail(e)
    m = tab.iloc[0]
    console.print(f"Trade between the blocs after {post}, against trade within them: [bold]{m['effect_pct']:+.1f}%[/] "
                  f"(90% interval {m['lo90_pct']:+.1f}% to {m['hi90_pct']:+.1f}%; β = {m['beta']:+.3f}, se {m['se']:.3f} clustered by pair; "
                  f"{int(m['obs']):,} observations, {int(m['pairs']):,} pairs)", highlight=False)
    console.print(f"IMF anchor: {FR.IMF['estimate_pct']:+.0f}% ({FR.IMF['source']}). What differs: their data are "
                  f"{FR.IMF['data']}; here {sector.replace('_', ' ')} from BACI {start}-, blocs of {blocs_year} by {bloc_method}.",
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
    if out:
        _write_table(tab, out)
        console.print(f"wrote {out}")


def simulate(scenario: Optional[str] = typer.Argument(None, help="A scenario YAML file or the name of a built-in one."),
             list_: bool = typer.Option(False, "--list", help="List the built-in scenarios."),
             draws: Optional[int] = typer.Option(None, "--draws", help="Monte Carlo draws (default: the scenario's)."),
             out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the per-country table (.csv, .parquet, .dta)."),
             flows_out: Optional[Path] = typer.Option(None, "--flows", help="Write every pair's observed baseline, model baseline and "
                                                      "counterfactual flow (.csv, .parquet, .dta)."),
             baseline: str = typer.Option("observed", "--baseline", help="observed (the model's changes applied to the observed flows), "
                                          "calibrated (exact hat algebra) or fitted (the model's levels, as the textbook)."),
             keep: bool = typer.Option(True, "--store/--no-store", help="Keep the results in the warehouse for the report and the dashboard."),
             db: Optional[Path] = DB):
    """Solve a scenario in general equilibrium: trade flows, diversion and real income per country, with intervals."""
    from ..gravity import scenarios as SC
    from ..gravity.ge import NotConverged
    if list_ or scenario is None:
        for name, p in SC.builtin().items():
            sc = SC.load(p)
            console.print(f"[bold]{name}[/]: {sc.name} ({sc.sector}, base year {sc.base_year})")
        if scenario is None:
            return
    try:
        sc = SC.load(scenario)
        with console.status(f"{sc.name}: fitting {sc.sector} {sc.fit_years[0]}-{sc.fit_years[1]} and solving…"):
            r = SC.simulate(sc, db, draws, baseline=baseline)
    except (MultipolarError, NotConverged) as e:
        _fail(e)
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
    if out:
        _write_table(r.table, out)
        console.print(f"wrote {out}")
    if flows_out:
        _write_table(r.flows, flows_out)
        console.print(f"wrote {flows_out} ({len(r.flows):,} pairs)")
    if keep:
        key = SC.store(r, db)
        console.print(f"stored as {key!r} in the warehouse (shown by `multipolar report` and `multipolar serve`)")
