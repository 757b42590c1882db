"""UN DESA International Migrant Stock 2024 (ISO3, by sex) beside the 2017 revision.

The hand-made fixture ``undesa_2024_by_sex.csv`` (14 rows) holds: Germany -> France in three
years (kept), South Sudan -> Uganda in 1990 (South Sudan did not exist: rejected) and later
(kept), Hong Kong as an origin and Puerto Rico as a destination (territories: rejected), Russia
-> Germany in 1990 (rejected) and 2024 (kept), Taiwan -> USA (a registry state: kept), and a
Ukraine -> Russia row with 0 (kept in the table, not observed in the view).
"""
from __future__ import annotations

import csv
import io

import duckdb
import pandas as pd
import pytest

from multipolar.actors.registry import registry
from multipolar.sources import detect
from multipolar.sources.people import MIGRANT_TABLE, MIGRANT_VIEW, migrant_stock_latest
from multipolar.warehouse import Warehouse
from tests.conftest import FIXTURES, needs_shared
from tests.test_bad_input import _snapshot, _variants

FIX = FIXTURES / "undesa_2024_by_sex.csv"
FILE_2024 = "people/un_desa_migrant_stock_2024_origin_dest_1990_2024.parquet"
FILE_2017 = "people/un_desa_migrant_stock_origin_dest_1990_2017_long.parquet"


def _rows(path=FIX):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def _write(path, rows):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _table(w, name=MIGRANT_TABLE, where=""):
    return w.query(f'SELECT * FROM "{name}" {where} ORDER BY ALL')


def _every_code_exists_in_its_year(df):
    reg = registry()
    for c in ("origin", "destination"):
        pairs = df[[c, "year"]].drop_duplicates()
        bad = [(k, int(y)) for k, y in pairs.itertuples(index=False) if not reg.get(k).exists(year=int(y), system_only=False)]
        assert not bad, f"{c}: codes kept in a year their state did not exist: {bad[:10]}"


# -- the fixture ------------------------------------------------------------------------------------
def test_the_2024_layout_is_recognised_by_its_columns(tmp_path):
    renamed = tmp_path / "anything.txt"            # the name says nothing
    renamed.write_bytes(FIX.read_bytes())
    reader, layout, _ = detect(renamed)
    assert (reader.name, layout) == ("undesa_migration", "iso3_long_by_sex")


def test_fixture_rows_kept_and_rejected_by_reason(wh):
    rows = _rows()[1:]
    rep = wh.import_file(FIX)
    assert rep.status == "imported", rep.message
    assert rep.rows_read == len(rows)
    # what the fixture was built to hold (see the module docstring)
    # ISO3 DEU in 1990 is the Federal Republic (GFR): the state that held it for most of that year
    expect_kept = {(int(r[0]), "GFR" if (r[1], r[0]) == ("DEU", "1990") else r[1], "GFR" if (r[2], r[0]) == ("DEU", "1990") else r[2])
                   for r in rows if r[1] not in ("HKG",) and r[2] != "PRI" and not (r[0] == "1990" and r[1] in ("SSD", "RUS"))}
    t = _table(wh)
    assert set(zip(t["year"], t["origin"], t["destination"])) == expect_kept
    assert rep.rejected == {"territory (orig)": 2, "territory (dest)": 1, "state did not exist that year (orig)": 2}
    assert rep.rows_kept + sum(rep.rejected.values()) == rep.rows_read
    assert set(t["revision"]) == {"2024"}
    assert (t["migrant_stock"] == t["migrant_stock_male"] + t["migrant_stock_female"]).all()
    _every_code_exists_in_its_year(t)
    # Taiwan is a state of the registry: never dropped as a territory
    assert ("TWN", "USA") in set(zip(t["origin"], t["destination"]))
    st = wh.status()
    assert st["version"].iloc[0] == "UN DESA International Migrant Stock 2024"
    notes = st["notes"].iloc[0]
    assert "China, Hong Kong SAR (HKG)" in notes and "Puerto Rico (PRI)" in notes
    assert "South Sudan (SSD) in 1990" in notes and "Russian Federation (RUS) in 1990" in notes
    assert "International Migrant Stock 2024." in notes


def test_the_view_has_observed_rows_only_one_per_key(wh):
    wh.import_file(FIX)
    v = _table(wh, MIGRANT_VIEW)
    assert not v.duplicated(["year", "origin", "destination"]).any()
    assert (v["migrant_stock"] > 0).all()
    zero = _table(wh, where="WHERE migrant_stock = 0")
    assert len(zero) == 1 and not ((v["origin"] == "UKR") & (v["year"] == 2015)).any()
    assert len(v) == len(_table(wh)) - len(zero)
    pd.testing.assert_frame_equal(migrant_stock_latest(wh).sort_values(list(v.columns)).reset_index(drop=True), v)


