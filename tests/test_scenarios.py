"""Scenario files: clear errors for bad input; a built-in scenario solved on the real data."""
from __future__ import annotations

import numpy as np
import pytest

from multipolar.errors import InputError
from multipolar.gravity import scenarios as S


def _write(tmp_path, text):
    p = tmp_path / "s.yaml"
    p.write_text(text)
    return p


GOOD = """name: test
sector: crude_oil
fit_years: 2015:2019
base_year: 2019
draws: 0
shocks:
"""


@pytest.mark.parametrize("shock, words", [
    ("  - {type: embargo, exporters: [RUS], importers: [EU], ban: true}", "type must be one of"),
    ("  - {type: sanction, exporters: [Narnia], importers: [EU], ban: true}", "not a known state"),
    ("  - {type: sanction, exporters: [RUS], importers: [AUKUS], ban: true}", "the group AUKUS has no members in 2019"),
    ("  - {type: sanction, exporters: [RUS], importers: [EU], tariff_pct: -150}", "tariff_pct must be a number above -100"),
    ("  - {type: sanction, exporters: [RUS], importers: [EU], ban: true, tariff_pct: 10}", "either ban: true or tariff_pct"),
    ("  - {type: secondary, target: RUS, via: [CHN], tariff_pct: 10}", "unknown key(s) via"),
])
def test_bad_scenarios_get_clear_errors(tmp_path, shock, words):
    p = _write(tmp_path, GOOD + shock + "\n")
    with pytest.raises(InputError, match=words.replace("(", r"\(").replace(")", r"\)")):
        sc = S.load(p)
        countries = ["CHN", "DEU", "FRA", "RUS", "USA"]
        import pandas as pd
        S.apply(sc, countries, np.ones((5, 5)), pd.DataFrame({"year": []}), pd.Series(dtype=float))


def test_scenario_file_errors(tmp_path):
    with pytest.raises(InputError, match="no such scenario file"):
        S.load(tmp_path / "missing.yaml")
    with pytest.raises(InputError, match="unknown key"):
        S.load(_write(tmp_path, GOOD.replace("draws: 0", "drawz: 0") + "  - {type: decouple, tariff_pct: 10}\n"))
    with pytest.raises(InputError, match="shocks must be a non-empty list"):
        S.load(_write(tmp_path, GOOD + "  []\n"))


def test_shocks_change_the_right_pairs():
    import pandas as pd
    sc = S.load(_write_tmp(GOOD + "  - {type: sanction, exporters: [RUS], importers: [DEU, FRA], ban: true, direction: one-way}\n"
                           "  - {type: payment_friction, pairs: [[RUS, CHN]], tariff_pct: 10}\n"))
    countries = ["CHN", "DEU", "FRA", "RUS", "USA"]
    t1, said = S.apply(sc, countries, np.ones((5, 5)), pd.DataFrame({"year": []}), pd.Series(dtype=float))
    i = {c: k for k, c in enumerate(countries)}
    assert t1[i["RUS"], i["DEU"]] == 0 and t1[i["DEU"], i["RUS"]] == 1          # one-way ban
    assert t1[i["RUS"], i["CHN"]] == pytest.approx(1.1 ** -6) == t1[i["CHN"], i["RUS"]]
    assert t1[i["USA"], i["CHN"]] == 1
    assert len(said) == 2


def test_reopen_restores_the_base_years_costs_and_names_its_channels():
    import pandas as pd
    sc = S.load(_write_tmp(GOOD.replace("fit_years: 2015:2019", "fit_years: 2013:2019")
                           + "  - {type: reopen, between: [DEU], and: [RUS], year: 2013}\n"))
    countries = ["CHN", "DEU", "RUS"]
    rows = []
    for y, sanc in ((2013, 0.0), (2019, 1.0)):
        for e in countries:
            for i in countries:
                if e != i:
                    s_ = sanc if {e, i} == {"DEU", "RUS"} else 0.0
                    rows.append({"exporter": e, "importer": i, "year": y, "sanction_financial": s_, "rta": 1.0})
    panel = pd.DataFrame(rows)
    coef = pd.Series({"sanction_financial": -0.7, "rta": 0.4})
    t1, said = S.apply(sc, countries, np.ones((3, 3)), panel, coef)
    i = {c: k for k, c in enumerate(countries)}
    assert t1[i["DEU"], i["RUS"]] == pytest.approx(np.exp(0.7)) == t1[i["RUS"], i["DEU"]]    # the 2019 sanction lifted
    assert t1[i["CHN"], i["RUS"]] == 1
    assert said == ["reopen: 2 directed pairs back to their 2013 costs; change in log t^(1-σ) by channel, mean over the pairs: "
                    "sanction_financial +0.70"]


