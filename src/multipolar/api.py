"""The Python face of multipolar: every CLI command is one call here."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .actors import groupings
from .actors.registry import State, registry
from .warehouse import ImportReport, Warehouse


def resolve(name_or_code, *, year: int | None = None, date: str | None = None, system: str | None = None) -> str:
    """The multipolar code of a state name, alias or code (ISO3, ISO2, COW, GW), at a date.

    >>> resolve("Kremlin"), resolve(365, year=1980), resolve("Czechoslovakia")
    ('RUS', 'SUN', 'CSK')
    """
    return registry().resolve(name_or_code, year=year, date=date, system=system)


def actor(name_or_code, *, year: int | None = None) -> dict:
    """A state's profile: names, codes in every system, dates, succession and memberships."""
    reg = registry()
    st: State = reg.get(reg.resolve(name_or_code, year=year))
    d = st.to_dict()
    ms = groupings.membership_table(code=st.code)
    d["memberships"] = ms[["org", "status", "start", "end", "note", "source"]].to_dict("records")
    return d


def actors(year: int | None = None) -> pd.DataFrame:
    """All states (one row per spell), or the system members of ``year``."""
    df = registry().to_frame()
    if year is not None:
        codes = set(registry().system_members(year))
        df = df[df["code"].isin(codes) & df["system_member"]]
        df = df[(df["start"] <= f"{year}-12-31") & (df["end"].fillna("9999") >= f"{year}-01-01")]
    return df.reset_index(drop=True)


def members(group: str, year: int | None = None, *, date: str | None = None, status=("member",)) -> list[str]:
    """Codes of a grouping's members in a year (any day of it) or on a date; default today."""
    return groupings.members(group, year, date=date, status=status)


def import_data(*paths, source: str | None = None, force: bool = False, replace: bool = False, db=None,
                jobs: int | None = None) -> list[ImportReport]:
    """Import files or folders into the warehouse (``multipolar data import``; ``replace``: ``--replace``)."""
    w = Warehouse(db)
    out: list[ImportReport] = []
    for p in paths:
        out += w.import_path(Path(p), source=source, force=force, replace=replace, jobs=jobs)
    return out


def status(db=None, all_imports: bool = False) -> pd.DataFrame:
    """What the warehouse holds: one row per current import (``multipolar data status``)."""
    return Warehouse(db).status(all_imports=all_imports)


def list_sources() -> pd.DataFrame:
    """The readers: short name (for --source), title, citation, licence, tables."""
    from .sources import readers
    return pd.DataFrame([{"source": r.name, "title": r.title, "tables": ", ".join(r.keys), "license": r.license, "citation": r.citation}
                         for r in readers().values()])


def write_report(out: str | Path = "multipolar-report.html", *, db=None, years=None, focus: str = "RUS",
                 triangle=("USA", "RUS", "CHN"), n_boot: int = 100, progress=None) -> Path:
    """Write the offline HTML report (``multipolar report``): blocs, poles, the triangle, the focus
    state's partners, de-globalization, movers, data and coverage."""
    from .report import build_report
    return build_report(Path(out), db, years=years, focus=focus, triangle=triangle, n_boot=n_boot, progress=progress)


def ideal_points(years=None, *, db=None, store: bool | None = None, refit: bool = True, run: str | None = None,
                 votes=None, **params) -> pd.DataFrame:
    """Dynamic ordinal ideal points per state-year (``multipolar idealpoints``).

    ``refit=False`` returns stored results when there are any (the current run, or the run ``run``;
    the embedded snapshot's when the warehouse has none); otherwise the model is fitted on the
    warehouse's UN votes. A fit is stored as a run and never replaces another
    (:mod:`multipolar.dimensions.values`): ``store=None`` (default) makes it current only when it is
    the default fit (every year, default parameters) or the warehouse's first; ``store=True`` makes it
    current; ``store=False`` stores nothing. Columns: code, year, ideal_point, se, lo, hi, n_votes;
    ``attrs["run"]``: the run's parameters (run_id, years, created, current).

    ``votes``: the roll calls counted: ``"issue=hr"`` (an issue area: me, nu, di, hr, co, ec; several
    with commas), ``"important"`` (the State Department's important votes), ``"rcid=FILE"`` (a list);
    default every roll call (:mod:`multipolar.dimensions.selection`). A restricted fit is a run of its
    own, not the current one unless ``store=True``; ``attrs["notes"]`` says what the selection kept and
    which roll calls it could not classify (the UN Digital Library's carry no issue tags).
    """
    from .dimensions import values
    w = Warehouse(db)
    rng = values.parse_years(years)
    if not refit:
        df = stored_ideal_points(db, run=run)
        if df is not None:
            return _years(df, rng)
    r = values.estimate(w, years, store=store, selection=votes, **params)
    out = r.ideal_points
    out.attrs["run"] = dict(r.meta)
    out.attrs["notes"] = [values.describe_run(r.meta, f"the warehouse {w.path}") if r.meta.get("stored")
                          else f"ideal points: run {r.meta['run_id']} (years {r.meta['years']}), not stored"]
    out.attrs["notes"] += json.loads(r.meta.get("votes_notes") or "[]")
    return out


