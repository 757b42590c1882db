"""Economic interdependence: trade, named by what it holds.

``energy_minerals_*``
    CEPII BACI summed over the 74 HS6 energy and mineral products of the shared subset
    (:func:`~multipolar.sources.products.products`; crude oil, natural gas, coal, ores, critical
    minerals, precious metals): the same products whatever BACI file the warehouse holds. Never
    "trade" in general.
``total_trade_*``
    All goods, where a full trade file is imported: a full BACI file (a year with every HS6
    product), else COW's dyadic trade (to 2014). Missing everywhere else (the shared data hold no
    total bilateral trade after 2014).
``eurostat_*``
    The partial Eurostat panel as its reporters give it (euro): an EU member's exports, or the
    annual imports of Kazakhstan, Kyrgyzstan, Uzbekistan and Armenia from a partner.

Which pairs BACI observes
-------------------------
BACI records a flow when either partner reports it to UN Comtrade. So a pair absent from a
year is a zero only if one of the two states reported that year. multipolar cannot see reporting
directly; it infers *likely non-reporters* from the data: a pair that traded more than
:data:`VANISH_KUSD` (thousand US$, in the subset's products) in each of three consecutive years and
then has no flow at all, while both states are still in the file, has *vanished*, and so stays
until a flow reappears; both of its states are likely non-reporters in those years (Russia and
Belarus from 2022, whose mutual oil and gas trade cannot have stopped; the United Arab Emirates and
many of its partners in 2024, not yet reported). A pair absent from a year is then 0 when both
states are in that year's file and they are not both likely non-reporters; otherwise it is missing.
The vanished pairs are listed in the table's notes.
"""
from __future__ import annotations

from .frame import Frame, declare

SRC_BACI = "CEPII BACI HS92 (the 74 energy and mineral HS6 products)"
#: a pair that traded more than this (thousand US$ a year, in the subset's products) in each of three
#: consecutive years and then has no flow, both states still in the file, has vanished (see above)
VANISH_KUSD = 10_000


def add(d: Frame):
    """Every trade measure the warehouse allows: energy and minerals (BACI subset products), total
    trade (full BACI or COW dyadic), the Eurostat panel, and the gravity teaching data."""
    _energy_minerals(d)
    _total_trade(d)
    for table, panel in (("eurostat_trade", _eurostat), ("gravity_agtpa", _agtpa)):     # panels added only when imported
        if d.has(table):
            panel(d, d.t(table))


