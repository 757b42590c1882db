"""What the dashboard serves: read from the warehouse (or the embedded snapshot) when first needed,
kept in memory, and read again when the warehouse changes.

Start-up reads nothing heavy, so the port opens at once. The data come in *parts*, each built on
its first use and then answered from memory (a request touches only its own rows):

* ``measures``: the dyad-year measures of every year (one numpy array per column, with row indexes
  by state, by (state, year) and by pair), the basis and the years covered;
* ``edges``: the signed relations of every pair (for triangles);
* ``blocs``: the ideal-point blocs of every year with a full UN session;
* ``poles``, ``scoreboard``, ``provenance``;
* the stored ``scenarios`` (``multipolar simulate``), apart: they change on their own.

Concurrent requests for a part that is being built wait for that one build. A build that fails for
want of data is remembered (the same answer until the warehouse changes).

Freshness: :meth:`Store.due` (per request, at most every ``check_interval`` seconds) compares the
warehouse file's and its write-ahead log's stat with the last seen; when they differ,
:meth:`Store.refresh` opens the file read-only for a moment and reads its *fingerprint*: the tables
with their row counts, the ``_imports`` log (count, last import id) and every small ``*_runs``
table whole. A new scenario run drops the scenarios (read again by the next request: they are
small). Any other change builds a new :class:`Version` of the parts in use in the background while
the old one goes on answering, then swaps them in one step. DuckDB lets no reader in while a writer
holds the file, and a reader sees only committed transactions (an import commits per file), so a
half-written state is never read: a warehouse that is locked is simply checked again later.
"""
from __future__ import annotations

import json
import logging
import math
from collections import Counter
import os
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

from ..actors.registry import registry, state_name
from ..errors import InputError, MultipolarError, WarehouseError
from ..provenance import provenance

log = logging.getLogger("multipolar.web")

MAX_YEARS = 100
#: the columns the API hands out
API_COLUMNS = ["year", "code_b", "closeness", "closeness_lo", "closeness_hi", "closeness_n_dims", "score_values", "score_people",
               "score_economy", "score_institutions", "score_interaction", "relation_type", "relation_evidence", "dependence_a_on_b",
               "dependence_b_on_a", "energy_minerals_exports_a_to_b_kusd", "energy_minerals_exports_b_to_a_kusd", "visa_openness_b_for_a"]
#: the parts that rest on the warehouse's data, in the order a warm-up builds them
DATA_PARTS = ("measures", "blocs", "edges", "poles", "scoreboard", "provenance")
#: a ``*_runs`` table up to this many rows is read whole for the fingerprint
SMALL_TABLE = 2000
BUSY = object()


