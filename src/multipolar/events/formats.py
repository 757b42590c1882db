"""Event files as their publishers ship them, read into one narrow Arrow table.

Layouts (recognised by content, zipped or not):

=============  =================================================================================================
``gdelt2``     GDELT 2.0 event export, 61 tab-separated columns, no header (``YYYYMMDDHHMMSS.export.CSV.zip``)
``gdelt1``     GDELT 1.0 daily export, 58 columns (57 before April 2013: no SOURCEURL), no header
``gdelt_csv``  a GDELT export with the codebook's header names, comma- or tab-separated (the shared samples)
``mentions``   GDELT 2.0 mentions, 16 tab-separated columns, no header (or with the codebook's header)
``icews``      ICEWS Dataverse files (``events.YYYY....tab``: "Event ID", "Event Date", "Source Country" ...), tab or comma
``polecat``    POLECAT weekly files (PLOVER: "Event ID", "Story Date", "Source Country", "Event Type" ...), tab or comma;
               the known malformations are repaired and counted: header names beyond the data (trailing empty or
               repeated names), stray tabs (empty fields after the last column). A row with extra *non-empty* fields
               cannot be repaired without guessing which field split: it is rejected and counted.
``phoenix``    Phoenix (OEDA real-time, 26 tab-separated columns without header; Cline Center historical files with
               their header: EventID, Date, ..., SourceActorEntity, ..., EventCode, EventRootCode, PentaClass,
               GoldsteinScore, ..., URLs, NewsSources)
=============  =================================================================================================

Each reader returns the raw fields every source has (``RAW``), as strings, with the file's line of
each row; :mod:`multipolar.events.lake` resolves the actors and types the values.
"""
from __future__ import annotations

import csv
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..errors import InputError, show
from ..sources.events import GDELT1_COLUMNS, GDELT1_COLUMNS_NO_URL, GDELT2_COLUMNS

MENTIONS_COLUMNS = ["GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName", "MentionIdentifier",
                    "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset", "InRawText", "Confidence",
                    "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras"]
PHOENIX_COLUMNS = ["EventID", "Date", "Year", "Month", "Day", "SourceActorFull", "SourceActorEntity", "SourceActorRole",
                   "SourceActorAttribute", "TargetActorFull", "TargetActorEntity", "TargetActorRole", "TargetActorAttribute",
                   "EventCode", "EventRootCode", "PentaClass", "GoldsteinScore", "Issues", "Lat", "Lon", "LocationName",
                   "StateName", "CountryCode", "SentenceID", "URLs", "NewsSources"]

#: the raw fields of every event layout (strings); ``system`` says how the actor fields name states
RAW = ["event_id", "date", "actor1", "actor2", "event_code", "root_code", "quad_class", "goldstein", "mentions", "url", "outlet"]

#: PLOVER event types (POLECAT) in their quad classes (PLOVER codebook: verbal/material cooperation/conflict)
PLOVER_QUAD = {"agree": 1, "consult": 1, "support": 1, "concede": 1, "cooperate": 2, "aid": 2, "retreat": 2,
               "request": 3, "accuse": 3, "reject": 3, "threaten": 3, "protest": 4, "sanction": 4, "mobilize": 4,
               "coerce": 4, "assault": 4}

MAX_LINE = 1 << 20


@dataclass
class Raw:
    """One file's rows: ``table`` with the :data:`RAW` columns (strings) and ``line`` (int64)."""
    source: str              # gdelt2, gdelt1, icews, polecat, phoenix, mentions
    layout: str
    system: str              # how actors name states: 'cameo' (ISO3 with CAMEO's own codes) or 'name'
    table: pa.Table
    rows_read: int
    repaired: Counter = field(default_factory=Counter)
    rejected: Counter = field(default_factory=Counter)


