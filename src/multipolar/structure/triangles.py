"""Strategic triangles (Dittmer 1981) and structural balance (Heider 1946; Cartwright & Harary 1956).

The sign of a relation, with its uncertainty
--------------------------------------------
+1 (friendly) when the relation type (:mod:`multipolar.relations`) is alliance, strategic partnership
or alignment; -1 (hostile) when it is at war, adversary or rivalry. Otherwise the closeness decides,
but only when its 90% interval (``closeness_lo`` to ``closeness_hi``) excludes the ``threshold``
(default 0): friendly when the whole interval lies above it, hostile when below, and **neutral** (0)
when it spans it. A closeness of -0.02 whose interval spans zero is neutral, not hostile. A pair
without a closeness (and without a decisive type) is unknown. The two directions of a pair are
combined: the more hostile sign wins.

**The sign must not hang on one component** (when the component scores are given, as
:func:`multipolar.structure.relation_signs` gives them): closeness is a weighted mean of up to five
components with chosen weights (:mod:`multipolar.relations`), and a sign is kept only when the
closeness stays on the same side of the threshold with any one of its components left out (the
exclusion of one indicator at a time: OECD & JRC 2008, *Handbook on Constructing Composite
Indicators*, section 7); otherwise the pair is neutral (``robust`` False). A closeness resting on a
single component keeps that component's sign. Example: the United States and China in 1981-89,
whose closeness rests on the UN votes (their ideal points 2.3-3.0 apart, the US voting against most
of the General Assembly then) and on the institutions score 0 (no pact, no shared grouping): with
the votes left out nothing hostile remains, so the link is neutral; in 1973-79 it rests on the
votes (slightly close) against sanctions recorded either way (-0.3), and each left out flips it.

``p_friendly``: the probability that the pair is friendly, with each row's closeness drawn from a
normal distribution with its 90% interval (sd = width / 3.29), the pair's closeness the mean of its
two rows; 1 or 0 when the type decides; 1 or 0 when the interval has no width (the interval carries
the ideal-point uncertainty only, see :mod:`multipolar.relations`).

Dittmer's typology (Dittmer 1981, *World Politics* 33(4): 485-515)
--------------------------------------------------------------------
When the three links are signed (none neutral):

* ménage à trois: all three relations positive;
* romantic triangle: one pivot friendly with two "wings" hostile to each other (the pivot is named);
* stable marriage: two friendly with each other, both hostile to the third (the pariah is named);
* unit veto: all three negative.

With neutral links. Dittmer's types are defined for three signed relations only, and no published
extension of his typology to neutral links is adopted here. A triangle with a neutral link is
named from its signed links as a signed graph with that link absent (Cartwright & Harary 1956,
*Psychological Review* 63(5): a triad with an absent link is not a cycle, so it is neither balanced
nor unbalanced; ``balanced`` is then missing):

* one neutral link (between X and Y; Z the third): "common friend" (Z friendly with both: Z named),
  "common adversary" (Z hostile to both: Z named), "friend and foe" (Z friendly with one, hostile to
  the other: Z named);
* two neutral links: "friendly pair" or "hostile pair" (the signed pair; the third, neutral to both,
  named);
* three: "all neutral".

``type_share``: the share of draws (each pair's sign drawn with ``p_friendly``, pairs independent)
in which the triangle has its type: for Dittmer's types the product of the three links'
probabilities of their signs; for a type with neutral links, of its signed links' only. Computed
exactly (the limit of the share over many draws).

Heider balance: a triad is balanced when the product of its three signs is positive (ménage à trois
and stable marriage). The share of balanced triads in the whole system is computed from the
signed adjacency matrix S over the triads with three signed links: sum over triads of the sign
product = trace(S^3) / 6, so balanced = (T + trace(S^3) / 6) / 2 with T = trace(K^3) / 6 the
number of such triads (K: 1 where signed), exact and fast.
"""
from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

FRIENDLY = {"alliance", "strategic partnership", "alignment"}
HOSTILE = {"at war", "adversary", "rivalry"}


Z90 = 1.6448536269514722


SCORES = ["values", "institutions", "economy", "people", "interaction"]


