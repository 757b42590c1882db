"""Rebuild ``src/multipolar/actors/data/states.csv`` from the public state-system files.

Run:  python data-raw/build_actors.py [--shared ../shared/data]

Inputs (read from the shared data folder, never copied into the repository):
- COW State System Membership v2016 (peacesciencer_cow_states.csv): spells and COW codes;
- Gleditsch & Ward independent states (peacesciencer_gw_states.csv): GW codes and dates;
- COW capitals (peacesciencer_cow_capitals.csv): capitals, used as aliases;
- ISO 3166-1 and 3166-3 through pycountry: ISO codes and names.
The hand-compiled parts (which ISO code each COW state carries, how continuity chains are
split into historical states, aliases) are the dictionaries below, each with a reason.
"""
from __future__ import annotations

import argparse
import csv
import os
from pathlib import Path

import pycountry

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "src" / "multipolar" / "actors" / "data" / "states.csv"
SYSTEM_START = "1946-01-01"

# COW ccode -> multipolar code (ISO 3166-1 alpha-3 where the state has one today).
COW_TO_CODE = {
    2: "USA", 20: "CAN", 31: "BHS", 40: "CUB", 41: "HTI", 42: "DOM", 51: "JAM", 52: "TTO", 53: "BRB",
    54: "DMA", 55: "GRD", 56: "LCA", 57: "VCT", 58: "ATG", 60: "KNA", 70: "MEX", 80: "BLZ", 90: "GTM",
    91: "HND", 92: "SLV", 93: "NIC", 94: "CRI", 95: "PAN", 100: "COL", 101: "VEN", 110: "GUY", 115: "SUR",
    130: "ECU", 135: "PER", 140: "BRA", 145: "BOL", 150: "PRY", 155: "CHL", 160: "ARG", 165: "URY",
    200: "GBR", 205: "IRL", 210: "NLD", 211: "BEL", 212: "LUX", 220: "FRA", 221: "MCO", 223: "LIE",
    225: "CHE", 230: "ESP", 232: "AND", 235: "PRT", 255: "DEU", 260: "GFR", 265: "DDR", 290: "POL",
    305: "AUT", 310: "HUN", 315: "CSK", 316: "CZE", 317: "SVK", 325: "ITA", 331: "SMR", 338: "MLT",
    339: "ALB", 341: "MNE", 343: "MKD", 344: "HRV", 345: "YUG", 346: "BIH", 347: "XKX", 349: "SVN",
    350: "GRC", 352: "CYP", 355: "BGR", 359: "MDA", 360: "ROU", 365: "SUN", 366: "EST", 367: "LVA",
    368: "LTU", 369: "UKR", 370: "BLR", 371: "ARM", 372: "GEO", 373: "AZE", 375: "FIN", 380: "SWE",
    385: "NOR", 390: "DNK", 395: "ISL", 402: "CPV", 403: "STP", 404: "GNB", 411: "GNQ", 420: "GMB",
    432: "MLI", 433: "SEN", 434: "BEN", 435: "MRT", 436: "NER", 437: "CIV", 438: "GIN", 439: "BFA",
    450: "LBR", 451: "SLE", 452: "GHA", 461: "TGO", 471: "CMR", 475: "NGA", 481: "GAB", 482: "CAF",
    483: "TCD", 484: "COG", 490: "COD", 500: "UGA", 501: "KEN", 510: "TZA", 511: "ZAN", 516: "BDI",
    517: "RWA", 520: "SOM", 522: "DJI", 530: "ETH", 531: "ERI", 540: "AGO", 541: "MOZ", 551: "ZMB",
    552: "ZWE", 553: "MWI", 560: "ZAF", 565: "NAM", 570: "LSO", 571: "BWA", 572: "SWZ", 580: "MDG",
    581: "COM", 590: "MUS", 591: "SYC", 600: "MAR", 615: "DZA", 616: "TUN", 620: "LBY", 625: "SDN",
    626: "SSD", 630: "IRN", 640: "TUR", 645: "IRQ", 651: "EGY", 652: "SYR", 660: "LBN", 663: "JOR",
    666: "ISR", 670: "SAU", 678: "YAR", 679: "YEM", 680: "YMD", 690: "KWT", 692: "BHR", 694: "QAT",
    696: "ARE", 698: "OMN", 700: "AFG", 701: "TKM", 702: "TJK", 703: "KGZ", 704: "UZB", 705: "KAZ",
    710: "CHN", 712: "MNG", 713: "TWN", 731: "PRK", 732: "KOR", 740: "JPN", 750: "IND", 760: "BTN",
    770: "PAK", 771: "BGD", 775: "MMR", 780: "LKA", 781: "MDV", 790: "NPL", 800: "THA", 811: "KHM",
    812: "LAO", 816: "VNM", 817: "RVN", 820: "MYS", 830: "SGP", 835: "BRN", 840: "PHL", 850: "IDN",
    860: "TLS", 900: "AUS", 910: "PNG", 920: "NZL", 935: "VUT", 940: "SLB", 946: "KIR", 947: "TUV",
    950: "FJI", 955: "TON", 970: "NRU", 983: "MHL", 986: "PLW", 987: "FSM", 990: "WSM",
}

