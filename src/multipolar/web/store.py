"""What the dashboard serves, loaded once at start-up and read-only afterwards.

The dyad-year measures of every year (the warehouse's, read through a read-only attachment, or
the embedded snapshot's), indexed by state so that a request touches only its own rows; the
ideal-point blocs of every year with a full UN session; the poles, the scoreboard and the data's
provenance. Every request after start-up is a lookup or a small computation on these frames.
"""
from __future__ import annotations

import datetime as dt
import threading
from functools import lru_cache

import numpy as np
import pandas as pd

from ..actors.registry import registry
from ..errors import InputError, MultipolarError
from ..report import sections as R

MAX_YEARS = 100


class Store:
    def __init__(self, db=None, n_boot: int = 100):
        from .. import api, structure as S
        from ..relations.measures import measures
        from ..structure import communities as B
        self.db = db
        self.n_boot = n_boot
        dy = measures(f"1946:{dt.date.today().year}", None, db)
        self.basis = dy.attrs.get("basis", "")
        self.notes = list(dy.attrs.get("notes", []))
        dims = dy.groupby("year")["closeness_n_dims"].mean()
        ok = dims[dims >= R.MIN_MEAN_DIMS]
        if ok.empty:
            raise MultipolarError("no year has dyads with data on most dimensions; import data first (`multipolar data import`)")
        self.first, self.latest = int(dy["year"].min()), int(ok.index.max())
        self.dy = dy.reset_index(drop=True)
        self.by_a = {c: np.asarray(ix) for c, ix in self.dy.groupby("code_a", observed=True).indices.items()}
        # ideal-point blocs of every year with a full session and both anchors
        ip = api.stored_ideal_points(db)
        self.blocs = pd.DataFrame(columns=["code", "bloc", "probability", "runner_up", "runner_up_probability", "swing", "year"])
        if ip is not None:
            full = ip.groupby("year")["n_votes"].median()
            years = [int(y) for y in full[full >= 20].index if ((ip["year"] == y) & ip["code"].isin(["USA", "CHN"])).sum() == 2]
            if years:
                self.blocs = pd.concat([B.summarise(B.ideal_point_blocs(ip, y, n_boot=n_boot)).assign(year=y) for y in years],
                                       ignore_index=True)
        self.bloc_years = sorted(int(y) for y in self.blocs["year"].unique())
        self.poles = S.poles(f"1946:{self.latest}", db)
        self._lock = threading.Lock()
        self._scoreboard = None
        self._provenance = None

    # -- validation --------------------------------------------------------------------------
    def code(self, s: str, field: str = "code") -> str:
        try:
            return registry().resolve(s)
        except MultipolarError as e:
            raise InputError(f"{field}: {e}") from None

    def years(self, s: str | None, default=None) -> tuple[int, int]:
        if s is None or s == "":
            return default or (self.first, self.latest)
        parts = s.split(":")
        try:
            if len(parts) == 1:
                y0 = y1 = int(parts[0])
            elif len(parts) == 2:
                y0, y1 = int(parts[0]), int(parts[1])
            else:
                raise ValueError
        except ValueError:
            raise InputError(f"years: expected a year or a range like 1991:2024, got {s!r}") from None
        last = int(self.dy["year"].max())
        if not (self.first <= y0 <= y1 <= last):
            raise InputError(f"years: {s!r} is outside the data ({self.first}-{last}) or reversed")
        if y1 - y0 + 1 > MAX_YEARS:
            raise InputError(f"years: at most {MAX_YEARS} years per request")
        return y0, y1

    # -- lookups -----------------------------------------------------------------------------
    def rows_of(self, code: str) -> pd.DataFrame:
        ix = self.by_a.get(code)
        return self.dy.iloc[ix] if ix is not None else self.dy.iloc[0:0]

    def dyad(self, a: str, b: str, years) -> pd.DataFrame:
        d = self.rows_of(a)
        return d[(d["code_b"] == b) & d["year"].between(*years)].sort_values("year")

    def blocs_of(self, year: int) -> pd.DataFrame:
        if year not in self.bloc_years:
            span = f"{self.bloc_years[0]}-{self.bloc_years[-1]}" if self.bloc_years else "none"
            raise InputError(f"year: no ideal-point blocs for {year} (years with a full UN session and both the United States "
                             f"and China voting: {span})")
        return self.blocs[self.blocs["year"] == year]

    def scoreboard(self) -> pd.DataFrame:
        with self._lock:
            if self._scoreboard is None:
                from .. import structure as S
                y0 = max(1991, self.first)
                self._scoreboard = S.trends(f"{y0}:{self.latest}", self.db, dy=self.dy[self.dy["year"] >= y0])
            return self._scoreboard

    def provenance(self):
        with self._lock:
            if self._provenance is None:
                self._provenance = R.provenance(self.db)
            return self._provenance

    @lru_cache(maxsize=512)
    def triangle(self, a: str, b: str, c: str, y0: int, y1: int) -> pd.DataFrame:
        from .. import structure as S
        return S.triangle(a, b, c, years=f"{y0}:{y1}", db=self.db, dy=self.dy)
