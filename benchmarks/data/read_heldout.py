"""A held-out set for the event coder of `benchmarks/read.py`: five short articles written for this
project in the style of news reports (not copied from any publication), annotated by hand before the
coder's clause, passive and coreference rules were written, and never used to tune them.

Same layout as :mod:`benchmarks.data.read_gold` (text, actors, events, claims); claims are not
annotated here (the set measures actors and events only). Events are coded as a human CAMEO coder
reads the sentence, with pronouns and phrases such as "the two sides" resolved to the states they
refer to, so a coder without coreference cannot score them all. Conventions follow the gold corpus:
meet, visit, host, talks 04; praise, back, sign or restore 05; joint drills, purchases 06; troops or
weapons sent 07; release, unfreeze, withdraw 08; urge 10; accuse, criticise, condemn 11; reject 12;
threaten, warn 13; drills near a rival 15; sanctions, tariffs, expel, recall, suspend 16.
"""
ARTICLES = [
 {"title": "baltic-tensions", "date": "2024-02-12", "sentences": [
  ("Estonia expelled a Russian diplomat on Monday, accusing him of interfering in its internal affairs.", {"EST", "RUS"}, ["EST RUS 16", "EST RUS 11"], []),
  ("Moscow called the decision a provocation and promised a response.", {"RUS"}, ["RUS EST 11"], []),
  ("The Kremlin later recalled its ambassador from Tallinn.", {"RUS", "EST"}, ["RUS EST 16"], []),
  ("Latvia backed Tallinn, and Lithuania asked NATO to increase its air patrols over the region.", {"LVA", "EST", "LTU", "NATO"}, ["LVA EST 05", "LTU NATO 02"], []),
  ("Germany will send a brigade to Lithuania, the defence ministry in Berlin said.", {"DEU", "LTU"}, ["DEU LTU 07"], []),
  ("Poland condemned Moscow's nuclear drills in Belarus.", {"POL", "RUS", "BLR"}, ["POL RUS 11"], []),
  ("The Baltic governments did not, however, close their embassies in Moscow.", {"RUS"}, [], []),
 ]},
 {"title": "gulf-mediation", "date": "2023-09-20", "sentences": [
  ("Qatar hosted talks between Washington and Tehran in Doha last month.", {"QAT", "USA", "IRN"}, ["QAT USA 04", "QAT IRN 04"], []),
  ("The two sides agreed to a prisoner exchange.", set(), ["USA IRN 03"], []),
  ("Iran later released five American citizens, and the United States unfroze $6 billion of Iranian funds.", {"IRN", "USA"}, ["IRN USA 08", "USA IRN 08"], []),
  ("Israel criticised the deal.", {"ISR"}, [], []),
  ("Netanyahu warned that Israel would act alone against Iran's nuclear programme.", {"ISR", "IRN"}, ["ISR IRN 13"], []),
  ("Saudi Arabia, which restored ties with Iran in March, welcomed the agreement.", {"SAU", "IRN"}, ["SAU IRN 05"], []),
  ("Oman, too, praised both countries for their restraint.", {"OMN"}, ["OMN USA 05", "OMN IRN 05"], []),
  ("Riyadh and Tehran reopened their embassies in June.", {"SAU", "IRN"}, ["SAU IRN 05"], []),
 ]},
 {"title": "sahel-shift", "date": "2024-01-20", "sentences": [
  ("Mali expelled the French ambassador in 2022.", {"MLI", "FRA"}, ["MLI FRA 16"], []),
  ("Niger's junta suspended military cooperation with France after the coup.", {"NER", "FRA"}, ["NER FRA 16"], []),
  ("Russia sent military instructors to Niger in April.", {"RUS", "NER"}, ["RUS NER 07"], []),
  ("The United States was asked by Niamey to withdraw its troops.", {"USA", "NER"}, ["NER USA 02"], []),
  ("Washington agreed to pull out by September.", {"USA"}, ["USA NER 08"], []),
  ("Burkina Faso and Mali signed a defence pact with Niger.", {"BFA", "MLI", "NER"}, ["BFA NER 05", "MLI NER 05"], []),
  ("Macron criticised the juntas and accused Moscow of spreading disinformation in Africa.", {"FRA", "RUS"}, ["FRA RUS 11"], []),
 ]},
 {"title": "pacific-moves", "date": "2024-08-30", "sentences": [
  ("Chinese warships held drills near Taiwan after the new president's inauguration.", {"CHN", "TWN"}, ["CHN TWN 15"], []),
  ("Taipei accused Beijing of intimidation.", {"TWN", "CHN"}, ["TWN CHN 11"], []),
  ("The Philippines and Japan signed a reciprocal access agreement in July.", {"PHL", "JPN"}, ["PHL JPN 05"], []),
  ("Manila was also promised more patrol boats by Tokyo.", {"PHL", "JPN"}, ["JPN PHL 03"], []),
  ("Beijing said the pact threatened regional stability.", {"CHN"}, [], []),
  ("Australia's prime minister visited Port Moresby and pledged support to Papua New Guinea.", {"AUS", "PNG"}, ["AUS PNG 04", "AUS PNG 03"], []),
  ("He also met Indonesia's president in Jakarta.", {"IDN"}, ["AUS IDN 04"], []),
  ("South Korea did not join the exercises.", {"KOR"}, [], []),
  ("North Korea fired two ballistic missiles into the sea on Sunday, and Seoul condemned the launch.", {"PRK", "KOR"}, ["KOR PRK 11"], []),
  ("Kim Jong Un later threatened Seoul with a nuclear response.", {"PRK", "KOR"}, ["PRK KOR 13"], []),
 ]},
 {"title": "tariff-round", "date": "2025-06-05", "sentences": [
  ("Washington raised tariffs on Chinese goods to 145 percent in April.", {"USA", "CHN"}, ["USA CHN 16"], []),
  ("China retaliated with tariffs of its own and restricted exports of rare earths to the United States.", {"CHN", "USA"}, ["CHN USA 16"], []),
  ("The European Union urged both sides to negotiate.", {"EU"}, ["EU USA 10", "EU CHN 10"], []),
  ("The two countries held talks in Geneva in May and agreed to lower the tariffs for 90 days.", set(), ["USA CHN 04", "USA CHN 03"], []),
  ("Mexico was threatened with similar tariffs by the Trump administration.", {"MEX", "USA"}, ["USA MEX 13"], []),
  ("Canada's prime minister rejected the threats.", {"CAN"}, ["CAN USA 12"], []),
 ]},
]
