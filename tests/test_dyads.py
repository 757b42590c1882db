"""The directed dyad-year table and the relation layer, on the real data."""
import shutil

import pytest
from typer.testing import CliRunner

from multipolar.actors.groupings import members
from multipolar.cli import app
from multipolar.relations import Dyads
from multipolar.errors import InputError

runner = CliRunner()


@pytest.fixture(scope="module")
def db(fitted_warehouse):
    return fitted_warehouse


@pytest.fixture(scope="module")
def table(full_table):
    return full_table


def test_every_measure_in_a_unit_is_a_number(table):
    """A column with a unit (TIV, dollars, shares...) is numeric in pandas, never Decimal objects read as text (SIPRI's TIV
    sums came out as DuckDB DECIMAL, and the Stata file held them as strings)."""
    d, df = table
    wrong = [c for c, col in d.columns.items() if c in df and df[c].dtype == object
             and df[c].dropna().map(lambda v: not isinstance(v, str)).any()]
    assert not wrong, wrong


def test_every_ordered_pair_once_and_no_self_or_successor_pairs(table):
    _, df = table
    assert not df.duplicated(["code_a", "code_b", "year"]).any()
    assert (df["code_a"] != df["code_b"]).all()
    assert df[(df["year"] == 1990) & (df["code_a"] == "GFR") & (df["code_b"] == "DEU")].empty
    # directed: both orders present, and directional measures differ where they should
    y = df[(df["year"] == 2019)]
    ab = y[(y["code_a"] == "RUS") & (y["code_b"] == "CHN")].iloc[0]
    ba = y[(y["code_a"] == "CHN") & (y["code_b"] == "RUS")].iloc[0]
    assert ab["energy_minerals_exports_a_to_b_kusd"] == ba["energy_minerals_exports_b_to_a_kusd"]
    assert ab["visa_openness_b_for_a"] == ba["visa_openness_a_for_b"]
    assert ab["dependence_a_on_b"] == pytest.approx(ba["dependence_b_on_a"])


def test_missing_stays_missing_outside_coverage(table):
    d, df = table
    assert df.loc[df["year"] < 1995, "energy_minerals_exports_a_to_b_kusd"].isna().all()      # BACI starts in 1995
    assert df.loc[df["year"] > 2014, "igos_shared_n"].isna().all()                 # COW IGO ends in 2014
    assert df.loc[df["year"] < 2019, "visa_openness_b_for_a"].isna().all()         # visa snapshots start in 2019
    cov = d.coverage()
    assert {"year", "column", "share_with_data"} <= set(cov.columns)
    assert cov.loc[(cov["column"] == "alliance_defense") & (cov["year"] == 1980), "share_with_data"].iloc[0] == 1.0
    cb = d.codebook()
    assert cb["source"].astype(bool).sum() > 50 and "energy_minerals_trade_share_of_a" in set(cb["name"])
    assert cb["coverage"].astype(bool).sum() > 50                                  # every measure says where it has data


def _type(df, a, b, y):
    r = df[(df["code_a"] == a) & (df["code_b"] == b) & (df["year"] == y)]
    assert len(r) == 1, (a, b, y)
    return r.iloc[0]["relation_type"]


def test_relation_types_on_clear_cases(table):
    _, df = table
    nato = members("NATO", 1990)
    y = df[(df["year"] == 1990) & df["code_a"].isin(nato) & df["code_b"].isin(nato)]
    assert len(y) > 200 and (y["relation_type"] == "alliance").all()
    assert _type(df, "USA", "SUN", 1980) == "adversary"
    wp = members("WARSAW", 1980)
    w = df[(df["year"] == 1980) & df["code_a"].isin(wp) & df["code_b"].isin(wp)]
    assert len(w) > 20 and (w["relation_type"] == "alliance").all()
    assert _type(df, "IND", "PAK", 1999) in ("rivalry", "adversary", "at war")
    assert _type(df, "USA", "CAN", 2010) == "alliance" and _type(df, "DEU", "FRA", 2010) == "alliance"
    assert _type(df, "RUS", "UKR", 2022) == "at war"
    assert _type(df, "RUS", "PRK", 2025) == "alliance"          # the 2024 treaty, from the dated list


def test_an_eu_pair_after_2000_is_close(table):
    _, df = table
    for y in (2005, 2015):
        yr = df[df["year"] == y]
        c = yr[(yr["code_a"] == "FRA") & (yr["code_b"] == "DEU")]["closeness"].iloc[0]
        assert c > yr["closeness"].quantile(0.9), (y, c)


