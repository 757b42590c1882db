"""Benchmark: import every file of the shared data folder.

Prints, on this machine:
* the whole import as a user runs it (`multipolar data import ../shared/data`, parsers in parallel):
  wall time and peak memory (main process and the largest worker);
* per source, the import one file at a time: seconds and peak resident memory of each file;
* the ratio against a naive baseline: reading the same files with plain pandas/pyreadr
  (no recognition, validation, code normalisation or warehouse writes).

Usage: python benchmarks/ingest.py [--shared ../shared/data] [--skip-per-file]
"""
from __future__ import annotations

import argparse
import collections
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _memory import reset_hwm, vm_hwm_mb  # noqa: E402
from multipolar.config import shared_data_dir  # noqa: E402
from multipolar.warehouse import Warehouse  # noqa: E402




def naive_read(path: Path) -> int:
    import pandas as pd
    name = path.name.lower()
    if name.endswith(".parquet"):
        return len(pd.read_parquet(path))
    if name.endswith((".rda", ".rdata")):
        import pyreadr
        return sum(len(v) for v in pyreadr.read_r(str(path)).values())
    if name.endswith(".dta"):
        return len(pd.read_stata(path))
    if name.endswith(".xls"):
        return len(pd.read_excel(path))
    sep = "\t" if name.endswith(".export.csv") else ","
    return len(pd.read_csv(path, sep=sep, low_memory=False, encoding_errors="replace"))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=None)
    ap.add_argument("--skip-per-file", action="store_true")
    a = ap.parse_args()
    shared = a.shared or shared_data_dir()
    if shared is None:
        sys.exit("no shared data folder: pass --shared or set MULTIPOLAR_SHARED")
    print(f"machine: {os.cpu_count()} CPUs; data: {shared}")

    with tempfile.TemporaryDirectory() as tmp:
        w = Warehouse(Path(tmp) / "bench.duckdb")
        reset_hwm()
        t0 = time.perf_counter()
        reps = w.import_path(shared)
        total = time.perf_counter() - t0
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        n = collections.Counter(r.status for r in reps)
        rows = sum(r.rows_kept for r in reps)
        print(f"\nwhole import (parallel parsers, as `multipolar data import`): {total:.1f} s, {rows:,} rows kept, "
              f"{dict(n)}; peak memory: main {vm_hwm_mb():.0f} MB, largest worker {child:.0f} MB")
        imported = [Path(r.file) for r in reps if r.status in ("imported", "unchanged")]

    if not a.skip_per_file:
        with tempfile.TemporaryDirectory() as tmp:
            w = Warehouse(Path(tmp) / "bench1.duckdb")
            per = collections.defaultdict(lambda: [0.0, 0.0, 0, 0])
            t0 = time.perf_counter()
            for f in sorted(p for p in shared.rglob("*") if p.is_file()):
                reset_hwm()
                s = time.perf_counter()
                r = w.import_file(f)
                dt = time.perf_counter() - s
                if r.status in ("imported", "unchanged"):
                    e = per[r.source]
                    e[0] += dt
                    e[1] = max(e[1], vm_hwm_mb())
                    e[2] += r.rows_kept
                    e[3] += 1
            seq = time.perf_counter() - t0
            print(f"\none file at a time (one process): {seq:.1f} s")
            print(f"{'source':18s} {'files':>5s} {'rows kept':>11s} {'seconds':>8s} {'peak MB':>8s}")
            for src, (s, mb, rows, files) in sorted(per.items(), key=lambda kv: -kv[1][0]):
                print(f"{src:18s} {files:5d} {rows:11,d} {s:8.2f} {mb:8.0f}")

    t0 = time.perf_counter()
    nrows = sum(naive_read(p) for p in imported)
    base = time.perf_counter() - t0
    print(f"\nbaseline: plain pandas/pyreadr read of the same {len(imported)} files, no checks, no warehouse: {base:.1f} s ({nrows:,} rows)")
    print(f"ratio multipolar import / naive read: {total / base:.2f}x  (bar: whole import under 60 s: {'met' if total < 60 else 'NOT met'})")


if __name__ == "__main__":
    main()
