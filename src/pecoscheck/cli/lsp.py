"""``pecoscheck lsp``: the language server, for editors."""

from __future__ import annotations

from ._common import app, fail


@app.command()
def lsp() -> None:
    """Run the language server over stdio: findings as diagnostics while you type (needs pecoscheck[lsp])."""
    try:
        from ..lsp.server import serve
    except ImportError as exc:
        fail(f"the language server needs pygls ({exc.name or exc}): pip install 'pecoscheck[lsp]'")
    serve()
