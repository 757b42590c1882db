"""Benchmark: the robustness view as a user runs it.

Runs, each in a fresh process (start-up included), and prints wall time, peak memory of the
process tree and the ratio to the baseline:

* baseline: ``multipolar blocs YEAR`` (the split of the current run, 200 replicates);
* ``multipolar blocs YEAR --robust`` (the split and the values process under 8 vote selections x 2
  windows: 16 small fits);
* ``multipolar blocs FIRST:YEAR --robust`` over seven years;
* ``multipolar blocs YEAR --robust --method network`` (the network blocs too).

Usage: python benchmarks/robustness.py --db WAREHOUSE [--year 2021]   (the shared data imported and
`multipolar idealpoints` run; the warehouse is only read).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _memory import run_measured  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--year", type=int, default=2021)
    a = ap.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
    cli = [sys.executable, "-m", "multipolar.cli", "blocs", "--years"]
    print(f"machine: {os.cpu_count()} CPUs; warehouse {a.db}")
    runs = [("baseline: blocs {y}", [str(a.year)]),
            ("blocs {y} --robust", [str(a.year), "--robust"]),
            (f"blocs {a.year - 6}:{{y}} --robust", [f"{a.year - 6}:{a.year}", "--robust"]),
            ("blocs {y} --robust --method network", [str(a.year), "--robust", "--method", "network"])]
    base = None
    for label, args in runs:
        r = run_measured(cli + args + ["--db", str(a.db)], env=env)
        if r["returncode"] != 0:
            print(f"{label.format(y=a.year)}: FAILED (exit {r['returncode']})\n{r['stderr'][-2000:]}")
            continue
        base = base or r["seconds"]
        print(f"{label.format(y=a.year)}: {r['seconds']:.1f} s, peak memory {r['tree_pss_mb'] / 1024:.2f} GB "
              f"(largest process {r['max_process_mb'] / 1024:.2f} GB), {r['seconds'] / base:.1f}x the baseline")


if __name__ == "__main__":
    main()
