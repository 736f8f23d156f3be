"""Screens and live co-design sessions over REST (the live protocol is api/consumers/sessions)."""

from __future__ import annotations

import csv
import io
from typing import Any

import segno
from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.context import actor_from_request, authed_user
from api.guest import guest_from_token, guest_token
from api.lookups import tool_or_404
from api.permissions import requires
from api.serializers import sessions as s
from feedback import images, roles
from feedback.errors import Forbidden, NotFound, SessionEnded, ValidationFailed
from feedback.models import CodesignSession, Comment, Participant, Screen, Tool
from feedback.selectors import sessions as sel
from feedback.selectors.instruments import csv_rows, session_instruments
from feedback.services import sessions as svc
from feedback.services.audit import audit_record
from feedback.services.instruments import instrument_submit, participant_describe
from feedback.services.screens import screen_create, screen_set_regions

CanFacilitate = requires(roles.FACILITATE, safe_for_all=True)
GUEST_HEADER = "HTTP_X_GUEST_TOKEN"


def base_url(request: Request) -> str:
    return settings.PUBLIC_BASE_URL or request.build_absolute_uri("/").rstrip("/")


class ToolScreensView(GenericAPIView):
    """GET lists a tool's screens (anyone signed in); POST uploads one (session runners)."""

    permission_classes = [CanFacilitate]
    serializer_class = s.ScreenSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no tool
            return Screen.objects.none()
        return Screen.objects.filter(tool=tool_or_404(self.kwargs["tool_id"]))

    @extend_schema(responses=s.ScreenSerializer(many=True))
    def get(self, request: Request, tool_id: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        base = base_url(request)
        return self.get_paginated_response([sel.screen_public(x, base) for x in page or []])

    @extend_schema(
        request={"multipart/form-data": s.ScreenUploadSerializer},
        responses={201: s.ScreenSerializer, 200: s.ScreenSerializer},
    )
    def post(self, request: Request, tool_id: int) -> Response:
        tool = tool_or_404(tool_id)
        data = s.ScreenUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        screen, created = screen_create(
            actor=actor_from_request(request),
            tool=tool,
            image=v["image"],
            title=v["title"],
            version=v["version"],
            model_version=v["model_version"],
        )
        status = 201 if created else 200  # the same bytes again: the screen already stored
        return Response(sel.screen_public(screen, base_url(request)), status=status)


class ScreenDetailView(APIView):
    """GET a screen (anyone signed in); PATCH its named regions (session runners)."""

    permission_classes = [CanFacilitate]

    @extend_schema(responses=s.ScreenSerializer)
    def get(self, request: Request, pk: int) -> Response:
        screen = Screen.objects.filter(pk=pk).first()
        if screen is None:
            raise NotFound(f"No screen {pk}.")
        return Response(sel.screen_public(screen, base_url(request)))

    @extend_schema(request=s.ScreenPatchSerializer, responses=s.ScreenSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        screen = Screen.objects.filter(pk=pk).first()
        if screen is None:
            raise NotFound(f"No screen {pk}.")
        data = s.ScreenPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        screen = screen_set_regions(
            actor=actor_from_request(request), screen=screen, regions=data.validated_data["regions"]
        )
        return Response(sel.screen_public(screen, base_url(request)))


class SessionListView(GenericAPIView):
    permission_classes = [requires(roles.FACILITATE)]
    serializer_class = s.SessionSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return CodesignSession.objects.none()
        mine = self.request.query_params.get("mine") in ("1", "true")
        return sel.sessions_visible(user=authed_user(self.request), mine=mine).prefetch_related(
            sel.SESSION_SCREENS
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "mine",
                OpenApiTypes.BOOL,
                description="only the sessions you facilitate (the Facilitate view's list)",
            )
        ],
        responses=s.SessionSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        base = base_url(request)
        return self.get_paginated_response([sel.session_public(x, base) for x in page or []])

    @extend_schema(request=s.SessionCreateSerializer, responses={201: s.SessionSerializer})
    def post(self, request: Request) -> Response:
        data = s.SessionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        tool = Tool.objects.filter(pk=v["tool"]).first()
        if tool is None:
            raise ValidationFailed("Unknown tool.", errors={"tool": [f"No tool {v['tool']}."]})
        session = svc.session_create(
            actor=actor_from_request(request),
            title=v["title"],
            tool=tool,
            screen_ids=v["screens"],
            dimensions=v.get("dimensions"),
            allow_guests=v["allow_guests"],
            instruments=v["instruments"],
        )
        return Response(sel.session_public(session, base_url(request)), status=201)


class SessionDetailView(APIView):
    @extend_schema(responses=s.SessionSerializer)
    def get(self, request: Request, pk: int) -> Response:
        session = sel.session_for_user(user=authed_user(request), session_id=pk)
        return Response(sel.session_public(session, base_url(request)))


class SessionJoinView(APIView):
    """Signed-in users with a role join by code; anonymous callers only as allowed guests."""

    permission_classes = [AllowAny]

    @extend_schema(request=s.JoinSerializer, responses=s.JoinResultSerializer)
    def post(self, request: Request) -> Response:
        data = s.JoinSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = sel.open_session_by_code(data.validated_data["code"])
        if session is None and sel.ended_session_by_code(data.validated_data["code"]):
            raise SessionEnded("This session has ended.")
        if session is None:
            raise NotFound("No open session has this code; check it with the facilitator.")
        user = request.user if request.user.is_authenticated else None
        if user is None and not session.allow_guests:
            raise exceptions.NotAuthenticated("Sign in to join this session.")
        if user is not None and not roles.allows(user, roles.JOIN):
            raise Forbidden("Your account has no role yet; ask an admin for one.")
        name = data.validated_data.get("display_name", "")
        participant = svc.session_join(session=session, user=user, display_name=name)
        participant = participant_describe(
            participant=participant,
            role=data.validated_data["role"],
            unit_id=data.validated_data["unit"],
        )
        body: dict[str, Any] = {
            "session": sel.session_public(session, base_url(request)),
            "participant": sel.participant_public(participant),
        }
        if user is None:
            body["guest_token"] = guest_token(session_id=session.pk, participant_id=participant.pk)
        return Response(body)


def acting_participant(request: Request, session_id: int) -> Participant:
    """The caller's participant in the session: by guest token (X-Guest-Token, or ?guest= as on
    the socket; access logs redact it), else by signed-in user."""
    token = request.META.get(GUEST_HEADER) or request.query_params.get("guest")
    if token:
        guest = guest_from_token(token)
        if guest is None:
            raise exceptions.NotAuthenticated("The guest token is invalid or expired; join again.")
        if guest.session_id != session_id:
            raise Forbidden("This guest token belongs to another session.")
        participant = Participant.objects.filter(pk=guest.participant_id).first()
        if participant is None:
            raise exceptions.NotAuthenticated("This guest is no longer in the session; join again.")
        return participant
    if not request.user.is_authenticated:
        raise exceptions.NotAuthenticated("Sign in, or send the X-Guest-Token from joining.")
    session = sel.session_for_user(user=authed_user(request), session_id=session_id)
    participant = sel.participant_of(session=session, user=authed_user(request))
    if participant is None:
        raise Forbidden("Join the session first (POST /api/sessions/join/).")
    return participant


class SessionRatingsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=s.RateSerializer, responses=s.RatingOutSerializer)
    def post(self, request: Request, pk: int) -> Response:
        participant = acting_participant(request, pk)
        rating = svc.rating_submit(
            participant=participant, **s.frame_args(s.RateSerializer, request.data)
        )
        body = sel.rating_public(rating)
        if request.data.get("client_id") is not None:
            body["client_id"] = request.data["client_id"]  # as sent, like the socket's `ack`
        return Response(body)


class SessionCommentsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=s.CommentSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int) -> Response:
        participant = acting_participant(request, pk)
        comment = svc.comment_add(
            participant=participant, **s.frame_args(s.CommentSerializer, request.data)
        )
        frame = sel.comment_frame(comment)
        frame.pop("type")
        return Response(frame, status=201)


class CommentDetailView(APIView):
    """GET a comment (its author, the session's facilitator, reviewers); PATCH {text} edits and
    DELETE withdraws it, the author only (audited; a withdrawn comment leaves summaries)."""

    permission_classes = [AllowAny]

    def _comment(self, request: Request, pk: int) -> tuple[Comment, Participant]:
        comment = Comment.objects.select_related("session").filter(pk=pk).first()
        if comment is None:
            raise NotFound("No such comment, or it is not visible to you.")
        return comment, acting_participant(request, comment.session_id)

    @extend_schema(responses=s.CommentOutSerializer)
    def get(self, request: Request, pk: int) -> Response:
        comment = Comment.objects.select_related("session").filter(pk=pk).first()
        user = request.user
        reviewer = user.is_authenticated and not request.META.get(GUEST_HEADER)
        if comment is not None and reviewer and _may_review(user, comment.session):
            return Response(sel.comment_public(comment))
        try:
            comment, participant = self._comment(request, pk)
        except Forbidden:  # signed in but not in the session: it is not visible to them
            raise NotFound("No such comment, or it is not visible to you.") from None
        if comment.participant_id != participant.pk and not participant.is_facilitator:
            raise NotFound("No such comment, or it is not visible to you.")
        return Response(sel.comment_public(comment))

    @extend_schema(request=s.CommentEditSerializer, responses=s.CommentOutSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        comment, participant = self._comment(request, pk)
        data = s.CommentEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = svc.comment_edit(
            actor=actor_from_request(request),
            participant=participant,
            comment_id=comment.pk,
            text=data.validated_data["text"],
        )
        return Response(sel.comment_public(comment))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        comment, participant = self._comment(request, pk)
        svc.comment_withdraw(
            actor=actor_from_request(request), participant=participant, comment_id=comment.pk
        )
        return Response(status=204)


class SessionEndView(APIView):
    @extend_schema(request=s.EndSerializer, responses=s.SessionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        session = sel.session_for_user(user=authed_user(request), session_id=pk)
        participant = sel.participant_of(session=session, user=authed_user(request))
        if participant is None:  # the service checks that a participant is the facilitator
            raise Forbidden("Only the session's facilitator can end it.")
        data = s.EndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = svc.session_end(
            actor=actor_from_request(request),
            participant=participant,
            collect_sus=data.validated_data["collect_sus"],
        )
        return Response(sel.session_public(session, base_url(request)))


class SessionSusView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=s.SusSerializer, responses=s.SusOutSerializer)
    def post(self, request: Request, pk: int) -> Response:
        participant = acting_participant(request, pk)
        data = s.SusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        response = svc.sus_submit(participant=participant, answers=data.validated_data["answers"])
        return Response({"score": response.score})


class SessionInstrumentsView(APIView):
    """A participant's questionnaire answers, for clients without a socket and after the end."""

    permission_classes = [AllowAny]

    @extend_schema(request=s.InstrumentSerializer, responses=s.InstrumentOutSerializer)
    def post(self, request: Request, pk: int) -> Response:
        participant = acting_participant(request, pk)
        data = s.InstrumentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        row = instrument_submit(
            participant=participant,
            instrument=v["instrument"],
            answers=v["answers"],
            screen_id=v["screen"],
        )
        return Response(instrument_public(row))


def instrument_public(row: Any) -> dict[str, Any]:
    return {
        "instrument": row.instrument,
        "screen": row.screen_id,
        "score": row.score,
        "subscales": row.subscales,
    }


def _may_review(user: Any, session: CodesignSession) -> bool:
    return session.facilitator_id == user.pk or roles.allows(user, roles.SESSIONS_REVIEW_ALL)


def reviewable_session(request: Request, pk: int) -> CodesignSession:
    """Summaries, heat maps and QR codes: the facilitator, product owners and admins."""
    session = sel.session_for_user(user=authed_user(request), session_id=pk)
    if not _may_review(request.user, session):
        raise NotFound("No such session, or it is not visible to you.")
    return session


class SessionSummaryView(APIView):
    @extend_schema(responses=s.SummarySerializer)
    def get(self, request: Request, pk: int) -> Response:
        session = reviewable_session(request, pk)
        audit_record(actor=actor_from_request(request), action="view", obj=session)
        return Response(sel.session_summary(session))


class SessionInstrumentsCsvView(APIView):
    """The session's questionnaire results as CSV: overall, by role, by unit, by screen."""

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request, pk: int) -> HttpResponse:
        session = reviewable_session(request, pk)
        audit_record(actor=actor_from_request(request), action="export", obj=session)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(INSTRUMENT_CSV_COLUMNS)
        writer.writerows(csv_rows(session_instruments(session)))
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="session-{pk}-instruments.csv"'
        return response


