"""The warehouse: one DuckDB file holding every imported dataset, with provenance.

Guarantees
----------
* **Provenance.** Every import records source, layout, version, file name and sha256, rows
  read / kept / rejected (with the reasons), years, countries and time (table ``_imports``).
* **Atomic per file.** A file is parsed and validated *before* the warehouse is opened for writing;
  its write is one DuckDB transaction. An error or a kill before that file's ``COMMIT`` leaves the
  warehouse as it was before that file (DuckDB's write-ahead log discards uncommitted work). A folder
  is imported file by file, each committed on its own: a folder import that is killed keeps every
  file whose write had committed (each whole, with its ``_imports`` row) and loses only the file it
  was writing; running it again skips the files already imported (same sha256) and does the rest.
* **Idempotent.** A file whose sha256 was already imported for the same source is skipped.
  A dataset imported again, from the same or another format (the CSV and the ``.rda`` of one
  table), *replaces* the rows it covers: whole tables, or the partitions (years, snapshots,
  sessions) that the new file holds. Rows are never duplicated.
* **Readers are not locked out by an import.** DuckDB lets one process write a database file, and
  no other process open it meanwhile, not even read-only. An import therefore takes the write lock
  only for each file's own transaction (open, write, commit, close), never for a whole folder.
  A reader (``Warehouse.connect``, ``Warehouse.attach``, :func:`retry_locked`) that meets the lock
  retries for up to :data:`LOCK_WAIT` seconds (``MULTIPOLAR_LOCK_WAIT``) and leaves a mark that it is
  waiting, so that the import lets it in between two files; the import in turn waits for readers
  (up to :data:`WRITE_WAIT` seconds) before each file's write. Whoever gives up says what to do.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from .config import default_db_path
from .errors import InputError, MultipolarError, WarehouseError, printable

IMPORTS_DDL = """
CREATE TABLE IF NOT EXISTS _imports (
    import_id    BIGINT,
    source       VARCHAR,
    layout       VARCHAR,
    version      VARCHAR,
    file_name    VARCHAR,
    file_path    VARCHAR,
    sha256       VARCHAR,
    bytes        BIGINT,
    tables       VARCHAR,   -- JSON list
    partitions   VARCHAR,   -- JSON {table: [partition values]} or null
    rows_read    BIGINT,
    rows_kept    BIGINT,
    rows_rejected BIGINT,
    rejected     VARCHAR,   -- JSON {reason: count}
    year_min     INTEGER,
    year_max     INTEGER,
    n_countries  INTEGER,
    notes        VARCHAR,
    seconds      DOUBLE,
    imported_at  TIMESTAMP,
    superseded   BOOLEAN,
    precedence   INTEGER    -- how the file ranks against other files of its tables (see PRECEDENCE)
)
"""
IMPORT_COLUMNS = ["import_id", "source", "layout", "version", "file_name", "file_path", "sha256", "bytes", "tables", "partitions",
                  "rows_read", "rows_kept", "rows_rejected", "rejected", "year_min", "year_max", "n_countries", "notes", "seconds",
                  "imported_at", "superseded", "precedence"]


def sha256_file(path: Path) -> str:
    """The SHA-256 of the file's bytes, as hex."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class ImportReport:
    file: str
    source: str | None
    status: str                   # imported, unchanged, skipped, error
    message: str = ""
    rows_read: int = 0
    rows_kept: int = 0
    rejected: dict = field(default_factory=dict)
    tables: list = field(default_factory=list)
    seconds: float = 0.0
    changes: list = field(default_factory=list)     # per table: what the import did to it (see Plan.describe)


#: how long a reader waits for an import's write lock (seconds; ``MULTIPOLAR_LOCK_WAIT`` overrides). A folder
#: import holds the lock for one file at a time: on the shared folder at most 1.2 s (the Passport Index panel).
LOCK_WAIT = 60.0
#: how long a write (an import's file, stored results) waits for readers to let go of the file (seconds)
WRITE_WAIT = 600.0
#: how often a waiting process tries the lock again (seconds)
LOCK_POLL = 0.05
#: a writer that is about to take the lock lets waiting readers in first when one of them marked the
#: file this recently (seconds)
WAITING_FRESH = 1.0


def lock_wait() -> float:
    """How long a reader waits for an import's write lock: ``MULTIPOLAR_LOCK_WAIT`` seconds, else
    :data:`LOCK_WAIT`."""
    v = os.environ.get("MULTIPOLAR_LOCK_WAIT")
    if not v:
        return LOCK_WAIT
    try:
        return max(0.0, float(v))
    except ValueError:
        raise InputError(f"MULTIPOLAR_LOCK_WAIT={v!r} is not a number of seconds", expected="e.g. 120",
                         hint="unset it for the default of 60 s") from None


def is_lock_error(e: BaseException) -> bool:
    """True for DuckDB's error when another process holds the database file's lock."""
    return isinstance(e, duckdb.IOException) and "lock" in str(e).lower()


def _waiting_mark(path: Path) -> Path:
    return path.with_name(path.name + ".readers-waiting")


def _mark_waiting(path: Path) -> None:
    try:
        _waiting_mark(path).touch()
    except OSError:          # a read-only folder: the writer just won't know; the reader still retries
        pass


def _unmark_waiting(path: Path) -> None:
    try:
        _waiting_mark(path).unlink()
    except OSError:
        pass


def _readers_waiting(path: Path) -> bool:
    try:
        return time.time() - _waiting_mark(path).stat().st_mtime < WAITING_FRESH
    except OSError:
        return False


def _locked_message(path: Path, waited: float, e: BaseException, reading: bool) -> str:
    if reading:
        return (f"the warehouse {path} stayed locked for {waited:.0f} s: another process is writing to it (a `multipolar data import` "
                f"writes one file at a time and lets readers in between files; one file's write should take seconds). "
                f"What to do: run the command again when that process has finished (`ps` shows it), or wait longer by setting "
                f"MULTIPOLAR_LOCK_WAIT (seconds, now {lock_wait():.0f}). DuckDB said: {e}")
    return (f"cannot write to the warehouse {path}: other processes kept it open for {waited:.0f} s (a report, a dashboard or another "
            f"import reading or writing it). What to do: wait for them to finish or stop them, then run the command again "
            f"(the files already imported are skipped). DuckDB said: {e}")


