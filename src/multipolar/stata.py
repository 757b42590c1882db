"""Stata .dta files (format 118, Stata 14 and later), written fast: one writer for every table multipolar exports.

pandas' own writer encodes and pads every string cell in Python, one at a time: a dyad table of 1.2 million rows
and 106 columns took 49 s to write, most of it in those per-cell calls. Here each distinct string is encoded and padded
once and the column is built by a numpy take; every other part of the file (header, types, missing values, labels)
is pandas' own, so the bytes are the ones pandas writes (``tests/test_stata.py`` compares them).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.io.stata import StataWriterUTF8, _datetime_to_stata_elapsed_vec, _set_endianness

#: the most characters a fixed-width Stata string holds that this writer keeps (longer text is cut)
MAX_TEXT = 2000


def stata_names(columns, short=lambda c: c[:32]) -> list[str]:
    """Stata's names for ``columns``: shortened by ``short``, Stata's reserved words (``end``, ``in``...) prefixed
    with ``_``, unique."""
    from pandas.io.stata import StataParser
    reserved = set(StataParser().RESERVED_WORDS)
    names, seen = [], set()
    for c in map(str, columns):
        n = short(c)
        n = f"_{n}"[:32] if n in reserved else n
        k = 1
        while n in seen:
            n = f"{short(c)[:29]}_{k}"
            k += 1
        seen.add(n)
        names.append(n)
    return names


def _text(v) -> str:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, (list, dict, tuple)):
        return json.dumps(v, default=str)
    return str(v)


def _as_text(col: pd.Series) -> pd.Series:
    """A column as text, missing as empty, each distinct value converted once (lists and dicts as JSON)."""
    values = col.astype(object).to_numpy()
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    except TypeError:                                   # unhashable cells (lists, dicts): one at a time
        return pd.Series([_text(v)[:MAX_TEXT] for v in values], index=col.index, dtype=object)
    table = np.array([_text(u)[:MAX_TEXT] for u in uniques] + [""], dtype=object)
    return pd.Series(table[codes], index=col.index, dtype=object)         # code -1 (missing) takes the last: ""


def prepare(df: pd.DataFrame, short=lambda c: c[:32]) -> tuple[pd.DataFrame, dict[str, str]]:
    """A copy of ``df`` that Stata can hold, and {original name: Stata name}: names shortened (see
    :func:`stata_names`), text for object, category and string columns (missing stays empty), 0/1 for booleans
    (float when some are missing), timestamps without a time zone."""
    names = dict(zip(map(str, df.columns), stata_names(df.columns, short)))
    out = {}
    for c, col in zip(map(str, df.columns), (df.iloc[:, i] for i in range(df.shape[1]))):
        dt = col.dtype
        if dt == bool or str(dt) == "boolean":
            col = col.astype("float64") if col.isna().any() else col.astype("int8")
        elif dt == object or str(dt) in ("category", "string") or str(dt).startswith("string"):
            col = _as_text(col)
        elif getattr(dt, "tz", None) is not None:
            col = col.dt.tz_localize(None)
        out[names[c]] = col.reset_index(drop=True)
    return pd.DataFrame(out), names


def write_dta(df: pd.DataFrame, path, labels: dict[str, str] | None = None, short=lambda c: c[:32],
              time_stamp=None) -> Path:
    """Write ``df`` to ``path`` as Stata 118. ``labels``: {column: variable label}; a column whose name was shortened
    carries its full name in its label. Labels are cut to Stata's 80 characters."""
    path = Path(path)
    data, names = prepare(df, short)
    labels = labels or {}
    var_labels = {}
    for c, n in names.items():
        text = ": ".join(x for x in ((c if n != c else None), labels.get(c)) if x)
        if text:
            var_labels[n] = text[:80]
    path.parent.mkdir(parents=True, exist_ok=True)
    _Writer(path, data, write_index=False, version=118, variable_labels=var_labels, time_stamp=time_stamp).write_file()
    return path


class _Writer(StataWriterUTF8):
    """pandas' writer with its two per-cell string loops done once per distinct string."""

    def _encode_strings(self) -> None:
        convert_strl = getattr(self, "_convert_strl", [])
        for i, col in enumerate(self.data):
            if i in self._convert_dates or col in convert_strl:
                continue
            column = self.data[col]
            if column.dtype.type is not np.object_:
                continue
            codes, uniques = pd.factorize(column.to_numpy(), use_na_sentinel=True)
            if not all(isinstance(u, str) for u in uniques):
                raise ValueError(f"Column `{col}` cannot be exported: only text (and missing values) can be written "
                                 "as a Stata string; convert it first (multipolar.stata.prepare does)")
            encoded = [u.encode(self._encoding) for u in uniques]
            if max((len(u) for u in encoded), default=0) <= self._max_string_length:
                table = np.array(encoded + [b""], dtype=object)
                self.data[col] = pd.Series(table[codes], index=column.index, dtype=object)

    def _prepare_data(self):
        data = self.data
        if self._convert_dates is not None:
            for i, col in enumerate(data):
                if i in self._convert_dates:
                    data[col] = _datetime_to_stata_elapsed_vec(data[col], self.fmtlist[i])
        data = self._convert_strls(data)
        dtypes = {}
        native = self._byteorder == _set_endianness(sys.byteorder)
        for i, col in enumerate(data):
            typ = self.typlist[i]
            if typ <= self._max_string_length:
                values = data[col].to_numpy(dtype=object)
                codes, uniques = pd.factorize(values, use_na_sentinel=True)
                table = np.array(list(uniques) + [b""], dtype=f"S{typ}")      # numpy pads with NULs, as Stata wants
                data[col] = table[codes]
                dtypes[col] = f"S{typ}"
            else:
                dtype = data[col].dtype
                dtypes[col] = dtype if native else dtype.newbyteorder(self._byteorder)
        return data.to_records(index=False, column_dtypes=dtypes)
