"""The dashboard as a person uses it: a real server on 127.0.0.1, chromium on every page, the
year slider and the triangle picker; the JSON API validated and fuzzed from its OpenAPI spec."""
from __future__ import annotations

import socket
import threading
import time

import pytest

from tests.conftest import LOCAL, drawn_marks, screenshot

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from multipolar.web import create_app  # noqa: E402
from multipolar.web.store import Store  # noqa: E402


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return Store(tmp_path_factory.mktemp("web") / "none.duckdb", n_boot=50)


@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(store=store))


@pytest.fixture(scope="module")
def server(store):
    """uvicorn in a thread on a free loopback port."""
    import uvicorn
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(store=store), host="127.0.0.1", port=port, log_level="warning"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    deadline = time.time() + 30
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    th.join(10)


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
    b = client.get("/api/blocs/1980").json()
    assert b["counts"] and all(0 <= r["probability"] <= 1 for r in b["states"])
    t = client.get("/api/triangle", params={"states": "USA,RUS,CHN", "years": "1972:2024"}).json()
    assert t["current"]["type"] in {"ménage à trois", "romantic triangle", "stable marriage", "unit veto"}
    assert client.get("/api/poles", params={"years": "1950:1960"}).json()[0]["year"] == 1950
    assert {r["process"] for r in client.get("/api/scoreboard").json()["rows"]} == {"values", "people", "economy", "institutions", "information"}
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


def test_server_binds_to_loopback_by_default():
    import inspect

    from multipolar.cli import serve
    assert inspect.signature(serve).parameters["host"].default.default == "127.0.0.1"


def test_serving_leaves_the_warehouse_unchanged(full_warehouse, tmp_path):
    """Read-only: the warehouse file is byte for byte the same after start-up and requests."""
    import hashlib
    import shutil
    db = tmp_path / "w.duckdb"
    shutil.copy(full_warehouse.path, db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    c = TestClient(create_app(db))
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
    assert len(ops) == 11, ops
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
             "scenarios": ("/scenarios", "document.querySelector('p.missing') !== null", [])}     # none stored with the snapshot
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
    assert any(t in text for t in ("ménage à trois", "romantic triangle", "stable marriage", "unit veto")), text
    assert drawn_marks(page, "#chart-triangle") > 0
    screenshot(page, "dashboard-triangle-usa-ind-chn")
    _only_local(page)
