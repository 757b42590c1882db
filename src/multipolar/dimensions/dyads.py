"""The directed dyad-year table: every ordered pair of state-system members, every year, five dimensions.

In the shape of peacesciencer (Miller 2022, *Conflict Management and Peace Science* 39(1)): start
from the pairs, then add one family of measures at a time::

    d = mp.dyads(years="1991:2024").add_values().add_people().add_economy() \\
          .add_institutions().add_interaction().add_security().add_power()
    d.to_parquet("dyads.parquet")

Rows are (code_a, code_b, year) for every ordered pair of states that are members of the state
system at some point of the year (:meth:`Registry.system_members`). Each ``add_*`` verb LEFT-joins
aggregates from the warehouse on those keys: it keeps the row count (checked; a verb that would
duplicate a dyad raises), never drops a dyad, and leaves a measure missing where its source has
no data (a year outside its coverage, a table not imported). Column names say the direction:
``*_a_to_b`` flows from A to B, ``*_b_for_a`` is B's treatment of A's citizens, ``*_share_of_a`` has
A's total as denominator. :attr:`Dyads.columns` documents every column (unit, direction, source)
and :meth:`Dyads.coverage` gives the share of rows with data per column and year.

Everything runs inside DuckDB (the warehouse attached read-only), so the full table 1946-today
with every dimension builds in seconds.
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from ..errors import InputError, MultipolarError

#: a state and its own continuation or successor, both listed in the year of the change: not a dyad
SAME_STATE_TRANSITIONS = {("GFR", "DEU"), ("DDR", "DEU"), ("SUN", "RUS"), ("YUG", "SCG"), ("SCG", "SRB"), ("YAR", "YEM"), ("YMD", "YEM")}

ENERGY_HS6 = ("270900", "271111", "271121", "270111", "270112", "270119", "270210", "271011", "271019", "271600")


@dataclass
class Column:
    name: str
    dimension: str
    unit: str
    source: str


def _data(name: str) -> pd.DataFrame:
    with resources.files("multipolar.relations").joinpath(f"data/{name}").open(encoding="utf-8") as f:
        return pd.DataFrame(list(csv.DictReader(f)))


def treaties() -> pd.DataFrame:
    """The dated list of alliance and partnership treaties after ATOP's last year, with sources."""
    return _data("treaties.csv")


def conflicts() -> pd.DataFrame:
    """The dated list of interstate wars and armed conflicts after the UCDP series, with sources."""
    return _data("conflicts.csv")



def ip_distance_sql(a: str = "ipa", b: str = "ipb") -> dict[str, str]:
    """SQL for the ideal-point distance of A and B, its sd (Laplace) and 90% interval, from their
    state-year rows ``a`` and ``b`` (columns ideal_point, se); the low end is 0 when the interval
    of the difference contains 0. Shared with the snapshot, which recomputes the distance on reading."""
    diff = f"({a}.ideal_point - {b}.ideal_point)"
    sd = f"sqrt({a}.se * {a}.se + {b}.se * {b}.se)"
    return {"ip_distance": f"abs({diff})", "ip_distance_se": sd,
            "ip_distance_lo": f"CASE WHEN {diff} - 1.6449 * {sd} < 0 AND {diff} + 1.6449 * {sd} > 0 THEN 0.0 "
                              f"ELSE abs({diff}) - 1.6449 * {sd} END",
            "ip_distance_hi": f"abs({diff}) + 1.6449 * {sd}"}

