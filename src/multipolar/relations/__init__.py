"""The relation between two states, from the dyad-year measures: closeness, dependence, type.

Every formula here is a SQL expression over the columns of :class:`~multipolar.dimensions.dyads.Dyads`
(so the full table gets its relation columns in the same query) and is meant to be read and
changed: pass your own ``weights`` or ``rules`` to :func:`relation_columns`.

Closeness (-1 hostile ... 1 close)
----------------------------------
The weighted mean of the component scores that have data. ``closeness_n_dims`` counts them and
``closeness_components`` names them, so a value always says what it rests on:

=============  ======  ============================================================================
component      weight  score (missing when its data are)
=============  ======  ============================================================================
values         0.30    1 - ip_distance / 2, clipped to [-1, 1] (0 apart -> 1; 2 sd apart -> 0)
institutions   0.25    0.5 defence/offence pact + 0.2 other pact + 0.3 min(1, groupings shared beyond
                       the UN / 4); missing where the alliance data are
economy        0.15    the weak link (Oneal & Russett 1997): the pair's trade as a share of the
                       larger of the two GDPs (current US$, World Bank), 1 at
                       :data:`ECONOMY_FULL_INTENSITY` (2% for all goods, 0.5% for the energy and
                       minerals products) — all goods where a full trade file gives them, else the
                       energy and minerals products (``economy_measure`` says which); missing without
                       GDP. Sizes, not shares: two microstates trading 100 US$ are not close
people         0.10    mean of the two visa openness scores (0-1)
interaction    0.20    evidence of hostility: war -1; armed conflict -0.8; a MID at hostility >= 4
                       -0.6; a strategic rivalry -0.5; sanctions either way -0.3; else the net
                       cooperation of events in a year the event files cover; else missing (the
                       absence of a war is not a measure of interaction)
=============  ======  ============================================================================

``closeness_lo``/``closeness_hi``: the same with the ends of the 90% interval of the ideal-point
distance (the interval carries the uncertainty of the values component only).

A component that enters or leaves the data (visas from 2019, the UN votes' last session, BACI
from 1995) changes the level of closeness by itself; a change over time is therefore always
computed over the components both years have (:func:`common_change`, the report's movers) or
chained year to year over them (:func:`chained`, the series of ``relation`` and the triangle).

Dependence (directed, 0 ... 1)
------------------------------
``dependence_a_on_b`` is B's weight in A's external ties, each channel weighted by its size for A
(after the bandwidth-times-dependence logic of FBIC, Moyer et al. 2021):

.. math:: D_{A \\leftarrow B} = \\frac{T_{AB} + R_{B \\to A}}{T_A + R_A}

with :math:`T_{AB}` A's trade with B and :math:`T_A` A's trade with all (million US$: all goods
where a full trade file gives them, else the energy and minerals products), :math:`R_{B\\to A}` the
arms A received from B and :math:`R_A` all arms A received (million SIPRI TIV, read as million
US$ at 1990 prices: an approximation, TIV being a volume indicator). A channel enters only with
data; ``dependence_channels`` names them. Where A's trade is in the data but its trade with B is missing (a pair that
vanished from BACI, or a flow BACI does not record although it took place, ``sources/data/trade_gaps.csv``: Russia's
pipeline gas to Germany before 2023), the dependence is missing: arms alone would read as none. A tiny channel cannot outweigh a large one: a state that
imports 1 M of arms, all from C, and trades 10,000 M, 30% with B, depends on B (0.30) far more
than on C (0.0001). ``dependence_a_on_b_gdp`` is the same numerator over A's GDP (current US$,
World Bank): how large the tie is for A's economy. ``dependence_asymmetry`` = D(A<-B) - D(B<-A).

Relation type
-------------
The first rule that holds, in the order of :data:`RULES`; ``relation_evidence`` names it. A rule
whose data are missing does not hold (a pair is not called an ally without alliance data). The
rules rest on evidence observed in every year (pacts, groupings, wars, sanctions) and on closeness
only as a sign or a low threshold, so that a component leaving the data (the UN votes' last
session) does not change a type by itself: "alignment" is co-membership of an alignment grouping
(:data:`ALIGNMENT_GROUPINGS`) without a pact, not "closeness above 0.5" (which labelled small states
with the same UN votes and visa-free travel, Belarus and Barbados, as aligned, and ended with the votes).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..actors.groupings import ALIGNMENT_GROUPINGS
from ..dimensions.dyads import Dyads as _DimensionDyads

WEIGHTS = {"values": 0.30, "institutions": 0.25, "economy": 0.15, "people": 0.10, "interaction": 0.20}
#: the weak-link trade intensity (the pair's trade / the larger GDP) at which the economy score reaches 1
ECONOMY_FULL_INTENSITY = {"all goods": 0.02, "energy and minerals": 0.005}

_TOTAL = "total_trade_share_of_a IS NOT NULL AND total_trade_share_of_b IS NOT NULL"
_HOSTILE = ("CASE WHEN war_ongoing = 1 THEN -1.0 WHEN armed_conflict_ongoing = 1 THEN -0.8 "
            "WHEN mid_hostility_max >= 4 THEN -0.6 WHEN rivalry_tss = 1 OR rivalry_td = 1 THEN -0.5 "
            "WHEN sanctions_a_on_b_n > 0 OR sanctions_b_on_a_n > 0 THEN -0.3 END")

COMPONENTS = {
    # (DuckDB's greatest/least skip NULLs: every score is NULL explicitly when its data are)
    "values": "CASE WHEN {ip_distance} IS NULL THEN NULL ELSE greatest(-1.0, least(1.0, 1 - {ip_distance} / 2)) END",
    "institutions": ("CASE WHEN alliance_defense IS NULL THEN NULL ELSE "
                     "least(1.0, 0.5 * greatest(alliance_defense, coalesce(alliance_offense, 0))"
                     " + 0.2 * greatest(coalesce(alliance_neutrality, 0), coalesce(alliance_nonaggression, 0), coalesce(alliance_consultation, 0))"
                     " + 0.3 * least(1.0, greatest(0, groupings_shared_n - (CASE WHEN groupings_shared LIKE '%UN%' THEN 1 ELSE 0 END)) / 4.0)) END"),
    "economy": (f"CASE WHEN {_TOTAL} THEN least(1.0, (total_trade_exports_a_to_b_musd + total_trade_exports_b_to_a_musd) * 1e6 "
                f"/ greatest(gdp_a_usd, gdp_b_usd) / {ECONOMY_FULL_INTENSITY['all goods']}) "
                "WHEN energy_minerals_trade_share_of_a IS NOT NULL AND energy_minerals_trade_share_of_b IS NOT NULL "
                "THEN least(1.0, (energy_minerals_exports_a_to_b_kusd + energy_minerals_exports_b_to_a_kusd) * 1e3 "
                f"/ greatest(gdp_a_usd, gdp_b_usd) / {ECONOMY_FULL_INTENSITY['energy and minerals']}) END"),
    "people": "(visa_openness_b_for_a + visa_openness_a_for_b) / 2",
    "interaction": f"coalesce({_HOSTILE}, net_cooperation_a_to_b)",
}

#: sanctions are broad with at least this many kinds of measure (trade, financial, travel, arms or
#: military, other). Two kinds are most often measures on named persons or goods (an asset freeze with
#: a travel ban; an arms embargo with its equipment ban: the EU on Egypt, Lebanon or Guinea, the US on
#: officials of friendly states), not a break with the state; a regime against a state combines three
#: or more (the US on Cuba, Iran, North Korea; the EU on Russia, Belarus, Syria).
BROAD = 3

#: (type, condition, evidence): the first that holds sets the type. Conditions are SQL over the dyad columns.
RULES = [
    ("at war", "war_ongoing = 1", "at war (COW / UCDP / dated list)"),
    ("adversary", "armed_conflict_ongoing = 1", "interstate armed conflict (UCDP / dated list)"),
    ("adversary", "mid_hostility_max >= 4", "militarised dispute with use of force (MID)"),
    ("adversary", "(rivalry_tss = 1 OR rivalry_td = 1) AND closeness < -0.15", "strategic rivalry and closeness below -0.15"),
    ("adversary", f"greatest(sanctions_a_on_b_kinds, sanctions_b_on_a_kinds) >= {BROAD} AND closeness < 0.3",
     f"broad sanctions ({BROAD} or more kinds of measure) and closeness below 0.3"),
    ("alliance", "alliance_defense = 1 OR alliance_offense = 1", "defence or offence pact (ATOP / compiled pacts / NATO, CSTO / treaty list)"),
    ("rivalry", "rivalry_tss = 1 OR rivalry_td = 1 OR mid_ongoing = 1", "strategic rivalry or a militarised dispute"),
    ("strategic partnership", "(alliance_neutrality = 1 OR alliance_nonaggression = 1 OR alliance_consultation = 1) AND closeness > 0",
     "neutrality, non-aggression or consultation pact and positive closeness"),
    ("alignment", "alignment_groupings_shared_n > 0 AND closeness > 0",
     "co-members of an alignment grouping (" + ", ".join(ALIGNMENT_GROUPINGS) + ") without a pact, closeness above 0"),
    ("neutral", "closeness IS NOT NULL", "none of the above"),
]

TYPES = ["at war", "adversary", "rivalry", "neutral", "alignment", "strategic partnership", "alliance"]


def component_sql(distance_col: str = "ip_distance") -> dict[str, str]:
    """The five component scores as SQL expressions (component -> expression)."""
    return {k: v.replace("{ip_distance}", distance_col) for k, v in COMPONENTS.items()}


def _weighted(scores: dict[str, str], weights: dict[str, float]) -> tuple[str, str, str]:
    num = " + ".join(f"coalesce({weights[k]} * {e}, 0)" for k, e in scores.items())
    den = " + ".join(f"CASE WHEN {e} IS NULL THEN 0 ELSE {weights[k]} END" for k, e in scores.items())
    n = " + ".join(f"CASE WHEN {e} IS NULL THEN 0 ELSE 1 END" for e in scores.values())
    # the components present as a bit mask, then its name: one of 2^5 texts, not a string built per row
    keys = list(scores)
    mask = " + ".join(f"CASE WHEN {e} IS NULL THEN 0 ELSE {1 << i} END" for i, e in enumerate(scores.values()))
    names = (f"CASE {mask} " + " ".join(f"WHEN {m} THEN '" + ",".join(k for i, k in enumerate(keys) if m >> i & 1) + "'"
                                       for m in range(1, 1 << len(keys))) + " END")
    return f"({num}) / nullif({den}, 0)", n, names


def closeness_from_scores_sql(weights=None, values: str = "score_values") -> tuple[str, str, str]:
    """Closeness, its number of components and their names, from the ``score_*`` columns;
    ``values``: the expression of the values score (to compute the interval ends)."""
    w = {**WEIGHTS, **(weights or {})}
    return _weighted({k: (f"({values})" if k == "values" else f"score_{k}") for k in COMPONENTS}, w)


def dependence_sql(a: str = "a", b: str = "b") -> tuple[str, str, str]:
    """(D(A<-B), D(A<-B) over A's GDP, channels) as SQL, for ``a``/``b`` = 'a', 'b' or swapped."""
    total = f"total_trade_share_of_{a} IS NOT NULL"
    trade_ab = (f"CASE WHEN {total} THEN total_trade_exports_a_to_b_musd + total_trade_exports_b_to_a_musd "
                f"ELSE (energy_minerals_exports_a_to_b_kusd + energy_minerals_exports_b_to_a_kusd) / 1000 END")
    trade_a = f"CASE WHEN {total} THEN total_trade_of_{a}_musd ELSE energy_minerals_trade_of_{a}_kusd / 1000 END"
    arms_in = "arms_tiv_b_to_a" if a == "a" else "arms_tiv_a_to_b"
    num = f"(coalesce({trade_ab}, 0) + coalesce({arms_in}, 0))"
    den = f"(coalesce({trade_a}, 0) + coalesce(arms_imports_{a}_tiv, 0))"
    # arms alone only where A's trade is not in the data at all: when A's trade is known and its trade with B is missing
    # (a pair that vanished from BACI, a flow it does not record), the largest channel is unknown, and arms alone would
    # read as no dependence
    has = (f"(({trade_ab}) IS NOT NULL AND ({trade_a}) IS NOT NULL OR arms_imports_{a}_tiv IS NOT NULL AND ({trade_a}) IS NULL)")
    dep = f"CASE WHEN {has} THEN coalesce({num} / nullif({den}, 0), 0) END"
    gdp = f"CASE WHEN {has} THEN {num} * 1e6 / nullif(gdp_{a}_usd, 0) END"
    return dep, gdp, has


def relation_columns(weights=None, rules=None) -> list[list[tuple[str, str]]]:
    """The relation layer as stages of (column, SQL expression) pairs; each stage sees the columns
    of the earlier ones: the component scores, then closeness and dependence, then the type."""
    comp = component_sql()
    scores = [(f"score_{k}", e) for k, e in comp.items()]
    scores.append(("economy_measure", f"CASE WHEN {_TOTAL} THEN 'all goods' WHEN energy_minerals_trade_share_of_a IS NOT NULL "
                                      "AND energy_minerals_trade_share_of_b IS NOT NULL THEN 'energy and minerals' END"))
    close, n, names = closeness_from_scores_sql(weights)
    lo, _, _ = closeness_from_scores_sql(weights, component_sql("ip_distance_hi")["values"])
    hi, _, _ = closeness_from_scores_sql(weights, component_sql("ip_distance_lo")["values"])
    dep_a, gdp_a, has_a = dependence_sql("a", "b")
    dep_b, gdp_b, _ = dependence_sql("b", "a")
    trade_measure = ("CASE WHEN total_trade_share_of_a IS NOT NULL THEN 'trade (all goods)' "
                     "WHEN energy_minerals_trade_share_of_a IS NOT NULL THEN 'trade (energy and minerals)' END")
    channels = f"concat_ws(' + ', {trade_measure}, CASE WHEN arms_imports_a_tiv IS NOT NULL THEN 'arms' END)"
    second = [("closeness", close), ("closeness_n_dims", f"CAST({n} AS TINYINT)"), ("closeness_components", names),
              ("closeness_lo", lo), ("closeness_hi", hi),
              ("dependence_a_on_b", dep_a), ("dependence_b_on_a", dep_b),
              ("dependence_a_on_b_gdp", gdp_a), ("dependence_b_on_a_gdp", gdp_b),
              ("dependence_channels", f"CASE WHEN {has_a} THEN nullif({channels}, '') END")]
    rules = rules or RULES
    # one pass over the rules: the index of the first that holds, then its type and evidence by lookup
    rule = "CASE " + " ".join(f"WHEN {cond} THEN {i + 1}" for i, (_, cond, _) in enumerate(rules)) + " END"
    types = "[" + ", ".join("'" + t.replace("'", "''") + "'" for t, _, _ in rules) + "]"
    evid = "[" + ", ".join("'" + e.replace("'", "''") + "'" for _, _, e in rules) + "]"
    typ, ev = f"{types}[relation_rule]", f"{evid}[relation_rule]"
    return [scores, second, [("relation_rule", f"CAST({rule} AS TINYINT)"), ("dependence_asymmetry", "dependence_a_on_b - dependence_b_on_a")],
            [("relation_type", typ), ("relation_evidence", ev)]]


#: the columns the relation layer adds, with their units
UNITS = {"score_values": "component score: values (-1 ... 1)", "score_institutions": "component score: institutions (0 ... 1)",
         "score_economy": "component score: economy (0 ... 1)", "score_people": "component score: people (0 ... 1)",
         "score_interaction": "component score: interaction (-1 ... 1)",
         "economy_measure": "the trade the economy score used: all goods or energy and minerals",
         "closeness": "closeness, -1 hostile ... 1 close", "closeness_n_dims": "number of components with data (of 5)",
         "closeness_components": "the components closeness rests on", "closeness_lo": "closeness, 90% interval low",
         "closeness_hi": "closeness, 90% interval high", "dependence_a_on_b": "dependence of A on B (0-1, size-weighted channels)",
         "dependence_b_on_a": "dependence of B on A (0-1)", "dependence_asymmetry": "dependence_a_on_b - dependence_b_on_a",
         "dependence_a_on_b_gdp": "A's trade with B and arms from B / A's GDP", "dependence_b_on_a_gdp": "the same for B",
         "dependence_channels": "the channels dependence used", "relation_rule": "number of the rule that set the type (1 = first of RULES)",
         "relation_type": "type of relation (rule set)",
         "relation_evidence": "the rule that set the type"}


#: the coverage gate: a year's relations are read (the report's latest year, the dashboard's years)
#: when its dyads have on average at least this many components with data ...
MIN_MEAN_DIMS = 3.0
#: ... and the values component (the UN votes, the foundation of closeness) for at least this share of them
MIN_VALUES_SHARE = 0.5
#: the gate in words (what the report and the dashboard say a year lacks)
GATE = (f"at least {MIN_MEAN_DIMS:g} of the five components with data on average, the UN votes among them "
        f"for {MIN_VALUES_SHARE:.0%} of the pairs")


def covered_years(dy: pd.DataFrame) -> pd.DataFrame:
    """Per year: mean number of components with data, share of dyads with the values component, and
    whether the year passes the gate (:data:`MIN_MEAN_DIMS`, :data:`MIN_VALUES_SHARE`)."""
    if not len(dy):
        return pd.DataFrame(columns=["year", "mean_dims", "values_share", "covered"]).set_index("year")
    g = dy.assign(_v=dy["score_values"].notna()).groupby("year")
    out = pd.DataFrame({"mean_dims": g["closeness_n_dims"].mean().astype(float), "values_share": g["_v"].mean().astype(float)})
    out["covered"] = (out["mean_dims"] >= MIN_MEAN_DIMS) & (out["values_share"] >= MIN_VALUES_SHARE)
    return out


def common_change(now: pd.DataFrame, then: pd.DataFrame, weights=None) -> pd.DataFrame:
    """Closeness of the same pairs in two years over the components both years have data for (a
    change is then a change in the ties, not in the data). ``now``/``then``: rows keyed by code_a,
    code_b with the ``score_*`` columns (and ``economy_measure``: an economy score on another trade
    measure is not comparable and is left out). Returns code_a, code_b, close_then, close_now,
    change, n_common, components."""
    w = {**WEIGHTS, **(weights or {})}
    m = now.merge(then, on=["code_a", "code_b"], suffixes=("", "_then"))
    num_now, num_then, den = np.zeros(len(m)), np.zeros(len(m)), np.zeros(len(m))
    n = np.zeros(len(m), dtype=int)
    used = [[] for _ in range(len(m))]
    for k, wk in w.items():
        x, y = m[f"score_{k}"].to_numpy(float), m[f"score_{k}_then"].to_numpy(float)
        both = ~np.isnan(x) & ~np.isnan(y)
        if k == "economy" and "economy_measure" in m and "economy_measure_then" in m:
            both &= (m["economy_measure"].astype(object) == m["economy_measure_then"].astype(object)).to_numpy()
        num_now += np.where(both, wk * np.nan_to_num(x), 0)
        num_then += np.where(both, wk * np.nan_to_num(y), 0)
        den += np.where(both, wk, 0)
        n += both
        for i in np.flatnonzero(both):
            used[i].append(k)
    with np.errstate(invalid="ignore", divide="ignore"):
        cn, ct = np.where(den > 0, num_now / den, np.nan), np.where(den > 0, num_then / den, np.nan)
    return pd.DataFrame({"code_a": m["code_a"].to_numpy(), "code_b": m["code_b"].to_numpy(), "close_then": ct, "close_now": cn,
                         "change": cn - ct, "n_common": n, "components": [",".join(u) for u in used]})


def chained(series: pd.DataFrame, weights=None, anchor: str = "last") -> pd.Series:
    """A pair's closeness over years, chained over common components: the level at the anchor year
    (the last year with closeness) and, year to year, only the change of the components both years
    have. A component that enters or leaves then never moves the series by itself; a year without
    a common component breaks the chain (missing). ``series``: one pair's rows (year, ``score_*``,
    ``closeness``, optionally ``economy_measure``)."""
    s = series.sort_values("year").reset_index(drop=True)
    out = pd.Series(np.nan, index=s.index)
    have = s.index[s["closeness"].notna()]
    if not len(have):
        return out.set_axis(s["year"].to_numpy())
    a = have[-1] if anchor == "last" else have[0]
    out[a] = s.loc[a, "closeness"]
    rows = s.to_dict("records")

    def step(i, j):        # closeness change from row i to row j over their common components
        if rows[j]["year"] - rows[i]["year"] != 1:
            return np.nan
        c = common_change(pd.DataFrame([rows[j]]).assign(code_a="a", code_b="b"),
                          pd.DataFrame([rows[i]]).assign(code_a="a", code_b="b"), weights)
        return float(c["change"].iloc[0]) if c["n_common"].iloc[0] else np.nan
    for j in range(a + 1, len(s)):
        out[j] = out[j - 1] + step(j - 1, j)
    for i in range(a - 1, -1, -1):
        out[i] = out[i + 1] - step(i, i + 1)
    return out.set_axis(s["year"].to_numpy())


class Dyads(_DimensionDyads):
    """The dyad-year table of :mod:`multipolar.dimensions.dyads` with the relation layer on top
    (``mp.dyads(...)`` returns one): the dimensions flow up into the relations, never the other way."""

    def add_relation(self, weights=None, rules=None):
        """The relation layer (this module): the component scores, ``closeness`` with
        ``closeness_n_dims``, ``closeness_components`` and its interval, dependence both ways with its
        channels, ``relation_type`` and ``relation_evidence``. Adds the dimensions it needs."""
        for verb, col in self.NEEDS.items():
            if col not in self.columns:
                getattr(self, verb)()
        self._relation = relation_columns(weights, rules)
        src = "multipolar relations (see multipolar.relations)"
        for stage in self._relation:
            for c, _ in stage:
                self._doc(c, "relation", UNITS.get(c, c), src, "from the components with data; see closeness_components")
        self._built = False
        return self