# COW keeps one code across a change of state; multipolar gives each state its own identity.
# (cow, split date, code before, code after): the spell is cut at the date.
SPLITS = [
    (365, "1991-12-26", "SUN", "RUS"),   # USSR dissolved 25 Dec 1991; Russia continues COW 365
    (345, "1992-04-28", "YUG", "SCG"),   # SFRY -> Federal Republic of Yugoslavia (27 Apr 1992)
    (345, "2006-06-05", "SCG", "SRB"),   # Montenegro leaves 3 Jun 2006; Serbia continues
]

# Codes that are not ISO 3166-1 alpha-3 today: what ISO used while the state existed.
HISTORIC_ISO = {
    "SUN": ("SUN", "SU", 810), "DDR": ("DDR", "DD", 278), "CSK": ("CSK", "CS", 200),
    "YUG": ("YUG", "YU", 890), "SCG": ("SCG", "CS", 891), "YMD": ("YMD", "YD", 720),
    "GFR": ("DEU", "DE", 280), "YAR": ("YEM", "YE", 886), "XKX": ("XKX", "XK", None),
    "RVN": ("", "", None), "ZAN": ("", "", None), "TBT": ("", "", None),
}

NAMES = {  # the name multipolar prints
    "SUN": "Soviet Union", "RUS": "Russia", "YUG": "Yugoslavia", "SCG": "Serbia and Montenegro",
    "SRB": "Serbia", "GFR": "West Germany", "DDR": "East Germany", "DEU": "Germany",
    "CSK": "Czechoslovakia", "CZE": "Czechia", "YAR": "North Yemen", "YMD": "South Yemen",
    "YEM": "Yemen", "RVN": "South Vietnam", "VNM": "Vietnam", "ZAN": "Zanzibar", "TBT": "Tibet",
    "XKX": "Kosovo", "USA": "United States", "GBR": "United Kingdom", "PRK": "North Korea",
    "KOR": "South Korea", "IRN": "Iran", "SYR": "Syria", "VEN": "Venezuela", "BOL": "Bolivia",
    "TZA": "Tanzania", "LAO": "Laos", "MDA": "Moldova", "TWN": "Taiwan", "COD": "DR Congo",
    "COG": "Congo", "CIV": "Côte d'Ivoire", "MKD": "North Macedonia", "SWZ": "Eswatini",
    "TUR": "Türkiye", "FSM": "Micronesia", "CPV": "Cabo Verde", "TLS": "Timor-Leste",
    "BRN": "Brunei", "VAT": "Holy See", "PSE": "Palestine",
}

