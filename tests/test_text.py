"""Reading texts and checking their claims (issue 16): actors by date, CAMEO events from the PETRARCH2
verb dictionary, claims, verdicts against the real data, the command line and the annotated HTML."""
from __future__ import annotations

import csv
import json
import os
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from multipolar.cli import app
from multipolar.text import read
from multipolar.text.claims import extract
from tests.conftest import SHARED, needs_shared


def codes(doc):
    return [(m.text, m.code) for m in doc.actors]


# -- actors --------------------------------------------------------------------------------------------
def test_names_resolve_by_the_texts_date():
    old = read("Date: 1980-05-01\n\nRussia and the Kremlin warned Washington. Soviet troops stayed in Afghanistan.")
    new = read("Date: 2020-05-01\n\nRussia and the Kremlin warned Washington. Russian troops stayed in Syria.")
    assert dict(codes(old))["Russia"] == "SUN" and dict(codes(old))["Kremlin"] == "SUN" and dict(codes(old))["Soviet"] == "SUN"
    assert dict(codes(new))["Russia"] == "RUS" and dict(codes(new))["Russian"] == "RUS"
    assert dict(codes(new))["Washington"] == "USA"


def test_capitals_institutions_groupings_and_case():
    d = read("Brussels and NATO answered Beijing. Turkey hosted us for turkey, and the US agreed.", date="2024-01-01")
    got = codes(d)
    assert ("Brussels", "EU") in got and ("NATO", "NATO") in got and ("Beijing", "CHN") in got
    assert ("Turkey", "TUR") in got and ("US", "USA") in got
    assert not any(t in ("us", "turkey") for t, _ in got)          # case-sensitive: the pronoun and the bird are not states


def test_leaders_carry_their_term_and_unknown_names_are_reported():
    d = read("Putin met Medvedev. The Republic of Freedonia protested.", date="2010-06-01")
    by = {m.text: m for m in d.actors}
    assert by["Putin"].code == "RUS" and "prime minister" in by["Putin"].note
    assert by["Medvedev"].code == "RUS" and "president" in by["Medvedev"].note
    assert [u["text"] for u in d.unmatched] == ["Republic of Freedonia"]
    d = read("Biden spoke.", date="2015-01-01")               # named outside his term: his state, flagged
    assert d.actors[0].code == "USA" and "not in office" in d.actors[0].note


