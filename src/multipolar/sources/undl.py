"""UN Digital Library voting records of the General Assembly (the Dag Hammarskjöld Library).

Layouts recognised (by their columns, never the file name)
----------------------------------------------------------
* ``long``: the Library's own "General Assembly Voting Data" (digitallibrary.un.org record 4060887;
  version 5 of February 2026 runs to resolution 80/246 of 30 December 2025): one row per member state
  and resolution; undl_id, ms_code, ms_name, ms_vote, date, session, resolution, draft,
  committee_report, meeting, title, agenda_title, subjects, vote_note, total_yes, total_no,
  total_abstentions, total_non_voting, total_ms, undl_link (its ``session`` is not used: the regular session comes
  from the resolution symbol, or for special and emergency special sessions from the date).
* ``wide``: the Library's voting records scraped by a third party into one row per resolution
  (``undl_votes_wide_ga_sc_1946_2021.csv``, to 24 December 2021): Council, Date, Title, Resolution,
  TOTAL VOTES, NO-VOTE COUNT, ABSENT COUNT, NO COUNT, YES COUNT, Link, token, then one column per
  member-state name as the Library writes it. ``ABSENT COUNT`` holds the abstentions and
  ``NO-VOTE COUNT`` the states that did not vote (checked against the entries: see the import notes).

Rules
-----
* **General Assembly only.** Security Council rows (the wide table's ``Council``; an ``S/RES/``
  symbol in the long file) are counted and left out.
* **Votes**: Y yes, N no, A abstention. X (the long file's data dictionary of version 1 writes NV),
  or a blank entry of a member in the long file, is *did not vote*: absent, not a vote, never stored
  as one. In the wide table a blank cell means "not a member then". Anything else is an error.
* **Countries** are the Library's names of their time (wide: the column names; long: ``ms_name``),
  resolved *on the vote's date* through the registry
  (:func:`multipolar.sources.names.resolve_name`, source ``undl``, members of the state system only):
  ``USSR`` before 26 Dec 1991 is the Soviet Union, ``YEMEN`` before 22 May 1990 North Yemen,
  ``ZAIRE`` the DR Congo. Names that resolve to no state of the system that day (the Ukrainian and
  Byelorussian SSRs' seats, a state voting days before the registry's first day for it, scraped
  names such as ``AY DENMARK``) are rejected, counted and named in the import notes; the four
  misspelt column names of the wide table whose state is certain are documented source aliases
  (:data:`multipolar.sources.names.SOURCE_ALIASES`). In the long file ``ms_code`` is a cross-check:
  a code that the registry holds (as ISO3, on that date) for another state than the name rejects the
  entry; a code the registry does not know as ISO3 is reported, and the name decides.
  Two entries of one roll call that resolve to one state: kept once when they agree, both rejected
  when they do not.
* **Totals**: each roll call's totals (YES/NO/ABSENT/NO-VOTE COUNT and TOTAL VOTES; total_yes,
  total_no, total_abstentions, total_non_voting, total_ms) are compared with its entries; mismatches
  are counted and the first ones named in the notes (the roll call is kept).
* **Roll calls left out here**: a date that is not a full date (the wide table has two bare years),
  a repeated record (the same resolution symbol twice: kept once, at its lowest undl_id, when date
  and entries are identical; all copies left out when they differ).

Matching with unvotes (in the warehouse)
----------------------------------------
The Library's ids are not Voeten's ``rcid``. Whenever Library or unvotes tables change, the derive
step (:func:`multipolar.sources.unvotes.build_un_votes`) matches every Library roll call with the
unvotes roll calls (:func:`match_roll_calls`, table ``undl_matches``):

1. **By symbol and date**: the same resolution symbol (:func:`symbol_key` reads both spellings:
   ``A/RES/76/231``, unvotes' ``R/76/231``; ``A/RES/2698(XXV)`` and ``R/25/2698``; ``A/RES/ES-10/6``;
   parts ``37/99D``, ``55/33[D]``, ``50/38[B-II]`` and ``R/50/38B/II``), on a whole-resolution vote of
   unvotes (``amend`` and ``para`` not 1), dated at most :data:`DATE_TOLERANCE_DAYS` apart. Measured on
   the shared files: of the 4,296 pairs so matched, 1,346 fall on the same day, 2,517 within 7 days,
   3,568 within 14 and all within 30; the Library's date is the later one in 2,664 (unvotes often dates
   a vote of the 1960s-1990s by its Main Committee vote, up to four weeks before the plenary adoption the
   Library records: the same day in 0-4% of the pairs of those decades, 73% in the 2000s, 100% from 2010).
2. **By symbol and votes** when the dates lie further apart (one file's date is wrong, e.g. the wide
   table dates 37/46 in 1980 and 37/84 in February 1982): the same symbol and at least 99% identical
   votes over at least 10 states (6 pairs in the shared files, 43 to 729 days apart, all 100% identical).
3. One Library roll call per unvotes roll call (candidates within the date tolerance first, then the
   best vote agreement, then the nearest date).
   The share of identical votes and of shared title words are reported as checks.

A Library roll call that is matched is not counted twice: unvotes' roll call stays, with its rcid. One
dated **inside unvotes' coverage** (between the first and last date of its roll calls) that is not
matched is left out, with the reason: unvotes is the record there and the Library extends it, it does
not amend it; unvotes' symbols of the early sessions are document numbers, not resolution symbols (1514
(XV) of 14 December 1960 is ``R/15/1273D`` there: the same votes of all 95 states in both, 13 days
earlier), and a vote profile alone cannot tell two resolutions of one month apart (measured: for 1,029
of 4,273 matched Library roll calls another unvotes roll call within 31 days has at least 99% identical
votes over at least 10 states), so adding them would count most of them twice. Every other roll call is
**new**: its rcid is ``UNDL_RCID_BASE + undl_id`` (:data:`UNDL_RCID_BASE` = 100,000,000; Voeten's rcids
are below 10,000, the single-vote ids of unvotes' reader from 990,001), so the same Library record has
the same rcid from either file. unvotes' amendment and paragraph votes have no Library counterpart (the
Library keeps whole resolutions): they are not mismatches.
"""
from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

