"""The Python face of multipolar: every CLI command is one call here."""
from __future__ import annotations

import json
from pathlib import Path

from .actors import groupings
from .actors.registry import State, registry
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from .warehouse import ImportReport


def _warehouse(db=None):
    # the warehouse, its module imported when first used: `multipolar actors` needs no DuckDB
    from .warehouse import Warehouse as W
    return W(db)


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
    d["memberships"] = [{k: m[k] for k in ("org", "status", "start", "end", "note", "source")} for m in groupings.memberships_of(st.code)]
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
                jobs: int | None = None, progress=None) -> list[ImportReport]:
    """Import files or folders into the warehouse (``multipolar data import``; ``replace``: ``--replace``).
    ``progress(file, report)`` is called after each file. A path that does not exist is an :class:`InputError`."""
    from .errors import InputError
    w = _warehouse(db)
    for p in paths:
        if not Path(p).exists():
            raise InputError("no such file or folder", file=str(p), hint="check the path")
    out: list[ImportReport] = []
    for p in paths:
        out += w.import_path(Path(p), source=source, force=force, replace=replace, jobs=jobs, progress=progress)
    return out


def warehouse_path(db=None) -> Path:
    """The warehouse file a command uses: ``db``, else ``$MULTIPOLAR_DB``, else the user data directory's."""
    return _warehouse(db).path


def imported_since(when, db=None) -> list[str]:
    """The files whose import committed at or after ``when`` (a datetime), in order: what an interrupted
    ``multipolar data import`` kept."""
    return _warehouse(db).query("SELECT file_name FROM _imports WHERE imported_at >= ? ORDER BY import_id", [when])["file_name"].tolist()


def vote_match_report(db=None) -> str | None:
    """One line on how the UN Digital Library's roll calls matched the unvotes ones after an import of either (or None)."""
    from .sources.undl import match_report
    return match_report(_warehouse(db))


#: files inside a folder that are not data (skipping them is fine): licences, descriptions, READMEs, documentation, maps
NOT_DATA_NAMES = ("license", "licence", "readme", "description", "copyright", "copying", "notice", "citation", "changelog", "news")
NOT_DATA_SUFFIXES = (".md", ".txt", ".rd", ".json", ".geojson", ".topojson", ".html", ".pdf", ".bib", ".yaml", ".yml")


def data_files(paths) -> list[Path]:
    """The files ``multipolar data import PATHS`` looks at: a file as named, a folder's files recursively (hidden ones
    left out), in order."""
    files: list[Path] = []
    for p in map(Path, paths):
        files += sorted(x for x in p.rglob("*") if x.is_file() and not x.name.startswith(".")) if p.is_dir() else [p]
    return files


def not_data(file) -> bool:
    """Whether a file inside a folder is documentation rather than data (a licence, README, description, map): skipping
    it is expected, not a problem."""
    n = Path(file).name.lower()
    return n.startswith(NOT_DATA_NAMES) or n.endswith(NOT_DATA_SUFFIXES) or "." not in n


def read_files(path, *, date: str | None = None, years=None, progress=None) -> list:
    """Read a text file (.txt, .md, .html, .pdf) or every such file in a folder (``multipolar read PATH``): a list of
    :class:`multipolar.text.Document`. ``date``: the publication date when a text has no ``Date:`` line; ``years``:
    keep only the claims about those years and the events dated in them (each document's notes say how many were
    left out); ``progress()`` is called after each file."""
    from .errors import InputError
    from .text.read import load_file, read as _read
    path = Path(path)
    if path.is_dir():
        files = sorted(f for f in path.rglob("*") if f.suffix.lower() in (".txt", ".md", ".html", ".htm", ".pdf"))
        if not files:
            raise InputError("no .txt, .md, .html or .pdf file in the folder", file=str(path), expected="texts to read",
                             hint="check the folder")
    else:
        files = [path]
    docs = []
    for f in files:
        t, d = load_file(f)
        docs.append(_read(t, date=date or d, title=f.stem, path=str(f)))
        if progress:
            progress()
    from .years import parse_years
    rng = parse_years(years)
    if rng:
        for doc in docs:
            _within_years(doc, rng)
    return docs


