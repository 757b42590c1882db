"""The report's sections as data: each is a finding in words, a chart (a plotly figure as JSON),
a table, and the sources it rests on. The offline report (:func:`multipolar.report.build_report`)
and the dashboard (:mod:`multipolar.web`) both draw from here, so they say the same thing.

Every section is computed from :class:`Context`, which loads the dyad-year measures once
(:func:`multipolar.relations.measures.measures`: the warehouse, or the embedded snapshot on a fresh
install). A section whose data are missing returns ``missing`` (why, and what to import) instead of
a chart; the report shows that text in its place.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..actors.registry import registry, state_name
from ..errors import InputError, MissingDataError, MultipolarError
from ..palette import BLOC_COLOURS, DIMENSION_COLOURS, GAIN, LAND, LOSS, SERIES_COLOURS, TRIANGLE_COLOURS, TYPE_COLOURS
from ..provenance import provenance
from ..relations import common_change




@dataclass
class Section:
    id: str
    heading: str
    finding: str = ""
    figure: dict | None = None
    table: list[dict] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    source: str = ""
    notes: list[str] = field(default_factory=list)
    missing: str | None = None
    extra_tables: list[dict] = field(default_factory=list)   # {"title", "columns", "rows"}

    def to_dict(self) -> dict:
        """The section as plain values (for the template and the dashboard's JSON)."""
        return {k: getattr(self, k) for k in ("id", "heading", "finding", "figure", "table", "columns", "source", "notes",
                                               "missing", "extra_tables")}


name = state_name


def _wrap(text: str, width: int = 95) -> str:
    words, lines, cur = text.split(), [], ""
    for w in words:
        if len(cur) + len(w) + 1 > width and cur:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    lines.append(cur)
    return "<br>".join(lines)


def finish(fig, title: str, source: str, x: str | None = None, y: str | None = None, height: int = 430) -> dict:
    """Title (the finding), axis labels with units, a source line under the chart; the figure as JSON."""
    import plotly.io as pio
    n_lines = _wrap(title).count("<br>") + 1
    legend_top = fig.layout.legend.yanchor == "bottom"
    fig.update_layout(title={"text": _wrap(title), "x": 0.01, "xanchor": "left", "font": {"size": 14}, "yref": "container",
                             "y": 1, "yanchor": "top", "pad": {"t": 10}},
                      margin={"t": 30 + 18 * n_lines + (28 if legend_top else 0), "b": 90, "l": 60, "r": 20}, height=height,
                      paper_bgcolor="white", plot_bgcolor="white", font={"family": "system-ui, sans-serif", "size": 12})
    if x is not None:
        fig.update_xaxes(title_text=x, showgrid=True, gridcolor="#eee")
    if y is not None:
        fig.update_yaxes(title_text=y, showgrid=True, gridcolor="#eee")
    fig.add_annotation(text=_wrap("Source: " + source, 140), xref="paper", yref="paper", x=0, y=0, yshift=-(50 if x is not None else 30),
                       xanchor="left", yanchor="top", showarrow=False, font={"size": 10, "color": "#666"}, align="left")
    return json.loads(pio.to_json(fig, validate=False, engine="json"))


def _f(v, fmt="{:.2f}", none="–"):
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return none
    try:
        return fmt.format(v)
    except (TypeError, ValueError):
        return str(v)


def report_years(db, years) -> tuple[tuple[int, int], int, str | None]:
    """The report's years within the data (:func:`multipolar.years.clip`): (the years of the dyad
    sections, the first year of the long series, a note when the years were clipped). Without
    ``years``: 1991 to the latest year with data, the poles and the triangle from 1946; with
    ``years``: every chart within them."""
    from ..years import FIRST_YEAR, Coverage, clip, data_coverage
    try:
        cov = data_coverage(db)
    except MissingDataError:
        cov = Coverage(FIRST_YEAR, dt.date.today().year, "the calendar")
    rng, note = clip(years, cov, "report", default=(1991, dt.date.today().year))
    first = rng[0] if years is not None else cov.first
    return rng, first, note


class Context:
    """What every section needs, loaded once: the years, the focus state, the triangle, the dyad
    measures of the years (and the basis they come from)."""

    def __init__(self, db=None, years=None, focus: str = "RUS", triangle=("USA", "RUS", "CHN"), draws: int = 100,
                 dy: pd.DataFrame | None = None):
        from ..relations.measures import measures
        reg = registry()
        self.db = db
        self.focus = reg.resolve(focus)
        self.triangle = tuple(reg.resolve(s) for s in triangle)
        if len(set(self.triangle)) != 3:
            raise InputError(f"--triangle needs three different states, got {', '.join(self.triangle)}")
        rng, first, note = report_years(db, years)
        self.years = rng
        #: the first year of the long series (poles, the triangle): 1946 unless years were asked
        self.from_year = first
        self.draws = draws
        self.notes: list[str] = [note] if note else []
        if dy is None:
            try:
                dy = measures(f"{rng[0]}:{rng[1]}", None, db)
            except MultipolarError as e:
                from ..relations.measures import COLUMNS, KEYS, SCORES
                dy = pd.DataFrame(columns=KEYS + COLUMNS + SCORES)
                self.notes.append(f"No dyad measures: {e}")
        self.dy = dy
        self.basis = dy.attrs.get("basis", "")
        self.notes += list(dy.attrs.get("notes", []))
        from ..relations import GATE, covered_years
        cov = covered_years(dy)
        ok = cov[cov["covered"]]
        #: the latest year whose dyads pass the coverage gate (None: no such year)
        self.latest = int(ok.index.max()) if len(ok) else None
        self.dims_by_year = cov["mean_dims"]
        self.coverage = cov
        self.gate = GATE
        if self.latest is None:
            self.notes.append(f"No year in {rng[0]}-{rng[1]} has dyads with {self.gate}, so the sections built on the relations are "
                              "left out; import the data (`multipolar data import ../shared/data`, then `multipolar idealpoints`).")
        elif self.latest < rng[1]:
            self.notes.append(f"The relations are read up to {self.latest}, the latest year whose dyads have {self.gate}; "
                              f"later years lack the UN votes or other components.")

    def lacks_dyads(self, sec: "Section") -> bool:
        """True (and the section marked missing) when there is no year with dyads covered on most dimensions."""
        if self.latest is None:
            sec.missing = (f"No year's dyad measures have {self.gate}; import the data "
                           "(`multipolar data import ../shared/data`, `multipolar idealpoints`).")
            return True
        return False

    def undirected(self, year: int | None = None) -> pd.DataFrame:
        """The dyads of ``year`` (or every year) once per pair (code_a < code_b)."""
        d = self.dy if year is None else self.dy[self.dy["year"] == year]
        return d[d["code_a"] < d["code_b"]]


# -- 1. the map of blocs ---------------------------------------------------------------------------
def blocs_of_year(ctx_db, year: int, draws: int = 100) -> pd.DataFrame:
    """The ideal-point blocs of ``year`` with state names."""
    from .. import structure as S
    summ, _ = S.blocs(str(year), method="ideal-points", db=ctx_db, draws=draws)
    summ["name"] = summ["code"].map(name)
    return summ


def blocs_map(ctx: Context) -> Section:
    """Section: the world map of the blocs in the last full UN session."""
    import plotly.graph_objects as go

    from ..dimensions.values import stored_ideal_points
    sec = Section("blocs", "The map of blocs")
    ip = stored_ideal_points(ctx.db)
    if ip is None:
        sec.missing = "No ideal points: run `multipolar idealpoints` (needs the UN votes imported)."
        return sec
    upto = ctx.latest or ctx.years[1]
    from ..dimensions.values import last_full_session
    year = last_full_session(ip[ip["year"] >= ctx.years[0]], upto)
    if year is None:
        sec.missing = f"No year in {ctx.years[0]}-{upto} has a full UN session in the data."
        return sec
    summ = blocs_of_year(ctx.db, year, ctx.draws)
    from ..warehouse import Warehouse
    w = Warehouse(ctx.db)
    if not (w.path.exists() and w.has("ideal_points")):
        sec.notes.append("The ideal points are the embedded snapshot's: the warehouse has none (run `multipolar idealpoints`).")
    for n in ip.attrs.get("notes", []):          # which run of the ideal points the blocs rest on
        sec.notes.append(n[0].upper() + n[1:] + ".")
    counts = summ["bloc"].value_counts()
    unsure = summ[summ["swing"]].sort_values("probability")
    fig = go.Figure()
    for bloc, colour in BLOC_COLOURS.items():
        g = summ[summ["bloc"] == bloc]
        if g.empty:
            continue
        fig.add_trace(go.Choropleth(
            locations=g["code"], z=[1] * len(g), locationmode="ISO-3", colorscale=[[0, colour], [1, colour]], showscale=False,
            name=f"{bloc} ({len(g)})", showlegend=True,
            marker={"opacity": np.where(g["swing"], 0.45, 1.0).tolist(),
                    "line": {"color": np.where(g["swing"], "#000", "#fff").tolist(), "width": np.where(g["swing"], 1.2, 0.4).tolist()}},
            text=[f"{n}: {bloc}, probability {p:.2f}" + (f" (else {r} {rp:.2f})" if s else "")
                  for n, p, s, r, rp in zip(g["name"], g["probability"], g["swing"], g["runner_up"], g["runner_up_probability"])],
            hoverinfo="text"))
    fig.update_geos(projection_type="natural earth", showland=True, landcolor=LAND, showcountries=False, showcoastlines=False,
                    showocean=False, showlakes=False, showrivers=False, showframe=False, lataxis_range=[-58, 85])
    fig.update_layout(legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0})
    n_us, n_cn, n_na = (int(counts.get(b, 0)) for b in ("US-leaning", "China-leaning", "nonaligned"))
    ex = ", ".join(unsure["name"].head(4))
    sec.finding = (f"In {year}, the latest year with a full UN voting record, {n_cn} states lean to China, {n_us} to the United States "
                   f"and {n_na} are nonaligned; {len(unsure)} memberships are uncertain (probability below 0.8)"
                   + (f", among them {ex}." if ex else "."))
    sec.figure = finish(fig, sec.finding, "UN General Assembly votes (Voeten et al.); multipolar dynamic ideal points, the IMF split "
                        f"(Gopinath et al. 2024) with {ctx.draws} posterior draws; outlines Natural Earth / world-atlas. Faded, outlined: uncertain.",
                        height=480)
    sec.columns = ["state", "bloc", "probability", "else", "probability else"]
    sec.table = [{"state": f"{n} ({c})", "bloc": b, "probability": _f(p), "else": r or "–", "probability else": _f(rp)}
                 for c, n, b, p, r, rp in unsure[["code", "name", "bloc", "probability", "runner_up", "runner_up_probability"]].itertuples(index=False)]
    sec.source = "Uncertain members: the most likely bloc has probability below 0.8 over the posterior draws."
    if year < upto:
        sec.notes.append(f"The UN votes in the data end with the {year} session (later years hold a handful of roll calls), "
                         f"so the blocs are those of {year}, not {upto}.")
    return sec