def _years(df: pd.DataFrame, rng) -> pd.DataFrame:
    if rng is None:
        return df
    out = df[df["year"].between(*rng)].reset_index(drop=True)
    out.attrs = dict(df.attrs)
    return out


from .dimensions.values import stored_ideal_points  # noqa: E402  (the API offers it as it is)


def ideal_point_runs(db=None) -> pd.DataFrame:
    """Every stored ideal-point run, oldest first, with ``current`` marking the one readers use (``multipolar idealpoints runs``)."""
    from .dimensions import values
    return values.runs(Warehouse(db))


def use_ideal_points_run(run: str, db=None) -> dict:
    """Make a stored run the current one (``multipolar idealpoints use RUN``); returns its row."""
    from .dimensions import values
    return values.use_run(Warehouse(db), run)


def vote_agreement(years=None, *, db=None, votes=None) -> pd.DataFrame:
    """Vote agreement per undirected dyad-year (share identical, Cohen's kappa, Scott's pi, n common
    votes): the current run's (``attrs["notes"]`` names it), else computed from the UN votes.
    ``votes``: over a selection of roll calls only (``"issue=hr"``, ``"important"``, ``"rcid=FILE"``;
    see :func:`ideal_points`), computed from the votes now."""
    from .dimensions import selection, values
    w = Warehouse(db)
    rng = values.parse_years(years)
    sel = selection.parse(votes)
    if sel.kind != "all":
        v, rc = values.load_votes(w, years, sel)
        df = values.vote_agreement(v).reset_index(drop=True)
        df.attrs["notes"] = [f"vote agreement: computed now over {sel.label} ({sel.spec})"] + list(rc.attrs.get("notes", []))
        return df
    if w.path.exists() and w.has("vote_agreement"):
        df = w.table("vote_agreement", where=f"year BETWEEN {rng[0]} AND {rng[1]}" if rng else None)
        run = values.current_run(w)
        df = df.reset_index(drop=True)
        df.attrs["run"] = run
        df.attrs["notes"] = [values.describe_run(run, f"the warehouse {w.path}").replace("ideal points:", "vote agreement:")]
        return df
    votes, _ = values.load_votes(w, years)
    df = values.vote_agreement(votes).reset_index(drop=True)
    df.attrs["notes"] = ["vote agreement: computed now from the UN votes (no stored run)"]
    return df


def bloc_robustness(years, *, db=None, network: bool = False, tau: float = 1 / 3, n_boot: int = 100, seed: int = 0,
                    cut: str = "side"):
    """How much each state's bloc and the values process depend on the votes counted
    (``multipolar blocs YEARS --robust``): the bloc split recomputed under each issue area, the
    important votes, and one- versus three-session windows (:mod:`multipolar.structure.robustness`).
    Returns (states, years, variants); ``states["depends_on_votes"]`` marks a state whose bloc
    depends on the votes counted."""
    from .structure.robustness import robustness
    return robustness(years, db=db, network=network, tau=tau, n_boot=n_boot, seed=seed, cut=cut)


def compare_blocs(years, *, db=None, states=None, n_boot: int | None = None, seed: int = 0, tau: float = 1 / 3,
                  cut: str = "side") -> pd.DataFrame:
    """The ideal-point split and the network blocs side by side for the major states
    (``multipolar blocs YEARS --compare``), with each method's probability and whether they agree."""
    from .structure.robustness import compare_methods
    codes = [registry().resolve(s) for s in states] if states else None
    return compare_methods(years, db=db, states=codes, n_boot=n_boot, seed=seed, tau=tau, cut=cut)


def compare_ideal_points(a: str = "multipolar", b: str = "published", *, db=None, years=None):
    """Correlate two sets of estimates per year and overall (``multipolar idealpoints compare``)."""
    from .dimensions import values
    w = Warehouse(db)
    da, na = values.read_estimates(a, w)
    db_, nb = values.read_estimates(b, w)
    rng = values.parse_years(years)
    if rng:
        da, db_ = da[da["year"].between(*rng)], db_[db_["year"].between(*rng)]
    return values.compare_estimates(da, db_, names=(na, nb))


