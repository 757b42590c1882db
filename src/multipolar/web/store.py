"""What the dashboard serves, loaded once at start-up and read-only afterwards.

The dyad-year measures of every year (the warehouse's, read through a read-only attachment, or
the embedded snapshot's), held as one numpy array per column with row indexes by state, by
(state, year) and by pair, so that a request touches only its own rows; the signed relations of
every pair (for triangles); the ideal-point blocs of every year with a full UN session; the poles,
the scoreboard and the data's provenance. A request after start-up is a lookup or a small
computation on these.
"""
from __future__ import annotations

import datetime as dt
import math
import threading

import numpy as np
import pandas as pd

from ..actors.registry import registry
from ..errors import InputError, MultipolarError
from ..report import sections as R

MAX_YEARS = 100
#: the columns the API hands out
API_COLUMNS = ["year", "code_b", "closeness", "closeness_lo", "closeness_hi", "closeness_n_dims", "score_values", "score_people",
               "score_economy", "score_institutions", "score_interaction", "relation_type", "relation_evidence", "dependence_a_on_b",
               "dependence_b_on_a", "energy_minerals_exports_a_to_b_kusd", "energy_minerals_exports_b_to_a_kusd", "visa_openness_b_for_a"]


def clean(v):
    """A JSON-ready Python value: NaN and NA become None, floats are rounded to 4 decimals."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float):
        return None if math.isnan(v) or math.isinf(v) else round(v, 4)
    if isinstance(v, (np.floating,)):
        return clean(float(v))
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def records(df: pd.DataFrame, cols: list[str] | None = None) -> list[dict]:
    cols = cols or list(df.columns)
    return [{c: clean(v) for c, v in zip(cols, row)} for row in df[cols].itertuples(index=False, name=None)]


class Store:
    def __init__(self, db=None, n_boot: int = 100):
        from .. import api, structure as S
        from ..relations.measures import measures
        from ..structure import SERIES_ALIASES, communities as B, triangles
        self.db = db
        self.n_boot = n_boot
        from ..warehouse import Warehouse, retry_locked
        dy = retry_locked(measures, f"1946:{dt.date.today().year}", None, db, db_path=Warehouse(db).path)
        self.basis = dy.attrs.get("basis", "")
        self.notes = list(dy.attrs.get("notes", []))
        from ..relations import covered_years
        cov = covered_years(dy)
        ok = cov[cov["covered"]]
        if ok.empty:
            raise MultipolarError("no year has dyads with data on most dimensions and the UN votes; import data first (`multipolar data import`)")
        self.first, self.latest, self.last = int(dy["year"].min()), int(ok.index.max()), int(dy["year"].max())
        dy = dy.sort_values(["code_a", "code_b", "year"]).reset_index(drop=True)
        self.dy = dy
        # one plain array per column (object arrays for text), and row indexes
        self.col = {c: (dy[c].astype(object).to_numpy() if dy[c].dtype.kind not in "fiub" else dy[c].to_numpy()) for c in API_COLUMNS}
        self.by_a = {c: np.asarray(ix) for c, ix in dy.groupby("code_a", observed=True).indices.items()}
        self.by_a_year = {(c, int(y)): np.asarray(ix) for (c, y), ix in dy.groupby(["code_a", "year"], observed=True).indices.items()}
        self.by_pair = {k: np.asarray(ix) for k, ix in dy.groupby(["code_a", "code_b"], observed=True).indices.items()}
        self.names = {c: R.name(c) for c in set(dy["code_a"].unique())}
        # signed relations of every pair (the USSR's as Russia's, and so on), for the triangles
        sg = dy[["code_a", "code_b", "year", "closeness", "relation_type"]].copy()
        for c in ("code_a", "code_b"):
            sg[c] = sg[c].replace(SERIES_ALIASES)
        self.edges = triangles.edges(triangles.signs(sg[sg["code_a"] != sg["code_b"]]))
        # ideal-point blocs of every year with a full session and both anchors
        ip = api.stored_ideal_points(db)
        self.blocs = pd.DataFrame(columns=["code", "bloc", "probability", "runner_up", "runner_up_probability", "swing", "year"])
        if ip is not None:
            from ..dimensions.values import MIN_ROLL_CALLS
            full = ip.groupby("year")["n_votes"].median()
            years = [int(y) for y in full[full >= MIN_ROLL_CALLS].index if ((ip["year"] == y) & ip["code"].isin(["USA", "CHN"])).sum() == 2]
            if years:
                self.blocs = pd.concat([B.summarise(B.ideal_point_blocs(ip, y, n_boot=n_boot)).assign(year=y) for y in years],
                                       ignore_index=True)
        self.blocs["name"] = self.blocs["code"].map(R.name)
        self.bloc_years = sorted(int(y) for y in self.blocs["year"].unique())
        self.blocs_by_year = {int(y): records(g, ["code", "name", "bloc", "probability", "runner_up", "runner_up_probability", "swing"])
                              for y, g in self.blocs.groupby("year")}
        self.blocs_by_code = {c: records(g.sort_values("year"), ["year", "bloc", "probability"]) for c, g in self.blocs.groupby("code")}
        self.poles = records(S.poles(f"1946:{self.latest}", db),
                             ["year", "enp_cinc", "enp_gdp", "polarity", "reading", "leader", "runner_up_ratio"])
        from ..gravity.scenarios import stored
        sc = stored(db)
        self.scenario_runs, self.scenario_results, self.scenario_diversion = sc if sc is not None else (None, None, None)
        self._lock = threading.Lock()
        self._scoreboard = None
        self._provenance = None
        self.scoreboard()          # computed now: the endpoints answer from memory
        self.provenance()

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
        if not (self.first <= y0 <= y1 <= self.last):
            raise InputError(f"years: {s!r} is outside the data ({self.first}-{self.last}) or reversed")
        if y1 - y0 + 1 > MAX_YEARS:
            raise InputError(f"years: at most {MAX_YEARS} years per request")
        return y0, y1

    def name(self, code: str) -> str:
        n = self.names.get(code)
        return n if n is not None else R.name(code)

    # -- lookups -----------------------------------------------------------------------------
    def take(self, ix: np.ndarray, columns: list[str]) -> list[dict]:
        cols = [self.col[c][ix].tolist() for c in columns]
        return [{c: clean(v) for c, v in zip(columns, row)} for row in zip(*cols)]

    def partners(self, code: str, year: int, limit: int) -> tuple[list[dict], dict]:
        ix = self.by_a_year.get((code, year))
        if ix is None:
            return [], {}
        close = self.col["closeness"][ix]
        ix = ix[~np.isnan(close)]
        order = ix[np.argsort(-self.col["closeness"][ix], kind="stable")]
        types, counts = np.unique(self.col["relation_type"][ix].astype(str), return_counts=True)
        rows = self.take(order[:limit], ["code_b", "relation_type", "closeness", "dependence_a_on_b", "dependence_b_on_a",
                                         "energy_minerals_exports_a_to_b_kusd", "energy_minerals_exports_b_to_a_kusd", "visa_openness_b_for_a"])
        for r in rows:
            r["name"] = self.name(r["code_b"])
        return rows, {str(t): int(n) for t, n in zip(types, counts) if t not in ("None", "nan")}

    def years_of(self, code: str) -> list[int]:
        ix = self.by_a.get(code)
        if ix is None:
            return []
        return sorted(set(self.col["year"][ix][~np.isnan(self.col["closeness"][ix])].tolist()))

    def dyad(self, a: str, b: str, years, columns: list[str]) -> list[dict]:
        ix = self.by_pair.get((a, b))
        if ix is None:
            return []
        yr = self.col["year"][ix]
        return self.take(ix[(yr >= years[0]) & (yr <= years[1])], columns)

    def blocs_of(self, year: int) -> list[dict]:
        if year not in self.blocs_by_year:
            span = f"{self.bloc_years[0]}-{self.bloc_years[-1]}" if self.bloc_years else "none"
            raise InputError(f"year: no ideal-point blocs for {year} (years with a full UN session and both the United States "
                             f"and China voting: {span})")
        return self.blocs_by_year[year]

    def bloc_history(self, code: str) -> list[dict]:
        return self.blocs_by_code.get(code, [])

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

    def triangle(self, a: str, b: str, c: str, y0: int, y1: int) -> tuple[list[str], list[dict]]:
        """The triangle's states (predecessors named as successors) and its rows per year
        (:func:`multipolar.structure.triangles.triangle_rows`)."""
        from ..structure import SERIES_ALIASES, triangles
        a, b, c = (SERIES_ALIASES.get(x, x) for x in (a, b, c))
        return [a, b, c], triangles.triangle_rows(self.edges, a, b, c, (y0, y1))
