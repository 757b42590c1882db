"""The release of an imported file, from the file itself, never a constant of the reader.

A reader names the dataset's *family* (``"ATOP"``, ``"COW NMC"``); :func:`resolve` names the
release, in this order:

1. **The checksum**: :data:`KNOWN` maps the sha256 of files whose release is documented to it (the
   files of the public data folder, in both the CSV and the ``.rda`` that peacesciencer ships), with
   where the release is documented.
2. **The content**, by a stated rule (:data:`RULES`): ATOP from peacesciencer by its documented row
   count, NMC by its last year, the UCDP/PRIO ACD by its last year (release YY.1 covers to 20YY-1).
3. **The file's name**, when it carries a release (``..._v3_...``: ``"COW IGO format 3 (igoR), v3 by the file name"``).
4. **Where the file lies**: an ``.rda`` beside peacesciencer's ``DESCRIPTION`` says the package version.
5. Otherwise ``"<family> (release unknown)"``: a release is never guessed.

Readers whose version string already comes from the file (its name, a date or field inside it) are
left as they are: :func:`resolve` only touches the families of :data:`FAMILIES`.
"""
from __future__ import annotations

import re
from pathlib import Path

PS = "peacesciencer 1.2.9"

#: sha256 -> release, for files whose release is documented. The peacesciencer 1.2.9 data documentation
#: (data-cow.R, data.R; CRAN reference manual) names the release of each table and its row count, which the
#: files match: atop_alliance "v. 5.1", 273,296 rows (v5.0 had 272,046); cow_contdir v3.2, 1,874; cow_trade_sy
#: v4.0, 14,410; cow_mid_dirdisps MID v5.0, 11,390; cow_majors "State System Membership List, v2016", 14;
#: td_rivalries Thompson & Dreyer (2012) 1494-2010, 197; tss_rivalries Thompson et al. (2021) 1494-2020, 264.
#: Its ps_data_version table (raw/peacesciencer/ps_data_version.rda) is not used: it is stale (NMC "6" for a table
#: to 2022, UCDP ACD "20.1" for a table to 2024, ATOP "5").
KNOWN: dict[str, str] = {
    # ATOP 5.1 (peacesciencer's atop_alliance)
    "7fa06abc08e501750736da10dd236086a3691e2cc74b0a949264ba6c4c54f44f": f"ATOP 5.1 ({PS})",
    "1449ca0369aed33ccf3ac66e959d1d7429c981a3840981facc84fcb2c2bc0441": f"ATOP 5.1 ({PS})",
    # COW direct contiguity 3.2
    "8f53296caa1f5fef242855d08ca187c21eb0d05841898a6fae3f2e7f1d6a6548": f"COW Direct Contiguity 3.2 ({PS})",
    "779062fb96238a7c55dbb3436a0925f67d8f0b5bd8e522731c0c3c55f492dd70": f"COW Direct Contiguity 3.2 ({PS})",
    # COW trade 4.0, state-year
    "28ebf2cf9bba6d30ea1b0bf4ed5389e5571e84fc674524da8fd498280c361df5": f"COW Trade 4.0 ({PS})",
    "41ad9d312b6146aa9eaa70d8f5a16a0164b6e27ee4ebe86a928c2ea4de415142": f"COW Trade 4.0 ({PS})",
    # COW MID 5.0, directed dispute-years
    "0b11b187b9f67c8a79f05773930db1798849c7c9018bd3115b3e307b51eb546f": f"COW MID 5.0 ({PS})",
    "7b9fc5fd0785b423b7ddc8b9319fa30d4e2c8a005342b88c2b1d87b7a6e62a0e": f"COW MID 5.0 ({PS})",
    # COW major powers, state system list v2016
    "a06dfdc84fe862b74a3b01aae687a4303851d54b17297a77fa0e5527a3ef507d": f"COW State System 2016 ({PS})",
    "673cb752c2d1af045ea8e2c602b45bc037b84dda9537bfb060142ff255c7f2b6": f"COW State System 2016 ({PS})",
    # strategic rivalries
    "f7b61c151bc71884dfdb634e69999db55075e61b2300659fe3b8fae7ca8c22ec": f"Thompson & Dreyer 2012, 1494-2010 ({PS})",
    "06875a5100a9aaf83a073d6b78078722be7a0ef1c8a851ee31ad36914553c68b": f"Thompson & Dreyer 2012, 1494-2010 ({PS})",
    "5720e034c08578a74590b7648c12280f08cbc5e78a806e444f3c6cd48d964689": f"Thompson, Sakuwa & Suhas 2021, 1494-2020 ({PS})",
    "7d4aabe829ed3f3d32cc16cb1cf4c4fa11588e6823a2c19d73678e29c6879f6f": f"Thompson, Sakuwa & Suhas 2021, 1494-2020 ({PS})",
}

