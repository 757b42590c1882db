"""The embedded snapshot: compact results of multipolar's own pipeline, shipped with the package.

It lets ``multipolar report`` run on a fresh machine before anything is imported. It holds

* ``coverage.parquet``: rows per source table and year, as the pipeline imported them;
* ``state_year.parquet``: per state and year, CINC and military expenditure (COW NMC), GDP in current
  US$ and population (World Bank WDI), GDP per capita and GDP in 2011 PPP$ (Maddison) — the power
  context of the dyads and of ``multipolar poles`` on a fresh install;
* ``ideal_points.parquet``: dynamic ordinal ideal points per state-year with standard errors and 90%
  intervals, fitted by :mod:`multipolar.dimensions.values` on the UN votes (``ideal_points_run`` in
  the manifest says how);
* ``dyads.parquet``: the dyad-year measures of :mod:`multipolar.relations.measures` (every pair from
  1991, the major states' pairs before; compact storage described there), so that the report, the
  blocs, triangles and the dashboard work on a fresh install;
* ``world_110m.json``: country outlines for the maps, the TopoJSON of world-atlas 2.0.2 (Natural
  Earth 1:110m, public domain; world-atlas ISC) with its ISO numeric ids recoded to multipolar codes;
* ``manifest.json``: when and from which files (name, sha256, version, rows) it was built, with the
  citation of every source.

This package is the snapshot's read-only store: it reads what the package ships and imports nothing above the
warehouse. The build is :mod:`multipolar.pipeline` (it runs the whole pipeline, so it sits above the layers it uses).
Rebuild it with one command: ``multipolar snapshot build`` (reads ``../shared/data`` or
``$MULTIPOLAR_SHARED``). Sources whose terms forbid redistribution (the Global Sanctions
Database) are dropped from the build's warehouse before anything is computed, so that no shipped
value derives from them.
"""
from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

import pandas as pd

from ..errors import MultipolarError

EXCLUDED_SOURCES = {"gsdb"}
#: tables that readers derive inside the warehouse from their own imports
DERIVED_TABLES = {"un_votes": "unvotes", "un_roll_calls": "unvotes", "migrant_stock": "undesa_migration"}     # tables or views a reader derives from its imports
SNAPSHOT_DIR = Path(__file__).resolve().parent / "data"


def snapshot_dir() -> Path:
    """The folder the snapshot is read from: ``$MULTIPOLAR_SNAPSHOT`` when set (a snapshot built with
    ``multipolar snapshot build --out FOLDER``), else the one the package ships."""
    env = os.environ.get("MULTIPOLAR_SNAPSHOT")
    return Path(env) if env else Path(str(resources.files("multipolar.snapshot").joinpath("data")))


def load(name: str) -> pd.DataFrame:
    """The snapshot's table ``name``; raises when the snapshot lacks it."""
    df = snapshot_table(name)
    if df is None:
        raise MultipolarError(f"the embedded snapshot has no {name!r}; rebuild it with `multipolar snapshot build`")
    return df


def snapshot_table(name: str) -> pd.DataFrame | None:
    """A snapshot table, or None when the package ships none by that name."""
    p = snapshot_dir() / f"{name}.parquet"
    return pd.read_parquet(p) if p.exists() else None


def manifest() -> dict:
    """The snapshot's manifest (when and from what it was built); raises when the package ships none."""
    p = snapshot_dir() / "manifest.json"
    if not p.exists():
        raise MultipolarError("the package ships no snapshot; build one with `multipolar snapshot build`")
    return json.loads(p.read_text())


def world_geometry() -> dict | None:
    """The map outlines (TopoJSON with multipolar codes as ids), or None when the package has none."""
    p = snapshot_dir() / "world_110m.json"
    return json.loads(p.read_text()) if p.exists() else None
