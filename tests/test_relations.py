"""The relation layer's formulas on synthetic cases: dependence weighs channels by their size,
closeness changes are compared over common components, series are chained."""
from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from multipolar import relations as R


def _dependence(rows: list[dict]) -> pd.DataFrame:
    cols = ["total_trade_share_of_a", "total_trade_share_of_b", "total_trade_exports_a_to_b_musd", "total_trade_exports_b_to_a_musd",
            "total_trade_of_a_musd", "total_trade_of_b_musd", "energy_minerals_exports_a_to_b_kusd", "energy_minerals_exports_b_to_a_kusd",
            "energy_minerals_trade_of_a_kusd", "energy_minerals_trade_of_b_kusd", "energy_minerals_trade_share_of_a",
            "arms_tiv_a_to_b", "arms_tiv_b_to_a", "arms_imports_a_tiv", "arms_imports_b_tiv", "gdp_a_usd", "gdp_b_usd"]
    df = pd.DataFrame([{c: r.get(c, np.nan) for c in cols} for r in rows]).astype(float)
    con = duckdb.connect()
    con.register("x", df)
    dep_a, gdp_a, _ = R.dependence_sql("a", "b")
    dep_b, _, _ = R.dependence_sql("b", "a")
    return con.execute(f"SELECT {dep_a} AS dep_a, {dep_b} AS dep_b, {gdp_a} AS dep_a_gdp FROM x").df()


def test_a_tiny_arms_channel_does_not_outweigh_a_large_trade_tie():
    # A trades 10,000 M$ of all goods, 3,000 with B and none with C; A received 1 M TIV of arms, all from C
    with_b = {"total_trade_share_of_a": 0.3, "total_trade_share_of_b": 0.01, "total_trade_exports_a_to_b_musd": 1500,
              "total_trade_exports_b_to_a_musd": 1500, "total_trade_of_a_musd": 10_000, "total_trade_of_b_musd": 300_000,
              "arms_tiv_b_to_a": 0, "arms_tiv_a_to_b": 0, "arms_imports_a_tiv": 1, "arms_imports_b_tiv": 50, "gdp_a_usd": 40e9}
    with_c = {**with_b, "total_trade_share_of_a": 0.0, "total_trade_share_of_b": 0.0, "total_trade_exports_a_to_b_musd": 0,
              "total_trade_exports_b_to_a_musd": 0, "arms_tiv_b_to_a": 1}
    d = _dependence([with_b, with_c])
    assert d["dep_a"][0] == pytest.approx(3000 / 10_001)
    assert d["dep_a"][1] == pytest.approx(1 / 10_001)
    assert d["dep_a"][0] > 1000 * d["dep_a"][1]          # the unweighted mean of shares said the opposite (0.15 vs 0.5)
    assert d["dep_a_gdp"][0] == pytest.approx(3000e6 / 40e9)


def test_dependence_uses_the_channels_it_has_and_says_missing_without_any():
    only_arms = {"arms_tiv_b_to_a": 5, "arms_tiv_a_to_b": 0, "arms_imports_a_tiv": 10, "arms_imports_b_tiv": 0}
    energy = {"energy_minerals_exports_a_to_b_kusd": 1000, "energy_minerals_exports_b_to_a_kusd": 1000,
              "energy_minerals_trade_of_a_kusd": 4000, "energy_minerals_trade_of_b_kusd": 1e6, "energy_minerals_trade_share_of_a": 0.5}
    d = _dependence([only_arms, energy, {}])
    assert d["dep_a"][0] == pytest.approx(0.5)
    assert d["dep_a"][1] == pytest.approx(0.5) and d["dep_b"][1] == pytest.approx(2 / 1000)
    assert np.isnan(d["dep_a"][2])                         # no channel: missing, not 0


def test_a_pair_whose_trade_is_missing_while_its_states_trade_has_no_dependence():
    # A trades 4,000 (energy and minerals) in all, its trade with B is not recorded (a listed gap, a vanished pair), and A
    # received no arms from B: arms alone would say A depends on B not at all
    gap = {"energy_minerals_trade_of_a_kusd": 4000, "energy_minerals_trade_of_b_kusd": 1e6,
           "arms_tiv_b_to_a": 0, "arms_tiv_a_to_b": 0, "arms_imports_a_tiv": 10, "arms_imports_b_tiv": 0}
    d = _dependence([gap])
    assert np.isnan(d["dep_a"][0]) and np.isnan(d["dep_a_gdp"][0])


def test_a_change_is_measured_over_common_components():
    then = pd.DataFrame({"code_a": ["A"], "code_b": ["B"], "score_values": [0.8], "score_institutions": [0.5], "score_economy": [0.2],
                         "score_people": [np.nan], "score_interaction": [-0.3], "economy_measure": ["energy and minerals"]})
    now = then.assign(score_people=[1.0], score_interaction=[np.nan], score_institutions=[0.7], economy_measure=["all goods"],
                      score_economy=[0.9])
    c = R.common_change(now, then).iloc[0]
    # people entered, interaction left, economy changed its measure: only values and institutions compare
    assert c["n_common"] == 2 and c["components"] == "values,institutions"
    assert c["change"] == pytest.approx(0.25 * 0.2 / 0.55)


def test_a_component_entering_does_not_move_the_chained_series():
    s = pd.DataFrame({"year": [2017, 2018, 2019, 2020], "score_values": [0.5, 0.5, 0.5, 0.5], "score_institutions": [0.2] * 4,
                      "score_economy": [np.nan] * 4, "score_people": [np.nan, np.nan, 1.0, 1.0], "score_interaction": [np.nan] * 4})
    s["closeness"] = [(0.3 * 0.5 + 0.25 * 0.2) / 0.55] * 2 + [(0.3 * 0.5 + 0.25 * 0.2 + 0.1) / 0.65] * 2
    ch = R.chained(s)
    assert s["closeness"].iloc[2] > s["closeness"].iloc[1] + 0.05        # the level jumps as visas enter
    assert ch.loc[2019] == pytest.approx(ch.loc[2018])                   # the chained series does not
    assert ch.loc[2020] == pytest.approx(s["closeness"].iloc[3])         # anchored at the last year
    s.loc[1, "year"] = 2015
    assert ch.notna().all() and R.chained(s.sort_values("year")).isna().sum() >= 1   # a gap breaks the chain
