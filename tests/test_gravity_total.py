"""``--sector total``: gravity on all goods from a full trade file the user imports (a full BACI
file, or COW dyadic trade), never on the energy and minerals subset alone."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from multipolar.cli import app
from multipolar.errors import InputError
from multipolar.gravity import panel
from multipolar.warehouse import Warehouse
from tests.conftest import SHARED

GEO = None if SHARED is None else SHARED / "trade" / "cepii_geodist_dist_cepii.csv.gz"
needs_geodist = pytest.mark.skipif(GEO is None or not GEO.exists(), reason="CEPII GeoDist (../shared/data/trade) is absent")

# BACI's numeric codes (ISO numeric, with CEPII's own for France, India, Switzerland, USA)
BACI = {"USA": 842, "CHN": 156, "RUS": 643, "DEU": 276, "FRA": 251, "IND": 699, "JPN": 392, "KOR": 410, "BRA": 76,
        "CAN": 124, "MEX": 484, "TUR": 792, "POL": 616, "ITA": 380, "ESP": 724, "AUS": 36}
TRUE = {"ln_dist": -1.0, "contig": 0.5}


@pytest.fixture(scope="module")
def geo_wh(tmp_path_factory):
    db = tmp_path_factory.mktemp("total") / "w.duckdb"
    w = Warehouse(db)
    w.import_file(GEO)
    return w


def _gravity_flows(w: Warehouse, seed: int = 1) -> pd.DataFrame:
    """Directed flows from a known gravity model: X_ij = exp(a_i + b_j - 1.0 ln dist_ij + 0.5 contig_ij)."""
    codes = ", ".join(f"'{c}'" for c in BACI)
    g = w.query(f"SELECT code_o AS e, code_d AS i, dist, contig FROM geodist_dyad WHERE code_o IN ({codes}) AND code_d IN ({codes}) "
                "AND code_o <> code_d").groupby(["e", "i"], as_index=False).first()
    rng = np.random.default_rng(seed)
    a = dict(zip(BACI, rng.normal(14, 1, len(BACI))))
    b = dict(zip(BACI, rng.normal(3, 1, len(BACI))))
    g["x"] = np.exp(g["e"].map(a) + g["i"].map(b) + TRUE["ln_dist"] * np.log(g["dist"]) + TRUE["contig"] * g["contig"])
    return g


@needs_geodist
def test_total_on_a_full_baci_file_recovers_the_gravity_model(geo_wh, tmp_path):
    g = _gravity_flows(geo_wh)
    rng = np.random.default_rng(2)
    n_prod = 1200                                           # a full file: more than panel.FULL_PRODUCTS products
    prods = np.array([f"{k:06d}" for k in rng.choice(np.arange(10_000, 970_000), n_prod, replace=False)])
    rows = []
    for r in g.itertuples():
        share = rng.dirichlet(np.ones(n_prod) * 0.3)
        v = r.x * share
        keep = v > r.x * 1e-4                               # small lines absent, as in BACI
        rows.append(pd.DataFrame({"t": 2021, "i": BACI[r.e], "j": BACI[r.i], "k": prods[keep], "v": np.round(v[keep], 3),
                                  "q": np.round(v[keep] / 7, 3)}))
    f = tmp_path / "BACI_HS92_Y2021_V202401b.csv"
    pd.concat(rows).to_csv(f, index=False)
    rep = geo_wh.import_file(f)
    assert rep.status == "imported", rep
    fit, d = panel.fit((2021, 2021), "total", geo_wh.path)
    assert d.attrs["source"] == "CEPII BACI, all 1200+ HS6 products"
    assert d["trade"].sum() == pytest.approx(sum(x.v.sum() for x in rows), rel=1e-9)   # every product, not the sectors' list
    assert fit.coef["ln_dist"] == pytest.approx(TRUE["ln_dist"], abs=0.02)
    assert fit.coef["contig"] == pytest.approx(TRUE["contig"], abs=0.05)
    assert any("no variation" in n for n in fit.notes)      # no sanctions or alliances here: said, not estimated as zero
    res = CliRunner().invoke(app, ["gravity", "fit", "--years", "2021:2021", "--sector", "total", "--db", str(geo_wh.path)])
    assert res.exit_code == 0, res.output
    assert "CEPII BACI, all" in res.output and "ln_dist" in res.output


@needs_geodist
def test_total_on_cow_dyadic_trade_keeps_missing_flows_missing(tmp_path):
    w = Warehouse(tmp_path / "w.duckdb")
    w.import_file(GEO)
    g = _gravity_flows(w, seed=3)
    cow = {"USA": 2, "CHN": 710, "RUS": 365, "DEU": 255, "FRA": 220, "IND": 750, "JPN": 740, "KOR": 732, "BRA": 140,
           "CAN": 20, "MEX": 70, "TUR": 640, "POL": 290, "ITA": 325, "ESP": 230, "AUS": 900}
    x = g.set_index(["e", "i"])["x"] / 1e9                  # million US$
    rows = []
    names = sorted(cow)
    for p, a in enumerate(names):
        for b_ in names[p + 1:]:
            rows.append({"ccode1": cow[a], "ccode2": cow[b_], "year": 2010, "importer1": a, "importer2": b_,
                         "flow1": x[(b_, a)], "flow2": x[(a, b_)], "smoothtotrade": 0, "version": 4.0})
    df = pd.DataFrame(rows)
    df.loc[:4, "flow1"] = -9                                # COW's missing
    f = tmp_path / "Dyadic_COW_4.0.csv"
    df.to_csv(f, index=False)
    assert w.import_file(f).status == "imported"
    fit, d = panel.fit((2010, 2010), "total", w.path)
    assert d.attrs["source"] == "COW Trade 4.0 dyadic"
    assert len(d) == 2 * len(df) - 5                         # the five missing flows left out, not zeros
    assert (d["trade"] > 0).all()
    assert any("5 directed flows marked missing" in n for n in d.attrs["notes"])
    assert fit.coef["ln_dist"] == pytest.approx(TRUE["ln_dist"], abs=0.02)


@needs_geodist
def test_total_refuses_the_energy_and_minerals_subset(tmp_path):
    w = Warehouse(tmp_path / "w.duckdb")
    w.import_file(GEO)
    sub = SHARED / "trade" / "baci_hs92_V202401b_minerals_energy_subset_1995-2024.parquet"
    if not sub.exists():
        pytest.skip("the BACI subset (../shared/data/trade) is absent")
    w.import_file(sub)
    with pytest.raises(InputError, match=r"no full trade file .* at most per year \(a subset"):
        panel.build((2021, 2021), "total", w.path)
    d = panel.build((2021, 2021), "crude_oil", w.path)           # the sectors still work
    assert d.attrs["source"] == "CEPII BACI" and d["trade"].gt(0).any()


@needs_geodist
def test_fit_without_years_takes_every_year_of_the_data(tmp_path):
    """No --years: the panel spans the years the trade data have (here 2021 and 2022), not a fixed range."""
    w = Warehouse(tmp_path / "w.duckdb")
    w.import_file(GEO)
    g = _gravity_flows(w)
    prods = [f"{k:06d}" for k in range(100_000, 100_000 + 1100)]
    for year, scale in ((2021, 1.0), (2022, 1.1)):
        rows = pd.DataFrame([(year, BACI[r.e], BACI[r.i], k, round(r.x * scale / len(prods), 3), 1.0)
                             for r in g.itertuples() for k in prods[:: 50]] +
                            [(year, BACI["USA"], BACI["CHN"], f"{k:06d}", 1.0, 1.0) for k in range(200_000, 201_100)], columns=["t", "i", "j", "k", "v", "q"])
        f = tmp_path / f"BACI_HS92_Y{year}_V202401b.csv"
        rows.to_csv(f, index=False)
        rep = w.import_file(f)
        assert rep.status == "imported", rep.message
    fit, d = panel.fit(None, "total", w.path, pair_effects=False)
    assert d.attrs["years"] == (2021, 2022) and sorted(d["year"].unique()) == [2021, 2022]
    res = CliRunner().invoke(app, ["gravity", "fit", "--sector", "total", "--no-pair", "--db", str(w.path)])
    assert res.exit_code == 0, res.output
    assert "total, 2021-2022" in res.output