def retry_locked(fn, *args, wait: float | None = None, db_path=None, **kwargs):
    """``fn(*args, **kwargs)``, run again while it fails because an import holds the warehouse's
    write lock (a reader that opens the file itself, e.g. by ``ATTACH``), for up to ``wait``
    seconds (default :func:`lock_wait`); then a :class:`WarehouseError` that says what to do.
    ``fn`` must only read (it may run more than once)."""
    wait = lock_wait() if wait is None else wait
    t0 = time.monotonic()
    path = Path(db_path) if db_path else default_db_path()
    waited = False
    while True:
        try:
            out = fn(*args, **kwargs)
            if waited:
                _unmark_waiting(path)
            return out
        except duckdb.IOException as e:
            if not is_lock_error(e):
                raise
            waited = True
            if time.monotonic() - t0 >= wait:
                _unmark_waiting(path)
                raise WarehouseError(_locked_message(path, time.monotonic() - t0, e, reading=True)) from None
            _mark_waiting(path)
            time.sleep(LOCK_POLL)


CODE_COLUMNS = ("code", "code_a", "code_b", "code1", "code2", "exporter", "importer", "passport", "destination",
                "origin", "source_code", "target_code", "supplier", "recipient", "reporter", "partner", "code_o", "code_d",
                "supplier_code", "recipient_code")


