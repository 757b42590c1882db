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
- **coreference**: "the two sides", "both countries" (and the like) stand for the two states of the
  closest earlier sentence that names two; "he"/"she" for the previous sentence's source.

The verb is coded with :func:`multipolar.text.cameo.code_verb`, its patterns matched only within
the verb's own stretch.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
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
PAIR = re.compile(r"\b(?:[Tt]he two|[Bb]oth)(?: (?:[a-z]+))? (?:" + "|".join(PAIR_NOUNS) + r")\b")


@dataclass
class Slot:
    """An actor in a sentence as the coder sees it: token span, codes, kind, and how it was found."""
    ts: int
    te: int
    codes: tuple
    kind: str
    coref: bool = False


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
        if kind == "ing" and not (prev in BE or (prev in ADVERBS and prev2 in BE)):
            continue                      # a gerund or participle clause ("accusing him of ...")
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
    elif s.kind != "demonym":
        return True
    # the words after the name up to the verb: a possessed or qualified noun must be an agent
    nouns = [toks[x] for x in range(k, verb) if words[x][:1].islower() and toks[x] not in ADVERBS and toks[x] not in AUX
             and toks[x] not in NEG and toks[x] != ","]
    if not nouns:
        return True
    return any(n in agent_nouns() for n in nouns)


def code_sentence(words: list[str], slots: list[Slot], forms, prev_source: str | None = None) -> list[Coded]:
    """Events of one sentence (tokens as written; actor slots with token spans relative to the sentence)."""
    toks = [w.upper() for w in words]
    slots = sorted(slots, key=lambda s: s.ts)
    verbs = finite_verbs(words, toks, slots, forms)
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
            subj = [s for s in slots if s.te == a - 2 or s.te == a - 2 + 0][:1]
        else:
            cands = [s for s in slots if s.ts >= a and s.te <= j and _subject_ok(words, toks, s, j)]
            if cands:
                subj = [cands[0]]
                for s in cands[1:]:
                    gap = [t for t in toks[subj[-1].te:s.ts] if t != ","]
                    if gap in (["AND"], []) and not any(x in toks[subj[-1].te:s.ts] for x in ("'S",)):
                        subj.append(s)
                    else:
                        break
            elif pv >= 0 and "AND" in toks[pv + 1:j] or "," in toks[pv + 1:j] and vi - 1 in subj_of:
                subj = subj_of[vi - 1]            # "X praised Y and urged Z"
            elif pv >= 0 and rel_of.get(vi - 1) and toks[j - 1] == "," or (pv >= 0 and rel_of.get(vi - 1)
                                                                           and "," in toks[pv:j]):
                subj = subj_of.get(vi - 1, [])    # the verb after ", which ...,"
            elif vi == 0 and prev_source and toks[a:j] and toks[a] in ("HE", "SHE") and a == 0:
                subj = [Slot(0, 1, (prev_source,), "pronoun", True)]
        subj_of[vi] = subj
        rel_of[vi] = relative
        if not subj:
            continue
        if _negated(toks, subj[-1].te, j):
            continue
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
        objs: list[Slot] = []
        that = j + 1 < len(toks) and toks[j + 1] == "THAT"
        right = [s for s in slots if s.ts > j and s.te <= b]
        if that:
            k = j + 2
            while k < b and toks[k] in DETERMINERS:
                k += 1
            objs = [s for s in right if s.ts == k][:1]
        else:
            passive = kind == "past" and _has_be(toks, j)
            agent = None
            if passive:
                agent = next((s for s in right if _preceded_by_prep(toks, s) == "BY"), None)
                if agent is None:
                    continue
                src_slots, objs = [agent], subj
            else:
                by_only = all(_preceded_by_prep(toks, x) == "BY" for x in right)
                for s in right:
                    p = _preceded_by_prep(toks, s)
                    if p == "BY" and not by_only:
                        continue
                    if p in LOCATIVE and s.kind not in ("grouping",) and not s.coref:
                        continue
                    if not objs:
                        objs = [s]
                        if p == "BETWEEN":
                            nxt = [x for x in right if x.ts > s.te and toks[s.te:x.ts] == ["AND"]]
                            objs += nxt[:1]
                    elif [t for t in toks[objs[-1].te:s.ts] if t != ","] in (["AND"], []):
                        objs.append(s)
                    else:
                        break
            if passive:
                subj_use = src_slots
            else:
                subj_use = subj
        if that:
            subj_use = subj
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
        code, vlemma, pat = cameo.code_verb(toks, j, forms, end=b)
        if not code:
            continue
        for s, o in pairs:
            for sc in s.codes:
                for oc in o.codes:
                    if sc == oc or (sc, oc, code[:2]) in seen:
                        continue
                    seen.add((sc, oc, code[:2]))
                    out.append(Coded(sc, oc, code, vlemma, pat))
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
