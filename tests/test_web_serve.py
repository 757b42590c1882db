"""`multipolar serve` as a process: the port opens before anything is read, a port in use is one
clear error, and a running dashboard shows a `simulate` run or an import made after it started."""
from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from tests.conftest import SHARED  # noqa: E402
from tests.test_web import stored_scenario  # noqa: E402

SRC = str(Path(__file__).resolve().parent.parent / "src")


def _env():
    env = dict(os.environ, PYTHONUNBUFFERED="1", COLUMNS="300")
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _cli(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "multipolar.cli", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=_env())


def _get(base: str, path: str, timeout: float = 300) -> tuple[int, str]:
    from urllib.parse import urlsplit
    u = urlsplit(base)
    con = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        con.request("GET", path)
        r = con.getresponse()
        return r.status, r.read().decode()
    finally:
        con.close()


def _until(what, check, limit: float):
    """Poll ``check()`` until it gives something true; fail (saying ``what``) after ``limit`` seconds.
    A bound on waiting, not a timing assertion."""
    end = time.monotonic() + limit
    while True:
        v = check()
        if v:
            return v
        if time.monotonic() > end:
            pytest.fail(f"{what}: not seen within {limit:.0f} s")
        time.sleep(0.25)


@pytest.fixture
def cli_server():
    """Start `multipolar serve --port 0 --db DB` (a separate process, as a user runs it); yields its URL."""
    procs = []

    def start(db) -> str:
        p = _cli("serve", "--port", "0", "--db", str(db))
        procs.append(p)
        line = p.stdout.readline()
        assert "dashboard on http://127.0.0.1:" in line, (line, p.stderr.read() if p.poll() is not None else "")
        url = line.split(" on ", 1)[1].split()[0].rstrip("/")
        _until("the port to open", lambda: _connects(url), 120)
        return url
    yield start
    for p in procs:
        p.terminate()
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:
            p.kill()


def _connects(url: str) -> bool:
    host, port = url.rsplit("/", 1)[-1].rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
        return True
    except OSError:
        return False


# -- the port opens first; the data are read on the first request ----------------------------------------
def test_start_up_reads_no_data(tmp_path, monkeypatch):
    """The server answers before any part of the data is built: nothing is read from the warehouse
    until the first request; then each part is built once and answered from memory."""
    from multipolar.web import server as W
    from multipolar.web import store as ST
    calls: list[str] = []
    for part in ST.DATA_PARTS:
        real = getattr(ST.Version, "_build_" + part)

        def counted(self, _real=real, _part=part):
            calls.append(_part)
            return _real(self)
        monkeypatch.setattr(ST.Version, "_build_" + part, counted)
    fingerprints = []
    real_fp = ST.fingerprint
    monkeypatch.setattr(ST, "fingerprint", lambda p: fingerprints.append(p) or real_fp(p))

    srv, sock = W.make_server("127.0.0.1", 0, db=tmp_path / "none.duckdb")
    th = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    th.start()
    try:
        url = W.url(sock, "127.0.0.1").rstrip("/")
        _until("the server to start", lambda: srv.started, 60)
        assert _connects(url)
        assert calls == [] and fingerprints == []          # the port is open and nothing has been read
        status, body = _get(url, "/")                       # the home page needs no data
        assert status == 200 and "multipolar" in body
        status, body = _get(url, "/api/meta")               # waits for the measures and the blocs
        assert status == 200, body
        assert json.loads(body)["latest_year"] >= 2019
        assert calls.count("measures") == 1 and calls.count("blocs") == 1
        for path in ("/api/meta", "/api/state/RUS", "/api/dyad/USA/CHN", "/api/triangle", "/api/poles", "/api/scoreboard"):
            assert _get(url, path)[0] == 200, path
        assert all(calls.count(p) == 1 for p in calls), calls   # each part built once (the warm-up and the requests share it)
    finally:
        srv.should_exit = True
        th.join(15)
        assert srv.config.app.state.store.join(120)       # no read left running in the background


