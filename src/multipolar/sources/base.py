"""What every reader shares: opening a file as its publisher ships it, checking it, and
normalising its country columns to the actor registry.

A reader recognises its files by their *content* (column names, layout), never by file name,
and returns one or more normalised tables. Bad input raises :class:`InputError` naming the
file, the line or field, what was expected and what to do.
"""
from __future__ import annotations

import datetime as dt
import gzip
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..actors.registry import Registry, registry
from ..errors import InputError, show

LFS_MAGIC = b"version https://git-lfs.github.com/spec/v1"
#: the widest table a reader accepts. The widest file of the shared folder has 537 columns (COW IGO state-year,
#: format 3); the widest published country-year sets (V-Dem) have about 4,600. A wider file is refused before it
#: is parsed (a 10,000-column CSV once took 22 GB of memory).
MAX_COLUMNS = 5_000
#: the longest line of a text table a reader accepts (bytes). The longest line of a table in the shared folder is
#: 5,323 bytes (world-countries CSV; 3,222 for a dataset multipolar reads). A longer line is refused before parsing.
MAX_LINE_BYTES = 1 << 20
#: multipolar covers the state system from 1946; earlier rows are counted and left out
FIRST_YEAR = 1946
CURRENT_YEAR = dt.date.today().year


@dataclass
class FileHead:
    """What readers look at to recognise a file: its kind, columns and first rows."""
    path: Path
    kind: str                       # csv, tsv, parquet, rda, xls, dta, text
    columns: list[str]
    sample: pd.DataFrame | None = None
    objects: dict[str, list[str]] = field(default_factory=dict)   # rda: object -> columns
    first_line: str = ""
    lines: int | None = None        # text: physical lines (a last line without a line end counts)


@dataclass
class Parsed:
    """A reader's result: normalised tables plus the counts that go into provenance."""
    tables: dict[str, pd.DataFrame]
    rows_read: int
    rejected: Counter = field(default_factory=Counter)
    version: str = ""
    partitions: dict[str, list[str]] = field(default_factory=dict)   # table -> partition columns
    notes: list[str] = field(default_factory=list)

    @property
    def rows_kept(self) -> int:
        return int(sum(len(t) for t in self.tables.values()))


@dataclass
class Expect:
    """What a reader expects of one of its tables, checked before the table is written (see
    :mod:`multipolar.warehouse`, guarded replacement). ``columns``: columns every import of the table has
    (an import without one is refused); ``min_rows``: the smallest plausible table (a header alone, or a
    file whose every row was rejected, is never a dataset); ``fixed``: the table has exactly the
    ``columns`` (a file with more is refused, not stored wider)."""
    columns: tuple[str, ...] = ()
    min_rows: int = 1
    fixed: bool = False


def _fold(c: str) -> str:
    return c.strip().lower().replace(" ", "_")


class Reader:
    """Base class. Subclasses set the class attributes and implement ``sniff`` and ``read``."""
    name: str = ""
    title: str = ""
    citation: str = ""
    license: str = ""
    #: tables this reader writes, with the columns that identify a row
    keys: dict[str, list[str]] = {}
    #: optional: every column of the tables this reader writes now (readers whose tables changed
    #: declare it). A file imported before into a warehouse that lacks one of these tables or
    #: columns is imported again, not skipped as unchanged.
    schema: dict[str, list[str]] = {}

    #: layout -> the columns that identify it: a set, or a tuple of sets any one of which does (the
    #: first is the one error messages name when ``--source`` names this reader)
    signatures: dict[str, set[str] | tuple[set[str], ...]] = {}
    #: compare column names without case, surrounding blanks or the blank/underscore difference
    fold_case: bool = False

    def sniff(self, head: FileHead) -> str | None:
        """The layout of the file, or None when it is not this reader's: by default the first layout
        of :attr:`signatures` whose columns the header (or one object of an R data file) holds."""
        fold = _fold if self.fold_case else str
        cols = {fold(c) for c in head.columns} | {fold(c) for v in head.objects.values() for c in v}
        for layout, sig in self.signatures.items():
            if any({fold(c) for c in alt} <= cols for alt in (sig if isinstance(sig, tuple) else (sig,))):
                return layout
        return None

    def read(self, path: Path, layout: str, head: FileHead) -> Parsed:   # pragma: no cover
        """The file's tables (:class:`Parsed`), checked; a bad file raises :class:`InputError`."""
        raise NotImplementedError

    def missing_columns(self, head: FileHead) -> str:
        """'missing X, Y for layout L': the closest known layout and what the file lacks."""
        sigs = {k: (v[0] if isinstance(v, tuple) else v) for k, v in self.signatures.items()}
        for spec in getattr(self, "specs", []):
            sigs.setdefault(spec.layout, spec.signature[0] if isinstance(spec.signature, tuple) else spec.signature)
        if not sigs:
            return ""
        cols = {c.lower() for c in head.columns} | {c.lower() for v in head.objects.values() for c in v}
        best = min(sigs.items(), key=lambda kv: len({c.lower() for c in kv[1]} - cols))
        miss = sorted(c for c in best[1] if c.lower() not in cols)
        return f"missing column(s) {', '.join(miss)} of the '{best[0]}' layout" if miss else ""

    def derive(self, con, changed=None) -> None:
        """Rebuild tables derived from this source's tables (inside the import transaction)."""

    def expect(self, table: str) -> Expect:
        """What this reader expects of ``table`` (default: its key columns, and the columns of ``schema``
        when declared, with at least one row)."""
        cols = tuple(dict.fromkeys(list(self.keys.get(table, [])) + list(self.schema.get(table, []))))
        return Expect(columns=cols, fixed=table in self.schema)

    def precedence(self, head: FileHead, layout: str) -> int:
        """How a file of this layout ranks against other files of the same table (higher wins where
        both hold a row): the publisher's native format (an R package's ``.rda``, Stata ``.dta``,
        Excel) 3, text (CSV, TSV) 2, Parquet 1 (here always a third party's conversion). See
        :data:`multipolar.warehouse.PRECEDENCE`."""
        return {"rda": 3, "dta": 3, "xls": 3, "parquet": 1}.get(head.kind, 2)

    def __repr__(self):
        return f"<reader {self.name}>"


