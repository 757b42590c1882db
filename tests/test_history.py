"""Simulations and structure held against history: the backtests and their rivals, the
fragmentation estimate, and the CLI commands that print them."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from multipolar.cli import app
from multipolar.errors import InputError
from multipolar.gravity import backtest as BT
from multipolar.gravity import fragmentation as FR

runner = CliRunner()


def test_every_builtin_backtest_loads_and_is_listed():
    names = BT.builtin()
    assert {"russia_crude_2023", "venezuela_crude_2020", "iran_crude_2013"} <= set(names)
    for n in names:
        ep = BT.load(n)
        assert ep.base_year < ep.observed_year and ep.fit_years[1] <= ep.base_year and ep.sources
    res = runner.invoke(app, ["gravity", "backtest", "--list"])
    assert res.exit_code == 0, res.output
    for n in names:
        assert n in res.output


@pytest.mark.parametrize("text, words", [
    ("name: x\nsector: crude_oil\nexporter: RUS\nfit_years: 2012:2021\nbase_year: 2021\nobserved_year: 2020\nshocks:\n"
     "  - {type: sanction, exporters: [RUS], importers: [EU], ban: true}\n", "observed_year 2020 must come after base_year 2021"),
    ("name: x\nsector: crude_oil\nexporter: RUS\nfit_years: 2012:2015\nbase_year: 2021\nobserved_year: 2023\nshocks:\n"
     "  - {type: sanction, exporters: [RUS], importers: [EU], ban: true}\n", "base_year 2021 must lie in fit_years"),
    ("name: x\nsector: crude_oil\nexporter: RUS\nfit_years: 2012:2021\nbase_year: 2021\nobserved_year: 2023\nwhen: now\nshocks: []\n",
     "unknown key(s) when"),
    ("name: x\nsector: crude_oil\nexporter: RUS\nfit_years: 2012:2021\nbase_year: 2021\nobserved_year: 2023\nshocks:\n"
     "  - {type: sanction, exporters: [RUS], importers: [EU], ban: true, tariff_pct: 5}\n", "either ban: true or tariff_pct"),
])
def test_bad_backtest_files_get_clear_errors(tmp_path, text, words):
    p = tmp_path / "b.yaml"
    p.write_text(text)
    with pytest.raises(InputError, match=words.replace("(", r"\(").replace(")", r"\)")):
        BT.load(p)


@pytest.fixture(scope="module")
def backtests(full_warehouse):
    return {n: BT.run(n, full_warehouse.path) for n in BT.builtin()}


def test_no_counterfactual_flow_goes_to_a_pair_with_a_ban_in_force(backtests):
    for name, r in backtests.items():
        assert r.banned, name
        f = r.flows
        hit = f[(f["exporter"] == r.episode.exporter) & f["importer"].isin(r.banned)]
        assert len(hit) and (hit["counterfactual"] == 0).all() and (hit["forecast"] == 0).all(), name
        bi = r.by_importer.set_index("importer")
        assert (bi.loc[bi["banned"], "model"] == 0).all() and (bi.loc[bi["banned"], "proportional"] == 0).all()


def test_backtest_scores_are_what_they_say(backtests):
    from scipy.stats import spearmanr
    for name, r in backtests.items():
        bi = r.by_importer
        for col in ("model", "model, deviations kept", "no change", "proportional", "observed"):
            assert bi[col].sum() == pytest.approx(1.0) and (bi[col] >= 0).all(), (name, col)
        bought = bi[bi["bought"]]
        assert r.importers_bought == len(bought) and r.importers_all == len(bi)
        for fc in BT.FORECASTS:
            assert r.scores.loc[fc, "spearman_all"] == pytest.approx(spearmanr(bi[fc], bi["observed"]).statistic), (name, fc)
            assert r.scores.loc[fc, "spearman_bought"] == pytest.approx(spearmanr(bought[fc], bought["observed"]).statistic)
        # proportional redistribution: the no-change shares of the buyers not banned, renormalised
        free = bi[~bi["banned"]]
        assert np.allclose(free["proportional"], free["no change"] / free["no change"].sum())
        # an importer without a row in the model has no prediction: not scored (by any forecast), counted and named
        assert not set(r.importers_dropped) & set(bi["importer"]), name
        if r.importers_dropped:
            assert any(f"{len(r.importers_dropped)} importer(s)" in n for n in r.notes), name


def test_listed_trade_gaps_have_sources_and_are_absent_from_baci(full_warehouse):
    from multipolar.sources.products import gap_products, hs6_sectors, products, trade_gaps
    from multipolar.warehouse import Warehouse
    g = trade_gaps()
    assert len(g) and g["source"].str.len().gt(40).all() and g["what"].str.len().gt(40).all()
    assert set(g["sector"]) <= set(hs6_sectors()["sector"]) and (g["first_year"] <= g["last_year"]).all()
    w = Warehouse(full_warehouse.path)
    for _, r in g.iterrows():        # a listed gap is a pair-sector-year that BACI leaves empty or holds a trace of (under 0.1 bn US$)
        own = gap_products(r)          # the listed products (France's pipeline gas), else the sector's
        assert set(own) <= set(products([r["sector"]])), (r["exporter"], r["importer"], own)
        hs = ", ".join(f"'{h}'" for h in own)
        got = w.query(f"""SELECT year, sum(value_kusd) AS v FROM baci_trade WHERE exporter = '{r["exporter"]}' AND importer = '{r["importer"]}'
                          AND hs6 IN ({hs}) AND year BETWEEN {r["first_year"]} AND {r["last_year"]} GROUP BY year""")
        assert (got["v"] < 100_000).all(), (r["exporter"], r["importer"], r["sector"], got[got["v"] >= 100_000].to_dict("records"))


def test_a_gap_of_some_of_a_sector_s_products_counts_where_those_products_are_summed():
    from multipolar.sources.products import gap_rows, products
    # France's Russian pipeline gas (HS 271121) is listed; its LNG (271111), recorded from 2018, is not
    fra = lambda g: sorted(g.loc[(g["exporter"] == "RUS") & (g["importer"] == "FRA"), "year"])   # noqa: E731
    assert fra(gap_rows(["271121"], 2016, 2023)) == list(range(2016, 2023))
    assert fra(gap_rows(["271111"], 2016, 2023)) == []
    assert fra(gap_rows(products(["natural_gas"]), 2021, 2021)) == [2021]     # the sector's sum is an undercount
    assert fra(gap_rows(products(), 2021, 2021)) == [2021]


def test_serbia_takes_geodist_rows_of_the_state_it_continued_and_montenegro_stays_missing(full_warehouse):
    from multipolar.gravity import panel as P
    d = P.build((2021, 2021), "crude_oil", full_warehouse.path)
    sh = d[(d["exporter"] == "SRB") & (d["importer"] == "HUN")].iloc[0]
    scg = P.Warehouse(full_warehouse.path).query("SELECT dist, contig FROM geodist_dyad WHERE code_o = 'SCG' AND code_d = 'HUN'").iloc[0]
    assert sh["ln_dist"] == pytest.approx(np.log(scg["dist"])) and sh["contig"] == 1 == scg["contig"]
    if "MNE" in set(d["exporter"]):
        assert d.loc[d["exporter"] == "MNE", "ln_dist"].isna().all()
    assert any("SRB has no row in CEPII GeoDist" in n and "SCG" in n for n in d.attrs["notes"])


def test_a_gravity_panel_leaves_out_a_flow_baci_does_not_record(full_warehouse):
    from multipolar.gravity import panel as P
    d = P.build((2021, 2023), "crude_oil", full_warehouse.path)
    rt = d[(d["exporter"] == "RUS") & (d["importer"] == "TUR")]
    assert rt["year"].tolist() == [2021] and rt["trade"].iloc[0] > 1e6      # 2022-23: missing, not a zero flow
    assert len(d[(d["exporter"] == "TUR") & (d["importer"] == "RUS")]) == 3  # the other direction stays
    from multipolar.sources.products import gap_rows
    n = len(gap_rows(P.sector_products("crude_oil"), 2021, 2023))       # RUS->TUR 2022-23 and IRQ->TUR 2021-22
    assert n == 4 and any(f"{n} pair-year(s) left out" in x and "RUS->TUR crude oil 2022-2023" in x and "IRQ->TUR crude oil 2021-2022" in x
                          for x in d.attrs["notes"])
    fl = FR.flows(full_warehouse.path, "energy_minerals", 2017)
    assert ("RUS", "TUR", 2022, "crude_oil") in fl.attrs["gaps"]


def test_the_gap_note_names_only_the_pair_years_the_panel_held():
    from multipolar.gravity.panel import _drop_gaps
    from multipolar.years import runs
    d = pd.DataFrame({"exporter": ["IRN", "IRN", "IRN", "USA"], "importer": ["TUR", "TUR", "TUR", "CAN"],
                      "year": [2017, 2018, 2021, 2017], "trade": [0.0, 0.0, 5.0, 9.0]})
    fl = pd.DataFrame()
    fl.attrs["gaps"] = [("IRN", "TUR", 2017, "crude_oil"), ("IRN", "TUR", 2018, "crude_oil"), ("IRN", "TUR", 2019, "crude_oil"),
                        ("RUS", "DEU", 2017, "natural_gas")]            # RUS-DEU is not in this panel: it loses nothing
    out = _drop_gaps(d, fl)
    assert out["year"].tolist() == [2021, 2017]
    assert fl.attrs["notes"] == ["2 pair-year(s) left out: flows BACI does not record although they took place "
                                 "(sources/data/trade_gaps.csv): IRN->TUR crude oil 2017-2018"]
    assert runs([2019, 2017, 2018, 2023, 2024, 2021]) == "2017-2019, 2021, 2023-2024"


def test_a_flow_baci_does_not_record_is_not_scored_as_a_zero(backtests):
    r = backtests["russia_crude_2023"]
    # Türkiye bought Russian crude in 2023 (Turkish statistics), BACI records none: missing, not a 0 share
    assert r.importers_unrecorded == ["TUR"] and "TUR" not in set(r.by_importer["importer"])
    assert any("sales to TUR" in n and "trade_gaps.csv" in n and "oilcapital.ru" in n for n in r.notes)
    # nor Iran's crude sales to Türkiye (2002-19): Türkiye's declarations do not name the origin of its crude
    assert backtests["iran_crude_2013"].importers_unrecorded == ["TUR"]
    assert "TUR" not in set(backtests["iran_crude_2013"].by_importer["importer"])
    for name, other in backtests.items():
        if name not in ("russia_crude_2023", "iran_crude_2013"):
            assert other.importers_unrecorded == [], name


def test_the_russian_crude_backtest_summary(full_warehouse):
    b = BT.backtest(full_warehouse.path)
    s = b["shares"]
    assert list(s.columns) == ["baseline_2021", "predicted_2023", "observed_2023"]
    # the direction the sanctions push: the EU's share falls, China's and India's rise
    assert s.loc["EU", "predicted_2023"] < s.loc["EU", "baseline_2021"]
    assert s.loc["China", "predicted_2023"] > s.loc["China", "baseline_2021"]
    assert s.loc["India", "predicted_2023"] > s.loc["India", "baseline_2021"]


def test_backtest_cli_prints_the_model_and_both_rivals(full_warehouse, tmp_path):
    out = tmp_path / "scores.csv"
    res = runner.invoke(app, ["gravity", "backtest", "venezuela_crude_2020", "--db", str(full_warehouse.path), "--out", str(out)],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    for w in ("model", "no change", "proportional", "that bought", "banned buyers: USA"):
        assert w in res.output
    t = pd.read_csv(out)
    assert set(t["forecast"]) == {"model", "model, deviations kept", "no change", "proportional"}
    assert t["persistence"].between(0, 1).all()
    assert "deviation from gravity fade" in res.output
    bad = runner.invoke(app, ["gravity", "backtest", "venezuela_crude_2020", "--persistence", "1.5"])
    assert bad.exit_code == 2 and "--persistence" in bad.output


def test_the_forecast_lets_deviations_fade_at_the_rate_measured_before(backtests):
    for name, r in backtests.items():
        p = r.persistence
        # measured on the fit years alone, from thousands of pairs; crude and coal deviations keep about 0.7 over 2 years
        assert p["horizon"] == r.episode.observed_year - r.episode.base_year and p["pairs"] > 1000, name
        assert 0.3 < p["rho"] < 1.0, (name, p)
        assert any(f"ρ = {p['rho']:.3f}" in n for n in r.notes), name
        # the decay moves the exporter's sales between destinations, not their sum
        f = r.flows[r.flows["exporter"] == r.episode.exporter]
        assert f["forecast"].sum() == pytest.approx(f["counterfactual"].sum(), rel=1e-9), name


def test_decay_deviations_keeps_a_fraction_of_each_pairs_deviation():
    from multipolar.gravity.ge import decay_deviations
    obs = np.array([[0, 10.0, 1.0, 0.0], [5.0, 0, 5.0, 5.0], [1.0, 1.0, 0, 0.0], [2.0, 0.0, 2.0, 0]])
    model = np.array([[0, 4.0, 4.0, 3.0], [5.0, 0, 5.0, 5.0], [2.0, 2.0, 0, 1.0], [1.0, 1.0, 1.0, 0]])
    full = obs * 1.5                                 # a counterfactual from the observed flows
    assert np.allclose(decay_deviations(full, obs, model, 1.0), full)
    half = decay_deviations(full, obs, model, 0.5)
    assert np.allclose(half.sum(axis=1), full.sum(axis=1))          # each exporter's total is kept
    assert (half[full == 0] == 0).all()                              # a pair that traded nothing stays at nothing
    # exporter 0: 10 against a model 4, 1 against 4: the gap narrows to the square root of its ratio
    assert half[0, 1] / half[0, 2] == pytest.approx(np.sqrt(10 / 1 * 4 / 4))
    zero = decay_deviations(full, obs, model, 0.0)
    assert zero[0, 1] == pytest.approx(zero[0, 2])                  # no deviation left: the model's levels
    assert np.allclose(decay_deviations(full, obs, obs, 0.3), full)  # no deviation to begin with: nothing moves
    with pytest.raises(InputError, match="from 0 to 1"):
        decay_deviations(full, obs, model, 1.2)


@pytest.mark.parametrize("rho", [0.2, 0.6, 0.9])
def test_persistence_recovers_a_known_rate(rho):
    from types import SimpleNamespace
    rng = np.random.default_rng(1)
    rows, dev = [], rng.normal(0, 1, 400)
    for y in range(2010, 2022):
        fitted = np.exp(rng.normal(3, 1, 400))
        rows.append(pd.DataFrame({"year": y, "exporter": [f"E{k % 20}" for k in range(400)],
                                  "importer": [f"I{k // 20}" for k in range(400)], "fitted": fitted, "trade": fitted * np.exp(dev)}))
        dev = rho * dev + rng.normal(0, np.sqrt(1 - rho ** 2), 400)   # an AR(1) deviation, one step a year
    est, pairs = BT.persistence(SimpleNamespace(used=pd.concat(rows)), 2)
    assert pairs == 400 * 10
    assert est == pytest.approx(rho ** 2, abs=0.05)                  # two steps later: rho squared is left
    assert BT.persistence(SimpleNamespace(used=pd.concat(rows).head(20)), 2) == (1.0, 0)


def _synthetic(effect: float, seed: int = 0):
    rng = np.random.default_rng(seed)
    us, cn = [f"U{k}" for k in range(6)], [f"C{k}" for k in range(6)]
    states = us + cn
    a = dict(zip(states, rng.normal(0, 1, len(states))))
    rows = []
    for y in range(2015, 2025):
        g = rng.normal(0, 0.1)
        for i in states:
            for j in states:
                if i == j:
                    continue
                between = (i in us) != (j in us)
                v = np.exp(5 + a[i] + a[j] + g + (0.3 if not between else 0.0)) * ((1 + effect) if between and y >= 2022 else 1.0)
                rows.append((i, j, y, v))
    fl = pd.DataFrame(rows, columns=["exporter", "importer", "year", "trade"])
    blocs = pd.Series({**{s: "US-leaning" for s in us}, **{s: "China-leaning" for s in cn}, "N0": "nonaligned"})
    return fl, blocs


@pytest.mark.parametrize("effect", [-0.2, 0.1])
def test_fragmentation_recovers_a_known_effect(effect):
    fl, blocs = _synthetic(effect)
    e = FR.estimate(fl, blocs, post=2022)
    assert e.pct == pytest.approx(effect * 100, abs=1e-4)
    assert e.se >= 0 and e.lo_pct <= e.pct <= e.hi_pct
    assert e.pairs == 12 * 11


def test_fragmentation_needs_years_on_both_sides():
    fl, blocs = _synthetic(-0.1)
    with pytest.raises(InputError, match="need years before and from 2030"):
        FR.estimate(fl, blocs, post=2030)


def test_fragmentation_on_the_shared_data(fitted_warehouse):
    tab, notes = FR.sensitivity(fitted_warehouse, variants=True)
    main = tab.iloc[0]
    assert main["variant"] == "main" and main["se"] > 0
    assert main["effect_pct"] == pytest.approx((np.exp(main["beta"]) - 1) * 100)
    assert {"without Russia", "blocs 2015", "from 2012"} <= set(tab["variant"]) | {n.split(":")[0] for n in notes}
    wr = tab.set_index("variant")
    if "without Russia" in wr.index:
        assert wr.loc["without Russia", "beta"] != main["beta"]
    res = runner.invoke(app, ["gravity", "fragmentation", "--db", str(fitted_warehouse), "--no-sensitivity"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "IMF anchor: -12%" in res.output and "clustered by pair" in res.output
