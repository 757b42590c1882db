"""The UN Digital Library's voting records (reader ``undl``): both layouts, names by date, the totals
check, General Assembly only, and the matching with unvotes that builds ``un_votes``.

Fixtures written for these tests (tests/fixtures/undl_*.csv): a wide table and a long file of the
documented columns with a matched old roll call (USSR, ZAIRE, YEMEN of 1985, a Ukrainian SSR entry),
a misspelt column of 2007 (a documented alias) and of 2020 (rejected), a leading-space name, X and NV
entries, a repeated record, a bare year, a Security Council row, totals that disagree, and small
unvotes files to match them with.
"""
from __future__ import annotations

import csv
import io
import shutil

import pandas as pd
import pytest

from multipolar.actors.registry import registry
from multipolar.errors import InputError
from multipolar.sources import detect
from multipolar.sources.undl import DATE_TOLERANCE_DAYS, UNDL_RCID_BASE, match_summary, symbol_key
from multipolar.warehouse import Warehouse
from tests.conftest import FIXTURES, needs_shared

WIDE = FIXTURES / "undl_wide.csv"
LONG = FIXTURES / "undl_long.csv"
UV_RC = FIXTURES / "undl_unvotes_roll_calls.csv"
UV_V = FIXTURES / "undl_unvotes_votes.csv"
DERIVED = ["un_votes", "un_roll_calls", "undl_matches"]


def _read(path):
    reader, layout, head = detect(path)
    return reader, layout, reader.read(path, layout, head)


def _tables(w: Warehouse) -> dict:
    return {t: w.query(f"SELECT * FROM {t} ORDER BY ALL") for t in DERIVED if w.has(t)}


# ---- symbols --------------------------------------------------------------------------------------
@pytest.mark.parametrize("library, unvotes, key", [
    ("A/RES/76/231", "R/76/231", "R/76/231"),
    ("A/RES/74/150", "A/RES/74/150", "R/74/150"),
    ("A/RES/2698(XXV)", "R/25/2698", "R/25/2698"),
    ("A/RES/37/99D", "R/37/99D", "R/37/99D"),
    ("A/RES/55/33[D]", "R/55/33D", "R/55/33D"),
    ("A/RES/50/38[B-II]", "R/50/38B/II", "R/50/38B/II"),
    ("A/RES/34/233[XI]", "R/34/233/XI", "R/34/233/XI"),
    ("A/RES/ES-10/19", "A/RES/ES-10/19", "ES/10/19"),
    ("A/RES/2252(ES-V)", "ESS/5/2252", "ES/5/2252"),
    ("A/RES/S-14/1", "SS/14/1", "S/14/1"),
])
def test_symbol_key_reads_both_spellings(library, unvotes, key):
    assert symbol_key(library) == symbol_key(unvotes) == key


@pytest.mark.parametrize("text", ["A/76/L.14", "MISSING_DATA", "", None, "A/RES/63(I)[PARA.1]", "S/RES/2560(2021)"])
def test_symbol_key_of_what_is_not_a_resolution_is_none(text):
    assert symbol_key(text) is None


# ---- the readers on the fixtures -----------------------------------------------------------------------
def test_layouts_are_recognised_by_their_columns_not_the_name(tmp_path):
    for src, layout in ((WIDE, "wide"), (LONG, "long")):
        other = tmp_path / f"download_{layout}.csv"
        shutil.copy(src, other)
        reader, found, _ = _read(other)
        assert (reader.name, found) == ("undl", layout)


