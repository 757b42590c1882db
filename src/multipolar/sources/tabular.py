"""A declarative reader for the many tables that are rows of state (or dyad) codes and years.

Each :class:`TableSpec` says which columns identify the layout, which hold country codes (and
in which system), which columns identify a row, and how the table is named in the warehouse.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


from .base import FileHead, Parsed, Reader, check_duplicates, check_years, map_countries, to_numeric


@dataclass
class TableSpec:
    """One table a file holds, declared: the reader of :class:`TabularReader` checks its years, types,
    country codes and keys as the spec says, with the common error messages."""
    layout: str
    table: str
    signature: set[str] | tuple[set[str], ...]   # columns that identify the layout (or alternatives, any of which does)
    countries: dict[str, str] = field(default_factory=dict)   # source column -> output code column
    system: str = "cow"
    year: str | None = "year"                 # year column used to resolve codes
    key: list[str] = field(default_factory=list)   # output columns identifying a row
    numeric: list[str] = field(default_factory=list)
    keep: list[str] | None = None             # source columns to keep (None: all)
    rename: dict[str, str] = field(default_factory=dict)
    strict: bool = True
    year_range: tuple[int, int] = (1800, 2100)
    exact: bool = False                       # the columns must equal the signature
    partitions: list[str] = field(default_factory=list)
    transform: object = None                  # optional callable(df, path, rejected) -> df
    version: str = ""
    columns: list[str] | None = None          # the table's columns (after rename; None: all)


_ISO_DATE = r"\d{4}-\d{2}-\d{2}"


def _iso_dates(col):
    """A text column whose every value is an ISO date (YYYY-MM-DD), as dates; any other column unchanged.
    The .rda of a table holds R Dates, its CSV their text: both are stored as DATE."""
    import pandas as pd
    v = col.dropna()
    if not len(v) or not v.map(type).eq(str).all() or not v.str.fullmatch(_ISO_DATE).all():
        return col
    d = pd.to_datetime(col, format="%Y-%m-%d", errors="coerce")
    if d[col.notna()].isna().any():        # not a calendar date (2001-02-30): leave the text as it is
        return col
    return pd.Series([x.date() if x == x else None for x in d], index=col.index, dtype=object)


class TabularReader(Reader):
    """A reader whose files are described by its :attr:`specs`, one :class:`TableSpec` per layout."""
    specs: list[TableSpec] = []

    def __init__(self):
        self.keys = {s.table: s.key for s in self.specs}

    def sniff(self, head: FileHead):
        """The layout of the first spec whose signature the header (or one object of an R file) holds."""
        groups = [set(head.columns)] + [set(c) for c in head.objects.values()]
        for spec in self.specs:
            sigs = spec.signature if isinstance(spec.signature, tuple) else (spec.signature,)
            for cols in groups:
                if any(sig <= cols and (not spec.exact or cols == sig) for sig in sigs):
                    return spec.layout
        return None

    def read(self, path, layout, head):
        """The file's table as its spec declares it (see :class:`TableSpec`)."""
        from . import frame
        spec = next(s for s in self.specs if s.layout == layout)
        df = frame(path, head)
        rows = len(df)
        rej = Counter()
        check_duplicates(df, None, path)     # an exact repeated line, before any row is filtered out
        if spec.keep is not None:
            df = df[[c for c in spec.keep if c in df.columns] + ["__line"]]
        df = df.reset_index(drop=True)
        for c in spec.numeric:
            if c in df.columns:
                df[c] = to_numeric(df, c, path)
        if spec.year and spec.year in df.columns:
            df[spec.year] = to_numeric(df, spec.year, path, integer=True)
            check_years(df[spec.year], path, col=spec.year, lo=spec.year_range[0], hi=spec.year_range[1], lines=df["__line"])
        if spec.transform is not None:
            df = spec.transform(df, path, rej)
        for src, out in spec.countries.items():
            if spec.system in ("cow", "gw"):
                df[src] = to_numeric(df, src, path, integer=True)
            df = map_countries(df, src, system=spec.system, year=spec.year, path=path, out=out,
                               strict=spec.strict, rejected=rej)
        df = df.rename(columns=spec.rename)
        check_duplicates(df, spec.key or None, path)      # the lines named are the file's (``__line``), after any filtering
        for c in df.columns:
            if df[c].dtype == "Int64":
                df[c] = df[c].astype("float64").astype("Int64")
            elif df[c].dtype == object and head.kind in ("csv", "tsv"):
                df[c] = _iso_dates(df[c])      # dates as the .rda holds them (DATE), not as text
        if spec.columns is not None:
            df = df[spec.columns]
        front = [c for c in spec.key if c in df.columns]
        df = df[front + [c for c in df.columns if c not in front]]
        return Parsed({spec.table: df.reset_index(drop=True)}, rows_read=rows, rejected=rej, version=spec.version,
                      partitions={spec.table: spec.partitions} if spec.partitions else {})
