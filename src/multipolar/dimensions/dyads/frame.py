"""The common frame of the dyad-year table: the pairs, the joins, and coverage as data.

Rows are (code_a, code_b, year) for every ordered pair of states that are members of the state
system in the year (:meth:`~multipolar.actors.registry.Registry.system_members`: one state per
series in a year of succession). Each dimension module (``values``, ``people``, ``economy``,
``institutions``, ``interaction``, ``security``, ``power``) adds its measures through
:meth:`Frame.pairs` (a relation unique on code_a, code_b, year; checked) or :meth:`Frame.exprs`
(expressions over state-year tables joined for A and for B). Nothing is computed before the table
is asked for: :meth:`Frame.materialise` builds it in one query.

Coverage is data
----------------
Every measure says where its source *observes* the pair (``observed``, a SQL condition on the row):
there a pair the source does not list is a 0 (no pact, no sanction, no trade); everywhere else a
missing value stays missing. Each source's observed years come from what was imported (its
first and last year in the warehouse), never from a constant, and :attr:`Frame.coverage_log`
records them (:meth:`Dyads.coverage_sources`). A source is never carried past its last year
unless the caller asks (``carry=["atop", ...]``): the carried years then hold the last observed
year's values and a ``*_carried`` column says which rows they are.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from ...errors import InputError, MultipolarError

#: what ``carry=`` accepts: family -> what is carried
CARRIABLE = {
    "atop": "ATOP alliance ties of its last year (institutions)",
    "gsdb": "sanction cases of the Global Sanctions Database in force in its last year (interaction)",
    "rivalries": "rivalries ongoing in the last year of each rivalry dataset (interaction)",
    "mid": "militarised disputes of the last year of the MID data (interaction)",
    "cow_igo": "shared IGO memberships of COW IGO's last year (institutions)",
}


@dataclass
class Column:
    """One column of the table: what it holds, where it comes from, and where it has a value."""
    name: str
    dimension: str
    unit: str
    source: str
    coverage: str = ""


@dataclass
class SourceCoverage:
    """A source's observed years in this table (from the warehouse) and the rule for its zeros."""
    family: str
    source: str
    first_year: int | None
    last_year: int | None
    rule: str
    columns: list[str] = field(default_factory=list)
    carried_to: int | None = None


_JOIN = __import__("re").compile(r"LEFT JOIN (\w+) (\w+) ON (\w+)\.(\w+) = (\w+)\.(\w+)")


#: prefixes shortened in Stata files (names of at most 32 characters)
STATA_SHORT = {"energy_minerals_": "em_", "total_trade_": "tt_", "dependence_": "dep_"}


def stata_name(name: str) -> str:
    """The column's name in a Stata file: itself when it fits 32 characters, else with the prefixes of
    :data:`STATA_SHORT` shortened (the full name goes into the variable label)."""
    if len(name) <= 32:
        return name
    for long, short in STATA_SHORT.items():
        name = name.replace(long, short)
    return name[:32]


def declare(dimension: str, source: str, coverage: str, descriptions: dict[str, str]) -> dict[str, tuple]:
    """Columns of one dimension, source and coverage rule: {column: (dimension, description, source,
    coverage)}, as :meth:`Frame.pairs` and :meth:`Frame.exprs` take them."""
    return {c: (dimension, text, source, coverage) for c, text in descriptions.items()}


def _carry(values: str | None) -> set[str]:
    if not values:
        return set()
    items = {v.strip().lower() for v in (values.split(",") if isinstance(values, str) else values) if v and str(v).strip()}
    unknown = items - set(CARRIABLE)
    if unknown:
        raise InputError(f"--carry: unknown source(s) {', '.join(sorted(unknown))}; choose among {', '.join(CARRIABLE)}")
    return items


