"""Actors in text: states and groupings by every name the registry knows, resolved by the text's date.

Where the names come from
-------------------------
* the registry (``actors/data/states.csv``): each state's name and aliases, which already hold its
  capital and the institutions that stand for it ("Moscow", "the Kremlin", "Washington", "the
  White House", "Beijing", "Zhongnanhai"); a name several states carried ("Russia": the Soviet
  Union and Russia) resolves to the state that existed on the text's date;
* ``actors/data/text_names.csv``: demonyms ("Russian", "Soviet", "Chinese"), each resolved through the
  state name it refers to (so "Russian" in a 1980 text is the Soviet Union), the groupings'
  names and seats ("NATO", "the Atlantic alliance", "Brussels" for the EU), and the capitals the
  registry's aliases lack (CEPII GeoDist's capital of each state; names that are also common words or
  institutions, "Victoria", "Stockholm", "Georgetown", left out), with a source per row;
* ``actors/data/leaders.csv``: leaders and ministers with their dates in office and a source per row.
  A leader named outside every term he held is still his state's, flagged ``in_office=False``.

Matching is case-sensitive on the names as written ("US" is the United States, "us" is not;
"Turkey" is Türkiye, "turkey" is a bird). ISO and COW codes are not matched in prose. A capitalised
multi-word name the lists do not hold ("the Republic of Freedonia", "President Smith") is reported
in ``unmatched``, never guessed.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..actors.registry import registry


@dataclass
class ActorName:
    text: str          # the name as matched in prose
    kind: str          # state | alias | demonym | grouping | leader
    refers_to: str     # a registry name, "org:CODE", or a state code (leaders)
    source: str
    start: str | None = None   # leaders: the term
    end: str | None = None
    role: str | None = None


def _rows(name: str) -> list[dict]:
    with resources.files("multipolar.actors").joinpath(f"data/{name}").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=1)
def leaders() -> list[dict]:
    """The compiled leaders and ministers: name, aliases, code, role, start, end, source."""
    return _rows("leaders.csv")


@lru_cache(maxsize=1)
def names() -> dict[str, list[ActorName]]:
    """Every name matched in prose → its readings (a name can have several: a leader's terms)."""
    out: dict[str, list[ActorName]] = {}
    reg = registry()

    def add(n: str, a: ActorName):
        n = n.strip()
        if n:
            out.setdefault(n, []).append(a)

    for st in reg:
        src = "multipolar actor registry (COW, Gleditsch & Ward, ISO 3166): actors/data/states.csv"
        add(st.name, ActorName(st.name, "state", st.name, src))
        for al in st.aliases:
            if re.fullmatch(r"[A-Z]{2,3}", al) and al not in ("US", "UK", "PRC", "KSA", "DPRK", "UAE", "USSR", "ROK", "DRC"):
                continue   # bare codes are not names in prose
            if al in ("America", "Georgia") or "," in al or "(" in al:
                continue
            add(al, ActorName(al, "alias", al, src))
    for r in _rows("text_names.csv"):
        add(r["name"], ActorName(r["name"], r["kind"], r["refers_to"], r["source"]))
    for r in leaders():
        for n in [r["name"], *[a for a in r["aliases"].split("|") if a]]:
            add(n, ActorName(n, "leader", r["code"], r["source"], r["start"], r["end"] or None, r["role"]))
    return out


@dataclass
class Mention:
    """An actor mention: the span, the name, the resolved code (None: matched nothing on that date)."""
    start: int          # character offsets in the text
    end: int
    text: str
    kind: str
    code: str | None
    sentence: int = -1
    note: str = ""
    source: str = ""
    token_start: int = 0
    token_end: int = 0

    def to_dict(self) -> dict:
        """The mention as plain values (for JSON)."""
        return {k: getattr(self, k) for k in ("start", "end", "text", "kind", "code", "sentence", "note", "source")}


def resolve(name: str, date: str | None) -> tuple[str | None, str, str, str]:
    """(code, kind, note, source) of a matched name on a date: the state that bore it then."""
    reg = registry()
    readings = names().get(name, [])
    if not readings:
        return None, "unknown", "no list holds this name", ""
    leaders_ = [a for a in readings if a.kind == "leader"]
    if leaders_:
        on = [a for a in leaders_ if date is None or ((a.start or "") <= date and (a.end is None or date < a.end))]
        if on:
            a = on[0]
            return a.refers_to, "leader", f"{a.role} ({a.start}–{a.end or 'in office'})", a.source
        a = max(leaders_, key=lambda x: x.start or "")
        codes = {x.refers_to for x in leaders_}
        if len(codes) == 1:
            return a.refers_to, "leader", f"not in office on {date} ({a.role} {a.start}–{a.end or ''})", a.source
        return None, "leader", f"not in office on {date}; served {sorted(codes)}", a.source
    a = readings[0]
    if a.refers_to.startswith("org:"):
        return a.refers_to[4:], "grouping", "", a.source
    code = reg.try_resolve(a.refers_to, date=date) if date else reg.try_resolve(a.refers_to)
    if code is None and date:
        return None, a.kind, f"no state bore the name '{a.refers_to}' on {date}", a.source
    if code is None:
        return None, a.kind, f"'{a.refers_to}' is ambiguous without a date", a.source
    return code, a.kind, "", a.source


#: capitalised runs that look like a named actor (for the unmatched report): "Republic of X",
#: "President X", "X Ministry"
UNMATCHED = re.compile(r"\b(?:(?:Republic|Kingdom|Federation|Union|Emirate|Sultanate) of [A-Z][a-z]+(?: [A-Z][a-z]+)*"
                       r"|(?:President|Prime Minister|Premier|Chancellor|Foreign Minister|King|Emir) [A-Z][a-z]+(?: [A-Z][a-z]+)?)")
