"""The command line: a thin face on :mod:`multipolar.api` (every command calls one function)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

from .errors import InputError, MultipolarError, UnknownCountryError, UsageError


class _LazyApi:
    """:mod:`multipolar.api`, imported when a command first calls it (``--help`` and argument errors stay fast:
    the API pulls in pandas, DuckDB and the readers)."""

    def __getattr__(self, name: str):
        from . import api as module
        return getattr(module, name)


api = _LazyApi()

app = typer.Typer(help="multipolar: the fragmenting international system in numbers.", no_args_is_help=True, add_completion=False)
data_app = typer.Typer(help="Import public datasets into the warehouse and see what it holds.", no_args_is_help=True)
app.add_typer(data_app, name="data")
def _console(stderr: bool = False) -> Console:
    """A terminal gets tables fitted to its width; a pipe or a file gets them whole (no wrapped lines or words cut in
    two, so ``multipolar data status | grep unvotes`` finds its rows)."""
    stream = sys.stderr if stderr else sys.stdout
    tty = hasattr(stream, "isatty") and stream.isatty()
    return Console(stderr=stderr, width=None if tty else PIPE_WIDTH)


#: the line width when the output is not a terminal: wide enough that no table row wraps
PIPE_WIDTH = 100_000
console = _console()
err = _console(stderr=True)

DB = typer.Option(None, "--db", help="Warehouse file (default: $MULTIPOLAR_DB or the user data directory).")


def _fail(e: Exception) -> None:
    """Print the error and exit: status 2 when the command is written wrong (a usage error, a state name that
    resolves to nothing), 1 when the input files or the data are at fault."""
    err.print(f"[bold red]error:[/] {e}")
    raise typer.Exit(2 if isinstance(e, (UsageError, UnknownCountryError)) else 1)


#: files inside a folder that are not data (skipping them is fine): licences, descriptions, READMEs, documentation, maps
NOT_DATA_NAMES = ("license", "licence", "readme", "description", "copyright", "copying", "notice", "citation", "changelog", "news")
NOT_DATA_SUFFIXES = (".md", ".txt", ".rd", ".json", ".geojson", ".topojson", ".html", ".pdf", ".bib", ".yaml", ".yml")


def _not_data(f: str) -> bool:
    n = Path(f).name.lower()
    return n.startswith(NOT_DATA_NAMES) or n.endswith(NOT_DATA_SUFFIXES) or "." not in n


@data_app.command("import")
def data_import(paths: List[Path] = typer.Argument(..., help="Files or folders; folders are searched recursively."),
                source: Optional[str] = typer.Option(None, "--source", "-s", help="Name the source instead of recognising files by content (see `multipolar data sources`)."),
                force: bool = typer.Option(False, "--force", help="Import again even if the same file was imported before."),
                replace: bool = typer.Option(False, "--replace", help="Let an import replace rows even when the table would shrink "
                                             "(rows, years, states) or change shape (columns); it says what changes, before → after."),
                jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="Parser processes (default: number of CPUs, at most 4)."),
                db: Optional[Path] = DB):
    """Import every file it recognises; print what it imported, what it skipped or refused, and why.

    Exit status: 0 when everything asked for was imported or unchanged (files inside a folder that are not
    data, or that no reader recognises, are skipped and counted); 1 when a file failed, was refused, or a
    file named on the command line was skipped; 130 (Ctrl-C) or 143 (SIGTERM) when interrupted, after
    saying which files were kept."""
    import signal

    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from .warehouse import Interrupted, Warehouse
    w = Warehouse(db)
    files, named = [], set()
    for p in paths:
        if not p.exists():
            _fail(FileNotFoundError(f"{p}: no such file or folder"))
        if p.is_dir():
            files += sorted(x for x in p.rglob("*") if x.is_file() and not x.name.startswith("."))
        else:
            files.append(p)
            named.add(str(p))

    def on_term(signum, frame):
        raise Interrupted("SIGTERM")
    old_term = signal.signal(signal.SIGTERM, on_term)
    import datetime as _dt
    started = _dt.datetime.now()
    reports = []
    try:
        with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True, disable=not err.is_terminal) as prog:
            task = prog.add_task("importing", total=len(files))
            for p in paths:
                reports += w.import_path(p, source=source, force=force, replace=replace, jobs=jobs,
                                         progress=lambda f, r: prog.update(task, advance=1, description=f"{f.name[:40]}"))
    except (Interrupted, KeyboardInterrupt) as e:
        signal.signal(signal.SIGTERM, old_term)
        sig = getattr(e, "signal_name", "SIGINT")
        done = reports + list(getattr(e, "reports", []))
        try:        # what the warehouse holds from this run: the files whose write committed
            kept = w.query("SELECT file_name FROM _imports WHERE imported_at >= ? ORDER BY import_id", [started])["file_name"].tolist()
        except Exception:
            kept = [Path(r.file).name for r in done if r.status == "imported"]
        err.print(f"[bold red]interrupted ({sig}):[/] kept the {len(kept)} file(s) committed before the interruption"
                  + (": " + ", ".join(escape(k) for k in kept) if kept else "")
                  + f"; {len(done)} of {len(files)} files were done (imported, unchanged or skipped); the file being written, if any, "
                    "was rolled back and the parser processes stopped. Run the same command again to import the rest "
                    "(files already imported are skipped).", soft_wrap=True, highlight=False)
        raise typer.Exit(130 if sig == "SIGINT" else 143)
    except MultipolarError as e:
        _fail(e)
    finally:
        signal.signal(signal.SIGTERM, old_term)
    t = Table(title=f"Import into {w.path}", show_lines=False)
    for c in ("status", "file", "source", "rows kept", "rejected (why)", "s"):
        t.add_column(c, overflow="fold")
    colours = {"imported": "green", "unchanged": "cyan", "skipped": "yellow", "refused": "magenta", "error": "red"}
    for r in reports:
        rej = ", ".join(f"{k}: {v:,}" for k, v in r.rejected.items() if v) if r.rejected else ""
        t.add_row(f"[{colours[r.status]}]{r.status}[/]", escape(Path(r.file).name), r.source or "", f"{r.rows_kept:,}" if r.rows_kept else "",
                  escape(rej), f"{r.seconds:.1f}")
    console.print(t)
    for r in reports:           # what an import did to tables it did not simply create or find unchanged
        for c in r.changes:
            if " replaced" in c or "precedence" in c:
                console.print(f"[green]imported[/] {escape(r.file)}: {escape(c)}", soft_wrap=True, highlight=False)
    for status in ("unchanged", "skipped", "refused", "error"):
        for r in reports:
            if r.status == status:
                msg = r.message if r.message.startswith(r.file) else f"{r.file}: {r.message}"
                console.print(f"[{colours[status]}]{status}[/] {escape(msg)}", soft_wrap=True, highlight=False)
    if any(r.status == "imported" and r.source in ("undl", "unvotes") for r in reports):
        from .sources.undl import match_report
        line = match_report(w)
        if line:
            console.print(line, soft_wrap=True, highlight=False)
    n = {s: sum(r.status == s for r in reports) for s in colours}
    skipped = [r for r in reports if r.status == "skipped"]
    skipped_named = [r for r in skipped if r.file in named]
    not_data = sum(_not_data(r.file) for r in skipped if r.file not in named)
    other = len(skipped) - len(skipped_named) - not_data
    parts = [f"{n['imported']} imported", f"{n['unchanged']} unchanged"]
    if skipped:
        sk = []
        if not_data:
            sk.append(f"{not_data} not data (licences, descriptions, READMEs, maps)")
        if other:
            sk.append(f"{other} no reader recognises (`multipolar data sources` lists what it reads)")
        if skipped_named:
            sk.append(f"{len(skipped_named)} named on the command line")
        parts.append(f"{len(skipped)} skipped ({'; '.join(sk)})")
    parts += [f"{n['refused']} refused", f"{n['error']} errors"]
    console.print(", ".join(parts))
    if n["error"] or n["refused"] or skipped_named:
        why = []
        if n["error"]:
            why.append(f"{n['error']} file(s) failed")
        if n["refused"]:
            why.append(f"{n['refused']} refused (see above; --replace lets a replacement through)")
        if skipped_named:
            why.append("a file named on the command line was skipped: " + ", ".join(escape(Path(r.file).name) for r in skipped_named))
        err.print(f"[bold red]not everything was imported:[/] {'; '.join(why)}", soft_wrap=True, highlight=False)
        raise typer.Exit(1)


@data_app.command("status")
def data_status(db: Optional[Path] = DB, all_imports: bool = typer.Option(False, "--all", help="Include superseded imports."),
                as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")):
    """What is loaded: source, version, file sha256, rows, years, countries, when."""
    try:
        df = api.status(db, all_imports=all_imports)
    except MultipolarError as e:
        _fail(e)
    if as_json:
        console.print_json(df.to_json(orient="records", date_format="iso"))
        return
    if df.empty:
        console.print("The warehouse is empty. Import data with `multipolar data import ../shared/data`; "
                      "`multipolar report` runs on the embedded snapshot meanwhile.")
        return
    t = Table(title="Warehouse contents")
    for c in ("source", "tables", "version", "file", "sha256", "rows", "rejected", "years", "countries", "imported"):
        t.add_column(c, overflow="fold")
    for r in df.itertuples(index=False):
        import pandas as pd
        years = f"{int(r.year_min)}–{int(r.year_max)}" if pd.notna(r.year_min) else "static"
        countries = str(int(r.n_countries)) if pd.notna(r.n_countries) else ""
        t.add_row(r.source, ", ".join(json.loads(r.tables)), r.version or "", r.file_name, r.sha256[:12], f"{int(r.rows_kept):,}",
                  f"{int(r.rows_rejected):,}", years, countries, f"{r.imported_at:%Y-%m-%d %H:%M}")
    console.print(t)


@data_app.command("sources")
def data_sources():
    """The readers and the short names that --source takes."""
    t = Table(title="Sources multipolar reads")
    for c in ("source", "title", "tables", "licence"):
        t.add_column(c, overflow="fold")
    for r in api.list_sources().itertuples(index=False):
        t.add_row(r.source, r.title, r.tables, r.license)
    console.print(t)


@app.command()
def actors(name: Optional[str] = typer.Argument(None, help="A state: name, alias, ISO3/ISO2, COW or GW code."),
           group: Optional[str] = typer.Option(None, "--group", "-g", help="A grouping (NATO, EU, BRICS, ...)."),
           year: Optional[int] = typer.Option(None, "--year", "-y", help="Year for codes and memberships."),
           status: str = typer.Option("member", "--status", help="Membership status for --group (member, observer, partner, ...; 'all')."),
           list_all: bool = typer.Option(False, "--list", help="List every state."),
           as_json: bool = typer.Option(False, "--json")):
    """A state's names, codes, dates and memberships; or a grouping's members in a year."""
    try:
        if group:
            st = None if status == "all" else tuple(status.split(","))
            codes = api.members(group, year, status=st)
            if as_json:
                console.print_json(json.dumps(codes))
                return
            from .actors.registry import registry
            t = Table(title=f"{group.upper()} {'members' if status == 'member' else status} in {year if year else 'today'}: {len(codes)}")
            t.add_column("code")
            t.add_column("name")
            for c in codes:
                t.add_row(c, registry().get(c).name)
            console.print(t)
            return
        if list_all or not name:
            df = api.actors(year)
            if as_json:
                console.print_json(df.to_json(orient="records"))
                return
            t = Table(title=f"States{' in ' + str(year) if year else ''}: {df['code'].nunique()}")
            for c in ("code", "name", "iso3", "cow", "gw", "start", "end", "system_member"):
                t.add_column(c)
            for r in df.itertuples(index=False):
                t.add_row(r.code, r.name, str(r.iso3 or ""), str(r.cow or ""), str(r.gw or ""), r.start, str(r.end or ""), "yes" if r.system_member else "no")
            console.print(t)
            return
        d = api.actor(name, year=year)
    except MultipolarError as e:
        _fail(e)
    if as_json:
        console.print_json(json.dumps(d, default=str))
        return
    console.print(f"[bold]{d['name']}[/] ({d['code']})")
    console.print(f"  ISO3 {d['iso3'] or '–'}   ISO2 {d['iso2'] or '–'}   COW {d['cow'] or '–'} ({d['cow_abb'] or '–'})   GW {d['gw'] or '–'}")
    for s, e, member in d["spells"]:
        console.print(f"  exists {s} – {e or 'today'}" + ("" if member else "  (not a state-system member: " + d["succession"] + ")"))
    if d["succession"]:
        console.print(f"  succession: {d['succession']}")
    console.print(f"  aliases: {', '.join(d['aliases'][:20])}")
    t = Table(title="Memberships")
    for c in ("group", "status", "from", "to", "note"):
        t.add_column(c, overflow="fold")
    for m in d["memberships"]:
        t.add_row(m["org"], m["status"], m["start"], m["end"] or "", m["note"])
    console.print(t)
    console.print(f"[dim]sources: {d['source']}; memberships: see `multipolar actors --group ORG` and actors/data/organisations.csv[/]")


@app.command()
def report(out: Path = typer.Option(Path("multipolar-report.html"), "--out", "-o", help="HTML file to write."),
           focus: str = typer.Option("RUS", "--focus", help="The state whose partner network is drawn."),
           years: Optional[str] = typer.Option(None, "--years", help="Years, e.g. 1991:2024 (default 1991 to the latest with data)."),
           triangle: str = typer.Option("USA,RUS,CHN", "--triangle", help="Three states for the strategic triangle."),
           boot: int = typer.Option(100, "--boot", help="Posterior draws for the bloc probabilities."),
           db: Optional[Path] = DB):
    """Write the offline HTML report: blocs, poles, the triangle, a focus state's partners,
    de-globalization, movers, data and coverage (on the warehouse, or the embedded snapshot when it is empty)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from .report.sections import SECTIONS
    tri = [s.strip() for s in triangle.split(",") if s.strip()]
    if len(tri) != 3:
        _fail(UsageError(f"--triangle: give three states separated by commas, e.g. USA,RUS,CHN (got {triangle!r})"))
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                      console=console, transient=True) as bar:
            task = bar.add_task("report: loading the dyad measures", total=len(SECTIONS))

            def step(name):
                bar.update(task, advance=1, description=f"report: {name.replace('_section', '').replace('_', ' ')} done")
            path = api.write_report(out, db=db, years=years, focus=focus, triangle=tuple(tri), n_boot=boot, progress=step)
    except MultipolarError as e:
        _fail(e)
    console.print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")