def _open(path: Path):
    """A binary stream of the file's data (the single member of a zip archive)."""
    if zipfile.is_zipfile(path):
        z = zipfile.ZipFile(path)
        names = [n for n in z.namelist() if not n.endswith("/")]
        if len(names) != 1:
            raise InputError(f"a zip archive with {len(names)} files", file=str(path), expected="one event file per archive, as GDELT ships them",
                             hint="unzip it and import the folder")
        return z.open(names[0])
    return open(path, "rb")


def _head(path: Path, n: int = 1 << 16) -> bytes:
    with _open(path) as f:
        return f.read(n)


def _norm(c: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", c.strip().strip('"').lower()).strip("_")


def sniff(path: Path) -> str | None:
    """The layout of an event file, or None when it is not one."""
    head = _head(path)
    if not head:
        return None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4096]:
        return None
    first = head.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace")
    tabs = first.split("\t")
    if tabs[0].isdigit():
        if len(tabs) == 61:
            return "gdelt2"
        if len(tabs) in (57, 58):
            return "gdelt1"
        if len(tabs) == 16 and re.fullmatch(r"\d{14}", tabs[1] or ""):
            return "mentions"
    if len(tabs) == 26 and re.fullmatch(r"\d{8}", tabs[1] or ""):
        return "phoenix"
    sep = "\t" if first.count("\t") > first.count(",") else ","
    cols = {_norm(c) for c in next(csv.reader([first], delimiter=sep))}
    if {"globaleventid", "sqldate", "actor1countrycode", "eventcode"} <= cols:
        return "gdelt_csv"
    if {"globaleventid", "mentionidentifier", "mentionsourcename"} <= cols:
        return "mentions"
    if {"event_id", "event_date", "source_country", "target_country", "cameo_code"} <= cols:
        return "icews"
    if {"event_id", "story_date", "source_country", "target_country", "event_type"} <= cols:
        return "polecat"
    if {"eventid", "date", "sourceactorentity", "targetactorentity", "eventcode"} <= cols:
        return "phoenix"
    return None


def _bad_row_collector(store: list, limit: int = 1_000_000):
    def handler(row):
        if len(store) < limit:
            store.append((row.number, row.actual_columns, row.text))
        return "skip"
    return handler


def _read(path: Path, *, sep: str, names: list | None, include: list, header: bool, quote: bool, bad: list | None = None,
          header_names: list | None = None, threads: bool = True) -> pa.Table:
    """pyarrow's multithreaded CSV reader on the (decompressed) stream: only ``include`` columns, all strings."""
    ro = pacsv.ReadOptions(column_names=names or header_names, skip_rows=1 if header else 0, block_size=1 << 24, use_threads=threads)
    po = pacsv.ParseOptions(delimiter=sep, quote_char='"' if quote else False, newlines_in_values=False,
                            invalid_row_handler=_bad_row_collector(bad) if bad is not None else None)
    co = pacsv.ConvertOptions(include_columns=include, column_types={c: pa.string() for c in include},
                              strings_can_be_null=True, quoted_strings_can_be_null=True, null_values=[""])
    with _open(path) as f:
        try:
            return pacsv.read_csv(f, read_options=ro, parse_options=po, convert_options=co)
        except pa.ArrowInvalid as e:
            m = re.search(r"Expected (\d+) columns, got (\d+): (.*)", str(e), re.S)
            if m:
                raise InputError(f"a row with {m.group(2)} fields: {show(m.group(3)[:200])}", file=str(path),
                                 expected=f"{m.group(1)} fields per row (the layout's columns)",
                                 hint="the file is cut short or not in the layout; download it again") from None
            if "straddling" in str(e) or "exceeds" in str(e):
                raise InputError(f"a line longer than {MAX_LINE:,} bytes or a broken quote", file=str(path),
                                 expected="one event per line", hint="check the file's format") from None
            raise InputError(f"not readable as a {'tab' if sep == chr(9) else 'comma'}-separated event file: {e}", file=str(path)) from None
        except UnicodeDecodeError as e:
            raise InputError(f"not UTF-8 text ({e.reason} at byte {e.start})", file=str(path), expected="UTF-8",
                             hint="convert it with iconv -f LATIN1 -t UTF-8") from None


