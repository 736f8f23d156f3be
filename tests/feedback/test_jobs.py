"""Background jobs: the periodic scheduler's claims, and digests and priority recomputation
run by a real `rounds_worker` process on the test database."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from feedback import jobs
from feedback.models import BacklogItem, Notification
from feedback.services import digest
from tests.factories_backlog import BacklogItemFactory, ObservationFactory
from tests.live import worker


def _wait(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db
def test_a_periodic_job_is_enqueued_once_per_period_however_many_ticks():
    now = timezone.now()
    first = jobs.schedule_tick(now)
    assert {"webhooks.sweep", "notifications.digest"} <= set(first)
    assert jobs.schedule_tick(now) == []  # a second worker ticking at the same moment
    # semantic.embed runs every 30 s and so is due at each of these ticks: leave it out here
    later = jobs.schedule_tick(now + timedelta(minutes=4))
    assert set(later) - {"semantic.embed"} == set()
    later = jobs.schedule_tick(now + timedelta(minutes=5, seconds=1))
    assert set(later) - {"semantic.embed"} == {"webhooks.sweep"}
    assert DBTaskResult.objects.filter(task_path="feedback.tasks.send_digest").count() == 1


@pytest.mark.django_db
def test_a_period_of_zero_switches_a_job_off(settings):
    settings.ROUNDS_JOB_PERIODS = {"notifications.digest": 0}
    assert "notifications.digest" not in jobs.schedule_tick()


@pytest.mark.django_db
def test_quiet_days_send_no_digest(product_owner):
    assert digest.digest_send() == 0
    assert not Notification.objects.exists()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_worker_process_sends_the_digest_to_triagers_only(
    product_owner, admin_user, observer, clinician, tmp_path
):
    ObservationFactory.create_batch(3)
    ObservationFactory(patient_safety=True)
    with worker(tmp_path) as log:
        assert _wait(lambda: Notification.objects.filter(kind="digest").count() == 2), (
            log.read_text()[-2000:]
        )
    notes = Notification.objects.filter(kind="digest")
    assert {n.user_id for n in notes} == {product_owner.pk, admin_user.pk}
    note = notes.first()
    assert note.data["observations"] == 4 and note.data["patient_safety"] == 1
    assert "BPA" not in note.title + note.body  # counts, never the evidence's text
    job = DBTaskResult.objects.get(task_path="feedback.tasks.send_digest")
    assert job.status == "SUCCESSFUL" and job.worker_ids


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_worker_process_recomputes_priorities_enqueued_by_the_command(tmp_path, settings):
    item = BacklogItemFactory()
    BacklogItem.objects.filter(pk=item.pk).update(priority=0, priority_breakdown={})
    call_command("recompute_priorities", "--background")
    assert BacklogItem.objects.get(pk=item.pk).priority_breakdown == {}  # not run in-process
    with worker(tmp_path, {}, "--no-scheduler") as log:
        assert _wait(lambda: BacklogItem.objects.get(pk=item.pk).priority_breakdown != {}), (
            log.read_text()[-2000:]
        )
    job = DBTaskResult.objects.get(task_path="feedback.tasks.recompute_priorities")
    assert job.status == "SUCCESSFUL"
