"""`multipolar read` and `multipolar check`: texts read into actors, events and claims, and the claims checked."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from ..errors import InputError, MultipolarError
from ._common import DB, _console, _fail, console


def _read_all(path: Path, date: Optional[str]):
    """Read a file or a folder's texts, with a progress bar for a folder."""
    from rich.progress import Progress
    from ..text.read import load_file, read
    if path.is_dir():
        files = sorted(f for f in path.rglob("*") if f.suffix.lower() in (".txt", ".md", ".html", ".htm", ".pdf"))
        if not files:
            raise InputError("no .txt, .md, .html or .pdf file in the folder", file=str(path), expected="texts to read", hint="check the folder")
    else:
        files = [path]
    docs = []
    with Progress(console=_console(stderr=True), transient=True, disable=len(files) < 2) as pr:
        task = pr.add_task("reading", total=len(files))
        for f in files:
            t, d = load_file(f)
            docs.append(read(t, date=date or d, title=f.stem, path=str(f)))
            pr.advance(task)
    return docs


def _write_json(docs, out: Optional[Path]) -> None:
    """A JSON list of the documents, written one document at a time (a folder of texts is not held twice in memory)."""
    f = out.open("w", encoding="utf-8") if out else sys.stdout
    try:
        f.write("[")
        for i, d in enumerate(docs):
            f.write(("," if i else "") + "\n" + json.dumps(d.to_dict(), ensure_ascii=False, default=str))
        f.write("\n]\n")
    finally:
        if out:
            f.close()
    if out:
        console.print(f"wrote {out}")


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


def read_cmd(path: Path = typer.Argument(..., help="A .txt, .md, .html or .pdf file, or a folder of them."),
             date: Optional[str] = typer.Option(None, "--date", help="Publication date YYYY-MM-DD when the text has no `Date:` line."),
             fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
             out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the JSON here.")):
    """Read texts: actors (resolved by the text's date), events (CAMEO, PLOVER, quad class) and claims, unchecked."""
    try:
        docs = _read_all(path, date)
    except MultipolarError as e:
        _fail(e)
    if fmt == "json" or out:
        _write_json(docs, out)
        return
    for d in docs:
        _print_doc(d, checked=False)


def check_cmd(path: Path = typer.Argument(..., help="A .txt, .md, .html or .pdf file, or a folder of them."),
              out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the checked text (.html) or the claims (.json)."),
              fmt: Optional[str] = typer.Option(None, "--format", "-f", help="html or json (default: from --out's suffix; else printed)."),
              date: Optional[str] = typer.Option(None, "--date", help="Publication date YYYY-MM-DD when the text has no `Date:` line."),
              db: Optional[Path] = DB):
    """Check every claim against the warehouse: supported, contradicted or not checkable, with the query and evidence."""
    from ..text import check_documents
    try:
        docs = _read_all(path, date)
        ck = check_documents(docs, db=db)
    except MultipolarError as e:
        _fail(e)
    fmt = fmt or (out.suffix.lstrip(".").lower() if out else "text")
    if fmt in ("html", "htm"):
        from ..text.html import write_html
        write_html(docs, out or Path("checked.html"))
        console.print(f"wrote {out or 'checked.html'}")
    elif fmt == "json":
        _write_json(docs, out)
    else:
        for d in docs:
            _print_doc(d, checked=True)
    n = [c.check["verdict"] for d in docs for c in d.claims if c.check]
    console.print(f"[dim]{len(n)} claims: {n.count('supported')} supported, {n.count('contradicted')} contradicted, "
                  f"{n.count('not checkable')} not checkable. Rules and tolerances: multipolar.text.check[/]", highlight=False)
    for note in ck.notes:
        if "missing, not zero" in note or "no full trade" in note:
            console.print(f"[dim]note {note}[/]", highlight=False, soft_wrap=True)