def _energy_minerals(d: Frame):
    from ...sources.products import ENERGY_SECTORS, products
    cov = ("pairs both in BACI's file of the year, not both likely non-reporters (see the module docs): "
           "absent there = 0; else missing")
    cols = declare("economy", SRC_BACI, cov, {
        "energy_minerals_exports_a_to_b_kusd": "exports A->B of the energy and mineral products, thousand US$",
        "energy_minerals_exports_b_to_a_kusd": "exports B->A of the energy and mineral products, thousand US$",
        "energy_minerals_trade_share_of_a": "A's energy and minerals trade with B / A's energy and minerals trade with all",
        "energy_minerals_trade_share_of_b": "B's energy and minerals trade with A / B's with all",
        "energy_imports_a_from_b_share": "A's imports of fuels (crude oil, gas, coal) from B / A's fuel imports",
        "energy_imports_b_from_a_share": "B's fuel imports from A / B's fuel imports"})
    tcols = {"energy_minerals_trade_of_a_kusd": ("economy", "A's energy and minerals trade with all, thousand US$", SRC_BACI, cov),
             "energy_minerals_trade_of_b_kusd": ("economy", "B's energy and minerals trade with all, thousand US$", SRC_BACI, cov)}
    if d.lacks("baci_trade", "economy: BACI", {**cols, **tcols}):
        return
    t = d.t("baci_trade")
    em = ", ".join(f"'{h}'" for h in products())
    energy = ", ".join(f"'{h}'" for h in products(ENERGY_SECTORS))
    y0, y1 = d.years
    d._x(f"""CREATE OR REPLACE TEMP TABLE em_f AS
             SELECT exporter, importer, CAST(year AS INTEGER) AS year, sum(value_kusd) AS v,
                    sum(CASE WHEN hs6 IN ({energy}) THEN value_kusd ELSE 0 END) AS e
             FROM {t} WHERE exporter <> importer AND hs6 IN ({em}) AND year BETWEEN {y0 - 3} AND {y1} GROUP BY ALL""")
    _observed_states(d, "em_f", "em_obs")
    gaps = _listed_gaps(d)
    k = len(d._parts)
    d.pairs("""WITH tot AS (SELECT code, year, sum(v) AS v FROM (SELECT exporter AS code, year, v FROM em_f UNION ALL
                                                                 SELECT importer, year, v FROM em_f) GROUP BY ALL),
                    eimp AS (SELECT importer AS code, year, sum(e) AS e FROM em_f GROUP BY ALL),
                    pairs AS (SELECT exporter AS code_a, importer AS code_b, year FROM em_f UNION SELECT importer, exporter, year FROM em_f
                              UNION SELECT exporter, importer, year FROM em_gap UNION SELECT importer, exporter, year FROM em_gap),
                    f AS (SELECT p.code_a, p.code_b, p.year, ab.v AS v_ab, ab.e AS e_ab, ba.v AS v_ba, ba.e AS e_ba,
                                 gab.exporter IS NOT NULL AS g_ab, coalesce(gab.energy, false) AS ge_ab,
                                 gba.exporter IS NOT NULL AS g_ba, coalesce(gba.energy, false) AS ge_ba
                          FROM pairs p
                          LEFT JOIN em_f ab ON ab.exporter = p.code_a AND ab.importer = p.code_b AND ab.year = p.year
                          LEFT JOIN em_f ba ON ba.exporter = p.code_b AND ba.importer = p.code_a AND ba.year = p.year
                          LEFT JOIN em_gap gab ON gab.exporter = p.code_a AND gab.importer = p.code_b AND gab.year = p.year
                          LEFT JOIN em_gap gba ON gba.exporter = p.code_b AND gba.importer = p.code_a AND gba.year = p.year)
               SELECT f.code_a, f.code_b, f.year, f.g_ab OR f.g_ba AS _gap,
                      CASE WHEN f.g_ab THEN NULL ELSE coalesce(f.v_ab, 0) END AS energy_minerals_exports_a_to_b_kusd,
                      CASE WHEN f.g_ba THEN NULL ELSE coalesce(f.v_ba, 0) END AS energy_minerals_exports_b_to_a_kusd,
                      CASE WHEN f.g_ab OR f.g_ba THEN NULL ELSE (coalesce(f.v_ab, 0) + coalesce(f.v_ba, 0)) / nullif(ta.v, 0) END
                          AS energy_minerals_trade_share_of_a,
                      CASE WHEN f.g_ab OR f.g_ba THEN NULL ELSE (coalesce(f.v_ab, 0) + coalesce(f.v_ba, 0)) / nullif(tb.v, 0) END
                          AS energy_minerals_trade_share_of_b,
                      CASE WHEN f.ge_ba THEN NULL ELSE coalesce(f.e_ba, 0) / nullif(ea.e, 0) END AS energy_imports_a_from_b_share,
                      CASE WHEN f.ge_ab THEN NULL ELSE coalesce(f.e_ab, 0) / nullif(eb.e, 0) END AS energy_imports_b_from_a_share
               FROM f
               LEFT JOIN tot ta ON ta.code = f.code_a AND ta.year = f.year
               LEFT JOIN tot tb ON tb.code = f.code_b AND tb.year = f.year
               LEFT JOIN eimp ea ON ea.code = f.code_a AND ea.year = f.year
               LEFT JOIN eimp eb ON eb.code = f.code_b AND eb.year = f.year""",
            cols,
            observed={**{c: "emo_a._ks IS NOT NULL AND emo_b._ks IS NOT NULL AND NOT (emo_a.gap AND emo_b.gap)"
                         for c in list(cols)[:4]},
                      "energy_imports_a_from_b_share": "emo_a.energy_imports > 0 AND emo_b._ks IS NOT NULL AND NOT (emo_a.gap AND emo_b.gap)",
                      "energy_imports_b_from_a_share": "emo_b.energy_imports > 0 AND emo_a._ks IS NOT NULL AND NOT (emo_a.gap AND emo_b.gap)"},
            joins=["LEFT JOIN em_obs emo_a ON emo_a._ks = d._ka", "LEFT JOIN em_obs emo_b ON emo_b._ks = d._kb"])
    if gaps:
        # a listed gap (sources/data/trade_gaps.csv) stays missing: the pair's absent value is not the 0 of an observed pair
        _join, exprs, _extra = d._parts[k]
        for c in cols:
            exprs[c] = exprs[c].replace(f"CASE WHEN x{k}.{c} IS NULL AND ", f"CASE WHEN x{k}.{c} IS NULL AND NOT coalesce(x{k}._gap, false) AND ")
    # each state's trade with all, for the dependence index (a state absent from the year's file: missing)
    d.state_year("em_tot", """SELECT code, year, sum(v) AS v FROM (SELECT exporter AS code, year, v FROM em_f UNION ALL
                                                                  SELECT importer, year, v FROM em_f) GROUP BY ALL""")
    d.exprs(tcols, {"energy_minerals_trade_of_a_kusd": "emt_a.v", "energy_minerals_trade_of_b_kusd": "emt_b.v"},
            ["LEFT JOIN em_tot emt_a ON emt_a._ks = d._ka", "LEFT JOIN em_tot emt_b ON emt_b._ks = d._kb"])
    d.record("energy_minerals", SRC_BACI, d.span("baci_trade"), cov, [*cols, *tcols])
    _note_vanished(d, "em_vanished", "energy and minerals")


