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
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _memory import reset_hwm, vm_hwm_mb  # noqa: E402

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
    try:
        import gegravity as gg
    except ImportError:
        print("gegravity not installed: `uv pip install gegravity` to compare")
        return
    warnings.filterwarnings("ignore")
    d = pd.read_stata(path)
    d = d[d["year"] == 2006].copy()
    d["exporter"], d["importer"] = d["exporter"].astype(str), d["importer"].astype(str)
    d["ln_DIST"] = np.log(d["DIST"])
    d["INTL_BRDR"] = (d["exporter"] != d["importer"]).astype(int)
    d["year"] = "2006"
    d["Y"] = d.groupby("exporter")["trade"].transform("sum")
    d["E"] = d.groupby("importer")["trade"].transform("sum")
    b = {"ln_DIST": -0.7912879, "CNTG": 0.6736456, "INTL_BRDR": -2.47445}
    cols = ["exporter", "importer", "year", "trade", "Y", "E", "ln_DIST", "CNTG", "INTL_BRDR"]
    t = time.perf_counter()
    bd = gg.BaselineData(d[cols], trade_var_name="trade", expend_var_name="E", output_var_name="Y")
    cc = gg.CostCoeffs(pd.DataFrame({"v": list(b), "c": list(b.values())}), identifier_col="v", coeff_col="c")
    m = gg.OneSectorGE(bd, year="2006", reference_importer="DEU", sigma=7, expend_var_name="E", output_var_name="Y",
                       cost_variables=list(b), cost_coeff_values=cc, quiet=True)
    m.build_baseline(omr_rescale=1000)
    x = d[cols].copy()
    x["INTL_BRDR"] = 0
    m.define_experiment(x)
    m.simulate(ge_tolerance=1e-12)
    t_gg = time.perf_counter() - t
    from multipolar.gravity.panel import matrix as _matrix
    c = sorted(d["exporter"].unique())
    cost = b["ln_DIST"] * d["ln_DIST"] + b["CNTG"] * d["CNTG"]
    X = _matrix(d, c, d["trade"])
    t = time.perf_counter()
    res = ge.counterfactual(c, _matrix(d, c, np.exp(cost + b["INTL_BRDR"] * d["INTL_BRDR"])), _matrix(d, c, np.exp(cost)),
                            X.sum(1), X.sum(0), "DEU", 7.0, tol=1e-12)
    t_mp = time.perf_counter() - t
    mine = res.table().set_index("country")
    theirs = m.country_results
    omr_mine = ((res.omr["CDL"] / res.omr["BLN"]) ** (1 / (1 - 7.0)) - 1) * 100
    print(f"vs gegravity (same data, same coefficients, 69 countries): gegravity {t_gg:.1f} s, multipolar {t_mp * 1000:.0f} ms "
          f"-> {t_gg / t_mp:,.0f}x faster")
    print(f"  conditional outward resistance change, max |difference|: "
          f"{np.max(np.abs(omr_mine - theirs['omr change (percent)'].reindex(c).to_numpy())):.2e} percentage points")
    for ours, label in (("change_price_FULL", "factory gate price change (percent)"), ("change_IMR_FULL", "imr change (percent)"),
                        ("change_rGDP_FULL", "GDP change (percent)")):
        diff = np.abs(mine[ours].to_numpy() - theirs[label].reindex(c).to_numpy())
        print(f"  full endowment {ours} vs gegravity '{label}': max |difference| {np.nanmax(diff):.3f} pp (median {np.nanmedian(diff):.3f})")


if __name__ == "__main__":
    main()
