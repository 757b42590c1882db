"""The dyad-year measures layer: the compact snapshot storage gives back the directed table."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings, strategies as st

from multipolar.relations import measures as M


def _directed(rng: np.random.Generator, codes, years) -> pd.DataFrame:
    rows = []
    for y in years:
        for a in codes:
            for b in codes:
                if a != b:
                    rows.append((a, b, y))
    d = pd.DataFrame(rows, columns=M.KEYS)
    n = len(d)
    und: dict = {}
    for a, b, y in rows:
        und.setdefault((min(a, b), max(a, b), y), len(und))
    # symmetric measures: one value per unordered pair
    sym = rng.random(len(und))
    key = [und[(min(a, b), max(a, b), y)] for a, b, y in rows]
    for c in M.COLUMNS:
        d[c] = np.nan
    # ideal points per state-year (one state-year without), and the distance with its 90% interval from them
    ip = pd.DataFrame([(c, y, rng.normal(0, 1.5), rng.uniform(0.05, 0.4)) for c in codes for y in years],
                      columns=["code", "year", "ideal_point", "se"]).iloc[1:]
    a = d.merge(ip, left_on=["code_a", "year"], right_on=["code", "year"], how="left")
    b = d.merge(ip, left_on=["code_b", "year"], right_on=["code", "year"], how="left")
    diff, sd = a["ideal_point"] - b["ideal_point"], np.sqrt(a["se"] ** 2 + b["se"] ** 2)
    d["ip_distance"] = diff.abs()
    d["ip_distance_lo"] = np.where((diff - 1.6449 * sd < 0) & (diff + 1.6449 * sd > 0), 0.0, diff.abs() - 1.6449 * sd)
    d["ip_distance_lo"] = d["ip_distance_lo"].where(diff.notna())
    d["ip_distance_hi"] = diff.abs() + 1.6449 * sd
    d["groupings_shared_n"] = (sym[key] * 5).astype(int)
    # mirrored measures: A's share of trade with B is B's "share_of_b" in the reverse row
    share = pd.Series(np.round(rng.random(n), 3), index=d.index)
    d["energy_minerals_trade_share_of_a"] = share
    rev = {(a, b, y): i for i, (a, b, y) in enumerate(rows)}
    d["energy_minerals_trade_share_of_b"] = [share[rev[(b, a, y)]] for a, b, y in rows]
    # a directed measure with no mirror: events from A to B
    d["events_a_to_b_n"] = rng.integers(0, 5, n).astype(float)
    d["relation_type"] = np.where(sym[key] > 0.5, "alliance", "neutral")
    for k in ("people", "economy", "institutions", "interaction"):
        d[f"score_{k}"] = np.round(rng.random(n), 3)
    d.loc[rng.random(n) < 0.2, "score_people"] = np.nan
    return d, ip


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(3, 7))
def test_compact_then_expand_gives_back_the_directed_table(seed, n):
    rng = np.random.default_rng(seed)
    codes = [f"S{i:02d}" for i in range(n)]
    d, ip = _directed(rng, codes, [2000, 2001])
    u = M.compact(d)
    assert len(u) == len(d) // 2
    assert "ip_distance_rev" not in u and "energy_minerals_trade_share_of_b_rev" not in u    # stored once
    assert "events_a_to_b_n_rev" in u                                              # directed: stored twice
    e = M.expand(u).sort_values(M.KEYS).reset_index(drop=True)
    # the snapshot's way: the distances not stored, recomputed from the ideal points on reading
    u2 = M.compact(d, from_ideal_points=True)
    assert not set(M.FROM_IDEAL_POINTS) & set(u2.columns)
    e2 = M.expand(u2, ideal_points=ip).sort_values(M.KEYS).reset_index(drop=True)
    d = d.sort_values(M.KEYS).reset_index(drop=True)
    assert len(e) == len(d) == len(e2)
    for c in ("ip_distance", "energy_minerals_trade_share_of_a", "energy_minerals_trade_share_of_b", "events_a_to_b_n", "score_people"):
        np.testing.assert_allclose(e[c].astype(float), d[c].astype(float), atol=1e-3, err_msg=c)
    for c in M.FROM_IDEAL_POINTS + ["closeness", "closeness_lo", "closeness_hi"]:
        np.testing.assert_allclose(e2[c].astype(float), e[c].astype(float) if c.startswith("clos") else d[c].astype(float),
                                   atol=1e-3, err_msg=c)
    assert e2["ip_distance"].isna().sum() == d["ip_distance"].isna().sum() > 0      # missing stays missing
    assert (e["relation_type"].astype(str) == d["relation_type"].astype(str)).all()
    # closeness recomputed from the stored scores (and the values score from the distance)
    w = {"values": 0.30, "institutions": 0.25, "economy": 0.15, "people": 0.10, "interaction": 0.20}
    sv = np.clip(1 - d["ip_distance"] / 2, -1, 1)
    num = w["values"] * sv.fillna(0) + sum(w[k] * d[f"score_{k}"].fillna(0) for k in ("people", "economy", "institutions", "interaction"))
    den = w["values"] * sv.notna() + sum(w[k] * d[f"score_{k}"].notna() for k in ("people", "economy", "institutions", "interaction"))
    np.testing.assert_allclose(e["closeness"], num / den, atol=1e-4)      # the stored distance is rounded to 3 decimals
    assert (e["closeness_lo"] <= e["closeness"] + 1e-9).all() and (e["closeness"] <= e["closeness_hi"] + 1e-9).all()


def test_the_shipped_snapshot_reads_back(tmp_path):
    d = M.measures("2015:2016", ["USA", "RUS", "CHN", "IND"], db=tmp_path / "none.duckdb")
    assert set(d["year"]) == {2015, 2016} and len(d) == 2 * 12
    assert "embedded snapshot" in d.attrs["basis"]
    r = d[(d["code_a"] == "RUS") & (d["code_b"] == "CHN") & (d["year"] == 2016)].iloc[0]
    q = d[(d["code_a"] == "CHN") & (d["code_b"] == "RUS") & (d["year"] == 2016)].iloc[0]
    assert r["energy_minerals_trade_share_of_a"] == q["energy_minerals_trade_share_of_b"]          # mirrored
    assert r["dependence_a_on_b"] == q["dependence_b_on_a"]
    assert r["ip_distance"] == q["ip_distance"]
    assert -1 <= r["closeness"] <= 1 and r["closeness_n_dims"] >= 3
    # before 1991 only the major states' pairs
    old = M.measures("1980:1980", db=tmp_path / "none.duckdb")
    assert set(old["code_a"]) <= set(M.SNAPSHOT_MAJORS) and "SUN" in set(old["code_a"])


def test_measures_from_a_warehouse_match_the_snapshot_formulas(full_warehouse):
    """The same code path on the warehouse: the columns and the closeness identity hold."""
    d = M.measures("2015:2015", ["USA", "RUS", "CHN", "DEU", "IND"], db=full_warehouse.path)
    assert list(d.columns) == M.KEYS + M.COLUMNS + M.SCORES
    assert "warehouse" in d.attrs["basis"]
    w = {"values": 0.30, "institutions": 0.25, "economy": 0.15, "people": 0.10, "interaction": 0.20}
    num = sum(w[k] * d[f"score_{k}"].fillna(0) for k in w)
    den = sum(w[k] * d[f"score_{k}"].notna() for k in w)
    np.testing.assert_allclose(d["closeness"], num / den, atol=1e-9)
