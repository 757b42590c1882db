"""Every reader meets bad input with a clear error that names the file and leaves the warehouse unchanged.

Each fixture is a small valid file written for these tests; the variants are made from it:
truncated, a missing column, a Git LFS pointer, a wrong encoding, a duplicated row, an unknown
country, a year out of range, and an empty file.
"""
import csv
import io

import pytest

from multipolar.warehouse import Warehouse
from tests.conftest import FIXTURES

# fixture file, --source, country column, unknown country value, year column, a required column
CASES = [
    ("unvotes_votes.csv", "unvotes", "country_code", "QQ", None, "vote"),
    ("unvotes_roll_calls.csv", "unvotes", None, None, "date", "date"),
    ("atop.csv", "atop", "ccode2", "999", "year", "atop_defense"),
    ("nmc.csv", "nmc", "ccode", "999", "year", "cinc"),
    ("cow_igo_sy.csv", "cow_igo", "ccode", "999", "year", "sum_igo_full"),
    ("wdi_gdp.csv", "wdi", "Country Code", "QQQ", "Year", "Value"),
    ("passport_tidy_2024-01-05.csv", "passport", "Destination", "QQQ", None, "Requirement"),
    ("baci_trade.csv", "baci", "j", "999", "t", "v"),
    ("gsdb.csv", "gsdb", "sanctioned_state", "Narnia", "begin", "sanctioning_state"),
    ("sipri_tiv.csv", "sipri", "recipient", "Narnia", "year", "tiv_year_approx"),
    ("idealpoints.csv", "idealpoints", "ccode", "999", "year", "ccode"),
    ("icews.csv", "icews", "Target Country", "Narnia", "Event Date", "Source Country"),
    ("cameo.csv", "cameo", None, None, None, "goldstein"),
    ("geodist_dist.csv", "geodist", "iso_d", "QQQ", None, "dist"),
    ("maddison.csv", "maddison", "ISO", "QQQ", "year", "gdppc"),
    ("gdelt2_20220301.export.CSV", "gdelt", 17, "QQQ", 1, None),
    ("cow_trade_sy.csv", "cow_trade", "ccode", "999", "year", "imports"),
    ("desta_mem.csv", "desta", "stateID", "QQQ", None, "stateID"),
    ("mid_dirdisps.csv", "mid", "ccode2", "999", "year", "hostlev1"),
    ("migrant_long.csv", "undesa_migration", "origin", "Narnia", "year", "migrant_stock"),
]


def _rows(path):
    sep = "\t" if path.name.endswith(".export.CSV") else ","
    text = path.read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text), delimiter=sep)), sep


def _write(path, rows, sep):
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _col(rows, col):
    if isinstance(col, int):
        return col
    return rows[0].index(col)


