"""The actor registry: every state of the international system since 1946, under every code.

A *state* here is one identity with one multipolar ``code`` (ISO 3166-1 alpha-3 where the state
exists today; the ISO 3166-3 code or a documented user-assigned code for historical states):
``SUN`` the Soviet Union, ``DDR`` East Germany, ``GFR`` West Germany, ``YUG`` SFR Yugoslavia,
``SCG`` Serbia and Montenegro, ``CSK`` Czechoslovakia, ``YAR``/``YMD`` the two Yemens,
``RVN`` South Vietnam, ``ZAN`` Zanzibar, ``TBT`` Tibet, ``XKX`` Kosovo.

Each state has one or more *spells* of existence. COW and GW keep one code across some changes
of state (COW 365 for the USSR and Russia; 345 for Yugoslavia, Serbia and Montenegro and Serbia);
multipolar splits such chains into separate states and records the successor rule in
``State.succession``. Codes are resolved **with a date** where one is known: COW 365 in 1980 is
``SUN``, in 2000 ``RUS``; ISO2 ``CS`` in 1980 is ``CSK``, in 2004 ``SCG``.

**The yearly rule.** Yearly data (a code or a name with a year, no date) belong to the state that
held the code (or the name) for the larger part of the year: the days of its spells inside the
year are counted, and on a tie the later holder wins. COW 365 in 1991 is the USSR (``SUN``, to
25 Dec), ISO3 ``DEU`` in 1990 is West Germany (``GFR``, to 2 Oct), ``YEM`` in 1990 is united Yemen
(from 22 May). Two states that hold one key on the same date are never split by this rule: that
is an ambiguity and an error. :meth:`Registry.resolve`, :meth:`Registry.year_crosswalk` (and so
every reader's yearly join) and :meth:`Registry.system_members` all use this one rule.

**Series.** Some states continue one country's series under a new code: :data:`SERIES_TRANSITIONS`
(the USSR and Russia, West and East Germany and Germany, Yugoslavia, Serbia and Montenegro and
Serbia, the two Yemens and Yemen). In the year of such a change only one state of the series is a
member of the system, the one that held it for the larger part of the year (1991: ``SUN``; 1990:
``GFR`` and ``DDR``, and ``YEM``; 1992: ``SCG``; 2006: ``SRB``), so a series never counts twice in
one year (:meth:`Registry.system_members`, :meth:`Registry.series_transitions`,
:meth:`Registry.same_series`, :meth:`Registry.series_member`).

Names never resolve by guesswork: a name must match a known name or alias exactly (after
normalising case, accents and punctuation). An unknown name raises
:class:`~multipolar.errors.UnknownCountryError` with the closest known names as suggestions.
A name shared by several states resolves to the one that existed on the given date; without a
date, to the state that exists today, and if that is not unique, it is an error.

The table is ``actors/data/states.csv``, rebuilt by ``python data-raw/build_actors.py`` from the
COW and GW state lists and ISO 3166 (pycountry).
"""
from __future__ import annotations

import csv
import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from ..errors import UnknownCountryError

if TYPE_CHECKING:
    import pandas as pd

TODAY = dt.date.today().isoformat()

# World Bank aggregate codes (regions, income groups, lending groups): never states.
WB_AGGREGATES = frozenset(
    "AFE AFW ARB CSS CEB EAR EAS TEA EAP EMU ECS TEC ECA EUU FCS HPC HIC IBD IBT IDB IDX IDA LTE LCN "
    "LAC TLA LDC LMY LIC LMC MEA TMN MNA MIC NAC OED OSS PSS PST PRE SST SAS TSA SSF TSS SSA UMC WLD "
    "INX XZN".split()
)
# Territories and entities that data sources report but that are not states of the system;
# CHI (Channel Islands) is a World Bank code. Everything in ISO 3166-1 that is not a state
# of the registry is also a territory (classified at run time from pycountry).
EXTRA_TERRITORIES = frozenset({"CHI", "ANT"})


