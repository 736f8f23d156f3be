"""In Chromium: a facilitator runs a live session while two clinicians join, rate and pin."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.factories import PASSWORD, ToolFactory
from tests.imagedata import screen_png
from tests.pwa.conftest import login

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
# The page's own copy of live.js (same URL as app.js imports, so the same module instance).
LIVE_MODULE = "document.querySelector('script[type=module]').src.replace('app.js', 'live.js')"


def _text_is(page: Any, selector: str, expected: str) -> None:
    page.wait_for_function(
        "([sel, want]) => { const el = document.querySelector(sel);"
        " return el !== null && el.textContent.trim() === want; }",
        arg=[selector, expected],
    )


def _until(page: Any, condition: Any, seconds: float = 10.0) -> None:
    """Lets Playwright deliver socket messages to a routed fake server until `condition()`."""
    for _ in range(int(seconds * 20)):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError("condition not met in time")


def _count_is(page: Any, selector: str, expected: int) -> None:
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length === n", arg=[selector, expected]
    )


def _start_session(base: str, page: Any, tmp_path: Path) -> str:
    """The facilitator uploads a screen through the UI, ticks it and starts a session."""
    image = tmp_path / "alert-banner.png"
    image.write_bytes(screen_png(400, 300))
    page.click("#nav a[data-area=facilitate]")
    page.wait_for_selector("#session-form")
    page.select_option("#s-tool", label="Sepsis early warning")
    page.set_input_files("#up-image", str(image))
    page.fill("#up-title", "Alert banner")
    page.click("#up-submit")
    page.wait_for_selector("#screen-picks input:checked")
    page.fill("#s-title", "4 West huddle")
    page.click("#s-create")
    page.wait_for_selector("#c-code:not(:empty)")
    page.wait_for_selector("#c-status[data-state=live]")
    code = str(page.inner_text("#c-code")).strip()
    assert len(code) == 6 and code.isalnum() and code.isupper()
    assert page.get_attribute("#c-qr", "src").endswith("/qr.svg")
    return code


def _showing_a_screen(base: str, new_context: Any, username: str, tmp_path: Path) -> Any:
    """The facilitator signs in, starts a session and shows its screen: (page, code)."""
    fac = new_context().new_page()
    login(fac, base, username, PASSWORD)
    code = _start_session(base, fac, tmp_path)
    fac.click("#c-picker button")
    return fac, code


def _clinician(base: str, new_context: Any, username: str) -> Any:
    page = new_context().new_page()
    login(page, base, username, PASSWORD)
    return page


def tap_screen(page: Any, where: tuple[float, float]) -> None:
    """Tap the shown screen where a person would, once it is there to tap.

    A person taps the screen they see: wait for its image, then click through Playwright's
    actionability checks (visible, stable, not covered). CI once measured the box before the image
    arrived, when the page drew it 0 px high, and the click missed it; the page now reserves the
    screen's box from its size and takes no pin until the picture is there
    (test_the_screen_keeps_its_place_while_its_image_is_still_arriving).
    """
    page.wait_for_function(
        "() => { const i = document.querySelector('#screen-img');"
        " return i && i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().height > 20; }"
    )
    page.wait_for_selector("#stage-loading", state="hidden")  # no pin before the picture is seen
    img = page.locator("#screen-img")
    box = img.bounding_box()
    img.click(position={"x": box["width"] * where[0], "y": box["height"] * where[1]})
    page.wait_for_selector("#my-pin:not([hidden])")


def _rate(page: Any, where: tuple[float, float], scores: dict[str, int], comment: str) -> None:
    tap_screen(page, where)
    for dimension, score in scores.items():
        page.click(f"fieldset[data-dimension={dimension}] button[data-score='{score}']")
    pressed = page.locator("fieldset[data-dimension=trust] button[aria-pressed=true]")
    assert pressed.inner_text() == str(scores["trust"])
    page.fill("#rate-comment", comment)
    page.click("#rate-submit")
    _text_is(page, "#rate-status", "Sent ✓")


def _pin_lefts(page: Any) -> list[float]:
    styles = page.eval_on_selector_all("#c-pins .pin-dot", "ds => ds.map(d => d.style.left)")
    return sorted(float(s.rstrip("%")) for s in styles)


ALL_FOUR = {"usefulness": 4, "clarity": 3, "trust": 2, "workflow_fit": 5}
ALL_TWO = {"usefulness": 2, "clarity": 3, "trust": 4, "workflow_fit": 1}


def test_facilitator_sees_two_clinicians_rate_and_pin_live_then_reveals(
    live_server_url: str, new_context: Any, make_user: Any, tmp_path: Path
) -> None:
    base = live_server_url
    make_user("product_owner", username="fran", display_name="Fran Facilitator")
    make_user("clinician", username="nina", display_name="Nina Nurse")
    make_user("clinician", username="phil", display_name="Phil Pharmacist")
    ToolFactory(name="Sepsis early warning")

    fac = new_context().new_page()
    login(fac, base, "fran", PASSWORD)
    code = _start_session(base, fac, tmp_path)

    # Nina types the code (lower case: the input upper-cases it) before any screen is shown.
    nina = _clinician(base, new_context, "nina")
    nina.click("#nav a[data-area=join]")
    nina.fill("#join-code", code.lower())
    assert nina.input_value("#join-code") == code
    nina.click("#join-submit")
    nina.wait_for_selector("#room-status[data-state=live]")
    assert nina.is_visible("#waiting") and not nina.is_visible("#rate-view")

    assert not fac.is_visible("#c-stage-wrap"), "no pin count before a screen is shown"
    fac.click("#c-picker button")
    fac.wait_for_selector("#c-picker button[aria-pressed=true]")
    nina.wait_for_selector("#rate-view:not([hidden])")
    assert nina.inner_text("#screen-title").startswith("Alert banner")
    assert (
        nina.inner_text("#scale-note") == "For each: 1 (poor) to 5 (excellent)."
    )  # which end is good

    # Phil arrives by the QR's link.
    phil = _clinician(base, new_context, "phil")
    phil.goto(f"{base}/join/{code}")
    phil.wait_for_selector("#rate-view:not([hidden])")

    _rate(nina, (0.25, 0.3), ALL_FOUR, "Banner covers the lactate trend")
    _text_is(fac, "#c-stage-wrap p.muted", "1 pin on this screen")
    _rate(phil, (0.75, 0.6), ALL_TWO, "Too many alerts on nights")

    _text_is(fac, "#c-agg [data-count]", "2")
    _text_is(fac, "#c-agg [data-dimension=usefulness] .agg-mean", "3.0")
    _count_is(fac, "#c-pins .pin-dot", 2)
    lefts = _pin_lefts(fac)
    assert abs(lefts[0] - 25) < 3 and abs(lefts[1] - 75) < 3, lefts
    _text_is(fac, "#c-presence", "2")  # participants connected; the facilitator is not counted
    _text_is(fac, "#c-pin-count", "2")

    # Results stay hidden from participants until the facilitator reveals them.
    assert not nina.is_visible("#results")
    fac.click("#c-reveal")
    _text_is(fac, "#c-reveal", "Hide results")
    for page in (nina, phil):
        page.wait_for_selector("#results:not([hidden])")
        _text_is(page, "#room-agg [data-count]", "2")
        _text_is(page, "#room-agg [data-dimension=workflow_fit] .agg-mean", "3.0")

    fac.click("#c-reveal")
    nina.wait_for_selector("#results", state="hidden")

    fac.click("#c-end")
    fac.click("#c-end")  # second tap confirms
    for page in (nina, phil):
        page.wait_for_selector("#room-ended:not([hidden])")
    fac.wait_for_selector("#results-view")  # an ended session opens on its results
    assert "/sessions/" in fac.url
    _text_is(fac, "#results-view .res-screen [data-count]", "2")
    comments = fac.inner_text("#results-view .res-comments")
    assert "Banner covers the lactate trend" in comments and "Too many alerts on nights" in comments
    _count_is(fac, "#results-view .pins-layer .pin-dot", 2)

    # "Turn comments into backlog items": the session's comments first, not under every observation.
    fac.click("#to-evidence")
    _count_is(fac, "#ev-notes li input[type=checkbox]", 2)
    assert fac.evaluate("document.querySelector('#main section').id") == "ev-ses"


def test_dropped_socket_reconnects_and_delivers_a_rating_made_offline(
    live_server_url: str, new_context: Any, make_user: Any, tmp_path: Path
) -> None:
    base = live_server_url
    make_user("observer", username="omar", display_name="Omar Observer")
    make_user("clinician", username="nina", display_name="Nina Nurse")
    ToolFactory(name="Sepsis early warning")
    fac, code = _showing_a_screen(base, new_context, "omar", tmp_path)
    fac.fill("#c-quorum", "1")  # blind-first: results show by themselves after one rating
    fac.click("#c-quorum-form button[type=submit]")
    _text_is(
        fac,
        "#c-quorum-note",
        "Results show by themselves once 1 participant rated the shown screen.",
    )

    nina = _clinician(base, new_context, "nina")
    nina.goto(f"{base}/join/{code}")
    nina.wait_for_selector("#rate-view:not([hidden])")
    before = nina.evaluate(
        f"async () => {{ const m = await import({LIVE_MODULE}); const s = [...m.active][0];"
        " const n = s.connects; s.ws.close(4000, 'test drop'); return n; }"
    )
    nina.click("fieldset[data-dimension=usefulness] button[data-score='5']")
    nina.click("#rate-submit")  # sent while the socket is down: kept, resent on `state`
    nina.wait_for_function(
        f"async (n) => {{ const m = await import({LIVE_MODULE});"
        " return [...m.active][0].connects > n; }",
        arg=before,
    )
    _text_is(nina, "#rate-status", "Sent ✓")
    _text_is(fac, "#c-agg [data-count]", "1")
    _text_is(fac, "#c-agg [data-dimension=usefulness] .agg-mean", "5.0")
    _text_is(fac, "#c-reveal", "Hide results")  # the quorum was reached: revealed by the server
    nina.wait_for_selector("#results:not([hidden])")


def test_unknown_code_explains_and_offers_another_try(
    live_server_url: str, new_context: Any, make_user: Any
) -> None:
    make_user("clinician", username="nina")
    page = _clinician(live_server_url, new_context, "nina")
    page.goto(f"{live_server_url}/join/QQQQQQ")
    page.wait_for_selector("#join-error:not(:empty)")
    assert "QQQQQQ" in page.inner_text("#join-error")
    page.click("a[href='/join']")
    page.wait_for_selector("#join-form")
    page.fill("#join-code", "ab")
    page.click("#join-submit")
    assert "6 characters" in page.inner_text("#join-error")


def test_reconnect_backoff_grows_with_jitter_and_is_capped(
    live_server_url: str, new_context: Any, make_user: Any
) -> None:
    make_user("clinician", username="nina")
    page = _clinician(live_server_url, new_context, "nina")
    delays = page.evaluate(
        f"async () => {{ const m = await import({LIVE_MODULE}); const out = [];"
        " for (let a = 0; a < 12; a++) for (let i = 0; i < 20; i++)"
        " out.push([a, m.backoff(a, 500, 15000)]); return out; }"
    )
    for attempt, delay in delays:
        ceiling = min(15000, 500 * 2**attempt)
        assert ceiling / 2 <= delay <= ceiling, (attempt, delay)
    late = {d for a, d in delays if a >= 8}
    assert len(late) > 1  # jittered, so reconnecting tablets do not stampede together


SCREEN = {
    "id": 11,
    "tool": 1,
    "title": "Alert banner",
    "version": "2",
    "width": 400,
    "height": 300,
    "image_url": "/media/fake/alert.png",
    "thumb_url": "/media/fake/alert.png",
}


class FakeRoom:
    """A scripted ws/sessions/<code>/ speaking SPEC §3 frames, so the Join view is tested alone."""

    def __init__(self, page: Any, screen_bytes: bytes) -> None:
        self.sockets: list[Any] = []
        self.received: list[dict[str, Any]] = []
        self.screen = SCREEN
        page.route(
            "**/api/sessions/join/",
            lambda route: route.fulfill(
                json={"session": {"id": 7, "title": "Fake huddle"}, "participant": 3}
            ),
        )
        page.route(
            "**/media/fake/alert.png",
            lambda route: route.fulfill(body=screen_bytes, content_type="image/png"),
        )
        page.route_web_socket("**/ws/sessions/**", self.accept)

    def accept(self, ws: Any) -> None:
        self.sockets.append(ws)
        ws.on_message(lambda text: self.receive(ws, json.loads(text)))
        session = {"id": 7, "dimensions": ["usefulness", "trust"]}
        you = {"participant": 3, "is_facilitator": False}
        self.push(
            {
                "type": "state",
                "session": session,
                "screen": None,
                "results_visible": False,
                "you": you,
            }
        )

    def receive(self, ws: Any, frame: dict[str, Any]) -> None:
        self.received.append(frame)
        if frame.get("type") == "rate":
            ws.send(json.dumps({"type": "ack", "client_id": frame["client_id"]}))

    def push(self, frame: dict[str, Any]) -> None:
        self.sockets[-1].send(json.dumps(frame))


def in_fake_room(base: str, new_context: Any, make_user: Any) -> tuple[Any, FakeRoom]:
    """Nina, a clinician, joined by the link /join/abc234 of a FakeRoom: (page, room)."""
    make_user("clinician", username="nina")
    page = _clinician(base, new_context, "nina")
    room = FakeRoom(page, screen_png(400, 300))
    page.goto(f"{base}/join/abc234")
    page.wait_for_selector("#room-status[data-state=live]")
    return page, room


def test_join_view_speaks_the_spec_frames_and_resumes_after_a_drop(
    live_server_url: str, new_context: Any, make_user: Any
) -> None:
    page, room = in_fake_room(live_server_url, new_context, make_user)
    assert page.inner_text("#room-code") == "ABC234"
    assert page.is_visible("#waiting")

    room.push({"type": "screen", "screen": room.screen})
    page.wait_for_selector("#rate-view:not([hidden])")
    _count_is(page, "#scores fieldset", 2)  # the session's own dimensions, not the defaults
    assert page.is_disabled("#rate-submit")
    page.wait_for_selector("#stage-loading", state="hidden")  # the picture is there to pin on
    page.focus("#stage")
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowRight")
    page.click("fieldset[data-dimension=trust] button[data-score='2']")
    page.fill("#rate-comment", "Needs the trend line")
    page.click("#rate-submit")
    _text_is(page, "#rate-status", "Sent ✓")
    rate = next(f for f in room.received if f["type"] == "rate")
    assert rate["screen"] == 11 and rate["scores"] == {"trust": 2}
    assert rate["pin"] == pytest.approx({"x": 0.55, "y": 0.5})
    assert rate["comment"] == "Needs the trend line"
    assert len(rate["client_id"]) == 36

    room.push({"type": "results_visible", "visible": True})
    means = {"usefulness": 4.0, "trust": 2.5}
    histograms = {"usefulness": [0, 0, 0, 3, 0], "trust": {"2": 2, "3": 1}}
    room.push(
        {"type": "aggregate", "screen": 11, "count": 3, "means": means, "histograms": histograms}
    )
    _text_is(page, "#room-agg [data-count]", "3")
    _text_is(page, "#room-agg [data-dimension=trust] .agg-mean", "2.5")
    assert "2: 2 · 3: 1" in page.inner_text("#room-agg [data-dimension=trust] .agg-hist")

    room.sockets[-1].close(code=1011, reason="server restart")
    page.wait_for_selector("#room-status[data-state=reconnecting]")
    page.wait_for_function("() => document.querySelector('#room-status').dataset.state === 'live'")
    assert len(room.sockets) == 2
    # The resumed `state` says results are hidden again and no screen is shown.
    assert page.is_visible("#waiting") and not page.is_visible("#results")

    room.sockets[-1].close(code=4404, reason="ended")
    page.wait_for_selector("#room-status[data-state=closed]")
    assert "not open" in page.inner_text("#room-status")
    page.wait_for_timeout(1200)  # longer than the first backoff: a refused socket is not retried
    assert len(room.sockets) == 2


class FakeConsoleServer:
    """Session 5's REST answers and a scripted facilitator socket, per SPEC §3."""

    def __init__(self, page: Any, screen_bytes: bytes) -> None:
        self.sockets: list[Any] = []
        self.received: list[dict[str, Any]] = []
        self.summaries = 0
        second = {**SCREEN, "id": 12, "title": "Order panel"}
        self.session = {
            "id": 5,
            "code": "ABC234",
            "title": "Fake huddle",
            "tool": 1,
            "join_url": "http://127.0.0.1/join/ABC234",
            "state": "open",
            "dimensions": ["usefulness", "trust"],
            "screens": [SCREEN, second],
        }
        page.route("**/api/sessions/5/", lambda route: route.fulfill(json=self.session))
        page.route("**/api/sessions/5/summary/", self.summary)
        page.route(
            "**/api/sessions/5/qr.svg",
            lambda route: route.fulfill(body="<svg xmlns='http://www.w3.org/2000/svg'/>"),
        )
        page.route(
            "**/media/fake/*",
            lambda route: route.fulfill(body=screen_bytes, content_type="image/png"),
        )
        page.route_web_socket("**/ws/sessions/ABC234/", self.accept)

    def summary(self, route: Any) -> None:
        self.summaries += 1
        note = {"source": "rating", "id": 1, "screen": 11, "text": "Old note", "pin": PIN_A}
        screen = {"screen": 11, "count": 1, "means": {}, "histograms": {}, "comments": [note]}
        route.fulfill(json={"session": 5, "screens": [{**screen, "pins": [PIN_A, PIN_B]}]})

    def accept(self, ws: Any) -> None:
        self.sockets.append(ws)
        ws.on_message(lambda text: self.received.append(json.loads(text)))
        you = {"participant": 1, "is_facilitator": True}
        state = {"type": "state", "session": self.session, "screen": None, "you": you}
        self.push({**state, "results_visible": False, "aggregate": None})

    def push(self, frame: dict[str, Any]) -> None:
        self.sockets[-1].send(json.dumps(frame))

    def sent(self, kind: str) -> list[dict[str, Any]]:
        return [f for f in self.received if f.get("type") == kind]


