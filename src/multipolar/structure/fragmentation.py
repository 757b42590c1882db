"""The de-globalization scoreboard: ties within blocs against ties across them, five processes, per year.

The blocs are held fixed (by default the ideal-point split of a reference year, ``blocs_year``), as in
the IMF's fragmentation work, so that a change over time is a change in the ties and not in the
assignment. "Within" is every pair of states in the same bloc among the two poles' blocs
(US-leaning with US-leaning, China-leaning with China-leaning); "across" is every US-leaning /
China-leaning pair; nonaligned states are left out of both.

For each process and year, I_within and I_across are the mean intensity of the ties over the
pairs with data, and the **fragmentation index** is

.. math:: F = 1 - I_{across} / I_{within}

0 when ties across blocs are as strong as ties within them, approaching 1 as they vanish (negative
if ties across are stronger). The processes and their tie intensity:

==============  ===========================================  =======================
process         intensity of a pair's tie                    data
==============  ===========================================  =======================
values          share of identical UN votes (>= 10 common)   UN votes, 1946-2019
people          visa openness, both directions averaged      Passport Index, 2019-2025
economy         energy and minerals trade, both ways         BACI (energy, minerals) 1995-2024
institutions    groupings both belong to (count)             dated memberships, 1946-today
information     share of cooperative events (quad 1-2)       event files (samples here)
==============  ===========================================  =======================

A year without data for a process is a gap (missing), never a zero; ``pairs_*`` gives the count.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

MIN_COMMON_VOTES = 10

PROCESSES = {
    "values": ("vote_agree_share", "mean"),
    "people": ("visa_mean", "mean"),
    "economy": ("trade_kusd", "mean"),
    "institutions": ("groupings_n", "mean"),
    "information": ("coop_share", "mean"),
}

#: the dyad columns the scoreboard reads
COLUMNS = ["vote_agree_share", "votes_common_n", "visa_openness_b_for_a", "visa_openness_a_for_b", "energy_minerals_exports_a_to_b_kusd",
           "energy_minerals_exports_b_to_a_kusd", "groupings_shared_n", "events_a_to_b_n", "events_verbal_coop_a_to_b", "events_material_coop_a_to_b"]


def scoreboard(dy: pd.DataFrame, blocs: pd.Series) -> pd.DataFrame:
    """``dy``: directed dyad-years with the dimension columns; ``blocs``: code -> bloc (fixed).

    Returns one row per year and process: within, across, fragmentation, pairs_within, pairs_across."""
    d = dy[dy["code_a"] < dy["code_b"]].copy()
    d["bloc_a"] = d["code_a"].map(blocs)
    d["bloc_b"] = d["code_b"].map(blocs)
    poles = {"US-leaning", "China-leaning", "Western", "China", "Soviet", "Russia"}
    d = d[d["bloc_a"].isin(poles) & d["bloc_b"].isin(poles)]
    d["where"] = np.where(d["bloc_a"] == d["bloc_b"], "within", "across")
    d["visa_mean"] = (d["visa_openness_b_for_a"] + d["visa_openness_a_for_b"]) / 2
    d["trade_kusd"] = d["energy_minerals_exports_a_to_b_kusd"] + d["energy_minerals_exports_b_to_a_kusd"]
    d["groupings_n"] = d["groupings_shared_n"].astype(float)
    # a year's vote agreement counts for a pair only over at least MIN_COMMON_VOTES roll calls
    # (the warehouse's 2020 and 2022 votes are a handful of roll calls)
    d.loc[d["votes_common_n"].fillna(0) < MIN_COMMON_VOTES, "vote_agree_share"] = np.nan
    if "events_a_to_b_n" in d:
        coop = d["events_verbal_coop_a_to_b"].fillna(0) + d["events_material_coop_a_to_b"].fillna(0)
        d["coop_share"] = (coop / d["events_a_to_b_n"]).where(d["events_a_to_b_n"] > 0)
    else:
        d["coop_share"] = np.nan
    rows = []
    for proc, (col, _) in PROCESSES.items():
        g = d.dropna(subset=[col]).groupby(["year", "where"])[col].agg(["mean", "count"]).unstack("where")
        for y in sorted(d["year"].unique()):
            w = g.loc[y] if y in g.index else None
            wi = w[("mean", "within")] if w is not None and ("mean", "within") in w else np.nan
            ac = w[("mean", "across")] if w is not None and ("mean", "across") in w else np.nan
            rows.append({"year": int(y), "process": proc, "within": wi, "across": ac,
                         "fragmentation": 1 - ac / wi if pd.notna(wi) and pd.notna(ac) and wi != 0 else np.nan,
                         "pairs_within": int(w[("count", "within")]) if w is not None and ("count", "within") in w and pd.notna(w[("count", "within")]) else 0,
                         "pairs_across": int(w[("count", "across")]) if w is not None and ("count", "across") in w and pd.notna(w[("count", "across")]) else 0,
                         "measure": col})
    return pd.DataFrame(rows)


def chart_svg(sb: pd.DataFrame, title: str) -> str:
    """One line per process: the fragmentation index over the years; gaps stay gaps."""
    import html
    from ..palette import DIMENSION_COLOURS as colours
    y0, y1 = int(sb["year"].min()), int(sb["year"].max())
    fmin = float(np.nanmin([sb["fragmentation"].min(), 0.0]))
    fmax = float(np.nanmax([sb["fragmentation"].max(), 0.5]))
    w, h, left, bottom, top = 720, 300, 50, 30, 30
    xs = lambda y: left + (y - y0) * (w - left - 130) / max(y1 - y0, 1)  # noqa: E731
    ys = lambda v: top + (fmax - v) * (h - top - bottom) / (fmax - fmin or 1)  # noqa: E731
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{w}' height='{h}' role='img' aria-label='{html.escape(title)}'>",
           f"<text x='{left}' y='16' font-size='13' font-weight='bold'>{html.escape(title)}</text>"]
    for v in np.linspace(fmin, fmax, 5):
        out.append(f"<line x1='{left}' x2='{w - 130}' y1='{ys(v):.1f}' y2='{ys(v):.1f}' stroke='#eee'/>"
                   f"<text x='{left - 4}' y='{ys(v) + 3:.1f}' font-size='10' text-anchor='end'>{v:.2f}</text>")
    for y in range(y0, y1 + 1):
        if y % 5 == 0:
            out.append(f"<text x='{xs(y):.1f}' y='{h - 10}' font-size='10' text-anchor='middle'>{y}</text>")
    for i, (proc, g) in enumerate(sb.groupby("process", sort=False)):
        g = g.sort_values("year")
        seg, segs = [], []
        for y, v in zip(g["year"], g["fragmentation"]):
            if pd.isna(v):
                if seg:
                    segs.append(seg)
                seg = []
            else:
                seg.append(f"{xs(y):.1f},{ys(v):.1f}")
        if seg:
            segs.append(seg)
        for s_ in segs:
            if len(s_) == 1:
                x, yv = s_[0].split(",")
                out.append(f"<circle class='mark' cx='{x}' cy='{yv}' r='3' fill='{colours[proc]}'/>")
            else:
                out.append(f"<polyline class='mark' points='{' '.join(s_)}' fill='none' stroke='{colours[proc]}' stroke-width='2'/>")
        out.append(f"<text x='{w - 120}' y='{top + 14 * i + 10}' font-size='11' fill='{colours[proc]}'>{proc}</text>")
    out.append(f"<text x='{left}' y='{h - 0}' font-size='10' fill='#555'>fragmentation index F = 1 - across/within (0: no divide); "
               f"gaps: no data that year</text></svg>")
    return "".join(out)
