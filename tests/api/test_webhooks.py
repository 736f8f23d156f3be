"""Webhooks: admin-only registration; signed deliveries, retried with back-off, each logged."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from feedback.models import WebhookDelivery
from tests.conftest import ADMIN_ONLY, assert_error
from tests.live import worker

SECRET = "synthetic-webhook-secret"


class Receiver:
    """A tiny HTTP server on 127.0.0.1 answering with the queued status codes, then 200."""

    def __init__(self, statuses):
        self.statuses, self.requests, self.event = list(statuses), [], threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                code = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(code)
                self.end_headers()
                receiver.event.set()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count, timeout=10.0):
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return len(self.requests) >= count

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver([500])
    yield r
    r.close()


def valid_signature(headers, body):
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["X-Rounds-Signature"], expected)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_worker_process_delivers_signed_and_retries_after_a_failure(clients, receiver, tmp_path):
    """The real path: the API commits the event and its job; a separate `rounds_worker` process
    attempts it, gets a 500, re-enqueues the job for after the back-off, and delivers."""
    r = clients["admin"].post(
        "/api/webhooks/",
        {"url": receiver.url, "secret": SECRET, "events": ["backlog.item.created"]},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert "secret" not in r.json()
    r = clients["product_owner"].post("/api/backlog/", {"title": "Alert fatigue"}, format="json")
    assert r.status_code == 201
    assert DBTaskResult.objects.filter(task_path="feedback.tasks.deliver_webhook").count() == 1
    assert receiver.requests == []  # nothing is sent by the web process itself

    with worker(tmp_path, {"ROUNDS_WEBHOOK_BACKOFF_SECONDS": "1"}) as log:
        assert receiver.wait_for(2, timeout=20), log.read_text()[-2000:]
        deadline = time.monotonic() + 5
        while WebhookDelivery.objects.get().status != "delivered" and time.monotonic() < deadline:
            time.sleep(0.05)

    done = WebhookDelivery.objects.get()
    assert (done.status, done.attempts, done.last_status_code) == ("delivered", 2, 200)
    (h1, b1), (h2, b2) = receiver.requests
    assert b1 == b2 and valid_signature(h1, b1) and valid_signature(h2, b2)
    payload = json.loads(b2)
    assert (
        payload["event"] == "backlog.item.created" and payload["data"]["title"] == "Alert fatigue"
    )
    jobs = DBTaskResult.objects.filter(task_path="feedback.tasks.deliver_webhook")
    assert sorted(jobs.values_list("status", flat=True)) == ["SUCCESSFUL", "SUCCESSFUL"]
    retry = jobs.order_by("enqueued_at").last()
    assert retry.run_after is not None  # the retry waited for its back-off


@pytest.mark.django_db
def test_deliver_task_skips_a_delivery_another_worker_holds(settings, admin_user, receiver):
    from feedback.context import Actor
    from feedback.services import webhooks
    from feedback.tasks import deliver_webhook

    hook = webhooks.webhook_create(
        actor=Actor(user=admin_user), url=receiver.url, secret=SECRET, events=["*"]
    )
    row = WebhookDelivery.objects.create(
        webhook=hook, event="backlog.item.changed", body="{}", next_attempt_at=timezone.now()
    )
    assert webhooks.claim(row.pk) is not None  # another worker took it (lease running)
    assert deliver_webhook.call(row.pk) == "skipped"
    assert receiver.requests == []


@pytest.mark.django_db
def test_backoff_doubles_and_gives_up_after_max_attempts(settings, admin_user):
    from feedback.context import Actor
    from feedback.services import webhooks

    settings.ROUNDS_WEBHOOK_BACKOFF_SECONDS = 10
    hook = webhooks.webhook_create(
        actor=Actor(user=admin_user), url="http://127.0.0.1:9/x", secret=SECRET, events=["*"]
    )
    row = WebhookDelivery.objects.create(webhook=hook, event="backlog.item.changed", body="{}")
    delays = []
    for _ in range(webhooks.MAX_ATTEMPTS):
        before = time.time()
        webhooks.attempt(row)
        if row.next_attempt_at:
            delays.append(round(row.next_attempt_at.timestamp() - before, -1))
    assert delays[:3] == [10, 20, 40]
    row.refresh_from_db()
    assert row.status == "failed" and row.attempts == webhooks.MAX_ATTEMPTS and row.last_error


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["observer", "clinician", "product_owner", "outsider", "anon"])
def test_only_admins_manage_webhooks(clients, persona):
    code = 401 if persona == "anon" else 403
    assert_error(clients[persona].get("/api/webhooks/"), code)
    body = {"url": "http://127.0.0.1:9/x", "secret": SECRET, "events": ["*"]}
    assert_error(clients[persona].post("/api/webhooks/", body, format="json"), code)


@pytest.mark.django_db
def test_admin_lists_webhooks_without_secrets(clients):
    body = {"url": "https://hooks.example.org/rounds", "secret": SECRET, "events": ["*"]}
    assert clients["admin"].post("/api/webhooks/", body, format="json").status_code == 201
    rows = clients["admin"].get("/api/webhooks/").json()["results"]
    assert rows[0]["url"] == body["url"] and "secret" not in rows[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"url": "ftp://x.example/", "secret": SECRET, "events": ["*"]},
        {"url": "https://x.example/", "secret": "short", "events": ["*"]},
        {"url": "https://x.example/", "secret": SECRET, "events": ["no.such.event"]},
        {"url": "https://x.example/", "secret": SECRET, "events": []},
        {"url": "https://x.example:99999/", "secret": SECRET, "events": ["*"]},
        {"url": "javascript:alert(1)", "secret": SECRET, "events": ["*"]},
        {"url": "file:///etc/passwd", "secret": SECRET, "events": ["*"]},
    ],
)
def test_invalid_webhooks_are_400(clients, body):
    assert_error(clients["admin"].post("/api/webhooks/", body, format="json"), 400, "invalid")


@pytest.mark.django_db
def test_no_webhook_means_no_delivery_rows(clients):
    clients["product_owner"].post("/api/backlog/", {"title": "Alert fatigue"}, format="json")
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["observer", "clinician", "product_owner", "outsider", "anon"])
def test_only_admins_delete_webhooks(clients, persona):
    from feedback.models import Webhook

    body = {"url": "https://hooks.example.org/rounds", "secret": SECRET, "events": ["*"]}
    hook = clients["admin"].post("/api/webhooks/", body, format="json").json()
    code = 401 if persona == "anon" else 403
    assert_error(clients[persona].delete(f"/api/webhooks/{hook['id']}/"), code)
    assert Webhook.objects.filter(pk=hook["id"]).exists()


@pytest.mark.django_db
def test_admin_deletes_a_webhook_and_it_gets_nothing_more(clients):
    from feedback.models import AuditEntry, Webhook

    body = {"url": "https://hooks.example.org/rounds", "secret": SECRET, "events": ["*"]}
    hook = clients["admin"].post("/api/webhooks/", body, format="json").json()
    clients["product_owner"].post("/api/backlog/", {"title": "Alert fatigue"}, format="json")
    r = clients["admin"].delete(f"/api/webhooks/{hook['id']}/")
    assert r.status_code == 204
    assert not Webhook.objects.exists() and not WebhookDelivery.objects.exists()
    assert AuditEntry.objects.filter(action="delete", object_type="feedback.webhook").exists()
    clients["product_owner"].post("/api/backlog/", {"title": "Alert fatigue 2"}, format="json")
    assert not WebhookDelivery.objects.exists()
    assert_error(clients["admin"].delete(f"/api/webhooks/{hook['id']}/"), 404)


@pytest.mark.django_db
def test_a_redirecting_receiver_is_a_failed_attempt_not_followed(settings, admin_user):
    """A receiver's redirect could point the signed body anywhere (or at ftp://): never follow."""
    from feedback.context import Actor
    from feedback.services import webhooks

    target = Receiver([])

    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_response(302)
            self.send_header("Location", target.url)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        hook = webhooks.webhook_create(
            actor=Actor(user=admin_user),
            url=f"http://127.0.0.1:{server.server_port}/hook",
            secret=SECRET,
            events=["*"],
        )
        row = WebhookDelivery.objects.create(webhook=hook, event="backlog.item.changed", body="{}")
        assert webhooks.attempt(row) == 0
        assert row.last_status_code == 302 and row.status == "pending"
        assert target.requests == []
    finally:
        server.shutdown()
        server.server_close()
        target.close()