SUCCESSION = {
    "SUN": "dissolved 1991-12-25; Russia (RUS) is its continuator (COW 365 continuity, UN seat); the other 14 republics are new states",
    "RUS": "continuator of the Soviet Union (SUN); shares COW and GW code 365",
    "GFR": "united with East Germany 1990-10-03 as Germany (DEU); GW 260 and ISO DEU continue, COW gives Germany the new code 255",
    "DDR": "acceded to the Federal Republic 1990-10-03; successor Germany (DEU)",
    "DEU": "unified Germany from 1990-10-03; predecessors West Germany (GFR, continuator) and East Germany (DDR)",
    "YUG": "SFR Yugoslavia dissolved 1992-04-27; Serbia and Montenegro (SCG) continues COW 345; SVN, HRV, BIH, MKD are new states",
    "SCG": "Federal Republic of Yugoslavia / Serbia and Montenegro 1992-04-28 to 2006-06-04; Serbia (SRB) is its continuator, Montenegro (MNE) new",
    "SRB": "continuator of Serbia and Montenegro (SCG) from 2006-06-05; COW 345, GW 340",
    "CSK": "dissolved 1992-12-31 into Czechia (CZE) and Slovakia (SVK); neither continues its COW code",
    "YAR": "united with South Yemen 1990-05-22 as Yemen (YEM); GW 678 continues, COW gives Yemen 679",
    "YMD": "united with North Yemen 1990-05-22 as Yemen (YEM)",
    "YEM": "Republic of Yemen from 1990-05-22; predecessors North Yemen (YAR, continuator in GW) and South Yemen (YMD)",
    "SDN": "continues after South Sudan's secession 2011-07-09 (COW 625)",
    "SSD": "seceded from Sudan (SDN) 2011-07-09",
    "XKX": "declared independence from Serbia 2008-02-17; COW and GW 347; not a UN member; code XKX is user-assigned (World Bank, EU)",
    "VNM": "North Vietnam (DRV, COW 816) continues as Vietnam after absorbing South Vietnam (RVN) in 1975-76",
    "RVN": "Republic of Vietnam, absorbed by Vietnam (VNM) 1975-04-30",
    "TZA": "Tanganyika united with Zanzibar (ZAN) 1964-04-26; COW 510 continues",
    "ZAN": "united with Tanganyika as Tanzania (TZA) 1964-04-26",
    "UKR": "Ukrainian SSR held its own UN seat from 1945 (a Soviet republic, not a system member, until COW lists it from 1991-12-26)",
    "BLR": "Byelorussian SSR held its own UN seat from 1945 (a Soviet republic, not a system member, until COW lists it from 1991-12-26)",
    "TWN": "Republic of China on Taiwan from 1949-12-08; held China's UN seat until 1971-10-25",
    "CHN": "COW 710 continuous: the Republic of China to 1949, the People's Republic since; UN seat to the PRC 1971-10-25",
    "EGY": "formed the United Arab Republic with Syria 1958-1961; COW 651 continues",
    "SYR": "part of the United Arab Republic 1958-02-22 to 1961-09-28 (two COW spells)",
    "PAK": "continues after Bangladesh's secession (1971)",
    "ETH": "continues after Eritrea's secession (1993)",
}

