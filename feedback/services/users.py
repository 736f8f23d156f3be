"""User accounts and role assignment."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction

from feedback.context import Actor
from feedback.errors import Conflict, ValidationFailed
from feedback.models import ROLES, User
from feedback.roles import ADMIN
from feedback.services.audit import audit_record
from feedback.services.notifications import notify


def ensure_role_groups() -> None:
    for role in ROLES:
        Group.objects.get_or_create(name=role)


def _set_roles(user: User, roles: Iterable[str]) -> None:
    roles = list(dict.fromkeys(roles))
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValidationFailed(
            "Unknown role.", errors={"roles": [f"Use only {', '.join(ROLES)}; got {unknown}."]}
        )
    ensure_role_groups()
    user.groups.set(Group.objects.filter(name__in=roles))
    user._role_cache = None  # type: ignore[assignment]


@transaction.atomic
def user_create(
    *, actor: Actor, username: str, password: str, display_name: str = "", roles: Iterable[str] = ()
) -> User:
    try:
        # The user's own names are compared too ("nurse2nurse2" for nurse2 is refused).
        validate_password(password, user=User(username=username, display_name=display_name))
    except DjangoValidationError as exc:
        raise ValidationFailed(
            "The password is too weak.", errors={"password": exc.messages}
        ) from exc
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(f"The username {username!r} is taken; choose another.")
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=username, password=password, display_name=display_name
            )
    except IntegrityError as exc:
        raise Conflict(f"The username {username!r} is taken; choose another.") from exc
    _set_roles(user, roles)
    audit_record(actor=actor, action="create", obj=user, detail={"roles": sorted(set(roles))})
    return user


def _keep_own_access(
    *, actor: Actor, user: User, roles: list[str] | None, is_active: bool | None
) -> None:
    """An admin cannot lock themselves out (the last admin would leave nobody to undo it)."""
    if actor.user is None or actor.user.pk != user.pk:
        return
    if is_active is False:
        raise Conflict("You cannot deactivate your own account; ask another admin to do it.")
    if roles is not None and ADMIN not in roles and not user.is_superuser:
        raise Conflict("You cannot remove your own admin role; ask another admin to do it.")


@transaction.atomic
def user_update(
    *,
    actor: Actor,
    user: User,
    display_name: str | None = None,
    roles: Iterable[str] | None = None,
    is_active: bool | None = None,
) -> User:
    wanted = None if roles is None else list(roles)
    _keep_own_access(actor=actor, user=user, roles=wanted, is_active=is_active)
    changed: dict[str, object] = {}
    if display_name is not None:
        user.display_name = changed["display_name"] = display_name
    if is_active is not None:
        user.is_active = changed["is_active"] = is_active
    user.save()
    if wanted is not None:
        before = user.role_names()
        _set_roles(user, wanted)
        changed["roles"] = after = sorted(set(wanted))
        if before != after:
            notify(
                users=[user],
                kind="roles_changed",
                title="Your roles changed",
                body=f"You now hold: {', '.join(after) or 'no role'}.",
                data={"roles": after},
            )
    audit_record(actor=actor, action="change", obj=user, detail={"fields": sorted(changed)})
    return user


@transaction.atomic
def user_sync_sso_roles(*, user: User, roles: Iterable[str], provider_id: str) -> None:
    """Make `user`'s roles exactly those their identity provider's groups grant (at every SSO
    login, so leaving an IdP group loses the role at the next one); changes are audited."""
    before, after = set(user.role_names()), set(roles)
    if before != after:
        _set_roles(user, sorted(after))
        audit_record(
            actor=Actor(user=user),
            action="change",
            obj=user,
            detail={"roles": sorted(after), "before": sorted(before), "via": provider_id},
        )