# ---------------------------------------------------------------------------------------
# opening files
# ---------------------------------------------------------------------------------------
def _raw_head(path: Path, n: int = 4096) -> bytes:
    with open(path, "rb") as f:
        return f.read(n)


def check_container(path: Path) -> None:
    """Errors shared by every format: missing, empty, a Git LFS pointer, a truncated gzip."""
    if not path.exists():
        raise InputError("file not found", file=str(path), hint="check the path")
    if path.stat().st_size == 0:
        raise InputError("the file is empty", file=str(path), expected="a data file with a header and rows",
                         hint="download the file again from its publisher")
    head = _raw_head(path, 200)
    if head.startswith(LFS_MAGIC):
        raise InputError("this is a Git LFS pointer, not the data", file=str(path), line=1,
                         expected="the data file itself", hint="run `git lfs pull` in the repository you got it from, or download the file from its publisher")


#: byte-order marks of the encodings that are not UTF-8, longest first
_BOMS = [(b"\xff\xfe\x00\x00", "UTF-32 little-endian"), (b"\x00\x00\xfe\xff", "UTF-32 big-endian"),
         (b"\xff\xfe", "UTF-16 little-endian"), (b"\xfe\xff", "UTF-16 big-endian")]
TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".tab", ".gz", ".dat")


def check_encoding(path: Path, head: bytes) -> None:
    """A text table must be UTF-8 (or ASCII). UTF-16 and UTF-32, told by their byte-order mark or, without
    one, by the NUL byte of every other (or every fourth) byte, are named with the way to convert them;
    other NUL bytes mean binary content: an error for a file named as text (.csv, .tsv, .txt), else the
    file is skipped as not a table."""
    conv = ("convert it to UTF-8 and import the converted file: `iconv -f {enc} -t UTF-8 '{name}' > converted.csv` "
            "(or in Excel: Save As 'CSV UTF-8'; in R: write.csv(..., fileEncoding = 'UTF-8'))")
    for bom, enc in _BOMS:
        if head.startswith(bom):
            raise InputError(f"the file is {enc} text (byte-order mark {bom.hex(' ').upper()}), not UTF-8", file=str(path), line=1,
                             expected="UTF-8 text (with or without a byte-order mark)",
                             hint=conv.format(enc=enc.split()[0] + ("LE" if "little" in enc else "BE"), name=path.name))
    if b"\x00" not in head:
        return
    sample = head[: 4096 - 4096 % 4]
    even, odd = sample[0::2], sample[1::2]
    z = lambda b: b.count(0) / max(1, len(b))      # noqa: E731
    enc = None
    if z(odd) > 0.3 and z(even) < 0.05:
        enc = "UTF-16LE" if z(sample[2::4]) < 0.05 else None
        enc = enc or ("UTF-32LE" if z(sample[1::4]) > 0.9 and z(sample[2::4]) > 0.9 else "UTF-16LE")
    elif z(even) > 0.3 and z(odd) < 0.05:
        enc = "UTF-16BE"
    elif z(sample[1::4]) > 0.9 and z(sample[2::4]) > 0.9 and z(sample[3::4]) > 0.9:
        enc = "UTF-32LE"
    if enc:
        raise InputError(f"the file looks like {enc} text without a byte-order mark (a NUL byte after every character), not UTF-8",
                         file=str(path), line=1, expected="UTF-8 text", hint=conv.format(enc=enc, name=path.name))
    i = head.index(b"\x00")
    e = InputError(f"binary content (a NUL byte at offset {i}) where a text table was expected", file=str(path),
                   line=head[:i].count(b"\n") + 1, expected="a text table (CSV or TSV, UTF-8)",
                   hint="check that this is the data file and not a binary or damaged one; download it again")
    if not path.name.lower().endswith(TEXT_SUFFIXES):
        e.skip = True        # an image, an archive ... inside a folder: not a table, skipped
    raise e


