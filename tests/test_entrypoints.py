"""Entry points are looked up in importlib.metadata only when some distribution on sys.path declares one."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from pecoscheck.entrypoints import declared, entry_points

GROUP = "pecoscheck.rules"


def _dist(site: Path, name: str, text: str) -> None:
    info = site / f"{name}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(text)


def test_nothing_declared_here() -> None:
    assert not declared(GROUP)
    assert entry_points(GROUP) == ()


@pytest.mark.parametrize("header", ["[pecoscheck.rules]", "  [pecoscheck.rules]  "])
def test_a_declared_group_is_found_and_read_by_importlib_metadata(tmp_path: Path, header: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _dist(tmp_path, "other_tool", "[console_scripts]\nx = other_tool:main\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert not declared(GROUP)
    _dist(tmp_path, "acme_rules", f"{header}\nacme = acme_rules:rules\n")
    assert declared(GROUP)
    assert [(e.name, e.value) for e in entry_points(GROUP)] == [("acme", "acme_rules:rules")]


def test_another_group_of_the_same_name_prefix_is_not_ours(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _dist(tmp_path, "near", "[pecoscheck.rules.extra]\nx = near:rules\n# [pecoscheck.rules]\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert not declared(GROUP)


def test_a_zip_on_the_path_defers_to_importlib_metadata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("zipped-0.1.dist-info/METADATA", "Metadata-Version: 2.1\nName: zipped\nVersion: 0.1\n")
        zf.writestr("zipped-0.1.dist-info/entry_points.txt", "[pecoscheck.rules]\nz = zipped:rules\n")
    monkeypatch.syspath_prepend(str(archive))
    assert declared(GROUP)
    assert [e.name for e in entry_points(GROUP)] == ["z"]


def test_a_custom_distribution_finder_defers_to_importlib_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    class Finder:
        @staticmethod
        def find_spec(*_args: object) -> None:
            return None

        @staticmethod
        def find_distributions(*_args: object) -> list[object]:
            return []

    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Finder()])
    assert declared(GROUP)


@pytest.mark.parametrize("shape", ["rule", "list", "function"])
def test_a_plugin_may_provide_one_rule_a_list_or_a_function(shape: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Rule is a named tuple: one Rule provided alone is still one rule, not its fields."""
    import pecoscheck.entrypoints
    from pecoscheck.findings import Severity
    from pecoscheck.rules.base import Rule
    from pecoscheck.rules.registry import Registry

    one = Rule(id="ACME001", title="t", severity=Severity.WARNING, check=lambda ctx: (), hint="h",
               rationale="r", source="s")
    provided = {"rule": one, "list": [one], "function": lambda: [one]}[shape]

    class Point:
        name, value = "acme", "acme_rules:rules"

        def load(self) -> object:
            return provided

    monkeypatch.setattr(pecoscheck.entrypoints, "entry_points", lambda group: (Point(),))
    reg = Registry()
    reg.add_plugins()
    assert list(reg.rules) == ["ACME001"]
    added = reg.rules["ACME001"]
    assert added.origin == "plugin:acme" and added._replace(origin="builtin") == one
