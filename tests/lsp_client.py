"""A small LSP client for tests and benchmarks: runs ``pecoscheck lsp`` and speaks JSON-RPC over its stdio."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, BinaryIO


def uri_of(path: Path) -> str:
    return path.resolve().as_uri()


class LspClient:
    """Start the server; send requests and notifications; wait for what it sends back."""

    def __init__(self, argv: list[str] | None = None, cwd: Path | None = None,
                 env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(argv or [sys.executable, "-m", "pecoscheck", "lsp"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=cwd, env=env)
        self._next_id = 0
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        assert self.proc.stdout is not None
        threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True).start()

    def _read(self, stream: BinaryIO) -> None:
        while True:
            headers: dict[str, str] = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self.inbox.put(json.loads(body.decode("utf-8")))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict[str, Any] | None = None) -> None:
        self._send({"method": method, "params": params or {}})

    def request(self, method: str, params: dict[str, Any] | None = None, timeout: float = 30) -> Any:
        """Send a request and return its result (raising on an error answer)."""
        self._next_id += 1
        rid = self._next_id
        self._send({"id": rid, "method": method, "params": params or {}})
        answer = self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result")

    def wait(self, match: Any, timeout: float = 30) -> dict[str, Any]:
        """The first message (already seen or arriving) that ``match`` accepts; it is consumed."""
        for m in self.seen:
            if match(m):
                self.seen.remove(m)
                return m
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no matching message within {timeout} s; unmatched: {self.seen[-5:]}")
            try:
                m = self.inbox.get(timeout=left)
            except queue.Empty:
                continue
            if match(m):
                return m
            self.seen.append(m)

    def diagnostics(self, uri: str, version: int | None = None, timeout: float = 30) -> list[dict[str, Any]]:
        """The next publishDiagnostics for ``uri`` (for ``version``, when given)."""
        m = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                      and m["params"]["uri"] == uri
                      and (version is None or m["params"].get("version") == version), timeout)
        result: list[dict[str, Any]] = m["params"]["diagnostics"]
        return result

    def drain(self, method: str) -> list[dict[str, Any]]:
        """Every message of ``method`` received so far (consumed)."""
        while True:
            try:
                self.seen.append(self.inbox.get_nowait())
            except queue.Empty:
                break
        found = [m for m in self.seen if m.get("method") == method]
        self.seen = [m for m in self.seen if m.get("method") != method]
        return found

    def initialize(self, root: Path, options: dict[str, Any] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = self.request("initialize", {
            "processId": None, "rootUri": uri_of(root), "capabilities": {},
            "initializationOptions": options or {}})
        self.notify("initialized")
        return result

    def open(self, path: Path, text: str, version: int = 1) -> str:
        uri = uri_of(path)
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": version,
                                                              "text": text}})
        return uri

    def change(self, uri: str, version: int, text: str) -> None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": text}]})

    def edit(self, uri: str, version: int, line: int, start: int, end: int, text: str) -> None:
        """An incremental change: replace characters ``start``..``end`` of ``line`` (0-based)."""
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [
            {"range": {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}},
             "text": text}]})

    def close(self) -> int:
        """shutdown, exit; the server's exit code."""
        try:
            self.request("shutdown", timeout=10)
            self.notify("exit")
            return self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                if stream:
                    stream.close()