# Aliases beyond ISO and COW/GW names: common names, capitals used as metonyms, old names.
ALIASES = {
    "USA": ["US", "U.S.", "United States of America", "America", "Washington", "White House", "Pentagon", "Washington D.C."],
    "RUS": ["Russian Federation", "Moscow", "Kremlin", "Rossiya"],
    "SUN": ["USSR", "U.S.S.R.", "Soviet Union", "Union of Soviet Socialist Republics", "Moscow", "Kremlin", "Soviets"],
    "CHN": ["PRC", "People's Republic of China", "Beijing", "Peking", "Zhongnanhai", "Mainland China", "Red China"],
    "TWN": ["Republic of China", "ROC", "Taipei", "Chinese Taipei", "Formosa"],
    "GBR": ["UK", "U.K.", "Britain", "Great Britain", "London", "Downing Street", "Whitehall"],
    "FRA": ["Paris", "Elysee", "Élysée", "French Republic"],
    "DEU": ["Berlin", "Federal Republic of Germany"],
    "GFR": ["West Germany", "Federal Republic of Germany", "FRG", "German Federal Republic", "Bonn", "BRD"],
    "DDR": ["East Germany", "German Democratic Republic", "GDR", "East Berlin", "DDR"],
    "PRK": ["DPRK", "Democratic People's Republic of Korea", "Pyongyang", "North Korea", "Korea, North", "Korea DPR"],
    "KOR": ["ROK", "Republic of Korea", "Seoul", "South Korea", "Korea, South", "Korea, Rep."],
    "JPN": ["Tokyo", "Nippon"],
    "IND": ["New Delhi", "Delhi", "Bharat"],
    "PAK": ["Islamabad"],
    "IRN": ["Tehran", "Teheran", "Persia", "Islamic Republic of Iran", "Iran, Islamic Rep."],
    "TUR": ["Turkey", "Turkiye", "Ankara", "Republic of Türkiye"],
    "UKR": ["Kyiv", "Kiev", "Ukrainian SSR"],
    "BLR": ["Minsk", "Byelorussia", "Belorussia", "Byelorussian SSR"],
    "ISR": ["Jerusalem", "Tel Aviv"],
    "SAU": ["Riyadh", "KSA"],
    "SYR": ["Damascus", "Syrian Arab Republic"],
    "EGY": ["Cairo", "United Arab Republic", "Egypt, Arab Rep."],
    "CZE": ["Czech Republic", "Prague"],
    "CSK": ["Czechoslovakia", "Czechoslovak Socialist Republic", "CSSR"],
    "YUG": ["SFRY", "SFR Yugoslavia", "Socialist Federal Republic of Yugoslavia", "Belgrade"],
    "SRB": ["Belgrade", "Republic of Serbia"],
    "MKD": ["TFYR Macedonia", "Macedonia", "FYROM", "Former Yugoslav Republic of Macedonia", "Skopje"],
    "SWZ": ["Swaziland", "eSwatini"],
    "MMR": ["Burma", "Myanmar (Burma)", "Naypyidaw", "Rangoon", "Yangon"],
    "CIV": ["Ivory Coast", "Cote d'Ivoire", "Côte d’Ivoire"],
    "COD": ["Democratic Republic of Congo", "Rep. Dem. of the Congo", "Congo, Democratic Republic of the", "Congo, Democratic Republic of", "Congo (Kinshasa)", "Zaire", "Congo-Kinshasa", "Congo - Kinshasa", "Democratic Republic of the Congo", "DRC", "Kinshasa", "Congo, Dem. Rep."],
    "COG": ["Congo (Brazzaville)", "Congo-Brazzaville", "Congo - Brazzaville", "Republic of the Congo", "Brazzaville", "Congo, Rep."],
    "KHM": ["Kampuchea", "Phnom Penh"],
    "BFA": ["Upper Volta", "Ouagadougou"],
    "BEN": ["Dahomey"],
    "LKA": ["Ceylon", "Colombo"],
    "THA": ["Siam", "Bangkok"],
    "VNM": ["North Vietnam", "Democratic Republic of Vietnam", "Viet Nam", "Hanoi"],
    "RVN": ["South Vietnam", "Republic of Vietnam", "Saigon"],
    # 1946-1990 plain "Yemen" is the Yemen Arab Republic: its UN seat (admitted 1947) was "Yemen",
    # the South's "Democratic Yemen" (UN 1967-1990); after 22 May 1990 it is the Republic of Yemen.
    "YAR": ["Yemen", "Yemen, North", "North Yemen", "Yemen Arab Republic", "Sanaa"],
    "YMD": ["South Yemen", "Yemen People's Republic", "People's Democratic Republic of Yemen", "Democratic Yemen", "Yemen, Democratic", "Aden"],
    "YEM": ["Republic of Yemen", "Yemen, Rep."],
    "TLS": ["East Timor", "Timor Leste", "Dili"],
    "CPV": ["Cape Verde"],
    "XKX": ["Kosovo", "Pristina", "KOS"],
    "ZWE": ["Rhodesia", "Harare", "Salisbury"],
    "VEN": ["Caracas", "Venezuela, RB", "Bolivarian Republic of Venezuela"],
    "CUB": ["Havana"],
    "AFG": ["Kabul"],
    "IRQ": ["Baghdad"],
    "AUS": ["Canberra"],
    "CAN": ["Ottawa"],
    "BRA": ["Brasilia", "Brasília"],
    "MEX": ["Mexico City"],
    "KAZ": ["Astana", "Nur-Sultan"],
    "GEO": ["Tbilisi"],
    "ARM": ["Yerevan"],
    "AZE": ["Baku"],
    "POL": ["Warsaw"],
    "HUN": ["Budapest"],
    "ITA": ["Rome"],
    "ESP": ["Madrid"],
    "LAO": ["Lao PDR", "Vientiane"],
    "LCA": ["St. Lucia", "Saint Lucia"],
    "KNA": ["St. Kitts and Nevis", "St. Kitts & Nevis", "Saint Kitts and Nevis"],
    "VCT": ["Saint Vincent", "St. Vincent", "St. Vincent and the Grenadines", "St. Vincent & Grenadines", "Saint Vincent and the Grenadines"],
    "ATG": ["Antigua & Barbuda", "Antigua"],
    "BIH": ["Bosnia", "Bosnia & Herzegovina", "Bosnia-Herzegovina", "Sarajevo"],
    "TTO": ["Trinidad & Tobago", "Trinidad"],
    "STP": ["São Tomé & Príncipe", "Sao Tome & Principe", "Sao Tome and Principe"],
    "FSM": ["Micronesia (Federated States of)", "Federated States of Micronesia", "Micronesia, Fed. Sts."],
    "GMB": ["The Gambia", "Gambia, The"],
    "BHS": ["The Bahamas", "Bahamas, The"],
    "KGZ": ["Kyrgyz Republic", "Kirghizia", "Bishkek"],
    "SVK": ["Slovak Republic", "Bratislava"],
    "MDA": ["Moldova, Republic of", "Republic of Moldova", "Chisinau"],
    "TZA": ["Tanganyika", "United Republic of Tanzania"],
    "VAT": ["Vatican", "Holy See"],
    "ARE": ["UAE", "U.A.E.", "Emirates", "Abu Dhabi"],
    "HRV": ["Zagreb"],
    "EST": ["Tallinn"],
    "LVA": ["Riga"],
    "LTU": ["Vilnius"],
    "NLD": ["Holland", "The Netherlands", "The Hague"],
    "CHE": ["Bern", "Berne", "Swiss Confederation"],
    "PHL": ["Manila"],
    "IDN": ["Jakarta"],
    "SGP": ["Republic of Singapore"],
    "NGA": ["Abuja", "Lagos"],
    "ZAF": ["Pretoria", "RSA"],
    "LBY": ["Tripoli", "Libyan Arab Jamahiriya"],
    "DZA": ["Algiers"],
    "MNG": ["Ulaanbaatar", "Ulan Bator"],
    "BOL": ["Plurinational State of Bolivia"],
    "MAR": ["Rabat"],
    "MDG": ["Malagasy Republic"],
    "MYS": ["Malaya", "Kuala Lumpur"],
    "ETH": ["Ethiopia (excludes Eritrea)", "Addis Ababa", "Abyssinia"],
    "JOR": ["Transjordan", "Amman"],
    "SCG": ["FRY", "Serbia and Montenegro", "Federal Republic of Yugoslavia", "Belgrade"],
}

