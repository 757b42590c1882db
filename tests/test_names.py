"""Publishers' names: dated resolution, documented source aliases, the suffix rule, never a guess.

Small inputs written here (no shared data): the GSDB, SIPRI and Eurostat readers on a few rows each.
"""
import pytest

from multipolar.actors.registry import normalise_name, registry
from multipolar.sources.names import SOURCE_ALIASES, non_state_names, resolve_name, split_suffix
from multipolar.warehouse import Warehouse


@pytest.mark.parametrize("name, year, code", [
    # Eurostat's suffixes: the base and the parenthetical agree, or the parenthetical names no state
    ("Russian Federation (Russia)", 2021, "RUS"), ("Korea, Republic of (South Korea)", 2021, "KOR"),
    ("Belarus (Belorussia)", 2021, "BLR"), ("Côte d’Ivoire (Ivory Coast)", 2021, "CIV"), ("Myanmar (Burma)", 2021, "MMR"),
    ("Eswatini (Ngwane)", 2021, "SWZ"), ("Germany (incl. German Democratic Republic 'DD' from 1991)", 2021, "DEU"),
    ("Belgium (incl. Luxembourg 'LU' -> 1998)", 2021, "BEL"), ("Spain (incl. Canary Islands 'XB' from 1997)", 2021, "ESP"),
    ("Korea, Democratic People’s Republic of (North Korea)", 2021, "PRK"), ("Syrian Arab Republic (Syria)", 2021, "SYR"),
    ("United States (incl. Navassa Island (part of 'UM') from 1995 -> 2000)", 2021, "USA"),
    ("Yemen (incl. South Yemen 'YD' from 1991)", 2021, "YEM"),
    # ISO long names are states' names, not territories
    ("Iran, Islamic Republic of", 2021, "IRN"), ("Venezuela, Bolivarian Republic of", 2021, "VEN"),
    ("Bolivia, Plurinational State of", 2021, "BOL"), ("Tanzania, United Republic of", 2021, "TZA"),
    ("Moldova, Republic of", 2021, "MDA"), ("Lao People's Democratic Republic", 2021, "LAO"),
    ("Congo, The Democratic Republic of the", 2021, "COD"),
])
def test_states_resolve(name, year, code):
    r = resolve_name(name, year=year)
    assert (r.code, r.kind) == (code, "state"), r


@pytest.mark.parametrize("name, year, kind", [
    ("Russia (China)", 2021, "ambiguous"),                       # two states: never a pick
    ("Serbia (Yugoslavia)", 2021, "ambiguous"),                  # a state of another time in the suffix
    ("Hong Kong (China)", 2021, "territory"),                    # a territory in either part: not the state
    ("Virgin Islands, British (incl. Montserrat 'MS' -> 1994)", 2021, "territory"),
    ("Cyprus (Northern)", 2021, "territory"),                    # listed as a whole: not Cyprus
    ("Occupied Palestinian Territory (West Bank (incl. East Jerusalem) and Gaza Strip)", 2021, "territory"),
    ("Euro area (AT-01/1999, BE-01/1999)", 2021, "aggregate"),
    ("Narnia (Ruritania)", 2021, "unknown"),
    ("Russian Federation (Russia)", 1985, "ambiguous"),           # "Russia" was the USSR then (GW): not guessed
    ("Slovakia (Slovak Republic)", 1985, "state-not-existing"),
    ("Czechoslovakia", 2000, "state-not-existing"),
])
def test_non_states_and_ambiguity(name, year, kind):
    r = resolve_name(name, year=year)
    assert r.code is None and r.kind == kind, r


def test_split_suffix():
    assert split_suffix("Russian Federation (Russia)") == ("Russian Federation", "Russia")
    assert split_suffix("United States (incl. Navassa Island (part of 'UM') from 1995 -> 2000)")[0] == "United States"
    assert split_suffix("Russia") is None and split_suffix("(Russia)") is None


def test_no_registry_state_is_a_non_state_name():
    """Every name of every state of the registry resolves to a state, never to a territory or aggregate."""
    ns = non_state_names()
    reg = registry()
    for st in reg:
        for n in (st.name, *st.aliases):
            assert normalise_name(n) not in ns, (st.code, n)
    # and the ISO entries that are not states are there (so they are rejected, not unknown)
    assert ns[normalise_name("Puerto Rico")] == "territory" and ns[normalise_name("Virgin Islands, British")] == "territory"


