"""Benchmark: dynamic ordinal ideal points from every UN General Assembly vote.

Prints, on this machine:
* warehouse -> stored results (`multipolar idealpoints`: read votes, bridge, fit, intervals, vote
  agreement, store): wall time and peak memory; the bar is under 30 s and under 4 GB;
* the per-year principal-component baseline on the same votes (time; ratio), and how the two
  compare: within-year rank correlation, and the year-to-year movement of stable voters;
* the known cases: NATO above the USSR/Russia and China each year, the Soviet bloc at the low end;
* synthetic recovery: 200 states, 70 years, ~90 votes per year drawn from the model itself:
  correlation with the truth and coverage of the 90% intervals (bars: >= 0.97, 85-95%);
* the closing-note table: RUS, CHN, USA, IND, DEU, BRA in 1990, 2000, 2010, 2019.

* end to end as the user runs it: ``multipolar idealpoints`` in a fresh process (start-up, read,
  bridge, fit, agreement, store) on a copy of the warehouse, ``--runs`` times: wall time and the
  peak memory of the process tree; the bar is under 20 s and under 2 GB. ``--src`` measures another
  checkout's ``src/`` the same way (before/after), and the ratio to it is printed.

Usage: python benchmarks/idealpoints.py [--db WAREHOUSE] [--shared ../shared/data] [--skip-synthetic]
       [--runs 3] [--src OTHER/src] [--only-cli]
(without --db, the UN votes are imported into a temporary warehouse first; that is not timed).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from multipolar.actors.groupings import members  # noqa: E402
from _memory import reset_hwm, vm_hwm_mb  # noqa: E402
from multipolar.config import shared_data_dir  # noqa: E402
from multipolar.dimensions import values  # noqa: E402
from multipolar.dimensions.idealpoints import DynamicOrdinalIdealPoints  # noqa: E402
from multipolar.warehouse import Warehouse  # noqa: E402




def real(w: Warehouse) -> pd.DataFrame:
    reset_hwm()
    t0 = time.perf_counter()
    run = values.estimate(w)
    secs = time.perf_counter() - t0
    mem = vm_hwm_mb()
    m = run.meta
    print(f"warehouse -> stored results: {secs:.1f} s (read {m['seconds_load']:.1f} s, fit {m['seconds_fit']:.1f} s), "
          f"peak memory {mem / 1024:.2f} GB   [bar: < 30 s, < 4 GB]")
    print(f"  {m['n_votes']:,} votes, {m['n_roll_calls']:,} roll calls ({m['bridged_roll_calls']:,} bridged into "
          f"{m['bridge_chains']:,} repeated resolutions; {m['n_items']:,} items), {m['n_states']} states, {m['state_years']:,} "
          f"state-years, {m['years']}; {m['iterations']} cycles, converged: {m['converged']}, omega {m['omega']}")
    ip = run.ideal_points

    votes, _ = values.load_votes(w)
    t0 = time.perf_counter()
    base = values.pca_baseline(votes)
    tb = time.perf_counter() - t0
    print(f"per-year PCA baseline: {tb:.1f} s (multipolar takes {secs / tb:.1f}x the baseline's time)")
    per_year, summ = values.compare_estimates(ip, base, names=("multipolar", "pca"))
    print(f"  within-year rank correlation with the baseline: mean {per_year['spearman'].mean():.3f}, min "
          f"{per_year['spearman'].min():.3f}; year-to-year changes correlate {summ['pearson_changes']:.2f}")
    m_ = ip.rename(columns={"code": "state"}).merge(base.rename(columns={"ideal_point": "pca"}), on=["state", "year"])
    m_["model"] = (m_["ideal_point"] - m_["ideal_point"].mean()) / m_["ideal_point"].std()
    print("  mean absolute year-to-year move of stable voters (both scales sd 1): state  multipolar  baseline")
    for code in ("CHE", "SWE", "JPN", "IND", "USA"):
        s = m_[m_["state"] == code].sort_values("year")
        print(f"    {code}  {s['model'].diff().abs().mean():.3f}  {s['pca'].diff().abs().mean():.3f}")

    bad = []
    for year, g in ip[ip["year"].between(1949, 2019)].groupby("year"):
        nato = g[g["code"].isin(members("NATO", year))]["ideal_point"].mean()
        for rival in (["SUN", "RUS"], ["CHN"]):
            r = g[g["code"].isin(rival)]["ideal_point"]
            if len(r) and not nato > r.mean():
                bad.append((year, rival[0]))
    print(f"NATO mean above USSR/Russia and China in every year 1949-2019: {'yes' if not bad else bad}")
    worst = 0.0
    for year, g in ip[ip["year"].between(1950, 1989)].groupby("year"):
        pct = g.set_index("code")["ideal_point"].rank(pct=True)
        bloc = pct[pct.index.isin(members("WARSAW", year) + ["SUN"])]
        if year <= 1988:
            worst = max(worst, bloc.mean())
        else:
            print(f"  1989 (the bloc breaks up in the autumn session): Warsaw Pact mean percentile {bloc.mean():.2f}")
    print(f"Warsaw Pact + USSR mean percentile within year, worst year 1950-1988: {worst:.2f}")
    return ip


def table(ip: pd.DataFrame) -> None:
    print("\nIdeal points (sd-1 scale over all state-years; ± 90% interval half-width)")
    cols = ["RUS", "CHN", "USA", "IND", "DEU", "BRA"]
    print("year  " + "  ".join(f"{c:>13}" for c in cols))
    for y in (1990, 2000, 2010, 2019):
        row = []
        for c in cols:
            code = {"RUS": ["RUS", "SUN"], "DEU": ["DEU", "GFR"]}.get(c, [c])
            r = ip[(ip["year"] == y) & ip["code"].isin(code)]
            r = r.iloc[0] if len(r) else None
            row.append(f"{r['ideal_point']:+.2f} ±{(r['hi'] - r['lo']) / 2:.2f}" if r is not None else "—")
        print(f"{y}  " + "  ".join(f"{v:>13}" for v in row))
    print("(1990: RUS is the USSR (SUN); DEU is the Federal Republic (GFR) where the united Germany has no point yet)")


def synthetic() -> None:
    from tests.test_idealpoints import simulate
    votes, truth = simulate(n_states=200, n_years=70, per_year=90, seed=11)
    anchor = truth.groupby("state")["true"].mean().idxmax()
    reset_hwm()
    t0 = time.perf_counter()
    m = DynamicOrdinalIdealPoints(omega=0.15, anchor=anchor).fit(votes)
    secs = time.perf_counter() - t0
    r = m.ideal_points_.merge(truth, on=["state", "year"])
    corr = np.corrcoef(r["ideal_point"], r["true"])[0, 1]
    slope, icpt = np.polyfit(r["ideal_point"], r["true"], 1)
    lo, hi = slope * r["lo"] + icpt, slope * r["hi"] + icpt
    cover = ((r["true"] >= np.minimum(lo, hi)) & (r["true"] <= np.maximum(lo, hi))).mean()
    print(f"\nsynthetic 200 states x 70 years x 90 votes/year ({len(votes):,} votes): fit {secs:.1f} s, peak {vm_hwm_mb():.0f} MB; "
          f"correlation with truth {corr:.4f} [bar >= 0.97]; 90% intervals cover {cover:.1%} [bar 85-95%]")


def cli(db: Path, src: str, runs: int, tmp: str) -> float:
    """``multipolar idealpoints`` as the user runs it, on a fresh copy of ``db`` each time (the command
    stores a run; a copy keeps the runs comparable). Returns the median wall time."""
    import os
    import shutil
    import statistics
    from _memory import run_measured
    secs = []
    for k in range(runs):
        copy = Path(tmp) / f"cli{k}.duckdb"
        shutil.copy(db, copy)
        env = dict(os.environ, PYTHONPATH=src, MULTIPOLAR_DB=str(copy))
        r = run_measured([sys.executable, "-m", "multipolar.cli", "idealpoints", "--db", str(copy)], env=env)
        if r["returncode"] != 0:
            raise SystemExit(f"multipolar idealpoints failed ({src}):\n{r['stderr'][-2000:]}")
        fitted = [ln for ln in r["stdout"].splitlines() if ln.startswith("fitted in")]
        print(f"  run {k + 1}: {r['seconds']:.1f} s, peak memory {r['tree_rss_mb'] / 1024:.2f} GB (process tree); "
              f"{fitted[0] if fitted else ''}")
        secs.append(r["seconds"])
        copy.unlink()
    return statistics.median(secs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path)
    ap.add_argument("--shared", type=Path)
    ap.add_argument("--skip-synthetic", action="store_true")
    ap.add_argument("--runs", type=int, default=3, help="end-to-end runs of the command (the median is reported)")
    ap.add_argument("--src", help="the src/ folder of another checkout: measured end to end the same way (before/after)")
    ap.add_argument("--only-cli", action="store_true", help="only the end-to-end measurement")
    a = ap.parse_args()
    import os
    print(f"machine: {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        if a.db:
            w = Warehouse(a.db)
        else:
            shared = a.shared or shared_data_dir()
            w = Warehouse(Path(tmp) / "w.duckdb")
            t0 = time.perf_counter()
            w.import_path(Path(shared) / "un_votes")
            print(f"(setup, not timed: imported the UN votes in {time.perf_counter() - t0:.0f} s)")
        if a.runs:
            src = str(Path(__file__).resolve().parents[1] / "src")
            print(f"\nend to end: `multipolar idealpoints` in a fresh process, {a.runs} runs on copies of {w.path}   [bar: < 20 s, < 2 GB]")
            mine = cli(Path(w.path), src, a.runs, tmp)
            print(f"  median {mine:.1f} s")
            if a.src:
                print(f"the same with {a.src}:")
                other = cli(Path(w.path), str(Path(a.src).resolve()), a.runs, tmp)
                print(f"  median {other:.1f} s; this checkout takes {mine / other:.2f}x its time")
        if a.only_cli:
            return
        ip = real(w)
        table(ip)
    if not a.skip_synthetic:
        synthetic()


if __name__ == "__main__":
    main()
