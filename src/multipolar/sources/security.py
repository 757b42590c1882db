"""Sanctions (Global Sanctions Database) and arms transfers (SIPRI)."""
from __future__ import annotations

import re
from collections import Counter

re_number = re.compile(r"-?\d+(\.\d+)?")

import pandas as pd

from ..actors.registry import normalise_name, registry
from ..errors import InputError, UnknownCountryError
from .base import NON_STATE_NAMES, Parsed, Reader, check_duplicates, check_years, map_countries, read_csv, to_numeric

# Senders and targets in GSDB that are organisations or groups, not states.
GSDB_ORGS = {"EU", "EEC", "UN", "NATO", "G7", "G8", "ECOWAS", "African Union", "Organisation of African Unity", "League of Arab States",
             "Organization of American States", "OAPEC", "OIC", "OSCE", "CSCE", "MERCOSUR", "NAFTA", "SADC", "UNASUR", "Commonwealth",
             "CoCom", "ChinCom", "Comecon", "EEU", "Pacific Islands Forum", "Kimberly Process Participants",
             "Organization of Eastern Carribean States", "Paris Agreement Signatories", "ICC Rome Statute Signatories"}
# The organisations among them whose dated memberships multipolar holds (actors/data/memberships.csv): in the
# dyad measures, a case they send or receive counts for each of their member states of each year. The UN's
# Security Council cases are not expanded (they would make every member state a sender), nor the groups
# without dated memberships here (the Arab League, ECOWAS, the OAS, CoCom...): those cases stay without a dyad.
GSDB_ORG_MEMBERS = {"EU": "EU", "EEC": "EU", "NATO": "NATO", "G7": "G7", "G8": "G8", "African Union": "AU",
                    "Organisation of African Unity": "AU", "EEU": "EAEU"}
GSDB_NONSTATE = {"Western countries", "Balkans", "Western Balkans", "Hong Kong", "Gibraltar", "Cyprus (Northern)", "Palestine"}
COMMA_NAMES = ["Egypt, Arab Rep.", "Korea, North", "Korea, South", "Gambia, The", "Congo, Democratic Republic of the", "Yemen, North"]


def split_parties(s: str) -> list[str]:
    s = str(s)
    for i, n in enumerate(COMMA_NAMES):
        s = s.replace(n, f"\x00{i}\x00")
    parts = [p.strip() for p in s.split(",") if p.strip()]
    return [re.sub(r"\x00(\d+)\x00", lambda m: COMMA_NAMES[int(m.group(1))], p) for p in parts]


def gsdb_resolve(name: str, year: int) -> tuple[str | None, str]:
    """(code, kind) for one GSDB party. 'Germany' before unification is West Germany in GSDB."""
    if name in GSDB_ORGS:
        return None, "organisation"
    if name in GSDB_NONSTATE or name.startswith("Terrorist Organizations"):
        return None, "non-state"
    if name == "Germany" and year < 1991:
        return "GFR", "state"
    reg = registry()
    try:
        return reg.resolve(name, year=year, system="name"), "state"
    except UnknownCountryError:
        # a state name used for a year just outside its existence (e.g. a case starting on independence)
        return reg.resolve(name, system="name"), "state"


class GSDB(Reader):
    """Global Sanctions Database V3, case level.

    **Terms:** research use with citation, not an open licence. multipolar imports a user's own
    copy and never ships its rows or values derived from them.
    """
    name, title = "gsdb", "Global Sanctions Database (GSDB V3), cases"
    citation = ("Felbermayr, G., Kirilakha, A., Syropoulos, C., Yalcin, E., Yotov, Y. (2020). The Global Sanctions Data Base. "
                "European Economic Review 129; Syropoulos et al. (2024), GSDB V3. Research use with citation.")
    license = "research use with citation (not open; never shipped)"
    keys = {"sanction_cases": ["case_id"], "sanction_parties": ["case_id", "role", "party"]}
    signatures = {"case_level": {"case_id", "sanctioned_state", "sanctioning_state", "begin", "end", "trade", "arms", "financial"}}

    def sniff(self, head):
        if {"case_id", "sanctioned_state", "sanctioning_state", "begin", "end", "trade", "arms", "financial"} <= set(head.columns):
            return "case_level"
        return None

    def read(self, path, layout, head):
        from . import frame
        df = frame(path, head)
        rows = len(df)
        df["case_id"] = to_numeric(df, "case_id", path, integer=True, allow_na=False).astype("int64")
        for c in ("begin", "end"):
            df[c] = to_numeric(df, c, path, integer=True)
            check_years(df[c], path, col=c, lo=1940)
        check_duplicates(df, ["case_id"], path, what="case")
        parties = []
        for i, r in enumerate(df.itertuples(index=False)):
            for role, col in (("sender", "sanctioning_state"), ("target", "sanctioned_state")):
                for p in split_parties(getattr(r, col)):
                    try:
                        code, kind = gsdb_resolve(p, int(r.begin))
                    except UnknownCountryError as e:
                        raise InputError(f"unknown sanctions party {p!r}", file=str(path), line=i + 2, field=col,
                                         expected="a state name, or an organisation multipolar knows" + (f"; did you mean {', '.join(e.suggestions)}?" if e.suggestions else ""),
                                         hint="correct the name, or add the organisation to multipolar.sources.security.GSDB_ORGS") from None
                    parties.append((r.case_id, role, p, code, kind))
        pt = pd.DataFrame(parties, columns=["case_id", "role", "party", "code", "kind"]).drop_duplicates(["case_id", "role", "party"])
        cases = df.rename(columns={"sanctioned_state": "target_raw", "sanctioning_state": "sender_raw"})
        for c in cases.columns:
            if cases[c].dtype == object:
                cases[c] = cases[c].astype("string")
        return Parsed({"sanction_cases": cases, "sanction_parties": pt}, rows_read=rows, version="GSDB V3",
                      notes=["licence: research use; never exported into the embedded snapshot"])


