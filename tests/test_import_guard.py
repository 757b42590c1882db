"""Nothing lost, nothing overwritten by surprise: guarded replacement, files of one table merged by their keys with
a stated precedence, and the same rows from the CSV and the .rda of one dataset.

Each test runs the command a user runs (`multipolar data import FILE --db W`, in-process through the CLI) on small
files written here, and compares the warehouse's checksum of every table before and after.
"""
import json
import random

import pandas as pd
import pytest
from typer.testing import CliRunner

from multipolar.cli import app
from multipolar.warehouse import MAX_ROW_DROP, Warehouse
from tests.conftest import FIXTURES, needs_shared

# 20 states (COW codes that are states in 2000-2019) x 10 years = 200 rows
CCODES = [2, 20, 200, 220, 255, 325, 365, 640, 710, 740, 750, 770, 560, 140, 70, 130, 210, 211, 230, 235]
YEARS = list(range(2010, 2020))
HEADER = "ccode,year,milex,milper,irst,pec,tpop,upop,cinc"


def nmc_lines(ccodes=CCODES, years=YEARS, seed=1, change=None):
    rnd = random.Random(seed)
    out = []
    for c in ccodes:
        for y in years:
            v = [rnd.randint(1, 10**6) for _ in range(6)] + [round(rnd.random() / 10, 6)]
            if change and (c, y) == change[0]:
                v[-1] = change[1]
            out.append(",".join(map(str, [c, y] + v)))
    return out


def write(path, lines, header=HEADER):
    path.write_text(header + "\n" + "".join(line + "\n" for line in lines))
    return path


def why(out: str) -> str:
    """The reasons of a refusal, as printed."""
    return out.split("Refused because", 1)[1].split(". Expected", 1)[0] if "Refused because" in out else ""


def run(*args):
    r = CliRunner().invoke(app, ["data", "import", *map(str, args)])
    return r.exit_code, r.output


@pytest.fixture
def nmc(tmp_path):
    """A warehouse holding the 200-row NMC file, and that file."""
    db = tmp_path / "w.duckdb"
    f = write(tmp_path / "nmc.csv", nmc_lines())
    code, out = run(f, "--db", db)
    assert code == 0, out
    return Warehouse(db), f


def test_a_one_line_file_cannot_empty_a_table(nmc, tmp_path):
    w, f = nmc
    before = w.checksums()
    one = tmp_path / "x.csv"                      # head -1 peacesciencer_cow_nmc.csv > x.csv
    one.write_text(f.read_text().splitlines()[0] + "\n")
    code, out = run(one, "--db", w.path)
    assert code == 1, out
    assert "refused" in out and "rows 200 → 0" in out and "the rows drop by 100%" in out, out
    assert w.checksums() == before
    assert len(w.status()) == 1


