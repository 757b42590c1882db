"""Structural gravity: the solver's equations hold, the textbook's estimates and conditional
results are reproduced, bad input and non-convergence are reported."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from multipolar.errors import InputError
from multipolar.gravity import ge
from tests.conftest import SHARED

needs_gravity = pytest.mark.skipif(SHARED is None or not (SHARED / "gravity" / "Chapter2Application1.dta").exists(),
                                   reason="the Yotov et al. (2016) chapter 2 data (../shared/data/gravity) are absent")

# Yotov et al. (2016), ch. 2, "trade without borders": the PPML estimates of the book's Stata log
# (TradeWithoutBorder.log) and the conditional change in exports per country as published with the
# book's R companion (pachadotdev/tradepolicy, ch2_application1.csv, column change_xi_cfl).
BOOK_COEF = {"ln_DIST": -0.7912879, "CNTG": 0.6736456, "INTL_BRDR": -2.47445}
BOOK_XI_CDL = {"ARG": 65.52427898507227, "AUS": 229.5594111707841, "AUT": 59.211938778232984, "BEL": 156.91104630713775,
               "BGR": 24.219494977114554, "BOL": 13.53877386069069, "BRA": 172.56105416692478, "CAN": 80.82463241174491,
               "CHE": 92.99680700525248, "CHL": 105.17375019342543, "CHN": 175.49641905587157, "CMR": 7.642827802027119}


def _random_economy(seed: int, n: int):
    rng = np.random.default_rng(seed)
    dist = rng.uniform(0.5, 3.0, (n, n))
    dist = (dist + dist.T) / 2
    np.fill_diagonal(dist, 0.1)
    tau = dist ** -1.0
    Y = rng.uniform(1, 100, n)
    E = Y * rng.uniform(0.8, 1.2, n)
    E *= Y.sum() / E.sum()                      # world output = world expenditure
    return tau, Y, E


def _equilibrium_residuals(res: ge.Counterfactual, tau1, Y, E, ref: int):
    p = res.price_change
    Yf = p * Y
    Ef = ge.expenditure(E / Y, Yf)
    X = res.full
    return {"market clearing": np.max(np.abs(X.sum(axis=1) / Yf - 1)),
            "expenditure": np.max(np.abs(X.sum(axis=0) / Ef - 1)),
            "producer prices": np.max(np.abs(p ** res.sigma / (res.omr["FULL"] / res.omr["BLN"]) - 1)),
            "numeraire": abs(res.imr["FULL"][ref] - 1)}


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 25))
def test_resistances_satisfy_the_adding_up_constraints(seed, n):
    tau, Y, E = _random_economy(seed, n)
    r = ge.resistances(tau, Y, E, ref=0, tol=1e-13)
    X = ge.flows(tau, Y, E, r)
    np.testing.assert_allclose(X.sum(axis=1), Y, rtol=1e-9)
    np.testing.assert_allclose(X.sum(axis=0), E, rtol=1e-9)
    assert r.imr[0] == pytest.approx(1.0)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(3, 20), shock=st.floats(0.2, 3.0))
def test_full_endowment_equilibrium_holds(seed, n, shock):
    tau, Y, E = _random_economy(seed, n)
    tau1 = tau.copy()
    tau1[0, 1] *= shock
    tau1[1, 0] *= shock
    res = ge.counterfactual([f"C{i}" for i in range(n)], tau, tau1, Y, E, "C0", 7.0, tol=1e-12)
    for k, v in _equilibrium_residuals(res, tau1, Y, E, 0).items():
        assert v < 1e-8, (k, v)
    # no shock, no change
    same = ge.counterfactual([f"C{i}" for i in range(n)], tau, tau, Y, E, "C0", 7.0)
    assert np.allclose(same.table().iloc[:, 1:].to_numpy(), 0, atol=1e-6)


def test_a_cheaper_route_raises_its_flow_and_diverts_from_others():
    tau, Y, E = _random_economy(1, 6)
    tau1 = tau.copy()
    tau1[0, 1] *= 2.0                           # exporting from C0 to C1 becomes cheaper (t^(1-σ) doubles)
    res = ge.counterfactual([f"C{i}" for i in range(6)], tau, tau1, Y, E, "C5", 7.0)
    assert res.full[0, 1] > res.baseline[0, 1]
    others = [k for k in range(2, 6)]
    assert (res.full[others, 1] < res.baseline[others, 1]).all()       # C1 buys less from everyone else
    div = res.diversion(5)
    assert (div.iloc[0]["exporter"], div.iloc[0]["importer"]) == ("C0", "C1")


def test_bad_input_and_non_convergence_are_reported():
    tau, Y, E = _random_economy(2, 4)
    names = ["A", "B", "C", "D"]
    with pytest.raises(InputError, match="reference country 'ZZZ'"):
        ge.counterfactual(names, tau, tau, Y, E, "ZZZ")
    bad = tau.copy()
    bad[0, 1] = -1
    with pytest.raises(InputError, match="non-negative"):
        ge.counterfactual(names, tau, bad, Y, E, "A")
    with pytest.raises(InputError, match="not both zero; wrong for B"):
        ge.counterfactual(names, tau, tau, np.array([1.0, 0.0, 2.0, 3.0]), np.array([1.0, 0.0, 2.0, 3.0]), "A")
    with pytest.raises(InputError, match="non-negative"):
        ge.counterfactual(names, tau, tau, np.array([1.0, -1.0, 2.0, 3.0]), E, "A")
    with pytest.raises(InputError, match="sigma"):
        ge.counterfactual(names, tau, tau, Y, E, "A", sigma=1.0)
    with pytest.raises(ge.NotConverged, match="no convergence in 2 iterations"):
        ge.resistances(tau, Y, E, 0, tol=1e-15, max_iter=2)


@needs_gravity
def test_trade_without_borders_reproduces_the_book():
    from multipolar.gravity.replicate import replicate
    r = replicate("yotov2016-borders", SHARED / "gravity")
    for k, v in BOOK_COEF.items():
        assert r.fit.coef[k] == pytest.approx(v, abs=2e-6), k
    assert r.fit.nobs == 4761 and r.fit.dropped.empty                 # as in the book's log: nothing excluded
    t = r.table.set_index("country")
    for c, v in BOOK_XI_CDL.items():
        assert t.loc[c, "change_Xi_CDL"] == pytest.approx(v, abs=1e-3), c
    assert list(r.table.columns) == ["country", "change_Xi_CDL", "change_Xi_FULL", "change_price_FULL", "change_IMR_FULL", "change_rGDP_FULL"]
    assert t.loc["DEU", "change_IMR_FULL"] == pytest.approx(0, abs=1e-9)       # the numeraire
    assert (t["change_Xi_FULL"] > 0).all()                                  # removing the border raises every country's exports


@needs_gravity
def test_solver_agrees_with_gegravity_to_1e4():
    """Issue 7's bar: the same data and coefficients in the GE package on PyPI (gegravity 0.3) and in
    multipolar's solver (its ``fixed-shares`` formulation) give the same changes to 1e-4 pp."""
    pytest.importorskip("gegravity", reason="gegravity is in the test extra: uv pip install -e '.[test]'")
    from multipolar.gravity.replicate import GEGRAVITY_COLUMNS, against_gegravity
    chk = against_gegravity(SHARED / "gravity" / "Chapter2Application1.dta")
    assert chk.conditional_omr_diff < 1e-4
    for m in GEGRAVITY_COLUMNS:
        assert chk.max_diff(m) < 1e-4, m
    # where gegravity's root finder returns a negative price (a change below -100%), it is the other
    # root of the same equation p^(1-σ) = Ω/Ω' (σ - 1 = 6 is even): |p̂| is ours
    t = chk.table[(chk.table["measure"] == "change_price_FULL") & chk.table["negative_root"]]
    assert len(t) <= 5
    np.testing.assert_allclose(-(t["gegravity"] / 100 + 1), t["multipolar"] / 100 + 1, atol=1e-6)
    assert (t["multipolar"] > -100).all()


