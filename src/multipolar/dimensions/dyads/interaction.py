"""Interaction and conflict: events, militarised disputes, wars, rivalries, sanctions.

Each source counts only inside its own coverage:

``events_*``, ``net_cooperation_a_to_b``
    The event lake's dyad-month series (``multipolar events import``: ``event_dyad_month``, deduplicated), or
    else the ``events`` table of ``multipolar data import``; counted for a year only when one source's files
    cover it (at least :data:`EVENT_DAYS` distinct days with events), one source per year
    (:data:`EVENT_SOURCE_ORDER`); a pair without events in such a year has 0 events and no net cooperation. Short samples (the shared folder's three days of
    2018) make no yearly measure: the columns stay missing and the notes say why.
``mid_ongoing``, ``mid_hostility_max``
    GML MID (directed dispute-years): 0 in its years for a pair without a dispute; missing after.
``war_ongoing``, ``armed_conflict_ongoing``
    COW inter-state wars (to 2007) and UCDP/PRIO interstate conflicts (intensity 2 = war): 0 in
    their years; after UCDP's last year only the pairs of multipolar's dated conflict list
    (:func:`multipolar.actors.facts.conflicts`) have a value.
``rivalry_tss``, ``rivalry_td``
    Strategic rivalries: Thompson, Sakuwa & Suhas and Thompson & Dreyer (via peacesciencer), 0 in
    each dataset's years for a pair without one; missing after its last year.
``sanctions_a_on_b_n``, ``sanctions_a_on_b_types`` (and B on A)
    Global Sanctions Database cases in force, A sending and B targeted; a case sent or received by
    the EU (EEC), NATO, the G7, G8, AU (OAU) or EAEU counts for each member state of the year. 0 in
    GSDB's years; after them, only the pairs of the dated sanctions list have a value.

``carry=["gsdb", "rivalries", "mid"]`` repeats a source's last year and flags it (``*_carried``).
"""
from __future__ import annotations

import pandas as pd

from .frame import Frame

#: a year counts for the event measures when the event files have events on at least this many days of it
EVENT_DAYS = 360


def add(d: Frame):
    """Interaction: events (counts and Goldstein means), militarised disputes, wars, rivalries and sanctions."""
    _events(d)
    _mids(d)
    _wars(d)
    _rivalries(d)
    _sanctions(d)


#: when two event sources cover a year, the one used (one source per year: their counts are not additive)
EVENT_SOURCE_ORDER = ("icews", "polecat", "phoenix", "gdelt2", "gdelt1")


def _events(d: Frame):
    src = "ICEWS / GDELT / POLECAT / Phoenix event files (the event lake's dyad-month series, or the events table)"
    units = [("events_a_to_b_n", "events with A as source and B as target (count)"), ("events_verbal_coop_a_to_b", "quad class 1"),
             ("events_material_coop_a_to_b", "quad class 2"), ("events_verbal_conflict_a_to_b", "quad class 3"),
             ("events_material_conflict_a_to_b", "quad class 4"), ("goldstein_mean_a_to_b", "mean Goldstein score (-10 to 10)"),
             ("net_cooperation_a_to_b", "(cooperation - conflict) / events, -1 to 1"),
             ("events_a_to_b_share_of_a_events", "A->B events / all of A's events towards other states")]
    cov = f"years the event files cover on at least {EVENT_DAYS} days: a pair without events there has 0 events; else missing"
    cols = {c: ("interaction", u, src, cov) for c, u in units}
    if d.has("event_dyad_month") and d.has("event_month_coverage"):
        if _events_lake(d, cols, cov, units):
            return
    if d.lacks("events", "interaction: events", cols):
        return
    t = d.t("events")
    years = [int(y) for (y,) in d._x(f"SELECT year FROM {t} GROUP BY year HAVING count(DISTINCT date) >= {EVENT_DAYS} ORDER BY year")]
    partial = d._x(f"SELECT year, count(DISTINCT date) FROM {t} GROUP BY year HAVING count(DISTINCT date) < {EVENT_DAYS} ORDER BY year")
    if partial:
        d.notes.append("interaction: the event files cover too few days for a yearly measure in "
                       + ", ".join(f"{int(y)} ({n} days)" for y, n in partial) + f" (a year needs {EVENT_DAYS}): those years' event columns are missing")
    if not years:
        d.pairs(None, cols)
        d.record("events", src, (None, None), cov, cols)
        return
    yl = ", ".join(map(str, years))
    counts = [c for c, _ in units if c.startswith("events_") and not c.endswith("share_of_a_events")]
    d.pairs(f"""SELECT source_code AS code_a, target_code AS code_b, CAST(year AS INTEGER) AS year, count(*) AS events_a_to_b_n,
                       count(*) FILTER (WHERE quad_class = 1) AS events_verbal_coop_a_to_b,
                       count(*) FILTER (WHERE quad_class = 2) AS events_material_coop_a_to_b,
                       count(*) FILTER (WHERE quad_class = 3) AS events_verbal_conflict_a_to_b,
                       count(*) FILTER (WHERE quad_class = 4) AS events_material_conflict_a_to_b,
                       avg(goldstein) AS goldstein_mean_a_to_b,
                       (count(*) FILTER (WHERE quad_class IN (1, 2)) - count(*) FILTER (WHERE quad_class IN (3, 4))) / count(*) AS net_cooperation_a_to_b,
                       count(*) / sum(count(*)) OVER (PARTITION BY source_code, year) AS events_a_to_b_share_of_a_events
                FROM {t} WHERE source_code <> target_code AND source_code IS NOT NULL AND target_code IS NOT NULL AND year IN ({yl})
                GROUP BY source_code, target_code, year""", cols,
            observed={c: f"d.year IN ({yl})" for c in counts})
    d.record("events", src, (min(years), max(years)), cov, cols)


