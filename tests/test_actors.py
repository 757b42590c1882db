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
    (365, {"year": 1980}, "SUN"), (365, {"year": 1991}, "RUS"), (365, {"year": 2000}, "RUS"),
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
    assert {"SUN", "RUS"} <= set(reg.system_members(1991))
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
