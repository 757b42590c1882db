"""The actor registry: codes across systems, historical states, dated resolution, no guessing."""
import pytest
from hypothesis import given, settings, strategies as st

import multipolar as mp
from multipolar.actors.registry import registry
from multipolar.errors import UnknownCountryError


@pytest.mark.parametrize("value, kw, expected", [
    ("Kremlin", {}, "RUS"), ("Moscow", {"year": 1980}, "SUN"), ("Moscow", {}, "RUS"),
    ("Beijing", {}, "CHN"), ("Washington", {}, "USA"), ("Pyongyang", {}, "PRK"),
    ("Czechoslovakia", {}, "CSK"), ("USSR", {}, "SUN"), ("West Germany", {}, "GFR"), ("East Germany", {}, "DDR"),
    ("Yemen Arab Republic", {}, "YAR"), ("South Yemen", {}, "YMD"), ("Zanzibar", {}, "ZAN"), ("Kosovo", {}, "XKX"),
    ("South Sudan", {}, "SSD"), ("SWZ", {}, "SWZ"), ("Swaziland", {}, "SWZ"), ("Côte d’Ivoire", {}, "CIV"),
    (365, {"year": 1980}, "SUN"), (365, {"year": 1991}, "SUN"), (365, {"year": 1992}, "RUS"), (365, {"year": 2000}, "RUS"),
    (345, {"year": 1980}, "YUG"), (345, {"year": 2000}, "SCG"), (345, {"year": 2010}, "SRB"),
    (260, {"year": 1980}, "GFR"), (255, {"year": 2000}, "DEU"), (678, {"year": 1980}, "YAR"), (679, {"year": 2000}, "YEM"),
    ("CS", {"system": "iso2", "year": 1980}, "CSK"), ("CS", {"system": "iso2", "year": 2004}, "SCG"),
    ("SU", {"system": "iso2", "date": "1985-06-01"}, "SUN"), ("NA", {"system": "iso2"}, "NAM"),
    ("RUS", {"system": "cow_abb", "year": 1970}, "SUN"), (340, {"system": "gw", "year": 2010}, "SRB"),
])
def test_resolution_with_dates(value, kw, expected):
    assert mp.resolve(value, **kw) == expected


def test_czechoslovakia_is_never_czechia():
    # country_converter maps "Czechoslovakia" to CZE; multipolar must not
    assert mp.resolve("Czechoslovakia") == "CSK"
    assert mp.resolve("Czechoslovakia", year=1980) == "CSK"
    with pytest.raises(UnknownCountryError):
        mp.resolve("Czechoslovakia", year=2000)


def test_unknown_name_is_an_error_with_suggestions():
    with pytest.raises(UnknownCountryError) as e:
        mp.resolve("Rusia")
    assert "Russia (RUS)" in e.value.suggestions


def test_ambiguous_name_in_a_year_is_an_error_not_a_guess():
    # in 1980 'Germany' could be either German state
    with pytest.raises(UnknownCountryError):
        mp.resolve("Germany", year=1980)
    with pytest.raises(UnknownCountryError):
        mp.resolve("Korea")


def test_code_used_by_no_state_that_year():
    with pytest.raises(UnknownCountryError):
        mp.resolve(626, year=2000)       # South Sudan's COW code before 2011


def test_successor_rules_are_documented():
    reg = registry()
    for code in ("SUN", "RUS", "GFR", "DDR", "DEU", "YUG", "SCG", "SRB", "CSK", "YAR", "YMD", "YEM", "SSD", "SDN", "XKX"):
        assert reg.get(code).succession, code
    assert reg.get("SUN").cow == reg.get("RUS").cow == 365


def test_system_size_grows_from_about_70_to_about_195():
    reg = registry()
    assert 60 <= len(reg.system_members(1946)) <= 80
    assert 185 <= len(reg.system_members(2024)) <= 200
    assert "SUN" in reg.system_members(1990) and "RUS" not in reg.system_members(1990)
    # 1991: the USSR held the series to 25 December, so it alone stands for it (see test_series_*)
    assert "SUN" in reg.system_members(1991) and "RUS" not in reg.system_members(1991)
    assert "UKR" in reg.system_members(1991)            # a new state from 26 Dec 1991 is a member that year
    assert "UKR" not in reg.system_members(1980)      # a UN seat, not a system member


