"""Groupings of states with dated memberships: UN, EU, NATO, EAEU, CSTO, CIS, SCO, BRICS, ...

The table ``actors/data/memberships.csv`` is compiled by the project from each organisation's
own membership records; every row names its source (see ``organisations.csv``). It is rebuilt
with ``python data-raw/build_groupings.py``.

Status values: ``member`` (full), ``observer``, ``partner`` (dialogue or partner country),
``candidate``, ``suspended``, ``associate``, ``participant`` (takes part without full membership),
``invited``.

A membership with ``start <= date <= end`` (``end`` empty: still in force) holds on that date.
For a year, ``how='any'`` (the default) counts a state that held the status on any day of the
year, ``how='end'`` only those holding it on 31 December.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

from typing import TYPE_CHECKING

from ..errors import MultipolarError

if TYPE_CHECKING:
    import pandas as pd

STATUSES = ("member", "observer", "partner", "candidate", "suspended", "associate", "participant", "invited")


#: groupings whose members align their foreign policies (clubs and security partnerships, not universal
#: or economic bodies): co-members without a pact are "aligned" in the relation typology
ALIGNMENT_GROUPINGS = ("G7", "BRICS", "SCO", "QUAD", "AUKUS", "GCC", "EAEU")


@lru_cache(maxsize=1)
def _membership_rows() -> tuple[dict, ...]:
    """The rows of ``memberships.csv`` as read (an open membership's end is None): plain Python, no pandas."""
    with resources.files("multipolar.actors").joinpath("data/memberships.csv").open(encoding="utf-8") as f:
        return tuple({**r, "end": r["end"] or None} for r in csv.DictReader(f))


@lru_cache(maxsize=1)
def memberships() -> pd.DataFrame:
    """Every dated membership: org, code, status, start, end, precision, note, source."""
    import pandas as pd
    return pd.DataFrame(list(_membership_rows()))


def memberships_of(code: str) -> list[dict]:
    """A state's dated memberships (the rows of :func:`memberships` for ``code``, in their order), without pandas:
    ``multipolar actors RUS`` starts faster."""
    return [dict(r) for r in _membership_rows() if r["code"] == code]


@lru_cache(maxsize=1)
def organisations() -> pd.DataFrame:
    """The groupings: one row per organisation (org, its name, kind, source...)."""
    import pandas as pd
    with resources.files("multipolar.actors").joinpath("data/organisations.csv").open(encoding="utf-8") as f:
        return pd.DataFrame(list(csv.DictReader(f)))


def _org(org: str) -> str:
    orgs = organisations()["org"].tolist()
    key = org.strip().upper()
    aliases = {"EEC": "EU", "EC": "EU", "OAU": "AU", "WARSAW PACT": "WARSAW", "WTO_PACT": "WARSAW", "OPECPLUS": "OPEC+", "OPEC PLUS": "OPEC+"}
    key = aliases.get(key, key)
    if key not in orgs:
        import difflib
        sugg = difflib.get_close_matches(key, orgs, n=3, cutoff=0.3)
        raise MultipolarError(f"unknown grouping {org!r}. Known: {', '.join(orgs)}" + (f". Did you mean {', '.join(sugg)}?" if sugg else ""))
    return key


def _active(df: pd.DataFrame, year: int | None, date: str | None, how: str) -> pd.Series:
    end = df["end"].fillna("9999-12-31")
    if date is not None:
        return (df["start"] <= date) & (end >= date)
    if year is not None:
        if how == "end":
            d = f"{year}-12-31"
            return (df["start"] <= d) & (end >= d)
        return (df["start"] <= f"{year}-12-31") & (end >= f"{year}-01-01")
    return end == "9999-12-31"


def members(org: str, year: int | None = None, *, date: str | None = None, status=("member",),
            how: str = "any") -> list[str]:
    """Codes of the states with ``status`` in ``org`` in ``year`` (or on ``date``; default today)."""
    df = memberships()
    df = df[df["org"] == _org(org)]
    if status is not None:
        status = (status,) if isinstance(status, str) else tuple(status)
        df = df[df["status"].isin(status)]
    return sorted(set(df.loc[_active(df, year, date, how), "code"]))


def membership_table(org: str | None = None, code: str | None = None) -> pd.DataFrame:
    """The dated memberships (org, code, start, end, ...), of one organisation and/or one state when given."""
    df = memberships()
    if org is not None:
        df = df[df["org"] == _org(org)]
    if code is not None:
        df = df[df["code"] == code]
    return df.reset_index(drop=True)


def membership_years(first: int = 1946, last: int | None = None, status=("member",)) -> pd.DataFrame:
    """Long table (org, code, year, status) of memberships held on any day of each year."""
    import datetime as dt

    import pandas as pd
    last = last or dt.date.today().year
    df = memberships()
    if status is not None:
        df = df[df["status"].isin(status)]
    rows = []
    for r in df.itertuples(index=False):
        y0 = max(int(r.start[:4]), first)
        y1 = min(int(r.end[:4]) if r.end else last, last)
        rows.extend((r.org, r.code, y, r.status) for y in range(y0, y1 + 1))
    return pd.DataFrame(rows, columns=["org", "code", "year", "status"]).drop_duplicates()
