"""`multipolar read` and `multipolar check`: texts read into actors, events and claims, and the claims checked."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import MultipolarError
from ._common import DB, FORMAT, _console, _fail, api, check_format, console, emit, err


def _read_all(path: Path, date: Optional[str], db=None, check: bool = False, years: Optional[str] = None):
    """Read (and check) a file or a folder's texts, with a progress bar for a folder."""
    from rich.progress import Progress
    n = sum(1 for _ in path.rglob("*")) if path.is_dir() else 1
    with Progress(console=_console(stderr=True), transient=True, disable=n < 2) as pr:
        task = pr.add_task("reading", total=None)
        if check:
            return api.check_files(path, date=date, years=years, db=db, progress=lambda: pr.advance(task))
        return api.read_files(path, date=date, years=years, progress=lambda: pr.advance(task)), None


def _output(docs, fmt: str, out: Optional[Path]) -> bool:
    """Write ``out`` (.json: the documents; .html: the checked texts; .csv, .parquet, .dta: the claims) and print what
    ``fmt`` asks (json: the documents; csv: the claims). True when nothing else is to be printed."""
    if out is not None:
        suf = out.suffix.lower()
        try:
            if suf == ".json":
                api.write_documents(docs, out)
            elif suf in (".html", ".htm"):
                api.write_checked_html(docs, out)
            else:
                api.write(api.claims_table(docs), out)
        except MultipolarError as e:
            _fail(e)
        err.print(f"wrote {out}", highlight=False)
    if fmt == "json":
        api.write_documents(docs)
        return True
    if fmt == "csv":
        emit(api.claims_table(docs), "csv")
        return True
    return out is not None


def _print_doc(doc, checked: bool) -> None:
    console.print(f"[bold]{doc.path or doc.title}[/]  date: {doc.date or 'none given (names resolved as of today)'}; "
                  f"{len(doc.sentences)} sentences, {len(doc.actors)} actor mentions, {len(doc.events)} events, {len(doc.claims)} claims",
                  highlight=False, soft_wrap=True)
    if not checked:
        acts = {}
        for m in doc.actors:
            acts.setdefault(m.code or f"? {m.text}", set()).add(m.text)
        console.print("  actors: " + "; ".join(f"{k} ({', '.join(sorted(v))})" for k, v in acts.items()), highlight=False, soft_wrap=True)
        for e in doc.events:
            console.print(f"  event  {e.date or '-'}  {e.source} {e.cameo_code} ({e.plover}, quad {e.quad_class}) {e.target}  "
                          f"[dim]{e.verb}: {e.text[:90]}[/]", highlight=False, soft_wrap=True)
    for c in doc.claims:
        ch = c.check or {}
        v = ch.get("verdict")
        colour = {"supported": "green", "contradicted": "red", "not checkable": "yellow"}.get(v, "white")
        what = c.relation or c.measure or ""
        head = f"  claim  [{colour}]{v or c.kind}[/]  “{c.text}” {what} {'-'.join(c.states)} {','.join(map(str, c.years))}"
        console.print(head, highlight=False, soft_wrap=True)
        if v:
            tol = ch.get("query", {}).get("tolerance")
            console.print(f"         {ch.get('reason', '')}" + (f" (tolerance {tol})" if tol else ""), highlight=False, soft_wrap=True)
    for u in doc.unmatched:
        console.print(f"  [yellow]unmatched name[/] {u['text']}: {u['note']}", highlight=False)
    for n in doc.notes:
        console.print(f"  [yellow]note[/] {n}", highlight=False, soft_wrap=True)


OUT_TEXT = typer.Option(None, "--out", "-o", help="Write FILE: .json the documents (actors, events, claims), .html the texts "
                        "with each claim marked (check), .csv, .parquet or .dta one row per claim.")


YEARS_TEXT = typer.Option(None, "--years", "-y", help="Only the claims about these years and the events dated in them: "
                          "2019 or 1991:2024 (the texts' notes count what was left out).")


def read_cmd(path: Path = typer.Argument(..., help="A .txt, .md, .html or .pdf file, or a folder of them."),
             date: Optional[str] = typer.Option(None, "--date", help="Publication date YYYY-MM-DD when the text has no `Date:` line."),
             fmt: str = FORMAT, out: Optional[Path] = OUT_TEXT, years: Optional[str] = YEARS_TEXT,
             events_out: Optional[Path] = typer.Option(None, "--events-out", help="Also write the events as an event file "
                                                       "(Phoenix layout, tab-separated) for `multipolar events import FILE`.")):
    """Read texts: actors (resolved by the text's date), events (CAMEO, PLOVER, quad class) and claims, unchecked."""
    fmt = check_format("table" if fmt == "text" else fmt)
    try:
        docs, _ = _read_all(path, date, years=years)
        if events_out is not None:
            r = api.write_text_events(docs, events_out)
    except MultipolarError as e:
        _fail(e)
    if events_out is not None:
        skipped = "; ".join(f"{n} {why}" for why, n in r["skipped"].items())
        err.print(f"wrote {r['written']} event{'' if r['written'] == 1 else 's'} to {events_out}" + (f" (not written: {skipped})" if skipped else "")
                  + f"; `multipolar events import {events_out}` takes them into the event lake", highlight=False, soft_wrap=True)
    if _output(docs, fmt, out):
        return
    for d in docs:
        _print_doc(d, checked=False)


def check_cmd(path: Path = typer.Argument(..., help="A .txt, .md, .html or .pdf file, or a folder of them."),
              out: Optional[Path] = OUT_TEXT, fmt: str = FORMAT, years: Optional[str] = YEARS_TEXT,
              date: Optional[str] = typer.Option(None, "--date", help="Publication date YYYY-MM-DD when the text has no `Date:` line."),
              db: Optional[Path] = DB):
    """Check every claim against the warehouse: supported, contradicted or not checkable, with the query and evidence."""
    if fmt == "html":           # the old spelling: the checked text, now named by --out's suffix
        err.print("[yellow]note[/] --format html is deprecated: write --out FILE.html", highlight=False)
        out, fmt = out or Path("checked.html"), "table"
    fmt = check_format(fmt)
    try:
        docs, ck = _read_all(path, date, db=db, check=True, years=years)
    except MultipolarError as e:
        _fail(e)
    if not _output(docs, fmt, out):
        for d in docs:
            _print_doc(d, checked=True)
    n = [c.check["verdict"] for d in docs for c in d.claims if c.check]
    err.print(f"[dim]{len(n)} claims: {n.count('supported')} supported, {n.count('contradicted')} contradicted, "
              f"{n.count('not checkable')} not checkable. Rules and tolerances: multipolar.text.check[/]", highlight=False)
    for note in ck.notes:
        if "missing, not zero" in note or "no full trade" in note:
            err.print(f"[dim]note {note}[/]", highlight=False, soft_wrap=True)
