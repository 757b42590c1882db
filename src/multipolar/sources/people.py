"""People: visa requirements (Passport Index snapshots) and bilateral migrant stocks (UN DESA).

The visa scale
--------------
Passport Index changed its vocabulary over time. multipolar maps every value to one ordinal
``visa_category`` and a score ``visa_openness`` in [0, 1] (= category / 4):

====  =====================  ========================================================================
 4    visa free              'visa free', 'VF', a number of days, and '3' in the 2019 numeric coding
 3    arrival or eTA         'visa on arrival', 'VOA', 'eta', 'ETA', 'EVW', and '1' (VOA), '2' (eTA) in 2019
 2    e-visa / permit        'e-visa', 'Hayya Entry Permit' (Qatar, 2022 World Cup)
 1    visa required          'visa required', 'VR', and '0' in 2019
 0    no admission           'no admission', 'covid ban'
 –    own country            '-1' (dropped)
====  =====================  ========================================================================

The 2019 numeric coding (0 visa required, 1 visa on arrival, 2 eTA, 3 visa free, -1 own
country) is the dataset's README of that time; the 2020-02 labels (VR/VOA/ETA/VF/days) follow it.
"""
from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

from ..actors.registry import normalise_name, registry
from ..errors import InputError, show
from .base import Parsed, Reader, check_duplicates, check_years, map_countries, read_csv, to_numeric

VISA_CATEGORY = {
    "visa free": 4, "vf": 4, "3": 4,
    "visa on arrival": 3, "voa": 3, "eta": 3, "evw": 3, "1": 3, "2": 3,
    "e-visa": 2, "hayya entry permit": 2,
    "visa required": 1, "vr": 1, "0": 1,
    "no admission": 0, "covid ban": 0,
}


def visa_scale(values: pd.Series, snapshot: pd.Series) -> pd.DataFrame:
    """The visa requirements (texts, or numbers of visa-free days after 2019) as visa_category (the 0-4
    openness scale) and visa_free_days; in the 2019 snapshot 1, 2 and 3 are categories."""
    v = values.astype(str).str.strip().str.lower()
    numeric_2019 = snapshot.astype(str) < "2020-01-01"
    days = pd.to_numeric(v.where(~numeric_2019), errors="coerce")
    cat = v.map(VISA_CATEGORY)
    cat = cat.where(~(days.notna() & (days > 0)), 4)
    # in the 2019 coding '1', '2', '3' are categories, afterwards numbers are days
    cat = cat.where(~(~numeric_2019 & v.isin(["1", "2", "3"])), 4)
    return pd.DataFrame({"visa_category": cat, "visa_free_days": days.where(days > 0)})


