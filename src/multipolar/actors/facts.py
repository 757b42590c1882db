"""Facts multipolar compiles itself, with a source per row, where a public dataset stops:

* ``treaties.csv``: alliance and partnership treaties signed after ATOP's last year;
* ``conflicts.csv``: interstate wars and armed conflicts after the UCDP series;
* ``sanctions.csv``: sanctions measures in force after the Global Sanctions Database ends
  (a sender or target "EU" stands for the EU's members of each year).

Each row gives its dates and the document that states it (``source``).
"""
from __future__ import annotations

import csv
from importlib import resources

import pandas as pd


def _data(name: str) -> pd.DataFrame:
    with resources.files("multipolar.actors").joinpath(f"data/{name}").open(encoding="utf-8") as f:
        return pd.DataFrame(list(csv.DictReader(f)))


def treaties() -> pd.DataFrame:
    """The dated list of alliance and partnership treaties after ATOP's last year, with sources."""
    return _data("treaties.csv")


def conflicts() -> pd.DataFrame:
    """The dated list of interstate wars and armed conflicts after the UCDP series, with sources."""
    return _data("conflicts.csv")


def sanctions() -> pd.DataFrame:
    """The dated list of sanctions measures after the Global Sanctions Database, with sources."""
    return _data("sanctions.csv")