def test_fixed_shares_formulation_and_its_difference_from_the_iterative_one():
    tau, Y, E = _random_economy(3, 8)
    tau1 = tau.copy()
    tau1[0, 1:] *= 0.3                                   # country 0's exports get dearer
    it = ge.counterfactual([f"C{i}" for i in range(8)], tau, tau1, Y, E, "C7", 7.0, tol=1e-12)
    fs = ge.counterfactual([f"C{i}" for i in range(8)], tau, tau1, Y, E, "C7", 7.0, tol=1e-12, endowment="fixed-shares")
    # resistances are the conditional ones; prices solve p^(1-σ) = Ω/Ω'
    np.testing.assert_allclose(fs.omr["FULL"], fs.omr["CDL"])
    np.testing.assert_allclose(fs.price_change ** (1 - 7.0), fs.omr["BLN"] / fs.omr["CDL"], rtol=1e-12)
    assert fs.price_change[0] < 1 and it.price_change[0] < 1          # both: the shocked exporter's price falls
    assert not np.allclose(fs.price_change, it.price_change)         # but they are different models
    np.testing.assert_allclose(it.conditional, fs.conditional)       # which share the conditional equilibrium
    with pytest.raises(InputError, match="endowment must be one of"):
        ge.counterfactual([f"C{i}" for i in range(8)], tau, tau1, Y, E, "C7", endowment="one-step")


