"""Event streams to dyad-months: readers on the real samples and hand-made files, the lake's guarantees
(only touched months rewritten, idempotent, a killed import leaves the last good state), deduplication,
volume normalisation and the interaction dimension reading the series."""
from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from multipolar import events as E
from multipolar.events import formats
from multipolar.events.lake import Lake
from multipolar.sources.events import GDELT2_COLUMNS

from conftest import needs_shared


def gdelt2_row(eid, day, a1, a2, code="042", gold=1.9, mentions=3, url="https://www.example.com/a/1.html"):
    f = dict.fromkeys(GDELT2_COLUMNS, "")
    root = code[:2]
    r = int(root)
    f.update({"GLOBALEVENTID": str(eid), "SQLDATE": day.replace("-", ""), "MonthYear": day.replace("-", "")[:6], "Year": day[:4],
              "Actor1CountryCode": a1, "Actor2CountryCode": a2, "Actor1Code": a1, "Actor2Code": a2, "EventCode": code,
              "EventBaseCode": code[:3], "EventRootCode": root, "QuadClass": str(1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4),
              "GoldsteinScale": str(gold), "NumMentions": str(mentions), "NumSources": "1", "NumArticles": str(mentions),
              "DATEADDED": day.replace("-", "") + "000000", "SOURCEURL": url})
    return "\t".join(f[c] for c in GDELT2_COLUMNS)


def write_gdelt2(path: Path, rows, zipped=True) -> Path:
    text = "\n".join(gdelt2_row(*r) if isinstance(r, tuple) else gdelt2_row(**r) for r in rows) + "\n"
    if zipped:
        inner = path.name.removesuffix(".zip")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(inner, text)
    else:
        path.write_text(text)
    return path


def snapshot(root: Path) -> dict:
    return {str(p.relative_to(root)): (p.stat().st_mtime_ns, p.stat().st_size) for p in root.rglob("*") if p.is_file() and p.name != "_lock"}


def table(db, name) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"SELECT * FROM {name}").df()


@pytest.fixture
def where(tmp_path):
    return tmp_path / "w.duckdb", tmp_path / "lake"


# ---- readers ------------------------------------------------------------------------------------------
@needs_shared
def test_shared_samples_import_and_count(shared, where):
    db, lake = where
    reps = E.import_events([shared / "events"], db=db, lake=lake)
    by = {Path(r.file).name: r for r in reps}
    for name in ("gdelt2_events_sample50.csv", "gdelt1_events_sample50.csv", "icews_sample_2018-06-01_03.csv", "gdelt2_mentions_sample.csv"):
        r = by[name]
        assert r.status == "imported", r.message
        # every row is kept or rejected with a reason
        assert r.rows_kept + sum(r.rejected.values()) == r.rows_read
    assert by["gdelt2_events_sample50.csv"].rows_read == 50
    assert by["cameo_eventcodes_goldstein_gdelt.csv"].status == "skipped"
    # ICEWS RUS -> UKR in June 2018, counted independently from the CSV
    raw = pd.read_csv(shared / "events" / "icews_sample_2018-06-01_03.csv", dtype=str)
    expect = raw[(raw["source_country"] == "Russian Federation") & (raw["target_country"] == "Ukraine")]
    dm = table(db, "event_dyad_month")
    got = dm[(dm.source == "icews") & (dm.source_code == "RUS") & (dm.target_code == "UKR")]
    assert int(got["events"].iloc[0]) == expect["event_id"].nunique() > 0
    assert got["goldstein_mean"].iloc[0] == pytest.approx(expect.drop_duplicates("event_id")["intensity"].astype(float).mean())
    # unresolved actors are counted with their reason, never guessed
    ic = by["icews_sample_2018-06-01_03.csv"]
    assert any("territory" in k for k in ic.rejected)
    assert any("Occupied Palestinian Territory" in n for n in ic.notes)
    df, notes = E.dyad("RUS", "UKR", db=db)
    assert set(df["source"]) >= {"icews"} and any("volume" in n for n in notes)
    # every partition has the lake's schema, whatever the source (Spark refuses a column typed otherwise in one file)
    import pyarrow.parquet as pq
    from multipolar.events.lake import EVENT_SCHEMA
    parts = Lake(lake).files()
    assert len({p.parts[-2] for p in parts}) >= 3
    for p in parts:
        got = pq.read_schema(p)
        assert [(f.name, f.type) for f in got] == [(f.name, f.type) for f in EVENT_SCHEMA], p


