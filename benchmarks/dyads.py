"""Benchmark: the full directed dyad-year table, 1946 to the latest year, every dimension and the relation.

Prints time and peak memory of (1) the command as a user runs it, `multipolar dyads --years
1946:2024 --out d.parquet`, from process start to file written (median of three runs, in a fresh
process each), (2) building the table to an Arrow table inside one process, and the ratio to a naive
pandas build of a subset of the same table (pairs by a cross merge per year, then one pandas merge
per measure for ideal points, vote agreement, alliances, shared IGOs and power) — the naive build
does less and still takes longer.

Usage: python benchmarks/dyads.py --db WAREHOUSE   (a warehouse with the shared data imported and
`multipolar idealpoints` run; without --db both are done first, untimed).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from multipolar.actors.registry import registry  # noqa: E402
from _memory import reset_hwm, vm_hwm_mb  # noqa: E402
from multipolar.config import shared_data_dir  # noqa: E402
from multipolar.relations import Dyads  # noqa: E402
from multipolar.warehouse import Warehouse  # noqa: E402




def naive(w: Warehouse, last: int) -> pd.DataFrame:
    reg = registry()
    sy = pd.DataFrame([(c, y) for y in range(1946, last + 1) for c in reg.system_members(y)], columns=["code", "year"])
    d = sy.merge(sy, on="year", suffixes=("_a", "_b"))
    d = d[d["code_a"] != d["code_b"]]
    ip = w.table("ideal_points")[["code", "year", "ideal_point"]]
    d = d.merge(ip.rename(columns={"code": "code_a", "ideal_point": "ideal_point_a"}), on=["code_a", "year"], how="left")
    d = d.merge(ip.rename(columns={"code": "code_b", "ideal_point": "ideal_point_b"}), on=["code_b", "year"], how="left")
    d["ip_distance"] = (d["ideal_point_a"] - d["ideal_point_b"]).abs()
    ag = w.table("vote_agreement")
    ag2 = pd.concat([ag, ag.rename(columns={"code_a": "code_b", "code_b": "code_a"})])
    d = d.merge(ag2, on=["code_a", "code_b", "year"], how="left")
    at = w.table("atop_alliance").groupby(["code_a", "code_b", "year"], as_index=False)[["atop_defense", "atop_offense"]].max()
    d = d.merge(at, on=["code_a", "code_b", "year"], how="left")
    igo = w.table("cow_igo_dyad")[["code_a", "code_b", "year", "dyadigos"]]
    igo2 = pd.concat([igo, igo.rename(columns={"code_a": "code_b", "code_b": "code_a"})]).groupby(["code_a", "code_b", "year"], as_index=False).max()
    d = d.merge(igo2, on=["code_a", "code_b", "year"], how="left")
    nmc = w.table("nmc")[["code", "year", "cinc"]]
    d = d.merge(nmc.rename(columns={"code": "code_a", "cinc": "cinc_a"}), on=["code_a", "year"], how="left")
    d = d.merge(nmc.rename(columns={"code": "code_b", "cinc": "cinc_b"}), on=["code_b", "year"], how="left")
    return d


def _io_pressure() -> str:
    """The share of the last 10 s in which tasks waited for the disk (Linux PSI), to read a slow run by."""
    try:
        return open("/proc/pressure/io").read().split()[1].replace("avg10=", "") + "%"
    except OSError:
        return "n/a"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path)
    ap.add_argument("--out-dir", type=Path, help="where the command writes its file (default: a temporary folder on disk)")
    a = ap.parse_args()
    import os
    print(f"machine: {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(dir=a.out_dir) as tmp:
        if a.db:
            w = Warehouse(a.db)
        else:
            w = Warehouse(Path(tmp) / "w.duckdb")
            t0 = time.perf_counter()
            w.import_path(shared_data_dir())
            from multipolar.dimensions import values
            values.estimate(w)
            print(f"(setup, not timed: import and ideal points in {time.perf_counter() - t0:.0f} s)")
        import resource
        import statistics
        import subprocess
        cli = [sys.executable, "-m", "multipolar.cli", "dyads", "--years", "1946:2024", "--db", str(w.path), "--out"]
        walls = []
        for i in range(3):
            out = Path(tmp) / f"d{i}.parquet"
            io = _io_pressure()
            t0 = time.perf_counter()
            r = subprocess.run(cli + [str(out)], capture_output=True, text=True)
            walls.append(time.perf_counter() - t0)
            if r.returncode:
                raise SystemExit(r.stdout + r.stderr)
            print(f"  run {i + 1}: {walls[-1]:.1f} s (disk pressure before it: {io})")
            out.unlink()
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 / 1024
        size = out.stat().st_size / 1e6
        print(f"`multipolar dyads --years 1946:2024 --out d.parquet`, process start to file written: median {statistics.median(walls):.1f} s "
              f"(runs {', '.join(f'{x:.1f}' for x in walls)}), peak memory {peak:.2f} GB, {size:.0f} MB   [bar: < 10 s]")
        reset_hwm()
        t0 = time.perf_counter()
        d = Dyads(years="1946:2024", db=w.path).add_all().add_relation()
        d.materialise()
        tb = d.con.sql("SELECT * FROM wide").to_arrow_table()
        t_build = time.perf_counter() - t0
        mem = vm_hwm_mb()
        print(f"the table inside one process, {d.years[0]}-{d.years[1]}: {tb.num_rows:,} rows x {tb.num_columns} columns, "
              f"built in {t_build:.1f} s, peak memory {mem / 1024:.2f} GB")
        reset_hwm()
        t0 = time.perf_counter()
        nv = naive(w, d.years[1])
        t_naive = time.perf_counter() - t0
        print(f"naive pandas merge build of {nv.shape[1]} of those columns: {t_naive:.1f} s, peak {vm_hwm_mb() / 1024:.2f} GB; "
              f"multipolar builds all {tb.num_columns} in {t_build / t_naive:.2f}x the naive time "
              f"({t_naive / t_build:.1f}x faster)")
        print("(peer figure: peacesciencer's create_dyadyears(directed = TRUE) with fewer covariates takes 13.5 s, as the issue quotes)")


if __name__ == "__main__":
    main()
