"""`multipolar events ...`: event streams into dyad-month series."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table

from ..errors import MultipolarError
from ._common import DB, _fail, _write_table, console


events_app = typer.Typer(help="Event streams (GDELT, ICEWS, POLECAT, Phoenix) to dyad-month series: a Parquet lake, DuckDB or Spark.",
                         no_args_is_help=True)
LAKE = typer.Option(None, "--lake", help="The event lake folder (default: $MULTIPOLAR_EVENTS_LAKE, or beside the warehouse: NAME.events/).")


@events_app.command("import")
def events_import(paths: List[Path] = typer.Argument(..., help="Event files or folders (zipped or not)."),
                  force: bool = typer.Option(False, "--force", help="Read a file again even if it was imported before (its records are found already held)."),
                  db: Optional[Path] = DB, lake: Optional[Path] = LAKE):
    """Import event files; only the months they touch are rewritten and recomputed. Exit 1 when a file failed."""
    from rich.markup import escape
    from .. import events
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
    from .. import events
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
    from .. import events
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