#: ISO2 codes that a state held for only part of its spell. "CS" was Czechoslovakia's until its
#: dissolution on 1992-12-31 and Serbia and Montenegro's only after the renaming of the Federal
#: Republic of Yugoslavia (4 Feb 2003; ISO 3166 assigned CS on 23 Jul 2003); in between FRY used "YU".
ISO2_VALID_FROM = {"SCG": "2003-02-04"}

#: for long series of one country: the historical state whose years come before its successor's
#: (the USSR before Russia, the Federal Republic before united Germany, ...). Each keeps its own code.
SERIES_PREDECESSORS = {"RUS": "SUN", "DEU": "GFR", "SRB": "YUG", "CZE": "CSK", "YEM": "YAR"}

#: (predecessor, successor): a state and the state that continues its series under a new code. Both
#: exist in the year of the change; only the one that held the series for the larger part of that
#: year is a system member then (:meth:`Registry.system_members`), and the two never form a dyad.
SERIES_TRANSITIONS = (("SUN", "RUS"), ("GFR", "DEU"), ("DDR", "DEU"), ("YUG", "SCG"), ("SCG", "SRB"),
                      ("YAR", "YEM"), ("YMD", "YEM"))


def _d(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def days_in_year(start: str, end: str | None, year: int) -> int:
    """Days of the spell [start, end] (ISO dates, end None or '9999-12-31': open) inside ``year``."""
    lo, hi = max(start, f"{year}-01-01"), min(end or "9999-12-31", f"{year}-12-31")
    return (_d(hi) - _d(lo)).days + 1 if lo <= hi else 0


class _Ambiguous(Exception):
    pass


def _year_holder(spans, year: int) -> str | None:
    """The yearly rule: of ``spans`` [(start, end, code)], the code held for most days of ``year``
    (ties: the later holder). None when no span touches the year; :class:`_Ambiguous` when two
    codes hold the key on one same date."""
    inside = [(s, e, c) for s, e, c in spans if days_in_year(s, e, year)]
    codes = {c for _, _, c in inside}
    if len(codes) <= 1:
        return next(iter(codes), None)
    for i, (s1, e1, c1) in enumerate(inside):
        for s2, e2, c2 in inside[i + 1:]:
            if c1 != c2 and s1 <= (e2 or "9999-12-31") and s2 <= (e1 or "9999-12-31"):
                raise _Ambiguous(f"{c1} and {c2} both hold it from {max(s1, s2)}")
    days: dict[str, int] = {}
    first: dict[str, str] = {}
    for s, e, c in inside:
        days[c] = days.get(c, 0) + days_in_year(s, e, year)
        first[c] = max(first.get(c, ""), s)
    return max(codes, key=lambda c: (days[c], first[c]))


@dataclass(frozen=True)
class Spell:
    start: str
    end: str | None            # None: exists today
    system_member: bool

    def covers(self, date: str) -> bool:
        """True when the ISO date ``date`` (YYYY-MM-DD) falls in the spell (an open end runs to today)."""
        return self.start <= date and (self.end is None or date <= self.end)

    def overlaps_year(self, year: int) -> bool:
        """True when the spell holds on at least one day of ``year``."""
        return self.start <= f"{year}-12-31" and (self.end is None or self.end >= f"{year}-01-01")


@dataclass(frozen=True)
class State:
    code: str
    name: str
    iso3: str | None
    iso2: str | None
    isonum: int | None
    cow: int | None
    cow_abb: str | None
    gw: int | None
    gw_microstate: bool
    spells: tuple[Spell, ...]
    aliases: tuple[str, ...]
    succession: str
    source: str

    @property
    def start(self) -> str:
        return self.spells[0].start

    @property
    def end(self) -> str | None:
        return self.spells[-1].end

    @property
    def exists_today(self) -> bool:
        return self.spells[-1].end is None

    def exists(self, year: int | None = None, date: str | None = None, system_only: bool = True) -> bool:
        """True when the state exists in ``year`` (any day) or on ``date``; with ``system_only``, as a member
        of the state system."""
        for s in self.spells:
            if system_only and not s.system_member:
                continue
            if date is not None and s.covers(date):
                return True
            if year is not None and date is None and s.overlaps_year(year):
                return True
        return False

    def to_dict(self) -> dict:
        """The state's codes, names and spells as plain values (for JSON)."""
        return {
            "code": self.code, "name": self.name, "iso3": self.iso3, "iso2": self.iso2,
            "isonum": self.isonum, "cow": self.cow, "cow_abb": self.cow_abb, "gw": self.gw,
            "start": self.start, "end": self.end,
            "spells": [(s.start, s.end, s.system_member) for s in self.spells],
            "aliases": list(self.aliases), "succession": self.succession, "source": self.source,
        }


def normalise_name(s: str) -> str:
    """Case, accents and punctuation removed: 'Côte d’Ivoire' and "Cote d'Ivoire" are one key."""
    s = str(s).replace("’", "'").replace("‘", "'")     # before the ASCII folding, which would drop them
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    s = s.lower().replace("&", " and ")
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    s = re.sub(r"^the ", "", s)
    return s


def _int(x: str) -> int | None:
    return int(x) if x not in ("", None) else None


class Registry:
    """All states, their codes in every system, and resolution with dates."""

    def __init__(self, rows: list[dict]):
        by_code: dict[str, list[dict]] = {}
        for r in rows:
            by_code.setdefault(r["code"], []).append(r)
        self.states: dict[str, State] = {}
        for code, rs in by_code.items():
            rs.sort(key=lambda r: r["start"])
            r0 = rs[-1]
            aliases = tuple(sorted({a for r in rs for a in r["aliases"].split("|") if a}))
            self.states[code] = State(
                code=code, name=r0["name"], iso3=r0["iso3"] or None, iso2=r0["iso2"] or None,
                isonum=_int(r0["isonum"]), cow=_int(next((r["cow"] for r in rs if r["cow"]), "")),
                cow_abb=next((r["cow_abb"] for r in rs if r["cow_abb"]), None) or None,
                gw=_int(next((r["gw"] for r in rs if r["gw"]), "")),
                gw_microstate=r0["gw_microstate"] == "1",
                spells=tuple(Spell(r["start"], r["end"] or None, r["system_member"] == "1") for r in rs),
                aliases=aliases, succession=r0["succession"], source=r0["source"],
            )
        self._names: dict[str, set[str]] = {}
        for st in self.states.values():
            for n in (st.name, st.code, *st.aliases):
                self._names.setdefault(normalise_name(n), set()).add(st.code)
        # code systems: key -> list of (start, end, code)
        self._systems: dict[str, dict[str, list[tuple[str, str, str]]]] = {"iso3": {}, "iso2": {}, "cow": {}, "gw": {}, "isonum": {}, "cow_abb": {}}
        for st in self.states.values():
            for s in st.spells:
                end = s.end or "9999-12-31"
                for sysname, val in (("iso3", st.iso3), ("iso2", st.iso2), ("isonum", st.isonum),
                                     ("cow", st.cow if s.system_member else None),
                                     ("cow_abb", st.cow_abb if s.system_member else None),
                                     ("gw", st.gw if s.system_member else None)):
                    if val is not None:
                        start = max(s.start, ISO2_VALID_FROM.get(st.code, "")) if sysname == "iso2" else s.start
                        self._systems[sysname].setdefault(str(val), []).append((start, end, st.code))
        for spans in (s for sysmap in self._systems.values() for s in sysmap.values()):
            spans.sort()

    # ---- lookups -------------------------------------------------------------------------
    def __contains__(self, code: str) -> bool:
        return code in self.states

    def __iter__(self):
        return iter(self.states.values())

    def __len__(self) -> int:
        return len(self.states)

    def get(self, code: str) -> State:
        """The :class:`State` of the multipolar code ``code``; an unknown code raises with suggestions."""
        try:
            return self.states[code]
        except KeyError:
            raise UnknownCountryError(code, suggestions=self.suggest(code), reason="not a multipolar state code") from None

    def system_members(self, year: int) -> list[str]:
        """Codes of the states that are members of the state system at some point of ``year``; of a
        series (:data:`SERIES_TRANSITIONS`) only the state that held it for the larger part of the
        year (ties: the later one): 1991 lists ``SUN`` and not ``RUS``, 1990 ``GFR`` and ``DDR`` and
        not ``DEU``, but ``YEM`` and not ``YAR`` or ``YMD``."""
        codes = {c for c, st in self.states.items() if st.exists(year=year)}
        for pred, succ in SERIES_TRANSITIONS:
            if pred in codes and succ in codes:
                # the later holder wins a tie: the predecessor stays only with more days
                keep_pred = self.days_in_year(pred, year) > self.days_in_year(succ, year)
                codes.discard(succ if keep_pred else pred)
        return sorted(codes)

    def days_in_year(self, code: str, year: int, system_only: bool = True) -> int:
        """Days of ``year`` on which the state existed (as a system member, unless ``system_only=False``)."""
        return sum(days_in_year(s.start, s.end, year) for s in self.get(code).spells if s.system_member or not system_only)

    @staticmethod
    def series_transitions() -> frozenset[tuple[str, str]]:
        """(predecessor, successor) pairs of states that continue one series under two codes
        (:data:`SERIES_TRANSITIONS`): never a dyad, never both members of the system in one year."""
        return frozenset(SERIES_TRANSITIONS)

    @staticmethod
    def same_series(a: str, b: str) -> bool:
        """True when ``a`` and ``b`` are a predecessor and its successor in one series (either order)."""
        return (a, b) in SERIES_TRANSITIONS or (b, a) in SERIES_TRANSITIONS

    def series_member(self, code: str, year: int) -> str | None:
        """The state that stands for ``code``'s series in ``year``: ``code`` itself when it is a
        system member that year, else its predecessor or successor that is (RUS in 1991 -> SUN,
        YAR in 1990 -> YEM); None when neither is."""
        members = set(self.system_members(year))
        if code in members:
            return code
        linked = [b for a, b in SERIES_TRANSITIONS if a == code] + [a for a, b in SERIES_TRANSITIONS if b == code]
        hit = [c for c in linked if c in members]
        if len(hit) == 1:
            return hit[0]
        if len(hit) > 1 and code in SERIES_PREDECESSORS:      # DEU in 1990: its continuator GFR
            return SERIES_PREDECESSORS[code]
        return None

    def suggest(self, value: str, n: int = 5) -> list[str]:
        """Up to ``n`` codes whose names are closest to ``value`` (for 'did you mean' messages)."""
        key = normalise_name(value)
        keys = list(self._names)
        close = difflib.get_close_matches(key, keys, n=n * 2, cutoff=0.6)
        # substring matches help for 'korea', 'congo', 'yemen'
        close += [k for k in keys if key and len(key) >= 4 and key in k][: n * 2]
        out: list[str] = []
        for k in close:
            for c in sorted(self._names[k]):
                label = f"{self.states[c].name} ({c})"
                if label not in out:
                    out.append(label)
        return out[:n]

    def _sugg(self, value) -> list[str]:
        return self.suggest(value) if self._suggest_on else []

    _suggest_on = True

    def try_resolve(self, value, **kw) -> str | None:
        """Like :meth:`resolve`, but None instead of an error (and no suggestions computed)."""
        self._suggest_on = False
        try:
            return self.resolve(value, **kw)
        except UnknownCountryError:
            return None
        finally:
            self._suggest_on = True

    def _pick(self, candidates: set[str], value, date: str | None, year: int | None, context: str) -> str:
        if len(candidates) == 1 and date is None and year is None:
            return next(iter(candidates))
        if date is not None or year is not None:
            alive = [c for c in candidates if self.states[c].exists(year=year, date=date, system_only=False)]
            if len(alive) == 1:
                return alive[0]
            if len(alive) > 1 and year is not None and date is None:
                # the yearly rule: the state that held the name for the larger part of the year
                spans = [(s.start, s.end, c) for c in alive for s in self.states[c].spells]
                try:
                    return _year_holder(spans, year)
                except _Ambiguous as e:
                    raise UnknownCountryError(value, suggestions=[f"{self.states[c].name} ({c})" for c in sorted(alive)],
                                              reason=f"ambiguous in {year}: {e}", context=context) from None
            when = date or str(year)
            if not alive:
                raise UnknownCountryError(value, suggestions=[f"{self.states[c].name} ({c}, {self.states[c].start[:4]}–{(self.states[c].end or '')[:4]})" for c in sorted(candidates)],
                                          reason=f"no state of that name existed in {when}", context=context)
            candidates = set(alive)
        today = [c for c in candidates if self.states[c].exists_today]
        if len(today) == 1:
            return today[0]
        raise UnknownCountryError(value, suggestions=[f"{self.states[c].name} ({c})" for c in sorted(candidates)],
                                  reason="ambiguous: several states carry this name; give a year", context=context)

    def resolve(self, value, *, year: int | None = None, date: str | None = None, system: str | None = None,
                context: str = "") -> str:
        """Return the multipolar code for a name, alias or code.

        ``system`` restricts to one coding system ('iso3', 'iso2', 'cow', 'gw', 'cow_abb', 'isonum',
        'name'); by default multipolar codes, ISO3 codes and names are tried, in that order.
        Numbers are COW codes unless ``system='gw'`` or ``'isonum'``.
        """
        if value is None or (isinstance(value, float) and value != value):
            raise UnknownCountryError(value, reason="missing country", context=context)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            system = system or "cow"
            value = int(value)
        sval = str(value).strip()
        if system in (None, "code") and sval in self.states and (date is None and year is None or self.states[sval].exists(year=year, date=date, system_only=False)):
            return sval
        if system and system != "name":
            spans = self._systems[system].get(sval if system != "cow_abb" else sval.upper())
            if not spans:
                raise UnknownCountryError(value, suggestions=self._sugg(sval), reason=f"not a known {system} code", context=context)
            return self._pick_span(spans, value, date, year, system, context)
        if system is None and len(sval) == 3 and sval.isupper() and sval in self._systems["iso3"]:
            return self._pick_span(self._systems["iso3"][sval], value, date, year, "iso3", context)
        cands = self._names.get(normalise_name(sval))
        if not cands:
            raise UnknownCountryError(value, suggestions=self._sugg(sval), context=context)
        return self._pick(set(cands), value, date, year, context)

    def _pick_span(self, spans, value, date, year, system, context) -> str:
        codes = {c for _, _, c in spans}
        if date is None and year is None:
            if len(codes) == 1:
                return next(iter(codes))
            today = [c for s, e, c in spans if e == "9999-12-31"]
            if len(set(today)) == 1:
                return today[0]
            raise UnknownCountryError(value, suggestions=[f"{self.states[c].name} ({c})" for c in sorted(codes)],
                                      reason=f"{system} code used by several states; give a year", context=context)
        if date is not None:
            hit = sorted({c for s, e, c in spans if s <= date <= e})
            if len(hit) > 1:
                raise UnknownCountryError(value, suggestions=[f"{self.states[c].name} ({c})" for c in hit],
                                          reason=f"{system} code held by several states on {date}", context=context)
        else:
            try:
                h = _year_holder(spans, year)       # the yearly rule
            except _Ambiguous as e:
                raise UnknownCountryError(value, suggestions=[f"{self.states[c].name} ({c})" for c in sorted(codes)],
                                          reason=f"{system} code ambiguous in {year}: {e}", context=context) from None
            hit = [h] if h else []
        if not hit:
            when = date or year
            raise UnknownCountryError(value, suggestions=[f"{self.states[c].name} ({c}, {s[:4]}–{e[:4] if e < '9999' else ''})" for s, e, c in spans],
                                      reason=f"{system} code held by no state in {when}", context=context)
        return hit[-1]

    def name(self, code: str) -> str:
        """The English short name of the state ``code``."""
        return self.get(code).name

    # ---- tables for vectorised joins in the warehouse --------------------------------------
    def crosswalk(self, system: str) -> pd.DataFrame:
        """Rows (key, start, end, code) for interval joins: ``key`` as a string."""
        import pandas as pd
        rows = [(k, s, e, c) for k, spans in self._systems[system].items() for s, e, c in spans]
        return pd.DataFrame(rows, columns=["key", "start", "end", "code"])

    def year_crosswalk(self, system: str, years=range(1816, int(TODAY[:4]) + 1)) -> pd.DataFrame:
        """One row per (key, year) -> code by the yearly rule: the state that held the key for the
        larger part of that year (ties: the later holder). A key held by two states on one date
        (none is, see the tests) has no row in the years concerned."""
        import pandas as pd
        rows = []
        for k, spans in self._systems[system].items():
            lo = max(min(int(s[:4]) for s, _, _ in spans), years.start)
            hi = min(max(int(e[:4]) for _, e, _ in spans), years.stop - 1)
            one = len({c for _, _, c in spans}) == 1
            for y in range(lo, hi + 1):
                if one:
                    c = spans[0][2] if any(days_in_year(s, e, y) for s, e, _ in spans) else None
                else:
                    try:
                        c = _year_holder(spans, y)
                    except _Ambiguous:
                        c = None
                if c is not None:
                    rows.append((k, y, c))
        return pd.DataFrame(rows, columns=["key", "year", "code"])

    def classify(self, code: str) -> str | None:
        """'state', 'territory', 'aggregate', or None for a code nobody knows (ISO3 or WB)."""
        if code in self.states or code in self._systems["iso3"]:
            return "state"
        if code in WB_AGGREGATES:
            return "aggregate"
        if code in _iso_territories() or code in EXTRA_TERRITORIES:
            return "territory"
        return None

    def to_frame(self) -> pd.DataFrame:
        """One row per state and spell: codes, names, start, end and state-system membership."""
        import pandas as pd
        rows = []
        for st in self.states.values():
            for s in st.spells:
                rows.append(dict(code=st.code, name=st.name, iso3=st.iso3, iso2=st.iso2, cow=st.cow,
                                 gw=st.gw, start=s.start, end=s.end, system_member=s.system_member))
        return pd.DataFrame(rows)


@lru_cache(maxsize=1)
def _iso_territories() -> frozenset[str]:
    import pycountry
    return frozenset(c.alpha_3 for c in pycountry.countries) | frozenset(c.alpha_3 for c in pycountry.historic_countries)


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The registry built from the embedded ``states.csv`` (cached)."""
    with resources.files("multipolar.actors").joinpath("data/states.csv").open(encoding="utf-8") as f:
        return Registry(list(csv.DictReader(f)))


def resolve(value, **kw) -> str:
    """The multipolar code of ``value`` (a code of any system or a name), resolved by date with
    :meth:`Registry.resolve`'s keywords."""
    return registry().resolve(value, **kw)


def state_name(code: str) -> str:
    """The registry's short name of a state or grouping (``"RUS"`` → ``"Russia"``); an unknown code is returned as it is."""
    try:
        return registry().get(code).name
    except Exception:
        return code
