"""The events read from texts, written in the Phoenix layout so the event lake takes them in.

``write_events(docs, "events.tsv")`` then ``multipolar events import events.tsv`` puts them beside
GDELT, ICEWS, POLECAT and Phoenix records (the lake recognises the layout by its header:
``EventID, Date, SourceActorEntity, TargetActorEntity, EventCode, EventRootCode, PentaClass,
GoldsteinScore, URLs, NewsSources``).

Missing stays missing: an event whose day is not known (the sentence gives only a year, or the
text has no date) is not written and is counted with its reason; the Goldstein score is left blank
(the coder assigns none), and the quad class follows from the root code in the lake. The event id
is stable: the text's name or a hash of its text, the sentence and the event's rank in it.
"""
from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from pathlib import Path

HEADER = ["EventID", "Date", "SourceActorEntity", "TargetActorEntity", "EventCode", "EventRootCode", "PentaClass",
          "GoldsteinScore", "URLs", "NewsSources"]
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def event_rows(docs) -> tuple[list[list[str]], Counter]:
    """(rows in the Phoenix layout, Counter of events not written by reason)."""
    rows, skipped = [], Counter()
    for d in docs:
        key = hashlib.sha1((d.path or d.title or d.text).encode("utf-8", "replace")).hexdigest()[:12]
        rank: Counter = Counter()
        for e in d.events:
            day = e.date if e.date and DAY.match(e.date) else None
            if day is None and e.date and d.date and DAY.match(d.date) and e.date == d.date[:4]:
                day = d.date                      # the sentence's year is the text's: the text's day
            if day is None:
                skipped["no day (the sentence gives only a year, or the text has no date)"] += 1
                continue
            rank[e.sentence] += 1
            rows.append([f"text-{key}-{e.sentence}-{rank[e.sentence]}", day.replace("-", ""), e.source, e.target, e.cameo_code,
                         e.root_code, "", "", d.path or "", "multipolar read"])
    return rows, skipped


def write_events(docs, path) -> dict:
    """Write the documents' events to ``path`` (tab-separated, with the header); returns the counts."""
    rows, skipped = event_rows(docs)
    p = Path(path)
    with p.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
    return {"path": str(p), "written": len(rows), "skipped": dict(skipped)}