def _listed_gaps(d: Frame) -> int:
    """``em_gap`` (exporter, importer, year, energy): the flows that BACI does not record although they took place
    (:func:`multipolar.sources.products.trade_gaps`, a source per row), in the table's years; their pairs' measures
    of that direction are missing, not 0 or an undercount, and the notes name them. Returns how many pair-years."""
    from ...sources.products import ENERGY_SECTORS, gap_rows, products
    from ...years import runs
    g = gap_rows(products(), *d.years)
    rows = [(a, b, y, s in ENERGY_SECTORS) for a, b, y, s in g.itertuples(index=False, name=None)]
    vals = ", ".join(f"('{a}', '{b}', {y}, {str(e).lower()})" for a, b, y, e in rows)
    # one row per pair-year (a pair may have gaps in several sectors): energy when any of them is a fuel
    d._x("CREATE OR REPLACE TEMP TABLE em_gap AS " + (f"SELECT exporter, importer, year, bool_or(energy) AS energy "
                                                      f"FROM (VALUES {vals}) v(exporter, importer, year, energy) GROUP BY ALL" if rows else
         "SELECT NULL::VARCHAR AS exporter, NULL::VARCHAR AS importer, NULL::INTEGER AS year, NULL::BOOLEAN AS energy WHERE false"))
    shown = [(a, b, s, runs(x["year"])) for (a, b, s), x in g.groupby(["exporter", "importer", "sector"])]
    if shown:
        d.notes.append("economy (energy and minerals): flows that BACI does not record although they took place "
                       "(sources/data/trade_gaps.csv, a source per row); the pair's exports in that direction, its trade shares and "
                       "(for fuels) the importer's fuel share from the exporter are missing, not 0 or an undercount, and the importer's "
                       "totals lack them: " + "; ".join(f"{a}->{b} {s.replace('_', ' ')} {ys}" for a, b, s, ys in shown))
    return len(rows)


