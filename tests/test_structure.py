"""The shape of the system: poles and strategic triangles."""
import shutil
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from multipolar.cli import app
from multipolar.structure import triangles as T

runner = CliRunner()


def test_dittmer_typology_names_the_pivot_and_the_pariah():
    assert T.classify(1, 1, 1, "A", "B", "C") == ("ménage à trois", None)
    assert T.classify(-1, -1, -1, "A", "B", "C") == ("unit veto", None)
    # A friendly with B and C, who are hostile to each other: A is the pivot
    assert T.classify(1, 1, -1, "A", "B", "C") == ("romantic triangle", "A")
    assert T.classify(1, -1, 1, "A", "B", "C") == ("romantic triangle", "B")
    # A and B friendly, both hostile to C: C is the pariah
    assert T.classify(1, -1, -1, "A", "B", "C") == ("stable marriage", "C")
    assert T.classify(-1, -1, 1, "A", "B", "C") == ("stable marriage", "A")
    assert T.classify(0, 1, 1, "A", "B", "C", known=(False, True, True))[0] == "incomplete"


def test_neutral_links_are_named_as_signed_graphs_without_them():
    # A-B neutral; C friendly with both: their common friend
    assert T.classify(0, 1, 1, "A", "B", "C") == ("common friend", "C")
    assert T.classify(0, -1, -1, "A", "B", "C") == ("common adversary", "C")
    assert T.classify(1, 0, -1, "A", "B", "C") == ("friend and foe", "B")
    assert T.classify(1, 0, 0, "A", "B", "C") == ("friendly pair", "C")
    assert T.classify(0, 0, -1, "A", "B", "C") == ("hostile pair", "A")
    assert T.classify(0, 0, 0, "A", "B", "C") == ("all neutral", None)


def test_a_sign_needs_an_interval_that_excludes_zero():
    dy = pd.DataFrame({"code_a": ["A", "B", "A", "C", "B", "C"], "code_b": ["B", "A", "C", "A", "C", "B"], "year": 2000,
                       "closeness": [-0.02, -0.02, 0.30, 0.30, -0.40, -0.40],
                       "closeness_lo": [-0.10, -0.10, 0.20, 0.20, -0.50, -0.50],
                       "closeness_hi": [0.06, 0.06, 0.40, 0.40, -0.30, -0.30],
                       "relation_type": ["other", "other", "other", "other", "other", "other"]})
    sg = T.signs(dy).set_index(["code_a", "code_b"])
    assert sg.loc[("A", "B"), "sign"] == 0 and sg.loc[("A", "B"), "known"]            # -0.02 with an interval over 0: neutral
    assert sg.loc[("A", "C"), "sign"] == 1 and sg.loc[("B", "C"), "sign"] == -1
    from scipy.stats import norm
    sd = 0.16 / (2 * T.Z90)
    assert sg.loc[("A", "B"), "p_friendly"] == pytest.approx(norm.sf(0.02 / sd))
    # a decisive type overrides the interval
    dy2 = dy.assign(relation_type=["alliance", "alliance", "other", "other", "rivalry", "rivalry"])
    sg2 = T.signs(dy2).set_index(["code_a", "code_b"])
    assert sg2.loc[("A", "B"), "sign"] == 1 and sg2.loc[("A", "B"), "p_friendly"] == 1.0 and sg2.loc[("B", "C"), "p_friendly"] == 0.0
    rows = T.triangle_rows(T.edges(sg.reset_index()), "A", "B", "C")
    assert rows[0]["type"] == "friend and foe" and rows[0]["pivot_or_pariah"] == "C" and rows[0]["balanced"] is None
    pac, pbc = sg.loc[("A", "C"), "p_friendly"], sg.loc[("B", "C"), "p_friendly"]
    assert rows[0]["type_share"] == pytest.approx(pac * (1 - pbc))
    # the share of draws agrees with drawing: simulate the links' signs
    rng = np.random.default_rng(0)
    n = 20000
    draw = lambda p: rng.random(n) < p     # noqa: E731
    sim = np.mean(draw(pac) & ~draw(pbc))
    assert rows[0]["type_share"] == pytest.approx(sim, abs=0.02)


