"""Backtest: fit on the years up to 2021, impose the 2022-2023 sanctions on Russian crude oil,
compare the predicted destinations of Russian crude with those observed in 2023 (BACI).

The scenario: the EU embargo on Russian crude (Council Regulation (EU) 2022/879, sea-borne crude
from 5 Dec 2022; pipeline deliveries to Hungary, Slovakia and Czechia exempt, and left open here)
and the bans of the United States (EO 14066, March 2022), the United Kingdom, Canada and Australia;
the G7 price cap (from 5 Dec 2022) as a ``cap_pct`` tariff equivalent on Russia's crude sales to
everyone else (Western shipping and insurance at a capped price: a friction, not a ban).

Reported: the rank correlation (Spearman) across importers between predicted and observed shares of
Russia's crude exports in ``observed_year`` (2023 by default), the same for the no-change forecast
(the ``base_year`` shares, 2021 by default), and the shares of the EU, China, India and Turkey —
predicted, observed, and in the baseline. The labels follow the years given. Put in the docs as it
comes out.
"""
from __future__ import annotations

import pandas as pd

from ..errors import InputError

PIPELINE_EXEMPT = ["HUN", "SVK", "CZE"]
BANNING = ["USA", "GBR", "CAN", "AUS"]


def backtest(db=None, fit_years=(2012, 2021), base_year: int = 2021, observed_year: int = 2023, cap_pct: float = 10.0,
             sigma: float = 7.0) -> dict:
    from ..actors import groupings
    from . import ge, panel as P
    costs = [c for c in P.COSTS if c != "ip_distance"]          # no UN votes after 2019: the distance would be missing
    # the crude-oil panel does not allow pair effects (their demeaning does not converge; see panel.fit)
    f, d = P.fit(fit_years, "crude_oil", db, pair_effects=False, costs=costs)
    bl = P.baseline(d, base_year, "backtest", fit=f)
    countries, X, Y, E = bl.countries, bl.X, bl.Y, bl.E
    f.notes.extend(bl.notes)
    tau0 = bl.costs(f.coef)
    idx = {c: i for i, c in enumerate(countries)}
    eu = [c for c in groupings.members("EU", 2022) if c not in PIPELINE_EXEMPT]
    tau1 = tau0.copy()
    r = idx["RUS"]
    banned = [idx[c] for c in eu + BANNING if c in idx]
    others = [k for k in range(len(countries)) if k not in banned and k != r]
    tau1[r, banned] = 0.0
    tau1[r, others] *= (1 + cap_pct / 100) ** (1 - sigma)
    ref = "USA" if "USA" in idx and Y[idx["USA"]] > 0 and E[idx["USA"]] > 0 else max(countries, key=lambda c: min(Y[idx[c]], E[idx[c]]))
    res = ge.counterfactual(countries, tau0, tau1, Y, E, ref, sigma)
    pred = pd.Series(res.full[r], index=countries)
    pred = pred[pred.index != "RUS"]
    from ..warehouse import Warehouse
    w = Warehouse(db)
    obs = w.query(f"""SELECT importer, sum(value_kusd) AS v FROM baci_trade WHERE hs6 = '270900' AND exporter = 'RUS'
                      AND year = {observed_year} GROUP BY importer""").set_index("importer")["v"]
    if obs.empty:
        raise InputError(f"backtest: BACI has no Russian crude exports in {observed_year}")
    base_sh = pd.Series(X[r], index=countries)
    base_sh = base_sh[base_sh.index != "RUS"]
    allc = sorted(set(pred.index) | set(obs.index))
    pr = (pred.reindex(allc).fillna(0) / pred.sum())
    ob = (obs.reindex(allc).fillna(0) / obs.sum())
    bs = (base_sh.reindex(allc).fillna(0) / base_sh.sum())
    from scipy.stats import spearmanr
    active = (pr > 0) | (ob > 0)
    rho = float(spearmanr(pr[active], ob[active]).statistic)
    rho_base = float(spearmanr(bs[active], ob[active]).statistic)
    groups = {"EU": [c for c in groupings.members("EU", observed_year)], "China": ["CHN"], "India": ["IND"], "Türkiye": ["TUR"]}
    b_, p_, o_ = f"baseline_{base_year}", f"predicted_{observed_year}", f"observed_{observed_year}"
    shares = pd.DataFrame({g: {b_: bs.reindex(cs).sum(), p_: pr.reindex(cs).sum(), o_: ob.reindex(cs).sum()}
                           for g, cs in groups.items()}).T
    # every importer with a share in one of the three; ``active``: those the correlation is taken over
    by_importer = pd.DataFrame({"predicted": pr, "observed": ob, "baseline": bs, "active": active})
    by_importer = by_importer[(by_importer[["predicted", "observed", "baseline"]] > 0).any(axis=1)]
    top = by_importer.drop(columns="active").sort_values("observed", ascending=False).head(10)
    return {"spearman": rho, "spearman_no_change": rho_base, "importers": int(active.sum()), "shares": shares, "top": top,
            "by_importer": by_importer, "base_year": base_year, "observed_year": observed_year, "fit_years": tuple(fit_years), "fit": f,
            "observed_total_musd": float(obs.sum() / 1e3), "baseline_total_musd": float(base_sh.sum() / 1e3),
            "predicted_total_musd": float(pred.sum() / 1e3), "iterations": res.iterations, "cap_pct": cap_pct}