def _events_lake(d: Frame, cols: dict, cov: str, units) -> bool:
    """The yearly event measures from the lake's dyad-month series (``multipolar events import``): a year counts
    when one source's files have events on at least EVENT_DAYS of its days; one source per year (the order of
    EVENT_SOURCE_ORDER), named in the notes. False when the series cover no year (the events table is tried)."""
    dm, cv = d.t("event_dyad_month"), d.t("event_month_coverage")
    order = "CASE source " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(EVENT_SOURCE_ORDER)) + f" ELSE {len(EVENT_SOURCE_ORDER)} END"
    covered = d._x(f"""SELECT year, arg_min(source, {order}) FROM (SELECT source, year, sum(days) AS days FROM {cv} GROUP BY ALL HAVING sum(days) >= {EVENT_DAYS})
                       GROUP BY year ORDER BY year""")
    partial = d._x(f"""SELECT source, year, sum(days) FROM {cv} GROUP BY ALL HAVING sum(days) < {EVENT_DAYS}
                       AND year NOT IN (SELECT year FROM {cv} GROUP BY source, year HAVING sum(days) >= {EVENT_DAYS}) ORDER BY year, source""")
    if partial:
        d.notes.append("interaction: the event files cover too few days for a yearly measure in "
                       + ", ".join(f"{int(y)} ({s}: {n} days)" for s, y, n in partial) + f" (a year needs {EVENT_DAYS}): those years' event columns are missing")
    if not covered:
        return False
    years = [int(y) for y, _ in covered]
    pick = " UNION ALL ".join(f"SELECT {int(y)} AS year, '{s}' AS source" for y, s in covered)
    d.notes.append("interaction: event measures from the event lake's dyad-month series, one source a year: "
                   + ", ".join(f"{y} {s}" for y, s in covered) + "; event counts follow news volume (compare shares, not counts, across years)")
    yl = ", ".join(map(str, years))
    counts = [c for c, _ in units if c.startswith("events_") and not c.endswith("share_of_a_events")]
    # (counts cast back to BIGINT: DuckDB's sum of BIGINT is a HUGEINT, which reaches pandas as Decimal objects)
    d.pairs(f"""SELECT m.source_code AS code_a, m.target_code AS code_b, CAST(m.year AS INTEGER) AS year, CAST(sum(m.events) AS BIGINT) AS events_a_to_b_n,
                       CAST(sum(m.verbal_coop) AS BIGINT) AS events_verbal_coop_a_to_b, CAST(sum(m.material_coop) AS BIGINT) AS events_material_coop_a_to_b,
                       CAST(sum(m.verbal_conflict) AS BIGINT) AS events_verbal_conflict_a_to_b, CAST(sum(m.material_conflict) AS BIGINT) AS events_material_conflict_a_to_b,
                       sum(m.goldstein_sum) / sum(m.events) AS goldstein_mean_a_to_b,
                       CAST(sum(m.verbal_coop) + sum(m.material_coop) - sum(m.verbal_conflict) - sum(m.material_conflict) AS DOUBLE) / sum(m.events) AS net_cooperation_a_to_b,
                       CAST(sum(m.events) AS DOUBLE) / sum(sum(m.events)) OVER (PARTITION BY m.source_code, m.year) AS events_a_to_b_share_of_a_events
                FROM {dm} m JOIN ({pick}) p ON p.year = m.year AND p.source = m.source
                WHERE m.events > 0 GROUP BY m.source_code, m.target_code, m.year""", cols,
            observed={c: f"d.year IN ({yl})" for c in counts})
    d.record("events", "event lake dyad-months (" + ", ".join(sorted({s for _, s in covered})) + ")", (min(years), max(years)), cov, cols)
    return True


