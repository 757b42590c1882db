"""Dyad-month series from the lake: one ibis expression, run on embedded DuckDB or on Spark.

For each source, month and directed pair A -> B of different states (events with ``duplicate_of`` set are
counted in ``records`` only):

``events``                 events (after deduplication); ``records``: records before it
``verbal_coop`` ... ``material_conflict``   events per quad class (1-4)
``goldstein_sum``, ``goldstein_mean``        Goldstein scores of the events
``net_cooperation``        (quad 1 + 2 - quad 3 - quad 4) / events, -1 to 1
``mentions``               the events' mentions (GDELT's NumMentions; missing where the layout has none)
``goldstein_mw_mean``, ``net_cooperation_mw``   the same weighted by mentions (missing without mentions)
``outlets``                distinct outlets (URL hosts, publishers) behind the events
``volume_share``           events of the pair / all events between two different states in which A or B is one of the
                           actors that month (volume normalisation: media attention rises and falls for everyone)

``coverage``: per source and month, the distinct days with events, events and records: the interaction
dimension counts a year only when its days reach :data:`multipolar.dimensions.dyads.interaction.EVENT_DAYS`.
"""
from __future__ import annotations

import os

import ibis

KEYS = ["source", "year", "month", "source_code", "target_code"]
COLUMNS = KEYS + ["events", "records", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict", "goldstein_sum",
                  "goldstein_mean", "net_cooperation", "mentions", "goldstein_mw_mean", "net_cooperation_mw", "outlets", "volume_share"]
COVERAGE_COLUMNS = ["source", "year", "month", "days", "events", "records"]


def _typed(ev: ibis.Table) -> ibis.Table:
    return ev.mutate(year=ev.year.cast("int32"), month=ev.month.cast("int32"), source=ev.source.cast("string"))


def dyad_month(ev: ibis.Table, cache: bool = False) -> ibis.Table:
    """The dyad-month expression (engine-neutral). ``cache``: materialise the per-pair counts once on the backend
    (the volume share reads them four times)."""
    return with_volume(pair_counts(ev).cache() if cache else pair_counts(ev))


PAIR = ["source_code", "target_code"]
#: on DuckDB, a partition file of at least this many records is aggregated on its own (see :func:`run`)
PER_FILE_ROWS = 1_000_000


def pair_counts(ev: ibis.Table, keys: list[str] = KEYS) -> ibis.Table:
    """Stage 1: the counts and sums of each source, month and directed pair.

    The events (records not flagged as duplicates) are filtered once and aggregated without per-aggregate
    conditions; the records (duplicates included) are counted apart and joined: on DuckDB this halves the
    time of one pass that tests ``duplicate_of IS NULL`` inside every aggregate. Distinct outlets are counted
    exactly on ``outlet_key`` (integers, the same on every engine; see :mod:`.lake`)."""
    ev = _typed(ev) if keys == KEYS else ev
    e = ev.filter(ev.source_code != ev.target_code)
    k = e.filter(e.duplicate_of.isnull())
    q = k.quad_class
    m = k.mentions.cast("float64")
    g = k.group_by(keys).aggregate(
        events=k.count(),
        verbal_coop=k.count(where=q == 1),
        material_coop=k.count(where=q == 2),
        verbal_conflict=k.count(where=q == 3),
        material_conflict=k.count(where=q == 4),
        goldstein_sum=k.goldstein.sum(),
        goldstein_mean=k.goldstein.mean(),
        mentions=m.sum(),
        _gmw=(k.goldstein * m).sum(),
        _coop_m=m.sum(where=q <= 2),
        _confl_m=m.sum(where=q >= 3),
        outlets=k.outlet_key.nunique(),   # exact: distinct 63-bit keys of the outlets (collisions: see lake.py)
    )
    r = e.group_by(keys).aggregate(records=e.count()).rename(**{f"_r_{c}": c for c in keys})
    j = g.join(r, [g[c] == r[f"_r_{c}"] for c in keys])
    return j.select(*[j[c] for c in keys], events=j.events, records=j.records, **{c: j[c] for c in (
        "verbal_coop", "material_coop", "verbal_conflict", "material_conflict", "goldstein_sum", "goldstein_mean", "mentions",
        "_gmw", "_coop_m", "_confl_m", "outlets")})


