"""The command line: a thin face on :mod:`multipolar.api` (every command calls one function)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

from . import api
from .errors import MultipolarError

app = typer.Typer(help="multipolar: the fragmenting international system in numbers.", no_args_is_help=True, add_completion=False)
data_app = typer.Typer(help="Import public datasets into the warehouse and see what it holds.", no_args_is_help=True)
app.add_typer(data_app, name="data")
console = Console()
err = Console(stderr=True)

DB = typer.Option(None, "--db", help="Warehouse file (default: $MULTIPOLAR_DB or the user data directory).")


def _fail(e: Exception) -> None:
    err.print(f"[bold red]error:[/] {e}")
    raise typer.Exit(2)


@data_app.command("import")
def data_import(paths: List[Path] = typer.Argument(..., help="Files or folders; folders are searched recursively."),
                source: Optional[str] = typer.Option(None, "--source", "-s", help="Name the source instead of recognising files by content (see `multipolar data sources`)."),
                force: bool = typer.Option(False, "--force", help="Import again even if the same file was imported before."),
                jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="Parser processes (default: number of CPUs)."),
                db: Optional[Path] = DB):
    """Import every file it recognises; print what it imported and what it skipped, and why."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from .warehouse import Warehouse
    w = Warehouse(db)
    files = []
    for p in paths:
        if not p.exists():
            _fail(FileNotFoundError(f"{p}: no such file or folder"))
        files += sorted(x for x in p.rglob("*") if x.is_file() and not x.name.startswith(".")) if p.is_dir() else [p]
    reports = []
    try:
        with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True, disable=not err.is_terminal) as prog:
            task = prog.add_task("importing", total=len(files))
            for p in paths:
                reports += w.import_path(p, source=source, force=force, jobs=jobs,
                                         progress=lambda f, r: prog.update(task, advance=1, description=f"{f.name[:40]}"))
    except MultipolarError as e:
        _fail(e)
    t = Table(title=f"Import into {w.path}", show_lines=False)
    for c in ("status", "file", "source", "rows kept", "rejected (why)", "s"):
        t.add_column(c, overflow="fold")
    colours = {"imported": "green", "unchanged": "cyan", "skipped": "yellow", "error": "red"}
    for r in reports:
        rej = ", ".join(f"{k}: {v:,}" for k, v in r.rejected.items() if v) if r.rejected else ""
        t.add_row(f"[{colours[r.status]}]{r.status}[/]", Path(r.file).name, r.source or "", f"{r.rows_kept:,}" if r.rows_kept else "",
                  rej, f"{r.seconds:.1f}")
    console.print(t)
    for status in ("unchanged", "skipped", "error"):
        for r in reports:
            if r.status == status:
                console.print(f"[{colours[status]}]{status}[/] {r.file}: {r.message}", soft_wrap=True, highlight=False)
    n = {s: sum(r.status == s for r in reports) for s in colours}
    console.print(f"{n['imported']} imported, {n['unchanged']} unchanged, {n['skipped']} skipped, {n['error']} errors")
    if n["error"] and not n["imported"] and not n["unchanged"]:
        raise typer.Exit(1)


@data_app.command("status")
def data_status(db: Optional[Path] = DB, all_imports: bool = typer.Option(False, "--all", help="Include superseded imports."),
                as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")):
    """What is loaded: source, version, file sha256, rows, years, countries, when."""
    df = api.status(db, all_imports=all_imports)
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
def report(out: Path = typer.Option(Path("multipolar-report.html"), "--out", "-o", help="HTML file to write."), db: Optional[Path] = DB):
    """Write the offline HTML report (on the warehouse, or on the embedded snapshot when it is empty)."""
    try:
        path = api.write_report(out, db=db)
    except MultipolarError as e:
        _fail(e)
    console.print(f"wrote {path} ({path.stat().st_size / 1e3:.0f} kB)")


snapshot_app = typer.Typer(help="The embedded snapshot that the package ships.", no_args_is_help=True)
app.add_typer(snapshot_app, name="snapshot")


@snapshot_app.command("build")
def snapshot_build(shared: Optional[Path] = typer.Option(None, "--shared", help="Folder of public data (default: $MULTIPOLAR_SHARED or ../shared/data)."),
                   out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default: the package's snapshot folder).")):
    """Rebuild the embedded snapshot from the public sources (one command)."""
    from .snapshot import build_snapshot
    try:
        path = build_snapshot(shared, out)
    except MultipolarError as e:
        _fail(e)
    console.print(f"snapshot written to {path}")


def main():
    app()


if __name__ == "__main__":
    main()
