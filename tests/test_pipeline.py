"""The snapshot build: from a small folder of public files to a snapshot that the read-only store reads back;
a build that fails leaves the snapshot it found."""
from __future__ import annotations

import shutil

import pytest

from multipolar import pipeline, snapshot
from multipolar.errors import MultipolarError
from tests.conftest import FIXTURES

FILES = ["nmc.csv", "wdi_gdp.csv", "maddison.csv", "atop.csv"]       # no UN votes: the build fits no ideal points


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    shared = tmp_path_factory.mktemp("shared")
    for f in FILES:
        shutil.copy(FIXTURES / f, shared / f)
    out = tmp_path_factory.mktemp("snap") / "data"
    pipeline.build_snapshot(shared, out)
    return shared, out


def test_a_built_snapshot_is_read_back(built, monkeypatch):
    shared, out = built
    monkeypatch.setenv("MULTIPOLAR_SNAPSHOT", str(out))
    assert snapshot.snapshot_dir() == out
    man = snapshot.manifest()
    assert {i["file"] for i in man["imports"]} <= set(FILES) and man["built_with"] == "multipolar snapshot build"
    sy = snapshot.load("state_year")
    assert {"code", "year", "cinc"} <= set(sy.columns) and len(sy)
    cov = snapshot.load("coverage")
    assert "nmc" in set(cov["table"])
    assert not any(p.name.startswith(".") for p in out.parent.iterdir())       # no temporary folder left


def test_a_failed_build_leaves_the_snapshot_it_found(built, monkeypatch):
    shared, out = built
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def half(shared_, folder):
        (folder / "coverage.parquet").write_bytes(b"half written")
        raise MultipolarError("killed half-way")
    monkeypatch.setattr(pipeline, "_write_snapshot", half)
    with pytest.raises(MultipolarError, match="half-way"):
        pipeline.build_snapshot(shared, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not any(p.name.startswith(".") for p in out.parent.iterdir())
