"""Reading a text: sentences, actors, events (who did what to whom, CAMEO and PLOVER), claims.

A blank English spaCy pipeline (tokenizer and sentencizer; no statistical model, nothing
downloaded) with a case-sensitive PhraseMatcher fed by the registry and the compiled lists
(:mod:`multipolar.text.actors`). Events: each finite verb of the PETRARCH2 dictionary is coded
(:mod:`multipolar.text.cameo`) with its own clause's subject and object, passives, negation and
"the two sides" / "he" resolved (:mod:`multipolar.text.events`). Claims: :mod:`multipolar.text.claims`
("the two countries" there too stands for the closest earlier pair).

The text's date: a first-lines header ``Date: YYYY-MM-DD`` (or ``Published:``; front matter ``date:``;
an HTML ``<meta property="article:published_time">`` or ``<time datetime>``), else the date given
by the caller; without one, names resolve to the states that exist today and events carry no date.
"""
from __future__ import annotations

import html as _html
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from . import actors as A
from . import cameo
from . import events as EV
from .claims import YEAR, extract


@dataclass
class Event:
    source: str
    target: str
    cameo_code: str
    root_code: str
    plover: str
    quad_class: int
    verb: str
    pattern: str
    sentence: int
    text: str
    date: str | None

    def to_dict(self) -> dict:
        """The event as plain values (for JSON)."""
        return asdict(self)


@dataclass
class Document:
    text: str
    date: str | None = None
    title: str | None = None
    path: str | None = None
    sentences: list = field(default_factory=list)      # (start, end)
    actors: list = field(default_factory=list)         # Mention
    unmatched: list = field(default_factory=list)      # capitalised names no list holds
    events: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def claims_frame(self):
        """One row per claim: kind, text, states, years, measure, value, unit, relation, verdict, reason."""
        import pandas as pd
        return pd.DataFrame([{"sentence": c.sentence, "kind": c.kind, "text": c.text, "states": "-".join(c.states),
                              "years": ",".join(map(str, c.years)), "measure": c.measure or c.relation, "value": c.value,
                              "unit": c.unit, "verdict": (c.check or {}).get("verdict"), "reason": (c.check or {}).get("reason")}
                             for c in self.claims])

    def to_dict(self) -> dict:
        """The document's reading as plain values (for JSON)."""
        return {"path": self.path, "title": self.title, "date": self.date, "n_sentences": len(self.sentences),
                "actors": [m.to_dict() for m in self.actors], "unmatched": self.unmatched,
                "events": [e.to_dict() for e in self.events], "claims": [c.to_dict() for c in self.claims], "notes": self.notes}


@lru_cache(maxsize=1)
def pipeline():
    """The blank English pipeline with the sentencizer and the actor PhraseMatcher."""
    import spacy
    from spacy.matcher import PhraseMatcher
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    pm = PhraseMatcher(nlp.vocab, attr="ORTH")
    for name in A.names():
        pm.add(name, list(nlp.tokenizer.pipe([name])))
    return nlp, pm


DETERMINERS = frozenset({"THE", "A", "AN", "ITS", "THEIR", "HIS", "HER", "THIS", "THAT", "THESE", "THOSE", "NO", "ANY", "EACH"})
DATE_LINE = re.compile(r"^\s*(?:date|published|dateline)\s*:\s*(\d{4}-\d{2}-\d{2})\s*$", re.I | re.M)
HTML_DATE = re.compile(r"""(?:article:published_time["']\s+content=["']|<time[^>]+datetime=["'])(\d{4}-\d{2}-\d{2})""", re.I)


def text_date(text: str) -> str | None:
    """The date a text gives for itself (a dateline or an HTML date), or None."""
    m = DATE_LINE.search(text[:2000]) or HTML_DATE.search(text[:20000])
    return m.group(1) if m else None


def html_to_text(src: str) -> str:
    """The text of an HTML page: scripts and styles dropped, block ends as paragraph breaks, entities
    unescaped."""
    src = re.sub(r"(?is)<(script|style|head)[^>]*>.*?</\1>", " ", src)
    src = re.sub(r"(?i)<br\s*/?>|</(p|div|h[1-6]|li|tr)>", "\n\n", src)
    return _html.unescape(re.sub(r"<[^>]+>", " ", src))


def load_file(path: str | Path) -> tuple[str, str | None]:
    """(text, date) of a .txt, .md, .html or .pdf file; a clear error for anything else."""
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", file=str(p), expected="a .txt, .md, .html or .pdf file or a folder of them",
                         hint="check the path")
    suf = p.suffix.lower()
    if suf in (".txt", ".md", ".text", ""):
        t = p.read_text(encoding="utf-8", errors="replace")
        return t, text_date(t)
    if suf in (".html", ".htm"):
        raw = p.read_text(encoding="utf-8", errors="replace")
        return html_to_text(raw), text_date(raw)
    if suf == ".pdf":
        for mod in ("pypdf", "PyPDF2"):
            try:
                lib = __import__(mod)
            except ImportError:
                continue
            t = "\n\n".join((pg.extract_text() or "") for pg in lib.PdfReader(str(p)).pages)
            return t, text_date(t)
        raise InputError("cannot read PDF: no PDF reader is installed", file=str(p), expected="a pure-Python PDF reader",
                         hint="install one (`pip install pypdf`) or convert the file to text (`pdftotext FILE`)")
    raise InputError(f"unsupported file type '{suf}'", file=str(p), expected=".txt, .md, .html or .pdf",
                     hint="convert the file to text or HTML")