def test_system_only_rejects_a_non_member():
    assert resolve_name("Ukraine", year=1990).code == "UKR"                  # the Ukrainian SSR's UN seat
    r = resolve_name("Ukraine", year=1990, system_only=True)
    assert r.code is None and r.kind == "not-system-member"
    assert resolve_name("Ukraine", year=1991, system_only=True).code == "UKR"   # a state from 26 Dec 1991


@pytest.mark.parametrize("source, name, year, alias_year, code, kind", [
    ("gsdb", "South Vietnam", 1975, None, "RVN", "state"),       # the alias starts in 1976
    ("gsdb", "South Vietnam", 1976, None, "VNM", "state"),
    ("gsdb", "South Vietnam", 1976, 1954, None, "state-not-existing"),   # a case begun by the Republic of Vietnam
    ("gsdb", "Yemen, North", 2015, 2012, "YEM", "state"), ("gsdb", "Yemen, North", 1985, None, "YAR", "state"),
    ("gsdb", "Germany", 1980, 1980, "GFR", "state"), ("gsdb", "Germany", 1991, 1989, "DEU", "state"),
    ("gsdb", "Germany", 1950, 1949, None, "state-not-existing"),         # West Germany from 5 May 1955
    (None, "South Vietnam", 1980, None, None, "state-not-existing"),     # no alias outside GSDB
    ("sipri", "Yemen", 1989, None, None, "ambiguous"), ("sipri", "Yemen", 1995, None, "YEM", "state"),
    ("sipri", "Serbia", 1999, None, "SCG", "state"), ("sipri", "Serbia", 2010, None, "SRB", "state"),
    ("sipri", "Serbia", 1980, None, None, "ambiguous"), ("sipri", "Germany", 1970, None, "GFR", "state"),
    ("eurostat", "America", 2020, None, None, "aggregate"), (None, "America", 2020, None, "USA", "state"),
    ("eurostat", "Словакия", 2020, None, "SVK", "state"), ("eurostat", "Босния и Герцеговина", 2020, None, "BIH", "state"),
])
def test_source_aliases_apply_only_inside_their_dates(source, name, year, alias_year, code, kind):
    r = resolve_name(name, year=year, source=source, alias_year=alias_year, system_only=True)
    assert (r.code, r.kind) == (code, kind), r


def test_source_aliases_are_documented():
    for a in SOURCE_ALIASES:
        assert a.evidence and len(a.evidence) > 30, a
        assert (a.code is None) == (a.kind != "state"), a
        if a.code:
            assert a.code in registry(), a


# ---- readers on small files ------------------------------------------------------------------------
GSDB_HEAD = "case_id,sanctioned_state,sanctioning_state,begin,end,trade,descr_trade,arms,military,financial,travel,other,target_mult,sender_mult,objective,success\n"


