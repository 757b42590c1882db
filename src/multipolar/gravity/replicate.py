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


def borders(path: Path, sigma: float = SIGMA, tol: float = 1e-10, endowment: str = "iterative") -> Replication:
    """Replicate the textbook's borders application (2006 cross-section): PPML on log distance, contiguity and
    the international-border dummy, and the general-equilibrium effect of removing borders."""
    d = _read(path)
    d = d[d["year"] == 2006].copy()
    d["ln_DIST"] = np.log(d["DIST"])
    d["INTL_BRDR"] = (d["exporter"] != d["importer"]).astype(int)
    d["pair"] = d["pair_id"].astype(int)
    f = estimate.ppml(d, "trade", ["ln_DIST", "CNTG", "INTL_BRDR"], ["exporter", "importer"], cluster="pair")
    b = f.coef
    countries = sorted(d["exporter"].unique())
    cost = b["ln_DIST"] * d["ln_DIST"] + b["CNTG"] * d["CNTG"]
    tau0 = matrix(d, countries, np.exp(cost + b["INTL_BRDR"] * d["INTL_BRDR"]))
    tau1 = matrix(d, countries, np.exp(cost))
    X = matrix(d, countries, d["trade"])
    res = ge.counterfactual(countries, tau0, tau1, X.sum(axis=1), X.sum(axis=0), REFERENCE, sigma, tol=tol, endowment=endowment)
    return Replication("yotov2016-borders", res.table(), f, res)


def nafta(path: Path, sigma: float = SIGMA, tol: float = 1e-10, endowment: str = "iterative") -> Replication:
    """Replicate the textbook's RTA application: the NAFTA counterfactual with the model's PPML estimates
    (needs the column RTA)."""
    d = _read(path)
    if "RTA" not in d.columns:
        raise InputError(f"{path}: the RTA application needs the column RTA")
    d = d[d["year"].isin([1986, 1990, 1994, 1998, 2002, 2006])].copy()
    d["pair"] = d["pair_id"].astype(int).astype(str)
    d.loc[d["exporter"] == d["importer"], "pair"] = "domestic"       # one pair effect for all domestic flows, as in the book
    d["exp_year"] = d["exporter"] + d["year"].astype(str)
    d["imp_year"] = d["importer"] + d["year"].astype(str)
    f = estimate.ppml(d, "trade", ["RTA"], ["exp_year", "imp_year", "pair"], cluster="pair")
    # pyfixest reports one level per extra fixed-effect dimension as the reference (effect 0, not listed)
    fe = {str(k): v for k, v in f.fixef["C(pair)"].items()}
    pair_fe = pd.Series({p: fe.get(p, 0.0) for p in f.used["pair"].unique()})
    pair_fe_raw_domestic = pair_fe.get("domestic", 0.0)
    pair_fe = pair_fe - pair_fe_raw_domestic                          # domestic trade as the base: t_ii^(1-σ) = 1
    y = d[d["year"] == 2006].copy()
    y["pair_fe"] = y["pair"].map(pair_fe)
    # Anderson & Yotov (2016) stage 2: the pair effects of pairs that never trade, from the gravity variables
    intl = y[y["exporter"] != y["importer"]].copy()
    intl["ln_DIST"] = np.log(intl["DIST"])
    known = intl["pair_fe"].notna()
    eff, n_pred, _ = estimate.pair_effects(f, intl, ["ln_DIST", "CNTG", "LANG", "CLNY"])
    # the second stage is fitted on the effects as pyfixest reports them; re-base them on domestic trade as above
    intl.loc[~known, "pair_fe"] = eff[~known] - pair_fe_raw_domestic
    if n_pred:
        f.notes.append(f"{n_pred} pairs without trade: pair effects predicted by the Anderson-Yotov second stage")
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
    res = ge.counterfactual(countries, tau0, tau1, X.sum(axis=1), X.sum(axis=0), REFERENCE, sigma, tol=tol, endowment=endowment)
    return Replication("yotov2016-nafta", res.table(), f, res)


def replicate(name: str, data_dir: Path | None = None, **kw) -> Replication:
    """Run the application ``name`` (one of :data:`APPLICATIONS`) on the textbook data in ``data_dir``
    (default: the shared folder)."""
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


# gegravity's result columns (OneSectorGE.country_results) and ours
GEGRAVITY_COLUMNS = {"change_price_FULL": "factory gate price change (percent)", "change_IMR_FULL": "imr change (percent)",
                     "change_rGDP_FULL": "GDP change (percent)", "change_Xi_FULL": "foreign exports change (percent)"}


@dataclass
class PeerCheck:
    """multipolar against the GE gravity package on PyPI, same data and coefficients."""
    table: pd.DataFrame          # country, measure, multipolar, gegravity, abs_diff, negative_root
    conditional_omr_diff: float  # max |difference| in the conditional outward resistance change, pp
    seconds_gegravity: float
    seconds_multipolar: float
    negative_roots: list[str]    # countries where gegravity returned the price root p̂ < 0

    def max_diff(self, measure: str, valid_only: bool = True) -> float:
        """The largest absolute difference from the peer implementation for ``measure`` (with ``valid_only``,
        over rows without a negative root)."""
        t = self.table[self.table["measure"] == measure]
        if valid_only:
            t = t[~t["negative_root"]]
        return float(t["abs_diff"].max())


