"""Live co-design sessions: participants rate and comment on prototype screens."""

from __future__ import annotations

from django.conf import settings
from django.db import models

DEFAULT_DIMENSIONS = ["usefulness", "clarity", "trust", "workflow_fit"]


def default_dimensions() -> list[str]:
    return list(DEFAULT_DIMENSIONS)


class CodesignSession(models.Model):
    OPEN, ENDED = "open", "ended"
    title = models.CharField(max_length=200)
    tool = models.ForeignKey("feedback.Tool", on_delete=models.PROTECT, related_name="sessions")
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="facilitated"
    )
    code = models.CharField(max_length=6)
    state = models.CharField(max_length=8, default=OPEN, choices=[(OPEN, OPEN), (ENDED, ENDED)])
    dimensions = models.JSONField(default=default_dimensions)
    allow_guests = models.BooleanField(default=False)
    collect_sus = models.BooleanField(default=False)
    screens = models.ManyToManyField(  # type: ignore[var-annotated]
        "feedback.Screen", through="SessionScreen", related_name="+"
    )
    current_screen = models.ForeignKey(
        "feedback.Screen", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    results_visible = models.BooleanField(default=False)
    # Results reveal themselves once this many participants rated the shown screen (None: off).
    quorum = models.PositiveSmallIntegerField(null=True, blank=True)
    # Questionnaires participants may answer (feedback.instruments.NAMES).
    instruments = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "feedback_session"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(state="open"), name="session_open_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class SessionScreen(models.Model):
    session = models.ForeignKey(CodesignSession, on_delete=models.CASCADE)
    screen = models.ForeignKey("feedback.Screen", on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "screen"], name="session_screen_unique")
        ]


class Participant(models.Model):
    session = models.ForeignKey(
        CodesignSession, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    guest_key = models.CharField(max_length=40, blank=True, default="")
    display_name = models.CharField(max_length=80, blank=True)
    is_facilitator = models.BooleanField(default=False)
    # Who is answering, for results split by role and unit (optional, given when joining).
    role = models.CharField(max_length=32, blank=True)
    unit = models.ForeignKey(
        "feedback.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=models.Q(user__isnull=False),
                name="participant_user_unique",
            ),
            models.UniqueConstraint(
                fields=["session", "guest_key"],
                condition=~models.Q(guest_key=""),
                name="participant_guest_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or f"Participant {self.pk}"


class Rating(models.Model):
    session = models.ForeignKey(CodesignSession, on_delete=models.CASCADE, related_name="ratings")
    screen = models.ForeignKey("feedback.Screen", on_delete=models.PROTECT, related_name="ratings")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="ratings")
    scores = models.JSONField()
    comment = models.TextField(blank=True, max_length=2000)
    pin_x = models.FloatField(null=True, blank=True)
    pin_y = models.FloatField(null=True, blank=True)
    region = models.CharField(max_length=40, blank=True)  # a named region of the screen
    model_version = models.CharField(max_length=40, blank=True)  # the screen's, when rated
    client_id = models.UUIDField(null=True, blank=True)
    phi_redacted = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            # One rating per participant per screen: re-rating replaces this row.
            models.UniqueConstraint(fields=["participant", "screen"], name="rating_one_per_screen")
        ]


class Comment(models.Model):
    session = models.ForeignKey(CodesignSession, on_delete=models.CASCADE, related_name="comments")
    screen = models.ForeignKey("feedback.Screen", on_delete=models.PROTECT, related_name="comments")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(max_length=2000)
    pin_x = models.FloatField(null=True, blank=True)
    pin_y = models.FloatField(null=True, blank=True)
    region = models.CharField(max_length=40, blank=True)
    client_id = models.UUIDField(null=True, blank=True)
    phi_redacted = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A comment is evidence: its author may edit or withdraw it (audited), nothing deletes it.
    # Withdrawn ones stay stored (for the audit trail) but leave summaries, heat maps, priority.
    edited_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="comment_client_unique",
            )
        ]


class ScreenAggregate(models.Model):
    """Running per-screen aggregate, updated by delta under a row lock (feedback.aggregates)."""

    session = models.ForeignKey(CodesignSession, on_delete=models.CASCADE, related_name="+")
    screen = models.ForeignKey("feedback.Screen", on_delete=models.CASCADE, related_name="+")
    state = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "screen"], name="aggregate_unique")
        ]


class SusResponse(models.Model):
    session = models.ForeignKey(CodesignSession, on_delete=models.CASCADE, related_name="sus")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField()
    score = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="sus_one_per_person")
        ]


class InstrumentResponse(models.Model):
    """One participant's answers to one questionnaire (per screen for the per-task SEQ)."""

    session = models.ForeignKey(
        CodesignSession, on_delete=models.CASCADE, related_name="instrument_responses"
    )
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    instrument = models.CharField(max_length=16)
    screen = models.ForeignKey(
        "feedback.Screen", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answers = models.JSONField()
    score = models.FloatField()
    subscales = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant", "instrument", "screen"],
                condition=models.Q(screen__isnull=False),
                name="instrument_one_per_task",
            ),
            models.UniqueConstraint(
                fields=["session", "participant", "instrument"],
                condition=models.Q(screen__isnull=True),
                name="instrument_one_per_session",
            ),
        ]