def test_wide_table_counts_roll_calls_and_entries():
    _, _, p = _read(WIDE)
    assert p.rows_read == 11
    assert p.rejected["roll calls: Security Council (General Assembly only)"] == 1
    assert p.rejected["roll calls: no full date (a bare year)"] == 1
    assert p.rejected["roll calls: repeated record (same symbol, date and entries; kept once)"] == 1
    assert p.rejected["entries: not a member of the state system that year (country)"] == 1      # UKRAINIAN SSR 1985
    assert p.rejected["entries: unknown country name (country)"] == 2                               # DONOTKNOW, TKAZAKHSTAN 2020
    rc = p.tables["undl_roll_calls"]
    assert len(rc) == 11 - 3
    assert not rc["resolution"].str.startswith("S/RES").any()
    notes = " | ".join(p.notes)
    assert "DONOTKNOW 2020 ×1" in notes and "TKAZAKHSTAN 2020 ×1" in notes and "UKRAINIAN SSR 1985 ×1" in notes
    assert "'CHILEs '" in notes                       # a name of the Security Council rows only: named, not resolved
    assert "TKAZAKHSTAN -> KAZ 2007 ×1" in notes      # the documented alias, inside its year only
    assert rc.loc[rc["resolution"] == "A/RES/40/10", "title"].item() == "Old resolution matched"   # the Library's tail dropped


def test_names_are_resolved_on_the_vote_date():
    _, _, p = _read(WIDE)
    v = p.tables["undl_votes"]
    got = {(int(u), n): c for u, n, c in zip(v["undl_id"], v["country"], v["code"])}
    assert got[(600001, "USSR")] == "SUN" and got[(600001, "ZAIRE")] == "COD"
    assert got[(600001, "YEMEN")] == "YAR" and got[(600005, "YEMEN")] == "YEM"      # North Yemen, then the Republic of Yemen
    assert got[(600002, "TKAZAKHSTAN")] == "KAZ"
    assert got[(600006, " UNITED STATES")] == "USA"
    assert (600006, "TKAZAKHSTAN") not in got and (600006, "DONOTKNOW") not in got
    assert (600001, "UKRAINIAN SSR") not in got
    rc = p.tables["undl_roll_calls"].set_index("undl_id")
    reg = registry()
    for u, c in zip(v["undl_id"], v["code"]):
        assert reg.get(c).exists(date=rc.loc[u, "date"]), (u, c)       # a member of the state system that day


def test_x_is_absent_not_a_vote():
    _, _, p = _read(WIDE)
    v, rc = p.tables["undl_votes"], p.tables["undl_roll_calls"].set_index("undl_id")
    assert set(v["vote"]) == {"yes", "no", "abstain"}
    assert "FRA" not in set(v.loc[v["undl_id"] == 600001, "code"])          # FRANCE X
    assert "COD" not in set(v.loc[v["undl_id"] == 600005, "code"])          # DR CONGO X
    assert rc.loc[600001, "counted_non_voting"] == 1 and rc.loc[600005, "counted_non_voting"] == 1
    _, _, q = _read(LONG)
    lv = q.tables["undl_votes"]
    assert "CAN" not in set(lv.loc[lv["undl_id"] == 700006, "code"])        # NV (version 1's spelling of X)
    assert q.tables["undl_roll_calls"].set_index("undl_id").loc[700006, "counted_non_voting"] == 1


def test_totals_are_checked_against_the_entries():
    _, _, p = _read(WIDE)
    rc = p.tables["undl_roll_calls"].set_index("resolution")
    assert not rc.loc["A/RES/75/260", "totals_agree"]
    assert rc.drop(index="A/RES/75/260")["totals_agree"].all()      # ABSENT COUNT = abstentions, NO-VOTE COUNT = X
    assert any("YES COUNT 1 (A/RES/75/260: 3 against 2 counted)" in n for n in p.notes)
    _, _, q = _read(LONG)
    assert any("total_no 1 (A/RES/75/260: 2 against 1 counted)" in n for n in q.notes)