# -- a port in use -------------------------------------------------------------------------------------
def test_port_in_use_is_one_clear_error(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        p = _cli("serve", "--port", str(port), "--db", str(tmp_path / "none.duckdb"))
        out, err = p.communicate(timeout=120)
    assert p.returncode != 0
    said = " ".join((out + err).split())
    assert f"port {port} on 127.0.0.1 is already in use" in said, said
    assert "--port" in said and "--port 0" in said                  # how to pick another
    assert "dashboard on" not in said                                # never announced
    assert "Traceback" not in said


def test_bad_port_and_host_are_clear_errors(tmp_path):
    p = _cli("serve", "--port", "70000", "--db", str(tmp_path / "none.duckdb"))
    out, err = p.communicate(timeout=120)
    assert p.returncode != 0 and "not a port number" in " ".join((out + err).split()) and "dashboard on" not in out
    p = _cli("serve", "--host", "203.0.113.7", "--port", "0", "--db", str(tmp_path / "none.duckdb"))
    out, err = p.communicate(timeout=120)
    assert p.returncode != 0 and "not an address of this machine" in " ".join((out + err).split()) and "dashboard on" not in out


def test_a_file_that_is_not_a_warehouse_fails_at_start(tmp_path):
    bad = tmp_path / "w.duckdb"
    bad.write_text("not a database")
    p = _cli("serve", "--port", "0", "--db", str(bad))
    out, err = p.communicate(timeout=120)
    said = " ".join((out + err).split())
    assert p.returncode != 0 and "cannot read the warehouse" in said and "dashboard on" not in said


# -- what changes in the warehouse shows without a restart ------------------------------------------------
def test_new_scenario_run_shows_without_a_restart(tmp_path, cli_server):
    from multipolar.warehouse import Warehouse
    db = tmp_path / "w.duckdb"
    with Warehouse(db).transaction():                    # an empty warehouse: the snapshot's data are served
        pass
    url = cli_server(db)
    assert json.loads(_get(url, "/api/scenarios")[1]) == {"runs": []}      # (and the answer is now in the response cache)
    assert 'class="missing"' in _get(url, "/scenarios")[1]
    key = stored_scenario(db)                            # as `multipolar simulate` stores it, from another process
    runs = _until("the new run in /api/scenarios", lambda: json.loads(_get(url, "/api/scenarios")[1])["runs"], 60)
    assert [r["key"] for r in runs] == [key]
    assert f'<option value="{key}">' in _get(url, "/scenarios")[1]
    status, body = _get(url, f"/api/scenarios/{key}")
    assert status == 200 and any(r["country"] == "RUS" for r in json.loads(body)["results"])


@pytest.mark.skipif(SHARED is None, reason="the public data folder ../shared/data (or $MULTIPOLAR_SHARED) is absent")
def test_new_import_shows_without_a_restart(tmp_path, cli_server):
    from multipolar.warehouse import Warehouse
    db = tmp_path / "w.duckdb"
    with Warehouse(db).transaction():
        pass
    url = cli_server(db)
    before = json.loads(_get(url, "/api/coverage")[1])
    assert "embedded snapshot" in before["basis"]
    assert _get(url, "/api/meta")[0] == 200                          # the measures are in use: they are read again too
    rep = Warehouse(db).import_file(SHARED / "events" / "peacesciencer_td_rivalries.csv")
    assert rep.status == "imported", rep

    def now():
        c = json.loads(_get(url, "/api/coverage")[1])
        return c if "the warehouse" in c["basis"] else None
    after = _until("the import in /api/coverage", now, 180)
    assert [i["source"] for i in after["imports"]] == ["rivalries"]
    assert "peacesciencer_td_rivalries.csv" in _get(url, "/data")[1]
    # one source is not enough for the dyad measures: the dashboard now says so, as a restart would
    status, body = _get(url, "/api/meta")
    assert status == 404 and "import data first" in json.loads(body)["detail"]