class Passport(Reader):
    """The Passport Index visa requirements (panel, tidy or matrix layout), one row per snapshot, passport and
    destination."""
    name, title = "passport", "Passport Index visa requirements (2019-2025 snapshots)"
    citation = "Ilya Ilyankou, passport-index-dataset (GitHub ilyankou/passport-index-dataset), MIT; data from Passport Index (Arton Capital)."
    license = "MIT"
    keys = {"visa": ["snapshot", "passport", "destination"]}
    signatures = {"panel": {"snapshot", "passport", "destination", "requirement"}, "tidy": {"Passport", "Destination", "Requirement"}}

    def sniff(self, head):
        cols = [c.lower() for c in head.columns]
        if {"snapshot", "passport", "destination", "requirement"} <= set(cols):
            return "panel"
        if cols[:3] == ["passport", "destination", "requirement"]:
            return "tidy"
        if cols and cols[0] == "passport" and len(cols) > 100 and all(len(c) == 3 for c in head.columns[1:]):
            return "matrix"
        return None

    def read(self, path, layout, head):
        rej = Counter()
        if head.kind == "parquet":
            df = pd.read_parquet(path)
        else:
            df = read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        df.columns = [c.lower() for c in df.columns]
        rows = len(df) if layout != "matrix" else len(df) * (len(df.columns) - 1)
        if layout != "panel":
            m = re.search(r"(\d{4}-\d{2}-\d{2})", path.name)
            if not m:
                raise InputError("cannot tell the snapshot date of this Passport Index file", file=str(path),
                                 expected="a date in the file name, e.g. passport-index-tidy-iso3_2025-01-12.csv (the dataset's own files carry none)",
                                 hint="rename the file to include the date you downloaded it")
            df["snapshot"] = m.group(1)
            if layout == "matrix":
                df = df.melt(id_vars=["passport", "snapshot"], var_name="destination", value_name="requirement")
                df["destination"] = df["destination"].str.upper()
        check_duplicates(df, ["snapshot", "passport", "destination"], path)
        d = pd.to_datetime(df["snapshot"], errors="coerce", format="ISO8601")
        if d.isna().any():
            i = int(d.isna().to_numpy().nonzero()[0][0])
            raise InputError(f"not a date: {show(df['snapshot'].iloc[i])}", file=str(path), line=i + 2, field="snapshot", expected="YYYY-MM-DD")
        df["year"] = d.dt.year
        check_years(df["year"], path, lo=2000)
        df["requirement"] = df["requirement"].astype(str).str.strip()
        own = df["requirement"] == "-1"
        rej["own country (-1)"] += int(own.sum())
        df = df[~own].reset_index(drop=True)
        # score the distinct (value, coding era) pairs, then map onto the rows
        era = df["snapshot"].astype(str) < "2020-01-01"
        u = pd.DataFrame({"requirement": df["requirement"], "era": era}).drop_duplicates()
        usc = pd.concat([u.reset_index(drop=True), visa_scale(u["requirement"], u["era"].map({True: "2019-12-31", False: "2020-01-01"})).reset_index(drop=True)], axis=1)
        sc = pd.DataFrame({"requirement": df["requirement"], "era": era}).merge(usc, on=["requirement", "era"], how="left")[["visa_category", "visa_free_days"]]
        unknown = sc["visa_category"].isna()
        if unknown.any():
            i = int(unknown.to_numpy().nonzero()[0][0])
            raise InputError(f"unknown visa requirement {show(df['requirement'].iloc[i])}", file=str(path), line=i + 2, field="requirement",
                             expected="one of " + ", ".join(sorted(VISA_CATEGORY)) + " or a number of days",
                             hint="this vocabulary is new: add it to multipolar.sources.people.VISA_CATEGORY with its place on the scale")
        df = pd.concat([df.reset_index(drop=True), sc.reset_index(drop=True)], axis=1)
        df = map_countries(df, "passport", system="iso3", year="year", path=path, out="passport_code", rejected=rej)
        df = map_countries(df, "destination", system="iso3", year="year", path=path, out="destination_code", rejected=rej)
        out = pd.DataFrame({
            "snapshot": df["snapshot"].astype(str), "year": df["year"].astype("int64"),
            "passport": df["passport_code"], "destination": df["destination_code"],
            "requirement": df["requirement"], "visa_category": df["visa_category"].astype("int64"),
            "visa_openness": df["visa_category"] / 4.0, "visa_free_days": df["visa_free_days"],
        })
        check_duplicates(out, ["snapshot", "passport", "destination"], path)
        return Parsed({"visa": out}, rows_read=rows, rejected=rej, partitions={"visa": ["snapshot"]},
                      version=f"Passport Index {out['snapshot'].min()} to {out['snapshot'].max()}")


DESA_AGGREGATES = {normalise_name(n) for n in [
    "WORLD", "AFRICA", "ASIA", "EUROPE", "OCEANIA", "NORTHERN AMERICA", "LATIN AMERICA AND THE CARIBBEAN",
    "Australia/New Zealand", "Caribbean", "Central America", "Central Asia", "Eastern Africa", "Eastern Asia",
    "Eastern Europe", "High-income countries", "Least developed countries", "Less developed regions",
    "Less developed regions excluding least developed countries", "Low-income countries", "Lower-middle-income countries",
    "Melanesia", "Micronesia", "Middle Africa", "Middle-income countries", "More developed regions", "Northern Africa",
    "Northern Europe", "Other North", "Other South", "Polynesia", "South America", "South-Eastern Asia", "Southern Africa",
    "Southern Asia", "Southern Europe", "Sub-Saharan Africa", "Upper-middle-income countries", "Western Africa",
    "Western Asia", "Western Europe", "Total", "Developed regions", "Developing regions"]}
