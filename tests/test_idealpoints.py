"""The dynamic ordinal ideal-point estimator on data simulated from the model itself."""
import numpy as np
import pandas as pd
import pytest

from multipolar.dimensions.idealpoints import DynamicOrdinalIdealPoints, bridge_items


def simulate(n_states=120, n_years=30, per_year=60, omega=0.15, seed=3, bridge_share=0.1):
    """Votes from the model: random-walk ideal points, ordinal probit items, some repeated across years."""
    rng = np.random.default_rng(seed)
    theta = np.cumsum(np.vstack([rng.normal(0, 1, n_states), rng.normal(0, omega, (n_years - 1, n_states))]), axis=0)
    items, shared, rows = [], [], []
    for y in range(n_years):
        for k in range(per_year):
            if shared and rng.random() < bridge_share:
                items.append((y, shared[rng.integers(len(shared))]))
                continue
            it = (f"{y}-{k}", rng.normal(0, 1), rng.normal(1.0, 0.5) * rng.choice([-1, 1]),
                  rng.uniform(0.3, 1.0) if rng.random() < 0.6 else np.inf)
            items.append((y, it))
            if rng.random() < 0.2:
                shared.append(it)
    states = [f"S{s:03d}" for s in range(n_states)]
    for y, (name, a, b, t) in items:
        ystar = b * theta[y] - a + rng.normal(0, 1, n_states)
        rows.append(pd.DataFrame({"state": states, "year": 1946 + y, "item": name,
                                  "vote": np.where(ystar < 0, 1, np.where(ystar < t, 2, 3))}))
    truth = pd.DataFrame({"state": np.tile(states, n_years), "year": np.repeat(1946 + np.arange(n_years), n_states), "true": theta.ravel()})
    return pd.concat(rows, ignore_index=True), truth


@pytest.fixture(scope="module")
def fitted():
    votes, truth = simulate()
    anchor = truth.groupby("state")["true"].mean().idxmax()
    m = DynamicOrdinalIdealPoints(omega=0.15, anchor=anchor).fit(votes)
    return m, m.ideal_points_.merge(truth, on=["state", "year"])


def test_recovers_the_true_ideal_points(fitted):
    _, r = fitted
    assert np.corrcoef(r["ideal_point"], r["true"])[0, 1] >= 0.97
    within = r.groupby("year")[["ideal_point", "true"]].apply(lambda g: np.corrcoef(g.ideal_point, g.true)[0, 1])
    assert within.min() > 0.95          # no year comes out mirrored


def test_90_percent_intervals_cover_about_90_percent(fitted):
    # the latent scale is identified up to an affine map: put the estimates on the truth's scale first
    _, r = fitted
    slope, icpt = np.polyfit(r["ideal_point"], r["true"], 1)
    lo, hi = slope * r["lo"] + icpt, slope * r["hi"] + icpt
    cover = ((r["true"] >= np.minimum(lo, hi)) & (r["true"] <= np.maximum(lo, hi))).mean()
    assert 0.85 <= cover <= 0.95, cover


def test_learned_attributes_follow_the_estimator_contract(fitted):
    m, _ = fitted
    assert {"state", "year", "ideal_point", "se", "lo", "hi", "n_votes"} <= set(m.ideal_points_.columns)
    assert {"item", "alpha", "beta", "tau"} <= set(m.items_.columns)
    assert (m.ideal_points_["se"] > 0).all() and m.n_iter_ >= 1
    assert not hasattr(DynamicOrdinalIdealPoints(), "ideal_points_")   # __init__ only stores parameters


def test_the_same_votes_in_another_order_give_the_same_numbers():
    # the Newton steps stop within a tolerance, and where they stop used to depend on the order of the votes
    # (up to 0.012 on the real votes): the estimator now sorts them first, so a rebuild gives the same numbers
    votes, _ = simulate(n_states=40, n_years=8, per_year=30, seed=5)
    a = DynamicOrdinalIdealPoints(omega=0.15).fit(votes)
    b = DynamicOrdinalIdealPoints(omega=0.15).fit(votes.sample(frac=1, random_state=1).reset_index(drop=True))
    pd.testing.assert_frame_equal(a.ideal_points_, b.ideal_points_, check_exact=True)
    pd.testing.assert_frame_equal(a.items_, b.items_, check_exact=True)


def test_bridge_items_links_the_same_resolution_across_sessions_only():
    rc = pd.DataFrame({
        "rcid": [1, 2, 3, 4, 5, 6, 7],
        "session": [47, 48, 48, 49, 49, 50, 50],
        "amend": [0, 0, 1, None, None, None, None], "para": [0, 0, 0, None, None, None, None],
        "short": ["CUBA, U.S. EMBARGO", "CUBA, U.S. EMBARGO", "CUBA, U.S. EMBARGO", None, "HUMAN RIGHTS, CUBA", None, None],
        "descr": ["Necessity of ending the economic, commercial and financial embargo imposed by the United States against Cuba",
                  "Necessity of ending the economic, commercial and financial embargo imposed by the United States against Cuba",
                  "TO ADOPT AN AMENDMENT TO THE DRAFT ON THE EMBARGO AGAINST CUBA",
                  "Necessity of ending the economic, commercial and financial embargo imposed by the Unites States of America "
                  "against Cuba : resolution / adopted by the General Assembly",
                  "Situation of human rights in Cuba",
                  "Situation of human rights in Iran",
                  "A/50/251 39 - Necessity of ending the embargo. - CUBA"]})
    items, links = bridge_items(rc, return_links=True)
    assert items[0] == items[1] == items[3]            # the embargo resolution, typo and boilerplate tail included
    assert items[2] != items[0]                        # an amendment keeps its own item
    assert items[4] != items[5]                        # "human rights in Cuba" is not "... in Iran" (3 of 5 words)
    assert items[6].startswith("R")                    # an agenda-item line is not a resolution title
    assert set(links["later"]) <= set(rc["rcid"]) and (links["similarity"] >= 0.5).all()
    # one roll call per session per chain
    chained = rc.assign(item=items.values)
    assert not chained[chained["item"].str.startswith("B")].duplicated(["item", "session"]).any()
