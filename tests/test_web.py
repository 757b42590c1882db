"""The dashboard as a person uses it: a real server on 127.0.0.1, chromium on every page (no label
clipped, at a desktop's and a narrow window's width), the year slider and the triangle picker, the
API docs offline; the JSON API validated and fuzzed from its OpenAPI spec; the Host header checked."""
from __future__ import annotations

import contextlib
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import LOCAL, drawn_marks, screenshot

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from multipolar.web import create_app  # noqa: E402
from multipolar.web.store import Store  # noqa: E402


def stored_scenario(db) -> str:
    """Keep a scenario run in the warehouse ``db`` with :func:`multipolar.gravity.scenarios.store`, as
    `multipolar simulate` does: the real scenario file (its name, sector and years) with results
    made up for the dashboard's tests (60 states, a change of real income with an interval, 15
    diversion routes). Returns its key."""
    import numpy as np
    import pandas as pd

    from multipolar.actors.registry import registry
    from multipolar.gravity import scenarios as S
    sc = S.load("secondary_sanctions_china")
    rng = np.random.default_rng(0)
    codes = sorted(registry().system_members(2019))[:59] + ["RUS"]
    change = np.round(rng.normal(0, 8, len(codes)), 3)
    table = pd.DataFrame({"country": codes, "change_real_income_FULL": change, "change_Xi_FULL": change * 1.5})
    intervals = pd.DataFrame({"measure": "change_real_income_FULL", "country": codes, "q05": change - 2.0, "q95": change + 2.5})
    base = rng.uniform(1e3, 3e7, 15).round()
    div = pd.DataFrame({"exporter": ["RUS"] * 10 + ["SAU"] * 5, "importer": codes[:15], "baseline": base, "counterfactual": (base * 0.4).round()})
    div["change"] = div["counterfactual"] - div["baseline"]
    div["change_pct"] = 100 * div["change"] / div["baseline"]
    sim = S.Simulation(sc, table, div, intervals, fit=None, shocks=["sanction: made up for the tests"], notes=["made up for the tests"])
    return S.store(sim, db)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The embedded snapshot's data (a warehouse without imports) and one stored scenario run."""
    db = tmp_path_factory.mktemp("web") / "scenario.duckdb"
    stored_scenario(db)
    return Store(db, draws=50)


@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(store=store), base_url="http://127.0.0.1:8000")


@contextlib.contextmanager
def running(app):
    """uvicorn serving ``app`` in a thread on a free loopback port; yields its URL."""
    import uvicorn
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    deadline = time.time() + 30
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        th.join(10)
        app.state.store.join(120)


@pytest.fixture(scope="module")
def server(store):
    """The dashboard (reading in the background from its first request, as `multipolar serve` does)."""
    with running(create_app(store=store, warm=True)) as url:
        yield url


# -- the API -------------------------------------------------------------------------------------
def test_api_answers_with_data(client, store):
    m = client.get("/api/meta").json()
    assert m["latest_year"] == store.get("measures").latest and 2019 in m["bloc_years"]
    s = client.get("/api/state/Russia").json()
    assert s["code"] == "RUS" and len(s["partners"]) == 20 and s["partners"][0]["closeness"] >= s["partners"][-1]["closeness"]
    assert s["blocs"] and {"year", "bloc", "probability"} <= set(s["blocs"][0])
    d = client.get("/api/dyad/RUS/CHN", params={"years": "2010:2020"}).json()
    assert [r["year"] for r in d["rows"]] == list(range(2010, 2021))
    assert all(r["relation_type"] for r in d["rows"])
    assert all(n.startswith("interaction:") for n in d["notes"])        # the event series behind the interaction score, if any
    b = client.get("/api/blocs/1980").json()
    assert b["counts"] and all(0 <= r["probability"] <= 1 for r in b["states"])
    t = client.get("/api/triangle", params={"states": "USA,RUS,CHN", "years": "1972:2024"}).json()
    assert t["current"]["type"] in {"ménage à trois", "romantic triangle", "stable marriage", "unit veto"}
    assert client.get("/api/poles", params={"years": "1950:1960"}).json()[0]["year"] == 1950
    sb = client.get("/api/scoreboard").json()
    assert {r["process"] for r in sb["rows"]} == {"values", "people", "economy", "institutions", "information"}
    info = [r for r in sb["rows"] if r["process"] == "information" and r["fragmentation"] is not None]
    assert all(n.startswith("information:") and "news volume" in n for n in sb["notes"]) and bool(sb["notes"]) == bool(info)
    assert client.get("/api/coverage").json()["citations"]


