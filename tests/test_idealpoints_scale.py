"""The ideal-point scale stays comparable across years: a simulated UN with the real votes' structure.

A smaller simulation than ``benchmarks/idealpoints_sim.py`` (fewer states; the same years, waves of
members, roll calls per year, repeated resolutions, lopsided votes, absences, drift and shrinking
spread), fitted with the default parameters as ``multipolar idealpoints`` fits it. The bars are the
ones of issue 18: pooled r >= 0.97, within-year r >= 0.98 (median over the years), each decade's
spread within 10% of the truth's.
"""
import numpy as np
import pytest

from idealpoint_sim import scale_figures, simulate_un
from multipolar.dimensions.idealpoints import DynamicOrdinalIdealPoints

N_STATES, SEED = 130, 4


@pytest.fixture(scope="module")
def sim():
    return simulate_un(n_states=N_STATES, seed=SEED)


@pytest.fixture(scope="module")
def figures(sim):
    votes, truth = sim
    m = DynamicOrdinalIdealPoints().fit(votes)
    assert m.converged_
    return scale_figures(m.ideal_points_, truth)


def test_the_simulation_has_the_structure_that_moves_the_scale(sim):
    votes, truth = sim
    per_year = truth.groupby("year")["true"].agg(["size", "std", "mean"])
    assert per_year["size"].loc[1946] < 0.4 * per_year["size"].loc[2000]          # membership grows in waves
    assert per_year["std"].loc[2000:2010].mean() < 0.85 * per_year["std"].loc[1975:1984].mean()   # the spread shrinks after 1990
    assert per_year["mean"].loc[2015:].mean() - per_year["mean"].loc[1960:1969].mean() > 0.5      # the whole distribution drifts
    rc = votes.groupby("rcid").agg(year=("year", "first"), item=("item", "first"))
    repeated = rc["item"].str.startswith("C")
    assert repeated[rc["year"] < 1980].mean() < 0.15 and repeated[rc["year"] >= 1990].mean() > 0.4   # bridging as in the real data
    assert set(votes["vote"].unique()) == {1, 2, 3}
    voters = votes.groupby(["rcid"])["state"].nunique()
    members = truth.groupby("year").size().reindex(rc["year"]).to_numpy()
    assert (voters.to_numpy() < members).mean() > 0.9                             # absences: most roll calls miss someone


def test_the_fit_recovers_the_truth_within_and_across_years(figures):
    f = figures
    assert f["pooled_r"] >= 0.97, f
    assert f["within_r_median"] >= 0.98, f


def test_each_decades_spread_is_within_ten_percent(figures):
    assert figures["spread_worst"] <= 0.10, figures["spread_ratio"]


def test_the_model_before_issue_18_misses_on_the_same_votes(sim):
    # the simulation is hard in the way the real votes are: item priors counted once per item, no level
    # prior and a strong cut-point prior let the spread follow the bridging (wide before 1980, narrow after)
    votes, truth = sim
    old = DynamicOrdinalIdealPoints(omega=0.16, item_prior_weight="item", prior_level=None, prior_alpha=5.0).fit(votes)
    f = scale_figures(old.ideal_points_, truth)
    ratio = f["spread_ratio"]
    assert f["spread_worst"] > 0.15 and ratio[1950] > ratio[2000] + 0.2, ratio