@app.command()
def serve(host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (default: this machine only)."),
          port: int = typer.Option(8000, "--port", help="Port (0: any free port)."), db: Optional[Path] = DB,
          allow_host: Optional[List[str]] = typer.Option(None, "--allow-host", help="A name besides 127.0.0.1, localhost and "
                                                          "[::1] that browsers may use to reach the dashboard (repeatable); "
                                                          "requests naming any other host get 400 (DNS rebinding).")):
    """The local web dashboard: country and dyad profiles, blocs by year, a triangle explorer, data and
    coverage, over a JSON API (OpenAPI at /docs). Read-only over the warehouse, read on first use and
    again when it changes (new imports, `simulate` runs)."""
    from .web.server import LOOPBACK_HOSTS, serve as run
    if host.strip("[]") not in LOOPBACK_HOSTS:
        console.print(f"[yellow]warning:[/] binding to {host} makes the dashboard reachable from other machines")
    from .warehouse import Warehouse
    path = Warehouse(db).path
    basis = f"the warehouse {path}" if path.exists() else "the embedded snapshot (no warehouse at " + str(path) + ")"

    def say(url: str) -> None:
        console.print(f"multipolar dashboard on {url} ({basis}, read on the first request; Ctrl-C stops)", soft_wrap=True)
    try:
        run(host, port, db, tuple(allow_host or ()), say=say)
    except MultipolarError as e:
        _fail(e)


