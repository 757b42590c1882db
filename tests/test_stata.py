"""The Stata writer: the bytes pandas writes, each distinct string encoded once (a dyad table took 49 s with pandas')."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from multipolar.stata import _Writer, prepare, write_dta

STAMP = dt.datetime(2026, 1, 2, 3, 4)


def _pandas_bytes(df, tmp_path, labels=None):
    p = tmp_path / "pandas.dta"
    df.to_stata(p, write_index=False, version=118, variable_labels=labels, time_stamp=STAMP)
    return p.read_bytes()


def _ours_bytes(df, tmp_path, labels=None):
    p = tmp_path / "ours.dta"
    _Writer(p, df, write_index=False, version=118, variable_labels=labels, time_stamp=STAMP).write_file()
    return p.read_bytes()


def test_the_same_bytes_as_pandas(tmp_path):
    n = 500
    rng = np.random.default_rng(0)
    df = pd.DataFrame({
        "year": np.repeat(np.arange(1990, 2000), n // 10).astype("int32"),
        "code_a": rng.choice(["RUS", "CHN", "USA", "Côte d’Ivoire"], n),
        "note": rng.choice(["", "carried from 2014", "an ünïcode note — with a dash", "x" * 300], n),
        "value": np.where(rng.random(n) < 0.2, np.nan, rng.normal(size=n)),
        "flag": rng.integers(0, 2, n).astype("int8"),
        "count": rng.integers(-5, 10_000, n).astype("int64"),
    })
    labels = {"value": "a value: its unit", "code_a": "state"}
    assert _ours_bytes(df, tmp_path, labels) == _pandas_bytes(df, tmp_path, labels)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=40), st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False,
                                                                                 min_value=-1e300, max_value=1e300))),
                min_size=1, max_size=30))
def test_any_text_and_numbers_round_trip(tmp_path_factory, rows):
    df = pd.DataFrame(rows, columns=["text", "number"])
    df["text"] = df["text"].str.replace("\x00", "", regex=False)      # Stata strings end at NUL
    df["number"] = df["number"].astype(float)
    p = tmp_path_factory.mktemp("h") / "t.dta"
    write_dta(df, p)
    back = pd.read_stata(p)
    assert list(back["text"]) == list(df["text"])
    pd.testing.assert_series_equal(back["number"], df["number"], check_names=False)


def test_prepare_names_labels_and_missing_text(tmp_path):
    df = pd.DataFrame({"in": [1, 2], "a" * 40: ["x", None], "b": pd.array([True, None], dtype="boolean"),
                       "c": pd.Categorical(["p", None]), "d": [["RUS", "CHN"], {"k": 1}],
                       "t": pd.to_datetime(["2024-01-01", "2024-02-01"]).tz_localize("UTC")})
    out, names = prepare(df)
    assert names["in"] == "_in" and names["a" * 40] == "a" * 32
    assert list(out["a" * 32]) == ["x", ""] and list(out["c"]) == ["p", ""]
    assert list(out["d"]) == ['["RUS", "CHN"]', '{"k": 1}']
    assert out["b"].dtype == "float64" and out["t"].dt.tz is None
    p = write_dta(df, tmp_path / "x.dta", labels={"in": "an integer"})
    with pd.io.stata.StataReader(p) as r:
        assert r.variable_labels() == {"_in": "in: an integer", "a" * 32: "a" * 40, "b": "", "c": "", "d": "", "t": ""}


def test_a_column_that_is_not_text_is_refused_with_its_name(tmp_path):
    df = pd.DataFrame({"mixed": ["a", 1]})
    with pytest.raises(ValueError, match="mixed"):
        _Writer(tmp_path / "x.dta", df, write_index=False, version=118).write_file()