def test_gdelt2_zip_layout_and_hive_lake(tmp_path, where):
    db, lake = where
    f = write_gdelt2(tmp_path / "20240301120000.export.CSV.zip",
                     [(1, "2024-03-01", "USA", "RUS"), (2, "2024-03-02", "RUS", "USA", "190", -10.0, 5, "https://x.org/2"),
                      (3, "2024-03-02", "ROM", "EUR"), (4, "2024-03-02", "", "CHN"), (5, "2024-03-03", "XYZ", "CHN")])
    assert formats.sniff(f) == "gdelt2"
    (r,) = E.import_events([f], db=db, lake=lake)
    assert r.status == "imported" and r.source == "gdelt2" and r.rows_read == 5 and r.rows_kept == 2
    assert r.rejected == {"not a state (target actor; documented code of the source)": 1, "no state actor (source: blank country)": 1,
                          "unknown country code (source actor)": 1}
    assert (lake / "events" / "year=2024" / "month=3" / "source=gdelt2" / "data.parquet").exists()
    h = duckdb.sql(f"SELECT year, month, source, count(*) n FROM read_parquet('{lake}/events/*/*/*/*.parquet', hive_partitioning=true) GROUP BY ALL").fetchall()
    assert h == [(2024, 3, "gdelt2", 2)]


def test_gdelt1_headerless_57_and_58(tmp_path, where):
    db, lake = where
    cols58 = [c for c in GDELT2_COLUMNS if not c.endswith("ADM2Code")]
    row = dict.fromkeys(cols58, "")
    row.update(GLOBALEVENTID="7", SQLDATE="20100105", Actor1CountryCode="YUG", Actor2CountryCode="USA", EventCode="040", EventRootCode="04",
               QuadClass="1", GoldsteinScale="1.0", NumMentions="2", SOURCEURL="")
    f58 = tmp_path / "20100105.export.CSV"
    f58.write_text("\t".join(row[c] for c in cols58) + "\n")
    f57 = tmp_path / "19900105.export.CSV"
    row.update(GLOBALEVENTID="8", SQLDATE="19900105")
    f57.write_text("\t".join(row[c] for c in cols58[:-1]) + "\n")
    assert formats.sniff(f58) == "gdelt1" and formats.sniff(f57) == "gdelt1"
    reps = {Path(r.file).name: r for r in E.import_events([f58, f57], db=db, lake=lake)}
    # YUG resolves by date: Yugoslavia in 1990, no state of that code in 2010
    assert reps["19900105.export.CSV"].rows_kept == 1
    assert reps["20100105.export.CSV"].rows_kept == 0
    assert "state did not exist that year (source actor)" in reps["20100105.export.CSV"].rejected


def test_mentions_and_phoenix(tmp_path, where):
    db, lake = where
    m = tmp_path / "20240301120000.mentions.CSV"
    m.write_text("\t".join(["11", "20240301120000", "20240301121500", "1", "bbc.co.uk", "https://bbc.co.uk/x", "1", "-1", "5", "9", "1", "80",
                            "1000", "-2.5", "", ""]) + "\n")
    p = tmp_path / "events.full.20150601.txt"
    cols = ["pe1", "20150601", "2015", "6", "1", "RUSGOV", "RUS", "GOV", "", "UKRMIL", "UKR", "MIL", "", "173", "17", "4", "-5.0", "",
            "50.4", "30.5", "Kyiv", "Kyiv", "UKR", "s1", "http://a.ru/1", "a.ru"]
    p.write_text("\t".join(cols) + "\n")
    assert formats.sniff(m) == "mentions" and formats.sniff(p) == "phoenix"
    reps = E.import_events([m, p], db=db, lake=lake)
    assert [r.status for r in reps] == ["imported", "imported"]
    dm = table(db, "event_dyad_month")
    r = dm[dm.source == "phoenix"].iloc[0]
    assert (r.source_code, r.target_code, r.material_conflict, r.goldstein_mean) == ("RUS", "UKR", 1, -5.0)
    assert (lake / "mentions" / "year=2024" / "month=3" / "data.parquet").exists()


