"""Economy: World Bank GDP and population, Maddison, CEPII GeoDist, BACI trade, the structural
gravity textbook data, and the partial Eurostat panel."""
from __future__ import annotations

import re
from collections import Counter

import pandas as pd
import pycountry
from pandas._libs.parsers import STR_NA_VALUES as DEFAULT_NA

from ..errors import InputError, show
from .base import CURRENT_YEAR, Parsed, Reader, check_duplicates, check_years, map_countries, read_csv, to_numeric
from .tabular import TableSpec, TabularReader


class WDI(Reader):
    """World Bank WDI as the datahub CSV (Country Name, Country Code, Year, Value).

    The datahub files carry no indicator name: GDP (current US$) has fractional values,
    population whole numbers; the reader tells them apart that way and says so. Name the
    indicator explicitly with ``--source wdi_gdp`` or ``--source wdi_population``.
    """
    name, title = "wdi", "World Bank WDI: GDP (current US$) and population (datahub CSV)"
    citation = "World Bank, World Development Indicators (NY.GDP.MKTP.CD, SP.POP.TOTL), CC BY 4.0; via datahub.io (PDDL)."
    license = "CC BY 4.0"
    keys = {"wdi": ["code", "year", "indicator"]}
    signatures = {"datahub": {"Country Name", "Country Code", "Year", "Value"}}
    indicator: str | None = None

    def sniff(self, head):
        if set(head.columns) == {"Country Name", "Country Code", "Year", "Value"}:
            return self.indicator or "datahub"
        if {"Country Name", "Country Code", "Indicator Name", "Indicator Code"} <= set(head.columns):
            return "wide"
        return None

    def read(self, path, layout, head):
        rej = Counter()
        if layout == "wide":   # the World Bank's own bulk CSV: one column per year
            df = read_csv(path, dtype=str)
            years = [c for c in df.columns if re.fullmatch(r"\d{4}", str(c))]
            df = df.melt(id_vars=["Country Name", "Country Code", "Indicator Code"], value_vars=years, var_name="Year", value_name="Value")
            df = df.rename(columns={"Indicator Code": "indicator"})
        else:
            df = read_csv(path, dtype={"Country Name": str, "Country Code": str})
        rows = len(df)
        df["Year"] = to_numeric(df, "Year", path, integer=True, allow_na=False)
        check_years(df["Year"], path, col="Year", lo=1950)
        df["Value"] = to_numeric(df, "Value", path)
        if layout != "wide":
            ind = layout if layout in ("gdp", "population") else None
            if ind is None:
                frac = (df["Value"].dropna() % 1 != 0).mean()
                ind = "gdp" if frac > 0.5 else "population"
            df["indicator"] = {"gdp": "NY.GDP.MKTP.CD", "population": "SP.POP.TOTL"}[ind]
        check_duplicates(df, ["Country Code", "Year", "indicator"], path)
        df = df.rename(columns={"Year": "year", "Value": "value"})
        df = map_countries(df, "Country Code", system="iso3", year="year", path=path, rejected=rej)
        out = df[["code", "year", "indicator", "value"]].dropna(subset=["value"])
        rej["missing value"] += len(df) - len(out)
        return Parsed({"wdi": out.reset_index(drop=True)}, rows_read=rows, rejected=rej, partitions={"wdi": ["indicator"]},
                      version="WDI via datahub", notes=[f"indicator {out['indicator'].iloc[0] if len(out) else '?'} (told apart by value type)" if layout == 'datahub' else ""])


class WDIGDP(WDI):
    """WDI as GDP (current US$), when named explicitly (``--source wdi_gdp``)."""
    name, indicator = "wdi_gdp", "gdp"

    def sniff(self, head):  # only when named explicitly
        return None


class WDIPopulation(WDI):
    """WDI as population, when named explicitly (``--source wdi_population``)."""
    name, indicator = "wdi_population", "population"

    def sniff(self, head):
        return None


