"""Benchmark: the commands of issue 14 as a user runs them, each in a fresh process (start-up included).

Prints, per command: wall seconds, the peak memory of its process tree, and the ratio to a baseline:

* `multipolar gravity fragmentation` (the main estimate and its sensitivity table; the bar: under 60 s on this
  machine), against the baseline of the main estimate alone (`--no-sensitivity`): what the sensitivity costs;
* `multipolar gravity backtest all` (every built-in episode, model and both rivals), against one episode;
* `multipolar poles --years 1946:2024` and `multipolar triangle USA RUS CHN --years 1972:2024`.

Usage: python benchmarks/history.py --db WAREHOUSE   (a warehouse with the shared data imported and an ideal-point
run stored: `multipolar data import ../shared/data --db W && multipolar idealpoints --db W`)
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _memory import run_measured  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def cli(args: list[str], db: str) -> dict:
    env = dict(os.environ, COLUMNS="200",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])))
    r = run_measured([sys.executable, "-m", "multipolar.cli", *args, "--db", db], env=env)
    if r["returncode"] != 0:
        raise SystemExit(f"multipolar {' '.join(args)} failed:\n{r['stdout'][-2000:]}\n{r['stderr'][-2000:]}")
    return r


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    a = ap.parse_args()
    runs = [
        ("fragmentation (with sensitivity)", ["gravity", "fragmentation", "--blocs", "2019", "--post", "2022"],
         "main estimate only", ["gravity", "fragmentation", "--blocs", "2019", "--post", "2022", "--no-sensitivity"]),
        ("backtest all", ["gravity", "backtest", "all"], "one episode", ["gravity", "backtest", "russia_crude_2023"]),
        ("poles --years 1946:2024", ["poles", "--years", "1946:2024"], None, None),
        ("triangle USA RUS CHN", ["triangle", "USA", "RUS", "CHN", "--years", "1972:2024"], None, None),
    ]
    print(f"{'command':36} {'seconds':>8} {'peak MB (tree RSS)':>19} {'baseline':>20} {'s':>7} {'ratio':>6}")
    for name, args, bname, bargs in runs:
        r = cli(args, a.db)
        line = f"{name:36} {r['seconds']:8.1f} {r['tree_rss_mb']:19.0f}"
        if bargs:
            b = cli(bargs, a.db)
            line += f" {bname:>20} {b['seconds']:7.1f} {r['seconds'] / b['seconds']:6.2f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