def test_a_sign_that_hangs_on_one_component_is_neutral():
    """Closeness from the UN votes (values) alone against an institutions score of 0: left out, nothing hostile
    remains, so the link is neutral; the same closeness with a second hostile component keeps its sign."""
    comp = {"score_values": [-0.5, -0.5, -0.5, -0.5], "score_institutions": [0.0, 0.0, 0.0, 0.0],
            "score_economy": [np.nan] * 4, "score_people": [np.nan] * 4, "score_interaction": [np.nan, np.nan, -0.3, -0.3]}
    dy = pd.DataFrame({"code_a": ["A", "B", "A", "C"], "code_b": ["B", "A", "C", "A"], "year": 2000,
                       "closeness": [-0.27, -0.27, -0.32, -0.32], "closeness_lo": [-0.30, -0.30, -0.35, -0.35],
                       "closeness_hi": [-0.24, -0.24, -0.29, -0.29], "relation_type": "neutral", **comp})
    sg = T.signs(dy).set_index(["code_a", "code_b"])
    assert sg.loc[("A", "B"), "sign"] == 0 and not sg.loc[("A", "B"), "robust"] and sg.loc[("A", "B"), "known"]
    assert sg.loc[("A", "C"), "sign"] == -1 and sg.loc[("A", "C"), "robust"]
    # without the component scores the interval alone decides (as before)
    assert T.signs(dy.drop(columns=list(comp))).set_index(["code_a", "code_b"]).loc[("A", "B"), "sign"] == -1


@settings(max_examples=60, deadline=None)
@given(st.integers(4, 9), st.integers(0, 10_000))
def test_balance_share_from_the_matrix_equals_counting_triads(n, seed):
    rng = np.random.default_rng(seed)
    codes = [f"S{i}" for i in range(n)]
    rows = [(a, b, 2000, int(rng.choice([-1, 1, 0], p=[0.4, 0.5, 0.1]))) for a, b in combinations(codes, 2)]   # 0: neutral or unknown
    sg = pd.DataFrame(rows, columns=["code_a", "code_b", "year", "sign"])
    got = T.balance_share(sg)
    s = {(a, b): v for a, b, _, v in rows}
    tri = [(s[(a, b)], s[(a, c)], s[(b, c)]) for a, b, c in combinations(codes, 3)]
    known = [t for t in tri if 0 not in t]
    if not known:
        assert got.empty or got["triads"].iloc[0] == 0
        return
    want = sum(np.prod(t) > 0 for t in known) / len(known)
    assert got["triads"].iloc[0] == len(known)
    assert got["balanced_share"].iloc[0] == pytest.approx(want)


@pytest.fixture(scope="module")
def db(full_warehouse, tmp_path_factory):
    path = tmp_path_factory.mktemp("structure") / "w.duckdb"
    shutil.copy(full_warehouse.path, path)
    res = runner.invoke(app, ["idealpoints", "--db", str(path)])
    assert res.exit_code == 0, res.output
    from multipolar.warehouse import Warehouse
    assert Warehouse(path).counts()["ideal_points"] > 5000
    return path


