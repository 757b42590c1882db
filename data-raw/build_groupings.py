"""Rebuild ``src/multipolar/actors/data/memberships.csv`` and ``organisations.csv``.

Run:  python data-raw/build_groupings.py

The memberships are compiled by the multipolar developers from each organisation's own
membership pages and founding documents (the ``source`` of every row). Dates are the day a
membership took effect (entry into force or admission), with ``precision`` saying whether the
day, the month or only the year is certain. Status is one of: member, observer, partner,
candidate, suspended, associate, participant.

Cross-checks: ``tests/test_groupings.py`` compares every organisation that COW IGO v3 also
codes (UN, NATO, EEC/EU, CIS, CSTO, SCO, ASEAN, OECD, GCC, OAU/AU, OPEC, Warsaw Pact) for the
years both cover, and compares with the unverified reference list shipped in ../shared.
"""
from __future__ import annotations

import csv
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "multipolar" / "actors" / "data"

ORGS = [
    # org, name, kind, founded, cow_igo columns, source (citation and address)
    ("UN", "United Nations", "universal", "1945-10-24", "un",
     "United Nations, 'Growth in United Nations membership', https://www.un.org/en/about-us/growth-in-un-membership"),
    ("EU", "European Union (EEC 1958, EC, EU from 1993)", "economic/political union", "1958-01-01", "eec|eu",
     "European Union, 'Country profiles' and enlargement history, https://european-union.europa.eu/principles-countries-history/country-profiles_en"),
    ("NATO", "North Atlantic Treaty Organization", "alliance", "1949-04-04", "nato",
     "NATO, 'NATO member countries', https://www.nato.int/cps/en/natohq/topics_52044.htm"),
    ("WARSAW", "Warsaw Treaty Organization (Warsaw Pact)", "alliance", "1955-06-04", "wpact",
     "Treaty of Friendship, Co-operation and Mutual Assistance (Warsaw, 14 May 1955), UNTS vol. 219 p. 3; Protocol on the dissolution (Prague, 1 July 1991)"),
    ("EAEU", "Eurasian Economic Union", "economic union", "2015-01-01", "",
     "Eurasian Economic Union, 'Member states' and 'Observer states', https://eaeunion.org/?lang=en#about-countries"),
    ("CSTO", "Collective Security Treaty Organization (Collective Security Treaty 1992)", "alliance", "1994-04-20", "csto",
     "CSTO, 'From the Treaty to the Organization', https://en.odkb-csto.org/25years/ ; Armenia's freeze: statement of PM Pashinyan, 23 Feb 2024"),
    ("CST", "Collective Security Treaty (Tashkent 1992), before the CSTO", "alliance", "1994-04-20", "",
     "Collective Security Treaty, 15 May 1992, UNTS vol. 1894 p. 306; CSTO, 'From the Treaty to the Organization', https://en.odkb-csto.org/25years/"),
    ("CIS", "Commonwealth of Independent States", "regional", "1991-12-08", "cis",
     "CIS Executive Committee, 'Member states', https://e-cis.info/ ; Georgia's exit 18 Aug 2009; Ukraine's decree of 19 May 2018"),
    ("SCO", "Shanghai Cooperation Organisation", "regional security", "2001-06-15", "sco",
     "SCO Secretariat, 'About SCO', https://eng.sectsco.org/ ; Astana declaration 4 Jul 2024 (Belarus)"),
    ("BRICS", "BRICS", "club", "2009-06-16", "",
     "BRICS summit declarations: Yekaterinburg 2009, Sanya 2011, Johannesburg 2023 (expansion), Kazan 2024 (partner countries); Brazil's BRICS 2025 presidency, https://brics.br/en/about-brics"),
    ("ASEAN", "Association of Southeast Asian Nations", "regional", "1967-08-08", "asean",
     "ASEAN Secretariat, 'ASEAN member states', https://asean.org/member-states/ ; Timor-Leste admitted at the 47th summit, 26 Oct 2025"),
    ("G7", "Group of Seven", "club", "1975-11-15", "",
     "G7 Research Group, University of Toronto, 'G7 summits', https://www.g7.utoronto.ca/summit/index.htm"),
    ("G8", "Group of Eight (G7 and Russia)", "club", "1997-06-20", "",
     "G7 Research Group, 'G8 summits'; Hague declaration of the G7 leaders, 24 Mar 2014, https://www.g7.utoronto.ca/summit/2014sochi/hague-declaration.html"),
    ("G20", "Group of Twenty", "club", "1999-12-15", "",
     "G20, 'About the G20', https://g20.org/about-the-g20/ (members besides the EU and the African Union)"),
    ("GCC", "Gulf Cooperation Council", "regional", "1981-05-25", "gcc",
     "GCC Secretariat General, 'Member states', https://www.gcc-sg.org/en/"),
    ("AU", "African Union (Organisation of African Unity 1963-2002)", "regional", "1963-05-25", "oau|au",
     "African Union, 'Member states' and OAU Charter (Addis Ababa, 25 May 1963), https://au.int/en/member_states/countryprofiles2 ; AU Peace and Security Council communiqués for suspensions"),
    ("OPEC", "Organization of the Petroleum Exporting Countries", "commodity", "1960-09-14", "opec",
     "OPEC, 'Member countries', https://www.opec.org/opec_web/en/about_us/25.htm"),
    ("OPEC+", "OPEC+ (Declaration of Cooperation, 10 Dec 2016)", "commodity", "2016-12-10", "",
     "OPEC, 'Declaration of Cooperation', https://www.opec.org/opec_web/en/press_room/4357.htm ; OPEC members take part as members of OPEC"),
    ("OECD", "Organisation for Economic Co-operation and Development", "economic", "1961-09-30", "oecd",
     "OECD, 'Members and partners' (dates of ratification of the Convention), https://www.oecd.org/en/about/members-partners.html"),
    ("QUAD", "Quadrilateral Security Dialogue", "security dialogue", "2007-05-25", "",
     "Joint statements of the Quad foreign ministers (Manila, 25 May 2007; revived Manila, 12 Nov 2017) and leaders (12 Mar 2021), https://www.mea.gov.in/"),
    ("AUKUS", "AUKUS security partnership", "security pact", "2021-09-15", "",
     "Joint Leaders Statement on AUKUS, 15 Sep 2021, https://www.whitehouse.gov/briefing-room/statements-releases/2021/09/15/joint-leaders-statement-on-aukus/"),
]

