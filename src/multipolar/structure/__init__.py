"""The shape of the system: poles, strategic triangles and blocs, from the dyad-year relations.

Every result carries the data and parameters that made it (``attrs``: years, method, thresholds),
so that it can be reproduced.
"""
from __future__ import annotations

import pandas as pd

#: historical predecessors shown under their successor's name in long series (the USSR as Russia)
SERIES_ALIASES = {"SUN": "RUS", "GFR": "DEU"}


def relation_signs(states, years=None, db=None, threshold: float = 0.0) -> pd.DataFrame:
    """Signed relations among ``states`` (predecessors folded into successors for long series)."""
    from ..dimensions.dyads import Dyads
    from . import triangles
    rev = {v: k for k, v in SERIES_ALIASES.items()}
    codes = set(states) | {rev[c] for c in states if c in rev}
    dy = Dyads(years=years, states=sorted(codes), db=db).add_relation().to_pandas()
    for col in ("code_a", "code_b"):
        dy[col] = dy[col].replace(SERIES_ALIASES)
    dy = dy[dy["code_a"] != dy["code_b"]]
    sg = triangles.signs(dy, threshold)
    return sg


def triangle(a: str, b: str, c: str, years=None, db=None, threshold: float = 0.0) -> pd.DataFrame:
    """Dittmer type, pivot or pariah, balance and dated changes of the triangle A-B-C per year."""
    from ..actors.registry import registry
    from . import triangles
    reg = registry()
    codes = [reg.resolve(x) for x in (a, b, c)]
    codes = [SERIES_ALIASES.get(x, x) for x in codes]
    sg = relation_signs(codes, years, db, threshold)
    out = triangles.triangle(sg, *codes)
    out.attrs.update({"states": codes, "years": years, "threshold": threshold, "method": "Dittmer 1981 from multipolar relation signs"})
    return out


def poles(years=None, db=None, pole_rule: float | None = None) -> pd.DataFrame:
    from ..warehouse import Warehouse
    from . import polarity as P
    out = P.poles(Warehouse(db), years, pole_rule if pole_rule is not None else P.POLE_RULE)
    out.attrs.update({"years": years, "pole_rule": pole_rule or P.POLE_RULE, "method": "Laakso-Taagepera; military half-leader rule"})
    return out


def triangles_ranked(year: int, top: int = 20, db=None, states=None, threshold: float = 0.0) -> pd.DataFrame:
    """The most unbalanced triads among major powers (COW major powers of the year plus the G20's
    states by default) in ``year``."""
    from ..actors.groupings import members
    from . import triangles
    if states is None:
        states = sorted(set(members("G20", year)) | {"USA", "RUS", "CHN", "GBR", "FRA", "DEU", "JPN", "IND"})
    sg = relation_signs(states, f"{year}:{year}", db, threshold)
    out = triangles.most_unbalanced(sg, year, states, top)
    out.attrs.update({"year": year, "states": states, "threshold": threshold})
    return out