class Frame:
    """The pairs and the plumbing that every dimension module shares."""

    def __init__(self, years=None, states=None, db=None, carry=None):
        from ...actors.registry import registry
        from ...warehouse import Warehouse
        from ..values import parse_years
        self.warehouse = Warehouse(db)
        self.carry = _carry(carry)
        self.con = duckdb.connect(config={"threads": 2})
        self._x("SET enable_progress_bar = false")
        self.has_warehouse = self.warehouse.path.exists()
        self._tables: set[str] = set()
        if self.has_warehouse:
            self._attach()
            self._tables = {r[0] for r in self._x("SELECT table_name FROM information_schema.tables WHERE table_catalog = 'w'")}
        rng = parse_years(years) or (1946, self.last_data_year())
        if rng[0] < 1946:
            raise InputError(f"--years: multipolar covers 1946 onwards, got {rng[0]}")
        self.years = rng
        reg = registry()
        self.states = None
        if states:
            items = states.split(",") if isinstance(states, str) else list(states)
            self.states = sorted({reg.resolve(str(s).strip()) for s in items if str(s).strip()})
        rows = [(c, y) for y in range(rng[0], rng[1] + 1) for c in reg.system_members(y)]
        sy = pd.DataFrame(rows, columns=["code", "year"])
        # integer keys: a state's index i; state-year year*1000 + i; dyad-year year*1000000 + i_a*1000 + i_b
        codes = pd.DataFrame({"code": sorted(reg.to_frame()["code"].unique())})
        codes["i"] = np.arange(1, len(codes) + 1, dtype=np.int32)
        if len(codes) >= 1000:
            raise MultipolarError("the dyad key assumes fewer than 1000 state codes")
        self.con.register("_codes", codes)
        self._x("CREATE TEMP TABLE codes AS SELECT * FROM _codes")
        self.con.unregister("_codes")
        # a state and its own continuation are never a dyad (the registry lists one of them per year;
        # this guards the pairs against a registry that would list both)
        same = ", ".join(f"'{x}>{y}'" for x, y in reg.series_transitions())
        where = f"AND NOT (a.code || '>' || b.code IN ({same}) OR b.code || '>' || a.code IN ({same}))"
        if self.states:
            lst = ", ".join(f"'{s}'" for s in self.states)
            where += f" AND a.code IN ({lst}) AND b.code IN ({lst})"
        self.con.register("_sy", sy)
        self._x(f"""CREATE TEMP TABLE d AS
                    WITH s AS (SELECT _sy.code, CAST(_sy.year AS INTEGER) AS year, c.i FROM _sy JOIN codes c USING (code))
                    SELECT a.code AS code_a, b.code AS code_b, a.year,
                           CAST(a.year AS BIGINT) * 1000000 + a.i * 1000 + b.i AS _k,
                           CAST(a.year AS BIGINT) * 1000000 + b.i * 1000 + a.i AS _kr,
                           CAST(a.year AS BIGINT) * 1000 + a.i AS _ka, CAST(a.year AS BIGINT) * 1000 + b.i AS _kb
                    FROM s a JOIN s b ON a.year = b.year AND a.code <> b.code {where}""")
        self.con.unregister("_sy")
        self.n = self._x("SELECT count(*) FROM d")[0][0]
        self.columns: dict[str, Column] = {}
        self._parts: list[tuple[str | None, dict[str, str], list[str]]] = []   # (join, {column: expression}, extra joins)
        self._built = False
        self._relation = None
        self.notes: list[str] = []
        self.coverage_log: dict[str, SourceCoverage] = {}
        self._doc("code_a", "key", "state code (multipolar: ISO3 or historical code)", "multipolar actor registry")
        self._doc("code_b", "key", "state code", "multipolar actor registry")
        self._doc("year", "key", "calendar year", "")

    def _attach(self):
        """Attach the warehouse read-only; while an import holds its write lock (a short transaction
        per file) wait for it rather than fail (:meth:`~multipolar.warehouse.Warehouse.attach`)."""
        self.warehouse.attach(self.con, "w")

    # -- what the warehouse holds ------------------------------------------------------------
    def has(self, table: str) -> bool:
        """True when the warehouse holds ``table``."""
        return table in self._tables

    def t(self, name: str) -> str:
        """The SQL name of the warehouse table ``name`` (attached as ``w``)."""
        return f'w.main."{name}"'

    def last_data_year(self) -> int:
        """The last year any imported yearly source covers (the embedded snapshot's when the
        warehouse holds no imports): the table ends there unless ``years`` says otherwise."""
        if self.has("_imports"):
            y = self._x(f"SELECT max(year_max) FROM {self.t('_imports')} WHERE NOT superseded")[0][0]
            if y is not None:
                return min(int(y), dt.date.today().year)
        from ...snapshot import manifest
        try:
            return int(max(i["year_max"] for i in manifest()["imports"] if i.get("year_max")))
        except MultipolarError:
            return dt.date.today().year

    def span(self, table: str, col: str = "year", where: str = "") -> tuple[int | None, int | None]:
        """First and last year of a warehouse table (its coverage, as imported)."""
        lo, hi = self._x(f"SELECT min({col}), max({col}) FROM {self.t(table)} {('WHERE ' + where) if where else ''}")[0]
        return (None if lo is None else int(lo), None if hi is None else int(hi))

    # -- plumbing ----------------------------------------------------------------------------
    def _x(self, sql: str):
        return self.con.execute(sql).fetchall()

    def _doc(self, name, dimension, unit, source, coverage=""):
        self.columns[name] = Column(name, dimension, unit, source, coverage)

    def record(self, family: str, source: str, years: tuple[int | None, int | None], rule: str, columns, carried_to=None):
        """Note a source's observed years and its rule (what a missing pair means) in the coverage log."""
        self.coverage_log[family] = SourceCoverage(family, source, years[0], years[1], rule, list(columns), carried_to)

    def missing(self, table: str, what: str):
        """Note that the warehouse has no ``table`` (for ``what``): its columns are missing, not zero."""
        self.notes.append(f"{what}: the warehouse has no table {table!r} (import its source); the columns are missing, not zero")

    def lacks(self, table: str, what: str, cols: dict, have: bool | None = None) -> bool:
        """True when the warehouse has no ``table`` (or ``have`` is False): the columns ``cols`` are then
        added, all missing, and a note says what to import."""
        if self.has(table) if have is None else have:
            return False
        self.missing(table, what)
        self.pairs(None, cols)
        return True

    def carries(self, family: str) -> bool:
        """True when the caller asked to carry the source family ``family`` past its last year."""
        return family in self.carry

    def carry_sql(self, sql: str, last: int) -> str:
        """``sql`` (columns code_a, code_b, year, ...) with the rows of year ``last`` repeated for every
        later year of the table (used only when the caller asks to carry the source)."""
        if last is None or last >= self.years[1]:
            return sql
        return (f"SELECT * FROM ({sql}) WHERE year <= {int(last)} UNION ALL "
                f"SELECT x.* REPLACE (CAST(y.range AS INTEGER) AS year) FROM ({sql}) x, range({int(last) + 1}, {self.years[1] + 1}) y "
                f"WHERE x.year = {int(last)}")

    def within(self, lo: int | None, hi: int | None) -> str:
        """SQL: the row's year lies in [lo, hi] (false when the source has no years)."""
        if lo is None or hi is None:
            return "false"
        return f"d.year BETWEEN {int(lo)} AND {int(hi)}"

    def pairs(self, sql: str | None, cols: dict[str, tuple], observed: dict[str, str] | None = None,
              joins: list[str] | None = None):
        """Add the measures of ``sql`` (unique on code_a, code_b, year: checked) as LEFT-joined columns.

        ``cols``: column -> (dimension, unit, source[, coverage text]). ``observed``: column -> SQL
        condition under which the source observes the pair, so that a pair it does not list is 0;
        elsewhere a missing value stays missing. ``sql=None``: the columns are missing throughout."""
        names = list(cols)
        k = len(self._parts)
        alias = f"x{k}"
        if sql is None:
            exprs = {c: "CAST(NULL AS VARCHAR)" if c.endswith(("_types", "_source", "_measure", "_channels")) or c == "groupings_shared"
                     else "CAST(NULL AS DOUBLE)" for c in names}
            self._parts.append((None, exprs, []))
        else:
            # codes outside the registry (aggregates, "EU") cannot match a dyad: the inner joins drop them
            self._x(f"""CREATE OR REPLACE TEMP TABLE m{k} AS
                        SELECT x.*, CAST(x.year AS BIGINT) * 1000000 + ca.i * 1000 + cb.i AS _k FROM ({sql}) x
                        JOIN codes ca ON ca.code = x.code_a JOIN codes cb ON cb.code = x.code_b
                        WHERE x.year BETWEEN {self.years[0]} AND {self.years[1]} {self._state_filter("x")}""")
            exprs = {}
            for c in names:
                cond = (observed or {}).get(c)
                exprs[c] = f"CASE WHEN {alias}.{c} IS NULL AND ({cond}) THEN 0 ELSE {alias}.{c} END" if cond else f"{alias}.{c}"
            self._parts.append((f"LEFT JOIN m{k} {alias} ON d._k = {alias}._k", exprs, joins or []))
        self._built = False
        for c, spec in cols.items():
            self._doc(c, *spec)
        return k

    def _state_filter(self, alias: str) -> str:
        """With ``states``: the condition that keeps their pairs only (pushed down into the sources)."""
        if not self.states:
            return ""
        lst = ", ".join(f"'{c}'" for c in self.states)
        return f"AND {alias}.code_a IN ({lst}) AND {alias}.code_b IN ({lst})"

    def state_year(self, name: str, sql: str):
        """A temp state-year table with the integer key ``_ks`` (unique; checked)."""
        self._x(f"""CREATE OR REPLACE TEMP TABLE {name} AS SELECT x.*, CAST(x.year AS BIGINT) * 1000 + c.i AS _ks
                    FROM ({sql}) x JOIN codes c ON c.code = x.code""")
        dup = self._x(f"SELECT count(*) FROM (SELECT _ks FROM {name} GROUP BY ALL HAVING count(*) > 1)")[0][0]
        if dup:
            raise MultipolarError(f"internal: {name} is not unique per state-year ({dup} duplicated keys)")

    def exprs(self, cols: dict[str, tuple], exprs: dict[str, str], joins: list[str]):
        """Columns computed in the final query from expressions over joined tables."""
        self._parts.append((None, exprs, joins))
        self._built = False
        for c, spec in cols.items():
            self._doc(c, *spec)

    def register(self, name: str, df: pd.DataFrame):
        """A pandas frame as a temp table (copied, so the frame can go)."""
        self.con.register(f"_{name}_df", df)
        self._x(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM _{name}_df")
        self.con.unregister(f"_{name}_df")

    def materialise(self):
        """Build the wide table (a view) without a single hash join: every joined relation is
        aligned to the pairs by position (the pairs are sorted by their integer key, each relation is
        looked up with a binary search) and the parts are put side by side with DuckDB's POSITIONAL
        JOIN. The table therefore comes out sorted by year, code_a, code_b with no sort, and the
        expressions of every verb run in one projection."""
        if self._built:
            return
        import re

        import pyarrow as pa
        sel, joins = [], {}
        for join, exprs, extra in self._parts:
            for j in ([join] if join else []) + list(extra):
                m = _JOIN.fullmatch(" ".join(j.split()))
                if not m:
                    raise MultipolarError(f"internal: cannot align the join {j!r}")
                table, alias, l_alias, l_key, r_alias, r_key = m.groups()
                dkey, tkey = (l_key, r_key) if l_alias == "d" else (r_key, l_key)
                joins.setdefault(alias, (table, dkey, tkey))
            sel.extend(f"{self._typed(c, e)} AS {c}" for c, e in exprs.items())
        rel = self._relation or []
        text = " ".join(sel) + " ".join(e for stage in rel for _, e in stage)
        if not hasattr(self, "_dd"):
            self._dd = self.con.sql("SELECT code_a, code_b, year, _k, _kr, _ka, _kb FROM d ORDER BY _k").to_arrow_table()
        parts = {f"d.{c}": self._dd[c] for c in self._dd.column_names}
        for alias, (table, dkey, tkey) in joins.items():
            needed = sorted(set(re.findall(rf"\b{alias}\.(\w+)", text)))
            if needed:
                aligned = self._align(table, tkey, needed, dkey)
                parts.update({f"{alias}.{c}": aligned[c] for c in needed})
        # one table, in batches so that DuckDB scans it on every thread; "alias.column" names
        wide = pa.table(parts)
        self._aligned = pa.Table.from_batches(wide.to_batches(max_chunksize=1 << 17))
        self.con.register("aligned", self._aligned)
        aliases = sorted({k.split(".")[0] for k in parts}, key=len, reverse=True)
        pat = re.compile(r"\b(" + "|".join(map(re.escape, aliases)) + r")\.(\w+)\b")
        sel = [pat.sub(r'"\1.\2"', e) for e in sel]
        cols = ", ".join(['"d.code_a" AS code_a', '"d.code_b" AS code_b', '"d.year" AS year'] + sel)
        self._x(f"CREATE OR REPLACE TEMP VIEW {'wide0' if rel else 'wide'} AS SELECT {cols} FROM aligned")
        for i, stage in enumerate(rel):
            src_v = f"wide{i}"
            dst = "wide" if i == len(rel) - 1 else f"wide{i + 1}"
            self._x(f"CREATE OR REPLACE TEMP VIEW {dst} AS SELECT *, {', '.join(f'{e} AS {c}' for c, e in stage)} FROM {src_v}")
        self._built = True

    def _typed(self, name: str, expr: str) -> str:
        """A flag (unit '(0/1)') as TINYINT and a count ('(count)') as INTEGER: the types say what the
        values are, and the table is smaller to write and to read."""
        unit = self.columns[name].unit if name in self.columns else ""
        if "(0/1)" in unit:
            return f"CAST({expr} AS TINYINT)"
        if "(count)" in unit:
            return f"CAST({expr} AS INTEGER)"
        return expr

    def _positions(self):
        """Dense maps from the integer keys to the rows of the (sorted) pairs: no sort, no search."""
        if hasattr(self, "_pairmap"):
            return
        k = self._dd["_k"].to_numpy()
        self._M = int(self._x("SELECT max(i) FROM codes")[0][0]) + 1
        y, a, b = k // 1_000_000 - self.years[0], (k // 1000) % 1000, k % 1000
        self._dy, self._da, self._db = y, a, b
        self._pairmap = np.full((self.years[1] - self.years[0] + 1) * self._M * self._M, -1, dtype=np.int64)
        self._pairmap[(y * self._M + a) * self._M + b] = np.arange(len(k))

    def _align(self, table: str, key: str, columns: list[str], dkey: str):
        """The ``columns`` of ``table`` (unique on ``key``) in the order of the pairs, null where a
        pair has no row. Pair tables (key ``_k``) are placed by a dense map from key to row (``dkey``
        ``_kr``: the reverse pair's row); state-year tables (key ``_ks``) are gathered for A or B."""
        import pyarrow as pa
        self._positions()
        sel = ", ".join(f'"{c}"' for c in columns if c != key)
        tab = self.con.sql(f"SELECT {key} AS __key{', ' + sel if sel else ''}{', ' + key if key in columns else ''} FROM {table}").to_arrow_table()
        mk = tab["__key"].to_numpy()
        n, M, y0, ny = len(self._dd), self._M, self.years[0], self.years[1] - self.years[0] + 1
        if key == "_k" and dkey in ("_k", "_kr"):
            y, a, b = mk // 1_000_000 - y0, (mk // 1000) % 1000, mk % 1000
            if dkey == "_kr":
                a, b = b, a
            ok = (y >= 0) & (y < ny) & (a < M) & (b < M)
            rows = np.full(len(mk), -1, dtype=np.int64)
            rows[ok] = self._pairmap[(y[ok] * M + a[ok]) * M + b[ok]]
            inv = np.full(n, -1, dtype=np.int64)
            hit = rows >= 0
            inv[rows[hit]] = np.flatnonzero(hit)
            if np.count_nonzero(inv >= 0) != np.count_nonzero(hit):     # two rows for one dyad-year: a verb's bug
                raise MultipolarError(f"internal: {table} is not unique per dyad-year "
                                      f"({int(np.count_nonzero(hit) - np.count_nonzero(inv >= 0))} duplicated keys)")
        elif key == "_ks" and dkey in ("_ka", "_kb"):
            y, i = mk // 1000 - y0, mk % 1000
            ok = (y >= 0) & (y < ny) & (i < M)
            smap = np.full(ny * M, -1, dtype=np.int64)
            smap[y[ok] * M + i[ok]] = np.flatnonzero(ok)
            if np.count_nonzero(smap >= 0) != np.count_nonzero(ok):
                raise MultipolarError(f"internal: {table} is not unique per state-year")
            inv = smap[self._dy * M + (self._da if dkey == "_ka" else self._db)]
        else:
            raise MultipolarError(f"internal: cannot align {table}.{key} on d.{dkey}")
        miss = inv < 0
        invc = np.where(miss, 0, inv)
        idx = pa.array(invc, mask=miss)

        def gather(c):
            col = tab[c].combine_chunks() if len(mk) else pa.nulls(0, type=tab.schema.field(c).type)
            t = col.type
            if not len(mk):
                return pa.nulls(n, type=t)
            if pa.types.is_floating(t) or pa.types.is_integer(t) or pa.types.is_boolean(t):
                valid = np.ones(len(col), dtype=bool) if col.null_count == 0 else col.is_valid().to_numpy(zero_copy_only=False)
                vals = col.fill_null(False if pa.types.is_boolean(t) else 0).to_numpy(zero_copy_only=False)
                g = vals[invc]
                mask = miss | ~valid[invc]
                if pa.types.is_floating(t):
                    mask |= np.isnan(g)
                return pa.array(g, type=t, mask=mask)
            if pa.types.is_string(t) or pa.types.is_large_string(t):
                col = col.dictionary_encode()          # few distinct texts: gather the codes, not the strings
            return col.take(idx)
        return pa.table(dict(zip(columns, self._pool().map(gather, columns))))

    def _pool(self):
        """Two threads for the column gathers (numpy and Arrow release the GIL)."""
        if not hasattr(self, "_threads"):
            from concurrent.futures import ThreadPoolExecutor
            self._threads = ThreadPoolExecutor(2)
        return self._threads

    # -- out ---------------------------------------------------------------------------------
    def __len__(self):
        return self.n

    def to_pandas(self, columns: list[str] | None = None, extra: dict[str, str] | None = None) -> pd.DataFrame:
        """The table as a DataFrame; ``columns``: only these (keys always first); ``extra``: more
        columns as SQL expressions over the table's columns (name -> expression)."""
        self.materialise()
        keys = ["code_a", "code_b", "year"]
        cols = keys + [c for c in (columns if columns is not None else self.columns) if c not in keys]
        unknown = [c for c in cols if c not in self.columns]
        if unknown:
            raise InputError(f"no such dyad column(s): {', '.join(unknown)}; see `multipolar dyads --codebook`")
        sel = ", ".join([f'"{c}"' for c in cols] + [f"{e} AS \"{n}\"" for n, e in (extra or {}).items()])
        # through Arrow, text as categoricals (a fraction of the time and memory of Python strings);
        # the state codes as plain strings, so that they compare and sort as codes
        out = self.con.sql(f"SELECT {sel} FROM wide").to_arrow_table().to_pandas(strings_to_categorical=True)
        for c in ("code_a", "code_b"):
            out[c] = out[c].astype(object)
        return out

    def close(self):
        """Release the connection and the aligned columns (the table can no longer be read)."""
        for a in ("_aligned", "_dd", "_pairmap"):
            self.__dict__.pop(a, None)
        if hasattr(self, "_threads"):
            self._threads.shutdown()
            del self._threads
        try:
            self.con.close()
        except Exception:      # noqa: BLE001 - already closed
            pass

    def coverage(self) -> pd.DataFrame:
        """Share of rows with a value, per column and year (missing stays missing; this shows where)."""
        cols = [c for c in self.columns if c not in ("code_a", "code_b", "year")]
        sel = ", ".join(f"avg(CASE WHEN \"{c}\" IS NULL THEN 0 ELSE 1 END) AS \"{c}\"" for c in cols)
        self.materialise()
        wide = self.con.execute(f"SELECT year, {sel} FROM wide GROUP BY year ORDER BY year").df()
        return wide.melt(id_vars="year", var_name="column", value_name="share_with_data")

    def coverage_sources(self) -> pd.DataFrame:
        """Each source's observed years in this table and what a missing pair means there."""
        return pd.DataFrame([vars(c) for c in self.coverage_log.values()],
                            columns=["family", "source", "first_year", "last_year", "rule", "columns", "carried_to"])

    def codebook(self) -> pd.DataFrame:
        """One row per column of the table: name, dimension, unit, source and coverage rule."""
        return pd.DataFrame([vars(c) for c in self.columns.values()], columns=["name", "dimension", "unit", "source", "coverage"])

    def write(self, path, fmt: str | None = None) -> Path:
        """Parquet, CSV or Stata .dta (format from ``fmt`` or the file suffix)."""
        path = Path(path)
        fmt = (fmt or path.suffix.lstrip(".")).lower()
        if fmt not in ("parquet", "csv", "dta", "stata"):
            raise InputError(f"{path}: unknown format {fmt!r}; use parquet, csv or dta")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.materialise()
        q = "SELECT * FROM wide"      # sorted by year, code_a, code_b by construction (see materialise)
        target = str(path).replace("'", "''")
        if fmt == "parquet":
            self._x(f"COPY ({q}) TO '{target}' (FORMAT PARQUET, COMPRESSION zstd)")
        elif fmt == "csv":
            self._x(f"COPY ({q}) TO '{target}' (HEADER, DELIMITER ',')")
        else:
            from ...stata import write_dta
            # Stata names have at most 32 characters: a documented short form, the full name in the label
            write_dta(self.to_pandas(), path, labels={c: str(self.columns[c].unit) for c in self.columns}, short=stata_name)
        return path

    to_parquet = write

    def to_csv(self, path):
        """Write the table to ``path`` as CSV (see :meth:`write`)."""
        return self.write(path, "csv")

    def to_stata(self, path):
        """Write the table to ``path`` as Stata .dta, names shortened to 32 characters (see :meth:`write`)."""
        return self.write(path, "dta")