class Warehouse:
    """A DuckDB warehouse file. ``Warehouse()`` opens the default one (``MULTIPOLAR_DB``)."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else default_db_path()

    # ---- connections ----------------------------------------------------------------------
    @contextmanager
    def connect(self, read_only: bool = True, wait: float | None = None):
        """A connection to the warehouse file, closed when the block ends. A reader (``read_only``)
        that meets an import's write lock retries for up to ``wait`` seconds (default
        :func:`lock_wait`, 60); a writer waits for readers up to :data:`WRITE_WAIT` and lets waiting
        readers in first. Either gives a :class:`WarehouseError` saying what to do when it gives up."""
        if read_only and not self.path.exists():
            con = duckdb.connect(":memory:")
            con.execute(IMPORTS_DDL)
            try:
                yield con
            finally:
                con.close()
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = self._open(read_only, wait)
        try:
            if not read_only:
                con.execute(IMPORTS_DDL)
                con.execute("ALTER TABLE _imports ADD COLUMN IF NOT EXISTS precedence INTEGER")   # warehouses written before it
            yield con
        finally:
            con.close()

    def _open(self, read_only: bool, wait: float | None = None):
        wait = (lock_wait() if read_only else WRITE_WAIT) if wait is None else wait
        t0 = time.monotonic()
        if not read_only:
            # a reader is waiting for the lock (it marked the file): let it in before taking the lock again;
            # the loop below then waits while it reads
            t_yield = time.monotonic() + 3 * WAITING_FRESH
            while _readers_waiting(self.path) and time.monotonic() < t_yield:
                time.sleep(2 * LOCK_POLL)
        waited = False
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=read_only and self.path.exists())
                if waited and read_only:
                    _unmark_waiting(self.path)
                return con
            except duckdb.IOException as e:
                waited = True
                if not is_lock_error(e):
                    raise WarehouseError(f"cannot open the warehouse {self.path}: {e}") from None
                if time.monotonic() - t0 >= wait:
                    if read_only:
                        _unmark_waiting(self.path)
                    raise WarehouseError(_locked_message(self.path, time.monotonic() - t0, e, reading=read_only)) from None
                if read_only:
                    _mark_waiting(self.path)
                time.sleep(LOCK_POLL)

    def attach(self, con, alias: str = "w", wait: float | None = None) -> None:
        """``ATTACH`` the warehouse read-only to the connection ``con`` under ``alias``, retrying like
        :meth:`connect` while an import holds the write lock. (The attachment keeps a read lock:
        imports wait until it is detached or ``con`` is closed.)"""
        path = str(self.path).replace("'", "''")
        retry_locked(lambda: con.execute(f"ATTACH '{path}' AS {alias} (READ_ONLY)").fetchall(), wait=wait, db_path=self.path)

    @contextmanager
    def transaction(self):
        """A write connection inside one transaction: committed when the block ends, rolled back
        (the warehouse left as it was) when it raises."""
        with self.connect(read_only=False) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise

    def tables(self) -> list[str]:
        """The warehouse's tables, by name."""
        with self.connect() as con:
            return [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema='main' ORDER BY 1").fetchall()]

    def has(self, table: str) -> bool:
        """True when the warehouse holds ``table``."""
        return table in self.tables()

    def query(self, sql: str, params=None) -> pd.DataFrame:
        """The result of ``sql`` (with ``params``) as a data frame, on a read-only connection."""
        with self.connect() as con:
            return con.execute(sql, params or []).df()

    def table(self, name: str, columns: list[str] | None = None, where: str | None = None) -> pd.DataFrame:
        """The table ``name`` (its ``columns``, the rows ``where`` holds); a missing table raises saying what
        to import."""
        if not self.has(name):
            raise WarehouseError(f"the warehouse {self.path} has no table {name!r}. Import its source first: `multipolar data import ...` (see `multipolar data sources`).")
        cols = ", ".join(f'"{c}"' for c in columns) if columns else "*"
        return self.query(f'SELECT {cols} FROM "{name}"' + (f" WHERE {where}" if where else ""))

    def state_year(self) -> pd.DataFrame:
        """The one state-year power query: code, year and what the warehouse holds of cinc, milex
        (COW NMC), gdp_current_usd, population (WDI), gdppc_2011usd and gdp_maddison = gdppc_2011usd x
        pop_thousands x 1000 (Maddison, 2011 PPP $). The sources are outer-joined on (code, year) and
        nothing is filled; a source not imported leaves its columns out (no table: code and year only)."""
        have = set(self.tables())
        parts = []
        if "nmc" in have:
            parts.append(self.query("SELECT code, year, cinc, milex FROM nmc"))
        if "wdi" in have:
            wdi = self.query("SELECT code, year, indicator, value FROM wdi").pivot_table(index=["code", "year"], columns="indicator", values="value").reset_index()
            parts.append(wdi.rename(columns={"NY.GDP.MKTP.CD": "gdp_current_usd", "SP.POP.TOTL": "population"}))
        if "maddison" in have:
            parts.append(self.query("SELECT code, year, gdppc_2011usd, gdppc_2011usd * pop_thousands * 1000 AS gdp_maddison FROM maddison"))
        if not parts:
            return pd.DataFrame(columns=["code", "year"])
        out = parts[0]
        for p in parts[1:]:
            out = out.merge(p, on=["code", "year"], how="outer")
        out.columns.name = None
        return out.sort_values(["code", "year"]).reset_index(drop=True)

    def ibis(self):
        """An ibis connection on the warehouse (read-only), for engine-neutral transformations."""
        import ibis
        return retry_locked(ibis.duckdb.connect, str(self.path), read_only=True, db_path=self.path)

    # ---- import ---------------------------------------------------------------------------
    def import_file(self, path, source: str | None = None, *, force: bool = False, replace: bool = False,
                    options: dict | None = None) -> ImportReport:
        """Import one file: recognise it (or use ``source``), parse and validate it, then write it
        in one transaction. Returns a report; bad input gives status 'error', a guarded replacement
        that would shrink or reshape a table status 'refused' (``replace=True`` lets it through), and
        either changes nothing."""
        path = Path(path)
        known = None if force else self._known_shas()
        job = _parse_job(str(path), source, known)
        return self._finish_job(job, options=options, replace=replace)

    def _known_shas(self) -> dict[str, dict]:
        """sha256 -> the latest import of that file, current or superseded (a file whose rows a later
        import replaced is still a file already imported: importing it again changes nothing unless forced)."""
        if not self.path.exists():
            return {}
        with self.connect() as con:
            df = con.execute("SELECT sha256, source, tables, imported_at, superseded FROM _imports ORDER BY import_id").df()
            existing = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
            columns: dict[str, set] = {}
            for t, c in con.execute("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'").fetchall():
                columns.setdefault(t, set()).add(c)
        out = {}
        for r in df.itertuples(index=False):
            if all(t in existing for t in json.loads(r.tables)):
                out[r.sha256] = {"source": r.source, "tables": r.tables, "imported_at": r.imported_at, "columns": columns,
                                 "superseded": bool(r.superseded)}
        return out

    def _finish_job(self, job: dict, options: dict | None = None, written: set | None = None, replace: bool = False) -> ImportReport:
        if job.get("report") is not None:
            return job["report"]
        from .sources import get_reader
        path = Path(job["path"])
        if written is not None and (job["reader"], job["sha"]) in written:
            return ImportReport(str(path), job["reader"], "unchanged", f"the same file (sha256 {job['sha'][:12]}) was imported just before; nothing changed",
                                tables=list(job["parsed"].tables))
        try:
            rep = self._write(get_reader(job["reader"]), job["layout"], path, job["sha"], job["parsed"], job["t0"],
                              precedence=job.get("precedence", 2), replace=replace,
                              pause=(options or {}).get("_pause_before_commit"), marker=(options or {}).get("_marker"))
        except WarehouseError:
            raise           # the warehouse cannot be opened (held by others): every later file would fail the same way
        except duckdb.InterruptException:
            raise KeyboardInterrupt from None      # Ctrl-C during a DuckDB query: the write was rolled back; stop
        except Refused as e:
            return ImportReport(str(path), job["reader"], "refused", str(e), seconds=time.perf_counter() - job["t0"])
        except InputError as e:
            return ImportReport(str(path), job["reader"], "error", str(e), seconds=time.perf_counter() - job["t0"])
        except Exception as e:
            return ImportReport(str(path), job["reader"], "error",
                                printable(f"the write failed ({type(e).__name__}: {e}); the warehouse is unchanged"),
                                seconds=time.perf_counter() - job["t0"])
        rep.seconds = job["parse_seconds"] + rep.seconds
        if written is not None:
            written.add((job["reader"], job["sha"]))
        return rep

    def import_path(self, path, source: str | None = None, *, force: bool = False, replace: bool = False, progress=None,
                    jobs: int | None = None, options: dict | None = None) -> list[ImportReport]:
        """Import a file, or every file under a folder (recursively, in sorted order).

        Files are parsed in ``jobs`` worker processes (default: the number of CPUs, at most 4; at
        most ``jobs + 1`` parsed files wait in memory) and written one at a time, in order, each in
        its own transaction on its own connection: the write lock is taken for one file's write and
        released at its commit, so other processes can read the warehouse between files, and a killed
        folder import keeps the files already committed. The workers die with this process (kill -9
        included). An interruption (Ctrl-C, or SIGTERM turned into :class:`Interrupted` by the CLI)
        stops the workers, rolls back the file being written and raises :class:`Interrupted` with the
        reports of the files done. ``options`` apply to every file (``_pause_before_commit``: tests only).
        """
        path = Path(path)
        files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")) if path.is_dir() else [path]
        known = None if force else self._known_shas()
        jobs = jobs or min(4, os.cpu_count() or 1)
        out: list[ImportReport] = []
        written: set = set()
        try:
            return self._import_files(files, source, known, jobs, progress, out, written, options, replace=replace)
        except BaseException as e:
            if isinstance(e, (KeyboardInterrupt, Interrupted)):
                raise Interrupted(getattr(e, "signal_name", "SIGINT"), out) from None
            raise

    def _import_files(self, files, source, known, jobs, progress, out, written, options=None, replace=False):
        if jobs <= 1 or len(files) <= 1:
            for f in files:
                job = _parse_job(str(f), source, known)
                out.append(self._finish_job(job, options=options, written=written, replace=replace))
                if progress:
                    progress(f, out[-1])
            return out
        pool = _ParserPool(jobs, source, known)
        try:
            # parsed in the sorted order, at most jobs + 1 ahead of the write (bounded memory), written in that order
            for i, f in enumerate(files):
                job = pool.result(files, i)
                out.append(self._finish_job(job, options=options, written=written, replace=replace))
                if progress:
                    progress(f, out[-1])
        finally:
            pool.stop()
        return out

    def _write(self, reader, layout, path: Path, sha: str, parsed, t0, precedence: int = 2, replace: bool = False,
               pause=None, marker=None) -> ImportReport:
        t_write = time.perf_counter()
        stats_years, stats_codes = _coverage(parsed.tables)
        parts: dict[str, list] = {}
        lines: list[str] = []
        with self.connect(read_only=False) as con:
            con.execute(f"SET memory_limit = '{IMPORT_MEMORY}'")
            con.execute("BEGIN TRANSACTION")
            try:
                existing = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema='main'").fetchall()}
                current = _current_imports(con)
                # plan every table first (a refusal of one refuses the file), then write
                plans = []
                for name, df in parsed.tables.items():
                    # the rows once in DuckDB's own form (a pandas frame is converted again by every query that scans it)
                    con.register("_frame", df)
                    con.execute(f"CREATE TEMP TABLE _new_{len(plans)} AS SELECT * FROM _frame").fetchall()
                    con.unregister("_frame")
                    plans.append(_plan(con, reader, name, f"_new_{len(plans)}", df, parsed.partitions.get(name) or [], name in existing,
                                       current, precedence, replace, path))
                refusals = [p for p in plans if p.refusal]
                if refusals:
                    raise Refused(path, refusals)
                changed = []
                for p in plans:
                    if p.parts is not None:
                        parts[p.table] = p.parts
                    _execute(con, p)
                    lines.append(p.describe())
                    if p.writes:
                        changed.append(p.table)
                if changed:
                    reader.derive(con, changed=changed)
                _bookkeep(con, plans, reader.name, sha)
                next_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM _imports").fetchall()[0][0]
                rejected_n = int(sum(parsed.rejected.values()))
                secs = getattr(parsed, "parse_seconds", 0.0) + time.perf_counter() - t_write
                notes = list(parsed.notes) + [x for p in plans for x in p.notes]
                con.execute(f"INSERT INTO _imports ({', '.join(IMPORT_COLUMNS)}) VALUES ({', '.join('?' * len(IMPORT_COLUMNS))})", [
                    next_id, reader.name, layout, parsed.version, path.name, str(path.resolve()), sha, path.stat().st_size,
                    json.dumps(list(parsed.tables)), json.dumps(parts, default=str) if parts else None,
                    parsed.rows_read, parsed.rows_kept, rejected_n, json.dumps(dict(parsed.rejected)),
                    stats_years[0], stats_years[1], stats_codes, "; ".join(n for n in notes if n) or None, secs,
                    dt.datetime.now(), False, precedence])
                if pause:   # tests only: the kill test kills the process here, before COMMIT; the lock test reads meanwhile
                    if marker:
                        with open(marker, "a") as f:
                            f.write(f"{path.name}\n")
                    time.sleep(float(pause))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return ImportReport(str(path), reader.name, "imported", f"{layout}: " + "; ".join(lines),
                            rows_read=parsed.rows_read, rows_kept=parsed.rows_kept, rejected=dict(parsed.rejected),
                            tables=list(parsed.tables), seconds=time.perf_counter() - t_write,
                            changes=[p.describe() for p in plans])

    # ---- status ---------------------------------------------------------------------------
    def status(self, all_imports: bool = False) -> pd.DataFrame:
        """The import log: one row per file import (the current ones, or with ``all_imports`` the superseded
        too)."""
        with self.connect() as con:
            q = "SELECT * FROM _imports" + ("" if all_imports else " WHERE NOT superseded") + " ORDER BY source, import_id"
            return con.execute(q).df()

    def checksums(self) -> dict[str, tuple]:
        """Every table and view (``_imports`` aside): (rows, a checksum of its rows, a checksum of its columns).
        The row checksum is the sum of DuckDB's hash of each row, so it does not depend on the rows' order
        and counts a repeated row twice; the column checksum covers names, types and order. Two warehouses
        (or one before and after an import) hold the same data when their checksums are equal."""
        out = {}
        with self.connect() as con:
            names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                                               "AND table_name <> '_imports' ORDER BY 1").fetchall()]
            for n in names:
                cols = con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' "
                                   "AND table_name = ? ORDER BY ordinal_position", [n]).fetchall()
                rows, h = con.execute(f'SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM "{n}" AS t').fetchall()[0]
                out[n] = (int(rows), str(h), hashlib.sha256(json.dumps(cols).encode()).hexdigest()[:16])
        return out

    def counts(self) -> dict[str, int]:
        """{table: rows} of every table but the import log."""
        with self.connect() as con:
            names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema='main' AND table_name <> '_imports'").fetchall()]
            return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchall()[0][0] for n in names}