SPARK = "▁▂▃▄▅▆▇█"


def _spark(values, lo, hi) -> str:
    import math
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append(" ")
        else:
            out.append(SPARK[min(len(SPARK) - 1, max(0, int((v - lo) / (hi - lo + 1e-12) * len(SPARK))))])
    return "".join(out)


def _write_table(df, out: Path) -> None:
    suf = out.suffix.lower()
    out.parent.mkdir(parents=True, exist_ok=True)
    if suf == ".parquet":
        df.to_parquet(out, index=False)
    elif suf == ".csv":
        df.to_csv(out, index=False)
    elif suf == ".dta":
        df.to_stata(out, write_index=False, version=118)
    else:
        raise typer.BadParameter(f"{out}: unknown format {suf!r}; use .parquet, .csv or .dta", param_hint="--out")


@app.command(context_settings={"allow_interspersed_args": True})
def idealpoints(states: Optional[List[str]] = typer.Argument(None, help="With --show: the states to show (names or codes). "
                                                             "`compare A B`: correlate two sets of estimates. `runs`: list the "
                                                             "stored runs. `use RUN`: make a stored run current. `drop RUN`: delete "
                                                             "a run that is not current."),
                years: Optional[str] = typer.Option(None, "--years", "-y", help="Years FIRST:LAST (default: every year with votes)."),
                out: Optional[Path] = typer.Option(None, "--out", "-o", help="Also write the results to a .parquet, .csv or .dta file."),
                show: bool = typer.Option(False, "--show", help="Show the given states' points in the terminal (a table and a "
                                          "trend line); uses the stored estimates unless --refit."),
                refit: bool = typer.Option(False, "--refit", help="With --show: estimate again instead of using stored results."),
                omega: Optional[str] = typer.Option(None, "--omega", help="Random-walk sd per year on the model's scale, or "
                                                    "'estimate' (default: the model's, 0.11)."),
                store: Optional[bool] = typer.Option(None, "--store/--no-store", help="--store: store the fit and make it the "
                                                     "current run (the one blocs, trends, the report and the dyads read). --no-store: "
                                                     "store nothing, only write --out or show. Default: the fit is stored as a run "
                                                     "beside the others; it becomes current only when it is the default fit (every "
                                                     "year, default --omega) or the warehouse's first."),
                run: Optional[str] = typer.Option(None, "--run", help="Read this stored run (its id, or a unique beginning of it) "
                                                  "instead of fitting: with --show or --out."),
                votes: Optional[str] = typer.Option(None, "--votes", help="The roll calls counted: issue=CODE (me Middle East, nu "
                                                    "nuclear, di disarmament, hr human rights, co colonialism, ec economic "
                                                    "development; several: issue=hr,me), important (the State Department's "
                                                    "important votes) or rcid=FILE. A restricted fit is its own run, not current "
                                                    "unless --store."),
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
    multipolar idealpoints --show RUS CHN USA IND --years 2000:2019
    multipolar idealpoints compare multipolar published     (or pca, a run id, or a file)
    """
    import pandas as pd
    from .actors.registry import registry
    from .dimensions import values
    from .warehouse import Warehouse
    states = list(states or [])
    if states and states[0] == "compare":
        if len(states) > 3:
            _fail(ValueError("compare takes two sets of estimates: multipolar | published | pca | RUN | FILE"))
        return idealpoints_compare(*(states[1:] + ["multipolar", "published"][len(states) - 1:]), years=years, out=out, db=db)
    if states and states[0] == "runs":
        return idealpoints_runs(db)
    if states and states[0] in ("use", "drop"):
        if len(states) != 2:
            _fail(InputError(f"`multipolar idealpoints {states[0]}` takes one run id, e.g. `multipolar idealpoints {states[0]} 1946-2019`",
                             hint="`multipolar idealpoints runs` lists the stored runs"))
        return idealpoints_use(states[1], db) if states[0] == "use" else idealpoints_drop(states[1], db)
    if states and not show:
        _fail(ValueError(f"states given ({' '.join(states)}) without --show; write `multipolar idealpoints --show {' '.join(states)}`"))
    if show and not states:
        _fail(ValueError("--show needs states, e.g. `multipolar idealpoints --show RUS CHN USA IND`"))
    if run is not None and (refit or store is not None):
        _fail(InputError("--run reads a stored run: it does not go with --refit, --store or --no-store",
                         hint="drop --run to fit, or drop the fitting options to read the run"))
    if run is not None and not (show or out):
        _fail(InputError("--run reads a stored run: say what to do with it", hint="add --show STATES or --out FILE"))
    if show and not refit and store is not None:
        _fail(InputError("--store and --no-store apply to a fit, and --show reads the stored points",
                         hint="add --refit to fit again (then --store or --no-store say what to keep)"))
    if store is False and not out and not show:
        _fail(UsageError("--no-store keeps nothing: the fit would be lost", hint="add --out FILE (or --show STATES) to keep or see it"))
    notes: list[str] = []
    try:
        codes = [registry().resolve(s) for s in states]
        rng = values.parse_years(years)
        params = {} if omega is None else {"omega": omega if omega == "estimate" else float(omega)}
        w = Warehouse(db)
        ip, meta = None, None
        if run is not None or (codes and not refit):
            ip = api.stored_ideal_points(db, run=run)
            if ip is not None:
                notes = list(ip.attrs.get("notes", []))
                if rng:
                    ip = ip[ip["year"].between(*rng)]
        if ip is None:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
            with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True,
                          disable=not err.is_terminal) as prog:
                task = prog.add_task("ideal points", total=None)
                fitted = values.estimate(w, years, store=store, **params, selection=votes,
                                         progress=lambda m: prog.update(task, description=m))
            notes += json.loads(fitted.meta.get("votes_notes") or "[]")
            ip, meta = fitted.ideal_points, fitted.meta
    except (MultipolarError, ValueError) as e:
        _fail(e)
    if meta:
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
        else:
            again = " (it replaces the stored run with the same id: the same votes, years and parameters)" if meta.get("replaced") else ""
            prev = meta.get("previous_current")
            if meta["current"]:
                was = (f"; the previous current run {prev} is kept" if prev and prev != rid else "")
                console.print(f"stored as run [bold]{rid}[/], now the current run{again}{was}: blocs, trends, the report and the dyads "
                              f"read it. Stored in {w.path}; `multipolar idealpoints runs` lists every run.", highlight=False)
            else:
                console.print(f"stored as run [bold]{rid}[/]{again}, [bold]not[/] made current: the current run stays {prev} (what blocs, "
                              f"trends, the report and the dyads read). Make it current with `multipolar idealpoints use {rid}`, "
                              "or fit with --store.", highlight=False)
    for n in notes:
        console.print(f"[dim]{n}[/]", highlight=False)
    if out:
        try:
            _write_table(ip, out)
        except typer.BadParameter as e:
            _fail(e)
        console.print(f"wrote {out} ({len(ip):,} rows)")
    if codes:
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
        lo, hi = float(sub["ideal_point"].min()), float(sub["ideal_point"].max())
        for c in piv.columns:
            s_ = piv[c].dropna()
            console.print(f"  {c:<4} {_spark(piv[c].tolist(), lo, hi)}  {int(s_.index[0])} {s_.iloc[0]:+.2f} → "
                          f"{int(s_.index[-1])} {s_.iloc[-1]:+.2f}", highlight=False)
        console.print(f"[dim]source: {values.VOTE_SOURCE}; method: {values.METHOD}[/]")


def idealpoints_runs(db=None):
    """Every stored ideal-point run; * marks the current one."""
    import json as _json

    from .dimensions import values
    try:
        r = api.ideal_point_runs(db)
    except MultipolarError as e:
        _fail(e)
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


def idealpoints_use(spec: str, db=None):
    """Make a stored run the current one."""
    try:
        row = api.use_ideal_points_run(spec, db)
    except MultipolarError as e:
        _fail(e)
    console.print(f"the current run is now {row['run_id']} (years {row['years']}, fitted {row['created']}): blocs, trends, the report "
                  "and the dyads read it", highlight=False)


def idealpoints_drop(spec: str, db=None):
    """Delete a stored run that is not current."""
    from .dimensions import values
    from .warehouse import Warehouse
    try:
        rid = values.drop_run(Warehouse(db), spec)
    except MultipolarError as e:
        _fail(e)
    console.print(f"deleted run {rid}", highlight=False)


def idealpoints_compare(a: str = "multipolar", b: str = "published", years=None, out=None, db=None):
    """Correlate two sets of ideal points, per year and overall (e.g. multipolar vs published, or vs the PCA baseline)."""
    try:
        per_year, summ = api.compare_ideal_points(a, b, db=db, years=years)
    except MultipolarError as e:
        _fail(e)
    console.print(f"[bold]{summ['a']}[/] vs [bold]{summ['b']}[/]: {summ['n']:,} state-years, {summ['years']}")
    console.print(f"  overall Pearson {summ['pearson']:.3f}, Spearman {summ['spearman']:.3f}; year-to-year changes Pearson "
                  f"{summ['pearson_changes']:.3f}; per-year Pearson mean {summ['per_year_mean']:.3f}, min {summ['per_year_min']:.3f}")
    t = Table(title="Per year")
    for c in ("year", "n", "pearson", "spearman"):
        t.add_column(c, justify="right")
    for r in per_year.itertuples(index=False):
        t.add_row(str(r.year), str(r.n), f"{r.pearson:.3f}", f"{r.spearman:.3f}")
    console.print(t)
    if out:
        _write_table(per_year, out)
        console.print(f"wrote {out}")


@app.command("dyads")
def dyads_cmd(years: Optional[str] = typer.Option(None, "--years", "-y", help="Years FIRST:LAST (default 1946 to this year)."),
              states: Optional[str] = typer.Option(None, "--states", "-s", help="Only pairs among these states, comma-separated (names or codes)."),
              out: Path = typer.Option(Path("dyads.parquet"), "--out", "-o", help="Output file."),
              fmt: Optional[str] = typer.Option(None, "--format", "-f", help="parquet, csv or dta (default: from --out)."),
              codebook: bool = typer.Option(False, "--codebook", help="Also write FILE.codebook.csv: every column's unit, direction, source and coverage."),
              carry: Optional[str] = typer.Option(None, "--carry", help="Repeat these sources past their last year, flagged in *_carried columns "
                                                  "(atop, gsdb, rivalries, mid, cow_igo; never by default)."),
              db: Optional[Path] = DB):
    """The directed dyad-year table: every ordered pair of states, every year, all five dimensions and the relation.
    Outside a source's coverage a value is missing, never 0."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    try:
        d = api.dyads(years, states, db=db, carry=carry)
        verbs = ["add_values", "add_people", "add_economy", "add_institutions", "add_interaction", "add_security", "add_power", "add_relation"]
        with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err, transient=True,
                      disable=not err.is_terminal) as prog:
            task = prog.add_task("dyads", total=len(verbs) + 1)
            for v in verbs:
                prog.update(task, description=v.replace("add_", ""))
                getattr(d, v)()
                prog.advance(task)
            prog.update(task, description="writing")
            if fmt and out == Path("dyads.parquet"):
                out = out.with_suffix("." + fmt.lower().replace("stata", "dta"))
            path = d.write(out, fmt)
            prog.advance(task)
    except MultipolarError as e:
        _fail(e)
    console.print(f"wrote {path}: {len(d):,} directed dyad-years, {len(d.columns)} columns, {d.years[0]}-{d.years[1]}")
    for n in d.notes:
        console.print(f"[yellow]note[/] {n}", soft_wrap=True)
    if codebook:
        cb = path.with_suffix(".codebook.csv")
        d.codebook().to_csv(cb, index=False)
        console.print(f"wrote {cb}")