def test_long_file_cross_checks_ms_code():
    _, _, p = _read(LONG)
    assert p.rejected["roll calls: Security Council (General Assembly only)"] == 1
    assert p.rejected["roll calls: repeated record (same symbol, date and entries; kept once)"] == 1
    assert p.rejected["entries: ms_name and ms_code name different states"] == 1         # Canada coded USA
    notes = " | ".join(p.notes)
    assert "Canada / USA (CAN / USA) ×1" in notes
    assert "ZAR (COD) ×1" in notes                   # Zaire's old code: reported, the name decides
    v = p.tables["undl_votes"]
    got = {(int(u), n): c for u, n, c in zip(v["undl_id"], v["country"], v["code"])}
    assert got[(700001, "Zaire")] == "COD" and got[(700001, "Yemen")] == "YAR" and got[(700001, "USSR")] == "SUN"
    assert (700002, "Canada") not in got
    rc = p.tables["undl_roll_calls"].set_index("undl_id")
    assert rc.loc[700006, "session"] == 76            # an emergency special session's vote: the regular session of its date
    assert p.version == "UN Digital Library General Assembly Voting Data, to A/RES/80/246 (2025-12-30)"


def _variant(tmp_path, src, fix, name="bad.csv"):
    rows = list(csv.reader(io.StringIO(src.read_text(encoding="utf-8"))))
    fix(rows)
    out = tmp_path / name
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    out.write_text(buf.getvalue(), encoding="utf-8")
    return out


def test_a_bad_vote_value_is_an_error_naming_line_and_column(tmp_path):
    def wide(rows):
        rows[3][rows[0].index("FRANCE")] = "Q"
    with pytest.raises(InputError) as e:
        _read(_variant(tmp_path, WIDE, wide))
    assert "line 4" in str(e.value) and "'FRANCE'" in str(e.value) and "Expected: Y (yes)" in str(e.value)

    def long(rows):
        rows[5][rows[0].index("ms_vote")] = "maybe"
    with pytest.raises(InputError) as e:
        _read(_variant(tmp_path, LONG, long, "bad_long.csv"))
    assert "line 6" in str(e.value) and "'ms_vote'" in str(e.value)


def test_a_bad_date_and_an_inconsistent_record_are_errors(tmp_path):
    def date(rows):
        rows[2][1] = "2007-13-45"
    with pytest.raises(InputError) as e:
        _read(_variant(tmp_path, WIDE, date))
    assert "line 3" in str(e.value) and "not a date" in str(e.value)

    def title(rows):
        rows[2][rows[0].index("title")] = "Another title"
    with pytest.raises(InputError) as e:
        _read(_variant(tmp_path, LONG, title, "bad_long.csv"))
    assert "line 3" in str(e.value) and "two values of 'title'" in str(e.value)

    def total(rows):
        rows[9][rows[0].index("total_yes")] = "three"
    with pytest.raises(InputError) as e:
        _read(_variant(tmp_path, LONG, total, "bad_total.csv"))
    assert "line 10" in str(e.value) and "'total_yes'" in str(e.value) and "not a number" in str(e.value)


def test_the_long_file_meets_the_shared_bad_input_variants(tmp_path):
    """The variants of tests/test_bad_input.py (truncated, a missing column, a Git LFS pointer, a wrong encoding, a
    duplicated row, a date out of range, an empty file): each a clear error naming the file, the warehouse unchanged.
    (Names the registry does not know are rejected with a count, not errors: the wide table has DONOTKNOW.)"""
    from tests.test_bad_input import _snapshot, _variants
    w = Warehouse(tmp_path / "w.duckdb")
    assert w.import_file(LONG, source="undl").status == "imported"
    before = _snapshot(w)
    variants = _variants(tmp_path, LONG.name, None, None, "date", "ms_vote")
    assert len(variants) == 7
    for name, path in variants.items():
        rep = w.import_file(path, source="undl")
        assert rep.status == "error", f"{name}: {rep.status} {rep.message}"
        assert path.name in rep.message and ("Expected" in rep.message or "What to do" in rep.message), f"{name}: {rep.message}"
        assert _snapshot(w) == before, name
    assert "duplicate entry" in w.import_file(variants["duplicate_row"], source="undl").message