def _mids(d: Frame):
    src = "GML MID (Gibler, Miller & Little), directed dispute-years"
    if d.lacks("mid_gml", "interaction: militarised disputes", {"mid_ongoing": ("interaction", "a militarised dispute (0/1)", src), "mid_hostility_max": ("interaction", "highest hostility level", src)}):
        return
    t = d.t("mid_gml")
    lo, last = d.span("mid_gml")
    cov = f"every pair in {lo}-{last} (0: no dispute); missing after"
    sql = f"""SELECT code_a, code_b, CAST(year AS INTEGER) AS year, 1 AS mid_ongoing, max(greatest(hostlev1, hostlev2)) AS mid_hostility_max
              FROM (SELECT code_a, code_b, year, hostlev1, hostlev2 FROM {t} UNION ALL SELECT code_b, code_a, year, hostlev2, hostlev1 FROM {t})
              WHERE code_a <> code_b GROUP BY ALL"""
    carried = d.carries("mid") and last < d.years[1]
    if carried:
        sql = d.carry_sql(sql, last)
    cols = {"mid_ongoing": ("interaction", "a militarised dispute between them in the year (0/1)", src, cov),
            "mid_hostility_max": ("interaction", "highest hostility level of either side (1-5; missing without a dispute)", src, cov)}
    d.pairs(sql, cols, observed={"mid_ongoing": d.within(lo, d.years[1] if carried else last)})
    d.record("mid", src, (lo, last), cov, cols, carried_to=d.years[1] if carried else None)
    if carried:
        d.exprs({"mid_carried": ("interaction", f"MID columns repeat {last} (asked with carry)", src, "")}, {"mid_carried": f"d.year > {last}"}, [])


def _wars(d: Frame):
    from ...actors.facts import conflicts
    from ...actors.registry import registry
    parts, spans = [], []
    if d.has("cow_war_inter"):
        t = d.t("cow_war_inter")
        parts.append(f"SELECT code_a, code_b, year, 1 AS war, 1 AS conflict FROM {t} WHERE code_a IS NOT NULL AND code_b IS NOT NULL")
        spans.append(d.span("cow_war_inter"))
    last = None
    if d.has("ucdp_acd"):
        gw = registry().year_crosswalk("gw")
        gw["key"] = gw["key"].astype(int)
        d.register("_gw", gw)
        t = d.t("ucdp_acd")
        spans.append(d.span("ucdp_acd"))
        last = spans[-1][1]
        parts.append(f"""WITH u AS (SELECT year, gwno_a AS a, gwno_b AS b, intensity_level AS i FROM {t} WHERE type_of_conflict = 'interstate'
                                    UNION ALL SELECT year, gwno_a_2nd, gwno_b, intensity_level FROM {t} WHERE type_of_conflict = 'interstate' AND gwno_a_2nd IS NOT NULL
                                    UNION ALL SELECT year, gwno_a, gwno_b_2nd, intensity_level FROM {t} WHERE type_of_conflict = 'interstate' AND gwno_b_2nd IS NOT NULL)
                         SELECT ga.code, gb.code, u.year, CASE WHEN u.i >= 2 THEN 1 ELSE 0 END, 1
                         FROM u JOIN _gw ga ON ga.key = CAST(u.a AS INTEGER) AND ga.year = u.year
                                JOIN _gw gb ON gb.key = CAST(u.b AS INTEGER) AND gb.year = u.year""")
    rows = []
    after = (last + 1) if last else None
    for r in conflicts().itertuples(index=False):
        y0, y1 = int(r.start[:4]), int(r.end[:4]) if r.end else d.years[1]
        for y in range(max(y0, after or y0, d.years[0]), min(y1, d.years[1]) + 1):
            rows.append((r.code_a, r.code_b, y, int(r.kind == "war"), 1))
    if rows:
        d.register("_cf", pd.DataFrame(rows, columns=["code_a", "code_b", "year", "war", "conflict"]))
        parts.append("SELECT code_a, code_b, year, war, conflict FROM _cf")
    src = "COW inter-state wars; UCDP/PRIO ACD (interstate; intensity 2 = war); multipolar's dated conflict list after UCDP"
    lo = min((s[0] for s in spans if s[0] is not None), default=None)
    hi = max((s[1] for s in spans if s[1] is not None), default=None)
    cov = f"every pair in {lo}-{hi} (0: none); after, only the pairs of the dated conflict list" if hi else "only the dated conflict list"
    cols = {"war_ongoing": ("interaction", "at war with each other in the year (0/1)", src, cov),
            "armed_conflict_ongoing": ("interaction", "an interstate armed conflict between them (0/1)", src, cov)}
    if not parts:
        d.pairs(None, cols)
        return
    union = " UNION ALL ".join(f"({p})" for p in parts)
    d.pairs(f"""SELECT code_a, code_b, CAST(year AS INTEGER) AS year, max(war) AS war_ongoing, max(conflict) AS armed_conflict_ongoing FROM
                (SELECT * FROM ({union}) u(code_a, code_b, year, war, conflict)
                 UNION ALL SELECT code_b, code_a, year, war, conflict FROM ({union}) v(code_a, code_b, year, war, conflict))
                WHERE code_a <> code_b GROUP BY ALL""", cols,
            observed={c: d.within(lo, hi) for c in cols} if hi else None)
    d.record("wars", src, (lo, hi), cov, cols)