def read(text: str, *, date: str | None = None, title: str | None = None, path: str | None = None, doc=None) -> Document:
    """Read one text: its sentences, actor mentions (resolved by the text's date), events and claims."""
    date = date or text_date(text)
    clean = text.replace("’", "'").replace("‘", "'")
    nlp, pm = pipeline()
    sp = doc if doc is not None else nlp(clean)
    D = Document(text=text, date=date, title=title, path=path)
    sents = list(sp.sents)
    D.sentences = [(s.start_char, s.end_char) for s in sents]
    tok_sent = {}
    for i, s in enumerate(sents):
        for t in range(s.start, s.end):
            tok_sent[t] = i
    # actor mentions: longest match wins
    matches = sorted(pm(sp), key=lambda m: (m[1], -(m[2] - m[1])))
    last_end = -1
    cache: dict[str, tuple] = {}
    for mid, a, b in matches:
        if a < last_end:
            continue
        name = nlp.vocab.strings[mid]
        if name not in cache:
            cache[name] = A.resolve(name, date)
        code, kind, note, src = cache[name]
        c0, c1 = sp[a].idx, sp[b - 1].idx + len(sp[b - 1])
        D.actors.append(A.Mention(c0, c1, clean[c0:c1], kind, code, tok_sent.get(a, -1), note, src, a, b))
        last_end = b
    for m in A.UNMATCHED.finditer(clean):
        if not any(x.start <= m.start() < x.end or m.start() <= x.start < m.end() for x in D.actors):
            D.unmatched.append({"text": m.group(0), "start": m.start(), "note": "no list holds this name; not guessed"})
    default_year = int(date[:4]) if date else None
    try:
        forms, _ = cameo.load()
    except cameo.DictionaryMissing as e:
        forms = None
        D.notes.append(f"events not coded: {e}")
    by_sent: dict[int, list] = {}
    for m in D.actors:
        by_sent.setdefault(m.sentence, []).append(m)
    cid = 0
    last_pair: tuple | None = None       # the two states of the closest earlier sentence naming two
    ctx = EV.Context()                   # the discourse: earlier actor phrases (pronouns), first mentions
    for i, s in enumerate(sents):
        ms = [m for m in by_sent.get(i, []) if m.code]
        for m in ms:
            ctx.first_seen.setdefault(m.code, len(ctx.first_seen))
        states = [m.code for m in ms if m.kind != "grouping"]
        states = list(dict.fromkeys(states))
        groups = list(dict.fromkeys(m.code for m in ms if m.kind == "grouping"))
        stext = clean[s.start_char:s.end_char]
        sy = YEAR.findall(stext)
        pair_here = last_pair if (last_pair and len(states) < 2 and EV.PAIR.search(stext)) else None
        claim_states = list(pair_here) if pair_here else states
        poss = list(dict.fromkeys(m.code for m in ms if m.kind != "grouping" and clean[m.end:m.end + 2] == "'s"))
        spans = [(m.start - s.start_char, m.end - s.start_char, m.code) for m in ms if m.kind != "grouping"]
        for c in extract(stext, s.start_char, i, claim_states, groups, default_year, poss[0] if len(poss) == 1 else None, spans):
            c.id = cid
            cid += 1
            D.claims.append(c)
        if forms is not None:
            slots = [EV.Slot(m.token_start - s.start, m.token_end - s.start, (m.code,), m.kind) for m in ms]
            if pair_here:
                slots += EV.pair_slots(stext, [t.idx - s.start_char for t in s], pair_here)
            # an event needs two actors, or one and a pronoun or a reaction to an earlier act; a sentence
            # without any leaves the discourse as it was
            coded = EV.code_sentence([t.text for t in s], slots, forms, ctx=ctx) if slots or EV.PRONOUN.search(stext) else []
            for e in coded:
                root = e.code[:2]
                D.events.append(Event(e.source, e.target, e.code, root, cameo.PLOVER.get(root, "OTHER"), cameo.quad_class(root),
                                      e.lemma.lower(), e.pattern, i, stext.strip(), f"{sy[0]}" if sy else date))
        if len(states) >= 2:
            # the pair a later "the two sides" means: two states joined by "and" ("between X and Y",
            # "X and Y signed"), else the first two the sentence names
            st = [m for m in ms if m.kind != "grouping"]
            joined = [(x.code, y.code) for x, y in zip(st, st[1:]) if x.code != y.code and clean[x.end:y.start].strip() == "and"]
            last_pair = joined[-1] if joined else tuple(states[:2])
            # "the two sides" acts in the order the text introduced them (the first named is the source)
            last_pair = tuple(sorted(last_pair, key=lambda c: ctx.first_seen.get(c, 0)))
    return D


def read_path(path: str | Path, *, date: str | None = None) -> list[Document]:
    """Read a file, or every .txt/.md/.html/.pdf file of a folder (sorted by name)."""
    p = Path(path)
    files = sorted(f for f in p.rglob("*") if f.suffix.lower() in (".txt", ".md", ".html", ".htm", ".pdf")) if p.is_dir() else [p]
    if p.is_dir() and not files:
        raise InputError("no .txt, .md, .html or .pdf file in the folder", file=str(p), expected="texts to read", hint="check the folder")
    out = []
    for f in files:
        t, d = load_file(f)
        out.append(read(t, date=date or d, title=f.stem, path=str(f)))
    return out