@pytest.mark.parametrize("change, field", [
    ("male_female", "stock"), ("duplicate", "year,orig,dest"), ("negative", "stock_female"),
    ("not_an_edition_year", "year"), ("iso_numeric_shifted", "orig_iso3n"), ("two_names", "dest_name"), ("blank_code", "dest"),
])
def test_bad_rows_are_errors_naming_the_line_and_field(wh, tmp_path, change, field):
    wh.import_file(FIX)
    before = _snapshot(wh)
    rows = _rows()
    h = rows[0]
    line = 5                                   # the 4th record, line 5 of the file
    r = rows[line - 1]
    if change == "male_female":
        r[h.index("stock_male")] = str(int(r[h.index("stock_male")]) + 7)
    elif change == "duplicate":
        rows.insert(line - 1, list(rows[1]))
        r = rows[line - 1]
    elif change == "negative":
        r[h.index("stock_female")] = "-5"
    elif change == "not_an_edition_year":
        r[h.index("year")] = "2023"
    elif change == "iso_numeric_shifted":
        for x in rows[1:]:                     # Germany's rows with France's number
            if x[h.index("orig")] == "DEU":
                x[h.index("orig_iso3n")] = "250"
        line = 2
    elif change == "two_names":
        line = 6                               # Uganda's second row (line 5 has its first) with another name
        rows[line - 1][h.index("dest_name")] = "Republic of Uganda"
    elif change == "blank_code":
        r[h.index("dest")] = ""
    bad = _write(tmp_path / f"{change}.csv", rows)
    rep = wh.import_file(bad, source="undesa_migration")
    assert rep.status == "error"
    assert f"line {line}" in rep.message and field in rep.message and str(bad) in rep.message, rep.message
    assert _snapshot(wh) == before


def test_standard_bad_input_variants(tmp_path):
    w = Warehouse(tmp_path / "w.duckdb")
    assert w.import_file(FIX, source="undesa_migration").status == "imported"
    before = _snapshot(w)
    variants = _variants(tmp_path, FIX.name, "orig", "QQQ", "year", "stock")
    for name, path in variants.items():
        rep = w.import_file(path, source="undesa_migration")
        assert rep.status == "error", (name, rep.message)
        assert str(path) in rep.message, (name, rep.message)
        assert _snapshot(w) == before, name


# -- revisions side by side -------------------------------------------------------------------------
def test_revisions_coexist_and_reimporting_changes_nothing(wh, tmp_path):
    assert wh.import_file(FIXTURES / "migrant_long.csv").status == "imported"     # the 2017 revision
    r17 = _table(wh, where="WHERE revision = '2017'")
    assert len(r17) > 0 and set(r17["year"]) == {2017}
    assert wh.import_file(FIX).status == "imported"
    r24 = _table(wh, where="WHERE revision = '2024'")
    pd.testing.assert_frame_equal(_table(wh, where="WHERE revision = '2017'"), r17)   # the 2024 import kept 2017
    # the same file again: nothing happens; forced: its revision is replaced by the same rows
    assert wh.import_file(FIX).status == "unchanged"
    assert wh.import_file(FIX, force=True).status == "imported"
    assert wh.import_file(FIXTURES / "migrant_long.csv", force=True).status == "imported"
    pd.testing.assert_frame_equal(_table(wh, where="WHERE revision = '2024'"), r24)
    pd.testing.assert_frame_equal(_table(wh, where="WHERE revision = '2017'"), r17)
    # the view: per year, the latest revision that has the year
    v = _table(wh, MIGRANT_VIEW)
    by_year = v.groupby("year")["revision"].unique().map(list).to_dict()
    assert by_year == {1990: ["2024"], 2015: ["2024"], 2017: ["2017"], 2024: ["2024"]}


def test_2017_rows_of_a_2024_file_would_replace_only_its_own_revision(wh, tmp_path):
    """A by-sex file whose last year is 2017 is the 2017 revision: it replaces that revision, not 2024."""
    wh.import_file(FIX)
    rows = _rows()
    r17 = [rows[0]] + [r for r in rows[1:] if r[0] in ("1990", "2015")] + [["2017", "DEU", "FRA", "France*", "250", "Germany", "276", "10", "4", "6"]]
    rep = wh.import_file(_write(tmp_path / "ims2017_by_sex.csv", r17))
    assert rep.status == "imported", rep.message
    t = _table(wh)
    assert set(t["revision"]) == {"2017", "2024"}
    assert len(t[t["revision"] == "2024"]) == 9