# Compact spec: org -> list of (date, end or '', status, codes, precision, note)
M: dict[str, list[tuple]] = {}


def add(org, start, codes, end="", status="member", precision="day", note=""):
    M.setdefault(org, []).extend((start, end, status, c, precision, note) for c in codes.split())


# ---- UN ----------------------------------------------------------------------------------
add("UN", "1945-10-24", "ARG AUS BEL BOL BRA BLR CAN CHL COL CRI CUB CSK DNK DOM ECU EGY SLV ETH FRA GRC GTM HTI HND IND IRN IRQ LBN LBR LUX MEX NLD NZL NIC NOR PAN PRY PER PHL POL SAU ZAF TUR UKR GBR USA URY VEN")
add("UN", "1945-10-24", "CHN", end="1949-12-07", note="Republic of China (COW 710) until the government's move to Taiwan")
add("UN", "1949-12-08", "TWN", end="1971-10-24", note="Republic of China on Taiwan held China's seat until UNGA res. 2758")
add("UN", "1971-10-25", "CHN", note="UNGA res. 2758: seat to the People's Republic of China")
add("UN", "1945-10-24", "SUN", end="1991-12-25")
add("UN", "1991-12-26", "RUS", note="continues the USSR's seat (letter of 24 Dec 1991)")
add("UN", "1945-10-24", "SYR", end="1958-02-21", note="with Egypt the United Arab Republic 1958-1961")
add("UN", "1961-10-13", "SYR")
add("UN", "1945-10-24", "YUG", end="1992-04-27", note="SFRY; the FRY was not allowed to continue its seat (UNGA res. 47/1)")
add("UN", "2000-11-01", "SCG", end="2006-06-04")
add("UN", "2006-06-05", "SRB", note="continues Serbia and Montenegro's seat")
add("UN", "1946-11-19", "AFG ISL SWE")
add("UN", "1946-12-16", "THA")
add("UN", "1947-09-30", "PAK")
add("UN", "1947-09-30", "YAR", end="1990-05-21")
add("UN", "1948-04-19", "MMR")
add("UN", "1949-05-11", "ISR")
add("UN", "1950-09-28", "IDN", end="1965-01-20", note="withdrew 20 Jan 1965")
add("UN", "1966-09-28", "IDN", note="resumed participation")
add("UN", "1955-12-14", "ALB AUT BGR KHM LKA FIN HUN IRL ITA JOR LAO LBY NPL PRT ROU ESP")
add("UN", "1956-11-12", "MAR SDN TUN")
add("UN", "1956-12-18", "JPN")
add("UN", "1957-03-08", "GHA")
add("UN", "1957-09-17", "MYS")
add("UN", "1958-12-12", "GIN")
add("UN", "1960-09-20", "CMR CAF TCD COG COD CIV BEN GAB MDG NER SOM TGO BFA CYP")
add("UN", "1960-09-28", "MLI SEN")
add("UN", "1960-10-07", "NGA")
add("UN", "1961-09-27", "SLE")
add("UN", "1961-10-27", "MRT MNG")
add("UN", "1961-12-14", "TZA", note="Tanganyika; United Republic of Tanzania from 26 Apr 1964")
add("UN", "1962-09-18", "BDI JAM RWA TTO")
add("UN", "1962-10-08", "DZA")
add("UN", "1962-10-25", "UGA")
add("UN", "1963-05-14", "KWT")
add("UN", "1963-12-16", "KEN")
add("UN", "1963-12-16", "ZAN", end="1964-04-26", note="united with Tanganyika")
add("UN", "1964-12-01", "MWI MLT ZMB")
add("UN", "1965-09-21", "GMB MDV SGP")
add("UN", "1966-09-20", "GUY")
add("UN", "1966-10-17", "BWA LSO")
add("UN", "1966-12-09", "BRB")
add("UN", "1967-12-14", "YMD", end="1990-05-21")
add("UN", "1968-04-24", "MUS")
add("UN", "1968-09-24", "SWZ")
add("UN", "1968-11-12", "GNQ")
add("UN", "1970-10-13", "FJI")
add("UN", "1971-09-21", "BHR BTN QAT")
add("UN", "1971-10-07", "OMN")
add("UN", "1971-12-09", "ARE")
add("UN", "1973-09-18", "BHS")
add("UN", "1973-09-18", "DDR", end="1990-10-02")
add("UN", "1973-09-18", "GFR", end="1990-10-02")
add("UN", "1990-10-03", "DEU", note="unified Germany continues the Federal Republic's membership")
add("UN", "1974-09-17", "BGD GRD GNB")
add("UN", "1975-09-16", "CPV MOZ STP")
add("UN", "1975-10-10", "PNG")
add("UN", "1975-11-12", "COM")
add("UN", "1975-12-04", "SUR")
add("UN", "1976-09-21", "SYC")
add("UN", "1976-12-01", "AGO")
add("UN", "1976-12-15", "WSM")
add("UN", "1977-09-20", "DJI VNM")
add("UN", "1978-09-19", "SLB")
add("UN", "1978-12-18", "DMA")
add("UN", "1979-09-18", "LCA")
add("UN", "1980-08-25", "ZWE")
add("UN", "1980-09-16", "VCT")
add("UN", "1981-09-15", "VUT")
add("UN", "1981-09-25", "BLZ")
add("UN", "1981-11-11", "ATG")
add("UN", "1983-09-23", "KNA")
add("UN", "1984-09-21", "BRN")
add("UN", "1990-04-23", "NAM")
add("UN", "1990-05-22", "YEM", note="Yemen Arab Republic and PDR Yemen merged")
add("UN", "1990-09-18", "LIE")
add("UN", "1991-09-17", "EST FSM PRK KOR LVA LTU MHL")
add("UN", "1992-03-02", "ARM AZE KAZ KGZ MDA SMR TJK TKM UZB")
add("UN", "1992-05-22", "BIH HRV SVN")
add("UN", "1992-07-31", "GEO")
add("UN", "1993-01-19", "CZE SVK")
add("UN", "1993-04-08", "MKD")
add("UN", "1993-05-28", "ERI MCO")
add("UN", "1993-07-28", "AND")
add("UN", "1994-12-15", "PLW")
add("UN", "1999-09-14", "KIR NRU TON")
add("UN", "2000-09-05", "TUV")
add("UN", "2002-09-10", "CHE")
add("UN", "2002-09-27", "TLS")
add("UN", "2006-06-28", "MNE")
add("UN", "2011-07-14", "SSD")

