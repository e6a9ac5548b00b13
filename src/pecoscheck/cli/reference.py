"""``pecoscheck reference``: what a profile may contain (sections, keys, allowed values, document types)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from ._common import app, fail, write_output


def _print_table(title: str, columns: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title, title_justify="left", box=None, header_style="bold")
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*(escape(c) for c in row))
    Console(width=160 if not sys.stdout.isatty() else None).print(table)


@app.command("reference")
def reference(
    topic: Annotated[str | None, typer.Argument(metavar="[TOPIC]", help=(
        "sections, enums, documents, a section such as licenses, or a key such as "
        "provider.practitioner_type."))] = None,
    name: Annotated[str | None, typer.Argument(metavar="[NAME]", help="With `enum`: the key.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra folder of YAML rule packs.")] = None,
) -> None:
    """List what a profile may contain: sections and keys, allowed values, document type ids."""
    from .. import reference as ref
    from ..errors import PecosCheckError

    if format not in ("text", "json"):
        fail("--format must be text or json")
    data: Any
    rows: list[tuple[str, ...]]
    cols: tuple[str, ...]
    if topic == "enum":
        if not name:
            fail("`reference enum` needs a key, e.g. `pecoscheck reference enum provider.practitioner_type`")
        topic = name
    if topic is None:
        data = ref.TOPICS
        rows = [(k, v) for k, v in ref.TOPICS.items()]
        title, cols = "Topics: pecoscheck reference TOPIC", ("topic", "what")
    elif topic == "sections":
        data = ref.sections()
        rows = [(s["name"], "yes" if s["required"] else "no", s["description"]) for s in data]
        title, cols = "Profile sections", ("section", "required", "description")
    elif topic == "enums":
        data = ref.enums()
        rows = [(k, ", ".join(v["values"]), v["description"]) for k, v in data.items()]
        title, cols = "Keys with fixed values", ("key", "values", "description")
    elif topic == "documents":
        try:
            data = ref.documents([str(p) for p in rules or []])
        except PecosCheckError as exc:
            fail(str(exc))
        rows = list(data.items())
        title, cols = "Document type ids (documents[].type)", ("type", "meaning")
    elif (keys := ref.section(topic)) is not None:
        data = keys
        rows = [(k["key"], k["type"], "yes" if k["required"] else "no", k["description"]) for k in keys]
        title, cols = f"Keys of `{topic}`", ("key", "type", "required", "description")
    elif (found := ref.enum(topic)) is not None:
        path, info = found
        data = {"key": path, **info}
        rows = [(v,) for v in info["values"]]
        title, cols = f"Allowed values of `{path}`: {info['description']}", ("value",)
    else:
        fail(f"unknown reference topic `{topic}`; topics: {', '.join(ref.TOPICS)}, a section "
             "(see `pecoscheck reference sections`) or a key (see `pecoscheck reference enums`)")
    if format == "json":
        write_output(json.dumps(data, indent=2) + "\n", None)
        return
    _print_table(title, cols, rows)
