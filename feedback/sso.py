"""Single sign-on policy, pure: which Rounds roles an identity provider's groups grant."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from feedback.roles import ROLES


def roles_for_groups(
    groups: Iterable[str], role_map: Mapping[str, Sequence[str]], provider_id: str
) -> set[str]:
    """The roles `groups` map to; a key `"<provider_id>:<group>"` applies to that provider only,
    a bare `"<group>"` to every provider. Unknown groups grant nothing."""
    roles: set[str] = set()
    for group in groups:
        for key in (f"{provider_id}:{group}", group):
            roles.update(r for r in role_map.get(key, ()) if r in ROLES)
    return roles


def groups_from_claim(value: object) -> list[str]:
    """A groups claim or attribute as a list of strings (IdPs send a list, a string, or none)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple | set):
        return [str(v) for v in value]
    return []
