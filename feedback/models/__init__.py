"""Every domain model, re-exported so `from feedback.models import X` works."""

from .audit import AuditEntry
from .backlog import BacklogItem, EvidenceComment, EvidenceObservation, EvidenceRating
from .jobs import JobSchedule
from .lifecycle import Device, LegalHold, QueueKey, RetentionPolicy, RetentionRun
from .notify import Notification, Webhook, WebhookDelivery
from .observations import Observation, Photo
from .people import ROLES, User
from .reference import Screen, Tool, Unit, Workflow
from .semantic import TextEmbedding, ThemeSnapshot
from .sessions import (
    CodesignSession,
    Comment,
    Participant,
    Rating,
    ScreenAggregate,
    SessionScreen,
    SusResponse,
)

__all__ = [
    "ROLES",
    "AuditEntry",
    "BacklogItem",
    "CodesignSession",
    "Comment",
    "Device",
    "EvidenceComment",
    "EvidenceObservation",
    "EvidenceRating",
    "JobSchedule",
    "LegalHold",
    "Notification",
    "Observation",
    "Participant",
    "Photo",
    "QueueKey",
    "Rating",
    "RetentionPolicy",
    "RetentionRun",
    "Screen",
    "ScreenAggregate",
    "SessionScreen",
    "SusResponse",
    "TextEmbedding",
    "ThemeSnapshot",
    "Tool",
    "Unit",
    "User",
    "Webhook",
    "WebhookDelivery",
    "Workflow",
]
