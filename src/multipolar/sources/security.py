"""Sanctions (Global Sanctions Database) and arms transfers (SIPRI)."""
from __future__ import annotations

import re
from collections import Counter

re_number = re.compile(r"-?\d+(\.\d+)?")

import pandas as pd

from ..actors.registry import registry
from ..errors import InputError, UnknownCountryError, show
from .base import Parsed, Reader, check_duplicates, check_years, map_countries, read_csv, to_numeric
from .names import name_key, resolve_name, source_aliases

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
    """The parties of a GSDB comma list, keeping names that contain a comma whole."""
    s = str(s)
    for i, n in enumerate(COMMA_NAMES):
        s = s.replace(n, f"\x00{i}\x00")
    parts = [p.strip() for p in s.split(",") if p.strip()]
    return [re.sub(r"\x00(\d+)\x00", lambda m: COMMA_NAMES[int(m.group(1))], p) for p in parts]


def gsdb_resolve(name: str, year: int, begin: int | None = None) -> tuple[str | None, str]:
    """(code, kind) of one GSDB party in ``year`` of a case that began in ``begin``.

    Organisations are kind 'organisation' without a code (the dyad measures expand some to their
    member states); groups and movements 'non-state'. A state's name resolves *with the year*
    only (:func:`multipolar.sources.names.resolve_name`, source 'gsdb', states of the system):
    GSDB's documented names for later states ('South Vietnam' for Vietnam from 1976, 'Yemen, North'
    for the Republic of Yemen from 1990, 'Germany' for West Germany to 1990) apply inside their
    years and to cases that began inside them. A party that was not a state in ``year`` gets no
    code and the kind says why ('state-not-existing', 'not-system-member', 'ambiguous'). A name
    nobody knows raises :class:`UnknownCountryError`.
    """
    if name in GSDB_ORGS:
        return None, "organisation"
    if name in GSDB_NONSTATE or name.startswith("Terrorist Organizations"):
        return None, "non-state"
    r = resolve_name(name, year=year, source="gsdb", system_only=True, alias_year=begin)
    if r.kind == "unknown":
        raise UnknownCountryError(name, suggestions=registry().suggest(name), reason="not a known state or organisation")
    if r.kind in ("territory", "aggregate"):
        return None, "non-state"
    return r.code, r.kind


#: kinds of a GSDB party-year without a code that are rejections (the party is a state's name)
GSDB_REJECTED_KINDS = {"state-not-existing": "not a state of the system that year",
                       "not-system-member": "not a member of the state system that year",
                       "ambiguous": "ambiguous name that year"}


