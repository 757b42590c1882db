"""Verbs to CAMEO codes with the PETRARCH2 verb dictionary, read at run time from the shared folder.

The dictionary is ``events/petrarch2_dictionaries/CAMEO.2.0.txt`` of the public data folder
(openeventdata/petrarch2, MIT licence, Copyright (c) 2014 Open Event Data; the licence is
``LICENSE_MIT.txt`` beside it). It is read, not copied: nothing of it is stored in this package.

What is used of it: each verb block (``--- NAME [code] ---``), its verbs with their irregular forms
(``SPEED {SPEEDING SPEEDS SPED}``; regular forms are generated as PETRARCH does: -s, -es, -ed, -ing,
a final e dropped, y to ies/ied, a final consonant doubled), each verb's own code, and the block's
patterns whose words follow the verb (``- * (TO) AID [070]``, synonym sets ``&WEAPON`` expanded).
Patterns with words before the verb and multi-word verbs (``COME_AFTER``) are not used. PETRARCH
matches patterns on a parse tree; without a parser a pattern matches when its words follow the verb,
in order, in the same sentence: the approximation is measured by ``benchmarks/read.py``.

PLOVER: the CAMEO root → PLOVER event type crosswalk at root level (PLOVER codebook, Halterman
et al. 2023, "CAMEO to PLOVER"); statements (01) have no PLOVER type ("OTHER").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..config import shared_data_dir
from ..errors import MultipolarError

DICT_PATH = "events/petrarch2_dictionaries/CAMEO.2.0.txt"

PLOVER = {"01": "OTHER", "02": "REQUEST", "03": "AGREE", "04": "CONSULT", "05": "SUPPORT", "06": "COOPERATE", "07": "AID",
          "08": "CONCEDE", "09": "ACCUSE", "10": "REQUEST", "11": "ACCUSE", "12": "REJECT", "13": "THREATEN", "14": "PROTEST",
          "15": "MOBILIZE", "16": "SANCTION", "17": "COERCE", "18": "ASSAULT", "19": "ASSAULT", "20": "ASSAULT"}


def quad_class(root: str) -> int:
    """CAMEO quad class: 1 verbal cooperation (01-05), 2 material cooperation (06-08), 3 verbal conflict (09-13), 4 material conflict (14-20)."""
    r = int(root)
    return 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4


@dataclass
class Pattern:
    words: tuple[frozenset, ...]   # each position: the accepted upper-case words
    code: str


@dataclass
class Verb:
    lemma: str
    code: str | None
    patterns: list[Pattern]


class DictionaryMissing(MultipolarError):
    """The CAMEO dictionaries of the shared folder are absent."""
    pass


def dictionary_path() -> Path:
    """The PETRARCH2 CAMEO dictionary in the shared folder; raises :class:`DictionaryMissing` when absent."""
    d = shared_data_dir()
    p = d / DICT_PATH if d else None
    if p is None or not p.exists():
        raise DictionaryMissing(f"the PETRARCH2 verb dictionary is not found ({p or '../shared/data/' + DICT_PATH}). "
                                "What to do: set MULTIPOLAR_SHARED to the public data folder that holds "
                                f"{DICT_PATH} (openeventdata/petrarch2, MIT)")
    return p


def _forms(verb: str) -> set[str]:
    v = verb.upper()
    out = {v, v + "S", v + "ED", v + "ING"}
    if v.endswith(("S", "SH", "CH", "X", "Z", "O")):
        out |= {v + "ES"}
    if v.endswith("E"):
        out |= {v + "D", v[:-1] + "ING"}
    if v.endswith("Y") and len(v) > 2 and v[-2] not in "AEIOU":
        out |= {v[:-1] + "IES", v[:-1] + "IED"}
    if len(v) >= 3 and v[-1] not in "AEIOUWXY" and v[-2] in "AEIOU" and v[-3] not in "AEIOU":
        out |= {v + v[-1] + "ED", v + v[-1] + "ING"}
    return out


_CODE = re.compile(r"\[([0-9A-F:\-]+)\]")


def _code(s: str) -> str | None:
    m = _CODE.search(s)
    if not m:
        return None
    c = m.group(1).split(":")[0]
    return c if re.fullmatch(r"\d{3,4}", c) else None


@lru_cache(maxsize=2)
def load(path: str | None = None) -> tuple[dict[str, list[Verb]], dict[str, str]]:
    """(form → verbs, form → lemma) from the dictionary file."""
    p = Path(path) if path else dictionary_path()
    lines = p.read_text(encoding="utf-8", errors="replace").splitlines()
    synsets: dict[str, set[str]] = {}
    cur = None
    i = 0
    while i < len(lines) and "VERB PATTERNS" not in lines[i]:
        ln = lines[i].split("#")[0].strip()
        if ln.startswith("&"):
            cur = ln.rstrip("_").lstrip("&")
            synsets[cur] = set()
        elif ln.startswith("+") and cur:
            synsets[cur].add(ln[1:].strip().replace("_", " ").split()[0])
        i += 1
    forms: dict[str, list[Verb]] = {}
    lemma_of: dict[str, str] = {}
    block_code = None
    block_verbs: list[Verb] = []
    # verbs named only in a pattern's comment ("- * EFFORTS [020]  # URGE" in the DEMAND block): the
    # dictionary's note of the verb the pattern came from; a verb the file lists nowhere else joins
    # that block with its code and those patterns
    commented: list[tuple[str, str | None, list[Pattern]]] = []
    block_comments: dict[str, list[Pattern]] = {}
    for raw in lines[i + 1:]:
        ln = raw.split("#")[0].rstrip()
        s = ln.strip()
        if not s:
            continue
        if s.startswith("---"):
            commented.extend((v, block_code, ps) for v, ps in block_comments.items())
            block_code = _code(s)
            block_verbs = []
            block_comments = {}
            continue
        if s.startswith("-"):
            body = _CODE.sub("", s[1:]).strip()
            code = _code(s)
            if code is None or "*" not in body:
                continue
            before, after = body.split("*", 1)
            if before.strip():
                continue             # words before the verb: needs a parse
            words = []
            for w in re.findall(r"&?[A-Z][A-Z_\-']*", after):
                if w.startswith("&"):
                    words.append(frozenset(synsets.get(w.lstrip("&").rstrip("_"), set())) or frozenset({w}))
                else:
                    words.append(frozenset({w.replace("_", " ").split()[0]}))
            if words:
                for v in block_verbs:
                    v.patterns.append(Pattern(tuple(words), code))
                cv = re.match(r"#\s*([A-Z]{3,})(?![A-Z_])", raw[raw.index("#"):]) if "#" in raw else None
                if cv:
                    block_comments.setdefault(cv.group(1), []).append(Pattern(tuple(words), code))
            continue
        if s.startswith(("+", "&")):
            continue
        m = re.match(r"([A-Z][A-Z_\-']*)\s*(\{[^}]*\})?", s)
        if not m:
            continue
        lemma = m.group(1)
        if "_" in lemma:
            continue
        code = _code(s) or block_code
        v = Verb(lemma, code, [])
        block_verbs.append(v)
        fs = _forms(lemma) | {f.strip().upper() for f in (m.group(2) or "{}")[1:-1].split() if f.strip()}
        for f in fs:
            forms.setdefault(f, []).append(v)
            lemma_of.setdefault(f, lemma)
    commented.extend((v, block_code, ps) for v, ps in block_comments.items())
    for lemma, fs in EXTRA_FORMS.items():
        v = Verb(lemma, None, [])
        for f in fs:
            forms.setdefault(f, []).append(v)
            lemma_of.setdefault(f, lemma)
    lemmas = {v.lemma for vs in forms.values() for v in vs}
    added: dict[str, Verb] = {}
    for lemma, code, ps in commented:
        if lemma in lemmas or lemma in forms:
            continue
        if lemma not in added:
            added[lemma] = Verb(lemma, code, [])
            for f in _forms(lemma):
                if f not in forms:
                    forms[f] = [added[lemma]]
                    lemma_of[f] = lemma
        added[lemma].patterns.extend(ps)
    return forms, lemma_of


#: words the dictionary lists as verbs that in news prose are mostly nouns or auxiliaries
NOT_VERBS = frozenset({"SAID", "SAY", "SAYS", "TRADE", "TRADES", "DEAL", "DEALS", "PARTNER", "PARTNERS", "SHARE", "SHARES",
                       "RECORD", "AID", "TALKS", "VISIT", "VISITS", "SUPPORT", "RELATIONS", "WAR", "USE", "NEEDS", "PLANS",
                       "STATE", "STATES", "OIL", "POWER", "FORCE", "FORCES", "MEANS", "TURNOVER", "VOLUME",
                       "ARMS", "EXPORTS", "IMPORTS", "SUPPLIES", "SANCTIONS", "TIES", "LEADS"})


DIPLOMATS = frozenset({"AMBASSADOR", "AMBASSADORS", "ENVOY", "ENVOYS", "DIPLOMAT", "DIPLOMATS", "COMMISSIONER",
                       "ATTACHE", "CONSUL", "CHARGE", "EMBASSY", "STAFF"})
MILITARY = frozenset({"TROOPS", "SOLDIERS", "BRIGADE", "BRIGADES", "BATTALION", "INSTRUCTORS", "ADVISERS", "ADVISORS",
                      "WEAPONS", "ARMS", "TANKS", "MISSILES", "JETS", "FIGHTERS", "WARSHIPS", "FRIGATES", "AMMUNITION",
                      "SHELLS", "DRONES", "SYSTEMS", "PEACEKEEPERS", "FORCES", "MERCENARIES", "EQUIPMENT"})
DRILLS = frozenset({"DRILLS", "DRILL", "EXERCISES", "EXERCISE", "MANOEUVRES", "MANEUVERS", "WARGAMES", "PATROLS"})
MEETINGS = frozenset({"TALKS", "MEETING", "MEETINGS", "SUMMIT", "CONSULTATIONS", "DISCUSSIONS", "NEGOTIATIONS", "DIALOGUE"})
AGREEMENTS = frozenset({"AGREEMENT", "AGREEMENTS", "ACCORD", "TREATY", "PACT", "DEAL", "MEMORANDUM", "FRAMEWORK",
                        "DECLARATION", "CHARTER", "CONVENTION", "PROTOCOL"})
TIES = frozenset({"EMBASSY", "EMBASSIES", "RELATIONS", "TIES", "CONSULATE", "CONSULATES"})
TRADE = frozenset({"TARIFFS", "TARIFF", "DUTIES", "EXPORTS", "IMPORTS", "TRADE", "QUOTAS", "LEVIES"})


#: Where the PETRARCH2 file gives no code for a verb common in news on states (its block is ``[---]``:
#: the file waits for a pattern) or codes it against the CAMEO 1.1b3 codebook's own categories, the
#: codebook's category: (lemma, words of which one must follow the verb in its stretch or None, code).
#: The first rule of a lemma that matches wins over the dictionary. Codebook categories used: 030
#: express intent to cooperate ("agree to"); 043/045 host, mediate; 040 consult (hold talks); 050
#: diplomatic cooperation (restore ties; join an organisation, as the gold corpus codes it); 057 sign formal agreement; 061 cooperate (joint drills);
#: 070/072 provide aid, military aid (send, deliver); 085 ease sanctions (unfreeze); 114 complain
#: officially (protest to a state); 120 reject; 150 military posture (drills); 160/161/163/164
#: reduce relations, recall or expel diplomats, embargo and tariffs, halt talks.
CONVENTIONS: dict[str, list[tuple[frozenset | None, str]]] = {
    "SIGN": [(None, "057")],
    "AGREE": [(frozenset({"TO"}), "030")],
    "HOLD": [(frozenset({"JOINT"}), "061"), (DRILLS, "150"), (MEETINGS, "040")],
    "CONDUCT": [(frozenset({"JOINT"}), "061"), (DRILLS, "150")],
    "STAGE": [(frozenset({"JOINT"}), "061"), (DRILLS, "150")],
    "HOST": [(MEETINGS, "045"), (None, "043")],
    "EXPEL": [(DIPLOMATS, "161"), (MILITARY, "166")],
    "RECALL": [(DIPLOMATS, "161")],
    "SUSPEND": [(MEETINGS, "164"), (frozenset({"AID", "ASSISTANCE"}), "162"), (None, "160")],
    "SEND": [(MILITARY, "072"), (frozenset({"AID", "ASSISTANCE", "SUPPLIES", "FOOD"}), "073"), (frozenset({"TO"}), "070")],
    "DELIVER": [(MILITARY, "072"), (frozenset({"AID", "ASSISTANCE", "SUPPLIES"}), "073")],
    "UNFREEZE": [(None, "085")],
    "RAISE": [(TRADE, "163")],
    "RESTRICT": [(TRADE, "163")],
    "REOPEN": [(TIES, "050")],
    "RESTORE": [(TIES, "050")],
    "PROTEST": [(frozenset({"TO"}), "114")],
    "JOIN": [(MEETINGS, "040"), (None, "050")],
    "REJECT": [(None, "120")],
    "REFUSE": [(None, "120")],
}
#: verbs the file does not list, with their forms (the codebook's category is in CONVENTIONS)
EXTRA_FORMS = {"UNFREEZE": ("UNFREEZE", "UNFREEZES", "UNFROZE", "UNFROZEN", "UNFREEZING")}


def _convention(lemma: str, tokens: list[str], i: int, stop: int) -> str | None:
    stop = max(stop, min(i + 2, len(tokens)))     # the word right after the verb ("agreed to") always counts
    for words, code in CONVENTIONS.get(lemma, ()):
        if words is None or any(tokens[k] in words for k in range(i + 1, stop)):
            return code
    return None


def code_verb(tokens: list[str], i: int, forms, end: int | None = None) -> tuple[str | None, str, str]:
    """(CAMEO code, lemma, matched pattern) for the verb at token i of a sentence (upper-cased tokens).

    A pattern's words must follow the verb, in order, within 12 tokens and before ``end`` (the end of
    the verb's own stretch of the sentence; default the sentence's end)."""
    stop = min(len(tokens), end if end is not None else len(tokens), i + 13)
    verbs = forms.get(tokens[i], [])
    best, best_n, best_pat = None, -1, ""
    lemma = verbs[0].lemma if verbs else ""
    for v in verbs:
        if v.code and best_n < 0:
            best, best_n, lemma = v.code, 0, v.lemma
        for p in v.patterns:
            j, ok = i + 1, True
            for ws in p.words:
                while j < stop and tokens[j] not in ws and not (tokens[j].endswith("S") and tokens[j][:-1] in ws):
                    j += 1
                if j >= stop:
                    ok = False
                    break
                j += 1
            if ok and len(p.words) > best_n:
                best, best_n, best_pat, lemma = p.code, len(p.words), " ".join("|".join(sorted(w)[:2]) for w in p.words), v.lemma
    for v in verbs:
        conv = _convention(v.lemma, tokens, i, stop)
        if conv:
            return conv, v.lemma, "codebook: " + v.lemma.lower()
    return best, lemma, best_pat