@app.command("relation")
def relation_cmd(a: str = typer.Argument(..., help="State A (name or code)."), b: str = typer.Argument(..., help="State B."),
                 years: Optional[str] = typer.Option(None, "--years", "-y", help="Years FIRST:LAST (default: 1946 to this year)."),
                 out: Optional[Path] = typer.Option(None, "--out", "-o", help="Also write the profile (.parquet, .csv, .dta)."),
                 db: Optional[Path] = DB):
    """A's relation to B: each dimension over time, the type, dependence both ways, and the evidence."""
    import pandas as pd
    try:
        df = api.relation(a, b, years, db=db)
    except MultipolarError as e:
        _fail(e)
    if df.empty:
        _fail(MultipolarError(f"no dyad-years for {a} and {b} in these years (both must be states then)"))
    def fmt(v, f):
        return "–" if v is None or (not isinstance(v, str) and pd.isna(v)) else f.format(v)
    t = Table(title=f"{df['code_a'].iloc[-1]} → {df['code_b'].iloc[-1]}: closeness -1…1 over the components with data (chained: "
                    "its changes over the components both consecutive years have), visa: B's openness to A, energy and minerals trade share of A, dependence 0–1; – no data", padding=(0, 1))
    short = {"strategic partnership": "partner", "alignment": "aligned", "at war": "war"}
    cols = [("year", "year", "{}"), ("type", "relation_type", "{}"), ("close", "closeness", "{:+.2f}"), ("chained", "closeness_chained", "{:+.2f}"),
            ("dims", "closeness_n_dims", "{:.0f}"),
            ("IPdist", "ip_distance", "{:.2f}"), ("vote κ", "vote_kappa", "{:+.2f}"), ("visa", "visa_openness_b_for_a", "{:.2f}"),
            ("EMtradeA", "energy_minerals_trade_share_of_a", "{:.2f}"), ("depA←B", "dependence_a_on_b", "{:.2f}"), ("depB←A", "dependence_b_on_a", "{:.2f}")]
    for name, _, _ in cols:
        t.add_column(name, justify="left" if name == "type" else "right", no_wrap=True)
    for r in df.itertuples(index=False):
        t.add_row(*[short.get(v, v) if c == "relation_type" and isinstance(v, str) else fmt(v, f)
                    for (_, c, f), v in ((x, getattr(r, x[1])) for x in cols)])
    console.print(t)
    console.print("[bold]evidence[/] (printed when it changes)")
    prev = None
    for r in df.itertuples(index=False):
        ev = (f"{r.relation_type}: {r.relation_evidence}; alliance ties: {fmt(r.alliance_source, '{}')}; shared groupings: "
              f"{fmt(r.groupings_shared, '{}')}; sanctions A→B: {fmt(r.sanctions_a_on_b_types, '{}')}, B→A: {fmt(r.sanctions_b_on_a_types, '{}')}"
              f"{'; at war' if r.war_ongoing == 1 else ''}")
        if ev != prev:
            console.print(f"  {r.year} {r.code_a}-{r.code_b}  {ev}", highlight=False, soft_wrap=True)
        prev = ev
    for n in df.attrs.get("notes", []):
        console.print(f"[yellow]note[/] {n}", soft_wrap=True)
    console.print("[dim]sources: UN votes (ideal points, agreement); Passport Index; CEPII BACI (energy and minerals); COW IGO; ATOP "
                  "and multipolar's treaty list; GML MID; COW wars, UCDP/PRIO; GSDB and multipolar's sanctions list; SIPRI. "
                  "– = no data (never imputed). Versions: `multipolar data status`. Rules: multipolar.relations.RULES[/]")
    if out:
        _write_table(df, out)
        console.print(f"wrote {out}")


