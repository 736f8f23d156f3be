"""tools/lan.py: what `HOST=0.0.0.0 make run` prints and answers to."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("lan", ROOT / "tools" / "lan.py")
assert _spec and _spec.loader
lan = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lan)


def test_lan_addresses_keep_reachable_ipv4_once_in_order():
    found = lan.lan_addresses(["10.1.2.3", "127.0.0.1", "169.254.9.9", "10.1.2.3", "192.168.0.7"])
    assert found == ["10.1.2.3", "192.168.0.7"]
    assert lan.lan_addresses(["0.0.0.0", "::1", "not-an-ip"]) == []


def test_all_interfaces_answer_to_the_lan_addresses_too():
    assert lan.allowed_hosts("0.0.0.0", ["10.1.2.3"]) == ["127.0.0.1", "localhost", "10.1.2.3"]
    assert lan.allowed_hosts("127.0.0.1", ["10.1.2.3"]) == ["127.0.0.1", "localhost"]


def test_banner_prints_lan_urls_only_when_bound_to_all_interfaces():
    wide = lan.banner("0.0.0.0", 9000, ["10.1.2.3", "192.168.0.7"])
    assert "http://10.1.2.3:9000/" in wide and "http://192.168.0.7:9000/" in wide
    assert "http://127.0.0.1:9000/" in wide
    local = lan.banner("127.0.0.1", 9000, ["10.1.2.3"])
    assert "10.1.2.3" not in local and "http://127.0.0.1:9000/" in local
    assert "no LAN address" in lan.banner("0.0.0.0", 9000, [])


def run(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "lan.py"), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_command_line_defaults_to_this_machine_only():
    assert run("--allowed-hosts") == "127.0.0.1,localhost"
    assert run("--base-url") == ""
    wide = run("--host", "0.0.0.0", "--allowed-hosts").split(",")
    assert wide[:2] == ["127.0.0.1", "localhost"]
    base = run("--host", "0.0.0.0", "--port", "8123", "--base-url")
    assert base == "" or (base.startswith("http://") and base.endswith(":8123"))
