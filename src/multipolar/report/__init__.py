"""The offline HTML report: one self-contained file (no network, no scripts from elsewhere).

This first version summarises what the numbers rest on: the sources, their coverage per year,
the states of the system, and the groupings. It runs on the warehouse when it holds imports and
on the embedded snapshot otherwise; later issues add the analysis sections.
"""
from __future__ import annotations

import datetime as dt
import html
import math
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from .. import snapshot
from ..actors import groupings
from ..actors.registry import registry
from ..warehouse import Warehouse


def _coverage_svg(cov: pd.DataFrame, first: int, last: int) -> str:
    """A heat strip per source table: one cell per year, darker for more rows; empty years blank."""
    if cov.empty:
        return "<p class='gap'>No data with a year column.</p>"
    cov = cov[(cov["year"] >= first) & (cov["year"] <= last)]
    keys = cov[["source", "table"]].drop_duplicates().values.tolist()
    cw, ch, left, top = 9, 14, 230, 22
    width = left + cw * (last - first + 1) + 10
    height = top + ch * len(keys) + 20
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' role='img' aria-label='Rows per source and year'>"]
    for y in range(first, last + 1):
        if y % 10 == 0:
            x = left + (y - first) * cw
            out.append(f"<text x='{x}' y='14' font-size='10' fill='#555'>{y}</text><line x1='{x}' x2='{x}' y1='16' y2='{height - 18}' stroke='#ddd'/>")
    mx = max(math.log10(max(cov["rows"].max(), 10)), 1)
    for i, (src, tab) in enumerate(keys):
        yy = top + i * ch
        out.append(f"<text x='{left - 6}' y='{yy + 10}' font-size='10' text-anchor='end'>{html.escape(src)} · {html.escape(tab)}</text>")
        sub = cov[(cov["source"] == src) & (cov["table"] == tab)]
        for y, n in zip(sub["year"], sub["rows"]):
            a = 0.15 + 0.85 * math.log10(max(n, 1) + 1) / (mx + 1)
            out.append(f"<rect class='mark' x='{left + (y - first) * cw}' y='{yy}' width='{cw - 1}' height='{ch - 2}' fill='#1f5a96' fill-opacity='{a:.2f}'><title>{html.escape(src)} {tab} {y}: {n:,} rows</title></rect>")
    out.append(f"<text x='{left}' y='{height - 4}' font-size='10' fill='#555'>year (blank: no rows that year — a gap, not a zero)</text></svg>")
    return "".join(out)


def _system_svg(first: int, last: int) -> str:
    reg = registry()
    counts = [(y, len(reg.system_members(y))) for y in range(first, last + 1)]
    w, h, left, bottom = 640, 180, 40, 24
    mx = max(c for _, c in counts)
    xs = lambda y: left + (y - first) * (w - left - 10) / max(last - first, 1)  # noqa: E731
    ys = lambda c: h - bottom - c * (h - bottom - 10) / mx  # noqa: E731
    pts = " ".join(f"{xs(y):.1f},{ys(c):.1f}" for y, c in counts)
    ticks = "".join(f"<text x='{xs(y):.0f}' y='{h - 6}' font-size='10' text-anchor='middle'>{y}</text>" for y in range(first, last + 1) if y % 10 == 0)
    yt = "".join(f"<text x='{left - 4}' y='{ys(v) + 3:.0f}' font-size='10' text-anchor='end'>{v}</text><line x1='{left}' x2='{w - 10}' y1='{ys(v):.0f}' y2='{ys(v):.0f}' stroke='#eee'/>" for v in range(0, mx + 1, 50))
    return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{w}' height='{h}' role='img' aria-label='States in the system per year'>{yt}{ticks}"
            f"<polyline class='mark' points='{pts}' fill='none' stroke='#b0413e' stroke-width='2'/>"
            f"<text x='{left + 4}' y='12' font-size='10' fill='#555'>states (count)</text></svg>")


def build_report(out: Path, w: Warehouse) -> Path:
    st = w.status() if w.path.exists() else pd.DataFrame()
    from ..sources import readers
    rs = readers()
    if len(st):
        basis = f"the warehouse {w.path}"
        cov = snapshot.coverage_from_warehouse(w)
        prov = [dict(source=r.source, version=r.version, file=r.file_name, sha256=r.sha256[:12], rows=int(r.rows_kept), rejected=int(r.rows_rejected),
                     years=(f"{int(r.year_min)}–{int(r.year_max)}" if pd.notna(r.year_min) else "static"), when=f"{r.imported_at:%Y-%m-%d}")
                for r in st.itertuples(index=False)]
        sy = snapshot.state_year_from_warehouse(w)
    else:
        man = snapshot.manifest()
        basis = f"the embedded snapshot (built {man['built']} by `{man['built_with']}`)"
        cov = snapshot.load("coverage")
        prov = [dict(source=i["source"], version=i["version"], file=i["file"], sha256=i["sha256"][:12], rows=i["rows"], rejected=i["rejected"],
                     years=(f"{i['year_min']}–{i['year_max']}" if i["year_min"] else "static"), when=man["built"]) for i in man["imports"]]
        sy = snapshot.load("state_year")
    last = dt.date.today().year
    used = sorted({p["source"] for p in prov})
    cites = [dict(source=n, title=rs[n].title, citation=rs[n].citation, license=rs[n].license) for n in used if n in rs]
    # groupings today and their sources
    orgs = groupings.organisations()
    gsum = []
    for o in orgs.itertuples(index=False):
        gsum.append(dict(org=o.org, name=o.name, members=len(groupings.members(o.org)), founded=o.founded, source=o.source))
    # the largest states by capability, latest year with CINC
    top = []
    if "cinc" in sy.columns and sy["cinc"].notna().any():
        ly = int(sy.loc[sy["cinc"].notna(), "year"].max())
        t = sy[(sy["year"] == ly) & sy["cinc"].notna()].nlargest(10, "cinc")
        top = [dict(code=c, name=registry().get(c).name, cinc=f"{v:.3f}") for c, v in zip(t["code"], t["cinc"])]
        top_year = ly
    else:
        top_year = None
    per_source = cov.groupby("source").agg(first=("year", "min"), last=("year", "max"), years=("year", "nunique"), rows=("rows", "sum")).reset_index() if len(cov) else pd.DataFrame()
    gaps = []
    for r in per_source.itertuples(index=False):
        missing = (r.last - r.first + 1) - r.years
        if missing > 0:
            gaps.append(f"{r.source}: {missing} of {r.last - r.first + 1} years between {r.first} and {r.last} have no rows")
    env = Environment(loader=PackageLoader("multipolar.report", "templates"), autoescape=select_autoescape(["html", "j2"]))
    page = env.get_template("report.html.j2").render(
        title="multipolar — the state of the data", generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"), basis=basis,
        prov=prov, cites=cites, coverage_svg=_coverage_svg(cov, 1946, last), system_svg=_system_svg(1946, last),
        n_states=len(registry().system_members(last)), last=last, groups=gsum, top=top, top_year=top_year, gaps=gaps,
        n_sources=len(used), n_rows=sum(p["rows"] for p in prov))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