def _write_tmp(text):
    import tempfile
    from pathlib import Path
    p = Path(tempfile.mkdtemp()) / "s.yaml"
    p.write_text(text)
    return p


def test_builtin_scenarios_load():
    b = S.builtin()
    assert set(b) == {"secondary_sanctions_china", "two_bloc_decoupling", "eu_russia_reopening"}
    for p in b.values():
        sc = S.load(p)
        assert sc.shocks and sc.sigma > 1


def test_secondary_sanctions_on_the_real_data(full_warehouse):
    r = S.simulate(S.load("secondary_sanctions_china"), db=full_warehouse.path, draws=5)
    t = r.table.set_index("country")
    assert t.loc["RUS", "change_real_income_FULL"] < 0 and t.loc["RUS", "change_Xi_FULL"] < 0
    d = r.diversion.set_index(["exporter", "importer"])
    banned = [k for k in d.index if k[0] == "RUS" and k[1] in ("NLD", "DEU", "ITA", "FRA", "POL", "JPN")]
    assert banned and all(d.loc[k, "counterfactual"] == 0 for k in banned)
    assert (r.diversion["change"] > 0).any()                     # someone gains the trade
    iv = r.intervals[r.intervals["measure"] == "change_real_income_FULL"].set_index("country")
    assert iv.loc["RUS", "q05"] <= t.loc["RUS", "change_real_income_FULL"] + 1.0
    assert any("not a change in GDP" in n for n in r.notes)


def test_backtest_labels_follow_its_years(full_warehouse):
    from typer.testing import CliRunner

    from multipolar.cli import app
    from multipolar.gravity.backtest import backtest
    b = backtest(full_warehouse.path, fit_years=(2010, 2019), base_year=2019, observed_year=2022)
    assert list(b["shares"].columns) == ["baseline_2019", "predicted_2022", "observed_2022"]
    assert (b["base_year"], b["observed_year"], b["fit_years"]) == (2019, 2022, (2010, 2019))
    res = CliRunner().invoke(app, ["gravity", "backtest", "--years", "2010:2019", "--base-year", "2019", "--observed-year", "2022",
                                   "--db", str(full_warehouse.path)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "predicted from 2019, against 2022" in res.output and "no change" in res.output and "proportional" in res.output


def test_stored_scenario_appears_in_the_report_and_the_dashboard(full_warehouse, tmp_path):
    """simulate --store keeps the run (one transaction, replacing the same scenario); the report and the API show it."""
    import shutil

    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from multipolar import api
    from multipolar.cli import app
    from multipolar.web import create_app
    db = tmp_path / "w.duckdb"
    shutil.copy(full_warehouse.path, db)
    for _ in range(2):                                      # twice: the second run replaces the first
        res = CliRunner().invoke(app, ["simulate", "secondary_sanctions_china", "--draws", "3", "--db", str(db)])
        assert res.exit_code == 0, res.output
    runs, results, div = S.stored(db)
    assert list(runs["key"]) == ["secondary_sanctions_china"] and results["key"].nunique() == 1
    html = api.write_report(tmp_path / "r.html", db=db).read_text()
    assert "Under “Secondary sanctions on Russia" in html and 'id="chart-scenarios"' in html
    c = TestClient(create_app(db))
    body = c.get("/api/scenarios").json()
    assert body["runs"][0]["key"] == "secondary_sanctions_china"
    one = c.get("/api/scenarios/secondary_sanctions_china").json()
    assert any(r["country"] == "RUS" and r["change_real_income_FULL"] < 0 for r in one["results"])
    assert c.get("/api/scenarios/nonexistent").status_code == 404
    assert c.get("/scenarios").status_code == 200
