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
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from jinja2.utils import htmlsafe_json_dumps

from ..actors.registry import state_name
from ..errors import InputError, MultipolarError, WarehouseError
from ..palette import PALETTE
from ..relations.measures import SCORES
from .store import Store, clean as _clean, records, triangle_rows

YEARS = Query(None, max_length=9, pattern=r"^\d{4}(:\d{4})?$", description="a year or a range, e.g. 1991:2024")
CODE = dict(min_length=1, max_length=60)


def _dumps(obj) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def J(obj) -> Response:
    """A JSON response written directly (the values are plain Python already; FastAPI's generic
    encoder would walk them again and cost more than the lookup itself)."""
    return Response(_dumps(obj), media_type="application/json")


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


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def split_host(value: str) -> tuple[str, int | None] | None:
    """``Host`` header -> (name, port or None); None when malformed. ``[::1]:8000`` -> ("::1", 8000)."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[1:end], value[end + 1:]
        if rest and not rest.startswith(":"):
            return None
        port = rest[1:] if rest else None
    else:
        if value.count(":") > 1:
            return None
        name, _, port = value.partition(":")
        port = port if _ else None
    if not name or (port is not None and not port.isdigit()):
        return None
    return name, (int(port) if port is not None else None)


class HostCheck:
    """ASGI middleware against DNS rebinding: a request is answered only when its ``Host`` header
    names this machine's loopback (127.0.0.1, localhost, [::1]), the address the connection came in
    on, or a name given with ``--allow-host``, *with the port the server listens on*. Anything else
    gets 400."""

    def __init__(self, app, allow: tuple[str, ...] = ()):
        self.app = app
        self.allow = LOOPBACK | {a.strip("[]").lower() for a in allow}

    def ok(self, scope) -> bool:
        """True when the request has one ``Host`` header naming an allowed host (or the address served) with
        the port served."""
        raw = None
        for k, v in scope.get("headers", []):
            if k == b"host":
                if raw is not None:           # two Host headers
                    return False
                raw = v.decode("latin-1")
        if raw is None:
            return False
        hp = split_host(raw)
        if hp is None:
            return False
        name, port = hp
        server = scope.get("server")
        names = self.allow if not server else self.allow | {str(server[0]).strip("[]").lower()}
        if name not in names:
            return False
        if server and server[1] is not None:
            default = 443 if scope.get("scheme") in ("https", "wss") else 80
            return (port if port is not None else default) == int(server[1])
        return True

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket") or self.ok(scope):
            return await self.app(scope, receive, send)
        port = (scope.get("server") or (None, 8000))[1]
        body = (f"400 Bad Request: this dashboard answers only to http://127.0.0.1:{port}/ (or localhost, [::1]); "
                f"the Host header named another site. To reach it under another name, start it with "
                f"`multipolar serve --allow-host NAME`.\n").encode()
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await send({"type": "http.response.start", "status": 400,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class Fresh:
    """ASGI middleware: the first request starts reading the data in the background (the port is
    open long before); every request checks, cheaply, whether the warehouse changed
    (:meth:`Store.due`) and if so reads its fingerprint (:meth:`Store.refresh`, in a worker thread)."""

    def __init__(self, app, store: Store, warm: bool = True):
        self.app, self.store, self.warm = app, store, warm
        self.started = False

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            if not self.started:
                self.started = True
                if self.warm:
                    import anyio
                    try:
                        await anyio.to_thread.run_sync(self.store.version)
                        self.store.warm()
                    except MultipolarError:         # the request itself meets it and says what is wrong
                        self.started = False
            elif self.store.due():
                import anyio
                await anyio.to_thread.run_sync(self.store.refresh)
        await self.app(scope, receive, send)


class ResponseCache:
    """ASGI middleware: the answers of ``GET /api/...`` requests are kept by their URL (path and
    query) and replayed, until the store's data change (its ``generation``). Only 200 responses are
    kept; at most ``max_entries`` and ``max_bytes``, least recently used out."""

    def __init__(self, app, store: Store | None = None, max_entries: int = 4096, max_bytes: int = 256 * 2**20):
        from collections import OrderedDict
        self.app, self.store, self.max_entries, self.max_bytes = app, store, max_entries, max_bytes
        self.cache: OrderedDict = OrderedDict()
        self.bytes = 0
        self.hits = self.misses = 0
        self.generation = None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith("/api/"):
            return await self.app(scope, receive, send)
        gen = self.store.generation if self.store is not None else 0
        if gen != self.generation:
            self.cache.clear()
            self.bytes = 0
            self.generation = gen
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
        # kept only if the data did not change while it was computed
        if start.get("status") == 200 and (self.store is None or self.store.generation == gen == self.generation):
            body = b"".join(chunks)
            self.cache[key] = (start.get("headers", []), body)
            self.bytes += len(body)
            while len(self.cache) > self.max_entries or self.bytes > self.max_bytes:
                _, (_, old) = self.cache.popitem(last=False)
                self.bytes -= len(old)


def _docs_files() -> dict[str, Path]:
    """Swagger UI's files from the installed ``fastapi-offline`` package (never a CDN). (ReDoc is left
    out: its page loads a logo from its maker's CDN.)"""
    try:
        here = resources.files("fastapi_offline").joinpath("static")
    except ModuleNotFoundError:
        return {}
    names = {"swagger-ui-bundle.js", "swagger-ui.css", "favicon.png"}
    return {n: Path(str(here.joinpath(n))) for n in names if here.joinpath(n).is_file()}


