"""The local dashboard (``multipolar serve``): pages over a JSON API, read-only over the warehouse.

Pages: a country profile, a dyad profile, blocs by year (with a year slider), a triangle explorer,
data and coverage. Every page draws from ``/api/...`` (OpenAPI spec at ``/openapi.json``, docs at
``/docs``). Every parameter is checked (state codes against the actor registry, years against
the data, limits on result size); a bad request gets a 4xx with a message that says what was
expected. Static files come from a fixed list of names, so nothing outside them can be served.
"""
from __future__ import annotations

import math
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from ..errors import InputError, MultipolarError
from ..report import sections as R
from .store import Store

YEARS = Query(None, max_length=9, pattern=r"^\d{4}(:\d{4})?$", description="a year or a range, e.g. 1991:2024")
CODE = dict(min_length=1, max_length=60)


def _clean(v):
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (np.floating, float)):
        return None if math.isnan(v) or math.isinf(v) else round(float(v), 4)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def records(df: pd.DataFrame, cols: list[str] | None = None) -> list[dict]:
    cols = cols or list(df.columns)
    return [{c: _clean(v) for c, v in zip(cols, row)} for row in df[cols].itertuples(index=False, name=None)]


def _static_files() -> dict[str, Path]:
    """The only files the server hands out, by name."""
    from .. import snapshot
    here = Path(str(resources.files("multipolar.web").joinpath("static")))
    files = {p.name: p for p in here.iterdir() if p.is_file()}
    files["plotly.min.js"] = Path(str(resources.files("plotly").joinpath("package_data/plotly.min.js")))
    geo = snapshot.snapshot_dir() / "world_110m.json"
    if geo.exists():
        files["world_110m.json"] = geo
    return files