INSTRUMENT_CSV_COLUMNS = [
    "instrument", "group", "key", "label", "n", "score", "ci95_low", "ci95_high",
]  # fmt: skip


class SessionQrView(APIView):
    @extend_schema(responses={(200, "image/svg+xml"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int) -> HttpResponse:
        session = reviewable_session(request, pk)
        join_url = sel.session_public(session, base_url(request))["join_url"]
        buf = io.BytesIO()
        segno.make(join_url, error="m").save(buf, kind="svg", scale=8, border=2, xmldecl=False)
        response = HttpResponse(buf.getvalue(), content_type="image/svg+xml")
        response["Cache-Control"] = "private, max-age=300"
        return response


class HeatmapQuery(serializers.Serializer):
    session = s.IdField()


class ScreenHeatmapView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("session", int, required=True)],
        responses={(200, "image/png"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        query = HeatmapQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        session = reviewable_session(request, query.validated_data["session"])
        screen = next((x for x in sel.session_screens(session) if x.pk == pk), None)
        if screen is None:
            raise NotFound(f"Screen {pk} is not part of session {session.pk}.")
        with screen.image.open("rb") as f:
            png = images.heatmap(f.read(), sel.screen_pins(session=session, screen_id=pk))
        response = HttpResponse(png, content_type="image/png")
        response["Cache-Control"] = "private, no-cache"
        return response
