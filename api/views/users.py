"""Admin-only user management."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from api.context import actor_from_request
from api.permissions import IsAdmin
from api.serializers.users import UserCreateSerializer, UserSerializer, UserUpdateSerializer
from feedback.models import User
from feedback.services.users import user_create, user_update


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAdmin]
    serializer_class = UserSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[User]:
        return User.objects.prefetch_related("groups").order_by("-id")

    @extend_schema(request=UserCreateSerializer, responses={201: UserSerializer})
    def create(self, request: Request) -> Response:
        data = UserCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_create(actor=actor_from_request(request), **data.validated_data)
        return Response(UserSerializer(user).data, status=201)

    @extend_schema(request=UserUpdateSerializer, responses={200: UserSerializer})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        data = UserUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_update(
            actor=actor_from_request(request), user=self.get_object(), **data.validated_data
        )
        return Response(UserSerializer(user).data)