def _read_all(path: Path, date: Optional[str]):
    """Read a file or a folder's texts, with a progress bar for a folder."""
    from rich.progress import Progress
    from .text.read import load_file, read
    if path.is_dir():
        files = sorted(f for f in path.rglob("*") if f.suffix.lower() in (".txt", ".md", ".html", ".htm", ".pdf"))
        if not files:
            raise InputError("no .txt, .md, .html or .pdf file in the folder", file=str(path), expected="texts to read", hint="check the folder")
    else:
        files = [path]
    docs = []
    with Progress(console=_console(stderr=True), transient=True, disable=len(files) < 2) as pr:
        task = pr.add_task("reading", total=len(files))
        for f in files:
            t, d = load_file(f)
            docs.append(read(t, date=date or d, title=f.stem, path=str(f)))
            pr.advance(task)
    return docs


def _write_json(docs, out: Optional[Path]) -> None:
    """A JSON list of the documents, written one document at a time (a folder of texts is not held twice in memory)."""
    f = out.open("w", encoding="utf-8") if out else sys.stdout
    try:
        f.write("[")
        for i, d in enumerate(docs):
            f.write(("," if i else "") + "\n" + json.dumps(d.to_dict(), ensure_ascii=False, default=str))
        f.write("\n]\n")
    finally:
        if out:
            f.close()
    if out:
        console.print(f"wrote {out}")


def _print_doc(doc, checked: bool) -> None:
    console.print(f"[bold]{doc.path or doc.title}[/]  date: {doc.date or 'none given (names resolved as of today)'}; "
                  f"{len(doc.sentences)} sentences, {len(doc.actors)} actor mentions, {len(doc.events)} events, {len(doc.claims)} claims",
                  highlight=False, soft_wrap=True)
    if not checked:
        acts = {}
        for m in doc.actors:
            acts.setdefault(m.code or f"? {m.text}", set()).add(m.text)
        console.print("  actors: " + "; ".join(f"{k} ({', '.join(sorted(v))})" for k, v in acts.items()), highlight=False, soft_wrap=True)
        for e in doc.events:
            console.print(f"  event  {e.date or '-'}  {e.source} {e.cameo_code} ({e.plover}, quad {e.quad_class}) {e.target}  "
                          f"[dim]{e.verb}: {e.text[:90]}[/]", highlight=False, soft_wrap=True)
    for c in doc.claims:
        ch = c.check or {}
        v = ch.get("verdict")
        colour = {"supported": "green", "contradicted": "red", "not checkable": "yellow"}.get(v, "white")
        what = c.relation or c.measure or ""
        head = f"  claim  [{colour}]{v or c.kind}[/]  “{c.text}” {what} {'-'.join(c.states)} {','.join(map(str, c.years))}"
        console.print(head, highlight=False, soft_wrap=True)
        if v:
            tol = ch.get("query", {}).get("tolerance")
            console.print(f"         {ch.get('reason', '')}" + (f" (tolerance {tol})" if tol else ""), highlight=False, soft_wrap=True)
    for u in doc.unmatched:
        console.print(f"  [yellow]unmatched name[/] {u['text']}: {u['note']}", highlight=False)
    for n in doc.notes:
        console.print(f"  [yellow]note[/] {n}", highlight=False, soft_wrap=True)


