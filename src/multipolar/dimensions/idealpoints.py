r"""Dynamic ordinal ideal points from UN General Assembly votes.

The model
---------
Vote :math:`y_{ij} \in \{1=\text{no}, 2=\text{abstain}, 3=\text{yes}\}` of state-year :math:`i` on
roll call :math:`j` comes from a latent utility difference

.. math:: y^*_{ij} = \beta_j \theta_i - \alpha_j + \varepsilon_{ij}, \quad \varepsilon_{ij} \sim N(0, 1),

with :math:`y = 1` if :math:`y^* < 0`, :math:`y = 2` if :math:`0 \le y^* < \tau_j`, :math:`y = 3` if
:math:`y^* \ge \tau_j` (:math:`\tau_j > 0`; items without abstentions are binary probits).
A state's ideal point follows a random walk across years,
:math:`\theta_{s,t} = \theta_{s,t-1} + \eta`, :math:`\eta \sim N(0, \omega^2 \Delta t)`, with
a level prior :math:`\theta_{s,t} \sim N(\mu_t, \lambda^2)` on every state-year around a free
mean :math:`\mu_t` of its year (``prior_level`` :math:`\lambda = 2`; a state's first year has
:math:`N(\mu_t, 1)` as well), and item priors :math:`\alpha_j \sim N(0, 25^2 / w_j)`,
:math:`\beta_j \sim N(0, 2^2 / w_j)` whose weight :math:`w_j` is the item's number of roll calls,
each counted as its year's states over its year's roll calls, scaled to mean 1 over the items
(``item_prior_weight="state_year"``).
Roll calls on the same resolution in different sessions share :math:`(\alpha, \beta, \tau)`
(*bridging*, see :func:`bridge_items`), which pins down a common drift that item cut-points
would otherwise absorb. Why the priors are what they are: *Identification across years* below.

The method: the posterior mode by alternating Newton steps, then a Laplace approximation
-----------------------------------------------------------------------------------------
The ordinal probit log-likelihood is concave in the linear predictor :math:`m = \beta\theta - \alpha`
and in the cut-point (Pratt 1981, *JASA* 76: 103-106), so each block below is a concave problem
that Newton's method solves in a few steps:

* **Items** (given the ideal points): for each item, a Newton step in :math:`(\alpha_j, \beta_j, \tau_j)`
  with the exact 3x3 Hessian of :math:`\sum_i \log[\Phi(u_{ij}) - \Phi(l_{ij})]` plus the priors, all
  items at once (batched 3x3 solves);
* **Ideal points** (given the items): a Newton step for every state's whole path at once. The
  random walk makes the precision :math:`K + \mathrm{diag}(\sum_j \beta_j^2 w_{ij})` block tridiagonal
  (:math:`w = -\partial^2 \log P / \partial m^2`), one sparse LU solve;
* each step is halved, per item and per state, until its own log posterior does not go down, so
  the iteration is monotone; after each cycle a 2-D move along
  :math:`\theta' = b\theta + c` (which leaves the likelihood unchanged) maximises the priors;
* SQUAREM (Varadhan & Roland 2008, *Scand. J. Statist.* 35: 335-353) extrapolates along
  successive cycles and is kept only when it raises the log posterior.

Why not EM: EM with data augmentation (Imai, Lo & Olmsted 2016, *APSR* 110(4), the ``emIRT``
ordinal and dynamic models) converges linearly, slowest exactly where the information about
:math:`y^*` is low; its dynamic model is binary only. Newton steps on the observed likelihood use
the curvature that EM throws away and reach the mode of all 870,000 votes, 74 years at once, in
about 60 cycles (~18 s on 2 cores), against hours for the MCMC of Bailey, Strezhnev & Voeten (2017,
*JCR* 61(2)). Convergence: the log posterior gains less than ``tol`` (relative, 1e-6) over a
SQUAREM step and the root-mean-square change of the ideal points is under 0.005. That stops short
of the exact mode along the weakly identified directions: on the shared votes (1946-2021, 60
cycles, 13 s) the ideal points lie within 0.010 on average (0.069 at most) of the mode reached with
``tol=1e-10`` (738 cycles, 134 s), well inside their standard errors (about 0.1). The votes are put
in one canonical order before the fit, so the same votes give the same numbers bit for bit, whatever
order they come in.

Uncertainty is a Laplace approximation at the mode: the marginal variances are the diagonal of
the inverse of the ideal points' precision (block tridiagonal, per state) at the mode. They are
conditional on the item parameters; on data simulated from the model, 90% intervals cover
85-95% of the true values (tested; ``benchmarks/idealpoints.py`` prints the figure).

Identification across years (issue 18)
--------------------------------------
Within one year the likelihood of that year's own roll calls does not change when the year's points
are moved as :math:`\theta_t \to b_t \theta_t + c_t` (its items moved to match). Three things tie
:math:`(b_t, c_t)` across years: the roll calls repeated with the same parameters (bridges), the
random walk (it penalises a jump of a whole year, but a slow drift of :math:`b_t, c_t` costs
little: a 1% change of scale a year costs a state :math:`(0.01\,\theta)^2 / \omega^2`), and the
priors. Where the bridges are thin, the priors set each year's scale and level, and the bridges
are thin exactly where the real votes change: 2-13% of the roll calls are repeats in each decade
before 1980, 70-84% from 1990 (``bridge_items`` on the 1946-2021 votes).

*Why the spread shrank* (the model before issue 18: item priors once per item, :math:`N(0, 1)` on
a state's first year only). Dividing year *t*'s points by *b* multiplies its items' :math:`\beta`
by *b*, so the :math:`\beta` prior pushes each year's spread out in proportion to the number of
item priors per state in that year. A year of 1946-1980 has almost only items of its own; a year
after 1990 shares three quarters of its roll calls with other sessions, each chain's prior counted
once over 6-30 sessions: far fewer prior terms per state-year, less push, a smaller spread. On the
1946-2021 votes that model's mean within-year sd is 1.37-1.54 in the 1940s-70s and 0.58-0.72 in
the 1990s-2020s, a ratio of 2.2 where the published dynamic estimate goes from about 1.5 to
1.1-1.25 (1.3). On the simulated UN of ``tests/idealpoint_sim.py`` (truth known) the same model
makes the spread 1.29 times the truth's in the 1940s-50s and 0.88 times it from 1990: the drift
is the model's, not the votes'.

*Why the level drifted.* The :math:`\alpha` prior pulls every cut-point towards 0; moving year
*t*'s points by *c* moves its items' :math:`\alpha` by :math:`\beta c`, so each year's level goes
where its cut-points centre, and how lopsided the votes are changes by decade (contested votes
before 1970, then 85% yes with a Western minority). On the simulated UN the error of the decade
means spans 0.33 truth units (old model) and still 0.41 with the weighted priors and
:math:`N(0, 5^2)` on :math:`\alpha`; 0.18 with :math:`N(0, 25^2)`.

*Why stable Western voters had low over-time correlations* (Sweden and the UK 0.25 against the
published estimate): a state far out on the scale follows the year's :math:`b_t, c_t` (its
estimate is :math:`b_t \theta + c_t`); when its own position barely moves, its estimated path is
mostly the drift of the scale.

*The fix*: (1) item priors weighted per state-year (``item_prior_weight="state_year"``): every year
gets the same item-prior weight per state, bridged or not; (2) a level prior around a free mean of
each year (``prior_level``): it pulls each year's spread in by the same amount per state-year and
leaves its level alone (the first-year prior of an entering state is around the year's mean too);
(3) a weak cut-point prior (``prior_alpha=25``): a year's level comes from the bridges and the
random walk, not from how lopsided its votes are. The spread of a year is then set by its votes
and its bridges against priors that weigh the same in every year. Not done: a fixed scale per year
(sd 1 in every year) would remove the shrinking spread of the 1990s that the bridges show and the
published estimate has; anchoring on reference states assumes they do not move. Measured on the
simulation (``benchmarks/idealpoints_sim.py``, 200 states, 1946-2020, seed 0): pooled r with the
truth 0.984, within-year r median 0.986 (min 0.974), every decade's spread within 6.4% of the
truth's, the error of the decade means spanning 0.18 truth units; the model before issue 18 on the
same votes: pooled r 0.969, spreads 1.29 times the truth's in the 1940s down to 0.88 from 1990,
mean errors spanning 0.33 (seed 2: 0.983, 0.985, within 8.1%; ``tests/test_idealpoints_scale.py``
fits a 130-state version). On the 1946-2021 votes the points within a year hardly change (median
within-year r with the earlier model's points 0.998, minimum 0.986), so the within-year agreement
with other estimates stays where it was; the decade spreads go from 1.37-1.54 (1940s-70s) and
0.58-0.72 (1990s-2020s) to 1.07-1.22 and 0.78-0.99.

Identification of the reported scale: the reported points are mapped to mean 0 and
standard deviation 1 over all state-years (``normalise=True``; items are mapped so the likelihood
is unchanged) and the sign puts the ``anchor`` (the United States) at the high end: the US-led
liberal order high, its challengers low. The random-walk sd ``omega`` is 0.11 per year on the
model scale. The Laplace-EM estimate (``omega="estimate"``: the EM update
:math:`\omega^2 = \mathrm{mean}(E[(\theta_t - \theta_{t-1})^2] / \Delta t)` with Aitken acceleration)
on the 1946-2021 votes is 0.136 with these priors (189 cycles, 36 s); the fit with 0.11 agrees with
it (within-year r with the per-year PCA baseline, median 0.920 against 0.919; decade spreads within
0.06; the over-time correlations of Sweden, the UK, Italy, Japan and Canada with their baseline
paths within 0.03) and converges in 63 cycles instead of 81 for 0.14. On the simulated UN,
omega 0.11 or 0.16 changes the figures by under 0.005.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.linalg import splu
from scipy.optimize import minimize
from scipy.special import log_ndtr, ndtri
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ..errors import InputError

LOG_SQRT_2PI = 0.5 * np.log(2 * np.pi)
TAU_MIN, TAU_MAX = 0.02, 10.0


def _groups(y):
    """Where the no, abstain and yes votes are: slices when ``y`` is sorted (the estimator sorts its
    votes once, so each group is a view), index arrays otherwise."""
    y = np.asarray(y)
    if len(y) and np.all(y[1:] >= y[:-1]):
        a, b = np.searchsorted(y, [2, 3])
        return slice(0, a), slice(a, b), slice(b, len(y))
    return np.flatnonzero(y == 1), np.flatnonzero(y == 2), np.flatnonzero(y == 3)


def _vote_terms(m, tau, y, need_derivs=True, groups=None):
    """Each vote's log-probability and its derivatives in the item's linear predictor m and cut-point tau.

    A vote is the event l < e < u for e ~ N(0, 1): no (-inf, -m), abstain (-m, tau - m), yes
    (tau - m, inf) (binary items have tau = 0). With r_l = phi(l)/Z, r_u = phi(u)/Z and
    Z = Phi(u) - Phi(l): d log Z/dm = r_l - r_u, d2 log Z/dm2 = (l r_l - r_l^2) + 2 r_l r_u + (-u r_u - r_u^2),
    and for tau the same terms of the bound tau enters. Computed in logs (``log_ndtr``), so votes deep
    in a tail stay finite. Returns (logZ, g_m, h_mm, g_tau, h_tt, h_mt) as arrays over the votes.
    """
    no, ab, yes = _groups(y) if groups is None else groups
    logZ = np.empty_like(m)
    u_no = -m[no]
    logZ[no] = log_ndtr(u_no)
    l_yes = tau[yes] - m[yes]
    logZ[yes] = log_ndtr(-l_yes)
    l_ab, u_ab = -m[ab], tau[ab] - m[ab]
    upper = l_ab > 0                                         # both bounds in the upper tail: mirror
    A = log_ndtr(np.where(upper, -l_ab, u_ab))
    B = log_ndtr(np.where(upper, -u_ab, l_ab))
    logZ[ab] = A + np.log(np.maximum(-np.expm1(B - A), 1e-300))
    if not need_derivs:
        return logZ
    g_m, h_mm = np.empty_like(m), np.empty_like(m)
    g_t, h_tt, h_mt = np.zeros_like(m), np.zeros_like(m), np.zeros_like(m)
    # no: only the upper bound u = -m
    r = np.exp(-0.5 * u_no * u_no - LOG_SQRT_2PI - logZ[no])
    g_m[no] = -r
    h_mm[no] = -u_no * r - r * r
    # yes: only the lower bound l = tau - m, which holds the cut-point
    r = np.exp(-0.5 * l_yes * l_yes - LOG_SQRT_2PI - logZ[yes])
    h_ll = l_yes * r - r * r
    g_m[yes], h_mm[yes] = r, h_ll
    g_t[yes], h_tt[yes], h_mt[yes] = -r, h_ll, -h_ll
    # abstain: both bounds; the cut-point is the upper one
    lz = logZ[ab]
    r_l = np.exp(-0.5 * l_ab * l_ab - LOG_SQRT_2PI - lz)
    r_u = np.exp(-0.5 * u_ab * u_ab - LOG_SQRT_2PI - lz)
    h_ll, h_uu, h_lu = l_ab * r_l - r_l * r_l, -u_ab * r_u - r_u * r_u, r_l * r_u
    g_m[ab], h_mm[ab] = r_l - r_u, h_ll + 2 * h_lu + h_uu
    g_t[ab], h_tt[ab], h_mt[ab] = r_u, h_uu, -(h_lu + h_uu)
    return logZ, g_m, h_mm, g_t, h_tt, h_mt


@dataclass
class _Data:
    """The votes as the estimator uses them: integer codes, sorted no, abstain, yes."""
    p: np.ndarray      # state-period index of each vote
    j: np.ndarray      # item index of each vote
    y: np.ndarray      # 1, 2, 3
    n_p: int
    n_j: int
    periods: pd.DataFrame       # state, year of each state-period, sorted
    state_index: np.ndarray     # the state of each state-period (0, 1, ...)
    items: pd.Index             # the item of each item index
    item_weight: np.ndarray | None = None   # the items' prior weights (None in ``transform``: items are held)


def _check_votes(votes: pd.DataFrame) -> pd.DataFrame:
    """The votes' columns state, year, item, vote (item from ``rcid`` when absent; ``rcid`` kept when
    given), rows with a gap dropped; an :class:`InputError` naming what is wrong otherwise."""
    if "item" not in votes:
        if "rcid" not in votes:
            raise InputError("votes: need a column 'item' (roll calls that share parameters) or 'rcid' (one item per roll call)")
        votes = votes.assign(item=votes["rcid"])
    missing = [c for c in ("state", "year", "vote") if c not in votes]
    if missing:
        raise InputError(f"votes: missing column(s) {', '.join(missing)}; expected state, year, item or rcid, vote")
    cols = ["state", "year", "item", "vote"]
    v = votes[cols + (["rcid"] if "rcid" in votes and "rcid" not in cols else [])].dropna(subset=cols)
    yv = v["vote"].to_numpy()
    bad = ~np.isin(yv, (1, 2, 3))
    if bad.any():
        raise InputError(f"votes: column 'vote' must be 1 (no), 2 (abstain) or 3 (yes); found {sorted(set(yv[bad].tolist()))[:5]}. "
                         "Absences are left out, not coded.")
    return v


def _rw_structure(periods: pd.DataFrame, omega: float):
    """The random walk's links between consecutive years of a state: (earlier index, later index,
    precision 1 / (omega^2 gap), gap in years, whether each state-period is its state's first)."""
    sy = periods
    same = (sy["state"].to_numpy()[1:] == sy["state"].to_numpy()[:-1])
    gap = np.diff(sy["year"].to_numpy()).astype(float)
    i = np.flatnonzero(same)
    gap = np.maximum(gap[i], 1.0)
    first = np.ones(len(sy), dtype=bool)
    first[i + 1] = False
    return i, i + 1, 1.0 / (omega ** 2 * gap), gap, first


