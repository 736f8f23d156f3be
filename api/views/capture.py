"""Capture endpoints: observations, batch sync, redacted photos and the PHI check."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from api.context import actor_from_request, authed_user
from api.parsers import FastJSONParser
from api.permissions import requires
from api.serializers.capture import (
    ObservationSerializer,
    ObservationWriteSerializer,
    PhiCheckResultSerializer,
    PhiCheckSerializer,
    PhotoCheckResultSerializer,
    PhotoCheckSerializer,
    PhotoSerializer,
    PhotoUploadSerializer,
    SyncRequestSerializer,
    SyncResponseSerializer,
)
from feedback import phi, roles
from feedback.errors import TooLarge, ValidationFailed
from feedback.models import Observation
from feedback.selectors.observations import observation_get, observation_list
from feedback.services.audit import audit_record
from feedback.services.observations import MAX_BATCH, observation_create, observation_sync
from feedback.services.photos import photo_check, photo_upload

HasAnyRole = requires(roles.CAPTURE)

_INT, _STR, _BOOL = int, str, bool
FILTER_PARAMS = [
    OpenApiParameter("unit", _INT, description="Unit id."),
    OpenApiParameter("workflow", _INT, description="Workflow id."),
    OpenApiParameter("tool", _INT, description="Tool id."),
    OpenApiParameter("observer", _INT, description="User id of the observer."),
    OpenApiParameter("severity_min", _INT, description="Severity at least this (1-4)."),
    OpenApiParameter("patient_safety", _BOOL),
    OpenApiParameter("tag", _STR, description="Observations carrying exactly this tag."),
    OpenApiParameter("since", _STR, description="captured_at >= this ISO 8601 time."),
    OpenApiParameter("until", _STR, description="captured_at <= this ISO 8601 time."),
    OpenApiParameter("q", _STR, description="Text contained in the description."),
]


def _body(request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise ValidationFailed(
            "Send a JSON object.", errors={"non_field_errors": ["Send a JSON object."]}
        )
    return request.data


class ObservationListCreateView(generics.GenericAPIView):
    permission_classes = [HasAnyRole]
    serializer_class = ObservationSerializer
    queryset = Observation.objects.none()  # the selector narrows per user

    @extend_schema(parameters=FILTER_PARAMS, responses={200: ObservationSerializer(many=True)})
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(
            observation_list(user=authed_user(request), filters=request.query_params)
        )
        return self.get_paginated_response(ObservationSerializer(page, many=True).data)

    @extend_schema(
        request=ObservationWriteSerializer,
        responses={201: ObservationSerializer, 200: ObservationSerializer},
    )
    def post(self, request: Request) -> Response:
        obj, created = observation_create(actor=actor_from_request(request), data=_body(request))
        return Response(ObservationSerializer(obj).data, status=201 if created else 200)


class ObservationDetailView(APIView):
    permission_classes = [HasAnyRole]

    @extend_schema(responses={200: ObservationSerializer})
    def get(self, request: Request, pk: int) -> Response:
        obj = observation_get(user=authed_user(request), pk=pk)
        audit_record(actor=actor_from_request(request), action="view", obj=obj)
        return Response(ObservationSerializer(obj).data)


class ObservationSyncView(APIView):
    permission_classes = [HasAnyRole]
    parser_classes = [FastJSONParser]

    # Hot path: items skip DRF field-by-field validation; the service checks them in one pass
    # (see bench/reports/sync.md for the measured batch cost against a raw bulk_create).
    @extend_schema(request=SyncRequestSerializer, responses={200: SyncResponseSerializer})
    def post(self, request: Request) -> Response:
        items = _body(request).get("observations")
        if not isinstance(items, list):
            raise ValidationFailed(
                'Send {"observations": [...]}.',
                errors={"observations": ["Send a list of observations."]},
            )
        if len(items) > MAX_BATCH:
            raise TooLarge(f"{len(items)} observations; send at most {MAX_BATCH} per batch.")
        results = observation_sync(actor=actor_from_request(request), items=items)
        return Response({"results": [r.as_dict() for r in results]})


class PhotoUploadView(APIView):
    permission_classes = [HasAnyRole]
    # The SPEC's shape is multipart; a JSON list or string body has no .get() and would crash.
    parser_classes = [MultiPartParser, FormParser]
    extra_error_statuses = ("503",)  # OCR missing or busy: never stored unchecked

    @extend_schema(request={"multipart/form-data": PhotoUploadSerializer},
                   responses={201: PhotoSerializer, 200: PhotoSerializer})  # fmt: skip
    def post(self, request: Request, pk: int) -> Response:
        photo, created = photo_upload(
            actor=actor_from_request(request),
            observation_id=pk,
            image=request.FILES.get("image"),
            client_id=request.data.get("client_id"),
            redact=request.data.get("redact"),
        )
        return Response(PhotoSerializer(photo).data, status=201 if created else 200)


class PhiCheckView(APIView):
    permission_classes = [HasAnyRole]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "phi"

    @extend_schema(request=PhiCheckSerializer, responses={200: PhiCheckResultSerializer})
    def post(self, request: Request) -> Response:
        data = PhiCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        text = data.validated_data["text"]
        spans = phi.scan(text)  # once: the masked text is built from the same spans
        return Response(
            {
                "masked": phi.apply(text, spans).text,
                "spans": [{"start": s.start, "end": s.end, "type": s.type} for s in spans],
            }
        )


class PhotoCheckView(APIView):
    """The boxes an upload would fill (faces, PHI text), for the PWA's preview; stores nothing."""

    permission_classes = [HasAnyRole]
    parser_classes = [MultiPartParser, FormParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "photo_check"
    extra_error_statuses = ("503",)

    @extend_schema(request={"multipart/form-data": PhotoCheckSerializer},
                   responses={200: PhotoCheckResultSerializer})  # fmt: skip
    def post(self, request: Request) -> Response:
        found = photo_check(image=request.FILES.get("image"))
        return Response({"auto_redacted": found})