def _within_years(doc, rng) -> None:
    """Keep the document's claims about a year in ``rng`` and its events dated in ``rng``; a note counts the rest."""
    def inside(ys) -> bool:
        return any(rng[0] <= int(y) <= rng[1] for y in ys)
    claims = [c for c in doc.claims if inside(c.years)]
    events = [e for e in doc.events if e.date and inside([str(e.date)[:4]])]
    left = (len(doc.claims) - len(claims), len(doc.events) - len(events))
    if any(left):
        doc.notes.append(f"--years {rng[0]}:{rng[1]}: left out {left[0]} claims and {left[1]} events about other years "
                         "(or without a year)")
    doc.claims[:], doc.events[:] = claims, events


def claims_table(docs) -> pd.DataFrame:
    """One row per claim of the documents ``docs`` (read or checked): the document, the claim's text, kind, states,
    years, measure or relation, value, and — once checked — the verdict and its reason."""
    rows = []
    for d in docs:
        for c in d.claims:
            ck = c.check or {}
            rows.append({"document": d.path or d.title, "date": d.date, "id": c.id, "text": c.text, "kind": c.kind,
                         "states": ",".join(c.states), "years": ",".join(map(str, c.years)), "measure": c.measure,
                         "relation": c.relation, "value": c.value, "unit": c.unit, "verdict": ck.get("verdict"),
                         "reason": ck.get("reason")})
    import pandas as pd
    return pd.DataFrame(rows, columns=["document", "date", "id", "text", "kind", "states", "years", "measure", "relation", "value",
                                       "unit", "verdict", "reason"])


def write_documents(docs, out=None) -> None:
    """The documents as a JSON list, written one at a time (a folder of texts is not held twice in memory): to the
    file ``out``, or to standard output."""
    import sys
    f = Path(out).open("w", encoding="utf-8") if out else sys.stdout
    try:
        f.write("[")
        for i, d in enumerate(docs):
            f.write(("," if i else "") + "\n" + json.dumps(d.to_dict(), ensure_ascii=False, default=str))
        f.write("\n]\n")
    finally:
        if out:
            f.close()


def write_checked_html(docs, out) -> Path:
    """The checked texts as one HTML page, each claim marked with its verdict and evidence (``multipolar check --out
    FILE.html``)."""
    from .text.html import write_html
    write_html(docs, Path(out))
    return Path(out)


def write_text_events(docs, out) -> dict:
    """The texts' events as an event file in the Phoenix layout (``multipolar read --events-out FILE``), which
    ``multipolar events import FILE`` takes into the lake. An event without a day is not written, and counted; no
    Goldstein score is guessed. Returns ``{"path", "written", "skipped": {reason: n}}``."""
    from .text.eventfile import write_events
    return write_events(docs, Path(out))


def check_files(path, *, date: str | None = None, years=None, db=None, progress=None):
    """Read the texts at ``path`` (:func:`read_files`; ``years``: only the claims about those years) and check every
    claim against the warehouse (``multipolar check PATH``): (the documents, the check's summary with its notes)."""
    from .text import check_documents
    docs = read_files(path, date=date, years=years, progress=progress)
    return docs, check_documents(docs, db=db)


def status(db=None, all_imports: bool = False, years=None) -> pd.DataFrame:
    """What the warehouse holds: one row per current import (``multipolar data status``); ``years``: only the imports
    whose data overlap them (static tables, without years, are kept)."""
    from .years import parse_years
    df = _warehouse(db).status(all_imports=all_imports)
    rng = parse_years(years)
    if rng is not None and len(df):
        keep = df["year_min"].isna() | ((df["year_min"] <= rng[1]) & (df["year_max"] >= rng[0]))
        df = df[keep].reset_index(drop=True)
    return df


