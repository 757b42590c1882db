"""Rebuild ``src/multipolar/actors/data/pacts.csv`` and ``pact_parties.csv``.

Run:  python data-raw/build_pacts.py            (reads ATOP from the warehouse /work/wh/full.duckdb,
                                                 $MULTIPOLAR_DB, or imports ../shared/data's ATOP file)

The pacts are the treaties behind ATOP's ties of 2018 (ATOP v5 ends in 2018), compiled so that
alliance-type ties continue after ATOP ends. How they were identified: maximal cliques of ATOP's
2018 tie graph for each obligation (defence, non-aggression, consultation), matched to the treaty
whose parties and dates fit (see the report in the commit message and ``pacts.validate_against_atop``).

Obligation flags (defense, offense, neutrality, nonaggression, consultation) are those ATOP codes
among the pact's parties in 2018: a flag is 1 when at least 95% of the pact's 2018 pairs carry it in
ATOP (tests/test_pacts.py checks this against the real ATOP file). Where pacts overlap (e.g. every
EU or NATO pair is also an OSCE pair) ATOP's non-aggression cannot be told apart; the flag follows
ATOP's ties of the members.

Parties of ``list`` pacts: the states ATOP codes as bound in 2018 (source "ATOP v5 ... party in
2018" plus the treaty's own source), each from the first year of its last unbroken run of ATOP ties
(of the pact's main obligation) with at least half of the pact's other parties, but never before the
pact's start. Where a depositary gives the exact date (OAS Charter) that date is used instead. Changes
after 2018 (withdrawals, readmissions) are listed with their own sources in CHANGES.
"""
from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parent.parent / "src" / "multipolar" / "actors" / "data"
ATOP_SRC = "ATOP v5 (Leeds et al. 2002), party in 2018"

