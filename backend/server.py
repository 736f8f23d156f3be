"""Starts Daphne the way Rounds needs it: an access log that never records API or guest tokens
from query strings; request bodies kept in memory (never in a temp file: an upload is an
unredacted photo) and capped; multipart parsing left to Django; WebSocket frames over 64 KiB
closed with 1009 as SPEC says."""

from __future__ import annotations

import gc
import io
import json
import sys
from typing import Any

from daphne import cli, http_protocol
from daphne import server as daphne_server
from daphne.access import AccessLogGenerator
from daphne.ws_protocol import WebSocketFactory
from twisted.web import http

from api.logfilters import redact

MAX_WS_MESSAGE = 64 * 1024
# Before Django starts (the ASGI BodyLimit has the same figure from settings); one MB of slack
# for multipart framing around a 25 MB body.
MAX_BODY = 27 * 1024 * 1024


class RedactingAccessLog(AccessLogGenerator):  # type: ignore[misc]
    def write_entry(self, host: Any, date: Any, request: str, *args: Any, **kwargs: Any) -> None:
        super().write_entry(host, date, redact(request), *args, **kwargs)


class MemoryBody(io.BytesIO):
    """Twisted writes any body over 100 kB to a temporary file; this keeps it in memory, and
    past `cap` drops the bytes (the request is then answered 413) so memory stays bounded."""

    def __init__(self, cap: int) -> None:
        super().__init__()
        self.cap, self.over = cap, False

    def write(self, data: Any) -> int:
        if not self.over and self.tell() + len(data) > self.cap:
            self.over = True
            self.seek(0)
            self.truncate()
        if self.over:
            return len(data)
        return super().write(data)


class BodyToDjangoRequest(http_protocol.WebRequest):  # type: ignore[misc]
    """Twisted parses every multipart POST into memory before Daphne sees it, and answers a
    malformed one with a bare 400 and a dropped connection; Django parses (and answers) instead."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("parsePOSTFormSubmission", False)
        super().__init__(*args, **kwargs)

    def gotLength(self, length: int | None) -> None:
        self.content = MemoryBody(MAX_BODY)

    def process(self) -> Any:
        if isinstance(self.content, MemoryBody) and self.content.over:
            return self.too_large()
        return super().process()

    def too_large(self) -> None:
        body = json.dumps(
            {
                "code": "too_large",
                "detail": f"The request body is over {MAX_BODY // 2**20} MB; send less per "
                "request (a photo may be at most 20 MB, a sync batch 500 items).",
            }
        ).encode()
        headers = [(b"Content-Type", b"application/json"), (b"Connection", b"close")]
        self.handle_reply({"type": "http.response.start", "status": 413, "headers": headers})
        self.handle_reply({"type": "http.response.body", "body": body})


class QuietHTTPFactory(http_protocol.HTTPFactory):  # type: ignore[misc]
    """Daphne writes the access log itself (RedactingAccessLog). Twisted formatted a second,
    unredacted line per request (query strings and all) into its never-started log buffer:
    about 5% of a small request's time, for nothing."""

    def log(self, request: Any) -> None:
        return None


class ClosingWebSocketFactory(WebSocketFactory):  # type: ignore[misc]
    """Autobahn drops the TCP connection on an oversized message by default; 1009 says why."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setProtocolOptions(failByDrop=False)


def daphne_args(argv: list[str]) -> list[str]:
    """The command line, with the 64 KiB WebSocket limits unless the caller set them."""
    args = list(argv)
    for flag in ("--websocket-max-message-size", "--websocket-max-frame-size"):
        if flag not in args:
            args = [flag, str(MAX_WS_MESSAGE), *args]
    return args


# The cyclic collector's full (generation 2) passes walk every live object: with Django loaded and
# a few hundred sockets connected that took 35-230 ms per pass on this machine, each one a stall
# of every socket of the process (the tail of bench/bench_fanout.py --redis at 500 participants).
# Once the application is imported its objects live as long as the process: frozen, no pass walks
# them again; and full passes come ten times less often (the young generations, where short-lived
# garbage dies, are collected as before).
GC_THRESHOLDS = (700, 10, 100)


def settle_collector() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def main() -> None:
    cli.AccessLogGenerator = RedactingAccessLog  # daphne's CLI builds its logger from this name
    http_protocol.WebRequest = BodyToDjangoRequest  # HTTPFactory.buildProtocol looks it up here
    daphne_server.WebSocketFactory = ClosingWebSocketFactory  # Server.run looks it up here
    daphne_server.HTTPFactory = QuietHTTPFactory  # and this one
    http.RESPONSES.setdefault(429, b"Too Many Requests")  # Twisted's table lacks it
    from twisted.internet import reactor  # daphne.server installed the asyncio reactor

    reactor.callWhenRunning(settle_collector)  # after Daphne imported the application
    cli.CommandLineInterface().run(daphne_args(sys.argv[1:]))


if __name__ == "__main__":
    main()
