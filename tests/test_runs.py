"""Ideal-point runs: a fit never overwrites another; the current run changes only when the user asks.

On a small synthetic warehouse (UN votes made from a known model: a fit takes a second), run with
the commands a user types; the same on the real votes is in tests/test_values.py.
"""
from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from multipolar import api
from multipolar.cli import app
from multipolar.dimensions import values
from multipolar.warehouse import Warehouse

runner = CliRunner()
YEARS = range(1985, 1991)


def votes_warehouse(path, seed: int = 0):
    """un_votes and unvotes_roll_calls for 40 states, 1985-1990, 15 roll calls a year: the United
    States at one end, China at the other."""
    from multipolar.actors.registry import registry
    rng = np.random.default_rng(seed)
    codes = ["USA", "CHN"] + [c for c in registry().system_members(1985) if c not in ("USA", "CHN")][:38]
    theta = rng.normal(size=len(codes))
    theta[0], theta[1] = 2.5, -2.5
    votes, rcs, rcid = [], [], 0
    for y in YEARS:
        for k in range(15):
            rcid += 1
            beta, cut = rng.uniform(0.8, 2.0), rng.normal(0, 0.5)
            z = beta * theta - cut + rng.normal(0, 0.7, len(codes))
            v = np.where(z > 0.3, 3, np.where(z < -0.3, 1, 2))
            votes += [(rcid, f"{y}-10-01", y, y - 1945, c, int(x)) for c, x in zip(codes, v)]
            rcs.append((rcid, y - 1945, y, f"{y}-10-01", f"R/{y - 1945}/{k}", 0, 0, f"TOPIC {rcid}", f"Resolution number {rcid} on topic {rcid}"))
    con = duckdb.connect(str(path))
    con.register("v", pd.DataFrame(votes, columns=["rcid", "date", "year", "session", "code", "vote_ordinal"]))
    con.execute("CREATE TABLE un_votes AS SELECT rcid, CAST(date AS DATE) AS date, year, session, code, "
                "CASE vote_ordinal WHEN 3 THEN 'yes' WHEN 2 THEN 'abstain' ELSE 'no' END AS vote, vote_ordinal FROM v")
    con.register("r", pd.DataFrame(rcs, columns=["rcid", "session", "year", "date", "unres", "amend", "para", "short", "descr"]))
    con.execute("CREATE TABLE unvotes_roll_calls AS SELECT * FROM r")
    con.close()
    return path


@pytest.fixture
def db(tmp_path):
    return votes_warehouse(tmp_path / "w.duckdb")


def ok(args):
    res = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    return res.output


def rows(db) -> dict:
    """What the warehouse holds of the ideal points: runs, rows per run, the current run, the view's rows."""
    w = Warehouse(db)
    r = values.runs(w)
    per = w.query("SELECT run_id, count(*) AS n FROM ideal_points_by_run GROUP BY 1") if values.layout(w) == "runs" else None
    return {"runs": sorted(r["run_id"]), "current": values.current_run(w)["run_id"] if len(r) else None,
            "per_run": dict(zip(per["run_id"], per["n"])) if per is not None else {}, "view": len(w.table("ideal_points")) if len(r) else 0}


def test_a_fit_of_some_years_is_kept_beside_the_current_run_and_blocs_still_work(db, tmp_path):
    out = ok(["idealpoints", "--db", db])
    full = rows(db)
    assert len(full["runs"]) == 1 and full["current"].startswith("1985-1990-") and "now the current run" in out
    out = ok(["idealpoints", "--years", "1988:1990", "--out", tmp_path / "ideal.parquet", "--db", db])
    after = rows(db)
    sub = [r for r in after["runs"] if r.startswith("1988-1990-")]
    assert len(after["runs"]) == 2 and len(sub) == 1
    assert after["current"] == full["current"]                                  # the full fit stays current
    assert after["per_run"][full["current"]] == full["per_run"][full["current"]] == after["view"]   # its rows untouched
    assert "not made current" in out and f"idealpoints use {sub[0]}" in out
    assert len(pd.read_parquet(tmp_path / "ideal.parquet")) == after["per_run"][sub[0]]
    # the failure: `multipolar blocs 1985` after a fit of later years
    out = ok(["blocs", "--years", "1985", "--db", db])
    assert "Blocs in 1985" in out and f"run {full['current']}" in out            # and it says which run it read
    listing = ok(["idealpoints", "runs", "--db", db])
    for r in after["runs"]:
        assert r in listing
    star = [ln for ln in listing.splitlines() if ln.startswith("│ * ")]
    assert len(star) == 1 and full["current"] in star[0]


def test_store_makes_a_fit_current_and_use_switches_back(db):
    ok(["idealpoints", "--db", db])
    full = rows(db)["current"]
    out = ok(["idealpoints", "--years", "1988:1990", "--store", "--db", db])
    now = rows(db)
    assert now["current"].startswith("1988-1990-") and len(now["runs"]) == 2 and f"previous current run {full} is kept" in out
    assert now["view"] == now["per_run"][now["current"]]                        # the old names read the new current run
    # blocs now read the 1988-1990 run: 1985 is outside it, and the error names its years
    res = runner.invoke(app, ["blocs", "--years", "1985", "--db", str(db)], env={"COLUMNS": "250"})
    assert res.exit_code == 1 and "1988-1990" in res.output and now["current"] in res.output
    out = ok(["idealpoints", "use", full[:12], "--db", db])                     # a unique beginning of the id is enough
    assert rows(db)["current"] == full and full in out
    ok(["blocs", "--years", "1985", "--db", db])