def test_a_file_cut_at_a_field_boundary_is_refused_then_replaces_with_replace(nmc, tmp_path):
    w, f = nmc
    before = w.checksums()
    text = f.read_bytes()
    cut = tmp_path / "cut.csv"                    # head -c N: the last line keeps all its fields, the value is cut short
    n = text.index(b"\n", len(text) * 6 // 10) - 2
    cut.write_bytes(text[:n])
    code, out = run(cut, "--db", w.path)
    assert code == 1 and "refused" in out, out
    assert "rows 200 → " in out and "--replace" in out, out
    assert w.checksums() == before
    # the user means it: --replace replaces and says what changes
    code, out = run(cut, "--db", w.path, "--replace")
    assert code == 0, out
    t = w.table("nmc")
    assert 100 < len(t) < 200
    assert f"rows 200 → {len(t)}" in out and f"states 20 → {t.code.nunique()} (lost: " in out, out


def test_a_3000_column_file_is_refused(nmc, tmp_path):
    w, f = nmc
    before = w.checksums()
    wide = tmp_path / "wide.csv"
    extra = [f"x{i}" for i in range(3000)]
    wide.write_text(HEADER + "," + ",".join(extra) + "\n" + nmc_lines()[0] + "," + ",".join("1" * 3000) + "\n")
    code, out = run(wide, "--db", w.path)
    assert code == 1 and "refused" in out, out
    assert "3,000 new column(s)" in out and "rows 200 → 1" in out, out
    assert w.checksums() == before


def test_a_revision_within_the_thresholds_replaces(nmc, tmp_path):
    """A new release that drops one row (0.5%) and revises a value is a replacement the guard lets through."""
    w, f = nmc
    lines = nmc_lines(change=((2, 2015), 0.5))
    v2 = write(tmp_path / "nmc_v2.csv", lines[:-1])
    code, out = run(v2, "--db", w.path)
    assert code == 0, out
    t = w.table("nmc")
    assert len(t) == 199 and t.loc[(t.code == "USA") & (t.year == 2015), "cinc"].item() == pytest.approx(0.5)
    assert w.status()["file_name"].tolist() == ["nmc_v2.csv"]      # the first import, fully replaced, is superseded
    # the first file again: already imported (its rows replaced since): nothing changes without --force
    code, out = run(f, "--db", w.path)
    assert code == 0 and "unchanged" in out and "--force" in out, out
    assert len(w.table("nmc")) == 199


def test_years_covered_must_not_shrink(nmc, tmp_path):
    w, f = nmc
    before = w.checksums()
    # the last year gone (20 rows), two more states for the other years (18 rows): rows 200 -> 198, the years shrink
    lines = [line for line in nmc_lines() if line.split(",")[1] != "2019"] + nmc_lines(ccodes=[900, 920], years=YEARS[:-1], seed=3)
    code, out = run(write(tmp_path / "short.csv", lines), "--db", w.path)
    assert code == 1 and "years 2010–2019 → 2010–2018" in out, out
    assert "rows 200 → 198" in out and why(out) == " the years covered shrink", out
    assert w.checksums() == before


def test_states_covered_must_not_shrink(nmc, tmp_path):
    w, f = nmc
    before = w.checksums()
    # Portugal's 10 rows gone, 5 rows of New Zealand: rows 200 -> 195 (within the threshold), years as before
    lines = [line for line in nmc_lines(seed=2) if not line.startswith("235,")] + nmc_lines(ccodes=[920], years=YEARS[5:], seed=3)
    code, out = run(write(tmp_path / "no_prt.csv", lines), "--db", w.path)
    assert code == 1 and "states 20 → 20 (lost: PRT)" in out and why(out) == " 1 state(s) covered before are missing", out
    assert w.checksums() == before


def test_a_partition_that_shrinks_is_refused(tmp_path):
    """unvotes votes are partitioned by roll call: a file of the same roll calls missing a vote of one is refused
    even though the rows of the whole file drop less than the threshold."""
    db = tmp_path / "w.duckdb"
    head, *rows = (FIXTURES / "unvotes_votes.csv").read_text().splitlines()
    big = tmp_path / "votes.csv"
    # the fixture's votes (roll calls 3 and 4) repeated as 40 pairs of roll calls: 80 roll calls, 320 votes
    many = [str(1000 + 10 * i + int(r.split(",")[0])) + r[r.index(","):] for i in range(40) for r in rows]
    big.write_text(head + "\n" + "\n".join(many) + "\n")
    assert run(big, "--db", db)[0] == 0
    before = Warehouse(db).checksums()
    less = tmp_path / "votes_less.csv"
    less.write_text(head + "\n" + "\n".join(many[1:]) + "\n")          # one vote of roll call 1003 gone: 1 of 320 rows
    code, out = run(less, "--db", db)
    assert code == 1 and "partitions (rcid)" in out and "lose more than 5%" in out, out
    assert Warehouse(db).checksums() == before


def test_a_header_alone_is_refused_on_a_first_import(tmp_path):
    one = tmp_path / "x.csv"
    one.write_text(HEADER + "\n")
    code, out = run(one, "--db", tmp_path / "w.duckdb")
    assert code == 1 and "refused" in out and "gives 0 rows" in out, out
    assert not Warehouse(tmp_path / "w.duckdb").has("nmc")


# ---- the CSV and the .rda of one table --------------------------------------------------------------------------
def _rda(path, df, name="cow_nmc"):
    pyreadr = pytest.importorskip("pyreadr")
    pyreadr.write_rdata(str(path), df, df_name=name)
    return path


def _frame(lines):
    df = pd.DataFrame([line.split(",") for line in lines], columns=HEADER.split(","))
    return df.astype({c: "float64" for c in df.columns})      # R holds numbers as doubles


def test_the_csv_and_the_rda_of_a_table_give_the_same_rows_and_the_second_writes_nothing(tmp_path):
    lines = nmc_lines()
    csv = write(tmp_path / "nmc.csv", lines)
    rda = _rda(tmp_path / "cow_nmc.rda", _frame(lines))
    a, b, both = (Warehouse(tmp_path / f"{x}.duckdb") for x in ("a", "b", "both"))
    assert a.import_file(csv).status == "imported" and b.import_file(rda).status == "imported"
    assert a.checksums() == b.checksums()
    both.import_file(csv)
    before = both.checksums()
    rep = both.import_file(rda)
    assert rep.status == "imported" and "nothing written" in rep.message, rep.message
    assert both.checksums() == before
    assert sorted(both.status()["file_name"]) == ["cow_nmc.rda", "nmc.csv"]       # both files hold the rows


def test_files_of_one_table_merge_by_key_with_the_original_over_the_conversion(tmp_path):
    """The .rda (the R package's file) and a CSV conversion that differ: whichever comes first, the .rda's rows win
    where both have a key, and a key only the CSV has is kept."""
    base = nmc_lines()
    rda = _rda(tmp_path / "cow_nmc.rda", _frame(nmc_lines(change=((365, 2015), 0.25))))
    csv = write(tmp_path / "nmc.csv", base + ["666,2015,1,1,1,1,1,1,0.001"])
    w1, w2 = Warehouse(tmp_path / "1.duckdb"), Warehouse(tmp_path / "2.duckdb")
    r1 = [w1.import_file(csv), w1.import_file(rda)]
    r2 = [w2.import_file(rda), w2.import_file(csv)]
    assert all(r.status == "imported" for r in r1 + r2), [r.message for r in r1 + r2]
    assert w1.checksums()["nmc"][:2] == w2.checksums()["nmc"][:2]
    t = w1.table("nmc")
    assert len(t) == 201
    assert t.loc[(t.code == "RUS") & (t.year == 2015), "cinc"].item() == pytest.approx(0.25)     # the .rda's value
    assert (t.code == "ISR").sum() == 1                                                            # the CSV's extra key
    assert "takes precedence" in r1[1].message and "takes precedence" in r2[1].message
    # both files stay current (each holds rows), and importing either again changes nothing
    assert sorted(w1.status()["file_name"]) == ["cow_nmc.rda", "nmc.csv"]
    before = w1.checksums()
    assert {w1.import_file(csv).status, w1.import_file(rda).status} == {"unchanged"}
    assert w1.checksums() == before


@needs_shared
@pytest.mark.parametrize("table, a, b", [
    ("geodist_country", "trade/cepii_geodist_geo_cepii.csv", "raw/geodist/geo_cepii.rda"),             # Namibia's ISO2 'NA'
    ("gpr", "risk/data_gpr_export.xls", "risk/gpr_monthly_1900_2025.parquet"),                           # no '__line' series
    ("cow_trade_state", "trade/peacesciencer_cow_trade_sy.csv", "raw/peacesciencer/cow_trade_sy.rda"),   # exact doubles
    ("contiguity", "institutions/peacesciencer_cow_contdir.csv", "raw/peacesciencer/cow_contdir.rda"),   # dates
    ("rivalries_tss", "events/peacesciencer_tss_rivalries.csv", "raw/peacesciencer/tss_rivalries.rda"),  # 32-bit integers
    ("arms_deals", "arms/sipri_trade_register_deals.csv", "arms/sipri_trade_register_deals.parquet"),    # weapon counts
    ("unvotes_roll_calls", "un_votes/unvotes_un_roll_calls.csv.gz", "raw/unvotes/un_roll_calls.rda"),     # empty texts
], ids=lambda x: x if "/" not in x else None)
def test_real_csv_and_original_give_the_same_rows(shared, tmp_path, table, a, b):
    wa, wb = Warehouse(tmp_path / "a.duckdb"), Warehouse(tmp_path / "b.duckdb")
    ra, rb = wa.import_file(shared / a), wb.import_file(shared / b)
    assert ra.status == rb.status == "imported", (ra.message, rb.message)
    assert wa.checksums()[table] == wb.checksums()[table]
    assert "__line" not in wa.query(f'SELECT * FROM "{table}" LIMIT 1').columns
    if table == "geodist_country":
        assert wa.query("SELECT iso2 FROM geodist_country WHERE code = 'NAM'")["iso2"].tolist() == ["NA"]
    if table == "gpr":
        assert not wa.query("SELECT count(*) n FROM gpr WHERE series LIKE '\\_\\_%' ESCAPE '\\'")["n"].item()


@needs_shared
def test_importing_the_shared_folder_twice_changes_nothing(full_warehouse, shared):
    """`multipolar data import ../shared/data` a second time: every file unchanged (or skipped as not data),
    exit status 0, and the checksum of every table as before."""
    reps = full_warehouse.reports
    assert not [r for r in reps if r.status in ("error", "refused")], [(r.file, r.message) for r in reps if r.status in ("error", "refused")]
    before = full_warehouse.checksums()
    n_imports = len(full_warehouse.status(all_imports=True))
    code, out = run(shared, "--db", full_warehouse.path)
    assert code == 0, out[-3000:]
    text = " ".join(out.split())
    summary = text[text.index(" imported, ") - 1:]
    n_known = sum(r.status in ("imported", "unchanged") for r in reps)
    assert summary.startswith(f"0 imported, {n_known} unchanged, "), summary
    assert "not data (licences" in summary and summary.endswith(" 0 refused, 0 errors"), summary
    assert full_warehouse.checksums() == before
    assert len(full_warehouse.status(all_imports=True)) == n_imports          # not even a provenance row
    assert json.dumps(sorted(before)) == json.dumps(sorted(full_warehouse.checksums()))
