"""Publishers' country *names* to registry codes: dated, documented, never guessed.

:func:`resolve_name` gives one :class:`Resolved` (code, kind, how) for a name in a year (or on a
date), by these rules, in this order:

1. **Source aliases.** A publisher that demonstrably writes a name for another state than the
   registry gives it has a row in :data:`SOURCE_ALIASES`: source, name, first and last year, code
   (or no code: the name is rejected in those years, with the kind given), and the evidence. A row
   applies only inside its years (and, where the reader passes ``alias_year``, only when that year,
   e.g. the year a sanctions case began, is inside them too). Never an undated fallback.
2. **Registry names.** A name or alias of a state in the registry resolves *with the year*
   (:meth:`Registry.resolve`, the yearly rule: the state holding the name for the larger part of
   the year). A state's name used for a year in which no state of that name existed is
   ``state-not-existing``; with ``system_only`` a state that existed but was not a member of the
   state system that year (the Ukrainian SSR's UN seat) is ``not-system-member``.
3. **Known non-states.** Names of territories (every ISO 3166 entry that is not a state of the
   registry), regions, income groups and organisations: ``territory``, ``aggregate``, ``non-state``.
   A name of a registry state is never one of these.
4. **A publisher's suffix.** A name ending in a parenthetical, ``B (Q)`` — Eurostat's "Russian
   Federation (Russia)", "Germany (incl. German Democratic Republic 'DD' from 1991)" — is split
   into the base ``B`` and the parenthetical ``Q``, each resolved by these rules:

   * either part a territory, aggregate or other non-state ("Virgin Islands, British (incl.
     Montserrat 'MS' -> 1994)", "Hong Kong (China)"): that kind, never the state in the other part;
   * both parts states: accepted when they are the same state, else ``ambiguous`` (never a pick);
   * one part a state of that year and the other naming no state at all (a note such as "incl.
     Canary Islands 'XB' from 1997", or a name the registry does not know, "Ngwane"): that state;
   * one part a state and the other a state of another time ("Serbia (Yugoslavia)"): ``ambiguous``.
5. Anything else is ``unknown``: the reader reports it (an error, or a rejection naming it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..actors.registry import Registry, normalise_name, registry
from ..errors import UnknownCountryError

#: kinds that mean "not a state" (the row is rejected as such)
NON_STATE_KINDS = ("territory", "aggregate", "non-state", "organisation")


@dataclass(frozen=True)
class SourceAlias:
    """A name that one publisher uses for a state other than the registry's, within some years."""
    source: str
    name: str
    first: int | None          # first year (None: open)
    last: int | None           # last year (None: open)
    code: str | None           # None: rejected in these years, as ``kind``
    kind: str                  # 'state', or why there is no code ('ambiguous', 'territory', ...)
    evidence: str

    def covers(self, year: int | None) -> bool:
        """True when the alias holds in ``year``."""
        return year is not None and (self.first is None or year >= self.first) and (self.last is None or year <= self.last)


_GSDB_EV_VN = ("GSDB writes 'South Vietnam' for the Socialist Republic of Vietnam after 1975: the US embargo "
               "of 1976-94 (case 200), China 1978-91 (231), Japan 1979-92 (249), the US 2007-16 (806), "
               "'South Vietnam' sanctioning Ukraine 2015-18 (1036); GSDB has no 'Vietnam' party")
_GSDB_EV_YE = ("GSDB writes 'Yemen, North' for the Republic of Yemen: all 11 cases naming it begin in 1990 or "
               "later, after unification on 22 May 1990 (US 1990-91 case 397, US 2012-22 case 956, UN 2014- case 1025); "
               "GSDB has no other name for the Republic of Yemen")
_GSDB_EV_DE = ("GSDB writes 'Germany' for the Federal Republic before unification (case 1: Germany against the "
               "German Democratic Republic 1949-73; the GDR is a party of its own)")
_SIPRI_EV_DE = ("SIPRI's register writes 'Germany' for the Federal Republic before unification (orders from 1952) "
                "and 'East Germany (GDR)' for the GDR")
_SIPRI_EV_YE = ("SIPRI names the Yemens 'North Yemen' (to 1988) and 'South Yemen' (to 1989); plain 'Yemen' is the "
                "Republic of Yemen (from 1989 in the register, 1990 in the TIV tables)")
_SIPRI_EV_RS = ("SIPRI lists 'Yugoslavia' to 1991 and 'Serbia' from 1992, never 'Serbia and Montenegro': before "
                "Montenegro's independence (3 Jun 2006) its 'Serbia' is the Federal Republic of Yugoslavia / Serbia "
                "and Montenegro; 'Serbia' before 1992 names no state")
