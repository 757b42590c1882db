"""The bottom layer: states and their codes across systems by date (:mod:`.registry`), groupings with dated
memberships (:mod:`.groupings`), and the facts the project compiles itself with a source per row (:mod:`.facts`,
:mod:`.pacts`; the tables are in ``actors/data``). It imports nothing else of multipolar."""
