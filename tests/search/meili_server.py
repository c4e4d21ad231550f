"""A scripted HTTP server on 127.0.0.1 standing in for Meilisearch in unit tests.

It records every request the backend sends and answers with the bodies the test queued, copied from
Meilisearch's API reference; it implements no search behaviour (that is the contract suite's job
against a real server).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ENQUEUED_AT = "2024-08-08T17:05:55.791772Z"


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Answer:
    status: int
    body: Any
    delay: float = 0.0


class FakeMeilisearch:
    """Start with `start()`; queue answers with `answer(...)`; read `requests` afterwards."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.answers: deque[Answer] = deque()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                fake.requests.append(Recorded(self.command, self.path, dict(self.headers), body))
                answer = fake.answers.popleft() if fake.answers else Answer(500, {"message": "unscripted"})
                time.sleep(answer.delay)
                payload = json.dumps(answer.body).encode() if answer.body is not None else b""
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeMeilisearch:
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, status: int, body: Any = None, *, delay: float = 0.0) -> None:
        self.answers.append(Answer(status, body, delay))

    def enqueued(self, uid: int, index: str | None, kind: str) -> None:
        """A 202 with a summarized task object."""
        self.answer(
            202,
            {
                "taskUid": uid,
                "indexUid": index,
                "status": "enqueued",
                "type": kind,
                "enqueuedAt": ENQUEUED_AT,
            },
        )

    def task(
        self, uid: int, index: str | None, kind: str, status: str = "succeeded", error: Any = None
    ) -> None:
        """A 200 with a full task object (GET /tasks/{uid})."""
        self.answer(
            200,
            {
                "uid": uid, "batchUid": uid, "indexUid": index, "status": status, "type": kind,
                "canceledBy": None, "details": {}, "error": error, "duration": "PT0.005S",
                "enqueuedAt": ENQUEUED_AT, "startedAt": ENQUEUED_AT, "finishedAt": ENQUEUED_AT,
            },
        )  # fmt: skip

    def error(self, status: int, code: str, message: str) -> None:
        """An error answer as Meilisearch formats them."""
        self.answer(
            status,
            {
                "message": message, "code": code,
                "type": "invalid_request" if status < 500 else "internal",
                "link": f"https://docs.meilisearch.com/errors#{code}",
            },
        )  # fmt: skip