# ---- EU (EEC from 1958) ------------------------------------------------------------------
add("EU", "1958-01-01", "BEL FRA ITA LUX NLD", note="Treaty of Rome in force")
add("EU", "1958-01-01", "GFR", end="1990-10-02")
add("EU", "1990-10-03", "DEU", note="East Germany joined through unification")
add("EU", "1973-01-01", "DNK IRL")
add("EU", "1973-01-01", "GBR", end="2020-01-31", note="Brexit: left 31 Jan 2020")
add("EU", "1981-01-01", "GRC")
add("EU", "1986-01-01", "PRT ESP")
add("EU", "1995-01-01", "AUT FIN SWE")
add("EU", "2004-05-01", "CYP CZE EST HUN LVA LTU MLT POL SVK SVN")
add("EU", "2007-01-01", "BGR ROU")
add("EU", "2013-07-01", "HRV")
add("EU", "1999-12-11", "TUR", status="candidate", note="Helsinki European Council")
add("EU", "2005-12-17", "MKD", status="candidate")
add("EU", "2010-12-17", "MNE", status="candidate")
add("EU", "2012-03-01", "SRB", status="candidate")
add("EU", "2014-06-27", "ALB", status="candidate")
add("EU", "2022-06-23", "UKR MDA", status="candidate")
add("EU", "2022-12-15", "BIH", status="candidate")
add("EU", "2023-12-14", "GEO", status="candidate")