def _laplace_se(P, periods: pd.DataFrame):
    """Marginal posterior sds (the diagonal of the inverse precision ``P``, state by state: block
    tridiagonal) and the covariance of each state-year with the next one (for the omega update)."""
    P = P.tocsc()
    se = np.empty(P.shape[0])
    cov1 = np.zeros(P.shape[0])
    states = periods["state"].to_numpy()
    bounds = np.flatnonzero(np.r_[True, states[1:] != states[:-1], True])
    for a, b in zip(bounds[:-1], bounds[1:]):
        V = np.linalg.inv(P[a:b, a:b].toarray())
        se[a:b] = np.sqrt(np.diag(V))
        cov1[a:b - 1] = np.diag(V, 1)
    return se, cov1


class DynamicOrdinalIdealPoints(BaseEstimator):
    r"""The dynamic ordinal ideal-point model of the module doc, a scikit-learn estimator: parameters in
    the constructor, ``fit(votes)`` returns the estimator, what it learned ends in ``_``;
    ``transform(votes)`` places states given the fitted items.

    :math:`y^*_{ij} = \beta_j \theta_i - \alpha_j + \varepsilon_{ij}`, ordinal probit with the
    cut-points 0 and :math:`\tau_j`; :math:`\theta_{s,t} = \theta_{s,t-1} + \eta`,
    :math:`\eta \sim N(0, \omega^2 \Delta t)`.

    ``votes``: DataFrame with columns ``state``, ``year``, ``item`` and ``vote`` (1 no, 2 abstain,
    3 yes; absences are not rows). ``item`` groups roll calls that share parameters (see
    :func:`bridge_items`); default: one item per roll call (``rcid``).

    Parameters: ``omega`` the random-walk sd per year (or ``"estimate"``: Laplace-EM, at most
    ``max_omega_rounds`` refits); ``max_iter`` and ``tol`` the stopping rule of the alternating Newton
    steps; ``prior_alpha``, ``prior_beta`` the item priors' sds; ``item_prior_weight`` how they are
    weighted (``"state_year"`` or ``"item"``); ``prior_level`` the sd of every state-year around its
    year's mean (None: the model before issue 18); ``anchor`` the state put at the high end; ``ci``
    the interval's coverage; ``normalise`` report on mean 0, sd 1; ``verbose`` print each cycle.

    Learned: ``ideal_points_`` (state, year, ideal_point, se, lo, hi: the ``ci`` interval, n_votes), ``items_`` (item, alpha,
    beta, tau, n_votes, has_abstentions, prior_weight), ``omega_``, ``omega_path_``, ``scale_`` (the model
    scale's sd: reported = (model - mean) / scale), ``log_posterior_``, ``history_``, ``n_iter_``,
    ``converged_``, ``fit_seconds_``.
    """

    def __init__(self, omega: float | str = 0.11, max_iter: int = 300, tol: float = 1e-6, prior_alpha: float = 25.0,
                 prior_beta: float = 2.0, anchor: str = "USA", ci: float = 0.90, normalise: bool = True,
                 max_omega_rounds: int = 8, verbose: bool = False, item_prior_weight: str = "state_year",
                 prior_level: float | None = 2.0):
        self.omega, self.max_iter, self.tol, self.max_omega_rounds = omega, max_iter, tol, max_omega_rounds
        self.prior_alpha, self.prior_beta, self.anchor, self.ci, self.verbose = prior_alpha, prior_beta, anchor, ci, verbose
        self.normalise = normalise
        self.item_prior_weight, self.prior_level = item_prior_weight, prior_level

    # -- data --------------------------------------------------------------------------------
    def _prepare(self, votes: pd.DataFrame, items: pd.Index | None = None) -> _Data:
        """The votes as codes. ``items``: the fitted items (``transform``): votes on other items are left
        out and the items keep their fitted order; None: the items of ``votes``, with their prior weights."""
        v = _check_votes(votes)
        if items is not None:
            v = v[v["item"].isin(items)]
        sy = v[["state", "year"]].drop_duplicates().sort_values(["state", "year"]).reset_index(drop=True)
        pidx = pd.MultiIndex.from_frame(sy).get_indexer(pd.MultiIndex.from_frame(v[["state", "year"]]))
        if items is None:
            jcodes, juniq = pd.factorize(v["item"], sort=True)
            weight = self._prior_weights(jcodes, len(juniq), v, sy)
        else:
            juniq = pd.Index(items)
            jcodes, weight = juniq.get_indexer(v["item"]), None
        yv = v["vote"].to_numpy()
        # no, abstain, yes: each group a contiguous slice; within a group one canonical order (state-year, item, roll
        # call), whatever order the votes come in. The alternating Newton steps stop within the tolerance, and where
        # they stop depends on the order of the sums (a shuffled input moved ideal points by up to 0.012 before):
        # the same votes give the same numbers, bit for bit
        keys = ([pd.factorize(v["rcid"], sort=True)[0]] if "rcid" in v else []) + [jcodes, pidx, yv]
        order = np.lexsort(keys)
        return _Data(pidx[order].astype(np.int64), jcodes[order].astype(np.int64), yv[order].astype(np.int8), len(sy), len(juniq),
                     sy, pd.factorize(sy["state"])[0], juniq, weight)

    def _prior_weights(self, jcodes, n_j: int, v: pd.DataFrame, sy: pd.DataFrame) -> np.ndarray:
        r"""Each item's weight in the item priors (the prior precisions of alpha and beta are the weight
        over ``prior_alpha``\ :sup:`2` and ``prior_beta``\ :sup:`2`).

        ``"item"``: 1 for every item (the model up to 2026-12). ``"state_year"``: each roll call weighs
        the number of states voting in its year over the number of roll calls of that year, an item the
        sum over its roll calls (a roll call is an ``rcid``, or an item's votes in one year without one);
        scaled to mean 1 over the items. Every year then gets the same item-prior weight per state-year
        as the random walk puts on it, however many roll calls it has and however many of them are
        repeats bridged to other years (see *Identification across years* in the module doc)."""
        if self.item_prior_weight == "item":
            return np.ones(n_j)
        if self.item_prior_weight != "state_year":
            raise ValueError(f"item_prior_weight must be 'state_year' or 'item', not {self.item_prior_weight!r}")
        key = v["rcid"].to_numpy() if "rcid" in v else v["year"].to_numpy()
        rc = pd.DataFrame({"j": jcodes, "key": key, "year": v["year"].to_numpy()}).drop_duplicates(["j", "key"])
        rc = rc.sort_values(["j", "key"], kind="mergesort")    # sums in one order, whatever the votes' order
        states_per_rc = sy.groupby("year").size() / rc.groupby("year").size()
        w = np.bincount(rc["j"].to_numpy(), states_per_rc.reindex(rc["year"]).to_numpy(), n_j)
        return w / w.mean()

    def _pca_chain_start(self, d: _Data) -> np.ndarray:
        """Starting values: per year, the first principal component of the centred state x roll-call
        matrix; its sign chained to the previous year's through the states both years share
        (without this, a year can start mirrored and EM cannot cross back)."""
        years = d.periods["year"].to_numpy()
        states = d.periods["state"].to_numpy()
        theta = np.zeros(d.n_p)
        prev: dict = {}
        vy = years[d.p]
        for y in np.unique(years):
            sel = vy == y
            p_loc, p_inv = np.unique(d.p[sel], return_inverse=True)
            j_loc, j_inv = np.unique(d.j[sel], return_inverse=True)
            M = np.zeros((len(p_loc), len(j_loc)))
            M[p_inv, j_inv] = d.y[sel] - 2.0
            M -= M.mean(axis=0, keepdims=True)
            if min(M.shape) < 2:
                continue
            # the leading left singular vector times its value: the top eigenvector of the states'
            # Gram matrix (a states x states eigenproblem, cheaper than the whole SVD)
            ev, vec = np.linalg.eigh(M @ M.T)
            pc = vec[:, -1] * np.sqrt(max(ev[-1], 0.0))
            pc = (pc - pc.mean()) / (pc.std() + 1e-9)
            common = [(k, prev[states[p]]) for k, p in enumerate(p_loc) if states[p] in prev]
            if len(common) >= 3:
                a = np.array([pc[k] for k, _ in common])
                b = np.array([v for _, v in common])
                if np.corrcoef(a, b)[0, 1] < 0:
                    pc = -pc
            theta[p_loc] = pc
            prev.update({states[p]: pc[k] for k, p in enumerate(p_loc)})
        return theta

    # -- fitting -----------------------------------------------------------------------------
    def fit(self, votes: pd.DataFrame, y=None, theta_init: np.ndarray | None = None):
        """The posterior mode of the ideal points and items of ``votes`` (state, year, item or rcid,
        vote), with Laplace standard errors; ``y`` is not used (scikit-learn's signature), ``theta_init``
        starting points per state-year (default: the chained per-year PCA). Returns the estimator."""
        t0 = time.perf_counter()
        d = self._prepare(votes)
        n_p, n_j = d.n_p, d.n_j
        p, j, y = d.p, d.j, d.y
        theta = self._pca_chain_start(d) if theta_init is None else np.asarray(theta_init, float).copy()
        has_abst = np.bincount(j, weights=(y == 2).astype(float), minlength=n_j) > 0
        start = (theta, np.zeros(n_j), np.full(n_j, 0.5), np.where(has_abst, 0.5, 0.0))  # binary items: yes iff y* >= 0
        estimate = isinstance(self.omega, str)
        if estimate and self.omega != "estimate":
            raise ValueError(f"omega must be a positive number or 'estimate', not {self.omega!r}")
        omega = 0.5 if estimate else float(self.omega)
        self.omega_path_, total_it, em_path = [], 0, [omega]
        for _ in range(self.max_omega_rounds if estimate else 1):
            theta, alpha, beta, tau, T, K, it, converged, lp = self._map(d, omega, start, has_abst, warm=0 if self.omega_path_ else 5)
            total_it += it
            self.omega_path_.append(omega)
            info = np.bincount(p, beta[j] ** 2 * np.maximum(-T[2], 0.0), n_p)
            se, cov1 = _laplace_se(K + sparse.diags(info), d.periods)
            if not estimate:
                break
            # EM update of the random-walk variance under the Laplace approximation:
            # omega^2 = mean over links of E[(theta_t - theta_{t-1})^2] / gap
            a_idx, b_idx, _, gap, _ = _rw_structure(d.periods, omega)
            e2 = (theta[b_idx] - theta[a_idx]) ** 2 + se[b_idx] ** 2 + se[a_idx] ** 2 - 2 * cov1[a_idx]
            new = float(np.sqrt(np.mean(e2 / gap)))
            start = (theta, alpha, beta, tau)
            if abs(new - omega) < 0.01 * omega:
                omega = new
                break
            em_path.append(new)
            if len(em_path) >= 3:
                # the EM sequence converges linearly: Aitken's delta-squared jumps to its limit
                d1, d2 = em_path[-2] - em_path[-3], em_path[-1] - em_path[-2]
                if 0 < d2 / d1 < 1:
                    new = em_path[-1] - d2 * d2 / (d2 - d1)
                    em_path = [new]
            omega = new
        self.omega_ = omega
        # sign: the anchor state at the high end (y* = beta theta - alpha is unchanged when both flip)
        anchor = (d.periods["state"] == self.anchor).to_numpy()
        if anchor.any() and theta[anchor].mean() < 0:
            theta, beta = -theta, -beta
        self.n_iter_, self.converged_ = total_it, converged
        scale = 1.0
        if self.normalise:
            # report on a standard scale: mean 0, sd 1 over all state-years (an affine map of the
            # MAP; items are mapped so that the likelihood is unchanged)
            mu, scale = theta.mean(), theta.std()
            alpha = alpha - beta * mu
            beta = beta * scale
            theta = (theta - mu) / scale
            se = se / scale
        zc = ndtri(0.5 + self.ci / 2)
        self.ideal_points_ = d.periods.assign(ideal_point=theta, se=se, lo=theta - zc * se, hi=theta + zc * se,
                                                  n_votes=np.bincount(p, minlength=n_p))
        self.items_ = pd.DataFrame({"item": d.items, "alpha": alpha, "beta": beta, "tau": tau,
                                    "n_votes": np.bincount(j, minlength=n_j), "has_abstentions": has_abst,
                                    "prior_weight": d.item_weight})
        self.scale_ = scale
        self.log_posterior_ = lp
        self.fit_seconds_ = time.perf_counter() - t0
        return self

    def _map(self, d: _Data, omega: float, start, has_abst, warm: int = 5):
        """The posterior mode for a given random-walk sd, by alternating Newton steps (see the module doc)."""
        a_idx, b_idx, rw, _, first = _rw_structure(d.periods, omega)
        n_p, n_j = d.n_p, d.n_j
        p, j, y = d.p, d.j, d.y
        theta, alpha, beta, tau = (x.copy() for x in start[:4])
        # random-walk precision (tridiagonal per state)
        rows = np.concatenate([a_idx, b_idx, a_idx, b_idx])
        cols = np.concatenate([a_idx, b_idx, b_idx, a_idx])
        K = sparse.csc_matrix((np.concatenate([rw, rw, -rw, -rw]), (rows, cols)), shape=(n_p, n_p))
        # the level priors: N(mu_t, prior_level^2) on every state-year and N(mu_t, 1) on each state's
        # first year, mu_t the year's mean (a parameter: updated in closed form each cycle), so no
        # prior on the ideal points changes when one year's points shift. prior_level=None: the
        # model before issue 18, N(0, 1) on each state's first year only.
        lam = 0.0 if self.prior_level is None else 1.0 / self.prior_level ** 2
        _, yi = np.unique(d.periods["year"].to_numpy(), return_inverse=True)
        n_y = int(yi.max()) + 1 if len(yi) else 0
        centred = self.prior_level is not None
        lev = first.astype(float) + lam
        wl = lev if centred else np.full(n_p, lam)          # weights of the terms around mu_t
        w_year = np.bincount(yi, wl, n_y)
        K = (K + sparse.diags(lev)).tocsc()
        pa, pb = d.item_weight / self.prior_alpha ** 2, d.item_weight / self.prior_beta ** 2

        def item_prior(al, be):
            return -0.5 * (pa * al ** 2 + pb * be ** 2)

        def state_prior(th, mu):
            """Each state-year's share of the log prior of the ideal points (each random-walk link
            counted on its later year)."""
            if centred:
                out = -0.5 * lev * (th - mu[yi]) ** 2
            else:
                out = -0.5 * first * th ** 2 - 0.5 * lam * (th - mu[yi]) ** 2
            out[b_idx] += -0.5 * rw * (th[b_idx] - th[a_idx]) ** 2
            return out

        def mu_step(theta):
            return np.bincount(yi, wl * theta, n_y) / np.maximum(w_year, 1e-300)

        G = _groups(y)
        states = d.state_index
        n_s = states.max() + 1 if len(states) else 0
        first = first.astype(bool)
        sizes = np.cumsum([n_p, n_j, n_j, n_j])

        def terms(theta, alpha, beta, tau):
            return _vote_terms(beta[j] * theta[p] - alpha[j], tau[j], y, groups=G)

        def logpost(x, T):
            theta, alpha, beta, _, mu = np.split(x, sizes)
            return T[0].sum() + item_prior(alpha, beta).sum() + state_prior(theta, mu).sum()

        def item_step(theta, alpha, beta, tau, T):
            """A Newton step in (alpha, beta, tau) per item (3x3, batched), halved per item until its
            log posterior does not go down. Returns the items and the vote terms at them."""
            logZ, g_m, h_mm, g_t, h_tt, h_mt = T
            th = theta[p]
            g = np.stack([-np.bincount(j, g_m, n_j) - pa * alpha,
                          np.bincount(j, g_m * th, n_j) - pb * beta,
                          np.bincount(j, g_t, n_j)], axis=1)
            H = np.empty((n_j, 3, 3))
            H[:, 0, 0] = np.bincount(j, h_mm, n_j) - pa
            H[:, 0, 1] = H[:, 1, 0] = -np.bincount(j, h_mm * th, n_j)
            H[:, 1, 1] = np.bincount(j, h_mm * th * th, n_j) - pb
            H[:, 0, 2] = H[:, 2, 0] = -np.bincount(j, h_mt, n_j)
            H[:, 1, 2] = H[:, 2, 1] = np.bincount(j, h_mt * th, n_j)
            H[:, 2, 2] = np.bincount(j, h_tt, n_j)
            H[~has_abst, 2, :] = H[~has_abst, :, 2] = 0.0
            H[~has_abst, 2, 2] = -1.0
            g[~has_abst, 2] = 0.0
            step = -np.linalg.solve(H - 1e-8 * np.eye(3), g[:, :, None])[:, :, 0]
            old = np.bincount(j, logZ, n_j) + item_prior(alpha, beta)
            size, keep = np.ones(n_j), np.zeros(n_j, bool)     # keep: items whose step is settled
            new = [alpha.copy(), beta.copy(), tau.copy()]
            sub, full = slice(None), None
            for k in range(10):
                al, be = alpha + size * step[:, 0], beta + size * step[:, 1]
                ta = np.where(has_abst, np.clip(tau + size * step[:, 2], TAU_MIN, TAU_MAX), 0.0)
                js = j[sub]
                if k == 0:
                    full = _vote_terms(be[j] * th - al[j], ta[j], y, groups=G)
                    lz = full[0]
                else:                                       # only the votes of the items still halving
                    lz = _vote_terms(be[js] * th[sub] - al[js], ta[js], y[sub], need_derivs=False)
                ok = ~keep & (np.bincount(js, lz, n_j) + item_prior(al, be) >= old - 1e-9 * (1 + np.abs(old)))
                for q, v in zip(new, (al, be, ta)):
                    q[ok] = v[ok]
                keep |= ok
                if k == 0:
                    first_ok = ok.copy()
                if keep.all():
                    break
                size = size / 2
                sub = np.flatnonzero(~keep[j])
            return new, patch(full, T, first_ok, keep, j, theta, *new)

        def theta_step(theta, alpha, beta, tau, T, mu):
            """A Newton step for all state paths at once (one sparse solve: the random walk makes the
            precision block tridiagonal), halved per state until its log posterior does not go down."""
            bj = beta[j]
            grad = np.bincount(p, bj * T[1], n_p) - (K @ theta - wl * mu[yi])
            info = np.bincount(p, bj * bj * np.maximum(-T[2], 0.0), n_p)
            step = splu((K + sparse.diags(info)).tocsc()).solve(grad)
            old = np.bincount(states, np.bincount(p, T[0], n_p) + state_prior(theta, mu), minlength=n_s)
            size, keep = np.ones(n_s), np.zeros(n_s, bool)
            new, sub, full = theta.copy(), slice(None), None
            for k in range(10):
                cand = theta + size[states] * step
                if k == 0:
                    full = _vote_terms(bj * cand[p] - alpha[j], tau[j], y, groups=G)
                    lz = full[0]
                else:                                       # only the votes of the states still halving
                    js = j[sub]
                    lz = _vote_terms(bj[sub] * cand[p[sub]] - alpha[js], tau[js], y[sub], need_derivs=False)
                lp_s = np.bincount(states, np.bincount(p[sub], lz, n_p) + state_prior(cand, mu), minlength=n_s)
                ok = ~keep & (lp_s >= old - 1e-9 * (1 + np.abs(old)))
                new = np.where(ok[states], cand, new)
                keep |= ok
                if k == 0:
                    first_ok = ok.copy()
                if keep.all():
                    break
                size = size / 2
                sub = np.flatnonzero(~keep[states][p])
            return new, patch(full, T, first_ok[states], keep[states], p, new, alpha, beta, tau)

        def patch(full, old_T, first_ok, keep, owner, theta, alpha, beta, tau):
            """The vote terms at the accepted parameters without a full pass: from the full step where
            it was taken, the old terms where nothing moved, fresh terms for the halved steps."""
            if first_ok.all():
                return full
            T = tuple(a.copy() for a in full)
            stay = np.flatnonzero(~keep[owner])
            for a, b in zip(T, old_T):
                a[stay] = b[stay]
            redo = np.flatnonzero((keep & ~first_ok)[owner])
            if len(redo):
                jr = j[redo]
                fresh = _vote_terms(beta[jr] * theta[p[redo]] - alpha[jr], tau[jr], y[redo])
                for a, b in zip(T, fresh):
                    a[redo] = b
            return T

        def ridge_move(theta, alpha, beta, mu):
            """The likelihood is unchanged by theta' = b theta + c with beta' = beta / b,
            alpha' = alpha + beta c / b (and mu' = b mu + c); only the priors pin (b, c) down.
            Alternating steps crawl along this ridge, so move to the (b, c) that maximise the priors
            (2-D, cheap)."""
            d_rw = theta[b_idx] - theta[a_idx]
            s_rw = np.sum(rw * d_rw * d_rw) + np.sum(wl * (theta - mu[yi]) ** 2)
            f_th = theta[first] if not centred else np.zeros(0)

            def neg(z):
                b, c = np.exp(z[0]), z[1]
                return 0.5 * (np.sum((b * f_th + c) ** 2) + b * b * s_rw
                              + np.sum(pa * (alpha + beta * c / b) ** 2) + np.sum(pb * beta ** 2) / (b * b))

            res = minimize(neg, np.zeros(2), method="BFGS", options={"gtol": 1e-8})
            if not res.success and res.fun > neg(np.zeros(2)):
                return theta, alpha, beta, mu
            b, c = np.exp(res.x[0]), res.x[1]
            return b * theta + c, alpha + beta * c / b, beta / b, b * mu + c

        def cycle(x, T):
            theta, alpha, beta, tau, mu = np.split(x, sizes)
            (alpha, beta, tau), T = item_step(theta, alpha, beta, tau, T)
            theta, T = theta_step(theta, alpha, beta, tau, T, mu)
            theta, alpha, beta, mu = ridge_move(theta, alpha, beta, mu_step(theta))   # the vote terms T do not change
            return np.concatenate([theta, alpha, beta, tau, mu]), T

        T = terms(theta, alpha, beta, tau)
        for _ in range(warm):                                   # items first: fit them to the starting points
            (alpha, beta, tau), T = item_step(theta, alpha, beta, tau, T)
        x = np.concatenate([theta, alpha, beta, tau, mu_step(theta)])
        lp = logpost(x, T)
        self.history_ = [lp]
        it, converged = 0, False
        # SQUAREM (Varadhan & Roland 2008, Scand. J. Statist. 35: 335-353): two cycles, one
        # extrapolation along them, one cycle from there; kept only if the log posterior is not lower
        # than after the two plain cycles. Alternating Newton crawls linearly along the weakly
        # identified directions (overall scale, a common shift of a year); this jumps along them.
        while it < self.max_iter:
            x1, T1 = cycle(x, T)
            x2, T2 = cycle(x1, T1)
            it += 2
            r, v = x1 - x, x2 - 2 * x1 + x
            nv = np.linalg.norm(v)
            a = min(-np.linalg.norm(r) / nv, -1.0) if nv > 0 else -1.0
            xe = x - 2 * a * r + a * a * v
            xe[sizes[2]:sizes[3]] = np.where(has_abst, np.clip(xe[sizes[2]:sizes[3]], TAU_MIN, TAU_MAX), 0.0)
            try:
                x3, T3 = cycle(xe, terms(*np.split(xe, sizes)[:4]))
                it += 1
                lp3 = logpost(x3, T3)
            except (np.linalg.LinAlgError, FloatingPointError, ValueError):
                lp3 = -np.inf
            lp2 = logpost(x2, T2)
            if not np.isfinite(lp3) or lp3 < lp2:
                x3, T3, lp3 = x2, T2, lp2
            delta = np.sqrt(np.mean((x3[:n_p] - x[:n_p]) ** 2))
            gain = lp3 - lp
            x, T, lp = x3, T3, lp3
            self.history_.append(lp)
            if self.verbose:
                print(f"iter {it}: log posterior {lp:.4f}, rms ideal-point change {delta:.2e}")
            if gain < self.tol * abs(lp) and delta < 5e-3:
                converged = True
                break
        theta, alpha, beta, tau, _ = np.split(x, sizes)
        return theta, alpha, beta, tau, T, K, it, converged, lp

    # -- placing states given the items ---------------------------------------------------------
    def transform(self, votes: pd.DataFrame) -> pd.DataFrame:
        r"""Place states on the fitted scale: each state's path of ideal points given the fitted items.

        The posterior mode of :math:`\theta` with :math:`(\alpha_j, \beta_j, \tau_j)` held at
        ``items_`` (the reported scale) and the fit's priors on that scale: the random walk with sd
        ``omega_ / scale_`` per year, :math:`N(\mu_t, (\lambda / s)^2)` on every state-year and
        :math:`N(\mu_t, 1 / s^2)` on a state's first year (:math:`\lambda` = ``prior_level``,
        :math:`s` = ``scale_``), :math:`\mu_t` the fitted year's mean weighted as in the fit (in a year
        the fit does not have, interpolated between the fitted years around it, or the nearest fitted year's). With the items and year means held the log posterior is concave in
        :math:`\theta` and separate per state: Newton steps (one sparse solve for every path),
        halved until the log posterior does not go down. On the votes of the fit it returns
        ``ideal_points_`` up to the convergence tolerance (tested).

        ``votes`` as in :meth:`fit`; votes on items the fit does not have are left out. Returns state,
        year, ideal_point, se (Laplace, given the items), lo, hi (the ``ci`` interval), n_votes (those used).
        """
        check_is_fitted(self, "items_")
        d = self._prepare(votes, items=pd.Index(self.items_["item"]))
        if d.n_p == 0:
            raise InputError("votes: none of them is on an item of the fit; transform places states by their votes on the fitted items")
        alpha, beta, tau = (self.items_[c].to_numpy(float) for c in ("alpha", "beta", "tau"))
        s = self.scale_
        a_idx, b_idx, rw, _, first = _rw_structure(d.periods, self.omega_ / s)
        lam = 0.0 if self.prior_level is None else (s / self.prior_level) ** 2
        lev = first * s * s + lam                                     # the precision of the terms around mu_t
        K = sparse.csc_matrix((np.r_[rw, rw, -rw, -rw], (np.r_[a_idx, b_idx, a_idx, b_idx], np.r_[a_idx, b_idx, b_idx, a_idx])),
                              shape=(d.n_p, d.n_p)) + sparse.diags(lev)
        ym = self._year_means().sort_index()
        # a year the fit does not have: the mean interpolated between its fitted neighbours (the nearest one beyond the
        # fitted span), not 0, which would pull such years to the scale's origin
        mu = np.interp(d.periods["year"].to_numpy(float), ym.index.to_numpy(float), ym.to_numpy(float))
        bj, aj, tj, G = beta[d.j], alpha[d.j], tau[d.j], _groups(d.y)

        def logpost(th):
            dev = th - mu
            return _vote_terms(bj * th[d.p] - aj, tj, d.y, need_derivs=False, groups=G).sum() - 0.5 * dev @ (K @ dev)

        theta, lp = mu.copy(), logpost(mu)
        for _ in range(200):
            T = _vote_terms(bj * theta[d.p] - aj, tj, d.y, groups=G)
            grad = np.bincount(d.p, bj * T[1], d.n_p) - K @ (theta - mu)
            P = (K + sparse.diags(np.bincount(d.p, bj * bj * np.maximum(-T[2], 0.0), d.n_p))).tocsc()
            step, size = splu(P).solve(grad), 1.0
            while True:
                new_lp = logpost(theta + size * step)
                if new_lp >= lp - 1e-12 * abs(lp) or size < 1e-6:
                    break
                size /= 2
            theta, gain, lp = theta + size * step, new_lp - lp, new_lp
            if np.max(np.abs(size * step)) < 1e-8 or gain < 1e-13 * abs(lp):
                break
        T = _vote_terms(bj * theta[d.p] - aj, tj, d.y, groups=G)
        se, _ = _laplace_se(K + sparse.diags(np.bincount(d.p, bj * bj * np.maximum(-T[2], 0.0), d.n_p)), d.periods)
        zc = ndtri(0.5 + self.ci / 2)
        return d.periods.assign(ideal_point=theta, se=se, lo=theta - zc * se, hi=theta + zc * se, n_votes=np.bincount(d.p, minlength=d.n_p))

    def _year_means(self) -> pd.Series:
        """Each fitted year's mean ideal point, weighted as the fit's level priors weigh its state-years
        (a state's first year 1 + 1/lambda^2, the others 1/lambda^2; first years only without ``prior_level``)."""
        ip = self.ideal_points_
        first = ~ip["state"].duplicated().to_numpy()
        lam = 0.0 if self.prior_level is None else 1.0 / self.prior_level ** 2
        w = first + lam
        return (ip["ideal_point"] * w).groupby(ip["year"]).sum() / pd.Series(w, index=ip.index).groupby(ip["year"]).sum()


