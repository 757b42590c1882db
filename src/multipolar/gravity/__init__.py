"""Structural gravity: PPML estimation (:mod:`.estimate`), the general-equilibrium solver (:mod:`.ge`)
and the textbook replications (:mod:`.replicate`)."""
