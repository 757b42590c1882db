"""Benchmark: import every file of the shared data folder, as a user does.

Prints, on this machine:
* the whole import as a user runs it: `multipolar data import ../shared/data` in a fresh process (parsers in
  parallel), wall time and the peak memory of the whole process tree (the command and its parser workers,
  sampled every 50 ms: the sum of resident sets, an upper bound, and of proportional sets, what the import
  takes from the machine); the bar: under 3 GB;
* the same command a second time on the same warehouse: what it did (it should import nothing) and whether
  the checksum of every table is unchanged;
* per source, the import one file at a time: seconds and peak resident memory of each file (--per-file);
* the ratio against a naive baseline: reading the same files with plain pandas/pyreadr (no recognition,
  validation, code normalisation or warehouse writes).

Usage: python benchmarks/ingest.py [--shared ../shared/data] [--per-file]
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

from _memory import reset_hwm, run_measured, vm_hwm_mb  # noqa: E402
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


#: the bar for the peak memory of the whole import (the process tree), on this 23 GB machine
MEMORY_BAR_MB = 3 * 1024


def cli_import(shared: Path, db: Path) -> dict:
    """`multipolar data import SHARED --db DB` in a fresh process, measured."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[1] / "src"), os.environ.get("PYTHONPATH")])))
    r = run_measured([sys.executable, "-m", "multipolar.cli", "data", "import", str(shared), "--db", str(db)], env=env)
    text = " ".join(r["stdout"].split())
    i = text.rfind(" imported, ")
    r["summary"] = text[text.rfind(" ", 0, i - 1) + 1:] if i > 0 else text[-300:]
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=None)
    ap.add_argument("--per-file", action="store_true", help="also import one file at a time (slow)")
    a = ap.parse_args()
    shared = a.shared or shared_data_dir()
    if shared is None:
        sys.exit("no shared data folder: pass --shared or set MULTIPOLAR_SHARED")
    print(f"machine: {os.cpu_count()} CPUs, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB; "
          f"load average {os.getloadavg()[0]:.1f}; data: {shared}")

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        runs = []
        for label in ("first", "second"):
            r = cli_import(shared, db)
            runs.append(r)
            print(f"\n{label} import (`multipolar data import {shared}`, a fresh process): {r['seconds']:.1f} s, exit {r['returncode']}; "
                  f"peak memory of the process tree: {r['tree_rss_mb']:,.0f} MB resident (sum), {r['tree_pss_mb']:,.0f} MB proportional; "
                  f"largest process {r['max_process_mb']:,.0f} MB; bar {MEMORY_BAR_MB:,} MB: {'met' if r['tree_rss_mb'] < MEMORY_BAR_MB else 'NOT met'}")
            print(f"  {r['summary']}")
            if label == "first":
                before = Warehouse(db).checksums()
                n_imports = len(Warehouse(db).status(all_imports=True))
        after = Warehouse(db).checksums()
        print(f"\nsecond import: checksums of all {len(after)} tables unchanged: {'yes' if after == before else 'NO'}; "
              f"import records {n_imports} -> {len(Warehouse(db).status(all_imports=True))}")
        imported = [Path(x["file_path"]) for x in Warehouse(db).status(all_imports=True).to_dict("records")]
        total = runs[0]["seconds"]

    if a.per_file:
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