def clean(v):
    """A JSON-ready Python value: NaN and NA become None, floats are rounded to 4 decimals."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float):
        return None if math.isnan(v) or math.isinf(v) else round(v, 4)
    if isinstance(v, (np.floating,)):
        return clean(float(v))
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def records(df: pd.DataFrame, cols: list[str] | None = None) -> list[dict]:
    """The rows of ``df`` (its ``cols``) as dicts of JSON values (missing values as None)."""
    cols = cols or list(df.columns)
    return [{c: clean(v) for c, v in zip(cols, row)} for row in df[cols].itertuples(index=False, name=None)]


def parse_years(s: str | None, first: int, last: int, default: tuple[int, int]) -> tuple[int, int]:
    """The year range of the request parameter ``s`` ('2019' or '1991:2024') within [first, last], or
    ``default``."""
    from ..years import parse_years as one_parser
    rng = one_parser(s)
    if rng is None:
        return default
    y0, y1 = rng
    if not (first <= y0 <= y1 <= last):
        raise InputError(f"years: {s!r} is outside the data ({first}-{last}) or reversed")
    if y1 - y0 + 1 > MAX_YEARS:
        raise InputError(f"years: at most {MAX_YEARS} years per request")
    return y0, y1


def release_memory() -> None:
    """Collect cycles and give the freed heap back to the system (glibc's ``malloc_trim``): reading
    the measures peaks at several times what is kept, and a rebuild frees a whole version."""
    import gc
    gc.collect()
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):          # not glibc: the memory is reused by the process all the same
        pass


# -- the warehouse's state -------------------------------------------------------------------------
def file_stat(path: Path) -> tuple:
    """The warehouse file's and its write-ahead log's (inode, size, mtime): cheap, changes with every commit."""
    out = []
    for p in (path, path.with_name(path.name + ".wal")):
        try:
            s = os.stat(p)
            out.append((s.st_ino, s.st_size, s.st_mtime_ns))
        except OSError:
            out.append(None)
    return tuple(out)


def fingerprint(path: Path):
    """``(data, scenarios)``: what the warehouse holds, read in one short read-only connection;
    :data:`BUSY` while a writer holds the file. ``("none", None)`` when there is no warehouse file
    (the embedded snapshot is served)."""
    import duckdb

    from ..warehouse import is_lock_error
    if not path.exists():
        return ("none", None)
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as e:
        if is_lock_error(e):
            return BUSY
        raise WarehouseError(f"cannot read the warehouse {path}: {e}. What to do: give a DuckDB warehouse made by "
                             f"`multipolar data import` with --db, or leave --db out for the default one") from None
    except duckdb.Error as e:
        raise WarehouseError(f"cannot read the warehouse {path}: {e}. What to do: give a DuckDB warehouse made by "
                             f"`multipolar data import` with --db, or leave --db out for the default one") from None
    try:
        tables = con.execute("SELECT table_name, estimated_size, column_count FROM duckdb_tables() "
                             "WHERE schema_name = 'main' ORDER BY table_name").fetchall()
        names = {t[0] for t in tables}
        imports = (con.execute("SELECT count(*), max(import_id), count(*) FILTER (WHERE superseded) FROM _imports").fetchone()
                   if "_imports" in names else None)
        runs = {}
        for name, size, _ in tables:
            if name.endswith("_runs") and size <= SMALL_TABLE:
                runs[name] = tuple(con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall())
    finally:
        con.close()
    data = (tuple(t for t in tables if not t[0].startswith("scenario_")), imports,
            tuple((k, v) for k, v in sorted(runs.items()) if not k.startswith("scenario_")))
    scenarios = (tuple(t for t in tables if t[0].startswith("scenario_")), runs.get("scenario_runs"))
    return data, scenarios


def read_scenarios(db) -> tuple:
    """(runs, results, diversion) as `multipolar simulate` stored them, or three Nones; the three
    tables read in one connection (no writer can come in between: it would need the file to itself)."""
    from ..warehouse import Warehouse
    with Warehouse(db).connect() as con:
        names = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}
        if not {"scenario_runs", "scenario_results", "scenario_diversion"} <= names:
            return None, None, None
        return tuple(con.execute(f"SELECT * FROM {t}").df() for t in ("scenario_runs", "scenario_results", "scenario_diversion"))


# -- the parts -------------------------------------------------------------------------------------
class Measures:
    """The dyad-year measures of every year, held as one numpy array per column with row indexes."""

    def __init__(self, dy: pd.DataFrame):
        from ..relations import GATE, covered_years
        self.basis = dy.attrs.get("basis", "")
        self.notes = list(dy.attrs.get("notes", []))
        cov = covered_years(dy)
        ok = cov[cov["covered"]]
        if ok.empty:
            raise MultipolarError(f"no year has dyads with {GATE}; import data first (`multipolar data import`)")
        self.first, self.latest, self.last = int(dy["year"].min()), int(ok.index.max()), int(dy["year"].max())
        dy = dy.sort_values(["code_a", "code_b", "year"]).reset_index(drop=True)
        self.dy = dy
        # one plain array per column (object arrays for text, their missing values as None), and row indexes
        self.col = {}
        for c in API_COLUMNS:
            if dy[c].dtype.kind in "fiub":
                self.col[c] = dy[c].to_numpy()
            else:
                a = dy[c].astype(object).to_numpy(copy=True)
                a[pd.isna(a)] = None
                self.col[c] = a
        self.kind = {c: a.dtype.kind for c, a in self.col.items()}
        self.by_a = {c: np.asarray(ix) for c, ix in dy.groupby("code_a", observed=True).indices.items()}
        self.by_a_year = {(c, int(y)): np.asarray(ix) for (c, y), ix in dy.groupby(["code_a", "year"], observed=True).indices.items()}
        self.by_pair = {k: np.asarray(ix) for k, ix in dy.groupby(["code_a", "code_b"], observed=True).indices.items()}
        self.names = {c: state_name(c) for c in set(dy["code_a"].unique())}

    def years(self, s: str | None, default=None) -> tuple[int, int]:
        """The year range asked for in ``s`` (default: the first year to the latest covered one)."""
        return parse_years(s, self.first, self.last, default or (self.first, self.latest))

    def name(self, code: str) -> str:
        """The name of the state ``code``."""
        n = self.names.get(code)
        return n if n is not None else state_name(code)

    def take(self, ix: np.ndarray, columns: list[str]) -> list[dict]:
        """The rows ``ix`` as JSON-ready dicts (what :func:`clean` gives, a column at a time)."""
        cols = []
        for c in columns:
            vals = self.col[c][ix].tolist()
            if self.kind[c] == "f":                 # NaN and inf to None (x - x is 0 only for finite x), 4 decimals
                vals = [round(x, 4) if x - x == 0 else None for x in vals]
            cols.append(vals)
        return [dict(zip(columns, row)) for row in zip(*cols)]

    def partners(self, code: str, year: int, limit: int) -> tuple[list[dict], dict]:
        """The partners of ``code`` in ``year``, closest first (at most ``limit``), and the counts by relation
        type."""
        ix = self.by_a_year.get((code, year))
        if ix is None:
            return [], {}
        close = self.col["closeness"][ix]
        ix = ix[~np.isnan(close)]
        order = ix[np.argsort(-self.col["closeness"][ix], kind="stable")]
        types = Counter(self.col["relation_type"][ix].tolist())
        rows = self.take(order[:limit], ["code_b", "relation_type", "closeness", "dependence_a_on_b", "dependence_b_on_a",
                                         "energy_minerals_exports_a_to_b_kusd", "energy_minerals_exports_b_to_a_kusd", "visa_openness_b_for_a"])
        for r in rows:
            r["name"] = self.name(r["code_b"])
        return rows, {t: n for t, n in sorted(types.items()) if t is not None}

    def years_of(self, code: str) -> list[int]:
        """The years in which ``code`` has a closeness with some partner."""
        ix = self.by_a.get(code)
        if ix is None:
            return []
        return sorted(set(self.col["year"][ix][~np.isnan(self.col["closeness"][ix])].tolist()))

    def dyad(self, a: str, b: str, years, columns: list[str]) -> list[dict]:
        """The rows of the pair (a, b) in the ``years`` range, with ``columns``."""
        ix = self.by_pair.get((a, b))
        if ix is None:
            return []
        yr = self.col["year"][ix]
        return self.take(ix[(yr >= years[0]) & (yr <= years[1])], columns)


class Blocs:
    """The ideal-point blocs of every year with a full UN session and both anchors voting."""
    COLUMNS = ["code", "name", "bloc", "probability", "runner_up", "runner_up_probability", "swing"]

    def __init__(self, ip: pd.DataFrame | None, draws: int):
        from ..structure import communities as B
        self.draws = draws
        blocs = pd.DataFrame(columns=["code", "bloc", "probability", "runner_up", "runner_up_probability", "swing", "year"])
        if ip is not None:
            from ..dimensions.values import full_sessions
            years = full_sessions(ip, voting=("USA", "CHN"))
            if years:
                blocs = pd.concat([B.summarise(B.ideal_point_blocs(ip, y, draws=draws)).assign(year=y) for y in years],
                                  ignore_index=True)
        blocs["name"] = blocs["code"].map(state_name)
        self.years = sorted(int(y) for y in blocs["year"].unique())
        self.by_year = {int(y): records(g, self.COLUMNS) for y, g in blocs.groupby("year")}
        self.by_code = {c: records(g.sort_values("year"), ["year", "bloc", "probability"]) for c, g in blocs.groupby("code")}
        #: the same, as JSON (a state's answer splices it in rather than encoding it again)
        self.by_code_json = {c: json.dumps(h, separators=(",", ":"), ensure_ascii=False, allow_nan=False) for c, h in self.by_code.items()}

    def of(self, year: int) -> list[dict]:
        """The blocs of ``year``; a year without them raises naming the years there are."""
        if year not in self.by_year:
            span = f"{self.years[0]}-{self.years[-1]}" if self.years else "none"
            raise InputError(f"year: no ideal-point blocs for {year} (years with a full UN session and both the United States "
                             f"and China voting: {span})")
        return self.by_year[year]

    def history(self, code: str) -> list[dict]:
        """The bloc of ``code`` in every year."""
        return self.by_code.get(code, [])

    def history_json(self, code: str) -> str:
        """The bloc history of ``code``, as JSON text."""
        return self.by_code_json.get(code, "[]")


class Version:
    """One state of the warehouse's data (its ``fingerprint``): each part built on first use, once;
    requests that need a part being built wait for that build."""

    def __init__(self, db, draws: int, fingerprint=None):
        import datetime as dt
        self.db, self.draws, self.fingerprint = db, draws, fingerprint
        #: when this version of the data began to be read (UTC)
        self.read_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        self._values: dict = {}
        self._errors: dict = {}
        self._locks = {p: threading.Lock() for p in DATA_PARTS}
        self._touched: set = set()
        self.seconds: dict = {}
        self._robust: dict = {}
        self._robust_lock = threading.Lock()

    def ready(self, part: str):
        """The part if built, else None (never waits)."""
        return self._values.get(part)

    def touched(self) -> list[str]:
        """The parts built, being built or failed: those a newer version builds again."""
        return [p for p in DATA_PARTS if p in self._touched]

    def get(self, part: str):
        """The part ``part`` of this version of the data, built on first use (one build per part at a time; a
        failed build's error is kept)."""
        v = self._values.get(part)
        if v is not None:
            return v
        self._touched.add(part)
        with self._locks[part]:
            if part in self._values:
                return self._values[part]
            if part in self._errors:
                raise self._errors[part]
            t0 = time.perf_counter()
            try:
                v = getattr(self, "_build_" + part)()
            except WarehouseError:      # locked for too long: try again on the next request
                raise
            except MultipolarError as e:
                self._errors[part] = e
                raise
            self.seconds[part] = round(time.perf_counter() - t0, 2)
            log.info("dashboard: %s read in %.1f s", part, self.seconds[part])
            self._values[part] = v
            return v

    async def aget(self, part: str):
        """:meth:`get` for a coroutine: a part being built is waited for in a worker thread, never on the event loop."""
        v = self._values.get(part)
        if v is not None:
            return v
        import anyio
        return await anyio.to_thread.run_sync(self.get, part)

    def robustness(self, year: int) -> dict:
        """The robustness view of ``year`` (:mod:`multipolar.structure.robustness`), computed on first
        request (a few seconds: one small fit per variant) and kept with this version of the data."""
        with self._robust_lock:
            if year in self._robust:
                return self._robust[year]
            from ..structure.robustness import robustness
            st, yt, vt = robustness(str(year), self.db, draws=self.draws)
            st = st.assign(name=st["code"].map(state_name))
            out = {"year": year, "summary": records(yt, list(yt.columns))[0],
                   "variants": records(vt, [c for c in ("variant", "votes", "window", "roll_calls", "states", "n_US-leaning", "n_nonaligned",
                                                        "n_China-leaning", "values_F", "note") if c in vt.columns]),
                   "states": records(st.sort_values(["depends_on_votes", "share_same"], ascending=[False, True]),
                                     ["code", "name", "bloc", "probability", "n_variants", "n_changes", "blocs_seen", "share_same",
                                      "depends_on_votes"]),
                   "notes": list(st.attrs.get("notes", []))}
            self._robust[year] = out
            return out

    # -- builders ----------------------------------------------------------------------------
    def _build_measures(self) -> Measures:
        import datetime as dt

        from ..relations.measures import measures
        from ..warehouse import Warehouse, retry_locked
        dy = retry_locked(measures, f"1946:{dt.date.today().year}", None, self.db, db_path=Warehouse(self.db).path)
        return Measures(dy)

    def _build_edges(self) -> dict:
        from ..structure import SERIES_ALIASES, triangles
        dy = self.get("measures").dy
        # signed relations of every pair (the USSR's as Russia's, and so on)
        extra = ["closeness_lo", "closeness_hi"] + [f"score_{k}" for k in triangles.SCORES]      # as `multipolar triangle` signs them
        sg = dy[["code_a", "code_b", "year", "closeness", "relation_type"] + [c for c in extra if c in dy]].copy()
        for c in ("code_a", "code_b"):
            sg[c] = sg[c].replace(SERIES_ALIASES)
        return triangles.edges(triangles.signs(sg[sg["code_a"] != sg["code_b"]]))

    def _build_blocs(self) -> Blocs:
        from ..dimensions.values import stored_ideal_points
        return Blocs(stored_ideal_points(self.db), self.draws)

    def _build_poles(self) -> list[dict]:
        from .. import structure as S
        return records(S.poles(f"1946:{self.get('measures').latest}", self.db),
                       ["year", "enp_cinc", "enp_gdp", "polarity", "reading", "leader", "runner_up_ratio", "gp_effective_n",
                        "gp_concentration", "gp_leader_share", "runner_up", "great_powers"])

    def _build_scoreboard(self) -> pd.DataFrame:
        from .. import structure as S
        m = self.get("measures")
        y0 = max(1991, m.first)
        return S.trends(f"{y0}:{m.latest}", self.db, dy=m.dy[m.dy["year"] >= y0])

    def _build_provenance(self):
        return provenance(self.db)


class Store:
    """The dashboard's data, read lazily and kept current (see the module's doc)."""

    def __init__(self, db=None, draws: int = 100, check_interval: float = 1.0, settle: float = 3.0):
        from ..warehouse import Warehouse
        self.db = db
        self.path = Warehouse(db).path
        self.draws = draws
        self.check_interval = check_interval
        self.settle = settle
        #: bumped whenever what the store answers changes (the response cache keys on it)
        self.generation = 0
        self._lock = threading.RLock()
        self._version: Version | None = None
        self._wanted = None                 # the latest data fingerprint read
        self._rebuilding = False
        self._stat = None
        self._next_check = 0.0
        self._refreshing = threading.Lock()
        self._scen_fp = None
        self._scen = None
        self._scen_lock = threading.Lock()
        self._warm = None
        self._threads: list[threading.Thread] = []
        self.refreshes = 0                   # data versions swapped in since start-up

    # -- versions ----------------------------------------------------------------------------
    def version(self) -> Version:
        """The current version of the data parts (the first call reads the warehouse's fingerprint: milliseconds)."""
        v = self._version
        if v is not None:
            return v
        with self._lock:
            if self._version is None:
                st = file_stat(self.path)
                fp = fingerprint(self.path)
                data = None if fp is BUSY else fp[0]
                if fp is not BUSY:
                    self._stat, self._scen_fp = st, fp[1]
                self._version = Version(self.db, self.draws, data)
                self._wanted = data
            return self._version

    async def aversion(self) -> Version:
        """The current version of the data, awaited without blocking the event loop."""
        v = self._version
        if v is None:
            import anyio
            v = await anyio.to_thread.run_sync(self.version)
        return v

    def get(self, part: str):
        """The part ``part`` of the current version of the data."""
        return self.version().get(part)

    async def aget(self, part: str):
        """The part ``part``, awaited without blocking the event loop."""
        return await (await self.aversion()).aget(part)

    def ready(self, part: str):
        """The part ``part`` when already built, else None (never waits)."""
        v = self._version
        return None if v is None else v.ready(part)

    def warm(self, parts=DATA_PARTS) -> threading.Thread:
        """Build ``parts`` in a background thread (once; the dashboard starts it on the first request)."""
        with self._lock:
            if self._warm is None:
                def run():
                    for p in parts:
                        try:
                            self.get(p)
                        except MultipolarError as e:
                            log.warning("dashboard: %s: %s", p, e)
                        except Exception:           # noqa: BLE001 - a request for the part shows the error
                            log.exception("dashboard: reading %s failed", p)
                    release_memory()                # what the reading used on the way
                self._warm = self._start(run, "multipolar-warm")
            return self._warm

    def _start(self, fn, name: str) -> threading.Thread:
        th = threading.Thread(target=fn, name=name, daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [th]
        th.start()
        return th

    def busy(self) -> bool:
        """True while a background read (the warm-up, a rebuild) is running."""
        return any(t.is_alive() for t in self._threads)

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the background reads to end (at most ``timeout`` s each); True if none is left."""
        for t in list(self._threads):
            t.join(timeout)
        return not self.busy()

    # -- freshness ---------------------------------------------------------------------------
    def due(self) -> bool:
        """Cheap (a stat at most every ``check_interval`` s): has the warehouse file changed since last read?"""
        now = time.monotonic()
        if now < self._next_check:
            return False
        self._next_check = now + self.check_interval
        return self._version is not None and file_stat(self.path) != self._stat

    def refresh(self) -> bool:
        """Read the warehouse's fingerprint and act on a change (see the module's doc). True if
        something changed. Never waits for a writer: a locked warehouse is checked again later.
        A new scenario run is taken at once; other changes start :meth:`_rebuild`."""
        self.version()
        if not self._refreshing.acquire(blocking=False):
            return False
        try:
            st = file_stat(self.path)
            try:
                fp = fingerprint(self.path)
            except WarehouseError as e:
                log.warning("dashboard: %s", e)
                return False
            if fp is BUSY:
                return False
            with self._lock:
                changed = self._take_scenarios(fp[1])
                self._wanted = fp[0]
                if fp[0] == self._version.fingerprint:
                    self._stat = st
                    return changed
                if not self._rebuilding:
                    self._stat = st
                    self._rebuilding = True
                    self._start(self._rebuild, "multipolar-rebuild")
                # else: the stat is left as it was, so this is checked again until the running
                # rebuild has taken the warehouse's latest state
            return True
        finally:
            self._refreshing.release()

    def _take_scenarios(self, scen) -> bool:
        if scen == self._scen_fp:
            return False
        self._scen_fp, self._scen = scen, None
        self._bump()
        return True

    def _quiet(self) -> tuple:
        """Wait until the warehouse file has not changed for ``settle`` seconds (an import commits
        file by file: reading between two of its files would hold the next one up). Its stat."""
        st, since = file_stat(self.path), time.monotonic()
        while time.monotonic() - since < self.settle:
            time.sleep(min(0.25, self.settle))
            now = file_stat(self.path)
            if now != st:
                st, since = now, time.monotonic()
        return st

    def _rebuild(self):
        """Build the parts in use on a new version of the data while the old one answers; then
        swap. Waits first for the warehouse to be quiet, and goes on while it keeps changing."""
        try:
            while True:
                st = self._quiet()
                try:
                    fp = fingerprint(self.path)
                except WarehouseError as e:
                    log.warning("dashboard: %s", e)
                    return
                if fp is BUSY:
                    continue
                with self._lock:
                    self._stat = st
                    self._take_scenarios(fp[1])
                    want, old = fp[0], self._version
                    self._wanted = want
                    if want == old.fingerprint:
                        self._rebuilding = False
                        return
                    parts = old.touched()
                    del old
                new = Version(self.db, self.draws, want)
                for p in parts:
                    try:
                        new.get(p)
                    except MultipolarError as e:
                        log.warning("dashboard: %s: %s", p, e)
                    except Exception:                   # noqa: BLE001 - logged; a request for the part shows it
                        log.exception("dashboard: reading %s again failed", p)
                with self._lock:
                    self._version = new
                    self.refreshes += 1
                    self._bump()
                del new
                log.info("dashboard: the warehouse changed; %s read again", ", ".join(parts) or "nothing")
                release_memory()                    # the old version's
        finally:
            with self._lock:
                self._rebuilding = False

    def _bump(self):
        self.generation += 1

    # -- the stored scenarios ------------------------------------------------------------------
    def scenarios(self):
        """(runs, results, diversion) of the stored simulations, or (None, None, None)."""
        s = self._scen
        if s is not None:
            return s
        self.version()
        with self._scen_lock:
            if self._scen is None:
                self._scen = read_scenarios(self.db)
            return self._scen

    # -- validation ----------------------------------------------------------------------------
    def code(self, s: str, field: str = "code") -> str:
        """The multipolar code of ``s``; a state the registry does not know raises :class:`InputError` for
        ``field``."""
        try:
            return registry().resolve(s)
        except MultipolarError as e:
            raise InputError(f"{field}: {e}") from None


def triangle_rows(edges: dict, a: str, b: str, c: str, y0: int, y1: int) -> tuple[list[str], list[dict]]:
    """The triangle's states (predecessors named as successors) and its rows per year
    (:func:`multipolar.structure.triangles.triangle_rows`) from the ``edges`` part."""
    from ..structure import SERIES_ALIASES, triangles
    a, b, c = (SERIES_ALIASES.get(x, x) for x in (a, b, c))
    return [a, b, c], triangles.triangle_rows(edges, a, b, c, (y0, y1))
