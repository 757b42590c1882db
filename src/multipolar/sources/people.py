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

import pandas as pd

from ..actors.registry import normalise_name
from ..errors import InputError
from .base import Parsed, Reader, check_duplicates, check_years, map_countries, read_csv, to_numeric

VISA_CATEGORY = {
    "visa free": 4, "vf": 4, "3": 4,
    "visa on arrival": 3, "voa": 3, "eta": 3, "evw": 3, "1": 3, "2": 3,
    "e-visa": 2, "hayya entry permit": 2,
    "visa required": 1, "vr": 1, "0": 1,
    "no admission": 0, "covid ban": 0,
}
VISA_LABEL = {4: "visa free", 3: "on arrival or eTA", 2: "e-visa or permit", 1: "visa required", 0: "no admission"}


def visa_scale(values: pd.Series, snapshot: pd.Series) -> pd.DataFrame:
    v = values.astype(str).str.strip().str.lower()
    numeric_2019 = snapshot.astype(str) < "2020-01-01"
    days = pd.to_numeric(v.where(~numeric_2019), errors="coerce")
    cat = v.map(VISA_CATEGORY)
    cat = cat.where(~(days.notna() & (days > 0)), 4)
    # in the 2019 coding '1', '2', '3' are categories, afterwards numbers are days
    cat = cat.where(~(~numeric_2019 & v.isin(["1", "2", "3"])), 4)
    return pd.DataFrame({"visa_category": cat, "visa_free_days": days.where(days > 0)})


class Passport(Reader):
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
            raise InputError(f"not a date: {df['snapshot'].iloc[i]!r}", file=str(path), line=i + 2, field="snapshot", expected="YYYY-MM-DD")
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
            raise InputError(f"unknown visa requirement {df['requirement'].iloc[i]!r}", file=str(path), line=i + 2, field="requirement",
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


def _named(reason: str, rows: pd.DataFrame, names: set) -> str:
    """'reason: name ×rows, ...' for the rows of ``rows`` whose destination or origin is in ``names``."""
    n = pd.concat([rows.loc[rows["destination"].isin(names), "destination"], rows.loc[rows["origin"].isin(names), "origin"]]).value_counts()
    return f"{reason}: " + ", ".join(f"{k} ×{v:,}" for k, v in n.items())


class UNDesaMigration(Reader):
    """UN DESA International Migrant Stock 2017: destination x origin, 1990-2017."""
    name, title = "undesa_migration", "UN DESA International Migrant Stock (2017 revision), origin-destination"
    citation = "United Nations, Department of Economic and Social Affairs, Population Division (2017). Trends in International Migrant Stock: The 2017 Revision (POP/DB/MIG/Stock/Rev.2017)."
    license = "UN terms of use (free with citation)"
    keys = {"migrant_stock": ["year", "origin", "destination"]}
    signatures = {"long": {"year", "destination", "origin", "migrant_stock"}}

    def sniff(self, head):
        cols = set(head.columns)
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
        return Parsed({"migrant_stock": out.reset_index(drop=True)}, rows_read=rows, rejected=rej, version="UN DESA 2017 revision", notes=notes)