# -- 2. poles --------------------------------------------------------------------------------------
def poles_section(ctx: Context) -> Section:
    """Section: the effective number of great powers over the years, with the reading (unipolar, bipolar,
    multipolar) shaded."""
    import plotly.graph_objects as go

    from .. import structure as S
    sec = Section("poles", "Poles over time")
    try:
        p = S.poles(f"{ctx.from_year}:{ctx.years[1]}", ctx.db)
    except InputError as e:                           # the report's years lie outside the capability data
        sec.missing = str(e)
        return sec
    sec.notes += [n[0].upper() + n[1:] + "." for n in p.attrs.get("notes", [])]
    p = p[p[["gp_effective_n", "enp_cinc", "enp_gdp"]].notna().any(axis=1)]
    if p.empty:
        sec.missing = "No capability or GDP data: import COW NMC and Maddison (`multipolar data import`)."
        return sec
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=p["year"], y=p["gp_effective_n"], name="great powers, military spending", mode="lines",
                             line={"color": DIMENSION_COLOURS["values"], "width": 2}, connectgaps=False))
    fig.add_trace(go.Scatter(x=p["year"], y=p["gp_effective_n_cinc"], name="great powers, capability (CINC)", mode="lines",
                             line={"color": DIMENSION_COLOURS["economy"], "width": 2, "dash": "dot"}, connectgaps=False))
    # the reading as shaded bands
    rd = p.dropna(subset=["reading"])
    shades = (("bipolar", "rgba(178,24,43,0.10)"), ("unipolar", "rgba(33,102,172,0.10)"), ("multipolar", "rgba(120,120,120,0.12)"))
    for reading, colour in shades:
        ys = rd.loc[rd["reading"] == reading, "year"].tolist()
        for y0, y1 in _runs(ys):
            fig.add_vrect(x0=y0 - 0.5, x1=y1 + 0.5, fillcolor=colour, line_width=0, layer="below")
        if ys:
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", marker={"color": colour.replace("0.1", "0.3"), "size": 12,
                                                                                   "symbol": "square"}, name=f"{reading}"))
    fig.update_layout(legend={"orientation": "h", "y": 1.0, "yanchor": "bottom"})
    lr = rd.iloc[-1] if len(rd) else None
    early = p[p["year"].between(2000, 2010)]["runner_up_ratio"].mean()
    now = lr["runner_up_ratio"] if lr is not None else np.nan
    # the word compares the two numbers the sentence shows (at the precision it shows them)
    change = round(float(now), 2) - round(float(early), 2) if pd.notna(early) and pd.notna(now) else None
    word = None if change is None else ("up from" if change > 0 else "down from" if change < 0 else "unchanged from")
    ld = p.dropna(subset=["enp_cinc"]).tail(1)
    sec.finding = ((f"Among the great powers the system reads {lr['reading']} in {int(lr['year'])}: {lr['gp_leader']} holds "
                    f"{lr['gp_leader_share']:.0%} of their military spending and the runner-up ({lr['runner_up']}) spends "
                    f"{lr['runner_up_ratio']:.2f} of it" + (f", {word} {early:.2f} on average in 2000–10" if word else "") + "."
                    if lr is not None else "No year with every great power's military spending.")
                   + "".join(f" Across all states, power is diverse ({r.enp_cinc:.1f} by the Laakso–Taagepera index of CINC, "
                             f"{int(r.year)}): a diversity index, not a count of poles." for r in ld.itertuples()))
    sec.figure = finish(fig, sec.finding, "COW major powers, Maoz (2010) global powers and National Material Capabilities (military expenditure, CINC); Maddison "
                        "Project 2023 (GDP). Effective number of great powers (Laakso–Taagepera over the COW major powers); shading: the "
                        "reading (a pole is a global power, Maoz 2010, spending at least 0.37 of the leader; multipolar.structure.polarity).",
                        x="year", y="effective number of great powers (count)")
    sec.columns = ["year", "great powers (eff. N)", "concentration", "reading", "leader", "runner-up / leader", "diversity (CINC)"]
    rows = p[(p["year"] % 5 == 0) | (p["year"] == p["year"].max())]
    sec.table = [{"year": int(r.year), "great powers (eff. N)": _f(r.gp_effective_n), "concentration": _f(r.gp_concentration),
                  "reading": r.reading if isinstance(r.reading, str) else "–", "leader": r.gp_leader or "–",
                  "runner-up / leader": _f(r.runner_up_ratio), "diversity (CINC)": _f(r.enp_cinc, "{:.1f}")}
                 for r in rows.itertuples(index=False)]
    return sec


