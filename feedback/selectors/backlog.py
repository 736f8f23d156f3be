"""Backlog reads: who sees what, filters, evidence for priority and detail, similar items."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import django_filters
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from feedback import roles
from feedback.errors import ValidationFailed
from feedback.models import (
    BacklogItem,
    Comment,
    EvidenceComment,
    EvidenceObservation,
    EvidenceOutputFeedback,
    EvidenceRating,
    Observation,
    OutputFeedback,
    Photo,
    Rating,
)
from feedback.models.backlog import STATUSES
from feedback.priority import (
    CommentEvidence,
    Evidence,
    FlagEvidence,
    ObservationEvidence,
    RatingEvidence,
)
from feedback.selectors.filters import IdFilter, StrictBooleanFilter, shallow_filter_copies
from feedback.selectors.output_feedback import flag_public

# Who sees the whole backlog (roles.BACKLOG_READ); every other role (clinicians) sees only the
# items it follows, with only its own evidence: the loop closes for them without showing others'
# reports.
OPEN_STATUSES = ("new", "triaged", "planned", "in_progress")
NOT_SIMILAR = ("duplicate", "declined", "shipped")


def sees_everything(user: Any) -> bool:
    return roles.allows(user, roles.BACKLOG_READ)


def backlog_visible(*, user: Any) -> QuerySet[BacklogItem]:
    """Everything for product owners, admins and observers; followed items for other users."""
    if sees_everything(user):
        return BacklogItem.objects.all()
    if not getattr(user, "is_authenticated", False):
        return BacklogItem.objects.none()
    through = BacklogItem.followers.through
    follows = through.objects.filter(backlogitem_id=OuterRef("pk"), user_id=user.pk)
    return BacklogItem.objects.filter(Exists(follows))


class MultiStatusFilter(django_filters.MultipleChoiceFilter):
    """?status=new&status=triaged or ?status=new,triaged."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, choices=[(s, s) for s in STATUSES], **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        return qs.filter(status__in=value) if value else qs