class GSDB(Reader):
    """Global Sanctions Database V3, case level.

    Tables: ``sanction_cases`` (the file's rows), ``sanction_party_years`` (case_id, role, party,
    year, code, kind): one row per party of each case in every year from ``begin`` to ``end`` (a
    missing end: the begin year), its code resolved for that year (cases span decades: the USSR,
    then Russia); ``code`` is empty for organisations (kind 'organisation', expanded to their
    members by the dyad measures), groups ('non-state') and for a state's name in a year when it
    was not a state of the system ('state-not-existing', ...: counted and named in the import
    report). ``sanction_parties`` (case_id, role, party, code, kind) is kept for compatibility: one
    row per party, with its code in the first year of the case in which it is a state.

    **Terms:** research use with citation, not an open licence. multipolar imports a user's own
    copy and never ships its rows or values derived from them.
    """
    name, title = "gsdb", "Global Sanctions Database (GSDB V3), cases"
    citation = ("Felbermayr, G., Kirilakha, A., Syropoulos, C., Yalcin, E., Yotov, Y. (2020). The Global Sanctions Data Base. "
                "European Economic Review 129; Syropoulos et al. (2024), GSDB V3. Research use with citation.")
    license = "research use with citation (not open; never shipped)"
    # every table is replaced whole by each import (no partitions): one file holds all cases
    keys = {"sanction_cases": ["case_id"], "sanction_parties": ["case_id", "role", "party"],
            "sanction_party_years": ["case_id", "role", "party", "year"]}
    schema = {"sanction_party_years": ["case_id", "role", "party", "year", "code", "kind"]}
    signatures = {"case_level": {"case_id", "sanctioned_state", "sanctioning_state", "begin", "end", "trade", "arms", "financial"}}

    def read(self, path, layout, head):
        from . import frame
        df = frame(path, head)
        rows = len(df)
        df["case_id"] = to_numeric(df, "case_id", path, integer=True, allow_na=False).astype("int64")
        for c in ("begin", "end"):
            df[c] = to_numeric(df, c, path, integer=True)
            check_years(df[c], path, col=c, lo=1940)
        check_duplicates(df, ["case_id"], path, what="case")
        if df["begin"].isna().any():
            i = int(df["begin"].isna().to_numpy().nonzero()[0][0])
            raise InputError("case without a begin year", file=str(path), line=i + 2, field="begin", expected="the year the case began",
                             hint="the file may be damaged; download it again")
        early = df["end"].notna() & (df["end"] < df["begin"])
        if early.any():
            i = int(early.to_numpy().nonzero()[0][0])
            raise InputError(f"case ends ({df['end'].iloc[i]}) before it begins ({df['begin'].iloc[i]})", file=str(path), line=i + 2,
                             field="end", expected="end >= begin", hint="correct the row, or download the file again")
        years = []
        for i, r in enumerate(df.itertuples(index=False)):
            b = int(r.begin)
            e = int(r.end) if pd.notna(r.end) else b
            for role, col in (("sender", "sanctioning_state"), ("target", "sanctioned_state")):
                for p in split_parties(getattr(r, col)):
                    for y in range(b, e + 1):
                        try:
                            code, kind = gsdb_resolve(p, y, b)
                        except UnknownCountryError as err:
                            raise InputError(f"unknown sanctions party {show(p)}", file=str(path), line=i + 2, field=col,
                                             expected="a state name, or an organisation multipolar knows" + (f"; did you mean {', '.join(err.suggestions)}?" if err.suggestions else ""),
                                             hint="correct the name, or add the organisation to multipolar.sources.security.GSDB_ORGS") from None
                        years.append((r.case_id, role, p, y, code, kind, col, b))
        py = pd.DataFrame(years, columns=["case_id", "role", "party", "year", "code", "kind", "_col", "_begin"])
        py = py.drop_duplicates(["case_id", "role", "party", "year"]).reset_index(drop=True)
        rej, notes = Counter(), ["licence: research use; never exported into the embedded snapshot"]
        # rejections, named: the party, its years, its cases
        bad = py[py["kind"].isin(list(GSDB_REJECTED_KINDS))]
        for (kind, col), g in bad.groupby(["kind", "_col"], sort=True):
            reason = f"party-years: {GSDB_REJECTED_KINDS[kind]} ({col})"
            rej[reason] += len(g)
            parts = [f"{party} {x.year.min()}{'' if x.year.min() == x.year.max() else '–' + str(x.year.max())} ×{len(x)} "
                     f"(case {', '.join(map(str, sorted(x.case_id.unique())[:8]))}"
                     f"{', ...' if x.case_id.nunique() > 8 else ''})" for party, x in g.groupby("party")]
            notes.append(f"{reason}, kept without a code: " + "; ".join(parts))
        # documented source aliases that were applied, named
        al = source_aliases("gsdb")
        for party, g in py[py["code"].notna()].groupby("party"):
            for a in al.get(name_key(party), []):
                hit = g[g["year"].map(a.covers) & g["_begin"].map(a.covers) & (g["code"] == a.code)]
                if len(hit):
                    notes.append(f"documented source alias applied: GSDB '{a.name}' {a.first or ''}–{a.last or ''} -> {a.code}: "
                                 f"{len(hit)} party-years, {hit.case_id.nunique()} cases ({a.evidence})")
        py = py.drop(columns=["_col", "_begin"])
        py["year"] = py["year"].astype("int64")
        # the compatibility table: one row per party, its code in the first year it is a state
        first = py.sort_values(["case_id", "role", "party", "year"])
        with_code = first[first["code"].notna()].drop_duplicates(["case_id", "role", "party"])
        pt = first.drop_duplicates(["case_id", "role", "party"])[["case_id", "role", "party", "kind"]].merge(
            with_code[["case_id", "role", "party", "code", "kind"]].rename(columns={"kind": "kind_c"}), on=["case_id", "role", "party"], how="left")
        pt["kind"] = pt["kind_c"].fillna(pt["kind"])
        pt = pt[["case_id", "role", "party", "code", "kind"]]
        cases = df.rename(columns={"sanctioned_state": "target_raw", "sanctioning_state": "sender_raw"})
        for c in cases.columns:
            if cases[c].dtype == object:
                cases[c] = cases[c].astype("string")
        for t in (py, pt):
            for c in ("role", "party", "code", "kind"):
                t[c] = t[c].astype("string")
        return Parsed({"sanction_cases": cases, "sanction_parties": pt.reset_index(drop=True), "sanction_party_years": py},
                      rows_read=rows, rejected=rej, version="GSDB V3", notes=notes)