def _mpd_rows(df, path, rej):
    """Maddison's own checks: a year on every row, one row per ISO code and year, and the years before
    1816 (outside the state system) counted and left out."""
    df = df.rename(columns={"countrycode": "ISO"})
    to_numeric(df, "year", path, allow_na=False)
    check_duplicates(df, ["ISO", "year"], path)
    keep = df["year"] >= 1816
    rej["before 1816 (outside the state system)"] += int((~keep).sum())
    return df[keep].copy()


class Maddison(TabularReader):
    """The Maddison Project Database (ISO code or countrycode, year, gdppc, pop); former states (SUN,
    YUG, CSK) stand under their ISO codes and resolve to the state of the year."""
    name, title = "maddison", "Maddison Project Database 2023"
    citation = "Bolt, J., van Zanden, J. L. (2024). Maddison style estimates of the evolution of the world economy: A new 2023 update. Journal of Economic Surveys. CC BY 4.0."
    license = "CC BY 4.0"
    specs = [TableSpec("mpd", "maddison", ({"ISO", "year", "gdppc", "pop"}, {"countrycode", "year", "gdppc", "pop"}),
                       countries={"ISO": "code"}, system="iso3", key=["code", "year"], numeric=["gdppc", "pop"],
                       year_range=(1, 2100), transform=_mpd_rows, rename={"gdppc": "gdppc_2011usd", "pop": "pop_thousands"},
                       columns=["code", "year", "gdppc_2011usd", "pop_thousands"], version="MPD 2023")]