def test_poles_read_bipolar_in_the_cold_war_and_unipolar_after(db):
    """The great-power reading: bipolar in 1950-1989 and unipolar in 1991-1999, no exception listed. 1990 reads
    bipolar: the USSR spends 0.44 of the United States (more than in 1989) and Maoz codes it a global power to the
    end of 1990; Russia is a regional power from 1991 (multipolar.structure.polarity)."""
    from multipolar.structure import poles
    from multipolar.structure.polarity import POLE_RULE
    p = poles(db=db).set_index("year")
    assert (p.loc[1950:1989, "reading"] == "bipolar").all(), p.loc[1950:1989, "reading"].value_counts()
    assert (p.loc[1991:1999, "reading"] == "unipolar").all(), p.loc[1991:1999, "reading"].value_counts()
    assert set(p.loc[1950:1989, "poles"].str.split().map(frozenset)) == {frozenset({"USA", "SUN"})}
    # the global powers come from Maoz's table in the warehouse: the USSR through 1990, not after
    assert "SUN" in p.loc[1990, "global_powers"].split() and "SUN" not in p.loc[1991, "global_powers"].split()
    # the reading follows from the numbers in the row: every pole is a global power spending at least the rule,
    # and without the global condition 1991 reads bipolar again (the USSR spends 0.51 of the US)
    for y, r in p.loc[1946:2022].iterrows():
        pl = r["poles"].split()
        assert set(pl) <= set(r["global_powers"].split()) and r["polarity"] == len(pl), y
        k = 1 + int(r["runner_up_ratio"] >= POLE_RULE) + int(r["third_ratio"] >= POLE_RULE)
        assert r["polarity"] <= k or k == 3, y
    anyp = poles("1991:1991", db=db, global_only=False).set_index("year")
    assert anyp.loc[1991, "reading"] == "bipolar"
    # the decade reading: the 1980s bipolar in every year, the 1990s unipolar with 1990 named as the exception
    dec = pd.DataFrame(p.attrs["decades"]).set_index("decade")
    assert dec.loc["1980s", "reading"] == "bipolar" and dec.loc["1980s", "years_reading"] == 10
    assert dec.loc["1990s", "reading"] == "unipolar" and dec.loc["1990s", "otherwise"] == "1990 bipolar"
    # the measures among the great powers: effective number between 1 and their count, concentration in [0, 1]
    n = p["great_powers"].dropna().str.split().map(len)
    ok = p["gp_effective_n"].notna()
    assert (p.loc[ok, "gp_effective_n"] >= 1).all() and (p.loc[ok, "gp_effective_n"] <= n[ok] + 1e-9).all()
    assert p.loc[ok, "gp_concentration"].between(0, 1).all()
    # Ray-Singer and the effective number agree by construction: CON^2 (1 - 1/n) + 1/n = 1 / N
    con, N = p.loc[ok, "gp_concentration"], p.loc[ok, "gp_effective_n"]
    assert np.allclose(con ** 2 * (1 - 1 / n[ok]) + 1 / n[ok], 1 / N)
    # the COW list ends in 2016: carried after it, flagged
    assert not p.loc[:2016, "great_powers_carried"].any() and p.loc[2017:2022, "great_powers_carried"].all()
    # drifting towards multipolar: the runner-up catches up after the 2000s trough
    assert p.loc[2015:2022, "runner_up_ratio"].mean() > 1.5 * p.loc[2000:2010, "runner_up_ratio"].mean()
    # the all-state number stays, as a diversity index (NaN where CINC has no data)
    assert p["enp_cinc"].dropna().between(1, 200).all() and p.loc[1946:2022, "enp_cinc"].notna().all()


def test_the_us_russia_china_triangle(db):
    from multipolar.structure import triangle
    tr = triangle("USA", "RUS", "CHN", "1972:2024", db=db).set_index("year")
    assert (tr.loc[1972:1989, "type"] != "ménage à trois").all()
    # after 1972: the US and China together against the USSR (Russia's code carries it), as a stable marriage or, in the
    # years their own closeness interval spans zero, with the USSR as their common adversary
    cold = tr.loc[1972:1989]
    named = cold["pivot_or_pariah"].dropna()
    assert (named == "RUS").all(), cold[["type", "pivot_or_pariah"]]
    assert set(cold.loc[named.index, "type"]) <= {"stable marriage", "common adversary"}
    # the US-China link is never robustly friendly (no pact, no shared grouping, UN votes apart) and is hostile only
    # where that does not hang on one component (1972: rivalry; 1976, 1989: votes apart and sanctions): the pairing
    # against the USSR shows as their common adversary in 1973-75 and 1977-88 (measured on the shared data)
    assert len(named) >= 10, cold[["type", "pivot_or_pariah"]]
    # a type with a neutral link has no balance; the share of draws is a probability
    assert cold.loc[cold["type"] == "common adversary", "balanced"].isna().all()
    assert tr["type_share"].dropna().between(0, 1).all()
    # since 2010, Russia and China friendly with each other and both hostile to the US
    late = tr.loc[2010:2024]
    assert list(late.index) == list(range(2010, 2025))          # every year is there (an empty frame would pass .all())
    assert (late["type"] == "stable marriage").all() and (late["pivot_or_pariah"] == "USA").all()
    assert tr["changed"].dtype == bool and tr["changed"].sum() >= 3