POLECAT_HEADER = ["Event ID", "Story Date", "Source", "Source Actor", "Source Agent", "Source Country", "Target", "Target Actor",
                  "Target Agent", "Target Country", "Event Type", "Mode", "Context", "Goldstein", "URL"]


def test_polecat_malformations_repaired_or_rejected(tmp_path, where):
    db, lake = where
    f = tmp_path / "ngec_coded_all_2023-01-06.txt"
    head = POLECAT_HEADER + ["", "URL"]          # extra header names: an empty one and a repeated one
    rows = [["E1", "2023-01-02", "IND/Gov", "Government", "", "IND", "FRA/Gov", "Government", "", "FRA", "consult", "meet", "", "1.0", "https://a.in/1"],
            ["E2", "2023-01-03", "RUS/Mil", "Military", "", "RUS", "UKR/Mil", "Military", "", "UKR", "assault", "", "", "-10", "https://b.ru/2"],
            ["E3", "2023-01-03", "USA/Gov", "Government", "", "USA", "CHN/Gov", "Government", "", "CHN", "accuse", "", "", "-2", "https://c.com/3"],
            ["E4", "2023-01-04", "DEU/Gov", "Government", "", "DEU", "POL/Gov", "Government", "", "POL", "aid", "", "", "5", "https://d.de/4"]]
    lines = ["\t".join(head)]
    lines.append("\t".join(rows[0] + ["", ""]))              # as wide as the header with its extra names
    lines.append("\t".join(rows[1]))                         # as wide as the real columns
    lines.append("\t".join(rows[2] + ["", "", "", ""]))      # stray tabs: empty fields after the last column
    lines.append("\t".join(rows[3][:12] + ["war", "crime"] + rows[3][13:]))   # a stray tab inside a field: shifted, not repairable
    f.write_text("\n".join(lines) + "\n")
    assert formats.sniff(f) == "polecat"
    (r,) = E.import_events([f], db=db, lake=lake)
    assert r.status == "imported", r.message
    assert r.repaired == {"header: empty or repeated column names ignored": 2, "empty fields after the last column removed (stray tabs)": 2}
    assert sum(v for k, v in r.rejected.items() if "stray tab inside a field" in k) == 1
    assert r.rows_kept == 3 and r.rows_read == 4
    dm = table(db, "event_dyad_month").set_index(["source_code", "target_code"])
    assert dm.loc[("RUS", "UKR"), "material_conflict"] == 1 and dm.loc[("USA", "CHN"), "verbal_conflict"] == 1


# ---- bad files -----------------------------------------------------------------------------------------
def test_bad_date_names_the_line_and_writes_nothing(tmp_path, where):
    db, lake = where
    good = write_gdelt2(tmp_path / "20240101000000.export.CSV.zip", [(1, "2024-01-01", "USA", "RUS")])
    E.import_events([good], db=db, lake=lake)
    before = snapshot(lake)
    bad = tmp_path / "20240102000000.export.CSV"
    write_gdelt2(bad, [(2, "2024-01-02", "USA", "RUS"), (3, "2024-01-02", "USA", "CHN"), (4, "2024-13-45", "USA", "RUS")], zipped=False)
    (r,) = E.import_events([bad], db=db, lake=lake)
    assert r.status == "error" and "line 3" in r.message and "SQLDATE" not in r.message and "date" in r.message
    assert snapshot(lake) == before
    assert len(table(db, "event_imports")) == 1


def test_wrong_field_count_is_an_error(tmp_path, where):
    db, lake = where
    f = tmp_path / "20240102000000.export.CSV"
    write_gdelt2(f, [(2, "2024-01-02", "USA", "RUS")], zipped=False)
    f.write_text(f.read_text() + "5\t20240102\tcut short\n")
    (r,) = E.import_events([f], db=db, lake=lake)
    assert r.status == "error" and "fields" in r.message