# ---- guarded replacement -----------------------------------------------------------------------
#: an import that replaces rows (a whole table, or the partitions its file covers) is refused, unless the
#: user says ``--replace``, when the rows drop by more than this share, in the whole scope or in any one
#: partition (a revision may drop a few rows; a cut or wrong file drops many)
MAX_ROW_DROP = 0.05
#: what else refuses a replacement (see :func:`_guard`): the years covered shrink at either end; a state
#: covered before is missing; a column of the table is missing from the file; the file has columns that the
#: table and the reader's declared columns do not have; fewer rows than the reader's plausible minimum (1)
GUARD_RULES = ("rows drop by more than 5%, overall or in one partition", "years covered shrink at either end",
               "a state covered before is missing", "a column is lost", "columns the table does not have",
               "fewer rows than the reader's minimum (an empty table)")
#: how files of one table rank where both hold a row (higher wins, whatever the order of the imports):
#: the publisher's native format (an R package's .rda, Stata .dta, Excel) over text (CSV, TSV) over Parquet
#: (here always a third party's conversion). Equal ranks: the later import replaces (a new release).
PRECEDENCE = {3: "publisher's native format (.rda, .dta, Excel)", 2: "text (CSV, TSV)", 1: "Parquet conversion"}
#: DuckDB's memory for one file's write (it spills to disk beyond)
IMPORT_MEMORY = "1GB"


def precedence_of_name(name: str) -> int:
    """The precedence of a file by its name: 3 the publisher's native format, 2 text, 1 Parquet
    (:data:`PRECEDENCE`)."""
    n = str(name).lower()
    if n.endswith((".rda", ".rdata", ".rds", ".dta", ".xls", ".xlsx")):
        return 3
    if n.endswith(".parquet"):
        return 1
    return 2


class Refused(InputError):
    """A guarded replacement that would shrink or reshape a table: nothing was written."""

    def __init__(self, path: Path, plans: list):
        self.plans = plans
        problem = "refused: " + " | ".join(f"{p.table}: {p.refusal}" for p in plans)
        super().__init__(problem, file=str(path),
                         expected="a file at least as complete as what the table holds (rules: " + "; ".join(GUARD_RULES) + ")",
                         hint="check the file (cut short? a sample? another dataset?); if the change is intended, run the "
                              "import again with --replace, which replaces the rows and says what changes")


class Interrupted(BaseException):
    """An import stopped by Ctrl-C or SIGTERM: ``reports`` are the files done before (those 'imported' are
    committed; the file being written was rolled back)."""

    def __init__(self, signal_name: str = "SIGINT", reports: list | None = None):
        super().__init__(signal_name)
        self.signal_name, self.reports = signal_name, list(reports or [])


