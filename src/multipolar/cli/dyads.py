"""`multipolar dyads` (the directed dyad-year table) and `multipolar relation` (one pair's profile)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from ..errors import MultipolarError, UsageError
from ._common import DB, FORMAT, OUT, YEARS, _fail, api, check_format, console, emit, err


def dyads_cmd(years: Optional[str] = YEARS("1946 to the latest year with data"),
              states: Optional[str] = typer.Option(None, "--states", "-s", help="Only pairs among these states, comma-separated (names or codes), e.g. RUS,CHN."),
              out: Optional[Path] = OUT,
              fmt: str = FORMAT,
              codebook: bool = typer.Option(False, "--codebook", help="With --out: also write FILE.codebook.csv: every column's unit, "
                                            "direction, source and coverage."),
              carry: Optional[str] = typer.Option(None, "--carry", help="Repeat these sources past their last year, flagged in *_carried columns "
                                                  "(atop, gsdb, rivalries, mid, cow_igo; never by default)."),
              db: Optional[Path] = DB):
    """The directed dyad-year table: every ordered pair of states, every year, all five dimensions and the relation.
    Outside a source's coverage a value is missing, never 0. Nothing is written without --out (--format csv prints it)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    fmt = check_format(fmt)
    if codebook and out is None:
        _fail(UsageError("--codebook is written beside the table: give --out FILE too"))
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err, transient=True,
                      disable=not err.is_terminal) as prog:
            task = prog.add_task("dyads", total=None)
            d = api.dyads(years, states, db=db, carry=carry, full=True,
                          progress=lambda step: prog.update(task, description=step.replace("add_", "")))
            if out is not None:
                prog.update(task, description="writing")
                path = api.write(d, out)
            if fmt != "table":
                emit(d.to_pandas(), fmt, None, d.notes)
                return
    except MultipolarError as e:
        _fail(e)
    if out is not None:
        console.print(f"wrote {path}: {len(d):,} directed dyad-years, {len(d.columns)} columns, {d.years[0]}-{d.years[1]}")
    else:
        console.print(f"{len(d):,} directed dyad-years, {len(d.columns)} columns, {d.years[0]}-{d.years[1]}; nothing written: "
                      "add --out FILE (.parquet, .csv, .dta, .json) or print it with --format csv", highlight=False)
    for n in d.notes:
        console.print(f"[yellow]note[/] {n}", soft_wrap=True)
    if codebook:
        cb = path.with_suffix(".codebook.csv")
        d.codebook().to_csv(cb, index=False)
        console.print(f"wrote {cb}")


def relation_cmd(a: str = typer.Argument(..., help="State A (name or code)."), b: str = typer.Argument(..., help="State B."),
                 years: Optional[str] = YEARS("1946 to the latest year with data"),
                 out: Optional[Path] = OUT, fmt: str = FORMAT, db: Optional[Path] = DB):
    """A's relation to B: each dimension over time, the type, dependence both ways, and the evidence."""
    import pandas as pd
    try:
        df = api.relation(a, b, years, db=db)
    except MultipolarError as e:
        _fail(e)
    if df.empty:
        _fail(MultipolarError(f"no dyad-years for {a} and {b} in these years (both must be states then)"))
    if emit(df, fmt, out, df.attrs.get("notes", [])):
        return
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