def test_exports_and_cli(db, tmp_path):
    out = tmp_path / "d.csv"
    res = runner.invoke(app, ["dyads", "--db", str(db), "--years", "2022", "--states", "RUS,CHN,USA,IND", "--format", "csv",
                              "--out", str(out), "--codebook"])
    assert res.exit_code == 0, res.output
    import pandas as pd
    df = pd.read_csv(out)
    assert len(df) == 12 and set(df["code_a"]) == {"RUS", "CHN", "USA", "IND"}
    keys = list(zip(df["year"], df["code_a"], df["code_b"]))
    assert keys == sorted(keys)                                  # sorted by year, A, B without a sort step
    dta = tmp_path / "d.dta"
    res = runner.invoke(app, ["dyads", "--db", str(db), "--years", "2019:2020", "--states", "RUS,CHN", "--out", str(dta)])
    assert res.exit_code == 0, res.output
    st = pd.read_stata(dta)
    assert len(st) == 4 and "em_exports_a_to_b_kusd" in st.columns           # a name too long for Stata, shortened
    labels = pd.io.stata.StataReader(dta).variable_labels()
    assert labels["em_exports_a_to_b_kusd"].startswith("energy_minerals_exports_a_to_b_kusd:")
    res = runner.invoke(app, ["relation", "RUS", "CHN", "--db", str(db), "--years", "2012:2024"])
    assert res.exit_code == 0, res.output
    assert "evidence" in res.output and "2024" in res.output and "chained" in res.output


def test_bad_input_is_refused(db):
    with pytest.raises(InputError):
        Dyads(years="2020:2010", db=db)
    res = runner.invoke(app, ["relation", "RUS", "Narnia", "--db", str(db)])
    assert res.exit_code == 2 and "Narnia" in res.output


def test_relation_on_a_fresh_install_uses_the_snapshot_and_says_what_is_missing(tmp_path):
    res = runner.invoke(app, ["relation", "RUS", "CHN", "--years", "2015:2019", "--db", str(tmp_path / "empty.duckdb")])
    assert res.exit_code == 0, res.output
    assert "embedded snapshot" in res.output and "no table 'baci_trade'" in res.output.replace("\n", " ")
    d = Dyads(years="2019", states=["RUS", "CHN"], db=tmp_path / "empty.duckdb").add_all().add_relation()
    df = d.to_pandas()
    assert len(df) == 2 and df["ip_distance"].notna().all() and df["energy_minerals_trade_share_of_a"].isna().all()


def test_sanctions_of_organisations_count_for_their_member_states(full_warehouse):
    """GSDB names the EU (EEC), NATO, the G7... as one sender: each member state of the year is a
    sender in the dyads (the EU's 2014 sanctions on Russia, Russia's counter-sanctions on the EU)."""
    d = Dyads(years="2013:2015", states=["DEU", "POL", "RUS", "NOR", "SRB", "ARG", "FRA"], db=full_warehouse.path).add_interaction()
    m = d.to_pandas(["sanctions_a_on_b_n", "sanctions_a_on_b_types"]).set_index(["code_a", "code_b", "year"])
    for eu in ("DEU", "POL", "FRA"):
        assert m.loc[(eu, "RUS", 2015), "sanctions_a_on_b_n"] >= 1, eu
        assert "financial" in m.loc[(eu, "RUS", 2015), "sanctions_a_on_b_types"]
        assert m.loc[("RUS", eu, 2015), "sanctions_a_on_b_n"] >= 1            # Russia's food embargo on the EU
        assert m.loc[(eu, "RUS", 2013), "sanctions_a_on_b_n"] == 0            # before Crimea: none
    assert m.loc[("NOR", "RUS", 2015), "sanctions_a_on_b_n"] >= 1            # named as a state in GSDB
    assert m.loc[("SRB", "RUS", 2015), "sanctions_a_on_b_n"] == 0            # not an EU member: not a sender
    assert any("counts for each member state of the year" in n for n in d.notes)
    # the EEC's 1982 embargo on Argentina: its members of 1982, not Poland
    d = Dyads(years="1982:1982", states=["FRA", "POL", "ARG"], db=full_warehouse.path).add_interaction()
    m = d.to_pandas(["sanctions_a_on_b_n"]).set_index(["code_a", "code_b", "year"])
    assert m.loc[("FRA", "ARG", 1982), "sanctions_a_on_b_n"] >= 1
    assert m.loc[("POL", "ARG", 1982), "sanctions_a_on_b_n"] == 0
