"""Where the numbers come from: the imports behind the warehouse (or the embedded snapshot), their coverage per
source, table and year, and the citations. Read by the report and the dashboard alike."""
from __future__ import annotations

import json

import pandas as pd

from .snapshot import DERIVED_TABLES


def coverage_from_warehouse(w) -> pd.DataFrame:
    """Rows per (source, table, year) for every imported table with a year column."""
    st = w.status()
    rows = []
    with w.connect() as con:
        tables = {r[0]: [c[0] for c in con.execute(f"DESCRIBE \"{r[0]}\"").fetchall()] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema='main' AND table_name <> '_imports'").fetchall()}
        owner = {}
        for r in st.itertuples(index=False):
            for t in json.loads(r.tables):
                owner[t] = r.source
        owner.update({t: s for t, s in DERIVED_TABLES.items() if t in tables})
        for t, cols in tables.items():
            if "year" not in cols or t not in owner:
                continue
            for y, n in con.execute(f'SELECT year, count(*) FROM "{t}" WHERE year IS NOT NULL GROUP BY year').fetchall():
                rows.append((owner[t], t, int(y), int(n)))
    return pd.DataFrame(rows, columns=["source", "table", "year", "rows"]).sort_values(["source", "table", "year"]).reset_index(drop=True)


def provenance(db=None) -> tuple[str, list[dict], pd.DataFrame, list[dict]]:
    """(basis, imports, coverage per source-table-year, citations) from the warehouse or the snapshot."""
    from . import snapshot
    from .sources import readers
    from .warehouse import Warehouse
    w = Warehouse(db)
    st = w.status() if w.path.exists() else pd.DataFrame()
    rs = readers()
    if len(st):
        basis = f"the warehouse {w.path}"
        cov = coverage_from_warehouse(w)
        prov = [dict(source=r.source, version=r.version, file=r.file_name, sha256=r.sha256[:12], rows=int(r.rows_kept), rejected=int(r.rows_rejected),
                     years=(f"{int(r.year_min)}–{int(r.year_max)}" if pd.notna(r.year_min) else "static"), when=f"{r.imported_at:%Y-%m-%d}")
                for r in st.itertuples(index=False)]
    else:
        man = snapshot.manifest()
        basis = f"the embedded snapshot (built {man['built']} by `{man['built_with']}`)"
        cov = snapshot.load("coverage")
        prov = [dict(source=i["source"], version=i["version"], file=i["file"], sha256=i["sha256"][:12], rows=i["rows"], rejected=i["rejected"],
                     years=(f"{i['year_min']}–{i['year_max']}" if i["year_min"] else "static"), when=man["built"]) for i in man["imports"]]
    used = sorted({p["source"] for p in prov})
    cites = [dict(source=n, title=rs[n].title, citation=rs[n].citation, license=rs[n].license) for n in used if n in rs]
    return basis, prov, cov, cites