def _robust(d: pd.DataFrame, threshold: float) -> np.ndarray:
    """True where the closeness stays on its side of ``threshold`` with any one component left out (or rests on one
    component); the rows need the ``score_*`` columns of :mod:`multipolar.relations`."""
    from ..relations import WEIGHTS
    S = np.column_stack([d[f"score_{k}"].to_numpy(dtype=float) for k in SCORES])
    W = np.array([WEIGHTS[k] for k in SCORES])
    have = ~np.isnan(S)
    num = np.where(have, S * W, 0.0).sum(axis=1)
    den = np.where(have, W, 0.0).sum(axis=1)
    side = np.sign(num / np.where(den > 0, den, np.nan) - threshold)
    ok = np.ones(len(d), dtype=bool)
    for k in range(len(SCORES)):
        rest = den - W[k]
        drop = have[:, k] & (have.sum(axis=1) > 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            c = (num - np.where(have[:, k], S[:, k] * W[k], 0.0)) / rest
        ok &= ~drop | (np.sign(c - threshold) == side)
    return ok


def signs(dy: pd.DataFrame, threshold: float = 0.0) -> pd.DataFrame:
    """Undirected signed relations: code_a < code_b, year, sign (+1, 0 neutral, -1), known (False:
    no closeness and no decisive type; sign 0), p_friendly, closeness (mean of both rows), types;
    ``robust`` (with the component scores: the closeness keeps its side with any one component left
    out; a sign that does not is neutral)."""
    from scipy.stats import norm
    scored = all(f"score_{k}" in dy.columns for k in SCORES)
    cols = ["code_a", "code_b", "year", "closeness", "relation_type"] + [c for c in ("closeness_lo", "closeness_hi") if c in dy.columns] \
        + ([f"score_{k}" for k in SCORES] if scored else [])
    d = dy[cols].copy()
    lo = d["closeness_lo"] if "closeness_lo" in d else d["closeness"]
    hi = d["closeness_hi"] if "closeness_hi" in d else d["closeness"]
    lo, hi = lo.fillna(d["closeness"]), hi.fillna(d["closeness"])
    fr, ho = d["relation_type"].isin(FRIENDLY), d["relation_type"].isin(HOSTILE)
    by_closeness = np.where(lo > threshold, 1, np.where(hi < threshold, -1, 0))
    d["robust"] = _robust(d, threshold) if scored else True
    by_closeness = np.where(d["robust"].to_numpy(dtype=bool), by_closeness, 0)
    d["sign"] = np.where(fr, 1, np.where(ho, -1, np.where(d["closeness"].isna(), 0, by_closeness)))
    d["known"] = fr | ho | d["closeness"].notna()
    d["sd"] = ((hi - lo).abs() / (2 * Z90)).where(~(fr | ho))
    # the two directions of a pair side by side (a merge, not a groupby: fast on the full table)
    fwd = d[d["code_a"] < d["code_b"]]
    rev = d[d["code_a"] > d["code_b"]].rename(columns={"code_a": "code_b", "code_b": "code_a"})
    m = fwd.merge(rev, on=["code_a", "code_b", "year"], how="outer", suffixes=("", "_r"))
    t1, t2 = m["relation_type"].astype(str), m["relation_type_r"].astype(str)
    k1, k2 = m["known"].astype("boolean").fillna(False).astype(bool), m["known_r"].astype("boolean").fillna(False).astype(bool)
    s1 = m["sign"].where(k1)
    s2 = m["sign_r"].where(k2)
    sign = np.fmin(s1, s2)                                      # the more hostile known sign; NaN when neither is known
    # the probability of a friendly pair: decided by a type, or the mean closeness against its spread
    c = m[["closeness", "closeness_r"]].mean(axis=1)
    sd = m[["sd", "sd_r"]].mean(axis=1)
    typed_fr = (m["relation_type"].isin(FRIENDLY) | ~k1) & (m["relation_type_r"].isin(FRIENDLY) | ~k2) & \
        (m["relation_type"].isin(FRIENDLY) | m["relation_type_r"].isin(FRIENDLY))
    typed_ho = m["relation_type"].isin(HOSTILE) | m["relation_type_r"].isin(HOSTILE)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = pd.Series(np.where(sd > 0, norm.sf((threshold - c) / sd), np.where(c > threshold, 1.0, 0.0)), index=m.index)
    # a sign that hangs on one component is neutral: its probability of being friendly is not read off the closeness
    frag = ~(m["robust"].astype("boolean").fillna(True).astype(bool) & m["robust_r"].astype("boolean").fillna(True).astype(bool))
    p = p.where(~frag, np.nan)
    p = p.where(~typed_fr, 1.0).where(~typed_ho, 0.0).where(sign.notna())
    out = pd.DataFrame({"code_a": m["code_a"], "code_b": m["code_b"], "year": m["year"],
                        "sign": sign.fillna(0).astype(int), "known": sign.notna(), "p_friendly": p,
                        "closeness": c, "types": np.where(t1 == t2, t1, t1 + " / " + t2), "robust": ~frag})
    if out.duplicated(["code_a", "code_b", "year"]).any():     # e.g. the USSR and Russia folded together in 1991
        out = out.groupby(["code_a", "code_b", "year"], as_index=False).agg(
            sign=("sign", "min"), known=("known", "max"), p_friendly=("p_friendly", "min"), closeness=("closeness", "mean"),
            types=("types", "last"), robust=("robust", "min"))
    return out.reset_index(drop=True)


def classify(s_ab: int, s_ac: int, s_bc: int, a: str, b: str, c: str, known=(True, True, True)) -> tuple[str, str | None]:
    """(type, the pivot, pariah or named third) from the three signs (0: neutral); 'incomplete'
    when a sign is unknown (``known``). Dittmer's four types when none is neutral; otherwise the
    signed-graph names of the module docstring."""
    if not all(known):
        return "incomplete", None
    links = {(a, b): s_ab, (a, c): s_ac, (b, c): s_bc}
    neutral = [k for k, v in links.items() if v == 0]
    if len(neutral) == 3:
        return "all neutral", None
    if len(neutral) == 2:
        (x, y), v = next((k, v) for k, v in links.items() if v != 0)
        third = ({a, b, c} - {x, y}).pop()
        return ("friendly pair" if v > 0 else "hostile pair"), third
    if len(neutral) == 1:
        x, y = neutral[0]
        z = ({a, b, c} - {x, y}).pop()
        sx, sy = links[tuple(sorted((x, z), key=[a, b, c].index))], links[tuple(sorted((y, z), key=[a, b, c].index))]
        if sx > 0 and sy > 0:
            return "common friend", z
        if sx < 0 and sy < 0:
            return "common adversary", z
        return "friend and foe", z
    pos = (s_ab > 0) + (s_ac > 0) + (s_bc > 0)
    if pos == 3:
        return "ménage à trois", None
    if pos == 0:
        return "unit veto", None
    if pos == 2:        # the pivot is the state on both friendly edges
        pivot = a if s_bc < 0 else (b if s_ac < 0 else c)
        return "romantic triangle", pivot
    pariah = c if s_ab > 0 else (b if s_ac > 0 else a)
    return "stable marriage", pariah


def type_share(signs_: tuple[int, int, int], p_friendly: tuple[float, float, float]) -> float:
    """The share of draws with the triangle's type: the product over its signed links of the
    probability of their sign (module docstring)."""
    out = 1.0
    for s_, p in zip(signs_, p_friendly):
        if s_ == 0:
            continue
        if p is None or (isinstance(p, float) and np.isnan(p)):
            return np.nan
        out *= p if s_ > 0 else 1.0 - p
    return float(out)


def edges(sg: pd.DataFrame) -> dict:
    """The signed relations as {(code_a, code_b): {year: (sign, closeness, types, known, p_friendly)}} (code_a < code_b)."""
    out: dict = {}
    known = sg["known"].tolist() if "known" in sg else [s_ != 0 for s_ in sg["sign"].tolist()]
    pf = sg["p_friendly"].tolist() if "p_friendly" in sg else [float(s_ > 0) if s_ else np.nan for s_ in sg["sign"].tolist()]
    for ca, cb, y, sn, cl, ty, kn, p in zip(sg["code_a"].tolist(), sg["code_b"].tolist(), sg["year"].tolist(), sg["sign"].tolist(),
                                            sg["closeness"].tolist(), sg["types"].tolist(), known, pf):
        out.setdefault((ca, cb), {})[int(y)] = (int(sn), cl, ty, bool(kn), p)
    return out


def triangle_rows(e: dict, a: str, b: str, c: str, years: tuple[int, int] | None = None) -> list[dict]:
    """The triangle's rows from :func:`edges` (plain Python: this runs per dashboard request)."""
    def edge(x, y):
        return e.get(tuple(sorted((x, y))), {})
    ab, ac, bc = edge(a, b), edge(a, c), edge(b, c)
    rows, prev = [], None
    for y in sorted(set(ab) & set(ac) & set(bc)):
        if years and not (years[0] <= y <= years[1]):
            continue
        (sab, cab, tab, kab, pab), (sac, cac, tac, kac, pac), (sbc, cbc, tbc, kbc, pbc) = ab[y][:5], ac[y][:5], bc[y][:5]
        kind, who = classify(sab, sac, sbc, a, b, c, (kab, kac, kbc))
        signed = kind != "incomplete" and 0 not in (sab, sac, sbc)
        rows.append({"year": y, f"{a}-{b}": sab, f"{a}-{c}": sac, f"{b}-{c}": sbc,
                     f"closeness {a}-{b}": cab, f"closeness {a}-{c}": cac, f"closeness {b}-{c}": cbc,
                     "type": kind, "pivot_or_pariah": who,
                     "type_share": type_share((sab, sac, sbc), (pab, pac, pbc)) if kind != "incomplete" else np.nan,
                     "balanced": (sab * sac * sbc > 0) if signed else None,
                     "relations": f"{a}-{b}: {tab}; {a}-{c}: {tac}; {b}-{c}: {tbc}",
                     "changed": prev is not None and (kind, who) != prev})
        prev = (kind, who)
    return rows


def triangle(sg: pd.DataFrame, a: str, b: str, c: str) -> pd.DataFrame:
    """The triangle of three states per year: the three signs and closenesses, type, pivot/pariah,
    balance, and ``changed`` where the type differs from the year before."""
    pair = {tuple(sorted(p)) for p in ((a, b), (a, c), (b, c))}
    keep = [(x, y) in pair for x, y in zip(sg["code_a"].tolist(), sg["code_b"].tolist())]
    return pd.DataFrame(triangle_rows(edges(sg[keep]), a, b, c))


def balance_share(sg: pd.DataFrame) -> pd.DataFrame:
    """Per year: the share of balanced triads among all triads of states with known signs."""
    rows = []
    for y, g in sg[sg["sign"] != 0].groupby("year"):          # neutral and unknown links: no cycle through them
        codes = sorted(set(g["code_a"]) | set(g["code_b"]))
        idx = {c: i for i, c in enumerate(codes)}
        n = len(codes)
        S = np.zeros((n, n))
        ia, ib = g["code_a"].map(idx).to_numpy(), g["code_b"].map(idx).to_numpy()
        S[ia, ib] = S[ib, ia] = g["sign"].to_numpy()
        known = (S != 0).astype(float)
        # triads with all three signs known: trace(K^3) / 6; their sign sum: trace(S^3) / 6
        t_known = np.trace(known @ known @ known) / 6
        prod = np.trace(S @ S @ S) / 6
        rows.append({"year": int(y), "states": n, "triads": int(round(t_known)),
                     "balanced_share": float((t_known + prod) / 2 / t_known) if t_known else np.nan})
    return pd.DataFrame(rows)


def most_unbalanced(sg: pd.DataFrame, year: int, states: list[str], top: int = 20) -> pd.DataFrame:
    """Unbalanced triads among ``states`` in ``year``, the most tense first (largest product of |closeness|)."""
    g = sg[(sg["year"] == year)].set_index(["code_a", "code_b"])
    rows = []
    for a, b, c in combinations(sorted(states), 3):
        try:
            e = [g.loc[(a, b)], g.loc[(a, c)], g.loc[(b, c)]]
        except KeyError:
            continue
        sgn = [int(x["sign"]) for x in e]
        if 0 in sgn or np.prod(sgn) > 0:
            continue
        kind, who = classify(*sgn, a, b, c)
        tension = float(np.prod([abs(x["closeness"]) for x in e]))
        rows.append({"triad": f"{a}-{b}-{c}", "type": kind, "pivot_or_pariah": who, "tension": tension,
                     "signs": " ".join("+" if s > 0 else "-" for s in sgn)})
    out = pd.DataFrame(rows, columns=["triad", "type", "pivot_or_pariah", "tension", "signs"])
    return out.sort_values("tension", ascending=False).head(top).reset_index(drop=True)
