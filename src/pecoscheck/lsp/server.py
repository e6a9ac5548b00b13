"""The language server: pygls wiring of :class:`~pecoscheck.lsp.session.Session` to an editor, over stdio."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

from .._version import __version__
from ..findings import Finding, Severity, mask_identifiers
from .fixes import Fix, fixes
from .ranges import Span, finding_span, word_at
from .session import ServerSettings, Session

_SEVERITY = {Severity.ERROR: lsp.DiagnosticSeverity.Error, Severity.WARNING: lsp.DiagnosticSeverity.Warning,
             Severity.INFO: lsp.DiagnosticSeverity.Information}
_LEVEL = {"error": lsp.MessageType.Error, "warning": lsp.MessageType.Warning, "info": lsp.MessageType.Info}
_URL = re.compile(r"https?://[^\s)\]>,;]+")
_RULE_ID = re.compile(r"[A-Z]{2,10}[0-9]{3}")


@dataclass
class _Doc:
    findings: list[Finding] = field(default_factory=list)
    timer: asyncio.TimerHandle | None = None
    online: dict[str, object] | None = None


class PecosServer(LanguageServer):
    """Publishes each open profile's findings, explains rules on hover and offers mechanical fixes."""

    def __init__(self) -> None:
        super().__init__("pecoscheck", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.session = Session(log=self.log)
        self.docs: dict[str, _Doc] = {}

    def log(self, level: str, message: str) -> None:
        """A line in the editor's output panel (window/logMessage); never the profile's content."""
        with contextlib.suppress(Exception):  # no connection left to log to
            self.window_log_message(lsp.LogMessageParams(_LEVEL.get(level, lsp.MessageType.Log), message))

    def _path(self, uri: str) -> Path:
        return Path(to_fs_path(uri) or uri)

    def check_now(self, uri: str) -> None:
        """Check the document's current text and publish its diagnostics."""
        state = self.docs.setdefault(uri, _Doc())
        if state.timer is not None:  # a save while a debounced check waits: this check is that one
            state.timer.cancel()
            state.timer = None
        doc = self.workspace.get_text_document(uri)
        text = doc.source
        if not self.session.looks_like_profile(text):
            state.findings = []
        else:
            state.findings = self.session.check(text, self._path(uri), state.online)
        lines = list(doc.lines)
        rules = self._rules(uri)
        diagnostics = [self._diagnostic(doc, lines, f, rules.get(f.rule)) for f in state.findings]
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, diagnostics, doc.version))

    def schedule(self, uri: str) -> None:
        """Check after a pause in typing (``debounce_ms``); each change restarts the wait."""
        state = self.docs.setdefault(uri, _Doc())
        if state.timer is not None:
            state.timer.cancel()
        delay = self.session.settings.debounce_ms / 1000
        state.timer = asyncio.get_running_loop().call_later(delay, self.check_logged, uri)

    def check_logged(self, uri: str) -> None:
        try:
            self.check_now(uri)
        except Exception as exc:  # e.g. the document was closed meanwhile
            self.log("error", f"could not publish diagnostics: {type(exc).__name__}: {exc}")

    async def refresh_online(self, uri: str) -> None:
        """Fetch registry answers for a saved profile, when the editor asked for registry checks."""
        sources = sorted(self.session.settings.online)
        if not sources:
            return
        from ..online.prefetch import prefetch

        path = os.fspath(self._path(uri))
        try:
            fetched = await asyncio.to_thread(prefetch, [path], sources, True)
        except Exception as exc:
            self.log("warning", f"registry look-up failed: {type(exc).__name__}: {exc}")
            return
        for source, reason in fetched.unavailable.items():
            self.log("warning", f"{source} unavailable: {reason}")
        if uri in self.docs:
            self.docs[uri].online = fetched.for_file(path)
            self.check_logged(uri)

    def _range(self, doc: TextDocument, lines: list[str], span: Span) -> lsp.Range:
        codec = doc.position_codec
        return lsp.Range(codec.position_to_client_units(lines, lsp.Position(span.line, span.start)),
                         codec.position_to_client_units(lines, lsp.Position(span.end_line, span.end)))

    def _diagnostic(self, doc: TextDocument, lines: list[str], f: Finding, rule: Any) -> lsp.Diagnostic:
        shown = f.masked()
        message = shown.message
        if shown.hint:
            message += "\n" + shown.hint
        href = None
        if rule is not None and rule.source:
            message += "\nSource: " + rule.source
            url = _URL.search(rule.source)
            href = url.group(0).rstrip(".") if url else None
        return lsp.Diagnostic(
            range=self._range(doc, lines, finding_span(lines, f)), message=message,
            severity=_SEVERITY[f.severity], code=f.rule, source="pecoscheck",
            code_description=lsp.CodeDescription(href) if href else None,
            data={"rule": f.rule, "path": shown.path})

    def _rules(self, uri: str | None) -> dict[str, Any]:
        """Every rule known in the document's project, by id."""
        try:
            _, ruleset = self.session.project(self._path(uri) if uri else Path.cwd() / "_")
        except Exception:
            return {}
        return ruleset.registry.rules

    def rule(self, rule_id: str, uri: str | None = None) -> Any:
        """The rule with this id, from the rules of the document's project, or ``None``."""
        return self._rules(uri).get(rule_id)

    def hover(self, uri: str, position: lsp.Position) -> lsp.Hover | None:
        from ..rules.explain import explain_rule

        doc = self.workspace.get_text_document(uri)
        lines = list(doc.lines)
        if position.line >= len(lines):
            return None
        at = doc.position_codec.position_from_client_units(lines, position)
        text = lines[at.line].rstrip("\r\n")
        state = self.docs.get(uri, _Doc())
        here = [f for f in state.findings if _contains(finding_span(lines, f), at.line, at.character)]
        word = word_at(text, at.character).upper()
        parts: list[str] = []
        if _RULE_ID.fullmatch(word) and self.rule(word, uri) is not None and word not in {f.rule for f in here}:
            parts.append(_explained(explain_rule(self.rule(word, uri))))
        for f in here:
            rule = self.rule(f.rule, uri)
            head = f"**{f.rule}** ({f.severity.value}): {f.masked().message}"
            parts.append(head + ("\n\n" + _explained(explain_rule(rule)) if rule is not None else ""))
        if not parts:
            return None
        return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, "\n\n---\n\n".join(parts)))

    def code_actions(self, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        doc = self.workspace.get_text_document(params.text_document.uri)
        lines = list(doc.lines)
        state = self.docs.get(params.text_document.uri, _Doc())
        first, last = params.range.start.line, params.range.end.line
        out = []
        for fix in fixes(lines, state.findings, first, last):
            out.append(self._action(doc, lines, fix, params.context.diagnostics))
        return out

    def _action(self, doc: TextDocument, lines: list[str], fix: Fix,
                diagnostics: Sequence[lsp.Diagnostic]) -> lsp.CodeAction:
        edits = [lsp.TextEdit(self._range(doc, lines, e.span), e.text) for e in fix.edits]
        related = [d for d in diagnostics if fix.finding is not None and d.code == fix.finding.rule
                   and d.range.start.line == (fix.finding.line or 1) - 1] or None
        return lsp.CodeAction(
            title=mask_identifiers(fix.title), kind=lsp.CodeActionKind.QuickFix, diagnostics=related,
            is_preferred=fix.preferred or None,
            edit=lsp.WorkspaceEdit(changes={doc.uri: edits}))


def _contains(span: Span, line: int, character: int) -> bool:
    if not span.line <= line <= span.end_line:
        return False
    if line == span.line and character < span.start:
        return False
    return not (line == span.end_line and character > span.end)


def _explained(text: str) -> str:
    return "```text\n" + text + "\n```"


def build_server() -> PecosServer:
    """A server with every feature registered (not started)."""
    server = PecosServer()

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: PecosServer, params: lsp.InitializeParams) -> None:
        ls.session.settings = ServerSettings.parse(params.initialization_options, ls.log)

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: PecosServer, params: lsp.InitializedParams) -> None:
        online = ", ".join(sorted(ls.session.settings.online)) or "off"
        ls.log("info", f"pecoscheck {__version__} language server ready (registry checks: {online})")
        asyncio.get_running_loop().call_soon(_warm, ls)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: PecosServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.check_logged(params.text_document.uri)
        await ls.refresh_online(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PecosServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: PecosServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.check_logged(params.text_document.uri)
        await ls.refresh_online(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PecosServer, params: lsp.DidCloseTextDocumentParams) -> None:
        state = ls.docs.pop(params.text_document.uri, None)
        if state is not None and state.timer is not None:
            state.timer.cancel()
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(params.text_document.uri, []))

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: PecosServer, params: lsp.HoverParams) -> lsp.Hover | None:
        return ls.hover(params.text_document.uri, params.position)

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    def code_action(ls: PecosServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        return ls.code_actions(params)

    return server


def _warm(ls: PecosServer) -> None:
    """Import the model and build the default rules before the first document arrives."""
    try:
        ls.session.project(Path.cwd() / "_")
        ls.session.check("schema_version: 1\n", Path.cwd() / "_warm.yaml")
    except Exception as exc:
        ls.log("warning", f"warm-up failed: {type(exc).__name__}: {exc}")


def serve() -> None:
    """Run the server over stdin and stdout until the editor says exit."""
    build_server().start_io()
