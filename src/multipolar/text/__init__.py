"""Reading analysis texts and checking their claims against the data (``multipolar read``, ``multipolar check``).

Layer: reads the actors, the dyad-year table, the relation layer and the warehouse; read by the API
and the CLI. :mod:`.read` finds sentences, actors, events and claims (a blank spaCy pipeline with
pattern matchers, no model); :mod:`.check` maps each claim to a query and a verdict;
:mod:`.html` writes the annotated text.
"""
from __future__ import annotations

from .read import Document, read, read_path

__all__ = ["Document", "read", "read_path", "check_documents"]


def check_documents(docs, db=None, checker=None):
    """Check every claim of the documents (one dyad table for all of them); returns the checker."""
    from .check import Checker
    ck = checker or Checker(db)
    codes = {s for d in docs for c in d.claims for s in c.states}
    ck.prepare(codes)
    for d in docs:
        for c in d.claims:
            ck.check(c, d)
    return ck
