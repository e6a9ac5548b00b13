"""``pecoscheck rules``: the rule catalogue."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ._common import Group, app, fail, write_output

rules_app = typer.Typer(cls=Group, help="The rule catalogue.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(rules_app, name="rules")

@rules_app.command("list")
def rules_list(
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra folder of YAML rule packs.")] = None,
) -> None:
    """List every rule: id, severity, title and source."""
    from ..errors import PecosCheckError
    from ..rules.registry import default_registry

    try:
        registry = default_registry([str(p) for p in rules or []])
    except PecosCheckError as exc:
        fail(str(exc))
    items = [registry.rules[k] for k in sorted(registry.rules)]
    if format == "json":
        write_output(json.dumps([r.describe() for r in items], indent=2) + "\n", None)
        return
    if format != "text":
        fail("--format must be text or json")
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, box=None, header_style="bold")
    for col in ("id", "severity", "title", "source"):
        table.add_column(col, overflow="fold")
    for r in items:
        table.add_row(r.id, r.severity.value, r.title, r.source)
    Console(width=160 if not sys.stdout.isatty() else None).print(table)


@rules_app.command("explain")
def rules_explain(
    rule_id: Annotated[str, typer.Argument(metavar="RULE", help="A rule id such as NPI003.")],
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra folder of YAML rule packs.")] = None,
) -> None:
    """Explain one rule: why it exists, how to fix it, its source (with the cited sources' addresses) and examples."""
    from ..errors import PecosCheckError
    from ..rules.explain import explain_data, explain_rule
    from ..rules.registry import default_registry

    if format not in ("text", "json"):
        fail("--format must be text or json")
    try:
        registry = default_registry([str(p) for p in rules or []])
    except PecosCheckError as exc:
        fail(str(exc))
    r = registry.rules.get(rule_id.strip().upper())
    if r is None:
        fail(f"unknown rule {rule_id!r}; see `pecoscheck rules list`")
    if format == "json":
        write_output(json.dumps(explain_data(r), indent=2) + "\n", None)
        return
    write_output(explain_rule(r) + "\n", None)
