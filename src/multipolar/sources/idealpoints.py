"""Published UN ideal-point estimates (Bailey, Strezhnev & Voeten layout) or a user's own."""
from __future__ import annotations

from collections import Counter


from .base import Parsed, Reader, check_duplicates, check_years, map_countries, to_numeric


class IdealPoints(Reader):
    """Columns ccode (COW), iso3c, year, idealpointfp, idealpointall and quantile columns
    (e.g. q5all, q50all, q95all); session and country name columns are kept when present."""
    name, title = "idealpoints", "Published UN General Assembly ideal points"
    citation = "Bailey, M., Strezhnev, A., Voeten, E. (2017). Estimating Dynamic State Preferences from United Nations Voting Data. JCR 61(2): 430-456."
    license = "CC0 (Harvard Dataverse)"
    keys = {"ideal_points_published": ["code", "year"]}
    signatures = {"bsv": ({"ccode", "year", "idealpointfp"}, {"ccode", "year", "idealpointall"})}
    fold_case = True

    def read(self, path, layout, head):
        from . import frame
        df = frame(path, head)
        df.columns = [c.lower() for c in df.columns]
        rows = len(df)
        rej = Counter()
        df["year"] = to_numeric(df, "year", path, integer=True, allow_na=False)
        check_years(df["year"], path, lo=1946)
        df["ccode"] = to_numeric(df, "ccode", path, integer=True, allow_na=False)
        num = [c for c in df.columns if c.startswith("idealpoint") or (c.startswith("q") and c[1:3].rstrip("a").isdigit())]
        for c in num:
            df[c] = to_numeric(df, c, path)
        df = map_countries(df, "ccode", system="cow", year="year", path=path, rejected=rej)
        keep = ["code", "year"] + [c for c in ("session", "iso3c", "countryname") if c in df.columns] + num
        out = df[keep]
        check_duplicates(out, ["code", "year"], path)
        return Parsed({"ideal_points_published": out.reset_index(drop=True)}, rows_read=rows, rejected=rej, version="published ideal points")