def _runs(years: list[int]):
    """Consecutive runs of years: [(first, last), ...]."""
    out = []
    for y in sorted(years):
        if out and y == out[-1][1] + 1:
            out[-1][1] = y
        else:
            out.append([y, y])
    return [tuple(r) for r in out]


# -- 3. the triangle -------------------------------------------------------------------------------
def triangle_data(db, states, years) -> pd.DataFrame:
    """The triangle of ``states`` over ``years`` (:func:`multipolar.structure.triangle`)."""
    from .. import structure as S
    return S.triangle(*states, years=years, db=db)


def triangle_section(ctx: Context) -> Section:
    """Section: the three relations of the triangle and its type each year."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots
    a, b, c = ctx.triangle
    from ..structure import SERIES_ALIASES
    a, b, c = (SERIES_ALIASES.get(x, x) for x in (a, b, c))
    sec = Section("triangle", f"The great-power triangle: {name(a)}, {name(b)}, {name(c)}")
    if ctx.lacks_dyads(sec):
        return sec
    pre = getattr(ctx, "prefetched_triangle", None)
    t = pre.result() if pre is not None else triangle_data(ctx.db, (a, b, c), f"{ctx.from_year}:{ctx.latest}")
    t = t[(t["type"] != "incomplete") & t["year"].between(ctx.from_year, ctx.latest)] if len(t) else t
    if t.empty:
        sec.missing = f"No year has the three relations of {a}, {b} and {c}."
        return sec
    types = ["ménage à trois", "romantic triangle", "stable marriage", "unit veto", "common friend", "friend and foe", "common adversary",
             "friendly pair", "hostile pair", "all neutral"]
    types = [ty for ty in types if (t["type"] == ty).any()]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.78, 0.22], vertical_spacing=0.06)
    for pair, colour in zip((f"{a}-{b}", f"{a}-{c}", f"{b}-{c}"), SERIES_COLOURS):
        fig.add_trace(go.Scatter(x=t["year"], y=t[f"closeness {pair}"], mode="lines", name=f"{pair} closeness",
                                 line={"color": colour, "width": 2}), row=1, col=1)
    for ty in types:
        g = t[t["type"] == ty]
        if len(g):
            fig.add_trace(go.Scatter(x=g["year"], y=[ty] * len(g), mode="markers", name=ty,
                                     marker={"symbol": "square", "size": 9, "color": TRIANGLE_COLOURS[ty]},
                                     text=[f"{y}: {ty}" + (f" ({w})" if isinstance(w, str) else "") for y, w in zip(g["year"], g["pivot_or_pariah"])],
                                     hoverinfo="text", showlegend=False), row=2, col=1)
    fig.add_hline(y=0, line={"color": "#999", "width": 1, "dash": "dot"}, row=1, col=1)
    changes = composition_changes(ctx.db, (a, b, c), int(t["year"].min()), int(t["year"].max()))
    for y, text in changes:
        fig.add_vline(x=y - 0.5, line={"color": "#bbb", "width": 1, "dash": "dash"}, row=1, col=1)
        fig.add_annotation(x=y - 0.5, y=1.0, yref="y domain", text=text, showarrow=False, xanchor="left", yanchor="top",
                           font={"size": 9, "color": "#777"}, row=1, col=1)
    fig.update_yaxes(title_text="closeness (−1 hostile … 1 close)", row=1, col=1, gridcolor="#eee")
    fig.update_yaxes(categoryorder="array", categoryarray=types, row=2, col=1, tickfont={"size": 9})
    fig.update_xaxes(title_text="year", row=2, col=1)
    fig.update_layout(legend={"orientation": "h", "y": 1.0, "yanchor": "bottom"})
    last = t.iloc[-1]
    ch = t[t["changed"]]
    prev_change = ch.iloc[-1] if len(ch) else None
    who = last["pivot_or_pariah"]
    role = {"romantic triangle": " pivot", "stable marriage": " pariah", "common friend": " common friend",
            "common adversary": " common adversary", "friend and foe": " state between them"}.get(last["type"], " third")
    share = last.get("type_share")
    sec.finding = (f"In {int(last['year'])} the {a}–{b}–{c} triangle is a {last['type']}"
                   + (f" with {name(who)} as the{role}" if isinstance(who, str) else "")
                   + (f" ({share:.0%} of draws from the closeness intervals)" if share is not None and pd.notna(share) else "")
                   + (f"; it took this shape in {int(prev_change['year'])}." if prev_change is not None else "."))
    sec.figure = finish(fig, sec.finding, "multipolar relation types and closeness (UN votes, alliances, groupings, trade, visas, wars, "
                        "rivalries, sanctions); Dittmer (1981) typology on the signs of the three relations, a link neutral when its closeness "
                        "interval spans zero (then named as a signed graph without it, Cartwright & Harary 1956). Dashed lines: a component "
                        "of closeness enters (+) or leaves (−) the data, which moves its level by itself.", height=520)
    sec.columns = ["year", "type", "pivot or pariah", "relations"]
    sec.table = [{"year": int(r.year), "type": r.type, "pivot or pariah": r.pivot_or_pariah or "–", "relations": r.relations}
                 for r in ch.itertuples(index=False)]
    sec.source = "The years in which the triangle changed type (the first year shown is the first with all three relations)."
    return sec


def composition_changes(db, states, first: int, last: int) -> list[tuple[int, str]]:
    """The years in which the components of closeness change for the pairs among ``states`` (a
    component entering or leaving the data moves the level of closeness by itself; the chart marks
    those years instead of hiding them): [(year, "+people −values"), ...]."""
    from ..actors.registry import SERIES_PREDECESSORS
    from ..relations.measures import measures
    codes = set(states) | {SERIES_PREDECESSORS[c] for c in states if c in SERIES_PREDECESSORS}   # the USSR's years for Russia
    m = measures(f"{first}:{last}", sorted(codes), db)
    m = m[m["code_a"] < m["code_b"]]
    if m.empty:
        return []
    comp = m.groupby("year")["closeness_components"].apply(
        lambda s: set().union(*(set(str(x).split(",")) for x in s.dropna() if str(x))))
    out, prev = [], None
    for y, cur in comp.items():
        if prev is not None and cur != prev:
            txt = " ".join([f"+{c}" for c in sorted(cur - prev)] + [f"−{c}" for c in sorted(prev - cur)])
            out.append((int(y), txt))
        prev = cur
    return out


# -- 4. the focus state's partners -----------------------------------------------------------------
def partners(ctx: Context, focus: str | None = None, year: int | None = None, since: int = 2013, top: int = 20) -> pd.DataFrame:
    """The focus state's ``top`` closest partners in ``year``, with the change in closeness since ``since``
    and the vote agreement of the latest year with votes."""
    focus = focus or ctx.focus
    year = year or ctx.latest
    d = ctx.dy[(ctx.dy["code_a"] == focus)]
    now = d[(d["year"] == year) & d["closeness"].notna()].sort_values("closeness", ascending=False).head(top).copy()
    then = d[d["year"] == since]
    if len(then):
        cc = common_change(now, then).set_index("code_b")
        now["change_since"] = now["code_b"].map(cc["change"])
    else:
        now["change_since"] = np.nan
    # vote agreement: the latest year with votes (the UN votes end before the other sources)
    votes = d[d["vote_agree_share"].notna() & (d["votes_common_n"].fillna(0) >= 10) & (d["year"] <= year)]
    if len(votes):
        vy = int(votes["year"].max())
        now["vote_agree"] = now["code_b"].map(votes[votes["year"] == vy].set_index("code_b")["vote_agree_share"])
        now.attrs["vote_year"] = vy
    else:
        now["vote_agree"] = np.nan
    now["partner"] = now["code_b"].map(name)
    return now.reset_index(drop=True)


def focus_section(ctx: Context, since: int = 2013) -> Section:
    """Section: the focus state's closest partners and how their closeness moved."""
    import plotly.graph_objects as go
    f = ctx.focus
    sec = Section("focus", f"{name(f)}'s partners")
    if ctx.lacks_dyads(sec):
        return sec
    p = partners(ctx, f, ctx.latest, since)
    if p.empty:
        sec.missing = f"No relations of {name(f)} in {ctx.latest} have data."
        return sec
    n = len(p)
    ang = np.linspace(0, 2 * np.pi, n, endpoint=False) + np.pi / 2
    rad = 1.15 - p["closeness"].clip(-1, 1).to_numpy()
    xs, ys = rad * np.cos(ang), rad * np.sin(ang)
    fig = go.Figure()
    for i in range(n):
        fig.add_trace(go.Scatter(x=[0, xs[i]], y=[0, ys[i]], mode="lines", line={"color": "#ddd", "width": 1}, hoverinfo="skip", showlegend=False))
    for ty, colour in TYPE_COLOURS.items():
        m = (p["relation_type"] == ty).to_numpy()
        if m.any():
            fig.add_trace(go.Scatter(
                x=xs[m], y=ys[m], mode="markers+text", name=ty, text=p.loc[m, "code_b"], textposition="top center",
                marker={"size": (12 + 40 * p.loc[m, "closeness"].clip(0, 1)).tolist(), "color": colour, "line": {"color": "#fff", "width": 1}},
                hovertext=[f"{pn}: {ty}, closeness {c:.2f}; {f} depends on it {_f(da)}, it on {f} {_f(db_)}"
                           for pn, c, da, db_ in p.loc[m, ["partner", "closeness", "dependence_a_on_b", "dependence_b_on_a"]].itertuples(index=False)],
                hoverinfo="text"))
    fig.add_trace(go.Scatter(x=[0], y=[0], mode="markers+text", text=[f], textposition="middle center", name=name(f),
                             marker={"size": 46, "color": "#222"}, textfont={"color": "white"}, hoverinfo="name", showlegend=False))
    # arrows: from the dependent state to the one it depends on, width by the larger dependence
    for i, r in enumerate(p.itertuples(index=False)):
        da, db_ = r.dependence_a_on_b, r.dependence_b_on_a
        if pd.isna(da) and pd.isna(db_):
            continue
        da, db_ = (0 if pd.isna(da) else da), (0 if pd.isna(db_) else db_)
        if max(da, db_) < 0.02:
            continue
        frm, to = ((0, 0), (xs[i], ys[i])) if da >= db_ else ((xs[i], ys[i]), (0, 0))
        fig.add_annotation(x=to[0] * 0.9 + frm[0] * 0.1, y=to[1] * 0.9 + frm[1] * 0.1, ax=frm[0] * 0.85 + to[0] * 0.15, ay=frm[1] * 0.85 + to[1] * 0.15,
                           xref="x", yref="y", axref="x", ayref="y", showarrow=True, arrowhead=2,
                           arrowwidth=1 + 6 * max(da, db_), arrowcolor="rgba(120,60,0,0.55)", text="")
    fig.update_xaxes(visible=False, scaleanchor="y")
    fig.update_yaxes(visible=False)
    top3 = ", ".join(p["partner"].head(3))
    zh = ctx.dy[(ctx.dy["year"] == ctx.latest) & (ctx.dy["code_a"] == f) & (ctx.dy["code_b"] == "CHN")]
    dep = ""
    if f != "CHN" and len(zh) and pd.notna(zh["dependence_a_on_b"].iloc[0]):
        r = zh.iloc[0]
        dep = (f"; its dependence on China is {r['dependence_a_on_b']:.2f} and China's on it {r['dependence_b_on_a']:.2f} "
               f"(index 0–1: the partner's share of the state's {r['dependence_channels'] or 'ties'}, each channel weighted by its size)")
    sec.finding = f"In {ctx.latest}, {name(f)}'s closest partners are {top3}{dep}."
    sec.figure = finish(fig, sec.finding, "multipolar closeness (nearer the centre: closer; size: closeness) and relation types; arrows point "
                        "from the dependent state to the one it depends on (width: dependence). BACI, SIPRI, Passport Index, ATOP, "
                        "dated memberships and treaties.", height=560)
    vy = p.attrs.get("vote_year")
    sec.columns = ["partner", "type", "closeness", f"change since {since}", f"energy and minerals exports {f}→partner (k$)", f"energy and minerals imports partner→{f} (k$)",
                   f"{f} depends on partner", f"partner depends on {f}", "alliance / treaty / groupings",
                   f"UN vote agreement{f' ({vy})' if vy else ''}", f"visa: partner open to {f} citizens", f"visa: {f} open to partner's"]
    sec.table = [{sec.columns[0]: f"{r.partner} ({r.code_b})", "type": r.relation_type, "closeness": _f(r.closeness),
                  sec.columns[3]: _f(r.change_since, "{:+.2f}"), sec.columns[4]: _f(r.energy_minerals_exports_a_to_b_kusd, "{:,.0f}"),
                  sec.columns[5]: _f(r.energy_minerals_exports_b_to_a_kusd, "{:,.0f}"), sec.columns[6]: _f(r.dependence_a_on_b),
                  sec.columns[7]: _f(r.dependence_b_on_a),
                  sec.columns[8]: "; ".join(x for x in (r.alliance_source if isinstance(r.alliance_source, str) else "",
                                                         r.groupings_shared if isinstance(r.groupings_shared, str) else "") if x) or "–",
                  sec.columns[9]: _f(r.vote_agree), sec.columns[10]: _f(r.visa_openness_b_for_a), sec.columns[11]: _f(r.visa_openness_a_for_b)}
                 for r in p.itertuples(index=False)]
    sec.source = (f"Change since {since}: closeness over the components both years have data for. Trade: BACI, energy and mineral products "
                  "only (the shipped subset). Visa openness 0 (no admission) … 1 (visa-free), Passport Index. Missing: –.")
    return sec