class GeoDist(Reader):
    """CEPII GeoDist: the dyadic file (distances, contiguity, language, colonial ties) and the country file,
    resolved to today's states."""
    name, title = "geodist", "CEPII GeoDist: distances, contiguity, language, colonial ties"
    citation = "Mayer, T., Zignago, S. (2011). Notes on CEPII's distances measures: the GeoDist Database. CEPII Working Paper 2011-25. Etalab 2.0."
    license = "Etalab Open Licence 2.0"
    keys = {"geodist_dyad": ["code_o", "code_d"], "geodist_country": ["code"]}
    signatures = {"dist": {"iso_o", "iso_d", "dist", "contig", "comlang_off", "colony"}, "geo": {"iso3", "cnum", "country", "landlocked", "lat", "lon"}}

    def read(self, path, layout, head):
        from . import frame
        if head.kind in ("csv", "tsv"):
            # Namibia's ISO2 code 'NA' is a code, not a missing value (the .rda holds 'NA' as text): no column of
            # codes or names takes pandas' missing-value strings, the others do
            codes = {"iso2", "iso3", "iso_o", "iso_d", "country", "pays", "city_en", "city_fr"}
            na = {c: ([""] if c in codes else list(DEFAULT_NA)) for c in head.columns}
            df = frame(path, head, keep_default_na=False, na_values=na)
        else:
            df = frame(path, head)
        rows = len(df)
        rej = Counter()
        # GeoDist is a static cross-section of 2006 codes: resolve to today's states,
        # and to the code's holder in 2006 for ROM (Romania's old CEPII code) and YUG (Serbia and Montenegro)
        over = {"ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "YUG": "SCG", "PAL": None}
        if layout == "dist":
            for c, o in (("iso_o", "code_o"), ("iso_d", "code_d")):
                df = map_countries(df, c, system="iso3", path=path, out=o, rejected=rej, overrides=over)
            out = df.drop(columns=["iso_o", "iso_d"])
            out = out[["code_o", "code_d"] + [c for c in out.columns if c not in ("code_o", "code_d")]]
            check_duplicates(out, ["code_o", "code_d"], path)
            return Parsed({"geodist_dyad": out.reset_index(drop=True)}, rows_read=rows, rejected=rej, version="GeoDist 2011")
        df = map_countries(df, "iso3", system="iso3", path=path, rejected=rej, overrides=over)
        out = df.drop_duplicates("code", keep="first")  # GeoDist lists some countries twice (two main cities)
        rej["second main city of a country"] += len(df) - len(out)
        return Parsed({"geodist_country": out.reset_index(drop=True)}, rows_read=rows, rejected=rej, version="GeoDist 2011")


# BACI numeric country codes are ISO 3166 numeric except these (CEPII's own codes).
BACI_EXCEPTIONS = {251: "FRA", 579: "NOR", 699: "IND", 757: "CHE", 842: "USA", 490: "TWN", 58: "BEL", 711: "ZAF", 381: "ITA", 280: "DEU", 736: "SDN", 729: "SDN", 891: "SCG", 868: None}


def baci_code_table() -> pd.DataFrame:
    """BACI's numeric country codes (num) with the ISO3 codes they stand for: current and historic ISO
    countries and BACI's own exceptions."""
    rows = []
    for c in pycountry.historic_countries:
        if getattr(c, "numeric", None):
            rows.append((int(c.numeric), c.alpha_3))
    for c in pycountry.countries:
        rows.append((int(c.numeric), c.alpha_3))
    for k, v in BACI_EXCEPTIONS.items():
        rows.append((k, v))
    df = pd.DataFrame(rows, columns=["num", "iso3"]).drop_duplicates("num", keep="last")
    return df


class BACI(Reader):
    """CEPII BACI bilateral trade: t (year), i (exporter), j (importer), k (HS6), v (kUSD), q (tonnes).

    Country codes are BACI's numeric codes (ISO numeric with a few CEPII exceptions: 251 France,
    579 Norway, 699 India, 757 Switzerland, 842 USA, 490 'Other Asia nes' = Taiwan, 58 Belgium-
    Luxembourg before 1999). Rows are partitioned by year, so yearly BACI files add up.
    """
    name, title = "baci", "CEPII BACI bilateral trade (HS6)"
    citation = "Gaulier, G., Zignago, S. (2010). BACI: International Trade Database at the Product-Level. CEPII Working Paper 2010-23. Etalab 2.0."
    license = "Etalab Open Licence 2.0"
    keys = {"baci_trade": ["year", "exporter", "importer", "hs6"], "baci_countries": ["num"], "baci_products": ["hs6"]}
    signatures = {"trade": {"t", "i", "j", "k", "v", "q"}, "countries": {"country_code", "country_name", "country_iso3"}}

    def sniff(self, head):
        cols = [c.strip().lower() for c in head.columns]
        if set(cols) == {"t", "i", "j", "k", "v", "q"}:
            return "trade"
        if {"country_code", "country_name", "country_iso3"} <= set(cols):
            return "countries"
        if set(cols) == {"code", "description"} and head.sample is None:
            return "products" if re.match(r"^\d{6},", _second_line(head.path)) else None
        return None

    def read(self, path, layout, head):
        rej = Counter()
        if layout == "countries":
            df = read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
            df["num"] = to_numeric(df, "country_code", path, integer=True, allow_na=False).astype("int64")
            return Parsed({"baci_countries": df[["num", "country_name", "country_iso3"]]}, rows_read=len(df), version="BACI country codes")
        if layout == "products":
            df = read_csv(path, dtype=str)
            df = df.rename(columns={"code": "hs6"})
            df["hs6"] = df["hs6"].str.zfill(6)
            return Parsed({"baci_products": df}, rows_read=len(df), version="BACI products")
        return self._read_trade(path, head, rej)

    def _read_trade(self, path, head, rej: Counter) -> Parsed:
        """A BACI year has ~9 million lines: parsed, checked and aggregated in DuckDB; only the
        distinct (country, year) keys go through the registry (``map_countries(weight=)``)."""
        import duckdb
        con = duckdb.connect()
        src = (f"read_parquet('{path}')" if head.kind == "parquet" else
               f"read_csv('{path}', header=true, columns={{'t':'INTEGER','i':'INTEGER','j':'INTEGER','k':'VARCHAR','v':'DOUBLE','q':'VARCHAR'}})")
        try:       # insertion order is kept, so rowid + 2 is the line in the file
            con.execute(f"CREATE TABLE raw AS SELECT t, i, j, k, v, q FROM {src}")
        except duckdb.Error as e:
            m = re.search(r"[Ll]ine:? (\d+)", str(e))
            raise InputError(f"cannot parse the BACI file ({str(e).splitlines()[0]})", file=str(path), line=int(m.group(1)) if m else None,
                             expected="columns t,i,j,k,v,q with numbers", hint="download the file again") from None
        rows = con.execute("SELECT count(*) FROM raw").fetchall()[0][0]
        bad = con.execute(f"SELECT rowid, t FROM raw WHERE t < 1988 OR t > {CURRENT_YEAR + 1} ORDER BY rowid LIMIT 1").fetchall()
        if bad:
            raise InputError(f"year {bad[0][1]} out of range", file=str(path), line=bad[0][0] + 2, field="t",
                             expected=f"a year between 1988 and {CURRENT_YEAR + 1}",
                             hint="check the file: a year outside the data's coverage means a corrupted or wrong file")
        dup = con.execute("""SELECT t, i, j, k, max(rowid) FROM (SELECT rowid, t, i, j, k, row_number() OVER (PARTITION BY t, i, j, k ORDER BY rowid) AS n
                             FROM raw) WHERE n = 2 GROUP BY ALL ORDER BY 5 LIMIT 1""").fetchall()
        if dup:
            t, i, j, k, line = dup[0]
            raise InputError(f"duplicate trade flow for {{'t': {t}, 'i': {i}, 'j': {j}, 'k': {show(k)}}}", file=str(path), line=line + 2,
                             field="t,i,j,k", expected="one trade flow per t, i, j, k",
                             hint="remove the duplicated lines or download the original file again")
        codes = baci_code_table()
        con.register("codes", codes)
        maps = {}
        for c, out in (("i", "exporter"), ("j", "importer")):
            keys = con.execute(f"""SELECT r.{c} AS num, r.t AS year, c.iso3, count(*) AS n, min(r.rowid) + 2 AS __line
                                   FROM raw r LEFT JOIN codes c ON c.num = r.{c} GROUP BY ALL ORDER BY __line""").df()
            unknown = keys[keys["iso3"].isna()]
            if len(unknown):
                if unknown["num"].isna().iloc[0]:
                    raise InputError("missing country code", file=str(path), line=int(unknown["__line"].iloc[0]), field=c,
                                     expected="a BACI/ISO numeric country code", hint="download the file again")
                raise InputError(f"unknown BACI country code {int(unknown['num'].iloc[0])}", file=str(path), line=int(unknown["__line"].iloc[0]),
                                 field=c, expected="a BACI/ISO numeric country code", hint="check the file against BACI's country_codes file")
            m = map_countries(keys, "iso3", system="iso3", year="year", path=path, out=out, rejected=rej, weight="n")
            maps[c] = m[["num", "year", out]]
            con.register(f"map_{c}", maps[c])
        # 58 Belgium-Luxembourg and 56 Belgium are one state: their lines are summed
        out = con.execute("""SELECT r.t AS year, mi.exporter, mj.importer, lpad(trim(CAST(r.k AS VARCHAR)), 6, '0') AS hs6,
                                    sum(r.v) AS value_kusd, sum(TRY_CAST(trim(CAST(r.q AS VARCHAR)) AS DOUBLE)) AS quantity_t
                             FROM raw r JOIN map_i mi ON mi.num = r.i AND mi.year = r.t JOIN map_j mj ON mj.num = r.j AND mj.year = r.t
                             GROUP BY ALL ORDER BY year, exporter, importer, hs6""").df()
        n_prod = out["hs6"].nunique()
        product_set = "subset" if n_prod < 1000 else "full"
        return Parsed({"baci_trade": out}, rows_read=rows, rejected=rej, partitions={"baci_trade": ["year"]},
                      version=f"BACI ({product_set}: {n_prod} HS6 products)")


def _second_line(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        f.readline()
        return f.readline()


class Gravity(Reader):
    """The structural gravity data of Yotov, Piermartini, Monteiro & Larch (2016), with internal trade."""
    name, title = "gravity", "Structural gravity textbook data (Yotov et al. 2016)"
    citation = "Yotov, Y., Piermartini, R., Monteiro, J.-A., Larch, M. (2016). An Advanced Guide to Trade Policy Analysis: The Structural Gravity Model. WTO/UNCTAD. CC BY 4.0."
    license = "CC BY 4.0"
    keys = {"gravity_agtpa": ["dataset", "exporter", "importer", "year"]}
    signatures = {"agtpa": tuple({"exporter", "importer", "year", "trade", d} for d in ("dist", "ln_dist", "ldist"))}
    fold_case = True

    def read(self, path, layout, head):
        from . import frame
        df = frame(path, head)
        df.columns = [c.lower() for c in df.columns]
        rows = len(df)
        df["year"] = to_numeric(df, "year", path, integer=True, allow_na=False)
        check_years(df["year"], path, lo=1950)
        df["dataset"] = path.stem
        # the textbook codes Germany DEU and a 'ROM' Romania; internal flows have exporter == importer
        for c in ("exporter", "importer"):
            df[c] = df[c].astype(str).str.upper().replace({"ROM": "ROU"})
            bad = ~df[c].isin({x.alpha_3 for x in pycountry.countries})
            if bad.any():
                i = int(bad.to_numpy().nonzero()[0][0])
                raise InputError(f"unknown country {show(df[c].iloc[i])}", file=str(path), line=i + 2, field=c, expected="an ISO3 code")
        check_duplicates(df, ["dataset", "exporter", "importer", "year"], path)
        for c in df.columns:
            if df[c].dtype.name == "category":
                df[c] = df[c].astype(str)
        return Parsed({"gravity_agtpa": df.reset_index(drop=True)}, rows_read=rows, partitions={"gravity_agtpa": ["dataset"]},
                      version="tradepolicy 0.7.0", notes=["codes kept as ISO3 of the textbook (DEU for Germany throughout)"])


class Eurostat(Reader):
    """The partial Eurostat panel: EU exports (Comext) and four partners' national import statistics.

    Table ``eurostat_trade`` (one row per src_dir, reporter, partner, flow, period):

    ``src_dir`` (the folder of the compilation), ``reporter`` (registry code; ``EU27`` for the
    European Union of 27, ``reporter_kind`` 'group', else 'state'), ``partner`` (registry code),
    ``flow`` ('export'/'import'), ``period`` (as published), ``period_kind``, ``year``, ``month``,
    ``value_eur``.

    **period_kind** says what one row covers: ``'month'`` (``month`` 1-12; a year is complete only
    with its 12 months) or ``'year'`` (the whole calendar year, ``month`` empty): Comext's annual
    totals (period "2019 52 Jan.-Dec.", month 52 in the file) and the national series of
    Kazakhstan, Kyrgyzstan, Uzbekistan and Armenia (period "Y2019"). Yearly rows are already
    years: never add their months.

    Names are resolved with :func:`multipolar.sources.names.resolve_name` (Eurostat's suffixes such
    as "Russian Federation (Russia)" or "Spain (incl. Canary Islands 'XB' from 1997)", and the
    national statistics' spellings listed in ``SOURCE_ALIASES``); reporters and partners that are
    not states (the euro area, the EU in the composition of each date, territories, regions) are
    rejected with their names in the import notes. The compilation holds the monthly EU-member
    exports to Kazakhstan twice, under ``kazahstan_export_eurostat`` and
    ``kazakhstan_export_eurostat``, with equal figures: the repeat is dropped and counted.
    """
    name, title = "eurostat", "Eurostat Comext and national statistics (partial panel, EUR)"
    citation = "Eurostat Comext (DS-045409) and national statistics offices, compiled by mary-lev/eu-export-sanctions; Eurostat reuse policy."
    license = "Eurostat reuse with attribution"
    keys = {"eurostat_trade": ["src_dir", "reporter", "partner", "flow", "period"]}
    schema = {"eurostat_trade": ["src_dir", "reporter", "reporter_kind", "partner", "flow", "period", "period_kind", "year", "month", "value_eur"]}
    signatures = {"comext": {"REPORTER", "PARTNER", "FLOW", "PERIOD", "VALUE_IN_EUR"}}

    def read(self, path, layout, head):
        from . import frame
        df = frame(path, head)
        rows = len(df)
        rej = Counter()
        notes: list[str] = []
        df["year"] = to_numeric(df, "year", path, integer=True)
        check_years(df["year"], path, lo=1988)
        df["month"] = to_numeric(df, "month", path, integer=True)
        period = df["PERIOD"].astype(str)
        yearly = period.str.fullmatch(r"Y\d{4}") | period.str.contains(r"Jan\.-Dec\.", regex=True)
        df["period_kind"] = yearly.map({True: "year", False: "month"})
        bad = ~yearly & ~df["month"].between(1, 12).fillna(False)
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise InputError(f"period {show(df['PERIOD'].iloc[i])} is neither a month (month 1-12) nor a year", file=str(path), line=i + 2,
                             field="month", expected="a month 1-12, or a yearly period ('Y2019', '... Jan.-Dec. 2019')",
                             hint="use the file as compiled by mary-lev/eu-export-sanctions")
        df["month"] = df["month"].where(~yearly).astype("Int64")          # 52 = Comext's code for the year, not a month
        # the EU of 27 as a reporter is a group, kept under the code 'EU27' (reporter_kind 'group'); the EU in the
        # composition of each date and the euro area are aggregates (rejected)
        eu = df["REPORTER"].astype(str).str.startswith("European Union - 27 countries")
        over = {n: "EU27" for n in df.loc[eu, "REPORTER"].unique()}
        for c, o in (("REPORTER", "reporter"), ("PARTNER", "partner")):
            df = map_countries(df, c, system="name", year="year", path=path, out=o, rejected=rej, strict=False, drop=True,
                               overrides=over if c == "REPORTER" else None, notes=notes, source="eurostat", system_only=True)
        df["reporter_kind"] = (df["reporter"] == "EU27").map({True: "group", False: "state"})
        df["flow"] = df["FLOW"].astype(str).str.extract(r"(IMPORT|EXPORT)", flags=re.I)[0].str.lower()
        out = df[["src_dir", "reporter", "reporter_kind", "partner", "flow", "PERIOD", "period_kind", "year", "month", "VALUE_IN_EUR"]].rename(
            columns={"PERIOD": "period", "VALUE_IN_EUR": "value_eur"})
        # one figure published under two folders (kazahstan_/kazakhstan_export_eurostat): kept once
        same = ["reporter", "partner", "flow", "period_kind", "year", "month", "value_eur"]
        out = out.sort_values("src_dir", ascending=False, kind="stable")    # keep the copy under 'kazakhstan_...', spelled right
        rep = out.duplicated(same, keep="first") & out.duplicated(same + ["src_dir"], keep=False).eq(False)
        if rep.any():
            dirs = sorted(out.loc[out.duplicated(same, keep=False), "src_dir"].unique())
            rej["the same figure under a second folder"] += int(rep.sum())
            notes.append(f"the same figure under a second folder: {int(rep.sum()):,} rows of {', '.join(dirs)} kept once")
            out = out[~rep]
        key = ["src_dir", "reporter", "partner", "flow", "period"]
        dup = out.duplicated(key, keep=False)
        if dup.any():        # two names of one state in one table: a repeat if the figures agree, else ambiguous
            g = out[dup].groupby(key)["value_eur"].nunique()
            conflict = out.set_index(key).index.isin(g[g > 1].index)
            if conflict.any():
                rej["two names of one state with different figures (both rejected)"] += int(conflict.sum())
                notes.append("two names of one state with different figures (both rejected): " +
                             ", ".join(sorted({f"{r.reporter}/{r.partner} {r.period}" for r in out[conflict].itertuples()})[:40]))
                out = out[~conflict]
            d2 = out.duplicated(key, keep="first")
            rej["duplicate rows"] += int(d2.sum())
            out = out[~d2]
        out = out.sort_index()
        out["year"] = out["year"].astype("int64")
        out["period_kind"] = out["period_kind"].astype("string")
        return Parsed({"eurostat_trade": out.reset_index(drop=True)}, rows_read=rows, rejected=rej, version="Comext extract @4b6a5df",
                      notes=notes)