def scan_text(path: Path, max_line: int | None = None) -> int:
    """One pass over a text file (decompressed when .gz): its encoding (:func:`check_encoding`), a
    complete gzip stream, and no line longer than ``max_line`` bytes (default :data:`MAX_LINE_BYTES`),
    refused with its number before anything parses it. Returns the number of physical lines."""
    max_line = MAX_LINE_BYTES if max_line is None else max_line
    opener = gzip.open if path.suffix == ".gz" else open
    n_nl, cur, first = 0, 0, True

    def too_long(line_no: int, n: int, more: bool) -> InputError:
        return InputError(f"line {line_no:,} is {'more than ' if more else ''}{n:,} bytes long; multipolar refuses lines longer than "
                          f"{max_line:,} bytes (1 MiB) before parsing", file=str(path), line=line_no,
                          expected=f"a text table with lines under {max_line:,} bytes (the longest line of a dataset multipolar reads "
                                   "has about 5,000)",
                          hint="check that this is the right file and not a binary, minified JSON or damaged one; "
                               "a value that long is not a dataset value")
    try:
        with opener(path, "rb") as f:
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                if first:
                    check_encoding(path, chunk[:4096])
                    first = False
                arr = np.frombuffer(chunk, dtype=np.uint8)
                nl = np.flatnonzero(arr == 10)
                if len(nl):
                    lens = np.diff(nl, prepend=-1) - 1
                    lens[0] += cur
                    over = np.flatnonzero(lens > max_line)
                    if len(over):
                        k = int(over[0])
                        raise too_long(n_nl + k + 1, int(lens[k]), False)
                    n_nl += len(nl)
                    cur = len(chunk) - int(nl[-1]) - 1
                else:
                    cur += len(chunk)
                if cur > max_line:
                    raise too_long(n_nl + 1, cur, True)
    except (EOFError, gzip.BadGzipFile, zlib_error()) as e:
        raise InputError(f"the gzip stream is broken or truncated ({e})", file=str(path),
                         expected="a complete .gz file", hint="download the file again") from None
    except OSError as e:
        if path.suffix == ".gz":
            raise InputError(f"the gzip stream is broken or truncated ({e})", file=str(path),
                             expected="a complete .gz file", hint="download the file again") from None
        raise
    return n_nl + (1 if cur else 0)


def zlib_error():
    """The exception class of a corrupt gzip stream (zlib.error), imported when needed."""
    import zlib
    return zlib.error


def check_width(path: Path, n_columns: int, where: str = "the header") -> None:
    """Refuse a table wider than :data:`MAX_COLUMNS` before parsing it."""
    if n_columns > MAX_COLUMNS:
        raise InputError(f"{where} has {n_columns:,} columns; multipolar refuses tables wider than {MAX_COLUMNS:,} columns before parsing them",
                         file=str(path), line=1 if where == "the header" else None,
                         expected=f"at most {MAX_COLUMNS:,} columns (the widest dataset multipolar reads, COW IGO state-year, has 537)",
                         hint="check that this is the right file; if it is, keep only the columns the dataset defines and import that")


def check_last_line(path: Path, sep: str, n_fields: int) -> None:
    """A text table whose last line has fewer fields than its header was cut off."""
    import csv as _csv
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        if path.suffix != ".gz":
            size = path.stat().st_size
            f.seek(max(0, size - 65536))
        tail = f.read()[-65536:] if path.suffix != ".gz" else _gz_tail(path)
    lines = tail.decode("utf-8", errors="replace").splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if len(lines) < 2:
        return
    last = lines[-1]
    try:
        fields = next(_csv.reader([last], delimiter=sep))
    except (StopIteration, _csv.Error):
        return
    if last.count('"') % 2 == 1 or len(fields) < n_fields:
        total = _count_lines(path)
        raise InputError(f"the last line has {len(fields)} of {n_fields} fields: the file looks truncated", file=str(path), line=total,
                         expected=f"{n_fields} fields on every line", hint="download the complete file again")


def _gz_tail(path: Path, n: int = 65536) -> bytes:
    tail = b""
    with gzip.open(path, "rb") as f:
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                return tail
            tail = (tail + chunk)[-n:]


def _count_lines(path: Path) -> int:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) + 1


def file_kind(path: Path) -> str:
    """What the file is, from its first bytes and its name: parquet, rda, xls, dta or text."""
    name = path.name.lower()
    head = _raw_head(path, 8)
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"RDX") or head[:2] in (b"\x1f\x8b", b"BZ", b"\xfd7") and name.endswith((".rda", ".rdata")):
        return "rda"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if name.endswith(".dta"):
        return "dta"
    if name.endswith((".xls", ".xlsx")):
        return "xls"
    if name.endswith((".rda", ".rdata", ".rds")):
        return "rda"
    return "text"


