"""Structural gravity in general equilibrium: multilateral resistances, counterfactual flows,
diversion and real income (Anderson & van Wincoop 2003; the GEPPML procedure of Yotov,
Piermartini, Monteiro & Larch 2016, *An Advanced Guide to Trade Policy Analysis*, ch. 2;
Head & Mayer 2014, *Handbook of International Economics* 4, section 4).

The model
---------
With t_ij^(1-σ) the trade costs (``tau``; from the gravity estimates, ``exp(b·x_ij)``), Y_i the
value of output (sales, domestic included) and E_j expenditure:

.. math::

    X_{ij} = \\frac{Y_i E_j \\, t_{ij}^{1-σ}}{Ω_i \\, Φ_j}, \\qquad
    Ω_i = \\sum_j \\frac{t_{ij}^{1-σ} E_j}{Φ_j}, \\qquad
    Φ_j = \\sum_i \\frac{t_{ij}^{1-σ} Y_i}{Ω_i}

Ω_i = Π_i^(1-σ) is the outward and Φ_j = P_j^(1-σ) the inward multilateral resistance (the book's
OMR and IMR). The system fixes them up to a scale; the inward resistance of the reference country
is set to 1 (P_R = 1, the numeraire; Germany in the book). :func:`resistances` solves it by the
fixed-point iteration above (alternating the two sums, then re-normalising), stopping when the
largest relative change of either resistance is below ``tol`` or after ``max_iter`` rounds; both,
and the iterations used, are reported. With Y and E the row and column sums of the data, the
fitted flows equal the PPML fit with exporter and importer fixed effects (whose first-order
conditions are these adding-up constraints).

The estimator
-------------
:class:`StructuralGravity` is the model as a scikit-learn estimator: ``fit(costs, flows)`` solves
the baseline (Ω, Φ and the fitted flows; output and expenditure the flows' row and column sums, or
given), ``counterfactual(new_costs)`` the three equilibria below (a :class:`Counterfactual`),
``predict(new_costs)`` the full-endowment flows. :func:`counterfactual` is the one-call form.

Counterfactuals
---------------
*Conditional* (``CDL``): new costs t', output and expenditure held: re-solve Ω', Φ', new flows.

*Full endowment* (``FULL``): producer prices p_i adjust. Output is Y_i' = p̂_i Y_i, expenditure
E_j' = φ_j Y_j' with φ_j = E_j / Y_j (trade imbalances kept as shares; all E_j' rescaled by one
factor so that world expenditure equals world output, which the adding-up requires), and the producer price
satisfies p_i^(1-σ) ∝ Y_i / Ω_i (the exporter fixed effect exp(π_i) = Y_i E_R / Ω_i, divided by E_R as
in the book), so that with Y_i' = p̂_i Y_i, in changes

.. math:: \\hat p_i = \\left( Ω_i' / Ω_i \\right)^{1/σ}

with the numeraire P_R = 1 in both equilibria. :func:`counterfactual`
iterates p̂ → (Y', E') → (Ω', Φ') → p̂ to the fixed point (damped, same ``tol``/``max_iter``).
Reported per country, in % (the book's layout): exports to other countries (CDL and FULL),
the producer price, the inward resistance P = Φ^(1/(1-σ)), and real GDP Y / P.

*Full endowment with fixed shares* (``endowment="fixed-shares"``): the formulation of the PyPI
package ``gegravity`` (Larch & Yotov 2016, "General equilibrium trade policy analysis with
structural gravity", WTO ERSD-2016-08, as that package solves it). Output and expenditure shares
stay at their baseline values inside the resistance equations, so the resistances are the
conditional ones, Ω' = Ω^CDL and Φ' = Φ^CDL, and the producer price solves
p_i^(1-σ) = Ω_i / Ω_i', i.e.

.. math:: \\hat p_i = \\left( Ω_i' / Ω_i \\right)^{1/(σ-1)}

in one step; Y_i' = p̂_i Y_i, E_j' = φ_j Y_j', and the flows X_ij' = t'_ij E_j' (Y_i'/ΣY') ΣY /
(Ω_i' Φ_j'), which need not add up to Y' and E'. It is offered to compare with that package and
with work done in it; the default (``"iterative"``) is the book's GEPPML loop, which keeps the
adding-up constraints in the new equilibrium. (``gegravity`` solves the same equation for p with
a root finder on p^(1-σ); with σ - 1 even the negative root -p̂ satisfies it too, and the package
can return it: a price change below -100%.)

Welfare without domestic flows
------------------------------
The formulas need each country's domestic sales (X_ii). Where the data hold only international
flows of some products (the energy and minerals subset), Y and E are that trade alone: "real
income" is then the real value of the country's sales of those products at home-region prices,
not GDP; :func:`counterfactual` says so in ``notes`` when ``domestic`` is False.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ..errors import InputError


class NotConverged(RuntimeError):
    """The fixed point did not converge within the iteration cap."""


@dataclass
class Resistances:
    """The multilateral resistances of one equilibrium and how the fixed point got there."""
    omr: np.ndarray            # Ω_i = Π_i^(1-σ)
    imr: np.ndarray            # Φ_j = P_j^(1-σ)
    iterations: int
    max_change: float


def resistances(tau: np.ndarray, Y: np.ndarray, E: np.ndarray, ref: int, tol: float = 1e-12, max_iter: int = 100_000,
                imr0: np.ndarray | None = None) -> Resistances:
    """Ω and Φ with Φ_ref = 1, by fixed-point iteration (see the module docstring). When the pairs
    with trade fall apart into separate groups of states (a few islands trading only among
    themselves), each group's scale is fixed on its own: Φ = 1 for its largest buyer."""
    refs = _component_refs(tau, Y, E, ref)
    imr = np.ones(len(E)) if imr0 is None else imr0.copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        omr = tau @ np.where(E > 0, E / imr, 0.0)
    change = np.inf
    for it in range(1, max_iter + 1):
        with np.errstate(divide="ignore", invalid="ignore"):
            imr_new = tau.T @ np.where(Y > 0, Y / omr, 0.0)
        for members, r in refs:
            imr_new[members] /= imr_new[r]
        with np.errstate(divide="ignore", invalid="ignore"):
            omr_new = tau @ np.where(E > 0, E / imr_new, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ci = np.abs(imr_new / imr - 1)[E > 0]
            co = np.abs(omr_new / omr - 1)[Y > 0]
        change = max(np.max(ci, initial=0.0), np.max(co, initial=0.0))
        imr, omr = imr_new, omr_new
        if change < tol:
            return Resistances(omr, imr, it, float(change))
    raise NotConverged(f"multilateral resistances: no convergence in {max_iter} iterations (last relative change {change:.2e}, "
                       f"tolerance {tol:.0e}); check for countries without any flows or infinite costs")


def _component_refs(tau: np.ndarray, Y: np.ndarray, E: np.ndarray, ref: int) -> list[tuple[np.ndarray, int]]:
    """The importers of each connected group of trading states and its reference importer."""
    n = len(E)
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components
    A = csr_matrix(np.block([[np.zeros((n, n)), tau > 0], [np.zeros((n, n)), np.zeros((n, n))]]))
    _, lab = connected_components(A, directed=False)
    imp = lab[n:]
    out = []
    for c in np.unique(imp[E > 0]):
        members = np.flatnonzero(imp == c)
        r = ref if ref in members else int(members[np.argmax(E[members])])
        out.append((members, r))
    if not any(r == ref for _, r in out):
        out.append((np.array([ref]), ref))
    return out


def _linked(tau: np.ndarray, Y: np.ndarray, E: np.ndarray, ref: int) -> np.ndarray:
    """The states linked to ``ref`` through pairs with t > 0 (selling or buying), in order."""
    n = len(E)
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components
    _, lab = connected_components(csr_matrix(np.block([[np.zeros((n, n)), tau > 0], [np.zeros((n, 2 * n))]])), directed=False)
    return np.flatnonzero(((lab[:n] == lab[n + ref]) & (Y > 0)) | ((lab[n:] == lab[n + ref]) & (E > 0)))


def flows(tau, Y, E, r: Resistances) -> np.ndarray:
    """The structural flows X_ij = Y_i E_j t_ij^(1-σ) / (Ω_i Φ_j) (0 where a resistance is 0 or infinite)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        X = (Y[:, None] * E[None, :]) * tau / (r.omr[:, None] * r.imr[None, :])
    return np.nan_to_num(X, nan=0.0, posinf=0.0)


@dataclass
class Counterfactual:
    """The baseline, conditional (CDL) and full-endowment (FULL) equilibria of a cost change: flows,
    producer price changes p̂, resistances and output per equilibrium, σ, iterations, tolerance, notes."""
    countries: list[str]
    baseline: np.ndarray                 # X_ij, fitted baseline
    conditional: np.ndarray              # X_ij, CDL
    full: np.ndarray                     # X_ij, FULL
    price_change: np.ndarray             # p̂_i
    omr: dict = field(default_factory=dict)   # "BLN"/"CDL"/"FULL" -> Ω
    imr: dict = field(default_factory=dict)   # -> Φ
    Y: dict = field(default_factory=dict)
    sigma: float = 7.0
    iterations: dict = field(default_factory=dict)
    tol: float = 1e-10
    notes: list[str] = field(default_factory=list)

    def table(self) -> pd.DataFrame:
        """Per country, % changes: exports (CDL, FULL), producer price, inward resistance, real GDP (the book's layout)."""
        off = ~np.eye(len(self.countries), dtype=bool)
        xi = lambda X: (X * off).sum(axis=1)  # noqa: E731
        s = 1.0 / (1.0 - self.sigma)
        p_bln, p_full = self.imr["BLN"] ** s, self.imr["FULL"] ** s
        with np.errstate(divide="ignore", invalid="ignore"):      # states that only buy have no exports: NaN, not an error
            return self._table(xi, p_bln, p_full)

    def _table(self, xi, p_bln, p_full) -> pd.DataFrame:
        """The columns of :meth:`table` (``xi``: exports to other countries of a flow matrix)."""
        return pd.DataFrame({
            "country": self.countries,
            "change_Xi_CDL": (xi(self.conditional) / xi(self.baseline) - 1) * 100,
            "change_Xi_FULL": (xi(self.full) / xi(self.baseline) - 1) * 100,
            "change_price_FULL": (self.price_change - 1) * 100,
            "change_IMR_FULL": (p_full / p_bln - 1) * 100,
            "change_rGDP_FULL": ((self.Y["FULL"] / p_full) / (self.Y["BLN"] / p_bln) - 1) * 100,
        })

    def diversion(self, top: int = 20) -> pd.DataFrame:
        """Bilateral flows that change most (FULL − baseline): who gains the trade that the shock moves."""
        n = len(self.countries)
        d = (self.full - self.baseline)
        i, j = np.unravel_index(np.argsort(-np.abs(d), axis=None)[: top * 2 + n], d.shape)
        rows = [{"exporter": self.countries[a], "importer": self.countries[b], "baseline": self.baseline[a, b], "counterfactual": self.full[a, b],
                 "change": d[a, b], "change_pct": (self.full[a, b] / self.baseline[a, b] - 1) * 100 if self.baseline[a, b] else np.nan}
                for a, b in zip(i, j) if a != b]
        return pd.DataFrame(rows).head(top)


def expenditure(phi: np.ndarray, Y: np.ndarray, E0: np.ndarray | None = None, Y0: np.ndarray | None = None) -> np.ndarray:
    """E_j = φ_j Y_j, rescaled so that world expenditure equals world output (without it the
    resistance system has no solution once prices move unevenly). States that only buy (Y_j = 0,
    as in a sector's trade data) keep their expenditure E0_j, scaled with world output."""
    E = phi * Y
    if E0 is not None:
        buy = Y0 <= 0
        E = np.where(buy, E0 * (Y.sum() / Y0.sum()), E)
    return E * (Y.sum() / E.sum())


def _square(X, countries, name: str, what: str = "t^(1-σ)") -> tuple[list[str], np.ndarray]:
    """The country list and the n x n matrix of ``X``: a DataFrame (exporters as index, importers as
    columns, the same countries) or an array with ``countries``; an :class:`InputError` unless it holds
    finite, non-negative ``what``."""
    if isinstance(X, pd.DataFrame):
        if countries is None:
            countries = list(X.index)
        if list(X.index) != list(countries) or list(X.columns) != list(countries):
            raise InputError(f"{name}: expected exporters as rows and importers as columns, the same countries in the same order")
        X = X.to_numpy(dtype=float)
    if countries is None:
        raise InputError(f"{name}: give the countries (a DataFrame with them as index and columns, or countries=)")
    countries, a = list(countries), np.asarray(X)
    n = len(countries)
    if a.shape != (n, n) or not np.all(np.isfinite(a)) or np.any(a < 0):
        raise InputError(f"{name}: expected a {n}x{n} matrix of finite, non-negative {what}, got shape {a.shape}")
    return countries, a


class StructuralGravity(BaseEstimator):
    """Structural gravity in general equilibrium (the module doc), a scikit-learn estimator.

    Parameters: ``reference`` the numeraire country (its inward resistance is 1; required),
    ``sigma`` the elasticity of substitution σ > 1, ``tol`` the fixed points' relative tolerance,
    ``max_iter`` the cap on the full-endowment price loop, ``damping`` its step (1: none),
    ``domestic`` whether the flows include domestic sales (otherwise "real GDP" is the real value of
    the modelled trade, said in the notes), ``endowment`` ``"iterative"`` (the book's GEPPML loop) or
    ``"fixed-shares"`` (gegravity's one-step formulation).

    ``fit(X, y)``: X the baseline costs t_ij^(1-σ) (n x n: a DataFrame with the countries as index and
    columns, or an array with ``countries=``), y the baseline flows whose row and column sums are
    output Y and expenditure E (or give ``output=`` and ``expenditure=`` instead). Learned:
    ``countries_``, ``costs_``, ``output_``, ``expenditure_``, ``reference_index_``, ``resistances_``
    (Ω, Φ of the baseline), ``flows_`` (the fitted baseline flows), ``n_iter_``.
    """

    def __init__(self, reference: str | None = None, sigma: float = 7.0, tol: float = 1e-10, max_iter: int = 10_000,
                 damping: float = 1.0, domestic: bool = True, endowment: str = "iterative"):
        self.reference, self.sigma, self.tol, self.max_iter = reference, sigma, tol, max_iter
        self.damping, self.domestic, self.endowment = damping, domestic, endowment

    def fit(self, X, y=None, *, output=None, expenditure=None, countries=None):
        """Solve the baseline equilibrium: Ω and Φ with Φ_reference = 1 (:func:`resistances`) and the
        fitted flows; returns the estimator. Bad input (costs, totals, σ, the reference) is an
        :class:`InputError`; no convergence, :class:`NotConverged`."""
        if self.endowment not in ENDOWMENT:
            raise InputError(f"endowment must be one of {', '.join(ENDOWMENT)}, got {self.endowment!r}")
        names = list(countries) if countries is not None else (list(X.index) if isinstance(X, pd.DataFrame) else None)
        ref = self.reference
        if names is not None and ref not in names:
            raise InputError(f"reference country {ref!r} is not among the {len(names)} countries")
        names, tau = _square(X, names, "baseline costs")
        if y is not None:
            Y, E = (_square(y, names, "baseline flows", "flows")[1].sum(axis=k) for k in (1, 0))
        elif output is None or expenditure is None:
            raise InputError("give the baseline flows (y) or both output and expenditure")
        else:
            Y, E = np.asarray(output, dtype=float), np.asarray(expenditure, dtype=float)
        if np.any(Y < 0) or np.any(E < 0) or np.any((Y <= 0) & (E <= 0)):
            bad = [names[k] for k in np.flatnonzero((Y < 0) | (E < 0) | ((Y <= 0) & (E <= 0)))]
            raise InputError(f"output and expenditure must be non-negative and not both zero; wrong for {', '.join(bad[:10])}")
        if self.sigma <= 1:
            raise InputError(f"sigma must exceed 1 (the elasticity of substitution), got {self.sigma}")
        r = names.index(ref)
        if Y[r] <= 0 or E[r] <= 0:
            raise InputError(f"the reference country {ref} needs both sales and purchases in the data")
        bln = resistances(tau, Y, E, r, self.tol * 1e-2)
        self.countries_, self.costs_, self.output_, self.expenditure_, self.reference_index_ = names, tau, Y, E, r
        self.resistances_, self.flows_, self.n_iter_ = bln, flows(tau, Y, E, bln), bln.iterations
        return self

    def counterfactual(self, X) -> Counterfactual:
        """The conditional and full-endowment equilibria of the new costs ``X`` (t'^(1-σ), same countries
        and layout as in ``fit``) against the fitted baseline (module doc: p̂_i = (Ω_i'/Ω_i)^(1/σ) iterated,
        or (Ω_i'/Ω_i)^(1/(σ-1)) in one step with ``endowment="fixed-shares"``)."""
        check_is_fitted(self, "resistances_")
        countries, tau_cfl = _square(X, self.countries_, "counterfactual costs")
        Y, E, r, bln, sigma, tol = self.output_, self.expenditure_, self.reference_index_, self.resistances_, self.sigma, self.tol
        max_iter, damping, domestic = self.max_iter, self.damping, self.domestic
        n = len(countries)
        with np.errstate(divide="ignore", invalid="ignore"):
            phi = np.where(Y > 0, E / Y, 0.0)
        pure_buyers = (Y <= 0)
        X0 = self.flows_
        cdl = resistances(tau_cfl, Y, E, r, tol * 1e-2, imr0=bln.imr)
        X1 = flows(tau_cfl, Y, E, cdl)
        if self.endowment == "fixed-shares":
            return _fixed_shares(countries, X0, X1, bln, cdl, tau_cfl, Y, E, phi, sigma, tol, domestic)
        # full endowment: iterate on producer prices
        p = np.ones(n)
        res = cdl
        change = np.inf
        for it in range(1, max_iter + 1):
            Yf = p * Y
            Ef = expenditure(phi, Yf, E, Y)
            res = resistances(tau_cfl, Yf, Ef, r, tol * 1e-2, imr0=res.imr)
            with np.errstate(divide="ignore", invalid="ignore"):
                p_new = np.where(pure_buyers, 1.0, (res.omr / bln.omr) ** (1.0 / sigma))
            p_new = damping * p_new + (1 - damping) * p
            change = float(np.nanmax(np.abs(p_new / p - 1)))
            p = p_new
            if change < tol:
                break
        else:
            raise NotConverged(f"full-endowment prices: no convergence in {max_iter} iterations (last change {change:.2e}, tolerance {tol:.0e}); "
                               "try damping < 1")
        Yf = p * Y
        Ef = expenditure(phi, Yf, E, Y)
        res = resistances(tau_cfl, Yf, Ef, r, tol * 1e-2, imr0=res.imr)
        X2 = flows(tau_cfl, Yf, Ef, res)
        return Counterfactual(countries, X0, X1, X2, p, {"BLN": bln.omr, "CDL": cdl.omr, "FULL": res.omr},
                              {"BLN": bln.imr, "CDL": cdl.imr, "FULL": res.imr}, {"BLN": Y, "FULL": Yf}, sigma,
                              {"baseline": bln.iterations, "conditional": cdl.iterations, "full_prices": it}, tol, _notes(domestic))

    def predict(self, X) -> np.ndarray:
        """The full-endowment counterfactual flows X'_ij of the new costs ``X`` (:meth:`counterfactual`)."""
        return self.counterfactual(X).full


def counterfactual(countries, tau_bln: np.ndarray, tau_cfl: np.ndarray, Y: np.ndarray, E: np.ndarray, ref: str, sigma: float = 7.0,
                   tol: float = 1e-10, max_iter: int = 10_000, damping: float = 1.0, domestic: bool = True,
                   endowment: str = "iterative") -> Counterfactual:
    """Baseline, conditional and full-endowment equilibria for the cost change ``tau_bln`` → ``tau_cfl``:
    :class:`StructuralGravity` fitted on the baseline (output ``Y``, expenditure ``E``), then its
    :meth:`~StructuralGravity.counterfactual`. ``endowment``: ``"iterative"`` (the book's GEPPML loop)
    or ``"fixed-shares"`` (gegravity's one-step formulation); see the module docstring."""
    model = StructuralGravity(reference=ref, sigma=sigma, tol=tol, max_iter=max_iter, damping=damping, domestic=domestic,
                              endowment=endowment)
    return model.fit(tau_bln, output=Y, expenditure=E, countries=countries).counterfactual(tau_cfl)


ENDOWMENT = ("iterative", "fixed-shares")


def _notes(domestic: bool) -> list[str]:
    if domestic:
        return []
    return [("No domestic flows in the data: output and expenditure are the modelled trade alone, so 'real GDP' is the real value "
             "of that trade (sales deflated by the inward resistance), not the country's GDP; welfare effects leave out every "
             "other good and the domestic market.")]


def _fixed_shares(countries, X0, X1, bln: Resistances, cdl: Resistances, tau_cfl, Y, E, phi, sigma, tol, domestic) -> Counterfactual:
    """The full endowment with baseline shares in the resistance equations (module docstring)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(Y > 0, (cdl.omr / bln.omr) ** (1.0 / (sigma - 1.0)), 1.0)
    Yf = p * Y
    Ef = np.where(Y > 0, phi * Yf, E)
    with np.errstate(divide="ignore", invalid="ignore"):
        X2 = tau_cfl * ((Yf / Yf.sum())[:, None] * Ef[None, :]) * Y.sum() / (cdl.omr[:, None] * cdl.imr[None, :])
    X2 = np.nan_to_num(X2, nan=0.0, posinf=0.0)
    return Counterfactual(countries, X0, X1, X2, p, {"BLN": bln.omr, "CDL": cdl.omr, "FULL": cdl.omr},
                          {"BLN": bln.imr, "CDL": cdl.imr, "FULL": cdl.imr}, {"BLN": Y, "FULL": Yf}, sigma,
                          {"baseline": bln.iterations, "conditional": cdl.iterations, "full_prices": 1}, tol, _notes(domestic))


def monte_carlo(countries, costs, coef: pd.Series, vcov: pd.DataFrame, Y: np.ndarray, E: np.ndarray, ref: str, sigma: float = 7.0,
                draws: int = 200, seed: int = 0, tol: float = 1e-8, quantiles=(0.05, 0.5, 0.95), solve=None) -> pd.DataFrame:
    """Intervals for the counterfactual: ``draws`` coefficient vectors from N(coef, vcov), each
    turned into baseline and counterfactual costs by ``costs(b) -> (tau_bln, tau_cfl)`` and solved
    again (by ``solve(t0, t1) -> table`` when given: the same baseline as the point estimate). Returns
    per country and measure the quantiles of the % changes (columns q05, q50, q95)."""
    rng = np.random.default_rng(seed)
    b = rng.multivariate_normal(coef.to_numpy(), vcov.loc[coef.index, coef.index].to_numpy(), size=draws)
    tabs = []
    for k in range(draws):
        t0, t1 = costs(pd.Series(b[k], index=coef.index))
        tab = solve(t0, t1) if solve is not None else counterfactual(countries, t0, t1, Y, E, ref, sigma, tol=tol).table()
        tabs.append(tab.set_index("country").reindex(countries))
    arr = np.stack([t.to_numpy() for t in tabs])            # draws x countries x measures
    out = []
    for m, col in enumerate(tabs[0].columns):
        q = np.quantile(arr[:, :, m], quantiles, axis=0)
        out.append(pd.DataFrame({"country": tabs[0].index, "measure": col,
                                 **{f"q{int(round(qq * 100)):02d}": q[i] for i, qq in enumerate(quantiles)}}))
    return pd.concat(out, ignore_index=True)


# --------------------------------------------------------------------------------------------------
# Counterfactuals from observed flows (exact hat algebra)
# --------------------------------------------------------------------------------------------------

BASELINES = ("observed", "calibrated", "fitted")


@dataclass
class HatSolution:
    """The equilibrium of :func:`hat_algebra`: the counterfactual flows (prices re-solved), the conditional ones
    (prices held), the exporters' price changes p̂, the importers' Φ' / Φ (= P̂^(1-σ)) in both, iterations, notes."""
    full: np.ndarray
    conditional: np.ndarray
    price_change: np.ndarray
    imr: np.ndarray
    imr_conditional: np.ndarray
    iterations: int
    notes: list[str] = field(default_factory=list)


def hat_algebra(X: np.ndarray, t_hat: np.ndarray, sigma: float, tol: float = 1e-10, max_iter: int = 50_000,
                damping: float = 0.5) -> HatSolution:
    """Exact hat algebra on observed flows (Dekle, Eaton & Kortum 2008, *IMF Staff Papers* 55(3); Costinot &
    Rodríguez-Clare 2014, *Handbook of International Economics* 4, section 3.4), for a sector's trade.

    With π_ij = X_ij / E_j the observed import shares, t̂_ij the change of t_ij^(1-σ) (0 for a ban) and p̂_i the
    change of exporter i's price:

    .. math:: X'_{ij} = \\frac{π_{ij} \\hat t_{ij} \\hat p_i^{1-σ}}{\\hat Φ_j} E_j, \\qquad
              \\hat Φ_j = \\sum_k π_{kj} \\hat t_{kj} \\hat p_k^{1-σ}

    (Φ̂_j = P̂_j^(1-σ), the importer's multilateral resistance recomputed from its own suppliers), and p̂ such that
    every exporter's sales clear, Σ_j X'_ij = p̂_i Y_i. The importers' spending on the sector E_j is held (the data
    hold no domestic sales or incomes of the sector); so an importer gains most from an exporter's cheaper price where
    that exporter's share of its purchases is small, and a buyer that relies on it alone gains nothing. The prices
    are found by damped tâtonnement, p̂_i ← p̂_i (demand / supply)^(damping/σ), to a relative excess demand below
    ``tol``; :class:`NotConverged` after ``max_iter`` rounds. A pair that traded nothing keeps nothing. An importer
    left without any supplier (all banned) and an exporter left without any buyer are named in the notes: their
    trade is gone, not moved."""
    X = np.asarray(X, dtype=float)
    n = len(X)
    Y, E = X.sum(axis=1), X.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        pi = np.where(E[None, :] > 0, X / E[None, :], 0.0)
    K = pi * np.asarray(t_hat, dtype=float)
    act = (Y > 0) & (K.sum(axis=1) > 0)

    def solve(p):
        w = np.where(act, p ** (1.0 - sigma), 0.0)
        phi = w @ K
        with np.errstate(divide="ignore", invalid="ignore"):
            Xn = np.where(phi[None, :] > 0, K * w[:, None] / phi[None, :], 0.0) * E[None, :]
        return Xn, phi

    X_cdl, phi_cdl = solve(np.ones(n))
    p = np.ones(n)
    change = np.inf
    for it in range(1, max_iter + 1):
        Xn, phi = solve(p)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(act, Xn.sum(axis=1) / (p * Y), 1.0)
        change = float(np.max(np.abs(ratio - 1.0)[act], initial=0.0))
        if change < tol:
            break
        p = np.where(act, p * np.maximum(ratio, 1e-3) ** (damping / sigma), p)
    else:
        raise NotConverged(f"exact hat algebra: no convergence in {max_iter} rounds (largest excess demand {change:.2e})")
    notes = []
    lost_e = np.flatnonzero((E > 0) & (phi <= 0))
    lost_y = np.flatnonzero((Y > 0) & ~act)
    if len(lost_e):
        notes.append(f"{len(lost_e)} importer(s) left without any supplier: their purchases are gone, not moved")
    if len(lost_y):
        notes.append(f"{len(lost_y)} exporter(s) left without any buyer: their sales are gone, not moved")
    return HatSolution(Xn, X_cdl, p, np.where(E > 0, phi, 1.0), np.where(E > 0, phi_cdl, 1.0), it, notes)


@dataclass
class ObservedCounterfactual:
    """A counterfactual that starts from the observed flows.

    ``observed``: the observed baseline (the model's fitted flow where the observation is missing,
    flagged in ``origin``); ``model``: the baseline and counterfactual of the fitted model
    (:class:`Counterfactual`); ``full``: the counterfactual flows; ``origin``: per pair,
    ``"observed"``, ``"fitted: no observation"`` or ``"new: zero observed, cost lowered"``."""
    countries: list[str]
    observed: np.ndarray
    full: np.ndarray
    model: Counterfactual
    solved: Counterfactual            # the equilibrium the flows come from (calibrated, or the fitted model's)
    origin: np.ndarray
    method: str
    notes: list[str] = field(default_factory=list)

    def new_pair_share(self) -> float:
        """The share of the counterfactual's international flows on pairs that traded nothing in the
        baseline and trade because the scenario lowered their cost."""
        off = ~np.eye(len(self.countries), dtype=bool)
        tot = float((self.full * off).sum())
        new = float((self.full * (self.origin == ORIGIN_NEW) * off).sum())
        return new / tot if tot > 0 else 0.0

    def table(self) -> pd.DataFrame:
        """The per-country table of :meth:`Counterfactual.table` (changes relative to the observed baseline)."""
        return self.solved.table()

    def diversion(self, top: int = 20) -> pd.DataFrame:
        """The flows that change most (:meth:`Counterfactual.diversion` of the solved equilibrium)."""
        return self.solved.diversion(top)

    def flows(self) -> pd.DataFrame:
        """Every ordered pair with a flow in one of the baselines or the counterfactual (thousand US$)."""
        n = len(self.countries)
        i, j = np.nonzero(((self.observed > 0) | (self.model.baseline > 0) | (self.full > 0)) & ~np.eye(n, dtype=bool))
        c = np.asarray(self.countries)
        return pd.DataFrame({"exporter": c[i], "importer": c[j], "observed_baseline": self.observed[i, j],
                             "model_baseline": self.model.baseline[i, j], "model_counterfactual": self.model.full[i, j],
                             "counterfactual": self.full[i, j], "origin": self.origin[i, j]})


def decay_deviations(full: np.ndarray, observed: np.ndarray, model_baseline: np.ndarray, rho: float) -> np.ndarray:
    """A counterfactual from observed flows whose pairs' deviations from gravity fade.

    A counterfactual from observed flows keeps each pair's deviation from the model, X_obs / X̂ (contracts, refinery
    slates, pipelines, habits), as it was. Over a horizon of h years such deviations persist only in part: in logs,
    log(X/X̂) at t+h ≈ ρ · log(X/X̂) at t (``rho``, estimated from the fit years by
    :func:`multipolar.gravity.backtest.persistence`). So each pair that traded keeps the fraction ρ of its deviation:

    .. math:: X^{h}_{ij} = X'_{ij} \\, (\\hat X_{ij} / X^{obs}_{ij})^{1-ρ}

    (ρ = 1: ``full`` unchanged; ρ = 0: the model's counterfactual levels on the pairs that traded). Each exporter's
    total sales are then scaled back to its total in ``full``: the decay moves sales between destinations, not their sum.
    A pair that traded nothing, or that the model has no flow for, keeps its value in ``full`` (0, a ban, or a flagged
    increment)."""
    full, obs, m0 = (np.asarray(a, dtype=float) for a in (full, observed, model_baseline))
    if not 0.0 <= rho <= 1.0:
        raise InputError(f"persistence of the pair deviations: expected a number from 0 to 1, got {rho}")
    both = (obs > 0) & (m0 > 0) & (full > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(both, full * (m0 / np.where(both, obs, 1.0)) ** (1.0 - rho), full)
    tot, new = full.sum(axis=1), out.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(new > 0, tot / new, 0.0)
    return out * scale[:, None]


ORIGIN_OBS, ORIGIN_FIT, ORIGIN_NEW = "observed", "fitted: no observation", "new: zero observed, cost lowered"


def counterfactual_observed(countries, X_obs: np.ndarray, tau_bln: np.ndarray, tau_cfl: np.ndarray, ref: str, sigma: float = 7.0,
                            observed: np.ndarray | None = None, method: str = "observed", tol: float = 1e-10,
                            domestic: bool = True, banned: np.ndarray | None = None) -> ObservedCounterfactual:
    """The counterfactual of the cost change ``tau_bln`` → ``tau_cfl`` applied to the observed flows.

    ``method``:

    * ``"observed"`` (default): X' = X_obs × X'_model / X_model, each pair's change in the fitted
      model's general equilibrium applied to its observed flow. A pair that traded nothing keeps
      nothing, unless the scenario lowers its cost (t_ij falls); then it gets the model's
      increment, X'_model − X_model (flagged ``new``, and its share of the counterfactual
      reported). A banned pair gets 0. The flows keep the model's
      changes, not its levels; they need not add up to a new equilibrium of the observed data.
    * ``"calibrated"`` (exact hat algebra, Dekle, Eaton & Kortum 2008, *IMF Staff Papers*
      55(3); Costinot & Rodríguez-Clare 2014, *Handbook of International Economics* 4, section 3.4):
      :func:`hat_algebra`: the observed import shares, the model's cost changes t'/t, the resistances
      recomputed and the exporters' prices re-solved so that their sales clear (the importers' spending
      held). A pair that traded nothing keeps nothing, unless the scenario lowers its cost; then it gets
      the model's increment, X'_model − X_model (no more than the model says the cut creates), flagged
      ``new``. An importer left with no supplier, or an exporter with no buyer, loses its trade (said in
      the notes). Earlier versions re-solved the book's equilibrium on calibrated costs, which did not
      converge on the sparse crude data once bans removed pairs.
    * ``"fitted"``: the fitted model's counterfactual flows (the textbook's procedure: Yotov et
      al. 2016 solve from the fitted baseline by design; ``gravity replicate`` keeps it).

    ``observed``: a boolean matrix, True where ``X_obs`` is an observation (default: everywhere);
    elsewhere the model's fitted flow is the baseline, flagged ``fitted: no observation``.
    ``banned``: pairs under a ban in the counterfactual (besides those ``tau_cfl`` sets to 0): their
    flow is 0 whatever the method."""
    countries = list(countries)
    n = len(countries)
    if method not in BASELINES:
        raise InputError(f"baseline must be one of {', '.join(BASELINES)}, got {method!r}")
    X_obs = np.asarray(X_obs, dtype=float)
    if X_obs.shape != (n, n) or not np.all(np.isfinite(X_obs[observed] if observed is not None else X_obs)) \
            or np.any(np.nan_to_num(X_obs) < 0):
        raise InputError(f"observed flows: expected a {n}x{n} matrix of finite, non-negative flows")
    seen = np.ones((n, n), dtype=bool) if observed is None else np.asarray(observed, dtype=bool)
    off = ~np.eye(n, dtype=bool)
    Xo = np.where(seen, np.nan_to_num(X_obs), 0.0) * off
    # the fitted model, on the observed totals (the missing pairs' fitted flows are added in a second pass)
    Y, E = Xo.sum(axis=1), Xo.sum(axis=0)
    model = counterfactual(countries, tau_bln, tau_cfl, Y, E, ref, sigma, tol=tol, domestic=domestic)
    origin = np.full((n, n), ORIGIN_OBS, dtype=object)
    notes = []
    fill = ~seen & off
    if fill.any():
        Xo = Xo + np.where(fill, model.baseline, 0.0)
        origin[fill] = ORIGIN_FIT
        notes.append(f"{int((fill & (model.baseline > 0)).sum()):,} pairs without an observation: their baseline is the model's fitted "
                     f"flow ({model.baseline[fill].sum() / max(Xo.sum(), 1e-300):.1%} of the baseline's trade), flagged")
        Y, E = Xo.sum(axis=1), Xo.sum(axis=0)
        model = counterfactual(countries, tau_bln, tau_cfl, Y, E, ref, sigma, tol=tol, domestic=domestic)
    banned = (tau_cfl <= 0) & (tau_bln > 0) if banned is None else (np.asarray(banned, dtype=bool) | (tau_cfl <= 0) & (tau_bln > 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        # a pair without a base cost (no cost variables; a ban) has no modelled change: its observed flow is kept
        hat = np.where(tau_bln > 0, tau_cfl / tau_bln, 1.0)
    hat[banned] = 0.0
    # a pair that traded nothing trades only where the scenario cuts its cost (t^(1-σ) rises), and only by what the
    # model adds to it; a fall in the exporter's price alone does not open a pair (tried: it spreads small flows to
    # every importer and ranks the destinations of the backtests worse)
    lowered = (Xo <= 0) & (tau_bln > 0) & (tau_cfl > tau_bln) & ~banned & off
    if method == "fitted":
        full = model.full.copy()
        solved = model
    elif method == "observed":
        with np.errstate(divide="ignore", invalid="ignore"):
            full = np.where(model.baseline > 0, Xo * model.full / model.baseline, 0.0)
        full = np.where(lowered, np.maximum(model.full - model.baseline, 0.0), full)
        solved = Counterfactual(countries, Xo, np.where(model.baseline > 0, Xo * model.conditional / np.where(model.baseline > 0, model.baseline, 1), 0.0),
                                full, model.price_change, model.omr, model.imr, model.Y, sigma, model.iterations, tol, model.notes)
    else:
        # exact hat algebra on the observed flows (module docstring of hat_algebra): the observed import shares,
        # the model's cost changes, the exporters' prices re-solved so that their sales clear
        hs = hat_algebra(Xo, np.where(Xo > 0, hat, 0.0), sigma, tol=tol)
        full = hs.full
        # a pair that traded nothing gets the model's increment where the scenario cuts its cost (flagged new)
        full = np.where(lowered, np.maximum(model.full - model.baseline, 0.0), full)
        p_bln = np.ones(n)
        solved = Counterfactual(countries, Xo, hs.conditional, full, hs.price_change, {"BLN": p_bln, "CDL": p_bln, "FULL": p_bln},
                                {"BLN": p_bln, "CDL": hs.imr_conditional, "FULL": hs.imr}, {"BLN": Y, "FULL": hs.price_change * Y},
                                sigma, {"full_prices": hs.iterations}, tol, _notes(domestic))
        notes.extend(hs.notes)
    full = np.where(banned | ~off, 0.0, full)          # no flow where a ban is in force
    origin[lowered] = ORIGIN_NEW
    if method != "fitted" and lowered.any():
        notes.append(f"{int((lowered & (full > 0)).sum()):,} pairs that traded nothing in the baseline trade because the scenario "
                     f"lowers their cost (the model's increment): {ObservedCounterfactual(countries, Xo, full, model, solved, origin, method).new_pair_share():.2%} "
                     "of the counterfactual's flows")
    return ObservedCounterfactual(countries, Xo, full, model, solved, origin, method, notes + list(solved.notes))