# Metonyms that multipolar refuses to attach to a state: they usually mean an organisation.
# Names the United Nations used at the time of a vote (UN Digital Library voting records)
UN_NAMES = {"CAF": ["Central African Empire"], "CMR": ["United Republic of Cameroon"],
            "COD": ["Congo (Leopoldville)", "Congo (Léopoldville)", "Congo-Léopoldville"], "DEU": ["Germany, Federal Republic of"],
            "GFR": ["Germany, Federal Republic of"], "KHM": ["Democratic Kampuchea", "Khmer Republic"],
            "KNA": ["Saint Christopher and Nevis"], "LBY": ["Libyan Arab Republic"], "MDV": ["Maldive Islands"],
            "MYS": ["Federation of Malaya"], "PHL": ["Philippine Republic"],
            "YMD": ["Southern Yemen", "People's Republic of Southern Yemen"], "ZAF": ["Union of South Africa"]}
for _code, _names in UN_NAMES.items():
    ALIASES.setdefault(_code, []).extend(_names)

NOT_ALIASES = {"Brussels", "Bruxelles", "Vienna", "Geneva", "New York"}

# Names an input would attach to a state that never carried them (per state). pycountry's historic
# entry for South Yemen is "Yemen, Democratic, ...", whose first part "Yemen" was North Yemen's name
# (and then the Republic of Yemen's), never South Yemen's.
NOT_NAMES = {"YMD": {"Yemen"}}

