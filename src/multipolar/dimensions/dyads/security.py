"""Security: arms transfers (SIPRI). Alliances are in :mod:`.institutions`.

``arms_tiv_a_to_b``, ``arms_tiv_b_to_a`` (million TIV, SIPRI's trend-indicator value: a volume
indicator at constant 1990 prices, not a price paid), ``arms_share_of_a_imports_from_b`` (B's share
of all TIV A received in the year; missing when A received none), and ``arms_tiv_source``. The
official SIPRI series (via 360info) is used in its years; later years come from the
register-derived approximation (each deal's TIV spread evenly over its delivery years). SIPRI
records every transfer of major arms, so a pair without one in SIPRI's years is 0.
"""
from __future__ import annotations

from .frame import Frame

SRC = "SIPRI Arms Transfers Database"


def add(d: Frame):
    """Security: arms transferred both ways (SIPRI TIV, million) and each side's share of the other's arms
    imports."""
    cov = "every pair in SIPRI's years (0: no transfer); shares missing when the recipient received nothing"
    cols = {"arms_tiv_a_to_b": ("security", "arms transferred A->B, million TIV", SRC, cov),
            "arms_tiv_b_to_a": ("security", "arms transferred B->A, million TIV", SRC, cov),
            "arms_share_of_a_imports_from_b": ("security", "B's share of A's arms imports (0-1)", SRC, cov),
            "arms_share_of_b_imports_from_a": ("security", "A's share of B's arms imports (0-1)", SRC, cov),
            "arms_imports_a_tiv": ("security", "all arms A received in the year, million TIV", SRC, cov),
            "arms_imports_b_tiv": ("security", "all arms B received in the year, million TIV", SRC, cov),
            "arms_tiv_source": ("security", "official TIV series or register approximation", SRC, "")}
    if d.lacks("arms_tiv", "security: arms transfers", cols):
        return
    t = d.t("arms_tiv")
    lo, hi = d.span("arms_tiv")
    d._x(f"""CREATE OR REPLACE TEMP TABLE arms_a AS
             WITH off_last AS (SELECT max(year) AS y FROM {t} WHERE "table" = 'tiv_cow')
             SELECT supplier, recipient, CAST(year AS INTEGER) AS year, CAST(sum(tiv_mn) AS DOUBLE) AS v, 'SIPRI TIV' AS src FROM {t}
             WHERE "table" = 'tiv_cow' AND supplier <> recipient GROUP BY ALL
             UNION ALL
             SELECT supplier, recipient, CAST(year AS INTEGER), CAST(sum(tiv_mn) AS DOUBLE), 'SIPRI register, approximate' FROM {t}, off_last
             WHERE "table" = 'tiv_approx' AND supplier <> recipient AND year > coalesce(off_last.y, 0) GROUP BY ALL""")
    d.state_year("arms_imp", "SELECT recipient AS code, year, sum(v) AS v FROM arms_a GROUP BY ALL")
    d.pairs("""WITH pairs AS (SELECT supplier AS code_a, recipient AS code_b, year, src FROM arms_a UNION SELECT recipient, supplier, year, src FROM arms_a)
               SELECT p.code_a, p.code_b, p.year, coalesce(ab.v, 0) AS arms_tiv_a_to_b, coalesce(ba.v, 0) AS arms_tiv_b_to_a,
                      coalesce(ba.v, 0) / nullif(ia.v, 0) AS arms_share_of_a_imports_from_b,
                      coalesce(ab.v, 0) / nullif(ib.v, 0) AS arms_share_of_b_imports_from_a, min(p.src) AS arms_tiv_source
               FROM pairs p
               LEFT JOIN arms_a ab ON ab.supplier = p.code_a AND ab.recipient = p.code_b AND ab.year = p.year
               LEFT JOIN arms_a ba ON ba.supplier = p.code_b AND ba.recipient = p.code_a AND ba.year = p.year
               LEFT JOIN arms_imp ia ON ia.code = p.code_a AND ia.year = p.year
               LEFT JOIN arms_imp ib ON ib.code = p.code_b AND ib.year = p.year
               WHERE p.code_a <> p.code_b GROUP BY ALL""",
            {k: v for k, v in cols.items() if not k.startswith("arms_imports_")},
            observed={"arms_tiv_a_to_b": d.within(lo, hi), "arms_tiv_b_to_a": d.within(lo, hi),
                      "arms_share_of_a_imports_from_b": f"aia.v > 0 AND {d.within(lo, hi)}",
                      "arms_share_of_b_imports_from_a": f"aib.v > 0 AND {d.within(lo, hi)}"},
            joins=["LEFT JOIN arms_imp aia ON aia._ks = d._ka", "LEFT JOIN arms_imp aib ON aib._ks = d._kb"])
    # a state that received nothing in SIPRI's years received 0
    d.exprs({k: v for k, v in cols.items() if k.startswith("arms_imports_")},
            {"arms_imports_a_tiv": f"CASE WHEN {d.within(lo, hi)} THEN coalesce(aia.v, 0) END",
             "arms_imports_b_tiv": f"CASE WHEN {d.within(lo, hi)} THEN coalesce(aib.v, 0) END"},
            ["LEFT JOIN arms_imp aia ON aia._ks = d._ka", "LEFT JOIN arms_imp aib ON aib._ks = d._kb"])
    d.record("arms", SRC, (lo, hi), cov, cols)
