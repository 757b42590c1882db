"""The dyad-year measures that the structure, report and dashboard read: one directed table.

:func:`measures` gives, for every ordered pair of states and year, the dimension measures that the
later layers use (vote agreement, ideal-point distance, visa openness, trade, shared groupings and
pacts, events, wars), the five component scores of closeness (``score_values`` ...
``score_interaction``, formulas in :mod:`multipolar.relations`), closeness with its interval,
dependence both ways and the relation type with its evidence.

Where the numbers come from (``attrs["basis"]``):

* the warehouse, when it holds imports: computed now by :class:`~multipolar.dimensions.dyads.Dyads`;
* otherwise the embedded snapshot (``snapshot/data/dyads.parquet``), which ``multipolar snapshot
  build`` computes with the same code from ``../shared/data``. To stay small it holds every pair
  from 1991 on and, before 1991, the pairs among the major powers (:data:`SNAPSHOT_MAJORS`); it
  is built without the Global Sanctions Database (its terms forbid redistributing its data or values
  derived from them), so its sanctions, interaction scores and relation types rest on multipolar's own
  dated sanctions list only; and it leaves out the ideal-point distances, recomputed on reading from
  the shipped ideal points with the SQL of :func:`~multipolar.dimensions.dyads.ip_distance_sql`.
  Stored compactly: one row per unordered pair, a
  column stored once where both directions agree and twice (``*_rev``) where they differ, floats
  rounded to 3 decimals (trade in thousand US$ to 0.1).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import component_sql

KEYS = ["code_a", "code_b", "year"]

#: the directed measures kept (besides the keys and the component scores)
COLUMNS = [
    "ip_distance", "ip_distance_lo", "ip_distance_hi", "votes_common_n", "vote_agree_share", "vote_kappa",
    "visa_openness_b_for_a", "visa_openness_a_for_b",
    "energy_minerals_exports_a_to_b_kusd", "energy_minerals_exports_b_to_a_kusd", "energy_minerals_trade_share_of_a",
    "energy_minerals_trade_share_of_b", "total_trade_share_of_a", "total_trade_share_of_b",
    "groupings_shared_n", "groupings_shared", "alliance_defense", "alliance_offense", "alliance_neutrality",
    "alliance_nonaggression", "alliance_consultation", "alliance_source", "trade_agreements_shared_n",
    "events_a_to_b_n", "events_verbal_coop_a_to_b", "events_material_coop_a_to_b",
    "war_ongoing", "armed_conflict_ongoing", "rivalry_tss", "rivalry_td",
    "closeness", "closeness_n_dims", "closeness_components", "closeness_lo", "closeness_hi",
    "dependence_a_on_b", "dependence_b_on_a", "dependence_channels", "economy_measure", "relation_type", "relation_evidence",
]
SCORES = [f"score_{k}" for k in component_sql()]
#: computed from the other columns when the snapshot is read (not stored)
DERIVED = ["score_values", "closeness", "closeness_n_dims", "closeness_components", "closeness_lo", "closeness_hi"]
#: computed on reading from the snapshot's ideal points (``ideal_points.parquet``), not stored
FROM_IDEAL_POINTS = ["ip_distance", "ip_distance_lo", "ip_distance_hi"]
#: pairs of columns that swap with the direction (A's row x = B's row y)
MIRRORS = {"visa_openness_b_for_a": "visa_openness_a_for_b", "energy_minerals_exports_a_to_b_kusd": "energy_minerals_exports_b_to_a_kusd",
           "energy_minerals_trade_share_of_a": "energy_minerals_trade_share_of_b", "total_trade_share_of_a": "total_trade_share_of_b",
           "dependence_a_on_b": "dependence_b_on_a"}
MIRRORS.update({v: k for k, v in MIRRORS.items()})

#: before 1991 the snapshot keeps the pairs among these (COW major powers, the G20's states and the
#: predecessors of both): enough for the great-power triangles and poles since 1946
SNAPSHOT_MAJORS = sorted({"USA", "RUS", "SUN", "CHN", "GBR", "FRA", "DEU", "GFR", "DDR", "JPN", "ITA", "IND", "BRA", "CAN",
                          "AUS", "KOR", "MEX", "IDN", "TUR", "SAU", "ARG", "ZAF", "PRK", "PAK", "IRN", "ISR", "EGY",
                          "POL", "UKR", "ESP", "VNM", "CUB"})
SNAPSHOT_FROM = 1991


def from_dyads(d) -> pd.DataFrame:
    """The measures of a :class:`Dyads` table (adds the relation layer when it is not there)."""
    if "closeness" not in d.columns:
        d.add_relation()
    out = d.to_pandas([c for c in COLUMNS + SCORES if c in d.columns])
    for c in COLUMNS:
        if c not in out:          # a family of measures whose table the warehouse lacks (Dyads.notes says which)
            out[c] = np.nan
    return out[KEYS + COLUMNS + SCORES]


def measures(years=None, states=None, db=None) -> pd.DataFrame:
    """Directed dyad-year measures for ``years`` (``"1991:2024"``, a year or None for all) among
    ``states`` (None: all), from the warehouse when it holds imports, else the embedded snapshot."""
    from ..dimensions.values import parse_years
    from ..warehouse import Warehouse
    w = Warehouse(db)
    rng = parse_years(years)
    if w.path.exists() and len(w.status()):
        from . import Dyads
        d = Dyads(years=years, states=states, db=db)
        out = from_dyads(d)
        out.attrs.update({"basis": f"the warehouse {w.path}", "notes": list(d.notes)})
        d.close()
        return out
    return from_snapshot(rng, states)


def from_snapshot(rng=None, states=None) -> pd.DataFrame:
    """The dyad measures from the embedded snapshot (for a fresh install), for the years ``rng`` and the
    states ``states``."""
    from ..actors.registry import registry
    from ..errors import MultipolarError
    from ..snapshot import manifest, snapshot_dir
    p = snapshot_dir() / "dyads.parquet"
    if not p.exists():
        raise MultipolarError("the embedded snapshot has no dyad measures; import data (`multipolar data import`) "
                              "or rebuild the snapshot (`multipolar snapshot build`)")
    conds = [f"year BETWEEN {int(rng[0])} AND {int(rng[1])}"] if rng else []
    if states:
        items = states.split(",") if isinstance(states, str) else list(states)
        reg = registry()
        codes = ", ".join(f"'{c}'" for c in sorted({reg.resolve(str(s).strip()) for s in items if str(s).strip()}))
        conds.append(f"code_a IN ({codes}) AND code_b IN ({codes})")
    ip = snapshot_dir() / "ideal_points.parquet"
    out = expand(p, " AND ".join(conds), ip if ip.exists() else None)
    man = manifest()
    out.attrs.update({"basis": f"the embedded snapshot (built {man['built']})",
                      "notes": [f"dyad measures from the embedded snapshot: every pair from {SNAPSHOT_FROM}, before that the pairs among "
                                f"{len(SNAPSHOT_MAJORS)} major states; built without the Global Sanctions Database (licence): sanctions "
                                "and the relation types they set rest on multipolar's own dated list. Import the data for the rest."]})
    return out


def compact(df: pd.DataFrame, from_ideal_points: bool = False) -> pd.DataFrame:
    """One row per unordered pair-year, for the snapshot: a column once where both directions agree
    (or, for the :data:`MIRRORS`, where B's row holds A's mirror value), else also as ``*_rev``; the
    :data:`DERIVED` columns are left out (recomputed on reading, with the same formulas), and with
    ``from_ideal_points`` the :data:`FROM_IDEAL_POINTS` too (the snapshot ships the ideal points)."""
    if from_ideal_points:
        df = df.drop(columns=[c for c in FROM_IDEAL_POINTS if c in df.columns])
    fwd = df[df["code_a"] < df["code_b"]].reset_index(drop=True)
    rev = df[df["code_a"] > df["code_b"]].rename(columns={"code_a": "code_b", "code_b": "code_a"})
    rev = fwd[KEYS].merge(rev, on=KEYS, how="left")
    out = fwd[KEYS].copy()
    for c in df.columns:
        if c in KEYS or c in DERIVED:
            continue
        a, b = _round(c, fwd[c]), _round(c, rev[c])
        out[c] = a
        if c in MIRRORS and _same(b, _round(MIRRORS[c], fwd[MIRRORS[c]])):
            continue
        if c not in MIRRORS and _same(a, b):
            continue
        out[f"{c}_rev"] = b
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].astype("category")
    return out.sort_values(KEYS).reset_index(drop=True)


def expand(u, where: str = "", ideal_points=None) -> pd.DataFrame:
    """The directed table back from :func:`compact` (both rows of every pair, the derived columns
    computed), in DuckDB. ``u``: the compact frame or the path of its Parquet file; ``where``: a SQL
    condition on the compact rows (years, states); ``ideal_points`` (frame or Parquet path with
    code, year, ideal_point, se): the :data:`FROM_IDEAL_POINTS` columns computed from them."""
    import duckdb

    from ..dimensions.dyads import ip_distance_sql
    from . import closeness_from_scores_sql
    con = duckdb.connect(config={"threads": 2})
    con.execute("SET enable_progress_bar = false").fetchall()
    if isinstance(u, pd.DataFrame):
        con.register("u", u)
        names = list(u.columns)
    else:
        con.execute(f"CREATE VIEW u AS SELECT * FROM read_parquet('{u}')").fetchall()
        names = [r[0] for r in con.execute("DESCRIBE u").fetchall()]
    if ideal_points is not None:
        if isinstance(ideal_points, pd.DataFrame):
            con.register("ip", ideal_points)
        else:
            con.execute(f"CREATE VIEW ip AS SELECT * FROM read_parquet('{ideal_points}')").fetchall()
    base = [c for c in names if not c.endswith("_rev") and c not in KEYS]
    stored_rev = {c[:-4] for c in names if c.endswith("_rev")}
    rev = {c: f"{c}_rev" if c in stored_rev else (MIRRORS[c] if c in MIRRORS else c) for c in base}
    fwd_sel = ", ".join(["code_a", "code_b", "year"] + [f'"{c}"' for c in base])
    rev_sel = ", ".join(["code_b AS code_a", "code_a AS code_b", "year"] + [f'"{rev[c]}" AS "{c}"' for c in base])
    w = f"WHERE {where}" if where else ""
    comp = component_sql()
    close, ndims, names = closeness_from_scores_sql()
    lo, _, _ = closeness_from_scores_sql(values=component_sql("ip_distance_hi")["values"])
    hi, _, _ = closeness_from_scores_sql(values=component_sql("ip_distance_lo")["values"])
    cols = KEYS + [c for c in COLUMNS + SCORES if c in base or c in DERIVED or (ideal_points is not None and c in FROM_IDEAL_POINTS)]
    d = f"SELECT {fwd_sel} FROM u {w} UNION ALL SELECT {rev_sel} FROM u {w}"
    if ideal_points is not None:
        ipd = ip_distance_sql()
        d = (f"SELECT d0.*, {', '.join(f'{ipd[c]} AS {c}' for c in FROM_IDEAL_POINTS)} FROM ({d}) d0 "
             "LEFT JOIN ip ipa ON ipa.code = d0.code_a AND ipa.year = d0.year LEFT JOIN ip ipb ON ipb.code = d0.code_b AND ipb.year = d0.year")
    q = (f"WITH d AS ({d}), "
         f"s AS (SELECT *, {comp['values']} AS score_values FROM d), "
         f"c AS (SELECT *, {close} AS closeness, CAST({ndims} AS TINYINT) AS closeness_n_dims, {names} AS closeness_components, "
         f"{lo} AS closeness_lo, {hi} AS closeness_hi FROM s) "
         f"SELECT {', '.join(chr(34) + c + chr(34) for c in cols)} FROM c")
    # strings arrive as categoricals (a fraction of the time and memory of Python strings); the
    # state codes as plain strings, so that they compare and sort as codes
    out = con.sql(q).to_arrow_table().to_pandas(strings_to_categorical=True)
    for c in ("code_a", "code_b"):
        out[c] = out[c].astype(object)
    con.close()
    return out


def _same(a: pd.Series, b: pd.Series) -> bool:
    na_a, na_b = a.isna().to_numpy(), b.isna().to_numpy()
    both = ~na_a & ~na_b
    return bool(((na_a == na_b) & ~both | both & _eq(a.to_numpy(object), b.to_numpy(object), both)).all())


def _eq(x, y, mask):
    out = np.zeros(len(x), dtype=bool)
    out[mask] = x[mask] == y[mask]
    return out


def _round(name: str, s: pd.Series) -> pd.Series:
    if s.dtype.kind == "f":
        return s.round(1) if name.endswith(("_kusd", "_musd")) else s.round(3).astype("float32")
    return s


def snapshot_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The rows the snapshot keeps: every pair from SNAPSHOT_FROM, the major states' pairs before."""
    keep = (df["year"] >= SNAPSHOT_FROM) | (df["code_a"].isin(SNAPSHOT_MAJORS) & df["code_b"].isin(SNAPSHOT_MAJORS))
    return df[keep]
