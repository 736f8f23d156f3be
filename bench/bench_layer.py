"""Fan-out benchmark: group_send to N members, each receives; fast layer vs channels' in-memory."""

from __future__ import annotations

import argparse
import asyncio
import gc
import platform
import sys
import time
import timeit
from collections.abc import Callable
from copy import deepcopy
from pathlib import Path
from typing import Any

from channels import __version__ as channels_version
from channels.layers import InMemoryChannelLayer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.layers import FastInMemoryChannelLayer

REPORT = Path(__file__).resolve().parent / "reports" / "layer.md"
# Synthetic payload shaped like an `aggregate` frame for the default four dimensions.
MESSAGE = {
    "type": "session.aggregate",
    "screen": 42,
    "count": 17,
    "means": {"usefulness": 4.12, "clarity": 3.5, "trust": 3.94, "workflow_fit": 2.71},
    "histograms": {d: [1, 2, 3, 6, 5] for d in ("usefulness", "clarity", "trust", "workflow_fit")},
}


async def fan_out(layer: Any, size: int, rounds: int) -> float:
    """Seconds for `rounds` x (one group_send + every member's receive), setup excluded."""
    names = [await layer.new_channel() for _ in range(size)]
    for name in names:
        await layer.group_add("session-bench", name)
    start = time.perf_counter()
    for _ in range(rounds):
        await layer.group_send("session-bench", MESSAGE)
        for name in names:
            await layer.receive(name)
    return time.perf_counter() - start


async def fan_out_waiting(layer: Any, size: int, rounds: int) -> float:
    """Same, but members are consumer tasks already blocked in receive(), as in production."""
    names = [await layer.new_channel() for _ in range(size)]
    for name in names:
        await layer.group_add("session-bench", name)
    start = time.perf_counter()
    for _ in range(rounds):
        tasks = [asyncio.create_task(layer.receive(name)) for name in names]
        await asyncio.sleep(0)
        await layer.group_send("session-bench", MESSAGE)
        await asyncio.gather(*tasks)
    return time.perf_counter() - start


def best_of(
    scenario: Callable[..., Any], make: Callable[[], Any], size: int, rounds: int, repeat: int
) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        times.append(asyncio.run(scenario(make(), size, rounds)))
    return min(times) / rounds


def run(sizes: list[int], rounds: int, repeat: int) -> list[tuple[str, int, float, float]]:
    rows = []
    for name, scenario in (("sequential", fan_out), ("waiting", fan_out_waiting)):
        for size in sizes:
            fast = best_of(
                scenario, lambda: FastInMemoryChannelLayer(capacity=10), size, rounds, repeat
            )
            slow = best_of(
                scenario, lambda: InMemoryChannelLayer(capacity=10), size, rounds, repeat
            )
            rows.append((name, size, fast, slow))
            print(
                f"{name:10} N={size:5}  fast {fast * 1e3:8.2f} ms  "
                f"channels {slow * 1e3:9.2f} ms  ratio {slow / fast:7.1f}x",
                flush=True,
            )
    return rows


def copy_costs() -> tuple[float, float]:
    """Seconds per deepcopy and per top-level dict() of MESSAGE: the per-member copy trade-off."""
    deep = min(timeit.repeat(lambda: deepcopy(MESSAGE), number=2000, repeat=5)) / 2000
    shallow = min(timeit.repeat(lambda: dict(MESSAGE), number=2000, repeat=5)) / 2000
    print(f"per member: deepcopy {deep * 1e6:.2f} us, dict() {shallow * 1e6:.2f} us")
    return deep, shallow


def write_report(
    rows: list[tuple[str, int, float, float]], args: argparse.Namespace, copies: tuple[float, float]
) -> None:
    lines = [
        "# Channel layer fan-out: FastInMemoryChannelLayer vs channels' InMemoryChannelLayer",
        "",
        f"`python bench/bench_layer.py --rounds {args.rounds} --repeat {args.repeat}` on "
        f"Python {platform.python_version()}, channels {channels_version}, "
        f"{platform.machine()}. Time per round = one `group_send` of an `aggregate`-shaped "
        "message to N members plus every member's `receive()`; best of "
        f"{args.repeat} runs, setup (group_add) excluded.",
        "",
        "- sequential: one task sends, then receives on each channel in turn.",
        "- waiting: N tasks already blocked in `receive()` (how consumers actually wait).",
        "",
        "| scenario | N | fast (ms) | channels (ms) | channels / fast |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, size, fast, slow in rows:
        lines.append(
            f"| {name} | {size} | {fast * 1e3:.2f} | {slow * 1e3:.2f} | {slow / fast:.1f}x |"
        )
    deep, shallow = copies
    lines += [
        "",
        "Copying: group_send deep-copies the message once and gives each member its own top-level",
        f"`dict()` ({shallow * 1e6:.2f} us per member) instead of a deepcopy per member "
        f"({deep * 1e6:.2f} us): at N=1000 that is {1000 * shallow * 1e3:.2f} ms instead of "
        f"{1000 * deep * 1e3:.2f} ms per group_send.",
    ]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n")
    print(f"wrote {REPORT}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 500, 1000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-report", action="store_true", help="print only")
    args = parser.parse_args()
    rows = run(args.sizes, args.rounds, args.repeat)
    copies = copy_costs()
    if not args.no_report:
        write_report(rows, args, copies)


if __name__ == "__main__":
    main()
