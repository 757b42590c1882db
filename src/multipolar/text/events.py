"""Events of one sentence, clause by clause: who did what to whom, without a parser.

The sentence's finite verbs are found first (a verb of the PETRARCH2 dictionary that is not a noun,
an infinitive, a gerund, a reduced relative or a statistic); each verb then takes its own subject
and object from its own stretch of the sentence:

- **subject**: the first actor between the previous verb (or a clause break) and the verb that is
  not the object of a preposition and not the possessor of a thing ("India's arms imports came
  from" has no actor subject; "Niger's junta" and "Chinese firms" act for their state: the noun is
  one of the PETRARCH2 agent nouns, ``Phoenix.agents.txt``). A verb joined to the previous one by
  "and" or a comma shares its subject ("X praised Y and urged Z"); a relative clause
  (", which ...,") takes the actor before it, and so does the verb after it.
- **object**: the first actor after the verb up to the next verb or clause break; a state or city
  after "in", "near", "during" is a place, not a target (a grouping after "in" is kept: "its
  participation in the CSTO"); "between X and Y" and "X and Y" give both; after "that" only the
  complement's subject counts ("demanded that Japan stop"); an infinitive ("agreed to share ...
  with Washington") ends the stretch.
- **passive** ("Manila was promised boats by Tokyo"): the agent after "by" is the source, the
  subject the target; without an agent there is no event.
- **negation** ("did not join", "no longer") drops the event.
- **compound subject** ("X and Y signed a treaty"): with an object each member acts on it, without
  one the first acts on the second.
- **participle clause** after the main verb (", accusing him of ...") shares the main verb's subject;
  "refused to" / "declined to" is no event.
- **coreference** (:class:`Context`, carried from sentence to sentence): "the two sides", "both
  countries" (and the like) stand for the two states of the closest earlier sentence that names two,
  the first the text named as the source; a clause's "it" / "its" for the latest singular subject that
  is not a person, "he" / "she" / "him" / "her" for the latest person (a leader, "Australia's prime
  minister"), "they" for the latest plural phrase ("Chinese vessels", "X and Y"), "them" for the latest
  plural object; a passive's agent is the one who acted. A pronoun nothing earlier agrees with is nobody.
- **reactions**: a verb of criticism or rejection whose object is an act ("condemned the launch",
  "rejected the accusation") targets the latest other actor who acted; "warned that it (Israel) would
  act against Iran" targets the complement's object; drills "near" or "around" a state target it.

The verb is coded with :func:`multipolar.text.cameo.code_verb`, its patterns matched only within
the verb's own stretch.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import cameo

BE = frozenset({"IS", "ARE", "WAS", "WERE", "BE", "BEEN", "BEING"})
COPULA = BE | {"REMAIN", "REMAINS", "REMAINED", "BECOME", "BECAME", "BECOMES", "SEEM", "SEEMS", "SEEMED"}
AUX = frozenset({"HAS", "HAVE", "HAD", "WILL", "WOULD", "CAN", "COULD", "MAY", "MIGHT", "SHALL", "SHOULD", "MUST",
                 "DID", "DOES", "DO"}) | BE
NEG = frozenset({"NOT", "N'T", "NEVER"})
PREP = frozenset({"IN", "AT", "ON", "OF", "FROM", "WITH", "TO", "FOR", "BY", "ABOUT", "AGAINST", "OVER", "UNDER", "NEAR",
                  "DURING", "AFTER", "BEFORE", "BETWEEN", "AMONG", "INTO", "THROUGH", "ACROSS", "SINCE", "WITHIN",
                  "TOWARD", "TOWARDS", "BEYOND", "OUTSIDE", "INSIDE", "UPON", "VIA", "AROUND", "BEHIND", "THAN", "LIKE"})
LOCATIVE = frozenset({"IN", "NEAR", "DURING", "ACROSS", "INSIDE", "AROUND", "VIA", "THROUGH", "WITHIN", "OUTSIDE",
                      "BEHIND"})
BREAK = frozenset({";", ":", "WHICH", "WHO", "WHOM", "WHOSE", "WHILE", "WHEREAS", "ALTHOUGH", "THOUGH", "BECAUSE",
                   "BUT", "WHEN", "IF", "UNLESS", "SINCE", "AFTER", "BEFORE", "UNTIL", "AS", "(", ")", "—", "–"})
DETERMINERS = frozenset({"THE", "A", "AN", "ITS", "THEIR", "HIS", "HER", "THIS", "THAT", "THESE", "THOSE", "NO", "ANY",
                         "EACH", "OUR", "MY", "YOUR", "SUCH", "ANOTHER", "SOME", "MANY", "SEVERAL", "BOTH", "ALL"})
ADVERBS = frozenset({"NOW", "ALSO", "STILL", "AGAIN", "THEN", "OFTEN", "LATER", "EARLIER", "ALREADY", "SOON", "ONCE",
                     "TOO", "JUST", "EVEN", "NEVER", "EVER", "YET", "HOWEVER", "MEANWHILE", "THUS", "LONGER", "RECENTLY",
                     "REPEATEDLY", "QUIETLY", "SWIFTLY", "FORMALLY", "PUBLICLY", "JOINTLY", "OPENLY", "FIRST", "LAST"})
PRONOUNS = frozenset({"HE", "SHE", "IT", "THEY", "WE", "I", "YOU", "WHO", "WHICH"})
QUANTITY = frozenset({"MOST", "HALF", "PERCENT", "PER", "NEARLY", "ALMOST", "ROUGHLY", "SOME", "ABOUT", "AROUND",
                      "OVER", "UNDER", "LESS", "MORE", "A", "TWO", "THREE"})
PAIR_NOUNS = ("sides", "countries", "nations", "governments", "capitals", "states", "neighbours", "neighbors", "powers",
              "leaders", "allies", "rivals", "partners")
PERSONS = frozenset({"PRESIDENT", "MINISTER", "PREMIER", "KING", "QUEEN", "CHANCELLOR", "LEADER", "EMIR", "PRINCE",
                     "SECRETARY", "AMBASSADOR", "ENVOY", "SPOKESMAN", "SPOKESWOMAN", "GENERAL", "MONARCH", "SULTAN",
                     "DICTATOR", "STRONGMAN", "AUTOCRAT", "COMMANDER", "DIPLOMAT"})
#: nouns for an act that a reaction ("condemned the launch", "rejected the accusation") answers
ACT_NOUNS = frozenset({"ACCUSATION", "ACCUSATIONS", "CHARGE", "CHARGES", "THREAT", "THREATS", "MEASURE", "MEASURES", "MOVE",
                       "MOVES", "DECISION", "LAUNCH", "LAUNCHES", "TEST", "TESTS", "DRILLS", "EXERCISES", "STRIKE", "STRIKES",
                       "ATTACK", "ATTACKS", "SANCTIONS", "TARIFFS", "DEMAND", "DEMANDS", "CLAIM", "CLAIMS", "REMARKS",
                       "STATEMENT", "INVASION", "INCURSION", "ULTIMATUM", "EXPULSION", "EXPULSIONS", "BAN", "RESTRICTIONS"})
CLAUSE_OPEN = frozenset({",", "AND", "BUT", "THAT", ";", "WHILE", "SO", "THEN", "BECAUSE", "ALTHOUGH", "THOUGH", "WHEN"})
PRONOUN = re.compile(r"\b(?:[Ii]t|[Tt]hey|[Hh]e|[Ss]he|[Ii]ts|them|him|her)\b")
PAIR = re.compile(r"\b(?:[Tt]he two|[Bb]oth)(?: (?:[a-z]+))? (?:" + "|".join(PAIR_NOUNS) + r")\b")


@dataclass
class Slot:
    """An actor in a sentence as the coder sees it: token span, codes, kind, and how it was found
    (``pron``: the pronoun it stands for, resolved when a verb takes it)."""
    ts: int
    te: int
    codes: tuple
    kind: str
    coref: bool = False
    pron: str = ""


@dataclass
class Mention:
    """An actor phrase an earlier clause left for pronouns: its codes, number, whether it is a person
    (a leader, "Australia's prime minister"), and its role (subject, object or other)."""
    codes: tuple
    plural: bool
    person: bool
    role: str


@dataclass
class Context:
    """The discourse the coder carries from sentence to sentence: the actor phrases in order (for
    "it", "they", "he", "them" and "the measures") and the order states were first named (the
    direction of "the two sides")."""
    mentions: list = field(default_factory=list)
    first_seen: dict = field(default_factory=dict)

    def add(self, m: Mention) -> None:
        """Remember a mention that names states (the latest 40 are kept for the pronouns that follow)."""
        if m.codes:
            self.mentions.append(m)
            del self.mentions[:-40]

    def resolve(self, pron: str, exclude: tuple = ()) -> tuple:
        """The codes a pronoun stands for: "it" the latest singular subject that is not a person, "he"/"she"
        the latest person (else the latest subject), "they" the latest plural phrase, "them" the latest
        plural object; () when nothing earlier agrees (a pronoun is never guessed)."""
        ms = [m for m in reversed(self.mentions) if not set(m.codes) & set(exclude)]
        if pron == "IT":
            found = next((m for m in ms if m.role == "subj" and not m.plural and not m.person), None)
        elif pron in ("HE", "SHE"):
            found = next((m for m in ms if m.person), None) or next((m for m in ms if m.role == "subj"), None)
        elif pron == "THEY":
            found = next((m for m in ms if m.plural), None)
        elif pron == "THEM":
            found = next((m for m in ms if m.plural and m.role == "obj"), None)
        elif pron in ("HIM", "HER"):
            found = next((m for m in ms if m.person), None)
        else:
            found = None
        return found.codes if found else ()


@dataclass
class Coded:
    source: str
    target: str
    code: str
    lemma: str
    pattern: str


@lru_cache(maxsize=1)
def agent_nouns() -> frozenset:
    """Nouns that act for their state (PETRARCH2 ``Phoenix.agents.txt``: every word of every agent entry)."""
    try:
        p = cameo.dictionary_path().with_name("Phoenix.agents.txt")
        words = set()
        for ln in p.read_text(encoding="utf-8", errors="replace").splitlines():
            s = ln.split("#")[0].split("[")[0].strip()
            if not s or not s[0].isalpha():
                continue
            for w in re.split(r"[_\s]+", s.replace("!", "")):
                if len(w) > 2 and w.isalpha():
                    words.add(w.upper())
    except (cameo.DictionaryMissing, OSError):
        words = set()
    words |= {"GOVERNMENT", "MINISTER", "PRESIDENT", "JUNTA", "FORCES", "TROOPS", "ARMY", "NAVY", "MILITARY", "OFFICIALS",
              "LEADER", "LEADERS", "MINISTRY", "DIPLOMATS", "AUTHORITIES", "REGIME", "PREMIER", "CHANCELLOR"}
    return frozenset(words | {w + "S" for w in words} | {w + "ES" for w in words})


def _form_kind(up: str, lemma: str) -> str:
    """'ing', 'past' (past tense or participle), or 'base' (base or present form)."""
    if up.endswith("ING") and not lemma.endswith("ING"):
        return "ing"
    if up in (lemma, lemma + "S", lemma + "ES") or (lemma.endswith("Y") and up == lemma[:-1] + "IES"):
        return "base"
    return "past"


def finite_verbs(words: list[str], toks: list[str], slots: list[Slot], forms) -> list[tuple[int, str, str]]:
    """(token index, form kind, lemma) of the sentence's finite verbs (and passive participles)."""
    in_slot = set()
    for s in slots:
        in_slot.update(range(s.ts, s.te))
    slot_end = {s.te for s in slots if not s.coref}
    demonym_end = {s.te for s in slots if s.kind == "demonym" and not s.coref}
    out = []
    for j, up in enumerate(toks):
        if j in in_slot or up not in forms or up in cameo.NOT_VERBS or not words[j].islower():
            continue
        kinds = {_form_kind(up, v.lemma): v.lemma for v in forms[up]}
        kind = next((k for k in ("ing", "past", "base") if k in kinds), "base")
        lemma = kinds[kind]
        prev = toks[j - 1] if j else ""
        prev2 = toks[j - 2] if j > 1 else ""
        nxt = toks[j + 1] if j + 1 < len(toks) else ""
        nxt2 = toks[j + 2] if j + 2 < len(toks) else ""
        if prev in DETERMINERS or prev == "TO" or prev in PREP:
            continue                      # a noun ("the strike"), an infinitive ("to reopen"), "of failing"
        if kind == "ing" and not (prev in BE or (prev in ADVERBS and prev2 in BE)) and not (prev == "," and out):
            continue                      # a gerund ("of failing"); a participle clause after the main verb
            #                               (", accusing him of") is kept and shares the main verb's subject
        if prev in COPULA and kind != "past" and kind != "ing":
            continue                      # a predicate noun ("are allies")
        if kind == "base" and j in demonym_end:
            continue                      # an adjective and a noun ("a Philippine supply mission")
        if (kind == "base" and j and words[j - 1].islower() and prev not in ADVERBS and prev not in AUX and prev not in NEG
                and prev not in PRONOUNS and prev not in ("AND", "OR", ",") and not prev.endswith("S")
                and not prev.endswith("LY") and j not in slot_end):
            continue                      # a compound noun ("coast guard ships")
        if nxt[:1].isdigit() or nxt[:1] in "$€£" or (nxt in QUANTITY and (nxt2[:1].isdigit() or nxt2 in ("OF", "PERCENT"))):
            continue                      # a statistic ("supplied 72 percent of", "supply most of")
        if kind == "past" and not _has_be(toks, j):
            # a reduced relative ("a deal brokered by Beijing"): a participle after a noun, before "by"
            if nxt == "BY" and words[j - 1].islower() and prev not in AUX and prev not in ADVERBS and j not in slot_end:
                continue
        out.append((j, kind, lemma))
    return out