# ---- NATO ---------------------------------------------------------------------------------
add("NATO", "1949-04-04", "BEL CAN DNK FRA ISL ITA LUX NLD NOR PRT GBR USA", note="founding members; France left the integrated command 1966-2009 but stayed a member")
add("NATO", "1952-02-18", "GRC TUR")
add("NATO", "1955-05-06", "GFR", end="1990-10-02")
add("NATO", "1990-10-03", "DEU")
add("NATO", "1982-05-30", "ESP")
add("NATO", "1999-03-12", "CZE HUN POL")
add("NATO", "2004-03-29", "BGR EST LVA LTU ROU SVK SVN")
add("NATO", "2009-04-01", "ALB HRV")
add("NATO", "2017-06-05", "MNE")
add("NATO", "2020-03-27", "MKD")
add("NATO", "2023-04-04", "FIN")
add("NATO", "2024-03-07", "SWE")

# ---- Warsaw Pact --------------------------------------------------------------------------
add("WARSAW", "1955-06-04", "BGR CSK HUN POL ROU SUN", end="1991-07-01", note="treaty in force 4 Jun 1955; dissolved 1 Jul 1991")
add("WARSAW", "1955-06-04", "ALB", end="1968-09-13", note="stopped taking part 1961, withdrew 13 Sep 1968")
add("WARSAW", "1956-01-28", "DDR", end="1990-09-24", note="left before unification")

# ---- EAEU ---------------------------------------------------------------------------------
add("EAEU", "2015-01-01", "RUS BLR KAZ")
add("EAEU", "2015-01-02", "ARM")
add("EAEU", "2015-08-12", "KGZ")
add("EAEU", "2018-05-14", "MDA", status="observer")
add("EAEU", "2020-12-11", "UZB CUB", status="observer")
add("EAEU", "2024-12-26", "IRN", status="observer", precision="month")

# ---- CSTO (the organisation from 7 Oct 2002; the 1992 treaty before it is the grouping CST) --
add("CST", "1994-04-20", "ARM BLR KAZ KGZ RUS TJK", end="2002-10-06", note="Collective Security Treaty (Tashkent, 15 May 1992) in force")
add("CST", "1994-04-20", "AZE GEO UZB", end="1999-04-01", note="did not renew the treaty in 1999")
add("CSTO", "2002-10-07", "RUS KAZ KGZ TJK BLR", note="CSTO Charter (Chisinau, 7 Oct 2002) in force 18 Sep 2003")
add("CSTO", "2002-10-07", "ARM", end="2024-02-22")
add("CSTO", "2024-02-23", "ARM", status="suspended", note="Armenia froze its participation")
add("CSTO", "2006-08-16", "UZB", end="2012-12-20", note="rejoined; suspended its membership 28 Jun 2012")

