"""Only the years the data hold: the coverage of the data, and a request's years checked against it.

Every command that takes years (``relation``, ``dyads``, ``poles``, ``blocs``, ``triangle(s)``,
``trends``, ``report``) asks :func:`clip`: a request entirely outside the coverage (after the last
year of every source, or before 1946) is an error naming the coverage; a request that overlaps it is
clipped to it, with a note saying so. Inside the coverage a year without a source's data keeps that
source's values missing (the dyads' rule), it is not dropped.

The coverage (:func:`data_coverage`) runs from 1946 (or the first year any imported yearly source
has, when later) to the last year any imported yearly source has data, never after the current
year; on a fresh install, the embedded snapshot's sources. The ideal-point blocs pass their own
(:class:`Coverage` of the current run's years).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .errors import InputError, MissingDataError, UsageError

#: multipolar's first year: the state system after the Second World War
FIRST_YEAR = 1946


def parse_years(spec) -> tuple[int, int] | None:
    """The one year parser: ``"1991:2019"``, ``"2019"``, ``2019``, ``(1991, 2019)`` or None -> (first, last) or None.

    ``"1991:"`` runs to 2100 and ``":2019"`` from 1946 (:func:`clip` then cuts them to the data). Every command's
    ``--years`` and every Python function's ``years=`` go through it; a malformed value is a :class:`UsageError`.
    """
    if spec is None or spec == "":
        return None
    if isinstance(spec, (tuple, list)):
        if len(spec) != 2:
            raise UsageError(f"--years: expected (first, last), got {spec!r}")
        lo, hi = int(spec[0]), int(spec[1])
    else:
        s = str(spec).strip()
        try:
            if ":" in s:
                a, b = s.split(":", 1)
                lo, hi = int(a) if a.strip() else FIRST_YEAR, int(b) if b.strip() else 2100
            else:
                lo = hi = int(s)
        except ValueError:
            raise UsageError(f"--years: expected a year or a range FIRST:LAST such as 1991:2019, got {spec!r}") from None
    if lo > hi:
        raise UsageError(f"--years: the first year {lo} is after the last {hi} (reversed); write FIRST:LAST, e.g. 1991:2019")
    return lo, hi


def one_year(spec, what: str = "--years") -> int | None:
    """A single year from ``--years`` (``"2019"`` or ``"2019:2019"``); a range of several years is a :class:`UsageError`."""
    rng = parse_years(spec)
    if rng is None:
        return None
    if rng[0] != rng[1]:
        raise UsageError(f"{what}: this takes one year, e.g. {rng[1]} (got {spec!r})")
    return rng[0]


@dataclass
class Coverage:
    """The years with data: ``first`` to ``last``, what they are (``what``), and the sources at each end."""
    first: int
    last: int
    what: str = "the imported data"
    last_sources: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        by = f" (the last year: {', '.join(self.last_sources)})" if self.last_sources else ""
        return f"{self.what} cover {self.first}-{self.last}{by}"


def data_coverage(db=None) -> Coverage:
    """The years of the data a command reads: from the warehouse's imports (the sources' first and
    last years, as imported) or, with no imports, the embedded snapshot's."""
    from .warehouse import Warehouse
    w = Warehouse(db)
    today = dt.date.today().year
    rows = None
    if w.path.exists() and w.has("_imports"):
        df = w.query("SELECT source, min(year_min) AS lo, max(year_max) AS hi FROM _imports WHERE NOT superseded "
                     "AND year_max IS NOT NULL GROUP BY source")
        if len(df):
            rows = [(r.source, int(r.lo), int(r.hi)) for r in df.itertuples(index=False)]
            what = "the imported data"
    if rows is None:
        from .snapshot import manifest
        try:
            imports = manifest()["imports"]
        except Exception:
            imports = []
        per: dict[str, list[int]] = {}
        for i in imports:
            if i.get("year_max"):
                lo, hi = per.get(i["source"], [i["year_min"] or i["year_max"], i["year_max"]])
                per[i["source"]] = [min(lo, i["year_min"] or lo), max(hi, i["year_max"])]
        rows = [(s, lo, hi) for s, (lo, hi) in per.items()]
        what = "the embedded snapshot's data"
    if not rows:
        raise MissingDataError("no data with years: the warehouse has no imports and the embedded snapshot none",
                               hint="import the data (`multipolar data import ../shared/data`)")
    first = max(FIRST_YEAR, min(lo for _, lo, _ in rows))
    last = min(today, max(hi for _, _, hi in rows))
    return Coverage(first, last, what, sorted(s for s, _, hi in rows if hi >= last))


def clip(years, cov: Coverage, command: str, default: tuple[int, int] | None = None) -> tuple[tuple[int, int], str | None]:
    """``years`` (FIRST:LAST, a year, a tuple or None) within the coverage ``cov``: (the years to use, a
    note when they were clipped). None gives ``default`` (else the whole coverage). A request entirely
    outside the coverage raises :class:`InputError` naming it."""
    rng = parse_years(years)
    if rng is None:
        lo, hi = default or (cov.first, cov.last)
        return (max(lo, cov.first), min(hi, cov.last)) if lo <= cov.last and hi >= cov.first else (cov.first, cov.last), None
    lo, hi = rng
    asked = f"{lo}" if lo == hi else f"{lo}-{hi}"
    if hi < cov.first or lo > cov.last:
        side = (f"before {FIRST_YEAR}, where multipolar starts" if hi < FIRST_YEAR else
                "before the first year with data" if hi < cov.first else "after the last year with data")
        raise InputError(f"{command}: no data in {asked} ({side}): {cov}",
                         hint=f"choose years within {cov.first}-{cov.last} (e.g. {max(cov.first, cov.last - 10)}:{cov.last})")
    new = (max(lo, cov.first), min(hi, cov.last))
    if new == (lo, hi):
        return new, None
    why = []
    if new[0] > lo:
        why.append(f"the data start in {cov.first}")
    if new[1] < hi:
        why.append(f"the data end in {cov.last}" + (f" ({', '.join(cov.last_sources)})" if cov.last_sources else ""))
    return new, (f"years {asked} clipped to {new[0]}-{new[1]}: {' and '.join(why)}; no values are shown for years that have "
                 "no data")


def span(rng: tuple[int, int]) -> str:
    """``"1991:2019"``: a range as the ``years`` argument takes it."""
    return f"{rng[0]}:{rng[1]}"


def runs(years) -> str:
    """``'2017-2019, 2021, 2023-2024'``: the runs of consecutive years among ``years``."""
    ys = sorted({int(y) for y in years})
    starts = [y for y in ys if y - 1 not in ys]
    ends = [y for y in ys if y + 1 not in ys]
    return ", ".join(f"{a}-{b}" if b != a else f"{a}" for a, b in zip(starts, ends))