# pact_id, name, flags (D, O, N, NA, C), parties, start, end, legal_basis, source, main type, 2018 parties (list pacts)
PACTS = [
    ("OAS_CHARTER", "Charter of the Organization of American States (Bogota 1948)", (1, 0, 0, 1, 1), "list",
     "1951-12-13", "", "arts. 21-22 (territory inviolable; no recourse to force), 28-29 (aggression against one American State is aggression against all), 61 (Meeting of Consultation)",
     "OAS Department of International Law, 'Charter of the Organization of American States (A-41): Signatories and Ratifications', http://www.oas.org/en/sla/dil/inter_american_treaties_A-41_charter_OAS_signatories.asp",
     "defense", "ARG ATG BHS BLZ BOL BRA BRB CHL COL CRI DMA DOM ECU GRD GTM GUY HND HTI JAM KNA LCA MEX NIC PAN PER PRY SLV SUR TTO URY USA VCT VEN"),
    ("NATO", "North Atlantic Treaty (Washington 1949)", (1, 0, 0, 1, 1), "org:NATO",
     "1949-08-24", "", "art. 1 (refrain from the threat or use of force), art. 4 (consultation), art. 5 (collective defence)",
     "NATO, 'The North Atlantic Treaty', https://www.nato.int/cps/en/natolive/official_texts_17120.htm", "defense", ""),
    ("EU_TEU_42_7", "Treaty on European Union (Lisbon): mutual assistance clause", (1, 0, 0, 1, 1), "org:EU",
     "2009-12-01", "", "art. 42(7) TEU (aid and assistance by all the means in their power if a member is the victim of armed aggression); art. 32 TEU (consultation on foreign and security policy)",
     "Consolidated version of the Treaty on European Union, art. 42, OJ C 202, 7.6.2016, https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:12016M042", "defense", ""),
    ("AU_NACDP", "African Union Non-Aggression and Common Defence Pact (Abuja 2005)", (1, 0, 0, 1, 0), "list",
     "2009-12-18", "", "art. 2 (non-aggression; any aggression against a State Party is aggression against all), art. 4 (common defence)",
     "African Union, 'African Union Non-Aggression and Common Defence Pact' (commenced 18 Dec 2009), https://africanlii.org/akn/aa-au/act/pact/2005/non-aggression-and-common-defence/eng@2005-01-31 ; status list: https://au.int/en/treaties/african-union-non-aggression-and-common-defence-pact",
     "defense", "BEN BFA COG COM DZA ETH GAB GHA GIN GMB GNB LBR LBY MLI MOZ MRT NER RWA SEN TCD TGO"),
    ("ARAB_JDEC", "Treaty of Joint Defence and Economic Co-operation between the States of the Arab League (1950)", (1, 0, 0, 1, 1), "list",
     "1950-06-17", "", "art. 2 (armed aggression against one is aggression against all), art. 3 (consultation when threatened)",
     "Joint Defense and Economic Cooperation Treaty between the States of the Arab League, June 17, 1950, The Avalon Project, Yale Law School, https://avalon.law.yale.edu/20th_century/arabjoin.asp",
     "defense", "ARE BHR COM DJI DZA EGY IRQ JOR KWT LBN LBY MAR OMN QAT SAU SDN SOM TUN YEM"),
    ("ARAB_PACT", "Pact of the League of Arab States (Cairo 1945)", (0, 0, 0, 1, 1), "list",
     "1945-05-10", "", "art. 5 (no recourse to force to settle disputes), art. 6 (the Council meets at once on aggression or threat against a member)",
     "Pact of the League of Arab States, March 22, 1945, The Avalon Project, Yale Law School, https://avalon.law.yale.edu/20th_century/arableag.asp",
     "consultation", "ARE BHR COM DJI DZA EGY IRQ JOR KWT LBN LBY MAR MRT OMN QAT SAU SDN SOM TUN YEM"),
    ("ECOWAS_PMAD", "ECOWAS Protocol relating to Mutual Assistance of Defence (Freetown 1981)", (1, 0, 0, 1, 0), "list",
     "1981-05-29", "", "arts. 2-4 (armed threat or aggression against a member constitutes a threat or aggression against the Community; mutual aid and assistance for defence)",
     "ECOWAS, Protocol A/SP3/5/81 relating to Mutual Assistance of Defence, Freetown, 29 May 1981, https://ecowas.int/ ; ECOWAS Authority, 66th ordinary session, Abuja, 15 Dec 2024 (withdrawals under art. 91 of the revised Treaty from 29 Jan 2025)",
     "defense", "BEN BFA CIV GHA GIN GMB GNB LBR NER NGA SEN SLE TGO"),
    ("SADC_MDP", "SADC Mutual Defence Pact (Dar es Salaam 2003)", (1, 0, 0, 1, 1), "list",
     "2003-08-26", "", "art. 6 (an armed attack against a State Party is a threat to regional peace and security, met with immediate collective action), art. 7 (non-interference)",
     "Parliamentary Monitoring Group (South Africa), 'Explanatory memorandum concerning South Africa's intent to be bound by the SADC Mutual Defence Pact', http://www.pmg.org.za/docs/2005/050310sadcmemo.htm ; SADC, https://www.sadc.int/",
     "defense", "AGO BWA COD LSO MOZ MUS MWI NAM SWZ TZA ZAF ZMB ZWE"),
    ("ICGLR_PNAMD", "ICGLR Protocol on Non-Aggression and Mutual Defence in the Great Lakes Region (Nairobi 2006)", (1, 0, 0, 1, 0), "list",
     "2008-06-21", "", "Protocol arts. 3-6 (non-aggression; an armed attack against one member is an attack against all); part of the Pact on Security, Stability and Development in force 21 Jun 2008",
     "International Conference on the Great Lakes Region, 'Pact on Security, Stability and Development in the Great Lakes Region' and its Protocol on Non-Aggression and Mutual Defence, https://icglr.org/",
     "defense", "AGO BDI CAF COD COG KEN RWA SDN SSD TZA UGA ZMB"),
    ("ECCAS_PAM", "Mutual Assistance Pact between the Member States of ECCAS (Malabo 2000)", (1, 0, 0, 1, 0), "list",
     "2000-02-24", "", "mutual assistance against aggression among member states (COPAX)",
     "Economic Community of Central African States, 'Pacte d'assistance mutuelle entre les Etats membres de la CEEAC', Malabo, 24 Feb 2000, https://ceeac-eccas.org/",
     "defense", "AGO BDI CAF CMR COD COG GAB GNQ STP TCD"),
    ("CIS_CHARTER", "Charter of the Commonwealth of Independent States (Minsk 1993)", (1, 0, 0, 1, 1), "list",
     "1994-01-22", "", "arts. 11-12 (military-political co-operation; mutual consultations and collective self-defence under art. 51 UN Charter when a member is threatened)",
     "Charter of the Commonwealth of Independent States, Minsk, 22 Jan 1993, CIS Executive Committee, https://e-cis.info/",
     "defense", "ARM AZE BLR KAZ KGZ RUS TJK UZB"),
    ("CST", "Collective Security Treaty (Tashkent 1992), before the CSTO", (1, 0, 0, 1, 1), "org:CST",
     "1994-04-20", "2002-10-06", "art. 2 (consultation), art. 4 (aggression against one is aggression against all)",
     "Collective Security Treaty, 15 May 1992, UNTS vol. 1894 p. 306; CSTO, 'From the Treaty to the Organization', https://en.odkb-csto.org/25years/",
     "defense", ""),
    ("CSTO", "Collective Security Treaty Organization (Collective Security Treaty 1992, CSTO Charter 2002)", (1, 0, 0, 1, 1), "org:CSTO",
     "2002-10-07", "", "CST art. 2 (consultation), art. 4 (aggression against one is aggression against all); Armenia's frozen participation from 23 Feb 2024 counted as suspended",
     "CSTO, 'From the Treaty to the Organization', https://en.odkb-csto.org/25years/ ; Collective Security Treaty, UNTS vol. 1894 p. 306",
     "defense", ""),
    ("SCO_CHARTER", "Charter of the Shanghai Cooperation Organisation (St Petersburg 2002)", (0, 0, 0, 1, 1), "org:SCO",
     "2003-09-19", "", "Charter arts. 1-2 (mutual trust, non-use of force, consultations on threats to regional peace and security)",
     "SCO Secretariat, 'Charter of the Shanghai Cooperation Organization', https://eng.sectsco.org/",
     "consultation", ""),
    ("OSCE_HFA", "Helsinki Final Act (CSCE 1975) and OSCE commitments", (0, 0, 0, 1, 0), "list",
     "1975-08-01", "", "Declaration on Principles, principle II (refraining from the threat or use of force)",
     "OSCE, 'Helsinki Final Act', https://www.osce.org/helsinki-final-act ; OSCE, 'Participating States', https://www.osce.org/participating-states",
     "nonaggression", "ALB AND ARM AUT AZE BEL BGR BIH BLR CAN CHE CYP CZE DEU DNK ESP EST FIN FRA GBR GEO GRC HRV HUN IRL ISL ITA KAZ KGZ LIE LTU LUX LVA MCO MDA MKD MLT MNE MNG NLD NOR POL PRT ROU RUS SMR SRB SVK SVN SWE TJK TKM TUR UKR USA UZB"),
    ("AU_CA", "Constitutive Act of the African Union (Lome 2000)", (0, 0, 0, 1, 0), "list",
     "2001-05-26", "", "art. 4(e) peaceful resolution of conflicts, 4(f) prohibition of the use of force or threat to use force among member states",
     "African Union, 'Constitutive Act of the African Union', https://au.int/en/constitutive-act ; 'Member states', https://au.int/en/member_states/countryprofiles2",
     "nonaggression", "AGO BDI BEN BFA BWA CAF CIV CMR COD COG COM CPV DJI DZA EGY ERI ETH GAB GHA GIN GMB GNB GNQ KEN LBR LBY LSO MDG MLI MOZ MRT MUS MWI NAM NER NGA RWA SDN SEN SLE SOM SSD STP SWZ SYC TCD TGO TUN TZA UGA ZAF ZMB ZWE"),
    ("TAC", "Treaty of Amity and Cooperation in Southeast Asia (Bali 1976)", (0, 0, 0, 1, 0), "list",
     "1976-02-24", "", "art. 2(d)-(e) settlement of disputes by peaceful means, renunciation of the threat or use of force; art. 10",
     "ASEAN Secretariat, 'Treaty of Amity and Cooperation in Southeast Asia Indonesia, 24 February 1976', https://asean.org/treaty-amity-cooperation-southeast-asia-indonesia-24-february-1976/",
     "nonaggression", "AUS BGD BRA BRN CAN CHL CHN EGY FRA GBR IDN IND JPN KHM KOR LAO LKA MAR MMR MNG MYS NOR NZL PAK PHL PNG PRK RUS SGP THA TLS TUR USA VNM"),
    ("AMU", "Treaty establishing the Arab Maghreb Union (Marrakesh 1989)", (1, 0, 0, 1, 1), "list",
     "1989-02-17", "", "signed 17 Feb 1989; art. 14 (aggression against one member is aggression against the others), art. 15 (no activity against another member's security)",
     "Treaty instituting the Arab Maghreb Union, Marrakesh, 17 Feb 1989, Arab Maghreb Union General Secretariat, https://maghrebarabe.org/",
     "defense", "DZA LBY MAR MRT TUN"),
    # bilateral alliances that ATOP codes in 2018 and that are not in relations/data/treaties.csv
    ("US_JPN_1960", "Treaty of Mutual Cooperation and Security between the United States and Japan (1960)", (1, 0, 0, 1, 1), "list",
     "1960-06-23", "", "art. IV (consultation), art. V (armed attack on territories under Japan's administration)",
     "Ministry of Foreign Affairs of Japan, 'Japan-U.S. Security Treaty', https://www.mofa.go.jp/region/n-america/us/q&a/ref/1.html",
     "defense", "JPN USA"),
    ("US_KOR_1953", "Mutual Defense Treaty between the United States and the Republic of Korea (1953)", (1, 0, 0, 1, 1), "list",
     "1954-11-17", "", "art. II (consultation), art. III (armed attack in the Pacific area)",
     "Mutual Defense Treaty Between the United States and the Republic of Korea; October 1, 1953, The Avalon Project, Yale Law School, https://avalon.law.yale.edu/20th_century/kor001.asp",
     "defense", "KOR USA"),
    ("US_PHL_1951", "Mutual Defense Treaty between the Republic of the Philippines and the United States (1951)", (1, 0, 0, 1, 1), "list",
     "1952-08-27", "", "art. III (consultation), art. IV (armed attack in the Pacific area)",
     "Mutual Defense Treaty Between the United States and the Republic of the Philippines; August 30, 1951, The Avalon Project, Yale Law School, https://avalon.law.yale.edu/20th_century/phil001.asp",
     "defense", "PHL USA"),
    ("ANZUS_AUS_USA", "ANZUS Security Treaty, between Australia and the United States (1951)", (1, 0, 0, 1, 1), "list",
     "1952-04-29", "", "art. III (consultation), art. IV (armed attack in the Pacific area); ATOP codes the US-New Zealand obligations as suspended since 1986",
     "Security Treaty Between the United States, Australia and New Zealand (ANZUS); September 1, 1951, The Avalon Project, Yale Law School, https://avalon.law.yale.edu/20th_century/usmu002.asp",
     "defense", "AUS USA"),
    ("MANILA_THA_USA", "Southeast Asia Collective Defense Treaty (Manila Pact 1954) as between Thailand and the United States", (1, 0, 0, 1, 1), "list",
     "1955-02-19", "", "art. IV (aggression by armed attack; consultation); Rusk-Thanat joint statement of 6 Mar 1962",
     "Southeast Asia Collective Defense Treaty (Manila Pact); September 8, 1954, The Avalon Project, Yale Law School, https://avalon.law.yale.edu/20th_century/usmu003.asp",
     "defense", "THA USA"),
    ("US_PAK_1959", "Agreement of Cooperation between the United States and Pakistan (Ankara 1959)", (1, 0, 0, 1, 1), "list",
     "1959-03-05", "", "art. I (the United States will take appropriate action, including the use of armed forces, in case of aggression against Pakistan)",
     "U.S. Department of State, 'Treaties in Force 2020', Pakistan: Agreement of cooperation, signed at Ankara March 5, 1959, 10 UST 317, TIAS 4190, https://www.state.gov/treaties-in-force/",
     "defense", "PAK USA"),
    ("CHN_PRK_1961", "Treaty of Friendship, Co-operation and Mutual Assistance between China and the DPRK (1961)", (1, 0, 0, 1, 0), "list",
     "1961-09-10", "", "art. II (immediate military and other assistance if either is attacked)",
     "Treaty of Friendship, Co-operation and Mutual Assistance between the People's Republic of China and the Democratic People's Republic of Korea, 11 July 1961 (Peking Review 1961 no. 28); PRC Ministry of Foreign Affairs, messages on its 60th anniversary, 11 Jul 2021, https://www.fmprc.gov.cn/",
     "defense", "CHN PRK"),
    ("AZE_TUR_2010", "Agreement on Strategic Partnership and Mutual Assistance between Azerbaijan and Turkey (2010)", (1, 0, 0, 1, 1), "list",
     "2010-08-16", "", "art. 2 (mutual assistance, including military, if either is attacked); reaffirmed by the Shusha Declaration on Allied Relations, 15 Jun 2021",
     "President of the Republic of Azerbaijan, 'Shusha Declaration on Allied Relations between the Republic of Azerbaijan and the Republic of Turkey', 15 Jun 2021, https://president.az/",
     "defense", "AZE TUR"),
]

