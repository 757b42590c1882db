"""Multilateral and bilateral pacts in force, compiled by the project, for alliance ties after ATOP.

ATOP (v5) ends in 2018. Its ties of 2018 are almost all multilateral treaties (the OAS Charter,
NATO, the EU's mutual assistance clause, the AU Non-Aggression and Common Defence Pact, the Arab
League's treaties, SADC, ECOWAS, ICGLR, ECCAS, CIS/CSTO, the Helsinki Final Act, the AU Constitutive
Act, the Treaty of Amity and Cooperation in Southeast Asia, the SCO Charter ...). ``actors/data/pacts.csv``
lists them with the obligations ATOP codes for them; ``actors/data/pact_parties.csv`` holds the dated
parties of the pacts whose ``parties`` is ``list``; a pact with ``parties = org:XXX`` is bound by the
dated members (status ``member``) of organisation XXX in ``memberships.csv``. Every row names its
source. The tables are rebuilt with ``python data-raw/build_pacts.py``.

:func:`pact_ties` turns them into a dyad-year table of ties; :func:`validate_against_atop` compares
that table with ATOP in a year both cover (recall and precision per obligation).
"""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from ..errors import MultipolarError

FLAGS = ("defense", "offense", "neutrality", "nonaggression", "consultation")
ATOP_COLS = {"defense": "atop_defense", "offense": "atop_offense", "neutrality": "atop_neutral",
             "nonaggression": "atop_nonagg", "consultation": "atop_consul"}
TIE_COLUMNS = ["code_a", "code_b", "year", *FLAGS, "source"]


def _read(name: str) -> pd.DataFrame:
    with resources.files("multipolar.actors").joinpath(f"data/{name}").open(encoding="utf-8") as f:
        return pd.DataFrame(list(csv.DictReader(f)))


@lru_cache(maxsize=1)
def pacts() -> pd.DataFrame:
    """The pacts: pact_id, name, defense, offense, neutrality, nonaggression, consultation (0/1),
    parties (``org:XXX`` or ``list``), start, end (empty: in force), legal_basis, source."""
    df = _read("pacts.csv")
    for f in FLAGS:
        df[f] = df[f].astype(int)
    return df


@lru_cache(maxsize=1)
def pact_parties() -> pd.DataFrame:
    """The dated parties of the ``list`` pacts: pact_id, code, start, end (empty: still bound), source."""
    return _read("pact_parties.csv")


def party_spells(pact_table: pd.DataFrame | None = None, parties: pd.DataFrame | None = None,
                 membership: pd.DataFrame | None = None) -> pd.DataFrame:
    """(pact_id, code, start, end): each party's spell, cut to the pact's own dates. ``end`` is
    empty while bound. The arguments default to the shipped tables (tests pass synthetic ones)."""
    pt = pacts() if pact_table is None else pact_table
    pp = pact_parties() if parties is None else parties
    if membership is None:
        from .groupings import memberships
        membership = memberships()
    rows = []
    for p in pt.itertuples(index=False):
        kind = str(p.parties)
        if kind == "list":
            sp = pp.loc[pp["pact_id"] == p.pact_id, ["code", "start", "end"]]
        elif kind.startswith("org:"):
            org = kind[4:]
            m = membership[(membership["org"] == org) & (membership["status"] == "member")]
            if m.empty:
                raise MultipolarError(f"pact {p.pact_id}: organisation {org!r} has no dated members in memberships.csv")
            sp = m[["code", "start", "end"]]
        else:
            raise MultipolarError(f"pact {p.pact_id}: parties must be 'list' or 'org:XXX', not {kind!r}")
        sp = sp.assign(pact_id=p.pact_id).copy()
        end = sp["end"].fillna("").astype(str)
        pend = str(p.end or "")
        sp["start"] = sp["start"].where(sp["start"] >= p.start, p.start)
        if pend:
            sp["end"] = np.where((end == "") | (end > pend), pend, end)
        else:
            sp["end"] = end
        rows.append(sp[(sp["end"] == "") | (sp["start"] <= sp["end"])])
    if not rows:
        return pd.DataFrame(columns=["pact_id", "code", "start", "end"])
    return pd.concat(rows, ignore_index=True)[["pact_id", "code", "start", "end"]]


