"""`validate --format html`: one self-contained, escaped, masked page, checked in a real (headless) Chromium.

The browser tests are never skipped: without Chromium they fail and say how to install it
(`scripts/install-browser.sh` installs it; the README's test line runs it).
"""

from __future__ import annotations

import html
import re
import shutil
import struct
import subprocess
import zlib
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import EXAMPLES, ROOT
from pecoscheck.cli import app
from pecoscheck.deadlines import DeadlineRun, deadlines_for_paths
from pecoscheck.findings import Finding, ProfileResult, Report, Severity, mask_identifiers
from pecoscheck.reporters import RenderContext, get
from pecoscheck.rules.registry import default_registry

runner = CliRunner()
AS_OF = "2026-11-26"
ALL_EXAMPLES = [str(p.relative_to(ROOT)) for p in
                [*sorted(EXAMPLES.glob("*/profile.yaml")), *sorted((EXAMPLES / "not-ready").glob("*.yaml"))]]
WIDTH, HEIGHT = 1280, 2000


@pytest.fixture(scope="module")
def report_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML report of every example (ready and not ready), as a file."""
    out = tmp_path_factory.mktemp("html") / "report.html"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        r = runner.invoke(app, ["validate", *ALL_EXAMPLES, "--as-of", AS_OF, "--format", "html", "-o", str(out)])
    assert r.exit_code == 1, r.stderr  # the not-ready examples are not ready
    return out


def render(report: Report) -> str:
    ctx = RenderContext(registry=default_registry(), extra={"deadlines": DeadlineRun(report.as_of)})
    return get("html")(report, ctx)


# --- the page as text ----------------------------------------------------------------------------------------


def test_self_contained(report_html: Path) -> None:
    page = report_html.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""\b(?:src|href|action|xlink:href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"\b(?:src|href)\s*=", page, re.I)  # nothing to load, not even a local file
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert "<iframe" not in page and "<img" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_structure_and_accessibility(report_html: Path) -> None:
    page = report_html.read_text("utf-8")
    assert '<html lang="en">' in page and "<title>" in page
    assert page.count("<h1") == 1 and "<h2" in page and "<h3" in page
    assert '<label for="filter">' in page and 'id="filter"' in page
    assert page.count('name="severity"') == 3 and "<legend>Severity</legend>" in page
    for sev in ("error", "warning", "info"):
        assert re.search(rf'<label><input type="checkbox" name="severity" value="{sev}" checked> \w+', page)
    tables = page.count("<table")
    assert tables == page.count("<caption>") and tables >= 10
    assert 'scope="col"' in page and 'aria-sort="none"' in page
    assert "@media print" in page
    assert 'role="img"' in page and '<title id="tl-title">' in page  # the chart has a text alternative
    assert "Findings by rule family and severity" in page
    assert "NOT READY" in page and "READY" in page
    # each finding row carries its rule's source from the registry
    assert html.escape(default_registry().rules["CHG001"].source) in page


def test_summary_counts(report_html: Path) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        r = runner.invoke(app, ["validate", *ALL_EXAMPLES, "--as-of", AS_OF, "--format", "json"])
    import json

    summary = json.loads(r.stdout)["summary"]
    page = report_html.read_text("utf-8")
    assert f'<b>{summary["ready"]}</b>ready' in page
    assert f'<b>{summary["not_ready"]}</b>not ready' in page
    assert f'<b>{summary["error"]}</b>errors' in page
    assert page.count('<tr data-severity="') == summary["error"] + summary["warning"] + summary["info"]


def test_escapes_input(tmp_path: Path) -> None:
    text = (EXAMPLES / "group-practice" / "profile.yaml").read_text("utf-8")
    evil = 'Evil <script>alert("x")</script> & <b>Co</b>'
    assert "legal_name: Northstar Family Medicine, LLC" in text
    profile = tmp_path / "evil.yaml"
    profile.write_text(text.replace("legal_name: Northstar Family Medicine, LLC", f"legal_name: '{evil}'", 1))
    (tmp_path / "docs").symlink_to(EXAMPLES / "group-practice" / "docs")
    r = runner.invoke(app, ["validate", str(profile), "--as-of", AS_OF, "--format", "html"])
    page = r.stdout
    assert r.exit_code in (0, 1), r.stderr
    assert "<script>alert" not in page and "<b>Co</b>" not in page
    assert html.escape(evil) in page
    assert page.count("<script>") == 2  # the page's own two scripts only


def test_masks_identifiers() -> None:
    report = Report(as_of=date(2026, 11, 26), profiles=[ProfileResult(
        path="acme.yaml", provider_name="Acme 12-3456789 Clinic", npi="1234567893",
        findings=[Finding("PII002", Severity.ERROR, "TIN 12-3456789 is not a valid EIN; SSN 123-45-6789 seen",
                          "provider.tin", 7, 8, "Use the EIN 98-7654321 from the IRS letter.")])])
    page = render(report)
    for raw in ("12-3456789", "123-45-6789", "98-7654321", "3456789 ", "456-6789"):
        assert raw not in page, raw
    assert "12-***6789" in page and "***-**-6789" in page and "98-***4321" in page
    assert "1234567893" in page  # NPIs are public and stay


def test_no_profiles() -> None:
    page = render(Report(as_of=date(2026, 11, 26)))
    assert "No profiles were checked." in page and "Nothing falls due" in page


def test_deadlines_are_computed_from_the_profiles(report_html: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    run = deadlines_for_paths(ALL_EXAMPLES, date.fromisoformat(AS_OF))
    soon = [d for d in run.deadlines if d.days_left <= 365]
    assert soon and any(d.overdue for d in soon)
    page = report_html.read_text("utf-8")
    assert 'id="deadlines"' in page
    assert page.count('<tr class="overdue" data-kind=') == sum(d.overdue for d in soon)
    for d in soon:
        assert html.escape(mask_identifiers(d.what)) in page and f'datetime="{d.date.isoformat()}"' in page
    assert "misspelled-licences.yaml" in page.split('id="deadlines"')[1]  # skipped, and said so


# --- in a real browser ---------------------------------------------------------------------------------------


def chromium_binary() -> str:
    found = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    if found is None:
        pytest.fail("Chromium is needed for the HTML report's browser tests and is not installed: "
                    "run `sh scripts/install-browser.sh` (the README's test line does)")
    return found


def chromium(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    cmd = [chromium_binary(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
           f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args, url]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=180, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    return r


def console_messages(stderr: str) -> list[str]:
    """What the page wrote to the console or threw: Chromium logs it as ``...:CONSOLE(...)`` lines."""
    return [ln for ln in stderr.splitlines() if ":CONSOLE" in ln or "Uncaught" in ln]


class Rows(HTMLParser):
    """Attributes of the <html> element and of every finding row in a dumped DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.root: dict[str, str | None] = {}
        self.rows: list[dict[str, str | None]] = []
        self.tables: list[list[dict[str, str | None]]] = []
        self.status = ""
        self._in_status = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.root = a
        elif tag == "table" and "findings" in (a.get("class") or ""):
            self.tables.append([])
        elif tag == "tr" and "data-severity" in a:
            self.rows.append(a)
            self.tables[-1].append(a)
        elif tag == "td" and self.tables and self.tables[-1] and a.get("class") == "num":
            self.tables[-1][-1]["line"] = a.get("data-sort")
        elif a.get("id") == "filter-status":
            self._in_status = True

    def handle_endtag(self, tag: str) -> None:
        self._in_status = False

    def handle_data(self, data: str) -> None:
        if self._in_status:
            self.status += data