from ..errors import InputError
from .base import Parsed, Reader, check_duplicates, map_countries, read_csv, to_numeric

WIDE_FIXED = ["Council", "Date", "Title", "Resolution", "TOTAL VOTES", "NO-VOTE COUNT", "ABSENT COUNT", "NO COUNT",
              "YES COUNT", "Link", "token"]
LONG_REQUIRED = ["undl_id", "ms_code", "ms_name", "ms_vote", "date", "resolution", "title"]
LONG_TOTALS = ["total_yes", "total_no", "total_abstentions", "total_non_voting", "total_ms"]
#: new Library roll calls get rcid = UNDL_RCID_BASE + undl_id (cannot collide with Voeten's rcid or the single-vote ids)
UNDL_RCID_BASE = 100_000_000
#: the largest date difference of a match by symbol (see the module docstring for the measurement)
DATE_TOLERANCE_DAYS = 31
#: a match by symbol whose dates lie further apart needs this share of identical votes, over at least MIN_COMMON states
VOTES_AGREE = 0.99
MIN_COMMON = 10
GA, SC = "General Assembly", "Security Council"
VOTE = {"Y": "yes", "N": "no", "A": "abstain"}
ROLL_CALL_COLUMNS = ["undl_id", "date", "year", "session", "resolution", "symbol", "title", "draft", "meeting",
                     "total_yes", "total_no", "total_abstentions", "total_non_voting", "total_ms",
                     "counted_yes", "counted_no", "counted_abstentions", "counted_non_voting", "counted_ms",
                     "totals_agree", "layout", "link"]
VOTE_COLUMNS = ["undl_id", "code", "vote", "country", "ms_code"]
_TITLE_TAIL = re.compile(r"\s*:\s*resolution\s*/\s*adopted by the General Assembly\.?\s*$", re.I)


# ---- resolution symbols ------------------------------------------------------------------------------
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(s: str) -> int:
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN[c]
        total += -v if i + 1 < len(s) and _ROMAN[s[i + 1]] > v else v
    return total


_PART = re.compile(r"([A-Z]{0,2}?)[-/]?((?:X{0,3})(?:IX|IV|V?I{0,3}))")


def _parts(rest: str) -> str | None:
    """'D', 'B/II', '/IV' for a symbol's part suffix ('D', '[D]', '[B-II]', 'B/II', 'II', '[SectionIII]');
    None for a suffix that is not a part (a paragraph, a rule, 'A-C')."""
    r = re.sub(r"[\[\]\(\)\s.]", "", rest.upper().replace("SECTION", "")).strip("/-")
    if not r:
        return ""
    m = _PART.fullmatch(r)
    if m and (m.group(1) or m.group(2)):
        a, b = m.group(1), m.group(2)
        return a + (f"/{b}" if b else "")
    return None


def symbol_key(symbol) -> str | None:
    """The normalised resolution symbol, the same for the Library's and unvotes' spellings:
    ``R/<session>/<number><part>`` (regular sessions), ``S/...`` (special), ``ES/...`` (emergency
    special). ``A/RES/76/231`` and ``R/76/231`` -> ``R/76/231``; ``A/RES/2698(XXV)`` and ``R/25/2698``
    -> ``R/25/2698``; ``A/RES/ES-10/6`` -> ``ES/10/6``; ``A/RES/50/38[B-II]`` and ``R/50/38B/II`` ->
    ``R/50/38B/II``. None for anything else (a draft ``A/76/L.14``, ``MISSING_DATA``, a paragraph)."""
    if symbol is None or (isinstance(symbol, float) and symbol != symbol):
        return None
    s = re.sub(r"/+", "/", str(symbol).strip().upper().replace(" ", ""))
    if not s:
        return None
    pats = [
        (r"A/RES/(ES|S)-(\d+)/(\d+)(.*)", lambda m: (m.group(1), int(m.group(2)), int(m.group(3)), m.group(4))),
        (r"(?:A/RES|R|GOAR)/(\d+)/(\d+)(.*)", lambda m: ("R", int(m.group(1)), int(m.group(2)), m.group(3))),
        (r"A/RES/(\d+)\(([IVXLC]+)\)(.*)", lambda m: ("R", _roman(m.group(2)), int(m.group(1)), m.group(3))),
        (r"A/RES/(\d+)\((ES|S)-([IVXLC]+|\d+)\)(.*)",
         lambda m: (m.group(2), int(m.group(3)) if m.group(3).isdigit() else _roman(m.group(3)), int(m.group(1)), m.group(4))),
        (r"(ESS|SS)/(\d+)/(\d+)(.*)", lambda m: ("ES" if m.group(1) == "ESS" else "S", int(m.group(2)), int(m.group(3)), m.group(4))),
    ]
    for pat, f in pats:
        m = re.fullmatch(pat, s)
        if m:
            kind, session, number, rest = f(m)
            part = _parts(rest)
            return None if part is None else f"{kind}/{session}/{number}{part}"
    return None