def _observed_states(d: Frame, flows: str, out: str):
    """``out`` (code, year, _ks, gap, energy_imports): the states in each year's file, with the
    likely non-reporters flagged (``gap``) from the vanished pairs; ``{out}`` → also ``em_vanished``."""
    vanished = f"{out.split('_')[0]}_vanished"
    d._x(f"""CREATE OR REPLACE TEMP TABLE {vanished} AS
             WITH u AS (SELECT least(exporter, importer) AS a, greatest(exporter, importer) AS b, year, sum(v) AS v FROM {flows} GROUP BY ALL),
                  pres AS (SELECT DISTINCT exporter AS code, year FROM {flows} UNION SELECT importer, year FROM {flows}),
                  yrs AS (SELECT DISTINCT year FROM {flows}),
                  w AS (SELECT a, b, year, v, lag(year, 1) OVER p AS y1, lag(v, 1) OVER p AS v1, lag(year, 2) OVER p AS y2,
                               lag(v, 2) OVER p AS v2, lead(year) OVER p AS next_year
                        FROM u WINDOW p AS (PARTITION BY a, b ORDER BY year)),
                  runs AS (SELECT a, b, year AS last_year, v AS last_v, coalesce(next_year, 10000) AS next_year FROM w
                           WHERE y1 = year - 1 AND y2 = year - 2 AND least(v, v1, v2) > {VANISH_KUSD} AND coalesce(next_year, 10000) > year + 1)
             SELECT r.a, r.b, y.year, r.last_v FROM runs r JOIN yrs y ON y.year > r.last_year AND y.year < r.next_year
             JOIN pres pa ON pa.code = r.a AND pa.year = y.year JOIN pres pb ON pb.code = r.b AND pb.year = y.year""")
    d.state_year(out, f"""WITH pres AS (SELECT DISTINCT exporter AS code, year FROM {flows} UNION SELECT importer, year FROM {flows}),
                              gap AS (SELECT DISTINCT a AS code, year FROM {vanished} UNION SELECT b, year FROM {vanished}),
                              eimp AS (SELECT importer AS code, year, sum(e) AS e FROM {flows} GROUP BY ALL)
                          SELECT p.code, p.year, g.code IS NOT NULL AS gap, coalesce(e.e, 0) AS energy_imports FROM pres p
                          LEFT JOIN gap g ON g.code = p.code AND g.year = p.year
                          LEFT JOIN eimp e ON e.code = p.code AND e.year = p.year""")


def _note_vanished(d: Frame, table: str, what: str):
    rows = d._x(f"""SELECT a, b, min(year), max(year), max(last_v) FROM {table} WHERE year BETWEEN {d.years[0]} AND {d.years[1]}
                    GROUP BY a, b ORDER BY max(last_v) DESC, a, b""")
    if rows:
        listed = "; ".join(f"{a}-{b} {y0}" + (f"-{y1}" if y1 != y0 else "") + f" (was {v / 1e6:,.1f} bn US$)" for a, b, y0, y1, v in rows[:25])
        more = f" and {len(rows) - 25} more" if len(rows) > 25 else ""
        d.notes.append(f"economy ({what}): {len(rows)} pairs vanished from BACI while both states stayed in the file, so neither "
                       f"reported them; those pairs, and all pairs of two such likely non-reporters, are missing, not 0 (largest "
                       f"first): {listed}{more}")


