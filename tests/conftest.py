"""Shared fixtures: the public data folder (skip when absent) and scratch warehouses."""
from __future__ import annotations

from pathlib import Path

import pytest

from multipolar.config import shared_data_dir
from multipolar.warehouse import Warehouse

FIXTURES = Path(__file__).parent / "fixtures"


def _shared() -> Path | None:
    d = shared_data_dir()
    return d if d and (d / "MANIFEST.md").exists() else None


SHARED = _shared()
needs_shared = pytest.mark.skipif(SHARED is None, reason="the public data folder ../shared/data (or $MULTIPOLAR_SHARED) is absent")


@pytest.fixture
def shared() -> Path:
    if SHARED is None:
        pytest.skip("the public data folder ../shared/data (or $MULTIPOLAR_SHARED) is absent")
    return SHARED


@pytest.fixture
def wh(tmp_path) -> Warehouse:
    return Warehouse(tmp_path / "w.duckdb")


@pytest.fixture(scope="session")
def full_warehouse(tmp_path_factory) -> Warehouse:
    """Every file of the shared folder imported once for the whole session."""
    if SHARED is None:
        pytest.skip("the public data folder ../shared/data (or $MULTIPOLAR_SHARED) is absent")
    w = Warehouse(tmp_path_factory.mktemp("full") / "full.duckdb")
    reps = w.import_path(SHARED)
    w.reports = reps
    return w


@pytest.fixture(scope="session")
def fitted_warehouse(full_warehouse, tmp_path_factory) -> Path:
    """A copy of the full warehouse with ideal points and vote agreement fitted (once per session)."""
    import shutil

    from multipolar.dimensions import values
    path = tmp_path_factory.mktemp("fitted") / "w.duckdb"
    shutil.copy(full_warehouse.path, path)
    values.estimate(Warehouse(path))
    return path


@pytest.fixture(scope="session")
def full_table(fitted_warehouse):
    """The whole directed dyad-year table with the relation layer, on the fitted full warehouse."""
    from multipolar.relations import Dyads
    d = Dyads(db=fitted_warehouse)
    n0 = len(d)
    d.add_all().add_relation()
    df = d.to_pandas()
    assert len(df) == n0 == len(d)                         # every verb keeps the dyads
    return d, df


@pytest.fixture(scope="session", autouse=True)
def _session_cache(tmp_path_factory):
    """Every run of the suite starts with an empty cache of gravity fits (never the user's), shared by its tests and
    the commands they start (the README's examples inherit it)."""
    import os
    old = os.environ.get("MULTIPOLAR_CACHE")
    os.environ["MULTIPOLAR_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("MULTIPOLAR_CACHE", None)
    else:
        os.environ["MULTIPOLAR_CACHE"] = old


@pytest.fixture(autouse=True)
def _isolated_db(tmp_path, monkeypatch):
    # no test may touch the user's real warehouse
    monkeypatch.setenv("MULTIPOLAR_DB", str(tmp_path / "default.duckdb"))


# -- browser tests: Playwright driving Debian's chromium ---------------------------------------------
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__import__("os").environ.get("MULTIPOLAR_ARTIFACTS", Path(__file__).resolve().parent.parent / "artifacts"))
LOCAL = ("file://", "http://127.0.0.1", "data:", "blob:", "about:")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it)")
    pw = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    with pw.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors, page errors and every request it makes."""
    pg = browser.new_page(viewport={"width": 1280, "height": 900})
    pg.errors, pg.requests = [], []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    pg.close()


def screenshot(pg, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    p = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(p), full_page=True)
    return p


def drawn_marks(pg, selector: str) -> int:
    """How many data marks a plotly chart has drawn in its SVG (paths of traces, bars, map areas, heatmap images)."""
    return pg.evaluate("""(sel) => { const el = document.querySelector(sel); if (!el) return -1;
        return el.querySelectorAll('g.trace path, g.trace.bars path, path.choroplethlocation, g.points path, g.hm image, g.heatmaplayer image').length; }""",
                       selector)