_SIPRI_EV_RU = ("SIPRI's register attributes to 'Russia' deals ordered from (or by) the USSR and delivered after 1991 "
                "(order years from 1970); in the order year that party was the Soviet Union; its TIV tables use 'Soviet Union' "
                "to 1991 and 'Russia' from 1992")
_UNDL_EV = ("UN Digital Library voting records as scraped into the wide table undl_votes_wide_ga_sc_1946_2021.csv "
            "(one column per name): the misspelt column holds an entry in one General Assembly record only, the column "
            "of the state's proper name is blank in that record, and the record's entries then number its TOTAL VOTES")
_ESTAT_EV = "national statistics of Kazakhstan, Kyrgyzstan, Uzbekistan and Armenia as compiled by mary-lev/eu-export-sanctions"

#: every documented source-specific name (see the module docstring, rule 1)
SOURCE_ALIASES: tuple[SourceAlias, ...] = (
    SourceAlias("gsdb", "South Vietnam", 1976, None, "VNM", "state", _GSDB_EV_VN),
    SourceAlias("gsdb", "Yemen, North", 1990, None, "YEM", "state", _GSDB_EV_YE),
    SourceAlias("gsdb", "Germany", None, 1990, "GFR", "state", _GSDB_EV_DE),
    SourceAlias("sipri", "Germany", None, 1990, "GFR", "state", _SIPRI_EV_DE),
    SourceAlias("sipri", "Yemen", 1990, None, "YEM", "state", _SIPRI_EV_YE),
    SourceAlias("sipri", "Yemen", None, 1989, None, "ambiguous", _SIPRI_EV_YE + "; an order of 1989 or earlier may be either Yemen's"),
    SourceAlias("sipri", "Serbia", 1992, 2005, "SCG", "state", _SIPRI_EV_RS),
    SourceAlias("sipri", "Serbia", None, 1991, None, "ambiguous", _SIPRI_EV_RS),
    SourceAlias("sipri", "Russia", None, 1991, "SUN", "state", _SIPRI_EV_RU),
    SourceAlias("undl", "TKAZAKHSTAN", 2007, 2007, "KAZ", "state", "A/RES/62/39 of 5 Dec 2007 (192 entries, TOTAL VOTES 192; KAZAKHSTAN blank) - " + _UNDL_EV),
    SourceAlias("undl", "REPULIC OF MOLDOVA", 2009, 2009, "MDA", "state", "A/RES/64/105 of 10 Dec 2009 (192 entries; REPUBLIC OF MOLDOVA and MOLDOVA blank) - " + _UNDL_EV),
    SourceAlias("undl", "SERBIAMONTENEGRO", 2003, 2003, "SCG", "state", "A/RES/57/325 of 18 Jun 2003 (191 entries; SERBIA AND MONTENEGRO and YUGOSLAVIA blank) - " + _UNDL_EV),
    SourceAlias("undl", "DEMOCRATIC CAMPUCHEA", 1980, 1980, "KHM", "state", "A/RES/ES-6/2 of 14 Jan 1980 (152 entries; DEMOCRATIC KAMPUCHEA blank) - " + _UNDL_EV),
    SourceAlias("eurostat", "America", None, None, None, "aggregate",
                "the Americas, a regional total beside 'United States' (Kyrgyzstan 2019: America 99.1 M EUR, United States 80.5 M); "
                "the registry's 'America' (a metonym for the United States) does not apply - " + _ESTAT_EV),
    SourceAlias("eurostat", "Monako", None, None, "MCO", "state", "Monaco, transliterated (Armenia's rows; Monaco is absent there) - " + _ESTAT_EV),
    SourceAlias("eurostat", "Salvador", None, None, "SLV", "state", "El Salvador ('Сальвадор'; Kyrgyzstan's rows, which have no 'El Salvador') - " + _ESTAT_EV),
    SourceAlias("eurostat", "Korea (DPRK)", None, None, "PRK", "state", "North Korea - " + _ESTAT_EV),
    SourceAlias("eurostat", "Korea, DPR of", None, None, "PRK", "state", "North Korea - " + _ESTAT_EV),
    SourceAlias("eurostat", "Bosnia Herzegovina", None, None, "BIH", "state", "Bosnia and Herzegovina - " + _ESTAT_EV),
    SourceAlias("eurostat", "Словакия", None, None, "SVK", "state", "Slovakia in Russian (Uzbekistan's rows) - " + _ESTAT_EV),
    SourceAlias("eurostat", "Босния и Герцеговина", None, None, "BIH", "state", "Bosnia and Herzegovina in Russian (Uzbekistan's rows) - " + _ESTAT_EV),
    SourceAlias("eurostat", "Северные Марианские острова", None, None, None, "territory", "the Northern Mariana Islands in Russian - " + _ESTAT_EV),
    SourceAlias("eurostat", "Eastern SAMOA", None, None, None, "territory", "American Samoa ('Восточное Самоа') - " + _ESTAT_EV),
    SourceAlias("eurostat", "Saint-Barth?lemy", None, None, None, "territory", "Saint Barthélemy with a broken character - " + _ESTAT_EV),
)


