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
    # COW 365 in 1991 is the USSR: it held the code for 359 days of the year, Russia for 6 (the yearly rule)
    n = full_warehouse.query("SELECT code, year FROM nmc WHERE code IN ('SUN', 'RUS') AND year BETWEEN 1989 AND 1993 ORDER BY year")
    assert dict(zip(n.year, n.code)) == {1989: "SUN", 1990: "SUN", 1991: "SUN", 1992: "RUS", 1993: "RUS"}
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
    # a party that was not a state in the order year is kept without a code, its kind says why
    assert d["recipient_kind"].isin(["state", "non-state", "territory", "state-not-existing", "not-system-member", "ambiguous"]).all()
    assert (d["recipient_code"].notna() == (d["recipient_kind"] == "state")).all()
    assert set(d.loc[d["recipient_kind"] == "territory", "recipient"]) <= {"Hong Kong", "Palestine", "Western Sahara", "Northern Cyprus", "Macao", "Puerto Rico", "Greenland"}


def test_events_carry_quad_classes_and_goldstein(full_warehouse):
    e = full_warehouse.query("SELECT source, count(*) n, min(quad_class) lo, max(quad_class) hi FROM events GROUP BY source")
    got = dict(zip(e.source, e.n))
    assert got["icews"] > 4000 and got["gdelt1"] > 0 and got["gdelt2"] > 0
    assert e.lo.min() >= 1 and e.hi.max() <= 4


# ---- countries: dated, named, never guessed --------------------------------------------------------
def test_every_resolved_code_is_a_state_of_its_year(full_warehouse):
    """GSDB, SIPRI (the three files), Eurostat and UN DESA 2017: every code exists in the state system in its year."""
    from multipolar.actors.registry import registry
    reg = registry()
    queries = {
        "sanction_party_years": "SELECT DISTINCT code, year FROM sanction_party_years WHERE code IS NOT NULL",
        "arms_tiv": "SELECT DISTINCT supplier AS code, year FROM arms_tiv UNION SELECT DISTINCT recipient, year FROM arms_tiv",
        "arms_deals": "SELECT DISTINCT supplier_code AS code, order_year AS year FROM arms_deals WHERE supplier_code IS NOT NULL "
                      "UNION SELECT DISTINCT recipient_code, order_year FROM arms_deals WHERE recipient_code IS NOT NULL",
        "eurostat_trade": "SELECT DISTINCT reporter AS code, year FROM eurostat_trade WHERE reporter_kind = 'state' "
                          "UNION SELECT DISTINCT partner, year FROM eurostat_trade",
        "migrant_stock": "SELECT DISTINCT origin AS code, year FROM migrant_stock UNION SELECT DISTINCT destination, year FROM migrant_stock",
    }
    for table, q in queries.items():
        d = full_warehouse.query(q)
        assert len(d) > 100, table
        bad = [(r.code, int(r.year)) for r in d.itertuples() if not reg.get(r.code).exists(year=int(r.year))]
        assert not bad, (table, bad[:10])
    t = full_warehouse.query("SELECT DISTINCT \"table\" FROM arms_tiv")
    assert set(t["table"]) == {"tiv_cow", "tiv_approx"}


def test_gsdb_vietnam_and_yemen_cases_resolve_in_their_years(full_warehouse):
    py = full_warehouse.table("sanction_party_years")
    sv = py[(py.party == "South Vietnam") & (py.year >= 1976) & py.code.notna()]
    assert set(sv.code) == {"VNM"} and sv.case_id.nunique() == 16
    assert not ((py.party == "South Vietnam") & (py.year >= 1976) & (py.code == "RVN")).any()
    yn = py[(py.party == "Yemen, North") & py.code.notna()]
    assert set(yn.code) == {"YEM"} and len(yn) == len(py[py.party == "Yemen, North"])
    # the US sanctions on Vietnam (embargo 1976-94) and on Yemen (2012-) reach the pair
    us_on = full_warehouse.query("""SELECT t.code, s.year, list(DISTINCT s.case_id) cases FROM sanction_party_years s
                                    JOIN sanction_party_years t ON s.case_id = t.case_id AND s.year = t.year
                                    WHERE s.role = 'sender' AND t.role = 'target' AND s.code = 'USA' AND t.code IN ('VNM', 'YEM')
                                    GROUP BY ALL""")
    cases_of = {(r.code, r.year): set(r.cases) for r in us_on.itertuples()}
    assert 200 in cases_of[("VNM", 1980)] and 200 in cases_of[("VNM", 1994)]      # the US embargo on Vietnam, 1976-94
    assert 956 in cases_of[("YEM", 2015)] and 397 in cases_of[("YEM", 1991)]      # US measures on Yemen 2012-22 and 1990-91
    c1036 = py[(py.case_id == 1036) & (py.role == "sender")]
    assert set(c1036.code) == {"VNM"} and sorted(c1036.year) == [2015, 2016, 2017, 2018]
    # every year of every case, each party once
    cases = full_warehouse.table("sanction_cases")
    n_years = (cases["end"].fillna(cases["begin"]) - cases["begin"] + 1).set_axis(cases.case_id)
    per_party = py.groupby(["case_id", "role", "party"]).size()
    assert (per_party.to_numpy() == n_years.reindex(per_party.index.get_level_values(0)).to_numpy()).all()