def dyads(years=None, states=None, *, db=None, carry=None):
    """The directed dyad-year table, to be extended with ``.add_values()``, ``.add_people()``, ...
    (``multipolar dyads``). ``carry``: sources to repeat past their last year, flagged (never by
    default; see :data:`multipolar.dimensions.dyads.CARRIABLE`). See :mod:`multipolar.dimensions.dyads`."""
    from .relations import Dyads
    from .warehouse import retry_locked
    from .years import clip, data_coverage, span
    rng, note = clip(years, data_coverage(db), "dyads")      # only the years the data hold
    d = retry_locked(Dyads, years=span(rng), states=states, db=db, carry=carry, db_path=Warehouse(db).path)
    if note:
        d.notes.insert(0, note)
    return d


def relation(a: str, b: str, years=None, *, db=None) -> pd.DataFrame:
    """The profile of A's relation to B per year: every dimension, closeness, dependence both ways,
    the type and the evidence that set it (``multipolar relation A B``)."""
    from .relations import Dyads
    from .actors.registry import SERIES_PREDECESSORS as extra
    reg = registry()
    codes = {reg.resolve(a), reg.resolve(b)}
    # historical predecessors keep their own codes: the USSR for Russia, the Federal Republic for Germany
    codes |= {extra[c] for c in list(codes) if c in extra}
    from .warehouse import retry_locked
    from .years import clip, data_coverage, span
    rng, note = clip(years, data_coverage(db), "relation")   # only the years the data hold
    d = retry_locked(Dyads, years=span(rng), states=sorted(codes), db=db, db_path=Warehouse(db).path).add_all().add_relation()
    df = d.to_pandas()
    ca, cb = reg.resolve(a), reg.resolve(b)
    sa, sb = {ca, extra.get(ca, ca)}, {cb, extra.get(cb, cb)}
    out = df[df["code_a"].isin(sa) & df["code_b"].isin(sb)].sort_values("year").reset_index(drop=True)
    from .relations import chained
    # the series over time: chained over the components each pair of consecutive years has, so that a
    # component entering or leaving the data (visas from 2019, the last UN session) does not move it
    out["closeness_chained"] = chained(out).to_numpy() if len(out) else []
    out.attrs["notes"] = ([note] if note else []) + list(d.notes)
    out.attrs["years"] = span(rng)
    return out


def build_snapshot(shared=None, out=None):
    """Rebuild the embedded snapshot from the folder of public data ``shared`` (``multipolar snapshot build``); see
    :mod:`multipolar.pipeline`. Returns the folder written."""
    from .pipeline import build_snapshot as build
    return build(shared, out)


def import_events(*paths, db=None, lake=None, force: bool = False):
    """Event files (GDELT 1.0/2.0 exports and mentions, ICEWS, POLECAT, Phoenix; zipped or not) into the event lake and
    the dyad-month aggregates (:mod:`multipolar.events`). One report per file."""
    from . import events
    return events.import_events(paths, db=db, lake=lake, force=force)


def event_series(freq: str = "month", *, engine: str = "duckdb", master: str = "local[*]", db=None, lake=None, store: bool = True) -> pd.DataFrame:
    """Every dyad-month (or dyad-year) from the event lake, on DuckDB or Spark (``engine='spark'``, ``master``)."""
    from . import events
    return events.aggregate(db=db, lake=lake, engine=engine, master=master, freq=freq, store=store)


def event_dyad(a: str, b: str, years=None, *, db=None, freq: str = "month"):
    """One pair's event series, both directions: (DataFrame, notes)."""
    from . import events
    return events.dyad(a, b, years, db=db, freq=freq)


def read(text: str, *, date: str | None = None, title: str | None = None):
    """Read a text (``multipolar read``): its sentences, actors (resolved by the text's date), events
    coded to CAMEO and PLOVER, and claims, unchecked. ``date``: the publication date (YYYY-MM-DD)
    when the text has no ``Date:`` line. Returns a :class:`multipolar.text.Document`."""
    from .text import read as _read
    return _read(text, date=date, title=title)


def check(text, *, date: str | None = None, db=None):
    """Read a text and check each claim against the warehouse (``multipolar check``): every claim gets
    ``check`` = verdict (supported / contradicted / not checkable), query, evidence, citations, reason.
    ``text``: a string, a :class:`multipolar.text.Document`, or a list of either."""
    from .text import Document, check_documents
    from .text import read as _read
    many = isinstance(text, (list, tuple))
    docs = [t if isinstance(t, Document) else _read(t, date=date) for t in (text if many else [text])]
    check_documents(docs, db=db)
    return docs if many else docs[0]
