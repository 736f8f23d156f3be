"""Starts Daphne with an access log that never records API or guest tokens from query strings."""

from __future__ import annotations

from typing import Any

from daphne import cli
from daphne.access import AccessLogGenerator

from api.logfilters import redact


class RedactingAccessLog(AccessLogGenerator):  # type: ignore[misc]
    def write_entry(self, host: Any, date: Any, request: str, *args: Any, **kwargs: Any) -> None:
        super().write_entry(host, date, redact(request), *args, **kwargs)


def main() -> None:
    cli.AccessLogGenerator = RedactingAccessLog  # daphne's CLI builds its logger from this name
    cli.CommandLineInterface.entrypoint()


if __name__ == "__main__":
    main()
