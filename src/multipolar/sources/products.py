"""The HS6 products multipolar names: the energy and minerals subset of CEPII BACI that the shared
data hold, by sector (``data/hs6_sectors.csv``: crude oil, natural gas, coal, metal ores, precious
metals, critical minerals after the EU's 2023 list, other minerals; each row says why).

The dyad table's ``energy_minerals_*`` columns sum these products whatever BACI file the warehouse
holds (the shared subset, or a full file a user imports), so the measure means the same thing in
both; ``total_trade_*`` needs a file with every product.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

import pandas as pd

#: the sectors whose products are energy (fuels)
ENERGY_SECTORS = ("crude_oil", "natural_gas", "coal")
#: a BACI year with at least this many distinct HS6 products is a full file (all goods)
FULL_FILE_PRODUCTS = 1000


@lru_cache(maxsize=1)
def hs6_sectors() -> pd.DataFrame:
    """hs6, sector, description, basis: one row per product of the energy and minerals subset."""
    with resources.files("multipolar.sources").joinpath("data/hs6_sectors.csv").open(encoding="utf-8") as f:
        return pd.DataFrame(list(csv.DictReader(f)))


def products(sectors=None) -> list[str]:
    """The HS6 codes of ``sectors`` (None: the whole subset)."""
    s = hs6_sectors()
    return sorted(s["hs6"] if sectors is None else s.loc[s["sector"].isin(list(sectors)), "hs6"])
