"""The embedded snapshot ships only what its sources' terms allow, and README says exactly what it holds."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from multipolar import snapshot
from multipolar.relations import measures as M
from multipolar.relations.sanctions import sanction_pairs
from multipolar.sources import readers

README = Path(__file__).resolve().parents[1] / "README.md"


def test_no_source_that_forbids_redistribution_is_in_the_snapshot():
    man = snapshot.manifest()
    sources = {i["source"] for i in man["imports"]}
    assert not sources & snapshot.EXCLUDED_SOURCES
    assert set(man["excluded"]) == snapshot.EXCLUDED_SOURCES
    for s in snapshot.EXCLUDED_SOURCES:                       # the reader says so in its terms
        assert "never shipped" in readers()[s].license or "not open" in readers()[s].license
    cov = snapshot.load("coverage")
    assert not set(cov["source"]) & snapshot.EXCLUDED_SOURCES
    # every shipped source names its terms
    assert all(man["citations"][s]["license"] for s in sources if s in man["citations"])


def test_no_shipped_value_rests_on_the_sanctions_database():
    u = pd.read_parquet(snapshot.snapshot_dir() / "dyads.parquet")
    assert not [c for c in u.columns if c.startswith("sanctions_")]
    # a relation type set by sanctions in the snapshot comes from multipolar's own dated list
    s = u[u["relation_evidence"].astype(str).str.contains("sanctions")]
    s = pd.concat([s[["code_a", "code_b", "year"]], s[["code_b", "code_a", "year"]].set_axis(["code_a", "code_b", "year"], axis=1)])
    listed = sanction_pairs(int(u["year"].min()), int(u["year"].max()))
    listed = pd.concat([listed[["code_a", "code_b", "year"]], listed[["code_b", "code_a", "year"]].set_axis(["code_a", "code_b", "year"], axis=1)])
    m = s.drop_duplicates().merge(listed.drop_duplicates(), how="left", indicator=True)
    assert (m.groupby(["code_a", "code_b", "year"])["_merge"].apply(lambda x: (x == "both").any())).all()


def test_readme_says_what_the_snapshot_holds():
    text = README.read_text()
    shipped = sorted(p.name for p in snapshot.snapshot_dir().iterdir() if p.is_file())
    for f in shipped:
        assert f in text, f"README does not mention the snapshot's {f}"
    assert "Global Sanctions Database" in text and "without" in text
    assert set(M.COLUMNS) <= set(M.from_snapshot((2019, 2019), ["RUS", "CHN", "USA"]).columns)