def name_key(name: str) -> str:
    """The lookup key of a name: :func:`normalise_name`, or for a name in another script (which
    that folds to nothing: 'Словакия') the name itself, case-folded."""
    return normalise_name(name) or "=" + str(name).strip().casefold()


@lru_cache(maxsize=None)
def source_aliases(source: str | None) -> dict[str, list[SourceAlias]]:
    """name key -> the alias rows of ``source``."""
    out: dict[str, list[SourceAlias]] = {}
    for a in SOURCE_ALIASES:
        if a.source == source:
            out.setdefault(name_key(a.name), []).append(a)
    return out


# ---- names that are not states -------------------------------------------------------------------
# Names in public files that are not states of the system (regions, territories, groups).
_EXTRA_NON_STATE = [
    ("Hong Kong", "territory"), ("Macao", "territory"), ("Macau", "territory"), ("Palestine", "territory"),
    ("State of Palestine", "territory"), ("Occupied Palestinian Territory", "territory"),
    ("Gibraltar", "territory"), ("Cyprus (Northern)", "territory"), ("Northern Cyprus", "territory"),
    ("Western Sahara", "territory"), ("Puerto Rico", "territory"), ("Greenland", "territory"),
    ("Channel Islands", "territory"), ("Isle of Man", "territory"), ("Faeroe Islands", "territory"),
    ("China, Hong Kong SAR", "territory"), ("China, Macao SAR", "territory"), ("Curacao", "territory"),
    ("Sint Maarten (Dutch part)", "territory"), ("Holy See", "non-state"), ("Vatican", "non-state"),
    # Eurostat and national statistics
    ("SAR-Hong Kong", "territory"), ("Ceuta", "territory"), ("Melilla", "territory"), ("Cocos Islands", "territory"),
    ("St Pierre and Miquelon", "territory"), ("Saint Helena", "territory"), ("British Virgin Islands", "territory"),
    ("United States Virgin Islands", "territory"), ("Netherlands Antilles", "territory"), ("Bouvet", "territory"),
    ("Svalbard and Jan Mayen Islands", "territory"), ("Wallis and Futuna Islands", "territory"),
    ("Virgin Islands, United States", "territory"), ("South Georgia and South Sandwich Islands", "territory"),
    ("High seas", "non-state"), ("Unknown country", "non-state"),
    ("World", "aggregate"), ("Africa", "aggregate"), ("America", "aggregate"), ("Asia", "aggregate"), ("Europe", "aggregate"),
    ("Oceania", "aggregate"), ("Australia and Oceania", "aggregate"), ("Rest of the world", "aggregate"),
    ("Other countries", "aggregate"), ("Non-EU countries", "aggregate"), ("Non-EAEU countries", "aggregate"),
    ("Commonwealth of Independent States", "aggregate"), ("Eurasian Economic Union", "aggregate"),
    ("European Union (EU)", "aggregate"), ("European Union - 27 countries (from 2020)", "aggregate"),
    ("European Union - 27 countries", "aggregate"), ("Euro area - 20 countries", "aggregate"),
    ("Shanghai Cooperation Organisation", "aggregate"), ("Euro area", "aggregate"), ("European Union", "aggregate"),
]


@lru_cache(maxsize=1)
def non_state_names() -> dict[str, str]:
    """normalised name -> 'territory' / 'aggregate' / 'non-state': every ISO 3166 name of an entry
    that is not a state of the registry, and the list above. A name of a registry state is never
    here (``Iran, Islamic Republic of`` is Iran's, not a territory's)."""
    import pycountry
    reg = registry()
    state_iso3 = set(reg._systems["iso3"]) | set(reg.states)
    out = {}
    for c in pycountry.countries:
        if c.alpha_3 in state_iso3:
            continue
        for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if n:
                out[normalise_name(n)] = "territory"
    out.update({normalise_name(n): kind for n, kind in _EXTRA_NON_STATE})
    for n in reg._names:             # a state's own name is never a non-state
        out.pop(n, None)
    return out