# -- 5. de-globalization ---------------------------------------------------------------------------
def scoreboard_section(ctx: Context) -> Section:
    """Section: de-globalisation along five processes, the fragmentation index F = 1 - across / within of each
    over the years, with its trend per decade."""
    import plotly.graph_objects as go

    from .. import structure as S
    sec = Section("scoreboard", "De-globalization along five processes")
    if ctx.lacks_dyads(sec):
        return sec
    try:
        sb = S.trends(f"{ctx.years[0]}:{ctx.latest}", ctx.db, dy=ctx.dy)
    except MissingDataError as e:
        sec.missing = str(e)
        return sec
    fig = go.Figure()
    rows, slopes = [], {}
    for proc, g in sb.groupby("process", sort=False):
        g = g.sort_values("year")
        fig.add_trace(go.Scatter(x=g["year"], y=g["fragmentation"], mode="lines+markers", name=proc, connectgaps=False,
                                 line={"color": DIMENSION_COLOURS.get(proc), "width": 2}, marker={"size": 4}))
        h = g.dropna(subset=["fragmentation"])
        if len(h):
            rec = h[h["year"] >= h["year"].max() - 9]
            if len(rec) >= 3:
                slopes[proc] = (float(np.polyfit(rec["year"], rec["fragmentation"], 1)[0]), rec)
            f0, f1 = h.iloc[0], h.iloc[-1]
            rows.append({"process": proc, "measure": g["measure"].iloc[0], "first year": int(f0["year"]), "F then": _f(f0["fragmentation"]),
                         "latest year": int(f1["year"]), "F latest": _f(f1["fragmentation"]),
                         "trend per decade (last 10 years)": _f(slopes[proc][0] * 10, "{:+.2f}") if proc in slopes else "–",
                         "pairs within / across": f"{int(f1['pairs_within']):,} / {int(f1['pairs_across']):,}"})
        else:
            rows.append({"process": proc, "measure": g["measure"].iloc[0], "first year": "–", "F then": "–", "latest year": "–",
                         "F latest": "–", "trend per decade (last 10 years)": "–", "pairs within / across": "no data"})
    fig.add_hline(y=0, line={"color": "#999", "width": 1, "dash": "dot"})
    if slopes:
        fast, (sl, rec) = max(slopes.items(), key=lambda kv: kv[1][0])
        sec.finding = (f"Across the US-leaning and China-leaning blocs (as of {sb.attrs.get('blocs_year')}), {fast} ties fragment fastest: "
                       f"F went from {rec['fragmentation'].iloc[0]:.2f} in {int(rec['year'].iloc[0])} to {rec['fragmentation'].iloc[-1]:.2f} "
                       f"in {int(rec['year'].iloc[-1])} ({sl * 10:+.2f} per decade).")
    else:
        sec.finding = "No process has three years of data across the blocs."
    sec.figure = finish(fig, sec.finding, "UN votes (values), Passport Index (people), BACI energy and minerals (economy), dated memberships "
                        "(institutions), event samples (information); blocs fixed by the IMF split of the reference year.",
                        x="year", y="fragmentation F = 1 − across/within (0: no divide)")
    sec.columns = list(rows[0]) if rows else []
    sec.table = rows
    sec.source = "A gap is a year without data for that process, never a zero. Information rests on small event samples."
    return sec


