"""The command line: a thin face on :mod:`multipolar.api`, one module per command group.

``multipolar.cli:main`` is the ``multipolar`` script. Every module here imports only typer, rich and
:mod:`multipolar.cli._common` at its top: pandas, DuckDB and the readers load when a command runs, so
``multipolar --help`` and ``multipolar actors RUS`` start fast (benchmarks/startup.py).

    data.py       data import | status | sources
    actors.py     actors
    values.py     idealpoints (runs, use, drop, compare)
    dyads.py      dyads, relation
    structure.py  poles, triangle, triangles, blocs, trends
    gravity.py    gravity replicate | fit | backtest | fragmentation, simulate
    report.py     report, snapshot build
    serve.py      serve
    events.py     events import | aggregate | dyad
    text.py       read, check
    _common.py    the consoles, the shared options, errors and exit codes, the one writer and renderer
"""
from __future__ import annotations

import typer

from . import actors, data, dyads, events, gravity, report, serve, structure, text, values

app = typer.Typer(help="multipolar: the fragmenting international system in numbers.", no_args_is_help=True, add_completion=False)
app.add_typer(data.data_app, name="data")
app.command("actors")(actors.actors)
app.command("report")(report.report)
app.command("serve")(serve.serve)
app.command("idealpoints", context_settings={"allow_interspersed_args": True})(values.idealpoints)
app.command("dyads")(dyads.dyads_cmd)
app.command("relation")(dyads.relation_cmd)
app.command("read")(text.read_cmd)
app.command("check")(text.check_cmd)
app.command("poles", context_settings=structure.OLD_POSITIONAL)(structure.poles_cmd)
app.command("triangle")(structure.triangle_cmd)
app.command("triangles", context_settings=structure.OLD_POSITIONAL)(structure.triangles_cmd)
app.command("blocs", context_settings=structure.OLD_POSITIONAL)(structure.blocs_cmd)
app.command("trends")(structure.trends_cmd)
app.add_typer(gravity.gravity_app, name="gravity")
app.command("simulate")(gravity.simulate)
app.add_typer(events.events_app, name="events")
app.add_typer(report.snapshot_app, name="snapshot")


def main():
    """The ``multipolar`` script."""
    app()


if __name__ == "__main__":
    main()