# exact dates from the depositary: OAS Charter, deposit of the instrument of ratification
OAS_DEPOSIT = {"ATG": "1981-12-03", "ARG": "1956-04-10", "BHS": "1982-03-03", "BRB": "1967-11-15", "BLZ": "1991-01-08",
               "BOL": "1951-12-13", "BRA": "1951-12-13", "CHL": "1953-06-05", "COL": "1951-12-13", "CRI": "1951-12-13",
               "DMA": "1979-05-22", "DOM": "1951-12-13", "ECU": "1951-12-13", "SLV": "1951-12-13", "GRD": "1975-05-13",
               "GTM": "1955-04-06", "GUY": "1991-01-08", "HTI": "1951-12-13", "HND": "1951-12-13", "JAM": "1969-08-20",
               "MEX": "1951-12-13", "NIC": "1951-12-13", "PAN": "1951-12-13", "PRY": "1951-12-13", "PER": "1954-02-12",
               "LCA": "1979-05-22", "KNA": "1984-03-12", "VCT": "1981-12-03"}
# (deposits before the Charter's entry into force on 13 Dec 1951 are written as that date)

# changes after ATOP's last year, each with its own source: (pact, code, start, end, source)
CHANGES = [
    ("OAS_CHARTER", "VEN", None, "2019-04-27",
     "Denunciation of the Charter under its art. 143, notified to the OAS General Secretariat on 28 Apr 2017 (effective after two years); Government of Venezuela (MPPRE) communiqué, 2019, on leaving the OAS on 27 Apr 2019. Contested: the OAS Permanent Council seated a representative of the National Assembly on 9 Apr 2019"),
    ("OAS_CHARTER", "NIC", None, "2023-11-19",
     "Denunciation of the Charter under its art. 143, notified 19 Nov 2021; statement of the Foreign Minister of Nicaragua, 19 Nov 2023, that the Charter ceased to have effect for Nicaragua (El 19 Digital)"),
    ("ECOWAS_PMAD", "BFA", None, "2025-01-29",
     "ECOWAS Authority of Heads of State and Government, 66th ordinary session, Abuja, 15 Dec 2024: Burkina Faso, Mali and Niger cease to be members from 29 Jan 2025 (art. 91 revised ECOWAS Treaty), https://ecowas.int/"),
    ("ECOWAS_PMAD", "NER", None, "2025-01-29",
     "ECOWAS Authority of Heads of State and Government, 66th ordinary session, Abuja, 15 Dec 2024: Burkina Faso, Mali and Niger cease to be members from 29 Jan 2025 (art. 91 revised ECOWAS Treaty), https://ecowas.int/"),
    ("AU_CA", "MAR", "2017-01-31", None,
     "African Union, 'Member states', https://au.int/en/member_states/countryprofiles2 : Morocco admitted by the 28th ordinary session of the Assembly, 30-31 Jan 2017 (ATOP v5 does not code it in 2018)"),
    ("ARAB_PACT", "SYR", "2023-05-07", None,
     "Council of the League of Arab States (ministerial, extraordinary session), resolution 8914 of 7 May 2023: Syrian delegations resume participation from 7 May 2023 (suspended 16 Nov 2011, as ATOP codes 2012-2018)"),
    ("ARAB_JDEC", "SYR", "2023-05-07", None,
     "Council of the League of Arab States (ministerial, extraordinary session), resolution 8914 of 7 May 2023: Syrian delegations resume participation from 7 May 2023 (suspended 16 Nov 2011, as ATOP codes 2012-2018)"),
]

