"""Dyad-year measures on the five dimensions (values, people, economy, institutions, information)."""