def create_app(db=None, store: Store | None = None) -> FastAPI:
    st = store or Store(db)
    app = FastAPI(title="multipolar", version="0.1.0",
                  description="The fragmenting international system: dyad-year relations, blocs, triangles and poles, with sources.")
    env = Environment(loader=PackageLoader("multipolar.web", "templates"), autoescape=select_autoescape(["html", "j2"]))
    static = _static_files()

    def error(request: Request, status: int, msg: str):
        if request.url.path.startswith("/api/"):
            return JSONResponse(status_code=status, content={"detail": msg})
        html = env.get_template("error.html.j2").render(title="multipolar — not found", message=msg, basis=st.basis, latest=st.latest)
        return HTMLResponse(html, status_code=status)

    @app.exception_handler(InputError)
    async def _bad_input(request: Request, exc: InputError):
        return error(request, 422, str(exc))

    @app.exception_handler(MultipolarError)
    async def _no_data(request: Request, exc: MultipolarError):
        return error(request, 404, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        msgs = [f"{'.'.join(str(x) for x in e.get('loc', []))}: {e.get('msg')}" for e in exc.errors()]
        return JSONResponse(status_code=422, content={"detail": "; ".join(msgs)})

    def page(template: str, **kw) -> HTMLResponse:
        return HTMLResponse(env.get_template(template).render(basis=st.basis, latest=st.latest, **kw))

    # -- pages -------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home():
        return page("home.html.j2", title="multipolar")

    @app.get("/state/{code}", response_class=HTMLResponse, include_in_schema=False)
    def state_page(code: str):
        c = st.code(code)
        return page("state.html.j2", title=f"{R.name(c)} — multipolar", code=c, name=R.name(c))

    @app.get("/dyad/{a}/{b}", response_class=HTMLResponse, include_in_schema=False)
    def dyad_page(a: str, b: str):
        ca, cb = st.code(a, "a"), st.code(b, "b")
        return page("dyad.html.j2", title=f"{R.name(ca)} – {R.name(cb)} — multipolar", a=ca, b=cb, name_a=R.name(ca), name_b=R.name(cb))

    @app.get("/blocs", response_class=HTMLResponse, include_in_schema=False)
    def blocs_page():
        return page("blocs.html.j2", title="Blocs by year — multipolar", years=st.bloc_years)

    @app.get("/triangle", response_class=HTMLResponse, include_in_schema=False)
    def triangle_page():
        return page("triangle.html.j2", title="Triangle explorer — multipolar")

    @app.get("/data", response_class=HTMLResponse, include_in_schema=False)
    def data_page():
        basis, prov, cov, cites = st.provenance()
        return page("data.html.j2", title="Data and coverage — multipolar", prov=prov, cites=cites, notes=st.notes)

    @app.get("/static/{name}", include_in_schema=False)
    def static_file(name: str):
        p = static.get(name)
        if p is None:
            return JSONResponse(status_code=404, content={"detail": f"no static file {name!r}"})
        return FileResponse(p)

    # -- the JSON API ------------------------------------------------------------------------
    @app.get("/api/meta", summary="What the dashboard holds")
    def meta():
        return {"basis": st.basis, "first_year": st.first, "latest_year": st.latest, "bloc_years": st.bloc_years, "notes": st.notes}

    @app.get("/api/states", summary="States of the system in a year (default: the latest)")
    def states(year: int | None = Query(None, ge=1946, le=2100)):
        from ..actors.registry import registry
        y = year or st.latest
        reg = registry()
        return [{"code": c, "name": reg.get(c).name} for c in sorted(reg.system_members(y))]

    @app.get("/api/state/{code}", summary="A state's relations and partners in a year, and its bloc over time")
    def state(code: str, year: int | None = Query(None, ge=1946, le=2100), limit: int = Query(20, ge=1, le=200)):
        c = st.code(code)
        y = year or st.latest
        d = st.rows_of(c)
        if d.empty:
            raise MultipolarError(f"no relations of {c} in the data")
        cur = d[(d["year"] == y) & d["closeness"].notna()]
        if cur.empty:
            yrs = sorted(d.loc[d["closeness"].notna(), "year"].unique())
            raise InputError(f"year: {c} has no relations with data in {y}; years with data: {yrs[0]}-{yrs[-1]}" if yrs else f"{c}: no data")
        top = cur.sort_values("closeness", ascending=False).head(limit).copy()
        top["name"] = top["code_b"].map(R.name)
        types = cur["relation_type"].value_counts()
        bl = st.blocs[st.blocs["code"] == c].sort_values("year")
        return {"code": c, "name": R.name(c), "year": int(y),
                "relation_types": {str(k): int(v) for k, v in types.items() if v},
                "partners": records(top, ["code_b", "name", "relation_type", "closeness", "dependence_a_on_b", "dependence_b_on_a",
                                          "baci_exports_a_to_b_kusd", "baci_exports_b_to_a_kusd", "visa_openness_b_for_a"]),
                "blocs": records(bl, ["year", "bloc", "probability"])}

    @app.get("/api/dyad/{a}/{b}", summary="The relation of A to B per year: five dimensions, closeness, type, dependence")
    def dyad(a: str, b: str, years: str | None = YEARS):
        ca, cb = st.code(a, "a"), st.code(b, "b")
        if ca == cb:
            raise InputError("a and b must be two different states")
        rng = st.years(years)
        d = st.dyad(ca, cb, rng)
        return {"a": ca, "b": cb, "name_a": R.name(ca), "name_b": R.name(cb), "years": list(rng),
                "rows": records(d, ["year", "closeness", "closeness_lo", "closeness_hi", "closeness_n_dims", *R_SCORES, "relation_type",
                                    "relation_evidence", "dependence_a_on_b", "dependence_b_on_a"])}

    @app.get("/api/blocs/{year}", summary="Each state's bloc in a year with its probability (IMF split on UN ideal points)")
    def blocs(year: int):
        b = st.blocs_of(year).copy()
        b["name"] = b["code"].map(R.name)
        return {"year": year, "method": "ideal points, IMF split", "n_boot": st.n_boot,
                "counts": {str(k): int(v) for k, v in b["bloc"].value_counts().items()},
                "states": records(b, ["code", "name", "bloc", "probability", "runner_up", "runner_up_probability", "swing"])}

    @app.get("/api/triangle", summary="The strategic triangle of three states per year (Dittmer's types)")
    def triangle(states: str = Query("USA,RUS,CHN", max_length=200, description="three states, comma-separated"),
                 years: str | None = YEARS):
        parts = [s.strip() for s in states.split(",") if s.strip()]
        if len(parts) != 3:
            raise InputError(f"states: give three states separated by commas, e.g. USA,RUS,CHN (got {states!r})")
        codes = [st.code(p, "states") for p in parts]
        if len(set(codes)) != 3:
            raise InputError(f"states: three different states are needed, got {', '.join(codes)}")
        rng = st.years(years)
        t = st.triangle(*codes, *rng)
        t = t[t["type"] != "incomplete"] if len(t) else t
        if t.empty:
            raise MultipolarError(f"no year in {rng[0]}-{rng[1]} has the three relations of {', '.join(codes)}")
        a, b, c = t.attrs.get("states", codes)
        out = t.rename(columns={f"closeness {a}-{b}": "closeness_ab", f"closeness {a}-{c}": "closeness_ac", f"closeness {b}-{c}": "closeness_bc"})
        last = out.iloc[-1]
        return {"states": [a, b, c], "names": [R.name(x) for x in (a, b, c)],
                "current": {"year": int(last["year"]), "type": last["type"], "pivot_or_pariah": _clean(last["pivot_or_pariah"])},
                "rows": records(out, ["year", "type", "pivot_or_pariah", "closeness_ab", "closeness_ac", "closeness_bc", "changed", "relations"])}

    @app.get("/api/poles", summary="Effective number of poles and the polarity reading per year")
    def poles(years: str | None = YEARS):
        rng = st.years(years)
        p = st.poles[st.poles["year"].between(*rng)]
        return records(p, ["year", "enp_cinc", "enp_gdp", "polarity", "reading", "leader", "runner_up_ratio"])

    @app.get("/api/scoreboard", summary="Fragmentation along the five processes per year")
    def scoreboard():
        sb = st.scoreboard()
        return {"blocs_year": _clean(sb.attrs.get("blocs_year")),
                "rows": records(sb, ["year", "process", "within", "across", "fragmentation", "pairs_within", "pairs_across"])}

    @app.get("/api/coverage", summary="Every source with version, years, rows and citation")
    def coverage():
        basis, prov, cov, cites = st.provenance()
        return {"basis": basis, "imports": prov, "citations": cites}

    return app


R_SCORES = ["score_values", "score_people", "score_economy", "score_institutions", "score_interaction"]
