"""Shared institutions: IGOs, dated groupings, alliances and trade agreements.

``igos_shared_n``
    IGOs both belong to (COW IGO v3, whose dyadic file lists every pair of its years: to 2014).
``groupings_shared_n``, ``groupings_shared``
    co-membership (full members, any day of the year) in multipolar's dated groupings (UN, EU,
    NATO, CSTO, SCO, BRICS, ...), compiled with a source per membership: every year to today.
``alliance_defense`` ... ``alliance_consultation`` (0/1), ``alliance_source``
    ATOP (Leeds et al.) in its years, where a pair it does not list has no pact (0). After ATOP's
    last year: multipolar's compiled pacts in force (:mod:`multipolar.actors.pacts`, a source per
    treaty and party, checked against ATOP in its last year), NATO and CSTO co-membership, and the
    dated treaty list; a pair none of them lists has no pact. Without the compiled pacts the later
    years list only what those sources name and the other pairs stay missing. With
    ``carry=["atop"]`` ATOP's last-year ties are repeated and ``alliance_carried`` marks those rows.
``trade_agreements_shared_n``
    trade agreements in force for both (DESTA, GPTAD, HUGGO via manytrade), to the last year any
    agreement enters into force in the data.
"""
from __future__ import annotations

import pandas as pd

from ...errors import MultipolarError
from .frame import Frame

TYPES = ["defense", "offense", "neutrality", "nonaggression", "consultation"]
#: the first year the compiled pacts stand for ATOP when no ATOP is imported (ATOP 5.1 ends in 2018)
COMPILED_PACTS_FROM = 2019
ATOP_COLS = {"defense": "atop_defense", "offense": "atop_offense", "neutrality": "atop_neutral",
             "nonaggression": "atop_nonagg", "consultation": "atop_consul"}


def add(d: Frame):
    """Institutions: shared IGOs (COW IGO), dated groupings, alliances (ATOP and the compiled pacts), trade
    agreements."""
    _igos(d)
    my = _groupings(d)
    _alliances(d, my)
    _trade_agreements(d)


def _igos(d: Frame):
    src = "COW IGO v3 (Pevehouse et al. 2020)"
    cov = "every pair in COW IGO's years (to 2014); missing after unless carried"
    col = {"igos_shared_n": ("institutions", "IGOs both are full members of (count)", src, cov)}
    if d.lacks("cow_igo_dyad", "institutions: COW IGO", col):
        return
    t = d.t("cow_igo_dyad")
    lo, last = d.span("cow_igo_dyad")
    sql = f"""WITH u AS (SELECT least(code_a, code_b) AS a, greatest(code_a, code_b) AS b, CAST(year AS INTEGER) AS year, max(dyadigos) AS n
                         FROM {t} WHERE code_a <> code_b GROUP BY ALL)
              SELECT a AS code_a, b AS code_b, year, n AS igos_shared_n FROM u UNION ALL SELECT b, a, year, n FROM u"""
    carried = d.carries("cow_igo") and last < d.years[1]
    if carried:
        sql = d.carry_sql(sql, last)
    d.pairs(sql, col)
    d.record("cow_igo", src, (lo, last), cov, col, carried_to=d.years[1] if carried else None)
    if carried:
        d.exprs({"igos_carried": ("institutions", f"igos_shared_n repeats COW IGO's {last} (asked with carry)", src, "")},
                {"igos_carried": f"d.year > {last}"}, [])