@needs_gravity
def test_nafta_application_sample_and_direction():
    from multipolar.gravity.replicate import replicate
    r = replicate("yotov2016-nafta", SHARED / "gravity")
    # the estimation sample of the book's log (RTAsEffects.log): 28,482 observations, 84 excluded (pairs that never trade)
    assert r.fit.nobs == 28482
    assert r.fit.dropped["rows"].sum() == 84
    assert 0.3 < r.fit.coef["RTA"] < 0.8
    t = r.table.set_index("country")
    for c in ("USA", "CAN", "MEX"):
        assert t.loc[c, "change_rGDP_FULL"] < 0 and t.loc[c, "change_Xi_FULL"] < 0
    outside = t.drop(index=["USA", "CAN", "MEX"])
    assert (outside["change_rGDP_FULL"].abs() < t.loc[["CAN", "MEX"], "change_rGDP_FULL"].abs().min()).all()


@needs_gravity
def test_cli_replicate_writes_the_books_layout(tmp_path):
    from typer.testing import CliRunner

    from multipolar.cli import app
    out = tmp_path / "borders.csv"
    res = CliRunner().invoke(app, ["gravity", "replicate", "yotov2016-borders", "--out", str(out), "--data", str(SHARED / "gravity")])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out)
    assert list(df.columns) == ["country", "change_Xi_CDL", "change_Xi_FULL", "change_price_FULL", "change_IMR_FULL", "change_rGDP_FULL"]
    assert len(df) == 69
    res = CliRunner().invoke(app, ["gravity", "replicate", "yotov2099"])
    assert res.exit_code != 0 and "unknown application" in res.output


def test_monte_carlo_intervals_cover_the_point_estimate_and_widen_with_uncertainty():
    tau, Y, E = _random_economy(3, 8)
    names = [f"C{i}" for i in range(8)]
    shock = np.zeros((8, 8))
    shock[0, 1:] = shock[1:, 0] = 1
    dist = tau ** -1.0

    def costs(b):
        base = b["ln_dist"] * np.log(dist)
        return np.exp(base), np.exp(base + b["sanction"] * shock)
    coef = pd.Series({"ln_dist": -1.0, "sanction": -1.0})
    point = ge.counterfactual(names, *costs(coef), Y, E, "C7").table().set_index("country")
    narrow = ge.monte_carlo(names, costs, coef, pd.DataFrame(np.diag([1e-4, 1e-4]), coef.index, coef.index), Y, E, "C7", draws=40)
    wide = ge.monte_carlo(names, costs, coef, pd.DataFrame(np.diag([0.04, 0.25]), coef.index, coef.index), Y, E, "C7", draws=40)
    g = narrow[narrow["measure"] == "change_rGDP_FULL"].set_index("country")
    assert ((g["q05"] <= point["change_rGDP_FULL"] + 1e-6) & (point["change_rGDP_FULL"] <= g["q95"] + 1e-6)).all()
    w = wide[wide["measure"] == "change_rGDP_FULL"].set_index("country")
    assert ((w["q95"] - w["q05"]) > (g["q95"] - g["q05"])).all()
    assert w.loc["C0", "q95"] < 0                      # the sanctioned state loses in (nearly) every draw


def _pair_panel(never: bool):
    rng = np.random.default_rng(5)
    names = [f"C{i:02d}" for i in range(12)]
    xy = rng.uniform(0, 10, (12, 2))
    rows, pair_u = [], {}
    for a in range(12):
        for b in range(12):
            if a == b:
                continue
            key = tuple(sorted((a, b)))
            pair_u.setdefault(key, rng.normal(0, 0.8))
            dist = float(np.hypot(*(xy[a] - xy[b]))) + 0.5
            for y in range(2015, 2020):
                rta = float((a + b + y) % 3 == 0)
                mu = np.exp(8 + 0.3 * a - 0.2 * b - 1.0 * np.log(dist) + pair_u[key] + 0.5 * rta)
                rows.append({"exporter": names[a], "importer": names[b], "year": y, "trade": float(rng.poisson(mu)),
                             "ln_dist": np.log(dist), "contig": float(dist < 2), "comlang": float((a + b) % 4 == 0), "colony": 0.0, "rta": rta})
    d = pd.DataFrame(rows)
    if never:
        d.loc[d["exporter"].isin(["C00", "C01"]) & d["importer"].isin(["C00", "C01"]), "trade"] = 0.0
    d["pair"] = np.where(d["exporter"] < d["importer"], d["exporter"] + "-" + d["importer"], d["importer"] + "-" + d["exporter"])
    d["exp_year"], d["imp_year"] = d["exporter"] + d["year"].astype(str), d["importer"] + d["year"].astype(str)
    from multipolar.gravity import estimate
    f = estimate.ppml(d, "trade", ["rta"], ["exp_year", "imp_year", "pair"], cluster="pair")
    f.pair_effects = True
    return d, f


