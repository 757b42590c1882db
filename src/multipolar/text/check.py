"""Checking claims against the warehouse: each claim → a query, a verdict and its evidence.

Every verdict is one of ``supported``, ``contradicted``, ``not checkable``; it carries the query
(measure, dyad, years, comparison, tolerance), the evidence rows and the citations. "Not checkable"
names the gap: which source would answer the claim and what the warehouse holds instead.

The queries (the data are the dyad-year table of :class:`~multipolar.dimensions.dyads.Dyads` with
the relation layer, built once for every state the texts name, and the warehouse's own tables):

=====================  ==========================================================================
claim                  query and rule
=====================  ==========================================================================
money, energy and      BACI's 74 energy and mineral HS6 products (``energy_minerals_exports_*``):
minerals               A→B for exports, B→A for imports, both for trade; supported within
                       :data:`TOL_VALUE` (relative) of the claim, else contradicted
money, all trade       ``total_trade_*`` where a full trade file is imported; else not checkable,
                       with what the energy and minerals subset holds
money, arms            not checkable: SIPRI measures transfers in TIV, not money (the TIV is given)
multiplier / % change  the same measure's ratio between the first and last year named; supported
                       within :data:`TOL_RATIO` (relative)
share                  arms: ``arms_share_of_a_imports_from_b`` (A the possessor, "India's");
                       energy: ``energy_minerals_trade_share_of_a``; within :data:`TOL_SHARE` points
rank                   arms: B's suppliers ranked by SIPRI TIV in the years named; energy and
                       minerals: A's partners by BACI subset trade; all trade: not checkable
trend                  ``dependence_a_on_b`` or ``closeness_chained`` over the :data:`TREND_YEARS`
                       years to the claim's year: the sign of the change
relation               ``relation_type`` and its evidence in the claim's year (the latest year
                       with a type, up to it); alliance: a defence or offence pact; "de facto"
                       alliance and strategic partnership: alliance, strategic partnership or
                       alignment; rivalry: a rivalry or adversary or war type, or a rivalry list;
                       war: ``war_ongoing`` or interstate armed conflict; client state:
                       ``dependence_a_on_b`` ≥ :data:`CLIENT_DEPENDENCE` and asymmetry ≥
                       :data:`CLIENT_ASYMMETRY`; sanctions: a sanctions regime of A on B in force
                       in the year; membership: the dated memberships (``memberships.csv``)
=====================  ==========================================================================

A negated claim ("are no longer allies") has its verdict turned over when the data decide it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ..actors.registry import SERIES_PREDECESSORS, registry

TOL_VALUE = 0.15      # relative
TOL_RATIO = 0.20      # relative, on the ratio
TOL_SHARE = 0.05      # absolute, on a share 0..1
TREND_YEARS = 5
CLIENT_DEPENDENCE = 0.3
CLIENT_ASYMMETRY = 0.2

CITE = {"baci": "CEPII BACI HS92 (Gaulier & Zignago 2010), the shared subset of 74 energy and mineral HS6 products",
        "sipri": "SIPRI Arms Transfers Database (trend-indicator values), via the shared TIV tables",
        "relation": "multipolar relation layer (multipolar.relations: RULES), from ATOP, COW, UCDP, the compiled pacts, treaties, conflicts and sanctions",
        "memberships": "multipolar actors/data/memberships.csv (each row cites the organisation's record)",
        "sanctions": "multipolar actors/data/sanctions.csv and the Global Sanctions Data Base (GSDB) via the relation layer",
        "wdi": "World Bank World Development Indicators, NY.GDP.MKTP.CD (GDP, current US$), via the shared datahub file",
        "nmc": "Correlates of War National Material Capabilities v6 (milex, thousands of current US$), via peacesciencer",
        "wdi_pop": "World Bank World Development Indicators, SP.POP.TOTL (population, total), via the shared datahub file",
        "nmc_pop": "Correlates of War National Material Capabilities v6 (tpop, total population in thousands), via peacesciencer",
        "maddison": "Maddison Project Database 2023 (pop, thousands; Bolt & van Zanden 2024, CC BY 4.0)"}

#: single-state measures: (table, filter, value column, factor to US$, source key, what the column is)
SINGLE = {"gdp": ("wdi", "indicator = 'NY.GDP.MKTP.CD'", "value", 1.0, "wdi", "GDP in current US$ (WDI)"),
          "military spending": ("nmc", "TRUE", "milex", 1e3, "nmc", "military expenditure in current US$ (COW NMC milex)")}
#: population: the sources in the order asked; the first that holds the state's year answers (WDI
#: 1960-, NMC 1816-2022, Maddison for the years and states the others lack)
POPULATION = [("wdi", "indicator = 'SP.POP.TOTL'", "value", 1.0, "wdi_pop", "population (WDI SP.POP.TOTL)"),
              ("nmc", "TRUE", "tpop", 1e3, "nmc_pop", "population (COW NMC tpop)"),
              ("maddison", "TRUE", "pop_thousands", 1e3, "maddison", "population (Maddison Project 2023)")]


def _fmt_people(v: float) -> str:
    return f"{v / 1e9:,.3f} billion" if abs(v) >= 1e9 else f"{v / 1e6:,.1f} million"


@dataclass
class Verdict:
    verdict: str
    query: dict
    evidence: list
    citations: list
    reason: str

    def to_dict(self) -> dict:
        """The verdict as plain values (for JSON)."""
        return {"verdict": self.verdict, "query": self.query, "evidence": self.evidence, "citations": self.citations, "reason": self.reason}


def _nc(query, reason, evidence=(), cites=()):
    return Verdict("not checkable", query, list(evidence), list(cites), reason)


def _fmt_usd(v: float | None) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "missing"
    if abs(v) >= 1e12:
        return f"US${v / 1e12:,.2f} tn"
    return f"US${v / 1e9:,.1f} bn" if abs(v) >= 1e9 else f"US${v / 1e6:,.1f} m"


class Checker:
    """Checks claims on one warehouse. The dyad-year table is built once for the states the texts name."""

    def __init__(self, db=None):
        self.db = db
        self._rows: dict[tuple[str, str], pd.DataFrame] = {}
        self._states: set[str] = set()
        self._con = None
        self._memo: dict = {}
        self._pairs: dict = {}
        self.notes: list[str] = []

    # -- data -------------------------------------------------------------------------------------------
    def prepare(self, codes) -> None:
        """Load at once the warehouse rows of the states ``codes`` (and their predecessors) that the claims
        will need."""
        reg = registry()
        codes = {c for c in codes if c in reg}
        codes |= {SERIES_PREDECESSORS[c] for c in list(codes) if c in SERIES_PREDECESSORS}
        if codes <= self._states or len(self._states | codes) < 2:
            return
        self._states |= codes
        self._pairs = {}
        from ..relations import Dyads
        from ..warehouse import Warehouse, retry_locked
        from ..years import data_coverage, span, clip
        try:
            rng, note = clip(None, data_coverage(self.db), "check")
            d = retry_locked(Dyads, years=span(rng), states=sorted(self._states), db=self.db, db_path=Warehouse(self.db).path)
            d.add_all().add_relation()
            df = d.to_pandas()
        except Exception as e:       # an empty or partial warehouse: every dyad claim is then not checkable, and says why
            self.notes = [f"the dyad-year table could not be built from the warehouse {Warehouse(self.db).path}: {type(e).__name__}: {e}"]
            self._rows = {}
            return
        self.notes = list(d.notes)
        self._rows = {}
        df = df.sort_values(["code_a", "code_b", "year"])
        # one conversion for the whole table: {(a, b): {year: row}}
        for r in df.to_dict("records"):
            self._rows.setdefault((r["code_a"], r["code_b"]), {})[int(r["year"])] = r

    def rows(self, a: str, b: str) -> dict | None:
        """The pair's rows as {year: {column: value}} (one lookup per claim, no table scans); the years of a
        state's predecessor in its series (the USSR for Russia) come from the predecessor's rows."""
        if (a, b) not in self._pairs:
            self.prepare([a, b])
            pa, pb = SERIES_PREDECESSORS.get(a), SERIES_PREDECESSORS.get(b)
            parts = [x for x in [self._rows.get((pa, pb)) if pa and pb else None, self._rows.get((a, pb)) if pb else None,
                                 self._rows.get((pa, b)) if pa else None, self._rows.get((a, b))] if x]
            merged = {}
            for x in parts:          # the pair's own rows last: they win
                merged.update(x)
            self._pairs[(a, b)] = dict(sorted(merged.items())) if merged else None
        return self._pairs[(a, b)]

    def rows_df(self, a: str, b: str) -> pd.DataFrame | None:
        """The dyad rows of ``a`` and ``b`` as a data frame (cached), or None."""
        def build():
            g = self.rows(a, b)
            return None if g is None else pd.DataFrame(list(g.values())).reset_index(drop=True)
        return self._cached(("df", a, b), build)

    def _cached(self, key, fn):
        if key not in self._memo:
            self._memo[key] = fn()
        return self._memo[key]

    def con(self):
        """The checker's read-only connection to the warehouse (opened once)."""
        if self._con is None:
            import duckdb
            from ..warehouse import Warehouse
            self._con = duckdb.connect(str(Warehouse(self.db).path), read_only=True)
        return self._con

    def has(self, table: str) -> bool:
        """True when the warehouse holds ``table`` (cached)."""
        return self._cached(("has", table), lambda: bool(self.con().execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]).fetchone()[0]))

    # -- the verdict --------------------------------------------------------------------------------------
    def check(self, c, doc=None) -> Verdict:
        """The :class:`Verdict` of the claim ``c`` against the data (memoised on what the claim says)."""
        key = (c.kind, c.text.lower(), c.measure, c.relation, c.value, c.unit, c.scale, tuple(c.states), tuple(c.years), c.owner,
               c.negated, tuple(c.groupings), self._direction(c))
        hit = self._memo.get(key)
        if hit is not None:          # the same claim about the same states and years: the same query and answer
            c.check = hit
            return Verdict(**hit)
        try:
            v = self._check(c, doc)
        except Exception as e:     # a claim that breaks a query is reported, never silently dropped
            v = _nc({"claim": c.text}, f"the query failed: {type(e).__name__}: {e}")
        if c.negated and v.verdict in ("supported", "contradicted"):
            v.verdict = "contradicted" if v.verdict == "supported" else "supported"
            v.reason = "negated claim: " + v.reason
        c.check = v.to_dict()
        self._memo[key] = c.check
        return v

    def _pair(self, c, doc):
        st = [s for s in c.states if s in registry()]
        if len(st) < 2:
            return None
        a, b = st[0], st[1]
        owner = getattr(c, "owner", None)
        return a, b, owner

    def _check(self, c, doc) -> Verdict:
        q = {"claim": c.text, "kind": c.kind, "measure": c.measure, "states": c.states, "years": c.years}
        if c.kind == "relation" and c.relation in ("suspended membership", "joined", "left"):
            return self._membership(c, q)
        if c.measure == "population" and c.kind == "quantity":
            return self._population(c, q)
        if c.measure in SINGLE and c.kind == "quantity":
            return self._single(c, q)
        pr = self._pair(c, doc)
        if c.kind == "relation" and c.relation == "sanctions" and c.groupings and c.states:
            return self._sanctions_group(c, q)
        if pr is None:
            return _nc(q, "the claim names fewer than two states: no dyad to query")
        if not c.years:
            return _nc(q, "no year: the sentence names none and the text has no date")
        a, b, owner = pr
        q["dyad"] = f"{a}-{b}"
        if c.kind == "relation":
            return self._relation(c, q, a, b)
        if c.kind == "trend":
            return self._trend(c, q, a, b)
        if c.kind == "comparison":
            return self._rank(c, q, a, b, owner)
        if c.unit == "share":
            return self._share(c, q, a, b, owner)
        if c.unit == "ratio":
            return self._ratio(c, q, a, b)
        return self._money(c, q, a, b)

    def _population(self, c, q) -> Verdict:
        """A state's head count ("Nigeria, a country of 220 million"): the first source that holds the year."""
        st = [x for x in c.states if x in registry()]
        state = c.owner if c.owner in registry() else st[0] if len(st) == 1 else None
        if state is None:
            return _nc(q, "a population claim needs one state; the sentence names "
                          + (", ".join(st) if st else "none") + " and none in the possessive")
        if not c.years or c.value is None:
            return _nc(q, "no year: the sentence names none and the text has no date")
        y = c.years[-1]
        q.update(state=state, year=y, measure="population", tolerance=f"±{TOL_VALUE:.0%} relative")
        gaps, cites = [], []
        for table, where, col, factor, cite, what in POPULATION:
            if not self.has(table):
                gaps.append(f"{what}: table '{table}' not imported")
                continue
            cites.append(CITE[cite])
            row = self.con().execute(f"SELECT {col} FROM {table} WHERE code = ? AND year = ? AND {where}", [state, y]).fetchone()
            if row is None or row[0] is None or pd.isna(row[0]):
                lo, hi = self.con().execute(f"SELECT min(year), max(year) FROM {table} WHERE code = ? AND {where} AND {col} IS NOT NULL",
                                            [state]).fetchone()
                gaps.append(f"{what}: no {y} value for {state} (covers {f'{lo}–{hi}' if lo is not None else 'no year'})")
                continue
            v = float(row[0]) * factor
            ok = abs(v - c.value) <= TOL_VALUE * abs(c.value)
            q["source"] = what
            return Verdict("supported" if ok else "contradicted", q, [{"state": state, "year": y, "table": table, col: float(row[0])}],
                           [CITE[cite]], f"the data give {_fmt_people(v)} ({state}, {y}, {what}); the claim {_fmt_people(c.value)}")
        return _nc(q, "population of " + state + f" in {y}: " + "; ".join(gaps), cites=cites)

    def _single(self, c, q) -> Verdict:
        """A one-state amount ("China's GDP reached $17.8 trillion in 2023"): the state's value in its table."""
        st = [x for x in c.states if x in registry()]
        state = c.owner if c.owner in registry() else st[0] if len(st) == 1 else None
        if state is None:
            return _nc(q, f"a {c.measure} claim needs one state; the sentence names "
                          + (", ".join(st) if st else "none") + " and none in the possessive")
        if not c.years:
            return _nc(q, "no year: the sentence names none and the text has no date")
        if c.unit not in (None, "USD") or c.value is None:
            return _nc(q, f"the claim is in {c.unit}; the warehouse holds {c.measure} in US$ only and no exchange rates")
        table, where, col, factor, cite, what = SINGLE[c.measure]
        y = c.years[-1]
        q.update(state=state, year=y, measure=what, tolerance=f"±{TOL_VALUE:.0%} relative")
        if not self.has(table):
            return _nc(q, f"{what}: the table '{table}' is not imported (multipolar data import)", cites=[CITE[cite]])
        row = self.con().execute(f"SELECT {col} FROM {table} WHERE code = ? AND year = ? AND {where}", [state, y]).fetchone()
        if row is None or row[0] is None or pd.isna(row[0]):
            lo, hi = self.con().execute(f"SELECT min(year), max(year) FROM {table} WHERE code = ? AND {where} AND {col} IS NOT NULL",
                                        [state]).fetchone()
            cover = f"{lo}–{hi}" if lo is not None else "no year"
            return _nc(q, f"{what} for {state} in {y}: missing (the warehouse covers {cover} for {state})", cites=[CITE[cite]])
        v = float(row[0]) * factor
        ok = abs(v - c.value) <= TOL_VALUE * abs(c.value)
        return Verdict("supported" if ok else "contradicted", q, [{"state": state, "year": y, col: float(row[0])}], [CITE[cite]],
                       f"the data give {_fmt_usd(v)} ({state}, {y}); the claim {_fmt_usd(c.value)}")

    # energy/minerals and total trade values of a pair in a year, by direction
    def _value(self, g: dict, year: int, measure: str, direction: str):
        r = g.get(year)
        if r is None:
            return None, None, f"the data hold no {year} row for the pair"
        if measure == "arms":
            col = {"ab": ["arms_tiv_a_to_b"], "ba": ["arms_tiv_b_to_a"], "both": ["arms_tiv_a_to_b", "arms_tiv_b_to_a"]}[direction]
            vals = [r[c_] for c_ in col]
            if any(pd.isna(v) for v in vals):
                return None, r, f"SIPRI TIV missing for {year}"
            return float(sum(vals)), r, "million TIV"
        if measure == "total":
            col = {"ab": ["total_trade_exports_a_to_b_musd"], "ba": ["total_trade_exports_b_to_a_musd"],
                   "both": ["total_trade_exports_a_to_b_musd", "total_trade_exports_b_to_a_musd"]}[direction]
            vals = [r[c_] for c_ in col]
            if any(pd.isna(v) for v in vals):
                return None, r, "no total trade"
            return float(sum(vals)) * 1e6, r, "US$"
        col = {"ab": ["energy_minerals_exports_a_to_b_kusd"], "ba": ["energy_minerals_exports_b_to_a_kusd"],
               "both": ["energy_minerals_exports_a_to_b_kusd", "energy_minerals_exports_b_to_a_kusd"]}[direction]
        vals = [r[c_] for c_ in col]
        if any(pd.isna(v) for v in vals):
            return None, r, f"BACI energy and minerals missing for {year} (outside BACI's years, a likely non-reporter, or a flow BACI does not record although it took place: sources/data/trade_gaps.csv)"
        return float(sum(vals)) * 1e3, r, "US$"

    @staticmethod
    def _direction(c) -> str:
        sent = (c.context or "").lower() if hasattr(c, "context") else ""
        if any(w in sent for w in (" exports", " exported", " sold", " sells", " supplied", " deliver")):
            return "ab"
        if any(w in sent for w in (" imports", " imported", " bought", " buys", " purchase")):
            return "ba"
        return "both"

    def _money(self, c, q, a, b) -> Verdict:
        y = c.years[-1]
        q["year"] = y
        if c.unit not in (None, "USD"):
            return _nc(q, f"the claim is in {c.unit}; the warehouse's trade is in US$ and holds no exchange rates")
        g = self.rows(a, b)
        if g is None:
            return _nc(q, f"no dyad {a}-{b} in the data" + (f" ({self.notes[0]})" if self.notes and "could not be built" in self.notes[0] else ""))
        d = self._direction(c)
        q["direction"] = {"ab": f"{a}->{b}", "ba": f"{b}->{a}", "both": "both ways"}[d]
        if c.measure == "arms":
            v, r, note = self._value(g, y, "arms", d)
            ev = [] if r is None else [{"year": y, "arms_tiv_a_to_b": _f(r["arms_tiv_a_to_b"]), "arms_tiv_b_to_a": _f(r["arms_tiv_b_to_a"])}]
            return _nc(q, "SIPRI measures arms transfers in trend-indicator values (TIV), not money; no source of arms "
                          f"sales in US$ is imported. The warehouse holds {a}->{b} {y}: "
                          + (f"{v:,.0f} million TIV" if v is not None else note), ev, [CITE["sipri"]])
        if c.measure in ("gdp", "military spending"):
            return _nc(q, f"{c.measure} claims are not mapped to a query yet (single-state measures)")
        if c.measure == "energy and minerals":
            v, r, note = self._value(g, y, "em", d)
            q.update(measure="BACI energy and minerals subset (74 HS6 products)", tolerance=f"±{TOL_VALUE:.0%} relative")
            if v is None:
                return _nc(q, note, cites=[CITE["baci"]])
            ev = [{"year": y, "energy_minerals_exports_a_to_b_kusd": _f(r["energy_minerals_exports_a_to_b_kusd"]),
                   "energy_minerals_exports_b_to_a_kusd": _f(r["energy_minerals_exports_b_to_a_kusd"])}]
            ok = abs(v - c.value) <= TOL_VALUE * max(abs(c.value), 1)
            return Verdict("supported" if ok else "contradicted", q, ev, [CITE["baci"]],
                           f"the data give {_fmt_usd(v)} ({q['direction']}, {y}); the claim {_fmt_usd(c.value)}")
        # all trade
        v, r, note = self._value(g, y, "total", d)
        q.update(measure="total bilateral trade, all goods", tolerance=f"±{TOL_VALUE:.0%} relative")
        if v is None:
            em, _, _ = self._value(g, y, "em", d)
            return _nc(q, f"total trade {q['direction']} in {y}: no source imported (a full BACI file, or COW dyadic trade to 2014, "
                          f"would answer); the energy and minerals subset holds {_fmt_usd(em)}",
                       [{"year": y, "energy_minerals_subset_usd": em}], [CITE["baci"]])
        ok = abs(v - c.value) <= TOL_VALUE * abs(c.value)
        return Verdict("supported" if ok else "contradicted", q, [{"year": y, "total_trade_usd": v}], [str(r.get("total_trade_source"))],
                       f"the data give {_fmt_usd(v)}; the claim {_fmt_usd(c.value)}")

    def _ratio(self, c, q, a, b) -> Verdict:
        if len(c.years) < 2:
            return _nc(q, "a change needs two years; the sentence names " + (str(c.years[0]) if c.years else "none"))
        y0, y1 = c.years[0], c.years[-1]
        q.update(years=[y0, y1], tolerance=f"±{TOL_RATIO:.0%} of the ratio", comparison=f"value {y1} / value {y0} = {c.value:g}")
        g = self.rows(a, b)
        if g is None:
            return _nc(q, f"no dyad {a}-{b} in the data")
        d = self._direction(c)
        meas = "arms" if c.measure == "arms" else "em" if c.measure == "energy and minerals" else "total"
        v0, _, n0 = self._value(g, y0, meas, d)
        v1, _, n1 = self._value(g, y1, meas, d)
        cite = [CITE["sipri"] if meas == "arms" else CITE["baci"]]
        if v0 is None or v1 is None:
            if meas == "total":
                e0, _, _ = self._value(g, y0, "em", d)
                e1, _, _ = self._value(g, y1, "em", d)
                rr = (e1 / e0) if e0 and e1 is not None else None
                return _nc(q, f"total trade in {y0} and {y1}: no source imported (a full BACI file would answer); in the energy and "
                              f"minerals subset the ratio is " + (f"{rr:.2f}" if rr is not None else "missing"),
                           [{"year": y0, "energy_minerals_usd": e0}, {"year": y1, "energy_minerals_usd": e1}], cite)
            return _nc(q, f"{n0 if v0 is None else n1}", cites=cite)
        if v0 == 0:
            return _nc(q, f"the {y0} value is 0: no ratio", cites=cite)
        r = v1 / v0
        ok = abs(r - c.value) <= TOL_RATIO * c.value
        return Verdict("supported" if ok else "contradicted", q, [{"year": y0, "value": v0}, {"year": y1, "value": v1}], cite,
                       f"ratio {r:.2f} in the data ({'TIV' if meas == 'arms' else 'US$'}); the claim {c.value:g}")

    def _share(self, c, q, a, b, owner) -> Verdict:
        y = c.years[-1]
        other = b if owner == a else a
        own = owner or a
        q.update(year=y, tolerance=f"±{TOL_SHARE * 100:.0f} percentage points", share_of=own, partner=other)
        g = self.rows(own, other)
        if g is None:
            return _nc(q, f"no dyad {own}-{other} in the data")
        r = g.get(y)
        if c.scale == "arms":
            col, cite = "arms_share_of_a_imports_from_b", CITE["sipri"]
        elif c.scale == "energy and minerals":
            col, cite = "energy_minerals_trade_share_of_a", CITE["baci"]
        else:
            return _nc(q, "shares of all trade, GDP or other totals: no source imported for all goods after 2014 "
                          "(only arms and the energy and minerals subset have partner shares)")
        if r is None or pd.isna(r[col]):
            return _nc(q, f"{col} missing for {own}-{other} in {y}", cites=[cite])
        v = float(r[col])
        ok = abs(v - c.value) <= TOL_SHARE
        return Verdict("supported" if ok else "contradicted", q, [{"year": y, col: v}], [cite],
                       f"{other}'s share of {own}'s {c.scale}: {v:.1%} in the data; the claim {c.value:.1%}")

    def _rank(self, c, q, a, b, owner) -> Verdict:
        y = c.years[-1]
        own = owner or b
        other = a if own == b else b
        q.update(year=y, comparison=f"{other} rank {int(c.value)} among {own}'s partners", tolerance="exact rank")
        if c.scale == "arms":
            if not self.has("arms_tiv"):
                return _nc(q, "no SIPRI table imported", cites=[CITE["sipri"]])
            tab = "tiv_cow" if y <= 2021 else "tiv_approx"
            df = self._cached(("arms", tab, own, y), lambda: self.con().execute("SELECT supplier, sum(tiv_mn) AS tiv FROM arms_tiv WHERE \"table\" = ? AND recipient = ? AND year = ? "
                                    "GROUP BY 1 ORDER BY tiv DESC", [tab, own, y]).fetchdf())
            if df.empty:
                return _nc(q, f"SIPRI lists no deliveries to {own} in {y}", cites=[CITE["sipri"]])
            ranks, ev = self._cached(("arms-ev", tab, own, y), lambda: (list(df["supplier"]), df.head(5).to_dict("records")))
            rk = ranks.index(other) + 1 if other in ranks else None
            ok = rk == int(c.value)
            return Verdict("supported" if ok else "contradicted", q, ev, [CITE["sipri"] + f" ({tab})"],
                           f"{other} is {own}'s supplier no. {rk if rk else '(none)'} by TIV in {y}; the claim no. {int(c.value)}")
        if c.scale == "energy and minerals" and self.has("baci_trade"):
            from ..sources.products import products
            em = list(products())
            df = self._cached(("em", own, y), lambda: self.con().execute("SELECT CASE WHEN exporter = ? THEN importer ELSE exporter END AS partner, sum(value_kusd) AS v "
                                    f"FROM baci_trade WHERE (exporter = ? OR importer = ?) AND year = ? AND exporter <> importer "
                                    f"AND hs6 IN ({','.join('?' * len(em))}) GROUP BY 1 ORDER BY v DESC", [own, own, own, y, *em]).fetchdf())
            if df.empty:
                return _nc(q, f"BACI holds no {y} energy and minerals flows of {own}", cites=[CITE["baci"]])
            from ..sources.products import trade_gaps
            g = trade_gaps()
            g = g[((g["exporter"] == own) | (g["importer"] == own)) & (g["first_year"] <= y) & (g["last_year"] >= y)]
            if len(g):      # a flow BACI does not record although it took place: the ranking is not what BACI says
                gaps = "; ".join(f"{r.exporter}->{r.importer} {r.sector.replace('_', ' ')}" for r in g.itertuples())
                return _nc(q, f"BACI does not record some of {own}'s {y} energy flows although they took place ({gaps}; "
                              "sources/data/trade_gaps.csv, with sources): its partners' ranking is not known", cites=[CITE["baci"]])
            ranks, ev = self._cached(("em-ev", own, y), lambda: (list(df["partner"]), df.head(5).to_dict("records")))
            rk = ranks.index(other) + 1 if other in ranks else None
            ok = rk == int(c.value)
            return Verdict("supported" if ok else "contradicted", q, ev, [CITE["baci"]],
                           f"{other} is {own}'s energy and minerals partner no. {rk}; the claim no. {int(c.value)}")
        return _nc(q, f"a trading partner's rank needs total trade of {own} in {y}: no source imported (a full BACI file, or COW "
                      "dyadic trade to 2014, would answer); the warehouse holds only the energy and minerals subset")

    def _trend(self, c, q, a, b) -> Verdict:
        y = c.years[-1]
        col = "dependence_a_on_b" if c.measure == "dependence" else "closeness_chained"
        if col == "closeness_chained":
            g = self.rows_df(a, b)
            if g is None:
                return _nc(q, f"no dyad {a}-{b} in the data")
            if col not in g:
                from ..relations import chained     # the series over time, over the components each pair of years has
                g[col] = chained(g).to_numpy() if len(g) else []
            series = [(int(yy), float(v)) for yy, v in zip(g["year"], g[col]) if not pd.isna(v)]
        else:
            g = self.rows(a, b)
            if g is None:
                return _nc(q, f"no dyad {a}-{b} in the data")
            series = [(yy, float(r[col])) for yy, r in g.items() if not pd.isna(r.get(col))]
        w = [(yy, v) for yy, v in series if y - TREND_YEARS <= yy <= y]
        if len(w) < 2 and series:       # a claim beyond the data: the last years with data
            last = series[-1][0]
            w = [(yy, v) for yy, v in series if last - TREND_YEARS < yy <= last]
        q.update(series=col, years=[w[0][0], w[-1][0]] if w else [], comparison=f"change {c.direction}",
                 tolerance="the sign of the change from the first to the last year")
        if len(w) < 2:
            return _nc(q, f"{col} has fewer than two years of data up to {y}")
        d = w[-1][1] - w[0][1]
        ok = (d > 0) if c.direction == "rising" else (d < 0)
        return Verdict("supported" if ok else "contradicted", q, [{"year": yy, col: v} for yy, v in w], [CITE["relation"]],
                       f"{col} ({a} on {b}) moved {d:+.3f} from {w[0][0]} to {w[-1][0]}")

    def _relation(self, c, q, a, b) -> Verdict:
        y = c.years[-1]
        g = self.rows(a, b)
        if g is None:
            return _nc(q, f"no dyad {a}-{b} in the data")
        have = [yy for yy in g if yy <= y and isinstance(g[yy].get("relation_type"), str)]
        if not have:
            return _nc(q, f"no relation type for {a}-{b} up to {y}", cites=[CITE["relation"]])
        ry = max(have)
        r = g[ry]
        q.update(year=ry, series="relation_type")
        t = r["relation_type"]
        ev = [{"year": ry, "relation_type": t, "relation_evidence": r.get("relation_evidence"), "closeness": _f(r.get("closeness")),
               "dependence_a_on_b": _f(r.get("dependence_a_on_b")), "dependence_b_on_a": _f(r.get("dependence_b_on_a"))}]
        rel = c.relation
        txt = c.text.lower()
        if rel == "alliance" and "de facto" not in txt:
            ok = r.get("alliance_defense") == 1 or r.get("alliance_offense") == 1
            rule = "a defence or offence pact"
        elif rel in ("alliance", "strategic partnership"):
            ok = t in ("alliance", "strategic partnership", "alignment")
            rule = "relation type alliance, strategic partnership or alignment"
        elif rel == "rivalry":
            ok = t in ("rivalry", "adversary", "at war") or r.get("rivalry_tss") == 1 or r.get("rivalry_td") == 1
            rule = "relation type rivalry, adversary or at war, or a listed strategic rivalry"
        elif rel == "war":
            ok = r.get("war_ongoing") == 1 or r.get("armed_conflict_ongoing") == 1
            rule = "war or interstate armed conflict ongoing"
        elif rel == "client state":
            da, asym = r.get("dependence_a_on_b"), r.get("dependence_asymmetry")
            if pd.isna(da) or pd.isna(asym):
                return _nc(q, f"dependence of {a} on {b} missing in {ry}", ev, [CITE["relation"]])
            ok = da >= CLIENT_DEPENDENCE and asym >= CLIENT_ASYMMETRY
            rule = f"dependence_a_on_b ≥ {CLIENT_DEPENDENCE} and asymmetry ≥ {CLIENT_ASYMMETRY}"
        elif rel == "sanctions":
            n = r.get("sanctions_a_on_b_n")
            ok = (not pd.isna(n)) and n > 0
            rule = f"a sanctions regime of {a} on {b} in force"
            ev[0]["sanctions_a_on_b_n"] = _f(n)
        else:
            return _nc(q, f"relation '{rel}' not mapped")
        q["rule"] = rule
        return Verdict("supported" if ok else "contradicted", q, ev, [CITE["relation"]],
                       f"{a}-{b} in {ry}: {t} ({r.get('relation_evidence')}); rule: {rule}")

    def _sanctions_group(self, c, q) -> Verdict:
        from ..relations.sanctions import compiled_sanctions
        sender, target = c.groupings[0], c.states[0]
        y = c.years[-1] if c.years else None
        q.update(dyad=f"{sender}-{target}", year=y)
        s = compiled_sanctions()
        rows = s[(s["sender"] == sender) & (s["target"] == target)]
        if y is not None:
            rows = rows[(rows["start"].str[:4].astype(int) <= y) & (rows["end"].fillna("9999").astype(str).str[:4] >= str(y))]
        ev = rows.to_dict("records")
        return Verdict("supported" if len(rows) else "contradicted", q, ev, [CITE["sanctions"]],
                       f"{len(rows)} compiled sanctions regime(s) of {sender} on {target} in force in {y}")

    def _membership(self, c, q) -> Verdict:
        from ..actors import groupings
        if not c.groupings:
            return _nc(q, "the grouping is not one of the compiled groupings (actors/data/organisations.csv): no dated membership to query")
        if not c.states:
            return _nc(q, "no state named")
        org, code = c.groupings[0], c.states[0]
        ms = groupings.memberships()
        ms = ms[(ms["org"] == org) & (ms["code"] == code)]
        q.update(org=org, state=code)
        ev = ms[["org", "code", "status", "start", "end", "source"]].to_dict("records")
        y = c.years[-1] if c.years else None
        if c.relation == "suspended membership":
            hit = ms[ms["status"] == "suspended"]
            ok = len(hit) > 0 and (y is None or int(hit["start"].min()[:4]) <= y)
            reason = f"{code}'s membership of {org}: " + ("suspended from " + hit["start"].min() if len(hit) else "never suspended in the compiled list")
        elif c.relation == "joined":
            hit = ms[ms["status"] == "member"]
            ok = len(hit) > 0 and (y is None or y in {int(x[:4]) for x in hit["start"]})
            reason = f"{code} a member of {org} " + (f"from {hit['start'].min()}" if len(hit) else ": never, in the compiled list")
        else:
            hit = ms[(ms["status"] == "member") & ms["end"].notna()]
            ok = len(hit) > 0
            reason = f"{code} left {org} " + (f"on {hit['end'].max()}" if len(hit) else ": not in the compiled list")
        return Verdict("supported" if ok else "contradicted", q, ev, [CITE["memberships"]], reason)


def _f(x):
    try:
        return None if x is None or pd.isna(x) else float(x)
    except (TypeError, ValueError):
        return x
