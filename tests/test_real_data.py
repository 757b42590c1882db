"""The readers on the real public files: known facts must come out of the warehouse."""
import pytest

from tests.conftest import needs_shared

pytestmark = needs_shared


def test_baci_russian_crude_matches_the_manifest_sanity_check(full_warehouse):
    q = """SELECT importer, year, sum(value_kusd) / 1e6 AS usd_bn FROM baci_trade
           WHERE exporter = 'RUS' AND hs6 = '270900' AND year IN (2021, 2024) AND importer IN ('CHN', 'DEU', 'IND')
           GROUP BY ALL"""
    d = {(r.importer, r.year): r.usd_bn for r in full_warehouse.query(q).itertuples()}
    assert d[("CHN", 2021)] == pytest.approx(36.2, abs=0.05) and d[("CHN", 2024)] == pytest.approx(62.6, abs=0.05)
    assert d[("DEU", 2021)] == pytest.approx(10.3, abs=0.05) and d.get(("DEU", 2024), 0.0) == pytest.approx(0.0, abs=0.05)
    assert d[("IND", 2021)] == pytest.approx(0.9, abs=0.05) and d[("IND", 2024)] == pytest.approx(52.7, abs=0.05)


def test_un_votes_every_vote_has_a_state(full_warehouse):
    n, coded = full_warehouse.query("SELECT count(*) n, count(code) c FROM un_votes").iloc[0]
    assert n >= 870_109 and n == coded
    es11 = full_warehouse.query("SELECT vote, count(*) n FROM un_votes WHERE rcid = 990001 GROUP BY vote")
    assert dict(zip(es11.vote, es11.n)) == {"yes": 141, "no": 5, "abstain": 35}


def test_visa_scale_is_one_documented_scale_across_vocabularies(full_warehouse):
    q = "SELECT snapshot, visa_category, count(*) n FROM visa WHERE snapshot IN ('2019-11-23', '2020-02-07', '2025-01-12') GROUP BY ALL"
    d = full_warehouse.query(q)
    assert set(d.visa_category) <= {0, 1, 2, 3, 4}
    for snap in ("2019-11-23", "2020-02-07", "2025-01-12"):
        cats = set(d[d.snapshot == snap].visa_category)
        assert {1, 3, 4} <= cats, snap
    # schengen citizens travel visa-free in the EU; Russians need a visa for the US
    one = full_warehouse.query("SELECT passport, destination, visa_category FROM visa WHERE snapshot = '2025-01-12' AND "
                               "((passport = 'DEU' AND destination = 'FRA') OR (passport = 'RUS' AND destination = 'USA'))")
    got = {(r.passport, r.destination): r.visa_category for r in one.itertuples()}
    assert got == {("DEU", "FRA"): 4, ("RUS", "USA"): 1}


def test_gsdb_parties_split_lists_and_keep_organisations(full_warehouse):
    p = full_warehouse.table("sanction_parties")
    assert {"state", "organisation", "non-state"} <= set(p["kind"])
    assert p.loc[p["kind"] == "state", "code"].notna().all()
    # the 2022 cases against Russia are there, with the EU as a sender
    c = full_warehouse.query("""SELECT DISTINCT c.case_id FROM sanction_cases c JOIN sanction_parties t ON t.case_id = c.case_id AND t.role = 'target'
                                JOIN sanction_parties s ON s.case_id = c.case_id AND s.role = 'sender'
                                WHERE c."begin" = 2022 AND t.code = 'RUS' AND s.party = 'EU'""")
    assert len(c) >= 1
    assert "GFR" in set(p.loc[(p.case_id == 1) & (p.role == "sender"), "code"])


def test_cow_codes_follow_state_succession(full_warehouse):
    n = full_warehouse.query("SELECT code, year FROM nmc WHERE code IN ('SUN', 'RUS') AND year BETWEEN 1989 AND 1993 ORDER BY year")
    assert dict(zip(n.year, n.code)) == {1989: "SUN", 1990: "SUN", 1991: "RUS", 1992: "RUS", 1993: "RUS"}
    a = full_warehouse.query("SELECT count(*) FROM atop_alliance WHERE code_a = 'GFR' AND code_b = 'USA' AND year = 1980 AND atop_defense = 1")
    assert a.iloc[0, 0] == 1


def test_rejected_rows_are_counted_with_reasons(full_warehouse):
    st = full_warehouse.status()
    wdi = st[st.source == "wdi"].iloc[0]
    import json
    rej = json.loads(wdi["rejected"])
    assert any("aggregate" in k for k in rej) and wdi["rows_rejected"] > 0
    assert wdi["rows_read"] == wdi["rows_kept"] + wdi["rows_rejected"]


def test_sipri_and_arms_tables(full_warehouse):
    t = full_warehouse.query("SELECT sum(tiv_mn) FROM arms_tiv WHERE \"table\" = 'tiv_cow' AND supplier = 'RUS' AND recipient = 'IND' AND year BETWEEN 2010 AND 2019")
    assert t.iloc[0, 0] > 10_000
    d = full_warehouse.table("arms_deals")
    assert d["recipient_kind"].isin(["state", "non-state", "territory"]).all()
    assert (d["recipient_code"].notna() == (d["recipient_kind"] == "state")).all()
    assert set(d.loc[d["recipient_kind"] == "territory", "recipient"]) <= {"Hong Kong", "Palestine", "Western Sahara", "Northern Cyprus", "Macao", "Puerto Rico", "Greenland"}


def test_events_carry_quad_classes_and_goldstein(full_warehouse):
    e = full_warehouse.query("SELECT source, count(*) n, min(quad_class) lo, max(quad_class) hi FROM events GROUP BY source")
    got = dict(zip(e.source, e.n))
    assert got["icews"] > 4000 and got["gdelt1"] > 0 and got["gdelt2"] > 0
    assert e.lo.min() >= 1 and e.hi.max() <= 4