def list_sources() -> pd.DataFrame:
    """The readers: short name (for --source), title, citation, licence, tables."""
    from .sources import readers
    import pandas as pd
    return pd.DataFrame([{"source": r.name, "title": r.title, "tables": ", ".join(r.keys), "license": r.license, "citation": r.citation}
                         for r in readers().values()])


def write_report(out: str | Path = "multipolar-report.html", *, db=None, years=None, focus: str = "RUS",
                 triangle=("USA", "RUS", "CHN"), draws: int = 100, progress=None, n_boot: int | None = None) -> Path:
    """Write the offline HTML report (``multipolar report``): blocs, poles, the triangle, the focus
    state's partners, de-globalization, movers, data and coverage. ``draws``: posterior draws for the bloc
    probabilities (``n_boot``: its old name)."""
    from .report import build_report
    return build_report(Path(out), db, years=years, focus=focus, triangle=triangle, draws=n_boot or draws, progress=progress)


def ideal_points(years=None, *, db=None, store: bool | None = None, refit: bool | None = None, run: str | None = None,
                 votes=None, states=None, progress=None, **params) -> pd.DataFrame:
    """Dynamic ordinal ideal points per state-year (``multipolar idealpoints``).

    ``refit=False`` returns stored results when there are any (the current run, or the run ``run``;
    the embedded snapshot's when the warehouse has none); otherwise the model is fitted on the
    warehouse's UN votes. ``refit=None`` (default): stored results when ``run`` or ``states`` is given, else a fit. A fit is stored as a run and never replaces another
    (:mod:`multipolar.dimensions.values`): ``store=None`` (default) makes it current only when it is
    the default fit (every year, default parameters) or the warehouse's first; ``store=True`` makes it
    current; ``store=False`` stores nothing. Columns: code, year, ideal_point, se, lo, hi, n_votes;
    ``attrs["run"]``: the run's parameters (run_id, years, created, current).

    ``votes``: the roll calls counted: ``"issue=hr"`` (an issue area: me, nu, di, hr, co, ec; several
    with commas), ``"important"`` (the State Department's important votes), ``"rcid=FILE"`` (a list);
    default every roll call (:mod:`multipolar.dimensions.selection`). A restricted fit is a run of its
    own, not the current one unless ``store=True``; ``attrs["notes"]`` says what the selection kept and
    which roll calls it could not classify (the UN Digital Library's carry no issue tags).

    ``states``: only these states (``"RUS,CHN"`` or a list). ``attrs["fitted"]``: whether the points were fitted now
    (then ``attrs["run"]`` holds the fit's summary: states, votes, iterations, seconds, stored, current).
    ``progress(message)`` follows a fit.
    """
    from .dimensions import values
    w = _warehouse(db)
    rng = values.parse_years(years)
    codes = _states(states)
    if refit is None:
        refit = run is None and not codes
    if not refit:
        df = stored_ideal_points(db, run=run)
        if df is not None:
            df = _years(df, rng)
            df.attrs["fitted"] = False
            return _only(df, codes)
    r = values.estimate(w, years, store=store, selection=votes, progress=progress, **params)
    out = r.ideal_points
    out.attrs["fitted"] = True
    out.attrs["run"] = dict(r.meta)
    out.attrs["notes"] = [values.describe_run(r.meta, f"the warehouse {w.path}") if r.meta.get("stored")
                          else f"ideal points: run {r.meta['run_id']} (years {r.meta['years']}), not stored"]
    out.attrs["notes"] += json.loads(r.meta.get("votes_notes") or "[]")
    return _only(out, codes)


def _only(df: pd.DataFrame, codes) -> pd.DataFrame:
    """The rows of ``codes`` (all when None), attrs kept."""
    if not codes:
        return df
    out = df[df["code"].isin(codes)].reset_index(drop=True)
    out.attrs = dict(df.attrs)
    return out


def _years(df: pd.DataFrame, rng) -> pd.DataFrame:
    if rng is None:
        return df
    out = df[df["year"].between(*rng)].reset_index(drop=True)
    out.attrs = dict(df.attrs)
    return out