def _worker_init(parent: int) -> None:
    """In each parser process: die with the parent (PR_SET_PDEATHSIG on Linux, else a thread that polls the
    parent's pid), and leave Ctrl-C and SIGTERM to the parent, which stops the workers itself."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    armed = False
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(1, int(signal.SIGKILL), 0, 0, 0) == 0      # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        armed = False
    if os.getppid() != parent:         # the parent died before the line above
        os._exit(1)
    if not armed:
        import threading

        def watch():
            while True:
                time.sleep(0.5)
                if os.getppid() != parent:
                    os._exit(1)
        threading.Thread(target=watch, daemon=True).start()


class _ParserPool:
    """``jobs`` long-lived parser processes, forked once, each parsing one file at a time and sending the parsed file
    back through its own pipe. No threads and no locks in the parent: stopping it (after the import, on Ctrl-C or
    SIGTERM, or on any error) kills the workers and reaps them, and cannot hang (``concurrent.futures``'
    ProcessPoolExecutor can deadlock in ``shutdown`` once a worker was killed: CPython gh-125451, not fixed in 3.11)."""

    def __init__(self, jobs: int, source, known):
        import multiprocessing as mp
        ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
        self.workers = []
        for _ in range(jobs):
            parent_end, child_end = ctx.Pipe(duplex=True)
            proc = ctx.Process(target=_parser_loop, args=(child_end, os.getpid(), source, known), daemon=True)
            proc.start()
            child_end.close()
            self.workers.append({"proc": proc, "conn": parent_end, "file": None})
        self.sent = 0                           # files handed out so far (in order)
        self.owner: dict[int, dict] = {}        # file index -> the worker parsing it

    def _dispatch(self, files, upto: int) -> None:
        for w in self.workers:
            if self.sent > upto or self.sent >= len(files):
                return
            if w["file"] is None and w["proc"].is_alive():
                try:
                    w["conn"].send(str(files[self.sent]))
                except (BrokenPipeError, OSError):
                    continue
                w["file"] = self.sent
                self.owner[self.sent] = w
                self.sent += 1

    def result(self, files, i: int) -> dict:
        """The parsed job of ``files[i]`` (handing out the next files to idle workers meanwhile)."""
        from multiprocessing.connection import wait
        window = len(self.workers) + 1
        while True:
            self._dispatch(files, i + window)
            w = self.owner.get(i)
            if w is None:                      # no live worker took it: every worker died
                return _dead_worker(files[i], RuntimeError("no parser process is left"))
            wait([w["conn"], w["proc"].sentinel], timeout=1.0)
            if w["conn"].poll():
                try:
                    job = w["conn"].recv()
                except (EOFError, OSError) as e:
                    job = _dead_worker(files[i], e)
            elif not w["proc"].is_alive():
                job = _dead_worker(files[i], RuntimeError(f"exit code {w['proc'].exitcode}"))
            else:
                continue
            w["file"] = None
            del self.owner[i]
            return job

    def stop(self) -> None:
        """Kill the workers and reap them (an idle worker holds nothing; a busy one's file is not needed any more)."""
        for w in self.workers:
            try:
                w["conn"].close()
            except OSError:
                pass
            if w["proc"].is_alive():
                w["proc"].kill()
        for w in self.workers:
            w["proc"].join(timeout=10)
        self.workers = []


def _dead_worker(path, e: BaseException | None = None) -> dict:
    why = f" ({type(e).__name__}: {e})" if e is not None else ""
    return {"path": str(path), "report": ImportReport(str(path), None, "error", printable(
        f"the parser process failed{why}; the warehouse is unchanged"))}


def _parser_loop(conn, parent: int, source, known) -> None:
    """A parser process: read a path, send back its parsed job, until the pipe closes."""
    _worker_init(parent)
    while True:
        try:
            path = conn.recv()
        except (EOFError, OSError):
            return
        try:
            job = _parse_job(path, source, known)
        except Exception as e:          # never leave the parent waiting
            job = _dead_worker(path, e)
        conn.send(job)


@dataclass
class Shape:
    rows: int
    years: tuple | None
    states: set
    columns: list
    per_part: dict


@dataclass
class Plan:
    table: str
    new: str
    action: str                     # create, identical, replace, over, under
    pcols: list
    keys: list
    parts: list | None = None       # partition values the file covers (JSON-normal), None: the whole table
    before: Shape | None = None
    after: Shape | None = None
    precedence: int = 2
    holders: list = field(default_factory=list)
    refusal: str | None = None
    notes: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    replace: bool = False

    @property
    def writes(self) -> bool:
        return self.action in ("create", "replace", "over") or (self.action == "under" and self.counts.get("added", 0) > 0)

    def _scope(self) -> str:
        return "the whole table" if not self.pcols else f"{len(self.parts):,} partition{'s' if len(self.parts) != 1 else ''} ({', '.join(self.pcols)})"

    def _from(self) -> str:
        names = sorted({h["file_name"] for h in self.holders})
        return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "") if names else "earlier imports"

    def describe(self) -> str:
        """What the import does to the table, in one line (rows and years before and after)."""
        a, b, c = self.after, self.before, self.counts
        if self.action == "create":
            return f"{self.table}: {a.rows:,} rows (new table)"
        if self.action == "identical":
            return f"{self.table}: the same {a.rows:,} rows as already held ({self._scope()}, from {self._from()}): nothing written"
        if self.action == "under":
            return (f"{self.table}: {self._from()} ({PRECEDENCE.get(max(h['precedence'] for h in self.holders), '?')}) takes precedence "
                    f"over this file ({PRECEDENCE.get(self.precedence, '?')}): {c.get('added', 0):,} rows added, {c.get('both', 0):,} kept as held"
                    + (f" ({c['differ']:,} differ in this file)" if c.get("differ") else ""))
        if self.action == "over":
            return (f"{self.table}: this file ({PRECEDENCE.get(self.precedence, '?')}) takes precedence over {self._from()}: "
                    f"{c.get('both', 0):,} rows replaced ({c.get('differ', 0):,} with other values), {c.get('added', 0):,} added, "
                    f"{c.get('old_only', 0):,} kept from before" + _shape_change(b, a, rows=False))
        if b is not None and b.rows == 0:
            return f"{self.table}: {self._scope()} added: {a.rows:,} rows" + (f", {_years(a.years)}" if a.years else "")
        return f"{self.table}: {self._scope()} replaced{' (--replace)' if self.replace else ''}" + _shape_change(b, a)


def _years(y) -> str:
    return "none" if not y else (f"{y[0]}" if y[0] == y[1] else f"{y[0]}–{y[1]}")


