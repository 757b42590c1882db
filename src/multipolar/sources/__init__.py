"""One reader per public dataset: parse, validate, normalise; nothing else.

``multipolar data sources`` lists them. Each reader recognises its own files by content.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError, MultipolarError
from .base import FileHead, Reader, head_of


def _all_readers() -> list[Reader]:
    from . import economy, events, idealpoints, people, risk, security, undl, unvotes, wars  # noqa: F401
    from .peacescience import READERS as ps
    return [
        unvotes.UNVotes(), undl.UNDL(), idealpoints.IdealPoints(), *ps, economy.WDI(), economy.WDIGDP(), economy.WDIPopulation(), economy.Maddison(),
        economy.GeoDist(), economy.BACI(), economy.Gravity(), economy.Eurostat(), people.Passport(),
        people.UNDesaMigration(), security.GSDB(), security.SIPRI(), events.ICEWS(), events.GDELT(),
        events.CAMEO(), risk.GPR(), *wars.READERS,
    ]


_READERS: dict[str, Reader] | None = None


def readers() -> dict[str, Reader]:
    """Every reader, by name (built once)."""
    global _READERS
    if _READERS is None:
        _READERS = {r.name: r for r in _all_readers()}
    return _READERS


def get_reader(name: str) -> Reader:
    """The reader called ``name``; an unknown name raises with the closest names."""
    rs = readers()
    if name not in rs:
        import difflib
        sugg = difflib.get_close_matches(name, list(rs), n=3)
        raise MultipolarError(f"unknown source {name!r}" + (f"; did you mean {', '.join(sugg)}?" if sugg else "") + f". Known: {', '.join(rs)}")
    return rs[name]


def detect(path) -> tuple[Reader, str, FileHead] | None:
    """The reader and layout that recognise ``path`` by its content, or None."""
    path = Path(path)
    head = head_of(path)
    hits = []
    for r in readers().values():
        layout = r.sniff(head)
        if layout:
            hits.append((r, layout))
    if not hits:
        return None
    if len(hits) > 1:
        raise InputError("more than one reader recognises this file: " + ", ".join(f"{r.name} ({l})" for r, l in hits),
                         file=str(path), hint="name the source with --source")
    return hits[0][0], hits[0][1], head


def frame(path: Path, head: FileHead, **csv_kw):
    """The whole file as a DataFrame, whatever its format (rda: the first object)."""
    import pandas as pd
    from .base import load_rda, read_csv
    if head.kind == "parquet":
        df = pd.read_parquet(path)
    elif head.kind == "rda":
        df = next(iter(load_rda(path).values()))
    elif head.kind == "dta":
        df = pd.read_stata(path)
    elif head.kind == "xls":
        df = pd.read_excel(path)
    else:
        df = read_csv(path, sep="\t" if head.kind == "tsv" else ",", **csv_kw)
    # the line in the file (text, Excel: after the header) or the row number of each record, for error messages
    # (kept through any filtering; dropped before the table is written)
    lines = None
    if head.kind in ("csv", "tsv") and head.lines is not None and head.lines != len(df) + 1:
        lines = record_lines(path, "\t" if head.kind == "tsv" else ",")     # records over several lines, blank lines
        if len(lines) != len(df):
            lines = None
    if lines is not None:
        df["__line"] = lines
    else:
        df["__line"] = range(2 if head.kind in ("csv", "tsv", "xls") else 1, len(df) + (2 if head.kind in ("csv", "tsv", "xls") else 1))
    return df


def record_lines(path: Path, sep: str):
    """The physical line on which each data record of a text table starts (quoted values may hold line
    ends; blank lines are skipped as pandas skips them)."""
    import csv
    import gzip
    import io

    import numpy as np
    opener = gzip.open if path.suffix == ".gz" else open
    out = []
    with opener(path, "rb") as f:
        text = io.TextIOWrapper(f, encoding="utf-8-sig", errors="replace", newline="")
        rd = csv.reader(text, delimiter=sep)
        header = True
        prev = 0
        for row in rd:
            start = prev + 1
            prev = rd.line_num
            if not row or row == [""]:
                continue
            if header:
                header = False
                continue
            out.append(start)
    return np.asarray(out, dtype="int64")