class Dyads:
    """A directed dyad-year table being built; every verb returns ``self`` so calls chain."""

    def __init__(self, years=None, states=None, db=None):
        from ..actors.registry import registry
        from ..warehouse import Warehouse
        from .values import parse_years
        self.warehouse = Warehouse(db)
        rng = parse_years(years) or (1946, dt.date.today().year)
        if rng[0] < 1946:
            raise InputError(f"--years: multipolar covers 1946 onwards, got {rng[0]}")
        reg = registry()
        self.states = None
        if states:
            items = states.split(",") if isinstance(states, str) else list(states)
            self.states = sorted({reg.resolve(s.strip()) for s in items if str(s).strip()})
        rows = []
        for y in range(rng[0], rng[1] + 1):
            members = reg.system_members(y)
            rows.extend((c, y) for c in members)
        sy = pd.DataFrame(rows, columns=["code", "year"])
        self.years = rng
        self.con = duckdb.connect()
        self.con.execute("SET threads TO 2").fetchall()
        self.con.execute("SET enable_progress_bar = false").fetchall()
        self.has_warehouse = self.warehouse.path.exists()
        if self.has_warehouse:
            self.con.execute(f"ATTACH '{self.warehouse.path}' AS w (READ_ONLY)").fetchall()
            self._tables = {r[0] for r in self.con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'w'").fetchall()}
        else:
            self._tables = set()
        self.con.register("_sy", sy)
        # integer keys for the joins: a state's index i, a state-year key year*1000 + i, a dyad-year
        # key year*1000000 + i_a*1000 + i_b (hash joins on one BIGINT instead of two strings and a year)
        codes = pd.DataFrame({"code": sorted(reg.to_frame()["code"].unique())})
        codes["i"] = np.arange(1, len(codes) + 1, dtype=np.int32)
        if len(codes) >= 1000:
            raise MultipolarError("the dyad key assumes fewer than 1000 state codes")
        self.con.register("_codes", codes)
        self.con.execute("CREATE TEMP TABLE codes AS SELECT * FROM _codes").fetchall()
        where = ""
        if self.states:
            lst = ", ".join(f"'{s}'" for s in self.states)
            where = f"AND (a.code IN ({lst}) AND b.code IN ({lst}))"
        same = ", ".join(f"'{x}>{y}'" for x, y in SAME_STATE_TRANSITIONS)
        self.con.execute(f"""CREATE TEMP TABLE d AS
                             WITH s AS (SELECT _sy.code, CAST(_sy.year AS INTEGER) AS year, c.i FROM _sy JOIN codes c USING (code))
                             SELECT a.code AS code_a, b.code AS code_b, a.year,
                                    CAST(a.year AS BIGINT) * 1000000 + a.i * 1000 + b.i AS _k,
                                    CAST(a.year AS BIGINT) * 1000000 + b.i * 1000 + a.i AS _kr,
                                    CAST(a.year AS BIGINT) * 1000 + a.i AS _ka, CAST(a.year AS BIGINT) * 1000 + b.i AS _kb
                             FROM s a JOIN s b ON a.year = b.year AND a.code <> b.code {where}
                             AND NOT (a.code || '>' || b.code IN ({same}) OR b.code || '>' || a.code IN ({same}))""").fetchall()
        self.con.unregister("_sy")
        self.n = self.con.execute("SELECT count(*) FROM d").fetchall()[0][0]   # (fetchall: a half-read result blocks register())
        self.columns: dict[str, Column] = {}
        self._parts: list[tuple[str, dict[str, str], list[str]]] = []   # (temp table, {column: final expression}, extra joins)
        self.sources: dict[str, str] = {}
        self.notes: list[str] = []
        self._doc("code_a", "key", "state code (multipolar: ISO3 or historical code)", "multipolar actor registry")
        self._doc("code_b", "key", "state code", "multipolar actor registry")
        self._doc("year", "key", "calendar year", "")

    # -- plumbing ----------------------------------------------------------------------------
    def _doc(self, name, dimension, unit, source):
        self.columns[name] = Column(name, dimension, unit, source)

    def has(self, table: str) -> bool:
        return table in self._tables

    def _x(self, sql: str):
        return self.con.execute(sql).fetchall()

    def _join(self, sql: str | None, cols: dict[str, tuple[str, str, str]],
              fill: dict[str, str] | None = None, joins: list[str] | None = None):
        """Add the measures of the relation ``sql`` (unique on code_a, code_b, year; checked) as LEFT-joined columns.

        The relation is materialised now (only the dyads that have data); the wide table is built
        once, by :meth:`_materialise`. ``fill``: column -> SQL condition on ``d`` under which a missing
        value means "none" (0), e.g. inside a source's years; outside it stays missing."""
        names = list(cols)
        k = len(self._parts)
        alias = f"x{k}"
        if sql is None:
            exprs = {c: "CAST(NULL AS VARCHAR)" if c.endswith(("_types", "_source")) or c == "groupings_shared"
                     else "CAST(NULL AS DOUBLE)" for c in names}
        else:
            # codes outside the registry (aggregates, "EU") cannot match a dyad: the inner joins drop them
            self._x(f"""CREATE OR REPLACE TEMP TABLE m{k} AS
                        SELECT x.*, CAST(x.year AS BIGINT) * 1000000 + ca.i * 1000 + cb.i AS _k FROM ({sql}) x
                        JOIN codes ca ON ca.code = x.code_a JOIN codes cb ON cb.code = x.code_b""")
            dup = self._x(f"SELECT count(*) FROM (SELECT _k FROM m{k} GROUP BY ALL HAVING count(*) > 1)")[0][0]
            if dup:
                raise MultipolarError(f"internal: the measures {names} are not unique per dyad-year ({dup} duplicated keys)")
            exprs = {}
            for c in names:
                cond = (fill or {}).get(c)
                exprs[c] = f"CASE WHEN {alias}.{c} IS NULL AND ({cond}) THEN 0 ELSE {alias}.{c} END" if cond else f"{alias}.{c}"
        self._parts.append((None if sql is None else f"LEFT JOIN m{k} {alias} ON d._k = {alias}._k", exprs, joins or []))
        self._built = False
        for c, (dim, unit, src) in cols.items():
            self._doc(c, dim, unit, src)
        return self

    def _state_year(self, name: str, sql: str):
        """A temp state-year table with the integer key ``_ks`` (unique; checked)."""
        self._x(f"""CREATE OR REPLACE TEMP TABLE {name} AS SELECT x.*, CAST(x.year AS BIGINT) * 1000 + c.i AS _ks
                    FROM ({sql}) x JOIN codes c ON c.code = x.code""")
        dup = self._x(f"SELECT count(*) FROM (SELECT _ks FROM {name} GROUP BY ALL HAVING count(*) > 1)")[0][0]
        if dup:
            raise MultipolarError(f"internal: {name} is not unique per state-year ({dup} duplicated keys)")

    def _add_exprs(self, cols: dict, exprs: dict, joins: list[str]):
        """Columns computed in the final query from state-year tables joined for A and for B."""
        self._parts.append((None, exprs, joins))
        self._built = False
        for c, (dim, unit, src) in cols.items():
            self._doc(c, dim, unit, src)
        return self

    def _materialise(self):
        """Build the wide table in one query: every verb's measures joined to the dyads at once."""
        if getattr(self, "_built", False):
            return
        sel, joins = [], []
        for join, exprs, extra in self._parts:
            if join:
                joins.append(join)
            joins.extend(extra)
            sel.extend(f"{e} AS {c}" for c, e in exprs.items())
        cols = ", ".join(["d.code_a", "d.code_b", "d.year"] + sel)
        # a view: the joins run once, streamed into whatever output is asked for
        # (every joined relation is unique on its key, checked above, so the view has exactly the dyads)
        rel = getattr(self, "_relation", None)
        self._x(f"CREATE OR REPLACE TEMP VIEW {'wide0' if rel else 'wide'} AS SELECT {cols} FROM d {' '.join(joins)}")
        if rel:
            first = ", ".join(f"{e} AS {c}" for c, e in rel if c not in ("relation_type", "relation_evidence"))
            self._x(f"CREATE OR REPLACE TEMP VIEW wide1 AS SELECT *, {first} FROM wide0")
            last = ", ".join(f"{e} AS {c}" for c, e in rel if c in ("relation_type", "relation_evidence"))
            self._x(f"CREATE OR REPLACE TEMP VIEW wide AS SELECT *, {last} FROM wide1")
        self._built = True

    def _t(self, name):
        return f"w.main.\"{name}\""

    def _missing(self, table, what):
        self.notes.append(f"{what}: the warehouse has no table {table!r} (import its source); the columns are missing, not zero")

    # -- values ------------------------------------------------------------------------------
    def add_values(self):
        """Shared values, from UN General Assembly votes (stored by ``multipolar idealpoints``;
        the embedded snapshot's ideal points when the warehouse has none).

        ``ideal_point_a``, ``ideal_point_b``; ``ip_distance`` = |theta_a - theta_b| with ``ip_distance_se``
        and the 90% interval ``ip_distance_lo``/``_hi`` (see :func:`values.ideal_point_distance`);
        ``votes_common_n``, ``vote_agree_share``, ``vote_kappa``, ``vote_scott_pi`` over the roll calls
        both voted on (:func:`values.vote_agreement`)."""
        src = "UN General Assembly votes (Voeten et al.), multipolar dynamic ordinal ideal points"
        if self.has("ideal_points"):
            ip_sql = self._t("ideal_points")
        else:
            from ..snapshot import snapshot_table
            snap = snapshot_table("ideal_points")
            if snap is None:
                ip_sql = None
            else:
                self.con.register("_ip_snap", snap)
                self._x("CREATE OR REPLACE TEMP TABLE _ip AS SELECT * FROM _ip_snap")
                ip_sql = "_ip"
                self.notes.append("values: ideal points from the embedded snapshot (run `multipolar idealpoints` to refit)")
        cols = {"ideal_point_a": ("values", "ideal point of A (sd-1 scale, US high)", src),
                "ideal_point_b": ("values", "ideal point of B", src),
                "ip_distance": ("values", "|ideal point A - ideal point B|", src),
                "ip_distance_se": ("values", "sd of the distance (Laplace)", src),
                "ip_distance_lo": ("values", "90% interval, low", src),
                "ip_distance_hi": ("values", "90% interval, high", src)}
        if ip_sql is None:
            self._missing("ideal_points", "values")
            self._join(None, cols)
        else:
            # a state-year table joined twice (no pair expansion)
            self._state_year("ipsy", f"SELECT code, year, ideal_point, se FROM {ip_sql}")
            self._add_exprs(cols, {"ideal_point_a": "ipa.ideal_point", "ideal_point_b": "ipb.ideal_point", **ip_distance_sql()},
                            ["LEFT JOIN ipsy ipa ON ipa._ks = d._ka", "LEFT JOIN ipsy ipb ON ipb._ks = d._kb"])
        cols = {"votes_common_n": ("values", "roll calls both voted on (count)", src),
                "vote_agree_share": ("values", "share of identical votes (0-1)", src),
                "vote_kappa": ("values", "Cohen's kappa of the votes (-1 to 1)", src),
                "vote_scott_pi": ("values", "Scott's pi of the votes (-1 to 1)", src)}
        if self.has("vote_agreement"):
            t = self._t("vote_agreement")
            self._join(f"""SELECT code_a, code_b, year, n_common AS votes_common_n, agree_share AS vote_agree_share,
                                  kappa AS vote_kappa, scott_pi AS vote_scott_pi FROM {t}
                           UNION ALL
                           SELECT code_b, code_a, year, n_common, agree_share, kappa, scott_pi FROM {t}""", cols)
        else:
            self._missing("vote_agreement", "values (run `multipolar idealpoints`)")
            self._join(None, cols)
        return self

    # -- people ------------------------------------------------------------------------------
    def add_people(self):
        """People flows.

        Visas (Passport Index snapshots 2019-2025; the latest snapshot of each year; the scale of
        the visa reader: 0 visa refused/no admission ... 1 visa-free): ``visa_openness_b_for_a`` is how
        open B is to A's citizens, ``visa_openness_a_for_b`` the reverse, ``visa_reciprocity`` = 1 -
        |difference| (1: symmetric). Migrants (UN DESA International Migrant Stock, 1990, 1995, ...,
        2017; other years missing, never interpolated): ``migrants_a_in_b`` (people born in A living
        in B), ``migrants_b_in_a``, and each as a share of the origin's population (World Bank WDI)."""
        src_v = "Passport Index dataset (ilyankou), every dated snapshot"
        cols = {"visa_openness_b_for_a": ("people", "B's openness to A's passport holders (0 refused ... 1 visa-free)", src_v),
                "visa_openness_a_for_b": ("people", "A's openness to B's passport holders (0-1)", src_v),
                "visa_reciprocity": ("people", "1 - |difference of the two openness scores|", src_v)}
        if self.has("visa"):
            t = self._t("visa")
            self._join(f"""WITH last AS (SELECT year, max(snapshot) AS s FROM {t} GROUP BY year),
                           v AS (SELECT v.year, passport, destination, visa_openness FROM {t} v JOIN last ON v.year = last.year AND v.snapshot = last.s)
                           SELECT x.passport AS code_a, x.destination AS code_b, CAST(x.year AS INTEGER) AS year,
                                  x.visa_openness AS visa_openness_b_for_a, y.visa_openness AS visa_openness_a_for_b,
                                  1 - abs(x.visa_openness - y.visa_openness) AS visa_reciprocity
                           FROM v x LEFT JOIN v y ON y.year = x.year AND y.passport = x.destination AND y.destination = x.passport
                           WHERE x.passport <> x.destination""", cols)
        else:
            self._missing("visa", "people: visas")
            self._join(None, cols)
        src_m = "UN DESA International Migrant Stock 2017; population: World Bank WDI"
        cols = {"migrants_a_in_b": ("people", "people born in A living in B (persons)", src_m),
                "migrants_b_in_a": ("people", "people born in B living in A (persons)", src_m),
                "migrants_a_in_b_share_of_a_pop": ("people", "migrants_a_in_b / population of A", src_m),
                "migrants_b_in_a_share_of_b_pop": ("people", "migrants_b_in_a / population of B", src_m)}
        if self.has("migrant_stock"):
            t = self._t("migrant_stock")
            pop = (f"(SELECT code, year, value AS pop FROM {self._t('wdi')} WHERE indicator = 'SP.POP.TOTL')" if self.has("wdi")
                   else "(SELECT NULL::VARCHAR AS code, NULL::BIGINT AS year, NULL::DOUBLE AS pop WHERE false)")
            self._join(f"""WITH m AS (SELECT origin, destination, year, sum(migrant_stock) AS n FROM {t} GROUP BY ALL),
                           pairs AS (SELECT origin AS code_a, destination AS code_b, year FROM m
                                     UNION SELECT destination, origin, year FROM m)
                           SELECT p.code_a, p.code_b, CAST(p.year AS INTEGER) AS year, ab.n AS migrants_a_in_b, ba.n AS migrants_b_in_a,
                                  ab.n / pa.pop AS migrants_a_in_b_share_of_a_pop, ba.n / pb.pop AS migrants_b_in_a_share_of_b_pop
                           FROM pairs p
                           LEFT JOIN m ab ON ab.origin = p.code_a AND ab.destination = p.code_b AND ab.year = p.year
                           LEFT JOIN m ba ON ba.origin = p.code_b AND ba.destination = p.code_a AND ba.year = p.year
                           LEFT JOIN {pop} pa ON pa.code = p.code_a AND pa.year = p.year
                           LEFT JOIN {pop} pb ON pb.code = p.code_b AND pb.year = p.year
                           WHERE p.code_a <> p.code_b""", cols)
        else:
            self._missing("migrant_stock", "people: migration")
            self._join(None, cols)
        return self

    # -- economy -----------------------------------------------------------------------------
    def add_economy(self):
        """Economic interdependence, for every trade table in the warehouse.

        BACI (CEPII; the shipped subset is 74 energy and mineral HS6 products, 1995-2024):
        ``baci_exports_a_to_b_kusd``, ``baci_exports_b_to_a_kusd``; ``baci_trade_share_of_a`` = A's trade
        with B / A's trade with the world in the same products, ``baci_trade_share_of_b`` likewise,
        ``baci_trade_asymmetry`` = share_of_a - share_of_b (positive: A needs B more);
        ``energy_imports_a_from_b_share`` = A's imports of energy products (crude oil, natural gas,
        coal, refined oil; HS6 list :data:`ENERGY_HS6`) from B / A's energy imports from the world.
        A share is missing when its denominator is (a country absent from the file in that year).
        Gravity teaching data (Yotov et al. 2016, ``agtpa``, 1986-2006): ``agtpa_trade_a_to_b``.
        """
        src = "CEPII BACI HS92 V202401b (energy and minerals subset)"
        cols = {"baci_exports_a_to_b_kusd": ("economy", "exports A->B, thousand US$ (products in the file)", src),
                "baci_exports_b_to_a_kusd": ("economy", "exports B->A, thousand US$", src),
                "baci_trade_share_of_a": ("economy", "A's trade with B / A's total trade in the file's products", src),
                "baci_trade_share_of_b": ("economy", "B's trade with A / B's total trade in the file's products", src),
                "baci_trade_asymmetry": ("economy", "share_of_a - share_of_b", src),
                "energy_imports_a_from_b_share": ("economy", "A's energy imports from B / A's energy imports", src),
                "energy_imports_b_from_a_share": ("economy", "B's energy imports from A / B's energy imports", src)}
        if self.has("baci_trade"):
            t = self._t("baci_trade")
            energy = ", ".join(f"'{h}'" for h in ENERGY_HS6)
            self._join(f"""WITH f AS (SELECT exporter, importer, year, sum(value_kusd) AS v,
                                             sum(CASE WHEN hs6 IN ({energy}) THEN value_kusd ELSE 0 END) AS e
                                      FROM {t} WHERE exporter <> importer GROUP BY ALL),
                           tot AS (SELECT code, year, sum(v) AS v FROM (SELECT exporter AS code, year, v FROM f UNION ALL
                                                                         SELECT importer, year, v FROM f) GROUP BY ALL),
                           eimp AS (SELECT importer AS code, year, sum(e) AS e FROM f GROUP BY ALL),
                           pairs AS (SELECT exporter AS code_a, importer AS code_b, year FROM f UNION SELECT importer, exporter, year FROM f)
                           SELECT p.code_a, p.code_b, CAST(p.year AS INTEGER) AS year,
                                  coalesce(ab.v, 0) AS baci_exports_a_to_b_kusd, coalesce(ba.v, 0) AS baci_exports_b_to_a_kusd,
                                  (coalesce(ab.v, 0) + coalesce(ba.v, 0)) / nullif(ta.v, 0) AS baci_trade_share_of_a,
                                  (coalesce(ab.v, 0) + coalesce(ba.v, 0)) / nullif(tb.v, 0) AS baci_trade_share_of_b,
                                  (coalesce(ab.v, 0) + coalesce(ba.v, 0)) / nullif(ta.v, 0) - (coalesce(ab.v, 0) + coalesce(ba.v, 0)) / nullif(tb.v, 0) AS baci_trade_asymmetry,
                                  coalesce(ba.e, 0) / nullif(ea.e, 0) AS energy_imports_a_from_b_share,
                                  coalesce(ab.e, 0) / nullif(eb.e, 0) AS energy_imports_b_from_a_share
                           FROM pairs p
                           LEFT JOIN f ab ON ab.exporter = p.code_a AND ab.importer = p.code_b AND ab.year = p.year
                           LEFT JOIN f ba ON ba.exporter = p.code_b AND ba.importer = p.code_a AND ba.year = p.year
                           LEFT JOIN tot ta ON ta.code = p.code_a AND ta.year = p.year
                           LEFT JOIN tot tb ON tb.code = p.code_b AND tb.year = p.year
                           LEFT JOIN eimp ea ON ea.code = p.code_a AND ea.year = p.year
                           LEFT JOIN eimp eb ON eb.code = p.code_b AND eb.year = p.year""", cols)
            # a pair absent from BACI in a year BACI covers, with both countries present, traded nothing
            # in these products: 0, and its shares 0; outside BACI's years everything stays missing
            self._x(f"""CREATE OR REPLACE TEMP TABLE baci_present AS SELECT DISTINCT p.code, CAST(p.year AS BIGINT) * 1000 + c.i AS _ks FROM
                        (SELECT exporter AS code, year FROM {t} UNION SELECT importer, year FROM {t}) p JOIN codes c USING (code)""")
            k = len(self._parts) - 1
            both = "bpa.code IS NOT NULL AND bpb.code IS NOT NULL"
            join, exprs, extra = self._parts[k]
            for c in ("baci_exports_a_to_b_kusd", "baci_exports_b_to_a_kusd", "baci_trade_share_of_a", "baci_trade_share_of_b", "baci_trade_asymmetry"):
                exprs[c] = f"CASE WHEN x{k}.{c} IS NULL AND {both} THEN 0 ELSE x{k}.{c} END"
            extra += ["LEFT JOIN baci_present bpa ON bpa._ks = d._ka", "LEFT JOIN baci_present bpb ON bpb._ks = d._kb"]
        else:
            self._missing("baci_trade", "economy: BACI")
            self._join(None, cols)
        if self.has("gravity_agtpa"):
            t = self._t("gravity_agtpa")
            src_g = "Yotov, Piermartini, Monteiro & Larch (2016), An Advanced Guide to Trade Policy Analysis (WTO/UNCTAD)"
            self._join(f"""WITH f AS (SELECT exporter, importer, year, sum(trade) AS v FROM {t} WHERE exporter <> importer GROUP BY ALL),
                           pairs AS (SELECT exporter AS code_a, importer AS code_b, year FROM f UNION SELECT importer, exporter, year FROM f)
                           SELECT p.code_a, p.code_b, CAST(p.year AS INTEGER) AS year, ab.v AS agtpa_trade_a_to_b, ba.v AS agtpa_trade_b_to_a
                           FROM pairs p LEFT JOIN f ab ON ab.exporter = p.code_a AND ab.importer = p.code_b AND ab.year = p.year
                                        LEFT JOIN f ba ON ba.exporter = p.code_b AND ba.importer = p.code_a AND ba.year = p.year""",
                       {"agtpa_trade_a_to_b": ("economy", "trade A->B (Yotov et al. 2016 teaching data, 1986-2006)", src_g),
                        "agtpa_trade_b_to_a": ("economy", "trade B->A (same)", src_g)})
        if self.has("eurostat_trade"):
            # monthly flows reported by an EU member: summed to a year only when all 12 months are there
            t = self._t("eurostat_trade")
            src_e = "Eurostat international trade in goods (Comext), as reported by the EU member"
            self._join(f"""WITH m AS (SELECT reporter, partner, year, flow, sum(value_eur) AS v, count(DISTINCT month) AS n
                                      FROM {t} WHERE reporter_kind = 'state' AND reporter <> partner GROUP BY ALL HAVING count(DISTINCT month) = 12)
                           SELECT reporter AS code_a, partner AS code_b, CAST(year AS INTEGER) AS year,
                                  max(v) FILTER (WHERE flow = 'export') AS eurostat_exports_a_to_b_eur,
                                  max(v) FILTER (WHERE flow = 'import') AS eurostat_imports_a_from_b_eur
                           FROM m GROUP BY ALL""",
                       {"eurostat_exports_a_to_b_eur": ("economy", "A's exports to B as A reports them, euro (full years only)", src_e),
                        "eurostat_imports_a_from_b_eur": ("economy", "A's imports from B as A reports them, euro (full years only)", src_e)})
        return self

    # -- institutions ------------------------------------------------------------------------
    def add_institutions(self):
        """Shared institutions.

        ``igos_shared_n``: IGOs both belong to (COW IGO v3, to 2014). ``groupings_shared_n`` and
        ``groupings_shared``: co-membership (full members, any day of the year) in multipolar's dated
        groupings (UN, EU, NATO, CSTO, SCO, BRICS, ...; to today). Alliances by type
        (``alliance_defense``, ``_offense``, ``_neutrality``, ``_nonaggression``, ``_consultation``, 0/1):
        ATOP 5.1 to 2018; after 2018, ATOP ties of 2018 are carried forward, NATO and CSTO
        co-members have a defence tie, and :func:`treaties` adds dated later treaties (e.g. the 2024
        Russia-North Korea treaty); ``alliance_source`` says which. ``trade_agreements_shared_n``:
        trade agreements in force for both (DESTA/GPTAD/HUGGO via manytrade).
        """
        if self.has("cow_igo_dyad"):
            t = self._t("cow_igo_dyad")
            self._join(f"""WITH u AS (SELECT least(code_a, code_b) AS a, greatest(code_a, code_b) AS b, year, max(dyadigos) AS n
                                      FROM {t} WHERE code_a <> code_b GROUP BY ALL)
                           SELECT a AS code_a, b AS code_b, CAST(year AS INTEGER) AS year, n AS igos_shared_n FROM u
                           UNION ALL SELECT b, a, CAST(year AS INTEGER), n FROM u""",
                       {"igos_shared_n": ("institutions", "IGOs both are full members of (count)", "COW IGO v3 (Pevehouse et al. 2020)")})
        else:
            self._missing("cow_igo_dyad", "institutions: COW IGO")
            self._join(None, {"igos_shared_n": ("institutions", "IGOs both are full members of (count)", "COW IGO v3")})
        from ..actors.groupings import membership_years
        my = membership_years(self.years[0], self.years[1])[["org", "code", "year"]].drop_duplicates()
        # co-membership without expanding pairs: each grouping is a bit; a state-year's memberships
        # a bit mask; the pair's shared groupings are the AND of the two masks
        orgs = sorted(my["org"].unique())
        if len(orgs) > 62:
            raise MultipolarError("more than 62 groupings: the co-membership bit mask needs a wider type")
        bit = {o: 1 << i for i, o in enumerate(orgs)}
        masks = my.assign(bit=my["org"].map(bit)).groupby(["code", "year"])["bit"].sum().reset_index()
        self.con.register("_gm_df", masks)
        self._x("""CREATE OR REPLACE TEMP TABLE gmask AS SELECT g.code, CAST(g.year AS INTEGER) AS year, CAST(g.bit AS BIGINT) AS mask,
                   CAST(g.year AS BIGINT) * 1000 + c.i AS _ks FROM _gm_df g JOIN codes c USING (code)""")
        names = {}
        combos = self._x("""SELECT DISTINCT a.mask & b.mask FROM gmask a JOIN gmask b ON a.year = b.year AND a.code <> b.code""")
        for (m,) in combos:
            names[m] = ",".join(o for o in orgs if m & bit[o])
        self.con.register("_gn_df", pd.DataFrame({"mask": list(names), "names": list(names.values())}, dtype=object).astype({"mask": "int64"}))
        self._x("CREATE OR REPLACE TEMP TABLE gnames AS SELECT CAST(mask AS BIGINT) AS mask, CAST(names AS VARCHAR) AS names FROM _gn_df")
        src = "multipolar dated memberships (actors/data/memberships.csv)"
        self._add_exprs({"groupings_shared_n": ("institutions", "groupings both are full members of (count)", src),
                         "groupings_shared": ("institutions", "their names", src)},
                        {"groupings_shared_n": "coalesce(bit_count(gma.mask & gmb.mask), 0)", "groupings_shared": "gnm.names"},
                        ["LEFT JOIN gmask gma ON gma._ks = d._ka", "LEFT JOIN gmask gmb ON gmb._ks = d._kb",
                         "LEFT JOIN gnames gnm ON gnm.mask = (gma.mask & gmb.mask)"])
        self._alliances(my)
        if self.has("trade_agreements"):
            t = self._t("trade_agreements")
            self._join(f"""WITH m AS (SELECT DISTINCT manyID, code, year_in_force AS y0,
                                             coalesce(try_cast(year_end AS INTEGER), 9999) AS y1 FROM {t}
                                      WHERE year_in_force IS NOT NULL),
                           yrs AS (SELECT range AS year FROM range({self.years[0]}, {self.years[1] + 1}))
                           SELECT a.code AS code_a, b.code AS code_b, CAST(yrs.year AS INTEGER) AS year, count(DISTINCT a.manyID) AS trade_agreements_shared_n
                           FROM m a JOIN m b ON a.manyID = b.manyID AND a.code <> b.code
                           JOIN yrs ON yrs.year BETWEEN greatest(a.y0, b.y0) AND least(a.y1, b.y1)
                           GROUP BY ALL""",
                       {"trade_agreements_shared_n": ("institutions", "trade agreements in force for both (count)", "manytrade: DESTA, GPTAD, HUGGO memberships")},
                       fill={"trade_agreements_shared_n": f"d.year <= {int(self._x(f'SELECT max(year_in_force) FROM {t}')[0][0])}"})
        else:
            self._missing("trade_agreements", "institutions: trade agreements")
            self._join(None, {"trade_agreements_shared_n": ("institutions", "trade agreements in force for both", "manytrade")})
        return self

    def _alliances(self, my: pd.DataFrame):
        types = ["defense", "offense", "neutrality", "nonaggression", "consultation"]
        atop_cols = {"defense": "atop_defense", "offense": "atop_offense", "neutrality": "atop_neutral",
                     "nonaggression": "atop_nonagg", "consultation": "atop_consul"}
        cols = {f"alliance_{k}": ("institutions", f"{k} pact in force (0/1)", "ATOP 5.1 to 2018; later: see alliance_source") for k in types}
        cols["alliance_source"] = ("institutions", "which source set the alliance ties", "")
        parts = []
        atop_last = None
        if self.has("atop_alliance"):
            t = self._t("atop_alliance")
            atop_last = self._x(f"SELECT max(year) FROM {t}")[0][0]
            sel = ", ".join(f"max({atop_cols[k]}) AS {k}" for k in types)
            parts.append(f"""SELECT code_a, code_b, CAST(year AS INTEGER) AS year, {sel}, 'ATOP 5.1' AS src FROM
                             (SELECT code_a, code_b, year, {', '.join(atop_cols.values())} FROM {t}
                              UNION ALL SELECT code_b, code_a, year, {', '.join(atop_cols.values())} FROM {t}) GROUP BY ALL""")
            # carried forward: the ties of ATOP's last year, for the later years
            later = f"SELECT range AS year FROM range({atop_last + 1}, {self.years[1] + 1})"
            # (defence and offence pacts only: weaker pacts lapse quietly, so after ATOP they come from the treaty list)
            parts.append(f"""SELECT x.code_a, x.code_b, CAST(l.year AS INTEGER) AS year, defense, offense, 0, 0, 0,
                                    'ATOP {atop_last} defence/offence carried forward' AS src
                             FROM ({parts[0]}) x, ({later}) l WHERE x.year = {atop_last} AND (defense = 1 OR offense = 1)""")
        else:
            self._missing("atop_alliance", "institutions: alliances to 2018")
        first_after = (atop_last or 2018) + 1
        # NATO and CSTO co-members: a defence tie, after ATOP's last year (before it, ATOP codes them)
        blocs = my[my["org"].isin(["NATO", "CSTO"]) & (my["year"] >= first_after)]
        self.con.register("_blocs", blocs)
        parts.append("""SELECT a.code, b.code, CAST(a.year AS INTEGER), 1, 0, 0, 0, 0, 'co-members of ' || a.org
                        FROM _blocs a JOIN _blocs b ON a.org = b.org AND a.year = b.year AND a.code <> b.code""")
        tr = treaties()
        rows = []
        for r in tr.itertuples(index=False):
            y0, y1 = int(r.start[:4]), int(r.end[:4]) if r.end else self.years[1]
            for y in range(max(y0, self.years[0], first_after), min(y1, self.years[1]) + 1):   # ATOP codes the earlier years
                flags = [int(r.type == k) for k in types]
                src = f"treaty list: {r.name.split(';')[0][:60]} ({r.start})"
                rows.append((r.code_a, r.code_b, y, *flags, src))
                rows.append((r.code_b, r.code_a, y, *flags, src))
        if rows:
            self.con.register("_tr", pd.DataFrame(rows, columns=["code_a", "code_b", "year", *types, "src"]))
            parts.append(f"SELECT code_a, code_b, CAST(year AS INTEGER), {', '.join(types)}, src FROM _tr")
        union = " UNION ALL ".join(f"({p})" for p in parts)
        agg = ", ".join(f"max({k}) AS alliance_{k}" for k in types)
        # inside the coverage of ATOP (and later, given the rules above), no tie is a 0, not unknown
        fill = {f"alliance_{k}": "true" for k in types} if atop_last is not None else None
        self._join(f"""SELECT code_a, code_b, year, {agg}, string_agg(DISTINCT src, '; ' ORDER BY src) AS alliance_source
                       FROM ({union}) u(code_a, code_b, year, {', '.join(types)}, src) GROUP BY ALL""", cols, fill=fill)

    # -- interaction -------------------------------------------------------------------------
    def add_interaction(self):
        """Interaction and conflict.

        Events (ICEWS / GDELT files in the warehouse; the shipped files are samples, so coverage is
        thin): ``events_a_to_b_n`` and the counts per CAMEO quad class (verbal/material cooperation,
        verbal/material conflict), ``goldstein_mean_a_to_b``, ``net_cooperation_a_to_b`` = (cooperation
        - conflict) / all events, in [-1, 1]. Militarised disputes (GML MID 2.1, to 2010):
        ``mid_ongoing``, ``mid_hostility_max`` (1-5). War: ``war_ongoing`` (COW inter-state war to 2007;
        UCDP/PRIO interstate conflicts at war intensity to 2024; then :func:`conflicts`);
        ``armed_conflict_ongoing`` (UCDP interstate, any intensity; same later list). Rivalry:
        ``rivalry_strategic`` (Thompson et al. strategic rivalries), ``rivalry_enduring`` (Diehl & Goertz).
        Sanctions: ``sanctions_a_on_b_n`` cases in force in the year where A is a sender and B a
        target (GSDB), and the types among them (``sanctions_a_on_b_types``)."""
        if self.has("events"):
            t = self._t("events")
            self._join(f"""SELECT source_code AS code_a, target_code AS code_b, CAST(year AS INTEGER) AS year, count(*) AS events_a_to_b_n,
                                  count(*) FILTER (WHERE quad_class = 1) AS events_verbal_coop_a_to_b,
                                  count(*) FILTER (WHERE quad_class = 2) AS events_material_coop_a_to_b,
                                  count(*) FILTER (WHERE quad_class = 3) AS events_verbal_conflict_a_to_b,
                                  count(*) FILTER (WHERE quad_class = 4) AS events_material_conflict_a_to_b,
                                  avg(goldstein) AS goldstein_mean_a_to_b,
                                  (count(*) FILTER (WHERE quad_class IN (1, 2)) - count(*) FILTER (WHERE quad_class IN (3, 4))) / count(*) AS net_cooperation_a_to_b,
                                  count(*) / sum(count(*)) OVER (PARTITION BY source_code, year) AS events_a_to_b_share_of_a_events
                           FROM {t} WHERE source_code <> target_code AND source_code IS NOT NULL AND target_code IS NOT NULL
                           GROUP BY source_code, target_code, year""",
                       {c: ("interaction", u, "ICEWS / GDELT event files in the warehouse") for c, u in [
                           ("events_a_to_b_n", "events with A as source and B as target"), ("events_verbal_coop_a_to_b", "quad class 1"),
                           ("events_material_coop_a_to_b", "quad class 2"), ("events_verbal_conflict_a_to_b", "quad class 3"),
                           ("events_material_conflict_a_to_b", "quad class 4"), ("goldstein_mean_a_to_b", "mean Goldstein score (-10 to 10)"),
                           ("net_cooperation_a_to_b", "(cooperation - conflict) / events, -1 to 1"),
                           ("events_a_to_b_share_of_a_events", "A->B events / all of A's events towards other states (volume-normalised)")]})
        else:
            self._missing("events", "interaction: events")
            self._join(None, {"net_cooperation_a_to_b": ("interaction", "(cooperation - conflict) / events", "event files")})
        if self.has("mid_gml"):
            t = self._t("mid_gml")
            self._join(f"""SELECT code_a, code_b, CAST(year AS INTEGER) AS year, 1 AS mid_ongoing, max(greatest(hostlev1, hostlev2)) AS mid_hostility_max
                           FROM (SELECT code_a, code_b, year, hostlev1, hostlev2 FROM {t} UNION ALL SELECT code_b, code_a, year, hostlev2, hostlev1 FROM {t})
                           WHERE code_a <> code_b GROUP BY ALL""",
                       {"mid_ongoing": ("interaction", "a militarised dispute between them in the year (0/1)", "GML MID 2.1 (Gibler, Miller & Little)"),
                        "mid_hostility_max": ("interaction", "highest hostility level of either side (1-5)", "GML MID 2.1")},
                       fill={"mid_ongoing": f"d.year <= {int(self._x(f'SELECT max(year) FROM {t}')[0][0])}"})
        else:
            self._missing("mid_gml", "interaction: militarised disputes")
            self._join(None, {"mid_ongoing": ("interaction", "a militarised dispute (0/1)", "GML MID"),
                              "mid_hostility_max": ("interaction", "highest hostility level", "GML MID")})
        self._wars()
        self._rivalries()
        for col in ("rivalry_strategic", "rivalry_enduring"):
            if col not in self.columns:
                self._join(None, {col: ("interaction", "a rivalry in the year (0/1)", "rivalry data not imported")})
        if self.has("sanction_parties") and self.has("sanction_cases"):
            p, c = self._t("sanction_parties"), self._t("sanction_cases")
            last = int(self._x(f'SELECT max(coalesce("end", "begin")) FROM {c}')[0][0])
            self._later_sanctions(last)
            self._org_members()
            # each party of each case in each year it is in force: states as they are, organisations as their members that year
            parties = f"""SELECT DISTINCT p.case_id, p.role, coalesce(p.code, m.code) AS code, CAST(yrs.year AS INTEGER) AS year
                          FROM {p} p JOIN {c} cs ON cs.case_id = p.case_id
                          JOIN yrs ON yrs.year BETWEEN cs."begin" AND coalesce(cs."end", {self.years[1]})
                          LEFT JOIN _gsdb_org_members m ON p.code IS NULL AND m.party = p.party AND m.year = yrs.year
                          WHERE coalesce(p.code, m.code) IS NOT NULL"""
            self._join(f"""WITH yrs AS (SELECT range AS year FROM range({self.years[0]}, {self.years[1] + 1})),
                                 pty AS ({parties}),
                                 cs AS (SELECT * FROM {c})
                           SELECT s.code AS code_a, t.code AS code_b, s.year, count(DISTINCT cs.case_id) AS sanctions_a_on_b_n,
                                  concat_ws(',', CASE WHEN max(cs.trade) > 0 THEN 'trade' END, CASE WHEN max(cs.arms) > 0 THEN 'arms' END,
                                            CASE WHEN max(cs.military) > 0 THEN 'military' END, CASE WHEN max(cs.financial) > 0 THEN 'financial' END,
                                            CASE WHEN max(cs.travel) > 0 THEN 'travel' END, CASE WHEN max(cs.other) > 0 THEN 'other' END) AS sanctions_a_on_b_types
                           FROM pty s JOIN pty t ON s.case_id = t.case_id AND s.year = t.year AND s.role = 'sender' AND t.role = 'target'
                                                    AND s.code <> t.code
                           JOIN cs ON cs.case_id = s.case_id
                           GROUP BY ALL
                           UNION ALL
                           SELECT code_a, code_b, CAST(year AS INTEGER), count(*), string_agg(DISTINCT types, ',') FROM _later_sanctions GROUP BY ALL""",
                       {"sanctions_a_on_b_n": ("interaction", "sanction cases in force with A sending, B targeted", "Global Sanctions Database (Felbermayr et al.; Kirikakha et al.)"),
                        "sanctions_a_on_b_types": ("interaction", "their types", "GSDB")},
                       fill={"sanctions_a_on_b_n": f"d.year <= {last}"})
            k = len(self._parts) - 1
            self.notes.append(f"interaction: sanctions from GSDB to {last}; a case sent or received by the EU (EEC), NATO, the G7, G8, "
                              "AU (OAU) or EAEU counts for each member state of the year; UN Security Council cases and other groups' "
                              f"are not expanded; after {last}, only the dated list of measures on and by Russia "
                              "(relations/data/sanctions.csv), other pairs missing")
            self._add_exprs({"sanctions_b_on_a_n": ("interaction", "sanction cases in force with B sending, A targeted", "GSDB"),
                             "sanctions_b_on_a_types": ("interaction", "their types", "GSDB")},
                            {"sanctions_b_on_a_n": f"CASE WHEN sr.sanctions_a_on_b_n IS NULL AND d.year <= {last} THEN 0 ELSE sr.sanctions_a_on_b_n END",
                             "sanctions_b_on_a_types": "sr.sanctions_a_on_b_types"},
                            [f"LEFT JOIN m{k} sr ON sr._k = d._kr"])
        else:
            self._missing("sanction_cases", "interaction: sanctions")
            self._join(None, {"sanctions_a_on_b_n": ("interaction", "sanction cases A on B", "GSDB"),
                              "sanctions_a_on_b_types": ("interaction", "their types", "GSDB"),
                              "sanctions_b_on_a_n": ("interaction", "sanction cases B on A", "GSDB"),
                              "sanctions_b_on_a_types": ("interaction", "their types", "GSDB")})
        return self

    def _org_members(self):
        """``_gsdb_org_members`` (party, code, year): the member states of GSDB's organisations that
        multipolar has dated memberships for (:data:`multipolar.sources.security.GSDB_ORG_MEMBERS`)."""
        from ..actors.groupings import membership_years
        from ..sources.security import GSDB_ORG_MEMBERS
        my = membership_years(self.years[0], self.years[1])
        m = pd.DataFrame([(party, r.code, r.year) for party, org in GSDB_ORG_MEMBERS.items()
                          for r in my[my["org"] == org].itertuples(index=False)], columns=["party", "code", "year"], dtype=object)
        self.con.register("_gom_df", m)
        self._x("CREATE OR REPLACE TEMP TABLE _gsdb_org_members AS SELECT DISTINCT party, code, CAST(year AS INTEGER) AS year FROM _gom_df")

    def _later_sanctions(self, last: int):
        """The dated list of sanctions (relations/data/sanctions.csv) for the years after GSDB; a sender
        or target "EU" stands for the EU's members of each year."""
        from ..actors.groupings import members
        rows = []
        for r in _data("sanctions.csv").itertuples(index=False):
            y0, y1 = int(r.start[:4]), int(r.end[:4]) if r.end else self.years[1]
            for y in range(max(y0, last + 1, self.years[0]), min(y1, self.years[1]) + 1):
                snd = members("EU", y) if r.sender == "EU" else [r.sender]
                tgt = members("EU", y) if r.target == "EU" else [r.target]
                rows += [(a, b, y, r.types) for a in snd for b in tgt if a != b]
        self.con.register("_ls_df", pd.DataFrame(rows, columns=["code_a", "code_b", "year", "types"], dtype=object))
        self._x("CREATE OR REPLACE TEMP TABLE _later_sanctions AS SELECT code_a, code_b, CAST(year AS INTEGER) AS year, types FROM _ls_df")

    def _wars(self):
        from ..actors.registry import registry
        gw = registry().year_crosswalk("gw")
        gw["key"] = gw["key"].astype(int)
        self.con.register("_gw", gw)
        parts, last = [], 0
        if self.has("cow_war_inter"):
            t = self._t("cow_war_inter")
            parts.append(f"SELECT code_a, code_b, year, 1 AS war, 1 AS conflict FROM {t} WHERE code_a IS NOT NULL AND code_b IS NOT NULL")
        if self.has("ucdp_acd"):
            t = self._t("ucdp_acd")
            last = self._x(f"SELECT max(year) FROM {t}")[0][0]
            parts.append(f"""WITH u AS (SELECT year, gwno_a AS a, gwno_b AS b, intensity_level AS i FROM {t} WHERE type_of_conflict = 'interstate'
                                         UNION ALL SELECT year, gwno_a_2nd, gwno_b, intensity_level FROM {t} WHERE type_of_conflict = 'interstate' AND gwno_a_2nd IS NOT NULL
                                         UNION ALL SELECT year, gwno_a, gwno_b_2nd, intensity_level FROM {t} WHERE type_of_conflict = 'interstate' AND gwno_b_2nd IS NOT NULL)
                             SELECT ga.code, gb.code, u.year, CASE WHEN u.i >= 2 THEN 1 ELSE 0 END, 1
                             FROM u JOIN _gw ga ON ga.key = CAST(u.a AS INTEGER) AND ga.year = u.year
                                    JOIN _gw gb ON gb.key = CAST(u.b AS INTEGER) AND gb.year = u.year""")
        rows = []
        for r in conflicts().itertuples(index=False):
            y0, y1 = int(r.start[:4]), int(r.end[:4]) if r.end else self.years[1]
            for y in range(max(y0, last + 1 if last else y0), min(y1, self.years[1]) + 1):
                rows.append((r.code_a, r.code_b, y, int(r.kind == "war"), 1))
        if rows:
            self.con.register("_cf", pd.DataFrame(rows, columns=["code_a", "code_b", "year", "war", "conflict"]))
            parts.append("SELECT code_a, code_b, year, war, conflict FROM _cf")
        cols = {"war_ongoing": ("interaction", "at war with each other in the year (0/1)", "COW inter-state wars; UCDP/PRIO ACD (interstate, intensity 2); multipolar conflict list after 2024"),
                "armed_conflict_ongoing": ("interaction", "an interstate armed conflict between them (0/1)", "UCDP/PRIO ACD; COW; multipolar conflict list")}
        if not parts:
            self._join(None, cols)
            return
        union = " UNION ALL ".join(f"({p})" for p in parts)
        self._join(f"""SELECT code_a, code_b, CAST(year AS INTEGER) AS year, max(war) AS war_ongoing, max(conflict) AS armed_conflict_ongoing FROM
                       (SELECT * FROM ({union}) u(code_a, code_b, year, war, conflict)
                        UNION ALL SELECT code_b, code_a, year, war, conflict FROM ({union}) v(code_a, code_b, year, war, conflict))
                       WHERE code_a <> code_b GROUP BY ALL""", cols, fill={"war_ongoing": "true", "armed_conflict_ongoing": "true"})

    def _rivalries(self):
        parts = []
        if self.has("rivalries_tss"):
            t = self._t("rivalries_tss")
            parts.append(("rivalry_strategic", f"""SELECT code_a, code_b, CAST(start AS INTEGER) AS y0, CAST(coalesce("end", 9999) AS INTEGER) AS y1 FROM {t}""",
                          "Thompson, Sakuwa & Suhas (2022) strategic rivalries", f"SELECT max(\"end\") FROM {t} WHERE \"end\" < 9999"))
        if self.has("rivalries_td"):
            t = self._t("rivalries_td")
            parts.append(("rivalry_enduring", f"""SELECT code_a, code_b, CAST(styear AS INTEGER) AS y0, CAST(coalesce(endyear, 9999) AS INTEGER) AS y1 FROM {t}""",
                          "Diehl & Goertz enduring rivalries (via peacesciencer)", f"SELECT max(endyear) FROM {t}"))
        for col, sql, src, last_sql in parts:
            last = self._x(last_sql)[0][0]
            # a rivalry still running when its dataset ends (end = the dataset's last year) is carried
            # forward, like the ATOP defence pacts; pairs without one stay missing after that year
            sql = f"SELECT code_a, code_b, y0, CASE WHEN y1 >= {int(last or 0)} THEN 9999 ELSE y1 END AS y1 FROM ({sql})"
            src = f"{src}; rivalries ongoing in {last} carried forward"
            self._join(f"""WITH r AS ({sql}), yrs AS (SELECT range AS year FROM range({self.years[0]}, {self.years[1] + 1}))
                           SELECT code_a, code_b, CAST(year AS INTEGER) AS year, 1 AS {col} FROM
                           (SELECT r.code_a, r.code_b, yrs.year FROM r JOIN yrs ON yrs.year BETWEEN r.y0 AND r.y1
                            UNION SELECT r.code_b, r.code_a, yrs.year FROM r JOIN yrs ON yrs.year BETWEEN r.y0 AND r.y1)
                           WHERE code_a IS NOT NULL AND code_b IS NOT NULL""", {col: ("interaction", "a rivalry in the year (0/1)", src)},
                       fill={col: f"d.year <= {int(last or self.years[1])}"})

    # -- security ----------------------------------------------------------------------------
    def add_security(self):
        """Arms transfers (SIPRI TIV, million TIV): ``arms_tiv_a_to_b``, ``arms_tiv_b_to_a``,
        ``arms_share_of_a_imports_from_b`` (supplier dependence: B's share of all TIV A received in the
        year). The official SIPRI series (via 360info, to 2021) is used where it exists; later years
        come from the register-derived approximation (each deal's TIV spread evenly over its
        delivery years), flagged in ``arms_tiv_source``. Alliance ties: see :meth:`add_institutions`."""
        cols = {"arms_tiv_a_to_b": ("security", "arms transferred A->B, million TIV", "SIPRI Arms Transfers Database"),
                "arms_tiv_b_to_a": ("security", "arms transferred B->A, million TIV", "SIPRI"),
                "arms_share_of_a_imports_from_b": ("security", "B's share of A's arms imports (0-1)", "SIPRI"),
                "arms_share_of_b_imports_from_a": ("security", "A's share of B's arms imports (0-1)", "SIPRI"),
                "arms_tiv_source": ("security", "official TIV series or register approximation", "SIPRI")}
        if not self.has("arms_tiv"):
            self._missing("arms_tiv", "security: arms transfers")
            return self._join(None, cols)
        t = self._t("arms_tiv")
        self._join(f"""WITH off_last AS (SELECT max(year) AS y FROM {t} WHERE "table" = 'tiv_cow'),
                       a AS (SELECT supplier, recipient, year, sum(tiv_mn) AS v, 'SIPRI TIV' AS src FROM {t}, off_last
                             WHERE "table" = 'tiv_cow' GROUP BY ALL
                             UNION ALL
                             SELECT supplier, recipient, year, sum(tiv_mn), 'SIPRI register, approximate' FROM {t}, off_last
                             WHERE "table" = 'tiv_approx' AND year > coalesce(off_last.y, 0) GROUP BY ALL),
                       imp AS (SELECT recipient AS code, year, sum(v) AS v FROM a GROUP BY ALL),
                       pairs AS (SELECT supplier AS code_a, recipient AS code_b, year, src FROM a UNION SELECT recipient, supplier, year, src FROM a)
                       SELECT p.code_a, p.code_b, CAST(p.year AS INTEGER) AS year, coalesce(ab.v, 0) AS arms_tiv_a_to_b, coalesce(ba.v, 0) AS arms_tiv_b_to_a,
                              coalesce(ba.v, 0) / nullif(ia.v, 0) AS arms_share_of_a_imports_from_b,
                              coalesce(ab.v, 0) / nullif(ib.v, 0) AS arms_share_of_b_imports_from_a, min(p.src) AS arms_tiv_source
                       FROM pairs p
                       LEFT JOIN a ab ON ab.supplier = p.code_a AND ab.recipient = p.code_b AND ab.year = p.year
                       LEFT JOIN a ba ON ba.supplier = p.code_b AND ba.recipient = p.code_a AND ba.year = p.year
                       LEFT JOIN imp ia ON ia.code = p.code_a AND ia.year = p.year
                       LEFT JOIN imp ib ON ib.code = p.code_b AND ib.year = p.year
                       WHERE p.code_a <> p.code_b GROUP BY ALL""", cols,
                   fill={c: "d.year BETWEEN {} AND {}".format(*self._x(f"SELECT min(year), max(year) FROM {t}")[0])
                         for c in ("arms_tiv_a_to_b", "arms_tiv_b_to_a")})
        return self

    # -- power -------------------------------------------------------------------------------
    def add_power(self):
        """Power context: ``cinc_a``, ``cinc_b``, ``cinc_ratio_a_b`` (COW NMC 6.0, to 2016);
        ``gdp_a_usd``, ``gdp_b_usd``, ``gdp_ratio_a_b`` (World Bank WDI, current US$, 1960-);
        ``pop_a``, ``pop_b``, ``pop_ratio_a_b`` (WDI; Maddison before 1960)."""
        nmc = f"(SELECT code, year, cinc FROM {self._t('nmc')})" if self.has("nmc") else "(SELECT CAST(NULL AS VARCHAR) AS code, CAST(NULL AS BIGINT) AS year, CAST(NULL AS DOUBLE) AS cinc WHERE false)"
        if self.has("wdi"):
            wdi = f"""(SELECT code, year, max(value) FILTER (WHERE indicator = 'NY.GDP.MKTP.CD') AS gdp,
                              max(value) FILTER (WHERE indicator = 'SP.POP.TOTL') AS pop FROM {self._t('wdi')} GROUP BY ALL)"""
        else:
            wdi = "(SELECT CAST(NULL AS VARCHAR) AS code, CAST(NULL AS BIGINT) AS year, CAST(NULL AS DOUBLE) AS gdp, CAST(NULL AS DOUBLE) AS pop WHERE false)"
        mad = (f"(SELECT code, year, pop_thousands * 1000 AS pop FROM {self._t('maddison')})" if self.has("maddison")
               else "(SELECT CAST(NULL AS VARCHAR) AS code, CAST(NULL AS BIGINT) AS year, CAST(NULL AS DOUBLE) AS pop WHERE false)")
        self._x(f"""CREATE OR REPLACE TEMP TABLE _power AS
            SELECT s.code, s.year, n.cinc, w.gdp, coalesce(w.pop, m.pop) AS pop
            FROM (SELECT DISTINCT code_a AS code, year FROM d) s
            LEFT JOIN {nmc} n ON n.code = s.code AND n.year = s.year
            LEFT JOIN {wdi} w ON w.code = s.code AND w.year = s.year
            LEFT JOIN {mad} m ON m.code = s.code AND m.year = s.year""")
        src_c, src_g = "COW National Material Capabilities 6.0", "World Bank WDI (datahub); Maddison Project 2023 for population before 1960"
        self._state_year("powsy", "SELECT code, year, cinc, gdp, pop FROM _power")
        self._add_exprs({"cinc_a": ("power", "CINC share of A (0-1)", src_c), "cinc_b": ("power", "CINC share of B", src_c),
                         "cinc_ratio_a_b": ("power", "CINC A / CINC B", src_c), "gdp_a_usd": ("power", "GDP of A, current US$", src_g),
                         "gdp_b_usd": ("power", "GDP of B, current US$", src_g), "gdp_ratio_a_b": ("power", "GDP A / GDP B", src_g),
                         "pop_a": ("power", "population of A", src_g), "pop_b": ("power", "population of B", src_g),
                         "pop_ratio_a_b": ("power", "population A / population B", src_g)},
                        {"cinc_a": "pwa.cinc", "cinc_b": "pwb.cinc", "cinc_ratio_a_b": "pwa.cinc / nullif(pwb.cinc, 0)",
                         "gdp_a_usd": "pwa.gdp", "gdp_b_usd": "pwb.gdp", "gdp_ratio_a_b": "pwa.gdp / nullif(pwb.gdp, 0)",
                         "pop_a": "pwa.pop", "pop_b": "pwb.pop", "pop_ratio_a_b": "pwa.pop / nullif(pwb.pop, 0)"},
                        ["LEFT JOIN powsy pwa ON pwa._ks = d._ka", "LEFT JOIN powsy pwb ON pwb._ks = d._kb"])
        return self

    def add_relation(self, weights=None, rules=None):
        """The relation layer (:mod:`multipolar.relations`): ``closeness`` with ``closeness_n_dims`` and
        its interval, ``dependence_a_on_b``, ``dependence_b_on_a``, ``dependence_asymmetry``,
        ``relation_type`` and ``relation_evidence``. Adds the dimensions it needs that are not there yet."""
        from .. import relations
        for verb, col in (("add_values", "ip_distance"), ("add_people", "visa_openness_b_for_a"), ("add_economy", "baci_trade_share_of_a"),
                          ("add_institutions", "alliance_defense"), ("add_interaction", "war_ongoing"), ("add_security", "arms_tiv_a_to_b")):
            if col not in self.columns:
                getattr(self, verb)()
        self._relation = relations.relation_columns(weights, rules)
        src = "multipolar relations (see multipolar.relations)"
        units = {"closeness": "closeness, -1 hostile ... 1 close", "closeness_n_dims": "number of components with data (of 5)",
                 "closeness_lo": "closeness, 90% interval low", "closeness_hi": "closeness, 90% interval high",
                 "dependence_a_on_b": "dependence of A on B (0-1)", "dependence_b_on_a": "dependence of B on A (0-1)",
                 "dependence_asymmetry": "dependence_a_on_b - dependence_b_on_a", "relation_type": "type of relation (rule set)",
                 "relation_evidence": "the rule that set the type"}
        for c, _ in self._relation:
            self._doc(c, "relation", units[c], src)
        self._built = False
        return self

    def add_all(self):
        """Every dimension: values, people, economy, institutions, interaction, security, power."""
        return (self.add_values().add_people().add_economy().add_institutions().add_interaction()
                .add_security().add_power())

    # -- out ---------------------------------------------------------------------------------
    def to_pandas(self, columns: list[str] | None = None, extra: dict[str, str] | None = None) -> pd.DataFrame:
        """The table as a DataFrame; ``columns``: only these (keys always come first); ``extra``:
        more columns as SQL expressions over the table's columns (name -> expression)."""
        self._materialise()
        if columns is None and not extra:
            return self.con.execute("SELECT * FROM wide ORDER BY year, code_a, code_b").df()
        keys = ["code_a", "code_b", "year"]
        cols = keys + [c for c in (columns or []) if c not in keys]
        unknown = [c for c in cols if c not in self.columns]
        if unknown:
            raise InputError(f"no such dyad column(s): {', '.join(unknown)}; see `multipolar dyads --codebook`")
        sel = ", ".join([f'"{c}"' for c in cols] + [f"{e} AS \"{n}\"" for n, e in (extra or {}).items()])
        # through Arrow, text as categoricals (a fraction of the time and memory of Python strings);
        # the state codes as plain strings, so that they compare and sort as codes
        out = self.con.sql(f"SELECT {sel} FROM wide ORDER BY year, code_a, code_b").to_arrow_table().to_pandas(strings_to_categorical=True)
        for c in ("code_a", "code_b"):
            out[c] = out[c].astype(object)
        return out

    def __len__(self):
        return self.n

    def coverage(self) -> pd.DataFrame:
        """Share of rows with a value, per column and year (missing stays missing; this shows where)."""
        cols = [c for c in self.columns if c not in ("code_a", "code_b", "year")]
        sel = ", ".join(f"avg(CASE WHEN \"{c}\" IS NULL THEN 0 ELSE 1 END) AS \"{c}\"" for c in cols)
        self._materialise()
        wide = self.con.execute(f"SELECT year, {sel} FROM wide GROUP BY year ORDER BY year").df()
        return wide.melt(id_vars="year", var_name="column", value_name="share_with_data")

    def codebook(self) -> pd.DataFrame:
        return pd.DataFrame([vars(c) for c in self.columns.values()])

    def write(self, path, fmt: str | None = None) -> Path:
        """Parquet, CSV or Stata .dta (format from ``fmt`` or the file suffix)."""
        path = Path(path)
        fmt = (fmt or path.suffix.lstrip(".")).lower()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._materialise()
        if fmt == "parquet":
            self._x(f"COPY (SELECT * FROM wide ORDER BY year, code_a, code_b) TO '{path}' (FORMAT PARQUET)")
        elif fmt == "csv":
            self._x(f"COPY (SELECT * FROM wide ORDER BY year, code_a, code_b) TO '{path}' (HEADER, DELIMITER ',')")
        elif fmt in ("dta", "stata"):
            df = self.to_pandas()
            labels = {c: f"{self.columns[c].unit}"[:80] for c in df.columns if c in self.columns}
            for c in df.columns:
                if df[c].dtype == object:
                    df[c] = df[c].fillna("").astype(str).str.slice(0, 2000)
            df.to_stata(path, write_index=False, version=118, variable_labels=labels)
        else:
            raise InputError(f"{path}: unknown format {fmt!r}; use parquet, csv or dta")
        return path

    to_parquet = write

    def to_csv(self, path):
        return self.write(path, "csv")

    def to_stata(self, path):
        return self.write(path, "dta")


def dyads(years=None, states=None, db=None) -> Dyads:
    """The directed dyad-year table of state-system members (``mp.dyads(years="1991:2024")``)."""
    return Dyads(years=years, states=states, db=db)