def against_gegravity(path: Path, tol: float = 1e-12) -> PeerCheck:
    """Solve "trade without borders" in ``gegravity`` (OneSectorGE, ``omr_rescale=1000``: the
    smaller factors 1-100 fail in its baseline on these data) and in multipolar's
    ``endowment="fixed-shares"`` (the same formulation), with the book's coefficients as estimated by
    :func:`borders`, and compare per country. Where gegravity's root finder lands on the negative
    price root (p̂ < 0, a change below -100%), the flows into and out of that country are negative
    in its results and feed every other country's export change through world output; those
    exports are compared after giving multipolar's flow formula gegravity's prices (column
    ``multipolar``) — the prices, resistances and real GDP are compared as solved."""
    import time
    import warnings

    try:
        import gegravity as gg
    except ImportError as e:        # pragma: no cover - the test extra installs it
        raise InputError("the comparison needs the package gegravity: uv pip install gegravity") from e
    rep = borders(path, tol=tol, endowment="fixed-shares")
    b = rep.fit.coef[["ln_DIST", "CNTG", "INTL_BRDR"]]
    d = _read(path)
    d = d[d["year"] == 2006].copy()
    d["ln_DIST"] = np.log(d["DIST"])
    d["INTL_BRDR"] = (d["exporter"] != d["importer"]).astype(int)
    d["year"] = "2006"
    d["Y"] = d.groupby("exporter")["trade"].transform("sum")
    d["E"] = d.groupby("importer")["trade"].transform("sum")
    cols = ["exporter", "importer", "year", "trade", "Y", "E", *b.index]
    d = d[cols].reset_index(drop=True)
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        base = gg.BaselineData(d, trade_var_name="trade", expend_var_name="E", output_var_name="Y")
        coeffs = gg.CostCoeffs(pd.DataFrame({"v": list(b.index), "c": b.to_numpy()}), identifier_col="v", coeff_col="c")
        m = gg.OneSectorGE(base, year="2006", reference_importer=REFERENCE, sigma=SIGMA, expend_var_name="E", output_var_name="Y",
                           cost_variables=list(b.index), cost_coeff_values=coeffs, quiet=True)
        m.build_baseline(omr_rescale=1000)
        x = d.copy()
        x["INTL_BRDR"] = 0
        m.define_experiment(x)
        m.simulate(ge_tolerance=tol)
    t_gg = time.perf_counter() - t
    # multipolar's time: the counterfactual alone, as gegravity's above (costs built, no estimation)
    res = rep.result
    countries = res.countries
    X = matrix(d, countries, d["trade"])
    tau0 = matrix(d, countries, np.exp(d[list(b.index)].to_numpy() @ b.to_numpy()))
    nb = b.drop("INTL_BRDR")
    tau1 = matrix(d, countries, np.exp(d[list(nb.index)].to_numpy() @ nb.to_numpy()))
    t = time.perf_counter()
    ge.counterfactual(countries, tau0, tau1, X.sum(axis=1), X.sum(axis=0), REFERENCE, SIGMA, tol=tol, endowment="fixed-shares")
    t_mp = time.perf_counter() - t
    theirs = m.country_results.reindex(countries)
    mine = res.table().set_index("country")
    neg = theirs["factory gate price change (percent)"].to_numpy() <= -100
    # exports with gegravity's prices (negative roots included), through multipolar's formula
    Y, E = res.Y["BLN"], X.sum(axis=0)
    p = np.where(neg, -res.price_change, res.price_change)
    Yf, Ef = p * Y, (E / Y) * p * Y
    flows = tau1 * ((Yf / Yf.sum())[:, None] * Ef[None, :]) * Y.sum() / (res.omr["CDL"][:, None] * res.imr["CDL"][None, :])
    off = ~np.eye(len(countries), dtype=bool)
    xi_with_their_prices = ((flows * off).sum(1) / (res.baseline * off).sum(1) - 1) * 100
    rows = []
    for ours, label in GEGRAVITY_COLUMNS.items():
        a = xi_with_their_prices if ours == "change_Xi_FULL" else mine[ours].to_numpy()
        rows.append(pd.DataFrame({"country": countries, "measure": ours, "multipolar": a, "gegravity": theirs[label].to_numpy(),
                                  "negative_root": neg}))
    tab = pd.concat(rows, ignore_index=True)
    tab["abs_diff"] = (tab["multipolar"] - tab["gegravity"]).abs()
    omr = ((res.omr["CDL"] / res.omr["BLN"]) ** (1 / (1 - SIGMA)) - 1) * 100
    return PeerCheck(tab, float(np.max(np.abs(omr - theirs["omr change (percent)"].to_numpy()))), t_gg, t_mp,
                     [c for c, n in zip(countries, neg) if n])
