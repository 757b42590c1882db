"""Event streams at scale: GDELT, ICEWS, POLECAT and Phoenix files to dyad-month series.

``import_events(paths)``  reads files in their published layouts (:mod:`.formats`), resolves the actors through
                          the registry on each event's date (an actor that is not a state is counted, never guessed),
                          merges the records into the Parquet lake with the deduplication rules (:mod:`.lake`), and
                          recomputes the dyad-month aggregates of the months the file touched in the warehouse, with
                          the file's row in ``event_imports`` (one transaction).
``aggregate(engine=...)`` recomputes every dyad-month from the lake, on DuckDB (default) or Spark (:mod:`.engine`).
``dyad(a, b)``            one pair's series, both directions, with the sources and the duplicates removed.

Warehouse tables: ``event_dyad_month`` (:data:`.engine.COLUMNS`), ``event_month_coverage`` (days with events per
source and month) and ``event_imports`` (file, sha256, rows read / rejected with reasons / repaired, deduplication
counts, months, seconds). The lake is the folder ``--lake`` (``MULTIPOLAR_EVENTS_LAKE``), by default beside the
warehouse file: ``multipolar.duckdb`` -> ``multipolar.events/``.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError, MultipolarError
from . import engine as agg
from . import formats
from .lake import Lake, merge, merge_mentions, normalise, normalise_mentions

VOLUME_CAVEAT = ("event counts follow news volume, which grows over time and differs between sources and states: compare "
                 "volume_share (the pair's events over all events between two states involving either of them that month) "
                 "rather than raw counts across years")

DYAD_DDL = """CREATE TABLE IF NOT EXISTS event_dyad_month (source VARCHAR, year INTEGER, month INTEGER, source_code VARCHAR, target_code VARCHAR,
  events BIGINT, records BIGINT, verbal_coop BIGINT, material_coop BIGINT, verbal_conflict BIGINT, material_conflict BIGINT,
  goldstein_sum DOUBLE, goldstein_mean DOUBLE, net_cooperation DOUBLE, mentions DOUBLE, goldstein_mw_mean DOUBLE,
  net_cooperation_mw DOUBLE, outlets BIGINT, volume_share DOUBLE)"""
COVERAGE_DDL = """CREATE TABLE IF NOT EXISTS event_month_coverage (source VARCHAR, year INTEGER, month INTEGER, days BIGINT, events BIGINT, records BIGINT)"""
IMPORTS_DDL = """CREATE TABLE IF NOT EXISTS event_imports (sha256 VARCHAR, file_name VARCHAR, file_path VARCHAR, source VARCHAR, layout VARCHAR,
  bytes BIGINT, rows_read BIGINT, rows_kept BIGINT, rows_rejected BIGINT, rejected VARCHAR, repaired VARCHAR, dedup VARCHAR,
  months VARCHAR, notes VARCHAR, seconds DOUBLE, imported_at TIMESTAMP)"""


def lake_path(db=None, lake=None) -> Path:
    """The folder of the events lake: ``lake``, else ``MULTIPOLAR_EVENTS_LAKE``, else the warehouse file's
    name with ``.events`` beside it."""
    if lake:
        return Path(lake).expanduser()
    if os.environ.get("MULTIPOLAR_EVENTS_LAKE"):
        return Path(os.environ["MULTIPOLAR_EVENTS_LAKE"]).expanduser()
    from ..warehouse import Warehouse
    p = Warehouse(db).path
    return p.with_name(p.stem + ".events")


@dataclass
class EventImport:
    file: str
    status: str                      # imported, unchanged, error
    source: str = ""
    layout: str = ""
    rows_read: int = 0
    rows_kept: int = 0
    rejected: dict = field(default_factory=dict)
    repaired: dict = field(default_factory=dict)
    dedup: dict = field(default_factory=dict)
    months: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    seconds: float = 0.0
    message: str = ""

    def summary(self) -> str:
        """The import in one line: rows read, kept, rejected and repaired, what deduplication did, and the
        months rewritten."""
        if self.status != "imported":
            return f"{self.status}: {self.file}" + (f" — {self.message}" if self.message else "")
        d = self.dedup
        parts = [f"imported {self.file} ({self.layout}): {self.rows_read:,} rows read, {self.rows_kept:,} kept"]
        if self.rejected:
            parts.append(f"{sum(self.rejected.values()):,} rejected (" + "; ".join(f"{k}: {v:,}" for k, v in sorted(self.rejected.items(), key=lambda kv: -kv[1])) + ")")
        if self.repaired:
            parts.append("repaired: " + "; ".join(f"{k}: {v:,}" for k, v in self.repaired.items()))
        if "events added" in d:
            parts.append(f"deduplication: {d.get('records', 0):,} records -> {d.get('events added', 0):,} new events "
                         f"({d.get('same record again (rule 1)', 0):,} records already held, {d.get('same event, other record (rule 2)', 0):,} "
                         f"duplicates of an event: same day, pair, root code and URL)")
        elif "mentions added" in d:
            parts.append(f"{d['mentions added']:,} mentions added ({d.get('same mention again', 0):,} already held)")
        parts.append(f"months rewritten: {', '.join(f'{y}-{m:02d}' for _, y, m in self.months) or 'none'}; {self.seconds:.1f} s")
        return "; ".join(parts)


@contextmanager
def _locked(lake: Lake):
    lake.root.mkdir(parents=True, exist_ok=True)
    with open(lake.root / "_lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _write_months(wh, lake: Lake, months: list, log: list | None, dm=None, cv=None, replace_all: bool = False) -> None:
    """Replace the aggregates of ``months`` (or all) and record ``log``, in one warehouse transaction."""
    if dm is None and months:
        files = lake.files([tuple(m) for m in months])
        dm, cv = agg.run(lake, "duckdb", files=files)
    with wh.transaction() as con:
        for ddl in (DYAD_DDL, COVERAGE_DDL, IMPORTS_DDL):
            con.execute(ddl)
        if log and con.execute("SELECT count(*) FROM event_imports WHERE sha256 = ?", [log[0]["sha256"]]).fetchall()[0][0]:
            return          # committed before (a journal left after the commit)
        if replace_all:
            con.execute("DELETE FROM event_dyad_month")
            con.execute("DELETE FROM event_month_coverage")
        elif months:
            keys = pd.DataFrame([tuple(m) for m in months], columns=["source", "year", "month"])
            con.register("_mk", keys)
            for t in ("event_dyad_month", "event_month_coverage"):
                con.execute(f"DELETE FROM {t} WHERE (source, year, month) IN (SELECT (source, year, month) FROM _mk)")
        if dm is not None:
            con.register("_dm", dm)
            con.register("_cv", cv)
            con.execute("INSERT INTO event_dyad_month BY NAME SELECT * FROM _dm")
            con.execute("INSERT INTO event_month_coverage BY NAME SELECT * FROM _cv")
        if log:
            row = pd.DataFrame(log)
            row["imported_at"] = pd.to_datetime(row["imported_at"])
            con.register("_log", row)
            con.execute("INSERT INTO event_imports BY NAME SELECT * FROM _log")


def recover(wh, lake: Lake) -> str | None:
    """Finish an import that was killed after its journal was written; drop the temporary files of one
    killed before. Returns what was done."""
    j = lake.pending()
    done = None
    if j is not None:
        lake.apply_moves(j["moves"])
        _write_months(wh, lake, j["months"], j["logs"])
        lake.journal.unlink()
        done = f"finished the import of {', '.join(x['file_name'] for x in j['logs'])} that was interrupted after its commit point"
    n = lake.clean()
    if n and done is None:
        done = f"removed {n} temporary files of an interrupted import (the lake is as before it)"
    return done


def _known(wh) -> set:
    if not wh.path.exists():
        return set()
    with wh.connect() as con:
        if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'event_imports'").fetchall()[0][0]:
            return set()
        return {r[0] for r in con.execute("SELECT sha256 FROM event_imports").fetchall()}


def _expand(paths) -> list[Path]:
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith("."))
        elif p.exists():
            out.append(p)
        else:
            raise InputError("no such file or folder", file=str(p), hint="check the path")
    return out


def import_events(paths, db=None, lake=None, force: bool = False, progress=None) -> list[EventImport]:
    """Import event files (or folders of them) into the lake and the warehouse; one :class:`EventImport` each.
    A folder's files that are not event files are skipped (status 'skipped'); a bad file is reported with
    status 'error' and changes nothing."""
    from ..warehouse import Warehouse, sha256_file
    wh = Warehouse(db)
    lk = Lake(lake_path(db, lake))
    files = _expand(paths)
    named = {Path(p) for p in paths if Path(p).is_file()}
    reports = []
    with _locked(lk):
        msg = recover(wh, lk)
        if msg and progress:
            progress(msg)
        lk.check()
        known = _known(wh)
        batch: list = []
        held = 0
        for f in files:
            t0 = time.perf_counter()
            try:
                layout = formats.sniff(f)
            except (InputError, OSError):
                layout = None
            if layout is None:
                reports.append(EventImport(str(f), "error" if f in named else "skipped", message="not an event file this reader knows"))
                if progress:
                    progress(reports[-1].summary())
                continue
            sha = sha256_file(f)
            if (sha in known and not force) or any(b[2]["sha256"] == sha for b in batch):
                reports.append(EventImport(str(f), "unchanged", message="imported before (same sha256): nothing to do"))
                if progress:
                    progress(reports[-1].summary())
                continue
            try:
                rep, table, log = _parse_one(f, layout, sha, t0)
            except InputError as e:
                reports.append(EventImport(str(f), "error", message=str(e)))
                if progress:
                    progress(reports[-1].summary())
                continue
            batch.append((rep, table, log))
            held += table.nbytes
            if held > BATCH_BYTES:
                reports += _commit(wh, lk, batch, progress)
                known |= {b[2]["sha256"] for b in batch}
                batch, held = [], 0
        if batch:
            reports += _commit(wh, lk, batch, progress)
    return reports


#: files are committed together until their records take this much memory (one partition rewrite per batch, not per file)
BATCH_BYTES = int(os.environ.get("MULTIPOLAR_EVENTS_BATCH_MB", "1500")) * 2**20


def _parse_one(f: Path, layout: str, sha: str, t0: float):
    raw = formats.read(f, layout)
    if raw.source == "mentions":
        t = normalise_mentions(raw, f, sha)
        rejected, notes = Counter(raw.rejected), []
    else:
        t, rejected, notes = normalise(raw, f, sha)
    rep = EventImport(str(f), "imported", raw.source, raw.layout, raw.rows_read, t.num_rows, dict(rejected), dict(raw.repaired), {}, [], notes,
                      time.perf_counter() - t0)
    log = {"sha256": sha, "file_name": f.name, "file_path": str(f.resolve()), "source": raw.source, "layout": raw.layout,
           "bytes": f.stat().st_size, "rows_read": raw.rows_read, "rows_kept": t.num_rows, "rows_rejected": int(sum(rejected.values())),
           "rejected": json.dumps(dict(rejected)), "repaired": json.dumps(dict(raw.repaired)), "dedup": "{}",
           "months": "[]", "notes": json.dumps(notes), "seconds": rep.seconds,
           "imported_at": dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat(sep=" ")}
    return rep, t, log


def _commit(wh, lk: Lake, batch: list, progress=None) -> list:
    """Merge a batch of parsed files into the lake (each touched partition rewritten once) and the warehouse."""
    import pyarrow as pa
    t0 = time.perf_counter()
    moves, months = [], []
    by_source: dict = {}
    for rep, table, log in batch:
        by_source.setdefault(rep.source, []).append((rep, table, log))
    for source, items in by_source.items():
        table = pa.concat_tables([t for _, t, _ in items])
        if source == "mentions":
            mv, dedup = merge_mentions(lk, table)
            ms = []
        else:
            mv, ms, dedup = merge(lk, source, table)
        moves += mv
        months += ms
        for rep, _, log in items:
            # counts of the batch: one file alone gets its own; several files of one source share them
            rep.dedup = dict(dedup) if len(items) == 1 else {**dedup, "batch": f"{len(items)} files of {source} merged together"}
            rep.months = ms
            log["dedup"], log["months"] = json.dumps(rep.dedup), json.dumps(ms)
    logs = [log for _, _, log in batch]
    # the commit point: the journal names every move; from here a kill is finished by the next recover()
    lk.write_journal({"moves": moves, "months": months, "logs": logs})
    lk.apply_moves(moves)
    _write_months(wh, lk, months, logs)
    lk.journal.unlink()
    if not lk.version_file.exists():
        lk.mark_version()
    dt_ = time.perf_counter() - t0
    out = []
    for rep, _, _ in batch:
        rep.seconds += dt_ / len(batch)
        out.append(rep)
        if progress:
            progress(rep.summary())
    return out


def aggregate(db=None, lake=None, engine: str = "duckdb", master: str = "local[*]", freq: str = "month", store: bool = True):
    """Every dyad-month (``freq='month'``) or dyad-year (``'year'``) from the lake on ``engine``. With ``store`` (months only),
    the warehouse's ``event_dyad_month`` and ``event_month_coverage`` are replaced by the result. Returns a DataFrame."""
    from ..warehouse import Warehouse
    wh = Warehouse(db)
    lk = Lake(lake_path(db, lake))
    if freq not in ("month", "year"):
        raise InputError(f"unknown frequency {freq!r}", field="--freq", expected="month or year")
    with _locked(lk):
        recover(wh, lk)
        if not lk.files():
            raise MultipolarError(f"the event lake {lk.root} holds no events: import files first (`multipolar events import FILES`)")
        lk.check()
        dm, cv = agg.run(lk, engine, master)
        if store and freq == "month":
            _write_months(wh, lk, [], None, dm=dm, cv=cv, replace_all=True)
    df = dm.to_pandas()
    if freq == "year":
        df = yearly(df)
    return df.sort_values(["source", "year"] + (["month"] if freq == "month" else []) + ["source_code", "target_code"]).reset_index(drop=True)