def test_sector_baseline_with_pair_effects_reproduces_the_ppml_fit():
    """With pair fixed effects, the base year's GE flows equal the PPML fitted values (the pair
    effects enter the costs); a pair that never trades gets its effect from the second stage."""
    from multipolar.gravity import panel
    d, f = _pair_panel(never=False)
    assert f.coef["rta"] == pytest.approx(0.5, abs=0.05)
    bl = panel.baseline(d, 2019, fit=f)
    assert "0 that never traded" in bl.notes[0]
    ref = bl.countries.index("C05")
    tau = bl.costs(f.coef)
    X = ge.flows(tau, bl.Y, bl.E, ge.resistances(tau, bl.Y, bl.E, ref))
    u = f.used[f.used["year"] == 2019]
    fitted = panel.matrix(u, bl.countries, u["fitted"])
    on = panel.matrix(u, bl.countries, np.ones(len(u))) > 0
    np.testing.assert_allclose(X[on], fitted[on], rtol=1e-5)
    # without the pair effects (costs from the regressors alone) the baseline misses the fit
    tau0 = panel.Baseline(bl.countries, bl.rows, bl.X, bl.Y, bl.E).costs(f.coef)
    X0 = ge.flows(tau0, bl.Y, bl.E, ge.resistances(tau0, bl.Y, bl.E, ref))
    assert np.max(np.abs(X0[on] / fitted[on] - 1)) > 0.1
    # a pair that never trades in the fit years: its effect predicted, so a shock can open it
    d, f = _pair_panel(never=True)
    bl = panel.baseline(d, 2019, fit=f)
    assert "2 that never traded" in bl.notes[0]                     # both directions of C00-C01
    tau = bl.costs(f.coef)
    i, j = bl.countries.index("C00"), bl.countries.index("C01")
    assert tau[i, j] > 0 and tau[j, i] > 0
    # a state whose every pair lacks a cost variable: no pair effect at all, so it is left out, and said
    d.loc[(d["exporter"] == "C11") | (d["importer"] == "C11"), "rta"] = np.nan
    from multipolar.gravity import estimate
    f = estimate.ppml(d, "trade", ["rta"], ["exp_year", "imp_year", "pair"], cluster="pair")
    f.pair_effects = True
    bl = panel.baseline(d, 2019, fit=f)
    assert "C11" not in bl.countries and len(bl.countries) == 11 and "left out of the equilibrium" in bl.notes[-1]
    tau = bl.costs(f.coef)
    r = ge.resistances(tau, bl.Y, bl.E, 0)
    assert np.isfinite(r.omr).all() and np.isfinite(r.imr).all()


def test_a_fit_is_read_back_from_the_cache_only_for_the_same_rows_and_specification(tmp_path, monkeypatch):
    from multipolar.gravity import estimate
    rng = np.random.default_rng(3)
    rows = [(e, i, rng.uniform(0.5, 3.0)) for e in "ABCDEFG" for i in "ABCDEFG" if e != i]
    df = pd.DataFrame(rows, columns=["exporter", "importer", "ldist"])
    df["pair"] = df["exporter"] + df["importer"]
    df["trade"] = rng.poisson(np.exp(4 - 0.9 * df["ldist"])).astype(float)
    monkeypatch.setenv("MULTIPOLAR_CACHE", str(tmp_path / "cache"))
    first = estimate.ppml(df, "trade", ["ldist"], ["exporter", "importer"])
    again = estimate.ppml(df, "trade", ["ldist"], ["exporter", "importer"])
    assert not any("cache" in n for n in first.notes) and any("read from the cache" in n for n in again.notes)
    pd.testing.assert_series_equal(first.coef, again.coef)
    pd.testing.assert_frame_equal(first.used, again.used)
    assert len(list((tmp_path / "cache" / "gravity-fits").glob("*.pkl"))) == 1
    changed = df.copy()
    changed.loc[0, "trade"] += 1                                     # one cell: a new fit
    other = estimate.ppml(changed, "trade", ["ldist"], ["exporter", "importer"])
    assert not any("cache" in n for n in other.notes)
    looser = estimate.ppml(df, "trade", ["ldist"], ["exporter", "importer"], tol=1e-6)    # another specification
    assert not any("cache" in n for n in looser.notes)
    monkeypatch.setenv("MULTIPOLAR_CACHE", "off")
    assert not any("cache" in n for n in estimate.ppml(df, "trade", ["ldist"], ["exporter", "importer"]).notes)