def with_volume(g: ibis.Table) -> ibis.Table:
    """Stage 2: ratios, mention weights and the volume share from the pair counts."""
    tk = ["source", "year", "month"]
    a = g.select(*tk, state=g.source_code, n=g.events)
    b = g.select(*tk, state=g.target_code, n=g.events)
    tot = a.union(b).group_by([*tk, "state"]).aggregate(n=lambda t: t.n.sum())
    ta = tot.rename(ta_source="source", ta_year="year", ta_month="month", ta_state="state", ta_n="n")
    tb = tot.rename(tb_source="source", tb_year="year", tb_month="month", tb_state="state", tb_n="n")
    rv = g.select(rv_source=g.source, rv_year=g.year, rv_month=g.month, rv_a=g.target_code, rv_b=g.source_code, rv_n=g.events)
    j = g.join(ta, [g.source == ta.ta_source, g.year == ta.ta_year, g.month == ta.ta_month, g.source_code == ta.ta_state])
    j = j.join(tb, [j.source == tb.tb_source, j.year == tb.tb_year, j.month == tb.tb_month, j.target_code == tb.tb_state])
    j = j.left_join(rv, [j.source == rv.rv_source, j.year == rv.rv_year, j.month == rv.rv_month,
                         j.source_code == rv.rv_a, j.target_code == rv.rv_b])
    ev_f = j.events.cast("float64")
    denom = (j.ta_n + j.tb_n - j.events - j.rv_n.fill_null(0)).cast("float64")
    has_m = j.mentions > 0
    return j.select(
        *[j[c] for c in KEYS], events=j.events.cast("int64"), records=j.records.cast("int64"),
        verbal_coop=j.verbal_coop.cast("int64"), material_coop=j.material_coop.cast("int64"),
        verbal_conflict=j.verbal_conflict.cast("int64"), material_conflict=j.material_conflict.cast("int64"),
        goldstein_sum=j.goldstein_sum, goldstein_mean=j.goldstein_mean,
        net_cooperation=(j.verbal_coop + j.material_coop - j.verbal_conflict - j.material_conflict).cast("float64") / ev_f,
        mentions=j.mentions,
        goldstein_mw_mean=ibis.cases((has_m, j._gmw / j.mentions), else_=ibis.null("float64")),
        net_cooperation_mw=ibis.cases((has_m, (j._coop_m.fill_null(0) - j._confl_m.fill_null(0)) / j.mentions), else_=ibis.null("float64")),
        outlets=j.outlets.cast("int64"),
        volume_share=ev_f / denom,
    )


def coverage(ev: ibis.Table) -> ibis.Table:
    """Per source, year and month: days with events, events kept (not duplicates of another source's) and
    records read."""
    ev = _typed(ev)
    kept = ev.duplicate_of.isnull()
    return ev.group_by(["source", "year", "month"]).aggregate(days=ev.date.nunique(), events=ev.count(where=kept), records=ev.count()) \
             .mutate(days=lambda t: t.days.cast("int64"), events=lambda t: t.events.cast("int64"), records=lambda t: t.records.cast("int64"))


# ---- engines -----------------------------------------------------------------------------------------
_SPARK = {}


def spark_session(master: str = "local[*]"):
    """A SparkSession for ``master`` (``local[*]``, ``spark://host:7077``, or ``sc://host:15002`` for Spark Connect),
    made once per process."""
    if master in _SPARK:
        return _SPARK[master]
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        from ..errors import MultipolarError
        raise MultipolarError("--engine spark needs pyspark: pip install 'multipolar[spark]' (and Java 17)") from None
    b = SparkSession.builder.appName("multipolar-events")
    if master.startswith("sc://"):
        b = b.remote(master)
    else:
        b = (b.master(master).config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", os.environ.get("MULTIPOLAR_SPARK_PARTITIONS", "8"))
             .config("spark.sql.session.timeZone", "UTC").config("spark.driver.memory", os.environ.get("MULTIPOLAR_SPARK_MEMORY", "2g")))
    s = b.getOrCreate()
    s.sparkContext.setLogLevel("ERROR") if not master.startswith("sc://") else None
    _SPARK[master] = s
    return s


