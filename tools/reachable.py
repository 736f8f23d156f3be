"""Exit 0 if every given postgres:// or redis:// URL accepts a TCP connection, else 1."""

import socket
import sys
from urllib.parse import urlparse

DEFAULT_PORTS = {"postgres": 5432, "postgresql": 5432, "redis": 6379}


def reachable(url: str) -> bool:
    parsed = urlparse(url)
    port = parsed.port or DEFAULT_PORTS.get(parsed.scheme, 0)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


if __name__ == "__main__":
    down = [u for u in sys.argv[1:] if not reachable(u)]
    for url in down:
        print(f"unreachable: {url}", file=sys.stderr)
    sys.exit(1 if down else 0)