def test_every_state_has_iso_or_a_documented_reason():
    for st_ in registry():
        assert st_.iso3 or st_.code in {"RVN", "ZAN", "TBT"}, st_.code


spell_codes = [(s.code, sp) for s in registry() for sp in s.spells if sp.system_member]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(spell_codes), st.floats(0, 1))
def test_every_code_of_a_state_resolves_back_to_it_within_its_spell(pair, frac):
    import datetime as dt
    code, sp = pair
    a = dt.date.fromisoformat(max(sp.start, "1946-01-01"))
    b = dt.date.fromisoformat(sp.end or dt.date.today().isoformat())
    if b < a:
        return
    d = (a + (b - a) * frac).isoformat()
    state = registry().get(code)
    assert mp.resolve(code, date=d) == code
    if state.cow is not None:
        assert mp.resolve(state.cow, date=d) == code
    from multipolar.actors.registry import ISO2_VALID_FROM
    if state.iso2 and d >= ISO2_VALID_FROM.get(code, ""):
        assert mp.resolve(state.iso2, system="iso2", date=d) == code
    assert mp.resolve(state.name, date=d) == code


def test_iso2_cs_is_czechoslovakia_then_serbia_and_montenegro_and_nobody_between():
    assert mp.resolve("CS", system="iso2", date="1992-12-31") == "CSK"
    assert mp.resolve("CS", system="iso2", date="2004-06-01") == "SCG"
    with pytest.raises(UnknownCountryError, match="no state in 1999"):
        mp.resolve("CS", system="iso2", date="1999-05-17")


def test_year_shortcut_for_dated_codes_matches_the_exact_date_join():
    """Large dated tables are mapped per (code, year) where one state holds a code all year; the
    result must equal the exact (code, date) interval join."""
    import numpy as np
    import pandas as pd
    from multipolar.sources import normalise as N
    rng = np.random.default_rng(7)
    codes = np.array([2, 365, 345, 255, 260, 265, 316, 315, 679, 678, 680, 626, 625, 999])
    dates = pd.to_datetime("1946-01-01") + pd.to_timedelta(rng.integers(0, 28_000, 60_000), unit="D")
    df = pd.DataFrame({"c": rng.choice(codes, 60_000), "d": dates.strftime("%Y-%m-%d")})
    fast = N._join_dates_by_year(df.copy(), "c", system="cow", date="d", out="code", reg=registry(), overrides=None)
    exact = N.join_codes(df.head(50_000).copy(), "c", system="cow", date="d", out="code")
    assert (fast["code"].head(50_000).fillna("-").to_numpy() == exact["code"].fillna("-").to_numpy()).all()


# ---- the yearly rule and series -----------------------------------------------------------------
@pytest.mark.parametrize("value, kw, expected", [
    # the state that held the code or name for the larger part of the year (ties: the later holder)
    (365, {"year": 1991}, "SUN"), (365, {"system": "gw", "year": 1991}, "SUN"),
    ("DEU", {"system": "iso3", "year": 1990}, "GFR"), ("DEU", {"system": "iso3", "year": 1991}, "DEU"),
    ("DE", {"system": "iso2", "year": 1990}, "GFR"), (260, {"system": "gw", "year": 1990}, "GFR"),
    ("YEM", {"system": "iso3", "year": 1990}, "YEM"), ("YEM", {"system": "iso3", "year": 1989}, "YAR"),
    (678, {"system": "gw", "year": 1990}, "YEM"), (345, {"year": 1992}, "SCG"), (345, {"year": 2006}, "SRB"),
    ("Moscow", {"year": 1991}, "SUN"), ("Belgrade", {"year": 1992}, "SCG"), ("Belgrade", {"year": 2006}, "SRB"),
    ("Federal Republic of Germany", {"year": 1990}, "GFR"),
])
def test_yearly_rule_is_the_larger_part_of_the_year(value, kw, expected):
    assert mp.resolve(value, **kw) == expected