def read_lake(lake, engine: str = "duckdb", master: str = "local[*]", files=None):
    """(ibis backend, events table) over the lake's event partitions (``files``: only those)."""
    if engine == "duckdb":
        con = ibis.duckdb.connect()
        con.raw_sql("SET preserve_insertion_order = false")
        con.raw_sql("SET enable_progress_bar = false")
        paths = [str(f) for f in files] if files is not None else lake.glob()
        return con, con.read_parquet(paths, hive_partitioning=True)
    if engine == "spark":
        s = spark_session(master)
        con = ibis.pyspark.connect(s)
        if files is not None:
            df = s.read.option("basePath", str(lake.events_dir)).parquet(*[str(f) for f in files])
        else:
            df = s.read.parquet(str(lake.events_dir))
        name = "mp_events"
        df.createOrReplaceTempView(name)
        return con, con.table(name)
    raise ValueError(f"unknown engine {engine!r}: duckdb or spark")


def run(lake, engine: str = "duckdb", master: str = "local[*]", files=None):
    """(dyad-month rows, coverage rows) as Arrow tables, with the engine named.

    On DuckDB the per-pair counts of a large partition file (:data:`PER_FILE_ROWS` records or more) are computed on
    their own (a file is one source, year and month, so the pairs alone are the keys: smaller hash tables, no constant
    keys hashed for every record), those of the small files in one query, then the volume share over all of them; on Spark the one expression runs over the whole lake. Both compute the same
    :func:`pair_counts` and :func:`with_volume`; a test compares them row for row."""
    if engine != "duckdb":
        con, ev = read_lake(lake, engine, master, files)
        dm = con.to_pyarrow(dyad_month(ev, cache=True)).select(COLUMNS)
        cv = con.to_pyarrow(coverage(ev)).select(COVERAGE_COLUMNS)
        return dm, cv
    import pyarrow as pa
    import pyarrow.parquet as pq
    files = [str(f) for f in files] if files is not None else [str(f) for f in lake.files()]
    con = ibis.duckdb.connect()
    con.raw_sql("SET preserve_insertion_order = false")
    con.raw_sql("SET enable_progress_bar = false")
    big = [f for f in files if pq.ParquetFile(f).metadata.num_rows >= PER_FILE_ROWS]
    small = [f for f in files if f not in set(big)]
    pcs, cvs = [], []
    if small:                                   # small partitions: one query over all of them (a query per file costs more)
        ev = con.read_parquet(small, hive_partitioning=True)
        pcs.append(con.to_pyarrow(pair_counts(ev)))
        cvs.append(con.to_pyarrow(coverage(ev)))
    for f in big:
        y, m, s = (x.split("=", 1)[1] for x in f.split("/")[-4:-1])
        ev = con.read_parquet(f, hive_partitioning=False)
        part = {"source": pa.scalar(s, pa.string()), "year": pa.scalar(int(y), pa.int32()), "month": pa.scalar(int(m), pa.int32())}
        pc = con.to_pyarrow(pair_counts(ev, PAIR))
        cv = con.to_pyarrow(ev.aggregate(days=ev.date.nunique().cast("int64"), events=ev.count(where=ev.duplicate_of.isnull()).cast("int64"),
                                         records=ev.count().cast("int64")))
        for t, out in ((pc, pcs), (cv, cvs)):
            for i, (name, v) in enumerate(part.items()):
                t = t.add_column(i, name, pa.repeat(v, t.num_rows))
            out.append(t)
    if not pcs:
        return (pa.table({c: [] for c in COLUMNS}), pa.table({c: [] for c in COVERAGE_COLUMNS}))
    g = con.create_table("_pc", pa.concat_tables(pcs), temp=True)
    dm = con.to_pyarrow(with_volume(g)).select(COLUMNS)
    cv = pa.concat_tables(cvs).select(COVERAGE_COLUMNS)
    cv = cv.filter(pa.compute.greater(cv["records"], 0))
    return dm, cv