def stored_ideal_points(db=None, run: str | None = None) -> pd.DataFrame | None:
    """The stored ideal points: the warehouse's current run (or the run ``run``: its id or a unique beginning of it),
    else the embedded snapshot's, else None (:func:`multipolar.dimensions.values.stored_ideal_points`)."""
    from .dimensions.values import stored_ideal_points as stored
    return stored(db, run=run)


def ideal_point_runs(db=None) -> pd.DataFrame:
    """Every stored ideal-point run, oldest first, with ``current`` marking the one readers use (``multipolar idealpoints runs``)."""
    from .dimensions import values
    return values.runs(_warehouse(db))


def use_ideal_points_run(run: str, db=None) -> dict:
    """Make a stored run the current one (``multipolar idealpoints use RUN``); returns its row."""
    from .dimensions import values
    return values.use_run(_warehouse(db), run)


def un_votes(years=None, *, db=None, votes=None) -> pd.DataFrame:
    """The recorded UN General Assembly votes the ideal points are fitted on, one row per state and roll call:
    ``state``, ``year``, ``rcid``, ``item`` (roll calls on the same resolution bridged across years) and ``vote``
    (1 no, 2 abstain, 3 yes; absences are not rows). ``votes``: a selection of roll calls as in :func:`ideal_points`.
    The input of :class:`~multipolar.dimensions.idealpoints.DynamicOrdinalIdealPoints`."""
    from .dimensions import selection, values
    v, _ = values.load_votes(_warehouse(db), years, selection.parse(votes))
    return v[["state", "year", "rcid", "item", "vote"]].reset_index(drop=True)


def vote_agreement(years=None, *, db=None, votes=None) -> pd.DataFrame:
    """Vote agreement per undirected dyad-year (share identical, Cohen's kappa, Scott's pi, n common
    votes): the current run's (``attrs["notes"]`` names it), else computed from the UN votes.
    ``votes``: over a selection of roll calls only (``"issue=hr"``, ``"important"``, ``"rcid=FILE"``;
    see :func:`ideal_points`), computed from the votes now."""
    from .dimensions import selection, values
    w = _warehouse(db)
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


def bloc_robustness(years, *, db=None, network: bool = False, tau: float = 1 / 3, draws: int = 100, seed: int = 0,
                    cut: str = "side"):
    """How much each state's bloc and the values process depend on the votes counted
    (``multipolar blocs YEARS --robust``): the bloc split recomputed under each issue area, the
    important votes, and one- versus three-session windows (:mod:`multipolar.structure.robustness`).
    Returns (states, years, variants); ``states["depends_on_votes"]`` marks a state whose bloc
    depends on the votes counted. ``draws``: posterior draws per variant."""
    from .structure.robustness import robustness
    return robustness(years, db=db, network=network, tau=tau, draws=draws, seed=seed, cut=cut)


def compare_blocs(years, *, db=None, states=None, draws: int | None = None, seed: int = 0, tau: float = 1 / 3,
                  cut: str = "side") -> pd.DataFrame:
    """The ideal-point split and the network blocs side by side for the major states, or ``states`` (``"RUS,CHN"`` or
    a list; ``multipolar blocs --years YEARS --compare``), with each method's probability and whether they agree."""
    from .structure.robustness import compare_methods
    return compare_methods(years, db=db, states=_states(states), draws=draws, seed=seed, tau=tau, cut=cut)


def compare_ideal_points(a: str = "multipolar", b: str = "published", *, db=None, years=None):
    """Correlate two sets of estimates per year and overall (``multipolar idealpoints compare``)."""
    from .dimensions import values
    w = _warehouse(db)
    da, na = values.read_estimates(a, w)
    db_, nb = values.read_estimates(b, w)
    rng = values.parse_years(years)
    if rng:
        da, db_ = da[da["year"].between(*rng)], db_[db_["year"].between(*rng)]
    return values.compare_estimates(da, db_, names=(na, nb))


#: the steps that give the dyad table every dimension and then the relation (``multipolar dyads``), in order
DYAD_STEPS = ("add_values", "add_people", "add_economy", "add_institutions", "add_interaction", "add_security", "add_power",
              "add_relation")


