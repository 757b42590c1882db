"""The Caldara-Iacoviello Geopolitical Risk index (monthly; world, historical and 44 country series)."""
from __future__ import annotations

from collections import Counter

import pandas as pd

from ..errors import InputError, show
from .base import Parsed, Reader, check_years


class GPR(Reader):
    """The Geopolitical Risk index, monthly: the world series and the country series (GPRC_/GPRHC_ with the
    code), long."""
    name, title = "gpr", "Geopolitical Risk index (Caldara & Iacoviello)"
    citation = "Caldara, D., Iacoviello, M. (2022). Measuring Geopolitical Risk. American Economic Review 112(4): 1194-1225."
    license = "free with citation"
    keys = {"gpr": ["month", "series"]}
    signatures = {"monthly": ({"month", "GPR", "GPRT", "GPRA"}, {"MONTH", "GPR", "GPRT", "GPRA"})}

    def read(self, path, layout, head):
        from . import frame
        df = frame(path, head)
        rows = len(df)
        mcol = "month" if "month" in df.columns else "MONTH"
        m = pd.to_datetime(df[mcol], errors="coerce")
        if m.isna().any():
            i = int(m.isna().to_numpy().nonzero()[0][0])
            raise InputError(f"not a month: {show(df[mcol].iloc[i])}", file=str(path), line=int(df["__line"].iloc[i]), field=mcol, expected="a date")
        check_years(m.dt.year, path, col=mcol, lo=1899, lines=df["__line"])
        # every numeric column is a series, except multipolar's own line numbers (once stored as a series '__line')
        series = [c for c in df.columns if c not in (mcol, "var_name", "var_label") and not str(c).startswith("__")
                  and pd.api.types.is_numeric_dtype(df[c])]
        long = df.assign(month=m.dt.date.astype(str))[["month"] + series].melt(id_vars="month", var_name="series", value_name="value").dropna()
        long["code"] = long["series"].where(long["series"].str.startswith("GPRC_") | long["series"].str.startswith("GPRHC_")).str.split("_").str[1]
        long["year"] = long["month"].str[:4].astype("int64")
        return Parsed({"gpr": long.reset_index(drop=True)}, rows_read=rows, rejected=Counter(), version=f"GPR to {long['month'].max()}",
                      partitions={"gpr": ["month"]})