def _hook(clients, url="https://hooks.example.org/rounds"):
    body = {"url": url, "secret": SECRET, "events": ["backlog.item.created"]}
    return clients["admin"].post("/api/webhooks/", body, format="json").json()


@pytest.mark.django_db
@pytest.mark.parametrize("persona,status", ADMIN_ONLY)
def test_who_may_read_a_webhooks_delivery_log(clients, persona, status):
    hook = _hook(clients)
    WebhookDelivery.objects.create(
        webhook_id=hook["id"], event="backlog.item.created", body='{"secret-ish": 1}',
        status="failed", attempts=8, last_status_code=500, last_error="HTTP 500",
    )  # fmt: skip
    response = clients[persona].get(f"/api/webhooks/{hook['id']}/deliveries/")
    if status != 200:
        assert_error(response, status)
        return
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["status"] == "failed" and row["attempts"] == 8 and row["last_status_code"] == 500
    assert row["last_error"] == "HTTP 500" and "body" not in row


@pytest.mark.django_db
def test_a_delivery_log_lists_only_its_own_webhook_newest_first(clients):
    first, second = _hook(clients), _hook(clients, "https://other.example.org/in")
    for event in ("backlog.item.created", "backlog.item.changed"):
        WebhookDelivery.objects.create(webhook_id=first["id"], event=event, body="{}")
    WebhookDelivery.objects.create(webhook_id=second["id"], event="backlog.item.merged", body="{}")
    rows = clients["admin"].get(f"/api/webhooks/{first['id']}/deliveries/").json()["results"]
    assert [r["event"] for r in rows] == ["backlog.item.changed", "backlog.item.created"]
    assert_error(clients["admin"].get("/api/webhooks/999999/deliveries/"), 404)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona,status",
    [("admin", 200), ("product_owner", 403), ("observer", 403), ("clinician", 403), ("anon", 401)],
)
def test_who_may_list_webhook_events(clients, persona, status):
    response = clients[persona].get("/api/webhooks/events/")
    if status != 200:
        assert_error(response, status)
        return
    body = response.json()
    assert "backlog.item.status_changed" in body["events"] and body["all"] == "*"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["observer", "clinician", "product_owner", "outsider", "anon"])
