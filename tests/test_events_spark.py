"""One expression, two engines: the dyad-month aggregation on DuckDB and on Spark gives the same rows, in
local mode and through a standalone master and worker started here on 127.0.0.1."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'multipolar[spark]')")
if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("Java is not installed (Spark needs a JRE: apt-get install openjdk-17-jre-headless)", allow_module_level=True)

from multipolar import events as E  # noqa: E402
from multipolar.events import engine  # noqa: E402
from multipolar.events.lake import Lake  # noqa: E402
from test_events_lake import write_gdelt2  # noqa: E402

from conftest import SHARED  # noqa: E402


@pytest.fixture(scope="session")
def spark():
    s = engine.spark_session("local[2]")
    yield s


@pytest.fixture(scope="session")
def lake(tmp_path_factory):
    """Hand-made GDELT files (duplicates, mentions, several months and sources) and the shared samples."""
    d = tmp_path_factory.mktemp("sparklake")
    rows = []
    states = ["USA", "RUS", "CHN", "UKR", "IND", "FRA", "DEU", "GBR"]
    codes = ["042", "036", "057", "111", "130", "173", "190", "061"]
    k = 0
    for m in (1, 2, 3):
        for i in range(300):
            a, b = states[i % 8], states[(i * 3 + m) % 8]
            k += 1
            rows.append((k, f"2024-{m:02d}-{1 + i % 28:02d}", a, b, codes[(i + m) % 8], float((i % 21) - 10), 1 + i % 7,
                         f"https://o{i % 13}.example/{m}/{i // 2}"))
    # one record in ten again under another id (the same day, pair, CAMEO root and URL): a duplicate both engines drop
    rows += [(10_000 + r[0],) + r[1:] for r in rows[::10]]
    files = [write_gdelt2(d / f"2024{m:02d}01000000.export.CSV.zip", [r for r in rows if r[1][5:7] == f"{m:02d}"]) for m in (1, 2, 3)]
    db, lk = d / "w.duckdb", d / "lake"
    paths = files + ([SHARED / "events"] if SHARED else [])
    E.import_events(paths, db=db, lake=lk)
    return db, lk


def _sorted(t) -> pd.DataFrame:
    df = t.to_pandas() if hasattr(t, "to_pandas") else t
    return df.sort_values(list(df.columns[:5])).reset_index(drop=True)


def _same(a: pd.DataFrame, b: pd.DataFrame):
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b) > 0
    for c in a.columns:
        if pd.api.types.is_float_dtype(a[c]) or pd.api.types.is_float_dtype(b[c]):
            pd.testing.assert_series_equal(a[c].astype(float), b[c].astype(float), check_names=False, rtol=1e-12, atol=1e-12)
        else:
            assert a[c].astype(str).tolist() == b[c].astype(str).tolist(), c


def test_duckdb_and_spark_agree_row_for_row(spark, lake):
    db, lk = lake
    dm_d, cv_d = engine.run(Lake(lk), "duckdb")
    dm_s, cv_s = engine.run(Lake(lk), "spark", "local[2]")
    _same(_sorted(dm_d), _sorted(dm_s))
    _same(_sorted(cv_d), _sorted(cv_s))
    d = dm_d.to_pandas()
    assert (d["records"] > d["events"]).any()           # the files hold duplicates, and both engines drop the same
    assert d["source"].nunique() >= 1


def test_aggregate_command_on_spark_stores_the_same_series(spark, lake, tmp_path):
    db, lk = lake
    db2 = tmp_path / "copy.duckdb"
    shutil.copy(db, db2)
    E.aggregate(db=db2, lake=lk, engine="spark", master="local[2]")
    cols = engine.COLUMNS
    with duckdb.connect(str(db), read_only=True) as a, duckdb.connect(str(db2), read_only=True) as b:
        x = _sorted(a.execute(f"SELECT {', '.join(cols)} FROM event_dyad_month").df())
        y = _sorted(b.execute(f"SELECT {', '.join(cols)} FROM event_dyad_month").df())
    _same(x, y)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc, timeout: float = 60) -> None:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"the Spark process exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def test_standalone_master_and_worker(lake, tmp_path):
    """`spark-class` ships with pyspark: a master and one worker on 127.0.0.1, and the CLI pointed at them."""
    db, lk = lake
    home = Path(pyspark.__file__).parent
    spark_class = home / "bin" / "spark-class"
    env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_PYTHON": sys.executable,
           "SPARK_LOG_DIR": str(tmp_path), "SPARK_WORKER_DIR": str(tmp_path / "work")}
    mport, wport = _free_port(), _free_port()
    log = open(tmp_path / "spark.log", "w")
    master = subprocess.Popen([str(spark_class), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(mport),
                               "--webui-port", str(_free_port())], env=env, stdout=log, stderr=subprocess.STDOUT)
    worker = None
    try:
        _wait_port(mport, master)
        url = f"spark://127.0.0.1:{mport}"
        worker = subprocess.Popen([str(spark_class), "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", str(wport),
                                   "--webui-port", str(_free_port()), "--cores", "1", "--memory", "1g", url],
                                  env=env, stdout=log, stderr=subprocess.STDOUT)
        _wait_port(wport, worker)
        db2 = tmp_path / "standalone.duckdb"
        shutil.copy(db, db2)
        src = str(Path(__file__).resolve().parents[1] / "src")
        r = subprocess.run([sys.executable, "-m", "multipolar.cli", "events", "aggregate", "--engine", "spark", "--master", url,
                            "--db", str(db2), "--lake", str(lk)], env={**env, "PYTHONPATH": src, "MULTIPOLAR_SPARK_MEMORY": "1g"},
                           capture_output=True, text=True, timeout=240)
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
        assert f"on spark {url}" in r.stdout.replace("\n", " ")
        cols = engine.COLUMNS
        with duckdb.connect(str(db), read_only=True) as a, duckdb.connect(str(db2), read_only=True) as b:
            x = _sorted(a.execute(f"SELECT {', '.join(cols)} FROM event_dyad_month").df())
            y = _sorted(b.execute(f"SELECT {', '.join(cols)} FROM event_dyad_month").df())
        _same(x, y)
    finally:
        for p in (worker, master):
            if p is not None:
                p.terminate()
                try:
                    p.wait(20)
                except subprocess.TimeoutExpired:
                    p.kill()
        log.close()