def migrate(db=None, lake=None) -> str:
    """Rewrite a lake of an older layout in the current one (:data:`.lake.LAKE_VERSION`): each event file
    without ``outlet_key`` gets it, computed from its ``outlet`` as the import does; every record and flag is
    kept. The files are replaced through the journal, as an import's (a kill leaves the old or the new lake).
    Returns what was done."""
    from ..warehouse import Warehouse
    from .lake import EVENT_SCHEMA, LAKE_VERSION, OUTLET_KEY_SQL, _lit, _tmp_name
    import duckdb
    wh = Warehouse(db)
    lk = Lake(lake_path(db, lake))
    if not lk.root.exists():
        raise MultipolarError(f"there is no event lake at {lk.root}: give --lake (or --db beside it)")
    with _locked(lk):
        recover(wh, lk)
        v = lk.version()
        if v is not None and v > LAKE_VERSION:
            lk.check()
        old = lk.old_files()
        if not old:
            if lk.files() and not lk.version_file.exists():
                lk.mark_version()
            return f"the event lake {lk.root} is in layout {LAKE_VERSION} already: nothing to do"
        con = duckdb.connect()
        cols = ", ".join(OUTLET_KEY_SQL.format(col="nullif(trim(outlet), '')") + " AS outlet_key" if f.name == "outlet_key" else f.name
                         for f in EVENT_SCHEMA)
        moves = []
        for f in old:
            tmp = _tmp_name(f)
            con.execute(f"COPY (SELECT {cols} FROM read_parquet({_lit(f)})) TO {_lit(tmp)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)")
            moves.append([str(tmp.relative_to(lk.root)), str(f.relative_to(lk.root))])
        con.close()
        lk.write_journal({"moves": moves, "months": [], "logs": []})
        lk.apply_moves(moves)
        lk.mark_version()
        lk.journal.unlink()
    return (f"migrated the event lake {lk.root} to layout {LAKE_VERSION}: {len(old)} partition file(s) rewritten with outlet_key "
            "(the aggregates do not change; `multipolar events aggregate` recomputes them all)")