# -- 5b. robustness to the votes counted -----------------------------------------------------------
def robustness_section(ctx: Context) -> Section:
    """The blocs map's year recomputed under each issue area and window (:mod:`multipolar.structure.robustness`)."""
    import plotly.graph_objects as go

    from ..dimensions.values import last_full_session, stored_ideal_points
    from ..structure.robustness import MAJOR_STATES, STABLE_SHARE, robustness
    sec = Section("robustness", "Do the blocs depend on the votes counted?")
    ip = stored_ideal_points(ctx.db)
    year = last_full_session(ip[ip["year"] >= ctx.years[0]], ctx.latest or ctx.years[1]) if ip is not None else None
    if year is None:
        sec.missing = "No ideal points of a full UN session: run `multipolar idealpoints` (needs the UN votes imported)."
        return sec
    try:
        st, yt, vt = robustness(str(year), ctx.db, draws=ctx.draws)
    except MultipolarError as e:          # the snapshot holds ideal points, not the votes the variants need
        sec.missing = (f"The robustness view refits the ideal points on selections of the UN votes, so it needs the votes in the "
                       f"warehouse (`multipolar data import ../shared/data/un_votes`, then `multipolar idealpoints`): {e}")
        return sec
    y = yt.iloc[0]
    ok = vt[vt["states"].notna()] if "states" in vt else vt.iloc[0:0]
    fig = go.Figure()
    for bloc, colour in BLOC_COLOURS.items():
        fig.add_trace(go.Bar(x=ok["variant"], y=ok[f"n_{bloc}"], name=bloc, marker={"color": colour}))
    fig.update_layout(barmode="stack")
    dep = st[st["depends_on_votes"]].sort_values("share_same")
    major = [c for c in MAJOR_STATES if c in set(dep["code"])]
    sec.finding = (f"In {year}, {int(y['depends_on_votes'])} of {int(y['states'])} states have a bloc that depends on the votes counted"
                   + (f" ({', '.join(name(c) for c in major[:5])} among the major states)" if major else "")
                   + f"; the US-leaning bloc holds {int(y.get('n_US-leaning_min', 0))}–{int(y.get('n_US-leaning_max', 0))} states and the "
                   f"values divide F ranges {y['values_F_min']:.2f}–{y['values_F_max']:.2f} across {int(y['variants'])} selections of the votes.")
    sec.figure = finish(fig, sec.finding, "UN General Assembly votes (Voeten et al.; UN Digital Library 2020-21), issue tags of unvotes; "
                        "one ideal-point fit per variant, the IMF split of the report's map.", x="issue area / sessions in the window",
                        y="states per bloc")
    sec.columns = ["state", "bloc with every vote", "probability", "elsewhere in", "blocs seen"]
    sec.table = [{"state": f"⚠ {name(r.code)} ({r.code})", "bloc with every vote": r.bloc, "probability": _f(r.probability),
                  "elsewhere in": f"{int(r.n_changes)} of {int(r.n_variants)} variants", "blocs seen": r.blocs_seen}
                 for r in dep.itertuples(index=False)]
    sec.source = (f"⚠ the bloc depends on the votes counted: the bloc with every vote is the bloc of fewer than {STABLE_SHARE:.0%} "
                  "of the variants. Variants: each issue area (me Middle East, nu nuclear, di disarmament, hr human rights, co "
                  "colonialism, ec economic development) and the State Department's important votes, over the session alone (/1) "
                  "or the last three sessions pooled (/3).")
    sec.extra_tables.append({"title": "Variants without an estimate", "columns": ["variant", "note"],
                             "rows": [{"variant": r["variant"], "note": r["note"]} for r in vt.to_dict("records")
                                      if isinstance(r.get("note"), str) and r["note"]]})
    sec.notes += [n[0].upper() + n[1:] + ("" if n.endswith(".") else ".") for n in st.attrs.get("notes", [])]
    return sec


