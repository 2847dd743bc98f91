"""``jingdu serve``: the web workbench on this machine (loopback by default)."""

from __future__ import annotations

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
    workers: Annotated[int, typer.Option("--workers", min=1, max=64,
                                         help="server processes, each with its own connection to the bank")] = 1,
    threads: Annotated[int, typer.Option("--threads", min=1, max=64,
                                         help="threads per process for heavy work (reading, annotating, "
                                              "exporting); more waiting jobs are answered 503 busy")] = 2,
) -> None:
    """Serve the workbench: read, correct and search notes in the browser."""
    import uvicorn

    from jingdu.bank.schema import default_path
    from jingdu.errors import JingduError
    from jingdu.web import WebOptions, create_app

    path = db or default_path()
    try:
        app = create_app(path, WebOptions(annotate=not no_annotate, workers=threads))
    except (JingduError, OSError) as exc:
        raise fail(f"cannot open the bank {path}: {exc}") from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"[yellow]warning:[/yellow] listening on {host}: anyone who can reach it can read "
                          "and change the bank")
    err_console.print(f"jingdu workbench on http://{host}:{port}/ (bank {path})")
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    from jingdu.web.app import share_settings

    share_settings(path, app, workers=threads)  # every process serves the same bank, options and secret
    uvicorn.run("jingdu.web.app:from_settings", factory=True, workers=workers, host=host, port=port,
                log_level="warning")


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    app.command("serve")(serve)
