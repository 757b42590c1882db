"""`multipolar data`: import public datasets into the warehouse and see what it holds."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table

from ..errors import MultipolarError
from ._common import DB, FORMAT, YEARS, _fail, api, check_format, console, emit, err


data_app = typer.Typer(help="Import public datasets into the warehouse and see what it holds.", no_args_is_help=True)


@data_app.command("import")
def data_import(paths: List[Path] = typer.Argument(..., help="Files or folders; folders are searched recursively."),
                source: Optional[str] = typer.Option(None, "--source", "-s", help="Name the source instead of recognising files by content (see `multipolar data sources`)."),
                force: bool = typer.Option(False, "--force", help="Import again even if the same file was imported before."),
                replace: bool = typer.Option(False, "--replace", help="Let an import replace rows even when the table would shrink "
                                             "(rows, years, states) or change shape (columns); it says what changes, before → after."),
                jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="Parser processes (default: number of CPUs, at most 4)."),
                fmt: str = FORMAT, db: Optional[Path] = DB):
    """Import every file it recognises; print what it imported, what it skipped or refused, and why.

    Exit status: 0 when everything asked for was imported or unchanged (files inside a folder that are not
    data, or that no reader recognises, are skipped and counted); 1 when a file failed, was refused, or a
    file named on the command line was skipped; 130 (Ctrl-C) or 143 (SIGTERM) when interrupted, after
    saying which files were kept."""
    import signal

    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from ..warehouse import Interrupted
    fmt = check_format(fmt)
    wpath = api.warehouse_path(db)
    for p in paths:
        if not p.exists():
            _fail(FileNotFoundError(f"{p}: no such file or folder"))
    files = api.data_files(paths)
    named = {str(p) for p in paths if not p.is_dir()}

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
            reports += api.import_data(*paths, source=source, force=force, replace=replace, jobs=jobs, db=db,
                                       progress=lambda f, r: prog.update(task, advance=1, description=f"{f.name[:40]}"))
    except (Interrupted, KeyboardInterrupt) as e:
        signal.signal(signal.SIGTERM, old_term)
        sig = getattr(e, "signal_name", "SIGINT")
        done = reports + list(getattr(e, "reports", []))
        try:        # what the warehouse holds from this run: the files whose write committed
            kept = api.imported_since(started, db)
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
    if fmt != "table":
        import pandas as pd
        emit(pd.DataFrame([{"status": r.status, "file": r.file, "source": r.source, "rows_kept": r.rows_kept,
                            "rejected": json.dumps(r.rejected or {}), "seconds": r.seconds, "message": r.message} for r in reports]), fmt)
        if any(r.status in ("error", "refused") or (r.status == "skipped" and r.file in named) for r in reports):
            raise typer.Exit(1)
        return
    t = Table(title=f"Import into {wpath}", show_lines=False)
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
        line = api.vote_match_report(db)
        if line:
            console.print(line, soft_wrap=True, highlight=False)
    n = {s: sum(r.status == s for r in reports) for s in colours}
    skipped = [r for r in reports if r.status == "skipped"]
    skipped_named = [r for r in skipped if r.file in named]
    not_data = sum(api.not_data(r.file) for r in skipped if r.file not in named)
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
                years: Optional[str] = YEARS("every import; with years, the imports whose data overlap them"),
                fmt: str = FORMAT, out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the table (.parquet, .csv, .dta, .json)."),
                as_json: bool = typer.Option(False, "--json", hidden=True, help="Deprecated: --format json.")):
    """What is loaded: source, version, file sha256, rows, years, countries, when."""
    try:
        df = api.status(db, all_imports=all_imports, years=years)
    except MultipolarError as e:
        _fail(e)
    if emit(df, "json" if as_json else fmt, out):
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
def data_sources(fmt: str = FORMAT, out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the table (.parquet, .csv, .dta, .json).")):
    """The readers and the short names that --source takes."""
    if emit(api.list_sources(), fmt, out):
        return
    t = Table(title="Sources multipolar reads")
    for c in ("source", "title", "tables", "licence"):
        t.add_column(c, overflow="fold")
    for r in api.list_sources().itertuples(index=False):
        t.add_row(r.source, r.title, r.tables, r.license)
    console.print(t)
