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
:math:`\theta_{s,\text{first}} \sim N(0, 1)`, :math:`\alpha_j \sim N(0, 5^2)`, :math:`\beta_j \sim N(0, 2^2)`.
Roll calls on the same resolution in different sessions share :math:`(\alpha, \beta, \tau)`
(*bridging*, see :func:`bridge_items`), which pins down a common drift that item cut-points
would otherwise absorb.

The method: MAP by EM with data augmentation, then a Laplace approximation
-------------------------------------------------------------------------------
As in Imai, Lo & Olmsted (2016, *APSR* 110(4), "Fast Estimation of Ideal Points with Massive
Data", the ordinal and dynamic models), the latent :math:`y^*` are augmented: the E-step replaces
each by its truncated-normal mean :math:`E[y^* | y, m]`, :math:`m = \beta\theta - \alpha`; the M-step
is then Gaussian. Items: a ridge regression of :math:`E[y^*]` on :math:`(\theta, -1)` per item (closed
form, 2x2). Cut-points: Newton steps on the observed ordinal likelihood (concave in :math:`\tau`).
Ideal points: with items fixed, :math:`\theta` for all years of a state solve one tridiagonal
system (the random walk couples neighbouring years), solved for all states at once as a sparse
system. This is exact EM for the posterior mode; each iteration is a few vectorised passes over
the votes, so all 870,000 votes and 74 years are fitted jointly in seconds, not overnight.

Uncertainty is a Laplace approximation at the mode: the precision of each state's path is the
observed information of the ordinal likelihood,
:math:`\sum_j \beta_j^2 \, w_{ij}` with :math:`w = -\partial^2 \log P(y | m) / \partial m^2`, plus the
random-walk and prior precisions; the marginal variances are the diagonal of its inverse
(block tridiagonal, per state). Intervals are conditional on the item parameters; the synthetic
coverage check in the tests measures how close to nominal they are.

Identification: after every EM cycle the ideal points are put on mean 0 and standard deviation 1
over all state-years (``normalise=True``; items are rescaled so the likelihood is unchanged), which
stops the slow drift of scale that near-separated items (the United States voting alone) cause;
the sign is set so the United States has a positive mean ideal point (the US-led liberal order at
the high end).
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.linalg import splu
from scipy.special import erfcx, ndtr

SQ2 = np.sqrt(2.0)
C = np.sqrt(2.0 / np.pi)


def _upper_tail_mean(lo):
    """E[e | e > lo] for e ~ N(0,1), stable for large lo."""
    return C / erfcx(lo / SQ2)


def _truncated_mean(lo, hi):
    """E[e | lo < e < hi] for e ~ N(0,1); lo may be -inf, hi may be +inf."""
    out = np.empty_like(lo)
    up = np.isinf(hi)
    dn = np.isinf(lo)
    mid = ~(up | dn)
    out[up] = _upper_tail_mean(lo[up])
    out[dn] = -_upper_tail_mean(-hi[dn])
    l, h = lo[mid], hi[mid]
    # two-sided: use the side where the normal mass is far from zero for stability
    z = ndtr(h) - ndtr(l)
    phi_l, phi_h = np.exp(-0.5 * l * l), np.exp(-0.5 * h * h)
    val = (phi_l - phi_h) / np.sqrt(2 * np.pi) / np.maximum(z, 1e-300)
    # when both bounds are far in one tail, fall back to the nearer bound
    far = z < 1e-12
    val[far] = np.where(l[far] > 0, l[far], h[far])
    out[mid] = val
    return out


def _latent_bounds(is_no, is_abstain, m, tau):
    """Bounds of each vote's latent error: no (-inf, -m), abstain (-m, tau - m), yes (tau - m, inf)."""
    lo = np.where(is_no, -np.inf, np.where(is_abstain, 0.0, tau)) - m
    hi = np.where(is_no, 0.0, np.where(is_abstain, tau, np.inf)) - m
    return lo, hi


def _loglik_terms(lo, hi):
    """log P(lo < e < hi) and its first two derivatives w.r.t. a shift of the mean m (lo=a-m, hi=b-m)."""
    plo = np.where(np.isinf(lo), 0.0, np.exp(-0.5 * np.where(np.isinf(lo), 0, lo) ** 2) / np.sqrt(2 * np.pi))
    phi = np.where(np.isinf(hi), 0.0, np.exp(-0.5 * np.where(np.isinf(hi), 0, hi) ** 2) / np.sqrt(2 * np.pi))
    z = np.maximum(ndtr(hi) - ndtr(lo), 1e-300)
    lo_f = np.where(np.isinf(lo), 0.0, lo)
    hi_f = np.where(np.isinf(hi), 0.0, hi)
    g = (plo - phi) / z                        # d log z / dm
    # d2 log z / dm2 = (lo*phi(lo) - hi*phi(hi))/z - g^2
    h = (lo_f * plo - hi_f * phi) / z - g * g
    return np.log(z), g, h


@dataclass
class _Data:
    p: np.ndarray      # state-period index of each vote
    j: np.ndarray      # item index of each vote
    y: np.ndarray      # 1, 2, 3
    n_p: int
    n_j: int


class DynamicOrdinalIdealPoints:
    """scikit-learn-shaped estimator: parameters in the constructor, ``fit(votes)``, results in ``*_``.

    ``votes``: DataFrame with columns ``state``, ``year``, ``item`` and ``vote`` (1 no, 2 abstain,
    3 yes; absences are not rows). ``item`` groups roll calls that share parameters (see
    :func:`bridge_items`); default: one item per roll call.

    Learned: ``ideal_points_`` (state, year, ideal_point, se, lo90, hi90), ``items_`` (item, alpha,
    beta, tau, n_votes), ``n_iter_``, ``converged_``, ``fit_seconds_``.
    """

    def __init__(self, omega: float = 0.15, max_iter: int = 500, tol: float = 1e-4, prior_alpha: float = 5.0,
                 prior_beta: float = 2.0, anchor: str = "USA", ci: float = 0.90, normalise: bool = True, verbose: bool = False):
        self.omega, self.max_iter, self.tol = omega, max_iter, tol
        self.prior_alpha, self.prior_beta, self.anchor, self.ci, self.verbose = prior_alpha, prior_beta, anchor, ci, verbose
        self.normalise = normalise

    # -- data --------------------------------------------------------------------------------
    def _prepare(self, votes: pd.DataFrame) -> _Data:
        v = votes[["state", "year", "item", "vote"]].dropna()
        sy = v[["state", "year"]].drop_duplicates().sort_values(["state", "year"]).reset_index(drop=True)
        self._periods = sy
        pidx = pd.MultiIndex.from_frame(sy).get_indexer(pd.MultiIndex.from_frame(v[["state", "year"]]))
        jcodes, juniq = pd.factorize(v["item"])
        self._items = juniq
        return _Data(pidx.astype(np.int64), jcodes.astype(np.int64), v["vote"].to_numpy(np.int8), len(sy), len(juniq))

    def _pca_chain_start(self, d: _Data) -> np.ndarray:
        """Starting values: per year, the first principal component of the centred state x roll-call
        matrix; its sign chained to the previous year's through the states both years share
        (without this, a year can start mirrored and EM cannot cross back)."""
        years = self._periods["year"].to_numpy()
        states = self._periods["state"].to_numpy()
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
            u, s, _ = np.linalg.svd(M, full_matrices=False)
            pc = u[:, 0] * s[0]
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

    def _rw_structure(self):
        """Off-diagonal couplings between consecutive years of a state: (i, k, precision)."""
        sy = self._periods
        same = (sy["state"].to_numpy()[1:] == sy["state"].to_numpy()[:-1])
        gap = np.diff(sy["year"].to_numpy()).astype(float)
        i = np.flatnonzero(same)
        prec = 1.0 / (self.omega ** 2 * np.maximum(gap[i], 1.0))
        first = np.ones(len(sy), dtype=bool)
        first[i + 1] = False
        return i, i + 1, prec, first

    # -- fitting -----------------------------------------------------------------------------
    def fit(self, votes: pd.DataFrame, theta_init: np.ndarray | None = None):
        t0 = time.perf_counter()
        d = self._prepare(votes)
        a_idx, b_idx, rw, first = self._rw_structure()
        n_p, n_j = d.n_p, d.n_j
        theta = self._pca_chain_start(d) if theta_init is None else theta_init.copy()
        alpha = np.zeros(n_j)
        beta = np.full(n_j, 0.5)
        has_abst = np.bincount(d.j, weights=(d.y == 2).astype(float), minlength=n_j) > 0
        tau = np.where(has_abst, 0.5, 1.0)
        # random-walk precision matrix (fixed part)
        rows = np.concatenate([a_idx, b_idx, a_idx, b_idx])
        cols = np.concatenate([a_idx, b_idx, b_idx, a_idx])
        vals = np.concatenate([rw, rw, -rw, -rw])
        K = sparse.csc_matrix((vals, (rows, cols)), shape=(n_p, n_p))
        K = K + sparse.diags(first.astype(float))          # N(0, 1) on each state's first year
        yv = d.y
        is1, is2_all = yv == 1, yv == 2
        sel = (yv >= 2) & has_abst[d.j]
        jj, is2 = d.j[sel], is2_all[sel]
        sizes = np.cumsum([n_p, n_j, n_j])

        def step(x):
            """One EM cycle: E-step at x, then items, cut-points and ideal points (ECM)."""
            theta, alpha, beta, tau = np.split(x, sizes)
            m = beta[d.j] * theta[d.p] - alpha[d.j]
            lo, hi = _latent_bounds(is1, is2_all, m, tau[d.j])
            ez = m + _truncated_mean(lo, hi)                  # E[y*]
            # items: ridge regression of E[y*] on (theta, -1)
            th = theta[d.p]
            s_tt = np.bincount(d.j, th * th, n_j) + 1 / self.prior_beta ** 2
            s_t = np.bincount(d.j, th, n_j)
            s_1 = np.bincount(d.j, minlength=n_j) + 1 / self.prior_alpha ** 2
            s_zt = np.bincount(d.j, ez * th, n_j)
            s_z = np.bincount(d.j, ez, n_j)
            det = s_tt * s_1 - s_t * s_t
            beta = (s_1 * s_zt - s_t * s_z) / det
            alpha = (s_t * s_zt - s_tt * s_z) / det
            # cut-points: one Newton step on the observed likelihood of the abstain/yes votes
            tau = np.clip(tau, 0.02, 10.0)
            if sel.any():
                mm = (beta[d.j] * th - alpha[d.j])[sel]
                tt = tau[jj]
                lo2 = np.where(is2, -mm, tt - mm)
                hi2 = np.where(is2, tt - mm, np.inf)
                pl = np.exp(-0.5 * (tt - mm) ** 2) / np.sqrt(2 * np.pi)
                z2 = np.maximum(ndtr(hi2) - ndtr(lo2), 1e-300)
                gt = np.where(is2, pl / z2, -pl / z2)          # d log P / d tau
                ht = np.where(is2, -(tt - mm) * pl / z2, (tt - mm) * pl / z2) - gt * gt
                G = np.bincount(jj, gt, n_j)
                H = np.bincount(jj, ht, n_j) - 1e-3
                tau = np.clip(tau + np.clip(np.where(has_abst, -G / H, 0.0), -0.5, 0.5), 0.02, 10.0)
            # ideal points: one sparse solve for all state paths (random walk = tridiagonal blocks)
            z = ez + alpha[d.j]
            b2 = beta[d.j]
            A = np.bincount(d.p, b2 * b2, n_p)
            rhs = np.bincount(d.p, b2 * z, n_p)
            theta = splu((K + sparse.diags(A)).tocsc()).solve(rhs)
            if self.normalise:
                # the scale: mean 0 and standard deviation 1 over all state-years; the likelihood is
                # unchanged (y* = beta theta - alpha with theta' = (theta - mu)/sd, beta' = beta sd, alpha' = alpha - beta mu)
                mu, sd = theta.mean(), theta.std()
                alpha = alpha - beta * mu
                beta = beta * sd
                theta = (theta - mu) / sd
            return np.concatenate([theta, alpha, beta, tau])

        def logpost(x):
            theta, alpha, beta, tau = np.split(x, sizes)
            m = beta[d.j] * theta[d.p] - alpha[d.j]
            lo, hi = _latent_bounds(is1, is2_all, m, tau[d.j])
            ll = np.log(np.maximum(ndtr(hi) - ndtr(lo), 1e-300)).sum()
            return (ll - 0.5 * (alpha ** 2).sum() / self.prior_alpha ** 2 - 0.5 * (beta ** 2).sum() / self.prior_beta ** 2
                    - 0.5 * theta @ (K @ theta))

        # SQUAREM (Varadhan & Roland 2008, Scand. J. Statist. 35): two EM cycles, one extrapolation,
        # kept only when it does not lower the log posterior (else the plain EM iterate is used)
        x = np.concatenate([theta, alpha, beta, tau])
        it, converged = 0, False
        while it < self.max_iter:
            x1 = step(x)
            x2 = step(x1)
            it += 2
            r, v = x1 - x, x2 - 2 * x1 + x
            nv = np.linalg.norm(v)
            a = -np.linalg.norm(r) / nv if nv > 0 else -1.0
            a = min(a, -1.0)
            xn = x - 2 * a * r + a * a * v
            xn[sizes[2]:] = np.clip(xn[sizes[2]:], 0.02, 10.0)
            xn = step(xn)                                    # stabilise
            it += 1
            if not np.all(np.isfinite(xn)) or logpost(xn) < logpost(x2):
                xn = x2
            delta = np.max(np.abs(xn[:n_p] - x[:n_p]))
            x = xn
            if self.verbose:
                print(f"iter {it}: max change {delta:.2e}")
            if delta < self.tol:
                converged = True
                break
        theta, alpha, beta, tau = np.split(x, sizes)
        # sign: the anchor state high
        anchor = (self._periods["state"] == self.anchor).to_numpy()
        if anchor.any() and theta[anchor].mean() < 0:
            theta, beta, alpha = -theta, -beta, alpha.copy()
            # y* = beta theta - alpha is unchanged when both beta and theta flip
        self.n_iter_, self.converged_ = it, converged
        se = self._laplace_se(d, theta, alpha, beta, tau, K)
        from scipy.stats import norm
        zc = norm.ppf(0.5 + self.ci / 2)
        self.ideal_points_ = self._periods.assign(ideal_point=theta, se=se, lo=theta - zc * se, hi=theta + zc * se,
                                                  n_votes=np.bincount(d.p, minlength=n_p))
        self.items_ = pd.DataFrame({"item": self._items, "alpha": alpha, "beta": beta, "tau": tau,
                                    "n_votes": np.bincount(d.j, minlength=n_j), "has_abstentions": has_abst})
        self.fit_seconds_ = time.perf_counter() - t0
        return self

    def _laplace_se(self, d, theta, alpha, beta, tau, K):
        m = beta[d.j] * theta[d.p] - alpha[d.j]
        lo, hi = _latent_bounds(d.y == 1, d.y == 2, m, tau[d.j])
        _, _, h = _loglik_terms(lo, hi)
        info = np.bincount(d.p, beta[d.j] ** 2 * np.maximum(-h, 0.0), d.n_p)
        P = (K + sparse.diags(info)).tocsc()
        # diagonal of the inverse, state by state (block tridiagonal)
        se = np.empty(d.n_p)
        states = self._periods["state"].to_numpy()
        bounds = np.flatnonzero(np.r_[True, states[1:] != states[:-1], True])
        for a, b in zip(bounds[:-1], bounds[1:]):
            block = P[a:b, a:b].toarray()
            se[a:b] = np.sqrt(np.diag(np.linalg.inv(block)))
        return se


def bridge_items(roll_calls: pd.DataFrame) -> pd.Series:
    """Item id per roll call: repeated resolutions across sessions share one item.

    Rule: a roll call on a whole resolution (``amend == 0`` and ``para == 0``) whose normalised
    short title (upper case, punctuation and spaces collapsed) recurs in another session is
    bridged to the other roll calls with that title; amendments, paragraph votes and titles
    seen in one session only keep their own item. Returns a Series indexed like ``roll_calls``.
    """
    rc = roll_calls.copy()
    title = rc["short"].fillna("").astype(str).str.upper().str.replace(r"[^A-Z0-9]+", " ", regex=True).str.strip()
    whole = (pd.to_numeric(rc.get("amend"), errors="coerce").fillna(0) == 0) & (pd.to_numeric(rc.get("para"), errors="coerce").fillna(0) == 0)
    sessions = rc.assign(t=title)[whole & (title != "")].groupby("t")["session"].nunique()
    repeated = set(sessions[sessions > 1].index)
    bridged = whole & title.isin(repeated)
    return pd.Series(np.where(bridged, "T:" + title, "R:" + rc["rcid"].astype(str)), index=rc.index, name="item")