def _rivalries(d: Frame):
    specs = []
    if d.has("rivalries_tss"):
        t = d.t("rivalries_tss")
        specs.append(("rivalry_tss", f'SELECT code_a, code_b, CAST(start AS INTEGER) AS y0, CAST(coalesce("end", 9999) AS INTEGER) AS y1 FROM {t}',
                      "Thompson, Sakuwa & Suhas strategic rivalries (via peacesciencer)", f'SELECT min(start), max("end") FROM {t} WHERE "end" < 9999'))
    if d.has("rivalries_td"):
        t = d.t("rivalries_td")
        specs.append(("rivalry_td", f"SELECT code_a, code_b, CAST(styear AS INTEGER) AS y0, CAST(coalesce(endyear, 9999) AS INTEGER) AS y1 FROM {t}",
                      "Thompson & Dreyer (2012) strategic rivalries (via peacesciencer)", f"SELECT min(styear), max(endyear) FROM {t}"))
    done = set()
    for col, sql, src, span_sql in specs:
        lo, last = (int(x) if x is not None else None for x in d._x(span_sql)[0])
        carried = d.carries("rivalries") and last is not None and last < d.years[1]
        end = d.years[1] if carried else last
        cov = f"every pair in {max(lo, 1946)}-{last} (0: no rivalry); missing after" + ("; carried when asked" if carried else "")
        # a rivalry still running when its dataset ends is coded with the dataset's last year as its end
        rsql = f"SELECT code_a, code_b, y0, CASE WHEN y1 >= {last} THEN {end} ELSE y1 END AS y1 FROM ({sql})"
        d.pairs(f"""WITH r AS ({rsql}), yrs AS (SELECT range AS year FROM range({d.years[0]}, {d.years[1] + 1}))
                    SELECT code_a, code_b, CAST(year AS INTEGER) AS year, 1 AS {col} FROM
                    (SELECT r.code_a, r.code_b, yrs.year FROM r JOIN yrs ON yrs.year BETWEEN r.y0 AND r.y1
                     UNION SELECT r.code_b, r.code_a, yrs.year FROM r JOIN yrs ON yrs.year BETWEEN r.y0 AND r.y1)
                    WHERE code_a IS NOT NULL AND code_b IS NOT NULL""",
                {col: ("interaction", "a strategic rivalry in the year (0/1)", src, cov)}, observed={col: d.within(lo, end)})
        d.record(col, src, (lo, last), cov, [col], carried_to=d.years[1] if carried else None)
        done.add(col)
        if carried:
            d.exprs({f"{col}_carried": ("interaction", f"{col} repeats {last} (asked with carry)", src, "")}, {f"{col}_carried": f"d.year > {last}"}, [])
    for col, src in (("rivalry_tss", "Thompson, Sakuwa & Suhas"), ("rivalry_td", "Thompson & Dreyer")):
        if col not in done:
            d.pairs(None, {col: ("interaction", "a strategic rivalry in the year (0/1)", f"{src}: not imported")})