PIN_A, PIN_B = {"x": 0.1, "y": 0.1}, {"x": 0.9, "y": 0.9}


def test_console_controls_send_spec_frames_and_draw_live_pins(
    live_server_url: str, new_context: Any, make_user: Any
) -> None:
    make_user("product_owner", username="fran")
    page = new_context().new_page()
    login(page, live_server_url, "fran", PASSWORD)
    server = FakeConsoleServer(page, screen_png(400, 300))
    page.goto(f"{live_server_url}/facilitate/5")
    page.wait_for_selector("#c-status[data-state=live]")
    assert page.inner_text("#c-code") == "ABC234"
    assert page.get_attribute("#c-qr", "src") == "/api/sessions/5/qr.svg"
    assert page.is_visible("#c-noscreen")

    page.click("#c-picker button[data-screen='11']")
    _until(page, lambda: server.sent("show_screen"))
    assert server.sent("show_screen") == [{"type": "show_screen", "screen": 11}]
    server.push({"type": "screen", "screen": SCREEN})
    page.wait_for_selector("#c-picker button[data-screen='11'][aria-pressed=true]")
    _text_is(page, "#c-pin-count", "2")  # from the summary: a commented pin and a bare one
    # A pinned comment carries the number of its pin, so the facilitator can tell them apart.
    assert page.inner_text("#c-comments") == "1 Old note"
    assert page.locator("#c-pins .pin-dot.numbered").all_inner_texts() == ["1"]

    live = {"type": "comment", "source": "rating", "id": 2, "screen": 11, "text": ""}
    server.push({**live, "pin": {"x": 0.5, "y": 0.5}})
    _text_is(page, "#c-pin-count", "3")
    server.push({**live, "pin": {"x": 0.6, "y": 0.5}})  # the same rating, re-rated
    page.wait_for_selector("#c-pins .pin-dot[style*='left: 60%']")
    assert page.locator("#c-pins .pin-dot").count() == 3

    server.push({"type": "presence", "count": 4})
    _text_is(page, "#c-presence", "4")
    means, hist = {"usefulness": 4.5, "trust": 3.0}, {"usefulness": [0, 0, 0, 1, 1]}
    server.push({"type": "aggregate", "screen": 11, "count": 2, "means": means, "histograms": hist})
    _text_is(page, "#c-agg [data-dimension=usefulness] .agg-mean", "4.5")

    page.click("#c-reveal")
    _until(page, lambda: server.sent("reveal_results"))
    assert server.sent("reveal_results") == [{"type": "reveal_results", "visible": True}]
    assert page.inner_text("#c-reveal") == "Reveal results"  # until the server confirms
    server.push({"type": "results_visible", "visible": True})
    _text_is(page, "#c-reveal", "Hide results")
    assert page.get_attribute("#c-reveal", "aria-pressed") == "true"

    page.click("#c-end")
    page.wait_for_timeout(300)
    assert server.sent("end") == []  # one tap only arms the button
    page.click("#c-end")
    _until(page, lambda: server.sent("end"))
    assert server.sent("end") == [{"type": "end"}]
    server.push({"type": "ended", "collect_sus": False})
    page.wait_for_selector("#results-view")  # the console gives way to the results
    assert "Old note" in page.inner_text("#results-view .res-comments")
    assert page.evaluate(f"import({LIVE_MODULE}).then(m => m.active.size)") == 0  # socket closed
    assert server.summaries >= 1