ATOP_COL = {"defense": "atop_defense", "nonaggression": "atop_nonagg", "consultation": "atop_consul"}


def _atop():
    import duckdb
    for p in (os.environ.get("MULTIPOLAR_DB"), "/work/wh/full.duckdb"):
        if p and Path(p).exists():
            con = duckdb.connect(p, read_only=True)
            if "atop_alliance" in {r[0] for r in con.execute("SHOW TABLES").fetchall()}:
                return con.execute("SELECT code_a, code_b, year, atop_defense, atop_nonagg, atop_consul FROM atop_alliance").df()
    import tempfile
    from multipolar.config import shared_data_dir
    from multipolar.warehouse import Warehouse
    w = Warehouse(Path(tempfile.mkdtemp()) / "w.duckdb")
    w.import_file(shared_data_dir() / "institutions" / "peacesciencer_atop_alliance.csv.gz", source="atop")
    return w.query("SELECT code_a, code_b, year, atop_defense, atop_nonagg, atop_consul FROM atop_alliance")


def first_year(atop, parties: list[str], code: str, col: str, y0: int) -> int:
    """First year of ``code``'s last unbroken run (to 2018) of ties of ``col`` with at least half of
    the other parties present in ATOP that year."""
    others = set(parties) - {code}
    d = atop[(atop["code_a"] == code) & (atop["code_b"].isin(others))]
    present = atop[atop["code_a"].isin(others)].groupby("year")["code_a"].nunique()
    tied = d[d[col] > 0].groupby("year")["code_b"].nunique()
    y = 2018
    while y - 1 >= y0 and tied.get(y - 1, 0) >= 0.5 * max(present.get(y - 1, 0), 1):
        y -= 1
    return max(y, y0)


