"""Gravity on all goods (``--sector total``) from a full BACI year: the import of the file and the
PPML fit, time and peak memory, against a naive pandas baseline (read the CSV, sum over products).

A full BACI HS92 year has about 8-9 million exporter-importer-product lines for ~200 countries and
~5,000 products. No such file is in ../shared/data (only the 74-product subset), so the script
writes one of that size with the real BACI layout (t,i,j,k,v,q; BACI's numeric country codes) and
gravity-shaped values, then imports it into a fresh warehouse beside CEPII GeoDist.

    python benchmarks/gravity_total.py [--rows 8500000] [--keep]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _memory import reset_hwm, vm_hwm_mb  # noqa: E402

from multipolar.gravity import panel  # noqa: E402
from multipolar.sources.economy import baci_code_table  # noqa: E402
from multipolar.warehouse import Warehouse  # noqa: E402

PRODUCTS = 5000


def write_full_baci(path: Path, rows: int, year: int = 2021, seed: int = 0) -> int:
    rng = np.random.default_rng(seed)
    codes = baci_code_table()
    import pycountry
    current = {int(c.numeric) for c in pycountry.countries}
    nums = np.array(sorted(n for n in codes["num"] if n in current or n in (251, 699, 757, 842)))
    nums = nums[~np.isin(nums, [250, 356, 756, 840])][:200]          # BACI uses 251, 699, 757, 842 for these
    n = len(nums)
    e, i = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    off = e != i
    e, i = e[off], i[off]
    size = rng.lognormal(0, 1.2, n)
    lam = size[e] * size[i]
    counts = np.minimum(rng.poisson(lam / lam.sum() * rows), PRODUCTS)
    pair = np.repeat(np.arange(len(e)), counts)
    within = np.arange(len(pair)) - np.repeat(np.cumsum(counts) - counts, counts)
    start = rng.integers(0, PRODUCTS, len(e))
    k = (start[pair] + within * 7) % PRODUCTS                         # distinct products within a pair (7 and 5,000 coprime)
    hs6 = 10_000 + k * 193
    v = rng.lognormal(3, 2, len(pair)) * size[e[pair]]
    df = pd.DataFrame({"t": year, "i": nums[e[pair]], "j": nums[i[pair]], "k": hs6, "v": np.round(v, 3), "q": np.round(v / 3, 3)})
    df.to_csv(path, index=False)
    return len(df)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=8_500_000)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    shared = Path(os.environ.get("MULTIPOLAR_SHARED", Path(__file__).resolve().parents[2] / "shared" / "data"))
    tmp = Path(tempfile.mkdtemp(prefix="mp-total-"))
    f = tmp / "BACI_HS92_Y2021_V202401b.csv"
    t = time.perf_counter()
    nrows = write_full_baci(f, args.rows)
    print(f"wrote a full-size BACI year: {nrows:,} lines, {f.stat().st_size / 1e6:.0f} MB ({time.perf_counter() - t:.0f} s, not timed below)")
    reset_hwm()
    t = time.perf_counter()
    raw = pd.read_csv(f)
    naive = raw[raw["i"] != raw["j"]].groupby(["t", "i", "j"], as_index=False)["v"].sum()
    t_naive = time.perf_counter() - t
    mem_naive = vm_hwm_mb()
    del raw
    print(f"naive pandas (read_csv, sum over products; no codes, checks or store): {t_naive:.1f} s, peak RSS {mem_naive:,.0f} MB, "
          f"{len(naive):,} pairs")
    w = Warehouse(tmp / "w.duckdb")
    w.import_file(shared / "trade" / "cepii_geodist_dist_cepii.csv.gz")
    reset_hwm()
    t = time.perf_counter()
    rep = w.import_file(f)
    t_imp = time.perf_counter() - t
    print(f"multipolar data import (recognise, check codes and duplicates, map countries, store): {t_imp:.1f} s, "
          f"peak RSS {vm_hwm_mb():,.0f} MB, {rep.status}; ratio to naive {t_imp / t_naive:.1f}")
    reset_hwm()
    t = time.perf_counter()
    fit, d = panel.fit((2021, 2021), "total", w.path)
    t_fit = time.perf_counter() - t
    print(f"gravity fit --sector total 2021 (panel of {len(d):,} directed pairs, {d.attrs['states']} states): {t_fit:.1f} s, "
          f"peak RSS {vm_hwm_mb():,.0f} MB; ln_dist {fit.coef['ln_dist']:+.3f}")
    if not args.keep:
        import shutil
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