DESA_TERRITORIES = ["China Hong Kong SAR", "China Macao SAR", "Caribbean Netherlands", "Sint Maarten", "Reunion", "Saint Helena",
                    "Falkland Islands", "Wallis and Futuna Islands", "Faeroe Islands", "Curacao", "Channel Islands", "Isle of Man",
                    "United States Virgin Islands", "British Virgin Islands", "Western Sahara", "State of Palestine", "Holy See",
                    "Cook Islands", "Niue", "Tokelau", "Saint Pierre and Miquelon", "Turks and Caicos Islands", "Northern Mariana Islands"]


#: the years of each UN DESA edition; an edition is named after its last year (how multipolar
#: tells the revision from a file's content)
DESA_EDITION_YEARS = {
    2015: (1990, 1995, 2000, 2005, 2010, 2015),
    2017: (1990, 1995, 2000, 2005, 2010, 2015, 2017),
    2019: (1990, 1995, 2000, 2005, 2010, 2015, 2019),
    2020: (1990, 1995, 2000, 2005, 2010, 2015, 2020),
    2024: (1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024),
}
DESA_CITATIONS = {
    2017: "United Nations, Department of Economic and Social Affairs, Population Division (2017). Trends in International Migrant Stock: The 2017 Revision (POP/DB/MIG/Stock/Rev.2017).",
    2024: "United Nations, Department of Economic and Social Affairs, Population Division (2024). International Migrant Stock 2024.",
}
DESA_TITLES = {2017: "UN DESA 2017 revision", 2024: "UN DESA International Migrant Stock 2024"}

#: every revision imported, one partition per revision
MIGRANT_TABLE = "migrant_stock_revisions"
#: the view that readers of the warehouse use: per year, the latest revision that covers it
MIGRANT_VIEW = "migrant_stock"
MIGRANT_COLUMNS = ["year", "origin", "destination", "migrant_stock", "migrant_stock_male", "migrant_stock_female", "revision"]


def migrant_stock_latest_sql(table: str = MIGRANT_TABLE) -> str:
    """SELECT giving one row per observed (year, origin, destination) from the latest revision
    that has rows in that year, with that revision named (``revision``). Observed: a positive
    stock (see "Coverage" in :class:`UNDesaMigration`); zero and absent rows are left out, so
    they come out missing in a left join. ``table``: the table of all revisions (e.g.
    ``w.main."migrant_stock_revisions"`` from an attached warehouse)."""
    return f"""SELECT r.year, r.origin, r.destination, r.migrant_stock, r.migrant_stock_male, r.migrant_stock_female, r.revision
        FROM {table} r
        JOIN (SELECT year, max(CAST(revision AS INTEGER)) AS latest FROM {table} GROUP BY year) l
          ON r.year = l.year AND CAST(r.revision AS INTEGER) = l.latest
        WHERE r.migrant_stock > 0"""


def migrant_stock_latest(warehouse) -> pd.DataFrame:
    """The view ``migrant_stock`` as a DataFrame (see :class:`UNDesaMigration`)."""
    return warehouse.query(migrant_stock_latest_sql())


def _edition(years: pd.Series, path, lines: pd.Series | None = None) -> int:
    """The UN DESA edition of a file: its last year, which must be an edition's, with every year
    one of that edition's. ``lines``: the file line of each year, for the error message."""
    last = int(years.max())
    if last not in DESA_EDITION_YEARS:
        raise InputError(f"cannot tell the UN DESA edition: the last year is {last}", file=str(path), field="year",
                         expected="a file whose last year is an edition's (" + ", ".join(map(str, DESA_EDITION_YEARS)) + ")",
                         hint="import the edition's file as published (all its years)")
    bad = ~years.isin(DESA_EDITION_YEARS[last])
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"year {int(years.iloc[i])} is not a year of UN DESA's {last} edition", file=str(path),
                         line=int(lines.iloc[i]) if lines is not None else None, field="year",
                         expected="one of " + ", ".join(map(str, DESA_EDITION_YEARS[last])), hint="the file may be edited or corrupted; download it again")
    return last


