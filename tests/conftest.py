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


@pytest.fixture(autouse=True)
def _isolated_db(tmp_path, monkeypatch):
    # no test may touch the user's real warehouse
    monkeypatch.setenv("MULTIPOLAR_DB", str(tmp_path / "default.duckdb"))
