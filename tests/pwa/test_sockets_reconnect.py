"""In Chromium: Home's and the Backlog's live sockets are the app's LiveSocket: when their Daphne
is killed and started again they reconnect by themselves, and what changed meanwhile shows."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import pytest

from feedback.context import Actor
from feedback.services.backlog import backlog_create
from feedback.services.notifications import notify
from tests.factories import PASSWORD
from tests.live import launch, process_env, stop
from tests.pwa.conftest import login

pytestmark = pytest.mark.browser
SOCKETS = (
    "async () => { const src = document.querySelector('script[type=module]').src;"
    " const m = await import(src.replace('app.js', 'socket.js'));"
    " return [...m.active].map((s) => [new URL(s.url).pathname, s.connects]); }"
)


def sockets(page: Any) -> dict[str, int]:
    return dict(page.evaluate(SOCKETS))


def test_home_and_backlog_sockets_reconnect_by_themselves_and_catch_up(
    transactional_db: Any, new_context: Any, make_user: Any, tmp_path: Path
) -> None:
    owner = make_user("product_owner", username="parker")
    env = process_env()
    proc, port = launch(env, tmp_path / "before.log")
    base = f"http://127.0.0.1:{port}"
    try:
        ctx = new_context()
        home = ctx.new_page()
        login(home, base, "parker", PASSWORD)
        home.wait_for_function("() => document.querySelector('#notifications li') !== null")
        board = ctx.new_page()
        board.goto(f"{base}/backlog")
        board.wait_for_selector("body[data-backlog-live='1']")
        assert sockets(board) == {"/ws/backlog/": 1}
        assert sockets(home) == {"/ws/notifications/": 1}

        proc.send_signal(signal.SIGKILL)
        proc.wait()
        board.wait_for_selector("body:not([data-backlog-live])")
        # While the server is down: an item is made and a notification is sent.
        backlog_create(actor=Actor(user=owner), data={"title": "Made while the server was down"})
        notify(users=[owner], kind="test", title="Sent while the server was down")
        proc, _ = launch(env, tmp_path / "after.log", port=port)

        board.wait_for_selector("body[data-backlog-live='1']", timeout=40000)
        board.wait_for_selector("#backlog-list li >> text=Made while the server was down")
        assert sockets(board)["/ws/backlog/"] >= 2  # the same socket, reconnected
        home.wait_for_selector(
            "#notifications li >> text=Sent while the server was down", timeout=40000
        )
        assert list(sockets(home)) == ["/ws/notifications/"]
    finally:
        stop(proc)