def _named(reason: str, rows: pd.DataFrame, names: set) -> str:
    """'reason: name ×rows, ...' for the rows of ``rows`` whose destination or origin is in ``names``."""
    n = pd.concat([rows.loc[rows["destination"].isin(names), "destination"], rows.loc[rows["origin"].isin(names), "origin"]]).value_counts()
    return f"{reason}: " + ", ".join(f"{k} ×{v:,}" for k, v in n.items())


class UNDesaMigration(Reader):
    """UN DESA International Migrant Stock, origin x destination: the 2017 revision and the 2024 edition.

    Layouts (recognised by their columns)
    -------------------------------------
    ``long`` / ``wide``: the 2017 revision (destination and origin as UN DESA names; a long
    reshaping, or the wide CSV with ``Other North``/``Other South``); names are resolved by year.
    ``iso3_long_by_sex``: the 2024 edition reshaped long by a third party: ``year, orig, dest``
    (ISO3), ``stock, stock_male, stock_female`` and, optional, ``orig_name, dest_name,
    orig_iso3n, dest_iso3n``. ISO3 codes are resolved **by year** through the registry; a
    territory (Hong Kong, Puerto Rico, Palestine...), an aggregate, or a state that did not exist
    that year (Russia in 1990, South Sudan before 2011) is rejected and counted, and the import's
    notes name the rejected codes with their names from the file. Names and ISO numeric codes are
    only cross-checked: one name and one number per code, and the number must be the code's ISO
    3166 number (a shifted column is an error). Errors (file, line, field): a year that is not one
    of the edition's, a negative or non-numeric stock, ``stock_male + stock_female <> stock``
    (the file holds this on every row, so a row that breaks it means an edited or corrupted
    file, not a value to drop), a duplicated (year, orig, dest). A row without a stock is
    counted and left out.

    The edition is read from the content: its last year (2017, 2024), which names the revision.

    Tables
    ------
    ``migrant_stock_revisions`` (year, origin, destination, migrant_stock, migrant_stock_male,
    migrant_stock_female, revision): every revision, partitioned by ``revision`` ('2017', '2024'):
    importing one revision never deletes another; importing a file again replaces its own
    revision with the same rows. The 2017 revision has no sex breakdown (NULL).
    ``migrant_stock`` (a view, same columns): for each year, the rows of the latest revision that
    has that year (1990-2015, 2020, 2024: the 2024 edition; 2017: the 2017 revision), so one row
    per (year, origin, destination); :func:`migrant_stock_latest_sql` is its SELECT. A warehouse
    written before revisions held the 2017 revision in a table ``migrant_stock``: the next import
    of this source moves those rows into ``migrant_stock_revisions`` (revision = their last year)
    and puts the view in its place.

    Coverage: what an absent row means
    ----------------------------------
    Measured on the 2024 file against the 2017 revision (both resolved to registry states, 1990-2015):

    * **An absent pair is not a zero.** The file keeps 9,348 pairs (8,377 between registry
      states), always with all eight years; the pair list is cut for many destinations without
      any mark in the file. 14,617 pair-years that the 2017 revision gives a positive stock
      (42.9 M migrant-years; 10.1 M in 2015) are absent, between states that both have rows that
      year: Netherlands -> Germany 117,420 in 2015, Portugal -> Germany 129,271 in 2000,
      Bosnia -> USA 121,415, Pakistan -> Singapore 129,253, Latvia -> UK 94,066. Germany keeps
      27 origins (the smallest 140,939 in 2024), the United States 59 (smallest 125,844), the UK
      35; in 2015 the absent origins held 23 % of the UK's 2017-revision stock, 17 % of
      Germany's, 8 % of the USA's. 145 of 193 destinations list every origin that the 2017
      revision has, but nothing in the file tells those from the cut ones, nor shows whether
      2020 and 2024 were cut the same way.
    * **A zero is not a measured zero either.** 4,321 kept rows are 0: 3,560 before the pair's
      first positive year, 612 after its last, 139 between two positive years (Netherlands ->
      Egypt: 2,208 in 2010, 0 in 2015, 3,746 in 2020), 10 in pairs with no positive year kept.
      The 2017 revision's zeros (176,690 of its 242,689 kept rows) include 636 pairs in 2015
      that the 2024 edition puts at 0.99 M migrants (Myanmar -> China 98,893, North Macedonia ->
      Germany 83,304).
    * **The gap to UN DESA's totals**: the file sums to 282.0 M migrants in 2024 and 252.7 M in
      2020, against 304 M and 275 M in the 2024 edition (22 M, about 7-8 %); about half is
      origins that UN DESA does not know (the 2017 revision's "Other North/South": 4.1 % of
      its world total, 10.1 M in 2015), the other half the cut pairs above. Territories are
      in the file and are rejected here, not part of the gap.

    The rule, for every revision: **(origin, destination, year) is observed when the latest
    revision covering that year has a row for it with a positive stock; a pair it does not
    list, or lists with 0, is missing, never 0.** ``migrant_stock_revisions`` keeps the rows
    as the files give them (zeros included); the view ``migrant_stock`` holds only observed
    rows, so a left join yields NULL for everything else. There is no (origin, destination,
    year) where an absent pair may be read as 0.

    Borders: UN DESA gives every year within today's borders. Rows of a state that did not exist
    that year are rejected (Russia, Czechia, the Baltic states in 1990, Serbia and Montenegro
    before 2006, South Sudan before 2011; also Kiribati, Nauru, Tonga, Tuvalu, Andorra, Monaco,
    San Marino, Marshall Islands, Micronesia and Palau before they enter the registry's state
    system); a code that did exist keeps the registry's state although UN DESA's area is
    today's: Sudan before 2011 without South Sudan, Ethiopia 1990 without Eritrea, Indonesia
    1990-2000 without Timor-Leste. Serbia includes Kosovo (no Kosovo rows: its pairs are
    missing). Names ending in '*' carry a UN DESA footnote on the area covered.
    """
    name = "undesa_migration"
    title = "UN DESA International Migrant Stock (2017 revision, 2024 edition), origin-destination"
    citation = DESA_CITATIONS[2017] + " " + DESA_CITATIONS[2024]
    license = "UN terms of use (free with citation)"
    keys = {MIGRANT_TABLE: ["revision", "year", "origin", "destination"]}
    signatures = {"long": {"year", "destination", "origin", "migrant_stock"},
                  "iso3_long_by_sex": {"year", "orig", "dest", "stock", "stock_male", "stock_female"}}

    def sniff(self, head):
        cols = set(head.columns)
        if {"year", "orig", "dest", "stock", "stock_male", "stock_female"} <= cols:
            return "iso3_long_by_sex"
        if {"year", "destination", "origin", "migrant_stock"} <= cols:
            return "long"
        if {"Year", "MajorArea", "Total", "Other North", "Other South"} <= cols:
            return "wide"
        if cols == {"CountryName", "CountryCode"}:
            return "codes"
        return None

    def read(self, path, layout, head):
        if layout == "codes":
            from .peacescience import _Skip
            raise _Skip("the UN DESA country-name table is not needed: multipolar resolves the names with its actor registry")
        if layout == "iso3_long_by_sex":
            return self._read_by_sex(path, head)
        rej = Counter()
        if layout == "long":
            df = pd.read_parquet(path) if head.kind == "parquet" else read_csv(path)
        else:
            df = read_csv(path)
            df = df.rename(columns={"Total": "dest_total"}).melt(id_vars=["Year", "MajorArea", "dest_total"], var_name="origin", value_name="migrant_stock")
            df = df.rename(columns={"Year": "year", "MajorArea": "destination"})
        rows = len(df)
        keyed = df[df["year"].notna() & df["destination"].notna()]
        check_duplicates(keyed, ["year", "destination", "origin", "dest_total"], path)
        # 'Micronesia' names both a region and a country as a destination: the region has the larger total
        if "dest_total" in df.columns:
            mic = df["destination"] == "Micronesia"
            if mic.any():
                small = df[mic].groupby("year")["dest_total"].transform("min")
                df.loc[mic & (df["dest_total"] == small.reindex(df.index)), "destination"] = "Micronesia (Federated States of)"
        # origins are countries only: there 'Micronesia' is the Federated States
        df.loc[df["origin"] == "Micronesia", "origin"] = "Micronesia (Federated States of)"
        miss = df["year"].isna() | df["destination"].isna()
        rej["row without year or destination"] += int(miss.sum())
        df = df[~miss].copy()
        df["year"] = to_numeric(df.reset_index(drop=True), "year", path, integer=True).to_numpy()
        check_years(df["year"].reset_index(drop=True), path, lo=1950)
        edition = _edition(df["year"].astype("int64").reset_index(drop=True), path)
        df["migrant_stock"] = pd.to_numeric(df["migrant_stock"], errors="coerce")
        names = pd.unique(pd.concat([df["destination"], df["origin"]]).astype(str))
        agg_names = {n for n in names if normalise_name(n) in DESA_AGGREGATES}
        agg = df["destination"].isin(agg_names) | df["origin"].isin(agg_names)
        rej["aggregate (region or income group)"] += int(agg.sum())
        notes: list[str] = [_named("aggregate (region or income group)", df[agg], agg_names)]
        df = df[~agg]
        over = {n: None for n in DESA_TERRITORIES}
        terr = df["destination"].isin(over) | df["origin"].isin(over)
        rej["territory"] += int(terr.sum())
        notes.append(_named("territory", df[terr], set(over)))
        df = df[~terr]
        for c in ("destination", "origin"):
            # dated names of states of the system only: the 1990 figures of Russia, Croatia or Ukraine (then Soviet
            # and Yugoslav republics) are rejected and named, never given to the USSR or Yugoslavia
            df = map_countries(df, c, system="name", year="year", path=path, out=c + "_code", rejected=rej, notes=notes,
                               source="undesa_migration", system_only=True)
        out = df[["year", "origin_code", "destination_code", "migrant_stock"]].rename(columns={"origin_code": "origin", "destination_code": "destination"})
        empty = out["migrant_stock"].isna()
        rej["empty cell (no migrants recorded)"] += int(empty.sum())
        out = out[~empty]
        check_duplicates(out, ["year", "origin", "destination"], path)
        return self._parsed(out, edition, rows, rej, notes=notes)

    # -- the 2024 edition, ISO3 codes, by sex ---------------------------------------------------
    def _read_by_sex(self, path, head):
        text = head.kind != "parquet"
        if text:
            df = read_csv(path, sep="\t" if head.kind == "tsv" else ",", dtype={"orig": str, "dest": str, "orig_name": str, "dest_name": str},
                          keep_default_na=False, na_values=["", "NA", ".."])
        else:
            df = pd.read_parquet(path)
        off = 2 if text else 1      # the line of the first record: after the header, or row 1
        rows = len(df)
        df = df.reset_index(drop=True)
        df["__line"] = np.arange(off, off + rows)
        rej = Counter()
        df["year"] = to_numeric(df, "year", path, integer=True, allow_na=False, line_offset=off).astype("int64")
        check_years(df["year"], path, lo=1950, line_offset=off)
        edition = _edition(df["year"], path, df["__line"])
        for c in ("orig", "dest"):
            v = df[c]
            blank = v.isna() | (v.astype(str).str.strip() == "")
            if blank.any():
                i = int(np.flatnonzero(blank.to_numpy())[0])
                raise InputError("country code missing", file=str(path), line=i + off, field=c, expected="an ISO 3166 alpha-3 code on every row",
                                 hint="the file may be truncated or edited; download it again")
            df[c] = v.astype(str).str.strip()
        for c in ("stock", "stock_male", "stock_female"):
            df[c] = to_numeric(df, c, path, line_offset=off)
            neg = df[c] < 0
            if neg.any():
                i = int(np.flatnonzero(neg.to_numpy())[0])
                raise InputError(f"negative number of migrants: {df[c].iloc[i]:g}", file=str(path), line=i + off, field=c,
                                 expected="a number >= 0", hint="the file may be edited or corrupted; download it again")
        both = df["stock"].notna() & df["stock_male"].notna() & df["stock_female"].notna()
        off_sum = both & ((df["stock_male"] + df["stock_female"] - df["stock"]).abs() > 0.5)
        if off_sum.any():
            i = int(np.flatnonzero(off_sum.to_numpy())[0])
            r = df.iloc[i]
            raise InputError(f"stock_male + stock_female = {r['stock_male'] + r['stock_female']:g} but stock = {r['stock']:g} "
                             f"({r['orig']} -> {r['dest']}, {r['year']})", file=str(path), line=i + off, field="stock",
                             expected="stock = stock_male + stock_female on every row (as UN DESA publishes it)",
                             hint="the file is edited or corrupted, or is not this dataset; download it again")
        check_duplicates(df, ["year", "orig", "dest"], path, line_offset=off)
        self._cross_check_codes(df, path, off)
        empty = df["stock"].isna()
        if empty.any():
            rej["no stock given"] += int(empty.sum())
        df = df[~empty]
        notes = []
        reg = registry()
        names = self._names(df)
        for c, label in (("orig", "origin"), ("dest", "destination")):
            mapped = map_countries(df, c, system="iso3", year="year", path=path, out=c + "_code", rejected=rej, drop=False, reg=reg,
                                   source="undesa_migration", system_only=True)
            gone = mapped[mapped[c + "_code"].isna()]
            if len(gone):
                notes.append(f"{label}s rejected: " + _explain(gone, c, names, reg))
            df = mapped[mapped[c + "_code"].notna()]
        same = df["orig_code"] == df["dest_code"]
        if same.any():
            rej["origin = destination"] += int(same.sum())
        df = df[~same]
        out = pd.DataFrame({
            "year": df["year"].astype("int64").to_numpy(), "origin": df["orig_code"].astype(str).to_numpy(),
            "destination": df["dest_code"].astype(str).to_numpy(), "migrant_stock": df["stock"].astype("float64").to_numpy(),
            "migrant_stock_male": df["stock_male"].astype("float64").to_numpy(), "migrant_stock_female": df["stock_female"].astype("float64").to_numpy(),
        })
        check_duplicates(out, ["year", "origin", "destination"], path)
        pairs = out[["origin", "destination"]].drop_duplicates()
        notes.append(f"coverage: {len(pairs):,} origin-destination pairs kept, {int((out['migrant_stock'] == 0).sum()):,} rows with 0 "
                     "(observed: a positive stock; a pair absent or 0 is missing, not 0)")
        return self._parsed(out, edition, rows, rej, notes)

    @staticmethod
    def _names(df) -> dict:
        out = {}
        for c in ("orig", "dest"):
            if f"{c}_name" in df.columns:
                out.update(dict(zip(df[c], df[f"{c}_name"].astype(str).str.rstrip("*").str.strip())))
        return out

    @staticmethod
    def _cross_check_codes(df, path, off) -> None:
        """One name and one ISO number per code; the number must be the code's in ISO 3166."""
        import pycountry
        for c in ("orig", "dest"):
            for extra, what in ((f"{c}_iso3n", "ISO numeric code"), (f"{c}_name", "name")):
                if extra not in df.columns:
                    continue
                sub = df[[c, extra]].drop_duplicates(subset=[c], keep="first")
                first = df[c].map(dict(zip(sub[c], sub[extra])))
                vals = df[extra]
                differs = ~((vals == first) | (vals.isna() & first.isna()))
                if differs.any():
                    i = int(np.flatnonzero(differs.to_numpy())[0])
                    raise InputError(f"{df[c].iloc[i]} has two {what}s: {_show(first.iloc[i])} and {_show(vals.iloc[i])}", file=str(path), line=i + off, field=extra,
                                     expected=f"one {what} per ISO3 code", hint="the file is edited or corrupted; download it again")
                if extra.endswith("_iso3n"):
                    for code, num in zip(sub[c], sub[extra]):
                        known = pycountry.countries.get(alpha_3=code)
                        if known is not None and pd.notna(num) and str(num).strip() != "" and int(float(num)) != int(known.numeric):
                            i = int(np.flatnonzero((df[c] == code).to_numpy())[0])
                            other = pycountry.countries.get(numeric=f"{int(float(num)):03d}")
                            raise InputError(f"ISO3 {code} and ISO numeric {int(float(num))} disagree ({code} is {int(known.numeric)}"
                                             + (f"; {int(float(num))} is {other.alpha_3}" if other else "") + ")",
                                             file=str(path), line=i + off, field=extra, expected="the ISO 3166 number of the row's ISO3 code",
                                             hint="columns may be shifted or the file edited; download it again")

    def _parsed(self, out: pd.DataFrame, edition: int, rows: int, rej: Counter, notes: list | None = None) -> Parsed:
        out = out.reset_index(drop=True)
        for c in ("migrant_stock_male", "migrant_stock_female"):
            if c not in out.columns:
                out[c] = np.nan
        out["migrant_stock"] = out["migrant_stock"].astype("float64")
        out["revision"] = str(edition)
        notes = list(notes or [])
        notes.append("cite: " + DESA_CITATIONS.get(edition, f"United Nations, Department of Economic and Social Affairs, Population Division ({edition}). International Migrant Stock {edition}."))
        return Parsed({MIGRANT_TABLE: out[MIGRANT_COLUMNS]}, rows_read=rows, rejected=rej, partitions={MIGRANT_TABLE: ["revision"]},
                      version=DESA_TITLES.get(edition, f"UN DESA International Migrant Stock {edition}"), notes=notes)

    def derive(self, con, changed=None) -> None:
        """The view ``migrant_stock`` (latest revision per year); moves a pre-revision table first."""
        kinds = dict(con.execute("SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main'").fetchall())
        if MIGRANT_TABLE not in kinds:
            return
        if kinds.get(MIGRANT_VIEW) == "BASE TABLE":
            # written by this reader before revisions: the 2017 revision, the only one it read then
            last = con.execute(f'SELECT max(year) FROM "{MIGRANT_VIEW}"').fetchone()[0]
            if last is not None:
                rev = str(int(last))
                if not con.execute(f'SELECT count(*) FROM "{MIGRANT_TABLE}" WHERE revision = ?', [rev]).fetchone()[0]:
                    con.execute(f'INSERT INTO "{MIGRANT_TABLE}" BY NAME SELECT year, origin, destination, migrant_stock, ? AS revision FROM "{MIGRANT_VIEW}"', [rev])
            con.execute(f'DROP TABLE "{MIGRANT_VIEW}"')
        con.execute(f'CREATE OR REPLACE VIEW "{MIGRANT_VIEW}" AS ' + migrant_stock_latest_sql(f'"{MIGRANT_TABLE}"'))