def _shape_change(b: Shape | None, a: Shape, rows: bool = True) -> str:
    if b is None:
        return f": {a.rows:,} rows"
    out = []
    if rows:
        out.append(f"rows {b.rows:,} → {a.rows:,}")
    if b.years != a.years and (b.years or a.years):
        out.append(f"years {_years(b.years)} → {_years(a.years)}")
    if b.states != a.states:
        lost = sorted(b.states - a.states)
        out.append(f"states {len(b.states):,} → {len(a.states):,}" + (f" (lost: {', '.join(lost[:10])}{' …' if len(lost) > 10 else ''})" if lost else ""))
    bc, ac = set(b.columns), set(a.columns)
    if bc != ac:
        gone, new = sorted(bc - ac), sorted(ac - bc)
        out.append(f"columns {len(bc):,} → {len(ac):,}" + (f" (lost: {', '.join(gone[:10])}{' …' if len(gone) > 10 else ''})" if gone else "")
                   + (f" (new: {', '.join(new[:10])}{' …' if len(new) > 10 else ''})" if new else ""))
    return (": " + "; ".join(out)) if out else ": no change"


def _q(c: str) -> str:
    return '"' + str(c).replace('"', '""') + '"'


def _jnorm(v) -> str:
    return json.dumps(v, default=str)


def _current_imports(con) -> list[dict]:
    cols = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = '_imports'").fetchall()}
    prec = "precedence" if "precedence" in cols else "NULL AS precedence"
    out = []
    for r in con.execute(f"SELECT import_id, source, file_name, tables, partitions, {prec}, sha256 FROM _imports WHERE NOT superseded ORDER BY import_id").fetchall():
        out.append({"import_id": r[0], "source": r[1], "file_name": r[2], "tables": json.loads(r[3]),
                    "partitions": json.loads(r[4]) if r[4] else {}, "precedence": r[5] if r[5] is not None else precedence_of_name(r[2]),
                    "sha256": r[6]})
    return out


def _holds(imp: dict, table: str, scope: set | None) -> bool:
    """Whether a current import holds rows of ``table`` within ``scope`` (partition values; None: whole table)."""
    if table not in imp["tables"]:
        return False
    held = imp["partitions"].get(table)
    if held is None:                       # the whole table
        return True
    if not held:
        return False
    return scope is None or bool(scope & {_jnorm(v) for v in held})


def _shape(con, rel: str, table_cols: list, pcols: list) -> Shape:
    cols = set(table_cols)
    n = con.execute(f"SELECT count(*) FROM {rel}").fetchall()[0][0]
    years = None
    if "year" in cols and n:
        lo, hi = con.execute(f"SELECT min(TRY_CAST(year AS BIGINT)), max(TRY_CAST(year AS BIGINT)) FROM {rel}").fetchall()[0]
        years = (int(lo), int(hi)) if lo is not None else None
    states = set()
    codes = [c for c in CODE_COLUMNS if c in cols]
    if codes and n:
        q = " UNION ".join(f"SELECT DISTINCT CAST({_q(c)} AS VARCHAR) AS c FROM {rel}" for c in codes)
        states = {r[0] for r in con.execute(f"SELECT c FROM ({q}) WHERE c IS NOT NULL").fetchall()}
    per = {}
    if pcols and n:
        pc = ", ".join(f"CAST({_q(c)} AS VARCHAR)" for c in pcols)
        for r in con.execute(f"SELECT {pc}, count(*) FROM {rel} GROUP BY ALL").fetchall():
            per[", ".join(map(str, r[:-1]))] = r[-1]
    return Shape(n, years, states, list(table_cols), per)


def _x(con, sql: str) -> list:
    return con.execute(sql).fetchall()      # fetched whole: DuckDB refuses other work on a connection with a result pending


