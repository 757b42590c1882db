"""The local dashboard (``multipolar serve``): pages over a JSON API, read-only over the warehouse.

Pages: a country profile, a dyad profile, blocs by year (with a year slider), a triangle explorer,
data and coverage. Every page draws from ``/api/...`` (OpenAPI spec at ``/openapi.json``, docs at
``/docs``). Every parameter is checked (state codes against the actor registry, years against
the data, limits on result size); a bad request gets a 4xx with a message that says what was
expected. Static files come from a fixed list of names, so nothing outside them can be served.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from ..errors import InputError, MultipolarError
from ..report import sections as R
from ..relations.measures import SCORES
from .store import Store, clean as _clean, records

YEARS = Query(None, max_length=9, pattern=r"^\d{4}(:\d{4})?$", description="a year or a range, e.g. 1991:2024")
CODE = dict(min_length=1, max_length=60)


def J(obj) -> Response:
    """A JSON response written directly (the values are plain Python already; FastAPI's generic
    encoder would walk them again and cost more than the lookup itself)."""
    return Response(json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False), media_type="application/json")


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


class ResponseCache:
    """ASGI middleware: the answers of ``GET /api/...`` requests are kept by their URL (path and
    query) and replayed. The store is read-only after start-up, so an answer never goes stale.
    Only 200 responses are kept; at most ``max_entries`` and ``max_bytes``, least recently used out."""

    def __init__(self, app, max_entries: int = 4096, max_bytes: int = 256 * 2**20):
        from collections import OrderedDict
        self.app, self.max_entries, self.max_bytes = app, max_entries, max_bytes
        self.cache: OrderedDict = OrderedDict()
        self.bytes = 0
        self.hits = self.misses = 0

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith("/api/"):
            return await self.app(scope, receive, send)
        key = scope["path"] + "?" + scope.get("query_string", b"").decode("latin-1")
        hit = self.cache.get(key)
        if hit is not None:
            self.cache.move_to_end(key)
            self.hits += 1
            headers, body = hit
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        self.misses += 1
        start, chunks = {}, []

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)
        await self.app(scope, receive, capture)
        if start.get("status") == 200:
            body = b"".join(chunks)
            self.cache[key] = (start.get("headers", []), body)
            self.bytes += len(body)
            while len(self.cache) > self.max_entries or self.bytes > self.max_bytes:
                _, (_, old) = self.cache.popitem(last=False)
                self.bytes -= len(old)


def create_app(db=None, store: Store | None = None, cache: bool = True) -> FastAPI:
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

    @app.get("/scenarios", response_class=HTMLResponse, include_in_schema=False)
    def scenarios_page():
        runs = [] if st.scenario_runs is None else records(st.scenario_runs, ["key", "name", "sector", "base_year", "created"])
        return page("scenarios.html.j2", title="Scenarios — multipolar", runs=runs)

    @app.get("/static/{name}", include_in_schema=False)
    def static_file(name: str):
        p = static.get(name)
        if p is None:
            return JSONResponse(status_code=404, content={"detail": f"no static file {name!r}"})
        return FileResponse(p)

    # -- the JSON API ------------------------------------------------------------------------
    @app.get("/api/meta", summary="What the dashboard holds")
    async def meta():
        return J({"basis": st.basis, "first_year": st.first, "latest_year": st.latest, "bloc_years": st.bloc_years, "notes": st.notes})

    @app.get("/api/states", summary="States of the system in a year (default: the latest)")
    async def states(year: int | None = Query(None, ge=1946, le=2100)):
        from ..actors.registry import registry
        y = year or st.latest
        reg = registry()
        return J([{"code": c, "name": reg.get(c).name} for c in sorted(reg.system_members(y))])

    @app.get("/api/state/{code}", summary="A state's relations and partners in a year, and its bloc over time")
    async def state(code: str, year: int | None = Query(None, ge=1946, le=2100), limit: int = Query(20, ge=1, le=200)):
        c = st.code(code)
        y = year or st.latest
        partners, types = st.partners(c, y, limit)
        if not partners:
            yrs = st.years_of(c)
            if not yrs:
                raise MultipolarError(f"no relations of {c} in the data")
            raise InputError(f"year: {c} has no relations with data in {y}; years with data: {yrs[0]}-{yrs[-1]}")
        return J({"code": c, "name": st.name(c), "year": int(y), "relation_types": types, "partners": partners,
                "blocs": st.bloc_history(c)})

    @app.get("/api/dyad/{a}/{b}", summary="The relation of A to B per year: five dimensions, closeness, type, dependence")
    async def dyad(a: str, b: str, years: str | None = YEARS):
        ca, cb = st.code(a, "a"), st.code(b, "b")
        if ca == cb:
            raise InputError("a and b must be two different states")
        rng = st.years(years)
        rows = st.dyad(ca, cb, rng, ["year", "closeness", "closeness_lo", "closeness_hi", "closeness_n_dims", *SCORES,
                                     "relation_type", "relation_evidence", "dependence_a_on_b", "dependence_b_on_a"])
        return J({"a": ca, "b": cb, "name_a": st.name(ca), "name_b": st.name(cb), "years": list(rng), "rows": rows})

    @app.get("/api/blocs/{year}", summary="Each state's bloc in a year with its probability (IMF split on UN ideal points)")
    async def blocs(year: int):
        b = st.blocs_of(year)
        counts: dict[str, int] = {}
        for r in b:
            counts[r["bloc"]] = counts.get(r["bloc"], 0) + 1
        return J({"year": year, "method": "ideal points, IMF split", "n_boot": st.n_boot, "counts": counts, "states": b})

    @app.get("/api/triangle", summary="The strategic triangle of three states per year (Dittmer's types)")
    async def triangle(states: str = Query("USA,RUS,CHN", max_length=200, description="three states, comma-separated"),
                 years: str | None = YEARS):
        parts = [s.strip() for s in states.split(",") if s.strip()]
        if len(parts) != 3:
            raise InputError(f"states: give three states separated by commas, e.g. USA,RUS,CHN (got {states!r})")
        codes = [st.code(p, "states") for p in parts]
        if len(set(codes)) != 3:
            raise InputError(f"states: three different states are needed, got {', '.join(codes)}")
        rng = st.years(years)
        (a, b, c), rows = st.triangle(*codes, *rng)
        rows = [r for r in rows if r["type"] != "incomplete"]
        if not rows:
            raise MultipolarError(f"no year in {rng[0]}-{rng[1]} has the three relations of {', '.join(codes)}")
        keys = {f"closeness {a}-{b}": "closeness_ab", f"closeness {a}-{c}": "closeness_ac", f"closeness {b}-{c}": "closeness_bc"}
        out = [{k: _clean(r[src]) for src, k in [("year", "year"), ("type", "type"), ("pivot_or_pariah", "pivot_or_pariah"),
                                                  *keys.items(), ("changed", "changed"), ("relations", "relations")]} for r in rows]
        last = out[-1]
        return J({"states": [a, b, c], "names": [st.name(x) for x in (a, b, c)],
                  "current": {"year": last["year"], "type": last["type"], "pivot_or_pariah": last["pivot_or_pariah"]}, "rows": out})

    @app.get("/api/poles", summary="Effective number of poles and the polarity reading per year")
    async def poles(years: str | None = YEARS):
        rng = st.years(years)
        return J([r for r in st.poles if rng[0] <= r["year"] <= rng[1]])

    @app.get("/api/scoreboard", summary="Fragmentation along the five processes per year")
    async def scoreboard():
        sb = st.scoreboard()
        return J({"blocs_year": _clean(sb.attrs.get("blocs_year")),
                "rows": records(sb, ["year", "process", "within", "across", "fragmentation", "pairs_within", "pairs_across"])})

    @app.get("/api/scenarios", summary="The scenario runs stored by `multipolar simulate`")
    async def scenarios():
        runs = [] if st.scenario_runs is None else records(st.scenario_runs, ["key", "name", "sector", "fit_years", "base_year", "sigma",
                                                                              "draws", "applied", "created"])
        return J({"runs": runs})

    @app.get("/api/scenarios/{key}", summary="One stored scenario: real income, exports and prices per country; diversion routes")
    async def scenario(key: str = PathParam(..., max_length=80, pattern=r"^[A-Za-z0-9_\-]+$")):
        if st.scenario_runs is None or key not in set(st.scenario_runs["key"]):
            raise MultipolarError(f"no stored scenario {key!r}; run `multipolar simulate {key}` first (see `multipolar simulate --list`)")
        res = st.scenario_results[st.scenario_results["key"] == key].drop(columns=["key"])
        div = st.scenario_diversion[st.scenario_diversion["key"] == key].drop(columns=["key"])
        run = records(st.scenario_runs[st.scenario_runs["key"] == key])[0]
        return J({"run": run, "results": records(res), "diversion": records(div)})

    @app.get("/api/coverage", summary="Every source with version, years, rows and citation")
    async def coverage():
        basis, prov, cov, cites = st.provenance()
        return J({"basis": basis, "imports": prov, "citations": cites})

    if cache:
        app.add_middleware(ResponseCache)
    return app