def test_one_symbol_on_records_that_differ_is_left_out(tmp_path):
    def differ(rows):
        rows[8][rows[0].index("FRANCE")] = "N"            # the second A/76/L.14: FRANCE votes otherwise
        rows[8][rows[0].index("YES COUNT")], rows[8][rows[0].index("NO COUNT")] = "1", "2"
    _, _, p = _read(_variant(tmp_path, WIDE, differ))
    assert p.rejected["roll calls: one symbol on records that differ (date or entries)"] == 2
    assert "A/76/L.14" not in set(p.tables["undl_roll_calls"]["resolution"].dropna())


# ---- matching with unvotes and un_votes -----------------------------------------------------------------
def _import(w, *files):
    for f in files:
        rep = w.import_file(f)
        assert rep.status == "imported", rep.message


def test_matching_with_unvotes(wh):
    _import(wh, UV_RC, UV_V, WIDE)
    m = wh.query("SELECT * FROM undl_matches").set_index("resolution")
    assert m.loc["A/RES/40/10", "status"] == "matched" and m.loc["A/RES/40/10", "rcid"] == 10     # not the amendment (rcid 11)
    assert m.loc["A/RES/40/10", "days"] == 10 <= DATE_TOLERANCE_DAYS and m.loc["A/RES/40/10", "vote_agreement"] == 1.0
    assert m.loc["A/RES/62/39", "rcid"] == 12 and m.loc["A/RES/74/150", "rcid"] == 13
    assert m.loc["A/RES/74/151", "status"] == "left out"           # inside unvotes' coverage, and unvotes has only a paragraph vote
    assert m.loc["A/RES/74/151", "reason"].endswith("unvotes holds this symbol only on amendment or paragraph votes")
    new = m[m["status"] == "new"]
    assert set(new.index) == {"A/RES/75/200", "A/RES/75/201", "A/76/L.14", "A/RES/75/260"}
    assert (new["rcid"] == UNDL_RCID_BASE + wh.query("SELECT undl_id, resolution FROM undl_matches").set_index("resolution").loc[new.index, "undl_id"]).all()
    s = match_summary_of(wh)
    assert (s["matched"], s["new"], s["new_by_year"]) == (3, 4, {2020: 2, 2021: 2})
    uv = wh.query("SELECT rcid, code, vote, year FROM un_votes")
    assert set(uv["rcid"]) == {10, 11, 12, 13, 14, 15} | set(new["rcid"])        # matched Library roll calls are not counted twice
    assert not uv.duplicated(["rcid", "code"]).any()
    assert len(uv[uv["rcid"] <= 15]) == len(UV_V.read_text().splitlines()) - 1      # unvotes' votes, once
    assert set(uv.loc[uv["rcid"] == UNDL_RCID_BASE + 600005, "code"]) == {"USA", "RUS", "FRA", "YEM", "KAZ"}
    rc = wh.query("SELECT * FROM un_roll_calls").set_index("rcid")
    assert rc.loc[UNDL_RCID_BASE + 600005, "short"] == "Question of the new session"      # the title, for bridging
    assert rc.loc[UNDL_RCID_BASE + 600005, ["session", "source"]].tolist() == [75, "undl"]
    assert rc.loc[10, "undl_id"] == 600001                                                  # the matched unvotes roll call knows its record


def test_the_import_command_reports_matched_new_and_left_out(tmp_path):
    from typer.testing import CliRunner

    from multipolar.cli import app
    db = tmp_path / "cli.duckdb"
    res = CliRunner().invoke(app, ["data", "import", str(UV_RC), str(UV_V), str(WIDE), "--db", str(db)])
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert "UN Digital Library roll calls in the warehouse: 8; 3 matched with unvotes (not counted twice), 4 new (2020: 2, 2021: 2), 1 left out" in out
    assert "only on amendment or paragraph votes: 1" in out