def test_gsdb_parties_are_resolved_per_year(tmp_path):
    rows = [
        '1,German Democratic Republic,Germany,1949,1973,0,,0,0,0,0,1,0,0,territorial_conflict,success_total',
        '2,South Vietnam,United States,1976,1978,1,exp_compl,0,0,0,0,0,0,0,destab_regime,failed',
        '3,"Yemen, North",United States,2012,2013,0,,1,0,0,0,0,0,0,prevent_war,ongoing',
        '4,Soviet Union,"EU, United States",1990,1993,1,exp_part,0,0,0,0,0,0,1,policy_change,failed',
        '5,Armenia,Azerbaijan,1989,1992,1,exp_part,0,0,0,0,0,0,0,territorial_conflict,ongoing',
        '6,North Vietnam,South Vietnam,1974,1976,1,exp_part,0,0,0,0,0,0,0,territorial_conflict,failed',
    ]
    p = tmp_path / "gsdb.csv"
    p.write_text(GSDB_HEAD + "\n".join(rows) + "\n")
    w = Warehouse(tmp_path / "w.duckdb")
    rep = w.import_file(p, source="gsdb")
    assert rep.status == "imported", rep.message
    py = w.table("sanction_party_years")
    assert list(py.columns) == ["case_id", "role", "party", "year", "code", "kind"]

    def get(case, role, year):
        r = py[(py.case_id == case) & (py.role == role) & (py.year == year)]
        return dict(zip(r.party, zip(r.code.fillna("-"), r.kind)))
    assert get(2, "target", 1977) == {"South Vietnam": ("VNM", "state")}
    assert get(3, "target", 2013) == {"Yemen, North": ("YEM", "state")}
    assert get(1, "sender", 1950) == {"Germany": ("-", "state-not-existing")} and get(1, "sender", 1960) == {"Germany": ("GFR", "state")}
    assert get(4, "target", 1991) == {"Soviet Union": ("SUN", "state")} and get(4, "target", 1992) == {"Soviet Union": ("-", "state-not-existing")}
    assert get(4, "sender", 1992)["EU"] == ("-", "organisation")
    assert get(5, "target", 1990) == {"Armenia": ("-", "state-not-existing")} and get(5, "target", 1992) == {"Armenia": ("ARM", "state")}
    assert get(6, "sender", 1976) == {"South Vietnam": ("-", "state-not-existing")}       # the Republic of Vietnam's own case
    assert len(py) == sum((e - b + 1) * n for b, e, n in [(1949, 1973, 2), (1976, 1978, 2), (2012, 2013, 2), (1990, 1993, 3), (1989, 1992, 2), (1974, 1976, 2)])
    # the old table: one row per party, the code of its first year as a state
    pt = w.table("sanction_parties")
    assert list(pt.columns) == ["case_id", "role", "party", "code", "kind"]
    assert pt[(pt.case_id == 1) & (pt.role == "sender")].code.tolist() == ["GFR"]
    assert pt[(pt.case_id == 5) & (pt.role == "target")].code.tolist() == ["ARM"]
    # rejections counted and named
    notes = w.status().query("source == 'gsdb'").notes.iloc[0]
    # Germany 1949-54 (West Germany from 1955), the GDR 1949-53 (from 1954), the USSR 1992-93, Armenia and Azerbaijan 1989-90, RVN 1976
    assert sum(rep.rejected.values()) == 6 + 5 + 2 + 2 + 2 + 1
    for name in ("Armenia 1989–1990", "Azerbaijan 1989–1990", "Soviet Union 1992–1993", "Germany 1949–1954",
                 "German Democratic Republic 1949–1953", "South Vietnam 1976"):
        assert name in notes, name
    assert "documented source alias applied: GSDB 'South Vietnam'" in notes


def test_sipri_names_outside_a_state_s_existence_are_rejected_and_named(tmp_path):
    p = tmp_path / "tiv.csv"
    p.write_text("supplier,recipient,year,tiv_year_approx\n"
                 "Germany,Israel,1980,10.0\nGermany,Israel,1995,20.0\nRussia,India,1992,5.0\nSoviet Union,Egypt,1970,8.0\n"
                 "Soviet Union,Cuba,1993,3.0\nFrance,Yemen,1989,1.0\nFrance,Yemen,1991,2.0\nUnited States,Hezbollah (Lebanon)*,2000,1.0\n"
                 "United Kingdom,Brunei,1970,4.0\n")
    w = Warehouse(tmp_path / "w.duckdb")
    rep = w.import_file(p, source="sipri")
    assert rep.status == "imported", rep.message
    t = w.query("SELECT supplier, recipient, year FROM arms_tiv ORDER BY year")
    assert [tuple(r) for r in t.itertuples(index=False)] == [("SUN", "EGY", 1970), ("GFR", "ISR", 1980), ("FRA", "YEM", 1991),
                                                             ("RUS", "IND", 1992), ("DEU", "ISR", 1995)]
    assert rep.rejected == {"not a state of the system that year (supplier)": 1, "not a state of the system that year (recipient)": 1,
                            "ambiguous name that year (recipient)": 1,
                            "non-state supplier or recipient (marked *, organisations, territories)": 1}
    notes = w.status().notes.iloc[0]
    assert "Soviet Union 1993" in notes and "Brunei 1970" in notes and "Yemen 1989" in notes


def test_sipri_cow_table_never_gives_a_rebel_group_its_country(tmp_path):
    p = tmp_path / "tiv_cow.csv"
    p.write_text("supplier,recipient,year,value,supplier_cown,recipient_cown\n"
                 "Iran,Hezbollah (Lebanon)*,2000,5,630,660\nRussia,Lebanon,2000,1,365,660\nRussia,Serbia,2010,2,365,\n"
                 "Russia,Serbia,1999,2,365,\n")
    w = Warehouse(tmp_path / "w.duckdb")
    rep = w.import_file(p, source="sipri")
    assert rep.status == "imported", rep.message
    t = w.query("SELECT supplier, recipient, year, tiv_mn FROM arms_tiv ORDER BY year, recipient")
    assert [tuple(r) for r in t.itertuples(index=False)] == [("RUS", "SCG", 1999, 2.0), ("RUS", "LBN", 2000, 1.0), ("RUS", "SRB", 2010, 2.0)]