def yearly(dm: pd.DataFrame) -> pd.DataFrame:
    """Dyad-years from dyad-months (sums; means weighted by events or mentions; volume share over the year)."""
    d = dm.copy()
    d["_gw"] = d["goldstein_mw_mean"] * d["mentions"]
    d["_nw"] = d["net_cooperation_mw"] * d["mentions"]
    d["_den"] = d["events"] / d["volume_share"]
    g = d.groupby(["source", "year", "source_code", "target_code"], as_index=False).agg(
        events=("events", "sum"), records=("records", "sum"), verbal_coop=("verbal_coop", "sum"), material_coop=("material_coop", "sum"),
        verbal_conflict=("verbal_conflict", "sum"), material_conflict=("material_conflict", "sum"), goldstein_sum=("goldstein_sum", "sum"),
        mentions=("mentions", lambda s: s.sum(min_count=1)), _gw=("_gw", lambda s: s.sum(min_count=1)), _nw=("_nw", lambda s: s.sum(min_count=1)),
        _den=("_den", "sum"), months=("month", "nunique"))
    g["goldstein_mean"] = g["goldstein_sum"] / g["events"]
    g["net_cooperation"] = (g["verbal_coop"] + g["material_coop"] - g["verbal_conflict"] - g["material_conflict"]) / g["events"]
    g["goldstein_mw_mean"] = g["_gw"] / g["mentions"]
    g["net_cooperation_mw"] = g["_nw"] / g["mentions"]
    g["volume_share"] = g["events"] / g["_den"]
    return g.drop(columns=["_gw", "_nw", "_den"])


