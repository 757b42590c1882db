"""The offline HTML report: one self-contained file that answers the big questions at a glance.

Sections (:mod:`multipolar.report.sections`): the map of blocs, poles over time, the great-power
triangle, a focus state's partners, de-globalization along five processes, the movers, and the data
with their coverage. Every chart's title states its finding; every chart has a source line.

The file needs no network: plotly.js (from the installed ``plotly`` package) and the map outlines
(the snapshot's ``world_110m.json``, handed to plotly through ``window.PlotlyGeoAssets`` so that it
never fetches its own) are written into the page. It runs on the warehouse when it holds imports
and on the embedded snapshot otherwise.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from .. import snapshot
from .sections import Context, all_sections


def plotly_js() -> str:
    """The plotly.js bundle shipped inside the plotly Python package (no CDN)."""
    from importlib import resources
    return resources.files("plotly").joinpath("package_data/plotly.min.js").read_text(encoding="utf-8")


def geo_assets_js() -> str:
    """``window.PlotlyGeoAssets`` with the local outlines under plotly's own name for them."""
    topo = snapshot.world_geometry()
    if topo is None:
        return "window.PlotlyGeoAssets = {topojson: {}};"
    return "window.PlotlyGeoAssets = {topojson: {world_110m: " + json.dumps(topo, separators=(",", ":")) + "}};"


def _json_script(obj) -> str:
    # inside <script type="application/json">: only "</" could end the element early
    return json.dumps(obj, separators=(",", ":"), default=str).replace("</", "<\\/")


def build_report(out: Path, db=None, *, years=None, focus: str = "RUS", triangle=("USA", "RUS", "CHN"), draws: int = 100,
                 progress=None) -> Path:
    """Write the offline HTML report to ``out``: every section of :mod:`.sections` for ``years``, with
    ``focus`` and ``triangle`` chosen by the caller and ``draws`` bootstrap draws for the blocs."""
    from concurrent.futures import ThreadPoolExecutor

    from .sections import report_years, triangle_data
    rng, first, _ = report_years(db, years)          # a request beyond the data stops here, naming their years
    with ThreadPoolExecutor(1) as pool:
        # the triangle's series (from 1946 by default, else from the first year asked) is read alongside
        # the main measures (DuckDB works outside the GIL)
        tri = pool.submit(triangle_data, db, tuple(triangle), f"{first}:{rng[1]}")
        from ..warehouse import Warehouse, retry_locked
        # the dyad measures attach the warehouse themselves: wait, like every reader, while an import writes a file
        ctx = retry_locked(Context, db, years, focus, triangle, draws, db_path=Warehouse(db).path)
        ctx.prefetched_triangle = tri
        secs = all_sections(ctx, progress)
    findings = [s.finding for s in secs if s.finding and not s.missing and s.id in ("blocs", "triangle", "focus", "scoreboard", "poles", "movers", "scenarios")]
    env = Environment(loader=PackageLoader("multipolar.report", "templates"), autoescape=select_autoescape(["html", "j2"]))
    page = env.get_template("report.html.j2").render(
        title="multipolar — the world order at a glance", generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"), basis=ctx.basis,
        years=f"{ctx.years[0]}–{ctx.latest or ctx.years[1]}", latest=ctx.latest, sections=secs, findings=findings, notes=ctx.notes,
        figures={s.id: _json_script(s.figure) for s in secs if s.figure}, plotly_js=plotly_js(), geo_js=geo_assets_js())
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