def test_eurostat_suffixes_period_kind_and_repeated_folders(tmp_path):
    import pandas as pd
    eu27 = "European Union - 27 countries (AT, BE, BG)"
    rows = [  # REPORTER, PARTNER, FLOW, PERIOD, VALUE, src_dir, year, month
        (eu27, "Russian Federation (Russia)", "2-EXPORT", "202152-Jan.-Dec. 2021", 89.0, "eu_year_export", 2021, 52),
        (eu27, "Iran, Islamic Republic of", "2-EXPORT", "202152-Jan.-Dec. 2021", 5.0, "eu_year_export", 2021, 52),
        (eu27, "Hong Kong", "2-EXPORT", "202152-Jan.-Dec. 2021", 7.0, "eu_year_export", 2021, 52),
        ("Euro area (AT-01/1999, BE-01/1999)", "Kazakhstan", "2-EXPORT", "202101-Jan. 2021", 1.0, "kazahstan_export_eurostat", 2021, 1),
        ("Germany (incl. German Democratic Republic 'DD' from 1991)", "Kazakhstan", "2-EXPORT", "202101-Jan. 2021", 3.0, "kazahstan_export_eurostat", 2021, 1),
        ("Germany (incl. German Democratic Republic 'DD' from 1991)", "Kazakhstan", "2-EXPORT", "Jan. 2021", 3.0, "kazakhstan_export_eurostat", 2021, 1),
        ("Kyrgyzstan", "America", "IMPORT", "Y2021", 9.0, "national_data_converted", 2021, None),
        ("Kyrgyzstan", "United States", "IMPORT", "Y2021", 8.0, "national_data_converted", 2021, None),
        ("Kyrgyzstan", "Salvador", "IMPORT", "Y2021", 0.5, "national_data_converted", 2021, None),
    ]
    df = pd.DataFrame(rows, columns=["REPORTER", "PARTNER", "FLOW", "PERIOD", "VALUE_IN_EUR", "src_dir", "year", "month"])
    df["PRODUCT"], df["STAT_PROCEDURE"] = "TOTAL", "NORMAL"
    p = tmp_path / "eurostat.parquet"
    df.astype({"year": "float64", "month": "float64"}).to_parquet(p)
    w = Warehouse(tmp_path / "w.duckdb")
    rep = w.import_file(p, source="eurostat")
    assert rep.status == "imported", rep.message
    t = w.query("SELECT * FROM eurostat_trade ORDER BY src_dir, reporter, partner")
    assert list(t.columns) == ["src_dir", "reporter", "reporter_kind", "partner", "flow", "period", "period_kind", "year", "month", "value_eur"]
    got = {(r.reporter, r.partner, r.flow, r.period_kind, None if pd.isna(r.month) else int(r.month)): r.value_eur for r in t.itertuples()}
    assert got == {("EU27", "RUS", "export", "year", None): 89.0, ("EU27", "IRN", "export", "year", None): 5.0,
                   ("DEU", "KAZ", "export", "month", 1): 3.0, ("KGZ", "USA", "import", "year", None): 8.0,
                   ("KGZ", "SLV", "import", "year", None): 0.5}
    assert rep.rejected == {"aggregate (REPORTER)": 1, "territory (PARTNER)": 1, "aggregate (PARTNER)": 1,
                            "the same figure under a second folder": 1}
    notes = w.status().notes.iloc[0]
    assert "Hong Kong 2021 ×1" in notes and "America 2021 ×1" in notes and "Russian Federation (Russia) -> RUS" in notes


def test_an_import_without_the_new_table_is_not_unchanged(tmp_path):
    """A warehouse filled by an older reader (no sanction_party_years, no period_kind) imports the
    same file again instead of skipping it as unchanged."""
    from tests.conftest import FIXTURES
    w = Warehouse(tmp_path / "w.duckdb")
    assert w.import_file(FIXTURES / "gsdb.csv", source="gsdb").status == "imported"
    assert w.import_file(FIXTURES / "gsdb.csv", source="gsdb").status == "unchanged"
    with w.connect(read_only=False) as con:       # as the older reader left it
        con.execute("DROP TABLE sanction_party_years")
        con.execute("""UPDATE _imports SET tables = '["sanction_cases", "sanction_parties"]' WHERE source = 'gsdb'""")
    rep = w.import_file(FIXTURES / "gsdb.csv", source="gsdb")
    assert rep.status == "imported" and w.has("sanction_party_years")
    assert w.import_file(FIXTURES / "gsdb.csv", source="gsdb").status == "unchanged"
