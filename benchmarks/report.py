"""``multipolar report`` end to end, as a user runs it (a fresh process each time).

1. On the embedded snapshot (a fresh install: no warehouse). Bar: under 15 s.
2. On the full warehouse (every file of ../shared/data imported, ideal points stored). Bar: under 30 s.
   ``--db FILE`` uses an existing one; otherwise one is built first in a temp folder (not timed).

Baseline: the same content from the separate commands a user would otherwise run one after the
other (blocs, poles, triangle, trends, relation), each loading its own data — the ratio shows what
loading the dyad measures once and sharing them across the sections buys.
Prints wall time, peak memory (max RSS of the child process) and the ratios.

    python benchmarks/report.py [--db FILE] [--runs 3] [--skip-baseline]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXE = str(Path(sys.executable).with_name("multipolar"))


def run(args: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in GB) of one `multipolar ...` process."""
    t = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    r = subprocess.run([EXE, *args], capture_output=True, text=True)
    dt = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(f"multipolar {' '.join(args)} failed:\n{r.stdout}\n{r.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return dt, max(peak, before) / 1024 / 1024


def bench(label: str, args: list[str], runs: int, bar: float) -> float:
    times, mems = [], []
    for _ in range(runs):
        t, m = run(args)
        times.append(t)
        mems.append(m)
    med = statistics.median(times)
    print(f"{label}: median {med:.1f} s (runs {', '.join(f'{t:.1f}' for t in times)}), peak RSS ≤ {max(mems):.2f} GB; "
          f"bar {bar:.0f} s -> {med / bar:.2f} of the bar")
    return med


def baseline(db: str, label: str) -> float:
    cmds = [["blocs", "--years", "2019", "--db", db], ["poles", "--years", "1946:2024", "--db", db], ["triangle", "USA", "RUS", "CHN", "--years", "1946:2024", "--db", db],
            ["trends", "--years", "1991:2024", "--db", db], ["relation", "RUS", "CHN", "--years", "2013:2024", "--db", db]]
    total = 0.0
    for c in cmds:
        t, _ = run(c)
        total += t
        print(f"  baseline `multipolar {' '.join(c[:-2])}`: {t:.1f} s")
    print(f"{label} baseline (separate commands, each loading its own data): {total:.1f} s")
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db")
    ap.add_argument("--shared", default=os.environ.get("MULTIPOLAR_SHARED", str(Path(__file__).resolve().parents[2] / "shared" / "data")))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-baseline", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "report.html")
        none = str(Path(tmp) / "none.duckdb")
        snap = bench("report on the embedded snapshot", ["report", "--out", out, "--db", none], args.runs, 15)
        print(f"  file: {Path(out).stat().st_size / 1e6:.1f} MB")
        if not args.skip_baseline:
            base = baseline(none, "snapshot")
            print(f"  report / baseline: {snap / base:.2f}")
        db = args.db
        if db is None:
            db = str(Path(tmp) / "full.duckdb")
            print(f"building the full warehouse from {args.shared} (not timed)…")
            t = time.perf_counter()
            run(["data", "import", args.shared, "--db", db])
            run(["idealpoints", "--db", db])
            print(f"  built in {time.perf_counter() - t:.0f} s")
        full = bench("report on the full warehouse", ["report", "--out", out, "--db", db], args.runs, 30)
        if not args.skip_baseline:
            base = baseline(db, "full warehouse")
            print(f"  report / baseline: {full / base:.2f}")


if __name__ == "__main__":
    main()