def _total_trade(d: Frame):
    from ...sources.products import FULL_FILE_PRODUCTS
    cov_b = "full BACI years: as the energy and minerals measure (absent = 0 where observed)"
    cov_c = "COW dyadic trade rows; its missing flows (-9) stay missing"
    src = "a full trade file: CEPII BACI (all HS6 products) or COW Trade 4.0 dyadic"
    cov = f"{cov_b}; {cov_c}"
    cols = {"total_trade_exports_a_to_b_musd": ("economy", "exports A->B, all goods, million US$", src, cov),
            "total_trade_exports_b_to_a_musd": ("economy", "exports B->A, all goods, million US$", src, cov),
            "total_trade_share_of_a": ("economy", "A's trade with B / A's trade with all, all goods", src, cov),
            "total_trade_share_of_b": ("economy", "B's trade with A / B's trade with all, all goods", src, cov),
            "total_trade_source": ("economy", "which full trade file the total comes from", src, "")}
    tcols = {"total_trade_of_a_musd": ("economy", "A's trade with all, all goods, million US$", src, cov),
             "total_trade_of_b_musd": ("economy", "B's trade with all, all goods, million US$", src, cov)}
    parts, totals, spans = [], [], []
    full_years = []
    if d.has("baci_trade"):
        full_years = [int(r[0]) for r in d._x(f"SELECT year FROM {d.t('baci_trade')} GROUP BY year "
                                              f"HAVING count(DISTINCT hs6) >= {FULL_FILE_PRODUCTS} ORDER BY year")]
    if full_years:
        yl = ", ".join(map(str, full_years))
        d._x(f"""CREATE OR REPLACE TEMP TABLE tt_f AS SELECT exporter, importer, CAST(year AS INTEGER) AS year, sum(value_kusd) AS v, 0.0 AS e
                 FROM {d.t('baci_trade')} WHERE exporter <> importer AND year IN ({yl}) GROUP BY ALL""")
        _observed_states(d, "tt_f", "tt_obs")
        tot = "(SELECT code, year, sum(v) AS v FROM (SELECT exporter AS code, year, v FROM tt_f UNION ALL SELECT importer, year, v FROM tt_f) GROUP BY ALL)"
        totals.append(f"SELECT code, year, v / 1000 AS v, 1 AS prio FROM {tot}")
        parts.append(f"""WITH tot AS {tot},
                             pairs AS (SELECT exporter AS code_a, importer AS code_b, year FROM tt_f UNION SELECT importer, exporter, year FROM tt_f)
                        SELECT p.code_a, p.code_b, p.year, coalesce(ab.v, 0) / 1000 AS xab, coalesce(ba.v, 0) / 1000 AS xba,
                               (coalesce(ab.v, 0) + coalesce(ba.v, 0)) / nullif(ta.v, 0) AS sa,
                               (coalesce(ab.v, 0) + coalesce(ba.v, 0)) / nullif(tb.v, 0) AS sb, 'CEPII BACI, all products' AS src, 1 AS prio
                        FROM pairs p LEFT JOIN tt_f ab ON ab.exporter = p.code_a AND ab.importer = p.code_b AND ab.year = p.year
                        LEFT JOIN tt_f ba ON ba.exporter = p.code_b AND ba.importer = p.code_a AND ba.year = p.year
                        LEFT JOIN tot ta ON ta.code = p.code_a AND ta.year = p.year LEFT JOIN tot tb ON tb.code = p.code_b AND tb.year = p.year""")
        spans.append((min(full_years), max(full_years)))
    if d.has("cow_trade_dyad"):
        t = d.t("cow_trade_dyad")
        tot = (f"(SELECT code, CAST(year AS INTEGER) AS year, imports + exports AS v FROM {d.t('cow_trade_state')})" if d.has("cow_trade_state")
               else "(SELECT NULL::VARCHAR AS code, NULL::INTEGER AS year, NULL::DOUBLE AS v WHERE false)")
        totals.append(f"SELECT code, year, v, 2 AS prio FROM {tot}")
        # flow1: imports of ccode1 (A) from ccode2 (B); flow2: imports of B from A; million current US$
        parts.append(f"""WITH c AS (SELECT code_a, code_b, year, flow1 AS imp_a, flow2 AS imp_b FROM {t}
                                    UNION ALL SELECT code_b, code_a, year, flow2, flow1 FROM {t})
                         SELECT c.code_a, c.code_b, CAST(c.year AS INTEGER) AS year, c.imp_b AS xab, c.imp_a AS xba,
                                (c.imp_a + c.imp_b) / nullif(ta.v, 0) AS sa, (c.imp_a + c.imp_b) / nullif(tb.v, 0) AS sb,
                                'COW Trade 4.0 dyadic' AS src, 2 AS prio
                         FROM c LEFT JOIN {tot} ta ON ta.code = c.code_a AND ta.year = c.year
                         LEFT JOIN {tot} tb ON tb.code = c.code_b AND tb.year = c.year""")
        spans.append(d.span("cow_trade_dyad"))
    if not parts:
        d.notes.append("economy: no full trade file imported (a full BACI file or COW dyadic trade), so the total_trade_* columns are "
                       "missing; the energy_minerals_* columns hold only the 74 energy and mineral products")
        d.pairs(None, {**cols, **tcols})
        return
    union = " UNION ALL ".join(f"({p})" for p in parts)
    obs = "tto_a._ks IS NOT NULL AND tto_b._ks IS NOT NULL AND NOT (tto_a.gap AND tto_b.gap)"
    joins = ["LEFT JOIN tt_obs tto_a ON tto_a._ks = d._ka", "LEFT JOIN tt_obs tto_b ON tto_b._ks = d._kb"] if full_years else None
    k = d.pairs(f"""SELECT code_a, code_b, year, arg_min(xab, prio) AS total_trade_exports_a_to_b_musd, arg_min(xba, prio) AS total_trade_exports_b_to_a_musd,
                           arg_min(sa, prio) AS total_trade_share_of_a, arg_min(sb, prio) AS total_trade_share_of_b,
                           arg_min(src, prio) AS total_trade_source
                    FROM ({union}) WHERE code_a <> code_b GROUP BY ALL""", cols,
                observed={c: obs for c in list(cols)[:4]} if full_years else None, joins=joins)
    if full_years:
        _join, exprs, _extra = d._parts[k]
        exprs["total_trade_source"] = (f"CASE WHEN x{k}.total_trade_source IS NULL AND {obs} THEN 'CEPII BACI, all products' "
                                       f"ELSE x{k}.total_trade_source END")
        _note_vanished(d, "tt_vanished", "all goods")
    d.state_year("tt_tot", f"SELECT code, CAST(year AS INTEGER) AS year, arg_min(v, prio) AS v FROM ({' UNION ALL '.join(totals)}) "
                           "WHERE code IS NOT NULL GROUP BY ALL")
    d.exprs(tcols, {"total_trade_of_a_musd": "ttt_a.v", "total_trade_of_b_musd": "ttt_b.v"},
            ["LEFT JOIN tt_tot ttt_a ON ttt_a._ks = d._ka", "LEFT JOIN tt_tot ttt_b ON ttt_b._ks = d._kb"])
    d.record("total_trade", src, (min(s[0] for s in spans), max(s[1] for s in spans)), cov, [*cols, *tcols])


