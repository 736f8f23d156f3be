"""Every kind of text the similar search and the themes read: its rows, its text, who sees it.

One entry per kind in `KINDS`; a new kind of evidence (AI-output flags) adds one `Kind` here and
its name to `feedback.models.semantic.KINDS`, and the embedding job, the similar search and the
themes pick it up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet

from feedback import roles
from feedback.models import BacklogItem, Comment, Observation, Rating
from feedback.selectors.backlog import NOT_SIMILAR, backlog_visible, sees_everything
from feedback.selectors.observations import observation_visible


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[Model]
    fields: tuple[str, ...]  # what `text` reads, after the id
    text: Callable[[tuple[Any, ...]], str]
    with_text: Q  # rows that have any text to embed
    visible: Callable[[Any], QuerySet[Any]]  # the rows `user` may see
    sees_all: Callable[[Any], bool]  # whether `visible` narrows nothing for `user`
    is_evidence: bool = True  # evidence can be clustered into themes and linked to items

    def rows(self, qs: QuerySet[Any] | None = None) -> QuerySet[Any]:
        base = self.model._default_manager.all() if qs is None else qs
        return base.filter(self.with_text)

    def texts(self, qs: QuerySet[Any]) -> Iterator[tuple[int, str]]:
        """(id, text) of each row of `qs` (narrow it with `rows()` first: it may be sliced)."""
        for row in qs.values_list("pk", *self.fields):
            yield row[0], self.text(row[1:])


def _own_session_input(model: type[Model]) -> Callable[[Any], QuerySet[Any]]:
    def visible(user: Any) -> QuerySet[Any]:
        qs = model._default_manager.all()
        if sees_everything(user):
            return qs
        if not roles.roles_of(user):
            return qs.none()
        return qs.filter(participant__user_id=user.pk)

    return visible


def _live_backlog(user: Any) -> QuerySet[Any]:
    return backlog_visible(user=user).exclude(status__in=NOT_SIMILAR)


BACKLOG = Kind(
    name="backlog",
    model=BacklogItem,
    fields=("title", "description"),
    text=lambda r: f"{r[0]}\n{r[1]}".strip(),
    with_text=Q(),
    visible=_live_backlog,
    sees_all=sees_everything,
    is_evidence=False,
)
OBSERVATION = Kind(
    name="observation",
    model=Observation,
    fields=("description",),
    text=lambda r: str(r[0]),
    with_text=~Q(description=""),
    visible=lambda user: observation_visible(user=user),
    sees_all=lambda user: roles.allows(user, roles.OBSERVATIONS_READ_ALL),
)
COMMENT = Kind(
    name="comment",
    model=Comment,
    fields=("text",),
    text=lambda r: str(r[0]),
    with_text=~Q(text="") & Q(withdrawn_at=None),
    visible=_own_session_input(Comment),
    sees_all=sees_everything,
)
RATING = Kind(
    name="rating",
    model=Rating,
    fields=("comment",),
    text=lambda r: str(r[0]),
    with_text=~Q(comment=""),
    visible=_own_session_input(Rating),
    sees_all=sees_everything,
)

KINDS: dict[str, Kind] = {k.name: k for k in (BACKLOG, OBSERVATION, COMMENT, RATING)}
EVIDENCE_KINDS = tuple(k for k in KINDS if KINDS[k].is_evidence)


def texts_of(kind: str, ids: Iterable[int], *, user: Any | None = None) -> dict[int, str]:
    """{id: text} of those rows of `kind` that exist (and that `user` may see, when given)."""
    spec = KINDS[kind]
    qs = spec.visible(user) if user is not None else spec.model._default_manager.all()
    return dict(spec.texts(spec.rows(qs.filter(pk__in=list(ids)))))


def visible_ids(kind: str, *, user: Any) -> list[int] | None:
    """Ids of `kind` that `user` may see, or None when `user` sees every row of it (closed
    backlog items are dropped after the shortlist, not here)."""
    spec = KINDS[kind]
    if spec.sees_all(user):
        return None
    return list(spec.rows(spec.visible(user)).values_list("pk", flat=True))
