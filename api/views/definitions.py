"""Fixed vocabularies the PWA and integrators read instead of copying: questionnaire wording
and scales, CHAI model card fields, the AI-output flag taxonomy and harm scale."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from feedback import instruments, model_cards, output_feedback


class InstrumentDefinitionsView(APIView):
    """Public text (guests answer questionnaires too): no sign-in needed."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        return Response(instruments.definitions())


class ModelCardFieldsView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        return Response({"fields": model_cards.FIELDS})


class FlagVocabularyView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        return Response(
            {
                "verdicts": list(output_feedback.VERDICTS),
                "categories": output_feedback.CATEGORIES,
                "harms": output_feedback.HARM_LABELS,
            }
        )