@pytest.mark.parametrize("url, status, words", [
    ("/api/state/Atlantis", 422, "not a known state"),
    ("/api/state/RUS?limit=100000", 422, "limit"),
    ("/api/state/RUS?year=1800", 422, "year"),
    ("/api/dyad/RUS/RUS", 422, "two different states"),
    ("/api/dyad/RUS/CHN?years=1900:2000", 422, "outside the data"),
    ("/api/dyad/RUS/CHN?years=2020:1990", 422, "reversed"),
    ("/api/dyad/RUS/CHN?years=abc", 422, "years"),
    ("/api/blocs/1950", 422, "no ideal-point blocs for 1950"),
    ("/api/blocs/abc", 422, "year"),
    ("/api/triangle?states=USA,CHN", 422, "three states"),
    ("/api/triangle?states=USA,USA,CHN", 422, "three different states"),
    ("/api/state/SUN?year=2020", 422, "no relations with data in 2020"),
])
def test_bad_requests_get_a_clear_4xx(client, url, status, words):
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code, r.text)
    assert words in r.json()["detail"], r.json()


@pytest.mark.parametrize("path", ["/static/../pyproject.toml", "/static/%2e%2e/pyproject.toml", "/static/..%2Fpyproject.toml",
                                  "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/static//etc/passwd", "/static/app.js/../../app.py",
                                  "/static/__init__.py", "/../pyproject.toml", "/%2e%2e/pyproject.toml"])
def test_nothing_outside_the_static_files_is_served(client, path):
    r = client.get(path)
    assert r.status_code == 404, (path, r.status_code)
    assert "[project]" not in r.text and "root:" not in r.text


