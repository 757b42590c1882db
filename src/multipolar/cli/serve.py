"""`multipolar serve`: the local web dashboard."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..errors import MultipolarError
from ._common import DB, FORMAT, _fail, api, check_format, console, emit_record


def serve(host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (default: this machine only)."),
          port: int = typer.Option(8000, "--port", help="Port (0: any free port)."), db: Optional[Path] = DB,
          allow_host: Optional[List[str]] = typer.Option(None, "--allow-host", help="A name besides 127.0.0.1, localhost and "
                                                          "[::1] that browsers may use to reach the dashboard (repeatable); "
                                                          "requests naming any other host get 400 (DNS rebinding)."),
          fmt: str = FORMAT):
    """The local web dashboard: country and dyad profiles, blocs by year, a triangle explorer, data and
    coverage, over a JSON API (OpenAPI at /docs). Read-only over the warehouse, read on first use and
    again when it changes (new imports, `simulate` runs)."""
    fmt = check_format(fmt)
    if not api.is_loopback(host):
        console.print(f"[yellow]warning:[/] binding to {host} makes the dashboard reachable from other machines")

    def say(url: str, basis: str) -> None:
        if not emit_record({"url": url, "basis": basis}, fmt):
            console.print(f"multipolar dashboard on {url} ({basis}, read on the first request; Ctrl-C stops)", soft_wrap=True)
    try:
        api.serve(host, port, db=db, allow_hosts=tuple(allow_host or ()), say=say)
    except MultipolarError as e:
        _fail(e)
