"""In Chromium: a host page on another origin embeds /widget.js (on the page and in an iframe); a
clinician flags an output; it appears live on the dashboard and as evidence on a backlog item."""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from feedback.models import OutputFeedback
from tests.factories import PASSWORD, ToolFactory
from tests.factories_flags import issue_key
from tests.pwa.conftest import login
from tests.pwa.test_backlog_board import call, watch_socket_hello

pytestmark = pytest.mark.browser


class HostSite:
    """The AI tool's own web server: a second origin on 127.0.0.1 serving its pages."""

    def __init__(self, pages: dict[str, str]) -> None:
        self.pages = pages
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = site.pages.get(self.path.split("?")[0])
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write((body or "not found").encode())

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def host_site() -> Iterator[HostSite]:
    site = HostSite({})
    yield site
    site.close()


def widget_tag(base: str, tool: int, key: str, ref: str, reporter: str) -> str:
    attrs = {
        "src": f"{base}/widget.js",
        "data-tool": str(tool),
        "data-key": key,
        "data-output-ref": ref,
        "data-model-version": "scribe-2.3.1",
        "data-reporter": reporter,
    }
    return "<script " + " ".join(f'{k}="{html.escape(v)}"' for k, v in attrs.items()) + "></script>"


def flag_in(frame: Any, comment: str) -> None:
    """What the clinician does: open the widget, answer, send (keyboard-reachable controls)."""
    frame.get_by_role("button", name="Flag this output").click()
    dialog = frame.get_by_role("dialog", name="Feedback on this AI output")
    dialog.get_by_label("Not helpful").check()
    dialog.get_by_label("Left something out").check()
    dialog.get_by_label("Harm (AHRQ scale)", exact=False).select_option("moderate")
    dialog.get_by_label("It reached the patient").check()
    dialog.get_by_label("Comment (optional)").fill(comment)
    dialog.get_by_role("button", name="Send").click()
    dialog.get_by_text("Thank you: your feedback was sent.").wait_for()


def test_widget_on_another_origin_flags_live_to_dashboard_and_backlog(
    live_server_url, new_context, make_user, host_site
):
    base = live_server_url
    owner = make_user("product_owner", username="pia", display_name="Pia Owner")
    clinician = make_user("clinician", username="cora", display_name="Cora Clinician")
    tool = ToolFactory(name="Discharge summary drafter")
    _, key = issue_key(tool, [host_site.origin], by=owner)
    # The tool's back end holds the clinician's Rounds sign-in (SSO) and asks for a reporter token.
    reporter = call(base, clinician, "POST", f"/api/tools/{tool.pk}/reporter-token/")["reporter"]
    host_site.pages["/note"] = (
        "<!doctype html><html lang=en><title>Discharge summary</title><main><h1>Draft note</h1>"
        "<p>Synthetic draft summary text.</p>"
        + widget_tag(base, tool.pk, key, "note/1001", reporter)
        + '<iframe title="Second draft" src="/frame" width="640" height="520"></iframe></main>'
    )
    host_site.pages["/frame"] = (
        "<!doctype html><html lang=en><title>Second draft</title><p>Another synthetic draft.</p>"
        + widget_tag(base, tool.pk, key, "note/1002", reporter)
    )

    dash = new_context().new_page()
    errors: list[str] = []
    dash.on("pageerror", lambda e: errors.append(str(e)))
    hellos = watch_socket_hello(dash)
    login(dash, base, "pia", PASSWORD)
    dash.goto(base + "/dashboard")
    dash.wait_for_selector("#flags-empty")
    for _ in range(100):  # the live socket has joined its group once it says hello
        if any("hello" in str(frame) for frame in hellos):
            break
        dash.wait_for_timeout(100)
    assert hellos, "ws/output-feedback/ never said hello"

    host = new_context().new_page()
    host_errors: list[str] = []
    host.on("pageerror", lambda e: host_errors.append(str(e)))
    host.goto(host_site.origin + "/note")
    flag_in(host, "Dropped the warfarin dose change for John Smith")
    dash.wait_for_selector("#flag-list li:has-text('Omission')")
    item_text = dash.inner_text("#flag-list li")
    assert "Moderate harm, reached the patient" in item_text
    assert "John Smith" not in item_text and "[REDACTED-NAME]" in item_text  # PHI guard
    frame = host.frame_locator("iframe[title='Second draft']")
    flag_in(frame, "Omitted the follow-up appointment")
    dash.wait_for_function("() => document.querySelectorAll('#flag-list li').length === 2")
    dash.wait_for_selector("#flag-versions th[scope=row]:has-text('scribe-2.3.1')")

    flags = list(OutputFeedback.objects.order_by("id"))
    assert [f.output_ref for f in flags] == ["note/1001", "note/1002"]
    assert all(f.reporter_id == clinician.pk and f.harm_reached for f in flags)

    item = call(
        base, owner, "POST", "/api/backlog/",
        {"title": "Scribe drops medication changes", "output_feedback": [f.pk for f in flags]},
    )  # fmt: skip
    dash.goto(f"{base}/backlog/{item['id']}")
    dash.wait_for_selector("#ev-output-feedback li:has-text('note/1002')")
    assert dash.locator("#ev-output-feedback li").count() == 2
    assert errors == [] and host_errors == []
