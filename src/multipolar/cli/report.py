"""`multipolar report` (the offline HTML report) and `multipolar snapshot build` (the embedded snapshot)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import MultipolarError, UsageError
from ._common import DB, _fail, api, console


def report(out: Path = typer.Option(Path("multipolar-report.html"), "--out", "-o", help="HTML file to write."),
           focus: str = typer.Option("RUS", "--focus", help="The state whose partner network is drawn."),
           years: Optional[str] = typer.Option(None, "--years", help="Years, e.g. 1991:2024 (default 1991 to the latest with data)."),
           triangle: str = typer.Option("USA,RUS,CHN", "--triangle", help="Three states for the strategic triangle."),
           boot: int = typer.Option(100, "--boot", help="Posterior draws for the bloc probabilities."),
           db: Optional[Path] = DB):
    """Write the offline HTML report: blocs, poles, the triangle, a focus state's partners,
    de-globalization, movers, data and coverage (on the warehouse, or the embedded snapshot when it is empty)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from ..report.sections import SECTIONS
    tri = [s.strip() for s in triangle.split(",") if s.strip()]
    if len(tri) != 3:
        _fail(UsageError(f"--triangle: give three states separated by commas, e.g. USA,RUS,CHN (got {triangle!r})"))
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                      console=console, transient=True) as bar:
            task = bar.add_task("report: loading the dyad measures", total=len(SECTIONS))

            def step(name):
                bar.update(task, advance=1, description=f"report: {name.replace('_section', '').replace('_', ' ')} done")
            path = api.write_report(out, db=db, years=years, focus=focus, triangle=tuple(tri), n_boot=boot, progress=step)
    except MultipolarError as e:
        _fail(e)
    console.print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")



snapshot_app = typer.Typer(help="The embedded snapshot that the package ships.", no_args_is_help=True)


@snapshot_app.command("build")
def snapshot_build(shared: Optional[Path] = typer.Option(None, "--shared", help="Folder of public data (default: $MULTIPOLAR_SHARED or ../shared/data)."),
                   out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default: the package's snapshot folder).")):
    """Rebuild the embedded snapshot from the public sources (one command). The files are written to a temporary
    folder and swapped in when all are written: a failed build leaves the snapshot as it was. A snapshot built
    elsewhere (--out) is read when MULTIPOLAR_SNAPSHOT names its folder."""
    try:
        path = api.build_snapshot(shared, out)
    except MultipolarError as e:
        _fail(e)
    console.print(f"snapshot written to {path}")
