"""Benchmark: event streams to dyad-months, at scale, on this machine.

There is no GDELT-size data here, so the script generates it (``generate_gdelt2``): files in the exact GDELT 2.0
export layout (61 tab-separated columns, no header, ``YYYYMMDDHHMMSS.export.CSV.zip``), with

* actors drawn from the registry's states of the year with a Zipf skew (the United States, the United Kingdom,
  Russia, China ... first, as in GDELT), 35% of actor country codes blank and 3% CAMEO regions (as GDELT has);
* event codes from the shared CAMEO codebook (``cameo_eventcodes_goldstein_gdelt.csv``: codes and Goldstein
  scores), roots drawn with approximate GDELT shares (04 consult most frequent, then 01, 19, 02, 11 ...);
* articles of 1-6 events each (one URL, one outlet drawn with a Zipf skew from 2,000 outlets);
* duplicates injected at a known rate: a copy of an event with another GLOBALEVENTID, the same day, actors,
  root code and URL (a record coded again), in the same file; the truth is kept, so the
  recall and precision of the deduplication are printed.

Then it measures, each as a user runs it (a fresh process, ``multipolar events ...``; process start included,
peak memory of the process tree):

1. ``events import`` of the zipped files (``--import-events``): events per second;
2. the naive pandas baseline on the same files: ``read_csv`` of the zips, a dict of country codes, the
   dedup rule with ``drop_duplicates``, ``groupby`` to dyad-months; the ratio;
3. ``events aggregate`` on DuckDB and on Spark ``local[*]`` over the imported lake;
4. ``events aggregate`` on DuckDB and on Spark ``local[*]`` over a generated lake of ``--spark-events`` events, and on
   DuckDB over a lake of ``--agg-events`` events (generated straight into the lake's Parquet layout with the same
   frequencies, since importing them first would take most of the run).

Each row prints its events per second and the ratio to the pandas baseline's events per second. The script also
measures the collisions of the 63-bit outlet keys (``outlet_key``, on which distinct outlets are counted) over
``--key-outlets`` distinct outlet names, and prints the load average before and after (other jobs skew the times).

Usage: python benchmarks/events.py [--import-events 2000000] [--agg-events 20000000] [--spark-events 10000000]
                                   [--dup-rate 0.05] [--no-spark] [--keep DIR]
"""
from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import pyarrow.csv as pacsv  # noqa: E402

from _memory import run_measured  # noqa: E402
from multipolar.config import shared_data_dir  # noqa: E402
from multipolar.sources.events import CAMEO_REGIONS, GDELT2_COLUMNS  # noqa: E402

#: approximate shares of CAMEO roots in GDELT 2.0 events (rounded from published tabulations; a skew, not a fit)
ROOT_SHARES = {"01": .09, "02": .08, "03": .06, "04": .22, "05": .06, "06": .02, "07": .02, "08": .02, "09": .01, "10": .02,
               "11": .07, "12": .02, "13": .02, "14": .02, "15": .01, "16": .01, "17": .06, "18": .06, "19": .09, "20": .003}
TOP = ["USA", "GBR", "RUS", "CHN", "ISR", "IND", "FRA", "DEU", "IRN", "AUS", "CAN", "PAK", "SYR", "TUR", "UKR", "JPN", "NGA", "AFG",
       "PRK", "KOR", "SAU", "EGY", "IRQ", "ZAF", "MEX", "BRA", "ITA", "ESP", "PHL", "IDN"]
QUAD = {r: (1 if int(r) <= 5 else 2 if int(r) <= 8 else 3 if int(r) <= 13 else 4) for r in ROOT_SHARES}


def _codebook():
    shared = shared_data_dir()
    p = shared / "events" / "cameo_eventcodes_goldstein_gdelt.csv" if shared else None
    if p is None or not p.exists():
        sys.exit("the shared CAMEO codebook (events/cameo_eventcodes_goldstein_gdelt.csv) is needed: set MULTIPOLAR_SHARED")
    cb = pd.read_csv(p, dtype=str)
    cb.columns = [c.lower() for c in cb.columns]
    cb["root"] = cb["cameo_code"].str[:2]
    cb["goldstein"] = pd.to_numeric(cb["goldstein"], errors="coerce")
    cb = cb.dropna(subset=["goldstein"])          # a code the codebook gives no score is not drawn (never a guessed 0)
    return cb[cb["root"].isin(list(ROOT_SHARES))].reset_index(drop=True)


