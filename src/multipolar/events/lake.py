"""The event lake: every resolved event record in Parquet, partitioned by year, month and source.

Layout (Hive-style, which DuckDB and Spark both read)::

    LAKE/events/year=2024/month=12/source=gdelt2/data.parquet
    LAKE/mentions/year=2024/month=12/data.parquet
    LAKE/_journal.json            (only while an import is being committed)

Columns of ``events``: ``event_id``, ``date``, ``source_code``, ``target_code`` (registry codes, resolved on
the event's date), ``event_code``, ``root_code`` (CAMEO root, or the PLOVER type), ``quad_class`` (1 verbal
cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict), ``goldstein``, ``mentions``
(GDELT's NumMentions; missing where the layout has none), ``url`` (the article, or ICEWS's story id),
``outlet`` (the URL's host or the publisher) and ``outlet_key`` (63 bits of its MD5: distinct outlets are counted on it,
the same number on any engine), ``duplicate_of`` (missing for an event; the kept record's
``event_id`` for a duplicate record, see below), ``line`` and ``import_sha`` (the file and line it came from).

Deduplication (records are kept, duplicates flagged; aggregates count only ``duplicate_of IS NULL``):

1. **The same record** — the same ``event_id`` on the same date — is stored once, whichever file brings it
   again (a file imported twice, overlapping downloads, ICEWS's repeated ``event_id`` rows with their date).
2. **GDELT and Phoenix: the same event** — the same day, the same actor pair (as resolved), the same CAMEO root
   code and the same source URL — is one event: the record with the lowest ``event_id`` is kept, the others
   point to it. (GDELT itself drops only records identical in every field.) Records without a URL are never
   merged. ICEWS and POLECAT are deduplicated by their publishers; rule 1 only.

Rules are applied to the whole month partition after each import, so the result does not depend on the order
in which files arrive.

Atomicity: new partition files are written beside the old ones under hidden names (``.tmp-*``, which
neither DuckDB's glob nor Spark read); then a journal naming every move is written (atomically, by rename);
then each file is moved into place (``os.replace``) and the warehouse's aggregates and import log are written in
one transaction; then the journal is removed. Whoever opens the lake next finishes a journal that was left
(roll forward) and deletes stray temporary files (no journal: the import never committed). A killed import
therefore leaves either the state before it or, once recovered, the state after it: never half a file.
"""
from __future__ import annotations

import json
import os
import shutil
import uuid
from collections import Counter
from pathlib import Path

import duckdb
import pyarrow as pa

from ..errors import InputError, MultipolarError, show
from .formats import Raw

EVENT_SCHEMA = pa.schema([("event_id", pa.string()), ("date", pa.date32()), ("source_code", pa.string()), ("target_code", pa.string()),
                          ("event_code", pa.string()), ("root_code", pa.string()), ("quad_class", pa.int8()), ("goldstein", pa.float64()),
                          ("mentions", pa.int32()), ("url", pa.string()), ("outlet", pa.string()), ("outlet_key", pa.int64()), ("duplicate_of", pa.string()),
                          ("line", pa.int64()), ("import_sha", pa.string())])
#: the outlet's key: the low 64 bits of its MD5, shifted to 63 bits (a positive BIGINT on every engine). Distinct
#: outlets are counted on it, exactly up to a collision of two outlets' keys: about N^2/2^64 for N outlets
#: (5e-8 for a million; ``benchmarks/events.py`` counts the collisions over 10 million names)
OUTLET_KEY_SQL = "CAST(md5_number_lower({col}) >> 1 AS BIGINT)"
#: the lake's layout version, in ``LAKE/_lake.json``. 1: no ``outlet_key`` column (before December 2026);
#: 2: ``outlet_key``. ``multipolar events migrate`` rewrites a layout-1 lake in place.
LAKE_VERSION = 2
#: sources whose records are merged by rule 2 (same day, pair, root code and URL)
CONTENT_RULE = {"gdelt1", "gdelt2", "phoenix"}
#: CAMEO actor codes for regions and groups of states (CAMEO manual, ch. 4): not states
from ..sources.events import CAMEO_REGIONS, CAMEO_TO_ISO  # noqa: E402