def dyads(years=None, states=None, *, db=None, carry=None, full: bool = False, progress=None):
    """The directed dyad-year table, to be extended with ``.add_values()``, ``.add_people()``, ...
    (``multipolar dyads``). ``carry``: sources to repeat past their last year, flagged (never by
    default; see :data:`multipolar.dimensions.dyads.CARRIABLE`). ``full=True``: with every dimension and the
    relation already added (:data:`DYAD_STEPS`; ``progress(step)`` is called before each). ``states``: ``"RUS,CHN"``
    or a list. See :mod:`multipolar.dimensions.dyads`."""
    from .relations import Dyads
    from .warehouse import retry_locked
    from .years import clip, data_coverage, span
    rng, note = clip(years, data_coverage(db), "dyads")      # only the years the data hold
    d = retry_locked(Dyads, years=span(rng), states=states, db=db, carry=carry, db_path=_warehouse(db).path)
    if note:
        d.notes.insert(0, note)
    if full:
        for step in DYAD_STEPS:
            if progress:
                progress(step)
            getattr(d, step)()
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
    d = retry_locked(Dyads, years=span(rng), states=sorted(codes), db=db, db_path=_warehouse(db).path).add_all().add_relation()
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


def is_loopback(host: str) -> bool:
    """Whether ``host`` reaches this machine only (127.0.0.1, localhost, ::1): else the dashboard is open to others."""
    from .web.server import LOOPBACK_HOSTS
    return host.strip("[]") in LOOPBACK_HOSTS


def serve(host: str = "127.0.0.1", port: int = 8000, *, db=None, allow_hosts=(), say=None) -> None:
    """Run the local dashboard until interrupted (``multipolar serve``); ``say(url, basis)`` is called once it listens
    (``basis``: the warehouse it reads, or the embedded snapshot when there is none)."""
    from .web.server import serve as run
    path = _warehouse(db).path
    basis = f"the warehouse {path}" if path.exists() else f"the embedded snapshot (no warehouse at {path})"
    run(host, port, db, tuple(allow_hosts), say=(lambda url: say(url, basis)) if say else
        (lambda url: print(f"multipolar dashboard on {url} ({basis})")))


def build_snapshot(shared=None, out=None):
    """Rebuild the embedded snapshot from the folder of public data ``shared`` (``multipolar snapshot build``); see
    :mod:`multipolar.pipeline`. Returns the folder written."""
    from .pipeline import build_snapshot as build
    return build(shared, out)


def import_events(*paths, db=None, lake=None, force: bool = False, progress=None):
    """Event files (GDELT 1.0/2.0 exports and mentions, ICEWS, POLECAT, Phoenix; zipped or not) into the event lake and
    the dyad-month aggregates (:mod:`multipolar.events`; ``multipolar events import``). One report per file;
    ``progress(line)`` follows the work."""
    from . import events
    return events.import_events(paths, db=db, lake=lake, force=force, progress=progress)


def migrate_events(*, db=None, lake=None) -> str:
    """Rewrite an event lake of an older layout in the current one (``multipolar events migrate``; every record is
    kept). Returns what was done."""
    from . import events
    return events.migrate(db=db, lake=lake)


def event_series(freq: str = "month", *, engine: str = "duckdb", master: str = "local[*]", db=None, lake=None, store: bool = True,
                 years=None) -> pd.DataFrame:
    """Every dyad-month (or dyad-year) from the event lake, on DuckDB or Spark (``engine='spark'``, ``master``;
    ``multipolar events aggregate``). ``store``: keep the dyad-months in the warehouse (every year); ``years``: return
    only these years."""
    from . import events
    from .years import parse_years
    df = events.aggregate(db=db, lake=lake, engine=engine, master=master, freq=freq, store=store)
    rng = parse_years(years)
    if rng is not None:
        attrs = dict(df.attrs)
        df = df[df["year"].between(*rng)].reset_index(drop=True)
        df.attrs = attrs
    return df


