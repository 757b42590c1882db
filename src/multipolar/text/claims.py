"""Claims in a sentence: quantities, comparisons and trends, relations. Rules, stated here.

Quantities
    A money amount (``$35 billion``, ``US$1.2bn``, ``€40 billion``, ``35 billion dollars``), a
    multiplier (``tripled``, ``doubled``, ``halved``, ``grew fivefold``), a percentage share
    (``60% of India's arms imports``, ``a third of``). The measure comes from the sentence's words:
    *trade* (trade, turnover, commerce), *exports* / *imports* (with the direction from the states'
    order and "to"/"from"), *energy and minerals* (oil, gas, energy, coal, crude, LNG, minerals),
    *arms* (arms, weapons, arms deliveries, military equipment). The year is the sentence's
    four-digit year (two for a change: "between 2014 and 2024"); without one, the text's date.
Population
    A state's head count: ``a population of 1.4 billion``, ``its population reached 146 million``,
    ``home to 280 million people``, ``a country of 45 million``; the state is the possessive or the
    sentence's only state.
Comparisons
    rank: ``largest / second-largest / biggest / top / leading / main`` + ``trading partner``,
    ``arms supplier``, ``supplier``, ``market``, ``customer``, ``buyer``.
Trends
    ``ever more / increasingly / more and more`` + ``reliant / dependent`` (dependence rising);
    ``grown / drawn / moved closer``, ``closer than ever`` (closeness rising); ``drifted / grown apart``,
    ``estranged``, ``cooled`` (closeness falling).
Relations
    alliance (``ally``, ``allies``, ``alliance``, ``defence pact``), strategic partnership
    (``strategic partners``, ``partnership without limits``, ``no-limits partnership``), rivalry
    (``rivals``, ``rivalry``, ``adversaries``, ``enemies``), war (``at war``, ``war against``,
    ``invaded``, ``invasion of``), client state (``client state``, ``vassal``, ``junior partner``),
    sanctions (``sanctions on / against``, ``sanctioned``), membership (``suspended its membership /
    participation``, ``joined``, ``left`` / ``withdrew from`` a grouping). A negation before the
    phrase (``not``, ``no longer``, ``never``) is kept as ``negated``.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

SCALE = {"trillion": 1e12, "tn": 1e12, "billion": 1e9, "bn": 1e9, "b": 1e9, "million": 1e6, "mn": 1e6, "m": 1e6,
         "thousand": 1e3, "k": 1e3}
CUR = {"$": "USD", "us$": "USD", "usd": "USD", "dollars": "USD", "dollar": "USD", "€": "EUR", "eur": "EUR", "euros": "EUR",
       "euro": "EUR", "yuan": "CNY", "renminbi": "CNY", "roubles": "RUB", "rubles": "RUB", "£": "GBP", "pounds": "GBP"}
NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
MONEY = re.compile(rf"(?P<cur>US\$|\$|€|£|USD |EUR )\s?(?P<num>{NUM})\s?(?P<scale>trillion|billion|million|thousand|bn|tn|mn|m|b|k)?\b"
                   rf"|(?P<num2>{NUM})\s(?P<scale2>trillion|billion|million|thousand)\s(?:US\s)?(?P<cur2>dollars|euros|yuan|roubles|rubles|renminbi|pounds)",
                   re.I)
MULT = re.compile(r"\b(?P<w>doubled|tripled|trebled|quadrupled|halved|(?:grew|rose|increased|jumped)\s(?P<k>two|three|four|five|six|ten|\d+)[- ]?fold"
                  r"|(?P<k2>two|three|four|five|six|ten|\d+)[- ]?fold\s(?:increase|rise|growth))\b", re.I)
PCT = re.compile(rf"\b(?P<num>{NUM})\s?(?:%|per\s?cent|percent)|\b(?P<frac>half|a third|a quarter|two-thirds|two thirds|three-quarters)\b(?= of)", re.I)
#: a head count of a state's people: "a population of 1.4 billion", "its population reached 146 million",
#: "home to 280 million people", "a country of 45 million"; a count without one of these phrases (refugees,
#: troops, "6 million people displaced") is not a population
POP = re.compile(rf"\b(?:population(?:\s(?:of|reached|rose to|grew to|fell to|shrank to|stood at|was|is|exceeds|exceeded|topped|passed|hit|"
                 rf"had reached|has reached|of about|of some))|home to|(?:country|nation|state) of)\s(?:about\s|some\s|nearly\s|roughly\s|"
                 rf"almost\s|around\s|more than\s|over\s|just over\s|just under\s|under\s)?(?P<num>{NUM})\s?(?P<scale>billion|million|bn|mn|m)?"
                 rf"(?:\s(?:people|inhabitants|residents|citizens))?\b", re.I)
CHANGE_PCT = re.compile(rf"\b(?P<dir>rose|grew|increased|jumped|climbed|fell|dropped|declined|shrank|plunged)\s(?:by\s)?(?P<num>{NUM})\s?(?:%|per\s?cent|percent)", re.I)
FRAC = {"half": 0.5, "a third": 1 / 3, "a quarter": 0.25, "two-thirds": 2 / 3, "two thirds": 2 / 3, "three-quarters": 0.75}
MULTK = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10}
RANK = re.compile(r"\b(?P<r>largest|biggest|second[- ]largest|second[- ]biggest|third[- ]largest|top|leading|main|principal|dominant)"
                  r"\s(?P<what>trading partner|trade partner|arms supplier|supplier of arms|weapons supplier|supplier|source of arms|market|customer|buyer|partner)", re.I)
RANKN = {"largest": 1, "biggest": 1, "top": 1, "leading": 1, "main": 1, "principal": 1, "dominant": 1,
         "second-largest": 2, "second largest": 2, "second-biggest": 2, "second biggest": 2, "third-largest": 3, "third largest": 3}
TREND = [
    (re.compile(r"\b(?:ever more|increasingly|more and more|growing(?:ly)?|ever-more)\s(?:reliant|dependent)\b", re.I), "dependence", "rising"),
    (re.compile(r"\b(?:less and less|decreasingly)\s(?:reliant|dependent)\b|\breduced its (?:reliance|dependence)\b", re.I), "dependence", "falling"),
    (re.compile(r"\b(?:grown|drawn|moved|grew|drew|moving|drawing|growing)\s(?:ever\s|much\s)?closer\b|\bcloser than ever\b", re.I), "closeness", "rising"),
    (re.compile(r"\b(?:drifted|grown|drifting|moved)\s(?:further\s)?apart\b|\bestranged\b|\bties (?:have\s)?cooled\b", re.I), "closeness", "falling"),
]
REL = [
    (re.compile(r"\b(?:de facto\s|military\s|formal\s)?allian(?:ce|ces)\b|\ballies\b|\bally\b|\bdefen[cs]e pact\b|\bmutual[- ]defen[cs]e\b", re.I), "alliance"),
    (re.compile(r"\bstrategic partner(?:s|ship)?\b|\bpartnership without limits\b|\bno[- ]limits partnership\b", re.I), "strategic partnership"),
    (re.compile(r"\brival(?:s|ry)?\b|\badversar(?:y|ies)\b|\benem(?:y|ies)\b", re.I), "rivalry"),
    (re.compile(r"\bat war\b|\bwar (?:against|on|with)\b|\binvaded\b|\binvasion of\b", re.I), "war"),
    (re.compile(r"\bclient state\b|\bvassal\b|\bjunior partner\b", re.I), "client state"),
    (re.compile(r"\bsanctions?\s(?:on|against)\b|\bsanctioned\b|\bimposed\s(?:\w+\s){0,2}sanctions\b", re.I), "sanctions"),
    (re.compile(r"\bsuspended (?:its|their) (?:membership|participation)\b", re.I), "suspended membership"),
    (re.compile(r"\b(?:joined|became a (?:full\s)?member of|acceded to)\b", re.I), "joined"),
    (re.compile(r"\b(?:withdrew from|left|quit)\b", re.I), "left"),
]
NEG = re.compile(r"\b(?:not|no longer|never|nor|hardly)\b[^.;]{0,25}$", re.I)
MEASURES = [
    ("arms", re.compile(r"\b(?:arms|weapons|armaments|military equipment|fighter jets|tanks|missiles|arms deliveries|arms sales)\b", re.I)),
    ("energy and minerals", re.compile(r"\b(?:oil|gas|energy|coal|crude|LNG|minerals?|hydrocarbons|fuels?|commodities)\b", re.I)),
    ("trade", re.compile(r"\b(?:trade|turnover|commerce|trading)\b", re.I)),
    ("exports", re.compile(r"\b(?:exports?|exported|sold|sells)\b", re.I)),
    ("imports", re.compile(r"\b(?:imports?|imported|bought|buys|purchases|purchased)\b", re.I)),
    ("gdp", re.compile(r"\b(?:GDP|gross domestic product|economy)\b", re.I)),
    ("military spending", re.compile(r"\b(?:defen[cs]e budget|military spending|military expenditure|defen[cs]e spending)\b", re.I)),
]
#: a sentence without any of these holds no claim the rules below find (a quick first pass)
TRIGGER = re.compile(r"\d|[$€£%]|\b(?:half|third|quarter|doubled|tripled|trebled|quadrupled|halved|fold|largest|biggest|top|leading|"
                     r"main|principal|dominant|reliant|dependent|dependence|reliance|closer|apart|estranged|cooled|allian|all(?:y|ies)\b|"
                     r"defen[cs]e pact|mutual|partner|rival|adversar|enem|war\b|invad|invasion|client|vassal|sanction|suspended|joined|"
                     r"member|acceded|withdrew|left|quit)", re.I)
CLAUSE = object()     # "the measure of the amount's clause"
YEAR = re.compile(r"\b(19[4-9]\d|20[0-4]\d)\b")


@dataclass
class Claim:
    kind: str                     # quantity | comparison | trend | relation
    text: str                     # the phrase that makes the claim
    start: int                    # character offsets in the document
    end: int
    sentence: int
    states: list = field(default_factory=list)     # codes in the order the sentence gives them
    years: list = field(default_factory=list)
    measure: str | None = None    # trade | exports | imports | energy and minerals | arms | share | rank | dependence | closeness
    value: float | None = None
    unit: str | None = None       # USD | EUR | ... | ratio | percent | rank
    scale: str | None = None
    relation: str | None = None
    direction: str | None = None  # rising | falling
    negated: bool = False
    groupings: list = field(default_factory=list)
    owner: str | None = None      # the state in the possessive ("India's arms imports")
    context: str = ""             # the sentence
    id: int = 0
    check: dict | None = None     # filled by :mod:`multipolar.text.check`

    def to_dict(self) -> dict:
        """The claim as plain values (for JSON)."""
        return asdict(self)


def _num(s: str) -> float:
    return float(s.replace(",", ""))


def _measures(s: str) -> list[str]:
    return [m for m, rx in MEASURES if rx.search(s)]


def _measure(s: str) -> str | None:
    ms = _measures(s)
    for m in ("arms", "energy and minerals", "trade", "exports", "imports", "military spending", "gdp"):
        if m in ms:
            return m
    return None


def _own_pair(sent: str, m, states: list[str], spans, owner: str | None) -> list[str]:
    """The states of a war phrase's own clause ("since the invasion of Ukraine", "X invaded Y"): the state
    named right after the phrase is one side; the other is the state before "invaded", else the owner
    ("Russia's invasion of"), else the sentence's first other state (the subject of an agentless
    "the invasion of"). Other states follow, in order. Without a state after the phrase: unchanged."""
    after = [c for a, b, c in spans if m.end() <= a <= m.end() + 5 + (4 if sent[m.end():m.end() + 5].strip().lower().startswith("the") else 0)]
    if not after:
        return list(states)
    obj = after[0]
    before = [c for a, b, c in spans if b <= m.start() and c != obj]
    if m.group(0).lower() == "invaded" and before:
        subj = before[-1]
    elif owner and owner != obj:
        subj = owner
    else:
        subj = next((c for c in states if c != obj), None)
    if subj is None:
        return list(states)
    return [subj, obj] + [c for c in states if c not in (subj, obj)]


def extract(sent: str, offset: int, sentence: int, states: list[str], groupings: list[str], default_year: int | None,
            owner: str | None = None, mentions=None) -> list[Claim]:
    """Every claim of one sentence. ``states``: the state codes the sentence names, in order; ``mentions``:
    (start, end, code) of each state mention in the sentence (a war phrase then takes its own pair)."""
    if not TRIGGER.search(sent):
        return []
    out: list[Claim] = []
    years = [int(y) for y in YEAR.findall(sent)]
    yrs = years or ([default_year] if default_year else [])
    meas = _measure(sent)

    ypos = [(ym.start(), int(ym.group(0))) for ym in YEAR.finditer(sent)]

    def near_year(m) -> list[int]:
        """A single amount's year: the first year named after it in its clause ("$54 billion in 2023, up from
        $2.3 billion in 2021"), else the nearest before it, else the sentence's or the text's."""
        after = [y for p, y in ypos if p >= m.end() and not re.search(r"[;,]\s|\bup from\b|\bdown from\b", sent[m.end():p])]
        if after:
            return [after[0]]
        before = [y for p, y in ypos if p < m.start()]
        return [before[-1]] if before else list(yrs)

    cuts = [0] + [x.end() for x in re.finditer(r"[,;:]\s|\s(?:but|while|whereas)\s", sent)] + [len(sent) + 1]

    def clause_measure(m) -> str | None:
        """The measure of the clause that holds the amount, else of the nearest clause before it with one."""
        k = max(i for i, c in enumerate(cuts) if c <= m.start())
        for i in range(k, -1, -1):
            ms = _measure(sent[cuts[i]:cuts[i + 1]])
            if ms:
                return ms
        return meas

    def add(kind, m, **kw):
        if kw.get("measure") is CLAUSE:
            kw["measure"] = clause_measure(m)
        if kw.get("scale") is CLAUSE:
            kw["scale"] = clause_measure(m)
        ys = near_year(m) if kind == "quantity" and kw.get("unit") not in ("ratio",) and len(ypos) > 1 else list(yrs)
        c = Claim(kind, m.group(0), offset + m.start(), offset + m.end(), sentence, list(states), ys, groupings=list(groupings), owner=owner, context=sent, **kw)
        out.append(c)
        return c

    for m in MONEY.finditer(sent):
        num = m.group("num") or m.group("num2")
        scale = (m.group("scale") or m.group("scale2") or "").lower() or None
        cur = CUR.get((m.group("cur") or m.group("cur2") or "").strip().lower(), None)
        if m.group("scale") and m.group("scale").lower() in ("m", "b", "k") and m.group("scale") != m.group("scale").lower():
            pass
        add("quantity", m, measure=CLAUSE, value=_num(num) * SCALE.get(scale or "", 1), unit=cur, scale=scale)
    for m in POP.finditer(sent):
        if m.group("scale") or _num(m.group("num")) >= 1e4:
            scale = (m.group("scale") or "").lower() or None
            add("quantity", m, measure="population", value=_num(m.group("num")) * SCALE.get(scale or "", 1), unit="people", scale=scale)
    for m in MULT.finditer(sent):
        w = m.group("w").lower()
        k = {"doubled": 2, "tripled": 3, "trebled": 3, "quadrupled": 4, "halved": 0.5}.get(w)
        if k is None:
            kk = (m.group("k") or m.group("k2")).lower()
            k = MULTK.get(kk) or float(kk)
        add("quantity", m, measure=CLAUSE, value=float(k), unit="ratio")
    for m in CHANGE_PCT.finditer(sent):
        sign = -1 if m.group("dir").lower() in ("fell", "dropped", "declined", "shrank", "plunged") else 1
        add("quantity", m, measure=CLAUSE, value=1 + sign * _num(m.group("num")) / 100, unit="ratio")
    taken = [(c.start - offset, c.end - offset) for c in out]
    for m in PCT.finditer(sent):
        if any(a <= m.start() < b for a, b in taken):
            continue
        v = _num(m.group("num")) / 100 if m.group("num") else FRAC[m.group("frac").lower()]
        add("quantity", m, measure="share", value=v, unit="share", scale=CLAUSE)
    for m in RANK.finditer(sent):
        r = RANKN.get(m.group("r").lower().replace("  ", " "), 1)
        what = m.group("what").lower()
        cm = clause_measure(m)
        meas_r = "arms" if ("arms" in what or "weapons" in what or cm == "arms") else ("energy and minerals" if cm == "energy and minerals" else "trade")
        add("comparison", m, measure="rank", value=float(r), unit="rank", scale=meas_r)
    for rx, what, direction in TREND:
        for m in rx.finditer(sent):
            add("trend", m, measure=what, direction=direction)
    spans = []
    for rx, rel in REL:
        for m in rx.finditer(sent):
            if any(a <= m.start() < b for a, b in spans):
                continue
            if rel in ("joined", "left") and not groupings:
                continue
            if rel == "left" and not re.search(r"\b(?:left|withdrew from|quit)\s(?:the\s)?[A-Z]", sent[m.start():m.end() + 30]):
                continue
            spans.append((m.start(), m.end()))
            neg = bool(NEG.search(sent[:m.start()]))
            c = add("relation", m, relation=rel, negated=neg)
            if rel == "war" and mentions and not re.match(r"at war", m.group(0), re.I):
                c.states = _own_pair(sent, m, states, mentions, owner)
    return out
