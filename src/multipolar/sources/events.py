"""Event data: ICEWS, GDELT 1.0 and 2.0 event exports, and the CAMEO codebook.

All event sources land in one table ``events`` (source, event_id, date, year, source_code,
target_code, cameo_code, root_code, quad_class, goldstein, mentions), partitioned by source and
day, so that daily files add up and a file imported twice replaces its own days.

Quad classes follow CAMEO roots: 01-05 verbal cooperation (1), 06-08 material cooperation (2),
09-13 verbal conflict (3), 14-20 material conflict (4). Event actors that are not states
(regions, IGOs, unknown codes) are counted as rejected rows and reported, not guessed; event
streams are not rejected whole for an unknown actor, because their actor vocabularies are open.
"""
from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from ..errors import InputError, show
from .base import Parsed, Reader, check_duplicates, check_years, map_countries, read_csv

GDELT2_COLUMNS = (
    "GLOBALEVENTID SQLDATE MonthYear Year FractionDate Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode "
    "Actor1EthnicCode Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code Actor2Code "
    "Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode Actor2Religion1Code Actor2Religion2Code Actor2Type1Code "
    "Actor2Type2Code Actor2Type3Code IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale NumMentions "
    "NumSources NumArticles AvgTone Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code "
    "Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code "
    "Actor2Geo_ADM2Code Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode "
    "ActionGeo_ADM1Code ActionGeo_ADM2Code ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL").split()
GDELT1_COLUMNS = [c for c in GDELT2_COLUMNS if not c.endswith("ADM2Code")]
GDELT1_COLUMNS_NO_URL = GDELT1_COLUMNS[:-1]     # daily files before April 2013

EVENT_COLUMNS = ["source", "event_id", "date", "year", "source_code", "target_code", "cameo_code", "root_code",
                 "quad_class", "goldstein", "mentions"]


def quad_class(root: pd.Series) -> pd.Series:
    """The CAMEO quad class of each root code: 1 verbal cooperation (01-05), 2 material cooperation (06-08), 3
    verbal conflict (09-13), 4 material conflict (14-20)."""
    r = pd.to_numeric(root, errors="coerce")
    return pd.Series(np.select([r <= 5, r <= 8, r <= 13, r <= 20], [1, 2, 3, 4], default=0), index=root.index).where(r.notna()).astype("Int64")


#: CAMEO actor codes for regions and groups of states (CAMEO manual, ch. 4): not states
CAMEO_REGIONS = {"AFR", "ASA", "BLK", "CRB", "CAU", "CFR", "CAS", "CEU", "EIN", "EAF", "EEU", "EUR", "LAM", "MEA", "MDT",
                 "NAF", "NMR", "PGS", "SCN", "SAM", "SAS", "SEA", "SAF", "WAF", "WST"}
#: CAMEO country codes that differ from today's ISO 3166 alpha-3
CAMEO_TO_ISO = {"ROM": "ROU", "ZAR": "COD", "TMP": "TLS"}


def _finish(df: pd.DataFrame, source: str, path, rej: Counter, system: str) -> pd.DataFrame:
    df = df.reset_index(drop=True)
    line_offset = 1 if getattr(path, "_headerless", False) else 2
    if system == "iso3":
        over = {**{r: None for r in CAMEO_REGIONS}, **CAMEO_TO_ISO}
    else:
        over = None
    df["src"] = df["src"].where(df["src"].notna(), None)
    df["tgt"] = df["tgt"].where(df["tgt"].notna(), None)
    dup = df.duplicated("event_id")
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise InputError(f"duplicate event id {show(df['event_id'].iloc[i])}", file=str(path), field="event_id",
                  expected="one row per event", hint="remove the repeated lines or download the file again")
    no_actor = df["src"].isna() | df["tgt"].isna()
    rej["no state actor on one side (blank country)"] += int(no_actor.sum())
    df = df[~no_actor].reset_index(drop=True)
    df = map_countries(df, "src", system=system, date="date", path=path, out="source_code", strict=True, rejected=rej, overrides=over, line_offset=line_offset)
    df = map_countries(df, "tgt", system=system, date="date", path=path, out="target_code", strict=True, rejected=rej, overrides=over, line_offset=line_offset)
    df["source"] = source
    df["year"] = df["date"].str[:4].astype("int64")
    df["root_code"] = df["cameo_code"].str[:2]
    if "quad_class" not in df.columns or df["quad_class"].isna().all():
        df["quad_class"] = quad_class(df["root_code"])
    if "mentions" not in df.columns:
        df["mentions"] = pd.NA
    out = df[EVENT_COLUMNS].copy()
    out["event_id"] = out["event_id"].astype(str)
    out["quad_class"] = pd.to_numeric(out["quad_class"]).astype("Int64")
    out["goldstein"] = pd.to_numeric(out["goldstein"], errors="coerce")
    out["mentions"] = pd.to_numeric(out["mentions"], errors="coerce").astype("Int64")
    return out