def _with_lines(t: pa.Table, first_line: int) -> pa.Table:
    return t.append_column("line", pa.array(range(first_line, first_line + t.num_rows), pa.int64()))


def _header(path: Path) -> tuple[str, list[str]]:
    first = _head(path).split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace")
    sep = "\t" if first.count("\t") > first.count(",") else ","
    return sep, next(csv.reader([first], delimiter=sep))


def _outlet(url: pa.ChunkedArray) -> pa.ChunkedArray:
    """The host of a URL (``www.`` dropped): the outlet behind an event."""
    host = pc.extract_regex(url, r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*://)?(?:www\.)?(?P<h>[^/:?#]+)")
    return pc.utf8_lower(pc.struct_field(host, "h"))


def _frame(cols: dict, n: int) -> pa.Table:
    out = {}
    for c in RAW:
        v = cols.get(c)
        out[c] = v if v is not None else pa.nulls(n, pa.string())
    return pa.table(out)


def read(path, layout: str | None = None) -> Raw:
    """Read one event file (zipped or not) into a :class:`Raw`. ``layout`` as :func:`sniff` names it."""
    path = Path(path)
    layout = layout or sniff(path)
    if layout is None:
        raise InputError("not an event file this reader knows", file=str(path),
                         expected="GDELT 1.0/2.0 exports or mentions, ICEWS, POLECAT or Phoenix files (see `multipolar events import --help`)")
    fn = {"gdelt2": _gdelt_raw, "gdelt1": _gdelt_raw, "gdelt_csv": _gdelt_csv, "mentions": _mentions, "icews": _icews,
          "polecat": _polecat, "phoenix": _phoenix}[layout]
    return fn(path, layout)


GDELT_USE = ["GLOBALEVENTID", "SQLDATE", "Actor1CountryCode", "Actor2CountryCode", "EventCode", "EventRootCode", "QuadClass",
             "GoldsteinScale", "NumMentions"]


def _gdelt_table(t: pa.Table, first_line: int, source: str) -> pa.Table:
    n = t.num_rows
    url = t["SOURCEURL"] if "SOURCEURL" in t.column_names else pa.chunked_array([pa.nulls(n, pa.string())])
    cols = {"event_id": t["GLOBALEVENTID"], "date": t["SQLDATE"], "actor1": t["Actor1CountryCode"], "actor2": t["Actor2CountryCode"],
            "event_code": t["EventCode"], "root_code": t["EventRootCode"], "quad_class": t["QuadClass"], "goldstein": t["GoldsteinScale"],
            "mentions": t["NumMentions"], "url": url, "outlet": _outlet(url)}
    return _with_lines(_frame(cols, n), first_line)


def _gdelt_raw(path: Path, layout: str) -> Raw:
    first = _head(path, 1 << 16).split(b"\n", 1)[0]
    ncol = first.count(b"\t") + 1
    names = {61: GDELT2_COLUMNS, 58: GDELT1_COLUMNS, 57: GDELT1_COLUMNS_NO_URL}[ncol]
    include = GDELT_USE + (["SOURCEURL"] if "SOURCEURL" in names else [])
    t = _read(path, sep="\t", names=names, include=include, header=False, quote=False)
    source = "gdelt2" if ncol == 61 else "gdelt1"
    return Raw(source, f"{source}_export_{ncol}", "cameo", _gdelt_table(t, 1, source), t.num_rows)


def _gdelt_csv(path: Path, layout: str) -> Raw:
    sep, header = _header(path)
    include = [c for c in GDELT_USE + ["SOURCEURL"] if c in header]
    missing = [c for c in GDELT_USE if c not in header]
    if missing:
        raise InputError(f"missing columns {missing}", file=str(path), line=1, expected="the GDELT codebook's column names")
    t = _read(path, sep=sep, names=None, include=include, header=True, quote=True, header_names=header)
    source = "gdelt2" if "Actor1Geo_ADM2Code" in header else "gdelt1"
    return Raw(source, f"{source}_csv", "cameo", _gdelt_table(t, 2, source), t.num_rows)


def _mentions(path: Path, layout: str) -> Raw:
    sep, header = _header(path)
    has_header = "GLOBALEVENTID" in header
    inc = ["GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName", "MentionIdentifier", "Confidence"]
    if has_header:
        t = _read(path, sep=sep, names=None, include=inc, header=True, quote=True, header_names=header)
    else:
        t = _read(path, sep="\t", names=MENTIONS_COLUMNS, include=inc, header=False, quote=False)
    t = _with_lines(t, 2 if has_header else 1)
    return Raw("mentions", "gdelt2_mentions", "none", t, t.num_rows)


def _named(path: Path, want: dict, layout: str, repaired: Counter | None = None, rejected: Counter | None = None) -> tuple[pa.Table, int]:
    """A headed file read by normalised column names (``want``: our name -> normalised header name).

    POLECAT (``repaired``/``rejected`` given): header names beyond the data (empty or repeated names) are
    ignored and counted; a row with more fields than the real columns is repaired when the extra fields are
    empty (stray tabs at the end, or the width of the header's extra names), and rejected when they are not
    (a stray tab inside a field shifts the fields after it: which field split cannot be known)."""
    sep, header = _header(path)
    names = [_norm(h) for h in header]
    tolerant = repaired is not None
    bad: list = []
    if tolerant:
        seen, real = set(), []
        for h in names:
            if h == "" or h in seen:
                repaired["header: empty or repeated column names ignored"] += 1
                continue
            seen.add(h)
            real.append(h)
        names = real
    missing = [w for w in want.values() if w and w not in names]
    if missing:
        raise InputError(f"missing columns {missing}", file=str(path), line=1, expected=f"the {layout} layout's columns")
    include = [w for w in dict.fromkeys(want.values()) if w]
    t = _read(path, sep=sep, names=names, include=include, header=True, quote=sep == ",", bad=bad if tolerant else None,
              threads=not tolerant)
    t = _with_lines(t, 2)
    if bad:
        fixed_rows = []
        width = len(names)
        for number, actual, text in bad:
            parts = text.split(sep)
            if actual > width and all(p.strip() == "" for p in parts[width:]):
                fixed_rows.append((number, parts[:width]))
                repaired["empty fields after the last column removed (stray tabs)"] += 1
            elif actual > width:
                rejected["more fields than columns, not empty (a stray tab inside a field: not repairable)"] += 1
            else:
                rejected["fewer fields than columns (a row cut short)"] += 1
        lines = [n for n, _ in fixed_rows]          # the file's line (the header is line 1)
        if fixed_rows:
            idx = {n: i for i, n in enumerate(names)}
            extra = {c: pa.array([(r[idx[c]] or None) for _, r in fixed_rows], pa.string()) for c in include}
            extra["line"] = pa.array(lines, pa.int64())
            t = pa.concat_tables([t, pa.table(extra).select(t.column_names)])
    return t, t.num_rows + (sum(rejected.values()) if rejected is not None else 0)


def _icews(path: Path, layout: str) -> Raw:
    want = {"event_id": "event_id", "date": "event_date", "actor1": "source_country", "actor2": "target_country",
            "event_code": "cameo_code", "goldstein": "intensity"}
    sep, header = _header(path)
    normed = [_norm(h) for h in header]
    for opt in ("publisher", "story_id"):
        if opt in normed:
            want[opt] = opt
    t, n = _named(path, want, layout)
    code = t["cameo_code"]
    # some ICEWS releases store CAMEO codes as numbers: '40' is 040
    code = pc.if_else(pc.less(pc.utf8_length(code), 3), pc.utf8_lpad(code, 3, "0"), code)
    story = t["story_id"] if "story_id" in t.column_names else pa.nulls(t.num_rows, pa.string())
    cols = {"event_id": t["event_id"], "date": t["event_date"], "actor1": t["source_country"], "actor2": t["target_country"],
            "event_code": code, "root_code": pc.utf8_slice_codeunits(code, 0, 2), "goldstein": t["intensity"], "url": story,
            "outlet": t["publisher"] if "publisher" in t.column_names else None}
    out = _frame(cols, t.num_rows).append_column("line", t["line"])
    return Raw("icews", "icews", "name", out, n)


def _polecat(path: Path, layout: str) -> Raw:
    repaired, rejected = Counter(), Counter()
    want = {"event_id": "event_id", "date": "story_date", "actor1": "source_country", "actor2": "target_country", "event_code": "event_type"}
    sep, header = _header(path)
    normed = [_norm(h) for h in header]
    for opt in ("goldstein", "url", "publisher"):
        if opt in normed:
            want[opt] = opt
    t, n = _named(path, want, layout, repaired, rejected)
    etype = pc.utf8_lower(pc.utf8_trim_whitespace(t["event_type"]))
    quad = pc.cast(pc.index_in(etype, pa.array(list(PLOVER_QUAD))), pa.int64())
    qvals = pa.array(list(PLOVER_QUAD.values()), pa.int64())
    quad_s = pc.cast(pc.take(qvals, quad), pa.string())
    url = t["url"] if "url" in t.column_names else pa.nulls(t.num_rows, pa.string())
    outlet = t["publisher"] if "publisher" in t.column_names else _outlet(url)
    cols = {"event_id": t["event_id"], "date": t["story_date"], "actor1": t["source_country"], "actor2": t["target_country"],
            "event_code": etype, "root_code": etype, "quad_class": quad_s,
            "goldstein": t["goldstein"] if "goldstein" in t.column_names else None, "url": url, "outlet": outlet}
    out = _frame(cols, t.num_rows).append_column("line", t["line"])
    return Raw("polecat", "polecat", "cameo", out, n, repaired, rejected)


def _phoenix(path: Path, layout: str) -> Raw:
    first = _head(path).split(b"\n", 1)[0].decode("utf-8", "replace")
    inc = ["EventID", "Date", "SourceActorEntity", "TargetActorEntity", "EventCode", "EventRootCode", "PentaClass", "GoldsteinScore", "URLs", "NewsSources"]
    if first.split("\t")[0].isdigit() or re.fullmatch(r"\d{8}", (first.split("\t") + [""])[1]):
        t = _with_lines(_read(path, sep="\t", names=PHOENIX_COLUMNS, include=inc, header=False, quote=False), 1)
    else:
        sep, header = _header(path)
        byn = {_norm(h): h for h in header}
        need = [c for c in inc if _norm(c) not in byn]
        if need:
            raise InputError(f"missing columns {need}", file=str(path), line=1, expected="the Phoenix layout's columns")
        t = _read(path, sep=sep, names=None, include=[byn[_norm(c)] for c in inc], header=True, quote=sep == ",", header_names=header)
        t = _with_lines(t.rename_columns(inc), 2)
    code = t["EventCode"]
    root = pc.utf8_lpad(t["EventRootCode"], 2, "0")
    url = pc.utf8_slice_codeunits(t["URLs"], 0, 2000)
    first_url = pc.struct_field(pc.extract_regex(pc.fill_null(url, ""), r"^(?P<u>[^;,\s]*)"), "u")
    cols = {"event_id": t["EventID"], "date": t["Date"], "actor1": t["SourceActorEntity"], "actor2": t["TargetActorEntity"],
            "event_code": code, "root_code": root, "goldstein": t["GoldsteinScore"], "url": first_url,
            "outlet": pc.utf8_lower(t["NewsSources"])}
    out = _frame(cols, t.num_rows).append_column("line", t["line"])
    return Raw("phoenix", "phoenix", "cameo", out, t.num_rows)