#: the families whose release :func:`resolve` names (the other readers' strings come from their files)
FAMILIES = {"ATOP", "COW NMC", "COW IGO", "COW IGO format 3 (igoR)", "COW Trade", "COW Trade dyadic", "COW MID", "GML MID",
            "COW Inter-State War", "Thompson & Dreyer strategic rivalries", "Thompson, Sakuwa & Suhas strategic rivalries",
            "UCDP/PRIO ACD", "COW Direct Contiguity", "CShapes minimum distance", "COW major powers"}


def _years(parsed) -> tuple[int, int] | None:
    import pandas as pd
    ys = []
    for df in parsed.tables.values():
        if "year" in df.columns:
            y = pd.to_numeric(df["year"], errors="coerce").dropna()
            if len(y):
                ys += [int(y.min()), int(y.max())]
    return (min(ys), max(ys)) if ys else None


def _atop(parsed, raw_years):
    # peacesciencer's directed dyad-years: its documentation gives the row count of each release
    return {273_296: "ATOP 5.1", 272_046: "ATOP 5.0"}.get(int(parsed.rows_read))


def _nmc(parsed, raw_years):
    # NMC 5.0 covers 1816-2012 and NMC 6.0 1816-2016 (their codebooks); a later last year names no release we can document
    last = raw_years[1] if raw_years else None
    return {2012: "COW NMC 5.0", 2016: "COW NMC 6.0"}.get(last)


def _ucdp(parsed, raw_years):
    # UCDP names its yearly release YY.1 after the year it is published, covering to the year before
    return f"UCDP/PRIO ACD {(raw_years[1] + 1) % 100:02d}.1 (by its last year, {raw_years[1]})" if raw_years else None


#: family -> rule(parsed, (first, last) year of the file's rows) -> release or None
RULES = {"ATOP": _atop, "COW NMC": _nmc, "UCDP/PRIO ACD": _ucdp}


def _package_beside(path: Path) -> str | None:
    d = path.parent / "DESCRIPTION"
    try:
        text = d.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    pkg = re.search(r"^Package:\s*(\S+)", text, re.M)
    ver = re.search(r"^Version:\s*(\S+)", text, re.M)
    return f"{pkg.group(1)} {ver.group(1)}" if pkg and ver else None


def resolve(family: str, path, sha: str | None, parsed, raw_years: tuple[int, int] | None = None) -> str:
    """The version string of a parsed file (see the module's docstring). ``raw_years``: the first
    and last year of the file's own rows (before rows outside the state system were set aside);
    default: those of the parsed tables."""
    if family not in FAMILIES:
        return family
    if sha and sha in KNOWN:
        return KNOWN[sha]
    rule = RULES.get(family)
    release = rule(parsed, raw_years or _years(parsed)) if rule else None
    m = re.search(r"(?:^|[_\-. ])v(\d+(?:\.\d+)*)(?=[_\-. ])", Path(path).name, re.I) if path and not release else None
    if m:
        release = f"{family}, v{m.group(1)} by the file name"
    pkg = _package_beside(Path(path)) if path else None
    name = release or f"{family} (release unknown)"
    return f"{name} ({pkg})" if pkg else name
