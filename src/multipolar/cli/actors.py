"""`multipolar actors`: states, their codes and dates, and groupings' members."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from ..errors import MultipolarError
from ._common import FORMAT, _fail, api, check_format, console, deprecated_years, emit, emit_record


def actors(name: Optional[str] = typer.Argument(None, help="A state: name, alias, ISO3/ISO2, COW or GW code."),
           group: Optional[str] = typer.Option(None, "--group", "-g", help="A grouping (NATO, EU, BRICS, ...)."),
           years: Optional[str] = typer.Option(None, "--years", "-y", help="The year for codes and memberships, e.g. 1999 (default: today)."),
           year: Optional[int] = typer.Option(None, "--year", hidden=True, help="Deprecated: --years."),
           status: str = typer.Option("member", "--status", help="Membership status for --group (member, observer, partner, ...; 'all')."),
           list_all: bool = typer.Option(False, "--list", help="List every state."),
           fmt: str = FORMAT, out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the list (--list, --group) "
                                                                  "as a table (.parquet, .csv, .dta, .json)."),
           as_json: bool = typer.Option(False, "--json", hidden=True, help="Deprecated: --format json.")):
    """A state's names, codes, dates and memberships; or a grouping's members in a year."""
    fmt = check_format("json" if as_json else fmt)
    try:
        from ..years import one_year
        year = one_year(deprecated_years(years, year, "--year"))
        if group:
            st = None if status == "all" else tuple(status.split(","))
            codes = api.members(group, year, status=st)
            from ..actors.registry import registry
            if fmt != "table" or out:
                import pandas as pd
                if emit(pd.DataFrame({"code": codes, "name": [registry().get(c).name for c in codes]}), fmt, out):
                    return
            t = Table(title=f"{group.upper()} {'members' if status == 'member' else status} in {year if year else 'today'}: {len(codes)}")
            t.add_column("code")
            t.add_column("name")
            for c in codes:
                t.add_row(c, registry().get(c).name)
            console.print(t)
            return
        if list_all or not name:
            df = api.actors(year)
            if emit(df, fmt, out):
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
    if fmt == "csv":
        import pandas as pd
        emit(pd.DataFrame(d["memberships"]).assign(code=d["code"], name=d["name"]), fmt, out)
        return
    if emit_record(d, fmt):
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
