"""What every command shares: the consoles, the common options, errors, the one table writer."""
from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console

from ..errors import UnknownCountryError, UsageError


class _LazyApi:
    """:mod:`multipolar.api`, imported when a command first calls it (``--help`` and argument errors stay fast:
    the API pulls in pandas, DuckDB and the readers)."""

    def __getattr__(self, name: str):
        from .. import api as module
        return getattr(module, name)


api = _LazyApi()

def _console(stderr: bool = False) -> Console:
    """A terminal gets tables fitted to its width; a pipe or a file gets them whole (no wrapped lines or words cut in
    two, so ``multipolar data status | grep unvotes`` finds its rows)."""
    stream = sys.stderr if stderr else sys.stdout
    tty = hasattr(stream, "isatty") and stream.isatty()
    return Console(stderr=stderr, width=None if tty else PIPE_WIDTH)


#: the line width when the output is not a terminal: wide enough that no table row wraps
PIPE_WIDTH = 100_000
console = _console()
err = _console(stderr=True)

DB = typer.Option(None, "--db", help="Warehouse file (default: $MULTIPOLAR_DB or the user data directory).")


def _fail(e: Exception) -> None:
    """Print the error and exit: status 2 when the command is written wrong (a usage error, a state name that
    resolves to nothing), 1 when the input files or the data are at fault."""
    err.print(f"[bold red]error:[/] {e}")
    raise typer.Exit(2 if isinstance(e, (UsageError, UnknownCountryError)) else 1)



SPARK = "▁▂▃▄▅▆▇█"


def _spark(values, lo, hi) -> str:
    import math
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append(" ")
        else:
            out.append(SPARK[min(len(SPARK) - 1, max(0, int((v - lo) / (hi - lo + 1e-12) * len(SPARK))))])
    return "".join(out)


def _write_table(df, out: Path) -> None:
    suf = out.suffix.lower()
    out.parent.mkdir(parents=True, exist_ok=True)
    if suf == ".parquet":
        df.to_parquet(out, index=False)
    elif suf == ".csv":
        df.to_csv(out, index=False)
    elif suf == ".dta":
        df.to_stata(out, write_index=False, version=118)
    else:
        raise typer.BadParameter(f"{out}: unknown format {suf!r}; use .parquet, .csv or .dta", param_hint="--out")