def test_static_files_are_the_listed_ones(client):
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/plotly.min.js").text.startswith("/**")
    assert client.get("/static/world_110m.json").json()["type"] == "Topology"


def test_pages_carry_the_one_palette(client):
    # the dashboard draws with multipolar.palette, as the report does: the page carries it, in its order
    import json
    import re

    from multipolar.palette import PALETTE
    page = client.get("/").text
    carried = json.loads(re.search(r'<script id="palette" type="application/json">(.*?)</script>', page).group(1))
    assert carried == PALETTE and list(carried["blocs"]) == list(PALETTE["blocs"])
    js = client.get("/static/app.js").text
    written = {c for v in PALETTE.values() for c in (v.values() if isinstance(v, dict) else [v] if isinstance(v, str) else v)}
    assert not [c for c in written if c in js]                 # no colour of the palette is written again in app.js


def test_server_binds_to_loopback_by_default():
    import inspect

    from multipolar.cli.serve import serve
    assert inspect.signature(serve).parameters["host"].default.default == "127.0.0.1"


def test_serving_leaves_the_warehouse_unchanged(full_warehouse, tmp_path):
    """Read-only: the warehouse file is byte for byte the same after start-up and requests."""
    import hashlib
    import shutil
    db = tmp_path / "w.duckdb"
    shutil.copy(full_warehouse.path, db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    c = TestClient(create_app(db, warm=False), base_url="http://127.0.0.1:8000")
    assert c.get("/api/state/RUS").status_code == 200
    assert c.get("/api/dyad/USA/CHN").status_code == 200
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


# -- fuzzing from the OpenAPI spec -----------------------------------------------------------------
schemathesis = pytest.importorskip("schemathesis")


@pytest.fixture(scope="module")
def api_schema(store):
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(store=store))


def test_openapi_fuzz_no_server_errors(api_schema):
    """Every operation, fuzzed from the spec (hypothesis): never a 5xx, always JSON."""
    from hypothesis import HealthCheck, given, settings
    failures, calls, ops = [], [], []
    for result in api_schema.get_all_operations():
        op = result.ok()
        ops.append(op.label)

        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=op.as_strategy())
        def run(case):
            r = case.call()
            calls.append(r.status_code)
            if r.status_code >= 500 or "application/json" not in r.headers.get("content-type", ""):
                failures.append((op.label, case.path_parameters, case.query, r.status_code, r.text[:200]))
        run()
    assert len(ops) == 12, ops
    assert len(calls) >= 5 * len(ops)                  # the fuzzer did run
    assert any(c < 300 for c in calls) and any(400 <= c < 500 for c in calls)
    assert failures == []


# -- in the browser --------------------------------------------------------------------------------
def _visit(page, url, wait_for):
    page.goto(url)
    page.wait_for_function(wait_for, timeout=30000)


def _only_local(page):
    outside = [u for u in page.requests if not u.startswith(LOCAL)]
    assert outside == [], outside
    assert page.errors == [], page.errors


def test_every_page_draws(server, page):
    pages = {"home": ("/", "document.querySelectorAll('#state-list option').length > 150", []),
             "state": ("/state/RUS", "document.querySelectorAll('#chart-partners .main-svg, #chart-blocs .main-svg').length >= 2",
                       ["#chart-partners", "#chart-blocs"]),
             "dyad": ("/dyad/RUS/CHN", "document.querySelectorAll('#chart-dims .main-svg, #chart-dep .main-svg').length >= 2",
                      ["#chart-dims", "#chart-dep"]),
             "blocs": ("/blocs", "document.querySelector('#chart-map path.choroplethlocation') !== null", ["#chart-map"]),
             "triangle": ("/triangle", "document.querySelector('#triangle-type').textContent.length > 10", ["#chart-triangle"]),
             "data": ("/data", "document.querySelectorAll('#sources-table tr').length > 5", []),
             "scenarios": ("/scenarios", "document.querySelectorAll('#chart-scenario .main-svg').length >= 1", ["#chart-scenario"])}
    for name, (url, ready, charts) in pages.items():
        _visit(page, server + url, ready)
        for sel in charts:
            assert drawn_marks(page, sel) > 0, (name, sel)
        screenshot(page, f"dashboard-{name}")
    _only_local(page)


def test_year_slider_changes_the_map(server, page):
    _visit(page, server + "/blocs", "document.querySelector('#chart-map path.choroplethlocation') !== null")

    def state():
        return page.evaluate("""() => { const el = document.getElementById('chart-map');
            const fills = Array.from(el.querySelectorAll('path.choroplethlocation')).map(p => p.style.fill || p.getAttribute('fill'));
            return {year: el.dataset.year, label: document.getElementById('year-label').textContent,
                    locs: el.data.map(t => t.locations.join(',')).join('|'), fills: fills.join(';'), n: fills.length}; }""")
    before = state()
    slider = page.locator("#year-slider")
    slider.fill("0")          # the first year with blocs
    page.wait_for_function(f"document.getElementById('chart-map').dataset.year !== '{before['year']}'", timeout=20000)
    page.wait_for_timeout(300)
    after = state()
    assert after["label"] != before["label"] and after["year"] == after["label"]
    assert after["locs"] != before["locs"]          # other states in other blocs
    assert after["fills"] != before["fills"]        # and the drawn map differs
    screenshot(page, "dashboard-blocs-first-year")
    _only_local(page)


def test_pick_a_triangle_and_see_its_type(server, page):
    _visit(page, server + "/triangle", "document.querySelector('#triangle-type').textContent.length > 10")
    page.select_option("#tri-a", "USA")
    page.select_option("#tri-b", "IND")
    page.select_option("#tri-c", "CHN")
    page.click("#tri-go")
    page.wait_for_function("document.querySelector('#triangle-type').textContent.includes('USA–IND–CHN')", timeout=20000)
    text = page.text_content("#triangle-type")
    # one of Dittmer's types, or a type with a neutral link (which sign the links take depends on the data)
    assert any(t in text for t in ("ménage à trois", "romantic triangle", "stable marriage", "unit veto", "common friend",
                                   "common adversary", "friend and foe", "friendly pair", "hostile pair", "all neutral")), text
    assert " as the." not in text, text                        # a named state always has its role
    assert drawn_marks(page, "#chart-triangle") > 0
    screenshot(page, "dashboard-triangle-usa-ind-chn")
    _only_local(page)


# -- no label clipped ----------------------------------------------------------------------------------
OVERFLOW_JS = "\n".join(line for line in (Path(__file__).parent / "web_overflow.js").read_text().splitlines()
                        if not line.startswith("//"))
PAGES = {"home": ("/", "document.querySelectorAll('#state-list option').length > 150"),
         "state": ("/state/RUS", "document.querySelectorAll('#chart-partners .main-svg, #chart-blocs .main-svg').length >= 2"),
         "dyad": ("/dyad/RUS/CHN", "document.querySelectorAll('#chart-dims .main-svg, #chart-dep .main-svg').length >= 2"),
         "blocs": ("/blocs", "document.querySelector('#chart-map path.choroplethlocation') !== null"),
         "triangle": ("/triangle", "document.querySelector('#chart-triangle .main-svg') !== null"),
         "data": ("/data", "document.querySelectorAll('#sources-table tr').length > 5"),
         "scenarios": ("/scenarios", "document.querySelector('#chart-scenario .main-svg') !== null")}


@pytest.mark.parametrize("width", [1280, 768])
def test_no_label_is_clipped(server, page, width):
    """Every page at a desktop's and a narrow window's width: no element whose text is wider than
    its box (nor the page wider than the window), no chart text outside the chart's SVG, no tick
    label or title over the plot area, no data label cut by it, no two titles over each other
    (tests/web_overflow.js measures it in the page)."""
    page.set_viewport_size({"width": width, "height": 900})
    cut = {}
    for name, (url, ready) in PAGES.items():
        _visit(page, server + url, ready)
        page.wait_for_timeout(300)                      # plotly's automargin redraws once
        found = page.evaluate(OVERFLOW_JS)
        if found:
            cut[name] = found
        screenshot(page, f"layout-{name}-{width}")
    assert cut == {}, cut
    _only_local(page)


# -- the API's docs, offline -------------------------------------------------------------------------
def test_api_docs_render_offline(server, page):
    """/docs (Swagger UI) draws every operation from files served by the dashboard itself: no request
    leaves 127.0.0.1 (and there is no network here: a CDN would leave it blank). No /redoc (ReDoc's
    page loads its maker's logo from a CDN)."""
    _visit(page, server + "/docs", "document.querySelectorAll('.opblock').length >= 11")
    assert page.locator(".opblock-summary-path").first.is_visible()
    assert "/api/state/{code}" in page.text_content("#swagger-ui")
    screenshot(page, "dashboard-docs")
    _only_local(page)
    assert any(u.endswith("/static/swagger-ui-bundle.js") for u in page.requests)
    assert page.goto(server + "/redoc").status == 404


# -- the Host header (DNS rebinding) --------------------------------------------------------------------
def _get(base: str, host: str | None, path: str = "/api/meta") -> tuple[int, str]:
    import http.client
    from urllib.parse import urlsplit
    u = urlsplit(base)
    con = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
    con.putrequest("GET", path, skip_host=True)
    if host is not None:
        con.putheader("Host", host)
    con.endheaders()
    r = con.getresponse()
    body = r.read().decode()
    con.close()
    return r.status, body


def test_host_header_is_checked(server):
    """Only this machine's loopback names with the server's own port are answered: a page of
    another site whose name resolves to 127.0.0.1 (DNS rebinding) gets 400, not the data."""
    port = int(server.rsplit(":", 1)[1])
    for ok in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        status, body = _get(server, ok)
        assert status == 200, (ok, status, body[:200])
    for bad in (f"evil.example:{port}", f"localhost.evil.example:{port}", f"127.0.0.1.nip.io:{port}", f"127.0.0.1:{port + 1}",
                "127.0.0.1", "localhost", f"evil.example:{port}@127.0.0.1", f"[::1]x:{port}", "", None):
        status, body = _get(server, bad)
        assert status == 400, (bad, status, body[:200])
        assert "Host header" in body and "--allow-host" in body
        status, _ = _get(server, bad, "/")
        assert status == 400, (bad, status)


def test_allow_host_adds_a_name(store, server):
    """``--allow-host NAME`` (``allow_hosts``) lets a name in, with the server's port; without it, 400."""
    with running(create_app(store=store, allow_hosts=("dash.lan",))) as allowed:
        port = int(allowed.rsplit(":", 1)[1])
        assert _get(allowed, f"dash.lan:{port}", "/api/scenarios")[0] == 200
        assert _get(allowed, f"DASH.lan:{port}", "/api/scenarios")[0] == 200
        assert _get(allowed, f"dash.lan:{port + 1}", "/api/scenarios")[0] == 400
        assert _get(allowed, f"other.lan:{port}", "/api/scenarios")[0] == 400
    other = int(server.rsplit(":", 1)[1])
    assert _get(server, f"dash.lan:{other}", "/api/scenarios")[0] == 400        # not allowed there


def test_unreadable_warehouse_is_a_clear_503(tmp_path):
    """A --db that is not a warehouse: every page and API call says so (503), none fails with a 500."""
    bad = tmp_path / "w.duckdb"
    bad.write_text("not a database")
    c = TestClient(create_app(bad, warm=True), base_url="http://127.0.0.1:8000")
    for path in ("/api/meta", "/api/state/RUS", "/blocs", "/api/scenarios"):
        r = c.get(path)
        assert r.status_code == 503, (path, r.status_code, r.text[:200])
        assert "cannot read the warehouse" in r.text
