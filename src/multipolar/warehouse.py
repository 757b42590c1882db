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
from .errors import InputError, MultipolarError, WarehouseError

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
    superseded   BOOLEAN
)
"""


def sha256_file(path: Path) -> str:
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
    peak_mb: float | None = None


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
        with self.connect() as con:
            return [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema='main' ORDER BY 1").fetchall()]

    def has(self, table: str) -> bool:
        return table in self.tables()

    def query(self, sql: str, params=None) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute(sql, params or []).df()

    def table(self, name: str, columns: list[str] | None = None, where: str | None = None) -> pd.DataFrame:
        if not self.has(name):
            raise WarehouseError(f"the warehouse {self.path} has no table {name!r}. Import its source first: `multipolar data import ...` (see `multipolar data sources`).")
        cols = ", ".join(f'"{c}"' for c in columns) if columns else "*"
        return self.query(f'SELECT {cols} FROM "{name}"' + (f" WHERE {where}" if where else ""))

    def ibis(self):
        """An ibis connection on the warehouse (read-only), for engine-neutral transformations."""
        import ibis
        return retry_locked(ibis.duckdb.connect, str(self.path), read_only=True, db_path=self.path)

    # ---- import ---------------------------------------------------------------------------
    def import_file(self, path, source: str | None = None, *, force: bool = False, options: dict | None = None) -> ImportReport:
        """Import one file: recognise it (or use ``source``), parse and validate it, then write it
        in one transaction. Returns a report; bad input gives status 'error' and changes nothing."""
        path = Path(path)
        known = None if force else self._known_shas()
        job = _parse_job(str(path), source, known)
        return self._finish_job(job, options=options)

    def _known_shas(self) -> dict[str, dict]:
        """sha256 -> the current (not superseded) import of that file."""
        if not self.path.exists():
            return {}
        with self.connect() as con:
            df = con.execute("SELECT sha256, source, tables, imported_at FROM _imports WHERE NOT superseded").df()
            existing = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
            columns: dict[str, set] = {}
            for t, c in con.execute("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'").fetchall():
                columns.setdefault(t, set()).add(c)
        out = {}
        for r in df.itertuples(index=False):
            if all(t in existing for t in json.loads(r.tables)):
                out[r.sha256] = {"source": r.source, "tables": r.tables, "imported_at": r.imported_at, "columns": columns}
        return out

    def _finish_job(self, job: dict, options: dict | None = None, written: set | None = None) -> ImportReport:
        if job.get("report") is not None:
            return job["report"]
        from .sources import get_reader
        path = Path(job["path"])
        if written is not None and (job["reader"], job["sha"]) in written:
            return ImportReport(str(path), job["reader"], "unchanged", f"the same file (sha256 {job['sha'][:12]}) was imported just before; nothing changed",
                                tables=list(job["parsed"].tables))
        try:
            rep = self._write(get_reader(job["reader"]), job["layout"], path, job["sha"], job["parsed"], job["t0"],
                              pause=(options or {}).get("_pause_before_commit"), marker=(options or {}).get("_marker"))
        except WarehouseError:
            raise           # the warehouse cannot be opened (held by others): every later file would fail the same way
        except Exception as e:
            return ImportReport(str(path), job["reader"], "error", f"the write failed ({type(e).__name__}: {e}); the warehouse is unchanged",
                                seconds=time.perf_counter() - job["t0"])
        rep.seconds = job["parse_seconds"] + rep.seconds
        if written is not None:
            written.add((job["reader"], job["sha"]))
        return rep

    def import_path(self, path, source: str | None = None, *, force: bool = False, progress=None, jobs: int | None = None,
                    options: dict | None = None) -> list[ImportReport]:
        """Import a file, or every file under a folder (recursively, in sorted order).

        Files are parsed in ``jobs`` worker processes (default: the number of CPUs, at most 4)
        and written one at a time, in order, each in its own transaction on its own connection:
        the write lock is taken for one file's write and released at its commit, so other processes
        can read the warehouse between files, and a killed folder import keeps the files already
        committed. ``options`` apply to every file (``_pause_before_commit``: tests only).
        """
        path = Path(path)
        files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")) if path.is_dir() else [path]
        known = None if force else self._known_shas()
        jobs = jobs or min(4, os.cpu_count() or 1)
        out: list[ImportReport] = []
        written: set = set()
        return self._import_files(files, source, known, jobs, progress, out, written, options)

    def _import_files(self, files, source, known, jobs, progress, out, written, options=None):
        if jobs <= 1 or len(files) <= 1:
            results = (_parse_job(str(f), source, known) for f in files)
            for f, job in zip(files, results):
                out.append(self._finish_job(job, options=options, written=written))
                if progress:
                    progress(f, out[-1])
            return out
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor
        ctx = mp.get_context("fork") if hasattr(os, "fork") else None
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as ex:
            # parse the largest files first (better balance), write in the sorted order (same result every time)
            futs = {f: ex.submit(_parse_job, str(f), source, known) for f in sorted(files, key=lambda p: -p.stat().st_size)}
            for f in files:
                fut = futs[f]
                try:
                    job = fut.result()
                except Exception as e:  # a worker that died
                    job = {"report": ImportReport(str(f), source, "error", f"the parser process failed ({type(e).__name__}: {e}); the warehouse is unchanged")}
                out.append(self._finish_job(job, options=options, written=written))
                if progress:
                    progress(f, out[-1])
        return out

    def _find_import(self, source: str, sha: str):
        if not self.path.exists():
            return None
        with self.connect() as con:
            df = con.execute("SELECT * FROM _imports WHERE source = ? AND sha256 = ? AND NOT superseded ORDER BY import_id DESC LIMIT 1", [source, sha]).df()
            if df.empty:
                return None
            row = df.iloc[0].to_dict()
            existing = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
            if not all(t in existing for t in json.loads(row["tables"])):
                return None
            return row

    def _write(self, reader, layout, path: Path, sha: str, parsed, t0, pause=None, marker=None) -> ImportReport:
        t_write = time.perf_counter()
        stats_years, stats_codes = _coverage(parsed.tables)
        parts = {}
        with self.connect(read_only=False) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                existing = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema='main'").fetchall()}
                for name, df in parsed.tables.items():
                    con.register("_new", df)
                    pcols = parsed.partitions.get(name) or []
                    if pcols:
                        keycols = ", ".join(f'"{c}"' for c in pcols)
                        vals = con.execute(f"SELECT DISTINCT {keycols} FROM _new ORDER BY ALL").fetchall()
                        parts[name] = [list(v) if len(v) > 1 else v[0] for v in vals]
                    if name not in existing:
                        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _new')
                    else:
                        cols = {r[0]: r[1] for r in con.execute(f"SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '{name}'").fetchall()}
                        new_cols = con.execute("DESCRIBE _new").fetchall()
                        for c, typ, *_ in new_cols:
                            if c not in cols:
                                con.execute(f'ALTER TABLE "{name}" ADD COLUMN "{c}" {typ}')
                        if pcols:
                            con.execute(f'DELETE FROM "{name}" WHERE ({keycols}) IN (SELECT DISTINCT {keycols} FROM _new)')
                        else:
                            con.execute(f'DELETE FROM "{name}"')
                        con.execute(f'INSERT INTO "{name}" BY NAME SELECT * FROM _new')
                    con.unregister("_new")
                reader.derive(con, changed=list(parsed.tables))
                # older imports whose every table is now fully replaced are superseded
                for r in con.execute("SELECT import_id, tables, partitions FROM _imports WHERE NOT superseded AND source = ?", [reader.name]).fetchall():
                    tabs = json.loads(r[1])
                    if all(t in parsed.tables and not parsed.partitions.get(t) for t in tabs):
                        con.execute("UPDATE _imports SET superseded = TRUE WHERE import_id = ?", [r[0]])
                    elif r[2] and all(t in parts or (t in parsed.tables and not parsed.partitions.get(t)) for t in tabs):
                        old = json.loads(r[2])
                        if all(t not in parts or set(map(json.dumps, old.get(t, []))) <= set(map(json.dumps, parts[t])) for t in tabs):
                            con.execute("UPDATE _imports SET superseded = TRUE WHERE import_id = ?", [r[0]])
                next_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM _imports").fetchone()[0]
                rejected_n = int(sum(parsed.rejected.values()))
                secs = getattr(parsed, "parse_seconds", 0.0) + time.perf_counter() - t_write
                con.execute("INSERT INTO _imports VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
                    next_id, reader.name, layout, parsed.version, path.name, str(path.resolve()), sha, path.stat().st_size,
                    json.dumps(list(parsed.tables)), json.dumps(parts, default=str) if parts else None,
                    parsed.rows_read, parsed.rows_kept, rejected_n, json.dumps(dict(parsed.rejected)),
                    stats_years[0], stats_years[1], stats_codes, "; ".join(parsed.notes) or None, secs,
                    dt.datetime.now(), False])
                if pause:   # tests only: the kill test kills the process here, before COMMIT; the lock test reads meanwhile
                    if marker:
                        with open(marker, "a") as f:
                            f.write(f"{path.name}\n")
                    time.sleep(float(pause))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return ImportReport(str(path), reader.name, "imported", f"{layout}: {parsed.rows_kept:,} rows kept into {', '.join(parsed.tables)}",
                            rows_read=parsed.rows_read, rows_kept=parsed.rows_kept, rejected=dict(parsed.rejected),
                            tables=list(parsed.tables), seconds=time.perf_counter() - t_write)

    # ---- status ---------------------------------------------------------------------------
    def status(self, all_imports: bool = False) -> pd.DataFrame:
        with self.connect() as con:
            q = "SELECT * FROM _imports" + ("" if all_imports else " WHERE NOT superseded") + " ORDER BY source, import_id"
            return con.execute(q).df()

    def counts(self) -> dict[str, int]:
        with self.connect() as con:
            names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema='main' AND table_name <> '_imports'").fetchall()]
            return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def _parse_job(path: str, source: str | None, known: dict | None) -> dict:
    """Recognise, check and parse one file (no warehouse access): run in a worker process."""
    from .sources import detect, get_reader
    from .sources.base import head_of
    p = Path(path)
    t0 = time.perf_counter()
    job = {"path": path, "t0": t0, "report": None}
    try:
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
            job["report"] = ImportReport(path, reader.name, "unchanged",
                                         f"already imported on {prev['imported_at']:%Y-%m-%d %H:%M} (sha256 {sha[:12]}); nothing changed",
                                         tables=json.loads(prev["tables"]))
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
        job.update(reader=reader.name, layout=layout, sha=sha, parsed=parsed, parse_seconds=parsed.parse_seconds)
        return job
    except InputError as e:
        status = "skipped" if getattr(e, "skip", False) else "error"
        job["report"] = ImportReport(path, source, status, str(e), seconds=time.perf_counter() - t0)
        return job
    except MultipolarError as e:
        job["report"] = ImportReport(path, source, "error", str(e), seconds=time.perf_counter() - t0)
        return job
    except Exception as e:  # a reader bug must not abort a folder import; say so plainly
        import traceback
        where = traceback.extract_tb(e.__traceback__)[-1]
        job["report"] = ImportReport(path, source, "error", f"internal error in multipolar ({type(e).__name__}: {e} at {Path(where.filename).name}:{where.lineno}); the warehouse is unchanged. Please report it.",
                                     seconds=time.perf_counter() - t0)
        return job


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