def _eurostat(d: Frame, t: str):
    src = "Eurostat international trade in goods (Comext) and national statistics, as the reporter gives them"
    cov = "the reporters and partners of the Eurostat panel, full years only; never filled"
    cols = {"eurostat_exports_a_to_b_eur": ("economy", "A's exports to B as A reports them, euro (full years)", src, cov),
            "eurostat_imports_a_from_b_eur": ("economy", "A's imports from B as A reports them, euro (full years)", src, cov)}
    cols_in = {r[0] for r in d._x("SELECT column_name FROM information_schema.columns WHERE table_catalog = 'w' AND table_name = 'eurostat_trade'")}
    yearly = "period_kind = 'year'" if "period_kind" in cols_in else "month IS NULL"
    # a monthly series makes a year only with its 12 months; an annual series is a year as it stands
    d.pairs(f"""WITH r AS (SELECT reporter, partner, CAST(year AS INTEGER) AS year, flow, value_eur, month, {yearly} AS is_year
                           FROM {t} WHERE reporter_kind = 'state' AND reporter <> partner),
                     m AS (SELECT reporter, partner, year, flow, sum(value_eur) AS v FROM r WHERE NOT is_year
                           GROUP BY ALL HAVING count(DISTINCT month) = 12
                           UNION ALL
                           SELECT reporter, partner, year, flow, sum(value_eur) FROM r WHERE is_year GROUP BY ALL)
                SELECT reporter AS code_a, partner AS code_b, year,
                       max(v) FILTER (WHERE flow = 'export') AS eurostat_exports_a_to_b_eur,
                       max(v) FILTER (WHERE flow = 'import') AS eurostat_imports_a_from_b_eur
                FROM m GROUP BY ALL""", cols)
    d.record("eurostat", src, d.span("eurostat_trade"), cov, cols)


def _agtpa(d: Frame, t: str):
    src = "Yotov, Piermartini, Monteiro & Larch (2016), An Advanced Guide to Trade Policy Analysis (WTO/UNCTAD)"
    cov = "the textbook's 69 countries, 1986-2006; never filled"
    d.pairs(f"""WITH f AS (SELECT exporter, importer, CAST(year AS INTEGER) AS year, sum(trade) AS v FROM {t} WHERE exporter <> importer GROUP BY ALL),
                pairs AS (SELECT exporter AS code_a, importer AS code_b, year FROM f UNION SELECT importer, exporter, year FROM f)
                SELECT p.code_a, p.code_b, p.year, ab.v AS agtpa_trade_a_to_b, ba.v AS agtpa_trade_b_to_a
                FROM pairs p LEFT JOIN f ab ON ab.exporter = p.code_a AND ab.importer = p.code_b AND ab.year = p.year
                             LEFT JOIN f ba ON ba.exporter = p.code_b AND ba.importer = p.code_a AND ba.year = p.year""",
            {"agtpa_trade_a_to_b": ("economy", "trade A->B (Yotov et al. 2016 teaching data, 1986-2006)", src, cov),
             "agtpa_trade_b_to_a": ("economy", "trade B->A (same)", src, cov)})