def test_structure_cli(db, tmp_path):
    out = tmp_path / "tri.csv"
    res = runner.invoke(app, ["triangle", "USA", "Russia", "China", "--years", "2010:2024", "--db", str(db), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "USA–RUS–CHN" in res.output and "2024" in res.output
    assert set(pd.read_csv(out)["type"]) == {"stable marriage"}
    res = runner.invoke(app, ["poles", "--years", "1985:1995", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "bipolar" in res.output and "unipolar" in res.output
    res = runner.invoke(app, ["triangles", "--years", "2019", "--top", "5", "--db", str(db)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    from multipolar.structure import balance, triangles_ranked
    bal, sg = balance("2019:2019", db=db, return_signs=True)
    b = bal.iloc[0]
    assert (f"structural balance in 2019: {b.balanced_share:.1%} of {int(b.triads):,} triads among {int(b.states)} states "
            "are balanced") in res.output
    top = triangles_ranked(2019, 5, db=db, signs=sg)
    assert len(top) == 5
    for r in top.itertuples(index=False):
        assert r.triad in res.output and f"{r.tension:.3f}" in res.output

@settings(max_examples=40, deadline=None)
@given(st.integers(3, 30), st.integers(1, 60), st.integers(0, 10_000))
def test_bloc_probabilities_lie_in_0_1_and_sum_to_1(n_states, draws, seed):
    from multipolar.structure import communities as B
    rng = np.random.default_rng(seed)
    codes = ["USA", "CHN"] + [f"S{i}" for i in range(n_states)]
    ip = pd.DataFrame({"code": codes, "year": 2000, "ideal_point": rng.normal(size=len(codes)),
                       "se": rng.uniform(0.01, 1.0, len(codes))})
    p = B.ideal_point_blocs(ip, 2000, draws=draws, seed=seed)
    assert p["probability"].between(0, 1).all()
    assert np.allclose(p.groupby("code")["probability"].sum(), 1.0)
    labels = rng.integers(0, 3, (draws, len(codes)))
    q = B._probabilities(labels, codes, ["a", "b", "c"])
    assert q["probability"].between(0, 1).all() and np.allclose(q.groupby("code")["probability"].sum(), 1.0)
    s = B.summarise(p)
    assert len(s) == len(codes) and (s["probability"] >= 1 / 3 - 1e-9).all()


def test_network_blocs_on_known_history(db):
    from multipolar.actors.groupings import members
    from multipolar.structure import blocs
    for year in (1980, 2010):
        s, p = blocs(str(year), method="network", db=db, draws=20)
        s = s.set_index("code")
        nato = [c for c in members("NATO", year) if c in s.index]
        assert s.loc[nato, "bloc"].nunique() == 1 and s.loc["USA", "bloc"] == "Western", year
        if year == 1980:
            wp = [c for c in members("WARSAW", year) if c in s.index]
            assert len(wp) == 7 and s.loc[wp, "bloc"].nunique() == 1 and s.loc["SUN", "bloc"] == "Soviet"
            assert s.loc["SUN", "bloc"] != s.loc["USA", "bloc"]
        assert np.allclose(p.groupby("code")["probability"].sum(), 1.0)
        assert s.attrs["method"] == "network" and s.attrs["seed"] == 0    # the parameters that made it


def test_ideal_point_blocs_cli(db, tmp_path):
    out = tmp_path / "b.parquet"
    res = runner.invoke(app, ["blocs", "--years", "2019", "--db", str(db), "--out", str(out)])
    assert res.exit_code == 0, res.output
    p = pd.read_parquet(out)
    assert set(p["bloc"]) == {"US-leaning", "nonaligned", "China-leaning"}
    s = p.loc[p.groupby("code")["probability"].idxmax()].set_index("code")["bloc"]
    assert s["USA"] == "US-leaning" and s["CHN"] == "China-leaning" and s["DEU"] == "US-leaning"
    res = runner.invoke(app, ["blocs", "--years", "2019", "--method", "nonsense", "--db", str(db)])
    assert res.exit_code == 2 and "--method must be ideal-points or network" in res.output


def test_fragmentation_index_on_a_hand_made_case():
    from multipolar.structure.fragmentation import scoreboard
    rows = []
    for a, b, agree in [("A1", "A2", 0.9), ("B1", "B2", 0.8), ("A1", "B1", 0.3), ("A1", "B2", 0.3), ("A2", "B1", 0.3), ("A2", "B2", 0.3),
                        ("A1", "N1", 0.5)]:
        rows.append({"code_a": a, "code_b": b, "year": 2000, "vote_agree_share": agree, "votes_common_n": 50,
                     "visa_openness_b_for_a": np.nan, "visa_openness_a_for_b": np.nan, "energy_minerals_exports_a_to_b_kusd": np.nan,
                     "energy_minerals_exports_b_to_a_kusd": np.nan, "groupings_shared_n": 1, "groupings_shared": "UN"})
    blocs = pd.Series({"A1": "US-leaning", "A2": "US-leaning", "B1": "China-leaning", "B2": "China-leaning", "N1": "nonaligned"})
    sb = scoreboard(pd.DataFrame(rows), blocs).set_index("process")
    v = sb.loc["values"]
    assert v["within"] == pytest.approx(0.85) and v["across"] == pytest.approx(0.3)
    assert v["fragmentation"] == pytest.approx(1 - 0.3 / 0.85) and v["pairs_within"] == 2 and v["pairs_across"] == 4
    assert np.isnan(sb.loc["people", "fragmentation"]) and sb.loc["people", "pairs_within"] == 0     # a gap, not a zero
    assert sb.loc["institutions", "fragmentation"] == pytest.approx(0.0)


def test_trends_cli(db, tmp_path):
    out, chart = tmp_path / "t.csv", tmp_path / "t.svg"
    res = runner.invoke(app, ["trends", "--years", "2010:2024", "--db", str(db), "--out", str(out), "--chart", str(chart)])
    assert res.exit_code == 0, res.output
    sb = pd.read_csv(out)
    assert set(sb["process"]) == {"values", "people", "economy", "institutions", "information"}
    assert sb.loc[sb["process"] == "people", "fragmentation"].notna().sum() >= 5         # visas 2019-2025
    # the UN votes run to 2021 (unvotes to 2019, the UN Digital Library's records of 2020-2021)
    late_votes = sb.loc[(sb["process"] == "values") & (sb["year"] > 2021), "fragmentation"]
    assert len(late_votes) == 3 and late_votes.isna().all()          # 2022-2024: gaps, not left out (nor zeros)
    assert sb.loc[(sb["process"] == "values") & (sb["year"] <= 2021), "fragmentation"].notna().all()
    assert "<polyline" in chart.read_text()


def test_poles_on_the_embedded_snapshot_of_a_fresh_install(tmp_path):
    res = runner.invoke(app, ["poles", "--years", "1970:2000", "--db", str(tmp_path / "empty.duckdb"), "--out", str(tmp_path / "p.csv")])
    assert res.exit_code == 0, res.output
    p = pd.read_csv(tmp_path / "p.csv").set_index("year")
    assert p.loc[1970, "reading"] == "bipolar" and p.loc[2000, "reading"] == "unipolar"
    assert p["enp_cinc"].notna().all()


def test_trends_default_years_follow_the_data(tmp_path):
    """No --years: from the first to the last year in which a process has data; gaps inside stay."""
    from multipolar.structure import trends
    from multipolar.structure.fragmentation import COLUMNS
    from multipolar.api import stored_ideal_points
    db = tmp_path / "none.duckdb"                          # the embedded snapshot's ideal points form the blocs
    ip = stored_ideal_points(db)
    full = ip.groupby("year")["n_votes"].median()
    y = int(full[full >= 20].index.max())
    us = ip[(ip["year"] == y)].nlargest(3, "ideal_point")["code"].tolist()
    cn = ip[(ip["year"] == y)].nsmallest(3, "ideal_point")["code"].tolist()
    rows = []
    for year in range(1990, 2001):
        for a in us + cn:
            for b in us + cn:
                if a == b:
                    continue
                r = {c: np.nan for c in COLUMNS} | {"code_a": a, "code_b": b, "year": year}
                if year in (1993, 1994, 1997):                # data in 1993, 1994 and 1997 only
                    same = (a in us) == (b in us)
                    r.update(vote_agree_share=0.9 if same else 0.4, votes_common_n=50)
                rows.append(r)
    dy = pd.DataFrame(rows)
    sb = trends(None, db, dy=dy)
    assert (sb["year"].min(), sb["year"].max()) == (1993, 1997) and sb.attrs["years"] == "1993:1997"
    v = sb[sb["process"] == "values"].set_index("year")["fragmentation"]
    assert v[[1993, 1994, 1997]].notna().all() and v[[1995, 1996]].isna().all()      # the gap inside stays
    assert sorted(trends("1990:2000", db, dy=dy)["year"].unique()) == list(range(1990, 2001))