def _variants(tmp_path, fname, country_col, bad_country, year_col, required):
    src = FIXTURES / fname
    rows, sep = _rows(src)
    headerless = isinstance(country_col, int) or isinstance(year_col, int)
    first = 0 if headerless else 1
    out = {}

    def mk(name, content=None, rows_=None):
        p = tmp_path / name / fname
        p.parent.mkdir(parents=True, exist_ok=True)
        if rows_ is not None:
            _write(p, rows_, sep)
        else:
            p.write_bytes(content)
        out[name] = p

    raw = src.read_bytes()
    text = raw.decode()
    last = text.rstrip("\n").split("\n")[-1]
    mk("truncated", (text.rstrip("\n")[: len(text.rstrip("\n")) - len(last) + max(3, len(last) // 3)]).encode())
    if required and not headerless:
        j = rows[0].index(required)
        mk("missing_column", rows_=[[v for k, v in enumerate(r) if k != j] for r in rows])
    mk("lfs_pointer", b"version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f7d3f2ad1a8e0e2b57c1f0a1b2c\nsize 2670088\n")
    # a Windows-1252 byte where UTF-8 is expected, at the start of the second data line (the first when headerless)
    pos = raw.index(b"\n", raw.index(b"\n") + 1) + 1 if not headerless else raw.index(b"\n") + 1
    assert raw[pos:pos + 1] not in (b"", b"\n")           # a line is there to spoil
    mk("wrong_encoding", raw[:pos] + b"\xe9" + raw[pos:])
    mk("duplicate_row", rows_=rows + [rows[-1]])
    if country_col is not None:
        r2 = [list(r) for r in rows]
        r2[first][_col(rows, country_col)] = bad_country
        mk("unknown_country", rows_=r2)
    if year_col is not None:
        r3 = [list(r) for r in rows]
        c = _col(rows, year_col)
        v = r3[first][c]
        r3[first][c] = ("3025" + v[4:]) if len(v) >= 4 else "3025"
        mk("year_out_of_range", rows_=r3)
    mk("empty", b"")
    return out


def _snapshot(w: Warehouse):
    if not w.path.exists():
        return None
    st = w.status()
    return (w.counts(), len(st), tuple(st["sha256"]))


@pytest.mark.parametrize("fname, source, country_col, bad_country, year_col, required", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_error_and_changes_nothing(tmp_path, fname, source, country_col, bad_country, year_col, required):
    w = Warehouse(tmp_path / "w.duckdb")
    ok = w.import_file(FIXTURES / fname, source=source)
    assert ok.status == "imported", ok.message
    before = _snapshot(w)
    variants = _variants(tmp_path, fname, country_col, bad_country, year_col, required)
    assert len(variants) >= 6
    for name, path in variants.items():
        rep = w.import_file(path, source=source)
        assert rep.status == "error", f"{name}: {rep.status} {rep.message}"
        assert path.name in rep.message, f"{name}: the message must name the file: {rep.message}"
        assert "Expected" in rep.message or "What to do" in rep.message, f"{name}: {rep.message}"
        if name == "wrong_encoding":                     # refused for its bytes, not for what they garble
            assert "utf-8" in rep.message.lower() or "encoding" in rep.message.lower(), rep.message
        assert _snapshot(w) == before, f"{name} changed the warehouse"
    # the same bad files recognised by content (no --source) are errors or skips, never imports
    for name, path in variants.items():
        rep = w.import_file(path)
        assert rep.status in ("error", "skipped"), f"{name}: {rep.status}"
    assert _snapshot(w) == before


def test_messages_name_line_and_field(tmp_path):
    v = _variants(tmp_path, "nmc.csv", "ccode", "999", "year", "cinc")
    w = Warehouse(tmp_path / "w.duckdb")
    msg = w.import_file(v["unknown_country"], source="nmc").message
    assert "line 2" in msg and "'ccode'" in msg and "999" in msg
    msg = w.import_file(v["year_out_of_range"], source="nmc").message
    assert "line 2" in msg and "'year'" in msg and "3025" in msg
    msg = w.import_file(v["missing_column"], source="nmc").message
    assert "cinc" in msg
    msg = w.import_file(v["lfs_pointer"], source="nmc").message
    assert "Git LFS pointer" in msg and "git lfs pull" in msg
    msg = w.import_file(v["duplicate_row"], source="nmc").message
    assert "duplicate" in msg and "line 5" in msg
    msg = w.import_file(v["truncated"], source="nmc").message
    assert "truncated" in msg
    msg = w.import_file(v["wrong_encoding"], source="nmc").message
    assert "line 3" in msg and "not valid utf-8" in msg and "0xe9" in msg      # the second data line


def test_unknown_country_error_suggests_names(tmp_path):
    rows = (FIXTURES / "gsdb.csv").read_text().replace("German Democratic Republic", "Rusia")
    p = tmp_path / "gsdb_bad.csv"
    p.write_text(rows)
    msg = Warehouse(tmp_path / "w.duckdb").import_file(p, source="gsdb").message
    assert "Rusia" in msg and "Russia" in msg


def test_baci_lines_are_named_and_rejections_counted_in_lines(tmp_path):
    """BACI years are parsed in DuckDB (9 million lines each): the errors still name the line, and
    lines of territories are counted one by one although only distinct codes are looked up."""
    head = "t,i,j,k,v,q\n"
    good = ["2021,643,156,270900,10.0,1.0", "2021,643,276,270900,5.0,NA", "2021,842,124,10110,1.0,   NA"]
    cases = {"duplicate": (good + ["2021,643,276,270900,7.0,2.0"], "line 5", "duplicate trade flow"),
             "year": (good[:1] + ["3025,643,156,270900,1.0,1.0"] + good[1:], "line 3", "year 3025"),
             "code": (good[:2] + ["2021,643,999,270900,1.0,1.0"] + good[2:], "line 4", "unknown BACI country code 999")}
    for name, (lines, where, what) in cases.items():
        p = tmp_path / name / "baci.csv"
        p.parent.mkdir()
        p.write_text(head + "\n".join(lines) + "\n")
        msg = Warehouse(tmp_path / f"{name}.duckdb").import_file(p, source="baci").message
        assert where in msg and what in msg and "baci.csv" in msg, msg
    # Belgium-Luxembourg (58) and Belgium (56) in the same year are one state: summed; Greenland (304) lines rejected
    p = tmp_path / "ok.csv"
    p.write_text(head + "\n".join(good + ["1998,58,276,270900,2.0,1.0", "1998,56,276,270900,3.0,1.0",
                                          "2021,304,276,30110,1.0,1.0", "2021,304,156,30110,1.0,1.0", "2021,643,304,30110,1.0,1.0"]) + "\n")
    w = Warehouse(tmp_path / "ok.duckdb")
    rep = w.import_file(p, source="baci")
    assert rep.status == "imported", rep.message
    t = w.query("SELECT year, exporter, importer, hs6, value_kusd, quantity_t FROM baci_trade ORDER BY year, exporter, importer")
    assert t[t["year"] == 1998]["value_kusd"].tolist() == [5.0]                     # 58 + 56
    assert t["hs6"].str.len().eq(6).all() and "010110" in set(t["hs6"])           # HS6 codes keep their leading zero
    rd = t[(t["exporter"] == "RUS") & (t["importer"] == "DEU")]
    assert len(rd) == 1 and rd["quantity_t"].isna().all()                        # NA stays missing, not zero
    assert sum(rep.rejected.values()) == 3 and len(t) == 4, rep.rejected


# ---- encodings, line numbers, message size, absurd widths: `multipolar data import FILE` ------------------------
def _import(path, tmp_path, *extra):
    from typer.testing import CliRunner

    from multipolar.cli import app
    r = CliRunner().invoke(app, ["data", "import", str(path), "--db", str(tmp_path / "w.duckdb"), *extra])
    return r.exit_code, " ".join(r.output.split())


@pytest.mark.parametrize("encoding, bom, named", [("utf-16", True, "UTF-16 little-endian"), ("utf-16-le", False, "UTF-16LE"),
                                                  ("utf-16-be", False, "UTF-16BE"), ("utf-32", True, "UTF-32 little-endian")])
def test_a_utf16_file_is_named_with_what_to_do(tmp_path, encoding, bom, named):
    f = tmp_path / "nmc_utf16.csv"
    f.write_bytes((FIXTURES / "nmc.csv").read_text().encode(encoding))       # as Excel's "Unicode text" saves it
    assert f.read_bytes()[:2] in ((b"\xff\xfe", b"\xfe\xff") if bom else (b"c\x00", b"\x00c"))
    code, out = _import(f, tmp_path)
    assert code == 1, out
    assert named in out and "not UTF-8" in out and "iconv -f" in out and "truncated" not in out, out


def test_a_duplicate_key_names_its_line_in_the_file(tmp_path):
    """Rows before 1946 are dropped before the key is checked: the error still names the file's line (was: the
    position among the rows kept, 11690 for a row on line 17123)."""
    rows = ["ccode,year,milex,milper,irst,pec,tpop,upop,cinc"]
    rows += [f"{c},{y},1,1,1,1,1,1,0.01" for c in (2, 200, 220) for y in range(1900, 2001)]    # 303 rows, 138 before 1946
    rows.append("200,1990,2,2,2,2,2,2,0.02")                                                   # line 305: UK 1990 again
    f = tmp_path / "nmc.csv"
    f.write_text("\n".join(rows) + "\n")
    code, out = _import(f, tmp_path)
    assert code == 1 and "line 305" in out and "it repeats line 193" in out and "duplicate" in out, out


def test_a_huge_value_is_shown_cut_and_printable(tmp_path):
    head, first, *rest = (FIXTURES / "nmc.csv").read_text().splitlines()
    f = tmp_path / "nmc_huge.csv"
    huge = "\x1b[31m" + "9" * 200_000 + "x\x00\x07"                                   # a 200 KB value with control bytes
    f.write_text("\n".join([head, first.replace(",0.141", "," + huge).replace(",0.", "," + huge, 1)] + rest) + "\n")
    code, out = _import(f, tmp_path)
    assert code == 1 and "not a number" in out, out[:3000]
    assert len(out) < 3_000 and "more characters" in out, len(out)
    assert "\x1b" not in out and "\x00" not in out and "\\x1b" in out, out[:600]


def test_binary_bytes_in_a_header_are_escaped(tmp_path):
    f = tmp_path / "nmc.csv"
    f.write_bytes(b"ccode,year,\x1b[2J\xff\xfe junk,cinc\n2,2000,1,0.1\n")
    code, out = _import(f, tmp_path, "--source", "nmc")
    assert code == 1 and "\x1b" not in out and "\\x1b" in out and "\\ufffd" in out, out


def test_a_five_million_column_header_is_refused_before_parsing(tmp_path):
    """The header alone is 10 MB (5,000,000 columns, made here): refused at the line-length limit in a moment,
    without parsing (it once ran for over 10 minutes)."""
    import time

    from multipolar.sources.base import MAX_LINE_BYTES
    f = tmp_path / "wide.csv"
    with open(f, "w") as fh:
        fh.write("ccode,year,cinc," + "x," * 5_000_000 + "y\n2,2000,0.1\n")
    t0 = time.perf_counter()
    code, out = _import(f, tmp_path)
    assert code == 1 and time.perf_counter() - t0 < 30, out
    assert f"refuses lines longer than {MAX_LINE_BYTES:,} bytes" in out and "line 1 is more than" in out, out


def test_a_table_wider_than_the_limit_is_refused_before_parsing(tmp_path):
    from multipolar.sources.base import MAX_COLUMNS
    f = tmp_path / "wide.csv"
    f.write_text(",".join(["ccode", "year", "cinc"] + [f"c{i}" for i in range(10_000)]) + "\n" + "2,2000,0.1" + ",1" * 10_000 + "\n")
    code, out = _import(f, tmp_path)
    assert code == 1 and f"refuses tables wider than {MAX_COLUMNS:,} columns" in out and "10,003 columns" in out, out


def test_a_line_too_long_is_named(tmp_path):
    head, *rows = (FIXTURES / "nmc.csv").read_text().splitlines()
    f = tmp_path / "nmc.csv"
    f.write_text("\n".join([head, rows[0], rows[1][:-1] + "9" * 2_000_000] + rows[2:]) + "\n")
    code, out = _import(f, tmp_path)
    assert code == 1 and "line 3 is 2,0" in out and "bytes long" in out, out