def _countries():
    from multipolar.actors.registry import registry
    reg = registry()
    members = sorted(set(reg.system_members(2024)))
    rest = [c for c in members if c not in TOP]
    order = [c for c in TOP if c in members] + list(np.random.default_rng(7).permutation(rest))
    w = 1.0 / np.arange(1, len(order) + 1) ** 1.1
    return np.array(order), w / w.sum()


class Gen:
    def __init__(self, seed=1):
        self.rng = np.random.default_rng(seed)
        self.cb = _codebook()
        self.codes, self.cw = _countries()
        roots = np.array(list(ROOT_SHARES))
        rw = np.array(list(ROOT_SHARES.values()))
        # code weight: the root's share split evenly among its codes
        n_in_root = self.cb.groupby("root")["cameo_code"].transform("count").to_numpy()
        w = np.array([ROOT_SHARES[r] for r in self.cb["root"]]) / n_in_root
        self.code_w = w / w.sum()
        self.roots, self.rw = roots, rw
        ow = 1.0 / np.arange(1, 2001) ** 1.0
        self.outlet_w = ow / ow.sum()

    def events(self, n: int, day: np.datetime64, first_id: int, first_article: int):
        """n base events of one day as numpy columns."""
        rng = self.rng
        # articles of 1-6 events
        sizes = np.minimum(rng.geometric(0.45, size=n), 6)
        art = np.repeat(np.arange(first_article, first_article + n), sizes)[:n]
        a1 = rng.choice(len(self.codes), size=n, p=self.cw)
        a2 = rng.choice(len(self.codes), size=n, p=self.cw)
        ci = rng.choice(len(self.cb), size=n, p=self.code_w)
        outlet = rng.choice(2000, size=art.max() - first_article + 1, p=self.outlet_w)[art - first_article]
        mentions = np.minimum(rng.zipf(2.2, size=n), 500)
        kind1, kind2 = rng.random(n), rng.random(n)
        return {"id": np.arange(first_id, first_id + n), "a1": a1, "a2": a2, "k1": kind1, "k2": kind2, "ci": ci, "art": art,
                "outlet": outlet, "mentions": mentions, "day": day}

    def _actor(self, idx, kind):
        code = self.codes[idx].astype(object)
        code[kind < 0.35] = ""
        regions = np.array(sorted(CAMEO_REGIONS), dtype=object)
        reg = (kind >= 0.35) & (kind < 0.38)
        code[reg] = regions[idx[reg] % len(regions)]
        return code

    def table(self, ev) -> pa.Table:
        n = len(ev["id"])
        day = pd.Timestamp(ev["day"])
        sqldate = day.strftime("%Y%m%d")
        cb = self.cb
        code = cb["cameo_code"].to_numpy()[ev["ci"]]
        root = cb["root"].to_numpy()[ev["ci"]]
        gold = cb["goldstein"].to_numpy()[ev["ci"]]
        quad = np.array([QUAD[r] for r in ROOT_SHARES])[np.searchsorted(np.array(list(ROOT_SHARES)), root)]
        a1 = self._actor(ev["a1"], ev["k1"])
        a2 = self._actor(ev["a2"], ev["k2"])
        outlet = np.char.add("news", ev["outlet"].astype(str)).astype(object) + ".com"
        url = ("https://www." + outlet + "/" + day.strftime("%Y/%m/%d") + "/story-" + ev["art"].astype(str).astype(object) + ".html")
        cols = {c: pa.nulls(n, pa.string()) for c in GDELT2_COLUMNS}
        s = lambda v: pa.array(np.asarray(v, dtype=object).astype(str), pa.string())  # noqa: E731
        cols.update({
            "GLOBALEVENTID": s(ev["id"]), "SQLDATE": pa.array([sqldate] * n), "MonthYear": pa.array([sqldate[:6]] * n),
            "Year": pa.array([sqldate[:4]] * n), "FractionDate": pa.array([f"{day.year + (day.month * 30 + day.day) / 365:.4f}"] * n),
            "Actor1Code": s(a1 + np.where(a1 != "", "GOV", "")), "Actor1Name": s(a1), "Actor1CountryCode": s(a1),
            "Actor2Code": s(a2), "Actor2Name": s(a2), "Actor2CountryCode": s(a2), "IsRootEvent": pa.array(["1"] * n),
            "EventCode": s(code), "EventBaseCode": s(np.array([c[:3] for c in code], dtype=object)), "EventRootCode": s(root),
            "QuadClass": s(quad), "GoldsteinScale": s(np.round(gold, 1)), "NumMentions": s(ev["mentions"]), "NumSources": s(np.ones(n, int)),
            "NumArticles": s(ev["mentions"]), "AvgTone": s(np.round(self.rng.normal(-1.5, 3, n), 6)), "ActionGeo_Type": pa.array(["1"] * n),
            "ActionGeo_CountryCode": s(a2), "DATEADDED": pa.array([sqldate + "234500"] * n), "SOURCEURL": s(url)})
        for c in ("Actor1CountryCode", "Actor2CountryCode", "Actor1Code", "Actor2Code", "Actor1Name", "Actor2Name", "ActionGeo_CountryCode"):
            cols[c] = pc.if_else(pc.equal(cols[c], ""), pa.nulls(n, pa.string()), cols[c])
        return pa.table(cols)