def test_only_admins_pause_webhooks(clients, persona):
    from feedback.models import Webhook

    hook = _hook(clients)
    code = 401 if persona == "anon" else 403
    patch = clients[persona].patch(f"/api/webhooks/{hook['id']}/", {"active": False}, format="json")
    assert_error(patch, code)
    assert Webhook.objects.get(pk=hook["id"]).active


@pytest.mark.django_db
def test_a_paused_webhook_gets_no_new_deliveries_until_resumed(clients):
    from feedback.models import AuditEntry

    hook = _hook(clients)
    url = f"/api/webhooks/{hook['id']}/"
    assert clients["admin"].patch(url, {"active": False}, format="json").json()["active"] is False
    clients["product_owner"].post("/api/backlog/", {"title": "Alert fatigue"}, format="json")
    assert not WebhookDelivery.objects.exists()
    assert clients["admin"].patch(url, {"active": True}, format="json").json()["active"] is True
    clients["product_owner"].post("/api/backlog/", {"title": "Alert fatigue 2"}, format="json")
    assert WebhookDelivery.objects.filter(webhook_id=hook["id"]).count() == 1
    changes = AuditEntry.objects.filter(action="change", object_type="feedback.webhook")
    assert [e.detail for e in changes.order_by("id")] == [{"active": False}, {"active": True}]
    assert_error(clients["admin"].patch(url, {"active": "maybe"}, format="json"), 400, "invalid")
    assert_error(clients["admin"].patch(url, {}, format="json"), 400, "invalid")


def _failed(hook_id):
    return WebhookDelivery.objects.create(
        webhook_id=hook_id, event="backlog.item.created", body="{}", status="failed", attempts=8,
        last_status_code=503, last_error="HTTP 503",
    )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["observer", "clinician", "product_owner", "outsider", "anon"])
def test_only_admins_send_a_delivery_again(clients, persona):
    row = _failed(_hook(clients)["id"])
    response = clients[persona].post(f"/api/webhooks/{row.webhook_id}/deliveries/{row.pk}/retry/")
    assert_error(response, 401 if persona == "anon" else 403)
    row.refresh_from_db()
    assert row.status == "failed" and not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_a_delivery_that_gave_up_is_sent_again_after_the_receiver_is_fixed(clients):
    from feedback.models import AuditEntry
    from feedback.services import webhooks

    fixed = Receiver([])  # answers 200 now
    try:
        row = _failed(_hook(clients, url=fixed.url)["id"])
        url = f"/api/webhooks/{row.webhook_id}/deliveries/{row.pk}/retry/"
        body = clients["admin"].post(url).json()
        assert body["status"] == "pending" and body["attempts"] == 0
        assert DBTaskResult.objects.filter(args_kwargs__args=[row.pk]).count() == 1
        assert webhooks.deliver_due() == 1 and fixed.wait_for(1)
        row.refresh_from_db()
        assert row.status == "delivered" and row.attempts == 1
        assert AuditEntry.objects.filter(
            action="change", object_type="feedback.webhookdelivery", object_id=str(row.pk)
        ).exists()
        assert_error(clients["admin"].post(url), 409, "conflict")  # delivered: nothing to resend
    finally:
        fixed.close()


@pytest.mark.django_db
def test_sending_again_names_a_delivery_of_that_webhook(clients):
    first, other = _hook(clients), _hook(clients, "https://other.example.org/in")
    row = _failed(first["id"])
    assert_error(
        clients["admin"].post(f"/api/webhooks/{other['id']}/deliveries/{row.pk}/retry/"), 404
    )
    assert_error(clients["admin"].post(f"/api/webhooks/{first['id']}/deliveries/99999/retry/"), 404)
    assert_error(
        clients["admin"].get(f"/api/webhooks/{first['id']}/deliveries/{row.pk}/retry/"), 405
    )