def create_app(db=None, store: Store | None = None, cache: bool = True, allow_hosts: tuple[str, ...] = (),
               warm: bool = False) -> FastAPI:
    """The dashboard's ASGI app. Nothing is read from the warehouse until the first request (which,
    with ``warm``, starts reading everything in the background). ``allow_hosts``: names besides the
    loopback ones that the ``Host`` header may carry."""
    st = store or Store(db)
    app = FastAPI(title="multipolar", version="0.1.0", docs_url=None, redoc_url=None,
                  description="The fragmenting international system: dyad-year relations, blocs, triangles and poles, with sources.")
    env = Environment(loader=PackageLoader("multipolar.web", "templates"), autoescape=select_autoescape(["html", "j2"]))
    env.globals["palette"] = htmlsafe_json_dumps(PALETTE)       # in its own order (tojson would sort the keys)
    static = _static_files()
    docs = _docs_files()
    static.update(docs)

    def footer() -> dict:
        m = st.ready("measures")
        return {"basis": m.basis if m else None, "latest": m.latest if m else None}

    def error(request: Request, status: int, msg: str):
        if request.url.path.startswith("/api/"):
            return JSONResponse(status_code=status, content={"detail": msg})
        html = env.get_template("error.html.j2").render(title="multipolar — not found", message=msg, **footer())
        return HTMLResponse(html, status_code=status)

    @app.exception_handler(InputError)
    async def _bad_input(request: Request, exc: InputError):
        return error(request, 422, str(exc))

    @app.exception_handler(MultipolarError)
    async def _no_data(request: Request, exc: MultipolarError):
        return error(request, 404, str(exc))

    @app.exception_handler(WarehouseError)
    async def _unreadable(request: Request, exc: WarehouseError):
        return error(request, 503, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        msgs = [f"{'.'.join(str(x) for x in e.get('loc', []))}: {e.get('msg')}" for e in exc.errors()]
        return JSONResponse(status_code=422, content={"detail": "; ".join(msgs)})

    def page(template: str, **kw) -> HTMLResponse:
        return HTMLResponse(env.get_template(template).render(**footer(), **kw))

    # -- pages (plain functions: FastAPI runs them in worker threads, so a page whose data are
    # still being read waits there, never on the event loop) ---------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home():
        return page("home.html.j2", title="multipolar")

    @app.get("/state/{code}", response_class=HTMLResponse, include_in_schema=False)
    def state_page(code: str):
        c = st.code(code)
        return page("state.html.j2", title=f"{state_name(c)} — multipolar", code=c, name=state_name(c))

    @app.get("/dyad/{a}/{b}", response_class=HTMLResponse, include_in_schema=False)
    def dyad_page(a: str, b: str):
        ca, cb = st.code(a, "a"), st.code(b, "b")
        return page("dyad.html.j2", title=f"{state_name(ca)} – {state_name(cb)} — multipolar", a=ca, b=cb, name_a=state_name(ca), name_b=state_name(cb))

    @app.get("/blocs", response_class=HTMLResponse, include_in_schema=False)
    def blocs_page():
        return page("blocs.html.j2", title="Blocs by year — multipolar", years=st.get("blocs").years)

    @app.get("/triangle", response_class=HTMLResponse, include_in_schema=False)
    def triangle_page():
        return page("triangle.html.j2", title="Triangle explorer — multipolar")

    @app.get("/data", response_class=HTMLResponse, include_in_schema=False)
    def data_page():
        basis, prov, cov, cites = st.get("provenance")
        m = st.ready("measures")
        return page("data.html.j2", title="Data and coverage — multipolar", prov=prov, cites=cites, notes=m.notes if m else [])

    @app.get("/scenarios", response_class=HTMLResponse, include_in_schema=False)
    def scenarios_page():
        runs_df = st.scenarios()[0]
        runs = [] if runs_df is None else records(runs_df, ["key", "name", "sector", "base_year", "created"])
        return page("scenarios.html.j2", title="Scenarios — multipolar", runs=runs)

    @app.get("/static/{name}", include_in_schema=False)
    def static_file(name: str):
        p = static.get(name)
        if p is None:
            return JSONResponse(status_code=404, content={"detail": f"no static file {name!r}"})
        return FileResponse(p)

    # -- the API's docs, from files on this machine ----------------------------------------------
    @app.get("/docs", include_in_schema=False)
    def swagger_ui():
        if "swagger-ui-bundle.js" not in docs:
            return HTMLResponse("<p>The API docs need the fastapi-offline package (pip install fastapi-offline); "
                                "the API's description is at <a href='/openapi.json'>/openapi.json</a>.</p>", status_code=501)
        return get_swagger_ui_html(openapi_url=app.openapi_url, title="multipolar API", swagger_js_url="/static/swagger-ui-bundle.js",
                                   swagger_css_url="/static/swagger-ui.css", swagger_favicon_url="/static/favicon.png",
                                   oauth2_redirect_url=None,
                                   swagger_ui_parameters={"validatorUrl": None, "tryItOutEnabled": True, "defaultModelsExpandDepth": 0})

    # -- the JSON API (coroutines: a lookup in memory; a part still being read is waited for in a
    # worker thread) --------------------------------------------------------------------------
    @app.get("/api/meta", summary="What the dashboard holds")
    async def meta():
        v = await st.aversion()
        m, b = await v.aget("measures"), await v.aget("blocs")
        return J({"basis": m.basis, "first_year": m.first, "latest_year": m.latest, "bloc_years": b.years, "notes": m.notes,
                  "read_at": v.read_at})

    @app.get("/api/states", summary="States of the system in a year (default: the latest)")
    async def states(year: int | None = Query(None, ge=1946, le=2100)):
        from ..actors.registry import registry
        y = year or (await st.aget("measures")).latest
        reg = registry()
        return J([{"code": c, "name": reg.get(c).name} for c in sorted(reg.system_members(y))])

    @app.get("/api/state/{code}", summary="A state's relations and partners in a year, and its bloc over time")
    async def state(code: str, year: int | None = Query(None, ge=1946, le=2100), limit: int = Query(20, ge=1, le=200)):
        c = st.code(code)
        v = await st.aversion()
        m = await v.aget("measures")
        y = year or m.latest
        partners, types = m.partners(c, y, limit)
        if not partners:
            yrs = m.years_of(c)
            if not yrs:
                raise MultipolarError(f"no relations of {c} in the data")
            raise InputError(f"year: {c} has no relations with data in {y}; years with data: {yrs[0]}-{yrs[-1]}")
        blocs = await v.aget("blocs")
        head = _dumps({"code": c, "name": m.name(c), "year": int(y), "relation_types": types, "partners": partners})
        return Response(head[:-1] + ',"blocs":' + blocs.history_json(c) + "}", media_type="application/json")

    @app.get("/api/dyad/{a}/{b}", summary="The relation of A to B per year: five dimensions, closeness, type, dependence")
    async def dyad(a: str, b: str, years: str | None = YEARS):
        ca, cb = st.code(a, "a"), st.code(b, "b")
        if ca == cb:
            raise InputError("a and b must be two different states")
        m = await st.aget("measures")
        rng = m.years(years)
        rows = m.dyad(ca, cb, rng, ["year", "closeness", "closeness_lo", "closeness_hi", "closeness_n_dims", *SCORES,
                                    "relation_type", "relation_evidence", "dependence_a_on_b", "dependence_b_on_a"])
        # the event series behind the interaction score, where they exist, and what their counts cannot say
        notes = [n for n in m.notes if n.startswith("interaction: event") or n.startswith("interaction: the event files")]
        return J({"a": ca, "b": cb, "name_a": m.name(ca), "name_b": m.name(cb), "years": list(rng), "rows": rows, "notes": notes})

    @app.get("/api/blocs/{year}", summary="Each state's bloc in a year with its probability (IMF split on UN ideal points)")
    async def blocs(year: int):
        bl = await st.aget("blocs")
        b = bl.of(year)
        counts: dict[str, int] = {}
        for r in b:
            counts[r["bloc"]] = counts.get(r["bloc"], 0) + 1
        return J({"year": year, "method": "ideal points, IMF split", "draws": bl.draws, "counts": counts, "states": b})

    @app.get("/api/blocs/{year}/robustness", summary="Does a state's bloc depend on the votes counted? The split under each issue "
             "area, the important votes and one- vs three-session windows")
    async def blocs_robustness(year: int):
        import anyio
        v = await st.aversion()
        (await v.aget("blocs")).of(year)             # a year without blocs is a 4xx naming the years
        try:
            return J(await anyio.to_thread.run_sync(v.robustness, year))
        except (InputError, WarehouseError):
            raise
        except MultipolarError as e:                 # no votes in the warehouse (the embedded snapshot): say so, not an error
            return J({"year": year, "missing": str(e)})

    @app.get("/api/triangle", summary="The strategic triangle of three states per year (Dittmer's types)")
    async def triangle(states: str = Query("USA,RUS,CHN", max_length=200, description="three states, comma-separated"),
                       years: str | None = YEARS):
        parts = [s.strip() for s in states.split(",") if s.strip()]
        if len(parts) != 3:
            raise InputError(f"states: give three states separated by commas, e.g. USA,RUS,CHN (got {states!r})")
        codes = [st.code(p, "states") for p in parts]
        if len(set(codes)) != 3:
            raise InputError(f"states: three different states are needed, got {', '.join(codes)}")
        v = await st.aversion()
        m = await v.aget("measures")
        rng = m.years(years)
        (a, b, c), rows = triangle_rows(await v.aget("edges"), *codes, *rng)
        rows = [r for r in rows if r["type"] != "incomplete"]
        if not rows:
            raise MultipolarError(f"no year in {rng[0]}-{rng[1]} has the three relations of {', '.join(codes)}")
        keys = {f"closeness {a}-{b}": "closeness_ab", f"closeness {a}-{c}": "closeness_ac", f"closeness {b}-{c}": "closeness_bc"}
        out = [{k: _clean(r[src]) for src, k in [("year", "year"), ("type", "type"), ("pivot_or_pariah", "pivot_or_pariah"),
                                                  ("type_share", "type_share"), *keys.items(), ("changed", "changed"), ("relations", "relations")]} for r in rows]
        last = out[-1]
        return J({"states": [a, b, c], "names": [m.name(x) for x in (a, b, c)],
                  "current": {"year": last["year"], "type": last["type"], "pivot_or_pariah": last["pivot_or_pariah"]}, "rows": out})

    @app.get("/api/poles", summary="Effective number of poles and the polarity reading per year")
    async def poles(years: str | None = YEARS):
        v = await st.aversion()
        rng = (await v.aget("measures")).years(years)
        return J([r for r in await v.aget("poles") if rng[0] <= r["year"] <= rng[1]])

    @app.get("/api/scoreboard", summary="Fragmentation along the five processes per year")
    async def scoreboard():
        sb = await st.aget("scoreboard")
        return J({"blocs_year": _clean(sb.attrs.get("blocs_year")),
                  "rows": records(sb, ["year", "process", "within", "across", "fragmentation", "pairs_within", "pairs_across"]),
                  "notes": [n for n in sb.attrs.get("notes", []) if n.startswith("information:")]})

    @app.get("/api/scenarios", summary="The scenario runs stored by `multipolar simulate`")
    async def scenarios():
        import anyio
        runs_df = (await anyio.to_thread.run_sync(st.scenarios))[0]
        runs = [] if runs_df is None else records(runs_df, ["key", "name", "sector", "fit_years", "base_year", "sigma", "draws",
                                                            "applied", "created"])
        return J({"runs": runs})

    @app.get("/api/scenarios/{key}", summary="One stored scenario: real income, exports and prices per country; diversion routes")
    async def scenario(key: str = PathParam(..., max_length=80, pattern=r"^[A-Za-z0-9_\-]+$")):
        import anyio
        runs, results, diversion = await anyio.to_thread.run_sync(st.scenarios)
        if runs is None or key not in set(runs["key"]):
            raise MultipolarError(f"no stored scenario {key!r}; run `multipolar simulate {key}` first (see `multipolar simulate --list`)")
        res = results[results["key"] == key].drop(columns=["key"])
        div = diversion[diversion["key"] == key].drop(columns=["key"])
        run = records(runs[runs["key"] == key])[0]
        return J({"run": run, "results": records(res), "diversion": records(div)})

    @app.get("/api/coverage", summary="Every source with version, years, rows and citation")
    async def coverage():
        basis, prov, cov, cites = await st.aget("provenance")
        return J({"basis": basis, "imports": prov, "citations": cites})

    if cache:
        app.add_middleware(ResponseCache, store=st)
    app.add_middleware(Fresh, store=st, warm=warm)
    app.add_middleware(HostCheck, allow=tuple(allow_hosts))
    app.state.store = st
    return app


