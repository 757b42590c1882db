"""Compare the compiled memberships with COW IGO v3 (state-year format 3) for 1946-2014.

A state-year is compared when the compiled table says the same thing on every day of the year
(years in which a membership begins or ends are transition years and are not compared).
Known differences are listed in :data:`KNOWN_DIFFERENCES` with the reason for each; anything
else is a disagreement that the test suite reports.
"""
from __future__ import annotations

import pandas as pd

from .groupings import memberships, organisations
from .registry import registry

#: (org, code, first year, last year): reason. COW codes these years differently from the sources cited.
KNOWN_DIFFERENCES = {
    ("UN", "DOM", 1946, 1964): "COW codes the Dominican Republic as outside the UN until 1965; it is an original member (1945)",
    ("UN", "DDR", 1965, 1972): "COW codes both German states as UN members before their admission on 18 Sep 1973 (they were observers)",
    ("UN", "GFR", 1965, 1972): "as above",
    ("WARSAW", "GHA", 1960, 1964): "COW codes Ghana as a Warsaw Pact member 1960-64, a coding error: Ghana never joined",
    ("WARSAW", "DDR", 1955, 1955): "COW codes the GDR from 1955; it acceded on 28 Jan 1956",
    ("CSTO", "UZB", 2002, 2005): "COW codes Uzbekistan in the CSTO 2002-05; it left the treaty in 1999 and rejoined in 2006",
    ("CIS", "UKR", 1991, 1992): "COW codes Ukraine a full member 1991-92; it signed but never ratified the Charter (participant)",
    ("CIS", "AZE", 1991, 1992): "COW codes Azerbaijan a full member from 1991; its parliament ratified only in Sep 1993",
    ("CIS", "GEO", 1994, 1994): "COW starts Georgia's CIS membership in 1995; it joined on 3 Dec 1993 (ratified Mar 1994)",
    ("CIS", "GEO", 2008, 2008): "COW ends Georgia's CIS membership in 2008, the year it announced leaving; the exit took effect 18 Aug 2009",
    ("SCO", "CHN", 1996, 2000): "COW codes the Shanghai Five (1996-2000) as the SCO, founded 15 Jun 2001",
    ("SCO", "KAZ", 1996, 2000): "as above", ("SCO", "KGZ", 1996, 2000): "as above",
    ("SCO", "RUS", 1996, 2000): "as above", ("SCO", "TJK", 1996, 2000): "as above",
    ("AU", "COD", 1985, 2005): "COW codes Zaire/DR Congo outside the OAU/AU 1985-2005; the AU lists it as a member throughout",
    ("AU", "GNQ", 2006, 2014): "COW codes Equatorial Guinea outside the AU 2006-14; the AU lists it as a member",
    ("AU", "MAR", 1963, 1964): "COW codes Morocco's OAU membership from 1965; Morocco was a founding signatory",
    ("OPEC", "AGO", 2007, 2014): "COW's OPEC coding is not updated for Angola (member 2007-2023)",
    ("OPEC", "ARE", 1971, 1973): "COW codes the UAE's OPEC membership from 1974; Abu Dhabi's 1967 membership passed to the UAE",
    ("OPEC", "GAB", 1973, 1996): "COW dates Gabon's OPEC membership 1973-1996; OPEC gives 1975-1994 (terminated 1995)",
    ("OECD", "GFR", 1961, 1989): "COW's OECD column leaves West Germany out; the OECD lists it as a founding member",
    ("OECD", "FIN", 1965, 1968): "COW codes Finland in the OECD before its accession on 28 Jan 1969",
}


def _known(org, code, year) -> str | None:
    for (o, c, a, b), why in KNOWN_DIFFERENCES.items():
        if o == org and c == code and a <= year <= b:
            return why
    return None


def compare_with_cow(cow_membership: pd.DataFrame, first: int = 1946, last: int = 2014) -> pd.DataFrame:
    """Disagreements between the compiled table and COW IGO full memberships.

    ``cow_membership``: the warehouse table ``cow_igo_membership`` (code, year, igo, status).
    Returns rows (org, code, year, compiled, cow, known_reason).
    """
    reg = registry()
    cow_full = cow_membership[cow_membership["status"] == "full"]
    m = memberships()
    m = m[m["status"] == "member"]
    members_by_year = {y: reg.system_members(y) for y in range(first, last + 1)}
    out = []
    for o in organisations().itertuples(index=False):
        cols = [c for c in o.cow_igo.split("|") if c]
        if not cols:
            continue
        cow_members = set(map(tuple, cow_full[cow_full["igo"].isin(cols)][["code", "year"]].to_numpy()))
        spans: dict[str, list[tuple[str, str]]] = {}
        for r in m[m["org"] == o.org].itertuples(index=False):
            spans.setdefault(r.code, []).append((r.start, r.end or "9999"))
        for year in range(first, last + 1):
            lo, hi = f"{year}-01-01", f"{year}-12-31"
            for code in members_by_year[year]:
                rows = spans.get(code, [])
                full = any(s <= lo and e >= hi for s, e in rows)
                touches = any(s <= hi and e >= lo for s, e in rows)
                if touches and not full:
                    continue      # transition year
                if not reg.get(code).exists(date=lo) or not reg.get(code).exists(date=hi):
                    continue      # the state began or ended that year
                cow = (code, year) in cow_members
                if cow != full:
                    out.append((o.org, code, year, full, cow, _known(o.org, code, year)))
    return pd.DataFrame(out, columns=["org", "code", "year", "compiled", "cow", "known_reason"])
