"""What `make run` needs when bound to every interface: this machine's LAN addresses, the hosts
Django must accept, and the URLs a tablet or phone on the ward network can open (stdlib only:
it runs before the virtualenv exists)."""

from __future__ import annotations

import argparse
import ipaddress
import socket
import sys
from collections.abc import Iterable

ALL_INTERFACES = ("0.0.0.0", "::")
LOCAL_HOSTS = ["127.0.0.1", "localhost"]
# A documentation address (RFC 5737): connecting a UDP socket sends nothing, it only asks the
# kernel which local address would carry traffic off this machine.
_PROBE = ("192.0.2.1", 9)


def _usable(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.version == 4 and not (ip.is_loopback or ip.is_link_local or ip.is_unspecified)


def _route_address() -> list[str]:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_PROBE)
            return [probe.getsockname()[0]]
    except OSError:
        return []


def _hostname_addresses() -> list[str]:
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    return [str(info[4][0]) for info in infos]


def lan_addresses(candidates: Iterable[str] | None = None) -> list[str]:
    """This machine's IPv4 addresses other devices can reach, the outgoing route's first."""
    found = list(candidates) if candidates is not None else _route_address() + _hostname_addresses()
    seen: list[str] = []
    for address in found:
        if _usable(address) and address not in seen:
            seen.append(address)
    return seen


def all_interfaces(host: str) -> bool:
    return host in ALL_INTERFACES


def allowed_hosts(host: str, addresses: list[str]) -> list[str]:
    """Host names Django answers: the local ones, plus every LAN address when bound to all."""
    if all_interfaces(host):
        return LOCAL_HOSTS + [a for a in addresses if a not in LOCAL_HOSTS]
    return LOCAL_HOSTS if host in LOCAL_HOSTS else [*LOCAL_HOSTS, host]


def urls(host: str, port: int, addresses: list[str]) -> list[str]:
    if all_interfaces(host):
        return [f"http://{a}:{port}/" for a in addresses]
    return [f"http://{host}:{port}/"]


def banner(host: str, port: int, addresses: list[str]) -> str:
    local = f"http://127.0.0.1:{port}/" if all_interfaces(host) else urls(host, port, [])[0]
    lines = [f"Rounds is serving on {local}  (API docs: {local}api/docs/)"]
    if not all_interfaces(host):
        return "\n".join(lines)
    lan = urls(host, port, addresses)
    if lan:
        lines.append("On the ward network, open on a tablet or phone:")
        lines += [f"  {u}" for u in lan]
        lines.append(
            "  (plain HTTP: anyone on this network can reach the sign-in page; see README)"
        )
    else:
        lines.append("Bound to every interface, but no LAN address was found on this machine.")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--allowed-hosts", action="store_true", help="print ALLOWED_HOSTS")
    what.add_argument("--base-url", action="store_true", help="print the first LAN URL, if any")
    args = parser.parse_args(argv)
    addresses = lan_addresses() if all_interfaces(args.host) else []
    if args.allowed_hosts:
        print(",".join(allowed_hosts(args.host, addresses)))
    elif args.base_url:
        found = urls(args.host, args.port, addresses) if all_interfaces(args.host) else []
        print(found[0].rstrip("/") if found else "")
    else:
        print(banner(args.host, args.port, addresses))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
