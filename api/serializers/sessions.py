"""Request shapes for screens and live sessions (business rules live in the services)."""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from feedback.ids import MAX_ID

MAX_CLIENT_ID = 100
# Non-UUID client ids are stored as a UUID derived from them, so replays still match.
_CLIENT_ID_NAMESPACE = uuid.UUID("5b0d7c4e-6f1a-4c2e-9a57-3d1f0e8b2a61")


def IdField(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


@extend_schema_field(
    {"oneOf": [{"type": "string", "minLength": 1, "maxLength": MAX_CLIENT_ID}, {"type": "integer"}]}
)
class ClientIdField(serializers.Field):
    """SPEC leaves `client_id` open: any id the client made up (a UUID, "r-17", 42) is accepted
    and echoed as sent; the database keeps a UUID, the given one or one derived from the text."""

    default_error_messages = {
        "invalid": f"client_id must be a string of 1-{MAX_CLIENT_ID} characters or a number."
    }

    def to_internal_value(self, data: Any) -> uuid.UUID:
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid")
        text = str(data)
        if not 0 < len(text) <= MAX_CLIENT_ID or "\x00" in text:
            self.fail("invalid")
        try:
            return uuid.UUID(text)
        except ValueError:
            return uuid.uuid5(_CLIENT_ID_NAMESPACE, text)

    def to_representation(self, value: Any) -> str:
        return str(value)


def _region() -> serializers.CharField:
    return serializers.CharField(
        max_length=40,
        required=False,
        allow_null=True,
        default=None,
        help_text="A named region of the screen (instead of a pin), for pointer-free pinning.",
    )


def _client_id() -> ClientIdField:
    return ClientIdField(required=False, allow_null=True, default=None)


class ScreenUploadSerializer(serializers.Serializer):
    image = serializers.FileField()
    title = serializers.CharField(max_length=200)
    version = serializers.CharField(max_length=40, required=False, default="1")
    model_version = serializers.CharField(
        max_length=40,
        required=False,
        default="",
        allow_blank=True,
        help_text="The tool's model version whose output the screen shows.",
    )


class ScreenSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tool = serializers.IntegerField()
    title = serializers.CharField()
    version = serializers.CharField()
    model_version = serializers.CharField()
    regions = serializers.ListField(child=serializers.DictField())
    image_url = serializers.CharField()
    thumb_url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class SessionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    tool = IdField()
    screens = serializers.ListField(child=IdField(), max_length=100)
    dimensions = serializers.ListField(  # null, like leaving it out, means the defaults
        child=serializers.CharField(max_length=40), required=False, allow_null=True, max_length=8
    )
    allow_guests = serializers.BooleanField(required=False, default=False)
    instruments = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        default=list,
        max_length=5,
        help_text="Questionnaires participants may answer: sus, umux_lite, seq, nasa_tlx, pdqi9.",
    )


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    tool = serializers.IntegerField()
    join_url = serializers.CharField()
    state = serializers.CharField()
    facilitator = serializers.IntegerField()
    dimensions = serializers.ListField(child=serializers.CharField())
    allow_guests = serializers.BooleanField()
    collect_sus = serializers.BooleanField()
    instruments = serializers.ListField(child=serializers.CharField())
    quorum = serializers.IntegerField(allow_null=True)
    screens = ScreenSerializer(many=True)
    current_screen = serializers.IntegerField(allow_null=True)
    results_visible = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)


class JoinSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    display_name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    role = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        default="",
        help_text="The participant's own role (nurse, physician, ...), for results by role.",
    )
    unit = IdField(required=False, allow_null=True, default=None, help_text="Their care unit.")


class ParticipantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField()
    display_name = serializers.CharField()
    is_facilitator = serializers.BooleanField()
    is_guest = serializers.BooleanField()
    role = serializers.CharField()
    unit = serializers.IntegerField(allow_null=True)


class JoinResultSerializer(serializers.Serializer):
    session = SessionSerializer()
    participant = ParticipantSerializer()
    guest_token = serializers.CharField(required=False)


class PinSerializer(serializers.Serializer):
    x = serializers.FloatField(min_value=0, max_value=1)
    y = serializers.FloatField(min_value=0, max_value=1)


