"""Every domain model, re-exported so `from feedback.models import X` works."""

from .audit import AuditEntry
from .backlog import (
    BacklogItem,
    EvidenceComment,
    EvidenceObservation,
    EvidenceOutputFeedback,
    EvidenceRating,
    UnitPoster,
)
from .jobs import JobSchedule
from .lifecycle import Device, LegalHold, QueueKey, RetentionPolicy, RetentionRun
from .notify import Notification, Webhook, WebhookDelivery
from .observations import Observation, Photo
from .outputs import OutputFeedback, ToolKey
from .people import ROLES, User
from .reference import ModelVersion, Screen, Tool, Unit, Workflow
from .semantic import TextEmbedding, ThemeSnapshot
from .sessions import (
    CodesignSession,
    Comment,
    InstrumentResponse,
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
    "EvidenceOutputFeedback",
    "EvidenceRating",
    "InstrumentResponse",
    "JobSchedule",
    "LegalHold",
    "ModelVersion",
    "Notification",
    "Observation",
    "OutputFeedback",
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
    "ToolKey",
    "Unit",
    "UnitPoster",
    "User",
    "Webhook",
    "WebhookDelivery",
    "Workflow",
]