# Capitals are aliases only where they are a common metonym (a list, not every capital:
# 'Victoria', 'Kingston' or 'Georgetown' would be ambiguous between several states).
ISO_NAME_OVERRIDE = {"XKX": "Kosovo"}


def _f(x):
    return int(float(x)) if x not in ("", "NA", None) else None


def _date(y, m, d):
    return f"{int(float(y)):04d}-{int(float(m)):02d}-{int(float(d)):02d}"


def build(shared: Path) -> list[dict]:
    groups = shared / "groups"
    cow = list(csv.DictReader(open(groups / "peacesciencer_cow_states.csv", encoding="utf-8")))
    gw = list(csv.DictReader(open(groups / "peacesciencer_gw_states.csv", encoding="utf-8")))
    gw_by_code: dict[int, list[dict]] = {}
    for r in gw:
        gw_by_code.setdefault(_f(r["gwcode"]), []).append(r)

    spells: list[dict] = []
    for r in cow:
        start = _date(r["styear"], r["stmonth"], r["stday"])
        end = _date(r["endyear"], r["endmonth"], r["endday"])
        if end < SYSTEM_START:
            continue
        ccode = _f(r["ccode"])
        # the COW v2016 file ends every surviving state on 2016-12-31: they still exist
        end_out = "" if end == "2016-12-31" else end
        spells.append(dict(cow=ccode, cow_abb=r["stateabb"], cow_name=r["statenme"], start=start, end=end_out))

    # split continuity chains
    out: list[dict] = []
    for s in spells:
        pieces = [dict(s, code=COW_TO_CODE[s["cow"]])]
        for ccode, cut, before, after in SPLITS:
            if s["cow"] != ccode:
                continue
            new = []
            for p in pieces:
                if p["code"] == before and p["start"] < cut and (p["end"] == "" or p["end"] >= cut):
                    prev_day = _prev_day(cut)
                    new.append(dict(p, end=prev_day))
                    # the COW name belongs to the state before the cut (Yugoslavia is not Serbia's name)
                    new.append(dict(p, code=after, start=cut, cow_name="" if after == "SRB" else p["cow_name"]))
                else:
                    new.append(p)
            pieces = new
        out.extend(pieces)
    for p in out:
        if p["code"] == "SUN":
            p["start"] = max(p["start"], "1922-12-30")
    # Tibet: a GW state (711) until 1950, not in COW.
    out.append(dict(cow=None, cow_abb="", cow_name="", start="1913-01-01", end="1950-10-01", code="TBT"))
    # Soviet republics with their own UN seats before independence (not system members).
    # The seat runs on until the day before COW lists the republic as a state.
    for code in ("UKR", "BLR"):
        first = min(p["start"] for p in out if p["code"] == code)
        out.append(dict(cow=None, cow_abb="", cow_name="", start="1945-10-24", end=_prev_day(first), code=code, non_system=True))

    # GW codes: match by code and overlapping dates.
    gw_map = {"GFR": 260, "DEU": 260, "YAR": 678, "YEM": 678, "YUG": 345, "SCG": 345, "SRB": 340,
              "SUN": 365, "RUS": 365, "TBT": 711}
    rows = []
    for p in out:
        code = p["code"]
        gwc = gw_map.get(code, p["cow"])
        gw_rows = gw_by_code.get(gwc, []) if gwc is not None else []
        microstate = not gw_rows and gwc is not None
        iso3, iso2, isonum, iso_names = _iso(code)
        name = NAMES.get(code) or (iso_names[0] if iso_names else "") or p["cow_name"]
        # every ISO 3166 name of the state (short, common and official: "Iran, Islamic Republic of",
        # "Iran", "Islamic Republic of Iran"): publishers write any of them
        names = {name, p.get("cow_name") or "", *iso_names}
        for g in gw_rows:
            names.add(g["statename"])
        names |= set(ALIASES.get(code, []))
        names -= {""}
        names -= NOT_ALIASES
        names -= NOT_NAMES.get(code, set())
        rows.append(dict(
            code=code, name=name, iso3=iso3, iso2=iso2, isonum=isonum or "",
            cow=p["cow"] if p["cow"] is not None else "", cow_abb=p["cow_abb"],
            gw=gwc if gwc is not None else "", gw_microstate="1" if microstate else "0",
            start=p["start"], end=p["end"], system_member="0" if p.get("non_system") else "1",
            aliases="|".join(sorted(names - {name})),
            succession=SUCCESSION.get(code, ""),
            source="COW State System v2016; Gleditsch & Ward states (peacesciencer 1.2); ISO 3166 (pycountry)" + ("; multipolar continuity split" if code in {"SUN", "RUS", "YUG", "SCG", "SRB"} else ""),
        ))
    rows.sort(key=lambda r: (r["code"], r["start"]))
    return rows