def _decode_text(path: Path, encoding: str = "utf-8") -> str:
    raw = gzip.open(path, "rb").read() if path.suffix == ".gz" else open(path, "rb").read()
    try:
        return raw.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise InputError(f"text is not valid {encoding} (byte 0x{raw[e.start]:02x} at offset {e.start})",
                         file=str(path), line=line, expected=f"{encoding} text as the publisher ships it",
                         hint="re-download the original file, or convert it to UTF-8") from None


def _first_line(path: Path) -> str:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        line = f.readline(MAX_LINE_BYTES + 1)
    return line.decode("utf-8-sig", errors="replace").rstrip("\r\n")


def is_r_data(path: Path) -> bool:
    """A complete R data file (its compressed stream decompresses whole and starts with RDX2/RDX3 or RDA):
    one that pyreadr cannot read then holds objects that are not tables (a list, a bibliography)."""
    import bz2
    import lzma
    head = _raw_head(path, 6)
    opener = {b"\x1f\x8b": gzip.open, b"BZ": bz2.open, b"\xfd7": lzma.open}.get(head[:2])
    try:
        if opener is None:
            return head.startswith((b"RDX", b"RDA"))
        with opener(path, "rb") as f:
            start = f.read(5)
            while f.read(1 << 20):
                pass
        return start.startswith((b"RDX", b"RDA"))
    except (EOFError, OSError, lzma.LZMAError, ValueError):
        return False


def read_rda(path: Path, encoding: str | None = None) -> dict[str, pd.DataFrame]:
    """The data frames of an R data file (.rda/.RData/.rds), by object name; an unreadable file raises
    :class:`InputError`."""
    import warnings
    import pyreadr
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return dict(pyreadr.read_r(str(path), encoding=encoding) if encoding else pyreadr.read_r(str(path)))
    except Exception as e:
        if encoding is None and "decode" in str(e):
            # some R packages save latin-1 strings without marking them (icews' cameo_codes.rda)
            return read_rda(path, encoding="latin1")
        # pyreadr raises its own error types
        if is_r_data(path):
            # complete and well-formed: its objects are not tables (peacesciencer's ps_bib.rda is a bibliography)
            err = InputError(f"an R data file whose objects are not tables multipolar can read ({e})", file=str(path),
                             expected="an .rda/.RData file holding a data frame",
                             hint="nothing to do if it is not a dataset (a bibliography, a list of settings); "
                                  "if it holds a table, import the CSV of the same table if the publisher offers one")
            err.skip = True
            raise err from None
        raise InputError(f"cannot read the R data file ({e})", file=str(path),
                         expected="an .rda/.RData file holding a data frame",
                         hint="the file may be damaged or cut short; download it again, or import the CSV of the same table if the publisher offers one") from None


def head_of(path: Path) -> FileHead:
    """Open just enough of a file to recognise it."""
    path = Path(path)
    check_container(path)
    kind = file_kind(path)
    if kind == "parquet":
        import pyarrow.parquet as pq
        try:
            pf = pq.ParquetFile(path)
        except Exception as e:
            raise InputError(f"not a readable Parquet file ({e})", file=str(path), hint="re-download the file") from None
        cols = pf.schema_arrow.names
        check_width(path, len(cols), "the Parquet schema")
        sample = pf.read_row_group(0).slice(0, 50).to_pandas() if pf.num_row_groups else pd.DataFrame(columns=cols)
        return FileHead(path, kind, cols, sample)
    if kind == "rda":
        # object and column names only: the data are read once a reader accepts the file
        import pyreadr
        try:
            objs = {o["object_name"]: list(o["columns"] or []) for o in pyreadr.list_objects(str(path))}
        except Exception:
            objs = {k: list(v.columns) for k, v in read_rda(path).items()}   # raises a clear InputError
        cols = next(iter(objs.values()), [])
        check_width(path, max([len(v) for v in objs.values()] or [0]), "an R object")
        return FileHead(path, kind, cols, None, objects=objs)
    if kind == "dta":
        try:
            it = pd.read_stata(path, iterator=True)
            sample = it.read(50)
        except Exception as e:
            raise InputError(f"not a readable Stata file ({e})", file=str(path), hint="re-download the file") from None
        check_width(path, len(sample.columns), "the Stata file")
        return FileHead(path, kind, list(sample.columns), sample)
    if kind == "xls":
        try:
            sample = pd.read_excel(path, nrows=50)
        except Exception as e:
            raise InputError(f"not a readable Excel file ({e})", file=str(path), hint="re-download the file") from None
        check_width(path, len(sample.columns), "the first sheet")
        return FileHead(path, kind, [str(c) for c in sample.columns], sample)
    if path.name.lower().endswith((".json", ".geojson", ".topojson")) or _raw_head(path, 1) in (b"{", b"["):
        return FileHead(path, "json", [])          # maps and other JSON: not a table (no reader takes it)
    n_lines = scan_text(path)                       # encoding, gzip stream, line lengths: before any parsing
    line = _first_line(path)
    if not line.strip():
        raise InputError("the first line is empty", file=str(path), line=1, expected="a header line or data",
                         hint="check that the file is complete")
    if "\t" in line and line.count("\t") >= line.count(","):
        check_width(path, line.count("\t") + 1)
        cols = [c.strip().strip('"') for c in line.split("\t")]
        check_last_line(path, "\t", len(cols))
        return FileHead(path, "tsv", cols, first_line=line, lines=n_lines)
    import csv as _csv
    check_width(path, line.count(",") + 1)          # an upper bound (commas inside quotes count too)
    try:
        cols = next(_csv.reader([line]), [])
    except _csv.Error:
        return FileHead(path, "text", [], first_line=line, lines=n_lines)
    cols = [str(c).strip() for c in cols]
    check_width(path, len(cols))
    if len(cols) > 1:
        check_last_line(path, ",", len(cols))
    return FileHead(path, "csv", cols, first_line=line, lines=n_lines)


