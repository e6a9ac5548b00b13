"""``validate``'s Typer-free fast path reads the same options as the Typer command, and falls back to it."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from pecoscheck.__main__ import main
from pecoscheck.cli import app
from pecoscheck.cli._validate import OPTIONS, ValidateArgs, parse
from test_cold_start import EXAMPLE, _loaded, _tops

runner = CliRunner()


def _validate_command() -> Any:
    group: Any = typer.main.get_command(app)  # Typer's own (vendored) click objects
    return group.commands["validate"]


def test_the_option_table_is_the_typer_commands() -> None:
    """Every option the Typer command declares is in OPTIONS with the same kind, and nothing else is."""
    declared: dict[str, tuple[str, bool]] = {}
    for param in _validate_command().params:
        if param.param_type_name == "option" and param.name != "help":
            for spelling in param.opts:
                declared[spelling] = (str(param.name), bool(param.is_flag))
    table = {spelling: (key, kind == "flag") for spelling, (key, kind) in OPTIONS.items()}
    assert table == declared
    assert {key for key, _ in table.values()} | {"paths"} == set(ValidateArgs.__annotations__)


def test_parse_reads_values_flags_repeats_and_paths() -> None:
    a = parse(["p1", "-f", "json", "--as-of=2026-01-02", "--ignore", "DOC", "--ignore=LIC001", "-j", "2", "-q",
               "--rules", "packs", "--", "-odd"])
    assert a is not None
    assert a.paths == [Path("p1"), Path("-odd")]
    assert (a.format, a.as_of, a.ignore, a.jobs, a.quiet, a.rules) == ("json", "2026-01-02", ["DOC", "LIC001"], 2,
                                                                       True, [Path("packs")])
    assert a.strict is False and a.output is None


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["--jobs", "two"], ["--unknown"], ["--strict=yes"],
                                  ["-fjson"], ["--format"]])
def test_parse_leaves_what_it_does_not_know_to_typer(argv: list[str]) -> None:
    assert parse(argv) is None


def _run_main(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exc:
        main(argv)
    return int(exc.value.code or 0), out.getvalue()


@pytest.mark.parametrize("extra", [[], ["-f", "json"], ["--strict", "-f", "sarif"], ["--select", "DOC,LIC"]])
def test_fast_path_output_and_code_match_typer(extra: list[str], tmp_path: Path) -> None:
    profiles = [str(EXAMPLE), str(Path(__file__).parents[1] / "examples" / "not-ready")]
    argv = ["validate", *profiles, "--as-of", "2026-11-26", "--no-cache", *extra]
    code, out = _run_main(argv)
    typer_result = runner.invoke(app, argv)
    assert (code, out) == (typer_result.exit_code, typer_result.stdout)
    assert code == 1 and out


def test_fast_path_usage_errors_keep_their_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = _run_main(["validate", str(EXAMPLE), "--format", "yaml"])
    assert code == 2
    assert "unknown format 'yaml'" in capsys.readouterr().err


def test_help_goes_to_typer() -> None:
    code, out = _run_main(["validate", "--help"])
    assert code == 0 and "Usage: pecoscheck validate" in out


def test_validate_does_not_import_typer() -> None:
    for args in (["validate", str(EXAMPLE), "--as-of", "2026-11-26"],
                 ["validate", str(EXAMPLE), "--as-of", "2026-11-26", "-f", "json"]):
        loaded = _tops(_loaded(args))
        assert "typer" not in loaded and "click" not in loaded, args


def test_validate_args_takes_only_its_options() -> None:
    a = ValidateArgs(format="json", jobs=2)
    assert (a.format, a.jobs, a.quiet, a.paths) == ("json", 2, False, None)
    with pytest.raises(TypeError, match="no option 'fromat'"):
        ValidateArgs(fromat="json")
