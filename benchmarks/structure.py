"""Benchmark: the shape of the system.

Prints time and peak memory of: blocs for one year with 200 bootstrap replicates (both methods;
bar: under 20 s), the de-globalization scoreboard 1991-latest (bar: under 30 s), the poles series
1946-latest, and the US-Russia-China triangle 1972-latest; and the swing states of 2019.

Usage: python benchmarks/structure.py --db WAREHOUSE   (with the shared data imported and
`multipolar idealpoints` run; without --db both are done first, untimed).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _memory import reset_hwm, vm_hwm_mb  # noqa: E402
from multipolar.config import shared_data_dir  # noqa: E402
from multipolar.warehouse import Warehouse  # noqa: E402




def timed(label, fn, bar=None):
    reset_hwm()
    t0 = time.perf_counter()
    out = fn()
    secs = time.perf_counter() - t0
    print(f"{label}: {secs:.1f} s, peak memory {vm_hwm_mb() / 1024:.2f} GB" + (f"   [bar: < {bar} s]" if bar else ""))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path)
    ap.add_argument("--year", type=int, default=2019)
    a = ap.parse_args()
    print(f"machine: {os.cpu_count()} CPUs")
    from multipolar import structure
    with tempfile.TemporaryDirectory() as tmp:
        if a.db:
            db = a.db
        else:
            w = Warehouse(Path(tmp) / "w.duckdb")
            w.import_path(shared_data_dir())
            from multipolar.dimensions import values
            values.estimate(w)
            db = w.path
        s_ip, _ = timed(f"blocs {a.year}, ideal points, 200 replicates", lambda: structure.blocs(str(a.year), "ideal-points", db=db, draws=200), 20)
        s_nw, _ = timed(f"blocs {a.year}, network (Leiden), 200 replicates", lambda: structure.blocs(str(a.year), "network", db=db, draws=200), 20)
        sb = timed("de-globalization scoreboard 1991-2024", lambda: structure.trends("1991:2024", db=db), 30)
        timed("poles 1946-latest", lambda: structure.poles(db=db))
        tr = timed("US-Russia-China triangle 1972-2025", lambda: structure.triangle("USA", "RUS", "CHN", "1972:2025", db=db))
        for name, s in (("ideal-point", s_ip), ("network", s_nw)):
            sw = s[s["swing"]].sort_values("probability")
            print(f"\n{name} blocs {a.year}: " + ", ".join(f"{b} {n}" for b, n in s["bloc"].value_counts().items())
                  + f"; {len(sw)} swing states (most likely bloc < 0.8):")
            print("  " + "; ".join(f"{r.code} {r.bloc} {r.probability:.2f} / {r.runner_up} {r.runner_up_probability:.2f}" for r in sw.itertuples()))
        ch = tr[tr["changed"]]
        print("\nUS-Russia-China triangle changes: " + "; ".join(
            f"{r.year} {r.type}{' (' + r.pivot_or_pariah + ')' if r.pivot_or_pariah else ''}" for r in ch.itertuples()))
        last = sb.dropna(subset=["fragmentation"]).groupby("process").last()
        print("\nscoreboard, latest year with data: " + "; ".join(f"{p} {int(r.year)} F={r.fragmentation:+.2f}" for p, r in last.iterrows()))


if __name__ == "__main__":
    main()