SIPRI_ALIASES = {"Turkiye": "TUR", "Soviet Union": "SUN", "Czechia": "CZE", "UAE": "ARE", "Viet Nam": "VNM", "North Vietnam": "VNM",
                 "Bosnia-Herzegovina": "BIH", "DR Congo": "COD", "Congo": "COG", "Cote d'Ivoire": "CIV", "Macedonia": "MKD",
                 "North Macedonia": "MKD", "Eswatini": "SWZ", "Swaziland": "SWZ", "East Germany (GDR)": "DDR", "West Germany (FRG)": "GFR",
                 "Germany (FRG)": None, "South Vietnam": "RVN", "Yemen Arab Republic (North Yemen)": "YAR", "South Yemen": "YMD",
                 "North Yemen": "YAR", "Libya GNC": None, "Libya HoR": None, "Timor-Leste": "TLS", "Micronesia": "FSM"}


# Secessionist governments that SIPRI lists without the * mark of non-state actors.
SIPRI_NON_STATE = {"Biafra", "Katanga"}


def _sipri_code(name: str, year: int, strict: bool, path, line, field):
    """Registry code of a SIPRI party, or None for non-state actors and organisations (marked * and **)."""
    n = str(name).strip()
    if n.endswith("*") or n.lower().startswith("unknown") or n in SIPRI_NON_STATE:
        return None, "non-state"
    if n in ("", "None", "nan") or re_number.fullmatch(n):
        return None, "malformed"
    if n in SIPRI_ALIASES:
        c = SIPRI_ALIASES[n]
        if c is None:
            return None, "non-state"
        return c, "state"
    if n in ("Germany", "Germany (FRG)") and year < 1991:
        return "GFR", "state"
    reg = registry()
    try:
        return reg.resolve(n, year=year, system="name"), "state"
    except UnknownCountryError as e:
        try:
            # a deal ordered before independence or delivered after a state's end: SIPRI names the state
            return reg.resolve(n, system="name"), "state"
        except UnknownCountryError:
            pass
        kind = NON_STATE_NAMES.get(normalise_name(n))
        if kind:
            return None, kind
        if strict:
            raise InputError(f"unknown supplier/recipient {n!r}", file=str(path), line=line, field=field,
                             expected="a state name" + (f"; did you mean {', '.join(e.suggestions)}?" if e.suggestions else ""),
                             hint="add the name to multipolar.sources.security.SIPRI_ALIASES") from None
        return None, "unknown"