@app.command("read")
def read_cmd(path: Path = typer.Argument(..., help="A .txt, .md, .html or .pdf file, or a folder of them."),
             date: Optional[str] = typer.Option(None, "--date", help="Publication date YYYY-MM-DD when the text has no `Date:` line."),
             fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
             out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the JSON here.")):
    """Read texts: actors (resolved by the text's date), events (CAMEO, PLOVER, quad class) and claims, unchecked."""
    try:
        docs = _read_all(path, date)
    except MultipolarError as e:
        _fail(e)
    if fmt == "json" or out:
        _write_json(docs, out)
        return
    for d in docs:
        _print_doc(d, checked=False)


@app.command("check")
def check_cmd(path: Path = typer.Argument(..., help="A .txt, .md, .html or .pdf file, or a folder of them."),
              out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the checked text (.html) or the claims (.json)."),
              fmt: Optional[str] = typer.Option(None, "--format", "-f", help="html or json (default: from --out's suffix; else printed)."),
              date: Optional[str] = typer.Option(None, "--date", help="Publication date YYYY-MM-DD when the text has no `Date:` line."),
              db: Optional[Path] = DB):
    """Check every claim against the warehouse: supported, contradicted or not checkable, with the query and evidence."""
    from .text import check_documents
    try:
        docs = _read_all(path, date)
        ck = check_documents(docs, db=db)
    except MultipolarError as e:
        _fail(e)
    fmt = fmt or (out.suffix.lstrip(".").lower() if out else "text")
    if fmt in ("html", "htm"):
        from .text.html import write_html
        write_html(docs, out or Path("checked.html"))
        console.print(f"wrote {out or 'checked.html'}")
    elif fmt == "json":
        _write_json(docs, out)
    else:
        for d in docs:
            _print_doc(d, checked=True)
    n = [c.check["verdict"] for d in docs for c in d.claims if c.check]
    console.print(f"[dim]{len(n)} claims: {n.count('supported')} supported, {n.count('contradicted')} contradicted, "
                  f"{n.count('not checkable')} not checkable. Rules and tolerances: multipolar.text.check[/]", highlight=False)
    for note in ck.notes:
        if "missing, not zero" in note or "no full trade" in note:
            console.print(f"[dim]note {note}[/]", highlight=False, soft_wrap=True)


@app.command("poles")
def poles_cmd(years: Optional[str] = typer.Argument(None, help="Years FIRST:LAST (default 1946 to the latest with data; a range "
                                                    "beyond the data is clipped to them, with a note)."),
              out: Optional[Path] = typer.Option(None, "--out", "-o", help="Also write the table (.parquet, .csv, .dta)."),
              pole_rule: Optional[float] = typer.Option(None, "--pole-rule", help="A great power is a pole when its military spending is at "
                                                        "least this fraction of the leader's (default 0.37; see multipolar.structure.polarity)."),
              db: Optional[Path] = DB):
    """Polarity among the great powers (COW major powers): effective number, Ray–Singer concentration, the leader's
    share and the runner-up's ratio of military spending, and the reading; the all-state numbers as diversity indices."""
    from .structure import poles
    from .structure.polarity import POLE_RULE
    try:
        df = poles(years, db=db, pole_rule=pole_rule)
    except MultipolarError as e:
        _fail(e)
    if df.empty:
        _fail(MultipolarError("no capability or GDP data: import COW NMC, WDI or Maddison (`multipolar data import ../shared/data`)"))
    rule = pole_rule if pole_rule is not None else POLE_RULE
    t = Table(title=f"Polarity among the great powers, by military spending (a pole spends at least {rule:.2f} of the leader)")
    for c in ("year", "reading", "poles", "N", "CON", "lead", "2nd", "3rd", "diversity"):
        t.add_column(c, justify="left" if c in ("reading", "poles") else "right", no_wrap=c != "poles",
                     min_width=4 if c not in ("reading", "poles") else None)
    import pandas as pd

    def f(v, fmt="{:.2f}"):
        return fmt.format(v) if pd.notna(v) else "–"
    for r in df.itertuples(index=False):
        t.add_row(str(r.year), r.reading if isinstance(r.reading, str) else "–", r.poles if isinstance(r.poles, str) else "–",
                  f(r.gp_effective_n), f(r.gp_concentration), f(r.gp_leader_share), f(r.runner_up_ratio), f(r.third_ratio),
                  f(r.enp_cinc, "{:.1f}"))
    console.print(t)
    console.print("N: effective number of great powers; CON: Ray–Singer concentration (0 equal, 1 one holds all); lead: the leader's "
                  "share of the great powers' spending; 2nd, 3rd: the runner-up's and the third's spending over the leader's; "
                  "diversity: Laakso–Taagepera over every state's CINC share (a diversity index, not a count of poles)",
                  soft_wrap=True, highlight=False)
    spans, prev = [], None
    for r in df.itertuples(index=False):
        if r.great_powers != prev:
            spans.append([r.year, r.year, r.great_powers])
            prev = r.great_powers
        else:
            spans[-1][1] = r.year
    console.print("great powers (COW major powers): " + "; ".join(f"{a}–{b} {g}" if a != b else f"{a} {g}" for a, b, g in spans if g)
                  + (f"; the COW list ends in {int(df.loc[~df['great_powers_carried'], 'year'].max())}, carried after it"
                     if df["great_powers_carried"].any() and (~df["great_powers_carried"]).any() else ""),
                  soft_wrap=True, highlight=False)
    for n in df.attrs.get("notes", []):
        console.print(f"[yellow]note[/] {n}", soft_wrap=True, highlight=False)
    console.print("[dim]sources: COW major powers; COW National Material Capabilities (military expenditure, CINC); Maddison Project 2023 "
                  "(GDP, 2011 PPP$). Method: multipolar.structure.polarity (Ray & Singer 1973; Laakso & Taagepera 1979)[/]")
    if out:
        _write_table(df, out)


@app.command("triangle")
def triangle_cmd(a: str, b: str, c: str, years: Optional[str] = typer.Option(None, "--years", "-y"),
                 threshold: float = typer.Option(0.0, "--threshold", help="Closeness above which a relation without a decisive type is friendly."),
                 out: Optional[Path] = typer.Option(None, "--out", "-o"), db: Optional[Path] = DB):
    """A strategic triangle per year: Dittmer type, pivot or pariah, balance, dated changes."""
    from .structure import triangle
    try:
        df = triangle(a, b, c, years, db=db, threshold=threshold)
    except MultipolarError as e:
        _fail(e)
    if df.empty:
        _fail(MultipolarError("no year in which all three relations are known"))
    s = df.attrs["states"]
    t = Table(title=f"The {'–'.join(s)} triangle (+ friendly, − hostile, 0 neutral: the closeness interval spans {threshold:g})")
    for col in ("year", f"{s[0]}-{s[1]}", f"{s[0]}-{s[2]}", f"{s[1]}-{s[2]}", "type", "pivot / pariah / third", "share of draws",
                "balanced", "change"):
        t.add_column(col)
    import pandas as pd
    for _, r in df.iterrows():
        sg = [r[k] for k in df.columns[1:4]]
        t.add_row(str(r["year"]), *["+" if x > 0 else "−" if x < 0 else "0" for x in sg], r["type"], r["pivot_or_pariah"] or "",
                  f"{r['type_share']:.2f}" if pd.notna(r.get("type_share")) else "–",
                  "–" if r["balanced"] is None or pd.isna(r["balanced"]) else ("yes" if r["balanced"] else "no"),
                  "◀ changed" if r.get("changed") else "")
    console.print(t)
    ch = df[df["changed"]]
    if len(ch):
        console.print("changes: " + "; ".join(f"{r.year}: {r.type}{' (' + r.pivot_or_pariah + ')' if r.pivot_or_pariah else ''}" for r in ch.itertuples()),
                      highlight=False)
    for n in df.attrs.get("notes", []):
        console.print(f"[yellow]note[/] {n}", soft_wrap=True, highlight=False)
    console.print("[dim]signs from the relation types and the closeness intervals of `multipolar relation` (neutral when the 90% interval "
                  "spans the threshold); typology: Dittmer (1981), triangles with a neutral link named as signed graphs with that link "
                  "absent (Cartwright & Harary 1956); share of draws: the probability of the type from the links' intervals; "
                  "balance: Heider (1946)[/]")
    if out:
        from .structure import with_parameters
        _write_table(with_parameters(df), out)


@app.command("triangles")
def triangles_cmd(year: int, top: int = typer.Option(20, "--top"), db: Optional[Path] = DB):
    """The most unbalanced triads among the major powers and the G20 in a year."""
    from .structure import balance, triangles_ranked
    try:
        bal, sg = balance(f"{year}:{year}", db=db, return_signs=True)     # the year's dyads, built once for both
        df = triangles_ranked(year, top, db=db, signs=sg)
    except MultipolarError as e:
        _fail(e)
    if len(bal):
        b = bal.iloc[0]
        console.print(f"structural balance in {year}: {b.balanced_share:.1%} of {int(b.triads):,} triads among {int(b.states)} states are balanced (Heider)")
    t = Table(title=f"Unbalanced triads in {year}, most tense first")
    for col in ("triad", "signs", "type", "pivot / pariah", "tension"):
        t.add_column(col)
    for r in df.itertuples(index=False):
        t.add_row(r.triad, r.signs, r.type, r.pivot_or_pariah or "", f"{r.tension:.3f}")
    console.print(t)


@app.command("blocs")
def blocs_cmd(years: str = typer.Argument(..., help="A year or FIRST:LAST."),
              method: str = typer.Option("ideal-points", "--method", "-m", help="ideal-points (the IMF split) or network (Leiden)."),
              boot: Optional[int] = typer.Option(None, "--boot", help="Bootstrap replicates (default 200; 50 per year for network ranges)."),
              tau: float = typer.Option(1 / 3, "--tau", help="Ideal-point split, --cut band: the share of the US-China half-span "
                                        "around the midpoint that counts as nonaligned."),
              cut: str = typer.Option("side", "--cut", help="Ideal-point split: band (nonaligned: the middle of the US-China span, "
                                      "--tau; the IMF style) or side (the side of the US-China midpoint; nonaligned: the states the "
                                      "posterior cannot place on one side)."),
              seed: int = typer.Option(0, "--seed"),
              out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write every state-year's probabilities (.parquet, .csv, .dta)."),
              robust: bool = typer.Option(False, "--robust", help="Recompute the split under each issue area, the important votes "
                                          "and one- vs three-session windows: how often each state changes bloc, the range per "
                                          "year (with --method network: the network blocs too)."),
              compare: bool = typer.Option(False, "--compare", help="Both methods side by side for 25 major states, with "
                                           "their probabilities, and where they differ."),
              db: Optional[Path] = DB):
    """Each state's bloc, with the probability of that membership; the swing states.

    \b
    multipolar blocs 2021
    multipolar blocs 2021 --robust                 (does the bloc depend on the votes counted?)
    multipolar blocs 2019 --compare                (ideal-point split vs network blocs, 25 major states)
    """
    if robust and compare:
        _fail(InputError("--robust and --compare are two views: give one", hint="run the command twice"))
    if cut == "side" and abs(tau - 1 / 3) > 1e-9:
        _fail(InputError("--tau sets the width of the fixed middle band of --cut band; the default --cut side has none",
                         hint=f"write --cut band --tau {tau:g}"))
    if robust:
        return _blocs_robust(years, method, boot, tau, seed, out, db, cut)
    if compare:
        return _blocs_compare(years, boot, tau, seed, out, db, cut)
    from .structure import blocs
    try:
        summ, prob = blocs(years, method=method, db=db, n_boot=boot, seed=seed, tau=tau, cut=cut)
    except (MultipolarError, ValueError) as e:
        _fail(e)
    last = summ["year"].max()
    s = summ[summ["year"] == last]
    t = Table(title=f"Blocs in {last} ({method}, {summ.attrs['n_boot']} bootstrap replicates, seed {seed})")
    for c in ("bloc", "states", "members (most likely bloc, probability ≥ 0.8)"):
        t.add_column(c, overflow="fold")
    for b, g in s.groupby("bloc"):
        sure = g[~g["swing"]].sort_values("code")
        t.add_row(b, str(len(g)), " ".join(sure["code"]))
    console.print(t)
    sw = s[s["swing"]].sort_values("probability")
    if len(sw):
        t2 = Table(title=f"Swing states in {last}: most likely bloc below 0.8")
        for c in ("state", "most likely", "p", "runner-up", "p "):
            t2.add_column(c)
        for r in sw.itertuples(index=False):
            t2.add_row(r.code, r.bloc, f"{r.probability:.2f}", str(r.runner_up), f"{r.runner_up_probability:.2f}")
        console.print(t2)
    if summ["year"].nunique() > 1:
        console.print(summ.groupby(["year", "bloc"]).size().unstack(fill_value=0).to_string())
    for n in summ.attrs.get("notes", []):
        console.print(f"[yellow]note[/] {n}", soft_wrap=True, highlight=False)
    if out:
        from .structure import with_parameters
        _write_table(with_parameters(prob), out)
        console.print(f"wrote {out}")


def _blocs_robust(years, method, boot, tau, seed, out, db, cut="side"):
    from .structure.robustness import MAJOR_STATES, STABLE_SHARE
    try:
        st, yt, vt = api.bloc_robustness(years, db=db, network=method == "network", tau=tau, n_boot=boot or 100, seed=seed, cut=cut)
    except (MultipolarError, ValueError) as e:
        _fail(e)
    net = method == "network"
    for y, v in vt.groupby("year"):
        t = Table(title=f"The votes counted, {y}: the ideal-point split under each variant (issue area / sessions in the window)")
        for c in ("variant", "roll calls", "US-leaning", "nonaligned", "China-leaning", *(["network blocs"] if net else []),
                  "values F", "note"):
            t.add_column(c, overflow="fold")
        for r in v.to_dict("records"):
            ok = r.get("states") == r.get("states") and r.get("states") is not None
            t.add_row(r["variant"], str(r["roll_calls"]), *([str(int(r[f"n_{b}"])) for b in ("US-leaning", "nonaligned", "China-leaning")]
                                                            if ok else ["–"] * 3),
                      *([str(int(r["network_blocs"])) if ok else "–"] if net else []),
                      f"{r['values_F']:.2f}" if ok and r["values_F"] == r["values_F"] else "–", str(r.get("note") or "") if not ok else "")
        console.print(t)
    t = Table(title="Per year: the range of outcomes across the variants")
    cols = ["year", "states", "variants", "change bloc in ≥1 variant", "bloc depends on the votes",
            "US-leaning (min-max)", "nonaligned (min-max)", "China-leaning (min-max)", "values F (min-max)"]
    for c in cols:
        t.add_column(c)
    for r in yt.to_dict("records"):
        rng_ = lambda b: f"{r[f'n_{b}']} ({r.get(f'n_{b}_min', '–')}-{r.get(f'n_{b}_max', '–')})"  # noqa: E731
        t.add_row(str(r["year"]), str(r["states"]), f"{r['variants']} (+{r['variants_without_estimate']} without)",
                  str(r["changing_states"]), str(r["depends_on_votes"]), rng_("US-leaning"), rng_("nonaligned"), rng_("China-leaning"),
                  f"{r['values_F']:.2f} ({r['values_F_min']:.2f}-{r['values_F_max']:.2f})")
    console.print(t)
    last = st[st["year"] == st["year"].max()]
    major = last[last["code"].isin(MAJOR_STATES)].set_index("code").reindex([c for c in MAJOR_STATES if c in set(last["code"])])
    t = Table(title=f"Major states in {int(st['year'].max())}: baseline bloc (p) and how often the variants put them elsewhere "
                    f"(! = the bloc depends on the votes counted: the baseline bloc in fewer than {STABLE_SHARE:.0%} of the variants)")
    for c in ("state", "bloc (p)", "changes", "blocs seen", *(["network bloc", "changes "] if net else [])):
        t.add_column(c, overflow="fold")
    for code, r in major.iterrows():
        t.add_row(("! " if r["depends_on_votes"] else "  ") + code, f"{r['bloc']} ({r['probability']:.2f})",
                  f"{int(r['n_changes'])} of {int(r['n_variants'])}", r["blocs_seen"],
                  *([("! " if r["network_depends_on_votes"] else "") + str(r["network_bloc"]),
                     f"{int(r['network_n_changes'])} of {int(r['network_n_variants'])}"] if net else []))
    console.print(t)
    dep = last[last["depends_on_votes"]].sort_values("share_same")
    console.print(f"{len(dep)} of {len(last)} states: the bloc depends on the votes counted: " + " ".join(dep["code"]), soft_wrap=True)
    for n in st.attrs.get("notes", []):
        console.print(f"[yellow]note[/] {n}", soft_wrap=True, highlight=False)
    if out:
        from .structure import with_parameters
        _write_table(with_parameters(st), out)
        console.print(f"wrote {out} (one row per state and year)")


def _blocs_compare(years, boot, tau, seed, out, db, cut="side"):
    try:
        df = api.compare_blocs(years, db=db, n_boot=boot, seed=seed, tau=tau, cut=cut)
    except (MultipolarError, ValueError) as e:
        _fail(e)
    for y, g in df.groupby("year"):
        t = Table(title=f"Blocs of 25 major states in {y}: the ideal-point split (--cut {df.attrs.get('cut')}) vs the network "
                        "blocs (probability)")
        for c in ("state", "ideal-point split", "p", "network", "p ", "same side"):
            t.add_column(c)
        for r in g.to_dict("records"):
            same = r["same_side"]
            t.add_row(r["code"], str(r["ideal_points_bloc"] if r["ideal_points_bloc"] == r["ideal_points_bloc"] else "–"),
                      f"{r['ideal_points_p']:.2f}" if r["ideal_points_p"] == r["ideal_points_p"] else "",
                      str(r["network_bloc"] if r["network_bloc"] == r["network_bloc"] else "–"),
                      f"{r['network_p']:.2f}" if r["network_p"] == r["network_p"] else "",
                      "" if same is None else ("yes" if same else "[bold]no[/]"))
        console.print(t)
    if df["year"].nunique() > 1:
        diff = df[df["same_side"].eq(False)]
        console.print("differ (state: years): " + "; ".join(f"{c}: {', '.join(str(y) for y in sorted(g['year']))}"
                                                            for c, g in diff.groupby("code", sort=False)), soft_wrap=True)
    for n in df.attrs.get("notes", []):
        console.print(f"[yellow]note[/] {n}", soft_wrap=True, highlight=False)
    if out:
        _write_table(df, out)
        console.print(f"wrote {out}")


@app.command("trends")
def trends_cmd(years: Optional[str] = typer.Option(None, "--years", "-y", help="Years FIRST:LAST (default: from the first to the last "
                                                   "year in which any process has data)."),
               blocs_year: Optional[int] = typer.Option(None, "--blocs-year", help="The year whose blocs are held fixed (default: the last full UN session)."),
               method: str = typer.Option("ideal-points", "--method", "-m", help="How the fixed blocs are formed: ideal-points or network."),
               out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the scoreboard table (.parquet, .csv, .dta)."),
               chart: Optional[Path] = typer.Option(None, "--chart", help="Write the chart as a standalone SVG file."),
               db: Optional[Path] = DB):
    """De-globalization along five processes: ties within blocs against across them, per year."""
    import pandas as pd
    from .structure import trends
    from .structure.fragmentation import chart_svg
    try:
        sb = trends(years, db=db, blocs_year=blocs_year, method=method)
    except MultipolarError as e:
        _fail(e)
    piv = sb.pivot(index="year", columns="process", values="fragmentation")[list(dict.fromkeys(sb["process"]))]
    t = Table(title=f"De-globalization along five processes: fragmentation F = 1 - across/within "
                    f"(blocs of {sb.attrs['blocs_year']}, {sb.attrs['method']}; – no data)")
    t.add_column("year")
    for c in piv.columns:
        t.add_column(c, justify="right")
    for y, r in piv.iterrows():
        t.add_row(str(y), *[("–" if pd.isna(v) else f"{v:+.2f}") for v in r])
    console.print(t)
    for proc, g in sb.groupby("process", sort=False):
        g = g.dropna(subset=["fragmentation"])
        if len(g) >= 2:
            a, b = g.iloc[0], g.iloc[-1]
            console.print(f"  {proc:<13} {int(a.year)} {a.fragmentation:+.2f} → {int(b.year)} {b.fragmentation:+.2f}  "
                          f"({'more divided' if b.fragmentation > a.fragmentation else 'less divided'}; {int(b.pairs_across):,} pairs across, "
                          f"{int(b.pairs_within):,} within in {int(b.year)})", highlight=False)
        else:
            console.print(f"  {proc:<13} too few years with data", highlight=False)
    for n in sb.attrs.get("notes", []):
        console.print(f"[yellow]note[/] {n}", soft_wrap=True, highlight=False)
    if out:
        from .structure import with_parameters
        _write_table(with_parameters(sb), out)
        console.print(f"wrote {out}")
    if chart:
        chart.write_text(chart_svg(sb, "De-globalization along five processes"))
        console.print(f"wrote {chart}")


gravity_app = typer.Typer(help="Structural gravity: PPML estimates and general-equilibrium counterfactuals.", no_args_is_help=True)
app.add_typer(gravity_app, name="gravity")


@gravity_app.command("replicate")
def gravity_replicate(name: str = typer.Argument(..., help="yotov2016-borders or yotov2016-nafta"),
                      out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the per-country table (.csv, .parquet, .dta)."),
                      data: Optional[Path] = typer.Option(None, "--data", help="Folder with Chapter2Application1/2.dta (default ../shared/data/gravity)."),
                      sigma: float = typer.Option(7.0, "--sigma", help="Elasticity of substitution (the book: 7)."),
                      tol: float = typer.Option(1e-10, "--tol", help="Convergence tolerance of the GE solver.")):
    """Reproduce a general-equilibrium application of Yotov et al. (2016), ch. 2, with multipolar's own
    estimator and solver: % changes per country in exports (conditional, full), producer prices,
    the inward multilateral resistance and real GDP."""
    from .gravity.ge import NotConverged
    from .gravity.replicate import replicate
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
    from .dimensions.values import parse_years
    from .gravity.ge import NotConverged
    from .gravity.panel import fit
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
    from .gravity import backtest as BT
    from .gravity.ge import NotConverged
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
                from .dimensions.values import parse_years
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
    from .gravity import fragmentation as FR
    from .gravity.ge import NotConverged
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


@app.command()
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
    from .gravity import scenarios as SC
    from .gravity.ge import NotConverged
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


events_app = typer.Typer(help="Event streams (GDELT, ICEWS, POLECAT, Phoenix) to dyad-month series: a Parquet lake, DuckDB or Spark.",
                         no_args_is_help=True)
app.add_typer(events_app, name="events")
LAKE = typer.Option(None, "--lake", help="The event lake folder (default: $MULTIPOLAR_EVENTS_LAKE, or beside the warehouse: NAME.events/).")


@events_app.command("import")
def events_import(paths: List[Path] = typer.Argument(..., help="Event files or folders (zipped or not)."),
                  force: bool = typer.Option(False, "--force", help="Read a file again even if it was imported before (its records are found already held)."),
                  db: Optional[Path] = DB, lake: Optional[Path] = LAKE):
    """Import event files; only the months they touch are rewritten and recomputed. Exit 1 when a file failed."""
    from rich.markup import escape
    from . import events
    try:
        reports = events.import_events(paths, db=db, lake=lake, force=force,
                                       progress=lambda line: console.print(escape(line), soft_wrap=True, highlight=False))
    except MultipolarError as e:
        _fail(e)
    n = {s: sum(r.status == s for r in reports) for s in ("imported", "unchanged", "skipped", "error")}
    console.print(", ".join(f"{v} {k}" for k, v in n.items()))
    if n["error"]:
        raise typer.Exit(1)


@events_app.command("aggregate")
def events_aggregate(freq: str = typer.Option("month", "--freq", help="month (stored in the warehouse) or year (printed or written)."),
                     engine: str = typer.Option("duckdb", "--engine", help="duckdb (embedded) or spark."),
                     master: str = typer.Option("local[*]", "--master", help="Spark master: local[*], spark://HOST:7077, or sc://HOST:15002 (Spark Connect)."),
                     out: Optional[Path] = typer.Option(None, "--out", "-o", help="Also write the series (.parquet or .csv)."),
                     db: Optional[Path] = DB, lake: Optional[Path] = LAKE):
    """Recompute every dyad-month from the lake (the same expression on either engine) and store it."""
    import time
    from . import events
    t0 = time.perf_counter()
    try:
        df = events.aggregate(db=db, lake=lake, engine=engine, master=master, freq=freq)
    except MultipolarError as e:
        _fail(e)
    dt = time.perf_counter() - t0
    if out:
        _write_table(df, out)
    console.print(f"{len(df):,} dyad-{freq}s from {int(df['records'].sum()):,} records ({int(df['events'].sum()):,} events between two states "
                  f"after deduplication) on {engine}{' ' + master if engine == 'spark' else ''} in {dt:.1f} s"
                  + (f"; written to {out}" if out else "") + ("" if freq == "year" else "; stored in event_dyad_month"))
    console.print(f"note: {events.VOLUME_CAVEAT}", soft_wrap=True, highlight=False)


@events_app.command("dyad")
def events_dyad(a: str = typer.Argument(..., help="State A (name or code)."), b: str = typer.Argument(..., help="State B."),
                years: Optional[str] = typer.Option(None, "--years", "-y", help="Years FIRST:LAST or a year."),
                freq: str = typer.Option("month", "--freq", help="month or year."),
                out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the table (.parquet or .csv)."),
                db: Optional[Path] = DB):
    """One pair's event series in both directions, with the sources and the duplicates removed."""
    from . import events
    try:
        df, notes = events.dyad(a, b, years, db=db, freq=freq)
    except (MultipolarError, LookupError) as e:
        _fail(e)
    if out:
        _write_table(df, out)
    if df.empty:
        console.print("no events of this pair in the imported files")
    else:
        if "month" in df.columns:
            df = df.assign(year=[f"{int(y)}-{int(m):02d}" for y, m in zip(df["year"], df["month"])]).drop(columns="month").rename(columns={"year": "month"})
        t = Table(title=f"events {a} / {b}", show_lines=False)
        for c in df.columns:
            t.add_column(str(c), no_wrap=c in ("source", "month", "year"), overflow="fold")
        for r in df.itertuples(index=False):
            t.add_row(*["" if (isinstance(v, float) and v != v) or v is None else (f"{v:.3f}" if isinstance(v, float) else str(v)) for v in r])
        console.print(t)
    for n in notes:
        console.print(f"note: {n}", soft_wrap=True, highlight=False)


snapshot_app = typer.Typer(help="The embedded snapshot that the package ships.", no_args_is_help=True)
app.add_typer(snapshot_app, name="snapshot")


@snapshot_app.command("build")
def snapshot_build(shared: Optional[Path] = typer.Option(None, "--shared", help="Folder of public data (default: $MULTIPOLAR_SHARED or ../shared/data)."),
                   out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default: the package's snapshot folder).")):
    """Rebuild the embedded snapshot from the public sources (one command). The files are written to a temporary
    folder and swapped in when all are written: a failed build leaves the snapshot as it was. A snapshot built
    elsewhere (--out) is read when MULTIPOLAR_SNAPSHOT names its folder."""
    try:
        path = api.build_snapshot(shared, out)
    except MultipolarError as e:
        _fail(e)
    console.print(f"snapshot written to {path}")


def main():
    app()


if __name__ == "__main__":
    main()