def dump(tmp_path: Path, page: Path, fragment: str = "") -> tuple[Rows, list[str]]:
    r = chromium(tmp_path, page.as_uri() + fragment, "--virtual-time-budget=3000", "--dump-dom")
    parsed = Rows()
    parsed.feed(r.stdout)
    return parsed, console_messages(r.stderr)


def test_browser_runs_the_script_without_errors(tmp_path: Path, report_html: Path) -> None:
    dom, console = dump(tmp_path, report_html)
    assert console == []
    assert dom.root.get("data-js") == "ready", "the page's script did not run to the end"
    assert "data-js-errors" not in dom.root
    assert dom.rows and not any("hidden" in r for r in dom.rows)
    assert dom.status == f"Showing {len(dom.rows)} of {len(dom.rows)} findings"


def test_browser_filter_hides_rows(tmp_path: Path, report_html: Path) -> None:
    dom, console = dump(tmp_path, report_html, "#filter=SUR&severity=error")
    assert console == [] and dom.root.get("data-js") == "ready"
    shown = [r for r in dom.rows if "hidden" not in r]
    expected = [r for r in dom.rows if r["data-severity"] == "error" and "sur" in (r["data-text"] or "")]
    assert shown == expected and 0 < len(shown) < len(dom.rows)
    assert dom.root.get("data-shown") == str(len(shown))
    assert dom.status == f"Showing {len(shown)} of {len(dom.rows)} findings"
    dom, _ = dump(tmp_path, report_html, "#severity=warning,info")
    assert {r["data-severity"] for r in dom.rows if "hidden" not in r} == {"warning", "info"}
    dom, _ = dump(tmp_path, report_html, "#filter=no-such-text-anywhere")
    assert all("hidden" in r for r in dom.rows) and dom.root.get("data-shown") == "0"


def test_browser_sorts_by_a_column(tmp_path: Path, report_html: Path) -> None:
    dom, console = dump(tmp_path, report_html, "#sort=-line")
    assert console == []
    multi = [t for t in dom.tables if len({r["line"] for r in t}) > 1]
    assert multi
    for table in multi:
        lines = [int(r["line"] or 0) for r in table]
        assert lines == sorted(lines, reverse=True)


def test_browser_error_detection_works(tmp_path: Path) -> None:
    """The checks above would see a broken script: a page that throws is reported."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><body><script>document.documentElement.setAttribute('data-js', 'x');"
                    "undefinedFunction();</script></body></html>", "utf-8")
    _, console = dump(tmp_path, page)
    assert any("Uncaught ReferenceError" in ln for ln in console)


def png_info(data: bytes, rows: int) -> tuple[int, int, set[bytes]]:
    """Width, height and the distinct pixels of the first ``rows`` rows of an 8-bit RGB(A) PNG (stdlib only)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    bpp = 4 if colour == 6 else 3
    stride = width * bpp
    raw = zlib.decompressobj().decompress(idat, (stride + 1) * rows)
    prev = bytearray(stride)
    pixels: set[bytes] = set()
    for y in range(min(rows, height)):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, ul = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 255
            elif kind == 4:
                p = left + up - ul
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - ul)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else ul)) & 255
        pixels.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp * 7))
        prev = line
    return width, height, pixels


def test_browser_screenshot(tmp_path: Path, report_html: Path) -> None:
    shot = tmp_path / "report.png"
    r = chromium(tmp_path, report_html.as_uri(), f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}",
                 "--virtual-time-budget=3000")
    assert console_messages(r.stderr) == []
    width, height, pixels = png_info(shot.read_bytes(), rows=500)
    assert (width, height) == (WIDTH, HEIGHT)
    assert len(pixels) > 20, "the screenshot is blank"
    assert b"\xff\xff\xff" in pixels  # the white page
    # the red of the "not ready" count and of the error badges is on the first screen
    assert any(p[0] > 150 and p[1] < 80 and p[2] < 80 for p in pixels)
