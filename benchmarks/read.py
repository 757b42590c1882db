"""Benchmark: reading texts and checking their claims (issue 16).

1. Accuracy on the hand-annotated gold corpus (benchmarks/data/read_gold.py: 11 articles written for
   this project), and on a held-out set for actors and events (benchmarks/data/read_heldout.py: 5
   articles written before the event coder's clause rules and never used to tune them; and
   benchmarks/data/read_heldout2.py: 6 more, written before the parser-like rules of session 8): precision, recall and F1 for actors (sentence, code), event root codes (sentence,
   source, target, CAMEO root) and claims (sentence, kind), and verdict accuracy: over every gold claim
   (a claim not found counts as wrong) and over the claims found. Bars: actors F1 >= 0.90, event roots
   F1 >= 0.70, claims F1 >= 0.80, verdicts >= 0.80.
2. Speed: 1,000 synthetic articles of about 1,000 words (random sentences in news style built from
   the registry's names, leaders, verbs and claims; seed fixed) read and checked by
   `multipolar check FOLDER --format json --out ...` as a user runs it (process start included):
   wall time, peak memory of the process, and the ratio to a baseline, the same texts through the
   blank spaCy pipeline alone (tokenizer and sentencizer: the floor of any spaCy reader). Bar: 60 s.

Usage: python benchmarks/read.py [--db WAREHOUSE] [--articles 1000] [--skip-speed]
(the warehouse: one with the shared data imported, e.g. a copy of /work/wh/full3.duckdb; default $MULTIPOLAR_DB)
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _memory import run_measured  # noqa: E402


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(db, articles=None) -> dict:
    """Scores on a corpus (default the gold corpus); ``db=None`` skips the checks (actors and events only)."""
    from benchmarks.data.read_gold import ARTICLES as GOLD
    from multipolar.text import check_documents, read
    ARTICLES = articles if articles is not None else GOLD
    counts = {k: Counter() for k in ("actors", "events", "claims")}
    verdict_ok = verdict_all = verdict_matched = verdict_matched_ok = 0
    confusion = Counter()
    docs, golds = [], []
    for art in ARTICLES:
        text, spans = "", []
        for s in art["sentences"]:
            spans.append((len(text), len(text) + len(s[0])))
            text += s[0] + " "
        d = read(f"Date: {art['date']}\n\n" + text, title=art["title"])
        off = len(f"Date: {art['date']}\n\n")
        docs.append(d)
        golds.append((art, [(a + off, b + off) for a, b in spans]))
    t = time.perf_counter()
    if db is not None:
        check_documents(docs, db=db)
    t_check = time.perf_counter() - t

    def sent_of(pos, spans):
        for i, (a, b) in enumerate(spans):
            if a <= pos < b + 1:
                return i
        return None

    for d, (art, spans) in zip(docs, golds):
        pa = Counter((sent_of(m.start, spans), m.code) for m in d.actors if m.code)
        ga = Counter((i, c) for i, s in enumerate(art["sentences"]) for c in s[1])
        pa = Counter(set(pa))            # a code once per sentence, as annotated
        counts["actors"].update(tp=sum((pa & ga).values()), fp=sum((pa - ga).values()), fn=sum((ga - pa).values()))
        sent_start = {i: a for i, (a, b) in enumerate(spans)}
        pe = Counter()
        for e in d.events:
            pe[(sent_of(d.sentences[e.sentence][1] - 1, spans), e.source, e.target, e.root_code)] += 1
        ge = Counter((i, *x.split()) for i, s in enumerate(art["sentences"]) for x in s[2])
        counts["events"].update(tp=sum((pe & ge).values()), fp=sum((pe - ge).values()), fn=sum((ge - pe).values()))
        # claims: one-to-one by (sentence, kind), in order
        pred = {}
        for c in d.claims:
            pred.setdefault((sent_of(c.start, spans), c.kind), []).append(c)
        for i, s in enumerate(art["sentences"]):
            for g in s[3]:
                kind, verdict = g.split(":")
                verdict = {"nc": "not checkable"}.get(verdict, verdict)
                verdict_all += 1
                lst = pred.get((i, kind), [])
                if lst:
                    c = lst.pop(0)
                    counts["claims"]["tp"] += 1
                    verdict_matched += 1
                    got = (c.check or {}).get("verdict")
                    confusion[(verdict, got)] += 1
                    if got == verdict:
                        verdict_ok += 1
                        verdict_matched_ok += 1
                else:
                    counts["claims"]["fn"] += 1
                    confusion[(verdict, "(not found)")] += 1
        counts["claims"]["fp"] += sum(len(v) for v in pred.values())
    out = {k: prf(v["tp"], v["fp"], v["fn"]) + (v["tp"], v["fp"], v["fn"]) for k, v in counts.items()}
    out["verdicts"] = (verdict_ok / max(verdict_all, 1), verdict_matched_ok / max(verdict_matched, 1), verdict_all, verdict_matched)
    out["confusion"] = confusion
    out["n"] = (sum(len(a["sentences"]) for a in ARTICLES), verdict_all, sum(len(s[2]) for a in ARTICLES for s in a["sentences"]))
    out["check_seconds"] = t_check
    return out


# -- synthetic articles ---------------------------------------------------------------------------------
STATES = ["Russia", "China", "the United States", "India", "Pakistan", "Iran", "Israel", "Germany", "France", "Japan",
          "South Korea", "Türkiye", "Saudi Arabia", "Brazil", "South Africa", "Ukraine", "Belarus", "Kazakhstan", "Egypt",
          "Vietnam", "Australia", "Poland", "Armenia", "Azerbaijan", "Indonesia", "Mexico", "Canada", "Italy", "Qatar", "Norway"]
LEADERS = ["Putin", "Xi Jinping", "Modi", "Erdogan", "Macron", "Lula", "Lavrov", "Wang Yi", "Zelensky", "Lukashenko"]
VERBS = ["met", "accused", "condemned", "praised", "threatened", "signed an agreement with", "urged", "criticised",
         "imposed sanctions on", "rejected a proposal from", "hosted", "attacked", "called on", "welcomed"]
FILLER = ["Analysts in the region said the talks were long and at times difficult.",
          "The meeting took place behind closed doors and no joint statement was issued.",
          "Officials declined to give details of the agenda.",
          "Markets reacted calmly to the news, and the currency was little changed.",
          "Critics argue that the policy has failed to deliver what it promised.",
          "The next round of negotiations is expected later this year."]


def synthetic(n: int, folder: Path, seed: int = 16) -> int:
    rng = random.Random(seed)
    words = 0
    for k in range(n):
        parts = [f"Date: {rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", ""]
        w = 0
        while w < 1000:
            a, b = rng.sample(STATES, 2)
            y = rng.randint(2000, 2024)
            r = rng.random()
            if r < 0.3:
                s = f"{rng.choice([a, rng.choice(LEADERS)])} {rng.choice(VERBS)} {b} in {y}."
            elif r < 0.42:
                s = f"{a}'s energy and mineral exports to {b} reached ${rng.randint(1, 90)} billion in {y}."
            elif r < 0.5:
                s = f"In {y}, {rng.randint(5, 90)}% of {b}'s arms imports came from {a}."
            elif r < 0.58:
                s = f"{a.capitalize()} and {b} are {rng.choice(['allies', 'rivals', 'strategic partners', 'at war', 'a de facto alliance'])}."
            elif r < 0.64:
                s = f"{a.capitalize()} has become ever more reliant on {b}."
            elif r < 0.7:
                s = f"{a.capitalize()} was {b}'s largest arms supplier in {y}."
            else:
                s = rng.choice(FILLER)
            s = s[0].upper() + s[1:]
            parts.append(s)
            w += len(s.split())
        words += w
        (folder / f"a{k:04d}.txt").write_text(" ".join(parts[2:]).join([parts[0] + "\n\n", "\n"]), encoding="utf-8")
    return words


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=os.environ.get("MULTIPOLAR_DB"))
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--skip-speed", action="store_true")
    a = ap.parse_args()
    if not a.db or not Path(a.db).exists():
        raise SystemExit("give --db: a warehouse with the shared data imported (e.g. a copy of /work/wh/full3.duckdb)")
    os.environ["MULTIPOLAR_DB"] = a.db
    r = evaluate(a.db)
    ns, nc, ne = r["n"]
    print(f"gold corpus: {ns} sentences, {nc} claims, {ne} events (benchmarks/data/read_gold.py)")
    print(f"{'':10} {'precision':>9} {'recall':>7} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}  bar")
    for k, bar in (("actors", 0.90), ("events", 0.70), ("claims", 0.80)):
        p, rc, f, tp, fp, fn = r[k]
        print(f"{k:10} {p:9.3f} {rc:7.3f} {f:6.3f} {tp:4d} {fp:4d} {fn:4d}  F1 >= {bar:.2f} {'met' if f >= bar else 'NOT met'}")
    from benchmarks.data.read_heldout import ARTICLES as HELDOUT
    from benchmarks.data.read_heldout2 import ARTICLES as HELDOUT2
    for name, arts, when in (("read_heldout.py", HELDOUT, "written before the coder's clause rules of session 7"),
                             ("read_heldout2.py", HELDOUT2, "written before the parser-like rules of session 8")):
        h = evaluate(None, arts)
        hs, _, he = h["n"]
        print(f"held-out set: {hs} sentences, {he} events (benchmarks/data/{name}, {when}; not tuned on)")
        for k in ("actors", "events"):
            p, rc, f, tp, fp, fn = h[k]
            print(f"{k:10} {p:9.3f} {rc:7.3f} {f:6.3f} {tp:4d} {fp:4d} {fn:4d}")
    va, vm, nall, nm = r["verdicts"]
    print(f"verdicts   correct {va:.3f} of all {nall} gold claims (a claim not found is wrong); {vm:.3f} of the {nm} found"
          f"  bar >= 0.80 {'met' if va >= 0.8 else 'NOT met'}")
    print("verdict confusion (gold -> given): " + "; ".join(f"{g} -> {p}: {n}" for (g, p), n in sorted(r["confusion"].items())))
    if a.skip_speed:
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        words = synthetic(a.articles, folder)
        out = Path(tmp) / "claims.json"
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        cmd = [sys.executable, "-m", "multipolar.cli", "check", str(folder), "--format", "json", "--out", str(out), "--db", a.db]
        m = run_measured(cmd, env=env)
        if m["returncode"] != 0:
            raise SystemExit(f"multipolar check failed: {m['stderr'][-3000:]}")
        js = json.loads(out.read_text())
        n_claims = sum(len(d["claims"]) for d in js)
        n_events = sum(len(d["events"]) for d in js)
        base = [sys.executable, "-c", "import sys, pathlib, spacy; nlp = spacy.blank('en'); nlp.add_pipe('sentencizer'); "
                f"n = sum(len(d) for d in nlp.pipe(p.read_text() for p in sorted(pathlib.Path({str(folder)!r}).glob('*.txt')))); print(n)"]
        b = run_measured(base, env=env)
        print(f"speed: {a.articles} synthetic articles, {words:,} words, {n_claims:,} claims checked, {n_events:,} events: "
              f"`multipolar check FOLDER --format json` {m['seconds']:.1f} s (bar 60 s: {'met' if m['seconds'] < 60 else 'NOT met'}), "
              f"peak memory {m['max_process_mb']:.0f} MB; baseline (blank spaCy tokenizer + sentencizer alone, process start included) "
              f"{b['seconds']:.1f} s, {b['max_process_mb']:.0f} MB; ratio {m['seconds'] / b['seconds']:.1f}x")


if __name__ == "__main__":
    main()