def _has_be(toks: list[str], j: int) -> bool:
    k = j - 1
    while k >= 0 and (toks[k] in ADVERBS or toks[k] in NEG or toks[k].endswith("LY")):
        k -= 1
    return k >= 0 and toks[k] in BE


def _negated(toks: list[str], a: int, j: int) -> bool:
    for k in range(max(a, j - 4), j):
        if toks[k] in NEG or (toks[k] == "NO" and k + 1 < len(toks) and toks[k + 1] == "LONGER"):
            return True
    return False


def _preceded_by_prep(toks, s: Slot) -> str | None:
    k = s.ts - 1
    while k >= 0 and toks[k] in DETERMINERS:
        k -= 1
    return toks[k] if k >= 0 and toks[k] in PREP else None


def _subject_ok(words, toks, s: Slot, verb: int) -> bool:
    """An actor can be the verb's subject: not after a preposition, not the possessor of a thing."""
    if _preceded_by_prep(toks, s):
        return False
    k = s.te
    if k < len(toks) and toks[k] in ("'S", "'"):
        k += 1
    elif s.kind not in ("demonym", "pronoun-poss"):
        return True
    # the words after the name up to the verb: a possessed or qualified noun must be an agent
    nouns = [toks[x] for x in range(k, verb) if words[x][:1].islower() and toks[x] not in ADVERBS and toks[x] not in AUX
             and toks[x] not in NEG and toks[x] != ","]
    if not nouns:
        return True
    return any(n in agent_nouns() for n in nouns)