def load_rda(path: Path) -> dict[str, pd.DataFrame]:
    """The data frames of an R data file (:func:`read_rda`)."""
    return read_rda(path)


def read_csv(path: Path, *, sep: str = ",", header: str | int | None = "infer", names=None, dtype=None,
             encoding: str = "utf-8", usecols=None, na_values=None, keep_default_na: bool = True) -> pd.DataFrame:
    """pandas.read_csv with errors turned into InputError (file, line, what was expected)."""
    try:
        return pd.read_csv(path, sep=sep, header=header, names=names, dtype=dtype, encoding="utf-8-sig" if encoding == "utf-8" else encoding,
                           usecols=usecols, na_values=na_values, keep_default_na=keep_default_na,
                           compression="infer", low_memory=False, on_bad_lines="error",
                           # the exact double of each decimal (pandas' default parser can be 1 ulp off): a CSV written
                           # from an .rda then gives the very numbers of the .rda
                           float_precision="round_trip")
    except UnicodeDecodeError:
        _decode_text(path, encoding)   # raises with the line
        raise
    except pd.errors.ParserError as e:
        m = re.search(r"line (\d+)", str(e))
        raise InputError(f"malformed row ({show(str(e)).strip(chr(39))})", file=str(path), line=int(m.group(1)) if m else None,
                         expected="the same number of fields on every line", hint="the file may be truncated or edited; download it again") from None
    except EOFError as e:
        raise InputError(f"the file ends early ({e})", file=str(path), hint="download the file again") from None


def line_of(df: pd.DataFrame, i: int, line_offset: int = 2) -> int:
    """The line in the file of the ``i``-th row of ``df``: its ``__line`` (set by :func:`multipolar.sources.frame`
    before any row is filtered out) when present, else ``i + line_offset``."""
    if "__line" in df.columns:
        return int(df["__line"].iloc[i])
    return int(i) + line_offset


def to_numeric(df: pd.DataFrame, col: str, path, *, integer: bool = False, allow_na: bool = True,
               line_offset: int = 2) -> pd.Series:
    """The column ``col`` as numbers (``integer``: whole numbers, as Int64); the first value that is not a
    number, or missing when ``allow_na`` is False, raises naming its line."""
    raw = df[col]
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        s = raw.astype("float64") if raw.dtype != "float64" else raw
        bad = pd.Series(False, index=raw.index)
    else:
        s = pd.to_numeric(raw, errors="coerce")
        cand = s.isna() & raw.notna()
        bad = pd.Series(False, index=raw.index)
        if cand.any():
            bad[cand] = ~raw[cand].astype(str).str.strip().isin(["", "NA", "nan", "NaN", ".", "..", "NULL"])
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"not a number: {show(df[col].iloc[i])}", file=str(path), line=line_of(df, i, line_offset), field=col,
                         expected="a number", hint="fix or remove the row; the file may be corrupted")
    if not allow_na and s.isna().any():
        i = int(np.flatnonzero(s.isna().to_numpy())[0])
        raise InputError("value missing", file=str(path), line=line_of(df, i, line_offset), field=col, expected="a value on every row",
                         hint="the file may be truncated or edited; download it again")
    if integer:
        if (s.dropna() % 1 != 0).any():
            i = int(np.flatnonzero(((s % 1) != 0).fillna(False).to_numpy())[0])
            raise InputError(f"not a whole number: {show(df[col].iloc[i])}", file=str(path), line=line_of(df, i, line_offset), field=col,
                             expected="an integer")
        s = s.astype("Int64")
    return s


def check_years(years: pd.Series, path, col: str = "year", lo: int = 1800, hi: int = CURRENT_YEAR + 1,
                line_offset: int = 2, lines: pd.Series | None = None) -> None:
    """``lines``: the line in the file of each row (``df['__line']``) when rows were filtered out before."""
    bad = years.notna() & ((years < lo) | (years > hi))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        line = int(lines.iloc[i]) if lines is not None else i + line_offset
        raise InputError(f"year {show(years.iloc[i])} out of range", file=str(path), line=line, field=col,
                         expected=f"a year between {lo} and {hi}", hint="check the file: a year outside the data's coverage means a corrupted or wrong file")