class ICEWS(Reader):
    """ICEWS coded events (one row per event), countries resolved by the event's date."""
    name, title = "icews", "ICEWS coded event data"
    citation = "Boschee, E. et al. (2015). ICEWS Coded Event Data. Harvard Dataverse, doi:10.7910/DVN/28075; sample via the R package icews (Beger)."
    license = "free for research (Dataverse terms)"
    keys = {"events": ["source", "event_id"]}
    signatures = {"icews": {"event_id", "event_date", "source_country", "target_country", "cameo_code", "intensity"}}
    fold_case = True

    def read(self, path, layout, head):
        from . import frame
        df = frame(path, head, dtype=str, keep_default_na=False, na_values=[""])
        df.columns = [c.strip().lower().replace(" ", "_") for c in df.columns]
        rows = len(df)
        rej = Counter()
        d = pd.to_datetime(df["event_date"], errors="coerce", format="ISO8601")
        if d.isna().any():
            i = int(d.isna().to_numpy().nonzero()[0][0])
            raise InputError(f"not a date: {show(df['event_date'].iloc[i])}", file=str(path), line=i + 2, field="event_date", expected="YYYY-MM-DD")
        check_years(d.dt.year, path, col="event_date", lo=1990)
        code = df["cameo_code"].astype(str).str.strip()
        code = code.where(code.str.len() >= 3, code.str.zfill(3))
        ev = pd.DataFrame({"event_id": df["event_id"], "date": d.dt.date.astype(str), "src": df["source_country"], "tgt": df["target_country"],
                           "cameo_code": code, "goldstein": df["intensity"]})
        return Parsed({"events": _finish(ev, "icews", path, rej, "name")}, rows_read=rows, rejected=rej,
                      partitions={"events": ["source", "date"]}, version="ICEWS")