# ---- the lake's guarantees -----------------------------------------------------------------------------
def test_new_day_rewrites_only_its_month_and_same_file_changes_nothing(tmp_path, where):
    db, lake = where
    jan = write_gdelt2(tmp_path / "20240115000000.export.CSV.zip", [(1, "2024-01-15", "USA", "RUS"), (2, "2024-01-15", "RUS", "USA", "190")])
    feb = write_gdelt2(tmp_path / "20240210000000.export.CSV.zip", [(3, "2024-02-10", "USA", "CHN")])
    E.import_events([jan, feb], db=db, lake=lake)
    s1 = snapshot(lake)
    dm1 = table(db, "event_dyad_month")
    # the same file again: unchanged, nothing rewritten; --force reads it and finds every record held
    assert E.import_events([feb], db=db, lake=lake)[0].status == "unchanged"
    r = E.import_events([feb], db=db, lake=lake, force=True)[0]
    assert r.dedup["same record again (rule 1)"] == 1 and r.months == []
    assert snapshot(lake) == s1
    pd.testing.assert_frame_equal(table(db, "event_dyad_month"), dm1)
    # a new day of February: only February's partition is rewritten
    feb2 = write_gdelt2(tmp_path / "20240211000000.export.CSV.zip", [(4, "2024-02-11", "CHN", "USA")])
    (r,) = E.import_events([feb2], db=db, lake=lake)
    assert r.months == [("gdelt2", 2024, 2)]
    s2 = snapshot(lake)
    jan_part = "events/year=2024/month=1/source=gdelt2/data.parquet"
    feb_part = "events/year=2024/month=2/source=gdelt2/data.parquet"
    assert s2[jan_part] == s1[jan_part] and s2[feb_part] != s1[feb_part]
    dm = table(db, "event_dyad_month")
    assert len(dm) == len(dm1) + 1


