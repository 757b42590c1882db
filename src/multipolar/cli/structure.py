"""The structure of the system: `poles`, `triangle`, `triangles`, `blocs`, `trends`."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from ..errors import MultipolarError, UsageError
from ._common import DB, FORMAT, OUT, YEARS, _fail, api, check_format, console, deprecated_years, emit, err


#: the commands that took their years as a positional word before --years (still read, with a note)
OLD_POSITIONAL = {"allow_extra_args": True}


def _spans(years, values) -> str:
    """Runs of consecutive rows with the same value, as '1946–1949 USA, USSR; 1950 …' (empty values left out)."""
    spans = []
    for y, v in zip(years, values):
        if spans and spans[-1][2] == v:
            spans[-1][1] = y
        else:
            spans.append([y, y, v])
    return "; ".join(f"{a}–{b} {g}" if a != b else f"{a} {g}" for a, b, g in spans if isinstance(g, str) and g)


def _old_years(ctx: typer.Context):
    """The years given the old way, as a positional word (``multipolar blocs 2019``), or None."""
    if len(ctx.args) > 1:
        _fail(UsageError(f"unexpected words {' '.join(ctx.args)!r}: give the years with --years, e.g. --years 2019"))
    return ctx.args[0] if ctx.args else None


def poles_cmd(ctx: typer.Context,
              years: Optional[str] = YEARS("1946 to the latest year with data"),
              out: Optional[Path] = OUT, fmt: str = FORMAT,
              pole_rule: Optional[float] = typer.Option(None, "--pole-rule", help="A great power is a pole when its military spending is at "
                                                        "least this fraction of the leader's (default 0.37; see multipolar.structure.polarity)."),
              any_great_power: bool = typer.Option(False, "--any-great-power", help="Count every great power as a possible pole, not "
                                                   "only the global powers of Maoz (2010)."),
              db: Optional[Path] = DB):
    """Polarity among the great powers (COW major powers): effective number, Ray–Singer concentration, the leader's
    share and the runner-up's ratio of military spending, and the reading; the all-state numbers as diversity indices.

    The reading: a pole is a global power (Maoz 2010: the United States, the United Kingdom, the USSR to 1990;
    Russia a regional power from 1991) that spends at least 0.37 of the leader's military expenditure; one pole
    unipolar, two bipolar, three or more multipolar. The table ends with the reading per decade (the reading most
    of its years have, and the years that read otherwise). The USSR spends more of the US's in 1990 (0.44) than
    in 1989 (0.41), and Maoz codes it a global power through 1990: 1990 reads bipolar, 1991 unipolar."""
    from ..structure.polarity import POLE_RULE
    years = deprecated_years(years, _old_years(ctx), "a positional YEARS")
    try:
        df = api.poles(years, db=db, pole_rule=pole_rule, global_only=not any_great_power)
    except MultipolarError as e:
        _fail(e)
    if df.empty:
        _fail(MultipolarError("no capability or GDP data: import COW NMC, WDI or Maddison (`multipolar data import ../shared/data`)"))
    if emit(df, fmt, out, df.attrs.get("notes", [])):
        return
    rule = pole_rule if pole_rule is not None else POLE_RULE
    who = "any great power" if any_great_power else "a global power (Maoz 2010)"
    t = Table(title=f"Polarity among the great powers, by military spending (a pole: {who} spending at least {rule:.2f} of the leader)")
    for c in ("year", "reading", "poles", "N", "CON", "lead", "2nd", "3rd", "diversity"):
        t.add_column(c, justify="left" if c in ("reading", "poles") else "right", no_wrap=c != "poles",
                     min_width=4 if c not in ("reading", "poles") else None)
    import pandas as pd

    def f(v, fmt="{:.2f}"):
        return fmt.format(v) if pd.notna(v) else "–"
    for r in df.itertuples(index=False):
        t.add_row(str(r.year), r.reading if isinstance(r.reading, str) else "–", r.poles if isinstance(r.poles, str) else "–",
                  f(r.gp_effective_n), f(r.gp_concentration), f(r.gp_leader_share), f(r.runner_up_ratio), f(r.third_ratio),
                  f(r.enp_cinc, "{:.1f}"))
    console.print(t)
    console.print("N: effective number of great powers; CON: Ray–Singer concentration (0 equal, 1 one holds all); lead: the leader's "
                  "share of the great powers' spending; 2nd, 3rd: the runner-up's and the third's spending over the leader's; "
                  "diversity: Laakso–Taagepera over every state's CINC share (a diversity index, not a count of poles)",
                  soft_wrap=True, highlight=False)
    console.print("great powers (COW major powers): " + _spans(df["year"], df["great_powers"])
                  + (f"; the COW list ends in {int(df.loc[~df['great_powers_carried'], 'year'].max())}, carried after it"
                     if df["great_powers_carried"].any() and (~df["great_powers_carried"]).any() else ""),
                  soft_wrap=True, highlight=False)
    gl = df[df["global_powers"].notna()]
    if len(gl) and not any_great_power:
        console.print("global powers (Maoz 2010): " + _spans(gl["year"], gl["global_powers"])
                      + ("; Maoz's list ends in 2019, carried after it" if gl["global_powers_carried"].any() else ""),
                      soft_wrap=True, highlight=False)
    dec = df.attrs.get("decades") or []
    if dec:
        console.print("reading per decade: " + "; ".join(
            f"{r['decade']} {r['reading']} ({r['years_reading']} of {r['years_with_reading']} years"
            + (f"; otherwise {r['otherwise']}" if r["otherwise"] else "") + ")" for r in dec),
            soft_wrap=True, highlight=False)
    for n in df.attrs.get("notes", []):
        console.print(f"[yellow]note[/] {n}", soft_wrap=True, highlight=False)
    console.print("[dim]sources: COW major powers; Maoz (2010) global powers; COW National Material Capabilities (military expenditure, CINC); Maddison Project 2023 "
                  "(GDP, 2011 PPP$). Method: multipolar.structure.polarity (Ray & Singer 1973; Laakso & Taagepera 1979)[/]")


def triangle_cmd(a: str = typer.Argument(..., help="State A (name or code)."), b: str = typer.Argument(..., help="State B."),
                 c: str = typer.Argument(..., help="State C."),
                 years: Optional[str] = YEARS("1946 to the latest year with data"),
                 threshold: float = typer.Option(0.0, "--threshold", help="Closeness above which a relation without a decisive type is friendly."),
                 out: Optional[Path] = OUT, fmt: str = FORMAT, db: Optional[Path] = DB):
    """A strategic triangle per year: Dittmer type, pivot or pariah, balance, dated changes."""
    try:
        df = api.triangle(a, b, c, years, db=db, threshold=threshold)
    except MultipolarError as e:
        _fail(e)
    if df.empty:
        _fail(MultipolarError("no year in which all three relations are known"))
    if emit(api.with_parameters(df), fmt, out, df.attrs.get("notes", [])):
        return
    s = df.attrs["states"]
    t = Table(title=f"The {'–'.join(s)} triangle (+ friendly, − hostile, 0 neutral: the closeness interval spans {threshold:g}, "
                    "or its side hangs on one component)")
    for col in ("year", f"{s[0]}-{s[1]}", f"{s[0]}-{s[2]}", f"{s[1]}-{s[2]}", "type", "pivot / pariah / third", "share of draws",
                "balanced", "change"):
        t.add_column(col)
    import pandas as pd
    for _, r in df.iterrows():
        sg = [r[k] for k in df.columns[1:4]]
        t.add_row(str(r["year"]), *["+" if x > 0 else "−" if x < 0 else "0" for x in sg], r["type"], r["pivot_or_pariah"] or "",
                  f"{r['type_share']:.2f}" if pd.notna(r.get("type_share")) else "–",
                  "–" if r["balanced"] is None or pd.isna(r["balanced"]) else ("yes" if r["balanced"] else "no"),
                  "◀ changed" if r.get("changed") else "")
    console.print(t)
    ch = df[df["changed"]]
    if len(ch):
        console.print("changes: " + "; ".join(f"{r.year}: {r.type}{' (' + r.pivot_or_pariah + ')' if r.pivot_or_pariah else ''}" for r in ch.itertuples()),
                      highlight=False)
    for n in df.attrs.get("notes", []):
        console.print(f"[yellow]note[/] {n}", soft_wrap=True, highlight=False)
    console.print("[dim]signs from the relation types and the closeness intervals of `multipolar relation` (neutral when the 90% interval "
                  "spans the threshold, or when leaving out one of closeness's components puts it on the other side: OECD-JRC 2008); typology: Dittmer (1981), triangles with a neutral link named as signed graphs with that link "
                  "absent (Cartwright & Harary 1956); share of draws: the probability of the type from the links' intervals; "
                  "balance: Heider (1946)[/]")


def triangles_cmd(ctx: typer.Context,
                  years: Optional[str] = typer.Option(None, "--years", "-y", help="The year, e.g. 2023 (required)."),
                  top: int = typer.Option(20, "--top", help="How many triads to list."),
                  out: Optional[Path] = OUT, fmt: str = FORMAT, db: Optional[Path] = DB):
    """The most unbalanced triads among the major powers and the G20 in a year."""
    years = deprecated_years(years, _old_years(ctx), "a positional YEAR")
    try:
        bal, df = api.triangles(years, top=top, db=db)
    except MultipolarError as e:
        _fail(e)
    year = df.attrs["year"]
    if emit(df, fmt, out):
        return
    if len(bal):
        b = bal.iloc[0]
        console.print(f"structural balance in {year}: {b.balanced_share:.1%} of {int(b.triads):,} triads among {int(b.states)} states are balanced (Heider)")
    t = Table(title=f"Unbalanced triads in {year}, most tense first")
    for col in ("triad", "signs", "type", "pivot / pariah", "tension"):
        t.add_column(col)
    for r in df.itertuples(index=False):
        t.add_row(r.triad, r.signs, r.type, r.pivot_or_pariah or "", f"{r.tension:.3f}")
    console.print(t)


def blocs_cmd(ctx: typer.Context,
              years: Optional[str] = typer.Option(None, "--years", "-y", help="A year (2019) or years FIRST:LAST (required)."),
              method: str = typer.Option("ideal-points", "--method", "-m", help="ideal-points (the IMF split) or network (Leiden)."),
              draws: Optional[int] = typer.Option(None, "--draws", help="Draws: posterior or bootstrap replicates (default 200; "
                                                  "50 per year for network ranges; 100 with --robust)."),
              boot: Optional[int] = typer.Option(None, "--boot", hidden=True, help="Deprecated: --draws."),
              states: Optional[str] = typer.Option(None, "--states", "-s", help="With --compare: these states (comma-separated; "
                                                   "default 25 major states)."),
              tau: float = typer.Option(1 / 3, "--tau", help="Ideal-point split, --cut band: the share of the US-China half-span "
                                        "around the midpoint that counts as nonaligned."),
              cut: str = typer.Option("side", "--cut", help="Ideal-point split: band (nonaligned: the middle of the US-China span, "
                                      "--tau; the IMF style) or side (the side of the US-China midpoint; nonaligned: the states the "
                                      "posterior cannot place on one side)."),
              seed: int = typer.Option(0, "--seed"),
              out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write every state-year's probabilities (.parquet, .csv, .dta, .json)."),
              fmt: str = FORMAT,
              robust: bool = typer.Option(False, "--robust", help="Recompute the split under each issue area, the important votes "
                                          "and one- vs three-session windows: how often each state changes bloc, the range per "
                                          "year (with --method network: the network blocs too)."),
              compare: bool = typer.Option(False, "--compare", help="Both methods side by side for 25 major states, with "
                                           "their probabilities, and where they differ."),
              db: Optional[Path] = DB):
    """Each state's bloc, with the probability of that membership; the swing states.

    \b
    multipolar blocs --years 2021
    multipolar blocs --years 2021 --robust         (does the bloc depend on the votes counted?)
    multipolar blocs --years 2019 --compare        (ideal-point split vs network blocs, 25 major states)
    """
    fmt = check_format(fmt)
    years = deprecated_years(years, _old_years(ctx), "a positional YEARS")
    if years is None:
        _fail(UsageError("blocs: give the years, e.g. --years 2019 or --years 1991:2019"))
    if boot is not None:
        err.print("[yellow]note[/] --boot is deprecated: write --draws", highlight=False)
        draws = draws if draws is not None else boot
    if robust and compare:
        _fail(UsageError("--robust and --compare are two views: give one", hint="run the command twice"))
    if cut == "side" and abs(tau - 1 / 3) > 1e-9:
        _fail(UsageError("--tau sets the width of the fixed middle band of --cut band; the default --cut side has none",
                         hint=f"write --cut band --tau {tau:g}"))
    if states and not compare:
        _fail(UsageError("--states chooses the states of --compare", hint="add --compare"))
    if robust:
        return _blocs_robust(years, method, draws, tau, seed, out, db, cut, fmt)
    if compare:
        return _blocs_compare(years, draws, tau, seed, out, db, cut, fmt, states)
    try:
        summ, prob = api.blocs(years, method=method, db=db, draws=draws, seed=seed, tau=tau, cut=cut)
    except (MultipolarError, ValueError) as e:
        _fail(e)
    if emit(api.with_parameters(prob), fmt, out, summ.attrs.get("notes", [])):
        return
    last = summ["year"].max()
    s = summ[summ["year"] == last]
    t = Table(title=f"Blocs in {last} ({method}, {summ.attrs['draws']} bootstrap replicates, seed {seed})")
    for c in ("bloc", "states", "members (most likely bloc, probability ≥ 0.8)"):
        t.add_column(c, overflow="fold")
    for b, g in s.groupby("bloc"):
        sure = g[~g["swing"]].sort_values("code")
        t.add_row(b, str(len(g)), " ".join(sure["code"]))
    console.print(t)
    sw = s[s["swing"]].sort_values("probability")
    if len(sw):
        t2 = Table(title=f"Swing states in {last}: most likely bloc below 0.8")
        for c in ("state", "most likely", "p", "runner-up", "p "):
            t2.add_column(c)
        for r in sw.itertuples(index=False):
            t2.add_row(r.code, r.bloc, f"{r.probability:.2f}", str(r.runner_up), f"{r.runner_up_probability:.2f}")
        console.print(t2)
    if summ["year"].nunique() > 1:
        console.print(summ.groupby(["year", "bloc"]).size().unstack(fill_value=0).to_string())
    for n in summ.attrs.get("notes", []):
        console.print(f"[yellow]note[/] {n}", soft_wrap=True, highlight=False)


def _blocs_robust(years, method, draws, tau, seed, out, db, cut="side", fmt="table"):
    from ..structure.robustness import MAJOR_STATES, STABLE_SHARE
    try:
        st, yt, vt = api.bloc_robustness(years, db=db, network=method == "network", tau=tau, draws=draws or 100, seed=seed, cut=cut)
    except (MultipolarError, ValueError) as e:
        _fail(e)
    if emit(api.with_parameters(st), fmt, out, st.attrs.get("notes", [])):
        return
    net = method == "network"
    for y, v in vt.groupby("year"):
        t = Table(title=f"The votes counted, {y}: the ideal-point split under each variant (issue area / sessions in the window)")
        for c in ("variant", "roll calls", "US-leaning", "nonaligned", "China-leaning", *(["network blocs"] if net else []),
                  "values F", "note"):
            t.add_column(c, overflow="fold")
        for r in v.to_dict("records"):
            ok = r.get("states") == r.get("states") and r.get("states") is not None
            t.add_row(r["variant"], str(r["roll_calls"]), *([str(int(r[f"n_{b}"])) for b in ("US-leaning", "nonaligned", "China-leaning")]
                                                            if ok else ["–"] * 3),
                      *([str(int(r["network_blocs"])) if ok else "–"] if net else []),
                      f"{r['values_F']:.2f}" if ok and r["values_F"] == r["values_F"] else "–", str(r.get("note") or "") if not ok else "")
        console.print(t)
    t = Table(title="Per year: the range of outcomes across the variants")
    cols = ["year", "states", "variants", "change bloc in ≥1 variant", "bloc depends on the votes",
            "US-leaning (min-max)", "nonaligned (min-max)", "China-leaning (min-max)", "values F (min-max)"]
    for c in cols:
        t.add_column(c)
    for r in yt.to_dict("records"):
        rng_ = lambda b: f"{r[f'n_{b}']} ({r.get(f'n_{b}_min', '–')}-{r.get(f'n_{b}_max', '–')})"  # noqa: E731
        t.add_row(str(r["year"]), str(r["states"]), f"{r['variants']} (+{r['variants_without_estimate']} without)",
                  str(r["changing_states"]), str(r["depends_on_votes"]), rng_("US-leaning"), rng_("nonaligned"), rng_("China-leaning"),
                  f"{r['values_F']:.2f} ({r['values_F_min']:.2f}-{r['values_F_max']:.2f})")
    console.print(t)
    last = st[st["year"] == st["year"].max()]
    major = last[last["code"].isin(MAJOR_STATES)].set_index("code").reindex([c for c in MAJOR_STATES if c in set(last["code"])])
    t = Table(title=f"Major states in {int(st['year'].max())}: baseline bloc (p) and how often the variants put them elsewhere "
                    f"(! = the bloc depends on the votes counted: the baseline bloc in fewer than {STABLE_SHARE:.0%} of the variants)")
    for c in ("state", "bloc (p)", "changes", "blocs seen", *(["network bloc", "changes "] if net else [])):
        t.add_column(c, overflow="fold")
    for code, r in major.iterrows():
        t.add_row(("! " if r["depends_on_votes"] else "  ") + code, f"{r['bloc']} ({r['probability']:.2f})",
                  f"{int(r['n_changes'])} of {int(r['n_variants'])}", r["blocs_seen"],
                  *([("! " if r["network_depends_on_votes"] else "") + str(r["network_bloc"]),
                     f"{int(r['network_n_changes'])} of {int(r['network_n_variants'])}"] if net else []))
    console.print(t)
    dep = last[last["depends_on_votes"]].sort_values("share_same")
    console.print(f"{len(dep)} of {len(last)} states: the bloc depends on the votes counted: " + " ".join(dep["code"]), soft_wrap=True)
    for n in st.attrs.get("notes", []):
        console.print(f"[yellow]note[/] {n}", soft_wrap=True, highlight=False)


def _blocs_compare(years, draws, tau, seed, out, db, cut="side", fmt="table", states=None):
    try:
        df = api.compare_blocs(years, db=db, states=states, draws=draws, seed=seed, tau=tau, cut=cut)
    except (MultipolarError, ValueError) as e:
        _fail(e)
    if emit(df, fmt, out, df.attrs.get("notes", [])):
        return
    for y, g in df.groupby("year"):
        t = Table(title=f"Blocs of 25 major states in {y}: the ideal-point split (--cut {df.attrs.get('cut')}) vs the network "
                        "blocs (probability)")
        for c in ("state", "ideal-point split", "p", "network", "p ", "same side"):
            t.add_column(c)
        for r in g.to_dict("records"):
            same = r["same_side"]
            t.add_row(r["code"], str(r["ideal_points_bloc"] if r["ideal_points_bloc"] == r["ideal_points_bloc"] else "–"),
                      f"{r['ideal_points_p']:.2f}" if r["ideal_points_p"] == r["ideal_points_p"] else "",
                      str(r["network_bloc"] if r["network_bloc"] == r["network_bloc"] else "–"),
                      f"{r['network_p']:.2f}" if r["network_p"] == r["network_p"] else "",
                      "" if same is None else ("yes" if same else "[bold]no[/]"))
        console.print(t)
    if df["year"].nunique() > 1:
        diff = df[df["same_side"].eq(False)]
        console.print("differ (state: years): " + "; ".join(f"{c}: {', '.join(str(y) for y in sorted(g['year']))}"
                                                            for c, g in diff.groupby("code", sort=False)), soft_wrap=True)
    for n in df.attrs.get("notes", []):
        console.print(f"[yellow]note[/] {n}", soft_wrap=True, highlight=False)


def trends_cmd(years: Optional[str] = YEARS("from the first to the last year in which any process has data"),
               blocs_year: Optional[int] = typer.Option(None, "--blocs-year", help="The year whose blocs are held fixed (default: the last full UN session)."),
               method: str = typer.Option("ideal-points", "--method", "-m", help="How the fixed blocs are formed: ideal-points or network."),
               out: Optional[Path] = OUT, fmt: str = FORMAT,
               chart: Optional[Path] = typer.Option(None, "--chart", help="Write the chart as a standalone SVG file."),
               db: Optional[Path] = DB):
    """De-globalization along five processes: ties within blocs against across them, per year."""
    import pandas as pd
    try:
        sb = api.trends(years, db=db, blocs_year=blocs_year, method=method)
    except MultipolarError as e:
        _fail(e)
    if chart:
        err.print(f"wrote {api.trends_chart(sb, chart)}", highlight=False)
    if emit(api.with_parameters(sb), fmt, out, sb.attrs.get("notes", [])):
        return
    piv = sb.pivot(index="year", columns="process", values="fragmentation")[list(dict.fromkeys(sb["process"]))]
    t = Table(title=f"De-globalization along five processes: fragmentation F = 1 - across/within "
                    f"(blocs of {sb.attrs['blocs_year']}, {sb.attrs['method']}; – no data)")
    t.add_column("year")
    for c in piv.columns:
        t.add_column(c, justify="right")
    for y, r in piv.iterrows():
        t.add_row(str(y), *[("–" if pd.isna(v) else f"{v:+.2f}") for v in r])
    console.print(t)
    for proc, g in sb.groupby("process", sort=False):
        g = g.dropna(subset=["fragmentation"])
        if len(g) >= 2:
            a, b = g.iloc[0], g.iloc[-1]
            console.print(f"  {proc:<13} {int(a.year)} {a.fragmentation:+.2f} → {int(b.year)} {b.fragmentation:+.2f}  "
                          f"({'more divided' if b.fragmentation > a.fragmentation else 'less divided'}; {int(b.pairs_across):,} pairs across, "
                          f"{int(b.pairs_within):,} within in {int(b.year)})", highlight=False)
        else:
            console.print(f"  {proc:<13} too few years with data", highlight=False)
    for n in sb.attrs.get("notes", []):
        console.print(f"[yellow]note[/] {n}", soft_wrap=True, highlight=False)
