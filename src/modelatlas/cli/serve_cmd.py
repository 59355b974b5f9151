"""``modelatlas serve``: a local HTTP server over a built folder with the gateway's /v1/models semantics."""

from __future__ import annotations

from pathlib import Path

import click

from modelatlas.serve import make_server


@click.command("serve")
@click.option("--dir", "build_dir", type=click.Path(path_type=Path), default=Path("build"), show_default=True,
              help="The built folder to serve (from 'modelatlas build').")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--quiet", is_flag=True, help="Do not log each request.")
def command(build_dir: Path, host: str, port: int, quiet: bool) -> None:
    """Serve GET /v1/models?provider=&page_size=&page_token= and the built files until Ctrl-C."""
    server = make_server(build_dir, host, port, quiet=quiet)
    bound_host, bound_port = server.server_address[:2]
    click.echo(f"serving {build_dir} at http://{bound_host}:{bound_port}/ (API: /v1/models, described in "
               "/openapi.json); Ctrl-C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.server_close()