class Lake:
    """The events lake under ``root``: Parquet files of events by year, month and source, and of GDELT
    mentions by year and month; files are written beside their place and moved in from a journal, so a
    crash leaves no half-written partition."""
    def __init__(self, root):
        self.root = Path(root)

    # ---- paths ---------------------------------------------------------------------------
    @property
    def events_dir(self) -> Path:
        return self.root / "events"

    @property
    def mentions_dir(self) -> Path:
        return self.root / "mentions"

    def part(self, source: str, year: int, month: int) -> Path:
        """The file of one source's events in one month."""
        return self.events_dir / f"year={year}" / f"month={month}" / f"source={source}" / "data.parquet"

    def mentions_part(self, year: int, month: int) -> Path:
        """The file of the mentions of one month."""
        return self.mentions_dir / f"year={year}" / f"month={month}" / "data.parquet"

    def files(self, months: list[tuple[str, int, int]] | None = None) -> list[Path]:
        """The event files of the given (source, year, month) partitions that exist, or all of them."""
        if months is not None:
            return [p for p in (self.part(*m) for m in months) if p.exists()]
        return sorted(self.events_dir.glob("year=*/month=*/source=*/data.parquet"))

    def partitions(self) -> list[tuple[str, int, int]]:
        """Every (source, year, month) partition the lake holds."""
        out = []
        for p in self.files():
            y, m, s = (x.split("=", 1)[1] for x in p.parts[-4:-1])
            out.append((s, int(y), int(m)))
        return out

    def glob(self) -> str:
        """A glob pattern of every event file (for DuckDB's ``read_parquet``)."""
        return str(self.events_dir / "year=*" / "month=*" / "source=*" / "data.parquet")

    # ---- layout version -------------------------------------------------------------------
    @property
    def version_file(self) -> Path:
        return self.root / "_lake.json"

    def version(self) -> int | None:
        """The lake's layout version: the one ``_lake.json`` records; else read from the files (2 when they hold
        ``outlet_key``, 1 when any lacks it); None for an empty lake."""
        if self.version_file.exists():
            try:
                return int(json.loads(self.version_file.read_text())["version"])
            except (ValueError, KeyError, TypeError) as e:
                raise InputError(f"the event lake's version file is damaged ({e})", file=str(self.version_file),
                                 expected='{"version": N}', hint="delete it: the version is then read from the files") from None
        old = self.old_files()
        if old:
            return 1
        return LAKE_VERSION if self.files() else None

    def old_files(self) -> list[Path]:
        """The event files in layout 1 (without ``outlet_key``)."""
        import pyarrow.parquet as pq
        return [f for f in self.files() if "outlet_key" not in pq.read_schema(f).names]

    def check(self) -> None:
        """Raise a clear error when the lake is in a layout this version cannot read (older: migrate; newer:
        upgrade multipolar)."""
        v = self.version()
        if v is None or v == LAKE_VERSION:
            return
        if v < LAKE_VERSION:
            raise MultipolarError(f"the event lake {self.root} is in layout {v} (written by an older multipolar: its files lack the "
                                  f"outlet_key column); this multipolar reads layout {LAKE_VERSION}. Run `multipolar events migrate --lake {self.root}` "
                                  "(rewrites each partition adding the column; every record is kept), or delete the folder and import the files again")
        raise MultipolarError(f"the event lake {self.root} is in layout {v}, newer than this multipolar reads ({LAKE_VERSION}): upgrade multipolar")

    def mark_version(self) -> None:
        """Record the current layout version (atomically)."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".tmp-version-{uuid.uuid4().hex}"
        tmp.write_text(json.dumps({"version": LAKE_VERSION}))
        os.replace(tmp, self.version_file)

    # ---- journal -------------------------------------------------------------------------
    @property
    def journal(self) -> Path:
        return self.root / "_journal.json"

    def pending(self) -> dict | None:
        """The journal of a write that did not finish (its moves), or None."""
        return json.loads(self.journal.read_text()) if self.journal.exists() else None

    def write_journal(self, entry: dict) -> None:
        """Write the journal ``entry`` atomically (a temporary file renamed into place)."""
        tmp = self.root / f".tmp-journal-{uuid.uuid4().hex}"
        with open(tmp, "w") as f:
            json.dump(entry, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.journal)

    def apply_moves(self, moves: list[list[str]]) -> None:
        """Move each written temporary file onto its final path (idempotent: a move already made is skipped)."""
        for tmp, final in moves:
            t, f = self.root / tmp, self.root / final
            if t.exists():
                f.parent.mkdir(parents=True, exist_ok=True)
                os.replace(t, f)
            elif not f.exists() and tmp.endswith(".delete"):
                pass

    def clean(self) -> int:
        """Delete temporary files that no journal names (an import killed before it committed)."""
        if self.journal.exists():
            return 0
        n = 0
        for p in list(self.root.rglob(".tmp-*")) if self.root.exists() else []:
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
            n += 1
        return n


def _one(con, sql: str):
    rows = con.execute(sql).fetchall()
    return rows[0] if rows else None


def _tmp_name(final: Path) -> Path:
    return final.parent / f".tmp-{uuid.uuid4().hex}.parquet"


def _lit(s: str) -> str:
    return "'" + str(s).replace("'", "''") + "'"


# ---- normalisation: raw strings -> typed, resolved records ---------------------------------------
def _resolve(con, raw: Raw, path: Path, rejected: Counter, notes: list) -> None:
    """Add ``source_code`` / ``target_code`` to the table ``r`` (registry codes on the event's date);
    rows whose actor is blank, not a state or unknown are dropped and counted (never guessed)."""
    from ..sources.base import map_countries
    over = {**{r: None for r in CAMEO_REGIONS}, **CAMEO_TO_ISO} if raw.system == "cameo" else None
    for side, col in (("actor1", "source_code"), ("actor2", "target_code")):
        blank = con.execute(f"SELECT count(*) FROM r WHERE {side} IS NULL OR trim({side}) = ''").fetchall()[0][0]
        if blank:
            rejected[f"no state actor ({'source' if side == 'actor1' else 'target'}: blank country)"] += int(blank)
            con.execute(f"DELETE FROM r WHERE {side} IS NULL OR trim({side}) = ''")
        keys = con.execute(f"SELECT trim({side}) AS k, CAST(d AS VARCHAR) AS day, count(*) AS n FROM r GROUP BY ALL").df()
        if keys.empty:
            con.execute(f"ALTER TABLE r ADD COLUMN {col} VARCHAR")
            continue
        rej = Counter()
        m = map_countries(keys, "k", system="name" if raw.system == "name" else "iso3", path=path, date="day", out=col, strict=False,
                          rejected=rej, overrides=over, weight="n", notes=notes, source=raw.source, drop=True)
        label = "source" if side == "actor1" else "target"
        for k, v in rej.items():
            rejected[k.replace("(k)", f"({label} actor)").replace("(k;", f"({label} actor;")] += v
        notes[:] = [n.replace("(k)", f"({label} actor)").replace("(k;", f"({label} actor;") for n in notes]
        con.register("_m", m[["k", "day", col]])
        con.execute(f"""CREATE OR REPLACE TABLE r AS SELECT r.*, _m.{col} FROM r JOIN _m ON _m.k = trim(r.{side}) AND _m.day = CAST(r.d AS VARCHAR)""")
        con.unregister("_m")


def normalise(raw: Raw, path: Path, sha: str, con=None) -> tuple[pa.Table, Counter, list]:
    """Typed, resolved records of one file (the lake's columns). Bad dates or numbers are errors naming the
    line; actors that are not states are counted in the returned Counter."""
    own = con is None
    con = con or duckdb.connect()
    rejected = Counter(raw.rejected)
    notes: list = []
    con.register("raw_in", raw.table)
    con.execute("""CREATE OR REPLACE TABLE r AS SELECT *, try_strptime(left(replace(trim(date), '-', ''), 8), '%Y%m%d')::DATE AS d,
                   try_cast(goldstein AS DOUBLE) AS g, try_cast(mentions AS INTEGER) AS nm, try_cast(quad_class AS TINYINT) AS q FROM raw_in""")
    con.unregister("raw_in")
    for c, raw_c, what in (("d", "date", "a date YYYYMMDD or YYYY-MM-DD"), ("g", "goldstein", "a number (Goldstein score, -10 to 10)"),
                           ("nm", "mentions", "a whole number of mentions"), ("q", "quad_class", "a quad class 1-4")):
        bad = _one(con, f"SELECT line, {raw_c} FROM r WHERE {c} IS NULL AND {raw_c} IS NOT NULL AND trim({raw_c}) <> '' ORDER BY line LIMIT 1")
        if bad:
            raise InputError(f"not {what.split(' (')[0]}: {show(bad[1])}", file=str(path), line=int(bad[0]), field=raw_c, expected=what,
                             hint="the file is damaged or not in the layout; download it again")
    nd = con.execute("SELECT count(*) FROM r WHERE d IS NULL").fetchall()[0][0]
    if nd:
        line = con.execute("SELECT min(line) FROM r WHERE d IS NULL").fetchall()[0][0]
        raise InputError("an event without a date", file=str(path), line=int(line), field="date", expected="a date on every event")
    bad_year = _one(con, "SELECT line, date FROM r WHERE year(d) < 1979 OR d > current_date + INTERVAL 1 DAY ORDER BY line LIMIT 1")
    if bad_year:
        raise InputError(f"a date outside event data's range: {show(bad_year[1])}", file=str(path), line=int(bad_year[0]), field="date",
                         expected="1979 to today")
    early = con.execute("SELECT count(*) FROM r WHERE year(d) < 1946").fetchall()[0][0]
    if early:
        rejected["before 1946 (outside multipolar's coverage)"] += int(early)
        con.execute("DELETE FROM r WHERE year(d) < 1946")
    noid = con.execute("SELECT min(line) FROM r WHERE event_id IS NULL OR trim(event_id) = ''").fetchall()[0][0]
    if noid is not None:
        raise InputError("an event without an id", file=str(path), line=int(noid), field="event_id", expected="an event id on every row")
    _resolve(con, raw, path, rejected, notes)
    t = con.sql(f"""SELECT trim(event_id) AS event_id, d AS date, source_code, target_code, trim(event_code) AS event_code,
                               lpad(trim(root_code), 2, '0') AS root_code,
                               CAST(coalesce(q, CASE WHEN try_cast(root_code AS INTEGER) BETWEEN 1 AND 5 THEN 1
                                                    WHEN try_cast(root_code AS INTEGER) BETWEEN 6 AND 8 THEN 2
                                                    WHEN try_cast(root_code AS INTEGER) BETWEEN 9 AND 13 THEN 3
                                                    WHEN try_cast(root_code AS INTEGER) BETWEEN 14 AND 20 THEN 4 END) AS TINYINT) AS quad_class,
                               g AS goldstein, nm AS mentions, nullif(trim(url), '') AS url, nullif(trim(outlet), '') AS outlet,
                               {OUTLET_KEY_SQL.format(col="nullif(trim(outlet), '')")} AS outlet_key,
                               CAST(NULL AS VARCHAR) AS duplicate_of, line, {_lit(sha[:16])} AS import_sha
                        FROM r""").to_arrow_table()
    if hasattr(t, "read_all"):
        t = t.read_all()
    con.execute("DROP TABLE r")
    if own:
        con.close()
    return t.cast(EVENT_SCHEMA), rejected, notes


def normalise_mentions(raw: Raw, path: Path, sha: str) -> pa.Table:
    """The GDELT mentions of the raw file as the lake stores them (event id, event and mention times, type,
    outlet, URL, confidence, line, import sha); a time that does not parse raises naming its line."""
    con = duckdb.connect()
    con.register("raw_in", raw.table)
    t = con.sql(f"""SELECT trim(GLOBALEVENTID) AS event_id, try_strptime(left(EventTimeDate, 14), '%Y%m%d%H%M%S') AS event_time,
                               try_strptime(left(MentionTimeDate, 14), '%Y%m%d%H%M%S') AS mention_time, try_cast(MentionType AS TINYINT) AS mention_type,
                               lower(MentionSourceName) AS outlet, MentionIdentifier AS url, try_cast(Confidence AS TINYINT) AS confidence, line,
                               {_lit(sha[:16])} AS import_sha FROM raw_in""").to_arrow_table()
    if hasattr(t, "read_all"):
        t = t.read_all()
    con.close()
    bad = pa.compute.sum(pa.compute.is_null(t["event_time"])).as_py()
    if bad:
        i = pa.compute.index(pa.compute.is_null(t["event_time"]), True).as_py()
        raise InputError(f"not a time: {show(raw.table['EventTimeDate'][i].as_py())}", file=str(path), line=int(t["line"][i].as_py()),
                         field="EventTimeDate", expected="YYYYMMDDHHMMSS")
    return t


# ---- merging into partitions ----------------------------------------------------------------------
def merge(lake: Lake, source: str, new: pa.Table, con=None) -> tuple[list, list, dict]:
    """Write the month partitions ``new`` touches, merged with what they hold and deduplicated, to
    temporary files. Returns (moves, months, counts); nothing is visible until the moves are applied."""
    own = con is None
    con = con or duckdb.connect()
    con.register("new_in", new)
    months = con.execute("SELECT DISTINCT year(date), month(date) FROM new_in ORDER BY 1, 2").fetchall()
    moves, touched = [], []
    counts = Counter()
    for y, m in months:
        final = lake.part(source, y, m)
        cond = f"year(date) = {y} AND month(date) = {m}"
        old = f"SELECT *, 0 AS _prio FROM read_parquet({_lit(final)})" if final.exists() else None
        newq = f"SELECT *, 1 AS _prio FROM new_in WHERE {cond}"
        union = f"{old} UNION ALL BY NAME {newq}" if old else newq
        con.execute(f"""CREATE OR REPLACE TEMP TABLE u AS SELECT * EXCLUDE (_prio) FROM ({union})
                        QUALIFY row_number() OVER (PARTITION BY event_id, date ORDER BY _prio, line) = 1""")
        n_old = con.execute(f"SELECT count(*), count(*) FILTER (WHERE duplicate_of IS NULL) FROM read_parquet({_lit(final)})").fetchall()[0] if old else (0, 0)
        n_in = con.execute(f"SELECT count(*) FROM new_in WHERE {cond}").fetchall()[0][0]
        n_u = con.execute("SELECT count(*) FROM u").fetchall()[0][0]
        counts["records"] += n_in
        counts["same record again (rule 1)"] += n_in - (n_u - n_old[0])
        if n_u == n_old[0]:
            continue            # nothing new in this month: the partition is left as it is
        if source in CONTENT_RULE:
            flag = """CASE WHEN url IS NULL THEN NULL
                           WHEN row_number() OVER w > 1 THEN first_value(event_id) OVER w END"""
            window = "WINDOW w AS (PARTITION BY date, source_code, target_code, root_code, url ORDER BY length(event_id), event_id)"
        else:
            flag, window = "NULL", ""
        tmp = _tmp_name(final)
        tmp.parent.mkdir(parents=True, exist_ok=True)
        con.execute(f"""COPY (SELECT {", ".join(f.name if f.name != "duplicate_of" else f"CAST({flag} AS VARCHAR) AS duplicate_of" for f in EVENT_SCHEMA)} FROM u {window})
                        TO {_lit(tmp)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)""")
        kept = con.execute(f"SELECT count(*) FILTER (WHERE duplicate_of IS NULL) FROM read_parquet({_lit(tmp)})").fetchall()[0][0]
        counts["same event, other record (rule 2)"] += (n_u - n_old[0]) - (kept - n_old[1])
        counts["events added"] += kept - n_old[1]
        moves.append([str(tmp.relative_to(lake.root)), str(final.relative_to(lake.root))])
        touched.append((source, int(y), int(m)))
    con.execute("DROP TABLE IF EXISTS u")
    con.unregister("new_in")
    if own:
        con.close()
    return moves, touched, dict(counts)


def merge_mentions(lake: Lake, new: pa.Table) -> tuple[list, dict]:
    """Merge ``new`` mentions into the lake's monthly files (one row per event and URL, the held one first);
    returns the moves to apply and the counts of records read and mentions added."""
    con = duckdb.connect()
    con.register("new_in", new)
    months = con.execute("SELECT DISTINCT year(event_time), month(event_time) FROM new_in ORDER BY 1, 2").fetchall()
    moves, counts = [], Counter()
    for y, m in months:
        final = lake.mentions_part(y, m)
        cond = f"year(event_time) = {y} AND month(event_time) = {m}"
        old = f"SELECT *, 0 AS _prio FROM read_parquet({_lit(final)}) UNION ALL BY NAME " if final.exists() else ""
        n_old = con.execute(f"SELECT count(*) FROM read_parquet({_lit(final)})").fetchall()[0][0] if final.exists() else 0
        con.execute(f"""CREATE OR REPLACE TEMP TABLE u AS SELECT * EXCLUDE (_prio) FROM ({old} SELECT *, 1 AS _prio FROM new_in WHERE {cond})
                        QUALIFY row_number() OVER (PARTITION BY event_id, url ORDER BY _prio, mention_time) = 1""")
        n_u = con.execute("SELECT count(*) FROM u").fetchall()[0][0]
        counts["records"] += con.execute(f"SELECT count(*) FROM new_in WHERE {cond}").fetchall()[0][0]
        counts["mentions added"] += n_u - n_old
        if n_u == n_old:
            continue
        tmp = _tmp_name(final)
        tmp.parent.mkdir(parents=True, exist_ok=True)
        con.execute(f"COPY u TO {_lit(tmp)} (FORMAT parquet, COMPRESSION zstd)")
        moves.append([str(tmp.relative_to(lake.root)), str(final.relative_to(lake.root))])
    con.close()
    counts["same mention again"] = counts["records"] - counts["mentions added"]
    return moves, dict(counts)