def pronoun_slots(words: list[str], toks: list[str], slots: list[Slot], forms) -> list[Slot]:
    """Slots for pronouns that can be a clause's subject ("It imposed", ", and they left", "Its coast guard
    boarded") or a verb's object ("promised them"); their codes are resolved when a verb takes them."""
    taken = set()
    for s in slots:
        taken.update(range(s.ts, s.te))
    out = []
    for k, t in enumerate(toks):
        if k in taken:
            continue
        prev = toks[k - 1] if k else ""
        opens = k == 0 or prev in CLAUSE_OPEN or (prev in ADVERBS and (k == 1 or toks[k - 2] in CLAUSE_OPEN))
        if t in ("IT", "THEY", "HE", "SHE") and opens:
            out.append(Slot(k, k + 1, (), "pronoun", True, t))
        elif t == "ITS" and k == 0:
            out.append(Slot(k, k + 1, (), "pronoun-poss", True, "IT"))
        elif t in ("THEM", "HIM", "HER") and k and prev in forms and words[k - 1].islower():
            out.append(Slot(k, k + 1, (), "pronoun", True, t))
    return out


def _person(words: list[str], toks: list[str], s: Slot) -> bool:
    if s.kind == "leader":
        return True
    k = s.te + (1 if s.te < len(toks) and toks[s.te] in ("'S", "'") else 0)
    return any(toks[x] in PERSONS for x in range(k, min(k + 3, len(toks))) if words[x][:1].islower())


