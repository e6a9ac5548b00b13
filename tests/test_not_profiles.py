"""A repository's other YAML (docker-compose, mkdocs, CI files) is skipped with a note, never an error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import AS_OF, ROOT
from pecoscheck.cli import app
from pecoscheck.sniff import PROFILE_KEYS, foreign_yaml, top_level_keys

OTHER_YAML = {
    "docker-compose.yml": "version: '3.8'\nservices:\n  web:\n    image: nginx:1.27\n",
    "mkdocs.yml": "site_name: Credentialing\nnav:\n  - Home: index.md\n",
    "ci/.gitlab-ci.yml": "stages: [test]\npecoscheck:\n  script: [pecoscheck validate]\n",
    "openapi.yaml": '"openapi": 3.1.0\ninfo: {title: x, version: "1"}\n',
}


def _repo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples" / "solo-practitioner", tmp_path / "providers" / "ferreira")
    for name, text in OTHER_YAML.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, "utf-8")
    return tmp_path


def _validate(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["validate", *args, "--as-of", AS_OF.isoformat(), "--jobs", "1"])
    return result.exit_code, result.stdout, result.stderr


def test_profile_keys_are_the_models_top_level_keys() -> None:
    from pecoscheck.model import Profile

    assert set(Profile.model_fields) == PROFILE_KEYS


def test_a_repository_with_other_yaml_passes_with_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_repo(tmp_path))
    code, out, err = _validate(".")
    assert code == 0, out
    assert "providers/ferreira/profile.yaml" in out and "1 of 1 profile ready" in out
    assert "skipped 3 YAML files that are not a profile" in err  # ci/.gitlab-ci.yml is hidden: never walked
    for name in ("docker-compose.yml", "mkdocs.yml", "openapi.yaml"):
        assert name in err and name not in out


def test_no_path_means_config_paths_then_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    monkeypatch.chdir(repo)
    code, out, err = _validate()
    assert code == 0 and "1 of 1 profile ready" in out and "docker-compose.yml" in err
    (repo / "pecoscheck.toml").write_text('paths = ["providers"]\n', "utf-8")
    code, out, err = _validate()
    assert code == 0 and "1 of 1 profile ready" in out and "docker-compose.yml" not in err
    monkeypatch.chdir(repo / "providers")  # paths are relative to the config file's folder
    code, out, _ = _validate()
    assert code == 0 and "1 of 1 profile ready" in out


def test_a_named_file_is_always_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_repo(tmp_path))
    code, out, _ = _validate("docker-compose.yml")
    assert code == 1 and "NOT READY" in out


@pytest.mark.parametrize("name", ["empty.yaml", "top-list.yaml", "top-scalar.yaml", "binary.yaml",
                                  "utf16-bom.yaml", "only-comments.yaml", "tab-indent.yaml", "good.yaml"])
def test_broken_profiles_are_not_taken_for_other_yaml(name: str) -> None:
    assert not foreign_yaml(str(ROOT / "tests" / "corpus" / name))


def test_top_level_keys_reads_column_zero_only() -> None:
    text = b'provider:\n  kind: individual\n"quoted key": 1\n# comment: x\n- item\nplain: yes\n'
    assert top_level_keys(text) == {"provider", "quoted key", "plain"}