def session_of(key: str | None, date: str | None) -> float | None:
    """The regular session a vote belongs to: from a regular session's symbol, else from the date
    (a regular session opens in the third week of September: a vote from 15 September is in the
    session of that year, 1946 + n - 1; before, in the previous one)."""
    if key and key.startswith("R/"):
        return float(key.split("/")[1])
    if not date:
        return None
    y, m, d = int(date[:4]), int(date[5:7]), int(date[8:10])
    return float(y - 1945 if (m, d) >= (9, 15) else y - 1946)


def clean_title(t) -> str | None:
    """A roll call's title without the Library's trailing vote and resolution notes, or None."""
    if t is None or (isinstance(t, float) and t != t):
        return None
    t = _TITLE_TAIL.sub("", str(t)).strip()
    return t or None


def _title_words(t) -> frozenset:
    if not isinstance(t, str):
        return frozenset()
    stop = {"THE", "OF", "AND", "IN", "ON", "TO", "FOR", "A", "AN", "BY", "WITH", "RESOLUTION", "ADOPTED", "GENERAL", "ASSEMBLY",
            "DRAFT", "UNITED", "NATIONS", "U", "N"}
    return frozenset(w for w in re.split(r"[^A-Z]+", t.upper()) if len(w) > 2 and w not in stop)


