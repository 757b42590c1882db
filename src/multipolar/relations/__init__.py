"""The relation between two states, from the dyad-year measures: closeness, dependence, type.

Every formula here is a SQL expression over the columns of :class:`~multipolar.dimensions.dyads.Dyads`
(so the full table gets its relation columns in the same query) and is meant to be read and
changed: pass your own ``weights`` or ``rules`` to :func:`relation_columns`.

Closeness (-1 hostile ... 1 close)
----------------------------------
A weighted mean of the component scores that have data (``closeness_n_dims`` says how many):

=============  ======  ============================================================================
component      weight  score
=============  ======  ============================================================================
values         0.30    1 - ip_distance / 2, clipped to [-1, 1] (0 apart -> 1; 2 sd apart -> 0)
institutions   0.25    0.5 defence/offence pact + 0.2 other pact + 0.3 min(1, groupings shared beyond the UN / 4)
economy        0.15    min(1, 5 x the larger of the two BACI trade shares)
people         0.10    mean of the two visa openness scores (0-1)
interaction    0.20    war -1; armed conflict -0.8; a MID at hostility >= 4 -0.6; a rivalry -0.5;
                       sanctions either way -0.3; otherwise net cooperation of events, or 0
=============  ======  ============================================================================

``closeness_lo``/``closeness_hi``: the same with the ends of the 90% interval of the ideal-point
distance (the interval carries the uncertainty of the values component only).

Dependence (0 ... 1, directed)
------------------------------
``dependence_a_on_b`` = the mean, over the channels with data, of B's share in A's totals: A's trade
(BACI), A's energy imports, A's arms imports. In the spirit of the dyadic influence-capacity
index (Moyer, Meisel, Matthews, Bohl & Burrows 2021, *Foreign Policy Analysis* 17(2)): the
bandwidth of the tie weighted by its share of A's total. ``dependence_asymmetry`` =
dependence_a_on_b - dependence_b_on_a (positive: A depends on B more than B on A).

Relation type
-------------
The first rule that holds, in the order of :data:`RULES`; ``relation_evidence`` names it.
"""
from __future__ import annotations

WEIGHTS = {"values": 0.30, "institutions": 0.25, "economy": 0.15, "people": 0.10, "interaction": 0.20}

COMPONENTS = {
    # (DuckDB's greatest/least skip NULLs: every score is NULL explicitly when its data are)
    "values": "CASE WHEN {ip_distance} IS NULL THEN NULL ELSE greatest(-1.0, least(1.0, 1 - {ip_distance} / 2)) END",
    "institutions": ("least(1.0, 0.5 * greatest(coalesce(alliance_defense, 0), coalesce(alliance_offense, 0))"
                     " + 0.2 * greatest(coalesce(alliance_neutrality, 0), coalesce(alliance_nonaggression, 0), coalesce(alliance_consultation, 0))"
                     " + 0.3 * least(1.0, greatest(0, groupings_shared_n - (CASE WHEN groupings_shared LIKE '%UN%' THEN 1 ELSE 0 END)) / 4.0))"),
    "economy": ("CASE WHEN baci_trade_share_of_a IS NULL AND baci_trade_share_of_b IS NULL THEN NULL "
                "ELSE least(1.0, 5 * greatest(baci_trade_share_of_a, baci_trade_share_of_b)) END"),
    "people": "(visa_openness_b_for_a + visa_openness_a_for_b) / 2",
    "interaction": ("CASE WHEN war_ongoing = 1 THEN -1.0 WHEN armed_conflict_ongoing = 1 THEN -0.8 "
                    "WHEN mid_hostility_max >= 4 THEN -0.6 WHEN rivalry_strategic = 1 OR rivalry_enduring = 1 THEN -0.5 "
                    "WHEN coalesce(sanctions_a_on_b_n, 0) + coalesce(sanctions_b_on_a_n, 0) > 0 THEN -0.3 "
                    "ELSE coalesce(net_cooperation_a_to_b, 0.0) END"),
}

