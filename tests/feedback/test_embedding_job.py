"""The embedding job and the in-memory vector index, on a real database."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.management import call_command

from feedback import embeddings
from feedback.models import TextEmbedding
from feedback.selectors.vectors import VectorIndex
from feedback.services.embeddings import embed_pending, embed_reconcile
from tests.factories_backlog import (
    BacklogItemFactory,
    CommentFactory,
    ObservationFactory,
    RatingFactory,
)

pytestmark = pytest.mark.django_db


def stored(kind: str) -> dict[int, str]:
    rows = TextEmbedding.objects.filter(kind=kind, model=embeddings.model_key())
    return dict(rows.values_list("object_id", "text_sha1"))


def test_every_kind_with_text_gets_one_vector_and_a_second_run_does_nothing() -> None:
    item = BacklogItemFactory(title="Scanner fails on wristbands")
    obs = ObservationFactory(description="Had to scan the armband three times")
    comment = CommentFactory(text="Too many clicks to acknowledge")
    rated = RatingFactory(comment="The score is hidden below the fold")
    RatingFactory(comment="")  # no text, nothing to embed
    assert embed_pending().embedded == 4
    assert set(stored("backlog")) == {item.pk}
    assert set(stored("observation")) == {obs.pk}
    assert set(stored("comment")) == {comment.pk}
    assert set(stored("rating")) == {rated.pk}
    assert stored("observation")[obs.pk] == embeddings.text_digest(obs.description)
    assert embed_pending().embedded == 0


def test_edited_backlog_item_and_comment_get_new_vectors() -> None:
    item = BacklogItemFactory(title="Scanner fails")
    comment = CommentFactory(text="Too many clicks")
    embed_pending()
    first_ids = set(TextEmbedding.objects.values_list("id", flat=True))
    item.title = "Transport status missing"
    item.save()  # updated_at moves past the vector's created_at
    assert embed_pending().replaced == 1
    comment.text = "The button is hidden"
    comment.save()  # comments carry no updated_at: the reconcile sweep compares texts
    assert embed_reconcile().replaced == 1
    assert stored("comment")[comment.pk] == embeddings.text_digest("The button is hidden")
    text = f"Transport status missing\n{item.description}".strip()
    assert stored("backlog")[item.pk] == embeddings.text_digest(text)
    assert not first_ids & set(TextEmbedding.objects.values_list("id", flat=True))


def test_reconcile_drops_vectors_of_deleted_rows_and_of_other_models() -> None:
    obs = ObservationFactory()
    embed_pending()
    TextEmbedding.objects.create(
        kind="observation", object_id=obs.pk, model="old-model@1", text_sha1="x", vector=b""
    )
    obs.delete()
    report = embed_reconcile()
    assert report.removed == 2
    assert not TextEmbedding.objects.exists()


def test_management_command_reports_what_it_did() -> None:
    ObservationFactory()
    from io import StringIO

    out = StringIO()
    call_command("embed_evidence", stdout=out)
    assert "embedded 1" in out.getvalue()


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_index_tops_up_with_new_rows_and_notices_deletions() -> None:
    a = ObservationFactory(description="Barcode scanner fails on wristbands")
    embed_pending()
    clock = FakeClock()
    index = VectorIndex(embeddings.model_key(), clock=clock, recount_seconds=30)
    index.refresh()
    assert len(index) == 1
    b = ObservationFactory(description="Transport status not shown")
    embed_pending()
    index.refresh()
    assert len(index) == 2
    query = embeddings.encode_one("the scanner gun won't read armbands")
    hits = index.search(query, kinds=["observation"], k=2)
    assert [pk for _, pk, _ in hits] == [a.pk, b.pk]
    vector = index.vector("observation", a.pk)
    assert vector is not None
    assert np.isclose(float(vector @ query), hits[0][2], atol=1e-5)
    TextEmbedding.objects.filter(object_id=a.pk).delete()  # not the newest row
    index.refresh()
    assert len(index) == 2  # not recounted yet
    clock.now = 31
    index.refresh()
    assert len(index) == 1
    assert index.max_object_id("observation") == b.pk
    narrowed = index.search(query, kinds=["observation"], only={"observation": [a.pk]}, k=5)
    assert narrowed == []


def test_background_tasks_embed_and_recompute_themes_on_their_schedule() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from feedback import jobs, tasks

    obs = ObservationFactory(description="Barcode scanner fails on wristbands")
    ObservationFactory(description="The scanner gun won't read the armband")
    now = timezone.now()
    assert {"semantic.embed", "semantic.themes", "semantic.reconcile"} <= set(
        jobs.schedule_tick(now)
    )
    assert "semantic.embed" in jobs.schedule_tick(now + timedelta(seconds=31))
    assert tasks.embed_texts.call() == 2
    assert set(stored("observation")) >= {obs.pk}
    assert tasks.recompute_themes.call() == 1
    assert tasks.reconcile_embeddings.call() == 0