def _groupings(d: Frame) -> pd.DataFrame:
    from ...actors.groupings import membership_years
    my = membership_years(d.years[0], d.years[1])[["org", "code", "year"]].drop_duplicates()
    # co-membership without expanding pairs: each grouping is a bit; a state-year's memberships a
    # bit mask; the pair's shared groupings are the AND of the two masks
    orgs = sorted(my["org"].unique())
    if len(orgs) > 62:
        raise MultipolarError("more than 62 groupings: the co-membership bit mask needs a wider type")
    bit = {o: 1 << i for i, o in enumerate(orgs)}
    masks = my.assign(bit=my["org"].map(bit)).groupby(["code", "year"])["bit"].sum().reset_index()
    d.register("_gm", masks)
    d.state_year("gmask", "SELECT code, CAST(year AS INTEGER) AS year, CAST(bit AS BIGINT) AS mask FROM _gm")
    src = "multipolar dated memberships (actors/data/memberships.csv)"
    cov = "every pair, every year (compiled memberships of the listed groupings)"
    cols = {"groupings_shared_n": ("institutions", "groupings both are full members of (count)", src, cov),
            "groupings_shared": ("institutions", "their names", src, cov)}
    both = "(gma.mask & gmb.mask)"
    names = "nullif(concat_ws(',', " + ", ".join(f"CASE WHEN {both} & {b} <> 0 THEN '{o}' END" for o, b in bit.items()) + "), '')"
    from ...actors.groupings import ALIGNMENT_GROUPINGS
    align = sum(bit[o] for o in ALIGNMENT_GROUPINGS if o in bit)
    cols["alignment_groupings_shared_n"] = ("institutions", "alignment groupings both are members of (" + ", ".join(ALIGNMENT_GROUPINGS) + ")",
                                            src, cov)
    d.exprs(cols, {"groupings_shared_n": f"coalesce(bit_count({both}), 0)", "groupings_shared": names,
                   "alignment_groupings_shared_n": f"coalesce(bit_count({both} & {align}), 0)"},
            ["LEFT JOIN gmask gma ON gma._ks = d._ka", "LEFT JOIN gmask gmb ON gmb._ks = d._kb"])
    d.record("groupings", src, d.years, cov, cols)
    return my


def _compiled_pacts(d: Frame, first: int, last: int) -> tuple[pd.DataFrame | None, str]:
    """The compiled pacts in force (code_a, code_b, year, flags..., source), or None when the
    package has no compiled pacts."""
    try:
        from ...actors import pacts
    except ImportError:
        return None, ""
    ties = pacts.pact_ties(first, last)
    return ties, "multipolar compiled pacts in force, checked against ATOP in its last year"


def _alliances(d: Frame, my: pd.DataFrame):
    from ...actors.facts import treaties
    cols = {f"alliance_{k}": ("institutions", f"{k} pact in force (0/1)", "ATOP in its years; later: see alliance_source", "")
            for k in TYPES}
    cols["alliance_source"] = ("institutions", "which source set the alliance ties", "", "")
    parts, atop = [], (None, None)
    flags = ", ".join(TYPES)
    if d.has("atop_alliance"):
        t = d.t("atop_alliance")
        atop = d.span("atop_alliance")
        version = _version(d, "atop_alliance") or "ATOP"
        sel = ", ".join(f"max({ATOP_COLS[k]}) AS {k}" for k in TYPES)
        atop_sql = f"""SELECT code_a, code_b, CAST(year AS INTEGER) AS year, {sel}, '{version}' AS src FROM
                       (SELECT code_a, code_b, year, {', '.join(ATOP_COLS.values())} FROM {t}
                        UNION ALL SELECT code_b, code_a, year, {', '.join(ATOP_COLS.values())} FROM {t}) GROUP BY ALL"""
        parts.append(atop_sql)
        if d.carries("atop") and atop[1] < d.years[1]:
            parts.append(f"""SELECT code_a, code_b, CAST(y.range AS INTEGER) AS year, {flags},
                                    '{version} {atop[1]}, carried (asked)' AS src
                             FROM ({atop_sql}) x, range({atop[1] + 1}, {d.years[1] + 1}) y WHERE x.year = {atop[1]}""")
    else:
        d.missing("atop_alliance", "institutions: alliances (ATOP)")
    # the compiled pacts continue ATOP (checked against its last year): without ATOP they start after
    # the last year of the ATOP release they were checked against, and the years before stay missing
    after = (atop[1] or COMPILED_PACTS_FROM - 1) + 1
    observed_after = False
    if after <= d.years[1]:
        ties, label = _compiled_pacts(d, max(after, d.years[0]), d.years[1])
        if ties is not None and len(ties):
            d.register("_pacts", ties)
            parts.append(f"SELECT code_a, code_b, CAST(year AS INTEGER), {flags}, source FROM _pacts")
            observed_after = True
        # NATO and CSTO co-members: a defence tie
        blocs = my[my["org"].isin(["NATO", "CSTO"]) & (my["year"] >= after)]
        d.register("_blocs", blocs)
        parts.append("""SELECT a.code, b.code, CAST(a.year AS INTEGER), 1, 0, 0, 0, 0, 'co-members of ' || a.org
                        FROM _blocs a JOIN _blocs b ON a.org = b.org AND a.year = b.year AND a.code <> b.code""")
        rows = []
        for r in treaties().itertuples(index=False):
            y0, y1 = int(r.start[:4]), int(r.end[:4]) if r.end else d.years[1]
            for y in range(max(y0, d.years[0], after), min(y1, d.years[1]) + 1):
                fl = [int(r.type == k) for k in TYPES]
                s = f"treaty list: {r.name.split(';')[0][:60]} ({r.start})"
                rows += [(r.code_a, r.code_b, y, *fl, s), (r.code_b, r.code_a, y, *fl, s)]
        if rows:
            d.register("_tr", pd.DataFrame(rows, columns=["code_a", "code_b", "year", *TYPES, "src"]))
            parts.append(f"SELECT code_a, code_b, CAST(year AS INTEGER), {flags}, src FROM _tr")
    if not parts:
        d.pairs(None, cols)
        return
    union = " UNION ALL ".join(f"({p})" for p in parts)
    agg = ", ".join(f"max({k}) AS alliance_{k}" for k in TYPES)
    carried = d.carries("atop") and atop[1] is not None and atop[1] < d.years[1]
    # in ATOP's years (and carried ones), and after them when the compiled pacts are there, no tie is 0
    obs = []
    if atop[1] is not None:
        obs.append(d.within(atop[0], d.years[1] if carried else atop[1]))
    if observed_after:
        obs.append(f"d.year >= {after}")
    cond = " OR ".join(obs) if obs else None
    cov = (f"ATOP {atop[0]}-{atop[1]}" if atop[1] else "no ATOP") + (
        f"; after: compiled pacts ({label})" if observed_after else "; after: only the pairs NATO, CSTO and the treaty list name (others missing)")
    for c in cols:
        cols[c] = cols[c][:3] + (cov,)
    d.pairs(f"""SELECT code_a, code_b, year, {agg}, string_agg(DISTINCT src, '; ' ORDER BY src) AS alliance_source
                FROM ({union}) u(code_a, code_b, year, {flags}, src) GROUP BY ALL""", cols,
            observed={f"alliance_{k}": cond for k in TYPES} if cond else None)
    d.record("atop", "ATOP (Leeds et al.) via peacesciencer; then compiled pacts, NATO/CSTO, treaty list", atop, cov, cols,
             carried_to=d.years[1] if carried else None)
    if carried:
        d.exprs({"alliance_carried": ("institutions", f"alliance ties repeat ATOP's {atop[1]} (asked with carry)", "ATOP", "")},
                {"alliance_carried": f"d.year > {atop[1]}"}, [])


