"""`multipolar idealpoints`: ideal points from the UN votes, their stored runs, and comparisons."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table

from ..errors import MultipolarError, UsageError
from ._common import DB, FORMAT, OUT, YEARS, _fail, _spark, api, check_format, console, emit, emit_record, err

STORE_HELP = ("--store: store the fit and make it the current run (the one blocs, trends, the report and the dyads read). "
              "--no-store: store nothing, only write --out or show. Default: the fit is stored as a run beside the others; it "
              "becomes current only when it is the default fit (every year, default --omega) or the warehouse's first.")
VOTES_HELP = ("The roll calls counted: issue=CODE (me Middle East, nu nuclear, di disarmament, hr human rights, co colonialism, "
              "ec economic development; several: issue=hr,me), important (the State Department's important votes) or rcid=FILE. "
              "A restricted fit is its own run, not current unless --store.")


def idealpoints(words: Optional[List[str]] = typer.Argument(None, metavar="[compare A B | runs | use RUN | drop RUN]",
                                                            help="`compare A B`: correlate two sets of estimates. `runs`: list the "
                                                            "stored runs. `use RUN`: make a stored run current. `drop RUN`: delete "
                                                            "a run that is not current. (With the deprecated --show: the states.)"),
                years: Optional[str] = YEARS("every year with votes"),
                states: Optional[str] = typer.Option(None, "--states", "-s", help="Show these states' points (a table and a trend "
                                                     "line), comma-separated, e.g. RUS,CHN,USA,IND; read from the stored run unless --refit."),
                out: Optional[Path] = OUT,
                fmt: str = FORMAT,
                show: bool = typer.Option(False, "--show", hidden=True, help="Deprecated: --states RUS,CHN."),
                refit: bool = typer.Option(False, "--refit", help="With --states: estimate again instead of using stored results."),
                omega: Optional[str] = typer.Option(None, "--omega", help="Random-walk sd per year on the model's scale, or "
                                                    "'estimate' (default: the model's, 0.11)."),
                store: Optional[bool] = typer.Option(None, "--store/--no-store", help=STORE_HELP),
                run: Optional[str] = typer.Option(None, "--run", help="Read this stored run (its id, or a unique beginning of it) "
                                                  "instead of fitting: with --show or --out."),
                votes: Optional[str] = typer.Option(None, "--votes", help=VOTES_HELP),
                db: Optional[Path] = DB):
    """Estimate ideal points from the UN votes in the warehouse and store them as a run (with vote agreement).

    Every fit is kept as a run under an id made from its years, votes and parameters; a fit never
    overwrites another. `multipolar idealpoints` (every year, default parameters) becomes the current
    run; a fit of some years or other parameters is stored but not made current unless --store.

    \b
    multipolar idealpoints
    multipolar idealpoints --years 1991:2019 --out ideal.parquet    (stored as a run; the current run stays)
    multipolar idealpoints --years 1991:2019 --store                  (stored and made current)
    multipolar idealpoints --years 1991:2019 --no-store --out ideal.parquet   (only the file)
    multipolar idealpoints --votes issue=hr                           (human-rights votes only: another run)
    multipolar idealpoints runs                                       (every stored run; * the current one)
    multipolar idealpoints use 1946-2019                              (make a stored run current)
    multipolar idealpoints --states RUS,CHN,USA,IND --years 2000:2019
    multipolar idealpoints compare multipolar published     (or pca, a run id, or a file)
    """
    import pandas as pd
    fmt = check_format(fmt)
    words = list(words or [])
    verb = words[0] if words else None
    if verb == "compare":
        if len(words) > 3:
            _fail(UsageError("compare takes two sets of estimates: multipolar | published | pca | RUN | FILE"))
        return idealpoints_compare(*(words[1:] + ["multipolar", "published"][len(words) - 1:]), years=years, out=out, db=db, fmt=fmt)
    if verb == "runs":
        return idealpoints_runs(db, fmt=fmt, out=out)
    if verb in ("use", "drop"):
        if len(words) != 2:
            _fail(UsageError(f"`multipolar idealpoints {verb}` takes one run id, e.g. `multipolar idealpoints {verb} 1946-2019`",
                             hint="`multipolar idealpoints runs` lists the stored runs"))
        return idealpoints_use(words[1], db, fmt) if verb == "use" else idealpoints_drop(words[1], db, fmt)
    if words and not show:
        _fail(UsageError(f"unknown words {' '.join(words)!r}: to show states write `multipolar idealpoints --states {','.join(words)}`"))
    if show:
        if not words:
            _fail(UsageError("--show needs states: write `multipolar idealpoints --states RUS,CHN,USA,IND`"))
        err.print(f"[yellow]note[/] --show STATES is deprecated: write --states {','.join(words)}", highlight=False)
        states = ",".join(words + ([states] if states else []))
    if run is not None and (refit or store is not None):
        _fail(UsageError("--run reads a stored run: it does not go with --refit, --store or --no-store",
                         hint="drop --run to fit, or drop the fitting options to read the run"))
    if run is not None and not (states or out or fmt != "table"):
        _fail(UsageError("--run reads a stored run: say what to do with it", hint="add --states STATES, --out FILE or --format csv"))
    if states and not refit and store is not None:
        _fail(UsageError("--store and --no-store apply to a fit, and --states reads the stored points",
                         hint="add --refit to fit again (then --store or --no-store say what to keep)"))
    if store is False and not out and not states and fmt == "table":
        _fail(UsageError("--no-store keeps nothing: the fit would be lost", hint="add --out FILE (or --states STATES) to keep or see it"))
    try:
        params = {} if omega is None else {"omega": omega if omega == "estimate" else float(omega)}
    except ValueError:
        _fail(UsageError(f"--omega: a number or 'estimate', got {omega!r}"))
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    try:
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True,
                      disable=not err.is_terminal) as prog:
            task = prog.add_task("ideal points", total=None)
            ip = api.ideal_points(years, db=db, store=store, refit=True if refit else None, run=run,
                                  votes=votes, states=states, progress=lambda m: prog.update(task, description=m), **params)
    except MultipolarError as e:
        _fail(e)
    codes = ip.attrs.get("codes") or []
    if states:
        from ..actors.registry import registry
        codes = [registry().resolve(s.strip()) for s in states.split(",") if s.strip()]
    meta = ip.attrs.get("run") if ip.attrs.get("fitted") else None
    notes = json.loads(meta.get("votes_notes") or "[]") if meta else list(ip.attrs.get("notes", []))
    if emit(ip, fmt, out, notes):
        return
    if meta:
        _say_fit(meta, db)
    for n in notes:
        console.print(f"[dim]{n}[/]", highlight=False)
    if codes:
        from ..dimensions import values
        sub = ip[ip["code"].isin(codes)]
        missing = [c for c in codes if c not in set(sub["code"])]
        if missing:
            err.print(f"[yellow]no ideal points for {', '.join(missing)} in these years[/]")
        piv = sub.pivot(index="year", columns="code", values="ideal_point").reindex(columns=[c for c in codes if c not in missing])
        se = sub.pivot(index="year", columns="code", values="se")
        t = Table(title="Ideal points (higher: closer to the US-led liberal order; ± 90% interval half-width)")
        t.add_column("year")
        for c in piv.columns:
            t.add_column(c, justify="right")
        for y, row in piv.iterrows():
            t.add_row(str(y), *[("" if pd.isna(v) else f"{v:+.2f} ±{1.645 * se.loc[y, c]:.2f}") for c, v in row.items()])
        console.print(t)
        if len(sub):
            lo, hi = float(sub["ideal_point"].min()), float(sub["ideal_point"].max())
            for c in piv.columns:
                s_ = piv[c].dropna()
                console.print(f"  {c:<4} {_spark(piv[c].tolist(), lo, hi)}  {int(s_.index[0])} {s_.iloc[0]:+.2f} → "
                              f"{int(s_.index[-1])} {s_.iloc[-1]:+.2f}", highlight=False)
        console.print(f"[dim]source: {values.VOTE_SOURCE}; method: {values.METHOD}[/]")


def _say_fit(meta: dict, db) -> None:
    """What a fit did: its data, its convergence, and whether it was stored and made current."""
    console.print(f"[bold]{meta['state_years']:,}[/] state-years, {meta['n_states']} states, {meta['years']}: "
                  f"{meta['n_votes']:,} votes on {meta['n_roll_calls']:,} roll calls "
                  f"({meta['bridged_roll_calls']:,} bridged into {meta['bridge_chains']:,} repeated resolutions, "
                  f"{meta['n_items']:,} items)")
    console.print(f"fitted in {meta['seconds_fit']:.1f} s ({meta['iterations']} cycles, "
                  f"{'converged' if meta['converged'] else '[yellow]not converged[/]'}, omega {meta['omega']:.3f}); "
                  f"total {meta['seconds_total']:.1f} s")
    rid = meta["run_id"]
    if not meta.get("stored"):
        console.print(f"run {rid}: not stored (--no-store); the warehouse's runs are as they were", highlight=False)
        return
    again = " (it replaces the stored run with the same id: the same votes, years and parameters)" if meta.get("replaced") else ""
    prev = meta.get("previous_current")
    if meta["current"]:
        was = (f"; the previous current run {prev} is kept" if prev and prev != rid else "")
        console.print(f"stored as run [bold]{rid}[/], now the current run{again}{was}: blocs, trends, the report and the dyads "
                      f"read it. Stored in {api.warehouse_path(db)}; `multipolar idealpoints runs` lists every run.", highlight=False)
    else:
        console.print(f"stored as run [bold]{rid}[/]{again}, [bold]not[/] made current: the current run stays {prev} (what blocs, "
                      f"trends, the report and the dyads read). Make it current with `multipolar idealpoints use {rid}`, "
                      "or fit with --store.", highlight=False)


def idealpoints_runs(db=None, fmt: str = "table", out=None):
    """Every stored ideal-point run; * marks the current one."""
    import json as _json

    from ..dimensions import values
    try:
        r = api.ideal_point_runs(db)
    except MultipolarError as e:
        _fail(e)
    if emit(r, fmt, out):
        return
    if r.empty:
        console.print("no stored ideal points: run `multipolar idealpoints` (needs the UN votes imported)")
        return
    defaults = values.default_params()
    t = Table(title="Ideal-point runs (* current: what blocs, trends, the report and the dyads read)")
    for c in ("", "run", "years", "asked", "votes", "parameters (besides the defaults)", "state-years", "converged", "fitted"):
        t.add_column(c, overflow="fold")
    for row in r.to_dict("records"):
        try:
            p = _json.loads(row.get("params") or "{}")
        except (TypeError, ValueError):
            p = {}
        diff = ", ".join(f"{k}={v}" for k, v in p.items() if defaults.get(k) != v) or "defaults"
        sy = row.get("state_years")
        conv = row.get("converged")
        t.add_row("*" if row.get("current") else "", str(row["run_id"]), str(row.get("years")), str(row.get("requested_years") or ""),
                  str(row.get("votes_id") or "") + ("" if (row.get("votes") or "all") in ("all", None) or row.get("votes") != row.get("votes")
                                                    else f" ({row.get('votes')})"), diff, f"{int(sy):,}" if sy == sy and sy is not None else "",
                  "" if conv is None or conv != conv else ("yes" if conv else "no"), str(row.get("created") or ""))
    console.print(t)


def idealpoints_use(spec: str, db=None, fmt: str = "table"):
    """Make a stored run the current one."""
    try:
        row = api.use_ideal_points_run(spec, db)
    except MultipolarError as e:
        _fail(e)
    if emit_record({k: row[k] for k in ("run_id", "years", "created")}, fmt):
        return
    console.print(f"the current run is now {row['run_id']} (years {row['years']}, fitted {row['created']}): blocs, trends, the report "
                  "and the dyads read it", highlight=False)


def idealpoints_drop(spec: str, db=None, fmt: str = "table"):
    """Delete a stored run that is not current."""
    try:
        rid = api.drop_ideal_points_run(spec, db)
    except MultipolarError as e:
        _fail(e)
    if emit_record({"deleted": rid}, fmt):
        return
    console.print(f"deleted run {rid}", highlight=False)


def idealpoints_compare(a: str = "multipolar", b: str = "published", years=None, out=None, db=None, fmt: str = "table"):
    """Correlate two sets of ideal points, per year and overall (e.g. multipolar vs published, or vs the PCA baseline)."""
    try:
        per_year, summ = api.compare_ideal_points(a, b, db=db, years=years)
    except MultipolarError as e:
        _fail(e)
    if emit(per_year, fmt, out, [f"overall: {json.dumps(summ, default=str)}"]):
        return
    console.print(f"[bold]{summ['a']}[/] vs [bold]{summ['b']}[/]: {summ['n']:,} state-years, {summ['years']}")
    console.print(f"  overall Pearson {summ['pearson']:.3f}, Spearman {summ['spearman']:.3f}; year-to-year changes Pearson "
                  f"{summ['pearson_changes']:.3f}; per-year Pearson mean {summ['per_year_mean']:.3f}, min {summ['per_year_min']:.3f}")
    t = Table(title="Per year")
    for c in ("year", "n", "pearson", "spearman"):
        t.add_column(c, justify="right")
    for r in per_year.itertuples(index=False):
        t.add_row(str(r.year), str(r.n), f"{r.pearson:.3f}", f"{r.spearman:.3f}")
    console.print(t)