class SIPRI(Reader):
    """SIPRI Arms Transfers Database: the trade register and supplier-recipient-year TIV tables."""
    name, title = "sipri", "SIPRI Arms Transfers Database (trade register, TIV tables)"
    citation = "Stockholm International Peace Research Institute, SIPRI Arms Transfers Database, https://www.sipri.org/databases/armstransfers (free with attribution)."
    license = "free with attribution"
    keys = {"arms_tiv": ["table", "supplier", "recipient", "year"], "arms_deals": ["deal_id"]}
    signatures = {"tiv_approx": {"supplier", "recipient", "year", "tiv_year_approx"},
                  "tiv_cow": {"supplier", "recipient", "year", "value", "supplier_cown", "recipient_cown"}}

    def sniff(self, head):
        cols = {c.strip().lower() for c in head.columns}
        if {"recipient", "supplier", "year of order", "sipri tiv of delivered weapons"} <= cols:
            return "register"
        if {"recipient", "supplier", "order_year", "delivery_years", "tiv_delivered"} <= cols:
            return "register_parquet"
        if {"supplier", "recipient", "year", "value", "supplier_cown", "recipient_cown"} <= cols:
            return "tiv_cow"
        if cols == {"supplier", "recipient", "year", "tiv_year_approx"}:
            return "tiv_approx"
        return None

    def read(self, path, layout, head):
        rej = Counter()
        if layout in ("tiv_cow", "tiv_approx"):
            df = read_csv(path)
            rows = len(df)
            df["year"] = to_numeric(df, "year", path, integer=True, allow_na=False)
            check_years(df["year"], path, lo=1945)
            check_duplicates(df, ["supplier", "recipient", "year"], path, what="supplier-recipient-year")
            value = "value" if layout == "tiv_cow" else "tiv_year_approx"
            if layout == "tiv_cow":
                for c in ("supplier_cown", "recipient_cown"):
                    df[c] = to_numeric(df, c, path)
                nonstate = df["supplier_cown"].isna() | df["recipient_cown"].isna()
                rej["non-state supplier or recipient (no COW code)"] += int(nonstate.sum())
                df = df[~nonstate].reset_index(drop=True)
                df = map_countries(df, "supplier_cown", system="cow", year="year", path=path, out="supplier_code", rejected=rej)
                df = map_countries(df, "recipient_cown", system="cow", year="year", path=path, out="recipient_code", rejected=rej)
            else:
                for c in ("supplier", "recipient"):
                    codes = [_sipri_code(n, y, True, path, i + 2, c) for i, (n, y) in enumerate(zip(df[c], df["year"]))]
                    df[c + "_code"] = [x[0] for x in codes]
                df["supplier_kind"] = [x[1] for x in [_sipri_code(n, y, True, path, 0, "supplier") for n, y in zip(df["supplier"], df["year"])]]
                miss = df["supplier_code"].isna() | df["recipient_code"].isna()
                rej["non-state supplier or recipient"] += int(miss.sum())
                df = df[~miss]
            out = pd.DataFrame({"table": layout, "supplier": df["supplier_code"], "recipient": df["recipient_code"],
                                "year": df["year"].astype("int64"), "tiv_mn": pd.to_numeric(df[value])})
            before = len(out)
            out = out.groupby(["table", "supplier", "recipient", "year"], as_index=False)["tiv_mn"].sum()
            if before != len(out):
                rej["rows merged (two names for one state)"] += before - len(out)
            return Parsed({"arms_tiv": out}, rows_read=rows, rejected=rej, partitions={"arms_tiv": ["table"]},
                          version="SIPRI TIV via 360info (to 2021)" if layout == "tiv_cow" else "derived from the SIPRI register (approximate)")
        # the trade register
        if layout == "register_parquet":
            df = pd.read_parquet(path)
        else:
            df = read_csv(path, dtype=str)
            df.columns = [c.strip() for c in df.columns]
            blanks = [c for c in df.columns if c == "" or c.startswith("Unnamed")]
            ren = {"Recipient": "recipient", "Supplier": "supplier", "Year of order": "order_year", "Number ordered": "n_ordered",
                   "Weapon designation": "weapon_designation", "Weapon description": "weapon_description", "Number delivered": "n_delivered",
                   "Year(s) of delivery": "delivery_years", "status": "status", "Comments": "comments", "SIPRI TIV per unit": "tiv_per_unit",
                   "SIPRI TIV for total order": "tiv_total_order", "SIPRI TIV of delivered weapons": "tiv_delivered"}
            df = df.drop(columns=blanks).rename(columns=ren)
        rows = len(df)
        oy = pd.to_numeric(df["order_year"], errors="coerce")
        bad = oy.notna() & ((oy < 1900) | (oy % 1 != 0))
        rej["order year not a year (data error, e.g. 0.36)"] += int(bad.sum())
        df = df[~bad].copy()
        df["order_year"] = pd.to_numeric(df["order_year"], errors="coerce").astype("Int64")
        for c in ("tiv_per_unit", "tiv_total_order", "tiv_delivered"):
            df[c] = pd.to_numeric(df[c], errors="coerce")
        df = df.reset_index(drop=True)
        for c in ("supplier", "recipient"):
            codes = [_sipri_code(n, int(y) if pd.notna(y) else 2024, True, path, i + 2, c) for i, (n, y) in enumerate(zip(df[c], df["order_year"]))]
            df[c + "_code"] = [x[0] for x in codes]
            df[c + "_kind"] = [x[1] for x in codes]
        bad = (df["supplier_kind"] == "malformed") | (df["recipient_kind"] == "malformed")
        rej["malformed row (a number where a supplier or recipient should be)"] += int(bad.sum())
        df = df[~bad].reset_index(drop=True)
        df.insert(0, "deal_id", range(1, len(df) + 1))
        keep = ["deal_id", "supplier", "supplier_code", "supplier_kind", "recipient", "recipient_code", "recipient_kind", "order_year",
                "weapon_designation", "weapon_description", "n_ordered", "n_delivered", "delivery_years", "status", "comments",
                "tiv_per_unit", "tiv_total_order", "tiv_delivered"]
        out = df[[c for c in keep if c in df.columns]].copy()
        for c in out.columns:
            if out[c].dtype == object:
                out[c] = out[c].astype("string")
        return Parsed({"arms_deals": out}, rows_read=rows, rejected=rej, version="SIPRI trade register 2025",
                      notes=["non-state recipients are kept with an empty code"])