def test_a_warehouse_from_before_revisions_is_moved_into_the_revisions_table(tmp_path):
    w = Warehouse(tmp_path / "old.duckdb")
    with w.connect(read_only=False) as con:      # what the reader wrote before: the 2017 revision as `migrant_stock`
        con.execute("CREATE TABLE migrant_stock AS SELECT * FROM (VALUES (2017, 'RUS', 'DEU', 1031000.0), (2015, 'UKR', 'RUS', 3300000.0)) "
                    "t(year, origin, destination, migrant_stock)")
    assert w.import_file(FIX).status == "imported"
    with duckdb.connect(str(w.path), read_only=True) as con:
        kind = con.execute("SELECT table_type FROM information_schema.tables WHERE table_name = 'migrant_stock'").fetchone()[0]
    assert kind == "VIEW"
    old = _table(w, where="WHERE revision = '2017'")
    assert sorted(zip(old["year"], old["origin"], old["migrant_stock"])) == [(2015, "UKR", 3300000.0), (2017, "RUS", 1031000.0)]
    v = _table(w, MIGRANT_VIEW)
    assert set(v.loc[v["year"] == 2017, "revision"]) == {"2017"}
    assert set(v.loc[v["year"] == 2015, "revision"]) == {"2024"}     # 2015 is the 2024 edition's


# -- the real file ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real(tmp_path_factory):
    from tests.conftest import SHARED
    if SHARED is None:
        pytest.skip("the public data folder ../shared/data (or $MULTIPOLAR_SHARED) is absent")
    w = Warehouse(tmp_path_factory.mktemp("desa") / "w.duckdb")
    r17 = w.import_file(SHARED / FILE_2017)
    r24 = w.import_file(SHARED / FILE_2024)
    return w, r17, r24, SHARED


@needs_shared
def test_real_2024_file_rows_kept_and_rejections(real):
    w, r17, r24, shared = real
    assert r17.status == "imported" and r24.status == "imported", (r17.message, r24.message)
    raw = pd.read_parquet(shared / FILE_2024)
    assert r24.rows_read == len(raw)
    assert r24.rows_kept + sum(r24.rejected.values()) == r24.rows_read
    assert set(r24.rejected) == {"territory (orig)", "territory (dest)", "state did not exist that year (orig)", "state did not exist that year (dest)",
                                 "not a member of the state system that year (orig)", "not a member of the state system that year (dest)"}
    # the Soviet republics with a UN seat in 1990 (Ukraine, Byelorussia): states of the registry, not yet of the system
    soviet = (raw["year"] == 1990) & raw["orig"].isin(["UKR", "BLR"]) & raw["stock"].notna()
    assert r24.rejected["not a member of the state system that year (orig)"] == int(soviet.sum())
    # exactly the rows whose two codes name a registry state in that year are kept: no state dropped as a territory
    reg = registry()
    ok = {}
    for c in ("orig", "dest"):
        keys = raw[[c, "year"]].drop_duplicates()
        ok[c] = {(k, y) for k, y in keys.itertuples(index=False)
                 if (code := reg.try_resolve(k, year=int(y), system="iso3")) is not None and reg.get(code).exists(year=int(y))}
    keep = [(o, y) in ok["orig"] and (d, y) in ok["dest"] for o, d, y in zip(raw["orig"], raw["dest"], raw["year"])]
    assert r24.rows_kept == sum(keep)
    t = _table(w, where="WHERE revision = '2024'")
    _every_code_exists_in_its_year(t)
    assert {"TWN"} <= set(t["origin"]) and "HKG" not in set(t["origin"]) and "PSE" not in set(t["destination"])


@needs_shared
def test_real_ukraine_to_russia_2020_and_the_view(real):
    w, *_ = real
    v = _table(w, MIGRANT_VIEW, "WHERE origin = 'UKR' AND destination = 'RUS' AND year IN (2017, 2020)")
    got = dict(zip(v["year"], zip(v["migrant_stock"], v["revision"])))
    assert 1.795e6 <= got[2020][0] < 1.805e6 and got[2020][1] == "2024"
    assert got[2017][1] == "2017"
    counts = w.query(f"SELECT year, count(DISTINCT revision) AS n, count(*) AS rows, count(DISTINCT (origin, destination)) AS pairs FROM {MIGRANT_VIEW} GROUP BY year")
    assert (counts["n"] == 1).all() and (counts["rows"] == counts["pairs"]).all()
    assert set(counts["year"]) == {1990, 1995, 2000, 2005, 2010, 2015, 2017, 2020, 2024}


@needs_shared
def test_real_reimport_changes_nothing_and_keeps_2017(real):
    w, r17, _, shared = real
    before = (w.counts(), _table(w, where="WHERE revision = '2024'"))
    assert w.import_file(shared / FILE_2024).status == "unchanged"
    assert w.import_file(shared / FILE_2024, force=True).status == "imported"
    after = (w.counts(), _table(w, where="WHERE revision = '2024'"))
    assert before[0] == after[0]
    pd.testing.assert_frame_equal(before[1], after[1])
    assert len(_table(w, where="WHERE revision = '2017'")) == r17.rows_kept