class GDELT(Reader):
    """GDELT 1.0 daily and 2.0 15-minute event exports: tab-separated without a header, as
    published (57, 58 or 61 columns); a CSV with the codebook's header names is also accepted."""
    name, title = "gdelt", "GDELT 1.0 and 2.0 event exports"
    signatures = {"gdelt2": {"GLOBALEVENTID", "SQLDATE", "Actor1CountryCode", "EventCode", "GoldsteinScale"}}
    citation = "Leetaru, K., Schrodt, P. (2013). GDELT: Global Data on Events, Location and Tone, 1979-2012. ISA Annual Convention."
    license = "free for any use with citation"
    keys = {"events": ["source", "event_id"]}

    def sniff(self, head):
        cols = head.columns
        if {"GLOBALEVENTID", "SQLDATE", "Actor1CountryCode", "EventCode", "GoldsteinScale"} <= set(cols):
            return "gdelt2" if "Actor1Geo_ADM2Code" in cols else "gdelt1"
        if head.kind == "tsv" and cols and cols[0].isdigit() and len(cols) in (57, 58, 61):
            return {57: "gdelt1_nourl", 58: "gdelt1", 61: "gdelt2"}[len(cols)] + "_raw"
        return None

    def read(self, path, layout, head):
        if layout.endswith("_raw"):
            names = {"gdelt1_nourl_raw": GDELT1_COLUMNS_NO_URL, "gdelt1_raw": GDELT1_COLUMNS, "gdelt2_raw": GDELT2_COLUMNS}[layout]
            df = read_csv(path, sep="\t", header=None, names=names, dtype=str, keep_default_na=False, na_values=[""])
        else:
            df = read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        source = "gdelt2" if layout.startswith("gdelt2") else "gdelt1"
        rows = len(df)
        rej = Counter()
        raw = df["SQLDATE"].astype(str).str.replace("-", "", regex=False).str[:8]
        d = pd.to_datetime(raw, format="%Y%m%d", errors="coerce")
        if d.isna().any():
            i = int(d.isna().to_numpy().nonzero()[0][0])
            raise InputError(f"not a date: {show(df['SQLDATE'].iloc[i])}", file=str(path), line=i + (1 if layout.endswith('_raw') else 2), field="SQLDATE", expected="YYYYMMDD")
        check_years(d.dt.year, path, col="SQLDATE", lo=1979)
        ev = pd.DataFrame({"event_id": df["GLOBALEVENTID"], "date": d.dt.date.astype(str), "src": df["Actor1CountryCode"], "tgt": df["Actor2CountryCode"],
                           "cameo_code": df["EventCode"].astype(str).str.strip(), "quad_class": df["QuadClass"], "goldstein": df["GoldsteinScale"],
                           "mentions": df["NumMentions"]})
        return Parsed({"events": _finish(ev, source, path, rej, "iso3")}, rows_read=rows, rejected=rej,
                      partitions={"events": ["source", "date"]}, version=source.upper())


class CAMEO(Reader):
    """The CAMEO event codes with their Goldstein scores (GDELT's table or the ICEWS package's)."""
    name, title = "cameo", "CAMEO event codes with Goldstein scores"
    signatures = {"gdelt": {"cameo_code", "description", "goldstein"}, "icews": {"code", "name", "goldstein"}}
    fold_case = True
    citation = "Gerner, D., Schrodt, P., Yilmaz, O., Abu-Jabr, R. (2002). CAMEO codebook; Goldstein, J. (1992). A Conflict-Cooperation Scale for WEIS Events Data. JCR 36(2)."
    license = "public codebook"
    keys = {"cameo_codes": ["codebook", "cameo_code"]}


    def read(self, path, layout, head):
        from . import frame
        if head.kind == "rda":
            df = frame(path, head)
        else:
            try:
                df = read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
            except InputError:
                # the icews package ships its CAMEO table in Windows-1252
                df = read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="cp1252")
        df.columns = [c.lower() for c in df.columns]
        rows = len(df)
        if layout == "icews":
            df = df.drop(columns=["description"], errors="ignore").rename(columns={"code": "cameo_code", "name": "description"})
        code = df["cameo_code"].astype(str).str.strip()
        if "root_code" in df.columns:
            # the icews package's CSV stores codes as numbers, dropping the leading zero of roots 01-09
            root = pd.to_numeric(df["root_code"], errors="coerce")
            code = code.where(~((root < 10) & ~code.str.startswith("0")), "0" + code)
        code = code.where(code.str.len() != 1, code.str.zfill(2))
        bad = ~code.str.fullmatch(r"\d{2,4}[a-z]?")
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise InputError(f"not a CAMEO code: {show(code.iloc[i])}", file=str(path), line=i + 2, field="cameo_code", expected="2 to 4 digits")
        out = pd.DataFrame({"codebook": layout, "cameo_code": code, "description": df["description"].astype(str),
                            "goldstein": pd.to_numeric(df["goldstein"], errors="coerce")})
        out["root_code"] = out["cameo_code"].str[:2]
        out["quad_class"] = quad_class(out["root_code"])
        check_duplicates(out, ["cameo_code"], path, what="CAMEO code")
        return Parsed({"cameo_codes": out.reset_index(drop=True)}, rows_read=rows, version=f"CAMEO ({layout} codebook)",
                      partitions={"cameo_codes": ["codebook"]})