def match_summary_of(w):
    with w.connect() as con:
        return match_summary(con)


def test_any_import_order_gives_the_same_tables(tmp_path):
    orders = [[UV_RC, UV_V, WIDE], [WIDE, UV_V, UV_RC], [UV_V, WIDE, UV_RC]]
    got = []
    for i, order in enumerate(orders):
        w = Warehouse(tmp_path / f"w{i}.duckdb")
        _import(w, *order)
        got.append(_tables(w))
    for t in DERIVED:
        assert len(got[0][t]) > 0
        for other in got[1:]:
            pd.testing.assert_frame_equal(got[0][t], other[t])


def test_importing_the_wide_table_twice_changes_nothing(wh):
    _import(wh, UV_RC, UV_V, WIDE)
    before = _tables(wh)
    assert wh.import_file(WIDE).status == "unchanged"
    assert wh.import_file(WIDE, force=True).status == "imported"
    after = _tables(wh)
    for t in DERIVED:
        pd.testing.assert_frame_equal(before[t], after[t])


def test_unvotes_alone_keeps_its_tables(wh):
    _import(wh, UV_RC, UV_V)
    assert not wh.has("undl_matches")
    assert set(wh.query("SELECT rcid FROM un_votes")["rcid"]) == {10, 11, 12, 13, 14, 15}
    rc = wh.query("SELECT * FROM un_roll_calls ORDER BY rcid")
    assert list(rc["rcid"]) == [10, 11, 12, 13, 14, 15] and set(rc["source"]) == {"unvotes"}


def test_the_library_alone_gives_un_votes(wh):
    _import(wh, WIDE)
    m = wh.query("SELECT status, count(*) n FROM undl_matches GROUP BY 1").set_index("status")["n"]
    assert m.to_dict() == {"new": 8}
    uv = wh.query("SELECT year, count(DISTINCT rcid) n FROM un_votes GROUP BY 1").set_index("year")["n"]
    assert uv.to_dict() == {1985: 1, 2007: 1, 2019: 2, 2020: 2, 2021: 2}
    assert (wh.query("SELECT min(rcid) FROM un_votes").iloc[0, 0]) > UNDL_RCID_BASE
    before = _tables(wh)
    assert wh.import_file(WIDE, force=True).status == "imported"      # the derive rebuilds, it does not append
    for t in DERIVED:
        pd.testing.assert_frame_equal(before[t], _tables(wh)[t])


def test_long_file_matches_the_single_vote_table(wh, tmp_path):
    single = tmp_path / "unga_es11-1_fixture.csv"
    single.write_text("states,vote,iso_code\nRussian Federation,Against,RUS\nUnited States,Approve,USA\nFrance,Approve,FRA\nCanada,Absent,CAN\n")
    _import(wh, UV_RC, UV_V, single, LONG)
    m = wh.query("SELECT * FROM undl_matches").set_index("resolution")
    assert m.loc["A/RES/ES-11/1", "status"] == "matched" and m.loc["A/RES/ES-11/1", "rcid"] == 990001
    assert m.loc["A/RES/40/10", "rcid"] == 10
    assert set(m.loc[m["status"] == "new"].index) == {"A/RES/75/200", "A/RES/75/201", "A/RES/75/260", "A/RES/80/246"}
    years = wh.query("SELECT year, count(DISTINCT rcid) n FROM un_votes WHERE year >= 2020 GROUP BY 1").set_index("year")["n"].to_dict()
    assert years == {2020: 2, 2021: 1, 2022: 1, 2025: 1}         # ES-11/1 once, from the single-vote table
    assert wh.query("SELECT session FROM un_roll_calls WHERE rcid = 990001").iloc[0, 0] == 76   # its regular session


