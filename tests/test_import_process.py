"""An import as a process: its parser workers die with it (kill -9 included), Ctrl-C and SIGTERM stop it with a line
saying what was kept and a non-zero exit, and the exit status says whether everything asked for was imported."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import multipolar as mp
from multipolar.cli import app
from multipolar.warehouse import Warehouse
from tests.conftest import FIXTURES, needs_shared

psutil = pytest.importorskip("psutil")
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(Path(mp.__file__).parents[1]), os.environ.get("PYTHONPATH")])))


def _start_import(shared, db):
    """`multipolar data import ../shared/data --jobs 2` in its own session (as from a terminal)."""
    return subprocess.Popen([sys.executable, "-m", "multipolar.cli", "data", "import", str(shared), "--db", str(db), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, start_new_session=True)


def _workers(p, n=2, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        kids = psutil.Process(p.pid).children(recursive=True)
        if len(kids) >= n:
            return kids
        time.sleep(0.1)
    raise AssertionError("the import never started its parser workers")


def _gone(procs, timeout=10):
    """The processes that are still alive (not zombies) after ``timeout`` seconds."""
    deadline = time.time() + timeout
    alive = list(procs)
    while alive and time.time() < deadline:
        alive = [q for q in alive if q.is_running() and q.status() != psutil.STATUS_ZOMBIE]
        time.sleep(0.1)
    return alive


def _committed(db, n=1, timeout=240):
    """Wait until the import has committed ``n`` files (read between its writes)."""
    import duckdb
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            con = duckdb.connect(str(db), read_only=True)
            try:
                k = con.execute("SELECT count(*) FROM _imports").fetchall()[0][0]
            finally:
                con.close()
            if k >= n:
                return k
        except Exception:
            pass
        time.sleep(0.3)
    raise AssertionError("no file was committed in time")


@needs_shared
def test_workers_die_with_a_killed_import(shared, tmp_path):
    """kill -9 of `multipolar data import`: its parser processes do not outlive it (they held ~0.7 GB forever)."""
    p = _start_import(shared, tmp_path / "w.duckdb")
    kids = []
    try:
        kids = _workers(p)
        time.sleep(1.0)                          # the workers are parsing
        os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=10)
        alive = _gone(kids)
        assert not alive, f"parser workers outlived the killed import: {[q.pid for q in alive]}"
    finally:
        if p.poll() is None:
            p.kill()
        for q in kids:                           # never leave them behind, even when the test fails
            try:
                q.kill()
            except psutil.Error:
                pass


@needs_shared
@pytest.mark.parametrize("sig, code, name", [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "SIGINT")], ids=["SIGTERM", "Ctrl-C"])
def test_an_interrupted_import_says_what_it_kept(shared, tmp_path, sig, code, name):
    db = tmp_path / "w.duckdb"
    p = _start_import(shared, db)
    kids = []
    try:
        kids = _workers(p)
        _committed(db, 1)
        if sig == signal.SIGINT:
            os.killpg(p.pid, sig)                 # Ctrl-C: the terminal signals the whole process group
        else:
            os.kill(p.pid, sig)                   # `kill PID`
        out, err = p.communicate(timeout=120)
    finally:
        if p.poll() is None:
            p.kill()
        alive = _gone(kids, timeout=10)
        for q in alive:
            q.kill()
    assert p.returncode == code, (p.returncode, err[-2000:])
    line = " ".join(err.split())
    assert f"interrupted ({name}): kept the " in line and "Run the same command again" in line, err[-2000:]
    assert not alive, "parser workers outlived the interrupted import"
    kept = int(line.split("kept the ")[1].split()[0])
    st = Warehouse(db).status()
    assert kept == len(st) >= 1
    assert all(f in line for f in st["file_name"])
    # and the warehouse takes the rest: the files kept are unchanged, nothing is imported twice
    reps = Warehouse(db).import_path(shared / "arms")
    assert {r.status for r in reps} <= {"unchanged", "imported"}


# ---- exit status ------------------------------------------------------------------------------------------------
def _run(*args):
    r = CliRunner().invoke(app, ["data", "import", *map(str, args)])
    return r.exit_code, r.output


def test_a_folder_with_bad_files_exits_non_zero(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    good = (FIXTURES / "nmc.csv").read_text()
    (folder / "atop.csv").write_text((FIXTURES / "atop.csv").read_text())        # one good file
    for i in range(5):                          # five files recognised as NMC, each with a broken row
        (folder / f"nmc_bad_{i}.csv").write_text(good.replace("365,2000", f"{9990 + i},2000"))
    code, out = _run(folder, "--db", tmp_path / "w.duckdb")
    assert code == 1, out                       # was 0: something had been imported
    assert "1 imported" in out and "5 errors" in out and "5 file(s) failed" in out, out


def test_a_named_file_that_is_only_skipped_exits_non_zero(tmp_path):
    f = tmp_path / "notes.csv"
    f.write_text("a,b\n1,2\n")                 # a table no reader knows
    code, out = _run(f, "--db", tmp_path / "w.duckdb")
    assert code == 1 and "named on the command line was skipped: notes.csv" in " ".join(out.split()), out


def test_non_data_files_in_a_folder_are_counted_and_fine(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "nmc.csv").write_text((FIXTURES / "nmc.csv").read_text())
    (folder / "LICENSE").write_text("MIT\n")
    (folder / "README.md").write_text("# data\n")
    (folder / "DESCRIPTION").write_text("Package: x\n")
    code, out = _run(folder, "--db", tmp_path / "w.duckdb")
    assert code == 0, out
    assert "1 imported, 0 unchanged, 3 skipped (3 not data" in " ".join(out.split()), out
    code, out = _run(folder, "--db", tmp_path / "w.duckdb")     # again: unchanged is success
    assert code == 0 and "0 imported, 1 unchanged" in out, out


def test_status_json_lists_what_was_imported(tmp_path):
    db = tmp_path / "w.duckdb"
    assert _run(FIXTURES / "nmc.csv", "--db", db)[0] == 0
    r = CliRunner().invoke(app, ["data", "status", "--format", "json", "--db", str(db)])
    assert r.exit_code == 0 and [x["file_name"] for x in json.loads(r.output)] == ["nmc.csv"]
