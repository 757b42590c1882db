"""Version labels come from the file (its checksum, its content by a stated rule, where it lies), never
from a constant of the reader; what cannot be named is "release unknown"."""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from multipolar.sources import versions as V
from multipolar.warehouse import Warehouse, sha256_file
from tests.conftest import FIXTURES, needs_shared


def _version(w: Warehouse, path, **kw) -> str:
    rep = w.import_file(path, **kw)
    assert rep.status == "imported", rep.message
    st = w.status()
    return st.loc[st["file_name"] == path.name, "version"].item()


def test_an_unknown_file_gets_no_release(wh):
    assert _version(wh, FIXTURES / "atop.csv") == "ATOP (release unknown)"
    assert _version(wh, FIXTURES / "nmc.csv") == "COW NMC (release unknown)"        # data of 2000: no release ends then


def test_nmc_named_by_its_last_year(wh, tmp_path):
    p = tmp_path / "nmc_2016.csv"
    p.write_text((FIXTURES / "nmc.csv").read_text().replace(",2000,", ",2016,"))
    assert _version(wh, p) == "COW NMC 6.0"
    p = tmp_path / "nmc_2022.csv"
    p.write_text((FIXTURES / "nmc.csv").read_text().replace(",2000,", ",2022,"))
    # the same states in another year replace the table's years: an import that says so (--replace)
    assert _version(wh, p, replace=True) == "COW NMC (release unknown)"


def test_a_known_checksum_names_the_release(wh, monkeypatch):
    monkeypatch.setitem(V.KNOWN, sha256_file(FIXTURES / "atop.csv"), "ATOP 9.9 (test)")
    assert _version(wh, FIXTURES / "atop.csv") == "ATOP 9.9 (test)"


def test_a_file_beside_peacesciencer_s_description_says_the_package(wh, tmp_path):
    d = tmp_path / "peacesciencer"
    d.mkdir()
    (d / "DESCRIPTION").write_text("Package: peacesciencer\nType: Package\nVersion: 9.8.7\n")
    p = d / "atop.csv"
    p.write_bytes((FIXTURES / "atop.csv").read_bytes())
    assert _version(wh, p) == "ATOP (release unknown) (peacesciencer 9.8.7)"


def test_a_release_in_the_file_name(wh, tmp_path):
    p = tmp_path / "atop_v5.2_dyads.csv"
    p.write_bytes((FIXTURES / "atop.csv").read_bytes())
    assert _version(wh, p) == "ATOP, v5.2 by the file name"


def test_the_rules_by_content():
    parsed = SimpleNamespace(tables={"ucdp_acd": pd.DataFrame({"year": [1946, 2024]})}, rows_read=273_296)
    assert V.resolve("UCDP/PRIO ACD", None, None, parsed) == "UCDP/PRIO ACD 25.1 (by its last year, 2024)"
    assert V.resolve("ATOP", None, None, parsed) == "ATOP 5.1"
    parsed.rows_read = 272_046
    assert V.resolve("ATOP", None, None, parsed) == "ATOP 5.0"
    parsed.rows_read = 5
    assert V.resolve("ATOP", None, None, parsed) == "ATOP (release unknown)"
    assert V.resolve("GPR to 2025-12-01", None, "x", parsed) == "GPR to 2025-12-01"          # other readers: untouched


@needs_shared
def test_the_shared_files_are_labelled_by_what_they_are(shared, tmp_path):
    w = Warehouse(tmp_path / "w.duckdb")
    assert _version(w, shared / "institutions" / "peacesciencer_atop_alliance.csv.gz") == "ATOP 5.1 (peacesciencer 1.2.9)"
    assert _version(w, shared / "raw" / "peacesciencer" / "cow_nmc.rda") == "COW NMC (release unknown) (peacesciencer 1.2.9)"
    assert _version(w, shared / "events" / "peacesciencer_ucdp_acd.csv") == "UCDP/PRIO ACD 25.1 (by its last year, 2024)"


@needs_shared
def test_every_known_checksum_is_a_file_of_the_shared_folder(shared):
    names = ["institutions/peacesciencer_atop_alliance.csv.gz", "raw/peacesciencer/atop_alliance.rda", "institutions/peacesciencer_cow_contdir.csv",
             "raw/peacesciencer/cow_contdir.rda", "trade/peacesciencer_cow_trade_sy.csv", "raw/peacesciencer/cow_trade_sy.rda",
             "events/peacesciencer_cow_mid_dirdisps.csv", "raw/peacesciencer/cow_mid_dirdisps.rda", "groups/peacesciencer_cow_majors.csv",
             "raw/peacesciencer/cow_majors.rda", "events/peacesciencer_td_rivalries.csv", "raw/peacesciencer/td_rivalries.rda",
             "events/peacesciencer_tss_rivalries.csv", "raw/peacesciencer/tss_rivalries.rda"]
    shas = {sha256_file(shared / n) for n in names}
    assert shas == set(V.KNOWN), "the table of known checksums and the shared files disagree"
