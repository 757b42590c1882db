"""The project's own dated list of sanctions regimes (``actors/data/sanctions.csv``), for the
years after the Global Sanctions Database ends (2022), and its check against GSDB.

Each row is one regime of one sender on one target: sender, target, start, end (empty: in force),
types (among trade, arms, military, financial, travel, other), name (the legal acts) and source (the
official text or page). "EU" as sender or target stands for the EU's member states of each year, as
:meth:`multipolar.dimensions.dyads.Dyads` reads it. The rows are compiled from legal acts and
official pages, not from GSDB (whose licence forbids redistribution); GSDB's cases of 2022 only
served as the map of which regimes exist, and :func:`validate_against_gsdb` measures the overlap.

A row is a regime aimed at the target state: its government or (former) ruling officials, or the
country as a whole (an embargo). Third countries' alignment with EU regimes is a row of the aligning
state, sourced to the Council's alignment declarations, the Commission's enlargement reports (full
alignment) or the state's own act. Measures GSDB codes on a state but aimed elsewhere are left out:
the EU's Crimea/Sevastopol measures (aimed at Russia's annexation), frameworks protecting a state or
aimed at armed groups (Bosnia and Herzegovina, Yemen, Lebanon's UN arms embargo) and frameworks
without listings.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from ..errors import MultipolarError

TYPES = ("trade", "arms", "military", "financial", "travel", "other")


@lru_cache(maxsize=1)
def compiled_sanctions() -> pd.DataFrame:
    """The shipped list: sender, target, start, end, types, name, source."""
    from ..actors.facts import sanctions
    return sanctions()


def _members(code: str, year: int) -> list[str]:
    if code == "EU":
        from ..actors.groupings import members
        return members("EU", year)
    return [code]


def sanction_pairs(first_year: int, last_year: int, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Directed state pairs under the listed regimes in each year (in force on any day of it):
    code_a (sender), code_b (target), year, types (the union of the pair's regimes, comma-joined in
    the order of :data:`TYPES`), n (number of regimes)."""
    t = compiled_sanctions() if table is None else table
    rows = []
    for r in t.itertuples(index=False):
        y0, y1 = int(r.start[:4]), int(r.end[:4]) if r.end else last_year
        bad = set(str(r.types).split(",")) - set(TYPES)
        if bad:
            raise MultipolarError(f"sanctions list: unknown type(s) {', '.join(sorted(bad))} in {r.sender}->{r.target}")
        for y in range(max(y0, first_year), min(y1, last_year) + 1):
            rows += [(a, b, y, r.types) for a in _members(r.sender, y) for b in _members(r.target, y) if a != b]
    if not rows:
        return pd.DataFrame(columns=["code_a", "code_b", "year", "types", "n"])
    d = pd.DataFrame(rows, columns=["code_a", "code_b", "year", "types"])
    g = d.groupby(["code_a", "code_b", "year"])
    out = g["types"].agg(lambda s: ",".join(t for t in TYPES if t in set(",".join(s).split(",")))).reset_index()
    out["n"] = g.size().to_numpy()
    return out


def broad(types: pd.Series, arms_military_as_one: bool = False) -> pd.Series:
    """True where a pair's types hold two or more kinds of measure (optionally counting an arms
    embargo coded as both arms and military once)."""
    def k(s):
        st = set(str(s).split(",")) - {""}
        if arms_military_as_one and {"arms", "military"} <= st:
            st.discard("military")
        return len(st) >= 2
    return types.map(k).astype(bool)


def gsdb_pairs(con, year: int) -> pd.DataFrame:
    """GSDB's directed state pairs with cases in force in ``year`` (code_a sender, code_b target,
    types), with organisations expanded to their member states of the year as the dyad table does
    (:data:`multipolar.sources.security.GSDB_ORG_MEMBERS`). GSDB's "Yemen, North" after 1990 is Yemen.
    ``con``: a DuckDB connection or Warehouse holding ``sanction_cases`` and ``sanction_parties``."""
    from ..actors.groupings import members
    from ..sources.security import GSDB_ORG_MEMBERS
    q = ("SELECT p.case_id, p.role, p.party, p.code, c.trade, c.arms, c.military, c.financial, c.travel, c.other "
         "FROM sanction_parties p JOIN sanction_cases c USING (case_id) "
         f"WHERE c.\"begin\" <= {int(year)} AND coalesce(c.\"end\", {int(year)}) >= {int(year)}")
    df = con.query(q) if hasattr(con, "query") and not hasattr(con, "execute") else con.execute(q).df()
    orgs = {p: members(o, year) for p, o in GSDB_ORG_MEMBERS.items()}
    rows = []
    for cid, g in df.groupby("case_id"):
        def codes(role):
            out = []
            for r in g[g["role"] == role].itertuples(index=False):
                if isinstance(r.code, str) and r.code:
                    out.append("YEM" if r.code == "YAR" and year > 1990 else r.code)
                else:
                    out += orgs.get(r.party, [])
            return out
        c0 = g.iloc[0]
        ty = ",".join(t for t in TYPES if c0[t] and c0[t] > 0)
        rows += [(a, b, ty) for a in codes("sender") for b in codes("target") if a != b]
    d = pd.DataFrame(rows, columns=["code_a", "code_b", "types"])
    return (d.groupby(["code_a", "code_b"])["types"]
             .agg(lambda s: ",".join(t for t in TYPES if t in set(",".join(s).split(","))))
             .reset_index())


def _unordered(d: pd.DataFrame) -> set[tuple[str, str]]:
    return {(a, b) if a < b else (b, a) for a, b in zip(d["code_a"], d["code_b"])}


def validate_against_gsdb(con, year: int = 2022, *, arms_military_as_one: bool = False, top: int = 15) -> dict:
    """Unordered sender-target state pairs under broad sanctions (two or more types) in ``year``:
    GSDB's against the compiled list's. Returns gsdb, compiled, both, recall, precision, missed (the
    GSDB pairs the list lacks, by the state in most of them: a Series), missed_pairs and extra_pairs."""
    g = gsdb_pairs(con, year)
    c = sanction_pairs(year, year)
    pg = _unordered(g[broad(g["types"], arms_military_as_one)])
    pc = _unordered(c[broad(c["types"], arms_military_as_one)])
    both = pg & pc
    ms = sorted(pg - pc)
    return dict(year=year, gsdb=len(pg), compiled=len(pc), both=len(both),
                recall=len(both) / len(pg) if pg else float("nan"),
                precision=len(both) / len(pc) if pc else float("nan"),
                missed=pd.Series([x for p in ms for x in p], dtype=object).value_counts().head(top),
                missed_pairs=ms, extra_pairs=sorted(pc - pg))