_AGENDA = re.compile(r"^\s*A/\d+/\d+\s+\S+\s+-\s")           # "A/73/251 39 - Question of Palestine. - ..."
_BOILER = re.compile(r"\s*:\s*resolution\s*/\s*adopted.*$", re.I)  # ": resolution / adopted by the General Assembly"
_STOP = frozenset("""A AN AND ARE AS AT BE BY FOR FROM IN INTO IS IT ITS OF ON OR THAT THE THEIR THIS TO WITH WHICH
    ADOPT ADOPTED ADOPTING APPROVE DRAFT RESOL RESOLUTION RESOLUTIONS GENERAL ASSEMBLY COMM COMMITTEE SAID
    PARAGRAPH OPERATIVE PREAMBULAR WHOLE AS AMENDED""".split())


def resolution_text(short, descr) -> str:
    """The text that names what a roll call is about: the longer of the description and the short
    title, leaving out an agenda-item line (sessions 71-73 put the agenda item, shared by several
    resolutions, in the description) and the ": resolution / adopted by the General Assembly" tail."""
    cands = []
    for t in (descr, short):
        if isinstance(t, str) and t.strip() and not _AGENDA.match(t):
            cands.append(_BOILER.sub("", t).strip())
    return max(cands, key=len) if cands else ""


