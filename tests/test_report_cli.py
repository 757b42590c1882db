"""The report and the command line, as a user runs them."""
import json
import re

from typer.testing import CliRunner

from multipolar.cli import app
from tests.conftest import FIXTURES

runner = CliRunner()


def test_report_runs_on_the_embedded_snapshot_with_no_imports(tmp_path, monkeypatch):
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["report", "--out", str(out), "--db", str(tmp_path / "empty.duckdb")])
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert "embedded snapshot" in html
    for section in ("glance", "blocs", "poles", "triangle", "focus", "scoreboard", "movers", "coverage"):
        assert f'id="{section}"' in html
    # the only section without data: no scenario was simulated; the robustness view is the one the snapshot ships
    assert html.count("class=\"missing\"") == 1 and "No scenario has been simulated" in html
    assert "The robustness view of the embedded snapshot" in html and 'id="robustness"' in html
    # nothing is fetched from elsewhere: no external scripts, stylesheets or images
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "Correlates of War" in html and "North Atlantic Treaty Organization (NATO)" in html


def test_report_on_the_warehouse_names_its_files(tmp_path):
    db = tmp_path / "w.duckdb"
    runner.invoke(app, ["data", "import", str(FIXTURES / "nmc.csv"), "--db", str(db)])
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["report", "--out", str(out), "--db", str(db)])
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert "nmc.csv" in html and str(db) in html


def test_cli_data_import_status_and_sources(tmp_path):
    db = str(tmp_path / "w.duckdb")
    res = runner.invoke(app, ["data", "import", str(FIXTURES), "--db", db, "--jobs", "1"])
    assert res.exit_code == 0, res.output
    assert "imported" in res.output
    res = runner.invoke(app, ["data", "status", "--db", db], env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    assert "nmc.csv" in res.output and "static" in res.output      # geodist has no years
    res = runner.invoke(app, ["data", "status", "--db", db, "--format", "json"])
    rows = json.loads(res.output)
    assert {"nmc", "atop", "baci", "gsdb", "gdelt"} <= {r["source"] for r in rows}
    res = runner.invoke(app, ["data", "import", "--source", "atop", str(FIXTURES / "atop.csv"), "--db", db])
    assert "unchanged" in res.output
    res = runner.invoke(app, ["data", "sources"])
    assert "passport" in res.output and "gdelt" in res.output


def test_cli_import_with_the_wrong_source_says_what_is_missing(tmp_path):
    res = runner.invoke(app, ["data", "import", "--source", "atop", str(FIXTURES / "nmc.csv"), "--db", str(tmp_path / "w.duckdb")])
    assert res.exit_code == 1
    assert "missing column" in res.output and "atop" in res.output


def test_cli_actors(tmp_path):
    res = runner.invoke(app, ["actors", "RUS"])
    assert res.exit_code == 0 and "365" in res.output and "SCO" in res.output and "Soviet Union" in res.output
    res = runner.invoke(app, ["actors", "--group", "NATO", "--years", "1999", "--format", "json"])
    assert len(json.loads(res.stdout)) == 19
    old = runner.invoke(app, ["actors", "--group", "NATO", "--year", "1999", "--json"])      # the old spelling, deprecated
    assert json.loads(old.stdout) == json.loads(res.stdout) and "deprecated" in old.stderr
    res = runner.invoke(app, ["actors", "Narnia"])
    assert res.exit_code == 2 and "Did you mean" in res.output
    res = runner.invoke(app, ["actors", "--list", "--years", "1980", "--format", "json"])
    codes = {r["code"] for r in json.loads(res.stdout)}
    assert {"SUN", "GFR", "DDR", "YUG", "CSK"} <= codes and "RUS" not in codes
