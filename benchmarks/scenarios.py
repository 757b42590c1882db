"""The general-equilibrium solver: time and memory for one counterfactual with ~200 countries
and for 200 Monte Carlo draws; and the comparison with the GE gravity package on PyPI
(``gegravity``) on the book's "trade without borders" data with the same coefficients.

Bars (issue 7): one counterfactual < 1 s; 200 draws < 60 s on this 2-core machine.

    python benchmarks/scenarios.py [--countries 200] [--draws 200] [--skip-gegravity]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _memory import reset_hwm, vm_hwm_mb  # noqa: E402

from multipolar.errors import InputError  # noqa: E402
from multipolar.gravity import ge  # noqa: E402


def synthetic(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 10, (n, 2))
    dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1)) + np.eye(n) * 0.3
    contig = (dist < 1.5) & ~np.eye(n, dtype=bool)
    Y = rng.lognormal(4, 1.5, n)
    E = Y * rng.uniform(0.8, 1.2, n)
    E *= Y.sum() / E.sum()
    return dist, contig.astype(float), Y, E


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--countries", type=int, default=200)
    ap.add_argument("--draws", type=int, default=200)
    ap.add_argument("--skip-gegravity", action="store_true")
    args = ap.parse_args()
    n = args.countries
    dist, contig, Y, E = synthetic(n)
    names = [f"C{i:03d}" for i in range(n)]
    coef = pd.Series({"ln_dist": -0.8, "contig": 0.6, "sanction": -1.5})
    vcov = pd.DataFrame(np.diag([0.05, 0.1, 0.2]) ** 2, index=coef.index, columns=coef.index)
    sanctioned = np.zeros((n, n))
    sanctioned[:10, 10:40] = sanctioned[10:40, :10] = 1          # a bloc of 10 sanctions 30 partners

    def costs(b):
        base = b["ln_dist"] * np.log(dist) + b["contig"] * contig
        return np.exp(base), np.exp(base + b["sanction"] * sanctioned)
    reset_hwm()
    t0, t1 = costs(coef)
    ts = []
    for _ in range(5):
        t = time.perf_counter()
        res = ge.counterfactual(names, t0, t1, Y, E, names[-1], 7.0, tol=1e-8)
        ts.append(time.perf_counter() - t)
    print(f"one counterfactual, {n} countries (tol 1e-8): median {np.median(ts) * 1000:.0f} ms over 5 runs, iterations {res.iterations}; "
          f"bar 1 s -> {np.median(ts):.3f} of the bar; peak RSS {vm_hwm_mb():.0f} MB")
    t = time.perf_counter()
    mc = ge.monte_carlo(names, costs, coef, vcov, Y, E, names[-1], 7.0, draws=args.draws)
    dt = time.perf_counter() - t
    print(f"{args.draws} Monte Carlo draws: {dt:.1f} s ({dt / args.draws * 1000:.0f} ms per draw); bar 60 s -> {dt / 60:.2f} of the bar; "
          f"peak RSS {vm_hwm_mb():.0f} MB")
    w = mc[(mc["measure"] == "change_rGDP_FULL")].sort_values("q50").head(3)
    print("  e.g. real GDP % change, 90% interval:", "; ".join(f"{r.country} {r.q50:+.2f} [{r.q05:+.2f}, {r.q95:+.2f}]" for r in w.itertuples()))
    if args.skip_gegravity:
        return
    shared = Path(os.environ.get("MULTIPOLAR_SHARED", Path(__file__).resolve().parents[2] / "shared" / "data"))
    path = shared / "gravity" / "Chapter2Application1.dta"
    from multipolar.gravity import replicate
    try:
        chk = replicate.against_gegravity(path)
    except InputError as e:      # gegravity missing (uv pip install gegravity) or the data absent
        print(f"no comparison with gegravity: {e}")
        return
    print(f"vs gegravity (trade without borders, same data, same coefficients, 69 countries, tolerance 1e-12): "
          f"gegravity {chk.seconds_gegravity:.1f} s, multipolar {chk.seconds_multipolar * 1000:.0f} ms "
          f"-> {chk.seconds_gegravity / chk.seconds_multipolar:,.0f}x faster")
    print(f"  conditional outward resistance change, max |difference|: {chk.conditional_omr_diff:.1e} pp")
    ok = 69 - len(chk.negative_roots)
    for m in replicate.GEGRAVITY_COLUMNS:
        print(f"  full endowment (endowment='fixed-shares', gegravity's formulation) {m}: max |difference| "
              f"{chk.max_diff(m):.1e} pp over the {ok} countries where gegravity's price root is positive")
    print(f"  gegravity returned the negative price root for {', '.join(chk.negative_roots)} (a price change below -100%); "
          "every country's exports above are computed with gegravity's prices, these included, since they enter world output")
    it = replicate.borders(path).table.set_index("country")
    fs = chk.table[chk.table["measure"] == "change_price_FULL"].set_index("country")["multipolar"]
    dif = (it["change_price_FULL"] - fs).abs()
    print(f"  multipolar's default (endowment='iterative', the book's loop) vs the fixed-shares formulation, producer price change: "
          f"median |difference| {dif.median():.2f} pp, max {dif.max():.2f} pp")


if __name__ == "__main__":
    main()
