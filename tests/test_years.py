"""Only the years the data hold: a request beyond every source (or before 1946) is an error naming
the coverage; one that overlaps it is clipped with a note; the report's charts honour --years; the
network blocs refuse the years whose closeness lacks the UN votes instead of one bloc of everyone.

Run as a user runs the commands, on the embedded snapshot of a fresh install (no warehouse) and,
where the shared data are there, on the imported data.
"""
from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest
from typer.testing import CliRunner

from multipolar.cli import app
from multipolar.errors import InputError
from multipolar.years import Coverage, clip, data_coverage

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})


def test_clip_names_the_coverage_and_clips_an_overlap():
    cov = Coverage(1946, 2025, "the imported data", ["passport"])
    assert clip("1991:2019", cov, "relation") == ((1991, 2019), None)
    assert clip(None, cov, "relation") == ((1946, 2025), None)
    rng, note = clip("2020:2031", cov, "relation")
    assert rng == (2020, 2025) and "clipped to 2020-2025" in note and "end in 2025 (passport)" in note
    rng, note = clip("1900:1950", cov, "poles")
    assert rng == (1946, 1950) and "start in 1946" in note
    for bad, side in (("2030:2031", "after the last year with data"), ("1900:1940", "before 1946"), ("2026", "after")):
        with pytest.raises(InputError, match=side) as e:
            clip(bad, cov, "relation")
        assert "cover 1946-2025" in str(e.value) and "relation" in str(e.value)


@pytest.mark.parametrize("args", [
    ["relation", "RUS", "CHN", "--years", "2030:2031"],
    ["poles", "--years", "2030:2040"],
    ["blocs", "--years", "2030"],
    ["blocs", "--years", "2030:2032", "--method", "network"],
    ["triangle", "USA", "RUS", "CHN", "--years", "2031:2035"],
    ["triangles", "--years", "2030"],
    ["trends", "--years", "2030:2035"],
    ["dyads", "--years", "2030:2031"],
    ["report", "--years", "2030:2035"],
    ["relation", "RUS", "CHN", "--years", "1900:1940"],
])
def test_a_request_beyond_the_data_is_an_error_naming_the_coverage(args, tmp_path):
    res = run(*args, "--db", tmp_path / "fresh.duckdb", *(["--out", tmp_path / "x.html"] if args[0] == "report" else []),
              *(["--out", tmp_path / "d.parquet"] if args[0] == "dyads" else []))
    assert res.exit_code == 1, res.output
    text = " ".join(res.output.split())
    assert re.search(r"no data in \d{4}(-\d{4})?", text) and re.search(r"cover (19|20)\d\d-20\d\d", text), text
    assert "Traceback" not in res.output and not (tmp_path / "x.html").exists() and not (tmp_path / "d.parquet").exists()


def test_a_range_that_overlaps_the_data_is_clipped_with_a_note(tmp_path):
    db = tmp_path / "fresh.duckdb"
    last = data_coverage(db).last
    res = run("poles", "--years", "2015:2040", "--db", db, "--out", tmp_path / "p.csv")
    assert res.exit_code == 0, res.output
    import pandas as pd
    p = pd.read_csv(tmp_path / "p.csv")
    assert p["year"].min() == 2015 and p["year"].max() <= last and "clipped to 2015-" in " ".join(res.output.split())
    res = run("relation", "RUS", "CHN", "--years", f"{last - 2}:2040", "--db", db, "--out", tmp_path / "r.csv")
    assert res.exit_code == 0, res.output
    assert sorted(pd.read_csv(tmp_path / "r.csv")["year"]) == [last - 2, last - 1, last]
    assert f"clipped to {last - 2}-{last}" in " ".join(res.output.split())


def _xs(fig) -> list[float]:
    """Every x value drawn by a plotly figure (plotly's JSON writes numeric arrays as base64 'bdata')."""
    out = []
    for tr in fig["data"]:
        x = tr.get("x")
        if isinstance(x, dict) and "bdata" in x:
            out += np.frombuffer(base64.b64decode(x["bdata"]), dtype=np.dtype(x["dtype"])).tolist()
        elif isinstance(x, list):
            out += [v for v in x if isinstance(v, (int, float))]
    return out


def test_every_chart_of_the_report_honours_years(tmp_path):
    out = tmp_path / "r.html"
    res = run("report", "--years", "2015:2019", "--out", out, "--db", tmp_path / "fresh.duckdb")
    assert res.exit_code == 0, res.output
    html = out.read_text()
    figs = {m.group(1): json.loads(m.group(2))
            for m in re.finditer(r'<script type="application/json" id="fig-([a-z]+)">(.*?)</script>', html, re.S)}
    for sec in ("poles", "triangle"):                       # the two charts that read 1946 onwards whatever was asked
        xs = _xs(figs[sec])
        assert xs and min(xs) >= 2015 and max(xs) <= 2019, (sec, min(xs), max(xs))
    for sec in ("scoreboard",):
        if sec in figs:
            xs = _xs(figs[sec])
            assert not xs or (min(xs) >= 2015 and max(xs) <= 2019), sec


def test_the_report_without_years_keeps_its_long_series(tmp_path):
    from multipolar.report.sections import report_years
    rng, first, note = report_years(tmp_path / "fresh.duckdb", None)
    assert rng[0] == 1991 and first == 1946 and note is None
    rng, first, note = report_years(tmp_path / "fresh.duckdb", "2000:2040")
    assert first == 2000 and rng[0] == 2000 and rng[1] < 2040 and "clipped" in note


def test_network_blocs_refuse_the_years_without_the_un_votes(tmp_path):
    db = tmp_path / "fresh.duckdb"
    # the embedded snapshot's UN votes end in 2021 (the UN Digital Library's file); 2022 has one roll call
    res = run("blocs", "--years", "2022:2023", "--method", "network", "--db", db)
    assert res.exit_code == 1, res.output
    text = " ".join(res.output.split())
    assert "no year in 2022-2023 has the data for network blocs" in text and "the UN votes for 0% of the pairs" in text
    out = tmp_path / "b.parquet"
    res = run("blocs", "--years", "2021:2022", "--method", "network", "--draws", "5", "--db", db, "--out", out)
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "no network blocs in 2022 (closeness without the UN votes)" in text
    import pandas as pd
    p = pd.read_parquet(out)
    assert set(p["year"]) == {2021}
    s = p.loc[p.groupby("code")["probability"].idxmax()].set_index("code")["bloc"]
    assert s["USA"] != s["CHN"] and s.nunique() >= 2                        # not one bloc of everyone


def test_on_the_imported_data(fitted_warehouse, tmp_path):
    """relation RUS CHN --years 2030:2031 showed values for years that have not happened; blocs 2024 --method network
    put all 195 states, the United States among them, in one bloc named China."""
    db = fitted_warehouse
    cov = data_coverage(db)
    res = run("relation", "RUS", "CHN", "--years", "2030:2031", "--db", db)
    assert res.exit_code == 1 and f"cover {cov.first}-{cov.last}" in " ".join(res.output.split())
    res = run("relation", "RUS", "CHN", "--years", f"{cov.last - 1}:2031", "--db", db, "--out", tmp_path / "r.csv")
    assert res.exit_code == 0, res.output
    import pandas as pd
    assert sorted(pd.read_csv(tmp_path / "r.csv")["year"]) == [cov.last - 1, cov.last]
    res = run("blocs", "--years", "2024", "--method", "network", "--db", db)
    assert res.exit_code == 1 and "the UN votes for 0% of the pairs" in " ".join(res.output.split())