def test_killed_import_leaves_the_last_good_state(tmp_path, where, monkeypatch):
    db, lake = where
    a = write_gdelt2(tmp_path / "20240115000000.export.CSV.zip", [(1, "2024-01-15", "USA", "RUS")])
    E.import_events([a], db=db, lake=lake)
    good_lake, good_dm = snapshot(lake), table(db, "event_dyad_month")
    b = write_gdelt2(tmp_path / "20240116000000.export.CSV.zip", [(2, "2024-01-16", "USA", "RUS"), (3, "2024-02-01", "CHN", "RUS")])

    # killed before the commit point (the journal): the lake and the warehouse are as before, temporary files are removed
    def die(*a, **k):
        raise KeyboardInterrupt
    monkeypatch.setattr(Lake, "write_journal", die)
    with pytest.raises(KeyboardInterrupt):
        E.import_events([b], db=db, lake=lake)
    monkeypatch.undo()
    assert any(".tmp-" in p for p in snapshot(lake))            # the partial work is there, hidden
    E.recover(__import__("multipolar.warehouse", fromlist=["Warehouse"]).Warehouse(db), Lake(lake))
    assert snapshot(lake) == good_lake
    pd.testing.assert_frame_equal(table(db, "event_dyad_month"), good_dm)
    # hidden files are never read meanwhile
    n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{lake}/events/*/*/*/*.parquet')").fetchall()[0][0]
    assert n == 1

    # killed after the commit point, half-way through the moves: the next command finishes the import
    calls = {"n": 0}
    real = Lake.apply_moves

    def half(self, moves):
        real(self, moves[:1])
        raise KeyboardInterrupt
    monkeypatch.setattr(Lake, "apply_moves", half)
    with pytest.raises(KeyboardInterrupt):
        E.import_events([b], db=db, lake=lake)
    monkeypatch.undo()
    assert (lake / "_journal.json").exists()
    (r,) = E.import_events([b], db=db, lake=lake)          # recovers first; the file is then held
    assert r.status == "unchanged"
    assert not (lake / "_journal.json").exists()
    ref_db, ref_lake = tmp_path / "ref.duckdb", tmp_path / "ref"
    E.import_events([a, b], db=ref_db, lake=ref_lake)
    cols = ["source", "year", "month", "source_code", "target_code", "events"]
    got = table(db, "event_dyad_month")[cols].sort_values(cols).reset_index(drop=True)
    ref = table(ref_db, "event_dyad_month")[cols].sort_values(cols).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, ref)
    assert len(table(db, "event_imports")) == 2


def test_deduplication_rules_and_counts(tmp_path, where):
    db, lake = where
    u1, u2 = "https://news.example/a/1.html", "https://news.example/a/2.html"
    f1 = write_gdelt2(tmp_path / "20240301000000.export.CSV.zip", [
        (10, "2024-03-01", "USA", "RUS", "042", 1.9, 4, u1),
        (11, "2024-03-01", "USA", "RUS", "043", 2.8, 2, u1),     # same day, pair, root 04, URL: the same event
        (12, "2024-03-01", "USA", "RUS", "190", -10, 1, u1),     # another root: another event
        (13, "2024-03-01", "USA", "RUS", "042", 1.9, 1, u2),     # another URL: another event
        (14, "2024-03-01", "RUS", "USA", "042", 1.9, 1, u1),     # the reverse pair: another event
    ])
    f2 = write_gdelt2(tmp_path / "20240301001500.export.CSV.zip", [
        (9, "2024-03-01", "USA", "RUS", "040", 1.0, 1, u1),      # arrives later, lower id: it becomes the kept record
        (13, "2024-03-01", "USA", "RUS", "042", 1.9, 1, u2),     # the same record again
    ])
    (r1,) = E.import_events([f1], db=db, lake=lake)
    assert r1.dedup == {"records": 5, "same record again (rule 1)": 0, "same event, other record (rule 2)": 1, "events added": 4}
    (r2,) = E.import_events([f2], db=db, lake=lake)
    assert r2.dedup == {"records": 2, "same record again (rule 1)": 1, "same event, other record (rule 2)": 1, "events added": 0}
    ev = duckdb.sql(f"SELECT event_id, duplicate_of FROM read_parquet('{lake}/events/*/*/*/*.parquet') ORDER BY event_id::INT").df()
    dup = dict(zip(ev.event_id, ev.duplicate_of))
    assert dup["10"] == "9" and dup["11"] == "9" and pd.isna(dup["9"]) and pd.isna(dup["12"]) and pd.isna(dup["13"])
    dm = table(db, "event_dyad_month").set_index(["source_code", "target_code"])
    assert dm.loc[("USA", "RUS"), "events"] == 3 and dm.loc[("USA", "RUS"), "records"] == 5
    # the order of the files does not matter
    db2, lake2 = tmp_path / "o.duckdb", tmp_path / "o"
    E.import_events([f2], db=db2, lake=lake2)
    E.import_events([f1], db=db2, lake=lake2)
    ev2 = duckdb.sql(f"SELECT event_id, duplicate_of FROM read_parquet('{lake2}/events/*/*/*/*.parquet') ORDER BY event_id::INT").df()
    pd.testing.assert_frame_equal(ev, ev2)


def test_icews_rule_event_id_with_its_date(tmp_path, where):
    db, lake = where
    f = tmp_path / "events.2018.tab"
    head = "Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\tIntensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher"
    rows = ["1\t2018-06-01\tRussia\t\tRussia\tConsult\t040\t1.0\tUkraine\t\tUkraine\t7\t1\tTASS",
            "1\t2018-06-01\tRussia\t\tRussia\tConsult\t040\t1.0\tUkraine\t\tUkraine\t7\t1\tTASS",      # the same event twice
            "1\t2018-06-02\tRussia\t\tRussia\tConsult\t40\t1.0\tUkraine\t\tUkraine\t8\t1\tTASS"]        # the id again, another date: another event
    f.write_text("\n".join([head] + rows) + "\n")
    (r,) = E.import_events([f], db=db, lake=lake)
    assert r.status == "imported", r.message
    assert r.dedup["same record again (rule 1)"] == 1 and r.dedup["events added"] == 2


def test_volume_share_and_mention_weights(tmp_path, where):
    db, lake = where
    rows = [(1, "2024-05-01", "USA", "RUS", "042", 2.0, 1, "u1"), (2, "2024-05-01", "USA", "RUS", "190", -10.0, 3, "u2"),
            (3, "2024-05-02", "RUS", "USA", "042", 2.0, 1, "u3"), (4, "2024-05-02", "USA", "CHN", "042", 2.0, 1, "u4"),
            (5, "2024-05-03", "RUS", "IND", "042", 2.0, 1, "u5"), (6, "2024-05-03", "FRA", "DEU", "042", 2.0, 1, "u6"),
            (7, "2024-05-03", "USA", "USA", "042", 2.0, 1, "u7")]   # a domestic event: not in any dyad or denominator
    E.import_events([write_gdelt2(tmp_path / "20240501000000.export.CSV.zip", rows)], db=db, lake=lake)
    dm = table(db, "event_dyad_month").set_index(["source_code", "target_code"])
    r = dm.loc[("USA", "RUS")]
    # events involving USA or RUS between two states: 1, 2, 3, 4, 5
    assert r["volume_share"] == pytest.approx(2 / 5)
    assert r["net_cooperation"] == 0 and r["goldstein_mean"] == -4.0
    assert r["goldstein_mw_mean"] == pytest.approx((2.0 * 1 - 10.0 * 3) / 4)
    assert r["net_cooperation_mw"] == pytest.approx((1 - 3) / 4)
    assert dm.loc[("FRA", "DEU"), "volume_share"] == 1.0
    assert ("USA", "USA") not in dm.index
    # a pair without events in a month the files cover: 0 events, ratios missing; months not covered are not shown
    df, notes = E.dyad("FRA", "RUS", db=db)
    assert len(df) == 1 and (df["year"].iloc[0], df["month"].iloc[0]) == (2024, 5)
    assert df["events ab"].iloc[0] == df["events ba"].iloc[0] == 0 and pd.isna(df["net coop ab"].iloc[0]) and df["days"].iloc[0] == 3
    assert any("volume" in n for n in notes) and any("missing, not 0" in n for n in notes)


def test_interaction_reads_the_series_where_a_year_is_covered(tmp_path, where):
    from multipolar.dimensions.dyads import Dyads
    db, lake = where
    day0 = dt.date(2019, 1, 1)
    rows = [(i + 1, str(day0 + dt.timedelta(days=i)), "USA", "RUS", "042" if i % 3 else "190", 1.0, 1, f"u{i}") for i in range(365)]
    rows += [(1000, "2018-12-31", "USA", "RUS", "042", 1.0, 1, "x"), (1001, "2019-06-01", "CHN", "USA", "042", 1.0, 1, "y")]
    E.import_events([write_gdelt2(tmp_path / "2019.export.CSV.zip", rows)], db=db, lake=lake)
    d = Dyads(years="2018:2019", states=["USA", "RUS", "CHN"], db=db).add_interaction().to_pandas().set_index(["code_a", "code_b", "year"])
    assert d.loc[("USA", "RUS", 2019), "events_a_to_b_n"] == 365
    assert d.loc[("USA", "RUS", 2019), "events_material_conflict_a_to_b"] == 122
    assert d.loc[("RUS", "CHN", 2019), "events_a_to_b_n"] == 0          # covered year, no events: 0
    assert pd.isna(d.loc[("USA", "RUS", 2018), "events_a_to_b_n"])      # one day of 2018: missing, not 0
    assert d.loc[("USA", "RUS", 2019), "events_a_to_b_share_of_a_events"] == 1.0
    # plain numbers, so the scoreboard's information process can divide them (sums of BIGINT were Decimal objects)
    for c in ("events_a_to_b_n", "events_verbal_coop_a_to_b", "net_cooperation_a_to_b"):
        assert pd.api.types.is_numeric_dtype(d[c]), (c, d[c].dtype)
    from multipolar.structure.fragmentation import COLUMNS, scoreboard
    blocs = pd.Series({"USA": "US-leaning", "RUS": "China-leaning", "CHN": "China-leaning"})
    dy = d.reset_index()
    dy = dy.reindex(columns=[*dy.columns, *[c for c in COLUMNS if c not in dy.columns]])     # the other processes: no data here
    sb = scoreboard(dy, blocs).set_index(["process", "year"])
    # 2019: the scoreboard reads A->B with A < B: CHN->USA (one event) across; RUS->USA has none (no share); within, RUS-CHN none
    assert sb.loc[("information", 2019), "pairs_across"] == 1 and sb.loc[("information", 2019), "pairs_within"] == 0
    assert pd.isna(sb.loc[("information", 2018), "across"])              # not covered: missing, never 0


def test_an_old_lake_layout_is_named_and_migrated(tmp_path, where):
    """A lake of layout 1 (no outlet_key) gets a clear error naming the command; `events migrate` rewrites it and the
    aggregates come out as before; a lake newer than this multipolar is refused."""
    from multipolar.errors import MultipolarError
    from multipolar.events.lake import LAKE_VERSION
    db, lake = where
    rows = [(1, "2024-05-01", "USA", "RUS", "042", 2.0, 1, "https://a.example/1"), (2, "2024-05-01", "USA", "RUS", "190", -10.0, 3, "https://b.example/2"),
            (3, "2024-05-02", "USA", "RUS", "042", 2.0, 1, "https://a.example/3"), (4, "2024-05-02", "RUS", "USA", "042", 2.0, 1, "https://c.example/4")]
    E.import_events([write_gdelt2(tmp_path / "20240501000000.export.CSV.zip", rows)], db=db, lake=lake)
    assert json.loads((lake / "_lake.json").read_text()) == {"version": LAKE_VERSION}
    before = table(db, "event_dyad_month").sort_values(["source_code", "target_code"]).reset_index(drop=True)
    assert before.set_index(["source_code", "target_code"]).loc[("USA", "RUS"), "outlets"] == 2
    # make it a layout-1 lake: the files without outlet_key, no version file
    (part,) = Lake(lake).files()
    duckdb.sql(f"COPY (SELECT * EXCLUDE (outlet_key) FROM read_parquet('{part}')) TO '{part}.old' (FORMAT parquet)")
    Path(f"{part}.old").replace(part)
    (lake / "_lake.json").unlink()
    assert Lake(lake).version() == 1
    with pytest.raises(MultipolarError, match="layout 1.*events migrate"):
        E.aggregate(db=db, lake=lake)
    with pytest.raises(MultipolarError, match="events migrate"):
        E.import_events([write_gdelt2(tmp_path / "20240601000000.export.CSV.zip", rows[:1])], db=db, lake=lake)
    assert "1 partition file(s) rewritten" in E.migrate(db=db, lake=lake)
    assert Lake(lake).version() == LAKE_VERSION and not Lake(lake).old_files()
    after = E.aggregate(db=db, lake=lake)[before.columns].sort_values(["source_code", "target_code"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(before, after, check_dtype=False)
    assert "nothing to do" in E.migrate(db=db, lake=lake)
    (lake / "_lake.json").write_text(json.dumps({"version": LAKE_VERSION + 1}))
    with pytest.raises(MultipolarError, match="newer than this multipolar"):
        E.aggregate(db=db, lake=lake)


def test_duckdb_per_partition_and_whole_lake_agree(tmp_path, where, monkeypatch):
    """On DuckDB large partition files are aggregated one at a time, small ones in one query: the same rows either way."""
    from multipolar.events import engine
    db, lake = where
    rows = [(i, f"2024-0{1 + i % 3}-0{1 + i % 7}", ["USA", "RUS", "CHN"][i % 3], ["UKR", "USA", "FRA", "RUS"][i % 4], ["042", "190", "057", "111"][i % 4],
             1.0, 1 + i % 5, f"https://n{i % 4}.example/{i // 2}") for i in range(1, 200)]
    E.import_events([write_gdelt2(tmp_path / "20240101000000.export.CSV.zip", rows)], db=db, lake=lake)
    keys = engine.KEYS
    whole = [t.to_pandas().sort_values(keys[:3] if i else keys).reset_index(drop=True)
             for i, t in enumerate(engine.run(Lake(lake)))]
    monkeypatch.setattr(engine, "PER_FILE_ROWS", 1)
    each = [t.to_pandas().sort_values(keys[:3] if i else keys).reset_index(drop=True) for i, t in enumerate(engine.run(Lake(lake)))]
    assert len(whole[0]) >= 10 and len(whole[1]) == 3
    for a, b in zip(whole, each):
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)
