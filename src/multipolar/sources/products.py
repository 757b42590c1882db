"""The HS6 products multipolar names: the energy and minerals subset of CEPII BACI that the shared
data hold, by sector (``data/hs6_sectors.csv``: crude oil, natural gas, coal, metal ores, precious
metals, critical minerals after the EU's 2023 list, other minerals; each row says why).

The dyad table's ``energy_minerals_*`` columns sum these products whatever BACI file the warehouse
holds (the shared subset, or a full file a user imports), so the measure means the same thing in
both; ``total_trade_*`` needs a file with every product.

``data/trade_gaps.csv`` lists flows that BACI does not record although they took place (a pair, a
sector and years, what is missing and why, with a source per row): where neither partner declares
the flow, BACI's 0 is missing data, not trade that stopped. :func:`trade_gaps` reads it.
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


@lru_cache(maxsize=1)
def trade_gaps() -> pd.DataFrame:
    """exporter, importer, sector, first_year, last_year, hs6, what, source: flows that BACI does not record
    although they took place (compiled by the project, one source per row). ``hs6``: the products BACI leaves
    empty, separated by ';' when only some of the sector's are (France's Russian pipeline gas, while its LNG is
    recorded); empty: the whole sector. Within these years the pair's recorded flow of the sector is missing (a 0
    or an undercount), not 0."""
    with resources.files("multipolar.sources").joinpath("data/trade_gaps.csv").open(encoding="utf-8") as f:
        g = pd.DataFrame(list(csv.DictReader(f)))
    return g.astype({"first_year": int, "last_year": int})


def gap_products(gap) -> list[str]:
    """The HS6 products a row of :func:`trade_gaps` says BACI leaves empty: its ``hs6``, else its sector's."""
    own = [h.strip() for h in str(gap["hs6"] or "").split(";") if h.strip()]
    return own or products([gap["sector"]])


def unrecorded(exporter: str, sector: str, year: int) -> pd.DataFrame:
    """The listed gaps (:func:`trade_gaps`) of ``exporter``'s sales of ``sector`` in ``year``: one row per importer."""
    g = trade_gaps()
    return g[(g["exporter"] == exporter) & (g["sector"] == sector) & (g["first_year"] <= year) & (g["last_year"] >= year)]


def gap_rows(hs6, first_year: int, last_year: int) -> pd.DataFrame:
    """exporter, importer, year, sector: the listed gaps (:func:`trade_gaps`) whose products (:func:`gap_products`)
    include one of ``hs6``, year by year within [first_year, last_year]. A sum over those products is an undercount in these
    pair-years: a panel leaves them out (missing), it does not read them as a flow or a zero."""
    g = trade_gaps()
    want = set(map(str, hs6))
    rows = [(r["exporter"], r["importer"], y, r["sector"]) for _, r in g.iterrows() if want & set(gap_products(r))
            for y in range(max(r["first_year"], first_year), min(r["last_year"], last_year) + 1)]
    return pd.DataFrame(rows, columns=["exporter", "importer", "year", "sector"])
