"""Alliances, IGOs, trade agreements, capabilities and trade from the peace-science datasets,
as shipped by the R packages peacesciencer, igoR and manytrade (CSV or .rda)."""
from __future__ import annotations

from collections import Counter

import pandas as pd

from ..errors import InputError, show
from .base import Parsed, check_duplicates, map_countries
from .tabular import TableSpec, TabularReader

PS = "peacesciencer (Miller 2022, Conflict Management and Peace Science)"


class ATOP(TabularReader):
    """ATOP alliance obligations, directed dyad-years (defense, offense, neutrality, non-aggression,
    consultation)."""
    name, title = "atop", "ATOP alliances, directed dyad-years"
    citation = "Leeds, B. A., Ritter, J., Mitchell, S., Long, A. (2002). Alliance Treaty Obligations and Provisions, 1815-1944. International Interactions 28:237-260. ATOP v5 (the release: `multipolar data status`) via " + PS
    license = "free with citation"
    specs = [TableSpec("directed_dyad_year", "atop_alliance", {"ccode1", "ccode2", "year", "atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"},
                       countries={"ccode1": "code_a", "ccode2": "code_b"}, key=["code_a", "code_b", "year"], version="ATOP")]


def _igo_long(df, path, rej):
    """COW IGO format 3 state-year: one column per organisation -> long rows of memberships."""
    import numpy as np
    idcols = ["ccode", "year", "state", "__line"]
    igos = [c for c in df.columns if c not in idcols]
    vals = df[igos].apply(pd.to_numeric, errors="coerce").to_numpy()
    bad = ~np.isin(vals, [0, 1, 2, 3, -9, -1])
    if bad.any():
        i, j = (int(x[0]) for x in np.nonzero(bad))
        raise InputError(f"unknown membership code {show(vals[i, j])} for {igos[j]} in {df['year'].iloc[i]}", file=str(path), line=i + 2, field=igos[j],
                         expected="0 none, 1 full, 2 associate, 3 observer, -9 missing, -1 state did not exist")
    rej["membership cell coded missing (-9)"] += int((vals == -9).sum())
    i, j = np.nonzero(np.isin(vals, [1, 2, 3]))
    status = np.array(["", "full", "associate", "observer"])[vals[i, j].astype(int)]
    return pd.DataFrame({"ccode": df["ccode"].to_numpy()[i], "year": df["year"].to_numpy()[i],
                         "igo": np.array(igos)[j], "status": status})


class COWIGO(TabularReader):
    """COW IGO v3: shared memberships per dyad-year, counts per state-year, and the state-year membership
    table."""
    name, title = "cow_igo", "COW Intergovernmental Organizations v3"
    citation = "Pevehouse, J., Nordstrom, T., McManus, R., Jamison, A. (2020). Tracking Organizations in the World: The Correlates of War IGO Version 3.0 Datasets. Journal of Peace Research 57(3)."
    license = "free with citation"
    specs = [
        TableSpec("dyad_year", "cow_igo_dyad", {"ccode1", "ccode2", "year", "dyadigos"}, countries={"ccode1": "code_a", "ccode2": "code_b"},
                  key=["code_a", "code_b", "year"], version="COW IGO"),
        TableSpec("state_year_counts", "cow_igo_state", {"ccode", "year", "sum_igo_full", "sum_igo_anytype"}, countries={"ccode": "code"},
                  key=["code", "year"], version="COW IGO"),
        TableSpec("state_year_format3", "cow_igo_membership", {"ccode", "year", "state", "nato", "un", "asean"}, countries={"ccode": "code"},
                  key=["code", "year", "igo"], transform=_igo_long, version="COW IGO format 3 (igoR)"),
    ]

    def sniff(self, head):
        cols = set(head.columns) | {c for v in head.objects.values() for c in v}
        if {"ioname", "orgname", "year"} <= cols:
            return "igo_year_format3"
        return super().sniff(head)

    def read(self, path, layout, head):
        if layout == "igo_year_format3":
            raise _Skip("the organisation-year layout holds the same memberships as the state-year file (state_year_format3); import that one")
        return super().read(path, layout, head)


class _Skip(InputError):
    """A recognised file that multipolar deliberately does not import (with the reason)."""
    def __init__(self, why):
        super().__init__(why)
        self.skip = True


class NMC(TabularReader):
    """COW National Material Capabilities, state-years (military spending and personnel, iron and steel,
    energy, population, CINC)."""
    name, title = "nmc", "COW National Material Capabilities"
    citation = "Singer, J. D., Bremer, S., Stuckey, J. (1972). Capability Distribution, Uncertainty, and Major Power War. NMC v6 via " + PS
    license = "free with citation"
    specs = [TableSpec("state_year", "nmc", {"ccode", "year", "milex", "milper", "irst", "pec", "tpop", "upop", "cinc"}, countries={"ccode": "code"},
                       key=["code", "year"], numeric=["milex", "milper", "irst", "pec", "tpop", "upop", "cinc"], version="COW NMC")]

    def read(self, path, layout, head):
        p = super().read(path, layout, head)
        t = p.tables["nmc"]
        for c in ["milex", "milper", "irst", "pec", "tpop", "upop"]:
            t.loc[t[c] < 0, c] = None      # COW codes missing as -9
        return p


