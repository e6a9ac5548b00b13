"""`--help` listings show each command's description whole, at any terminal width."""

from __future__ import annotations

import pytest
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from pecoscheck.cli import app

runner = CliRunner()


def _groups(group: TyperGroup, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], TyperGroup]]:
    out = [(path, group)]
    ctx = typer.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if isinstance(cmd, TyperGroup):
            out += _groups(cmd, (*path, name))
    return out


GROUPS = _groups(typer.main.get_command(app))  # type: ignore[arg-type]


def test_every_group_is_listed() -> None:
    names = {" ".join(p) for p, _ in GROUPS}
    assert {"", "npi", "rules", "cache", "data", "data update", "pecos", "exclusions"} <= names


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize(("path", "group"), GROUPS, ids=[" ".join(p) or "top" for p, _ in GROUPS])
def test_command_descriptions_are_not_cut(path: tuple[str, ...], group: TyperGroup, width: int) -> None:
    r = runner.invoke(app, [*path, "--help"], env={"COLUMNS": str(width)}, terminal_width=width)
    assert r.exit_code == 0, r.output
    listing = r.output.split("Commands:\n", 1)[1]
    assert "..." not in listing
    flat = "".join(listing.split())
    ctx = typer.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        assert cmd is not None and cmd.help
        first = " ".join(cmd.help.split("\n\n")[0].split()).split(". ")[0].rstrip(".")
        first = "".join(first.split())
        assert first in flat, (name, first)
    assert all(len(line) <= max(width, 40) for line in listing.splitlines())