def test_eurostat_eu_exports_to_russia_and_period_kinds(full_warehouse):
    e = full_warehouse.query("""SELECT year, value_eur, period_kind, month FROM eurostat_trade
                                WHERE reporter = 'EU27' AND partner = 'RUS' AND flow = 'export' ORDER BY year""")
    assert list(e.year) == [2019, 2020, 2021, 2022, 2023] and set(e.period_kind) == {"year"} and e.month.isna().all()
    assert 80e9 < e.set_index("year").value_eur[2021] < 100e9 and e.set_index("year").value_eur[2023] < e.set_index("year").value_eur[2021] / 2
    k = full_warehouse.query("""SELECT period_kind, src_dir, count(*) n, count(DISTINCT month) m, min(month) lo, max(month) hi
                                FROM eurostat_trade GROUP BY ALL""")
    assert set(k.loc[k.src_dir == "national_data_converted", "period_kind"]) == {"year"}
    mon = k[k.period_kind == "month"]
    assert (mon.lo >= 1).all() and (mon.hi <= 12).all() and (k.loc[k.period_kind == "year", "m"] == 0).all()
    # the EU members' monthly exports to Kazakhstan are held once, not under both folders
    dup = full_warehouse.query("""SELECT reporter, partner, flow, year, month, count(*) n FROM eurostat_trade
                                  WHERE period_kind = 'month' GROUP BY ALL HAVING count(*) > 1""")
    assert dup.empty
    deu = full_warehouse.query("SELECT count(DISTINCT month) FROM eurostat_trade WHERE reporter = 'DEU' AND partner = 'KAZ' AND year = 2022")
    assert deu.iloc[0, 0] == 12


def _import(full_warehouse, source, file_part):
    import json
    st = full_warehouse.status()
    r = st[(st.source == source) & st.file_name.str.contains(file_part, regex=False)].iloc[-1]
    return json.loads(r["rejected"]), r["notes"] or ""


COUNTRY_WORDS = ("state", "territory", "aggregate", "non-state", "ambiguous", "unknown", "country")
FILES = [("gsdb", "GSDB_V3"), ("sipri", "360info"), ("sipri", "register_approx"), ("sipri", "register_deals"),
         ("eurostat", "eurostat_total_goods"), ("undesa_migration", "1990_2017_long")]


@pytest.mark.parametrize("source, file_part", FILES)
def test_rejections_are_named(full_warehouse, source, file_part):
    """Every rejection of a country (or a party) has a line in the import notes naming what was rejected."""
    rej, notes = _import(full_warehouse, source, file_part)
    reasons = [k for k, v in rej.items() if v and any(w in k for w in COUNTRY_WORDS)]
    assert reasons or source == "sipri" and file_part == "register_deals"
    for k in reasons:
        assert k in notes, (k, notes[:500])
        after = notes[notes.index(k) + len(k):]
        assert "×" in after.split(": ", 1)[-1][:400], (k, after[:200])


def test_no_state_is_rejected_as_a_territory_or_aggregate(full_warehouse):
    """The names rejected as territories or aggregates in the notes are never a registry state's name."""
    import re
    from multipolar.actors.registry import registry
    from multipolar.sources.names import name_key
    names = registry()._names
    seen = 0
    for source, part in FILES:
        _, notes = _import(full_warehouse, source, part)
        # one note per reason, "; "-separated: "territory (PARTNER): Hong Kong 2019–2023 ×20, ..."
        for m in re.finditer(r"(?:^|; )(?:rows dropped: )?(?:territory|aggregate|non-state)[^:;]*: (.*?)(?=; [a-z ]+[(:]|$)", notes):
            for item in re.finditer(r"(?:^|, )(.+?)(?: \d{4}(?:–\d{4})?)? ×[\d,]+", m.group(1)):
                seen += 1
                assert name_key(item.group(1)) not in names, (source, item.group(1))
    assert seen > 100
    # the ISO long names that used to be classed as territories are states in the Eurostat table
    e = full_warehouse.query("SELECT DISTINCT partner FROM eurostat_trade")
    assert {"IRN", "VEN", "BOL", "TZA", "LAO", "KOR", "PRK", "RUS", "SYR", "MDA", "COD"} <= set(e.partner)