def generate_gdelt2(out: Path, n_events: int, dup_rate: float = 0.05, per_file: int = 250_000, seed: int = 1):
    """Zipped GDELT 2.0 export files with ``n_events`` records in all (base events plus injected duplicates).
    Returns the truth: a DataFrame of the injected duplicates' ids and of their originals."""
    g = Gen(seed)
    out.mkdir(parents=True, exist_ok=True)
    n_files = max(1, n_events // per_file)
    n_dup_total = int(n_events * dup_rate)
    n_base_total = n_events - n_dup_total
    truth = []
    next_id, next_art = 1_000_000_000, 0
    prev = None
    start = np.datetime64("2024-03-01")
    for i in range(n_files):
        n_base = n_base_total // n_files + (1 if i < n_base_total % n_files else 0)
        n_dup = n_dup_total // n_files + (1 if i < n_dup_total % n_files else 0)
        day = start + np.timedelta64(i * 31 // n_files, "D")
        ev = g.events(n_base, day, next_id, next_art)
        next_id += n_base
        next_art = int(ev["art"].max()) + 1
        t = g.table(ev)
        # duplicates: copies of events of this file (same day), another id, event code may change within the root
        if n_dup:
            src = g.rng.choice(n_base, size=n_dup, replace=False)
            d = t.take(pa.array(src))
            ids = np.arange(next_id, next_id + n_dup)
            next_id += n_dup
            d = d.set_column(d.schema.get_field_index("GLOBALEVENTID"), "GLOBALEVENTID", pa.array(ids.astype(str)))
            truth.append(pd.DataFrame({"dup_id": ids.astype(str), "orig_id": ev["id"][src].astype(str)}))
            t = pa.concat_tables([t, d])
        stamp = pd.Timestamp(day).strftime("%Y%m%d") + f"{(i % 96) // 4:02d}{(i % 4) * 15:02d}00"
        buf = io.BytesIO()
        pacsv.write_csv(t, buf, pacsv.WriteOptions(include_header=False, delimiter="\t", quoting_style="none"))
        name = f"{stamp}.export.CSV"
        with zipfile.ZipFile(out / f"{name}.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            z.writestr(name, buf.getvalue())
        prev = t
    del prev
    return pd.concat(truth) if truth else pd.DataFrame(columns=["dup_id", "orig_id"])


def generate_lake(lake: Path, n_events: int, months: int = 12, seed: int = 2):
    """A lake of ``n_events`` resolved events straight in the lake's Parquet layout (the same frequencies, all actors states)."""
    from multipolar.events.lake import EVENT_SCHEMA
    g = Gen(seed)
    per = n_events // months
    chunk = 5_000_000
    import hashlib
    okeys = np.array([int.from_bytes(hashlib.md5(f"news{i}.com".encode()).digest()[8:], "little") >> 1 for i in range(2000)], dtype="int64")
    next_id = 0
    for m in range(months):
        final = lake / "events" / "year=2024" / f"month={m + 1}" / "source=gdelt2" / "data.parquet"
        final.parent.mkdir(parents=True, exist_ok=True)
        import pyarrow.parquet as pq
        w = pq.ParquetWriter(final, EVENT_SCHEMA, compression="zstd")
        left = per
        while left:
            n = min(chunk, left)
            left -= n
            ev = g.events(n, np.datetime64(f"2024-{m + 1:02d}-01"), next_id, next_id)
            next_id += n
            days = g.rng.integers(0, 28, n).astype("timedelta64[D]") + np.datetime64(f"2024-{m + 1:02d}-01")
            ci = ev["ci"]
            codes = g.codes
            dict_codes = pa.array(codes)
            tbl = pa.table({
                "event_id": pa.array(ev["id"].astype(str)), "date": pa.array(days), "source_code": pa.DictionaryArray.from_arrays(pa.array(ev["a1"].astype("int32")), dict_codes),
                "target_code": pa.DictionaryArray.from_arrays(pa.array(ev["a2"].astype("int32")), dict_codes),
                "event_code": pa.DictionaryArray.from_arrays(pa.array(ci.astype("int32")), pa.array(g.cb["cameo_code"].to_numpy())),
                "root_code": pa.DictionaryArray.from_arrays(pa.array(ci.astype("int32")), pa.array(g.cb["root"].to_numpy())),
                "quad_class": pa.array(np.array([QUAD[r] for r in g.cb["root"]], dtype="int8")[ci]),
                "goldstein": pa.array(g.cb["goldstein"].to_numpy()[ci]), "mentions": pa.array(ev["mentions"].astype("int32")),
                "url": pa.array(np.char.add("https://news.example/", ev["art"].astype(str))),
                "outlet": pa.DictionaryArray.from_arrays(pa.array(ev["outlet"].astype("int32")), pa.array([f"news{i}.com" for i in range(2000)])),
                "outlet_key": pa.array(okeys[ev["outlet"]]),
                "duplicate_of": pa.nulls(n, pa.string()), "line": pa.array(np.arange(n, dtype="int64")), "import_sha": pa.array(["synthetic"] * n)})
            w.write_table(tbl.cast(EVENT_SCHEMA))
        w.close()


def key_collisions(n: int) -> tuple[int, int]:
    """(distinct outlet names, distinct outlet keys) over ``n`` generated host names, the keys computed by the
    lake's own expression (:data:`multipolar.events.lake.OUTLET_KEY_SQL`)."""
    import duckdb
    from multipolar.events.lake import OUTLET_KEY_SQL
    con = duckdb.connect()
    sql = OUTLET_KEY_SQL.format(col="outlet")
    return con.execute(f"""SELECT count(DISTINCT outlet), count(DISTINCT {sql}) FROM (SELECT 'www.news-' || i::VARCHAR || '.example' || (i % 7)::VARCHAR AS outlet
                           FROM range({int(n)}) t(i))""").fetchall()[0]


def pandas_baseline(folder: Path):
    """Naive pandas: read the zips, map codes with a dict, drop duplicates by the rule, group to dyad-months."""
    from multipolar.actors.registry import registry
    from multipolar.sources.events import CAMEO_TO_ISO
    t0 = time.perf_counter()
    use = ["GLOBALEVENTID", "SQLDATE", "Actor1CountryCode", "Actor2CountryCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions", "SOURCEURL"]
    frames = [pd.read_csv(f, sep="\t", header=None, names=GDELT2_COLUMNS, usecols=use, dtype=str, quoting=3) for f in sorted(folder.glob("*.zip"))]
    df = pd.concat(frames, ignore_index=True)
    n = len(df)
    states = set(registry().system_members(2024))
    m = {c: c for c in states} | {k: v for k, v in CAMEO_TO_ISO.items()}
    df["a"] = df["Actor1CountryCode"].map(m)
    df["b"] = df["Actor2CountryCode"].map(m)
    df = df.dropna(subset=["a", "b"])
    df = df[df["a"] != df["b"]]
    df = df.drop_duplicates(["SQLDATE", "a", "b", "EventRootCode", "SOURCEURL"])
    df["month"] = df["SQLDATE"].str[:6]
    df["q"] = df["QuadClass"].astype(int)
    df["g"] = df["GoldsteinScale"].astype(float)
    out = df.groupby(["month", "a", "b"]).agg(events=("q", "size"), goldstein=("g", "mean"), coop=("q", lambda s: (s <= 2).sum()))
    return n, len(out), time.perf_counter() - t0


def cli(*args, env=None):
    return [sys.executable, "-m", "multipolar.cli", *args]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--import-events", type=int, default=2_000_000)
    ap.add_argument("--agg-events", type=int, default=20_000_000)
    ap.add_argument("--spark-events", type=int, default=10_000_000, help="events of the generated lake aggregated by both engines (0: skip)")
    ap.add_argument("--key-outlets", type=int, default=10_000_000, help="distinct outlet names whose 63-bit keys are checked for collisions")
    ap.add_argument("--dup-rate", type=float, default=0.05)
    ap.add_argument("--no-spark", action="store_true")
    ap.add_argument("--keep", type=Path, default=None, help="work folder to keep (default: a temporary one)")
    a = ap.parse_args()
    work = a.keep or Path(tempfile.mkdtemp(prefix="mp-events-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    rows = []
    print(f"machine: {os.cpu_count()} cores; load average {' '.join(open('/proc/loadavg').read().split()[:3])}; work folder {work}")

    files = work / "gdelt2"
    shutil.rmtree(files, ignore_errors=True)
    t0 = time.perf_counter()
    truth = generate_gdelt2(files, a.import_events, a.dup_rate)
    size = sum(f.stat().st_size for f in files.glob("*.zip"))
    print(f"generated {a.import_events:,} GDELT 2.0 records ({len(truth):,} injected duplicates) in {len(list(files.glob('*.zip')))} zipped export files, "
          f"{size / 2**20:,.0f} MB, in {time.perf_counter() - t0:.0f} s")

    db, lake = work / "bench.duckdb", work / "bench.events"
    for p in (db, lake):
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
    r = run_measured(cli("events", "import", str(files), "--db", str(db), "--lake", str(lake)), env=env)
    if r["returncode"] != 0:
        print(r.get("stderr", "")[-3000:], r.get("stdout", "")[-3000:])
        sys.exit("import failed")
    rows.append(("import zipped GDELT 2.0 CSV (DuckDB, lake + warehouse)", a.import_events, r))

    import duckdb
    con = duckdb.connect()
    flagged = con.execute(f"SELECT event_id FROM read_parquet('{lake}/events/*/*/*/*.parquet') WHERE duplicate_of IS NOT NULL").df()
    fl = set(flagged["event_id"])
    inj = set(truth["dup_id"])
    tp = len(fl & inj)
    recall = tp / len(inj) if inj else float("nan")
    # an injected duplicate whose actors are not both states is rejected before deduplication: count only the resolvable ones
    held = set(con.execute(f"SELECT event_id FROM read_parquet('{lake}/events/*/*/*/*.parquet')").df()["event_id"])
    inj_held = inj & held
    recall_held = len(fl & inj_held) / len(inj_held) if inj_held else float("nan")
    precision = tp / len(fl) if fl else float("nan")

    t0 = time.perf_counter()
    rb = run_measured([sys.executable, "-c", f"import sys; sys.path[:0]={[str(Path(__file__).resolve().parent), env['PYTHONPATH']]!r}; "
                       f"from events import pandas_baseline; from pathlib import Path; print(pandas_baseline(Path({str(files)!r})))"], env=env)
    rows.append(("naive pandas baseline (read zips, map, drop_duplicates, groupby)", a.import_events, rb))

    # the imported lake holds the records whose two actors are states (both resolved): the aggregation reads those
    n_lake = con.execute(f"SELECT count(*) FROM read_parquet('{lake}/events/*/*/*/*.parquet')").fetchall()[0][0]
    r = run_measured(cli("events", "aggregate", "--db", str(db), "--lake", str(lake)), env=env)
    rows.append(("aggregate dyad-months, DuckDB, imported lake (its records)", n_lake, r))
    if not a.no_spark:
        r = run_measured(cli("events", "aggregate", "--engine", "spark", "--master", "local[*]", "--db", str(db), "--lake", str(lake)), env=env)
        rows.append(("aggregate dyad-months, Spark local[*], imported lake (its records)", n_lake, r))

    if a.spark_events:
        mid = work / "mid.events"
        shutil.rmtree(mid, ignore_errors=True)
        t0 = time.perf_counter()
        generate_lake(mid, a.spark_events)
        print(f"generated a lake of {a.spark_events:,} events (12 months) in {time.perf_counter() - t0:.0f} s")
        r = run_measured(cli("events", "aggregate", "--db", str(work / "mid.duckdb"), "--lake", str(mid)), env=env)
        rows.append(("aggregate dyad-months, DuckDB, generated lake", a.spark_events, r))
        if not a.no_spark:
            r = run_measured(cli("events", "aggregate", "--engine", "spark", "--master", "local[*]", "--db", str(work / "mid-spark.duckdb"),
                                 "--lake", str(mid)), env=env)
            rows.append(("aggregate dyad-months, Spark local[*], generated lake", a.spark_events, r))
        shutil.rmtree(mid, ignore_errors=True)

    big = work / "big.events"
    shutil.rmtree(big, ignore_errors=True)
    t0 = time.perf_counter()
    generate_lake(big, a.agg_events)
    print(f"generated a lake of {a.agg_events:,} events (12 months) in {time.perf_counter() - t0:.0f} s")
    r = run_measured(cli("events", "aggregate", "--db", str(work / "big.duckdb"), "--lake", str(big)), env=env)
    rows.append(("aggregate dyad-months, DuckDB, generated lake", a.agg_events, r))
    shutil.rmtree(big, ignore_errors=True)
    collisions = key_collisions(a.key_outlets) if a.key_outlets else None

    print(f"load average after: {' '.join(open('/proc/loadavg').read().split()[:3])}")
    print()
    base_rate = a.import_events / rb["seconds"]
    print(f"{'step':<66} {'events':>12} {'s':>8} {'events/s':>12} {'vs pandas':>10} {'peak MB':>9}  exit")
    for name, n, r in rows:
        print(f"{name:<66} {n:>12,} {r['seconds']:>8.1f} {n / r['seconds']:>12,.0f} {n / r['seconds'] / base_rate:>9.2f}x {r['tree_pss_mb']:>9,.0f}  {r['returncode']}")
        if r["returncode"]:
            print("   " + (r.get("stderr") or "")[-1500:].replace("\n", "\n   "))
    imp = rows[0][2]["seconds"]
    print(f"\nimport vs the naive pandas baseline: {rb['seconds'] / imp:.2f}x the baseline's speed "
          f"(the baseline resolves nothing by date, keeps no records, writes nothing and is not atomic)")
    print(f"deduplication of the injected duplicates: recall {recall:.4f} ({tp:,} of {len(inj):,}; among the {len(inj_held):,} whose actors "
          f"are both states: {recall_held:.4f}), precision {precision:.4f} ({tp:,} of {len(fl):,} flagged)")
    if collisions:
        n_names, n_keys = collisions
        print(f"outlet keys (63 bits of the MD5 of the outlet, as the import computes them): {n_names:,} distinct outlet names gave "
              f"{n_keys:,} distinct keys ({n_names - n_keys:,} collisions); the chance of any collision among N outlets is about "
              f"N^2/2^64: {1e6 ** 2 / 2 ** 64:.1e} for a million outlets, {1e8 ** 2 / 2 ** 64:.1e} for 100 million")
    rate_imp = a.import_events / imp
    print(f"extrapolation (not measured): a year of GDELT 2.0 (about 120 million records) imported at the measured {rate_imp:,.0f} "
          f"records/s would take about {1.2e8 / rate_imp / 60:.0f} minutes on this machine, if time grows linearly with records")


if __name__ == "__main__":
    main()
