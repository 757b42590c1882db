"""Strategic triangles (Dittmer 1981) and structural balance (Heider 1946; Cartwright & Harary 1956).

The sign of a relation
----------------------
+1 (friendly) when the relation type (:mod:`multipolar.relations`) is alliance, strategic partnership
or alignment; -1 (hostile) when it is at war, adversary or rivalry; otherwise the sign of the
closeness, with ``threshold`` (default 0: closeness above 0 is friendly). The two directions of a
pair are combined: the more hostile sign wins (a relation is friendly only if both rows say so).

Dittmer's typology (Dittmer 1981, *World Politics* 33(4): 485-515)
--------------------------------------------------------------------
* ménage à trois: all three relations positive;
* romantic triangle: one pivot friendly with two "wings" hostile to each other (the pivot is named);
* stable marriage: two friendly with each other, both hostile to the third (the pariah is named);
* unit veto: all three negative.

Heider balance: a triad is balanced when the product of its three signs is positive (ménage à trois
and stable marriage). The share of balanced triads in the whole system is computed from the
signed adjacency matrix S: sum over triads of the sign product = trace(S^3) / 6, so
balanced = (C(n, 3) + trace(S^3) / 6) / 2, exact and fast.
"""
from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

FRIENDLY = {"alliance", "strategic partnership", "alignment"}
HOSTILE = {"at war", "adversary", "rivalry"}


def signs(dy: pd.DataFrame, threshold: float = 0.0) -> pd.DataFrame:
    """Undirected signed relations: code_a < code_b, year, sign, closeness (mean of both rows), types."""
    d = dy[["code_a", "code_b", "year", "closeness", "relation_type"]].copy()
    s = np.where(d["relation_type"].isin(FRIENDLY), 1, np.where(d["relation_type"].isin(HOSTILE), -1,
                 np.where(d["closeness"] > threshold, 1, -1)))
    d["sign"] = np.where(d["closeness"].isna() & ~d["relation_type"].isin(FRIENDLY | HOSTILE), 0, s)
    # the two directions of a pair side by side (a merge, not a groupby: fast on the full table)
    fwd = d[d["code_a"] < d["code_b"]]
    rev = d[d["code_a"] > d["code_b"]].rename(columns={"code_a": "code_b", "code_b": "code_a"})
    m = fwd.merge(rev, on=["code_a", "code_b", "year"], how="outer", suffixes=("", "_r"))
    t1, t2 = m["relation_type"].astype(str), m["relation_type_r"].astype(str)
    out = pd.DataFrame({"code_a": m["code_a"], "code_b": m["code_b"], "year": m["year"],
                        "sign": np.fmin(m["sign"], m["sign_r"]).fillna(0).astype(int),
                        "closeness": m[["closeness", "closeness_r"]].mean(axis=1),
                        "types": np.where(t1 == t2, t1, t1 + " / " + t2)})
    if out.duplicated(["code_a", "code_b", "year"]).any():     # e.g. the USSR and Russia folded together in 1991
        out = out.groupby(["code_a", "code_b", "year"], as_index=False).agg(sign=("sign", "min"), closeness=("closeness", "mean"),
                                                                            types=("types", "last"))
    return out.reset_index(drop=True)


def classify(s_ab: int, s_ac: int, s_bc: int, a: str, b: str, c: str) -> tuple[str, str | None]:
    """(Dittmer type, the pivot or pariah) from the three signs; 'incomplete' when a sign is unknown."""
    if 0 in (s_ab, s_ac, s_bc):
        return "incomplete", None
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


def edges(sg: pd.DataFrame) -> dict:
    """The signed relations as {(code_a, code_b): {year: (sign, closeness, types)}} (code_a < code_b)."""
    out: dict = {}
    for ca, cb, y, sn, cl, ty in zip(sg["code_a"].tolist(), sg["code_b"].tolist(), sg["year"].tolist(), sg["sign"].tolist(),
                                     sg["closeness"].tolist(), sg["types"].tolist()):
        out.setdefault((ca, cb), {})[int(y)] = (int(sn), cl, ty)
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
        (sab, cab, tab), (sac, cac, tac), (sbc, cbc, tbc) = ab[y], ac[y], bc[y]
        kind, who = classify(sab, sac, sbc, a, b, c)
        rows.append({"year": y, f"{a}-{b}": sab, f"{a}-{c}": sac, f"{b}-{c}": sbc,
                     f"closeness {a}-{b}": cab, f"closeness {a}-{c}": cac, f"closeness {b}-{c}": cbc,
                     "type": kind, "pivot_or_pariah": who, "balanced": sab * sac * sbc > 0,
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
    for y, g in sg[sg["sign"] != 0].groupby("year"):
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