def check_duplicates(df: pd.DataFrame, keys: list[str] | None, path, line_offset: int = 2, what: str = "row") -> None:
    """Error on the first repeated key (``keys=None``: the first repeated whole row), naming the line in
    the file of the repeat and of the row it repeats (``__line`` when present: rows filtered out before
    do not shift the numbers)."""
    keys = keys or [c for c in df.columns if c != "__line"]
    dup = df.duplicated(subset=keys, keep="first")
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        vals = df[keys].iloc[i]
        same = np.ones(len(df), dtype=bool)
        for k in keys:
            col = df[k]
            v = vals[k]
            same &= (col.isna() if pd.isna(v) else (col == v).fillna(False)).to_numpy(dtype=bool)
        j = int(np.flatnonzero(same)[0])
        first = "{" + ", ".join(f"{k!r}: {show(v, 80)}" for k, v in vals.to_dict().items()) + "}"
        raise InputError(f"duplicate {what} for {first} (it repeats line {line_of(df, j, line_offset)})", file=str(path),
                         line=line_of(df, i, line_offset), field=",".join(keys),
                         expected=f"one {what} per {', '.join(keys)}", hint="remove the duplicated lines or download the original file again")


# ---------------------------------------------------------------------------------------
# country codes -> registry codes
# ---------------------------------------------------------------------------------------
def map_countries(df: pd.DataFrame, col: str, *, system: str, path, year: str | None = None,
                  date: str | None = None, out: str = "code", strict: bool = True, rejected: Counter | None = None,
                  reg: Registry | None = None, line_offset: int = 2, drop: bool = True, overrides: dict | None = None,
                  weight: str | None = None, notes: list | None = None, source: str | None = None,
                  system_only: bool = False) -> pd.DataFrame:
    """Add ``out`` = registry code for ``df[col]`` in ``system`` ('iso3', 'iso2', 'cow', 'gw', 'name', ...).

    The key is matched with the year (``year`` column: the state that held the code for the larger
    part of that year) or the date (``date`` column, exact spell). Rows whose key names a territory
    or an aggregate, or a state that did not exist then, are dropped and counted in ``rejected``.
    A key that nothing knows is an error (``strict``) or a counted rejection.
    ``overrides`` maps raw keys to registry codes for documented source quirks. ``weight``: a
    column of row counts when ``df`` holds the distinct keys of a larger table (the rejections are
    then counted in rows of that table). ``notes``: a list that receives one line per rejection
    reason naming the rejected keys with their counts (and years), and, for names, the source
    aliases and suffixes applied.

    Names (``system='name'``) go through :func:`multipolar.sources.names.resolve_name`: dated, with
    the documented aliases of ``source``, the suffix rule, and (``system_only``) only states that
    were members of the state system that year.
    """
    from .normalise import join_codes

    def n_rows(frame: pd.DataFrame, mask=None) -> int:
        frame = frame if mask is None else frame[np.asarray(mask, dtype=bool)]
        return int(frame[weight].sum()) if weight else len(frame)

    reg = reg or registry()
    when = year or date
    if when is not None:
        y = pd.to_numeric(df[when].astype(str).str[:4], errors="coerce") if date else pd.to_numeric(df[when], errors="coerce")
        early = (y < FIRST_YEAR).fillna(False).to_numpy(dtype=bool)
        if early.any():
            if rejected is not None:
                rejected[f"before {FIRST_YEAR} (outside multipolar's coverage)"] += n_rows(df, early)
            df = df[~early]
    if overrides:
        nonstate = df[col].astype(str).isin([k for k, v in overrides.items() if v is None]).to_numpy()
        if nonstate.any():
            if rejected is not None:
                rejected[f"not a state ({col}; documented code of the source)"] += n_rows(df, nonstate)
            df = df[~nonstate]
    if system == "name":
        return _map_names(df, col, path=path, year=year, date=date, out=out, strict=strict, rejected=rejected,
                          line_offset=line_offset, drop=drop, overrides=overrides, weight=weight, notes=notes,
                          source=source, system_only=system_only)
    mapped = join_codes(df, col, system=system, year=year, date=date, out=out, reg=reg, overrides=overrides)
    named: dict[str, dict[str, list]] = {}
    if system_only and year is not None:
        # a code held by a state that was not (yet, or any more) a member of the state system that year
        # (the Ukrainian SSR's seat at the UN in 1990): rejected, counted and named
        yy = pd.to_numeric(mapped[year], errors="coerce")
        pairs = pd.DataFrame({"c": mapped[out], "y": yy}).dropna().drop_duplicates()
        outside = {(c, int(y)) for c, y in zip(pairs["c"], pairs["y"]) if not reg.get(c).exists(year=int(y))}
        if outside:
            bad = np.array([(c, int(y)) in outside if isinstance(c, str) and y == y else False for c, y in zip(mapped[out], yy)])
            reason = f"not a member of the state system that year ({col})"
            keys = mapped.loc[bad, col].astype(str)
            for k, n in keys.value_counts().items():
                if rejected is not None:
                    rejected[reason] += int(mapped.loc[bad & (mapped[col].astype(str) == k).to_numpy(), weight].sum()) if weight else int(n)
                ys = yy[bad & (mapped[col].astype(str) == k).to_numpy()]
                _add_named(named, reason, k, int(n), pd.Series({"min": ys.min(), "max": ys.max()}))
            mapped = mapped[~bad].reset_index(drop=True)
    miss = mapped[out].isna() & mapped[col].notna()
    if miss.any():
        keys = mapped.loc[miss, col].astype(str)
        counts = (mapped.loc[miss, weight].groupby(keys).sum() if weight else keys.value_counts())
        years = None
        if when is not None:
            yy = pd.to_numeric(mapped.loc[miss, when].astype(str).str[:4], errors="coerce")
            years = yy.groupby(keys).agg(["min", "max"])
        unknown = []
        for k in keys.unique():
            kind = _classify_key(reg, k, system)
            n = int(counts[k])
            reason = (f"{kind} ({col})" if kind in ("territory", "aggregate", "non-state") else
                      f"state did not exist that year ({col})" if kind == "state-not-existing" else None)
            if reason is None:
                unknown.append(k)
                reason = f"unknown country code ({col})"
            elif rejected is not None:
                rejected[reason] += n
            _add_named(named, reason, k, n, years.loc[k] if years is not None else None)
        if unknown:
            if strict:
                k = unknown[0]
                i = int(np.flatnonzero((mapped[col].astype(str) == k).to_numpy())[0])
                if "__line" in mapped.columns:      # the line in the file, before rows were filtered
                    i, line_offset = int(mapped["__line"].iloc[i]), 0
                sugg = reg.suggest(k)
                raise InputError(f"unknown country {show(k)}" + (f" (and {len(unknown) - 1} more: {', '.join(show(u, 60) for u in unknown[1:6])})" if len(unknown) > 1 else ""),
                                 file=str(path), line=i + line_offset, field=col,
                                 expected=f"a {system} code or name that the actor registry knows" + (f"; did you mean {', '.join(sugg)}?" if sugg else ""),
                                 hint="correct the value; `multipolar actors --list` shows the known states")
            for k in unknown:
                if rejected is not None:
                    rejected[f"unknown country code ({col})"] += int(counts[k])
    if notes is not None and named:
        notes.extend(_named_lines(named))
    if mapped[col].isna().any() and rejected is not None:
        rejected[f"missing country ({col})"] += n_rows(mapped, mapped[col].isna())
    if drop:
        mapped = mapped[mapped[out].notna()]
    return mapped


