"""Pacts in force after ATOP (actors/pacts.py): synthetic cases, the shipped tables, and the
validation against the real ATOP file of the shared folder."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from multipolar.actors.pacts import FLAGS, pact_parties, pact_ties, pacts, validate_against_atop
from multipolar.errors import MultipolarError


def _pt(*rows):
    cols = ["pact_id", "name", *FLAGS, "parties", "start", "end"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows])


def _pp(*rows):
    return pd.DataFrame(rows, columns=["pact_id", "code", "start", "end"])


MEMB = pd.DataFrame([("ORG", "AAA", "member", "2000-01-01", None), ("ORG", "BBB", "member", "2005-07-01", None),
                     ("ORG", "CCC", "observer", "2000-01-01", None), ("ORG", "DDD", "member", "2000-01-01", "2003-03-01")],
                    columns=["org", "code", "status", "start", "end"])


def _ties(pt, pp=None, y0=1998, y1=2010):
    return pact_ties(y0, y1, pact_table=pt, parties=pp if pp is not None else _pp(), membership=MEMB)


def _years(t, a, b):
    return sorted(t.loc[(t.code_a == a) & (t.code_b == b), "year"])


def test_party_joining_mid_year_counts_from_that_year_and_withdrawal_to_its_year():
    pt = _pt(("P", "Pact P", 1, 0, 0, 0, 1, "list", "2000-05-01", ""))
    pp = _pp(("P", "AAA", "2000-05-01", ""), ("P", "BBB", "2003-11-30", ""), ("P", "CCC", "2000-05-01", "2006-01-02"))
    t = _ties(pt, pp)
    assert _years(t, "AAA", "BBB") == list(range(2003, 2011))          # joined on 30 Nov 2003: bound on a day of 2003
    assert _years(t, "BBB", "AAA") == _years(t, "AAA", "BBB")         # ordered pairs both ways
    assert _years(t, "AAA", "CCC") == list(range(2000, 2007))          # left on 2 Jan 2006: still bound in 2006
    assert _years(t, "BBB", "CCC") == list(range(2003, 2007))
    assert not (t.code_a == t.code_b).any()
    r = t[(t.code_a == "AAA") & (t.code_b == "BBB")].iloc[0]
    assert (r.defense, r.offense, r.neutrality, r.nonaggression, r.consultation) == (1, 0, 0, 0, 1)
    assert r.source == "Pact P"


def test_pact_dates_cut_the_parties_spells():
    pt = _pt(("P", "Pact P", 1, 0, 0, 0, 0, "list", "2002-01-01", "2004-06-30"))
    t = _ties(pt, _pp(("P", "AAA", "1990-01-01", ""), ("P", "BBB", "1990-01-01", "")))
    assert _years(t, "AAA", "BBB") == [2002, 2003, 2004]


def test_org_based_parties_follow_dated_members_only():
    pt = _pt(("O", "Org pact", 0, 0, 0, 1, 0, "org:ORG", "1999-01-01", ""))
    t = _ties(pt)
    assert _years(t, "AAA", "BBB") == list(range(2005, 2011))
    assert _years(t, "AAA", "DDD") == [2000, 2001, 2002, 2003]
    assert _years(t, "BBB", "DDD") == []                              # never members in the same year
    assert "CCC" not in set(t.code_a)                                 # an observer is not a party
    with pytest.raises(MultipolarError, match="no dated members"):
        _ties(_pt(("X", "X", 1, 0, 0, 0, 0, "org:NOPE", "2000-01-01", "")))


def test_flags_are_the_max_over_pacts_and_names_are_joined():
    pt = _pt(("P", "Pact P", 1, 0, 0, 0, 0, "list", "2000-01-01", ""),
             ("Q", "Pact Q", 0, 0, 1, 1, 0, "list", "2004-01-01", ""))
    pp = _pp(("P", "AAA", "2000-01-01", ""), ("P", "BBB", "2000-01-01", ""),
             ("Q", "AAA", "2004-01-01", ""), ("Q", "BBB", "2004-01-01", ""))
    t = _ties(pt, pp).set_index(["code_a", "code_b", "year"])
    assert t.loc[("AAA", "BBB", 2003), "source"] == "Pact P"
    r = t.loc[("AAA", "BBB", 2004)]
    assert (r.defense, r.neutrality, r.nonaggression) == (1, 1, 1) and r.source == "Pact P; Pact Q"
    assert not t.index.duplicated().any()                               # one row per pair-year


def test_shipped_tables_are_consistent_and_sourced():
    pt, pp = pacts(), pact_parties()
    assert pt["pact_id"].is_unique
    assert set(pp["pact_id"]) <= set(pt.loc[pt.parties == "list", "pact_id"])
    assert set(pt.loc[pt.parties == "list", "pact_id"]) <= set(pp["pact_id"])
    from multipolar.actors.groupings import organisations
    orgs = set(organisations()["org"])
    assert {p[4:] for p in pt.parties if p.startswith("org:")} <= orgs
    date = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    for df in (pt, pp):
        assert df["start"].str.match(date).all()
        assert (df["end"].eq("") | df["end"].str.match(date)).all()
        assert (df["end"].eq("") | (df["end"] >= df["start"])).all()
        assert (df["source"].str.len() > 20).all()
    assert pt["source"].str.contains(r"https?://|UNTS|Avalon|Treaties in Force", regex=True).all()
    assert not pp.duplicated(["pact_id", "code", "start"]).any()
    from importlib import resources
    with resources.files("multipolar.actors").joinpath("data/states.csv").open(encoding="utf-8") as f:
        known = set(pd.read_csv(f, usecols=["code"])["code"])
    assert set(pp["code"]) <= known


def test_changes_after_atop_are_in_the_ties():
    t = pact_ties(2018, 2026).set_index(["code_a", "code_b", "year"])
    assert t.loc[("NIC", "USA", 2023), "defense"] == 1 and ("NIC", "USA", 2024) not in t.index
    assert "Arab" not in str(t.loc[("BFA", "NGA", 2026), "source"]) if ("BFA", "NGA", 2026) in t.index else True
    assert "ECOWAS" in t.loc[("BFA", "NGA", 2025), "source"] and "ECOWAS" not in t.loc[("BFA", "NGA", 2026), "source"]
    assert t.loc[("FIN", "USA", 2023), "defense"] == 1 and t.loc[("FIN", "USA", 2022), "defense"] == 0
    assert "mutual assistance" in t.loc[("FRA", "GBR", 2020), "source"]   # GBR left the EU on 31 Jan 2020
    assert "mutual assistance" not in t.loc[("FRA", "GBR", 2021), "source"]
    assert t.loc[("SYR", "EGY", 2023), "consultation"] == 1 and ("SYR", "EGY", 2022) not in t.index


def test_pacts_reproduce_atop_2018(shared):
    from multipolar.warehouse import Warehouse
    import tempfile
    from pathlib import Path
    w = Warehouse(Path(tempfile.mkdtemp()) / "atop.duckdb")
    rep = w.import_file(shared / "institutions" / "peacesciencer_atop_alliance.csv.gz", source="atop")
    assert rep.status == "imported", rep.message
    v = validate_against_atop(w, 2018).set_index("type")
    print(v.to_string())
    for f in ("defense", "nonaggression", "consultation"):
        assert v.loc[f, "recall"] >= 0.90, (f, v.loc[f, "missed"])
        assert v.loc[f, "precision"] >= 0.90, (f, v.loc[f, "extra"])
    # each flag a pact carries is one ATOP codes for at least 95% of the pact's 2018 pairs
    a = w.query("SELECT code_a, code_b, atop_defense, atop_nonagg, atop_consul, atop_neutral, atop_offense FROM atop_alliance WHERE year = 2018")
    col = {"defense": "atop_defense", "nonaggression": "atop_nonagg", "consultation": "atop_consul",
           "neutrality": "atop_neutral", "offense": "atop_offense"}
    pairs = {f: {tuple(sorted(p)) for p in zip(a.code_a[a[c] > 0], a.code_b[a[c] > 0])} for f, c in col.items()}
    one = pacts()
    for p in one.itertuples(index=False):
        t = pact_ties(2018, 2018, pact_table=one[one.pact_id == p.pact_id])
        prs = {tuple(sorted(x)) for x in zip(t.code_a, t.code_b)}
        if not prs:
            continue
        for f in FLAGS:
            if getattr(p, f):
                share = len(prs & pairs[f]) / len(prs)
                assert share >= 0.95, (p.pact_id, f, share)
