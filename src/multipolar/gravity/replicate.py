"""The two general-equilibrium applications of Yotov, Piermartini, Monteiro & Larch (2016), *An
Advanced Guide to Trade Policy Analysis: The Structural Gravity Model* (WTO/UNCTAD), chapter 2,
with multipolar's estimator (:mod:`multipolar.gravity.estimate`) and solver
(:mod:`multipolar.gravity.ge`), σ = 7, Germany as the reference country.

``yotov2016-borders`` ("trade without borders"): 2006; PPML of trade (domestic flows included)
on log distance, contiguity and an international-border dummy with exporter and importer fixed
effects; the counterfactual removes the border (its cost set to zero).

``yotov2016-nafta`` ("RTA effects"): the panel 1986-2006 in 4-year steps; PPML with exporter-year,
importer-year and (symmetric) pair fixed effects and the RTA dummy; trade costs of 2006 are
exp(pair effect + β_RTA · RTA), the pair effects of pairs that never trade predicted by the
two-stage procedure of Anderson & Yotov (2016): PPML of exp(pair effect) on log distance,
contiguity, language and colony with exporter and importer effects. The counterfactual removes
NAFTA (RTA set to 0 among the United States, Canada and Mexico in 2006).

Data: ``Chapter2Application1.dta`` and ``Chapter2Application2.dta`` as published with the book
(CC BY 4.0), from ``../shared/data/gravity`` or a path given.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from . import estimate, ge
from .panel import matrix

SIGMA = 7.0
REFERENCE = "DEU"
NAFTA = ("USA", "CAN", "MEX")
APPLICATIONS = {"yotov2016-borders": "Chapter2Application1.dta", "yotov2016-nafta": "Chapter2Application2.dta"}


@dataclass
class Replication:
    name: str
    table: pd.DataFrame            # country, change_Xi_CDL, change_Xi_FULL, change_price_FULL, change_IMR_FULL, change_rGDP_FULL
    fit: estimate.GravityFit
    result: ge.Counterfactual


def _read(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise InputError(f"{path}: not found; the chapter 2 data of Yotov et al. (2016) are in ../shared/data/gravity "
                         "(or pass --data)")
    d = pd.read_stata(path)
    need = {"exporter", "importer", "pair_id", "year", "trade", "DIST", "CNTG", "LANG", "CLNY"}
    if not need <= set(d.columns):
        raise InputError(f"{path}: expected the columns {sorted(need)}, found {sorted(d.columns)}")
    d["exporter"], d["importer"] = d["exporter"].astype(str), d["importer"].astype(str)
    d["year"] = d["year"].astype(int)
    return d


def borders(path: Path, sigma: float = SIGMA, tol: float = 1e-10) -> Replication:
    d = _read(path)
    d = d[d["year"] == 2006].copy()
    d["ln_DIST"] = np.log(d["DIST"])
    d["INTL_BRDR"] = (d["exporter"] != d["importer"]).astype(int)
    d["pair"] = d["pair_id"].astype(int)
    f = estimate.fit(d, "trade", ["ln_DIST", "CNTG", "INTL_BRDR"], ["exporter", "importer"], cluster="pair")
    b = f.coef
    countries = sorted(d["exporter"].unique())
    cost = b["ln_DIST"] * d["ln_DIST"] + b["CNTG"] * d["CNTG"]
    tau0 = matrix(d, countries, np.exp(cost + b["INTL_BRDR"] * d["INTL_BRDR"]))
    tau1 = matrix(d, countries, np.exp(cost))
    X = matrix(d, countries, d["trade"])
    res = ge.counterfactual(countries, tau0, tau1, X.sum(axis=1), X.sum(axis=0), REFERENCE, sigma, tol=tol)
    return Replication("yotov2016-borders", res.table(), f, res)


def nafta(path: Path, sigma: float = SIGMA, tol: float = 1e-10) -> Replication:
    d = _read(path)
    if "RTA" not in d.columns:
        raise InputError(f"{path}: the RTA application needs the column RTA")
    d = d[d["year"].isin([1986, 1990, 1994, 1998, 2002, 2006])].copy()
    d["pair"] = d["pair_id"].astype(int).astype(str)
    d.loc[d["exporter"] == d["importer"], "pair"] = "domestic"       # one pair effect for all domestic flows, as in the book
    d["exp_year"] = d["exporter"] + d["year"].astype(str)
    d["imp_year"] = d["importer"] + d["year"].astype(str)
    f = estimate.fit(d, "trade", ["RTA"], ["exp_year", "imp_year", "pair"], cluster="pair")
    # pyfixest reports one level per extra fixed-effect dimension as the reference (effect 0, not listed)
    fe = {str(k): v for k, v in f.fixef["C(pair)"].items()}
    pair_fe = pd.Series({p: fe.get(p, 0.0) for p in f.used["pair"].unique()})
    pair_fe = pair_fe - pair_fe.get("domestic", 0.0)                  # domestic trade as the base: t_ii^(1-σ) = 1
    y = d[d["year"] == 2006].copy()
    y["pair_fe"] = y["pair"].map(pair_fe)
    # Anderson & Yotov (2016) stage 2: the pair effects of pairs that never trade, from the gravity variables
    intl = y[y["exporter"] != y["importer"]].copy()
    intl["ln_DIST"] = np.log(intl["DIST"])
    intl["tij_bar"] = np.exp(intl["pair_fe"])
    known = intl.dropna(subset=["tij_bar"])
    s2 = estimate.fit(known, "tij_bar", ["ln_DIST", "CNTG", "LANG", "CLNY"], ["exporter", "importer"], cluster="pair")
    miss = intl["tij_bar"].isna()
    if miss.any():
        c = s2.coef
        fe_e, fe_i = pd.Series(s2.fixef["C(exporter)"]), pd.Series(s2.fixef["C(importer)"])
        pred = (c["ln_DIST"] * intl.loc[miss, "ln_DIST"] + c["CNTG"] * intl.loc[miss, "CNTG"] + c["LANG"] * intl.loc[miss, "LANG"]
                + c["CLNY"] * intl.loc[miss, "CLNY"] + intl.loc[miss, "exporter"].map(fe_e).to_numpy() + intl.loc[miss, "importer"].map(fe_i).to_numpy())
        intl.loc[miss, "pair_fe"] = pred
        f.notes.append(f"{int(miss.sum())} pairs without trade: pair effects predicted by the Anderson-Yotov second stage")
    y = y.set_index(["exporter", "importer"])
    y.loc[intl.set_index(["exporter", "importer"]).index, "pair_fe"] = intl["pair_fe"].to_numpy()
    y = y.reset_index()
    y.loc[y["exporter"] == y["importer"], "pair_fe"] = 0.0
    b = f.coef["RTA"]
    nafta_pair = y["exporter"].isin(NAFTA) & y["importer"].isin(NAFTA) & (y["exporter"] != y["importer"])
    rta_cfl = np.where(nafta_pair, 0, y["RTA"])
    countries = sorted(y["exporter"].unique())
    tau0 = matrix(y, countries, np.exp(y["pair_fe"] + b * y["RTA"]))
    tau1 = matrix(y, countries, np.exp(y["pair_fe"] + b * rta_cfl))
    X = matrix(y, countries, y["trade"])
    res = ge.counterfactual(countries, tau0, tau1, X.sum(axis=1), X.sum(axis=0), REFERENCE, sigma, tol=tol)
    return Replication("yotov2016-nafta", res.table(), f, res)


def replicate(name: str, data_dir: Path | None = None, **kw) -> Replication:
    if name not in APPLICATIONS:
        raise InputError(f"unknown application {name!r}; choose one of {', '.join(APPLICATIONS)}")
    if data_dir is None:
        from ..config import shared_data_dir
        base = shared_data_dir()
        if base is None:
            raise InputError("no data folder: pass --data or set MULTIPOLAR_SHARED")
        data_dir = Path(base) / "gravity"
    path = Path(data_dir) / APPLICATIONS[name]
    return (borders if name == "yotov2016-borders" else nafta)(path, **kw)
