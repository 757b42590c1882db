"""Counterfactuals from observed flows (ge.counterfactual_observed) on small synthetic worlds:
the observed baseline is reproduced, bans stay at zero, zeros stay zero unless a cost falls, missing
observations are filled from the model and flagged."""
from __future__ import annotations

import numpy as np
import pytest

from multipolar.errors import InputError
from multipolar.gravity import ge


def _world(n=6, seed=1, zeros=()):
    rng = np.random.default_rng(seed)
    c = [f"C{k}" for k in range(n)]
    tau = np.exp(-rng.uniform(0.5, 2.0, (n, n)))
    np.fill_diagonal(tau, 0.0)
    X = rng.uniform(1, 100, (n, n)) * tau * 50
    np.fill_diagonal(X, 0.0)
    for i, j in zeros:
        X[i, j] = 0.0
    return c, X, tau


@pytest.mark.parametrize("method", ["observed", "calibrated"])
def test_no_shock_gives_back_the_observed_flows(method):
    c, X, tau = _world(zeros=[(0, 1), (2, 3)])
    r = ge.counterfactual_observed(c, X, tau, tau.copy(), "C0", 7.0, method=method)
    assert np.allclose(r.full, X, rtol=1e-6, atol=1e-9)
    assert np.allclose(r.observed, X)
    assert r.new_pair_share() == 0.0


def test_the_calibrated_baseline_is_the_observed_one():
    c, X, tau = _world(seed=3)
    t1 = tau.copy()
    t1[0, :] *= 0.5
    r = ge.counterfactual_observed(c, X, tau, t1, "C1", 7.0, method="calibrated")
    assert np.allclose(r.solved.baseline, X, rtol=1e-8)
    # the fitted model's baseline differs from the observed flows (it is a fit, not the data)
    assert not np.allclose(r.model.baseline, X, rtol=1e-3)


@pytest.mark.parametrize("method", ["observed", "calibrated", "fitted"])
def test_no_flow_on_a_banned_pair_and_zeros_stay_zero_when_costs_rise(method):
    c, X, tau = _world(n=7, seed=5, zeros=[(3, 4), (4, 3), (5, 6)])
    t1 = tau.copy()
    t1[0, [1, 2]] = 0.0                      # a ban: C0 may not sell to C1, C2
    t1[0, 3:] *= 1.1 ** (1 - 7)              # a 10% friction on C0's other sales
    bans = np.zeros_like(tau, dtype=bool)
    bans[0, [1, 2]] = True
    r = ge.counterfactual_observed(c, X, tau, t1, "C3", 7.0, method=method, banned=bans)
    assert (r.full[bans] == 0).all()
    if method != "fitted":
        assert r.full[3, 4] == 0 and r.full[4, 3] == 0 and r.full[5, 6] == 0
        assert (r.origin == ge.ORIGIN_NEW).sum() == 0 and r.new_pair_share() == 0.0
    f = r.flows()
    assert set(f.columns) >= {"exporter", "importer", "observed_baseline", "model_baseline", "counterfactual", "origin"}
    assert (f.loc[(f["exporter"] == "C0") & f["importer"].isin(["C1", "C2"]), "counterfactual"] == 0).all()


def test_a_zero_pair_whose_cost_falls_trades_and_says_how_much():
    c, X, tau = _world(n=6, seed=7, zeros=[(1, 2)])
    t1 = tau.copy()
    t1[1, 2] *= 0.7 ** (1 - 7)               # a 30% cost cut on a pair that traded nothing
    r = ge.counterfactual_observed(c, X, tau, t1, "C0", 7.0, method="observed")
    assert r.full[1, 2] > 0 and r.origin[1, 2] == ge.ORIGIN_NEW
    share = r.new_pair_share()
    off = ~np.eye(6, dtype=bool)
    assert share == pytest.approx(r.full[1, 2] / (r.full * off).sum())
    assert any("traded nothing" in n for n in r.notes)
    # the new flow is the model's increment on the pair, no more
    assert r.full[1, 2] == pytest.approx(r.model.full[1, 2] - r.model.baseline[1, 2])


def test_missing_observations_are_filled_from_the_model_and_flagged():
    c, X, tau = _world(n=5, seed=9)
    seen = np.ones_like(X, dtype=bool)
    seen[2, 4] = False
    Xn = X.copy()
    Xn[2, 4] = np.nan
    r = ge.counterfactual_observed(c, Xn, tau, tau.copy(), "C0", 7.0, observed=seen)
    assert r.origin[2, 4] == ge.ORIGIN_FIT and r.observed[2, 4] > 0
    assert any("without an observation" in n for n in r.notes)


def test_a_bad_method_is_a_clear_error():
    c, X, tau = _world(n=4)
    with pytest.raises(InputError, match="baseline must be one of observed, calibrated, fitted"):
        ge.counterfactual_observed(c, X, tau, tau, "C0", 7.0, method="ratio")


def test_exact_hat_algebra_clears_the_exporters_sales_and_diverts_most_to_the_least_dependent_buyers():
    """A ban on C0's sales to C1: C0's price falls until its other buyers take its sales; a buyer for whom C0 is a
    small supplier raises its purchases from C0 by more than one that buys mostly from C0 (hat_algebra)."""
    X = np.array([[0, 50, 30, 20, 0],
                  [5, 0, 5, 40, 10],
                  [10, 10, 0, 10, 10],
                  [20, 20, 2, 0, 5],
                  [30, 5, 1, 5, 0]], dtype=float)
    t = np.ones_like(X)
    t[0, 1] = 0.0
    h = ge.hat_algebra(X, t, 7.0)
    assert h.full[0, 1] == 0 and (h.full[X == 0] == 0).all()
    assert np.allclose(h.full.sum(axis=1), h.price_change * X.sum(axis=1), rtol=1e-8)      # sales clear at the new prices
    assert np.allclose(h.full.sum(axis=0), X.sum(axis=0))                                  # the importers' spending is held
    assert h.price_change[0] < 1                                                           # the banned exporter's price falls
    share = X / X.sum(axis=0)
    gain = h.full[0] / np.where(X[0] > 0, X[0], np.nan)
    # C0 supplies 30/32 of C2's purchases and 20/85 of C3's: C3's purchases from C0 rise more
    assert share[0, 2] > share[0, 3] and gain[3] > gain[2] > 1
    # no change in costs: the observed flows back
    assert np.allclose(ge.hat_algebra(X, np.ones_like(X), 7.0).full, X)
