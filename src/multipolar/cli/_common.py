"""What every command shares: the consoles, the common options (one spelling per idea), errors and exit codes,
the one writer (through :func:`multipolar.api.write`) and the one renderer.

The conventions, the same in every command and in its Python twin in :mod:`multipolar.api`:

- ``--years 2019`` or ``--years 1991:2024`` (:func:`multipolar.years.parse_years`);
- ``--states RUS,CHN`` for a list of states;
- ``--draws N`` for any resampling;
- ``--out FILE`` writes a file whose format follows the suffix (.parquet, .csv, .dta, .json); nothing is written
  without it (``report`` excepted: its HTML file is its product);
- ``--format table|csv|json`` for what is printed (csv and json print only the result on standard output; the notes
  go to standard error);
- commands that store results in the warehouse say so and take ``--no-store``;
- exit status 2 for usage errors, 1 for errors in the input files or the data.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from ..errors import MultipolarError, UnknownCountryError, UsageError


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

# --- the shared options ---------------------------------------------------------------------------------------
DB = typer.Option(None, "--db", help="Warehouse file (default: $MULTIPOLAR_DB or the user data directory).")
FORMAT = typer.Option("table", "--format", "-f", help="What is printed: table, csv or json (csv and json: the result "
                      "only, on standard output; notes on standard error).", metavar="table|csv|json")
OUT_HELP = "Write the result to FILE; the format follows the suffix: .parquet, .csv, .dta or .json. Nothing is written without it."
OUT = typer.Option(None, "--out", "-o", help=OUT_HELP)
STATES = typer.Option(None, "--states", "-s", help="States, comma-separated: names or codes, e.g. RUS,CHN.")
FORMATS = ("table", "csv", "json")


def YEARS(default: str = "every year with data") -> typer.Option:  # noqa: N802  (an option, like DB)
    """The ``--years`` option with its default said."""
    return typer.Option(None, "--years", "-y", help=f"A year (2019) or years FIRST:LAST (1991:2024); default: {default}. "
                        "Years beyond the data are clipped to them, with a note.")


def DRAWS(what: str, default) -> typer.Option:  # noqa: N802
    """The ``--draws`` option (any resampling) with what is drawn and its default."""
    return typer.Option(default, "--draws", help=f"Draws: {what}.")


def NO_STORE(what: str) -> typer.Option:  # noqa: N802
    """``--store/--no-store`` for commands that keep their results in the warehouse."""
    return typer.Option(True, "--store/--no-store", help=f"Keep the results in the warehouse ({what}); --no-store keeps nothing.")


def deprecated_years(years, old, name: str):
    """An old spelling of ``--years`` (a positional year, ``--year``): used when ``--years`` is not given, with a note."""
    if old is None:
        return years
    if years is not None:
        _fail(UsageError(f"{name} and --years say the same thing: give --years only"))
    err.print(f"[yellow]note[/] {name} is deprecated: write --years {old}", highlight=False)
    return str(old)


def _fail(e: Exception) -> None:
    """Print the error and exit: status 2 when the command is written wrong (a usage error, a state name that
    resolves to nothing), 1 when the input files or the data are at fault."""
    err.print(f"[bold red]error:[/] {e}", highlight=False, soft_wrap=True)
    raise typer.Exit(2 if isinstance(e, (UsageError, UnknownCountryError)) else 1)


def check_format(fmt: str) -> str:
    """``--format`` checked: table, csv or json (else a usage error, exit 2)."""
    f = (fmt or "table").lower()
    if f not in FORMATS:
        _fail(UsageError(f"--format: expected table, csv or json, got {fmt!r}"))
    return f


def save(df, out: Path | None, what: str = "") -> None:
    """Write ``df`` to ``out`` (when given) through the one writer, and say so on standard error."""
    if out is None:
        return
    try:
        path = api.write(df, out)
    except MultipolarError as e:
        _fail(e)
    err.print(f"wrote {path} ({len(df):,} rows{', ' + what if what else ''})", highlight=False, soft_wrap=True)


def emit(df, fmt: str, out: Path | None = None, notes=()) -> bool:
    """The result ``df`` as asked: written to ``out`` (when given); printed as CSV or JSON when ``fmt`` says so (then
    the notes go to standard error and True is returned: the command prints nothing else). False: print the table."""
    fmt = check_format(fmt)
    save(df, out)
    if fmt == "table":
        return False
    if fmt == "csv":
        sys.stdout.write(df.to_csv(index=False))
    else:
        sys.stdout.write(df.to_json(orient="records", date_format="iso", force_ascii=False) + "\n")
    sys.stdout.flush()
    for n in notes:
        err.print(f"note: {n}", highlight=False, soft_wrap=True)
    return True


def emit_record(record: dict, fmt: str) -> bool:
    """A small result (a path, a count) as JSON or one CSV row when ``fmt`` says so; False: print it in words."""
    fmt = check_format(fmt)
    if fmt == "table":
        return False
    if fmt == "json":
        sys.stdout.write(json.dumps(record, default=str, ensure_ascii=False) + "\n")
    else:
        import csv
        w = csv.DictWriter(sys.stdout, fieldnames=list(record))
        w.writeheader()
        w.writerow({k: v for k, v in record.items()})
    sys.stdout.flush()
    return True


def table(df, title: str | None = None) -> Table:
    """A plain rich table of ``df`` (missing values as –)."""
    t = Table(title=title)
    for c in df.columns:
        t.add_column(str(c), overflow="fold")
    for r in df.itertuples(index=False):
        t.add_row(*["–" if v is None or (isinstance(v, float) and v != v) else (f"{v:.3f}" if isinstance(v, float) else str(v))
                    for v in r])
    return t


SPARK = "▁▂▃▄▅▆▇█"


def _spark(values, lo, hi) -> str:
    """A sparkline of ``values`` between ``lo`` and ``hi`` (a blank for a missing value)."""
    import math
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append(" ")
        else:
            out.append(SPARK[min(len(SPARK) - 1, max(0, int((v - lo) / (hi - lo + 1e-12) * len(SPARK))))])
    return "".join(out)