def _version(d: Frame, table: str) -> str | None:
    """The version the import log gives for the file that filled ``table``."""
    if not d.has("_imports"):
        return None
    r = d._x(f"""SELECT version FROM {d.t('_imports')} WHERE NOT superseded AND tables LIKE '%"{table}"%'
                 ORDER BY import_id DESC LIMIT 1""")
    return r[0][0].replace("'", "") if r and r[0][0] else None


def _trade_agreements(d: Frame):
    src = "manytrade: DESTA, GPTAD, HUGGO memberships"
    col = {"trade_agreements_shared_n": ("institutions", "trade agreements in force for both (count)", src, "")}
    if d.lacks("trade_agreements", "institutions: trade agreements", col):
        return
    t = d.t("trade_agreements")
    last = d._x(f"SELECT max(year_in_force) FROM {t}")[0][0]
    first = d._x(f"SELECT min(year_in_force) FROM {t}")[0][0]
    cov = f"every pair to {int(last)} (the last year an agreement enters into force in the data); missing after"
    col = {"trade_agreements_shared_n": col["trade_agreements_shared_n"][:3] + (cov,)}
    d.pairs(f"""WITH m AS (SELECT DISTINCT manyID, code, year_in_force AS y0, coalesce(try_cast(year_end AS INTEGER), 9999) AS y1 FROM {t}
                           WHERE year_in_force IS NOT NULL),
                     yrs AS (SELECT range AS year FROM range({d.years[0]}, {min(d.years[1], int(last)) + 1}))
                SELECT a.code AS code_a, b.code AS code_b, CAST(yrs.year AS INTEGER) AS year, count(DISTINCT a.manyID) AS trade_agreements_shared_n
                FROM m a JOIN m b ON a.manyID = b.manyID AND a.code <> b.code
                JOIN yrs ON yrs.year BETWEEN greatest(a.y0, b.y0) AND least(a.y1, b.y1)
                GROUP BY ALL""", col, observed={"trade_agreements_shared_n": f"d.year <= {int(last)}"})
    d.record("trade_agreements", src, (int(first), int(last)), cov, col)