def _classify_key(reg: Registry, key: str, system: str) -> str | None:
    if system in ("cow", "gw"):
        try:
            k = str(int(float(key)))
        except ValueError:
            return None
        return "state-not-existing" if k in reg._systems[system] else None
    if system in ("iso3", "code"):
        if key in reg._systems["iso3"] or key in reg.states:
            return "state-not-existing"
        return reg.classify(key)
    if system == "iso2":
        if key in reg._systems["iso2"]:
            return "state-not-existing"
        import pycountry
        return "territory" if pycountry.countries.get(alpha_2=key) else None
    if system == "name":
        from ..actors.registry import normalise_name
        if normalise_name(key) in reg._names:
            return "state-not-existing"
        return NON_STATE_NAMES.get(normalise_name(key))
    return None


class _NonStateNames:
    """normalised name -> kind of the non-state names (see :func:`multipolar.sources.names.non_state_names`)."""

    def get(self, k, default=None):
        from .names import non_state_names
        return non_state_names().get(k, default)

    def __contains__(self, k):
        return self.get(k) is not None


NON_STATE_NAMES = _NonStateNames()

#: what a rejection of a name says, per kind of :class:`multipolar.sources.names.Resolved`
_NAME_REASONS = {
    "territory": "territory ({})", "aggregate": "aggregate ({})", "non-state": "non-state ({})", "organisation": "non-state ({})",
    "state-not-existing": "state did not exist that year ({})", "not-system-member": "not a member of the state system that year ({})",
    "ambiguous": "ambiguous name: two states, or a state of another time ({})", "unknown": "unknown country name ({})",
    "missing": "missing country ({})",
}


def _add_named(named: dict, reason: str, key, n: int, years=None) -> None:
    ent = named.setdefault(reason, {}).setdefault(str(key), [0, None, None])
    ent[0] += int(n)
    if years is not None and pd.notna(years["min"]):
        lo, hi = int(years["min"]), int(years["max"])
        ent[1] = lo if ent[1] is None else min(ent[1], lo)
        ent[2] = hi if ent[2] is None else max(ent[2], hi)


