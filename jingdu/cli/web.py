"""``jingdu serve``: the web workbench on this machine (loopback by default)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated

import typer

from jingdu.cli.common import err_console, fail

DB_HELP = ("the bank, a SQLite file "
           "(default: $JINGDU_HOME/bank.db, else ${XDG_DATA_HOME:-~/.local/share}/jingdu/bank.db)")


def serve(
    db: Annotated[Path | None, typer.Option("--db", help=DB_HELP)] = None,
    host: Annotated[str, typer.Option(help="address to listen on; 127.0.0.1 keeps it on this machine")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    no_annotate: Annotated[bool, typer.Option("--no-annotate", help="do not suggest marks for new notes")] = False,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", help="another name this server answers for (a Host header); repeat for more")] = None,
    token: Annotated[str | None, typer.Option(
        help="the token visitors log in with; one is made and printed when listening beyond loopback")] = None,
    allow_private_fetch: Annotated[bool, typer.Option(
        "--allow-private-fetch", help="let the server fetch URLs on this machine or a private network")] = False,
    fetch_timeout: Annotated[float, typer.Option(help="seconds a whole URL fetch may take")] = 15.0,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64,
                                         help="server processes, each with its own connection to the bank")] = 1,
    threads: Annotated[int, typer.Option("--threads", min=1, max=64,
                                         help="threads per process for heavy work (reading, annotating, "
                                              "exporting); more waiting jobs are answered 503 busy")] = 2,
) -> None:
    """Serve the workbench: read, correct and search notes in the browser."""
    import secrets

    from jingdu.bank.schema import default_path
    from jingdu.errors import JingduError
    from jingdu.web import WebOptions, create_app
    from jingdu.web.security import allowed_hosts, is_loopback

    path = db or default_path()
    if not is_loopback(host) and not token:
        token = secrets.token_urlsafe(24)
    options = WebOptions(annotate=not no_annotate, allow_private_fetch=allow_private_fetch, token=token or None,
                         fetch_timeout=fetch_timeout, workers=threads,
                         allowed_hosts=allowed_hosts(host, tuple(allowed_host or ())))
    try:
        app = create_app(path, options)
    except (JingduError, OSError) as exc:
        raise fail(f"cannot open the bank {path}: {exc}") from None
    try:
        sock = listen(host, port)
    except OSError as exc:
        raise fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    if app.state.store.bank.read_only:
        err_console.print(f"[yellow]note:[/yellow] the bank {path} is read-only: notes can be read and searched, "
                          "not added or changed")
    shown = f"[{host}]" if ":" in host else host
    err_console.print(f"jingdu workbench on http://{shown}:{sock.getsockname()[1]}/ (bank {path})")
    if token:
        err_console.print(f"log in with the token: {token}  (or open http://{shown}:{sock.getsockname()[1]}/?token={token})",
                          soft_wrap=True, markup=False)
    if workers == 1:
        run(app, sock)
        return
    import uvicorn

    from jingdu.web.app import share_settings

    share_settings(path, app)  # every process serves the same bank, options and secret
    uvicorn.run("jingdu.web.app:from_settings", factory=True, workers=workers, fd=sock.fileno(), log_level="warning")


def listen(host: str, port: int) -> socket.socket:
    """A socket bound and listening, so a busy port is known before anything is printed."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def run(app: object, sock: socket.socket) -> None:
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))  # type: ignore[arg-type]
    server.run(sockets=[sock])


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    app.command("serve")(serve)