def test_year_crosswalk_follows_the_same_rule_as_resolve():
    reg = registry()
    for system in ("cow", "gw", "iso3", "iso2"):
        x = reg.year_crosswalk(system)
        for y in (1954, 1955, 1975, 1990, 1991, 1992, 1993, 2003, 2006, 2008, 2011):
            for r in x[x["year"] == y].itertuples(index=False):
                key = int(r.key) if system in ("cow", "gw") else r.key
                assert reg.resolve(key, system=system, year=y) == r.code, (system, r.key, y)
    x = reg.year_crosswalk("cow")
    assert dict(zip(x[x.key == "365"].year, x[x.key == "365"].code))[1991] == "SUN"


@pytest.mark.parametrize("year, present, absent", [
    (1991, {"SUN"}, {"RUS"}), (1992, {"RUS"}, {"SUN"}),
    (1990, {"GFR", "DDR", "YEM"}, {"DEU", "YAR", "YMD"}), (1989, {"GFR", "DDR", "YAR", "YMD"}, {"DEU", "YEM"}),
    (1992, {"SCG"}, {"YUG"}), (2006, {"SRB"}, {"SCG"}), (2005, {"SCG"}, {"SRB"}),
])
def test_series_has_one_member_in_its_transition_year(year, present, absent):
    m = set(registry().system_members(year))
    assert present <= m and not (absent & m)


def test_no_series_counts_twice_in_any_year():
    reg = registry()
    for y in range(1946, 2025):
        m = set(reg.system_members(y))
        both = [(a, b) for a, b in reg.series_transitions() if a in m and b in m]
        assert not both, (y, both)


def test_series_api():
    reg = registry()
    assert ("SUN", "RUS") in reg.series_transitions() and ("DDR", "DEU") in reg.series_transitions()
    assert reg.same_series("RUS", "SUN") and reg.same_series("YMD", "YEM") and not reg.same_series("CZE", "SVK")
    assert reg.series_member("RUS", 1991) == "SUN" and reg.series_member("SUN", 1991) == "SUN"
    assert reg.series_member("DEU", 1990) == "GFR" and reg.series_member("YAR", 1990) == "YEM"
    assert reg.series_member("RUS", 1980) == "SUN" and reg.series_member("RUS", 2000) == "RUS"
    assert reg.days_in_year("SUN", 1991) == 359 and reg.days_in_year("RUS", 1991) == 6


# ---- names: dated, one state per date --------------------------------------------------------------
def test_no_name_or_code_resolves_to_two_states_on_one_date():
    """Every name, alias and code is held by at most one state on any date (the builder checks the
    names too: data-raw/build_actors.py check_names)."""
    reg = registry()

    def overlap(a, b):
        return a[0] <= b[1] and b[0] <= a[1]
    spells = {c: [(s.start, s.end or "9999-12-31") for s in st.spells] for c, st in reg.states.items()}
    bad = []
    for name, codes in reg._names.items():
        codes = sorted(codes)
        for i, a in enumerate(codes):
            for b in codes[i + 1:]:
                if any(overlap(x, y) for x in spells[a] for y in spells[b]):
                    bad.append((name, a, b))
    assert not bad
    for system, keys in reg._systems.items():
        for key, spans in keys.items():
            for i, (s1, e1, c1) in enumerate(spans):
                for s2, e2, c2 in spans[i + 1:]:
                    assert c1 == c2 or not overlap((s1, e1), (s2, e2)), (system, key, c1, c2)


def test_a_name_shared_over_time_resolves_by_date():
    from multipolar.actors import registry as R
    # two states holding one name on the same date: an error, never a pick
    rows = [dict(code=c, name=n, iso3="", iso2="", isonum="", cow="", cow_abb="", gw="", gw_microstate="0",
                 start=s, end=e, system_member="1", aliases="Ruritania", succession="", source="test")
            for c, n, s, e in (("RUA", "Old Ruritania", "1950-01-01", "1980-06-30"), ("RUB", "New Ruritania", "1980-01-01", ""))]
    reg = R.Registry(rows)
    assert reg.resolve("Ruritania", year=1970) == "RUA" and reg.resolve("Ruritania", year=1990) == "RUB"
    with pytest.raises(UnknownCountryError, match="ambiguous"):
        reg.resolve("Ruritania", year=1980)