def _sanctions(d: Frame):
    src = "Global Sanctions Database (Felbermayr et al. 2020; Kirilakha et al. 2021; Syropoulos et al. 2024)"
    cols = {"sanctions_a_on_b_n": ("interaction", "sanction cases in force with A sending, B targeted (count)", src),
            "sanctions_a_on_b_types": ("interaction", "their types", src),
            "sanctions_b_on_a_n": ("interaction", "sanction cases in force with B sending, A targeted (count)", src),
            "sanctions_b_on_a_types": ("interaction", "their types", src)}
    has_gsdb = d.has("sanction_cases") and (d.has("sanction_party_years") or d.has("sanction_parties"))
    lo = last = None
    parts = []
    if has_gsdb:
        c = d.t("sanction_cases")
        lo, last = (int(x) for x in d._x(f'SELECT min("begin"), max(coalesce("end", "begin")) FROM {c}')[0])
        _org_members(d)
        if d.has("sanction_party_years"):
            py = d.t("sanction_party_years")
            # parties resolved year by year by the reader; organisations as their members of the year
            parties = f"""SELECT DISTINCT p.case_id, p.role, coalesce(p.code, m.code) AS code, CAST(p.year AS INTEGER) AS year
                          FROM {py} p LEFT JOIN _gsdb_org_members m ON p.code IS NULL AND m.party = p.party AND m.year = p.year
                          WHERE coalesce(p.code, m.code) IS NOT NULL AND p.year BETWEEN {d.years[0]} AND {d.years[1]}"""
        else:
            p = d.t("sanction_parties")
            parties = f"""SELECT DISTINCT p.case_id, p.role, coalesce(p.code, m.code) AS code, CAST(yrs.year AS INTEGER) AS year
                          FROM {p} p JOIN {c} cs ON cs.case_id = p.case_id
                          JOIN (SELECT range AS year FROM range({d.years[0]}, {d.years[1] + 1})) yrs
                            ON yrs.year BETWEEN cs."begin" AND coalesce(cs."end", cs."begin")
                          LEFT JOIN _gsdb_org_members m ON p.code IS NULL AND m.party = p.party AND m.year = yrs.year
                          WHERE coalesce(p.code, m.code) IS NOT NULL"""
        gsdb = f"""WITH pty AS ({parties})
                   SELECT s.code AS code_a, t.code AS code_b, s.year, cs.case_id,
                          concat_ws(',', CASE WHEN cs.trade > 0 THEN 'trade' END, CASE WHEN cs.arms > 0 THEN 'arms' END,
                                    CASE WHEN cs.military > 0 THEN 'military' END, CASE WHEN cs.financial > 0 THEN 'financial' END,
                                    CASE WHEN cs.travel > 0 THEN 'travel' END, CASE WHEN cs.other > 0 THEN 'other' END) AS types
                   FROM pty s JOIN pty t ON s.case_id = t.case_id AND s.year = t.year AND s.role = 'sender' AND t.role = 'target' AND s.code <> t.code
                   JOIN {c} cs ON cs.case_id = s.case_id"""
        if d.carries("gsdb") and last < d.years[1]:
            gsdb = (f"SELECT * FROM ({gsdb}) WHERE year <= {last} UNION ALL SELECT code_a, code_b, CAST(y.range AS INTEGER), case_id, types "
                    f"FROM ({gsdb}) x, range({last + 1}, {d.years[1] + 1}) y WHERE x.year = {last}")
        parts.append(f"SELECT code_a, code_b, year, CAST(case_id AS VARCHAR) AS case_key, types FROM ({gsdb})")
    else:
        d.missing("sanction_cases", "interaction: sanctions (Global Sanctions Database)")
    carried = has_gsdb and d.carries("gsdb") and last < d.years[1]
    end_gsdb = d.years[1] if carried else last
    _later_sanctions(d, end_gsdb)
    parts.append("SELECT code_a, code_b, year, 'list:' || measure AS case_key, types FROM _later_sanctions")
    union = " UNION ALL ".join(f"({p})" for p in parts)
    cov = (f"every pair in {lo}-{last} (0: no case)" if has_gsdb else "no GSDB") + "; after, only the pairs of the dated sanctions list"
    cols = {k: v + (cov,) for k, v in cols.items()}
    kinds = ("kinds of measure among them: trade, financial, travel, arms (an arms embargo coded arms and military is one), "
             "other")
    cols["sanctions_a_on_b_kinds"] = ("interaction", kinds, src, cov)
    cols["sanctions_b_on_a_kinds"] = ("interaction", kinds, src, cov)
    obs = d.within(lo, end_gsdb) if has_gsdb else None
    k = d.pairs(f"""SELECT code_a, code_b, CAST(year AS INTEGER) AS year, count(DISTINCT case_key) AS sanctions_a_on_b_n,
                           string_agg(DISTINCT t.types, ',' ORDER BY t.types) AS sanctions_a_on_b_types,
                           count(DISTINCT CASE WHEN t.types = 'military' THEN 'arms' ELSE t.types END) AS sanctions_a_on_b_kinds
                    FROM (SELECT code_a, code_b, year, case_key, unnest(string_split(types, ',')) AS types FROM ({union})) t
                    WHERE code_a <> code_b AND types <> '' GROUP BY ALL""",
                {c: cols[c] for c in ("sanctions_a_on_b_n", "sanctions_a_on_b_types", "sanctions_a_on_b_kinds")},
                observed={"sanctions_a_on_b_n": obs, "sanctions_a_on_b_kinds": obs} if has_gsdb else None)
    cond = obs or "false"
    d.exprs({c: cols[c] for c in ("sanctions_b_on_a_n", "sanctions_b_on_a_types", "sanctions_b_on_a_kinds")},
            {"sanctions_b_on_a_n": f"CASE WHEN sr.sanctions_a_on_b_n IS NULL AND {cond} THEN 0 ELSE sr.sanctions_a_on_b_n END",
             "sanctions_b_on_a_types": "sr.sanctions_a_on_b_types",
             "sanctions_b_on_a_kinds": f"CASE WHEN sr.sanctions_a_on_b_kinds IS NULL AND {cond} THEN 0 ELSE sr.sanctions_a_on_b_kinds END"},
            [f"LEFT JOIN m{k} sr ON sr._k = d._kr"])
    d.record("gsdb", src + "; then multipolar's dated sanctions list", (lo, last), cov, cols, carried_to=d.years[1] if carried else None)
    if carried:
        d.exprs({"sanctions_carried": ("interaction", f"sanctions repeat GSDB's {last} (asked with carry)", src, "")},
                {"sanctions_carried": f"d.year > {last}"}, [])
    if has_gsdb:
        d.notes.append(f"interaction: sanctions from GSDB {lo}-{last}; a case sent or received by the EU (EEC), NATO, the G7, G8, AU (OAU) "
                       f"or EAEU counts for each member state of the year; UN Security Council cases and other groups' are not expanded; "
                       f"after {last}, only the pairs of the dated sanctions list (actors/data/sanctions.csv) have a value")


