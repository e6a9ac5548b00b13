"""``pecoscheck lsp``: findings as an editor's diagnostics, over the Language Server Protocol.

The server (:mod:`pecoscheck.lsp.server`) needs the optional ``pygls`` package
(``pip install 'pecoscheck[lsp]'``); the modules that turn findings into ranges,
hovers and fixes (:mod:`.ranges`, :mod:`.fixes`) are plain Python.
"""

from __future__ import annotations