#: SIPRI's spellings of states' names (undated: each is still checked against the state's existence
#: in the row's year; SIPRI's dated usages - 'Germany' for West Germany to 1990, 'Yemen', 'Serbia',
#: 'Russia' - are in multipolar.sources.names.SOURCE_ALIASES). None: not a state.
SIPRI_ALIASES = {"Turkiye": "TUR", "Soviet Union": "SUN", "Czechia": "CZE", "UAE": "ARE", "Viet Nam": "VNM", "North Vietnam": "VNM",
                 "Bosnia-Herzegovina": "BIH", "DR Congo": "COD", "Congo": "COG", "Cote d'Ivoire": "CIV", "Macedonia": "MKD",
                 "North Macedonia": "MKD", "Eswatini": "SWZ", "Swaziland": "SWZ", "East Germany (GDR)": "DDR", "West Germany (FRG)": "GFR",
                 "South Vietnam": "RVN", "Yemen Arab Republic (North Yemen)": "YAR", "Yemen Arab Republic": "YAR", "South Yemen": "YMD",
                 "North Yemen": "YAR", "Libya GNC": None, "Libya HoR": None, "Timor-Leste": "TLS", "Micronesia": "FSM"}


# Secessionist governments that SIPRI lists without the * mark of non-state actors.
SIPRI_NON_STATE = {"Biafra", "Katanga"}

#: kinds of a SIPRI party that names a state but gets no code, and what the report says
SIPRI_REJECTED_KINDS = {"state-not-existing": "not a state of the system that year",
                        "not-system-member": "not a member of the state system that year",
                        "ambiguous": "ambiguous name that year", "no-year": "no year to resolve the name",
                        "unknown": "a name the registry does not know, without a COW code"}


def _sipri_code(name: str, year: int | None, strict: bool, path, line, field):
    """(code, kind) of a SIPRI party in ``year`` (the order year of a deal, the year of a TIV row).

    Non-state actors and organisations (marked * and **, 'unknown ...', Biafra, Katanga) are
    'non-state'; a name is resolved for its year only (:func:`multipolar.sources.names.resolve_name`
    with SIPRI's documented names, states of the system): a state's name outside the state's
    existence that year gets no code and a kind that says why ('state-not-existing', ...). An
    unknown name is an error (``strict``) or kind 'unknown'.
    """
    n = str(name).strip()
    if n.endswith("*") or n.lower().startswith("unknown") or n in SIPRI_NON_STATE:
        return None, "non-state"
    if n in ("", "None", "nan") or re_number.fullmatch(n):
        return None, "malformed"
    if year is None or year != year:
        return None, "no-year"
    if n in SIPRI_ALIASES:
        c = SIPRI_ALIASES[n]
        if c is None:
            return None, "non-state"
        st = registry().get(c)
        if st.exists(year=int(year)):
            return c, "state"
        return None, ("not-system-member" if st.exists(year=int(year), system_only=False) else "state-not-existing")
    r = resolve_name(n, year=int(year), source="sipri", system_only=True)
    if r.ok:
        return r.code, "state"
    if r.kind == "unknown":
        if strict:
            sugg = registry().suggest(n)
            raise InputError(f"unknown supplier/recipient {show(n)}", file=str(path), line=line, field=field,
                             expected="a state name" + (f"; did you mean {', '.join(sugg)}?" if sugg else ""),
                             hint="add the name to multipolar.sources.security.SIPRI_ALIASES")
        return None, "unknown"
    return None, ("non-state" if r.kind in ("aggregate", "organisation") else r.kind)