def test_every_compiled_leader_row_has_a_source_and_valid_dates():
    from multipolar.actors.registry import registry
    from multipolar.actors.groupings import memberships
    orgs = set(memberships()["org"])
    with resources.files("multipolar.actors").joinpath("data/leaders.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 50
    for r in rows:
        assert r["source"].strip(), r
        assert r["code"] in registry() or r["code"] in orgs, r
        assert not r["end"] or r["start"] < r["end"], r
    with resources.files("multipolar.actors").joinpath("data/text_names.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            assert r["source"].strip(), r


# -- claims --------------------------------------------------------------------------------------------
def test_quantities_comparisons_trends_relations():
    s = ("Russian energy exports to India were worth $54 billion in 2023, up from $2.3 billion in 2021, "
         "trade tripled, 49% of India's arms imports came from Russia, and Russia was India's largest arms supplier.")
    cl = extract(s, 0, 0, ["RUS", "IND"], [], 2024, owner="IND")
    money = [c for c in cl if c.unit == "USD"]
    assert [(c.value, c.years) for c in money] == [(54e9, [2023]), (2.3e9, [2021])]
    assert all(c.measure == "energy and minerals" for c in money)
    assert any(c.unit == "ratio" and c.value == 3 for c in cl)
    share = [c for c in cl if c.unit == "share"][0]
    assert share.value == pytest.approx(0.49) and share.scale == "arms" and share.owner == "IND"
    assert any(c.kind == "comparison" and c.value == 1 and c.scale == "arms" for c in cl)
    rel = extract("Moscow is not an ally of Beijing; they are strategic partners and ever more reliant on each other.", 0, 0,
                  ["RUS", "CHN"], [], 2024)
    kinds = {(c.kind, c.relation or c.measure, c.negated) for c in rel}
    assert ("relation", "alliance", True) in kinds and ("relation", "strategic partnership", False) in kinds
    assert ("trend", "dependence", False) in kinds


# -- events ----------------------------------------------------------------------------------------------
@needs_shared
def test_events_are_coded_to_cameo_plover_and_quad_class():
    d = read("The US imposed sanctions on Iran in 2018. Putin met Xi in Moscow. Russia invaded Ukraine in 2022. "
             "Russia supplied 72 percent of China's arms imports.", date="2023-01-01")
    ev = {(e.source, e.target): e for e in d.events}
    assert ev[("USA", "IRN")].root_code == "16" and ev[("USA", "IRN")].plover == "SANCTION" and ev[("USA", "IRN")].quad_class == 4
    assert ev[("USA", "IRN")].date == "2018"
    assert ev[("RUS", "CHN")].root_code == "04" and ev[("RUS", "CHN")].quad_class == 1
    assert ev[("RUS", "UKR")].root_code == "19"
    assert len(d.events) == 3                                   # the statistic is not an event


def _ev(text, date="2024-06-01"):
    return {(e.source, e.target, e.root_code) for e in read(text, date=date).events}


@needs_shared
def test_each_clause_codes_its_own_source_and_target():
    # the object of the first verb is not the subject of the second; the embedded infinitive is no event
    assert _ev("Beijing praised Moscow for its restraint and urged Washington to stop arming Kyiv.") == {
        ("CHN", "RUS", "05"), ("CHN", "USA", "10")}
    # a verb after "and" keeps the sentence's subject
    assert ("IND", "RUS", "05") in _ev("Modi visited Moscow in July and praised Russia as a reliable friend.")
    # a city after "in" is a place, not a target
    assert _ev("Lavrov met Wang Yi in Vientiane on Thursday.") == {("RUS", "CHN", "04")}
    # a compound subject without an object: the first acts on the second
    assert {(s, t) for s, t, _ in _ev("Tokyo and Seoul agreed to share missile warning data with Washington.")} == {("JPN", "KOR")}
    # the possessor of a thing is not an actor ("India's arms imports came from Russia"); a restrictive
    # relative clause is background
    assert _ev("In 2010, 79% of India's arms imports came from Russia.") == set()
    assert _ev("Chinese firms now supply most of the machinery that Russia once bought from Germany.") == set()


def test_a_war_phrase_takes_its_own_clauses_pair():
    d = read("Moscow has grown ever more reliant on Beijing since the invasion of Ukraine. "
             "China watched as Russia invaded Ukraine.", date="2024-06-15")
    war = [c.states[:2] for c in d.claims if c.relation == "war"]
    assert war == [["RUS", "UKR"], ["RUS", "UKR"]]                  # not the sentence's first two states (RUS-CHN, CHN-RUS)
    d = read("Russia and Ukraine are at war.", date="2024-06-15")
    assert [c.states for c in d.claims if c.relation == "war"] == [["RUS", "UKR"]]


@needs_shared
def test_passive_voice_negation_and_reduced_relatives():
    assert _ev("Kazakhstan was criticised by Moscow for the vote.") == {("RUS", "KAZ", "11")}
    assert _ev("Kazakhstan was criticised for the vote.") == set()              # no agent: no source, no event
    assert _ev("Egypt did not condemn Israel.") == set()
    assert _ev("Egypt condemned Israel.") == {("EGY", "ISR", "11")}
    # the participle is a modifier, the main verb's target still found
    assert _ev("The Kremlin rejected a ceasefire proposed by Kyiv.") == {("RUS", "UKR", "12")}


@needs_shared
def test_the_two_sides_and_pronouns_refer_to_the_previous_sentence():
    d = read("Oman hosted talks between Washington and Tehran. The two sides agreed to a prisoner swap. "
             "Erdogan visited Berlin. He later met Xi Jinping in Beijing.", date="2023-05-01")
    ev = {(e.source, e.target, e.sentence) for e in d.events}
    assert ("OMN", "USA", 0) in ev and ("OMN", "IRN", 0) in ev                  # "between X and Y": both
    assert {(s, t) for s, t, i in ev if i == 1} == {("USA", "IRN")}            # the two sides: the pair joined by "and"
    assert {(s, t) for s, t, i in ev if i == 3} == {("TUR", "CHN")}            # "he": the previous sentence's source
    d = read("Russia and China signed a deal in 2019. Energy and mineral trade between the two countries "
             "roughly tripled between 2019 and 2023.", date="2024-01-01")
    assert [c.states for c in d.claims if c.sentence == 1][0] == ["RUS", "CHN"]
    # without an earlier pair, "the two countries" is nobody
    d = read("Energy and mineral trade between the two countries roughly tripled between 2019 and 2023.", date="2024-01-01")
    assert all(len(c.states) < 2 for c in d.claims)


@needs_shared
def test_pronouns_agree_with_the_latest_actor_phrase_of_their_number():
    d = read("Iran denied arming the group, and Washington accused Tehran of lying. "
             "It imposed fresh sanctions on Iranian shipping firms a week later.", date="2024-03-01")
    assert {(e.source, e.target, e.root_code) for e in d.events if e.sentence == 1} == {("USA", "IRN", "16")}  # "it": the latest subject
    d = read("Chad expelled American troops in April, and they withdrew from Chad within weeks.", date="2024-07-01")
    assert ("USA", "TCD", "08") in {(e.source, e.target, e.root_code) for e in d.events}                 # "they": a plural phrase
    d = read("Russia's defence minister visited Mali and Niger. He promised them weapons.", date="2024-07-01")
    assert {(e.source, e.target) for e in d.events if e.sentence == 1} == {("RUS", "MLI"), ("RUS", "NER")}  # "he", "them"
    # a participle clause after the main verb shares its subject; "him" is the latest person
    assert _ev("Poland expelled a Belarusian diplomat, accusing him of spying.") == {("POL", "BLR", "16"), ("POL", "BLR", "11")}
    # nothing earlier agrees: the pronoun is nobody, never a guess
    assert read("They condemned Israel.", date="2024-01-01").events == []


@needs_shared
def test_a_reaction_to_an_act_targets_the_actor_and_the_two_sides_keep_the_texts_order():
    d = read("North Korea fired two missiles into the sea, and Seoul condemned the launch.", date="2024-01-01")
    assert {(e.source, e.target, e.root_code) for e in d.events} == {("KOR", "PRK", "11")}
    d = read("Mexico was threatened with tariffs by the United States. Canada rejected the threats.", date="2025-01-01")
    assert ("CAN", "USA", "12") in {(e.source, e.target, e.root_code) for e in d.events}   # the passive's agent acted
    assert _ev("China criticised the deal.") == set()                                      # a deal is nobody's act alone
    d = read("Washington raised tariffs on Chinese goods. China restricted exports of rare earths to the United States. "
             "The two countries held talks in Geneva.", date="2025-06-01")
    assert {(e.source, e.target) for e in d.events if e.sentence == 2} == {("USA", "CHN")}  # the first named is the source


@needs_shared
def test_codebook_categories_where_the_dictionary_has_none():
    assert _ev("Moscow and Pyongyang signed a mutual defence treaty.") == {("RUS", "PRK", "05")}       # 057, not 062
    assert _ev("Canada recalled its high commissioner from India.") == {("CAN", "IND", "16")}
    assert _ev("North Korea sent troops to Russia.") == {("PRK", "RUS", "07")}
    assert _ev("Tokyo and Seoul agreed to share data with Washington.") == {("JPN", "KOR", "03")}
    assert _ev("Egypt and the United Arab Emirates agreed to share data.") == {("EGY", "ARE", "03")}   # "X and the Y"
    assert _ev("Chinese warships held drills near Taiwan.") == {("CHN", "TWN", "15")}                 # the state drilled near
    assert _ev("Pakistan and China held joint naval drills.") == {("PAK", "CHN", "06")}
    assert _ev("Belgrade refused to impose sanctions on Russia.") == set()                            # nothing was done
    assert _ev("Netanyahu warned that Israel would act alone against Iran.") == {("ISR", "IRN", "13")}


@needs_shared
def test_verbs_named_only_in_pattern_comments_join_their_block():
    from multipolar.text import cameo
    forms, _ = cameo.load()
    urge = forms["URGED"][0]
    assert urge.lemma == "URGE" and urge.code == "100" and urge.patterns   # DEMAND block, "- * EFFORTS [020] # URGE"
    assert forms["MET"][0].lemma == "MEET"                                  # a listed verb is not duplicated


@needs_shared
def test_events_are_written_in_a_layout_the_event_lake_takes_in(tmp_path):
    from multipolar.events import formats, lake
    from multipolar.text.eventfile import write_events
    d = read("Date: 2024-06-15\n\nPutin met Xi Jinping in Beijing. The United States imposed sanctions on Iran in 2018. "
             "Egypt condemned Israel.", path="article.txt")
    out = write_events([d], tmp_path / "events.tsv")
    assert out["written"] == 2 and sum(out["skipped"].values()) == 1       # 2018 gives no day: not written, counted
    assert formats.sniff(tmp_path / "events.tsv") == "phoenix"
    t, rejected, _ = lake.normalise(formats.read(tmp_path / "events.tsv"), tmp_path / "events.tsv", "sha")
    got = t.to_pandas()
    assert sorted(zip(got.source_code, got.target_code, got.root_code)) == [("EGY", "ISR", "11"), ("RUS", "CHN", "04")]
    assert str(got.date.iloc[0]) == "2024-06-15" and got.goldstein.isna().all()  # no guessed Goldstein score
    assert not rejected


@needs_shared
def test_read_writes_its_events_for_the_event_lake_from_the_command_line(tmp_path):
    from typer.testing import CliRunner

    from multipolar.cli import app
    from multipolar.events import formats
    (tmp_path / "a.txt").write_text("Date: 2024-06-15\n\nPutin met Xi Jinping in Beijing. Egypt condemned Israel.")
    r = CliRunner().invoke(app, ["read", str(tmp_path / "a.txt"), "--events-out", str(tmp_path / "ev.tsv")])
    assert r.exit_code == 0, r.output
    assert "wrote 2 events" in r.output and "multipolar events import" in r.output
    assert formats.sniff(tmp_path / "ev.tsv") == "phoenix" and len((tmp_path / "ev.tsv").read_text().splitlines()) == 3


def test_years_keep_the_claims_and_events_about_them(tmp_path):
    import multipolar as mp
    (tmp_path / "a.txt").write_text("Date: 2024-03-01\n\nRussia and China are strategic partners. "
                                     "The United States imposed sanctions on Russia in 2022.")
    every = mp.read_files(tmp_path / "a.txt")[0]
    assert sorted(y for c in every.claims for y in c.years) == [2022, 2024]
    d = mp.read_files(tmp_path / "a.txt", years="2022")[0]
    assert [c.years for c in d.claims] == [[2022]] and all(str(e.date).startswith("2022") for e in d.events)
    assert any("left out 1 claims" in n for n in d.notes)
    with pytest.raises(mp.UsageError):
        mp.read_files(tmp_path / "a.txt", years="2024:2022")


def test_without_the_dictionary_events_are_not_coded_and_it_says_so(monkeypatch, tmp_path):
    from multipolar.text import cameo
    cameo.load.cache_clear()
    monkeypatch.setenv("MULTIPOLAR_SHARED", str(tmp_path))
    try:
        d = read("Putin met Xi.", date="2023-01-01")
        assert d.events == [] and any("PETRARCH2 verb dictionary is not found" in n and "MULTIPOLAR_SHARED" in n for n in d.notes)
    finally:
        cameo.load.cache_clear()


# -- checking against the real data ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_db(request):
    """A warehouse with the shared data imported: $MULTIPOLAR_TEXT_DB (a copy of one), else the session's full import."""
    p = os.environ.get("MULTIPOLAR_TEXT_DB")
    if p and Path(p).exists():
        return Path(p)
    if SHARED is None:
        pytest.skip("the public data folder ../shared/data (or $MULTIPOLAR_SHARED) is absent")
    return request.getfixturevalue("full_warehouse").path


def _con(db):
    import duckdb
    return duckdb.connect(str(db), read_only=True)


def test_energy_trade_claims_against_baci(real_db):
    from multipolar import api
    from multipolar.sources.products import products
    em = list(products())
    with _con(real_db) as c:
        v = c.execute(f"SELECT sum(value_kusd) FROM baci_trade WHERE exporter = 'RUS' AND importer = 'CHN' AND year = 2021 "
                      f"AND hs6 IN ({','.join('?' * len(em))})", em).fetchone()[0] * 1e3
    ok = f"Russia's energy and mineral exports to China reached ${v / 1e9:.1f} billion in 2021."
    bad = f"Russia's energy and mineral exports to China reached ${2 * v / 1e9:.1f} billion in 2021."
    tot = "Trade between Russia and China reached $147 billion in 2021."
    d = api.check(" ".join([ok, bad, tot]), date="2022-01-01", db=real_db)
    assert [c.check["verdict"] for c in d.claims] == ["supported", "contradicted", "not checkable"]
    assert d.claims[0].check["evidence"] and d.claims[0].check["citations"] and "±15%" in d.claims[0].check["query"]["tolerance"]
    gap = d.claims[2].check["reason"]
    assert "no source imported" in gap and f"{v / 1e9:,.1f} bn" in gap      # names the gap and what the warehouse holds


def test_single_state_gdp_and_military_spending(real_db):
    from multipolar.text import check_documents
    with _con(real_db) as c:
        gdp = c.execute("SELECT value FROM wdi WHERE code = 'CHN' AND year = 2022 AND indicator = 'NY.GDP.MKTP.CD'").fetchone()[0]
        mil = c.execute("SELECT milex FROM nmc WHERE code = 'RUS' AND year = 2021").fetchone()[0] * 1e3
        lo = c.execute("SELECT min(year) FROM nmc WHERE code = 'IND' AND milex IS NOT NULL").fetchone()[0]
    text = (f"China's GDP reached ${gdp / 1e12:.2f} trillion in 2022. China's GDP reached ${3 * gdp / 1e12:.2f} trillion in 2022. "
            f"Russia's military spending rose to ${mil / 1e9:.1f} billion in 2021. "
            f"India's military spending was $1 billion in {lo - 1}.")
    d = read(text, date="2023-01-01")
    check_documents([d], db=real_db)
    got = [(c.measure, c.check["verdict"]) for c in d.claims]
    assert got == [("gdp", "supported"), ("gdp", "contradicted"), ("military spending", "supported"),
                   ("military spending", "not checkable")]
    assert d.claims[0].check["query"]["state"] == "CHN" and d.claims[0].check["citations"] and d.claims[0].check["evidence"]
    assert f"covers {lo}" in d.claims[3].check["reason"]                     # a year outside the source names its coverage


def test_population_claims_against_wdi_then_nmc_then_maddison(real_db):
    from multipolar.text import check_documents
    with _con(real_db) as c:
        pop = c.execute("SELECT value FROM wdi WHERE code = 'IND' AND year = 2023 AND indicator = 'SP.POP.TOTL'").fetchone()[0]
        twn = c.execute("SELECT count(*) FROM wdi WHERE code = 'TWN' AND indicator = 'SP.POP.TOTL'").fetchone()[0]
        tpop = c.execute("SELECT tpop FROM nmc WHERE code = 'TWN' AND year = 2020").fetchone()[0] * 1e3
    assert twn == 0                                                        # WDI has no Taiwan: NMC answers
    text = (f"India's population reached {pop / 1e9:.2f} billion in 2023. India, a country of {2 * pop / 1e9:.2f} billion, "
            f"voted in 2023. Taiwan, home to {tpop / 1e6:.0f} million people in 2020, voted. "
            "India will have a population of 1.7 billion in 2049. The war displaced 6 million people from Ukraine in 2022.")
    d = read(text, date="2024-01-01")
    check_documents([d], db=real_db)
    got = [(c.measure, c.check["verdict"]) for c in d.claims]
    assert got == [("population", "supported"), ("population", "contradicted"), ("population", "supported"),
                   ("population", "not checkable")]                     # displaced people are not a population
    assert d.claims[0].check["query"]["source"].startswith("population (WDI") and d.claims[0].check["evidence"]
    assert "NMC" in d.claims[2].check["query"]["source"]                   # a state WDI lacks: the next source
    assert "±15%" in d.claims[0].check["query"]["tolerance"] and d.claims[0].check["citations"]
    reason = d.claims[3].check["reason"]
    assert "covers 1960" in reason and "Maddison" in reason                # the gap names each source's coverage


def test_arms_rank_and_share_against_sipri(real_db):
    from multipolar import api
    with _con(real_db) as c:
        top = c.execute("SELECT supplier, sum(tiv_mn) t FROM arms_tiv WHERE \"table\" = 'tiv_cow' AND recipient = 'IND' AND year = 2015 "
                        "GROUP BY 1 ORDER BY t DESC LIMIT 2").fetchall()
    from multipolar.actors.registry import registry
    first, second = registry().name(top[0][0]), registry().name(top[1][0])
    d = api.check(f"{first} was India's largest arms supplier in 2015. {second} was India's largest arms supplier in 2015.",
                  date="2016-01-01", db=real_db)
    assert [c.check["verdict"] for c in d.claims] == ["supported", "contradicted"]
    money = api.check("Russia sold $5 billion of arms to India in 2015.", date="2016-01-01", db=real_db)
    assert money.claims[0].check["verdict"] == "not checkable" and "TIV" in money.claims[0].check["reason"]


def test_a_flow_baci_does_not_record_is_not_checked_against_its_zero(real_db):
    from multipolar import api
    # Russia's pipeline gas and (2022-23) crude sales to Türkiye are missing from BACI (sources/data/trade_gaps.csv):
    # not checkable, not "contradicted" by BACI's undercount
    d = api.check("Russia's energy and minerals exports to Turkey reached $20 billion in 2023. "
                  "Russia's energy and minerals exports to Kazakhstan reached $1.3 billion in 2021.", date="2024-06-01", db=real_db)
    got = [(c.check["verdict"], c.check.get("reason") or "") for c in d.claims]
    assert got[0][0] == "not checkable" and "trade_gaps.csv" in got[0][1]
    assert got[1][0] == "supported"                                          # a pair without a listed gap: checked


def test_relation_and_membership_claims(real_db):
    from multipolar import api
    from multipolar.actors.groupings import memberships
    rel = api.relation("USA", "JPN", "2020:2020", db=real_db)
    expected = "supported" if rel["alliance_defense"].iloc[0] == 1 else "contradicted"
    ms = memberships()
    swe = int(ms[(ms["org"] == "NATO") & (ms["code"] == "SWE")]["start"].min()[:4])
    d = api.check(f"The United States and Japan were allies in 2020. Sweden joined NATO in {swe}. Sweden joined NATO in {swe - 2}. "
                  "The United States and Japan were not allies in 2020.", date="2024-01-01", db=real_db)
    got = [c.check["verdict"] for c in d.claims]
    assert got == [expected, "supported", "contradicted", {"supported": "contradicted", "contradicted": "supported"}[expected]]
    assert d.claims[0].check["evidence"][0]["relation_type"] == rel["relation_type"].iloc[0]


# -- the command line and the HTML ------------------------------------------------------------------------
TEXT = ("Date: 2024-03-01\n\nRussia and China are strategic partners. Trade between Russia and China reached $240 billion in 2023. "
        "Moscow has grown ever more reliant on Beijing. Putin met Xi in Moscow.\n")


def test_cli_read_and_check_json(tmp_path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.txt").write_text(TEXT)
    (tmp_path / "texts" / "b.html").write_text("<html><head><meta property='article:published_time' content='2019-01-01'>"
                                               "</head><body><p>India and Pakistan are rivals.</p></body></html>")
    r = CliRunner().invoke(app, ["read", str(tmp_path / "texts")])
    assert r.exit_code == 0, r.output
    assert "RUS (" in r.output and "2019-01-01" in r.output
    out = tmp_path / "claims.json"
    r = CliRunner().invoke(app, ["check", str(tmp_path / "texts"), "--format", "json", "--out", str(out), "--db", str(tmp_path / "w.duckdb")])
    assert r.exit_code == 0, r.output
    js = json.loads(out.read_text())
    assert len(js) == 2 and all(c["check"]["verdict"] in ("supported", "contradicted", "not checkable") for d in js for c in d["claims"])
    assert sum(len(d["claims"]) for d in js) >= 4


def test_cli_bad_input_is_a_clear_error(tmp_path):
    f = tmp_path / "x.docx"
    f.write_text("x")
    r = CliRunner().invoke(app, ["check", str(f)])
    assert r.exit_code == 1 and "unsupported file type" in r.output and ".txt, .md, .html or .pdf" in r.output
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    try:
        import pypdf  # noqa: F401
    except ImportError:
        r = CliRunner().invoke(app, ["read", str(pdf)])
        assert r.exit_code == 1 and "no PDF reader is installed" in r.output and "pypdf" in r.output


def test_checked_html_marks_every_claim_in_chromium(tmp_path, page):
    f = tmp_path / "a.txt"
    f.write_text(TEXT)
    out = tmp_path / "checked.html"
    r = CliRunner().invoke(app, ["check", str(f), "--out", str(out), "--db", str(tmp_path / "w.duckdb")])
    assert r.exit_code == 0, r.output
    n = len(read(TEXT).claims)
    page.goto(out.as_uri())
    marks = page.locator("mark.claim")
    assert marks.count() == n >= 3
    verdicts = [marks.nth(i).get_attribute("data-verdict") for i in range(n)]
    assert all(v in ("supported", "contradicted", "not checkable") for v in verdicts)
    tip = marks.nth(1).locator(".tip")
    assert not tip.is_visible()
    marks.nth(1).hover()
    assert tip.is_visible() and verdicts[1] in tip.inner_text() and "query" in tip.inner_text()
    assert not page.errors and all(u.startswith("file://") for u in page.requests)
