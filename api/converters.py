"""Path converters: `<id:pk>` matches only ids the database can hold (feedback/ids.py), so
`/api/backlog/null,null/` or a 30-digit id is a JSON 404 before any view runs."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from feedback.ids import MAX_ID


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise ValueError("not an id")  # Django: the pattern does not match → 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)


class IdRouter(SimpleRouter):
    """SimpleRouter whose detail routes take `<id:pk>` unless a viewset names its own converter."""

    def __init__(self, trailing_slash: bool = True) -> None:
        super().__init__(trailing_slash=trailing_slash, use_regex_path=False)
        self._default_value_pattern = "id"
