"""Power context: capabilities (COW NMC), GDP and population (World Bank WDI; Maddison before 1960).

State-year values joined for A and for B and their ratios; nothing is filled. The NMC version is
the one the import log gives for the file.
"""
from __future__ import annotations

from .frame import Frame

EMPTY = "(SELECT CAST(NULL AS VARCHAR) AS code, CAST(NULL AS BIGINT) AS year, {} WHERE false)"


def add(d: Frame):
    """``cinc_a``, ``cinc_b``, ``cinc_ratio_a_b``; ``gdp_a_usd``, ``gdp_b_usd``, ``gdp_ratio_a_b``;
    ``pop_a``, ``pop_b``, ``pop_ratio_a_b``."""
    from .institutions import _version
    nmc = (f"(SELECT code, year, cinc FROM {d.t('nmc')})" if d.has("nmc") else EMPTY.format("CAST(NULL AS DOUBLE) AS cinc"))
    if d.has("wdi"):
        wdi = f"""(SELECT code, year, max(value) FILTER (WHERE indicator = 'NY.GDP.MKTP.CD') AS gdp,
                          max(value) FILTER (WHERE indicator = 'SP.POP.TOTL') AS pop FROM {d.t('wdi')} GROUP BY ALL)"""
    else:
        wdi = EMPTY.format("CAST(NULL AS DOUBLE) AS gdp, CAST(NULL AS DOUBLE) AS pop")
    mad = (f"(SELECT code, year, pop_thousands * 1000 AS pop FROM {d.t('maddison')})" if d.has("maddison")
           else EMPTY.format("CAST(NULL AS DOUBLE) AS pop"))
    d.state_year("powsy", f"""SELECT s.code, s.year, n.cinc, w.gdp, coalesce(w.pop, m.pop) AS pop
                              FROM (SELECT DISTINCT code_a AS code, year FROM d) s
                              LEFT JOIN {nmc} n ON n.code = s.code AND n.year = s.year
                              LEFT JOIN {wdi} w ON w.code = s.code AND w.year = s.year
                              LEFT JOIN {mad} m ON m.code = s.code AND m.year = s.year""")
    src_c = f"COW National Material Capabilities ({_version(d, 'nmc') or 'version unknown'})"
    src_g = "World Bank WDI (datahub); Maddison Project 2023 for population before 1960"
    cov = "state-years of the source; never filled"
    cols = {"cinc_a": ("power", "CINC share of A (0-1)", src_c, cov), "cinc_b": ("power", "CINC share of B", src_c, cov),
            "cinc_ratio_a_b": ("power", "CINC A / CINC B", src_c, cov), "gdp_a_usd": ("power", "GDP of A, current US$", src_g, cov),
            "gdp_b_usd": ("power", "GDP of B, current US$", src_g, cov), "gdp_ratio_a_b": ("power", "GDP A / GDP B", src_g, cov),
            "pop_a": ("power", "population of A", src_g, cov), "pop_b": ("power", "population of B", src_g, cov),
            "pop_ratio_a_b": ("power", "population A / population B", src_g, cov)}
    d.exprs(cols, {"cinc_a": "pwa.cinc", "cinc_b": "pwb.cinc", "cinc_ratio_a_b": "pwa.cinc / nullif(pwb.cinc, 0)",
                   "gdp_a_usd": "pwa.gdp", "gdp_b_usd": "pwb.gdp", "gdp_ratio_a_b": "pwa.gdp / nullif(pwb.gdp, 0)",
                   "pop_a": "pwa.pop", "pop_b": "pwb.pop", "pop_ratio_a_b": "pwa.pop / nullif(pwb.pop, 0)"},
            ["LEFT JOIN powsy pwa ON pwa._ks = d._ka", "LEFT JOIN powsy pwb ON pwb._ks = d._kb"])
    if d.has("nmc"):
        d.record("nmc", src_c, d.span("nmc"), cov, ["cinc_a", "cinc_b", "cinc_ratio_a_b"])
    if d.has("wdi"):
        d.record("wdi", src_g, d.span("wdi"), cov, ["gdp_a_usd", "gdp_b_usd", "gdp_ratio_a_b", "pop_a", "pop_b", "pop_ratio_a_b"])