def _plural(words: list[str], toks: list[str], s: Slot) -> bool:
    if s.kind == "pair" or len(s.codes) > 1:
        return True
    k = s.te
    return (s.kind == "demonym" and k < len(toks) and words[k][:1].islower() and toks[k].endswith("S")
            and not toks[k].endswith("SS"))


def code_sentence(words: list[str], slots: list[Slot], forms, prev_source: str | None = None,
                  ctx: Context | None = None) -> list[Coded]:
    """Events of one sentence (tokens as written; actor slots with token spans relative to the sentence).

    ``ctx`` carries the discourse from sentence to sentence (pronouns, "the measures"); it is updated
    with this sentence's subjects and objects. ``prev_source`` (older callers): the previous
    sentence's source, for a leading "he"/"she"."""
    toks = [w.upper() for w in words]
    if ctx is None:
        ctx = Context()
        if prev_source:
            ctx.add(Mention((prev_source,), False, True, "subj"))
    slots = sorted(list(slots) + pronoun_slots(words, toks, slots, forms), key=lambda s: s.ts)
    verbs = finite_verbs(words, toks, slots, forms)
    # this sentence's actor phrases, in order, as later pronouns and reactions see them
    local: list[tuple[int, Mention]] = []

    def resolve(s: Slot, exclude: tuple = ()) -> Slot | None:
        if not s.pron:
            return s
        tmp = Context(mentions=ctx.mentions + [m for k, m in sorted(local, key=lambda x: x[0]) if k < s.ts])
        codes = tmp.resolve(s.pron, exclude)
        return Slot(s.ts, s.te, codes, "pronoun", True) if codes else None

    def remember(ss: list[Slot], role: str) -> None:
        if ss:
            codes = tuple(dict.fromkeys(c for x in ss for c in x.codes))
            local.append((ss[0].ts, Mention(codes, len(ss) > 1 or any(_plural(words, toks, x) for x in ss),
                                            any(_person(words, toks, x) for x in ss), role)))
    out: list[Coded] = []
    seen = set()
    subj_of: dict[int, list[Slot]] = {}
    rel_of: dict[int, bool] = {}
    for vi, (j, kind, lemma) in enumerate(verbs):
        pv = verbs[vi - 1][0] if vi else -1
        nv = verbs[vi + 1][0] if vi + 1 < len(verbs) else len(toks)
        # the left stretch: from the previous verb or the last clause break
        a = pv + 1
        for k in range(j - 1, pv, -1):
            if toks[k] in BREAK:
                a = k + 1
                break
        if pv >= 0:
            # after an earlier verb, a new subject only opens a new clause ("X praised Y and urged Z":
            # Y is praise's object, not urge's subject)
            conj = [k for k in range(a, j) if toks[k] in ("AND", "BUT", "OR", ",")]
            a = conj[-1] + 1 if conj else j
        verb_at = {v[0] for v in verbs}
        if any(toks[k] == "THAT" and k and words[k - 1].islower() and k - 1 not in verb_at and toks[k - 1] not in PREP
               and toks[k - 1] not in forms for k in range(max(a - 1, 0), j)):
            subj_of[vi] = []
            continue                      # a restrictive relative clause: background, not an event
        relative = a > 0 and toks[a - 1] in ("WHICH", "WHO") and a >= 2 and toks[a - 2] == ","
        subj: list[Slot] = []
        if relative:
            subj = [s for s in slots if s.te == a - 2 and not s.pron][:1]
        else:
            cands = [s for s in slots if s.ts >= a and s.te <= j and _subject_ok(words, toks, s, j)]
            if cands:
                subj = [cands[0]]
                for s in cands[1:]:
                    gap = [t for t in toks[subj[-1].te:s.ts] if t not in (",", "THE")]   # "X and the Philippines"
                    if gap in (["AND"], []) and not any(x in toks[subj[-1].te:s.ts] for x in ("'S",)):
                        subj.append(s)
                    else:
                        break
            elif pv >= 0 and "AND" in toks[pv + 1:j] or "," in toks[pv + 1:j] and vi - 1 in subj_of:
                subj = subj_of[vi - 1]            # "X praised Y and urged Z"
            elif pv >= 0 and rel_of.get(vi - 1) and toks[j - 1] == "," or (pv >= 0 and rel_of.get(vi - 1)
                                                                           and "," in toks[pv:j]):
                subj = subj_of.get(vi - 1, [])    # the verb after ", which ...,"
        subj = [x for x in (resolve(s) for s in subj) if x is not None]
        subj_of[vi] = subj
        rel_of[vi] = relative
        if not subj:
            continue
        passive = kind == "past" and _has_be(toks, j) and not (j + 1 < len(toks) and toks[j + 1] == "THAT")
        remember(subj, "obj" if passive else "subj")
        if _negated(toks, subj[-1].te, j):
            continue
        if lemma in ("REFUSE", "DECLINE", "FAIL") and j + 1 < len(toks) and toks[j + 1] == "TO":
            continue                      # "refused to recognise": nothing was done
        # the right stretch: to the next verb, a clause break, an infinitive, or a comma before a non-actor
        b = nv
        k = j + 1
        starts = {s.ts for s in slots}
        while k < nv:
            t = toks[k]
            if t in BREAK and t not in ("AS", "AFTER", "BEFORE", "SINCE") or t in (";",):
                b = k
                break
            if t in ("AFTER", "BEFORE", "SINCE", "AS", "UNTIL") and k > j + 1:
                b = k
                break
            if t == "," and k + 1 not in starts:
                b = k
                break
            if t == "TO" and k + 1 < len(toks) and toks[k + 1] in forms and words[k + 1].islower() \
                    and all(toks[x] in ADVERBS for x in range(j + 1, k)):
                b = k
                break
            k += 1
        code, vlemma, pat = cameo.code_verb(toks, j, forms, end=b)
        posture = bool(code) and code[:2] == "15"
        own = {c for x in subj for c in x.codes}
        objs: list[Slot] = []
        that = j + 1 < len(toks) and toks[j + 1] == "THAT"
        right = [s for s in slots if s.ts > j and s.te <= b]
        subj_use = subj
        if that:
            k = j + 2
            while k < b and toks[k] in DETERMINERS:
                k += 1
            objs = [s for s in slots if s.ts == k and k < b][:1]
            if objs and (objs[0].pron in ("IT", "THEY", "HE", "SHE") or set(objs[0].codes) <= own):
                # "warned that Israel (it) would act against Iran": the speaker's own side acts; its target is
                # the complement's first other actor, up to the next clause break
                stop = next((x for x in range(objs[0].te, len(toks)) if toks[x] in BREAK or toks[x] == ","), len(toks))
                objs = [s for s in slots if objs[0].te <= s.ts and s.te <= stop and not s.pron
                        and not set(s.codes) <= own][:1]
        else:
            if passive:
                agent = next((s for s in right if _preceded_by_prep(toks, s) == "BY"), None)
                if agent is None:
                    continue
                subj_use, objs = [agent], []
                remember([agent], "subj")
            else:
                by_only = all(_preceded_by_prep(toks, x) == "BY" for x in right)
                for s in right:
                    p = _preceded_by_prep(toks, s)
                    if p == "BY" and not by_only:
                        continue
                    if p in LOCATIVE and s.kind not in ("grouping",) and not s.coref and not (posture and p in ("NEAR", "AROUND")):
                        continue
                    if s.pron:
                        s = resolve(s, tuple(own))
                        if s is None:
                            continue
                    if not objs:
                        objs = [s]
                        if p == "BETWEEN":
                            nxt = [x for x in right if x.ts > s.te and toks[s.te:x.ts] == ["AND"]]
                            objs += nxt[:1]
                    elif [t for t in toks[objs[-1].te:s.ts] if t not in (",", "THE")] in (["AND"], []):
                        objs.append(s)
                    else:
                        break
        if not objs and code and code[:2] in ("11", "12") and any(
                toks[x] in ACT_NOUNS and toks[x - 1] in ("THE", "THIS", "THESE", "THOSE", "ITS", "THEIR") for x in range(j + 1, b)):
            # a reaction to an act named by a noun ("Seoul condemned the launch"): the latest other actor who acted
            earlier = [m for k_, m in sorted(local, key=lambda x: x[0]) if k_ < j]
            tmp = Context(mentions=ctx.mentions + earlier)
            actor = next((m.codes for m in reversed(tmp.mentions) if m.role == "subj" and not set(m.codes) & own), ())
            if actor:
                objs = [Slot(j, j + 1, actor, "reaction", True)]
        remember(objs, "obj")
        if passive and not that:
            objs = subj
        if not objs:
            if len(subj_use) >= 2 and not (kind == "past" and _has_be(toks, j)):
                pairs = [(subj_use[0], subj_use[1])]
            elif len(subj_use) == 1 and len(subj_use[0].codes) == 2:      # "the two sides agreed"
                s0 = subj_use[0]
                pairs = [(Slot(s0.ts, s0.te, s0.codes[:1], s0.kind, True), Slot(s0.ts, s0.te, s0.codes[1:], s0.kind, True))]
            else:
                continue
        else:
            pairs = [(s, o) for s in subj_use for o in objs]
        if not code:
            continue
        for s, o in pairs:
            for sc in s.codes:
                for oc in o.codes:
                    if sc == oc or (sc, oc, code[:2]) in seen:
                        continue
                    seen.add((sc, oc, code[:2]))
                    out.append(Coded(sc, oc, code, vlemma, pat))
    # what the sentence leaves for the next: its phrases in order (a sentence whose verbs took no actor
    # leaves its first possible subject, then the rest)
    if not local:
        first = next((x for x in slots if not x.pron and _subject_ok(words, toks, x, len(toks))), None)
        if first is not None:
            remember([first], "subj")
    for _, m in sorted(local, key=lambda x: x[0]):
        ctx.add(m)
    return out


def pair_slots(text: str, tok_starts: list[int], pair: tuple) -> list[Slot]:
    """Slots for "the two sides" / "both countries" in a sentence (character → token offsets)."""
    out = []
    for m in PAIR.finditer(text):
        ts = next((i for i, c in enumerate(tok_starts) if c >= m.start()), None)
        te = next((i for i, c in enumerate(tok_starts) if c >= m.end()), len(tok_starts))
        if ts is not None:
            out.append(Slot(ts, te, pair, "pair", True))
    return out