@pytest.mark.parametrize("name, kw, expected", [
    # 1946-1990 "Yemen" was the Yemen Arab Republic (UN "Yemen"; the South was "Democratic Yemen")
    ("Yemen", {"year": 1980}, "YAR"), ("Yemen", {"date": "1990-05-21"}, "YAR"), ("Yemen", {"date": "1990-05-22"}, "YEM"),
    ("Yemen", {"year": 1990}, "YEM"), ("Yemen", {"year": 2015}, "YEM"), ("Democratic Yemen", {"year": 1980}, "YMD"),
    ("YEM", {"system": "iso3", "year": 1980}, "YAR"), ("South Yemen", {"year": 1980}, "YMD"),
    ("Germany", {"year": 2000}, "DEU"), ("West Germany", {"year": 1980}, "GFR"), ("Soviet Union", {"year": 1991}, "SUN"),
    ("Russia", {"year": 1992}, "RUS"), ("South Vietnam", {"year": 1970}, "RVN"), ("Viet Nam", {"year": 1980}, "VNM"),
    ("Yugoslavia", {"year": 1980}, "YUG"), ("Yugoslavia", {"year": 2000}, "SCG"),
    # ISO 3166 short and official names of states are names of those states
    ("Iran, Islamic Republic of", {"year": 2020}, "IRN"), ("Venezuela, Bolivarian Republic of", {"year": 2020}, "VEN"),
    ("Korea, Republic of", {"year": 2020}, "KOR"), ("Bolivia, Plurinational State of", {"year": 2020}, "BOL"),
    ("Tanzania, United Republic of", {"year": 2020}, "TZA"), ("Moldova, Republic of", {"year": 2020}, "MDA"),
    ("Lao People's Democratic Republic", {"year": 2020}, "LAO"), ("Syrian Arab Republic", {"year": 2020}, "SYR"),
    ("Congo, The Democratic Republic of the", {"year": 2020}, "COD"), ("Korea, Democratic People's Republic of", {"year": 2020}, "PRK"),
])
def test_documented_names_resolve_right_by_date(name, kw, expected):
    assert mp.resolve(name, **kw) == expected


def test_yemen_without_a_date_is_todays_yemen():
    assert mp.resolve("Yemen") == "YEM"


def test_every_iso_name_of_a_state_resolves_to_it():
    import pycountry
    reg = registry()
    for c in pycountry.countries:
        if c.alpha_3 not in reg.states:
            continue
        st = reg.get(c.alpha_3)
        year = int((st.end or "2024")[:4])
        for n in {c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)} - {None}:
            assert reg.resolve(n, year=year) == c.alpha_3, n


def test_relation_series_has_one_row_per_year(tmp_path):
    """`multipolar relation RUS CHN` over 1991: the USSR's row only (Russia held the series six days)."""
    r = mp.api.relation("RUS", "CHN", "1989:1993", db=tmp_path / "none.duckdb")
    assert list(r["year"]) == [1989, 1990, 1991, 1992, 1993]
    assert dict(zip(r["year"], r["code_a"])) == {1989: "SUN", 1990: "SUN", 1991: "SUN", 1992: "RUS", 1993: "RUS"}
    g = mp.api.relation("Germany", "France", "1989:1991", db=tmp_path / "none.duckdb")
    assert dict(zip(g["year"], g["code_a"])) == {1989: "GFR", 1990: "GFR", 1991: "DEU"}


@pytest.mark.parametrize("first", ["mp.actor('RUS')", "from multipolar.actors.registry import registry", "pass"])
def test_mp_actors_is_the_function_whatever_was_loaded_first(first):
    """`multipolar.actors` is also the subpackage of states; loading it must not turn `mp.actors` into that package."""
    import subprocess
    import sys
    code = ("import multipolar as mp\n" + first + "\n"
            "import multipolar.actors.groupings\n"
            "assert callable(mp.actors), type(mp.actors)\n"
            "df = mp.actors(2020)\n"
            "assert 150 < len(df) < 250 and 'RUS' in set(df['code'])\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
