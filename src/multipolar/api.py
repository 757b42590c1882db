"""The Python face of multipolar: every CLI command is one call here."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .actors import groupings
from .actors.registry import State, registry
from .warehouse import ImportReport, Warehouse


def resolve(name_or_code, *, year: int | None = None, date: str | None = None, system: str | None = None) -> str:
    """The multipolar code of a state name, alias or code (ISO3, ISO2, COW, GW), at a date.

    >>> resolve("Kremlin"), resolve(365, year=1980), resolve("Czechoslovakia")
    ('RUS', 'SUN', 'CSK')
    """
    return registry().resolve(name_or_code, year=year, date=date, system=system)


def actor(name_or_code, *, year: int | None = None) -> dict:
    """A state's profile: names, codes in every system, dates, succession and memberships."""
    reg = registry()
    st: State = reg.get(reg.resolve(name_or_code, year=year))
    d = st.to_dict()
    ms = groupings.membership_table(code=st.code)
    d["memberships"] = ms[["org", "status", "start", "end", "note", "source"]].to_dict("records")
    return d


def actors(year: int | None = None) -> pd.DataFrame:
    """All states (one row per spell), or the system members of ``year``."""
    df = registry().to_frame()
    if year is not None:
        codes = set(registry().system_members(year))
        df = df[df["code"].isin(codes) & df["system_member"]]
        df = df[(df["start"] <= f"{year}-12-31") & (df["end"].fillna("9999") >= f"{year}-01-01")]
    return df.reset_index(drop=True)


def members(group: str, year: int | None = None, *, date: str | None = None, status=("member",)) -> list[str]:
    """Codes of a grouping's members in a year (any day of it) or on a date; default today."""
    return groupings.members(group, year, date=date, status=status)


def import_data(*paths, source: str | None = None, force: bool = False, db=None, jobs: int | None = None) -> list[ImportReport]:
    """Import files or folders into the warehouse (``multipolar data import``)."""
    w = Warehouse(db)
    out: list[ImportReport] = []
    for p in paths:
        out += w.import_path(Path(p), source=source, force=force, jobs=jobs)
    return out


def status(db=None, all_imports: bool = False) -> pd.DataFrame:
    """What the warehouse holds: one row per current import (``multipolar data status``)."""
    return Warehouse(db).status(all_imports=all_imports)


def list_sources() -> pd.DataFrame:
    """The readers: short name (for --source), title, citation, licence, tables."""
    from .sources import readers
    return pd.DataFrame([{"source": r.name, "title": r.title, "tables": ", ".join(r.keys), "license": r.license, "citation": r.citation}
                         for r in readers().values()])


def write_report(out: str | Path = "multipolar-report.html", *, db=None) -> Path:
    """Write the offline HTML report (``multipolar report``)."""
    from .report import build_report
    return build_report(Path(out), Warehouse(db))