def dyad(a: str, b: str, years=None, db=None, freq: str = "month") -> tuple[pd.DataFrame, list[str]]:
    """One pair's series, both directions: (table, notes). ``years``: 'FIRST:LAST' or a year."""
    from ..actors.registry import registry
    from ..warehouse import Warehouse
    reg = registry()
    ca, cb = reg.resolve(a), reg.resolve(b)
    wh = Warehouse(db)
    with wh.connect() as con:
        if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'event_dyad_month'").fetchall()[0][0]:
            raise MultipolarError(f"the warehouse {wh.path} holds no event series: `multipolar events import FILES` first")
        lo, hi = _years(years)
        dm = con.execute("""SELECT * FROM event_dyad_month WHERE ((source_code = ? AND target_code = ?) OR (source_code = ? AND target_code = ?))
                            AND year BETWEEN ? AND ? ORDER BY source, year, month""", [ca, cb, cb, ca, lo, hi]).df()
        cov = con.execute("SELECT * FROM event_month_coverage WHERE year BETWEEN ? AND ? ORDER BY source, year, month", [lo, hi]).df()
        files = con.execute("SELECT source, count(*) AS files, min(file_name) AS first, max(file_name) AS last FROM event_imports GROUP BY source ORDER BY source").df()
    if freq == "year":
        dm = yearly(dm) if not dm.empty else dm
    keys = ["source", "year"] + (["month"] if freq == "month" else [])
    ab = dm[(dm["source_code"] == ca)].set_index(keys)
    ba = dm[(dm["source_code"] == cb)].set_index(keys)
    idx = ab.index.union(ba.index)
    ab, ba = ab.reindex(idx), ba.reindex(idx)
    out = pd.DataFrame(index=idx)
    out["events ab"] = ab["events"].fillna(0).astype("int64")
    out["events ba"] = ba["events"].fillna(0).astype("int64")
    out["dups removed"] = ((ab["records"] - ab["events"]).fillna(0) + (ba["records"] - ba["events"]).fillna(0)).astype("int64")
    out["net coop ab"], out["net coop ba"] = ab["net_cooperation"], ba["net_cooperation"]
    out["goldstein ab"], out["goldstein ba"] = ab["goldstein_mean"], ba["goldstein_mean"]
    out["vol share ab"], out["vol share ba"] = ab["volume_share"], ba["volume_share"]
    if freq == "month":
        out["outlets"] = ab["outlets"].fillna(0).astype("int64") + ba["outlets"].fillna(0).astype("int64")
    out = out.reset_index()
    # within a source's coverage a period without the pair's events has 0 events (its ratios missing); a period the
    # files do not cover is not shown (missing, never 0)
    if not cov.empty:
        c = cov[["source", "year", "month", "days"]] if freq == "month" else cov.groupby(["source", "year"], as_index=False)["days"].sum()
        c = c[c["source"] != "mentions"]
        out = c.merge(out, on=keys, how="left") if not out.empty else c.assign(**{k: pd.Series(dtype="float64") for k in out.columns if k not in keys})
        for col in ("events ab", "events ba", "dups removed", "outlets"):
            if col in out:
                out[col] = out[col].fillna(0).astype("int64")
        out = out[[*keys, *[k for k in out.columns if k not in keys and k != "days"], "days"]].sort_values(keys).reset_index(drop=True)
    notes = [f"ab = {ca} -> {cb}, ba = {cb} -> {ca}; " + ("outlets: distinct outlets (sum of both directions); " if freq == "month" else "")
             + f"days: days with events in the source's files that {freq}",
             f"{VOLUME_CAVEAT}"]
    for r in files.itertuples(index=False):
        names = r.first if r.first == r.last else f"{r.first} … {r.last}"
        notes.append(f"source {r.source}: {r.files} file(s) imported ({names})")
    if not cov.empty:
        for s, c in cov.groupby("source"):
            notes.append(f"{s} covers {int(c['days'].sum())} days in {len(c)} month(s) of {lo}-{hi}: a covered month without the pair's events shows 0; "
                         "months without files are not shown (missing, not 0)")
    return out, notes


def _years(years) -> tuple[int, int]:
    """The years asked (:func:`multipolar.years.parse_years`), or 1946 to this year."""
    from ..years import parse_years
    return parse_years(years) or (1946, dt.date.today().year)


def status(db=None) -> pd.DataFrame:
    """The event imports the warehouse records (one row per file, oldest first), or an empty table when there
    are none."""
    from ..warehouse import Warehouse
    with Warehouse(db).connect() as con:
        if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'event_imports'").fetchall()[0][0]:
            return pd.DataFrame()
        return con.execute("SELECT * FROM event_imports ORDER BY imported_at").df()