def test_no_store_writes_only_the_file(db, tmp_path):
    ok(["idealpoints", "--db", db])
    before = rows(db)
    f = tmp_path / "only.csv"
    out = ok(["idealpoints", "--years", "1986:1989", "--no-store", "--out", f, "--db", db])
    assert rows(db) == before and "not stored" in out
    assert set(pd.read_csv(f)["year"]) == {1986, 1987, 1988, 1989}
    res = runner.invoke(app, ["idealpoints", "--no-store", "--db", str(db)])
    assert res.exit_code == 2 and "--no-store keeps nothing" in res.output and rows(db) == before


def test_the_first_fit_of_a_warehouse_becomes_current_and_a_refit_replaces_only_itself(db):
    out = ok(["idealpoints", "--years", "1987:1990", "--db", db])              # nothing to keep current: it becomes current
    first = rows(db)
    assert first["current"].startswith("1987-1990-") and "now the current run" in out
    ok(["idealpoints", "--db", db])                                             # the default fit becomes current
    second = rows(db)
    assert second["current"].startswith("1985-1990-") and len(second["runs"]) == 2
    out = ok(["idealpoints", "--years", "1987:1990", "--db", db])              # the same fit again: the same id, replaced
    assert rows(db) == second and "replaces the stored run with the same id" in out
    out = ok(["idealpoints", "--omega", "0.3", "--db", db])                     # other parameters: a new run, not current
    third = rows(db)
    assert len(third["runs"]) == 3 and third["current"] == second["current"] and "omega=0.3" in ok(["idealpoints", "runs", "--db", db])


def test_readers_say_which_run_they_read(db):
    ok(["idealpoints", "--db", db])
    ok(["idealpoints", "--years", "1988:1990", "--db", db])
    cur = rows(db)["current"]
    ip = api.stored_ideal_points(db)
    assert ip.attrs["run"]["run_id"] == cur and cur in ip.attrs["notes"][0]
    sub = [r for r in rows(db)["runs"] if r != cur][0]
    other = api.stored_ideal_points(db, run=sub)
    assert set(other["year"]) == {1988, 1989, 1990} and "not the current run" in other.attrs["notes"][0]
    assert cur in api.vote_agreement(db=db).attrs["notes"][0]
    from multipolar.structure import blocs
    s, _ = blocs("1986", db=db, draws=20)
    assert s.attrs["ideal_points_run"] == cur
    from multipolar.relations import Dyads
    d = Dyads(years="1986", states="USA,CHN", db=db).add_values()
    assert any(cur in n for n in d.notes) and d.to_pandas()["ip_distance"].notna().all()
    d.close()


def test_a_failed_store_leaves_the_runs_as_they_were(db, monkeypatch):
    ok(["idealpoints", "--db", db])
    before = rows(db)

    def broken(con):
        raise RuntimeError("disk full")
    monkeypatch.setattr(values, "_views", broken)
    with pytest.raises(RuntimeError):
        values.estimate(Warehouse(db), "1988:1990", store=True)
    assert rows(db) == before


def test_a_warehouse_written_before_runs_were_kept_is_converted_without_loss(db):
    """The old layout (one set of tables, CREATE OR REPLACE by every fit): the next fit keeps it as a run."""
    w = Warehouse(db)
    old = values.estimate(w, store=False)
    agreement = values.vote_agreement(values.load_votes(w)[0])
    with w.transaction() as con:
        for name, df in (("ideal_points", old.ideal_points), ("ideal_point_items", old.items),
                         ("vote_agreement", agreement), ("ideal_points_runs", pd.DataFrame([old.meta]))):
            con.register("_df", df.drop(columns=["run_id", "votes_id", "current", "stored"], errors="ignore"))
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM _df").fetchall()
            con.unregister("_df")
    assert values.layout(w) == "legacy"
    legacy = w.table("ideal_points").sort_values(["code", "year"]).reset_index(drop=True)
    listing = ok(["idealpoints", "runs", "--db", db])                          # read as one run before any conversion
    assert "1985-1990" in listing
    ok(["blocs", "--years", "1985", "--db", db])
    ok(["idealpoints", "--years", "1988:1990", "--db", db])
    assert values.layout(w) == "runs"
    r = values.runs(w)
    assert len(r) == 2 and r["current"].sum() == 1
    kept = w.table("ideal_points").sort_values(["code", "year"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, legacy, check_dtype=False)            # the old fit, whole, still current
    assert len(w.table("vote_agreement")) > 0


def test_a_fit_of_years_without_votes_names_the_votes_years_and_stores_nothing(db):
    ok(["idealpoints", "--db", db])
    before = rows(db)
    res = runner.invoke(app, ["idealpoints", "--years", "2030:2035", "--db", str(db)])
    assert res.exit_code == 1 and "no UN votes in 2030-2035: the UN votes cover 1985-1990" in " ".join(res.output.split())
    assert rows(db) == before