# ---- resolution ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Resolved:
    code: str | None
    kind: str        # state, state-not-existing, not-system-member, territory, aggregate, non-state, ambiguous, unknown, missing
    how: str = ""    # 'name', 'source alias ...', 'suffix ...'

    @property
    def ok(self) -> bool:
        return self.code is not None


_PAREN = re.compile(r"^(?P<base>.*?)\s*\((?P<q>[^()]*(?:\([^()]*\)[^()]*)*)\)\s*$", re.S)


def split_suffix(name: str) -> tuple[str, str] | None:
    """('Russian Federation', 'Russia') for 'Russian Federation (Russia)'; None without a trailing
    parenthetical (one level of nesting inside it is allowed)."""
    m = _PAREN.match(str(name))
    if not m or not m.group("base").strip():
        return None
    return m.group("base").strip(), m.group("q").strip()


def resolve_name(name, *, year: int | None = None, date: str | None = None, source: str | None = None,
                 system_only: bool = False, alias_year: int | None = None) -> Resolved:
    """The registry code of a publisher's country name in ``year`` (or on ``date``): see the module
    docstring for the rules. ``source``: the reader's name, for its :data:`SOURCE_ALIASES`;
    ``system_only``: a state must be a member of the state system then; ``alias_year``: a year that
    must also lie inside an alias's years (GSDB: the year the case began)."""
    if name is None or (isinstance(name, float) and name != name) or str(name).strip() in ("", "nan", "None"):
        return Resolved(None, "missing")
    return _resolve(str(name).strip(), None if year is None else int(year), date, source, system_only,
                    None if alias_year is None else int(alias_year))


@lru_cache(maxsize=200_000)
def _resolve(name, year, date, source, system_only, alias_year) -> Resolved:
    reg = registry()
    key = name_key(name)
    y = int(date[:4]) if date else year
    # 1. the publisher's documented aliases, inside their years only
    for a in source_aliases(source).get(key, []):
        if a.covers(y) and (alias_year is None or a.covers(alias_year)):
            how = f"source alias: {source} '{a.name}' {a.first or ''}–{a.last or ''} -> {a.code or a.kind}"
            if a.code is None:
                return Resolved(None, a.kind, how)
            return _exists(reg, a.code, y, date, system_only, how)
    # 2. the registry's names, dated
    if key in reg._names:
        try:
            code = reg.resolve(name, year=None if date else year, date=date, system="name")
        except UnknownCountryError as e:
            kind = "ambiguous" if "ambiguous" in (e.reason or "") else "state-not-existing"
            return Resolved(None, kind, "name")
        return _exists(reg, code, y, date, system_only, "name")
    # 3. known non-states
    kind = non_state_names().get(key)
    if kind:
        return Resolved(None, kind, "name")
    # 4. a trailing parenthetical
    parts = split_suffix(name)
    if parts:
        b = _resolve(parts[0], year, date, source, system_only, alias_year)
        q = _resolve(parts[1], year, date, source, system_only, alias_year)
        how = f"suffix: '{parts[0]}' = {b.code or b.kind}, '{parts[1]}' = {q.code or q.kind}"
        for r in (b, q):
            if r.kind in NON_STATE_KINDS:
                return Resolved(None, r.kind, how)
        if b.ok and q.ok:
            return Resolved(b.code, "state", how) if b.code == q.code else Resolved(None, "ambiguous", how)
        states = [r for r in (b, q) if r.ok]
        others = [r for r in (b, q) if not r.ok]
        if states and others[0].kind == "unknown":
            return Resolved(states[0].code, "state", how)
        if states:                     # the other part names a state of another time, or is ambiguous
            return Resolved(None, "ambiguous", how)
        for r in (b, q):               # no state: the more telling reason (a state of another time, ...)
            if r.kind != "unknown":
                return Resolved(None, r.kind, how)
    return Resolved(None, "unknown", "")


def _exists(reg: Registry, code: str, year, date, system_only: bool, how: str) -> Resolved:
    st = reg.get(code)
    if not st.exists(year=None if date else year, date=date, system_only=False) and (year is not None or date is not None):
        return Resolved(None, "state-not-existing", how + f" ({code} did not exist then)")
    if system_only and (year is not None or date is not None) and not st.exists(year=None if date else year, date=date):
        return Resolved(None, "not-system-member", how + f" ({code} was not a member of the state system then)")
    return Resolved(code, "state", how)