# ---- CIS ----------------------------------------------------------------------------------
add("CIS", "1991-12-21", "ARM BLR KAZ KGZ TJK UZB", note="Alma-Ata Protocol")
add("CIS", "1991-12-26", "RUS", note="the RSFSR signed on 8 Dec 1991; Russia exists as a state from 26 Dec 1991")
add("CIS", "1991-12-21", "MDA")
add("CIS", "1991-12-21", "TKM", end="2005-08-25")
add("CIS", "2005-08-26", "TKM", status="associate", note="associate member since the Kazan summit")
add("CIS", "1991-12-21", "UKR", end="2018-05-19", status="participant", note="signed but never ratified the Charter; ended participation 2018")
add("CIS", "1991-12-21", "AZE", end="1993-09-23", status="participant", note="signed at Alma-Ata; parliament refused ratification in 1992")
add("CIS", "1993-09-24", "AZE", note="ratified")
add("CIS", "1993-12-03", "GEO", end="2009-08-18", note="left after the 2008 war")

# ---- SCO ----------------------------------------------------------------------------------
add("SCO", "2001-06-15", "CHN KAZ KGZ RUS TJK UZB")
add("SCO", "2004-06-17", "MNG", status="observer")
add("SCO", "2005-07-05", "IND PAK", end="2017-06-08", status="observer")
add("SCO", "2017-06-09", "IND PAK")
add("SCO", "2005-07-05", "IRN", end="2023-07-03", status="observer")
add("SCO", "2023-07-04", "IRN")
add("SCO", "2012-06-07", "AFG", status="observer")
add("SCO", "2015-07-10", "BLR", end="2024-07-03", status="observer")
add("SCO", "2024-07-04", "BLR")
add("SCO", "2009-06-16", "LKA", status="partner")
add("SCO", "2012-06-07", "TUR", status="partner")
add("SCO", "2015-07-10", "ARM AZE KHM NPL", status="partner")
add("SCO", "2021-09-17", "EGY QAT", status="partner")
add("SCO", "2022-09-16", "SAU", status="partner")
add("SCO", "2023-05-05", "BHR KWT MDV MMR ARE", status="partner", precision="month")

# ---- BRICS --------------------------------------------------------------------------------
add("BRICS", "2009-06-16", "BRA RUS IND CHN", note="first BRIC summit, Yekaterinburg")
add("BRICS", "2010-12-24", "ZAF", note="invited to join BRIC")
add("BRICS", "2024-01-01", "EGY ETH IRN ARE", note="Johannesburg II declaration (Aug 2023)")
add("BRICS", "2024-01-01", "SAU", status="invited", note="invited in 2023; has not confirmed membership")
add("BRICS", "2025-01-06", "IDN")
add("BRICS", "2025-01-01", "BLR BOL KAZ CUB MYS THA UGA UZB", status="partner", note="partner countries agreed at Kazan (Oct 2024)")
add("BRICS", "2025-01-17", "NGA", status="partner")
add("BRICS", "2025-06-13", "VNM", status="partner")

# ---- ASEAN --------------------------------------------------------------------------------
add("ASEAN", "1967-08-08", "IDN MYS PHL SGP THA", note="Bangkok Declaration")
add("ASEAN", "1984-01-07", "BRN")
add("ASEAN", "1995-07-28", "VNM")
add("ASEAN", "1997-07-23", "LAO MMR")
add("ASEAN", "1999-04-30", "KHM")
add("ASEAN", "2022-11-11", "TLS", end="2025-10-25", status="observer", note="admitted in principle")
add("ASEAN", "2025-10-26", "TLS")

# ---- G7 / G8 ------------------------------------------------------------------------------
add("G7", "1975-11-15", "FRA ITA JPN GBR USA", note="Rambouillet summit")
add("G7", "1975-11-15", "GFR", end="1990-10-02")
add("G7", "1990-10-03", "DEU")
add("G7", "1976-06-27", "CAN", note="Puerto Rico summit")
add("G8", "1997-06-20", "CAN FRA DEU ITA JPN GBR USA", end="2014-03-24", note="Denver 'Summit of the Eight'")
add("G8", "1997-06-20", "RUS", end="2014-03-24", note="G7 leaders suspended the G8 format, Hague declaration 24 Mar 2014")
add("G8", "2014-03-25", "RUS", end="2017-01-13", status="suspended", note="Russia announced its exit 13 Jan 2017")

