"""Militarised disputes, wars, rivalries, armed conflict and contiguity (peacesciencer tables)."""
from __future__ import annotations

from .peacescience import PS
from .tabular import TableSpec, TabularReader


class MID(TabularReader):
    """Militarised interstate disputes, directed dyad-years (GML MID and COW MID)."""
    name, title = "mid", "Militarized interstate disputes, directed dyad-years (COW MID, GML MID)"
    citation = ("Palmer, G. et al. (2022). The MID5 Dataset, 2011-2014. Conflict Management and Peace Science 39(4); "
                "Gibler, D., Miller, S., Little, E. (2016). An Analysis of the Militarized Interstate Dispute Dataset, 1816-2001. ISQ 60(4). Via " + PS)
    license = "free with citation"
    specs = [
        TableSpec("gml_directed", "mid_gml", {"dispnum", "ccode1", "ccode2", "year", "midonset", "hostlev1", "version"}, countries={"ccode1": "code_a", "ccode2": "code_b"},
                  key=["dispnum", "code_a", "code_b", "year"], version="GML MID"),
        TableSpec("cow_directed", "mid_cow", {"dispnum", "ccode1", "ccode2", "year", "disponset", "hostlev1"}, countries={"ccode1": "code_a", "ccode2": "code_b"},
                  key=["dispnum", "code_a", "code_b", "year"], version="COW MID"),
    ]


class Wars(TabularReader):
    """COW inter-state wars, directed dyad-years."""
    name, title = "cow_war", "COW inter-state wars, directed dyad-years"
    citation = "Sarkees, M. R., Wayman, F. (2010). Resort to War: 1816-2007. CQ Press. COW War v4 via " + PS
    license = "free with citation"
    specs = [TableSpec("inter_directed", "cow_war_inter", {"warnum", "ccode1", "ccode2", "year", "cowinterongoing"}, countries={"ccode1": "code_a", "ccode2": "code_b"},
                       key=[], version="COW Inter-State War")]


class Rivalries(TabularReader):
    """Strategic rivalries as spells (Thompson & Dreyer; Thompson, Sakuwa & Suhas)."""
    name, title = "rivalries", "Strategic rivalries (Thompson & Dreyer; Thompson, Sakuwa & Suhas)"
    #: rivalries_td: Thompson & Dreyer's strategic rivalries, 1494-2010 (ongoing ones end 2010, the handbook's cut-off);
    #: rivalries_tss: Thompson, Sakuwa & Suhas's, 1494-2020 (ongoing ones end 2020). Both are strategic rivalries
    #: (rivals named by the decision makers' perceptions), not the dispute-based enduring rivalries of Diehl & Goertz.
    citation = ("Thompson, W. R., Dreyer, D. R. (2012). Handbook of International Rivalries, 1494-2010. CQ Press (rivalries_td); "
                "Thompson, W. R., Sakuwa, K., Suhas, P. H. (2021). Analyzing Strategic Rivalries in World Politics: Types of Rivalry, "
                "Regional Variation, and Escalation/De-escalation. Springer (rivalries_tss). Via " + PS)
    license = "free with citation"
    specs = [
        TableSpec("td", "rivalries_td", {"rivalryno", "rivalryname", "ccode1", "ccode2", "styear", "endyear"}, countries={"ccode1": "code_a", "ccode2": "code_b"},
                  year="endyear", key=["rivalryno"], version="Thompson & Dreyer strategic rivalries", strict=False, year_range=(1400, 2100)),
        TableSpec("tss", "rivalries_tss", {"tssr_id", "rivalry", "ccode1", "ccode2", "start", "end"}, countries={"ccode1": "code_a", "ccode2": "code_b"},
                  year="end", key=["tssr_id"], version="Thompson, Sakuwa & Suhas strategic rivalries", strict=False, year_range=(1400, 2100)),
    ]


class UCDP(TabularReader):
    """UCDP/PRIO armed conflicts, conflict-years (the sides as G&W codes)."""
    name, title = "ucdp", "UCDP/PRIO Armed Conflict Dataset (conflict-years)"
    citation = "Gleditsch, N. P. et al. (2002). Armed Conflict 1946-2001: A New Dataset. Journal of Peace Research 39(5); Davies, Pettersson, Öberg (2023). Via " + PS
    license = "CC BY 4.0"
    specs = [TableSpec("acd", "ucdp_acd", {"conflict_id", "year", "gwno_a", "gwno_b", "incompatibility", "intensity_level", "type_of_conflict"},
                       key=[], version="UCDP/PRIO ACD")]


class Contiguity(TabularReader):
    """COW direct contiguity, as dated spells of each pair."""
    name, title = "contiguity", "COW direct contiguity (spells)"
    citation = "Stinnett, D. et al. (2002). The Correlates of War Project Direct Contiguity Data, Version 3. CMPS 19(2). Via " + PS
    license = "free with citation"
    specs = [TableSpec("contdir", "contiguity", {"ccode1", "ccode2", "conttype", "stdate", "enddate"}, year=None, key=["ccode1", "ccode2", "stdate"], version="COW Direct Contiguity")]


class MinDist(TabularReader):
    """The minimum distance between states per dyad-year (CShapes via peacesciencer)."""
    name, title = "mindist", "Minimum distance between states (CShapes via peacesciencer)"
    citation = "Schvitz, G. et al. (2022). Mapping the International System, 1886-2019: The CShapes 2.0 Dataset. JCR 66(1). Via " + PS
    license = "CC BY-NC-SA 4.0"
    specs = [TableSpec("cow_mindist", "mindist", {"ccode1", "ccode2", "year", "mindist"}, countries={"ccode1": "code_a", "ccode2": "code_b"},
                       key=["code_a", "code_b", "year"], version="CShapes minimum distance")]


class Majors(TabularReader):
    """The COW major powers, as spells."""
    name, title = "cow_majors", "COW major powers"
    citation = "Correlates of War Project (2017). State System Membership List, v2016."
    license = "free with citation"
    specs = [TableSpec("majors", "cow_majors", {"ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday", "version"}, year=None, key=["ccode", "styear"], version="COW major powers", exact=True)]


class MaozPowers(TabularReader):
    """Maoz's regional and global powers, as dated spells (a state can be a regional power in one spell
    and a global power in another: one row per spell, the other pair of dates empty)."""
    name, title = "maoz_powers", "Regional and global powers (Maoz 2010)"
    citation = ("Maoz, Z. (2010). Networks of Nations: The Evolution, Structure, and Impact of International Networks, "
                "1816-2001. Cambridge University Press. Via " + PS)
    license = "free with citation"
    specs = [TableSpec("powers", "maoz_powers", {"ccode", "regstdate", "regenddate", "globstdate", "globenddate"}, year=None, key=[],
                       version="Maoz regional and global powers", exact=True)]


READERS = [MID(), Wars(), Rivalries(), UCDP(), Contiguity(), MinDist(), Majors(), MaozPowers()]
