"""Militarised disputes, wars, rivalries, armed conflict and contiguity (peacesciencer tables)."""
from __future__ import annotations

from .peacescience import PS
from .tabular import TableSpec, TabularReader


class MID(TabularReader):
    name, title = "mid", "Militarized interstate disputes, directed dyad-years (COW MID, GML MID)"
    citation = ("Palmer, G. et al. (2022). The MID5 Dataset, 2011-2014. Conflict Management and Peace Science 39(4); "
                "Gibler, D., Miller, S., Little, E. (2016). An Analysis of the Militarized Interstate Dispute Dataset, 1816-2001. ISQ 60(4). Via " + PS)
    license = "free with citation"
    specs = [
        TableSpec("gml_directed", "mid_gml", {"dispnum", "ccode1", "ccode2", "year", "midonset", "hostlev1", "version"}, countries={"ccode1": "code_a", "ccode2": "code_b"},
                  key=["dispnum", "code_a", "code_b", "year"], version="GML MID 2.2.1"),
        TableSpec("cow_directed", "mid_cow", {"dispnum", "ccode1", "ccode2", "year", "disponset", "hostlev1"}, countries={"ccode1": "code_a", "ccode2": "code_b"},
                  key=["dispnum", "code_a", "code_b", "year"], version="COW MID 5"),
    ]


class Wars(TabularReader):
    name, title = "cow_war", "COW inter-state wars, directed dyad-years"
    citation = "Sarkees, M. R., Wayman, F. (2010). Resort to War: 1816-2007. CQ Press. COW War v4 via " + PS
    license = "free with citation"
    specs = [TableSpec("inter_directed", "cow_war_inter", {"warnum", "ccode1", "ccode2", "year", "cowinterongoing"}, countries={"ccode1": "code_a", "ccode2": "code_b"},
                       key=[], version="COW War 4.0")]


class Rivalries(TabularReader):
    name, title = "rivalries", "Strategic rivalries (Thompson & Dreyer; Thompson, Sakuwa & Suhas)"
    citation = "Thompson, W. R., Dreyer, D. (2012). Handbook of International Rivalries. CQ Press; Thompson, Sakuwa, Suhas (2021). Via " + PS
    license = "free with citation"
    specs = [
        TableSpec("td", "rivalries_td", {"rivalryno", "rivalryname", "ccode1", "ccode2", "styear", "endyear"}, countries={"ccode1": "code_a", "ccode2": "code_b"},
                  year="endyear", key=["rivalryno"], version="Thompson-Dreyer 2012", strict=False, year_range=(1400, 2100)),
        TableSpec("tss", "rivalries_tss", {"tssr_id", "rivalry", "ccode1", "ccode2", "start", "end"}, countries={"ccode1": "code_a", "ccode2": "code_b"},
                  year="end", key=["tssr_id"], version="Thompson-Sakuwa-Suhas 2021", strict=False, year_range=(1400, 2100)),
    ]


class UCDP(TabularReader):
    name, title = "ucdp", "UCDP/PRIO Armed Conflict Dataset (conflict-years)"
    citation = "Gleditsch, N. P. et al. (2002). Armed Conflict 1946-2001: A New Dataset. Journal of Peace Research 39(5); Davies, Pettersson, Öberg (2023). Via " + PS
    license = "CC BY 4.0"
    specs = [TableSpec("acd", "ucdp_acd", {"conflict_id", "year", "gwno_a", "gwno_b", "incompatibility", "intensity_level", "type_of_conflict"},
                       key=[], version="UCDP ACD")]


class Contiguity(TabularReader):
    name, title = "contiguity", "COW direct contiguity (spells)"
    citation = "Stinnett, D. et al. (2002). The Correlates of War Project Direct Contiguity Data, Version 3. CMPS 19(2). Via " + PS
    license = "free with citation"
    specs = [TableSpec("contdir", "contiguity", {"ccode1", "ccode2", "conttype", "stdate", "enddate"}, year=None, key=["ccode1", "ccode2", "stdate"], version="COW contiguity 3.2")]


class MinDist(TabularReader):
    name, title = "mindist", "Minimum distance between states (CShapes via peacesciencer)"
    citation = "Schvitz, G. et al. (2022). Mapping the International System, 1886-2019: The CShapes 2.0 Dataset. JCR 66(1). Via " + PS
    license = "CC BY-NC-SA 4.0"
    specs = [TableSpec("cow_mindist", "mindist", {"ccode1", "ccode2", "year", "mindist"}, countries={"ccode1": "code_a", "ccode2": "code_b"},
                       key=["code_a", "code_b", "year"], version="CShapes 2.0 (COW codes)")]


class Majors(TabularReader):
    name, title = "cow_majors", "COW major powers"
    citation = "Correlates of War Project (2017). State System Membership List, v2016."
    license = "free with citation"
    specs = [TableSpec("majors", "cow_majors", {"ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday", "version"}, year=None, key=["ccode", "styear"], version="COW 2016", exact=True)]


READERS = [MID(), Wars(), Rivalries(), UCDP(), Contiguity(), MinDist(), Majors()]