# ---- the reader ----------------------------------------------------------------------------------------
class UNDL(Reader):
    """The UN Digital Library's voting records (the wide table of 1946-2021 or the long export), matched to
    Voeten's roll calls where they overlap."""
    name = "undl"
    title = "UN Digital Library: General Assembly voting records"
    citation = ("United Nations Dag Hammarskjöld Library, General Assembly Voting Data (digitallibrary.un.org/record/4060887), "
                "with its version and the download date; the wide table of 1946-2021: the Library's voting records as "
                "scraped by github.com/navyanawal0310/un-votes-intelligence-platform (data/raw/downloads/UN DATA.csv.zip).")
    license = "United Nations: non-commercial use, with attribution"
    signatures = {"wide": set(WIDE_FIXED), "long": set(LONG_REQUIRED)}
    keys = {"undl_roll_calls": ["undl_id"], "undl_votes": ["undl_id", "code"]}
    schema = {"undl_roll_calls": ROLL_CALL_COLUMNS, "undl_votes": VOTE_COLUMNS}

    def read(self, path, layout, head):
        if head.kind not in ("csv", "tsv"):
            raise InputError(f"the UN Digital Library's voting data are read from CSV, not {head.kind}", file=str(path),
                             expected="the CSV file as the Library (or the scraped wide table) ships it", hint="export the table to CSV")
        df = read_csv(path, sep="\t" if head.kind == "tsv" else ",", dtype=str, keep_default_na=False)
        return self._wide(path, df) if layout == "wide" else self._long(path, df)

    def derive(self, con, changed=None) -> None:
        from .unvotes import build_un_votes
        build_un_votes(con)

    # -- the wide table ------------------------------------------------------------------------------
    def _wide(self, path, df: pd.DataFrame) -> Parsed:
        names = [c for c in df.columns if c not in WIDE_FIXED]
        _check_header(path, names)
        rej: Counter = Counter()
        notes: list[str] = []
        df = df.reset_index(drop=True)
        df["__line"] = np.arange(len(df)) + 2
        council = df["Council"].str.strip()
        bad = ~council.isin([GA, SC])
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"unknown council {df['Council'].iloc[i]!r}", file=str(path), line=i + 2, field="Council",
                             expected=f"'{GA}' or '{SC}'", hint="use the table as published")
        n_sc = int((council == SC).sum())
        if n_sc:
            rej["roll calls: Security Council (General Assembly only)"] += n_sc
            filled = np.char.strip(df[names].to_numpy(dtype=str)) != ""
            in_sc, in_ga = filled[(council == SC).to_numpy()].any(axis=0), filled[(council == GA).to_numpy()].any(axis=0)
            sc_only = [n for n, s_, g_ in zip(names, in_sc, in_ga) if s_ and not g_]
            if sc_only:
                notes.append(f"{n_sc:,} Security Council roll calls left out; names found only in them (not resolved): "
                             + ", ".join(repr(n) for n in sc_only))
        ga = df[council == GA].reset_index(drop=True)
        ids = to_numeric(ga, "token", path, integer=True, allow_na=False)
        ga["undl_id"] = ids.astype("int64")
        dup = ga["undl_id"].duplicated()
        if dup.any():
            i = int(np.flatnonzero(dup.to_numpy())[0])
            raise InputError(f"the record {ga['undl_id'].iloc[i]} appears twice", file=str(path), line=int(ga["__line"].iloc[i]),
                             field="token", expected="one row per Library record", hint="use the table as published")
        # entries: one per member-state cell that is not blank
        vals = np.char.upper(np.char.strip(ga[names].to_numpy(dtype=str)))
        ok = np.isin(vals, ["", "Y", "N", "A", "X"])
        if not ok.all():
            r, c = np.argwhere(~ok)[0]
            raise InputError(f"unknown vote {ga[names[c]].iloc[r]!r}", file=str(path), line=int(ga["__line"].iloc[r]), field=names[c],
                             expected="Y (yes), N (no), A (abstention), X (did not vote) or blank (not a member)",
                             hint="use the table as published")
        r_idx, c_idx = np.nonzero(vals != "")
        entries = pd.DataFrame({"undl_id": ga["undl_id"].to_numpy()[r_idx], "country": np.asarray(names, dtype=object)[c_idx],
                                "value": vals[r_idx, c_idx], "ms_code": None})
        totals = {"total_yes": "YES COUNT", "total_no": "NO COUNT", "total_abstentions": "ABSENT COUNT",
                  "total_non_voting": "NO-VOTE COUNT", "total_ms": "TOTAL VOTES"}
        rc = pd.DataFrame({"undl_id": ga["undl_id"], "date_raw": ga["Date"].str.strip(), "resolution": ga["Resolution"].str.strip(),
                           "title": ga["Title"], "draft": None, "meeting": None, "link": ga["Link"].str.strip(), "__line": ga["__line"]})
        for k, c in totals.items():
            rc[k] = to_numeric(ga, c, path).astype("Int64")
        return self._finish(path, "wide", rc, entries, rej, notes, rows_read=len(df))

    # -- the Library's long file -----------------------------------------------------------------------
    def _long(self, path, df: pd.DataFrame) -> Parsed:
        rej: Counter = Counter()
        notes: list[str] = []
        df = df.reset_index(drop=True)
        n_rows = len(df)
        df["__line"] = np.arange(len(df)) + 2
        df["undl_id"] = to_numeric(df, "undl_id", path, integer=True, allow_na=False).astype("int64")
        v = df["ms_vote"].str.strip().str.upper()
        bad = ~v.isin(["Y", "N", "A", "X", "NV", ""])
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"unknown vote {df['ms_vote'].iloc[i]!r}", file=str(path), line=i + 2, field="ms_vote",
                             expected="Y (yes), N (no), A (abstention) or X (did not vote)", hint="use the file as the Library publishes it")
        df["value"] = v.replace({"NV": "X", "": "X"})
        check_duplicates(df, ["undl_id", "ms_name"], path, what="entry (one member state's vote on one resolution)")
        missing_name = df["ms_name"].str.strip() == ""
        if missing_name.any():
            i = int(np.flatnonzero(missing_name.to_numpy())[0])
            raise InputError("a row without a member state's name", file=str(path), line=i + 2, field="ms_name",
                             expected="the member state's name of its time", hint="use the file as the Library publishes it")
        have_tot = [c for c in LONG_TOTALS if c in df.columns]
        if len(have_tot) < len(LONG_TOTALS):
            notes.append("no column(s) " + ", ".join(c for c in LONG_TOTALS if c not in df.columns) + ": those totals are not checked")
        rcols = ["date", "resolution", "title"] + [c for c in ("draft", "meeting", "undl_link") if c in df.columns] + have_tot
        for c in rcols:
            df[c] = df[c] if c == "title" else to_numeric(df, c, path).astype("Int64") if c in have_tot else df[c].str.strip()
        # every roll-call field has one value per undl_id
        first = df.drop_duplicates("undl_id")
        for c in rcols:
            pairs = df[["undl_id", c]].drop_duplicates()
            if len(pairs) != len(first):
                u = pairs.loc[pairs["undl_id"].duplicated(), "undl_id"].iloc[0]
                v0 = first.loc[first["undl_id"] == u, c].iloc[0]
                i = int(np.flatnonzero(((df["undl_id"] == u) & ~(df[c] == v0).fillna(False)).to_numpy())[0])
                raise InputError(f"record {u} has two values of {c!r}: {first.loc[first['undl_id'] == u, c].iloc[0]!r} and {df[c].iloc[i]!r}",
                                 file=str(path), line=i + 2, field=c, expected=f"one {c} per undl_id (one voting record)",
                                 hint="the file may have been edited or concatenated; download it again")
        # Security Council records (the Library's separate Security Council file has the same columns)
        sc = first["resolution"].str.upper().str.startswith("S/RES")
        if sc.any():
            rej["roll calls: Security Council (General Assembly only)"] += int(sc.sum())
            df = df[~df["undl_id"].isin(first.loc[sc, "undl_id"])]
            first = first[~sc]
            if not len(first):
                notes.append("every record is a Security Council resolution: this is the Security Council's voting file, not the General Assembly's")
        rc = pd.DataFrame({"undl_id": first["undl_id"], "date_raw": first["date"].str[:10], "resolution": first["resolution"],
                           "title": first["title"], "draft": first["draft"] if "draft" in first else None,
                           "meeting": first["meeting"] if "meeting" in first else None,
                           "link": first["undl_link"] if "undl_link" in first else None, "__line": first["__line"]})
        for c in LONG_TOTALS:
            rc[c] = first[c].to_numpy() if c in first else pd.array([pd.NA] * len(first), dtype="Int64")
        entries = pd.DataFrame({"undl_id": df["undl_id"].to_numpy(), "country": df["ms_name"].str.strip().to_numpy(),
                                "value": df["value"].to_numpy(), "ms_code": df["ms_code"].str.strip().replace("", None).to_numpy()})
        return self._finish(path, "long", rc.reset_index(drop=True), entries, rej, notes, rows_read=n_rows)

    # -- shared: dates, totals, repeats, names -------------------------------------------------------------
    def _finish(self, path, layout, rc: pd.DataFrame, entries: pd.DataFrame, rej: Counter, notes: list, rows_read: int) -> Parsed:
        from ..actors.registry import registry
        rc = rc.reset_index(drop=True)
        # dates: a full date, or the roll call is left out (a bare year cannot be matched or dated)
        raw = rc["date_raw"].fillna("").astype(str).str.strip()
        full = raw.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
        parsed = pd.to_datetime(raw.where(full), errors="coerce", format="%Y-%m-%d")
        bare = raw.str.fullmatch(r"\d{4}")
        empty = raw == ""
        bad = ~(full & parsed.notna()) & ~bare & ~empty
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"not a date: {raw.iloc[i]!r}", file=str(path), line=int(rc["__line"].iloc[i]),
                             field="Date" if layout == "wide" else "date", expected="a date YYYY-MM-DD",
                             hint="use the file as published")
        years = parsed.dt.year
        out_of_range = years.notna() & ((years < 1945) | (years > pd.Timestamp.today().year + 1))
        if out_of_range.any():
            i = int(np.flatnonzero(out_of_range.to_numpy())[0])
            raise InputError(f"date {raw.iloc[i]} out of range", file=str(path), line=int(rc["__line"].iloc[i]),
                             field="Date" if layout == "wide" else "date", expected="a date from 1946 to this year",
                             hint="check the file: a date outside the General Assembly's years means a corrupted or wrong file")
        if bare.any():
            rej["roll calls: no full date (a bare year)"] += int(bare.sum())
            notes.append("roll calls without a full date, left out: " + ", ".join(
                f"{r} ({d})" for r, d in zip(rc.loc[bare, "resolution"], raw[bare])))
        if empty.any():
            rej["roll calls: no date"] += int(empty.sum())
        rc["date"] = parsed.dt.strftime("%Y-%m-%d")
        rc = rc[parsed.notna()].reset_index(drop=True)
        entries = entries[entries["undl_id"].isin(rc["undl_id"])]
        # the resolution symbol: as written, and normalised
        res = rc["resolution"].fillna("").astype(str).str.strip()
        missing = res.str.upper().isin(["", "MISSING_DATA", "NAN", "NONE"])
        if missing.any():
            notes.append(f"{int(missing.sum())} roll call(s) without a resolution symbol ({', '.join(sorted(set(rc.loc[missing, 'resolution'].fillna('empty'))))}): "
                         "kept, but they can be matched with unvotes only by their symbol, so inside unvotes' coverage they are left out")
        rc["resolution"] = res.where(~missing, None)
        rc["symbol"] = [symbol_key(s) for s in rc["resolution"]]
        nonres = rc["resolution"].notna() & rc["symbol"].isna()
        if nonres.any():
            notes.append(f"{int(nonres.sum())} roll call(s) whose symbol is not a resolution's ({', '.join(sorted(set(rc.loc[nonres, 'resolution'])))[:300]})")
        # totals: the file's against the entries
        cnt = pd.crosstab(entries["undl_id"], entries["value"]).reindex(columns=["Y", "N", "A", "X"], fill_value=0)
        cnt = cnt.reindex(rc["undl_id"], fill_value=0)
        counted = {"counted_yes": cnt["Y"], "counted_no": cnt["N"], "counted_abstentions": cnt["A"], "counted_non_voting": cnt["X"],
                   "counted_ms": cnt.sum(axis=1)}
        agree = pd.Series(True, index=rc.index)
        mism = []
        for (k, c), fname in zip(counted.items(), ["total_yes", "total_no", "total_abstentions", "total_non_voting", "total_ms"]):
            rc[k] = c.to_numpy().astype("int64")
            t = rc[fname]
            diff = t.notna() & (t.astype("Float64") != rc[k].astype("Float64"))
            diff = diff.fillna(False).astype(bool)
            agree &= ~diff
            if diff.any():
                ex = rc.loc[diff].head(5)
                label = {"wide": {"total_yes": "YES COUNT", "total_no": "NO COUNT", "total_abstentions": "ABSENT COUNT (abstentions)",
                                  "total_non_voting": "NO-VOTE COUNT", "total_ms": "TOTAL VOTES"}}.get(layout, {}).get(fname, fname)
                mism.append(f"{label} {int(diff.sum())} (" + ", ".join(f"{r or u}: {int(a)} against {int(b)} counted"
                            for r, u, a, b in zip(ex["resolution"], ex["undl_id"], ex[fname], ex[k])) + (", ..." if diff.sum() > 5 else "") + ")")
        rc["totals_agree"] = agree.to_numpy()
        n_bad = int((~agree).sum())
        notes.append(f"totals checked against the entries: {len(rc) - n_bad:,} of {len(rc):,} roll calls agree"
                     + (f"; mismatches: {'; '.join(mism)}" if mism else ""))
        # repeated records: one resolution symbol twice
        rk = rc["symbol"].where(rc["symbol"].notna(), rc["resolution"].str.upper().str.replace(" ", "", regex=False))
        rep = rk.notna() & rk.duplicated(keep=False)
        drop_ids: set = set()
        if rep.any():
            sig = entries[entries["undl_id"].isin(rc.loc[rep, "undl_id"])].sort_values(["country", "value"]).groupby("undl_id").apply(
                lambda g: tuple(zip(g["country"], g["value"])), include_groups=False)
            for key, g in rc[rep].groupby(rk[rep]):
                sigs = {(d, sig.get(u, ())) for d, u in zip(g["date"], g["undl_id"])}
                ids = sorted(g["undl_id"])
                if len(sigs) == 1:
                    rej["roll calls: repeated record (same symbol, date and entries; kept once)"] += len(ids) - 1
                    drop_ids |= set(ids[1:])
                    notes.append(f"{g['resolution'].iloc[0]} appears in {len(ids)} records ({', '.join(map(str, ids))}) with the same date and entries: kept once (record {ids[0]})")
                else:
                    rej["roll calls: one symbol on records that differ (date or entries)"] += len(ids)
                    drop_ids |= set(ids)
                    notes.append(f"{g['resolution'].iloc[0]} appears in {len(ids)} records ({', '.join(map(str, ids))}) that differ: all left out")
        rc = rc[~rc["undl_id"].isin(drop_ids)].reset_index(drop=True)
        entries = entries[~entries["undl_id"].isin(drop_ids)]
        # names, on the vote's date
        e = entries.merge(rc[["undl_id", "date"]], on="undl_id")
        keys = e.groupby(["country", "date"], dropna=False).size().rename("n").reset_index()
        name_rej: Counter = Counter()
        name_notes: list[str] = []
        mapped = map_countries(keys, "country", system="name", date="date", path=path, strict=False, rejected=name_rej, notes=name_notes,
                               source=self.name, system_only=True, weight="n")
        for k, n in name_rej.items():
            rej[f"entries: {k}"] += n
        notes += [f"entries: {x}" for x in name_notes]
        e = e.merge(mapped[["country", "date", "code"]], on=["country", "date"], how="inner")
        notes.append(_name_summary(keys, self.name))
        # the long file's ms_code: a cross-check of the name
        if e["ms_code"].notna().any():
            e, code_notes = _check_ms_codes(e, rej, registry())
            notes += code_notes
        # two entries for one state in one roll call
        dup = e.duplicated(["undl_id", "code"], keep=False)
        if dup.any():
            d = e[dup]
            same = d.groupby(["undl_id", "code"])["value"].transform("nunique") == 1
            n_same = int(same.sum() - d[same].drop_duplicates(["undl_id", "code"]).shape[0])
            if n_same:
                rej["entries: a second entry for the same state in one roll call (identical, kept once)"] += n_same
            diff = d[~same]
            if len(diff):
                rej["entries: two entries for one state in one roll call that differ"] += len(diff)
                notes.append("entries for one state that differ, left out: " + "; ".join(
                    f"{u} {c}: " + ", ".join(f"{n}={v}" for n, v in zip(g["country"], g["value"]))
                    for (u, c), g in list(diff.groupby(["undl_id", "code"]))[:10]))
            e = pd.concat([e[~dup], d[same].drop_duplicates(["undl_id", "code"])])
        votes = e[e["value"].isin(list(VOTE))]
        votes = pd.DataFrame({"undl_id": votes["undl_id"].astype("int64"), "code": votes["code"], "vote": votes["value"].map(VOTE),
                              "country": votes["country"], "ms_code": votes["ms_code"].astype("string")})
        votes = votes.sort_values(["undl_id", "code"]).reset_index(drop=True)
        rc["year"] = rc["date"].str[:4].astype("int64")
        rc["session"] = [session_of(k, d) for k, d in zip(rc["symbol"], rc["date"])]
        rc["title"] = rc["title"].map(clean_title)
        rc["layout"] = layout
        for c in ("draft", "meeting", "link", "resolution", "symbol"):
            rc[c] = rc[c].astype("string").str.strip().replace("", pd.NA)
        rc = rc[ROLL_CALL_COLUMNS].sort_values("undl_id").reset_index(drop=True)
        if layout == "wide":
            version = f"UN Digital Library voting records, wide table (scraped), General Assembly {rc['date'].min()} to {rc['date'].max()}" if len(rc) else "UN Digital Library voting records, wide table (scraped)"
        else:
            last = rc.sort_values(["date", "undl_id"]).iloc[-1] if len(rc) else None
            version = ("UN Digital Library General Assembly Voting Data" +
                       (f", to {last['resolution']} ({last['date']})" if last is not None else ""))
        return Parsed({"undl_roll_calls": rc, "undl_votes": votes}, rows_read=rows_read, rejected=rej, version=version,
                      partitions={"undl_roll_calls": ["undl_id"], "undl_votes": ["undl_id"]}, notes=notes)