class COWTrade(TabularReader):
    """COW Trade: national totals per state-year, or dyadic flows both ways."""
    name, title = "cow_trade", "COW Trade (national totals or dyadic)"
    citation = "Barbieri, K., Keshk, O. (2016). Correlates of War Project Trade Data Set Codebook, Version 4.0."
    license = "free with citation"
    specs = [
        TableSpec("state_year", "cow_trade_state", {"ccode", "year", "imports", "exports"}, countries={"ccode": "code"}, key=["code", "year"],
                  numeric=["imports", "exports"], version="COW Trade", exact=False),
        TableSpec("dyadic", "cow_trade_dyad", {"ccode1", "ccode2", "year", "flow1", "flow2"}, countries={"ccode1": "code_a", "ccode2": "code_b"},
                  key=["code_a", "code_b", "year"], numeric=["flow1", "flow2"], version="COW Trade dyadic"),
    ]

    def read(self, path, layout, head):
        p = super().read(path, layout, head)
        for t in p.tables.values():
            for c in ("imports", "exports", "flow1", "flow2"):
                if c in t.columns:
                    t.loc[t[c] < 0, c] = None   # -9: missing
        return p


# manytrade's own codes that are not ISO 3166 (documented, never guessed): None = not a state here
MANYTRADE_CODES = {"ALG": "DZA", "BUL": "BGR", "FIJ": "FJI", "KOS": "XKX", "CHN - TWN": "TWN",
                   "EC": None, "EFTA": None,          # organisations that sign agreements as parties
                   "SRB - YUG": None, "GIN - GNQ": None,   # ambiguous combined codes
                   "FNJ": None}                       # the Funj Sultanate of Sennar: before the state system


class Manytrade(TabularReader):
    """Trade-agreement memberships from manytrade (DESTA, GPTAD, HUGGO) or its memberships.rda."""
    name, title = "desta", "Trade agreement memberships (DESTA / manytrade)"
    citation = "Dür, A., Baccini, L., Elsig, M. (2014). The Design of International Trade Agreements: Introducing a New Dataset. Review of International Organizations 9(3); manytrade (globalgov), CC BY 4.0."
    license = "CC BY 4.0"
    keys = {"trade_agreements": ["database", "manyID", "code"]}
    signatures = {"DESTA": {"manyID", "stateID", "Title", "Begin", "destaID"}}

    def sniff(self, head):
        cols = set(head.columns) | {c for v in head.objects.values() for c in v}
        if {"manyID", "stateID", "Title", "Begin"} <= cols:
            if "destaID" in cols and "gptadID" not in cols:
                return "DESTA"
            if "gptadID" in cols and "destaID" not in cols:
                return "GPTAD"
            if {"StateForce", "StateEnd"} <= cols:
                return "HUGGO"
            return "manytrade"
        return None

    def read(self, path, layout, head):
        from . import frame
        df = frame(path, head, dtype=str)
        rows = len(df)
        rej = Counter()
        check_duplicates(df.drop(columns="__line"), None, path)   # an exact repeated line
        def year_of(s):
            return pd.to_numeric(s.astype("string").str.extract(r"(\d{4})")[0], errors="coerce")
        force = df["StateForce"] if "StateForce" in df.columns and df["StateForce"].notna().any() else df.get("Force")
        df = df.assign(
            database=layout, agreement=df["Title"],
            year_signed=year_of(df["Signature"] if "Signature" in df.columns else df.get("StateSignature", df["Begin"])),
            year_in_force=year_of(force) if force is not None else None,
            year_begin=year_of(df["Begin"]),
            year_end=year_of(df["StateEnd"]) if "StateEnd" in df.columns else None,
        )
        df["year"] = df["year_begin"]
        df = map_countries(df, "stateID", system="iso3", year="year", path=path, rejected=rej, strict=True, overrides=MANYTRADE_CODES)
        out = df[["database", "manyID", "agreement", "code", "year_signed", "year_in_force", "year_begin", "year_end"]].drop_duplicates(["database", "manyID", "code"])
        rej["further events of one membership (accession, amendment) on other rows"] += len(df) - len(out)
        return Parsed({"trade_agreements": out.reset_index(drop=True)}, rows_read=rows, rejected=rej,
                      partitions={"trade_agreements": ["database"]}, version=f"manytrade {layout}")


READERS = [ATOP(), COWIGO(), NMC(), COWTrade(), Manytrade()]