def _org_members(d: Frame):
    """``_gsdb_org_members`` (party, code, year): the member states of the GSDB organisations that
    multipolar has dated memberships for (:data:`multipolar.sources.security.GSDB_ORG_MEMBERS`)."""
    from ...actors.groupings import membership_years
    from ...sources.security import GSDB_ORG_MEMBERS
    my = membership_years(d.years[0], d.years[1])
    m = pd.DataFrame([(party, r.code, r.year) for party, org in GSDB_ORG_MEMBERS.items()
                      for r in my[my["org"] == org].itertuples(index=False)], columns=["party", "code", "year"], dtype=object)
    d.register("_gsdb_org_members", m.drop_duplicates().astype({"year": "int32"}))


def _later_sanctions(d: Frame, last: int | None):
    """The dated sanctions list (actors/data/sanctions.csv) for the years after GSDB (all its years
    when GSDB is not imported); "EU" stands for the EU's members of each year."""
    from ...actors.facts import sanctions
    from ...actors.groupings import members
    rows = []
    for i, r in enumerate(sanctions().itertuples(index=False)):
        y0, y1 = int(r.start[:4]), int(r.end[:4]) if r.end else d.years[1]
        for y in range(max(y0, (last or 0) + 1, d.years[0]), min(y1, d.years[1]) + 1):
            snd = members("EU", y) if r.sender == "EU" else [r.sender]
            tgt = members("EU", y) if r.target == "EU" else [r.target]
            rows += [(a, b, y, r.types, f"{i}") for a in snd for b in tgt if a != b]
    d.register("_later_sanctions", pd.DataFrame(rows, columns=["code_a", "code_b", "year", "types", "measure"], dtype=object)
               .astype({"year": "int32"}))