def _name_summary(keys: pd.DataFrame, source: str) -> str:
    """'names: N distinct; R resolved by the registry, A by documented source aliases, S by the suffix
    rule; P resolved on some dates only; J rejected on every date' (the cache of resolve_name makes this cheap)."""
    from .names import resolve_name
    how: dict[str, set] = {}
    for name, date in zip(keys["country"], keys["date"]):
        r = resolve_name(name, date=str(date)[:10], source=source, system_only=True)
        how.setdefault(name, set()).add("rejected" if not r.ok else r.how.split(":")[0])
    cats = Counter()
    for name, hs in how.items():
        ok = hs - {"rejected"}
        if not ok:
            cats["rejected on every date"] += 1
        else:
            cats["resolved by documented source alias" if "source alias" in ok else "resolved by the suffix rule" if "suffix" in ok
                 else "resolved by the registry's names"] += 1
            if "rejected" in hs:
                cats["of which rejected on some dates"] += 1
    order = ["resolved by the registry's names", "resolved by documented source alias", "resolved by the suffix rule",
             "of which rejected on some dates", "rejected on every date"]
    return f"names: {len(how)} distinct; " + ", ".join(f"{cats[k]} {k}" for k in order if cats[k])


def _check_ms_codes(e: pd.DataFrame, rej: Counter, reg) -> tuple[pd.DataFrame, list[str]]:
    """The long file's ms_code against the state its ms_name resolved to, on the vote's date."""
    from ..errors import UnknownCountryError
    notes = []
    keys = e[["ms_code", "date", "code"]].drop_duplicates()
    verdict = {}
    for code3, date, code in keys.itertuples(index=False):
        if code3 is None or (isinstance(code3, float) and code3 != code3):
            verdict[(code3, date, code)] = "none"
            continue
        try:
            c = reg.resolve(code3, date=date, system="iso3")
        except UnknownCountryError:
            verdict[(code3, date, code)] = "unknown"
            continue
        verdict[(code3, date, code)] = "agree" if c == code else f"differs:{c}"
    v = pd.Series([verdict[k] for k in zip(e["ms_code"], e["date"], e["code"])], index=e.index)
    unknown = e[v == "unknown"]
    if len(unknown):
        g = unknown.groupby(["ms_code", "code"]).size()
        notes.append("ms_code not an ISO3 code of the registry on that date (the name decides): " +
                     ", ".join(f"{c3} ({c}) ×{n:,}" for (c3, c), n in g.items()))
    agree = int((v == "agree").sum())
    notes.append(f"ms_code agrees with the state of ms_name (as ISO3, on the vote's date) for {agree:,} of {int((v != 'none').sum()):,} entries")
    differs = v.str.startswith("differs")
    if differs.any():
        d = e[differs]
        rej["entries: ms_name and ms_code name different states"] += int(differs.sum())
        g = d.assign(other=v[differs].str.split(":").str[1]).groupby(["country", "ms_code", "code", "other"]).size()
        notes.append("ms_name and ms_code name different states, left out: " +
                     ", ".join(f"{n} / {c3} ({c} / {o}) ×{k:,}" for (n, c3, c, o), k in g.items()))
        e = e[~differs]
    return e, notes