# -- 6. movers -------------------------------------------------------------------------------------
def movers(ctx: Context, span: int, top: int = 10, min_common: int = 3, within=None) -> pd.DataFrame:
    """The ``top`` pairs that moved closer and the ``top`` that moved further apart over ``span`` years (pairs
    with at least ``min_common`` components in both years); ``within``: only the pairs of two of these states."""
    y1, y0 = ctx.latest, ctx.latest - span
    now, then = ctx.undirected(y1), ctx.undirected(y0)
    if now.empty or then.empty:
        return pd.DataFrame()
    cc = common_change(now, then)
    cc = cc[cc["n_common"] >= min_common].dropna(subset=["change"])
    if within is not None:
        cc = cc[cc["code_a"].isin(within) & cc["code_b"].isin(within)]
    out = pd.concat([cc.nlargest(top, "change").assign(direction="closer"), cc.nsmallest(top, "change").assign(direction="further apart")])
    out["pair"] = [f"{name(a)} – {name(b)}" for a, b in zip(out["code_a"], out["code_b"])]
    out["year_from"], out["year_to"] = y0, y1
    return out.reset_index(drop=True)


def movers_section(ctx: Context) -> Section:
    """Section: the relations that changed most over ten (else five) years."""
    import plotly.graph_objects as go
    sec = Section("movers", "Movers: the relations that changed most")
    if ctx.lacks_dyads(sec):
        return sec
    m10, m5 = movers(ctx, 10), movers(ctx, 5)
    if m10.empty and m5.empty:
        sec.missing = f"No year {ctx.latest - 10} or {ctx.latest - 5} to compare with {ctx.latest}."
        return sec
    m = m10 if len(m10) else m5
    span = 10 if len(m10) else 5
    m = m.sort_values("change")
    fig = go.Figure(go.Bar(x=m["change"], y=m["pair"], orientation="h",
                           marker={"color": np.where(m["change"] < 0, LOSS, GAIN).tolist()},
                           text=[f"{a:+.2f} → {b:+.2f}" for a, b in zip(m["close_then"], m["close_now"])], textposition="auto",
                           hovertext=[f"{p}: {a:+.2f} ({ctx.latest - span}) → {b:+.2f} ({ctx.latest}) over {k} components"
                                      for p, a, b, k in zip(m["pair"], m["close_then"], m["close_now"], m["n_common"])], hoverinfo="text"))
    down, up = m.iloc[0], m.iloc[-1]
    sec.finding = (f"From {ctx.latest - span} to {ctx.latest}, {down['pair']} moved furthest apart ({down['change']:+.2f}) and "
                   f"{up['pair']} closest together ({up['change']:+.2f}).")
    # the largest moves are often small states' (Palau's ideal point crossed most of the scale in ten years): the moves
    # among the G20 states beside them, in the finding and the table
    from ..actors.groupings import members
    mg = movers(ctx, span, within=members("G20", ctx.latest))
    if len(mg):
        gs = mg.sort_values("change")
        gd, gu = gs.iloc[0], gs.iloc[-1]
        if (gd["pair"], gu["pair"]) != (down["pair"], up["pair"]):
            sec.finding = sec.finding[:-1] + (f"; among the G20 states, {gd['pair']} ({gd['change']:+.2f}) and "
                                              f"{gu['pair']} ({gu['change']:+.2f}).")
    sec.figure = finish(fig, sec.finding, "multipolar closeness over the components both years have data for (at least 3 of 5).",
                        x=f"change in closeness, {ctx.latest - span}–{ctx.latest} (closeness units)", height=560)
    sec.figure["layout"].setdefault("yaxis", {})["automargin"] = True
    sec.columns = ["span", "pairs", "direction", "pair", "closeness then", "closeness now", "change", "components compared"]
    for s, mm, which in ((10, m10, "all"), (5, m5, "all"), (span, mg, "G20 states")):
        for r in mm.itertuples(index=False):
            sec.table.append({"span": f"{r.year_from}–{r.year_to}", "pairs": which, "direction": r.direction, "pair": r.pair,
                              "closeness then": _f(r.close_then, "{:+.2f}"), "closeness now": _f(r.close_now, "{:+.2f}"),
                              "change": _f(r.change, "{:+.2f}"), "components compared": int(r.n_common)})
    return sec


