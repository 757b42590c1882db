"""A second held-out set for the event coder of `benchmarks/read.py`: six short articles written for this
project in the style of news reports and analysis (not copied from any publication), annotated by hand
*before* the coder's parser-like rules of session 8 (the clause finder, pronoun resolution, the
direction under "the two sides") were written, and never used to tune them. Do not add rules for these
sentences: the set exists to measure how the coder does on text it was not written for.

Same layout and conventions as :mod:`benchmarks.data.read_heldout` (text, actors, events, claims; claims
are not annotated). Events are coded as a human CAMEO coder reads the sentence in its article:
pronouns ("it", "they", "he", "them"), "its neighbour", "the alliance" and "the two sides" are resolved
to the states they refer to; an event whose target the article names only in an earlier sentence is
still coded ("Beijing rejected the accusation": the accuser). A joint subject without an object gives
one event, the first-named state as source (as in the gold corpus). Statistics, background clauses and
the content of an accusation ("condemned X for sending troops to Y": only the condemnation) are not
events. Roots: 02 appeal, ask, call on; 03 promise, pledge, agree to; 04 meet, visit, host, receive,
talks; 05 praise, sign, join, congratulate; 06 joint exercises, purchases; 07 troops, peacekeepers or
weapons sent; 08 withdraw, leave; 10 urge, demand; 11 accuse, criticise, condemn; 12 reject; 13
threaten, warn; 15 drills near a rival; 16 expel, recall, sanctions; 17 board, block, seize; 19 strike.
"""
ARTICLES = [
 {"title": "red-sea-shipping", "date": "2024-03-18", "sentences": [
  ("The United States and Britain struck Houthi targets in Yemen in January.", {"USA", "GBR", "YEM"}, ["USA YEM 19", "GBR YEM 19"], []),
  ("Egypt complained that the attacks had cut its canal revenues by half.", {"EGY"}, [], []),
  ("China called for restraint but did not condemn the Houthis.", {"CHN"}, [], []),
  ("India deployed warships to the Gulf of Aden to protect its merchant fleet.", {"IND"}, [], []),
  ("Iran denied arming the group, and Washington accused Tehran of lying.", {"IRN", "USA"}, ["USA IRN 11"], []),
  ("It imposed fresh sanctions on Iranian shipping firms a week later.", {"IRN"}, ["USA IRN 16"], []),
  ("Saudi Arabia, which has been negotiating a truce with the Houthis, asked Washington to hold back.", {"SAU", "USA"}, ["SAU USA 02"], []),
  ("Oman hosted talks between American and Iranian envoys in Muscat.", {"OMN", "USA", "IRN"}, ["OMN USA 04", "OMN IRN 04"], []),
 ]},
 {"title": "balkan-ties", "date": "2023-11-08", "sentences": [
  ("Serbia bought Chinese air defence systems in 2022.", {"SRB", "CHN"}, ["SRB CHN 06"], []),
  ("Belgrade has refused to impose sanctions on Russia.", {"SRB", "RUS"}, [], []),
  ("The European Union criticised the decision and urged Serbia to align its foreign policy with the bloc.", {"EU", "SRB"}, ["EU SRB 11", "EU SRB 10"], []),
  ("Serbia's president met Xi Jinping in Beijing in October and signed a free trade agreement.", {"SRB", "CHN"}, ["SRB CHN 04", "SRB CHN 05"], []),
  ("Kosovo accused Belgrade of massing troops on the border.", {"XKX", "SRB"}, ["XKX SRB 11"], []),
  ("NATO sent additional peacekeepers to Kosovo after the clashes.", {"NATO", "XKX"}, ["NATO XKX 07"], []),
  ("The two sides later agreed to resume their EU-brokered dialogue.", {"EU"}, ["XKX SRB 03"], []),
  ("Hungary's Orbán praised Serbia's president as a friend.", {"HUN", "SRB"}, ["HUN SRB 05"], []),
 ]},
 {"title": "baltic-and-arctic", "date": "2025-01-15", "sentences": [
  ("Finland accused Russia of pushing migrants towards its border in 2023.", {"FIN", "RUS"}, ["FIN RUS 11"], []),
  ("Helsinki responded by closing every crossing point.", {"FIN"}, [], []),
  ("Sweden and Finland held joint exercises with Norway in the Arctic.", {"SWE", "FIN", "NOR"}, ["SWE NOR 06", "FIN NOR 06"], []),
  ("Moscow warned both countries that it would take countermeasures.", {"RUS"}, ["RUS SWE 13", "RUS FIN 13"], []),
  ("Estonia demanded that China explain why one of its ships had dragged an anchor across a Baltic cable.", {"EST", "CHN"}, ["EST CHN 10"], []),
  ("Beijing rejected the accusation and said its crew had acted lawfully.", {"CHN"}, ["CHN EST 12"], []),
  ("NATO launched a patrol mission in the Baltic Sea, and Germany contributed two frigates.", {"NATO", "DEU"}, [], []),
  ("Poland's defence minister praised the alliance for moving quickly.", {"POL"}, ["POL NATO 05"], []),
 ]},
 {"title": "african-partnerships", "date": "2024-07-10", "sentences": [
  ("Russia's deputy defence minister visited Burkina Faso and Mali in June.", {"RUS", "BFA", "MLI"}, ["RUS BFA 04", "RUS MLI 04"], []),
  ("He promised them weapons and military instructors.", set(), ["RUS BFA 03", "RUS MLI 03"], []),
  ("Chad expelled American troops in April, and they left the country within weeks.", {"TCD", "USA"}, ["TCD USA 16", "USA TCD 08"], []),
  ("Kenya, which sent police officers to Haiti last year, signed a defence pact with the United States.", {"KEN", "HTI", "USA"}, ["KEN HTI 07", "KEN USA 05"], []),
  ("Algeria recalled its ambassador from Mali after a drone was shot down near the border.", {"DZA", "MLI"}, ["DZA MLI 16"], []),
  ("Mali accused its neighbour of sponsoring terrorism.", {"MLI"}, ["MLI DZA 11"], []),
  ("Morocco's king received Mauritania's president in Rabat.", {"MAR", "MRT"}, ["MAR MRT 04"], []),
  ("China has lent Ethiopia more than $13 billion since 2000.", {"CHN", "ETH"}, [], []),
  ("Ethiopia joined BRICS in January 2024 alongside Egypt and Iran.", {"ETH", "BRICS", "EGY", "IRN"}, ["ETH BRICS 05", "EGY BRICS 05", "IRN BRICS 05"], []),
 ]},
 {"title": "indo-pacific-week", "date": "2024-11-25", "sentences": [
  ("Japan and Australia signed an agreement on Thursday that lets their troops train on each other's soil.", {"JPN", "AUS"}, ["JPN AUS 05"], []),
  ("China criticised the deal, which it said would raise tensions in the region.", {"CHN"}, [], []),
  ("Vietnam and the Philippines agreed to set up a hotline between their coast guards.", {"VNM", "PHL"}, ["VNM PHL 03"], []),
  ("Manila accused Chinese vessels of ramming one of its ships near Second Thomas Shoal.", {"PHL", "CHN"}, ["PHL CHN 11"], []),
  ("They had also blocked Philippine boats twice in August.", {"PHL"}, ["CHN PHL 17"], []),
  ("India and the United States held talks on jet engines, and Washington agreed to sell drones to New Delhi.", {"IND", "USA"}, ["IND USA 04", "USA IND 03"], []),
  ("Indonesia's president visited Beijing and Washington in his first month in office.", {"IDN", "CHN", "USA"}, ["IDN CHN 04", "IDN USA 04"], []),
  ("China held large drills around Taiwan in October.", {"CHN", "TWN"}, ["CHN TWN 15"], []),
  ("Its coast guard also boarded Taiwanese fishing boats near Kinmen.", {"TWN"}, ["CHN TWN 17"], []),
  ("Taipei condemned the drills, and Washington said it was monitoring the situation.", {"TWN", "USA"}, ["TWN CHN 11"], []),
  ("South Korea condemned North Korea for sending troops to Russia.", {"KOR", "PRK", "RUS"}, ["KOR PRK 11"], []),
  ("Pyongyang, in turn, threatened Seoul with an overwhelming response.", {"PRK", "KOR"}, ["PRK KOR 13"], []),
 ]},
 {"title": "venezuela-after-the-vote", "date": "2024-08-05", "sentences": [
  ("Brazil and Colombia called on Venezuela to publish the full vote counts.", {"BRA", "COL", "VEN"}, ["BRA VEN 02", "COL VEN 02"], []),
  ("Caracas expelled diplomats from seven Latin American countries, including Argentina and Chile.", {"VEN", "ARG", "CHL"}, ["VEN ARG 16", "VEN CHL 16"], []),
  ("Argentina asked Brazil to look after its embassy in Caracas.", {"ARG", "BRA", "VEN"}, ["ARG BRA 02"], []),
  ("The United States recognised the opposition candidate as the winner.", {"USA"}, [], []),
  ("Russia and China congratulated Maduro on his re-election.", {"RUS", "CHN", "VEN"}, ["RUS VEN 05", "CHN VEN 05"], []),
  ("Mexico's president declined to criticise Caracas.", {"MEX", "VEN"}, [], []),
  ("Chile's foreign minister said his government would not restore relations with Venezuela while Maduro remained in power.", {"CHL", "VEN"}, [], []),
  ("Washington later seized a plane used by Maduro in the Dominican Republic.", {"USA", "VEN", "DOM"}, ["USA VEN 17"], []),
 ]},
]