def _check_header(path, names):
    seen = {}
    for n in names:
        if n in seen or re.fullmatch(r".+\.\d+", n) and n.rsplit(".", 1)[0] in names:
            raise InputError(f"the column {n!r} appears twice", file=str(path), line=1, field=n,
                             expected="one column per member-state name", hint="use the table as published")
        seen[n] = True


# ---- matching with unvotes (inside the warehouse) --------------------------------------------------------
MATCH_COLUMNS = ["undl_id", "resolution", "symbol", "date", "status", "reason", "rcid", "unvotes_unres", "unvotes_date", "days",
                 "vote_agreement", "n_common", "title_overlap"]


def match_roll_calls(con, with_unvotes: bool) -> pd.DataFrame:
    """One row per Library roll call: ``matched`` (to the unvotes rcid), ``new`` (rcid
    ``UNDL_RCID_BASE + undl_id``) or ``left out`` (with the reason). See the module docstring for the
    rule. ``un_votes`` must hold unvotes' votes (and only those) when ``with_unvotes``."""
    from .unvotes import SINGLE_VOTE_RCID
    lib = con.execute("SELECT undl_id, resolution, symbol, date, title FROM undl_roll_calls ORDER BY undl_id").df()
    res: dict[int, dict] = {}
    # the same resolution in two Library records (two files, or two records of one file): the lowest id stays
    rep = lib["symbol"].notna() & lib["symbol"].duplicated(keep="first")
    first_id = lib[lib["symbol"].notna()].drop_duplicates("symbol").set_index("symbol")["undl_id"]
    for u, s in zip(lib.loc[rep, "undl_id"], lib.loc[rep, "symbol"]):
        res[int(u)] = {"status": "left out", "reason": f"repeated symbol: Library record {int(first_id[s])} holds it"}
    todo = lib[~rep]
    titles = dict(zip(lib["undl_id"], lib["title"]))
    cov = None
    by_lib: dict = {}
    if with_unvotes:
        uv = con.execute("SELECT rcid, date, unres, amend, para, short, descr FROM unvotes_roll_calls").df()
        uv["symbol"] = [symbol_key(s) for s in uv["unres"]]
        voeten = uv[uv["rcid"] < min(SINGLE_VOTE_RCID.values())]
        if len(voeten):
            cov = (str(voeten["date"].min()), str(voeten["date"].max()))
        pairs = todo[todo["symbol"].notna()].merge(uv[uv["symbol"].notna()], on="symbol", suffixes=("", "_uv"))
        if len(pairs):
            pairs["days"] = (pd.to_datetime(pairs["date"]) - pd.to_datetime(pairs["date_uv"])).dt.days.astype("int64")
            part = (pd.to_numeric(pairs["amend"], errors="coerce") == 1) | (pd.to_numeric(pairs["para"], errors="coerce") == 1)
            pairs["whole"] = ~part.to_numpy()
            con.register("_undl_pairs", pairs[["undl_id", "rcid"]])
            ag = con.execute("""
                SELECT p.undl_id, p.rcid, count(*) AS n_common, sum(CASE WHEN l.vote = u.vote THEN 1 ELSE 0 END) AS same
                FROM _undl_pairs p JOIN undl_votes l ON l.undl_id = p.undl_id JOIN un_votes u ON u.rcid = p.rcid AND u.code = l.code
                GROUP BY 1, 2""").df()
            con.unregister("_undl_pairs")
            pairs = pairs.merge(ag, on=["undl_id", "rcid"], how="left")
            pairs["n_common"] = pairs["n_common"].fillna(0).astype("int64")
            pairs["agree"] = np.where(pairs["n_common"] > 0, pairs["same"].fillna(0) / pairs["n_common"].clip(lower=1), np.nan)
            pairs["absdays"] = pairs["days"].abs()
            pairs["near"] = pairs["absdays"] <= DATE_TOLERANCE_DAYS
            far_ok = (pairs["agree"] >= VOTES_AGREE) & (pairs["n_common"] >= MIN_COMMON)
            pairs["ok"] = pairs["whole"] & (pairs["near"] | far_ok)
            cand = pairs[pairs["ok"]].sort_values(["near", "agree", "absdays", "undl_id", "rcid"], ascending=[False, False, True, True, True],
                                                  na_position="last")
            used_l, used_r = set(), set()
            for r in cand.itertuples(index=False):
                if r.undl_id in used_l or r.rcid in used_r:
                    continue
                used_l.add(r.undl_id)
                used_r.add(r.rcid)
                res[int(r.undl_id)] = {
                    "status": "matched", "reason": "symbol and date" if r.near else f"symbol and votes (dates {r.absdays} days apart)",
                    "rcid": int(r.rcid), "unvotes_unres": r.unres, "unvotes_date": r.date_uv, "days": int(r.days),
                    "vote_agreement": None if pd.isna(r.agree) else float(r.agree), "n_common": int(r.n_common),
                    "title_overlap": _overlap(titles.get(r.undl_id), " ".join(t for t in (r.short, r.descr) if isinstance(t, str)))}
            by_lib = {u: (bool(g["whole"].any()), bool(g["ok"].any())) for u, g in pairs.groupby("undl_id")}
    for r in todo.itertuples(index=False):
        u = int(r.undl_id)
        if u in res:
            continue
        if cov and cov[0] <= r.date <= cov[1]:
            g = by_lib.get(r.undl_id)
            if not isinstance(r.symbol, str):
                why = "no resolution symbol to match by"
            elif g is None:
                why = "no unvotes roll call has this symbol"
            elif not g[0]:
                why = "unvotes holds this symbol only on amendment or paragraph votes"
            elif g[1]:
                why = "the unvotes roll call of this symbol was matched with another Library record"
            else:
                why = f"unvotes holds this symbol more than {DATE_TOLERANCE_DAYS} days away, with other votes"
            res[u] = {"status": "left out", "reason": f"inside unvotes' coverage ({cov[0]} to {cov[1]}): {why}"}
        else:
            res[u] = {"status": "new", "reason": "not in unvotes" if with_unvotes else "unvotes not imported", "rcid": UNDL_RCID_BASE + u}
    out = lib[["undl_id", "resolution", "symbol", "date"]].copy()
    for c in MATCH_COLUMNS[4:]:
        out[c] = [res[int(u)].get(c) for u in out["undl_id"]]
    for c in ("rcid", "days", "n_common"):
        out[c] = pd.array(out[c], dtype="Int64")
    for c in ("vote_agreement", "title_overlap"):
        out[c] = pd.to_numeric(out[c]).astype("float64")
    for c in ("resolution", "symbol", "date", "status", "reason", "unvotes_unres", "unvotes_date"):
        out[c] = out[c].astype("string")
    return out[MATCH_COLUMNS]


