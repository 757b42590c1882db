"""Running the dashboard (``multipolar serve``): bind the port first, say where it is, then serve.

The socket is bound before anything is printed, so a port in use is one clear error (which port,
and how to pick another) instead of a "dashboard on ..." line followed by a traceback. Nothing is
read from the warehouse before the port opens (:mod:`multipolar.web.store` reads on first use).
"""
from __future__ import annotations

import errno
import os
import socket
import sys

from ..errors import InputError, MultipolarError

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class PortInUse(MultipolarError):
    """The port is taken by another program (or another dashboard)."""


def bind(host: str, port: int) -> socket.socket:
    """A TCP socket bound to (host, port), not yet listening. ``port`` 0: any free port."""
    if not 0 <= port <= 65535:
        raise InputError(f"--port: {port} is not a port number", expected="0 to 65535 (0: any free port)")
    host = host.strip("[]")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        raise InputError(f"--host: {host!r} is not an address of this machine ({e.strerror})",
                         expected="127.0.0.1 (the default), ::1, localhost, or one of this machine's addresses") from None
    family, _, _, _, addr = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    try:
        sock.bind(addr)
    except OSError as e:
        sock.close()
        if e.errno == errno.EADDRINUSE:
            raise PortInUse(f"port {port} on {host} is already in use (another program, or a dashboard already running, listens "
                            f"there). What to do: pick another port, e.g. `multipolar serve --port {port + 1 if port < 65535 else 8001}`, "
                            f"or `--port 0` for any free one; or stop the program that holds it (`ss -ltnp 'sport = :{port}'` names it)") from None
        if e.errno == errno.EACCES:
            raise PortInUse(f"port {port} on {host}: permission denied (ports below 1024 need root). What to do: pick a port "
                            f"above 1023, e.g. `multipolar serve --port 8000`") from None
        if e.errno == errno.EADDRNOTAVAIL:
            raise InputError(f"--host: {host!r} is not an address of this machine",
                             expected="127.0.0.1 (the default), ::1, localhost, or one of this machine's addresses") from None
        raise
    return sock


def url(sock: socket.socket, host: str) -> str:
    """The address the socket serves at, for the message (IPv6 hosts in brackets)."""
    port = sock.getsockname()[1]
    shown = host.strip("[]")
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def make_server(host: str = "127.0.0.1", port: int = 8000, db=None, allow_hosts: tuple[str, ...] = (),
                log_level: str = "warning"):
    """``(server, socket)``: a uvicorn server for the dashboard and its bound socket (run it with
    ``server.run(sockets=[socket])``). Raises :class:`PortInUse` when the port is taken. Reads
    nothing from the warehouse but, when there is one, its list of tables (a file that is not a
    warehouse fails here rather than on the first page)."""
    import uvicorn

    from .app import create_app
    from .store import Store, fingerprint
    sock = bind(host, port)
    try:
        store = Store(db)
        if store.path.exists():
            fingerprint(store.path)
        app = create_app(store=store, allow_hosts=allow_hosts, warm=True)
        server = uvicorn.Server(uvicorn.Config(app, log_level=log_level, access_log=False, timeout_graceful_shutdown=5))
    except BaseException:
        sock.close()
        raise
    return server, sock


def serve(host: str = "127.0.0.1", port: int = 8000, db=None, allow_hosts: tuple[str, ...] = (), say=print,
          log_level: str = "warning") -> None:
    """Bind, print where the dashboard is (``say``), and serve until interrupted. Raises
    :class:`PortInUse` (nothing printed) when the port is taken."""
    server, sock = make_server(host, port, db, allow_hosts, log_level)
    store = server.config.app.state.store
    interrupted = False
    try:
        say(url(sock, host))
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        interrupted = True
    finally:
        sock.close()
        if store.busy():
            # a read still running in the background (DuckDB, in a thread) cannot be stopped from
            # Python, and the interpreter's own shutdown would abort in it: leave at once instead
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(130 if interrupted else 0)
    if interrupted:
        raise KeyboardInterrupt