def _named_lines(named: dict, top: int = 40) -> list[str]:
    """'reason: name ×n (years), ...' per reason, the largest counts first."""
    out = []
    for reason, ents in named.items():
        items = sorted(ents.items(), key=lambda kv: (-kv[1][0], kv[0]))
        parts = []
        for k, (n, lo, hi) in items[:top]:
            yrs = "" if lo is None else (f" {lo}" if lo == hi else f" {lo}–{hi}")
            parts.append(f"{k}{yrs} ×{n:,}")
        more = f" (and {len(items) - top} more)" if len(items) > top else ""
        out.append(f"{reason}: " + ", ".join(parts) + more)
    return out


def _map_names(df, col, *, path, year, date, out, strict, rejected, line_offset, drop, overrides, weight, notes, source, system_only):
    """map_countries for names: :func:`multipolar.sources.names.resolve_name` per distinct (name, year)."""
    from .names import resolve_name
    from ..actors.registry import registry as _registry
    whencol = date or year
    df = df.reset_index(drop=True)
    keycols = [col] + ([whencol] if whencol else [])
    keys = df[keycols].drop_duplicates().reset_index(drop=True)
    codes, kinds, hows = [], [], []
    for row in keys.itertuples(index=False):
        name = row[0]
        when = row[1] if whencol else None
        if overrides and name in overrides:
            r_code, r_kind, r_how = overrides[name], ("state" if overrides[name] else "non-state"), "override"
        else:
            kw = {}
            if when is not None and when == when:
                kw = {"date": str(when)[:10]} if date else {"year": int(when)}
            r = resolve_name(name, source=source, system_only=system_only, **kw)
            r_code, r_kind, r_how = r.code, r.kind, r.how
        codes.append(r_code)
        kinds.append(r_kind)
        hows.append(r_how)
    keys[out] = codes
    keys["__kind"] = kinds
    keys["__how"] = hows
    mapped = df.merge(keys, on=keycols, how="left", sort=False)
    named: dict[str, dict[str, list]] = {}
    applied: dict[str, dict[str, list]] = {}
    bad = mapped[out].isna()
    wts = mapped[weight] if weight else pd.Series(1, index=mapped.index)
    yrs = pd.to_numeric(mapped[whencol].astype(str).str[:4], errors="coerce") if whencol else None
    if bad.any():
        g = pd.DataFrame({"k": mapped.loc[bad, col].astype(str), "kind": mapped.loc[bad, "__kind"], "w": wts[bad],
                          "y": yrs[bad] if yrs is not None else np.nan})
        agg = g.groupby(["kind", "k"], dropna=False).agg(n=("w", "sum"), min=("y", "min"), max=("y", "max")).reset_index()
        unknown = agg[agg["kind"] == "unknown"]
        if strict and len(unknown):
            k = unknown["k"].iloc[0]
            i = int(np.flatnonzero((mapped[col].astype(str) == k).to_numpy())[0])
            if "__line" in mapped.columns:
                i, line_offset = int(mapped["__line"].iloc[i]), 0
            sugg = _registry().suggest(k)
            others = list(unknown["k"].iloc[1:6])
            raise InputError(f"unknown country {show(k)}" + (f" (and {len(unknown) - 1} more: {', '.join(show(o, 60) for o in others)})" if len(unknown) > 1 else ""),
                             file=str(path), line=i + line_offset, field=col,
                             expected="a name that the actor registry knows" + (f"; did you mean {', '.join(sugg)}?" if sugg else ""),
                             hint="correct the value; `multipolar actors --list` shows the known states")
        for r in agg.itertuples(index=False):
            reason = _NAME_REASONS.get(r.kind, "unknown country name ({})").format(col)
            if rejected is not None:
                rejected[reason] += int(r.n)
            _add_named(named, reason, r.k, int(r.n), {"min": r.min, "max": r.max})
    via = mapped["__how"].astype(str).str.startswith(("source alias", "suffix")) & mapped[out].notna()
    if via.any():
        g = pd.DataFrame({"k": mapped.loc[via, col].astype(str) + " -> " + mapped.loc[via, out].astype(str),
                          "how": mapped.loc[via, "__how"].str.split(":").str[0], "w": wts[via], "y": yrs[via] if yrs is not None else np.nan})
        for r in g.groupby(["how", "k"]).agg(n=("w", "sum"), min=("y", "min"), max=("y", "max")).reset_index().itertuples(index=False):
            _add_named(applied, f"{'documented source alias' if r.how == 'source alias' else 'resolved by the suffix rule'} applied ({col})",
                       r.k, int(r.n), {"min": r.min, "max": r.max})
    if notes is not None:
        notes.extend(_named_lines(named) + _named_lines(applied))
    mapped = mapped.drop(columns=["__kind", "__how"])
    if drop:
        mapped = mapped[mapped[out].notna()]
    return mapped