# -- 6b. scenarios ---------------------------------------------------------------------------------
def scenario_section(ctx: Context) -> Section:
    """The stored scenario runs (``multipolar simulate``): real-income losers and gainers with their
    intervals, and the largest diversion routes."""
    import plotly.graph_objects as go

    from ..gravity.scenarios import stored
    sec = Section("scenarios", "Scenarios: sanctions, decoupling, re-opening")
    st = stored(ctx.db)
    if st is None or st[0].empty:
        sec.missing = ("No scenario has been simulated on this warehouse: run e.g. `multipolar simulate secondary_sanctions_china` "
                       "(`multipolar simulate --list` shows the built-in ones).")
        return sec
    runs, res, div = st
    run = runs.sort_values("created").iloc[-1]
    r = res[res["key"] == run["key"]].dropna(subset=["change_real_income_FULL"]).sort_values("change_real_income_FULL")
    show = pd.concat([r.head(8), r.tail(8)]).drop_duplicates("country")
    err = None
    if show["real_income_q05"].notna().any():
        err = {"type": "data", "symmetric": False, "array": (show["real_income_q95"] - show["change_real_income_FULL"]).tolist(),
               "arrayminus": (show["change_real_income_FULL"] - show["real_income_q05"]).tolist()}
    fig = go.Figure(go.Bar(x=show["change_real_income_FULL"], y=show["country"].map(name), orientation="h", error_x=err,
                           marker={"color": np.where(show["change_real_income_FULL"] < 0, LOSS, GAIN).tolist()}))
    d = div[(div["key"] == run["key"]) & (div["change"] > 0)].sort_values("change", ascending=False)
    lose, gain = r.iloc[0], r.iloc[-1]
    route = (f"; the largest diversion route is {name(d.iloc[0]['exporter'])} → {name(d.iloc[0]['importer'])} "
             f"({d.iloc[0]['change'] / 1e3:+,.0f} M$)") if len(d) else ""
    sec.finding = (f"Under “{run['name']}” ({run['sector'].replace('_', ' ')}, {int(run['base_year'])}), {name(lose['country'])} loses most "
                   f"({lose['change_real_income_FULL']:+.1f}% real income from that trade) and {name(gain['country'])} gains most "
                   f"({gain['change_real_income_FULL']:+.1f}%){route}.")
    sec.figure = finish(fig, sec.finding, "BACI trade, CEPII GeoDist, multipolar dyad measures; PPML (pyfixest) and the multipolar general-"
                        "equilibrium solver; bars: 90% intervals over coefficient draws.", x="change in real income from the sector's trade (%)",
                        height=520)
    sec.figure["layout"].setdefault("yaxis", {})["automargin"] = True
    sec.columns = ["scenario", "sector", "base year", "shocks applied", "stored"]
    sec.table = [{"scenario": x["name"], "sector": x["sector"], "base year": int(x["base_year"]),
                  "shocks applied": "; ".join(json.loads(x["applied"])), "stored": x["created"]} for _, x in runs.iterrows()]
    sec.notes.append("No domestic flows in the energy and minerals data: the real-income change is the change in the real value of a "
                     "state's trade in that sector, not a change in GDP.")
    return sec


