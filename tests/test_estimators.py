"""One estimator contract (issue 13, point 3): ideal points, the two bloc methods, PPML gravity and the
GE model are scikit-learn estimators. scikit-learn's own parameter checks run on each; ``clone`` works;
``fit`` returns the estimator and what it learns ends in ``_``; ``transform`` / ``predict`` do what
their docstrings say, on small simulated data (a few seconds in all)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import (check_get_params_invariance, check_no_attributes_set_in_init,
                                            check_parameters_default_constructible, check_set_params)

from multipolar.dimensions.idealpoints import DynamicOrdinalIdealPoints
from multipolar.gravity.estimate import PPML
from multipolar.gravity.ge import StructuralGravity
from multipolar.structure.communities import IdealPointBlocs, NetworkBlocs
from test_idealpoints import simulate

CHECKS = [check_parameters_default_constructible, check_get_params_invariance, check_set_params, check_no_attributes_set_in_init]


# -- small data, one per estimator -----------------------------------------------------------------
def _votes():
    votes, _ = simulate(n_states=40, n_years=6, per_year=25, seed=1)
    return votes


def _ideal_points(seed=1):
    rng = np.random.default_rng(seed)
    codes = ["USA", "CHN"] + [f"S{i:02d}" for i in range(30)]
    theta = np.r_[2.5, -1.0, rng.normal(0, 1, 30)]
    return pd.DataFrame({"code": codes, "year": 2019, "ideal_point": theta, "se": rng.uniform(0.02, 0.4, len(codes))})


def _pairs(seed=2):
    """Two camps: ties of about +0.4 inside, -0.3 across, noise 0.1; the United States in camp 0, China in 1."""
    rng = np.random.default_rng(seed)
    codes = ["USA", "CHN"] + [f"C{i:02d}" for i in range(16)]
    camp = {c: i % 2 for i, c in enumerate(codes)}
    pairs = [(a, b) for i, a in enumerate(codes) for b in codes[i + 1:]]
    w = np.array([0.4 if camp[a] == camp[b] else -0.3 for a, b in pairs]) + rng.normal(0, 0.1, len(pairs))
    return pd.DataFrame({"code_a": [a for a, _ in pairs], "code_b": [b for _, b in pairs], "year": 2019, "closeness": w,
                         "closeness_lo": w - 0.05, "closeness_hi": w + 0.05}), camp


def _panel(seed=3):
    """A two-year gravity panel of 8 countries: flows Poisson around exp(5 - ln dist + 0.5 rta + effects)."""
    rng = np.random.default_rng(seed)
    names = [f"C{i}" for i in range(8)]
    pos = rng.uniform(0, 10, (8, 2))
    rows = []
    for y in (2018, 2019):
        for a in range(8):
            for b in range(8):
                if a != b:
                    dist = 1 + np.hypot(*(pos[a] - pos[b]))
                    rta = float(rng.random() < 0.3)
                    mu = np.exp(5 + 0.2 * a - 0.1 * b - np.log(dist) + 0.5 * rta)
                    rows.append({"exporter": names[a], "importer": names[b], "year": y, "trade": float(rng.poisson(mu)),
                                 "ln_dist": np.log(dist), "rta": rta})
    d = pd.DataFrame(rows)
    d["pair"] = np.where(d["exporter"] < d["importer"], d["exporter"] + "-" + d["importer"], d["importer"] + "-" + d["exporter"])
    d["exp_year"], d["imp_year"] = d["exporter"] + d["year"].astype(str), d["importer"] + d["year"].astype(str)
    return d


def _world(n=6, seed=4):
    rng = np.random.default_rng(seed)
    names = [f"C{i}" for i in range(n)]
    tau = np.exp(-rng.uniform(0.5, 3, (n, n)))
    np.fill_diagonal(tau, 1.0)
    flows = rng.uniform(1, 10, (n, n)) * tau
    return pd.DataFrame(tau, names, names), pd.DataFrame(flows, names, names)


def _fitting_cases():
    """(estimator, fit arguments) for each of the five."""
    costs, flows = _world()
    return [
        (DynamicOrdinalIdealPoints(omega=0.15), (_votes(),)),
        (IdealPointBlocs(draws=50), (_ideal_points(),)),
        (NetworkBlocs(draws=6, jobs=1), (_pairs()[0],)),
        (PPML(regressors=("ln_dist", "rta"), fixed_effects=("exp_year", "imp_year")), (_panel(),)),
        (StructuralGravity(reference="C0"), (costs, flows)),
    ]


ESTIMATORS = [DynamicOrdinalIdealPoints(omega=0.15), IdealPointBlocs(draws=50), NetworkBlocs(draws=6, jobs=1),
              PPML(regressors=("ln_dist", "rta")), StructuralGravity(reference="C0")]
NAMES = [type(e).__name__ for e in ESTIMATORS]


# -- the contract ------------------------------------------------------------------------------------
@pytest.mark.parametrize("check", CHECKS, ids=[c.__name__ for c in CHECKS])
@pytest.mark.parametrize("est", ESTIMATORS, ids=NAMES)
def test_scikit_learns_parameter_checks(est, check):
    check(type(est).__name__, est)


@pytest.mark.parametrize("est", ESTIMATORS, ids=NAMES)
def test_clone_is_an_unfitted_copy_with_the_same_parameters(est):
    c = clone(est)
    assert c is not est and type(c) is type(est)
    assert c.get_params() == est.get_params()
    assert c.set_params(seed=7).get_params()["seed"] == 7 if "seed" in c.get_params() else True
    assert est.get_params() == clone(est).get_params()          # cloning the copy did not touch the original


@pytest.fixture(scope="module")
def fitted():
    out = []
    for est, args in _fitting_cases():
        params, before = est.get_params(), set(vars(est))
        res = est.fit(*args)
        out.append((est, res, params, before, args))
    return out


def test_fit_returns_the_estimator_and_learns_only_underscored_attributes(fitted):
    for est, res, params, before, _ in fitted:
        name = type(est).__name__
        assert res is est, name
        learned = set(vars(est)) - before
        assert learned, name
        assert all(k.endswith("_") and not k.startswith("_") for k in learned), (name, sorted(learned))
        assert est.get_params() == params, name                   # fit does not change the parameters
        c = clone(est)
        assert not any(hasattr(c, k) for k in learned), name      # a clone of a fitted estimator is unfitted


@pytest.mark.parametrize("method", ["transform", "predict"])
def test_transform_and_predict_need_a_fit(method):
    for est in ESTIMATORS:
        if hasattr(est, method):
            with pytest.raises(NotFittedError):
                getattr(clone(est), method)(pd.DataFrame({"x": [1.0]}))


# -- what transform and predict mean -----------------------------------------------------------------
def test_ideal_points_transform_places_states_given_the_fitted_items():
    votes = _votes()
    m = DynamicOrdinalIdealPoints(omega=0.15).fit(votes)
    placed = m.transform(votes).merge(m.ideal_points_, on=["state", "year"], suffixes=("", "_fit"))
    assert len(placed) == len(m.ideal_points_)
    # on the votes of the fit: the fitted points, up to the fit's convergence tolerance (rms change 0.005)
    assert np.corrcoef(placed["ideal_point"], placed["ideal_point_fit"])[0, 1] > 0.999
    assert np.abs(placed["ideal_point"] - placed["ideal_point_fit"]).max() < 0.05
    assert np.allclose(placed["se"], placed["se_fit"], rtol=0.05)
    # items held, states are independent: placing half of them gives the same points for that half
    half = sorted(votes["state"].unique())[:20]
    part = m.transform(votes[votes["state"].isin(half)]).merge(m.transform(votes), on=["state", "year"])
    np.testing.assert_allclose(part["ideal_point_x"], part["ideal_point_y"], atol=1e-6)
    # a state that votes like another lands where it does
    twin = votes[votes["state"] == "S000"].assign(state="TWIN")
    t = m.transform(twin).set_index("year")["ideal_point"]
    s0 = m.transform(votes[votes["state"] == "S000"]).set_index("year")["ideal_point"]
    np.testing.assert_allclose(t, s0)
    with pytest.raises(Exception, match="none of them is on an item of the fit"):
        m.transform(votes.assign(item="unknown"))
    # a year the fit does not have takes the nearest fitted year's mean as its prior centre, not the scale's origin
    last = votes[(votes["state"] == "S000") & (votes["year"] == votes["year"].max())]
    assert abs(m._year_means().iloc[-1]) > 1e-3
    here = m.transform(last)["ideal_point"].iloc[0]
    beyond = m.transform(last.assign(year=last["year"] + 100))
    assert beyond["year"].iloc[0] == votes["year"].max() + 100
    assert beyond["ideal_point"].iloc[0] == pytest.approx(here, abs=1e-6)


def test_ideal_point_blocs_predict_places_states_against_the_fitted_span():
    ip = _ideal_points()
    b = IdealPointBlocs(draws=200).fit(ip)
    fitted = b.probabilities_.pivot(index="code", columns="bloc", values="probability").loc[ip["code"], list(b.classes_)]
    proba = b.predict_proba(ip)
    assert proba.shape == (len(ip), 3) and np.allclose(proba.sum(axis=1), 1)
    # fresh draws, the same split: clear memberships come back, probabilities within sampling noise
    clear = fitted.max(axis=1).to_numpy() >= 0.95
    assert clear.sum() >= 10
    assert (b.predict(ip)[clear] == fitted.idxmax(axis=1).to_numpy()[clear]).all()
    assert np.abs(proba - fitted.to_numpy()).max() < 0.2
    assert list(b.predict(ip.iloc[:2])) == ["US-leaning", "China-leaning"]
    # a new state next to the US is US-leaning, one next to China China-leaning, one at the midpoint in between
    new = pd.DataFrame({"code": ["X", "Y"], "ideal_point": [2.4, -1.1], "se": [0.05, 0.05]})
    assert list(b.predict(new)) == ["US-leaning", "China-leaning"]
    with pytest.raises(Exception, match="one year at a time"):
        IdealPointBlocs().fit(pd.concat([ip, ip.assign(year=2020)]))


def test_network_blocs_predict_assigns_states_to_the_fitted_blocs():
    pairs, camp = _pairs()
    nb = NetworkBlocs(draws=10, jobs=1).fit(pairs)
    assert nb.blocs_["USA"] == "Western" and nb.blocs_["CHN"] == "China"
    assert all((nb.blocs_[c] == nb.blocs_["USA"]) == (camp[c] == camp["USA"]) for c in camp)
    pred = nb.predict(pairs)
    assert (pred.reindex(nb.blocs_.index) == nb.blocs_).all()
    # a new state close to the US's camp and opposed to China's joins the Western bloc
    new = pd.DataFrame({"code_a": ["ZZZ"] * len(camp), "code_b": list(camp), "closeness": [0.5 if camp[c] == camp["USA"] else -0.4 for c in camp]})
    assert nb.predict(new)["ZZZ"] == "Western"


def test_ppml_predict_gives_the_fitted_flows():
    d = _panel()
    m = PPML(regressors=("ln_dist", "rta"), fixed_effects=("exp_year", "imp_year")).fit(d)
    assert m.coef_["rta"] == pytest.approx(0.5, abs=0.25) and m.coef_["ln_dist"] == pytest.approx(-1.0, abs=0.25)
    np.testing.assert_allclose(m.predict(m.used_), m.used_["fitted"], rtol=1e-4)
    # an RTA multiplies the expected flow by exp(b_rta)
    row = m.used_[m.used_["rta"] == 0].head(1)
    np.testing.assert_allclose(m.predict(row.assign(rta=1.0)) / m.predict(row), np.exp(m.coef_["rta"]), rtol=1e-6)
    assert m.result_.coef is m.coef_ and m.result_.nobs == m.nobs_


def test_ge_predict_is_the_counterfactual_of_new_costs():
    costs, flows = _world()
    m = StructuralGravity(reference="C0").fit(costs, flows)
    np.testing.assert_allclose(m.output_, flows.sum(axis=1)) and np.testing.assert_allclose(m.expenditure_, flows.sum(axis=0))
    # the fitted baseline adds up to the output and expenditure it was given
    np.testing.assert_allclose(m.flows_.sum(axis=1), m.output_, rtol=1e-8)
    np.testing.assert_allclose(m.flows_.sum(axis=0), m.expenditure_, rtol=1e-8)
    # no change in costs: no change in flows; a cheaper route carries more
    np.testing.assert_allclose(m.predict(costs), m.flows_, rtol=1e-8)
    cheaper = costs.copy()
    cheaper.iloc[1, 2] *= 2.0
    new = m.predict(cheaper)
    assert new[1, 2] > m.flows_[1, 2] * 1.5
    # the same as the one-call form
    from multipolar.gravity import ge
    one = ge.counterfactual(list(costs.index), costs.to_numpy(), cheaper.to_numpy(), m.output_, m.expenditure_, "C0")
    np.testing.assert_array_equal(one.full, new)
    with pytest.raises(Exception, match="reference country 'ZZZ'"):
        StructuralGravity(reference="ZZZ").fit(costs, flows)


# -- the checks can fail ------------------------------------------------------------------------------
class _ValidatesInInit(IdealPointBlocs):
    """Breaks the contract: checks and converts a parameter in ``__init__``."""

    def __init__(self, tau=1 / 3, draws=200, seed=0, scale="rank", cut="side"):
        if cut not in ("band", "side"):
            raise ValueError(cut)
        super().__init__(tau, draws, seed, scale, cut.lower())


class _LearnsInInit(NetworkBlocs):
    """Breaks the contract: sets a learned attribute in ``__init__``."""

    def __init__(self, draws=200, seed=0, noise=0.05, jobs=None):
        super().__init__(draws, seed, noise, jobs)
        self.classes_ = []


def test_the_checks_catch_an_estimator_that_breaks_the_contract():
    with pytest.raises(AssertionError):
        check_no_attributes_set_in_init("_LearnsInInit", _LearnsInInit())
    bad = _ValidatesInInit().set_params(cut="middle")       # set_params does not run __init__ ...
    with pytest.raises(ValueError):
        clone(bad)                                           # ... so the check only fires in a clone (a grid search's copy)
    with pytest.raises(RuntimeError, match="modifies parameter cut"):
        clone(_ValidatesInInit(cut="side"))                  # the constructor rewrote a parameter: clone refuses it
    for check in CHECKS:                                     # the real ones pass the same checks
        check("NetworkBlocs", NetworkBlocs())
