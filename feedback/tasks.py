"""Background jobs (django-tasks on its database backend), run by `manage.py rounds_worker`.

Each task is a thin shell over a service, so the work stays testable without a worker. How to
add one: docs/jobs.md.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django_tasks import task

from feedback.jobs import register_periodic
from feedback.services import audit, backlog, digest, embeddings, loop, retention, themes, webhooks


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One attempt at one delivery; a failure re-enqueues itself for when back-off says."""
    row = webhooks.claim(delivery_id)
    if row is None:  # delivered, given up, deleted, or another worker holds it
        return "skipped"
    webhooks.attempt(row)
    if row.status == "pending" and row.next_attempt_at is not None:
        deliver_webhook.using(run_after=row.next_attempt_at).enqueue(row.pk)
    return row.status


@task()
def sweep_webhooks() -> int:
    """Deliveries left due by a worker that died mid-attempt (their lease ran out)."""
    return webhooks.deliver_due()


@task()
def recompute_priorities(batch: int = 1000) -> int:
    """Every backlog item's stored priority, with the current weights."""
    return backlog.recompute_all(batch=max(1, batch))


@task()
def send_digest() -> int:
    return digest.digest_send()


@task()
def ship_audit_head() -> int | None:
    """The audit chain's head to the SIEM logger: a later `audit_verify --anchor` catches rows
    cut off the end of the trail."""
    return audit.ship_chain_head()


@task()
def purge_expired() -> int:
    """Delete what is past retention and under no legal hold; returns the RetentionRun id."""
    return retention.purge(trigger="schedule").pk


@task()
def render_posters() -> int:
    """Every unit's "You said, we did" poster, drawn afresh for the week's huddle boards."""
    return loop.posters_regenerate(link_base=settings.PUBLIC_BASE_URL)


@task()
def embed_texts() -> int:
    """Sentence vectors for texts stored since the last run (the similar search and themes)."""
    return embeddings.embed_pending().embedded


@task()
def reconcile_embeddings() -> int:
    """Edited texts re-embedded, vectors of deleted rows and of older models dropped."""
    report = embeddings.embed_reconcile()
    return report.replaced + report.removed


@task()
def recompute_themes() -> int:
    """Themes of recent evidence for GET /api/themes/; returns the number of themes."""
    return len(themes.themes_recompute().themes)


register_periodic("retention.purge", purge_expired, every=timedelta(days=1))
register_periodic("semantic.embed", embed_texts, every=timedelta(seconds=30))
register_periodic("semantic.reconcile", reconcile_embeddings, every=timedelta(hours=1))
register_periodic("semantic.themes", recompute_themes, every=timedelta(minutes=15))
register_periodic("webhooks.sweep", sweep_webhooks, every=timedelta(minutes=5))
register_periodic("notifications.digest", send_digest, every=timedelta(days=1))
register_periodic("audit.head", ship_audit_head, every=timedelta(hours=1))
register_periodic("posters.weekly", render_posters, every=timedelta(days=7))