# ---- G20 ----------------------------------------------------------------------------------
add("G20", "1999-12-15", "ARG AUS BRA CAN CHN FRA DEU IND IDN ITA JPN KOR MEX RUS SAU ZAF TUR GBR USA", note="inaugural finance ministers' meeting, Berlin")

# ---- GCC ----------------------------------------------------------------------------------
add("GCC", "1981-05-25", "BHR KWT OMN QAT SAU ARE")

# ---- OAU / AU -----------------------------------------------------------------------------
add("AU", "1963-05-25", "DZA BEN BFA BDI CMR CAF TCD COG COD EGY ETH GAB GHA GIN CIV LBR LBY MDG MLI MRT NER NGA RWA SEN SLE SOM SDN TZA TGO TUN UGA", note="OAU Charter; AU from 9 Jul 2002")
add("AU", "1963-05-25", "MAR", end="1984-11-12", note="left over Western Sahara")
add("AU", "2017-01-30", "MAR", note="readmitted")
add("AU", "1963-12-13", "KEN", precision="month")
add("AU", "1964-07-13", "MWI", precision="month")
add("AU", "1964-12-16", "ZMB", precision="month")
add("AU", "1965-10-01", "GMB", precision="year")
add("AU", "1966-10-31", "BWA LSO", precision="year")
add("AU", "1968-08-01", "MUS", precision="year")
add("AU", "1968-09-24", "SWZ", precision="year")
add("AU", "1968-10-12", "GNQ", precision="year")
add("AU", "1973-11-19", "GNB", precision="year")
add("AU", "1975-07-18", "CPV COM MOZ STP", precision="year")
add("AU", "1976-02-11", "AGO", precision="month")
add("AU", "1976-06-29", "SYC", precision="year")
add("AU", "1977-06-27", "DJI", precision="year")
add("AU", "1980-06-01", "ZWE", precision="year")
add("AU", "1990-06-01", "NAM", precision="year")
add("AU", "1993-05-24", "ERI", precision="year")
add("AU", "1994-06-06", "ZAF", precision="month")
add("AU", "2011-07-27", "SSD", precision="month")
add("AU", "2013-07-05", "EGY", end="2014-06-17", status="suspended", note="suspended after the military takeover")
add("AU", "2020-08-19", "MLI", end="2021-01-09", status="suspended", precision="month")
add("AU", "2021-06-01", "MLI", status="suspended", precision="month")
add("AU", "2021-09-10", "GIN", status="suspended", precision="month")
add("AU", "2021-10-27", "SDN", status="suspended", precision="month")
add("AU", "2022-01-31", "BFA", status="suspended", precision="month")
add("AU", "2023-08-22", "NER", status="suspended", precision="month")
add("AU", "2023-08-31", "GAB", end="2025-04-30", status="suspended", precision="month")