def _prev_day(d: str) -> str:
    import datetime as dt
    return (dt.date.fromisoformat(d) - dt.timedelta(days=1)).isoformat()


def _iso(code: str):
    """(iso3, iso2, isonum, names): the names are ISO 3166's for the state, the name to print first."""
    if code in HISTORIC_ISO:
        iso3, iso2, num = HISTORIC_ISO[code]
        names = []
        h = pycountry.historic_countries.get(alpha_3=iso3) if iso3 and code not in {"GFR", "YAR", "XKX"} else None
        if h is not None:
            names = [h.name.split(",")[0], h.name]
        return iso3, iso2, num, names
    c = pycountry.countries.get(alpha_3=code)
    if c is None:
        raise SystemExit(f"no ISO 3166-1 entry for {code}: add it to HISTORIC_ISO")
    names = [getattr(c, "common_name", None) or c.name, c.name, getattr(c, "official_name", None)]
    return c.alpha_3, c.alpha_2, int(c.numeric), [n for n in names if n]


def check_names(rows: list[dict]) -> None:
    """No name or alias may belong to two states on one date: a dated lookup must give one state."""
    import re
    import unicodedata

    def norm(x):   # the registry's normalise_name
        x = unicodedata.normalize("NFKD", x.replace("’", "'").replace("‘", "'")).encode("ascii", "ignore").decode().lower().replace("&", " and ")
        return re.sub(r"^the ", "", re.sub(r"[^a-z0-9]+", " ", x).strip())
    held: dict[str, list[tuple[str, str, str]]] = {}
    for r in rows:
        for n in {r["name"], r["code"], *r["aliases"].split("|")} - {""}:
            held.setdefault(norm(n), []).append((r["start"], r["end"] or "9999-12-31", r["code"]))
    bad = []
    for n, spans in held.items():
        for i, (s1, e1, c1) in enumerate(spans):
            for s2, e2, c2 in spans[i + 1:]:
                if c1 != c2 and s1 <= e2 and s2 <= e1:
                    bad.append(f"{n!r}: {c1} {s1}..{e1} and {c2} {s2}..{e2}")
    if bad:
        raise SystemExit("names held by two states on one date (fix ALIASES / NOT_NAMES):\n  " + "\n  ".join(sorted(set(bad))))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default=os.environ.get("MULTIPOLAR_SHARED", str(HERE.parent.parent / "shared" / "data")))
    a = ap.parse_args()
    shared = Path(a.shared)
    if (shared / "data").is_dir():
        shared = shared / "data"
    rows = build(shared)
    check_names(rows)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} state spells to {OUT}")


if __name__ == "__main__":
    main()
