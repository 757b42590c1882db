"""Coverage is data: in the full table every column is missing beyond its source's last year (or
flagged carried), a composite says which components it used, and no relation type jumps at the edge
of a source's coverage. Runs on the real shared data (the full table is built once per session)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from multipolar.actors.facts import conflicts
from multipolar.relations import Dyads

#: sources whose later years come from multipolar's compiled facts (a source per row), tested apart
CONTINUED = {"atop": "compiled pacts in force, NATO/CSTO and the treaty list",
             "gsdb": "the dated sanctions list", "wars": "the dated conflict list"}
#: a relation type with fewer pairs than this in both years is too rare for a 25% rule
MIN_PAIRS = 50


def _last_year_with_data(df: pd.DataFrame, col: str) -> int | None:
    y = df.loc[df[col].notna(), "year"]
    return int(y.max()) if len(y) else None


def _sources(d: Dyads) -> pd.DataFrame:
    return d.coverage_sources().dropna(subset=["last_year"])


def test_every_source_records_its_years_and_rule(full_table):
    d, _ = full_table
    cs = d.coverage_sources()
    assert {"ideal_points", "visa", "energy_minerals", "atop", "gsdb", "mid", "rivalry_tss", "arms", "cow_igo"} <= set(cs["family"])
    assert cs["rule"].str.len().min() > 10                      # every source says what a missing pair means
    assert cs.set_index("family").loc["atop", "last_year"] == 2018
    assert cs.set_index("family").loc["gsdb", "last_year"] == 2022


#: every source of the full table whose columns must end with it (the ones continued by compiled facts are tested below)
SOURCES = ["ideal_points", "vote_agreement", "visa", "migrants", "energy_minerals", "eurostat", "cow_igo", "trade_agreements",
           "mid", "rivalry_tss", "rivalry_td", "arms", "nmc", "wdi"]


@pytest.mark.parametrize("family", SOURCES)
def test_each_column_is_missing_beyond_its_sources_last_year(full_table, family):
    d, df = full_table
    cs = d.coverage_sources().set_index("family")
    assert family in cs.index, f"{family} is not in the table's coverage log"
    r = cs.loc[family]
    assert r["last_year"] == r["last_year"], f"{family}: no years recorded"
    bad = []
    for c in r["columns"]:
        last = _last_year_with_data(df, c)
        if last is not None and last > r["last_year"]:
            bad.append(f"{c} ends {int(r['last_year'])} but has data in {last}")
    assert not bad, bad
    if family == "migrants":      # UN DESA's estimate years only, never interpolated
        years = set(df.loc[df["migrants_a_in_b"].notna(), "year"].unique())
        assert years <= {1990, 1995, 2000, 2005, 2010, 2015, 2017, 2020, 2024} and {2020, 2024} <= years


def test_inside_its_years_a_source_with_zeros_observes_every_pair(full_table):
    _, df = full_table
    assert df.loc[df["year"] == 2018, "alliance_defense"].notna().mean() == 1.0
    assert df.loc[df["year"] == 2022, "sanctions_a_on_b_n"].notna().mean() == 1.0
    assert df.loc[df["year"] == 2010, "mid_ongoing"].notna().mean() == 1.0
    assert df.loc[df["year"] == 2011, "mid_ongoing"].isna().all()


def test_sources_continued_by_compiled_facts_name_them(full_table):
    d, df = full_table
    cs = d.coverage_sources().set_index("family")
    atop, gsdb, ucdp = (int(cs.loc[f, "last_year"]) for f in ("atop", "gsdb", "wars"))
    later = df[df["year"] > atop]
    assert not later["alliance_source"].astype(str).str.contains("ATOP").any()
    assert later.loc[later["alliance_defense"] == 1, "alliance_source"].notna().all()
    # after GSDB, a sanctions value exists only for the pairs of the dated list
    from multipolar.relations.sanctions import sanction_pairs
    listed = sanction_pairs(gsdb + 1, int(df["year"].max()))
    have = df.loc[(df["year"] > gsdb) & df["sanctions_a_on_b_n"].notna(), ["code_a", "code_b", "year"]]
    m = have.merge(listed[["code_a", "code_b", "year"]], how="left", indicator=True)
    assert (m["_merge"] == "both").all(), m[m["_merge"] != "both"].head()
    # after UCDP, war only from the dated conflict list
    cf = {(r.code_a, r.code_b) for r in conflicts().itertuples()} | {(r.code_b, r.code_a) for r in conflicts().itertuples()}
    w = df.loc[(df["year"] > ucdp) & df["war_ongoing"].notna(), ["code_a", "code_b"]]
    assert all((a, b) in cf for a, b in zip(w["code_a"], w["code_b"]))


def _type_counts(df: pd.DataFrame) -> pd.DataFrame:
    und = df[df["code_a"] < df["code_b"]]
    return und.groupby(["year", "relation_type"], observed=True).size().unstack(fill_value=0)


#: the families that ``carry=`` can repeat past their last year
CARRY = {"atop": "atop", "gsdb": "gsdb", "mid": "mid", "rivalry_tss": "rivalries", "rivalry_td": "rivalries", "cow_igo": "cow_igo"}


def test_no_relation_type_jumps_at_a_sources_edge(full_table, fitted_warehouse):
    """Between a source's last year and the next, no relation type's count changes by more than 25%
    (types with fewer than MIN_PAIRS pairs in both years aside). Where the world changed in the very
    year a source ends (the sanctions of 2011 coincide with the end of the MID and Thompson-Dreyer
    data), the edge's own effect is measured instead: the next year's counts with the source carried
    (``carry=``, its last year assumed to go on) against the default."""
    d, df = full_table
    counts = _type_counts(df)
    last_table = int(df["year"].max())
    jumps, checked = [], []
    for r in _sources(d).itertuples(index=False):
        y = int(r.last_year)
        if y >= last_table or y + 1 not in counts.index or y not in counts.index:
            continue
        for t in counts.columns:
            a, b = counts.loc[y, t], counts.loc[y + 1, t]
            if max(a, b) < MIN_PAIRS or abs(b - a) <= 0.25 * max(a, 1):
                continue
            if r.family in CARRY:
                c = Dyads(years=f"{y + 1}", db=fitted_warehouse, carry=CARRY[r.family]).add_all().add_relation()
                carried = _type_counts(c.to_pandas(["relation_type"])).reindex(columns=counts.columns, fill_value=0).loc[y + 1, t]
                checked.append(f"{t} {y}->{y + 1}: {a} -> {b}; with {r.family} carried {carried}")
                if abs(b - carried) <= 0.25 * max(carried, 1):
                    continue
            jumps.append(f"{t}: {a} in {y} -> {b} in {y + 1} (edge of {r.family})")
    assert not jumps, (jumps, checked)


def test_closeness_names_the_components_it_rests_on(full_table):
    _, df = full_table
    s = df.sample(20_000, random_state=1)
    n = s["closeness_components"].astype(object).fillna("").map(lambda x: len([c for c in x.split(",") if c]))
    assert (n == s["closeness_n_dims"].fillna(0)).all()
    for comp in ("values", "institutions", "economy", "people", "interaction"):
        has = s[f"score_{comp}"].notna()
        assert (s.loc[has, "closeness_components"].str.contains(comp)).all()
        assert not (s.loc[~has, "closeness_components"].astype(object).fillna("").str.contains(comp)).any()
    # the interaction component is evidence, not a default 0: most pairs have none
    assert df["score_interaction"].notna().mean() < 0.2
    assert (df["score_interaction"].dropna() != 0).mean() > 0.9


def test_values_only_where_votes_support_them(full_table):
    _, df = full_table
    from multipolar.dimensions.values import MIN_ROLL_CALLS
    # unvotes ends with session 74 (2019) plus one roll call of 2022; the UN Digital Library's file adds 2020-21.
    # 2022 has one roll call, below the minimum: no ideal points, no agreement (never a value from one vote)
    yr = df[df["year"] == 2022]
    assert yr["ip_distance"].isna().all() and yr["vote_agree_share"].isna().all(), MIN_ROLL_CALLS
    for y in (2019, 2020, 2021):
        assert df.loc[df["year"] == y, "ip_distance"].notna().mean() > 0.9, y


def test_carrying_is_asked_for_and_flagged(fitted_warehouse):
    d = Dyads(years="2017:2022", states=["USA", "JPN", "FRA", "DEU", "RUS", "CHN"], db=fitted_warehouse, carry="atop,rivalries")
    df = d.add_institutions().add_interaction().to_pandas()
    assert (df["alliance_carried"] == (df["year"] > 2018)).all()
    c18 = df[df["year"] == 2018].set_index(["code_a", "code_b"])["alliance_defense"]
    c20 = df[df["year"] == 2020].set_index(["code_a", "code_b"])["alliance_defense"]
    assert (c20.reindex(c18.index) >= c18).all()                 # ATOP's 2018 ties repeated (and the later sources on top)
    assert df.loc[df["year"] == 2020, "alliance_source"].str.contains("carried").any()
    assert (df["rivalry_tss_carried"] == (df["year"] > 2020)).all()           # TSS ends in 2020
    us_cn = df[(df["code_a"] == "USA") & (df["code_b"] == "CHN")].set_index("year")["rivalry_tss"]
    assert us_cn.loc[2020] == 1 and us_cn.loc[2022] == 1                        # carried, because asked
    plain = Dyads(years="2017:2020", states=["USA", "JPN"], db=fitted_warehouse).add_institutions().to_pandas()
    assert "alliance_carried" not in plain                       # never by default
    with pytest.raises(Exception, match="unknown source"):
        Dyads(years="2019", db=fitted_warehouse, carry="everything")


def test_trade_is_named_by_what_it_holds(full_table):
    d, df = full_table
    cb = d.codebook().set_index("name")
    assert "energy and mineral" in cb.loc["energy_minerals_exports_a_to_b_kusd", "unit"]
    assert not any(c.startswith("baci_") for c in df.columns)
    # no full trade file in the shared data: total trade is missing, and the notes say so
    assert df["total_trade_share_of_a"].isna().all()
    assert any("no full trade file" in n for n in d.notes)
    assert set(df["economy_measure"].dropna().unique()) == {"energy and minerals"}


def test_a_pair_that_both_stopped_reporting_is_missing_not_zero(full_table):
    d, df = full_table
    rb = df[(df["code_a"] == "RUS") & (df["code_b"] == "BLR")].set_index("year")
    assert rb.loc[2021, "energy_minerals_exports_a_to_b_kusd"] > 1e6       # billions of US$ of oil and gas
    assert rb.loc[2022:2024, "energy_minerals_exports_a_to_b_kusd"].isna().all()
    assert rb.loc[2022:2024, "score_economy"].isna().all()
    assert any("RUS" in n and "BLR" in n and "vanished" in n for n in d.notes)
    # a pair inside BACI with one reporter and no flow is a zero
    z = df[(df["year"] == 2019) & (df["energy_minerals_exports_a_to_b_kusd"] == 0)]
    assert len(z) > 1000


def test_a_flow_baci_does_not_record_is_missing_not_an_undercount(full_table):
    d, df = full_table
    # sources/data/trade_gaps.csv: Russia's pipeline gas to Germany (to 2022) and its crude to Türkiye (2022-23) are not in
    # BACI (neither side declares them): the pair's measures of that direction are missing, not an undercount
    rd = df[(df["code_a"] == "RUS") & (df["code_b"] == "DEU")].set_index("year")
    dr = df[(df["code_a"] == "DEU") & (df["code_b"] == "RUS")].set_index("year")
    for y in (2010, 2021, 2022):
        assert pd.isna(rd.loc[y, "energy_minerals_exports_a_to_b_kusd"]) and pd.isna(dr.loc[y, "energy_minerals_exports_b_to_a_kusd"])
        assert pd.isna(dr.loc[y, "energy_imports_a_from_b_share"]) and pd.isna(rd.loc[y, "energy_imports_b_from_a_share"])
        assert pd.isna(dr.loc[y, "energy_minerals_trade_share_of_a"]) and pd.isna(rd.loc[y, "energy_minerals_trade_share_of_b"])
        assert dr.loc[y, "energy_minerals_exports_a_to_b_kusd"] >= 0               # the other direction is recorded and kept
        assert pd.isna(dr.loc[y, "dependence_a_on_b"])                              # not the arms channel alone (0: "no dependence")
    assert rd.loc[2023, "energy_minerals_exports_a_to_b_kusd"] >= 0               # outside the listed years: BACI as it is
    assert dr.loc[2023, "dependence_a_on_b"] >= 0
    assert any("trade_gaps.csv" in n and "RUS->TUR crude oil 2022-2023" in n and "RUS->DEU natural gas" in n for n in d.notes)


def test_a_tiny_trade_does_not_make_two_states_economically_close(full_table):
    _, df = full_table
    trade = df["energy_minerals_exports_a_to_b_kusd"] + df["energy_minerals_exports_b_to_a_kusd"]
    # at most 100,000 US$ a year between two economies of a billion or more: the larger share of trade
    # made such pairs fully close (a microstate's whole energy trade can be that small)
    tiny = df[trade.between(1, 100) & (df[["gdp_a_usd", "gdp_b_usd"]].min(axis=1) > 1e9) & df["score_economy"].notna()]
    assert len(tiny) > 1000
    assert tiny["score_economy"].max() <= 0.02
    old = np.minimum(1, 5 * np.maximum(tiny["energy_minerals_trade_share_of_a"], tiny["energy_minerals_trade_share_of_b"]))
    assert (old == 1).sum() > 100                    # the old score: 5 x the larger share
    big = df[(df["code_a"] == "CAN") & (df["code_b"] == "USA") & (df["year"] == 2019)].iloc[0]
    assert big["score_economy"] > 0.8                                           # among the largest energy ties there are