class RateSerializer(serializers.Serializer):
    """The `rate` frame and POST /ratings/ body; scores are checked against the session."""

    screen = IdField()
    scores = serializers.DictField(child=serializers.JSONField())
    comment = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", trim_whitespace=False
    )
    pin = PinSerializer(required=False, allow_null=True, default=None)
    region = _region()
    client_id = _client_id()


class CommentSerializer(serializers.Serializer):
    screen = IdField()
    text = serializers.CharField(max_length=2000)
    pin = PinSerializer(required=False, allow_null=True, default=None)
    region = _region()
    client_id = _client_id()


class RatingOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    screen = serializers.IntegerField()
    scores = serializers.DictField(child=serializers.IntegerField())
    comment = serializers.CharField()
    pin = PinSerializer(allow_null=True)
    comment_id = serializers.IntegerField(allow_null=True)
    client_id = ClientIdField(allow_null=True)
    phi_redacted = serializers.ListField(child=serializers.CharField())


class CommentEditSerializer(serializers.Serializer):
    """PATCH /api/comments/{id}/ (and the `comment_edit` frame's text)."""

    text = serializers.CharField(max_length=2000)


class CommentOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField()
    screen = serializers.IntegerField()
    participant = serializers.IntegerField()
    text = serializers.CharField()
    pin = PinSerializer(allow_null=True)
    region = serializers.CharField(allow_null=True)
    phi_redacted = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    withdrawn = serializers.BooleanField()


class EndSerializer(serializers.Serializer):
    collect_sus = serializers.BooleanField(required=False, default=False)


class SusSerializer(serializers.Serializer):
    answers = serializers.ListField(child=serializers.JSONField(), max_length=20)


class SusOutSerializer(serializers.Serializer):
    score = serializers.FloatField()


class SummaryScreenSerializer(serializers.Serializer):
    screen = serializers.IntegerField()
    title = serializers.CharField()
    version = serializers.CharField()
    count = serializers.IntegerField()
    means = serializers.DictField(child=serializers.FloatField(allow_null=True))
    histograms = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField())
    )
    comments = serializers.ListField(child=serializers.DictField())
    pins = PinSerializer(many=True)


class SusSummarySerializer(serializers.Serializer):
    responses = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    scores = serializers.ListField(child=serializers.FloatField())


class SummarySerializer(serializers.Serializer):
    session = serializers.IntegerField()
    screens = SummaryScreenSerializer(many=True)
    sus = SusSummarySerializer(allow_null=True)


class InstrumentSerializer(serializers.Serializer):
    """The `instrument` frame and POST /instruments/ body; answers are checked by the service."""

    instrument = serializers.CharField(max_length=20)
    screen = IdField(required=False, allow_null=True, default=None)
    answers = serializers.JSONField()
    client_id = _client_id()


class InstrumentOutSerializer(serializers.Serializer):
    instrument = serializers.CharField()
    screen = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField()
    subscales = serializers.DictField(child=serializers.FloatField())


class RegionSerializer(serializers.Serializer):
    id = serializers.CharField(max_length=40)
    label = serializers.CharField(max_length=80)  # type: ignore[assignment]
    box = serializers.ListField(child=serializers.FloatField(), min_length=4, max_length=4)


class ScreenPatchSerializer(serializers.Serializer):
    regions = serializers.JSONField(
        help_text="[{id, label, box: [x, y, w, h]}] in fractions of the screen (at most 50)."
    )


class QuorumSerializer(serializers.Serializer):
    quorum = serializers.JSONField(help_text="Participants who must rate first, or null.")


def frame_args(serializer: type[serializers.Serializer], content: Any) -> dict[str, Any]:
    """A rating or comment, from a socket frame or a REST body alike: validated (a 400 / an
    `error` frame otherwise) and named as the services take it."""
    data = serializer(data=content)
    data.is_valid(raise_exception=True)
    args = dict(data.validated_data)
    args["screen_id"] = args.pop("screen")
    if args.get("pin") is not None:
        args["pin"] = dict(args["pin"])
    return args