@shallow_filter_copies
class BacklogFilter(django_filters.FilterSet):
    status = MultiStatusFilter()
    workflow = IdFilter(field_name="workflow_id")
    tool = IdFilter(field_name="tool_id")
    unit = IdFilter(method="filter_unit")
    patient_safety = StrictBooleanFilter(field_name="patient_safety")
    q = django_filters.CharFilter(method="filter_text", max_length=200)
    min_priority = django_filters.NumberFilter(field_name="priority", lookup_expr="gte")

    class Meta:
        model = BacklogItem
        fields: list[str] = []

    _form_class: Any = None

    def get_form_class(self) -> Any:
        # The fields never depend on the request, so build the form class once, not per call.
        cls = type(self)
        if cls._form_class is None:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def filter_unit(self, qs: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        linked = EvidenceObservation.objects.filter(item=OuterRef("pk"), observation__unit=value)
        return qs.filter(Exists(linked))

    def filter_text(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return qs.filter(Q(title__icontains=value) | Q(description__icontains=value))


def _split_statuses(filters: Mapping[str, Any]) -> Any:
    """Accept comma-separated statuses as well as repeated parameters."""
    if not hasattr(filters, "getlist"):
        return filters
    data = filters.copy()  # type: ignore[attr-defined]
    raw = [part for value in filters.getlist("status") for part in value.split(",") if part]
    data.setlist("status", raw)
    return data


ROW_FIELDS = (
    "id",
    "title",
    "description",
    "workflow_id",
    "tool_id",
    "status",
    "effort",
    "confidence",
    "priority",
    "priority_breakdown",
    "patient_safety",
    "phi_redacted",
    "merged_into_id",
    "resolution_note",
    "resolved_at",
    "created_by_id",
    "created_at",
    "updated_at",
)


def as_rows(qs: QuerySet[BacklogItem]) -> QuerySet[Any]:
    """Plain dict rows: building model instances cost more than the page query itself."""
    rows: QuerySet[Any] = qs.values(*ROW_FIELDS)
    return rows


def _extras_sql(n: int, array: bool) -> str:
    """Evidence counts and followers of n items in one query whose text depends only on n.

    With `array` (PostgreSQL) the ids go as one array parameter per part (`= ANY(%s)`) instead
    of n placeholders each: less SQL to build, bind and parse on every page."""
    marks = ", ".join(["%s"] * n)
    where = "= ANY(%s)" if array else f"IN ({marks})"
    parts = [
        f"SELECT item_id, '{kind}', COUNT(*) FROM {model._meta.db_table} "
        f"WHERE item_id {where} GROUP BY item_id"
        for kind, model in (
            ("o", EvidenceObservation),
            ("r", EvidenceRating),
            ("c", EvidenceComment),
            ("x", EvidenceOutputFeedback),
        )
    ]
    followers = BacklogItem.followers.through._meta.db_table
    parts.append(
        f"SELECT backlogitem_id, 'f', user_id FROM {followers} WHERE backlogitem_id {where}"
    )
    return " UNION ALL ".join(parts)


def page_extras(item_ids: list[int]) -> dict[int, dict[str, Any]]:
    """{id: {"o", "r", "c" counts, "f": follower ids}} in one round trip (none when no ids).

    Replaces three correlated COUNT subqueries per row plus a followers query: on a 50-row
    page that halved the list's time (bench/reports/backlog.md).
    """
    out: dict[int, dict[str, Any]] = {
        i: {"o": 0, "r": 0, "c": 0, "x": 0, "f": []} for i in item_ids
    }
    if not item_ids:
        return out
    with connection.cursor() as cursor:
        array = connection.vendor == "postgresql"
        params = [list(item_ids)] * 5 if array else item_ids * 5
        cursor.execute(_extras_sql(len(item_ids), array), params)
        for item_id, kind, value in cursor.fetchall():
            if kind == "f":
                out[item_id]["f"].append(value)
            else:
                out[item_id][kind] = value
    return out


def backlog_list(*, user: Any, filters: Mapping[str, Any]) -> QuerySet[Any]:
    """Visible items narrowed by the SPEC filters, with evidence counts; bad filters -> 400."""
    fs = BacklogFilter(_split_statuses(filters), queryset=backlog_visible(user=user))
    if not fs.is_valid():
        errors = {k: [str(m) for m in v] for k, v in fs.errors.items()}
        raise ValidationFailed("Some filters are invalid; fix them and retry.", errors=errors)
    return as_rows(fs.qs).order_by("-priority", "-id")


def _person(user_id: int | None, participant_id: int) -> int:
    # Guests have no user: a negative participant id keeps them distinct from every user id.
    return user_id if user_id is not None else -participant_id


def _mean(scores: Any) -> float | None:
    values = [float(v) for v in (scores or {}).values() if isinstance(v, int | float)]
    return sum(values) / len(values) if values else None


def _observation_evidence(ids: list[int]) -> dict[int, list[ObservationEvidence]]:
    out: dict[int, list[ObservationEvidence]] = defaultdict(list)
    rows = EvidenceObservation.objects.filter(item_id__in=ids).values_list(
        "item_id",
        "observation__observer_id",
        "observation__unit_id",
        "observation__role_observed",
        "observation__severity",
        "observation__frequency",
        "observation__minutes_lost",
        "observation__patient_safety",
    )
    for item_id, person, unit, role, severity, frequency, minutes, safety in rows:
        out[item_id].append(
            ObservationEvidence(
                person_id=person,
                unit_id=unit,
                role=role,
                severity=severity,
                frequency=frequency,
                minutes_lost=minutes,
                patient_safety=safety,
            )
        )
    return out


def _rating_evidence(ids: list[int]) -> dict[int, list[RatingEvidence]]:
    out: dict[int, list[RatingEvidence]] = defaultdict(list)
    rows = EvidenceRating.objects.filter(item_id__in=ids).values_list(
        "item_id", "rating__scores", "rating__participant_id", "rating__participant__user_id"
    )
    for item_id, scores, participant, user in rows:
        mean = _mean(scores)
        if mean is not None:
            out[item_id].append(
                RatingEvidence(person_id=_person(user, participant), mean_score=mean)
            )
    return out


def _comment_evidence(ids: list[int]) -> dict[int, list[CommentEvidence]]:
    out: dict[int, list[CommentEvidence]] = defaultdict(list)
    # A withdrawn comment no longer speaks for its author: it stays linked but does not count.
    rows = EvidenceComment.objects.filter(item_id__in=ids, comment__withdrawn_at=None).values_list(
        "item_id", "comment__participant_id", "comment__participant__user_id"
    )
    for item_id, participant, user in rows:
        out[item_id].append(CommentEvidence(person_id=_person(user, participant)))
    return out


# Anonymous flags cannot be told apart: all those sent with one tool key count as one person,
# in a range of person ids no user (positive) or guest (minus a participant id) ever reaches.
ANONYMOUS_BASE = 2**53


def flag_person(reporter_id: int | None, key_id: int | None, flag_id: int) -> int:
    if reporter_id is not None:
        return reporter_id
    if key_id is not None:
        return -(ANONYMOUS_BASE + key_id)
    return -(2 * ANONYMOUS_BASE + flag_id)  # its key was deleted: the flag stands alone


def _flag_evidence(ids: list[int]) -> dict[int, list[FlagEvidence]]:
    out: dict[int, list[FlagEvidence]] = defaultdict(list)
    rows = EvidenceOutputFeedback.objects.filter(item_id__in=ids).values_list(
        "item_id",
        "flag_id",
        "flag__reporter_id",
        "flag__key_id",
        "flag__harm",
        "flag__harm_reached",
    )
    for item_id, flag_id, reporter, key, harm, reached in rows:
        person = flag_person(reporter, key, flag_id)
        out[item_id].append(FlagEvidence(person_id=person, harm=harm or None, harm_reached=reached))
    return out


def evidence_for_items(item_ids: Iterable[int]) -> dict[int, Evidence]:
    """feedback.priority.Evidence for each item, in four queries whatever the number of items."""
    ids = list(item_ids)
    obs, rat, com = _observation_evidence(ids), _rating_evidence(ids), _comment_evidence(ids)
    flags = _flag_evidence(ids)
    return {
        i: Evidence(
            observations=tuple(obs[i]),
            ratings=tuple(rat[i]),
            comments=tuple(com[i]),
            flags=tuple(flags[i]),
        )
        for i in ids
    }


def evidence_reporters(
    *,
    observations: Iterable[int],
    ratings: Iterable[int],
    comments: Iterable[int],
    output_feedback: Iterable[int] = (),
) -> set[int]:
    """User ids behind the given evidence rows (guests and anonymous flags have none)."""
    users = set(
        Observation.objects.filter(pk__in=list(observations)).values_list("observer_id", flat=True)
    )
    for model, ids in ((Rating, ratings), (Comment, comments)):
        users |= set(
            model.objects.filter(pk__in=list(ids)).values_list("participant__user_id", flat=True)
        )
    users |= set(
        OutputFeedback.objects.filter(pk__in=list(output_feedback)).values_list(
            "reporter_id", flat=True
        )
    )
    users.discard(None)
    return users


def item_contributors(*, item_id: int) -> set[int]:
    """Every user whose evidence is linked to the item (closing the loop tells exactly them)."""
    return evidence_reporters(
        observations=EvidenceObservation.objects.filter(item_id=item_id).values_list(
            "observation_id", flat=True
        ),
        ratings=EvidenceRating.objects.filter(item_id=item_id).values_list("rating_id", flat=True),
        comments=EvidenceComment.objects.filter(item_id=item_id).values_list(
            "comment_id", flat=True
        ),
        output_feedback=EvidenceOutputFeedback.objects.filter(item_id=item_id).values_list(
            "flag_id", flat=True
        ),
    )


def _photo_urls(observation_ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """(thumbnails, screen-size images) per observation, in the same order."""
    thumbs: dict[int, list[str]] = defaultdict(list)
    images: dict[int, list[str]] = defaultdict(list)
    for photo in Photo.objects.filter(observation_id__in=observation_ids).only(
        "id", "observation_id", "thumb", "web"
    ):
        thumbs[photo.observation_id].append(photo.thumb.url)
        images[photo.observation_id].append(photo.web.url)
    return thumbs, images


def _observations(item: BacklogItem, mine: Q) -> list[dict[str, Any]]:
    rows = list(
        Observation.objects.filter(mine, evidenceobservation__item=item)
        .order_by("id")
        .values(
            "id",
            "description",
            "severity",
            "patient_safety",
            "unit_id",
            "workflow_id",
            "observer_id",
        )
    )
    thumbs, images = _photo_urls([r["id"] for r in rows])
    return [
        {
            "id": r["id"],
            "description": r["description"],
            "severity": r["severity"],
            "patient_safety": r["patient_safety"],
            "unit": r["unit_id"],
            "workflow": r["workflow_id"],
            "observer": r["observer_id"],
            "photos": thumbs.get(r["id"], []),
            "photo_images": images.get(r["id"], []),  # full size, same order as `photos`
        }
        for r in rows
    ]


def _pin(x: float | None, y: float | None) -> dict[str, float] | None:
    return {"x": x, "y": y} if x is not None and y is not None else None


def backlog_evidence(*, item: BacklogItem, user: Any) -> dict[str, list[dict[str, Any]]]:
    """The detail view's evidence: four queries (observations, photos, ratings, comments).

    Users who do not see the whole backlog see only their own evidence (clinicians see only
    their own observations anywhere, and other people's ratings are not theirs to read).
    """
    everything = sees_everything(user)
    own_obs = Q() if everything else Q(observer_id=user.pk)
    own = Q() if everything else Q(participant__user_id=user.pk)
    # The screen's title (joined, no extra query) so the PWA names the screen, not its id.
    ratings = (
        Rating.objects.filter(own, evidencerating__item=item)
        .select_related("screen")
        .order_by("id")
    )
    comments = (
        Comment.objects.filter(own, evidencecomment__item=item)
        .select_related("screen")
        .order_by("id")
    )
    own_flags = Q() if everything else Q(reporter_id=user.pk)
    flags = OutputFeedback.objects.filter(own_flags, evidenceoutputfeedback__item=item)
    return {
        "observations": _observations(item, own_obs),
        "ratings": [
            {
                "id": r.pk,
                "screen": r.screen_id,
                "screen_title": r.screen.title,
                "scores": r.scores,
                "comment": r.comment,
                "participant": r.participant_id,
            }
            for r in ratings
        ],
        "comments": [
            {
                "id": c.pk,
                "screen": c.screen_id,
                "screen_title": c.screen.title,
                "text": c.text,
                "pin": _pin(c.pin_x, c.pin_y),
                "withdrawn": c.withdrawn_at is not None,
            }
            for c in comments
        ],
        "output_feedback": [flag_public(f) for f in flags.order_by("id")],
    }


def backlog_followers(*, item_ids: Iterable[int]) -> dict[int, list[int]]:
    through = BacklogItem.followers.through
    out: dict[int, list[int]] = defaultdict(list)
    for item_id, user_id in (
        through.objects.filter(backlogitem_id__in=list(item_ids))
        .order_by("user_id")
        .values_list("backlogitem_id", "user_id")
    ):
        out[item_id].append(user_id)
    return out


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def item_row(row: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """One item as the list, the detail, the socket and the webhooks show it."""
    return {
        "id": row["id"],
        "title": row["title"],
        "description": row["description"],
        "workflow": row["workflow_id"],
        "tool": row["tool_id"],
        "status": row["status"],
        "effort": row["effort"],
        "confidence": row["confidence"],
        "priority": row["priority"],
        "priority_breakdown": row["priority_breakdown"],
        "patient_safety": row["patient_safety"],
        "phi_redacted": row["phi_redacted"],
        "merged_into": row["merged_into_id"],
        "resolution_note": row["resolution_note"],
        "resolved_at": _iso(row["resolved_at"]),
        "created_by": row["created_by_id"],
        "created_at": _iso(row["created_at"]),
        "updated_at": _iso(row["updated_at"]),
        "evidence_counts": {
            "observations": extra["o"],
            "ratings": extra["r"],
            "comments": extra["c"],
            "output_feedback": extra["x"],
        },
        "followers": sorted(extra["f"]),
    }


def backlog_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """API rows for as_rows() rows: one more query for all their counts and followers."""
    rows = list(rows)
    extras = page_extras([r["id"] for r in rows])
    return [item_row(r, extras[r["id"]]) for r in rows]


def backlog_row(*, item_id: int) -> dict[str, Any]:
    return backlog_rows(as_rows(BacklogItem.objects.filter(pk=item_id)))[0]