def _named_rejections(df: pd.DataFrame, name_col: str, kind_col: str, year_col: str, what: str) -> tuple[Counter, list[str]]:
    """Counts and a note per rejection kind of SIPRI names: 'name years ×n' (largest first)."""
    rej, notes = Counter(), []
    bad = df[df[kind_col].isin(list(SIPRI_REJECTED_KINDS))]
    for kind, g in bad.groupby(kind_col, sort=True):
        reason = f"{SIPRI_REJECTED_KINDS[kind]} ({name_col})"
        rej[reason] += len(g)
        s = g.groupby(name_col)[year_col].agg(["min", "max", "size"]).sort_values("size", ascending=False)
        notes.append(f"{what}{reason}: " + ", ".join(f"{k} {int(r['min'])}{'' if r['min'] == r['max'] else '–' + str(int(r['max']))} ×{int(r['size'])}"
                                                    for k, r in s.iterrows()))
    return rej, notes


def _alias_notes(df: pd.DataFrame, name_col: str, code_col: str, year_col: str) -> list[str]:
    """The documented SIPRI aliases that gave a code, with their counts."""
    out = []
    for k, rows in source_aliases("sipri").items():
        for a in rows:
            if a.code is None:
                continue
            m = (df[name_col].astype(str).map(name_key) == k) & df[year_col].map(lambda y: a.covers(int(y)) if pd.notna(y) else False)
            m &= df[code_col] == a.code
            if m.any():
                out.append(f"documented source alias applied ({name_col}): SIPRI '{a.name}' {a.first or ''}–{a.last or ''} -> {a.code} ×{int(m.sum())} ({a.evidence})")
    return out


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
            df = df.reset_index(drop=True)
            df["__line"] = df.index + 2
            codes = {}
            for c in ("supplier", "recipient"):
                # names are the key of the approximate table (unknown: an error); the COW table keys on codes
                codes[c] = [_sipri_code(n, int(y), layout == "tiv_approx", path, i + 2, c) for i, (n, y) in enumerate(zip(df[c], df["year"]))]
                df[c + "_code"] = [x[0] for x in codes[c]]
                df[c + "_kind"] = [x[1] for x in codes[c]]
            if layout == "tiv_cow":
                # the publisher's COW codes, except for non-state actors (marked *: Hezbollah carries Lebanon's
                # code 660, the Viet Minh France's 220), which are never a state; rows without a COW code are
                # resolved by their names (Serbia has none in this file)
                for c in ("supplier", "recipient"):
                    cown = to_numeric(df, c + "_cown", path)
                    has = cown.notna() & (df[c + "_kind"] != "non-state")
                    if has.any():
                        sub = map_countries(df.loc[has, [c + "_cown", "year", "__line"]].assign(**{c + "_cown": cown[has]}), c + "_cown",
                                            system="cow", year="year", path=path, out="code", rejected=None, drop=False)
                        df.loc[has, c + "_code"] = sub["code"].to_numpy()
                        df.loc[has, c + "_kind"] = ["state" if pd.notna(x) else "state-not-existing" for x in sub["code"]]
            # each dropped row counted once: for the supplier's reason, else the recipient's; the notes name the parties
            rej, ns = Counter(), []
            for c in ("supplier", "recipient"):
                ns += _named_rejections(df, c, c + "_kind", "year", "rows dropped: ")[1]
                ns += _alias_notes(df, c, c + "_code", "year")
            miss = df["supplier_code"].isna() | df["recipient_code"].isna()
            reason = pd.Series(None, index=df.index, dtype=object)
            for c in ("recipient", "supplier"):     # the supplier's reason wins
                k = df[c + "_kind"]
                named = k.isin(list(SIPRI_REJECTED_KINDS))
                reason[named] = k[named].map(SIPRI_REJECTED_KINDS) + f" ({c})"
            nonstate = miss & reason.isna()
            reason[nonstate] = "non-state supplier or recipient (marked *, organisations, territories)"
            rej.update(reason[miss].value_counts().to_dict())
            if nonstate.any():
                ns_names = pd.concat([df.loc[nonstate & df["supplier_code"].isna(), "supplier"],
                                      df.loc[nonstate & df["recipient_code"].isna(), "recipient"]]).value_counts()
                ns.append("rows dropped: non-state supplier or recipient (marked *, organisations, territories): " +
                          ", ".join(f"{k} ×{v}" for k, v in ns_names.items()))
            df = df[~miss]
            out = pd.DataFrame({"table": layout, "supplier": df["supplier_code"], "recipient": df["recipient_code"],
                                "year": df["year"].astype("int64"), "tiv_mn": pd.to_numeric(df[value])})
            before = len(out)
            merged = out[out.duplicated(["table", "supplier", "recipient", "year"], keep=False)]
            out = out.groupby(["table", "supplier", "recipient", "year"], as_index=False)["tiv_mn"].sum()
            if before != len(out):
                rej["rows merged (two names for one state)"] += before - len(out)
                pairs = sorted({f"{r.supplier}->{r.recipient} {r.year}" for r in merged.itertuples()})
                ns.append(f"rows merged (two names for one state): {', '.join(pairs[:30])}")
            return Parsed({"arms_tiv": out}, rows_read=rows, rejected=rej, partitions={"arms_tiv": ["table"]}, notes=ns,
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
        # numbers of weapons: text in the CSV ("71"), floats in the Parquet (71.0); whole numbers either way
        for c in ("n_ordered", "n_delivered"):
            if c in df.columns:
                df[c] = to_numeric(df, c, path, integer=True)
        df = df.reset_index(drop=True)
        for c in ("supplier", "recipient"):
            codes = [_sipri_code(n, int(y) if pd.notna(y) else None, True, path, i + 2, c) for i, (n, y) in enumerate(zip(df[c], df["order_year"]))]
            df[c + "_code"] = [x[0] for x in codes]
            df[c + "_kind"] = [x[1] for x in codes]
        bad = (df["supplier_kind"] == "malformed") | (df["recipient_kind"] == "malformed")
        rej["malformed row (a number where a supplier or recipient should be)"] += int(bad.sum())
        df = df[~bad].reset_index(drop=True)
        notes = ["empty codes: non-state recipients, and parties that were not states in the order year "
                 "(the kind says why, counted as 'kept without a code')"]
        for c in ("supplier", "recipient"):
            r2, n2 = _named_rejections(df, c, c + "_kind", "order_year", "deals kept without a code: ")
            rej.update({f"deals kept without a code: {k}": v for k, v in r2.items()})
            notes += n2
        for c in ("supplier", "recipient"):
            notes += _alias_notes(df, c, c + "_code", "order_year")
        df.insert(0, "deal_id", range(1, len(df) + 1))
        keep = ["deal_id", "supplier", "supplier_code", "supplier_kind", "recipient", "recipient_code", "recipient_kind", "order_year",
                "weapon_designation", "weapon_description", "n_ordered", "n_delivered", "delivery_years", "status", "comments",
                "tiv_per_unit", "tiv_total_order", "tiv_delivered"]
        out = df[[c for c in keep if c in df.columns]].copy()
        for c in out.columns:
            if out[c].dtype == object:
                out[c] = out[c].astype("string")
        return Parsed({"arms_deals": out}, rows_read=rows, rejected=rej, version="SIPRI trade register 2025", notes=notes)
