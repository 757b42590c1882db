"""The directed dyad-year table: every ordered pair of state-system members, every year, five dimensions.

In the shape of peacesciencer (Miller 2022, *Conflict Management and Peace Science* 39(1)): start
from the pairs, then add one family of measures at a time::

    d = mp.dyads(years="1991:2024").add_values().add_people().add_economy() \\
          .add_institutions().add_interaction().add_security().add_power()
    d.to_parquet("dyads.parquet")

One module per dimension (:mod:`.values`, :mod:`.people`, :mod:`.economy`, :mod:`.institutions`,
:mod:`.interaction`, :mod:`.security`, :mod:`.power`) on the common frame (:mod:`.frame`). Each
verb LEFT-joins aggregates from the warehouse on the dyad-year keys: it keeps the row count (a verb
that would duplicate a dyad raises), never drops a dyad, and **leaves a measure missing where its
source does not observe the pair**; a 0 means the source observes the pair and says none (see
:mod:`.frame`, "Coverage is data"). Column names say the direction: ``*_a_to_b`` flows from A to
B, ``*_b_for_a`` is B's treatment of A's citizens, ``*_share_of_a`` has A's total as denominator.
:meth:`Dyads.codebook` documents every column (unit, source, where it has data),
:meth:`Dyads.coverage_sources` each source's years and rule, :meth:`Dyads.coverage` the share of
rows with data per column and year.
"""
from __future__ import annotations

from . import economy, institutions, interaction, people, power, security, values
from .frame import CARRIABLE, Column, Frame
from .values import ip_distance_sql

__all__ = ["Dyads", "dyads", "ip_distance_sql", "Column", "CARRIABLE"]


def _verb(module, doc: str):
    """A verb of :class:`Dyads` that adds ``module``'s columns and returns the table (so calls chain)."""
    def verb(self):
        module.add(self)
        return self
    verb.__doc__ = doc
    return verb


class Dyads(Frame):
    """A directed dyad-year table being built; every verb returns ``self`` so calls chain.

    ``years``: ``"1991:2024"``, a year, or None (1946 to the last year of the imported data);
    ``states``: only pairs among these; ``carry``: sources to repeat past their last year, flagged
    (:data:`~.frame.CARRIABLE`; never by default)."""

    add_values = _verb(values, "Shared values: ideal points and their distance, vote agreement (:mod:`.values`).")
    add_people = _verb(people, "People: visa openness both ways, migrant stocks (:mod:`.people`).")
    add_economy = _verb(economy, "Economy: energy and minerals trade, total trade, the Eurostat panel (:mod:`.economy`).")
    add_institutions = _verb(institutions, "Institutions: IGOs, dated groupings, alliances, trade agreements (:mod:`.institutions`).")
    add_interaction = _verb(interaction, "Interaction: events, disputes, wars, rivalries, sanctions (:mod:`.interaction`).")
    add_security = _verb(security, "Security: arms transfers (:mod:`.security`).")
    add_power = _verb(power, "Power context: capabilities, GDP, population (:mod:`.power`).")

    def add_all(self):
        """Every dimension: values, people, economy, institutions, interaction, security, power."""
        return (self.add_values().add_people().add_economy().add_institutions().add_interaction()
                .add_security().add_power())

    #: the verb that provides each column the relation layer reads
    NEEDS = {"add_values": "ip_distance", "add_people": "visa_openness_b_for_a", "add_economy": "energy_minerals_trade_share_of_a",
             "add_institutions": "alliance_defense", "add_interaction": "war_ongoing", "add_security": "arms_tiv_a_to_b",
             "add_power": "gdp_a_usd"}


def dyads(years=None, states=None, db=None, carry=None) -> Dyads:
    """The directed dyad-year table of state-system members (``mp.dyads(years="1991:2024")``)."""
    return Dyads(years=years, states=states, db=db, carry=carry)