def main():
    atop = _atop()
    # ATOP is directed (a one-sided pledge is coded in one direction only): count a tie in either direction
    atop = pd.concat([atop, atop.rename(columns={"code_a": "code_b", "code_b": "code_a"})], ignore_index=True)
    pacts, parties = [], []
    for pid, name, fl, pt, start, end, basis, src, main_type, plist in PACTS:
        pacts.append(dict(pact_id=pid, name=name, defense=fl[0], offense=fl[1], neutrality=fl[2], nonaggression=fl[3],
                          consultation=fl[4], parties=pt, start=start, end=end, legal_basis=basis, source=src))
        if pt != "list":
            continue
        codes = plist.split()
        for c in codes:
            if pid == "OAS_CHARTER" and c in OAS_DEPOSIT:
                s, psrc = OAS_DEPOSIT[c], f"{ATOP_SRC}; date of deposit: {src}"
            else:
                y = first_year(atop, codes, c, ATOP_COL[main_type], int(start[:4]))
                s = start if y == int(start[:4]) else f"{y}-01-01"
                psrc = f"{ATOP_SRC}, bound from {y} in ATOP; {src}"
            parties.append(dict(pact_id=pid, code=c, start=s, end="", source=psrc))
    for pid, code, s, e, src in CHANGES:
        rows = [r for r in parties if r["pact_id"] == pid and r["code"] == code]
        if rows and e:
            rows[0]["end"] = e
            rows[0]["source"] += f"; withdrawal: {src}"
        elif s:
            parties.append(dict(pact_id=pid, code=code, start=s, end=e or "", source=src))
        else:
            raise SystemExit(f"change for {pid} {code} matches no party")
    for fname, rows in (("pacts.csv", pacts), ("pact_parties.csv", parties)):
        with open(OUT / fname, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        print(f"wrote {len(rows)} rows to {OUT / fname}")


if __name__ == "__main__":
    main()
