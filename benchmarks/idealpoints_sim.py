"""Benchmark: does the ideal-point scale stay comparable across years? A simulated UN, full size.

The simulation (``tests/idealpoint_sim.py``) has the real votes' structure: about 200 states over
75 years (1946-2020), membership that grows in waves, successor states, sessions away; about 50 roll
calls a year to 1970, 125 to 1990, 85 afterwards, with repeated resolutions (few before 1984, about
half of the roll calls afterwards, as in the real bridging: 2-13% of the roll calls before 1980,
70-84% from 1990); yes/abstain/no and absences; lopsided votes after 1970; and in the truth a drift
of the whole distribution (one unit from 1970 to 2020) and a spread that shrinks by a quarter over
1985-95.

Prints, for the model as ``multipolar idealpoints`` runs it (the default parameters) and for the
model before issue 18 (item priors per item, no level prior, ``prior_alpha`` 5, omega 0.16) as the
baseline: pooled r with the truth (bar >= 0.97), the median/mean/min within-year r (bar: median >=
0.98), each decade's spread ratio (estimate / truth after the one affine map the normalisation
allows; bar: all within 10%), each decade's mean error, and the median over long-lived states of the
correlation of a state's path with its true path; the fit's time and peak memory, and the ratio of
the fit times.

Usage: python benchmarks/idealpoints_sim.py [--seed 0] [--states 200] [--rc-scale 1.0] [--skip-baseline]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _memory import reset_hwm, vm_hwm_mb  # noqa: E402
from multipolar.dimensions.idealpoints import DynamicOrdinalIdealPoints  # noqa: E402
from tests.idealpoint_sim import scale_figures, simulate_un  # noqa: E402

BEFORE = {"omega": 0.16, "item_prior_weight": "item", "prior_level": None, "prior_alpha": 5.0}


def run(name: str, params: dict, votes, truth) -> tuple[dict, float]:
    reset_hwm()
    t0 = time.perf_counter()
    m = DynamicOrdinalIdealPoints(**params).fit(votes)
    secs = time.perf_counter() - t0
    mem = vm_hwm_mb()
    f = scale_figures(m.ideal_points_, truth)
    ok = f["pooled_r"] >= 0.97 and f["within_r_median"] >= 0.98 and f["spread_worst"] <= 0.10
    print(f"\n{name}: fit {secs:.1f} s, {m.n_iter_} cycles, converged {m.converged_}, peak memory {mem:.0f} MB"
          f"  -> {'meets' if ok else 'MISSES'} the bar")
    print(f"  pooled r {f['pooled_r']:.4f} [>= 0.97]   within-year r median {f['within_r_median']:.4f} [>= 0.98], "
          f"mean {f['within_r_mean']:.4f}, min {f['within_r_min']:.4f}")
    print(f"  state paths: median r with the true path {f['state_r_median']:.3f} (states present 30+ years)")
    print("  decade        " + " ".join(f"{d:>6}" for d in f["spread_ratio"]))
    print("  true sd       " + " ".join(f"{v:6.2f}" for v in f["true_sd"].values()))
    print("  spread ratio  " + " ".join(f"{v:6.3f}" for v in f["spread_ratio"].values())
          + f"   worst |ratio - 1| {f['spread_worst']:.3f} [<= 0.10]")
    print("  true mean     " + " ".join(f"{v:+6.2f}" for v in f["true_mean"].values()))
    print("  mean error    " + " ".join(f"{v:+6.3f}" for v in f["mean_error"].values())
          + f"   drift of the error {f['mean_drift']:.3f}")
    return f, secs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--states", type=int, default=200)
    ap.add_argument("--rc-scale", type=float, default=1.0)
    ap.add_argument("--skip-baseline", action="store_true", help="only the current model")
    a = ap.parse_args()
    t0 = time.perf_counter()
    votes, truth = simulate_un(n_states=a.states, rc_scale=a.rc_scale, seed=a.seed)
    print(f"simulated UN (seed {a.seed}): {len(votes):,} votes on {votes['rcid'].nunique():,} roll calls "
          f"({votes['item'].str.startswith('C').groupby(votes['rcid']).first().mean():.0%} of them repeated resolutions), "
          f"{truth['state'].nunique()} states, {truth['year'].min()}-{truth['year'].max()}, {len(truth):,} state-years; "
          f"generated in {time.perf_counter() - t0:.1f} s")
    _, secs = run("multipolar (default parameters, as `multipolar idealpoints` fits)", {}, votes, truth)
    if not a.skip_baseline:
        _, base = run("baseline: the model before issue 18 " + str(BEFORE), BEFORE, votes, truth)
        print(f"\nfit time: {secs:.1f} s against {base:.1f} s for the baseline ({secs / base:.2f}x)")
    print(f"total {time.perf_counter() - t0:.1f} s (simulation, fits and figures)")


if __name__ == "__main__":
    main()