def pact_ties(first_year: int = 1946, last_year: int | None = None, *, pact_table: pd.DataFrame | None = None,
              parties: pd.DataFrame | None = None, membership: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every ordered pair of parties bound by the same pact in each year from ``first_year`` to
    ``last_year`` (default: this year): code_a, code_b, year, defense, offense, neutrality,
    nonaggression, consultation (0/1, the highest over the pair's pacts) and source (the pacts'
    names, joined with "; "). A party counts in a year when it is bound on any day of it."""
    import datetime as dt
    last_year = int(last_year or dt.date.today().year)
    first_year = int(first_year)
    pt = (pacts() if pact_table is None else pact_table).reset_index(drop=True)
    if len(pt) > 62:
        raise MultipolarError("pact_ties handles at most 62 pacts")
    sp = party_spells(pt, parties, membership)
    if sp.empty or last_year < first_year:
        return pd.DataFrame(columns=TIE_COLUMNS)
    y0 = sp["start"].str[:4].astype(int).clip(lower=first_year).to_numpy()
    y1 = sp["end"].where(sp["end"] != "", str(last_year)).str[:4].astype(int).clip(upper=last_year).to_numpy()
    n = np.maximum(y1 - y0 + 1, 0)
    keep = n > 0
    idx = np.repeat(np.flatnonzero(keep), n[keep])
    offs = np.arange(len(idx)) - np.repeat(np.cumsum(n[keep]) - n[keep], n[keep])
    bit = pd.Series(np.arange(len(pt), dtype=np.int64), index=pt["pact_id"])
    py = pd.DataFrame({"p": bit.reindex(sp["pact_id"].to_numpy()).to_numpy()[idx],
                       "code": sp["code"].to_numpy()[idx], "year": y0[idx] + offs}).drop_duplicates()
    if py.empty:
        return pd.DataFrame(columns=TIE_COLUMNS)
    pr = py.merge(py, on=["p", "year"], suffixes=("_a", "_b"))
    pr = pr[pr["code_a"] != pr["code_b"]]
    pr["mask"] = np.left_shift(np.int64(1), pr["p"].to_numpy(dtype=np.int64))
    g = pr.groupby(["code_a", "code_b", "year"], sort=True)["mask"].sum().reset_index()
    # each distinct set of pacts once: its flags (max over the pacts) and its names
    flags = pt[list(FLAGS)].to_numpy(dtype=np.int8)
    names = pt["name"].tolist()
    out = {f: [] for f in FLAGS}
    out["source"] = []
    masks = np.sort(g["mask"].unique())
    for m in masks:
        members = [i for i in range(len(pt)) if (int(m) >> i) & 1]
        fl = flags[members].max(axis=0)
        for j, f in enumerate(FLAGS):
            out[f].append(int(fl[j]))
        out["source"].append("; ".join(names[i] for i in members))
    pos = np.searchsorted(masks, g["mask"].to_numpy())
    res = g[["code_a", "code_b", "year"]].copy()
    res["year"] = res["year"].astype(int)
    for f in FLAGS:
        res[f] = np.asarray(out[f], dtype=np.int8)[pos]
    res["source"] = np.asarray(out["source"], dtype=object)[pos]
    return res.reset_index(drop=True)


def _atop_year(atop, year: int) -> pd.DataFrame:
    cols = ["code_a", "code_b", "year", *ATOP_COLS.values()]
    if isinstance(atop, pd.DataFrame):
        df = atop
    elif hasattr(atop, "query") and not hasattr(atop, "execute"):      # a multipolar Warehouse
        df = atop.query(f"SELECT {', '.join(cols)} FROM atop_alliance WHERE year = {int(year)}")
    else:                                                              # a DuckDB connection
        df = atop.execute(f"SELECT {', '.join(cols)} FROM atop_alliance WHERE year = {int(year)}").df()
    missing = set(cols) - set(df.columns)
    if missing:
        raise MultipolarError(f"the ATOP table lacks {', '.join(sorted(missing))}")
    return df[df["year"] == year]


def _pairs(df: pd.DataFrame, col: str) -> set[tuple[str, str]]:
    d = df[df[col].fillna(0) > 0]
    return {(a, b) if a < b else (b, a) for a, b in zip(d["code_a"], d["code_b"]) if a != b}


def validate_against_atop(atop, year: int = 2018, *, ties: pd.DataFrame | None = None, top: int = 10) -> pd.DataFrame:
    """Compare the compiled pacts with ATOP in ``year`` (unordered pairs). ``atop``: a DuckDB
    connection or Warehouse holding ``atop_alliance``, or a frame with its columns.

    One row per obligation: atop (ATOP's pairs), compiled (the pacts' pairs), both, recall
    (both / atop), precision (both / compiled), missed (the states in most of ATOP's pairs that the
    pacts lack, with their counts) and extra (likewise for pairs ATOP does not have). The missed and
    extra pairs themselves are in ``.attrs['missed']`` and ``.attrs['extra']``."""
    a = _atop_year(atop, year)
    t = pact_ties(year, year) if ties is None else ties[ties["year"] == year]
    rows, missed, extra = [], {}, {}
    for f, col in ATOP_COLS.items():
        pa, pc = _pairs(a, col), _pairs(t, f)
        both = pa & pc
        ms, ex = sorted(pa - pc), sorted(pc - pa)
        missed[f], extra[f] = ms, ex

        def _top(prs):
            c = pd.Series([x for p in prs for x in p], dtype=object).value_counts()
            return ", ".join(f"{k} {v}" for k, v in c.head(top).items())
        rows.append(dict(type=f, atop=len(pa), compiled=len(pc), both=len(both),
                         recall=len(both) / len(pa) if pa else float("nan"),
                         precision=len(both) / len(pc) if pc else float("nan"),
                         missed=_top(ms), extra=_top(ex)))
    out = pd.DataFrame(rows)
    out.attrs["missed"], out.attrs["extra"] = missed, extra
    return out


if __name__ == "__main__":                                             # python -m multipolar.actors.pacts [db] [year]
    import sys
    import duckdb
    db = sys.argv[1] if len(sys.argv) > 1 else "/work/wh/full.duckdb"
    yr = int(sys.argv[2]) if len(sys.argv) > 2 else 2018
    with pd.option_context("display.width", 250, "display.max_colwidth", 90):
        print(validate_against_atop(duckdb.connect(db, read_only=True), yr).to_string(index=False))