def _plan(con, reader, table: str, new: str, df: pd.DataFrame, pcols: list, exists: bool, current: list, precedence: int,
          replace: bool, path: Path) -> Plan:
    """What writing ``df`` into ``table`` would do, and whether the guard refuses it (see :data:`MAX_ROW_DROP`)."""
    keys = [k for k in reader.keys.get(table, []) if k in df.columns]
    p = Plan(table, new, "create", list(pcols), keys, precedence=precedence, replace=replace)
    new_cols = [str(c) for c in df.columns]
    if pcols:
        pc = ", ".join(_q(c) for c in pcols)
        vals = _x(con, f"SELECT DISTINCT {pc} FROM {new} ORDER BY ALL")
        p.parts = json.loads(_jnorm([list(v) if len(v) > 1 else v[0] for v in vals]))
        scope = {_jnorm(v) for v in p.parts}
    else:
        scope = None
    exp = reader.expect(table)
    problems = []
    if len(df) < exp.min_rows:
        problems.append(f"the file gives {len(df):,} rows for this table (a header alone, or every row rejected); the reader expects at least {exp.min_rows:,}")
    missing = [c for c in exp.columns if c not in new_cols]
    if missing:
        problems.append(f"the file lacks the column(s) {', '.join(missing[:10])} that every {reader.name} import of this table has")
    if not exists:
        if exp.fixed:
            extra = [c for c in new_cols if c not in exp.columns]
            if extra:
                problems.append(f"{len(extra):,} column(s) that the {reader.name} reader does not define: {', '.join(extra[:10])}" + (" …" if len(extra) > 10 else ""))
        p.after = _shape(con, new, new_cols, pcols)
        p.refusal = None if replace or not problems else "; ".join(problems)
        return p
    tcols = [(r[0], r[1]) for r in con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' "
                                               "AND table_name = ? ORDER BY ordinal_position", [table]).fetchall()]
    tnames = [c for c, _ in tcols]
    old = (f"(SELECT * FROM {_q(table)} SEMI JOIN (SELECT DISTINCT {pc} FROM {new}) USING ({pc}))" if pcols else _q(table))
    p.holders = [h for h in current if _holds(h, table, scope)]
    # the same rows as already held: nothing to write (the CSV and the .rda of one table)
    n_old = _x(con, f"SELECT count(*) FROM {old}")[0][0]
    if set(new_cols) == set(tnames) and n_old == len(df):
        sel_new = ", ".join(f"TRY_CAST({_q(c)} AS {t}) AS {_q(c)}" for c, t in tcols)
        sel_old = ", ".join(_q(c) for c in tnames)
        try:
            n1 = _x(con, f"SELECT count(*) FROM (SELECT {sel_new} FROM {new} EXCEPT ALL SELECT {sel_old} FROM {old})")[0][0]
            same = n1 == 0 and _x(con, f"SELECT count(*) FROM (SELECT {sel_old} FROM {old} EXCEPT ALL SELECT {sel_new} FROM {new})")[0][0] == 0
        except duckdb.Error:          # types that do not compare: not the same rows
            same = False
        if same:
            p.action = "identical"
            p.after = Shape(len(df), None, set(), new_cols, {})
            return p
    p.before = _shape(con, old, tnames, pcols)
    p.after = _shape(con, new, new_cols, pcols)
    top = max((h["precedence"] for h in p.holders), default=None)
    if replace or top is None or precedence == top or not keys:
        p.action = "replace"
    elif precedence > top:
        p.action = "over"
    else:
        p.action = "under"
    if p.action in ("over", "under"):
        kc = ", ".join(_q(k) for k in keys)
        common = [c for c in tnames if c in new_cols]
        sel = ", ".join(_q(c) for c in common)
        p.counts["both"] = _x(con, f"SELECT count(*) FROM {new} SEMI JOIN {old} USING ({kc})")[0][0]
        p.counts["differ"] = _x(con, f"SELECT count(*) FROM (SELECT {sel} FROM {new} SEMI JOIN {old} USING ({kc}) "
                                         f"EXCEPT ALL SELECT {sel} FROM {old})")[0][0]
        p.counts["added"] = _x(con, f"SELECT count(*) FROM {new} ANTI JOIN {_q(table)} USING ({kc})")[0][0]
        p.counts["old_only"] = _x(con, f"SELECT count(*) FROM {old} ANTI JOIN {new} USING ({kc})")[0][0]
        if p.action == "under":
            extra = [c for c in new_cols if c not in tnames]
            if extra:
                p.notes.append(f"{table}: column(s) {', '.join(extra[:10])} of this file not stored (the table's rows come from {p._from()}, which takes precedence)")
            return p
    # the guard: a replacement (or a merge over) must not shrink or reshape what the table holds
    b, a = p.before, p.after
    if p.action == "replace":
        if a.rows < b.rows * (1 - MAX_ROW_DROP):
            problems.append(f"the rows drop by {(b.rows - a.rows) / b.rows:.0%} (a replacement may drop at most {MAX_ROW_DROP:.0%})")
        elif pcols:
            shrunk = [(k, n, a.per_part.get(k, 0)) for k, n in b.per_part.items() if a.per_part.get(k, 0) < n * (1 - MAX_ROW_DROP)]
            if shrunk:
                k, n0, n1 = shrunk[0]
                problems.append(f"{len(shrunk):,} of the {len(b.per_part):,} partitions ({', '.join(pcols)}) it replaces lose more than "
                                f"{MAX_ROW_DROP:.0%} of their rows (e.g. {k}: {n0:,} → {n1:,})")
        if b.years and (not a.years or a.years[0] > b.years[0] or a.years[1] < b.years[1]):
            problems.append("the years covered shrink")
        lost = sorted(b.states - a.states)
        if lost:
            problems.append(f"{len(lost):,} state(s) covered before are missing")
    if not pcols:
        gone = [c for c in tnames if c not in new_cols]
        extra = [c for c in new_cols if c not in tnames and c not in exp.columns]
    elif b.rows:
        # a partitioned table holds the union of its partitions' columns (the gravity datasets differ): what
        # counts is the columns the replaced partitions fill
        filled = _x(con, f"SELECT {', '.join(f'count({_q(c)})' for c in tnames)} FROM {old}")[0]
        gone = [c for c, n in zip(tnames, filled) if n and c not in new_cols]
        extra = [c for c in new_cols if c not in tnames and c not in exp.columns]
    else:
        gone, extra = [], []           # new partitions: the table widens for them, its other partitions leave them empty
    if gone:
        problems.append(f"{len(gone):,} column(s) are lost: {', '.join(gone[:10])}{' …' if len(gone) > 10 else ''}")
    if extra:
        problems.append(f"{len(extra):,} new column(s) that the table does not have: {', '.join(extra[:10])}{' …' if len(extra) > 10 else ''}")
    if problems and not replace:
        p.refusal = f"it would replace {p._scope()} (from {p._from()}){_shape_change(b, a)}. Refused because " + "; ".join(problems)
    return p


def _execute(con, p: Plan) -> None:
    t, new = _q(p.table), p.new
    if p.action == "identical":
        return
    if p.action == "create":
        con.execute(f"CREATE TABLE {t} AS SELECT * FROM {new}")
        return
    tnames = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ? "
                                        "ORDER BY ordinal_position", [p.table]).fetchall()]
    new_cols = [r[0] for r in con.execute(f"DESCRIBE {new}").fetchall()]
    if p.action == "under":
        if p.counts.get("added"):
            common = ", ".join(_q(c) for c in tnames if c in new_cols)
            kc = ", ".join(_q(k) for k in p.keys)
            con.execute(f"INSERT INTO {t} ({common}) SELECT {common} FROM {new} ANTI JOIN {t} USING ({kc})")
        return
    reshaped = set(new_cols) != set(tnames)
    if p.action == "replace" and not p.pcols:
        # the whole table: the file's rows, with the file's columns (the guard or --replace allowed any change)
        con.execute(f"CREATE OR REPLACE TABLE {t} AS SELECT * FROM {new}")
        return
    if p.action == "replace":
        pc = ", ".join(_q(c) for c in p.pcols)
        cond = f"({pc}) IN (SELECT DISTINCT {pc} FROM {new})"
    else:       # over: the rows of the file's keys
        kc = ", ".join(_q(k) for k in p.keys)
        cond = f"({kc}) IN (SELECT {kc} FROM {new})"
    if reshaped:
        # one rewrite (never a column at a time: thousands of ALTERs would each copy the table)
        con.execute(f"CREATE TABLE _rebuilt AS SELECT * FROM {t} WHERE NOT ({cond}) UNION ALL BY NAME SELECT * FROM {new}")
        con.execute(f"DROP TABLE {t}")
        con.execute(f"ALTER TABLE _rebuilt RENAME TO {t}")
    else:
        con.execute(f"DELETE FROM {t} WHERE {cond}")
        con.execute(f"INSERT INTO {t} BY NAME SELECT * FROM {new}")