def _show(v) -> str:
    return repr(v) if isinstance(v, str) else f"{v:g}" if isinstance(v, (int, float, np.number)) else repr(v)


def _explain(gone: pd.DataFrame, col: str, names: dict, reg, top: int = 8) -> str:
    """'territory: China, Hong Kong SAR (HKG) 232 rows, ...; state did not exist that year: ...'"""
    parts = {}
    for code, g in gone.groupby(col, sort=False):
        kind = reg.classify(code)
        nm = names.get(code, "")
        label = f"{nm} ({code})" if nm else code
        if code in reg._systems["iso3"]:
            spans = reg._systems["iso3"][code]
            yrs = sorted(set(int(y) for y in g["year"]))
            span = ", ".join(f"{c} from {s}" + (f" to {e}" if e < "9999" else "") for s, e, c in spans)
            reason, label = "state did not exist that year", f"{label} in {', '.join(map(str, yrs))} (registry: {span})"
        else:
            reason = kind or "unknown"
        parts.setdefault(reason, []).append((len(g), label))
    out = []
    for reason, items in parts.items():
        items.sort(key=lambda t: (-t[0], t[1]))
        more = f", and {len(items) - top} more" if len(items) > top else ""
        out.append(f"{reason} ({sum(n for n, _ in items):,} rows): " + ", ".join(f"{lab} {n}" for n, lab in items[:top]) + more)
    return " / ".join(out)
