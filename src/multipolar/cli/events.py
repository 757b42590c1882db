"""`multipolar events ...`: event streams into dyad-month series."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table

from ..errors import MultipolarError
from ._common import DB, FORMAT, OUT, YEARS, _fail, api, check_format, console, emit, err


events_app = typer.Typer(help="Event streams (GDELT, ICEWS, POLECAT, Phoenix) to dyad-month series: a Parquet lake, DuckDB or Spark.",
                         no_args_is_help=True)
LAKE = typer.Option(None, "--lake", help="The event lake folder (default: $MULTIPOLAR_EVENTS_LAKE, or beside the warehouse: NAME.events/).")


@events_app.command("import")
def events_import(paths: List[Path] = typer.Argument(..., help="Event files or folders (zipped or not)."),
                  force: bool = typer.Option(False, "--force", help="Read a file again even if it was imported before (its records are found already held)."),
                  fmt: str = FORMAT, db: Optional[Path] = DB, lake: Optional[Path] = LAKE):
    """Import event files into the event lake and store the dyad-months they touch in the warehouse (only those months
    are rewritten and recomputed). Exit 1 when a file failed."""
    from rich.markup import escape
    fmt = check_format(fmt)
    try:
        reports = api.import_events(*paths, db=db, lake=lake, force=force,
                                    progress=lambda line: err.print(escape(line), soft_wrap=True, highlight=False))
    except MultipolarError as e:
        _fail(e)
    n = {s: sum(r.status == s for r in reports) for s in ("imported", "unchanged", "skipped", "error")}
    if fmt != "table":
        import pandas as pd
        emit(pd.DataFrame([{k: v for k, v in vars(r).items() if not isinstance(v, (list, dict))} for r in reports]), fmt)
        if n["error"]:
            raise typer.Exit(1)
        return
    console.print(", ".join(f"{v} {k}" for k, v in n.items()))
    if n["error"]:
        raise typer.Exit(1)


@events_app.command("aggregate")
def events_aggregate(freq: str = typer.Option("month", "--freq", help="month (stored in the warehouse) or year (printed or written)."),
                     engine: str = typer.Option("duckdb", "--engine", help="duckdb (embedded) or spark."),
                     master: str = typer.Option("local[*]", "--master", help="Spark master: local[*], spark://HOST:7077, or sc://HOST:15002 (Spark Connect)."),
                     years: Optional[str] = YEARS("every year in the lake; with years, only they are printed or written "
                                                  "(every year is stored)"),
                     out: Optional[Path] = OUT, fmt: str = FORMAT,
                     store: bool = typer.Option(True, "--store/--no-store", help="Store the dyad-months in the warehouse "
                                                "(event_dyad_month; default with --freq month); --no-store keeps nothing."),
                     db: Optional[Path] = DB, lake: Optional[Path] = LAKE):
    """Recompute every dyad-month from the lake (the same expression on either engine) and store it in the warehouse
    (unless --no-store)."""
    import time
    fmt = check_format(fmt)
    t0 = time.perf_counter()
    try:
        df = api.event_series(freq, engine=engine, master=master, db=db, lake=lake, store=store, years=years)
    except MultipolarError as e:
        _fail(e)
    dt = time.perf_counter() - t0
    if emit(df, fmt, out, [api.event_caveat()]):
        return
    console.print(f"{len(df):,} dyad-{freq}s from {int(df['records'].sum()):,} records ({int(df['events'].sum()):,} events between two states "
                  f"after deduplication) on {engine}{' ' + master if engine == 'spark' else ''} in {dt:.1f} s"
                  + (f"; written to {out}" if out else "") + ("" if freq == "year" or not store else "; stored in event_dyad_month"))
    console.print(f"note: {api.event_caveat()}", soft_wrap=True, highlight=False)


@events_app.command("migrate")
def events_migrate(fmt: str = FORMAT, db: Optional[Path] = DB, lake: Optional[Path] = LAKE):
    """Rewrite an event lake written by an older multipolar in the current layout (adds the outlet_key column; every
    record is kept; a kill leaves the old or the new lake)."""
    fmt = check_format(fmt)
    try:
        msg = api.migrate_events(db=db, lake=lake)
    except MultipolarError as e:
        _fail(e)
    if fmt != "table":
        import pandas as pd
        emit(pd.DataFrame([{"result": msg}]), fmt)
        return
    console.print(msg, soft_wrap=True, highlight=False)


@events_app.command("dyad")
def events_dyad(a: str = typer.Argument(..., help="State A (name or code)."), b: str = typer.Argument(..., help="State B."),
                years: Optional[str] = YEARS("every year with events"),
                freq: str = typer.Option("month", "--freq", help="month or year."),
                out: Optional[Path] = OUT, fmt: str = FORMAT,
                db: Optional[Path] = DB):
    """One pair's event series in both directions, with the sources and the duplicates removed."""
    try:
        df, notes = api.event_dyad(a, b, years, db=db, freq=freq)
    except (MultipolarError, LookupError) as e:
        _fail(e)
    if emit(df, fmt, out, notes):
        return
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
