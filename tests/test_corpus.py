"""The bad-input corpus: each hazard's exact outcome through `pecoscheck validate` (issue 6).

Small inputs are committed under ``tests/corpus/`` (byte-exact: see its
``.gitattributes``); big ones and file-system oddities (symlink loops, dangling
links, sparse 50 MB files) are made in ``tmp_path``. Every case asserts the
findings (rule, place, path, message), the exit code, and that no traceback is
printed. ``--select NPI`` keeps the rule set fixed, so a well-formed corpus file
is judged only by the loader, the model and the NPI rules, whatever other rule
families add; loader (YML) and format (SCH) findings are always reported.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pecoscheck.cli import app
from pecoscheck.engine import Options, check_file
from pecoscheck.loader import MAX_BYTES, MAX_DEPTH, MAX_NODES, load

CORPUS = Path(__file__).resolve().parent / "corpus"
AS_OF = ["--as-of", "2026-11-26"]
runner = CliRunner()

NOT_RUN = ("SCH900", None, None, "", "up to 4 readiness checks are waiting: they run once the profile matches the "
           "format")  # 4: the NPI rules of --select NPI
EMPTY = "the file is empty (or holds only comments); a profile is a mapping of keys"

# file -> (exit code, [(rule, line, column, path, message), ...]) with `--select NPI`
CASES: dict[str, tuple[int, list[tuple[str, int | None, int | None, str, str]]]] = {
    "good.yaml": (0, []),
    "empty.yaml": (1, [("YML007", 1, 1, "", EMPTY)]),
    "only-comments.yaml": (1, [("YML007", 1, 1, "", EMPTY)]),
    "binary.yaml": (1, [("YML006", 1, 1, "", "the file contains NUL bytes; it looks binary, not a YAML profile")]),
    "utf16-bom.yaml": (1, [("YML006", 1, 1, "", "the file is UTF-16 encoded; profiles must be UTF-8")]),
    "utf8-bom.yaml": (0, []),
    # CRLF is read; the NPI typo on line 4 is reported on line 4, column 8 (the carriage returns count for nothing)
    "crlf.yaml": (1, [("NPI003", 4, 8, "provider.npi", "NPI 1234567890 fails the check digit (expected 3)")]),
    # old Mac line endings: a lone CR ends a line for YAML, and the lines are counted the same way
    "cr-only.yaml": (1, [("NPI003", 5, 8, "provider.npi", "NPI 1234567890 fails the check digit (expected 3)")]),
    # an error at the end of a last line without a newline points at that line, not at one past the end
    "unterminated-last-line.yaml": (1, [("YML001", 2, 11, "", "the `{` opened on line 2 is not closed (YAML "
                                                              "parser: did not find expected ',' or '}')")]),
    "tab-indent.yaml": (1, [("YML001", 3, 1, "", "a tab character indents line 3; YAML allows only spaces for "
                                                 "indentation (YAML parser: found character that cannot start any "
                                                 "token)")]),
    "invalid-utf8.yaml": (1, [("YML006", 14, 45, "", "the file is not valid UTF-8 (byte 0xf6 at line 14, column 45)")]),
    "deep-200.yaml": (1, [("YML005", 1, 1, "", f"the file nests deeper than {MAX_DEPTH} levels; refused")]),
    "deep-2000.yaml": (1, [("YML001", 2, 1010, "", "YAML syntax error: exceeded maximum nesting depth "
                                                   "(while increasing flow level)")]),
    "alias-bomb.yaml": (1, [("YML004", 1, 1, "", f"the file expands to more than {MAX_NODES:,} values through "
                                                 "anchors and aliases (a 'billion laughs' file); refused")]),
    "top-list.yaml": (1, [("YML007", 1, 1, "", "the top level of a profile must be a mapping of keys, not a list")]),
    "top-scalar.yaml": (1, [("YML007", 1, 1, "", "the top level of a profile must be a mapping of keys, "
                                                 "not a single value")]),
    "several-documents.yaml": (1, [("YML001", 19, 1, "", "the file holds more than one YAML document; "
                                                         "a profile is one document")]),
    "python-object-tag.yaml": (1, [("YML003", 2, 11, "provider", "tags that construct objects are refused: "
                                                                 "`!!python/object/apply:os.system`"), NOT_RUN]),
    "unknown-tag.yaml": (1, [("YML003", 4, 8, "provider.npi", "unknown YAML tags are refused: `!npi`"), NOT_RUN]),
    # a number where text belongs is kept as its text: `first: 123` is the name "123"
    "number-as-text.yaml": (0, []),
    "text-as-number.yaml": (1, [("SCH003", 16, 58, "ownership[0].percent", "expected a number, got `fifty`"),
                                NOT_RUN]),
    "bad-dates.yaml": (1, [
        ("SCH004", 10, 19, "enrollment.effective_date", "`2026-13-01` is not a real calendar date"),
        ("SCH004", 12, 68, "licenses[0].issued", "expected a date written YYYY-MM-DD, got `02/03/2026`"),
        ("SCH004", 12, 89, "licenses[0].expires", "`2026-02-30` is not a real calendar date"),
        NOT_RUN]),
    "npi-spaces-dashes.yaml": (1, [
        ("NPI001", 4, 8, "provider.npi", "NPI `1234 567 893` contains characters other than digits"),
        ("NPI001", 20, 17, "reassignments[0].group_npi", "NPI `123-456-7893` contains characters other than digits")]),
    "zip-unquoted.yaml": (0, []),
}


def run_cli(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, ["validate", *args])
    out, err = r.stdout, r.stderr
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in out and "Traceback" not in err
    return r.exit_code, out, err


def run_json(path: Path | str, *extra: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = run_cli(str(path), "-f", "json", "--select", "NPI", *AS_OF, *extra)
    return code, json.loads(out), err


def run_process(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "pecoscheck", "validate", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout, env={**os.environ, "NO_COLOR": "1"})
    assert "Traceback" not in proc.stdout and "Traceback" not in proc.stderr, proc.stderr
    return proc


def as_tuples(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    [profile] = doc["profiles"]
    return [(f["rule"], f["line"], f["column"], f["path"], f["message"]) for f in profile["findings"]]


def test_every_corpus_file_has_a_case() -> None:
    assert sorted(p.name for p in CORPUS.glob("*.yaml")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_case_exact_outcome(name: str) -> None:
    expected_code, expected = CASES[name]
    code, doc, err = run_json(CORPUS / name)
    assert as_tuples(doc) == expected
    assert code == expected_code, err
    assert doc["profiles"][0]["ready"] is (expected_code == 0)
    # the text report of the same file: same exit code, one line per finding, no traceback
    code, out, _ = run_cli(str(CORPUS / name), "--select", "NPI", *AS_OF)
    assert code == expected_code
    for rule, *_ in expected:
        assert rule in out


@pytest.mark.parametrize("name", ["binary.yaml", "utf16-bom.yaml", "deep-2000.yaml", "alias-bomb.yaml",
                                  "several-documents.yaml"])
def test_corpus_case_in_a_real_process(name: str) -> None:
    proc = run_process(str(CORPUS / name), "-f", "json", "--select", "NPI", *AS_OF)
    expected_code, expected = CASES[name]
    assert proc.returncode == expected_code
    assert as_tuples(json.loads(proc.stdout)) == expected


def test_object_tag_runs_nothing_in_a_real_process(tmp_path: Path) -> None:
    proc = run_process(str(CORPUS / "python-object-tag.yaml"), "-f", "json", *AS_OF, cwd=tmp_path)
    assert proc.returncode == 1
    assert as_tuples(json.loads(proc.stdout))[0][0] == "YML003"
    assert not (tmp_path / "pecoscheck-canary").exists()
    assert list(tmp_path.iterdir()) == []


def test_accepted_inputs_keep_their_text() -> None:
    bom = load(CORPUS / "utf8-bom.yaml")
    plain = load(CORPUS / "good.yaml")
    assert bom.findings == [] and bom.data == plain.data
    # the BOM shifts nothing: line 1 column 1 is `schema_version`, as without it (good.yaml has a comment first)
    assert bom.source.keys[("schema_version",)] == (1, 1)
    crlf = load(CORPUS / "crlf.yaml")
    assert crlf.findings == []
    assert crlf.data["provider"]["npi"] == "1234567890"  # type: ignore[index]
    assert "\r" not in json.dumps(crlf.data)
    assert crlf.source.values[("provider", "npi")] == (4, 8)
    zipped = load(CORPUS / "zip-unquoted.yaml").data
    assert zipped["practice_locations"][0]["address"]["zip"] == "02134"  # type: ignore[index]
    named = check_file(CORPUS / "number-as-text.yaml", Options(select=["NPI"]))
    assert named.provider_name == "123 Doe"
    assert not [f for f in named.findings if f.rule.startswith(("YML", "SCH"))]


def test_zip_with_leading_zero_is_not_an_octal_number_in_any_output() -> None:
    for fmt in ("json", "text", "sarif"):
        code, out, _ = run_cli(str(CORPUS / "zip-unquoted.yaml"), "-f", fmt, *AS_OF)
        assert code in (0, 1)
        assert "1116" not in out  # 02134 read as YAML 1.1 octal


# --- generated inputs ---------------------------------------------------------------------------------


def test_block_nesting_200_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "leaf\n", "utf-8")
    code, doc, _ = run_json(path)
    assert as_tuples(doc) == [("YML005", 1, 1, "", f"the file nests deeper than {MAX_DEPTH} levels; refused")]
    assert code == 1


def test_fifty_megabyte_file_is_refused_unopened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.seek(50 * 1024 * 1024 - 1)
        fh.write(b"\n")
    opened: list[str] = []
    real_open, real_os_open, real_io_open = builtins.open, os.open, io.open

    def spy(real: Any) -> Any:
        def wrapper(file: Any, *args: Any, **kwargs: Any) -> Any:
            opened.append(str(file))
            return real(file, *args, **kwargs)
        return wrapper

    monkeypatch.setattr(builtins, "open", spy(real_open))
    monkeypatch.setattr(io, "open", spy(real_io_open))
    monkeypatch.setattr(os, "open", spy(real_os_open))
    code, doc, _ = run_json(big)
    monkeypatch.undo()
    assert as_tuples(doc) == [("YML005", None, None, "", "the file is 50.0 MiB, over the 5 MiB limit for a profile; "
                                                         "refused without reading it")]
    assert code == 1
    assert str(big) not in opened and not [p for p in opened if p.endswith("big.yaml")]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_endless_input_is_read_only_up_to_the_bound() -> None:
    # /dev/zero reports size 0 and never ends: only max_bytes + 1 bytes may be read
    loaded = load("/dev/zero", max_bytes=64 * 1024)
    assert [(f.rule, f.message) for f in loaded.findings] == [
        ("YML005", "the file is over the 0 MiB limit for a profile; refused")]
    loaded = load("/dev/zero")
    assert [(f.rule, f.message) for f in loaded.findings] == [
        ("YML005", f"the file is over the {MAX_BYTES // 1048576} MiB limit for a profile; refused")]


def test_big_file_in_a_real_process(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    proc = run_process(str(big), "-f", "json", *AS_OF)
    assert proc.returncode == 1
    [(rule, *_, message)] = as_tuples(json.loads(proc.stdout))
    assert rule == "YML005" and message.endswith("refused without reading it")


def test_hundred_thousand_keys_give_a_capped_report(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text("".join(f"k{i}: {i}\n" for i in range(100_000)), "utf-8")
    code, doc, _ = run_json(path)
    findings = as_tuples(doc)
    assert code == 1
    assert len(findings) == 102
    assert findings[-2] == ("SCH003", None, None, "", "… and 99,904 more format problems not shown")
    assert findings[-1] == NOT_RUN
    unknown = [f for f in findings if f[0] == "SCH001"]
    assert len(unknown) == 100 - 4  # the four missing required keys come first, at line 1
    assert unknown[0] == ("SCH001", 1, 1, "k0", "unknown key `k0`")
    assert unknown[-1][1] == 96
    assert [f[3] for f in findings if f[0] == "SCH002"] == ["enrollment", "identity_access", "provider",
                                                            "schema_version"]
    code, out, _ = run_cli(str(path), "--select", "NPI", *AS_OF)
    assert code == 1 and len(out) < 100_000  # not 100,000 findings
    assert "99,904 more format problems not shown" in out


def test_more_values_than_the_bound_without_aliases_is_not_called_an_alias_bomb(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text("documents:\n" + "  - x\n" * (MAX_NODES + 10), "utf-8")
    code, doc, _ = run_json(path)
    assert as_tuples(doc) == [("YML005", 1, 1, "", f"the file holds more than {MAX_NODES:,} values; refused")]
    assert code == 1


def test_one_megabyte_single_line(tmp_path: Path) -> None:
    good = (CORPUS / "good.yaml").read_text("utf-8")
    path = tmp_path / "long.yaml"
    path.write_text(good.replace("expires: 2028-06-30", "expires: " + "2" * (1024 * 1024)), "utf-8")
    code, doc, _ = run_json(path)
    [(rule, line, column, where, message), not_run] = as_tuples(doc)
    assert (rule, line, column, where, not_run) == ("SCH004", 12, 69, "licenses[0].expires", NOT_RUN)
    assert message.startswith("expected a date written YYYY-MM-DD, got `2222")
    assert code == 1
    # a 1 MB key: libyaml refuses simple keys longer than 1024 characters
    path.write_text(good + "k" * (1024 * 1024) + ": 1\n", "utf-8")
    code, doc, _ = run_json(path)
    assert as_tuples(doc) == [("YML001", 20, 1024 * 1024 + 1, "", "YAML syntax error: could not find expected ':' "
                                                                   "(while scanning a simple key)")]
    assert code == 1
    for fmt in ("text", "sarif", "junit", "github"):
        code, _, _ = run_cli(str(path), "-f", fmt, *AS_OF)
        assert code == 1


# --- paths -------------------------------------------------------------------------------------------


def test_folder_with_a_symlink_loop_terminates_and_finds_each_profile_once(tmp_path: Path) -> None:
    top = tmp_path / "profiles"
    (top / "sub").mkdir(parents=True)
    (top / "a.yaml").write_bytes((CORPUS / "good.yaml").read_bytes())
    (top / "sub" / "b.yaml").write_bytes((CORPUS / "crlf.yaml").read_bytes())
    (top / "loop").symlink_to(top, target_is_directory=True)
    (top / "sub" / "up").symlink_to(top, target_is_directory=True)
    (top / "sub" / "self").symlink_to(top / "sub", target_is_directory=True)
    (top / "same.yaml").symlink_to(top / "a.yaml")  # the same profile under a second name
    code, doc, _ = run_cli(str(top), "-f", "json", "--select", "NPI", *AS_OF)
    report = json.loads(doc)
    paths = [p["path"] for p in report["profiles"]]
    assert len(paths) == 2, paths
    assert paths[0].endswith("profiles/a.yaml") and paths[1].endswith("profiles/sub/b.yaml")
    assert code == 1  # b.yaml has the NPI typo
    proc = run_process(str(top), "-f", "json", "--select", "NPI", *AS_OF, timeout=60)
    assert proc.returncode == 1 and len(json.loads(proc.stdout)["profiles"]) == 2


def test_the_walk_knows_the_identity_of_files_reached_through_no_link(tmp_path: Path) -> None:
    """Discovery takes a file's identity from the walk instead of lstat-ing it: it must be _identity's."""
    from pecoscheck.engine import _identity, _walk

    real = tmp_path / "repo"
    (real / "a" / "docs").mkdir(parents=True)
    (real / "b").mkdir()
    for name in ("a/profile.yaml", "a/docs/extra.yaml", "b/profile.yml"):
        (real / name).write_text("provider: {}\n")
    (real / "a" / "again.yaml").symlink_to(real / "a" / "profile.yaml")
    (real / "via").symlink_to(real / "b", target_is_directory=True)
    (tmp_path / "link-to-repo").symlink_to(real, target_is_directory=True)
    for root in (real, tmp_path / "link-to-repo", Path(os.path.relpath(real))):
        known: dict[str, str] = {}
        found = list(_walk(str(root), (), known))
        assert len(found) == 4 and known, found  # the linked folder `via` is the same folder as b: listed once
        assert all(known.get(f, _identity(f, {})) == _identity(f, {}) for f in found)
        assert not any(f.endswith("again.yaml") for f in known)  # a link: lstat-ed as before


def test_a_profile_named_through_a_linked_folder_and_directly_is_checked_once(tmp_path: Path) -> None:
    real = tmp_path / "repo" / "providers" / "ana"
    real.mkdir(parents=True)
    (real / "profile.yaml").write_bytes((CORPUS / "good.yaml").read_bytes())
    (tmp_path / "alias").symlink_to(tmp_path / "repo" / "providers", target_is_directory=True)
    (tmp_path / "repo" / "same").symlink_to(real, target_is_directory=True)
    code, doc, _ = run_cli(str(tmp_path / "repo"), str(tmp_path / "alias"), str(tmp_path / "alias" / "ana"),
                           "-f", "json", "--select", "NPI", *AS_OF)
    paths = [p["path"] for p in json.loads(doc)["profiles"]]
    assert code == 0 and len(paths) == 1 and paths[0].endswith("providers/ana/profile.yaml"), paths


def test_dangling_and_looping_symlinks_are_unreadable_files(tmp_path: Path) -> None:
    folder = tmp_path / "links"
    folder.mkdir()
    (folder / "gone.yaml").symlink_to(tmp_path / "deleted.yaml")
    (folder / "self.yaml").symlink_to(folder / "self.yaml")
    code, doc, _ = run_cli(str(folder), "-f", "json", *AS_OF)
    report = json.loads(doc)
    got = {Path(p["path"]).name: [(f["rule"], f["message"]) for f in p["findings"]] for p in report["profiles"]}
    assert got == {
        "gone.yaml": [("YML008", "cannot read the file: No such file or directory")],
        "self.yaml": [("YML008", "cannot read the file: Too many levels of symbolic links")],
    }
    assert code == 1
    code, doc, _ = run_json(folder / "gone.yaml")
    assert as_tuples(doc) == [("YML008", None, None, "", "cannot read the file: No such file or directory")]
    assert code == 1


def test_a_folder_named_like_a_profile_is_unreadable_as_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "x.yaml"
    folder.mkdir()
    result = check_file(folder)
    assert [(f.rule, f.message) for f in result.findings] == [("YML008", "cannot read the file: Is a directory")]
    # named on the command line it is a folder, and it holds no profile: a usage error
    code, out, err = run_cli(str(folder), *AS_OF)
    assert (code, out) == (2, "")
    assert err == f"pecoscheck: no profiles (*.yaml, *.yml) found in folder {folder}\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_given_by_name_or_through_a_link_does_not_hang(tmp_path: Path) -> None:
    folder = tmp_path / "pipes"
    folder.mkdir()
    os.mkfifo(tmp_path / "pipe")
    (folder / "pipe.yaml").symlink_to(tmp_path / "pipe")  # a link is followed into the folder's profiles
    proc = run_process(str(folder), "-f", "json", *AS_OF, timeout=60)
    assert proc.returncode == 1
    assert as_tuples(json.loads(proc.stdout)) == [("YML007", 1, 1, "", EMPTY)]
    proc = run_process(str(tmp_path / "pipe"), "-f", "json", *AS_OF, timeout=60)
    assert proc.returncode == 1
    assert as_tuples(json.loads(proc.stdout)) == [("YML007", 1, 1, "", EMPTY)]


@pytest.mark.skipif(not Path("/dev/stdin").exists(), reason="needs /dev/stdin")
def test_a_profile_piped_in_through_dev_stdin_is_read(tmp_path: Path) -> None:
    # a pipe with a writer is read to its end (the loader opens pipes without blocking only to not hang on open)
    proc = subprocess.run([sys.executable, "-m", "pecoscheck", "validate", "/dev/stdin", "-f", "json", "--select",
                           "NPI", *AS_OF], input=(CORPUS / "crlf.yaml").read_bytes(), capture_output=True,
                          cwd=tmp_path, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert as_tuples(json.loads(proc.stdout)) == CASES["crlf.yaml"][1]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    code, out, err = run_cli(str(missing), *AS_OF)
    assert (code, out, err) == (2, "", f"pecoscheck: no such file or folder: {missing}\n")
    proc = run_process(str(missing))
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", f"pecoscheck: no such file or folder: {missing}\n")


def test_folder_without_profiles_is_a_usage_error(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a profile\n")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "p.yaml").write_text("schema_version: 1\n")
    code, out, err = run_cli(str(folder), *AS_OF)
    assert (code, out, err) == (2, "", f"pecoscheck: no profiles (*.yaml, *.yml) found in folder {folder}\n")


# --- the whole corpus at once, in every format -----------------------------------------------------------


def test_whole_corpus_in_every_format_and_in_parallel(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    import jsonschema

    from pecoscheck import reporters

    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    reports: dict[str, str] = {}
    for fmt in reporters.FORMATS:
        code, out, _ = run_cli(str(folder), "-f", fmt, "--jobs", "1", *AS_OF)
        assert code == 1, fmt
        reports[fmt] = out
    doc = json.loads(reports["json"])
    assert sorted(Path(p["path"]).name for p in doc["profiles"]) == sorted(CASES)
    schema = json.loads((Path(__file__).parent / "data" / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8"))
    jsonschema.Draft7Validator(schema).validate(json.loads(reports["sarif"]))
    suites = ET.fromstring(reports["junit"].encode("utf-8")).findall("testsuite")
    cross = len(doc.get("across_profiles", []))  # the corpus's copies share identifiers: one more suite
    assert [s.get("name") for s in suites].count("across profiles") == (1 if cross else 0)
    assert len(suites) == len(CASES) + (1 if cross else 0)
    # the worker processes give the same report, byte for byte
    parallel = run_process("corpus", "-f", "json", "--jobs", "2", *AS_OF, cwd=tmp_path)
    serial = run_process("corpus", "-f", "json", "--jobs", "1", *AS_OF, cwd=tmp_path)
    assert (parallel.returncode, serial.returncode) == (1, 1)
    assert parallel.stdout == serial.stdout