# -- 7. data and coverage --------------------------------------------------------------------------
def coverage_section(ctx: Context) -> Section:
    """Section: the rows of every source and table by year (a heatmap, gaps named) and the sources the report
    rests on."""
    import plotly.graph_objects as go
    sec = Section("coverage", "Data and coverage")
    basis, prov, cov, cites = provenance(ctx.db)
    last = dt.date.today().year
    if len(cov):
        cov = cov[cov["year"].between(1946, last)]
        cov = cov.assign(key=cov["source"] + " · " + cov["table"])
        piv = cov.pivot_table(index="key", columns="year", values="rows", aggfunc="sum").reindex(columns=range(1946, last + 1))
        z = np.log10(piv.to_numpy(float) + 1)
        fig = go.Figure(go.Heatmap(z=z, x=list(piv.columns), y=list(piv.index), colorscale="Blues", zmin=0,
                                   colorbar={"title": "log10 rows"}, hoverongaps=False,
                                   text=[[f"{k} {y}: {int(v):,} rows" if not np.isnan(v) else f"{k} {y}: no rows (gap)" for y, v in zip(piv.columns, row)]
                                         for k, row in zip(piv.index, piv.to_numpy(float))], hoverinfo="text"))
        per = cov.groupby("source")["year"].agg(["min", "max", "nunique"])
        gaps = [f"{s}: {int(r['max'] - r['min'] + 1 - r['nunique'])} of {int(r['max'] - r['min'] + 1)} years between {int(r['min'])} and "
                f"{int(r['max'])} have no rows" for s, r in per.iterrows() if r["max"] - r["min"] + 1 > r["nunique"]]
        sec.notes.extend(gaps)
        n_rows = sum(p["rows"] for p in prov)
        sec.finding = f"{len({p['source'] for p in prov})} sources hold {n_rows:,} rows about the state system since 1946; blank cells are gaps, not zeros."
        sec.figure = finish(fig, sec.finding, f"the import log of every file below ({basis}).", x="year", y="source · table",
                            height=max(420, 16 * len(piv) + 160))
    else:
        sec.finding = "No source has rows with a year."
    sec.columns = ["source", "version", "file", "sha256", "rows kept", "rejected", "years", "imported"]
    sec.table = [{"source": p["source"], "version": p["version"], "file": p["file"], "sha256": p["sha256"], "rows kept": f"{p['rows']:,}",
                  "rejected": f"{p['rejected']:,}", "years": p["years"], "imported": p["when"]} for p in prov]
    sec.extra_tables.append({"title": "Citations", "columns": ["source", "title", "citation", "terms"],
                             "rows": [{"source": c["source"], "title": c["title"], "citation": c["citation"], "terms": c["license"]} for c in cites]})
    from ..actors import groupings
    sec.extra_tables.append({"title": "Groupings (dated memberships compiled by multipolar, a source per row, checked against COW IGO 1946–2014)",
                             "columns": ["grouping", "members today", "since", "source of the membership dates"],
                             "rows": [{"grouping": f"{o.name} ({o.org})", "members today": len(groupings.members(o.org)), "since": o.founded,
                                       "source of the membership dates": o.source} for o in groupings.organisations().itertuples(index=False)]})
    dims = ctx.dims_by_year
    sec.extra_tables.append({"title": "Dimensions with data per dyad (mean of 5), by year", "columns": ["year", "mean dimensions"],
                             "rows": [{"year": int(y), "mean dimensions": _f(v)} for y, v in dims.items()]})
    sec.source = basis
    return sec


HEADINGS = {"blocs_map": "The map of blocs", "poles_section": "Poles over time", "triangle_section": "The great-power triangle",
            "focus_section": "The focus state's partners", "scoreboard_section": "De-globalization along five processes",
            "movers_section": "Movers: the relations that changed most",
            "robustness_section": "Do the blocs depend on the votes counted?", "scenario_section": "Scenarios",
            "coverage_section": "Data and coverage"}
SECTIONS = [blocs_map, poles_section, triangle_section, focus_section, scoreboard_section, robustness_section, movers_section,
            scenario_section,
            coverage_section]


def all_sections(ctx: Context, progress=None) -> list[Section]:
    """Every section. One whose data are missing says so in its place (its own ``missing``, or a
    :class:`MissingDataError` it raises: what is missing and what to import) and the report goes on;
    any other exception (a bug, a warehouse that cannot be read) propagates and stops the report."""
    out = []
    for fn in SECTIONS:
        try:
            sec = fn(ctx)
        except MissingDataError as e:
            sec = Section(fn.__name__.replace("_section", ""), HEADINGS.get(fn.__name__, fn.__name__))
            sec.missing = f"This section could not be drawn: the data are missing. {e}"
        out.append(sec)
        if progress:
            progress(fn.__name__)
    return out