def event_dyad(a: str, b: str, years=None, *, db=None, freq: str = "month"):
    """One pair's event series, both directions (``multipolar events dyad A B``): (DataFrame, notes)."""
    from . import events
    from .years import parse_years
    rng = parse_years(years)              # the one parser: a malformed --years is a usage error
    return events.dyad(a, b, None if rng is None else f"{rng[0]}:{rng[1]}", db=db, freq=freq)


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


# --- one writer -------------------------------------------------------------------------------------------

#: the file formats ``--out`` (and :func:`write`) know, by suffix
OUT_FORMATS = (".parquet", ".csv", ".dta", ".json")


def write(df: pd.DataFrame, out: str | Path) -> Path:
    """Write a table to ``out``; the format follows the suffix: .parquet, .csv, .dta (Stata 118) or .json (a list of
    records). Every command's ``--out`` goes through here. Another suffix is a :class:`~multipolar.errors.UsageError`."""
    from .errors import UsageError
    out = Path(out)
    suf = out.suffix.lower()
    if suf not in OUT_FORMATS:
        raise UsageError(f"--out {out}: unknown format {suf or '(no suffix)'!r}", expected=", ".join(OUT_FORMATS),
                         hint="name the file with one of these suffixes")
    import pandas as pd
    if not isinstance(df, pd.DataFrame) and hasattr(df, "to_pandas"):      # a dyad table: written by DuckDB, labelled for Stata
        if suf != ".json":
            return df.write(out)
        df = df.to_pandas()
    out.parent.mkdir(parents=True, exist_ok=True)
    if suf == ".parquet":
        df.to_parquet(out, index=False)
    elif suf == ".csv":
        df.to_csv(out, index=False)
    elif suf == ".dta":
        from .dimensions.dyads.frame import stata_name
        from .stata import write_dta
        write_dta(df, out, short=stata_name)
    else:
        out.write_text(df.to_json(orient="records", date_format="iso", force_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out


def _states(states) -> list[str] | None:
    """``"RUS,CHN"``, ``["RUS", "China"]`` or None -> resolved codes (or None)."""
    if states is None or states == "" or states == []:
        return None
    items = states.split(",") if isinstance(states, str) else [x for s in states for x in str(s).split(",")]
    return [registry().resolve(s.strip()) for s in items if s.strip()]


# --- values -------------------------------------------------------------------------------------------------

def drop_ideal_points_run(run: str, db=None) -> str:
    """Delete a stored ideal-point run that is not current (``multipolar idealpoints drop RUN``); returns its id."""
    from .dimensions import values
    return values.drop_run(_warehouse(db), run)


# --- structure ----------------------------------------------------------------------------------------------

def poles(years=None, *, db=None, pole_rule: float | None = None, global_only: bool = True) -> pd.DataFrame:
    """Polarity among the great powers per year (``multipolar poles``): the effective number N = 1 / Σ s_i² over the
    great powers' shares s_i of military spending, Ray–Singer concentration, the leader's share, the runner-up's and
    the third's ratio to the leader, the reading (a pole is a global power, Maoz 2010, unless ``global_only`` is
    False, that spends at least ``pole_rule`` of the leader's; default :data:`multipolar.structure.polarity.POLE_RULE`),
    and the all-state diversity index over CINC shares. ``attrs["decades"]``: the reading per decade."""
    from .structure import poles as _poles
    return _poles(years, db=db, pole_rule=pole_rule, global_only=global_only)


def triangle(a: str, b: str, c: str, years=None, *, db=None, threshold: float = 0.0) -> pd.DataFrame:
    """A strategic triangle per year (``multipolar triangle A B C``): the signs of its three relations, Dittmer's
    type, pivot or pariah, the share of draws for the type, Heider balance, and the years it changed."""
    from .structure import triangle as _triangle
    return _triangle(a, b, c, years, db=db, threshold=threshold)


def triangles(years, *, top: int = 20, db=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The most unbalanced triads among the major powers and the G20 in one year (``multipolar triangles --years
    2023``): (the year's structural balance — the share of balanced triads, Heider — and the ``top`` triads ranked by
    tension)."""
    from .structure import balance, triangles_ranked
    from .years import one_year
    year = one_year(years)
    if year is None:
        from .errors import UsageError
        raise UsageError("triangles: give the year, e.g. --years 2023")
    bal, sg = balance(f"{year}:{year}", db=db, return_signs=True)     # the year's dyads, built once for both
    df = triangles_ranked(year, top, db=db, signs=sg)
    df.attrs["year"] = year
    return bal, df


def blocs(years, *, method: str = "ideal-points", db=None, draws: int | None = None, seed: int = 0, tau: float = 1 / 3,
          cut: str = "side") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each state's bloc per year with the probability of that membership (``multipolar blocs``): (summary — one row
    per state-year: bloc, probability, runner-up, swing — and every state-year's probability of each bloc). ``method``:
    ``ideal-points`` (the IMF-style split of the ideal points, ``cut`` ``side`` or ``band`` with width ``tau``) or
    ``network`` (Leiden on the relations); ``draws``: posterior or bootstrap draws (default 200; 50 per year for network
    ranges)."""
    from .errors import UsageError
    from .structure import blocs as _blocs
    if cut == "side" and abs(tau - 1 / 3) > 1e-9:
        raise UsageError("--tau sets the width of the fixed middle band of --cut band; the default --cut side has none",
                         hint=f"write --cut band --tau {tau:g}")
    return _blocs(years, method=method, db=db, draws=draws, seed=seed, tau=tau, cut=cut)


def trends(years=None, *, db=None, blocs_year: int | None = None, method: str = "ideal-points") -> pd.DataFrame:
    """De-globalization along five processes per year (``multipolar trends``): fragmentation F = 1 − across / within,
    the ties across the blocs of ``blocs_year`` (default: the last full UN session) against the ties within them."""
    from .structure import trends as _trends
    return _trends(years, db=db, blocs_year=blocs_year, method=method)


def trends_chart(scoreboard: pd.DataFrame, out: str | Path) -> Path:
    """Write :func:`trends`' scoreboard as a standalone SVG chart (``multipolar trends --chart FILE``)."""
    from .structure.fragmentation import chart_svg
    out = Path(out)
    out.write_text(chart_svg(scoreboard, "De-globalization along five processes"))
    return out


def with_parameters(df: pd.DataFrame) -> pd.DataFrame:
    """A result with the parameters that made it (``attrs``) as columns, so a written file says how it was made."""
    from .structure import with_parameters as _wp
    return _wp(df)


# --- gravity ------------------------------------------------------------------------------------------------

def gravity_replicate(name: str, *, data=None, sigma: float = 7.0, tol: float = 1e-10):
    """Reproduce a general-equilibrium application of Yotov et al. (2016, ch. 2) with multipolar's estimator and
    solver (``multipolar gravity replicate``): ``yotov2016-borders`` or ``yotov2016-nafta``; ``data``: the folder with
    the book's .dta files. Returns a :class:`multipolar.gravity.replicate.Replication` (``.fit``, ``.result``,
    ``.table``: % changes per country)."""
    from .gravity.replicate import replicate
    return replicate(name, Path(data) if data else None, sigma=sigma, tol=tol)


def gravity_fit(years=None, *, sector: str = "crude_oil", db=None, pair: bool | None = None):
    """PPML gravity on a sector of the BACI data or on all goods (``sector="total"``; ``multipolar gravity fit``):
    (the fit — ``.table()`` gives coef, se clustered by pair, z, p; ``.dropped`` what was dropped and why — and the
    panel)."""
    from .gravity.panel import fit
    from .years import parse_years
    return fit(parse_years(years), sector, db, pair)


def backtests() -> dict:
    """The built-in backtests: name -> :class:`multipolar.gravity.backtest.Episode` (``multipolar gravity backtest --list``)."""
    from .gravity import backtest as BT
    return {name: BT.load(p) for name, p in BT.builtin().items()}


def backtest(episode: str = "russia_crude_2023", *, years=None, base_year: int | None = None, observed_year: int | None = None,
             cap_pct: float | None = None, baseline: str = "observed", persistence: float | str = "estimate", db=None):
    """Impose a historical episode's sanctions on the year before and score the predicted destinations against what
    BACI observed, beside two rivals (``multipolar gravity backtest``). ``episode``: a built-in name or a file;
    ``years``: the years the gravity is fitted on (default the episode's); ``cap_pct``: the G7 price cap as a tariff
    equivalent; ``persistence``: the share of each pair's deviation from gravity left in the observed year
    (``"estimate"``: measured on the fit years; 1 keeps the deviations). Returns (the episode as run, a
    :class:`multipolar.gravity.backtest.BacktestResult`)."""
    from .errors import UsageError
    from .gravity import backtest as BT
    from .years import parse_years
    ep = BT.load(episode)
    if years is not None:
        fy = parse_years(years)
        if fy[0] == fy[1]:
            raise UsageError(f"--years: the gravity is fitted on several years: give FIRST:LAST, e.g. 2012:2021 (got {years!r})")
        ep.fit_years = fy
    ep.base_year = base_year or ep.base_year
    ep.observed_year = observed_year or ep.observed_year
    if cap_pct is not None:
        ep.shocks = [dict(sh, tariff_pct=cap_pct) if "tariff_pct" in sh else sh for sh in ep.shocks]
    return ep, BT.run(ep, db, method=baseline, rho=persistence)


def fragmentation(years=None, *, blocs_year: int = 2019, post: int = 2022, sector: str = "energy_minerals",
                  bloc_method: str = "ideal-points", sensitivity: bool = True, db=None):
    """Trade between the US-leaning and China-leaning blocs after ``post`` against trade within them
    (``multipolar gravity fragmentation``): PPML with exporter-year, importer-year and pair effects, SEs clustered by
    pair, effect = exp(β) − 1; ``years``: the panel (its first year; default 2017). Returns (the estimate and its
    variants with one choice changed at a time, notes)."""
    from .gravity import fragmentation as FR
    from .years import parse_years
    from .errors import UsageError
    rng = parse_years(years)
    if rng and rng[1] not in (rng[0], 2100):
        raise UsageError(f"--years: the panel runs to the latest year with data; give its first year, e.g. {rng[0]}: (got {years!r})")
    start = rng[0] if rng else 2017
    return FR.sensitivity(db, blocs_year, post, sector, start, bloc_method, variants=sensitivity)


def scenarios() -> dict:
    """The built-in scenarios: name -> :class:`multipolar.gravity.scenarios.Scenario` (``multipolar simulate --list``)."""
    from .gravity import scenarios as SC
    return {name: SC.load(p) for name, p in SC.builtin().items()}


def simulate(scenario: str, *, draws: int | None = None, baseline: str = "observed", years=None, store: bool = True, db=None):
    """Solve a scenario in general equilibrium (``multipolar simulate``): trade flows, diversion and real income per
    country, with 90% intervals over ``draws`` draws of the coefficients; ``years``: the years the gravity is fitted on
    (default the scenario's). ``store``: keep the results in the warehouse for the report and the dashboard
    Returns (the scenario, a :class:`multipolar.gravity.scenarios.Simulation`, the key it is stored under or None)."""
    from .gravity import scenarios as SC
    from .years import parse_years
    sc = SC.load(scenario)
    if years is not None:
        sc.fit_years = parse_years(years)
    r = SC.simulate(sc, db, draws, baseline=baseline)
    return sc, r, (SC.store(r, db) if store else None)


# --- events -------------------------------------------------------------------------------------------------

def fragmentation_imf() -> dict:
    """The IMF's published estimate that ``multipolar gravity fragmentation`` prints beside its own."""
    from .gravity.fragmentation import IMF
    return dict(IMF)


def event_caveat() -> str:
    """What the event counts cannot say (volume follows the news, not the world)."""
    from . import events
    return events.VOLUME_CAVEAT
