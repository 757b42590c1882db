"""Benchmark: how long a command takes to start, as the user runs it (a fresh process each time).

Prints, for `multipolar --help` and `multipolar actors RUS` (the bars: under 0.5 s and 1 s), the median and the
slowest of N runs, the peak resident memory, and the ratio against a baseline: the same command with the API and
pandas imported eagerly (what every command cost before the command line imported the API lazily and before the API and
the actors' registry imported pandas only where a table is built).

Usage: python benchmarks/startup.py [-n 7]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _memory import run_measured  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BARS = {"--help": 0.5, "actors RUS": 1.0}


def measure(cmd: list[str], n: int, env: dict) -> tuple[float, float, float]:
    times, peaks = [], []
    for _ in range(n):
        r = run_measured(cmd, env=env, interval=0.01)
        if r["returncode"] != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {r['stderr'][-2000:]}")
        times.append(r["seconds"])
        peaks.append(r["tree_rss_mb"])
    return statistics.median(times), max(times), max(peaks)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=7, help="runs per command (default 7)")
    a = ap.parse_args()
    exe = shutil.which("multipolar", path=str(Path(sys.executable).parent)) or shutil.which("multipolar")
    if not exe:
        raise SystemExit("`multipolar` is not installed in this environment: run README's first command")
    env = dict(os.environ)
    print(f"machine: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}; {exe}")
    print(f"bytecode: PYTHONDONTWRITEBYTECODE={'set' if os.environ.get('PYTHONDONTWRITEBYTECODE') else 'unset'}")
    eager = [sys.executable, "-c", "import pandas, multipolar.api, multipolar.cli, sys; sys.argv=['multipolar', *sys.argv[1:]]; "
             "multipolar.cli.app()"]
    for args, bar in BARS.items():
        med, worst, peak = measure([exe, *args.split()], a.n, env)
        base, _, base_peak = measure([*eager, *args.split()], max(3, a.n // 2), env)
        print(f"multipolar {args}: median {med:.2f} s (slowest {worst:.2f} s), peak {peak:.0f} MB; bar {bar} s: "
              f"{'met' if med < bar else 'NOT met'}; eager-import baseline {base:.2f} s, {base_peak:.0f} MB; "
              f"ratio {med / base:.2f}x")


if __name__ == "__main__":
    main()