def _bookkeep(con, plans: list, source: str, sha: str) -> None:
    """Keep ``_imports`` true to what each import still holds: the partitions (or whole tables) that this
    import replaced are no longer held by the earlier ones; an import that holds nothing any more is
    superseded (its file is still known: importing it again changes nothing unless forced)."""
    current = {h["import_id"]: h for h in _current_imports(con)}
    touched = set()
    for p in plans:
        full = p.action == "replace" or (p.action == "over" and p.counts.get("old_only", 0) == 0)
        if not full:
            continue
        scope = {_jnorm(v) for v in p.parts} if p.pcols else None
        for h in current.values():
            if p.table not in h["tables"]:
                continue
            held = h["partitions"].get(p.table)
            if scope is None:
                h["partitions"][p.table] = []
            elif held is not None:
                h["partitions"][p.table] = [v for v in held if _jnorm(v) not in scope]
            else:
                continue          # a whole-table import of a table now written by partitions: left as it is
            touched.add(h["import_id"])
    for h in current.values():
        if h["sha256"] == sha and h["source"] == source:      # the same file imported again (--force): the new record replaces it
            con.execute("UPDATE _imports SET superseded = TRUE WHERE import_id = ?", [h["import_id"]])
            continue
        if h["import_id"] not in touched:
            continue
        held = any(h["partitions"].get(t) is None or h["partitions"].get(t) for t in h["tables"])
        con.execute("UPDATE _imports SET partitions = ?, superseded = ? WHERE import_id = ?",
                    [_jnorm(h["partitions"]), not held, h["import_id"]])


def _parse_job(path: str, source: str | None, known: dict | None) -> dict:
    """Recognise, check and parse one file (no warehouse access): run in a worker process."""
    from .sources import detect, get_reader
    from .sources.base import head_of
    p = Path(path)
    t0 = time.perf_counter()
    job = {"path": path, "t0": t0, "report": None}
    try:
        # a file imported before (its sha256 is known): unchanged, without opening it again
        if known and p.is_file() and p.stat().st_size:
            sha = sha256_file(p)
            prev = known.get(sha)
            if prev is not None and (source is None or prev["source"] == source) and _up_to_date(get_reader(prev["source"]), prev):
                job["report"] = _unchanged(path, prev, sha)
                return job
        if source:
            reader = get_reader(source)
            head = head_of(p)
            layout = reader.sniff(head)
            if layout is None:
                cols = ", ".join(head.columns[:12])
                miss = reader.missing_columns(head)
                raise InputError((miss + "; " if miss else "") + f"the file does not have a layout that the '{reader.name}' reader knows (its columns: {cols})",
                                 file=path, field=miss.split()[2].rstrip(",") if miss else None,
                                 expected=f"a {reader.title} file as its publisher ships it",
                                 hint="check the file, or drop --source to let multipolar recognise it")
        else:
            found = detect(p)
            if found is None:
                job["report"] = ImportReport(path, None, "skipped", "not a layout any reader recognises")
                return job
            reader, layout, head = found
        sha = sha256_file(p)
        prev = (known or {}).get(sha)
        if prev is not None and prev["source"] == reader.name and _up_to_date(reader, prev):
            job["report"] = _unchanged(path, prev, sha)
            return job
        parsed = reader.read(p, layout, head)
        from .sources.versions import resolve as resolve_version
        parsed.version = resolve_version(parsed.version, p, sha, parsed)     # from the file: checksum, content, place
        for name, df in list(parsed.tables.items()):
            df = parsed.tables[name] = df.drop(columns=[c for c in df.columns if str(c).startswith("__")])
            for c in df.columns:
                # an all-empty object column has no type: store it as text
                if df[c].dtype == object and df[c].isna().all():
                    df[c] = df[c].astype("string")
                # whole numbers are 64-bit whichever the format (an .rda's 32-bit integers, a CSV's int64)
                elif pd.api.types.is_integer_dtype(df[c].dtype) and not pd.api.types.is_bool_dtype(df[c].dtype):
                    if isinstance(df[c].dtype, pd.api.extensions.ExtensionDtype):
                        if df[c].dtype != "Int64":
                            df[c] = df[c].astype("Int64")
                    elif df[c].dtype != "int64":
                        df[c] = df[c].astype("int64")
        parsed.parse_seconds = time.perf_counter() - t0
        job.update(reader=reader.name, layout=layout, sha=sha, parsed=parsed, parse_seconds=parsed.parse_seconds,
                   precedence=reader.precedence(head, layout))
        return job
    except InputError as e:
        status = "skipped" if getattr(e, "skip", False) else "error"
        job["report"] = ImportReport(path, source, status, str(e), seconds=time.perf_counter() - t0)
        return job
    except MultipolarError as e:
        job["report"] = ImportReport(path, source, "error", printable(str(e)), seconds=time.perf_counter() - t0)
        return job
    except MemoryError:
        job["report"] = ImportReport(path, source, "error", f"{path}: not enough memory to parse this file; the warehouse is unchanged. "
                                     "What to do: close other programs, or import the file alone with --jobs 1", seconds=time.perf_counter() - t0)
        return job
    except Exception as e:  # a reader bug must not abort a folder import; say so plainly
        import traceback
        where = traceback.extract_tb(e.__traceback__)[-1]
        job["report"] = ImportReport(path, source, "error", printable(f"internal error in multipolar ({type(e).__name__}: {e} at {Path(where.filename).name}:{where.lineno}); the warehouse is unchanged. Please report it."),
                                     seconds=time.perf_counter() - t0)
        return job


def _unchanged(path: str, prev: dict, sha: str) -> ImportReport:
    msg = f"already imported on {prev['imported_at']:%Y-%m-%d %H:%M} (sha256 {sha[:12]}); nothing changed"
    if prev.get("superseded"):
        msg += ("; a later import has replaced its rows since (`multipolar data status --all`): to bring them back, "
                "import it with --force (and --replace if it holds fewer rows)")
    return ImportReport(path, prev["source"], "unchanged", msg, tables=json.loads(prev["tables"]))


def _up_to_date(reader, prev: dict) -> bool:
    """Whether the warehouse holds every table and column that the reader declares in its
    ``schema`` (readers that changed their tables declare it); if not, the file is imported again."""
    cols = prev.get("columns") or {}
    return all(set(want) <= cols.get(t, set()) for t, want in getattr(reader, "schema", {}).items())


def _coverage(tables: dict[str, pd.DataFrame]):
    years, codes = [], set()
    for df in tables.values():
        if "year" in df.columns and len(df):
            y = pd.to_numeric(df["year"], errors="coerce").dropna()
            if len(y):
                years += [int(y.min()), int(y.max())]
        for c in CODE_COLUMNS:
            if c in df.columns:
                codes |= set(df[c].dropna().astype(str).unique())
    from .actors.registry import registry
    codes &= set(registry().states)      # raw names kept beside the codes are not counted
    return ((min(years), max(years)) if years else (None, None)), (len(codes) or None)
