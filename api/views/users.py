"""Admin-only user management."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.context import actor_from_request
from api.permissions import IsAdmin
from api.serializers.users import (
    RoleSerializer,
    UserCreateSerializer,
    UserSerializer,
    UserUpdateSerializer,
)
from feedback import roles
from feedback.models import ROLES, User
from feedback.services.users import user_create, user_update


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Text search in username and name")
    role = django_filters.ChoiceFilter(
        choices=[(r, r) for r in ROLES], method="with_role", label="Holds this role"
    )
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = User
        fields = ["is_active"]

    def search(self, qs: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return qs.filter(Q(username__icontains=value) | Q(display_name__icontains=value))

    def with_role(self, qs: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        if value == roles.ADMIN:  # staff superusers count as admin
            return qs.filter(Q(groups__name=value) | Q(is_superuser=True)).distinct()
        return qs.filter(groups__name=value).distinct()


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAdmin]
    serializer_class = UserSerializer
    filterset_class = UserFilter
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

    @extend_schema(responses={200: RoleSerializer(many=True)})
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def roles(self, request: Request) -> Response:
        """The roles an admin can give, each with what it lets its holder do."""
        rows = [
            {
                "name": role,
                "permissions": [
                    {"name": p.name, "description": p.description}
                    for p in roles.ALL
                    if role in p.roles
                ],
            }
            for role in ROLES
        ]
        return Response(RoleSerializer(rows, many=True).data)
