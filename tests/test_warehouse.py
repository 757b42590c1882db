"""The warehouse: provenance, idempotent and atomic imports, replacement across formats, a kill mid-import."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import multipolar as mp
from multipolar.errors import WarehouseError
from multipolar.warehouse import Warehouse
from tests.conftest import FIXTURES, needs_shared


def _state(w):
    st = w.status()
    return w.counts(), sorted(st["sha256"])


def test_import_records_provenance(wh):
    rep = wh.import_file(FIXTURES / "nmc.csv")
    assert rep.status == "imported" and rep.source == "nmc"
    st = wh.status()
    row = st.iloc[0]
    assert row["source"] == "nmc" and row["file_name"] == "nmc.csv" and len(row["sha256"]) == 64
    assert row["rows_read"] == 3 and row["rows_kept"] == 3 and row["rows_rejected"] == 0
    assert (row["year_min"], row["year_max"]) == (2000, 2000) and row["n_countries"] == 3
    assert json.loads(row["tables"]) == ["nmc"]


def test_importing_the_same_file_twice_changes_nothing(wh):
    wh.import_file(FIXTURES / "atop.csv")
    before = _state(wh)
    rep = wh.import_file(FIXTURES / "atop.csv")
    assert rep.status == "unchanged"
    assert _state(wh) == before


def test_the_same_file_under_another_name_is_recognised_as_unchanged(wh, tmp_path):
    wh.import_file(FIXTURES / "atop.csv")
    before = _state(wh)
    copy = tmp_path / "renamed.csv"
    copy.write_bytes((FIXTURES / "atop.csv").read_bytes())
    assert wh.import_file(copy).status == "unchanged"
    assert _state(wh) == before


def test_a_new_version_replaces_the_table_and_never_duplicates(wh, tmp_path):
    wh.import_file(FIXTURES / "nmc.csv")
    v2 = tmp_path / "nmc_v2.csv"
    v2.write_text((FIXTURES / "nmc.csv").read_text().replace("0.141", "0.142"))
    assert wh.import_file(v2).status == "imported"
    t = wh.table("nmc")
    assert len(t) == 3 and t.loc[t.code == "USA", "cinc"].item() == pytest.approx(0.142)
    st = wh.status(all_imports=True)
    assert st["superseded"].sum() == 1 and len(wh.status()) == 1


def test_partitioned_imports_add_up(wh, tmp_path):
    # BACI ships one file per year: two years add up, the same year again replaces itself
    a = tmp_path / "y2021.csv"
    a.write_text((FIXTURES / "baci_trade.csv").read_text())
    b = tmp_path / "y2022.csv"
    b.write_text((FIXTURES / "baci_trade.csv").read_text().replace("2021,", "2022,"))
    wh.import_file(a)
    wh.import_file(b)
    assert wh.query("SELECT year, count(*) n FROM baci_trade GROUP BY year ORDER BY year")["n"].tolist() == [3, 3]
    b.write_text((FIXTURES / "baci_trade.csv").read_text().replace("2021,", "2022,").replace("1000.0,NA", "2000.0,NA"))
    wh.import_file(b)
    assert wh.counts()["baci_trade"] == 6


def test_a_failed_import_leaves_the_warehouse_as_it_was(wh, tmp_path):
    wh.import_file(FIXTURES / "nmc.csv")
    before = _state(wh)
    bad = tmp_path / "nmc_bad.csv"
    bad.write_text((FIXTURES / "nmc.csv").read_text().replace("365,2000", "999,2000"))
    rep = wh.import_file(bad)
    assert rep.status == "error" and "999" in rep.message
    assert _state(wh) == before


def test_votes_and_roll_calls_in_either_order_give_the_same_un_votes(tmp_path):
    w1, w2 = Warehouse(tmp_path / "a.duckdb"), Warehouse(tmp_path / "b.duckdb")
    w1.import_file(FIXTURES / "unvotes_votes.csv")
    w1.import_file(FIXTURES / "unvotes_roll_calls.csv")
    w2.import_file(FIXTURES / "unvotes_roll_calls.csv")
    w2.import_file(FIXTURES / "unvotes_votes.csv")
    q = "SELECT rcid, code, vote FROM un_votes ORDER BY ALL"
    a, b = w1.query(q), w2.query(q)
    assert a.equals(b) and len(a) == 8
    codes = dict(zip(zip(a.rcid, a.code), a.vote))
    assert codes[(3, "SUN")] == "no"          # RU in 1946 is the Soviet Union
    assert codes[(4, "RUS")] == "yes"         # RU in 2019 is Russia
    assert codes[(4, "NAM")] == "abstain"     # NA is Namibia, not a missing value
    assert codes[(3, "GFR")] == "yes"         # resolved from the name, no code in the file
    assert codes[(4, "SRB")] == "yes"         # unvotes keeps YU for Serbia


KILL_SCRIPT = """
import sys
from multipolar.warehouse import Warehouse
w = Warehouse(sys.argv[1])
w.import_file(sys.argv[2], options={"_pause_before_commit": 60, "_marker": sys.argv[3]})
"""


def test_a_killed_import_leaves_the_warehouse_exactly_as_before(tmp_path):
    db = tmp_path / "w.duckdb"
    w = Warehouse(db)
    w.import_file(FIXTURES / "nmc.csv")
    w.import_file(FIXTURES / "atop.csv")
    before = _state(w)
    v2 = tmp_path / "nmc_v2.csv"
    v2.write_text((FIXTURES / "nmc.csv").read_text().replace("0.141", "0.5"))
    marker = tmp_path / "marker"
    p = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(db), str(v2), str(marker)])
    deadline = time.time() + 60
    while not marker.exists() and time.time() < deadline and p.poll() is None:
        time.sleep(0.05)
    assert marker.exists(), "the import never reached its write"
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    after = Warehouse(db)
    assert _state(after) == before
    assert after.table("nmc").loc[lambda t: t.code == "USA", "cinc"].item() == pytest.approx(0.141)
    # and it still takes imports
    assert after.import_file(v2).status == "imported"


def test_readers_are_not_blocked_after_a_failed_import(wh, tmp_path):
    wh.import_file(FIXTURES / "nmc.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("ccode,year,milex\n")
    wh.import_file(bad, source="nmc")
    assert len(wh.table("nmc")) == 3


def test_python_api_is_the_cli_s_library(tmp_path):
    db = tmp_path / "api.duckdb"
    reps = mp.import_data(FIXTURES / "nmc.csv", FIXTURES / "atop.csv", db=db)
    assert [r.status for r in reps] == ["imported", "imported"]
    st = mp.status(db=db)
    assert set(st["source"]) == {"nmc", "atop"}
    assert "atop" in set(mp.list_sources()["source"])


@needs_shared
def test_status_after_importing_everything_lists_every_source(full_warehouse):
    st = full_warehouse.status()
    expected = {"unvotes", "atop", "cow_igo", "desta", "nmc", "wdi", "maddison", "geodist", "baci", "passport", "gsdb",
                "icews", "gdelt", "cameo", "sipri", "undesa_migration", "gpr", "gravity", "eurostat", "cow_trade", "mid"}
    assert expected <= set(st["source"])
    reps = full_warehouse.reports
    failed = [r for r in reps if r.status in ("error", "refused")]
    assert not failed, [(r.file, r.message) for r in failed]
    # the R file that holds a bibliography, not a table, is skipped (not an error: the folder import exits 0)
    bib = next(r for r in reps if os.path.basename(r.file) == "ps_bib.rda")
    assert bib.status == "skipped" and "not tables" in bib.message, bib.message


@needs_shared
def test_importing_everything_again_changes_nothing(full_warehouse, shared):
    before = _state(full_warehouse)
    reps = full_warehouse.import_path(shared / "un_votes")
    assert {r.status for r in reps} <= {"unchanged", "skipped"}
    assert _state(full_warehouse) == before


def test_the_same_rows_from_another_file_are_recorded_not_rewritten(wh, tmp_path):
    wh.import_file(FIXTURES / "unvotes_votes.csv")
    before = wh.checksums()
    lines = (FIXTURES / "unvotes_votes.csv").read_text().splitlines()
    other = tmp_path / "votes_reordered.csv"          # same table, other bytes (as the CSV and the .rda of one table)
    other.write_text("\n".join([lines[0]] + lines[:0:-1]) + "\n")
    rep = wh.import_file(other)
    assert rep.status == "imported" and "the same 8 rows as already held" in rep.message and "nothing written" in rep.message, rep.message
    assert sorted(wh.status()["file_name"]) == ["unvotes_votes.csv", "votes_reordered.csv"]     # both hold these rows
    assert wh.checksums() == before and wh.counts()["unvotes_votes"] == len(lines) - 1


SLOW_FOLDER_SCRIPT = """
import sys
from multipolar.warehouse import Warehouse
w = Warehouse(sys.argv[1])
reps = w.import_path(sys.argv[2], jobs=1, options={"_pause_before_commit": float(sys.argv[4]), "_marker": sys.argv[3]})
print(" ".join(r.status for r in reps))
"""
READ_TABLE_SCRIPT = """
import sys
from multipolar.warehouse import Warehouse
t = Warehouse(sys.argv[1]).table("nmc").sort_values("code")
print(",".join(f"{c}={v}" for c, v in zip(t["code"], t["cinc"])))
"""
FOLDER = ["atop.csv", "cow_igo_sy.csv", "desta_mem.csv", "maddison.csv", "sipri_tiv.csv", "wdi_gdp.csv"]
FOLDER_SOURCES = ["atop", "cow_igo", "desta", "maddison", "sipri", "wdi"]      # in the files' (sorted) order


def _run(args, env, timeout=120):
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, timeout=timeout)


def test_readers_get_in_while_a_folder_import_runs(tmp_path):
    """A folder import holds the write lock only for each file's transaction: `data status` (the CLI) and a
    table read in other processes succeed, with the right contents, while it runs; and it completes."""
    db = tmp_path / "w.duckdb"
    Warehouse(db).import_file(FIXTURES / "nmc.csv")
    expected_nmc = _run(["-c", READ_TABLE_SCRIPT, str(db)], dict(os.environ)).stdout.strip()
    assert expected_nmc.count("=") == 3
    folder = tmp_path / "folder"
    folder.mkdir()
    for f in FOLDER:
        (folder / f).write_bytes((FIXTURES / f).read_bytes())
    marker = tmp_path / "writing"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(Path(mp.__file__).parents[1]), os.environ.get("PYTHONPATH")])))
    # each file waits 1.5 s between its write and its COMMIT, holding the write lock: the import takes >= 9 s,
    # nearly all of it locked, so a reader meets the lock and gets in only between two files
    imp = subprocess.Popen([sys.executable, "-c", SLOW_FOLDER_SCRIPT, str(db), str(folder), str(marker), "1.5"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.time() + 60
        while not marker.exists() and time.time() < deadline and imp.poll() is None:
            time.sleep(0.05)
        assert marker.exists(), f"the import never reached its first write: {imp.communicate()}"
        st = _run(["-m", "multipolar.cli", "data", "status", "--format", "json", "--db", str(db)], env)
        during_status = imp.poll() is None
        tab = _run(["-c", READ_TABLE_SCRIPT, str(db)], env)
        during_table = imp.poll() is None
        assert st.returncode == 0, st.stderr
        rows = json.loads(st.stdout)
        sources = [r["source"] for r in rows]
        # nmc, then the folder's files committed so far (a prefix of them, each whole), never a half-written one
        done = [s for s in FOLDER_SOURCES if s in sources]
        assert "nmc" in sources and done == FOLDER_SOURCES[:len(done)] and len(done) < len(FOLDER_SOURCES)
        assert all(r["rows_kept"] > 0 for r in rows)
        assert tab.returncode == 0, tab.stderr
        assert tab.stdout.strip() == expected_nmc
        assert during_status and during_table, "the readers returned only after the import had finished"
    finally:
        out, errs = imp.communicate(timeout=120)
    assert imp.returncode == 0, errs
    assert out.split() == ["imported"] * len(FOLDER)
    assert sorted(Warehouse(db).status()["source"]) == sorted(FOLDER_SOURCES + ["nmc"])


def test_a_reader_that_waits_too_long_says_what_to_do(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    Warehouse(db).import_file(FIXTURES / "nmc.csv")
    monkeypatch.setenv("MULTIPOLAR_LOCK_WAIT", "0.5")
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True); "
                               "time.sleep(30)", str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        t0 = time.monotonic()
        with pytest.raises(WarehouseError) as e:
            Warehouse(db).status()
        assert 0.5 <= time.monotonic() - t0 < 30          # the 0.5 s asked for, not the default minute
        msg = str(e.value)
        assert "another process is writing" in msg and "What to do" in msg and "MULTIPOLAR_LOCK_WAIT" in msg
    finally:
        holder.kill()
        holder.wait()


def test_state_year_is_the_one_power_query(wh):
    # the columns of the sources imported, outer-joined on (code, year), nothing filled
    assert list(wh.state_year().columns) == ["code", "year"]
    for f in ("nmc.csv", "wdi_gdp.csv", "maddison.csv"):
        assert wh.import_file(FIXTURES / f).status == "imported"
    sy = wh.state_year()
    assert {"cinc", "milex", "gdp_current_usd", "gdppc_2011usd", "gdp_maddison"} <= set(sy.columns)
    assert not sy.duplicated(["code", "year"]).any()
    nmc = wh.query("SELECT code, year, cinc FROM nmc")
    got = sy.merge(nmc, on=["code", "year"], suffixes=("", "_nmc"))
    assert len(got) == len(nmc) and (got["cinc"] == got["cinc_nmc"]).all()
    mad = wh.query("SELECT code, year, gdppc_2011usd * pop_thousands * 1000 AS g FROM maddison")
    got = sy.merge(mad, on=["code", "year"])
    assert len(got) == len(mad) and (got["gdp_maddison"] - got["g"]).abs().max() < 1e-6
    # a state-year WDI does not hold has its GDP missing, not 0
    wdi = wh.query("SELECT DISTINCT code, year FROM wdi").assign(in_wdi=True)
    rest = sy.merge(wdi, on=["code", "year"], how="left")
    outside = rest["in_wdi"].isna()
    assert outside.any() and rest.loc[outside, "gdp_current_usd"].isna().all()
