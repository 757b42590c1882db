"""`multipolar report` (the offline HTML report) and `multipolar snapshot build` (the embedded snapshot)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import MultipolarError, UsageError
from ._common import DB, DRAWS, FORMAT, YEARS, _fail, api, check_format, console, emit_record, err


def report(out: Path = typer.Option(Path("multipolar-report.html"), "--out", "-o", help="The HTML file to write. The report "
                                    "is a file, so it is written even without --out (to multipolar-report.html)."),
           focus: str = typer.Option("RUS", "--focus", help="The state whose partner network is drawn."),
           years: Optional[str] = YEARS("1991 to the latest year with data"),
           triangle: str = typer.Option("USA,RUS,CHN", "--triangle", help="Three states for the strategic triangle."),
           draws: int = DRAWS("posterior draws for the bloc probabilities (default 100)", 100),
           boot: Optional[int] = typer.Option(None, "--boot", hidden=True, help="Deprecated: --draws."),
           fmt: str = FORMAT, db: Optional[Path] = DB):
    """Write the offline HTML report: blocs, poles, the triangle, a focus state's partners,
    de-globalization, movers, data and coverage (on the warehouse, or the embedded snapshot when it is empty).
    Its product is the HTML file: it is written to multipolar-report.html unless --out names another."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from ..report.sections import SECTIONS
    fmt = check_format(fmt)
    if boot is not None:
        err.print("[yellow]note[/] --boot is deprecated: write --draws", highlight=False)
        draws = boot
    tri = [s.strip() for s in triangle.split(",") if s.strip()]
    if len(tri) != 3:
        _fail(UsageError(f"--triangle: give three states separated by commas, e.g. USA,RUS,CHN (got {triangle!r})"))
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                      console=console, transient=True, disable=fmt != "table") as bar:
            task = bar.add_task("report: loading the dyad measures", total=len(SECTIONS))

            def step(name):
                bar.update(task, advance=1, description=f"report: {name.replace('_section', '').replace('_', ' ')} done")
            path = api.write_report(out, db=db, years=years, focus=focus, triangle=tuple(tri), draws=draws, progress=step)
    except MultipolarError as e:
        _fail(e)
    if not emit_record({"path": str(path), "bytes": path.stat().st_size}, fmt):
        console.print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")



snapshot_app = typer.Typer(help="The embedded snapshot that the package ships.", no_args_is_help=True)


@snapshot_app.command("build")
def snapshot_build(shared: Optional[Path] = typer.Option(None, "--shared", help="Folder of public data (default: $MULTIPOLAR_SHARED or ../shared/data)."),
                   snapshot_dir: Optional[Path] = typer.Option(None, "--snapshot-dir", help="The snapshot folder to write (a folder "
                                                               "of files, not a table; default: the package's own snapshot folder)."),
                   out: Optional[Path] = typer.Option(None, "--out", hidden=True, help="Deprecated: --snapshot-dir."),
                   fmt: str = FORMAT):
    """Rebuild the embedded snapshot from the public sources (one command). The files are written to a temporary
    folder and swapped in when all are written: a failed build leaves the snapshot as it was. A snapshot built
    elsewhere (--snapshot-dir) is read when MULTIPOLAR_SNAPSHOT names its folder."""
    fmt = check_format(fmt)
    if out is not None:
        err.print("[yellow]note[/] --out is deprecated here: the snapshot is a folder, write --snapshot-dir", highlight=False)
        snapshot_dir = snapshot_dir or out
    try:
        path = api.build_snapshot(shared, snapshot_dir)
    except MultipolarError as e:
        _fail(e)
    if not emit_record({"path": str(path)}, fmt):
        console.print(f"snapshot written to {path}")
