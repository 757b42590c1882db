"""The pipeline that builds the embedded snapshot (``multipolar snapshot build``).

It imports ``../shared/data`` into a temporary warehouse, drops the sources whose terms forbid redistribution, fits
the ideal points, computes the dyad measures and writes the compact tables that :mod:`multipolar.snapshot` (the
read-only store) ships. The files are written to a temporary folder beside the target and swapped in at the end: a
build that fails or is killed leaves the snapshot it found, never a mix of old and new files.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from .config import shared_data_dir
from .errors import MultipolarError
from .provenance import coverage_from_warehouse
from .snapshot import EXCLUDED_SOURCES, snapshot_dir


def build_snapshot(shared: Path | None = None, out: Path | None = None) -> Path:
    """Build the snapshot from the folder ``shared`` (default ``../shared/data`` or ``$MULTIPOLAR_SHARED``) into
    ``out`` (default: the folder snapshots are read from — ``$MULTIPOLAR_SNAPSHOT`` when set, else the package's own
    ``snapshot/data``). Every file is written to a temporary folder beside ``out``
    and the folder is swapped in only when all are written; on any error ``out`` stays as it was."""
    shared = Path(shared) if shared else shared_data_dir()
    if shared is None or not shared.is_dir():
        raise MultipolarError("no shared data folder: pass --shared or set MULTIPOLAR_SHARED")
    out = Path(out) if out else snapshot_dir()
    out.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(building, 0o777 & ~umask)            # mkdtemp makes it private; the snapshot is read by everyone
    try:
        _write_snapshot(shared, building)
        _swap_in(building, out)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return out


def _swap_in(new: Path, out: Path) -> None:
    """Replace the folder ``out`` by ``new`` with two renames on one file system (the old folder is removed after)."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(out, old)
    os.replace(new, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write_snapshot(shared: Path, out: Path) -> None:
    from .sources import readers
    from .warehouse import Warehouse
    with tempfile.TemporaryDirectory() as tmp:
        w = Warehouse(Path(tmp) / "snapshot.duckdb")
        reps = w.import_path(shared)
        _drop_excluded(w)
        st = w.status()
        st = st[~st["source"].isin(EXCLUDED_SOURCES)]
        cov = coverage_from_warehouse(w)
        cov = cov[~cov["source"].isin(EXCLUDED_SOURCES)]
        sy = w.state_year()
        run, robust = None, None
        if w.has("un_votes"):
            from .dimensions import values
            run = values.estimate(w, store=True)
            robust = _robustness(w, run)
        from .relations import Dyads
        from .relations import measures as M
        dy = M.snapshot_rows(M.from_dyads(Dyads(db=w.path)))
        # the ideal-point distances are recomputed on reading from ideal_points.parquet (written below)
        M.compact(dy, from_ideal_points=run is not None).to_parquet(out / "dyads.parquet", compression="zstd", compression_level=19,
                                                                    index=False)
        del dy
    geo = build_geometry(shared, out)
    if run is not None:
        run.ideal_points.to_parquet(out / "ideal_points.parquet", index=False)
    if robust is not None and robust.get("frames"):
        from .structure.robustness import SNAPSHOT_TABLES
        for name, frame in zip(SNAPSHOT_TABLES, robust.pop("frames")):
            # the parameters and notes are in the manifest; pandas would also copy attrs into the file, with the path of
            # the build's temporary warehouse
            frame.attrs = {}
            # how long each variant took to compute is a property of the build machine, not a result: left out, so
            # that the same data rebuild the same files
            frame.drop(columns=["seconds"], errors="ignore").to_parquet(out / f"{name}.parquet", index=False)
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
        "robustness": robust,
        "excluded": {s: "licence does not allow redistribution" for s in EXCLUDED_SOURCES},
        "dyads": {"from_year_all_pairs": M.SNAPSHOT_FROM, "majors_before": M.SNAPSHOT_MAJORS,
                  "left_out": "the Global Sanctions Database: not imported into the build, so no value rests on it (licence); "
                              "sanctions come from multipolar's own dated list"},
        "geometry": geo,
        "errors": [{"file": r.file, "message": r.message} for r in reps if r.status == "error"],
    }
    (out / "manifest.json").write_text(json.dumps(man, indent=1, default=str))


def _robustness(w, run) -> dict | None:
    """The robustness view (:func:`multipolar.structure.robustness.robustness`) of the last full UN session of the
    snapshot's own ideal points, with the report's parameters, so that a fresh install shows it too. Returns the
    manifest entry (its parameters and notes) with the three tables under ``frames``; or the reason it was not computed."""
    from .dimensions.values import last_full_session
    from .errors import MultipolarError
    from .structure.robustness import robustness
    year = last_full_session(run.ideal_points)
    if year is None:
        return {"year": None, "not_computed": "no full UN session in the snapshot's ideal points"}
    try:
        st, yt, vt = robustness(str(year), w.path)
    except MultipolarError as e:
        return {"year": year, "not_computed": str(e)}
    here = str(w.path)
    attrs = {k: v for k, v in st.attrs.items() if k != "notes"}
    # the build's warehouse is a temporary file: its path in a note says nothing to a reader of the snapshot
    attrs["notes"] = [n.replace(f"the current run of the warehouse {here}", "the snapshot's own run") for n in st.attrs.get("notes", [])]
    return {"year": year, "attrs": attrs, "frames": [st, yt, vt]}


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

    from .actors.registry import registry
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