def _tokens(text: str) -> frozenset:
    words = re.split(r"[^A-Z0-9]+", text.upper())
    return frozenset(w for w in words if len(w) > 1 and w not in _STOP and not any(ch.isdigit() for ch in w))


def bridge_items(roll_calls: pd.DataFrame, min_similarity: float = 0.7, min_similarity_same_title: float = 0.5,
                 max_gap: int = 3, return_links: bool = False):
    """Item id per roll call: the same resolution voted on again in a later session shares one item.

    The matching (documented; the count it bridges is reported by ``multipolar idealpoints``):

    1. Only votes on a whole resolution are candidates: ``amend`` and ``para`` are not 1 (amendments
       and separate paragraph votes are about a part of a text and keep their own item).
    2. Each roll call's text is :func:`resolution_text` (its resolution title or vote description),
       reduced to a set of content words: upper case, no stop or procedure words ("adopt", "draft",
       "resolution"...), no tokens with digits (document symbols such as ``A/7424`` change every year).
    3. A roll call in session *s* is linked to a roll call in one of the ``max_gap`` previous sessions
       when the Jaccard similarity of their word sets is at least ``min_similarity`` (0.7: "Situation of
       human rights in Cuba" and "... in Iran" share 3 of 5 words, 0.6, and stay apart), or at least
       ``min_similarity_same_title`` (0.5) when both also carry the same short title (``short``, e.g.
       "KOREA", "CHINA REPRESENTATION": the 1946-1990 descriptions paraphrase the same yearly
       resolution, "TO ADOPT DRAFT RESOL. (A/6906) REAFFIRMING U.N. OBJECTIVES IN KOREA..."). Links are made
       one-to-one, nearest session first, then best similarity, so a chain holds at most one roll call
       per session and two resolutions of one session never merge.
    4. Items are the chains (connected components of the links); unlinked roll calls keep their own item.

    The resolution numbers (``unres``) are session-specific (``R/47/19`` then ``R/48/16`` for the
    Cuba embargo), so they identify a roll call within its session, not the repeat across sessions.
    Returns a Series of item ids indexed like ``roll_calls`` (``B<rcid of the chain's first roll
    call>`` for bridged chains, ``R<rcid>`` otherwise); with ``return_links`` also the links table.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    rc = roll_calls.reset_index(drop=True)
    n = len(rc)
    amend = pd.to_numeric(rc.get("amend"), errors="coerce").fillna(0).to_numpy()
    para = pd.to_numeric(rc.get("para"), errors="coerce").fillna(0).to_numpy()
    short = rc["short"] if "short" in rc else pd.Series([None] * n)
    descr = rc["descr"] if "descr" in rc else pd.Series([None] * n)
    toks = [_tokens(resolution_text(a, b)) for a, b in zip(short, descr)]
    cand = (amend != 1) & (para != 1) & np.array([len(t) > 0 for t in toks])
    vocab: dict = {}
    rows, cols = [], []
    for k, t in enumerate(toks):
        if cand[k]:
            for w in t:
                rows.append(k)
                cols.append(vocab.setdefault(w, len(vocab)))
    X = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, max(len(vocab), 1)))
    size = np.asarray(X.sum(axis=1)).ravel()
    session = pd.to_numeric(rc["session"], errors="coerce").to_numpy()
    title = short.fillna("").astype(str).str.upper().str.replace(r"[^A-Z]+", " ", regex=True).str.strip().to_numpy()
    links = []
    for s in np.unique(session[cand]):
        cur = np.flatnonzero(cand & (session == s))
        prev = np.flatnonzero(cand & (session < s) & (session >= s - max_gap))
        if not len(prev):
            continue
        inter = (X[cur] @ X[prev].T).tocoo()
        jac = inter.data / (size[cur][inter.row] + size[prev][inter.col] - inter.data)
        r_, c_ = cur[inter.row], prev[inter.col]
        ok = (jac >= min_similarity) | ((jac >= min_similarity_same_title) & (title[r_] == title[c_]) & (title[r_] != ""))
        for a, b, j in zip(r_[ok], c_[ok], jac[ok]):
            links.append((a, b, j, s - session[b]))
    links = pd.DataFrame(links, columns=["later", "earlier", "similarity", "gap"])
    used_later, used_earlier, kept = set(), set(), []
    for r in links.sort_values(["gap", "similarity"], ascending=[True, False]).itertuples(index=False):
        if r.later in used_later or r.earlier in used_earlier:
            continue
        used_later.add(r.later)
        used_earlier.add(r.earlier)
        kept.append(r)
    kept = pd.DataFrame(kept, columns=links.columns)
    G = csr_matrix((np.ones(len(kept)), (kept["later"].astype(int), kept["earlier"].astype(int))), shape=(n, n))
    _, comp = connected_components(G, directed=False)
    rcid = rc["rcid"].to_numpy()
    first = pd.Series(session).groupby(comp).idxmin()          # the chain's earliest roll call
    sizes = np.bincount(comp)
    item = np.where(sizes[comp] > 1, "B" + pd.Series(rcid[first.loc[comp].to_numpy()]).astype(str).to_numpy(),
                    "R" + pd.Series(rcid).astype(str).to_numpy())
    out = pd.Series(item, index=roll_calls.index, name="item")
    if return_links:
        kept = kept.assign(later=rcid[kept["later"].astype(int)], earlier=rcid[kept["earlier"].astype(int)])
        return out, kept
    return out
