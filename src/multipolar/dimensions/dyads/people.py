"""People: visas (Passport Index snapshots) and migrants (UN DESA International Migrant Stock).

Visas: the latest snapshot of each year; the scale of the visa reader (0 refused or no admission
... 1 visa-free). The matrix covers every passport and destination it lists, so a pair is
missing only when one of the two states is not in that year's snapshot.

Migrants: UN DESA's estimates for the years it publishes (1990, 1995, ..., 2015, 2017 in the 2017
revision; 1990, ..., 2020, 2024 in the 2024 revision); other years are missing, never interpolated.
Where both revisions hold a year, the later revision is used (``migrants_revision`` names it).
"""
from __future__ import annotations

from .frame import Frame

SRC_VISA = "Passport Index dataset (ilyankou), every dated snapshot"
SRC_MIGR = "UN DESA International Migrant Stock; population: World Bank WDI"


def add(d: Frame):
    """``visa_openness_b_for_a`` (how open B is to A's citizens), ``visa_openness_a_for_b``,
    ``visa_reciprocity`` = 1 - |difference|; ``migrants_a_in_b`` (people born in A living in B),
    ``migrants_b_in_a`` and each as a share of the origin's population."""
    cov = "pairs in the year's latest Passport Index snapshot (2019-); never filled"
    cols = {"visa_openness_b_for_a": ("people", "B's openness to A's passport holders (0 refused ... 1 visa-free)", SRC_VISA, cov),
            "visa_openness_a_for_b": ("people", "A's openness to B's passport holders (0-1)", SRC_VISA, cov),
            "visa_reciprocity": ("people", "1 - |difference of the two openness scores|", SRC_VISA, cov)}
    if d.has("visa"):
        t = d.t("visa")
        d.pairs(f"""WITH last AS (SELECT year, max(snapshot) AS s FROM {t} GROUP BY year),
                    v AS (SELECT v.year, passport, destination, visa_openness FROM {t} v JOIN last ON v.year = last.year AND v.snapshot = last.s)
                    SELECT x.passport AS code_a, x.destination AS code_b, CAST(x.year AS INTEGER) AS year,
                           x.visa_openness AS visa_openness_b_for_a, y.visa_openness AS visa_openness_a_for_b,
                           1 - abs(x.visa_openness - y.visa_openness) AS visa_reciprocity
                    FROM v x LEFT JOIN v y ON y.year = x.year AND y.passport = x.destination AND y.destination = x.passport
                    WHERE x.passport <> x.destination""", cols)
        d.record("visa", SRC_VISA, d.span("visa"), cov, cols)
    else:
        d.missing("visa", "people: visas")
        d.pairs(None, cols)
    _migrants(d)


def _migrants(d: Frame):
    table = "migrant_stock_latest" if d.has("migrant_stock_latest") else "migrant_stock"
    cov = "UN DESA's estimate years only; other years missing, never interpolated"
    cols = {"migrants_a_in_b": ("people", "people born in A living in B (persons)", SRC_MIGR, cov),
            "migrants_b_in_a": ("people", "people born in B living in A (persons)", SRC_MIGR, cov),
            "migrants_a_in_b_share_of_a_pop": ("people", "migrants_a_in_b / population of A", SRC_MIGR, cov),
            "migrants_b_in_a_share_of_b_pop": ("people", "migrants_b_in_a / population of B", SRC_MIGR, cov)}
    if d.lacks("migrant_stock", "people: migration", cols, have=d.has(table)):
        return
    t = d.t(table)
    pop = (f"(SELECT code, year, value AS pop FROM {d.t('wdi')} WHERE indicator = 'SP.POP.TOTL')" if d.has("wdi")
           else "(SELECT NULL::VARCHAR AS code, NULL::BIGINT AS year, NULL::DOUBLE AS pop WHERE false)")
    d.pairs(f"""WITH m AS (SELECT origin, destination, year, sum(migrant_stock) AS n FROM {t} GROUP BY ALL),
                pairs AS (SELECT origin AS code_a, destination AS code_b, year FROM m
                          UNION SELECT destination, origin, year FROM m)
                SELECT p.code_a, p.code_b, CAST(p.year AS INTEGER) AS year, ab.n AS migrants_a_in_b, ba.n AS migrants_b_in_a,
                       ab.n / pa.pop AS migrants_a_in_b_share_of_a_pop, ba.n / pb.pop AS migrants_b_in_a_share_of_b_pop
                FROM pairs p
                LEFT JOIN m ab ON ab.origin = p.code_a AND ab.destination = p.code_b AND ab.year = p.year
                LEFT JOIN m ba ON ba.origin = p.code_b AND ba.destination = p.code_a AND ba.year = p.year
                LEFT JOIN {pop} pa ON pa.code = p.code_a AND pa.year = p.year
                LEFT JOIN {pop} pb ON pb.code = p.code_b AND pb.year = p.year
                WHERE p.code_a <> p.code_b""", cols)
    d.record("migrants", SRC_MIGR, d.span(table), cov, cols)
