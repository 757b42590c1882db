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

Rebuild it with one command: ``multipolar snapshot build`` (reads ``../shared/data`` or
``$MULTIPOLAR_SHARED``). Sources whose terms forbid redistribution (the Global Sanctions
Database) are dropped from the build's warehouse before anything is computed, so that no shipped
value derives from them.
"""
from __future__ import annotations

import datetime as dt
import json
import tempfile
from importlib import resources
from pathlib import Path

import pandas as pd

from ..config import shared_data_dir
from ..errors import MultipolarError

EXCLUDED_SOURCES = {"gsdb"}
#: tables that readers derive inside the warehouse from their own imports
DERIVED_TABLES = {"un_votes": "unvotes", "un_roll_calls": "unvotes", "migrant_stock": "undesa_migration"}     # tables or views a reader derives from its imports
SNAPSHOT_DIR = Path(__file__).resolve().parent / "data"


def snapshot_dir() -> Path:
    return Path(str(resources.files("multipolar.snapshot").joinpath("data")))


def available() -> bool:
    return (snapshot_dir() / "manifest.json").exists()


def load(name: str) -> pd.DataFrame:
    df = snapshot_table(name)
    if df is None:
        raise MultipolarError(f"the embedded snapshot has no {name!r}; rebuild it with `multipolar snapshot build`")
    return df


def snapshot_table(name: str) -> pd.DataFrame | None:
    """A snapshot table, or None when the package ships none by that name."""
    p = snapshot_dir() / f"{name}.parquet"
    return pd.read_parquet(p) if p.exists() else None


def manifest() -> dict:
    p = snapshot_dir() / "manifest.json"
    if not p.exists():
        raise MultipolarError("the package ships no snapshot; build one with `multipolar snapshot build`")
    return json.loads(p.read_text())


def coverage_from_warehouse(w) -> pd.DataFrame:
    """Rows per (source, table, year) for every imported table with a year column."""
    st = w.status()
    rows = []
    with w.connect() as con:
        tables = {r[0]: [c[0] for c in con.execute(f"DESCRIBE \"{r[0]}\"").fetchall()] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema='main' AND table_name <> '_imports'").fetchall()}
        owner = {}
        for r in st.itertuples(index=False):
            for t in json.loads(r.tables):
                owner[t] = r.source
        owner.update({t: s for t, s in DERIVED_TABLES.items() if t in tables})
        for t, cols in tables.items():
            if "year" not in cols or t not in owner:
                continue
            for y, n in con.execute(f'SELECT year, count(*) FROM "{t}" WHERE year IS NOT NULL GROUP BY year').fetchall():
                rows.append((owner[t], t, int(y), int(n)))
    return pd.DataFrame(rows, columns=["source", "table", "year", "rows"]).sort_values(["source", "table", "year"]).reset_index(drop=True)


def state_year_from_warehouse(w) -> pd.DataFrame:
    parts = []
    have = set(w.tables())
    if "nmc" in have:
        parts.append(w.query("SELECT code, year, cinc, milex FROM nmc"))
    if "wdi" in have:
        wdi = w.query("SELECT code, year, indicator, value FROM wdi").pivot_table(index=["code", "year"], columns="indicator", values="value").reset_index()
        wdi = wdi.rename(columns={"NY.GDP.MKTP.CD": "gdp_current_usd", "SP.POP.TOTL": "population"})
        parts.append(wdi)
    if "maddison" in have:
        parts.append(w.query("SELECT code, year, gdppc_2011usd, gdppc_2011usd * pop_thousands * 1000 AS gdp_maddison FROM maddison"))
    if not parts:
        return pd.DataFrame(columns=["code", "year"])
    out = parts[0]
    for p in parts[1:]:
        out = out.merge(p, on=["code", "year"], how="outer")
    out.columns.name = None
    return out.sort_values(["code", "year"]).reset_index(drop=True)


def build_snapshot(shared: Path | None = None, out: Path | None = None) -> Path:
    from ..sources import readers
    from ..warehouse import Warehouse
    shared = Path(shared) if shared else shared_data_dir()
    if shared is None or not shared.is_dir():
        raise MultipolarError("no shared data folder: pass --shared or set MULTIPOLAR_SHARED")
    out = Path(out) if out else SNAPSHOT_DIR
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        w = Warehouse(Path(tmp) / "snapshot.duckdb")
        reps = w.import_path(shared)
        _drop_excluded(w)
        st = w.status()
        st = st[~st["source"].isin(EXCLUDED_SOURCES)]
        cov = coverage_from_warehouse(w)
        cov = cov[~cov["source"].isin(EXCLUDED_SOURCES)]
        sy = state_year_from_warehouse(w)
        run = None
        if w.has("un_votes"):
            from ..dimensions import values
            run = values.estimate(w, store=True)
        from ..dimensions.dyads import Dyads
        from ..relations import measures as M
        dy = M.snapshot_rows(M.from_dyads(Dyads(db=w.path)))
        # the ideal-point distances are recomputed on reading from ideal_points.parquet (written below)
        M.compact(dy, from_ideal_points=run is not None).to_parquet(out / "dyads.parquet", compression="zstd", compression_level=19,
                                                                    index=False)
        del dy
    geo = build_geometry(shared, out)
    if run is not None:
        run.ideal_points.to_parquet(out / "ideal_points.parquet", index=False)
    cov.to_parquet(out / "coverage.parquet", index=False)
    sy.to_parquet(out / "state_year.parquet", index=False)
    rs = readers()
    man = {
        "built": dt.date.today().isoformat(),
        "built_with": "multipolar snapshot build",
        "imports": [
            {"source": r.source, "version": r.version, "file": r.file_name, "sha256": r.sha256, "rows": int(r.rows_kept),
             "rejected": int(r.rows_rejected), "year_min": None if pd.isna(r.year_min) else int(r.year_min),
             "year_max": None if pd.isna(r.year_max) else int(r.year_max), "tables": json.loads(r.tables)}
            for r in st.itertuples(index=False)],
        "citations": {n: {"title": r.title, "citation": r.citation, "license": r.license} for n, r in rs.items() if n not in EXCLUDED_SOURCES},
        "ideal_points_run": run.meta if run is not None else None,
        "excluded": {s: "licence does not allow redistribution" for s in EXCLUDED_SOURCES},
        "dyads": {"from_year_all_pairs": M.SNAPSHOT_FROM, "majors_before": M.SNAPSHOT_MAJORS,
                  "left_out": "the Global Sanctions Database: not imported into the build, so no value rests on it (licence); "
                              "sanctions come from multipolar's own dated list"},
        "geometry": geo,
        "errors": [{"file": r.file, "message": r.message} for r in reps if r.status == "error"],
    }
    (out / "manifest.json").write_text(json.dumps(man, indent=1, default=str))
    return out


def _drop_excluded(w) -> None:
    """Remove the tables of sources whose terms forbid redistribution from the build's warehouse,
    so that nothing computed afterwards (sanctions, interaction scores, relation types) rests on them."""
    st = w.status()
    tables = {t for r in st.itertuples(index=False) if r.source in EXCLUDED_SOURCES for t in json.loads(r.tables)}
    if tables:
        with w.transaction() as con:
            for t in sorted(tables):
                con.execute(f'DROP TABLE IF EXISTS "{t}"')


def build_geometry(shared: Path, out: Path) -> dict | None:
    """``world_110m.json`` from world-atlas's ``countries-110m.json``: the same TopoJSON with each
    country's ISO 3166 numeric id replaced by its multipolar code (pycountry; Kosovo by name).
    Outlines without a state code (N. Cyprus, Somaliland) keep ``id`` null and are drawn unshaded."""
    import pycountry

    from ..actors.registry import registry
    src = Path(shared) / "maps" / "countries-110m.json"
    if not src.exists():
        return None
    topo = json.loads(src.read_text())
    reg = registry()
    unmatched = []
    for g in topo["objects"]["countries"]["geometries"]:
        code = None
        if g.get("id"):
            c = pycountry.countries.get(numeric=str(g["id"]).zfill(3))
            code = c.alpha_3 if c else None
        elif g.get("properties", {}).get("name") == "Kosovo":
            code = reg.resolve("Kosovo")
        if code is None:
            unmatched.append(g.get("properties", {}).get("name"))
        g["id"] = code
    (out / "world_110m.json").write_text(json.dumps(topo, separators=(",", ":")))
    import hashlib
    return {"file": "maps/countries-110m.json", "sha256": hashlib.sha256(src.read_bytes()).hexdigest(),
            "source": "world-atlas 2.0.2 (ISC licence), from Natural Earth 1:110m (public domain)",
            "outlines": len(topo["objects"]["countries"]["geometries"]), "without_code": unmatched}


def world_geometry() -> dict | None:
    """The map outlines (TopoJSON with multipolar codes as ids), or None when the package has none."""
    p = snapshot_dir() / "world_110m.json"
    return json.loads(p.read_text()) if p.exists() else None
