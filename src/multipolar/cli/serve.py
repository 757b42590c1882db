"""`multipolar serve`: the local web dashboard."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..errors import MultipolarError
from ._common import DB, _fail, console


def serve(host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (default: this machine only)."),
          port: int = typer.Option(8000, "--port", help="Port (0: any free port)."), db: Optional[Path] = DB,
          allow_host: Optional[List[str]] = typer.Option(None, "--allow-host", help="A name besides 127.0.0.1, localhost and "
                                                          "[::1] that browsers may use to reach the dashboard (repeatable); "
                                                          "requests naming any other host get 400 (DNS rebinding).")):
    """The local web dashboard: country and dyad profiles, blocs by year, a triangle explorer, data and
    coverage, over a JSON API (OpenAPI at /docs). Read-only over the warehouse, read on first use and
    again when it changes (new imports, `simulate` runs)."""
    from ..web.server import LOOPBACK_HOSTS, serve as run
    if host.strip("[]") not in LOOPBACK_HOSTS:
        console.print(f"[yellow]warning:[/] binding to {host} makes the dashboard reachable from other machines")
    from ..warehouse import Warehouse
    path = Warehouse(db).path
    basis = f"the warehouse {path}" if path.exists() else "the embedded snapshot (no warehouse at " + str(path) + ")"

    def say(url: str) -> None:
        console.print(f"multipolar dashboard on {url} ({basis}, read on the first request; Ctrl-C stops)", soft_wrap=True)
    try:
        run(host, port, db, tuple(allow_host or ()), say=say)
    except MultipolarError as e:
        _fail(e)