# ---- OPEC and OPEC+ -----------------------------------------------------------------------
add("OPEC", "1960-09-14", "IRN IRQ KWT SAU VEN", note="Baghdad conference")
add("OPEC", "1961-01-01", "QAT", end="2018-12-31", precision="year", note="left 1 Jan 2019")
add("OPEC", "1962-01-01", "IDN", end="2008-12-31", precision="year", note="suspended 2009")
add("OPEC", "2016-01-01", "IDN", end="2016-11-30", note="reactivated, suspended again 30 Nov 2016")
add("OPEC", "1962-01-01", "LBY", precision="year")
add("OPEC", "1967-01-01", "ARE", precision="year", note="Abu Dhabi; membership passed to the UAE")
add("OPEC", "1969-01-01", "DZA", precision="year")
add("OPEC", "1971-01-01", "NGA", precision="year")
add("OPEC", "1973-01-01", "ECU", end="1992-12-31", precision="year", note="suspended Dec 1992")
add("OPEC", "2007-10-01", "ECU", end="2019-12-31", precision="month", note="reactivated; left 1 Jan 2020")
add("OPEC", "1975-01-01", "GAB", end="1994-12-31", precision="year", note="terminated Jan 1995")
add("OPEC", "2016-07-01", "GAB")
add("OPEC", "2007-01-01", "AGO", end="2023-12-31", note="left 1 Jan 2024")
add("OPEC", "2017-05-25", "GNQ")
add("OPEC", "2018-06-22", "COG")
add("OPEC+", "2016-12-10", "AZE BHR BRN KAZ MYS MEX OMN RUS SDN SSD", note="non-OPEC signatories of the Declaration of Cooperation")
add("OPEC+", "2016-12-10", "DZA IRN IRQ KWT LBY NGA SAU ARE VEN GAB", note="OPEC members")
add("OPEC+", "2016-12-10", "QAT", end="2018-12-31", note="OPEC member until 2019")
add("OPEC+", "2016-12-10", "ECU", end="2019-12-31", note="OPEC member until 2020")
add("OPEC+", "2016-12-10", "AGO", end="2023-12-31", note="OPEC member until 2024")
add("OPEC+", "2017-05-25", "GNQ")
add("OPEC+", "2018-06-22", "COG")
add("OPEC+", "2025-02-18", "BRA", status="participant", precision="month", note="joined the Charter of Cooperation, not the production quotas")

# ---- OECD ---------------------------------------------------------------------------------
add("OECD", "1961-09-30", "AUT BEL CAN DNK FRA GRC ISL IRL LUX NLD NOR PRT ESP SWE CHE TUR GBR USA", note="Convention in force")
add("OECD", "1961-09-30", "GFR", end="1990-10-02")
add("OECD", "1990-10-03", "DEU")
add("OECD", "1962-03-29", "ITA")
add("OECD", "1964-04-28", "JPN")
add("OECD", "1969-01-28", "FIN")
add("OECD", "1971-06-07", "AUS")
add("OECD", "1973-05-29", "NZL")
add("OECD", "1994-05-18", "MEX")
add("OECD", "1995-12-21", "CZE")
add("OECD", "1996-05-07", "HUN")
add("OECD", "1996-11-22", "POL")
add("OECD", "1996-12-12", "KOR")
add("OECD", "2000-12-14", "SVK")
add("OECD", "2010-05-07", "CHL")
add("OECD", "2010-07-21", "SVN")
add("OECD", "2010-09-07", "ISR")
add("OECD", "2010-12-09", "EST")
add("OECD", "2016-07-01", "LVA")
add("OECD", "2018-07-05", "LTU")
add("OECD", "2020-04-28", "COL")
add("OECD", "2021-05-25", "CRI")

# ---- Quad, AUKUS --------------------------------------------------------------------------
add("QUAD", "2007-05-25", "AUS IND JPN USA", end="2008-02-05", note="first dialogue; Australia withdrew Feb 2008")
add("QUAD", "2017-11-12", "AUS IND JPN USA", note="revived in Manila")
add("AUKUS", "2021-09-15", "AUS GBR USA")


def _state_starts() -> dict[str, str]:
    with open(OUT / "states.csv", encoding="utf-8") as f:
        starts: dict[str, str] = {}
        for r in csv.DictReader(f):
            starts[r["code"]] = min(starts.get(r["code"], "9999"), r["start"])
    return starts


def main():
    src = {o[0]: o[5] for o in ORGS}
    starts = _state_starts()
    rows = []
    for org, items in M.items():
        for start, end, status, code, precision, note in items:
            if start < starts[code]:
                # a membership taken up before the state's existence in the registry (India's UN seat
                # of 1945, Kuwait's OPEC membership of 1960): it counts from the state's first day
                note = (note + "; " if note else "") + f"joined {start}, before the state's existence in the registry from {starts[code]}"
                start = starts[code]
            rows.append(dict(org=org, code=code, status=status, start=start, end=end,
                             precision=precision, note=note, source=src[org]))
    rows.sort(key=lambda r: (r["org"], r["code"], r["start"]))
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "memberships.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with open(OUT / "organisations.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["org", "name", "kind", "founded", "cow_igo", "source"])
        w.writerows(ORGS)
    print(f"wrote {len(rows)} memberships of {len(ORGS)} organisations to {OUT}")


if __name__ == "__main__":
    main()