#: (type, condition, evidence): the first that holds sets the type. Conditions are SQL over the dyad columns.
RULES = [
    ("at war", "war_ongoing = 1", "at war (COW / UCDP / dated list)"),
    ("adversary", "armed_conflict_ongoing = 1", "interstate armed conflict (UCDP / dated list)"),
    ("adversary", "mid_hostility_max >= 4", "militarised dispute with use of force (MID)"),
    ("adversary", "(rivalry_strategic = 1 OR rivalry_enduring = 1) AND closeness < -0.15", "rivalry and closeness below -0.15"),
    ("adversary", "(coalesce(sanctions_a_on_b_types, '') LIKE '%,%' OR coalesce(sanctions_b_on_a_types, '') LIKE '%,%') AND closeness < 0.3",
     "broad sanctions (two or more types) and closeness below 0.3"),
    ("alliance", "alliance_defense = 1 OR alliance_offense = 1", "defence or offence pact (ATOP / NATO, CSTO / treaty list)"),
    ("rivalry", "rivalry_strategic = 1 OR rivalry_enduring = 1 OR mid_ongoing = 1", "rivalry or a militarised dispute"),
    ("strategic partnership", "(alliance_neutrality = 1 OR alliance_nonaggression = 1 OR alliance_consultation = 1) AND closeness > 0",
     "neutrality, non-aggression or consultation pact and positive closeness"),
    ("alignment", "closeness >= 0.5", "closeness at least 0.5 without a pact"),
    ("neutral", "closeness IS NOT NULL", "none of the above"),
]

TYPES = ["at war", "adversary", "rivalry", "neutral", "alignment", "strategic partnership", "alliance"]


def _weighted(components: dict[str, str], weights: dict[str, float]) -> tuple[str, str]:
    num = " + ".join(f"coalesce({weights[k]} * ({e}), 0)" for k, e in components.items())
    den = " + ".join(f"CASE WHEN ({e}) IS NULL THEN 0 ELSE {weights[k]} END" for k, e in components.items())
    return f"({num}) / nullif({den}, 0)", " + ".join(f"CASE WHEN ({e}) IS NULL THEN 0 ELSE 1 END" for e in components.values())


def component_sql(distance_col: str = "ip_distance") -> dict[str, str]:
    """The five component scores as SQL expressions (component -> expression)."""
    return {k: v.replace("{ip_distance}", distance_col) for k, v in COMPONENTS.items()}


def closeness_sql(weights=None, distance_col="ip_distance") -> tuple[str, str]:
    w = {**WEIGHTS, **(weights or {})}
    return _weighted(component_sql(distance_col), w)


def closeness_from_scores_sql(weights=None, values: str = "score_values") -> tuple[str, str]:
    """Closeness and its number of components from stored component scores (``score_*`` columns);
    ``values``: the expression of the values score (to recompute the interval ends)."""
    w = {**WEIGHTS, **(weights or {})}
    return _weighted({k: (values if k == "values" else f"score_{k}") for k in COMPONENTS}, w)


def relation_columns(weights=None, rules=None) -> list[tuple[str, str]]:
    """(column, SQL expression) pairs, in dependency order, for the relation layer."""
    close, ndims = closeness_sql(weights)
    lo, _ = closeness_sql(weights, "ip_distance_hi")
    hi, _ = closeness_sql(weights, "ip_distance_lo")
    dep_a = ("(coalesce(baci_trade_share_of_a, 0) + coalesce(energy_imports_a_from_b_share, 0) + coalesce(arms_share_of_a_imports_from_b, 0))"
             " / nullif((CASE WHEN baci_trade_share_of_a IS NULL THEN 0 ELSE 1 END) + (CASE WHEN energy_imports_a_from_b_share IS NULL THEN 0 ELSE 1 END)"
             " + (CASE WHEN arms_share_of_a_imports_from_b IS NULL THEN 0 ELSE 1 END), 0)")
    dep_b = ("(coalesce(baci_trade_share_of_b, 0) + coalesce(energy_imports_b_from_a_share, 0) + coalesce(arms_share_of_b_imports_from_a, 0))"
             " / nullif((CASE WHEN baci_trade_share_of_b IS NULL THEN 0 ELSE 1 END) + (CASE WHEN energy_imports_b_from_a_share IS NULL THEN 0 ELSE 1 END)"
             " + (CASE WHEN arms_share_of_b_imports_from_a IS NULL THEN 0 ELSE 1 END), 0)")
    rules = rules or RULES
    typ = "CASE " + " ".join(f"WHEN {cond} THEN '{t}'" for t, cond, _ in rules) + " ELSE NULL END"
    ev = "CASE " + " ".join(f"WHEN {cond} THEN '{e}'" for _, cond, e in rules) + " ELSE NULL END"
    return [("closeness", close), ("closeness_n_dims", ndims), ("closeness_lo", lo), ("closeness_hi", hi),
            ("dependence_a_on_b", dep_a), ("dependence_b_on_a", dep_b),
            ("dependence_asymmetry", f"({dep_a}) - ({dep_b})"),
            ("relation_type", typ), ("relation_evidence", ev)]
