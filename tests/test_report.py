"""The report as an analyst opens it: every section with a finding, a chart that draws, sources;
a section without data says so; the file works offline in a real browser (chromium)."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from multipolar import api
from multipolar.report import sections as R
from tests.conftest import LOCAL, drawn_marks, screenshot

SECTIONS = ["blocs", "poles", "triangle", "focus", "scoreboard", "robustness", "movers", "scenarios", "coverage"]
# no scenario is stored with the embedded snapshot, and it holds ideal points but not the votes the robustness view refits
CHARTS = [s for s in SECTIONS if s not in ("scenarios", "robustness")]


@pytest.fixture(scope="module")
def snapshot_report(tmp_path_factory):
    d = tmp_path_factory.mktemp("report")
    out = api.write_report(d / "report.html", db=d / "no-warehouse.duckdb")
    return out


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    return R.Context(tmp_path_factory.mktemp("ctx") / "none.duckdb")


def test_every_section_has_a_finding_a_chart_with_units_and_a_source(ctx):
    secs = R.all_sections(ctx)
    assert [s.id for s in secs] == SECTIONS
    for s in secs:
        if s.id == "scenarios":
            assert "multipolar simulate" in s.missing          # says how to get one
            continue
        if s.id == "robustness":       # no votes in the warehouse: the view the snapshot ships, said as such
            assert any("embedded snapshot" in n for n in s.notes), s.notes
        assert s.missing is None, (s.id, s.missing)
        assert len(s.finding) > 40, s.id
        fig = s.figure
        assert fig and fig["data"], s.id
        assert fig["layout"]["title"]["text"].replace("<br>", " ").startswith(s.finding[:30]), s.id
        assert any(a["text"].startswith("Source:") for a in fig["layout"]["annotations"]), s.id
        # axes with a title wherever the chart has visible axes
        for ax, spec in fig["layout"].items():
            if re.fullmatch(r"[xy]axis\d*", ax) and spec.get("visible", True) and ax in ("xaxis", "yaxis") and s.id not in ("blocs",):
                if s.id == "movers" and ax == "yaxis":
                    continue                                     # the pairs' names are the axis
                if s.id == "triangle" and ax == "xaxis":
                    continue                                     # shared with the lower panel, which names it
                assert spec.get("title", {}).get("text"), (s.id, ax)


def test_the_findings_are_the_data(ctx):
    """The words come from the numbers: check a few against a direct computation."""
    from multipolar import structure as S
    tri = S.triangle("USA", "RUS", "CHN", years=f"1946:{ctx.latest}", db=ctx.db)
    last = tri[tri["type"] != "incomplete"].iloc[-1]
    assert f"is a {last['type']}" in R.triangle_section(ctx).finding
    p = R.partners(ctx, "RUS", ctx.latest)
    assert p["closeness"].is_monotonic_decreasing
    best = ctx.dy[(ctx.dy["year"] == ctx.latest) & (ctx.dy["code_a"] == "RUS")].nlargest(1, "closeness")["code_b"].iloc[0]
    assert R.focus_section(ctx).finding.startswith(f"In {ctx.latest}, Russia's closest partners are {R.name(best)}")


def test_no_top_mover_comes_from_a_coverage_edge(ctx):
    """The movers recomputed independently: per pair, closeness over only the components that have
    data in both years (and the same trade measure); the report's top movers must be the same pairs
    with the same change, and none of them may rest on a component that one of the years lacks."""
    import numpy as np
    from multipolar.relations import WEIGHTS
    for span in (10, 5):
        m = R.movers(ctx, span)
        if m.empty:
            continue
        y1, y0 = ctx.latest, ctx.latest - span
        now, then = ctx.undirected(y1).set_index(["code_a", "code_b"]), ctx.undirected(y0).set_index(["code_a", "code_b"])
        both = now.join(then, how="inner", rsuffix="_then")
        num_now = num_then = den = 0
        n = 0
        for k, w in WEIGHTS.items():
            ok = both[f"score_{k}"].notna() & both[f"score_{k}_then"].notna()
            if k == "economy":
                ok &= both["economy_measure"].astype(object) == both["economy_measure_then"].astype(object)
            num_now = num_now + np.where(ok, w * both[f"score_{k}"].fillna(0), 0)
            num_then = num_then + np.where(ok, w * both[f"score_{k}_then"].fillna(0), 0)
            den = den + np.where(ok, w, 0)
            n = n + ok.astype(int)
        ch = pd.Series((num_now - num_then) / np.where(den > 0, den, np.nan), index=both.index)[n >= 3].dropna()
        top = set(ch.nlargest(10, keep="all").index) | set(ch.nsmallest(10, keep="all").index)   # ties kept
        got = set(zip(m["code_a"], m["code_b"]))
        assert len(got) == min(20, len(ch)) and got <= top, (span, got - top)
        for r in m.itertuples(index=False):
            assert r.change == pytest.approx(ch.loc[(r.code_a, r.code_b)], abs=1e-6)   # the snapshot's scores are float32
            for comp in r.components.split(","):
                assert pd.notna(now.loc[(r.code_a, r.code_b), f"score_{comp}"]) and pd.notna(then.loc[(r.code_a, r.code_b), f"score_{comp}"])


def test_the_movers_among_the_g20_stand_beside_the_largest(ctx):
    """The largest moves are often small states' (Palau's): the finding and the table also give the moves among the
    G20 states, each pair of two G20 members, the same change as over all pairs."""
    from multipolar.actors.groupings import members
    g20 = set(members("G20", ctx.latest))
    allm, gm = R.movers(ctx, 10), R.movers(ctx, 10, within=g20)
    if allm.empty:
        pytest.skip("the snapshot has no year ten years before its latest")
    assert len(gm) == 20 and all(a in g20 and b in g20 for a, b in zip(gm["code_a"], gm["code_b"]))
    full = allm.set_index(["code_a", "code_b"])["change"]
    for r in gm.itertuples(index=False):          # a G20 pair among the overall movers has the same change
        if (r.code_a, r.code_b) in full.index:
            assert full.loc[(r.code_a, r.code_b)] == pytest.approx(r.change)
    sec = R.movers_section(ctx)
    down, up = gm.sort_values("change").iloc[0], gm.sort_values("change").iloc[-1]
    o = allm.sort_values("change")
    said = f"among the G20 states, {down['pair']} ({down['change']:+.2f}) and {up['pair']} ({up['change']:+.2f})" in sec.finding
    assert said == ((down["pair"], up["pair"]) != (o.iloc[0]["pair"], o.iloc[-1]["pair"]))      # not said twice
    assert sum(r["pairs"] == "G20 states" for r in sec.table) == 20


def test_a_section_without_data_says_so_and_the_report_goes_on(tmp_path, monkeypatch):
    from multipolar.errors import MissingDataError
    monkeypatch.setattr("multipolar.dimensions.values.stored_ideal_points", lambda db=None, run=None: None)

    def no_data(*a, **k):
        raise MissingDataError("no capability data for these years", hint="import COW NMC")
    monkeypatch.setattr("multipolar.structure.poles", no_data)
    out = api.write_report(tmp_path / "r.html", db=tmp_path / "none.duckdb")
    html = out.read_text()
    assert "Missing: No ideal points: run `multipolar idealpoints`" in html
    assert ("Missing: This section could not be drawn: the data are missing. no capability data for these years. "
            "What to do: import COW NMC") in html
    assert 'id="chart-triangle"' in html and 'id="chart-focus"' in html


@pytest.mark.parametrize("exc", [KeyError("enp_cinc"), RuntimeError("a bug"), ValueError("bad cast")])
def test_a_section_that_breaks_stops_the_report_and_writes_no_file(tmp_path, monkeypatch, exc):
    """Only missing data become a note: any other exception is a bug, and the report must not hide it."""
    def broken(*a, **k):
        raise exc
    monkeypatch.setattr("multipolar.structure.poles", broken)
    out = tmp_path / "r.html"
    with pytest.raises(type(exc)):
        api.write_report(out, db=tmp_path / "none.duckdb")
    assert not out.exists()


def test_the_command_fails_on_a_broken_section_and_writes_no_file(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from multipolar.cli import app

    def broken(*a, **k):
        raise KeyError("enp_cinc")
    monkeypatch.setattr("multipolar.structure.poles", broken)
    out = tmp_path / "r.html"
    res = CliRunner().invoke(app, ["report", "--out", str(out), "--db", str(tmp_path / "none.duckdb"), "--draws", "5"])
    assert res.exit_code != 0
    assert isinstance(res.exception, KeyError) or "KeyError" in res.output
    assert not out.exists()


def _poles_frame(early: float, latest: float):
    import pandas as pd
    years = list(range(1998, 2024))
    ratio = [early if y <= 2010 else latest for y in years]
    return pd.DataFrame({"year": years, "enp_cinc": 3.0, "enp_gdp": 4.0, "reading": "unipolar", "poles": "USA", "leader": "USA",
                         "runner_up_ratio": ratio, "polarity": 1, "leader_military_share": 0.4, "gp_effective_n": 2.5,
                         "gp_effective_n_cinc": 3.0, "gp_concentration": 0.5, "gp_leader": "USA", "gp_leader_share": 0.6,
                         "runner_up": "CHN"})


@pytest.mark.parametrize("early,latest,word", [(0.30, 0.45, "up from"), (0.45, 0.30, "down from"), (0.301, 0.299, "unchanged from")])
def test_the_poles_finding_says_which_way_the_runner_up_moved(ctx, monkeypatch, early, latest, word):
    monkeypatch.setattr("multipolar.structure.poles", lambda *a, **k: _poles_frame(early, latest))
    f = R.poles_section(ctx).finding
    assert f"the runner-up (CHN) spends {latest:.2f} of it, {word} {early:.2f} on average in 2000–10." in f
    for other in {"up from", "down from", "unchanged from"} - {word}:
        assert other not in f


def test_report_on_a_warehouse_with_one_source_shows_what_is_missing(tmp_path):
    from typer.testing import CliRunner

    from multipolar.cli import app
    from tests.conftest import FIXTURES
    db = tmp_path / "w.duckdb"
    CliRunner().invoke(app, ["data", "import", str(FIXTURES / "nmc.csv"), "--db", str(db)])
    res = CliRunner().invoke(app, ["report", "--out", str(tmp_path / "r.html"), "--db", str(db)])
    assert res.exit_code == 0, res.output
    html = (tmp_path / "r.html").read_text()
    assert "nmc.csv" in html
    assert html.count("Missing: No year&#39;s dyad measures have") == 4       # triangle, focus, scoreboard, movers
    assert 'id="chart-poles"' in html                                             # poles drawn from NMC alone


def test_report_options_focus_years_triangle(tmp_path):
    from typer.testing import CliRunner

    from multipolar.cli import app
    out = tmp_path / "r.html"
    res = CliRunner().invoke(app, ["report", "--out", str(out), "--db", str(tmp_path / "none.duckdb"), "--focus", "India",
                                   "--years", "2000:2019", "--triangle", "USA,IND,CHN", "--draws", "20"])
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert "In 2019, India&#39;s closest partners are" in html
    assert "USA–IND–CHN triangle" in html
    res = CliRunner().invoke(app, ["report", "--out", str(out), "--triangle", "USA,CHN"])
    assert res.exit_code == 2 and "three states" in res.output
    res = CliRunner().invoke(app, ["report", "--out", str(out), "--focus", "Narnia"])
    assert res.exit_code != 0 and "Did you mean" in res.output


def test_report_file_is_self_contained(snapshot_report):
    html = snapshot_report.read_text()
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "window.PlotlyGeoAssets = {topojson: {world_110m:" in html
    for sid in CHARTS:
        assert f'id="chart-{sid}"' in html


def test_report_draws_offline_in_chromium(snapshot_report, page):
    page.goto(snapshot_report.as_uri())
    page.wait_for_function("document.querySelectorAll('div.chart .main-svg').length >= 7", timeout=30000)
    for sid in CHARTS:
        n = drawn_marks(page, f"#chart-{sid}")
        assert n > 0, f"chart {sid} drew no marks"
    assert drawn_marks(page, "#chart-blocs") > 150                 # one area per state on the map
    shot = screenshot(page, "report")
    assert shot.stat().st_size > 50_000
    assert page.errors == []
    outside = [u for u in page.requests if not u.startswith(LOCAL)]
    assert outside == [], outside


def test_poles_command_prints_years_without_data_as_gaps(tmp_path):
    from typer.testing import CliRunner

    from multipolar.cli import app
    import pandas as pd
    out = tmp_path / "poles.csv"
    res = CliRunner().invoke(app, ["poles", "--years", "2020:2026", "--db", str(tmp_path / "none.duckdb"), "--out", str(out)])
    assert res.exit_code == 0, res.output
    rows = pd.read_csv(out).set_index("year")
    assert rows.loc[2022, "reading"] == "unipolar" and pd.isna(rows.loc[2024, "reading"])