def _api_session(owner: Any) -> dict[str, Any]:
    """A session made through the API in-process (same database as the Daphne under test)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import token_client

    api = token_client(owner)
    tool = ToolFactory(name="Discharge summary drafter")
    upload = SimpleUploadedFile("s.png", screen_png(400, 300), content_type="image/png")
    screen = api.post(
        f"/api/tools/{tool.pk}/screens/", {"image": upload, "title": "Draft", "version": "1"}
    )
    assert screen.status_code == 201, screen.content
    made = api.post(
        "/api/sessions/",
        {"title": "Huddle", "tool": tool.pk, "screens": [screen.json()["id"]]},
        format="json",
    )
    assert made.status_code == 201, made.content
    return dict(made.json())


def test_only_facilitators_reach_the_console_and_only_for_their_sessions(
    live_server_url: str, new_context: Any, make_user: Any
) -> None:
    base = live_server_url
    session = _api_session(make_user("observer", username="omar"))
    make_user("observer", username="olga")
    make_user("clinician", username="nina")
    make_user(username="oscar")

    nina = _clinician(base, new_context, "nina")
    assert "Facilitate" not in nina.locator("#nav a").all_inner_texts()
    nina.goto(f"{base}/facilitate/{session['id']}")
    nina.wait_for_selector("#not-allowed")  # not her area: the app says so, nothing else shows
    assert nina.locator("#c-code").count() == 0

    olga = _clinician(base, new_context, "olga")
    olga.goto(f"{base}/facilitate/{session['id']}")
    olga.wait_for_selector("main .error")
    assert "not yours" in olga.inner_text("main .error")
    assert olga.locator("#c-code").count() == 0

    oscar = _clinician(base, new_context, "oscar")
    oscar.goto(f"{base}/join/{session['code']}")
    oscar.wait_for_selector("#not-allowed")  # no role: no Join area
    assert oscar.locator("#room-code").count() == 0


def test_on_a_tablet_the_console_shows_ratings_and_comments_without_scrolling_past_the_code(
    live_server_url: str, new_context: Any, make_user: Any, tmp_path: Path
) -> None:
    """A facilitator holds a 1024x768 tablet: once people rate, the live ratings and comments are
    in the first screen beside the shown screen, not below the join code, QR and controls."""
    base = live_server_url
    make_user("product_owner", username="fran", display_name="Fran Facilitator")
    make_user("clinician", username="nina", display_name="Nina Nurse")
    ToolFactory(name="Sepsis early warning")
    fac, code = _showing_a_screen(base, new_context, "fran", tmp_path)
    nina = _clinician(base, new_context, "nina")
    nina.goto(f"{base}/join/{code}")
    _rate(nina, (0.5, 0.5), ALL_FOUR, "Banner covers the lactate trend")
    _text_is(fac, "#c-agg [data-count]", "1")
    fac.evaluate("window.scrollTo(0, 0)")
    Path("/tmp/rounds-screens").mkdir(exist_ok=True)
    fac.screenshot(path="/tmp/rounds-screens/console-tablet.png")
    height = fac.viewport_size["height"]
    for selector in ("#agg-h", "#c-agg [data-count]", "#comments-h", "#c-comments li"):
        top = fac.eval_on_selector(selector, "e => e.getBoundingClientRect().top")
        assert 0 <= top < height - 20, f"{selector} is {top:.0f} px down on a {height} px screen"
    # Reveal and a first tap on End lengthen their labels; nothing below them moves.
    ratings_top = fac.eval_on_selector("#agg-h", "e => e.getBoundingClientRect().top")
    fac.click("#c-reveal")
    _text_is(fac, "#c-reveal", "Hide results")
    fac.click("#c-end")
    _text_is(fac, "#c-end", "Tap again to end")
    assert fac.eval_on_selector("#agg-h", "e => e.getBoundingClientRect().top") == ratings_top
    # The code and its QR stay on the first screen too, for people still arriving.
    for selector in ("#c-code", "#c-qr", "#c-presence", "#c-reveal"):
        box = fac.locator(selector).bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, selector