def _overlap(a, b) -> float | None:
    wa, wb = _title_words(a), _title_words(b)
    if not wa or not wb:
        return None
    return len(wa & wb) / len(wa | wb)


def match_summary(con) -> dict:
    """Counts of the last matching (``undl_matches``): matched, new by year, left out by reason."""
    m = con.execute("SELECT status, reason, substr(date, 1, 4) AS year FROM undl_matches").df()
    reasons = m.loc[m["status"] == "left out", "reason"].str.replace(r" \(\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\)", "", regex=True)
    return {"read": len(m), "matched": int((m["status"] == "matched").sum()), "new": int((m["status"] == "new").sum()),
            "new_by_year": {int(y): int(n) for y, n in m[m["status"] == "new"].groupby("year").size().items()},
            "left_out": {k: int(v) for k, v in reasons.value_counts().items()},
            "matched_how": {k: int(v) for k, v in m.loc[m["status"] == "matched", "reason"].str.replace(r"\d+ days", "N days", regex=True).value_counts().items()}}


def match_report(wh) -> str | None:
    """One line on the Library's roll calls in the warehouse ``wh`` (for ``multipolar data import``):
    how many matched unvotes, how many are new (per year), how many were left out and why."""
    if not wh.has("undl_matches"):
        return None
    with wh.connect() as con:
        s = match_summary(con)
    new = ", ".join(f"{y}: {n:,}" for y, n in sorted(s["new_by_year"].items()))
    left = "; ".join(f"{k}: {n:,}" for k, n in s["left_out"].items())
    return (f"UN Digital Library roll calls in the warehouse: {s['read']:,}; {s['matched']:,} matched with unvotes (not counted twice), "
            f"{s['new']:,} new ({new or 'none'}), {sum(s['left_out'].values()):,} left out" + (f" ({left})" if left else "")
            + ". Each one, with the reason, in the table undl_matches.")