# ---- the shared wide table ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """unvotes' votes and roll calls and the shared wide table, imported once for these tests."""
    from tests.conftest import SHARED
    if SHARED is None:
        pytest.skip("the public data folder ../shared/data (or $MULTIPOLAR_SHARED) is absent")
    w = Warehouse(tmp_path_factory.mktemp("undl") / "w.duckdb")
    w.reports = {f: w.import_file(SHARED / "un_votes" / f) for f in
                 ("unvotes_un_votes.csv.gz", "unvotes_un_roll_calls.csv.gz", "undl_votes_wide_ga_sc_1946_2021.csv")}
    return w


@needs_shared
def test_real_wide_table_counts(real):
    rep = real.reports["undl_votes_wide_ga_sc_1946_2021.csv"]
    assert rep.status == "imported"
    assert rep.rows_read == 7855
    assert rep.rejected["roll calls: Security Council (General Assembly only)"] == 2617
    assert rep.rejected["roll calls: no full date (a bare year)"] == 2
    assert rep.rejected["roll calls: repeated record (same symbol, date and entries; kept once)"] == 1
    # entries (Y/N/A/X cells) whose name is no state of the system on that date: the SSRs' seats (and Belarus and
    # Ukraine under those names 1983-91), states voting before the registry's first day for them, four scraped names
    assert rep.rejected["entries: not a member of the state system that year (country)"] == 5790
    assert rep.rejected["entries: state did not exist that year (country)"] == 130
    assert rep.rejected["entries: unknown country name (country)"] == 4
    assert not any("for one state" in k or "for the same state" in k for k in rep.rejected)   # no two columns are one state
    notes = real.query("SELECT notes FROM _imports WHERE source = 'undl'")["notes"].iloc[0]
    assert ("names: 256 distinct; 243 resolved by the registry's names, 4 resolved by documented source alias, "
            "2 resolved by the suffix rule, 15 of which rejected on some dates, 7 rejected on every date") in notes
    assert "AY DENMARK 1981 ×1" in notes and "totals checked against the entries: 5,236 of 5,236 roll calls agree" in notes
    s = match_summary_of(real)
    assert s["read"] == 5238 - 3
    assert s["matched"] == 4302 and s["new"] == 186 and s["new_by_year"] == {2020: 99, 2021: 87}
    assert s["left_out"] == {"inside unvotes' coverage: no unvotes roll call has this symbol": 655,
                             "inside unvotes' coverage: unvotes holds this symbol only on amendment or paragraph votes": 75,
                             "inside unvotes' coverage: no resolution symbol to match by": 17}
    m = real.query("SELECT * FROM undl_matches WHERE status = 'matched'")
    assert (m["vote_agreement"] >= 0.9).mean() > 0.99                  # the matched roll calls carry the same votes


@needs_shared
def test_real_wide_table_codes_are_system_members_on_the_vote_date(real):
    v = real.query("SELECT DISTINCT v.code, r.date FROM undl_votes v JOIN undl_roll_calls r USING (undl_id)")
    reg = registry()
    bad = [(c, d) for c, d in zip(v["code"], v["date"]) if not reg.get(c).exists(date=d)]
    assert not bad, bad[:10]


@needs_shared
def test_real_un_votes_reach_2021(real):
    n = real.query("SELECT year, count(DISTINCT rcid) n FROM un_votes WHERE year IN (2020, 2021) GROUP BY 1").set_index("year")["n"]
    assert n[2020] >= 10 and n[2021] >= 10
    assert n.to_dict() == {2020: 100, 2021: 87}          # 2020: unvotes' last roll call (14 January) and 99 new


@needs_shared
def test_real_wide_table_imported_twice_changes_nothing(real, shared):
    before = _tables(real)
    assert real.import_file(shared / "un_votes" / "undl_votes_wide_ga_sc_1946_2021.csv").status == "unchanged"
    after = _tables(real)
    for t in DERIVED:
        pd.testing.assert_frame_equal(before[t], after[t])
