"""In-process channel layer: InMemoryChannelLayer semantics at O(1) per channel per message."""

from __future__ import annotations

import asyncio
import random
import string
import time
from collections import deque
from copy import deepcopy
from typing import Any

from channels.exceptions import ChannelFull
from channels.layers import BaseChannelLayer

Message = dict[str, Any]


class _Mailbox:
    """One channel's FIFO of (expires_at, message) and the receivers waiting on it."""

    __slots__ = ("capacity", "items", "receivers", "waiters")

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.items: deque[tuple[float, Message]] = deque()
        self.waiters: deque[asyncio.Future[None]] = deque()
        # Receivers inside receive(), including one already woken but not yet run (no longer in
        # `waiters`): while any exist the mailbox must stay registered or sends would miss them.
        self.receivers = 0

    def full(self) -> bool:
        return len(self.items) >= self.capacity

    def idle(self) -> bool:
        return not self.items and not self.receivers

    def put(self, expires_at: float, message: Message) -> None:
        self.items.append((expires_at, message))
        self._wake_next()

    def drop_expired(self, now: float) -> bool:
        """Drop expired messages; they are oldest-first, so only the head needs looking at."""
        dropped = False
        while self.items and self.items[0][0] < now:
            self.items.popleft()
            dropped = True
        return dropped

    async def get(self) -> tuple[float, Message]:
        # Same wake-up protocol as asyncio.Queue.get, so cancellation never strands a message.
        while not self.items:
            waiter = asyncio.get_running_loop().create_future()
            self.waiters.append(waiter)
            try:
                await waiter
            except BaseException:
                waiter.cancel()
                if waiter in self.waiters:
                    self.waiters.remove(waiter)
                if self.items and not waiter.cancelled():
                    self._wake_next()
                raise
        return self.items.popleft()

    def _wake_next(self) -> None:
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return


class FastInMemoryChannelLayer(BaseChannelLayer):
    """Drop-in for channels.layers.InMemoryChannelLayer without its per-call scans of everything.

    channels' version runs _clean_expired() (every message of every channel, every member of
    every group) on each receive() and group_send(), so fanning one message out to a group of N
    whose members then receive costs O(N^2). Here expiry is checked where it matters and only
    there: a channel's messages when that channel is sent to or received from, a group's members
    when that group is sent to. A full sweep still runs at most once per `expiry` seconds so
    channels that nobody touches again (crashed consumers) do not keep their messages forever.
    """

    extensions = ["groups", "flush"]

    def __init__(
        self,
        expiry: float = 60,
        group_expiry: float = 86400,
        capacity: int = 100,
        channel_capacity: dict[Any, int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(expiry=expiry, capacity=capacity, **kwargs)
        # BaseChannelLayer stores the raw dict, which get_capacity() cannot iterate as pairs;
        # compile it as channels_redis does so per-channel capacities actually work.
        self.channel_capacity = self.compile_capacities(channel_capacity or {})
        self.group_expiry = group_expiry
        self.channels: dict[str, _Mailbox] = {}
        self.groups: dict[str, dict[str, float]] = {}  # group -> {channel: joined at}
        # Reverse index so an expired channel leaves all its groups without scanning every group.
        self._memberships: dict[str, set[str]] = {}
        self._next_sweep = time.monotonic() + expiry

    # Channel layer API

    async def send(self, channel: str, message: Message) -> None:
        """Send a message onto a channel; ChannelFull if it already holds `capacity` messages."""
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        now = self._tick()
        box = self._mailbox(channel)
        if box.drop_expired(now):
            self._leave_all_groups(channel)
        if box.full():
            raise ChannelFull(channel)
        # Copied so the sender may keep mutating its dict, as with every other layer.
        box.put(now + self.expiry, deepcopy(message))

    async def receive(self, channel: str) -> Message:
        """Wait for the next unexpired message on `channel`."""
        self.require_valid_channel_name(channel)
        self._tick()
        box = self._mailbox(channel)
        box.receivers += 1
        try:
            while True:
                expires_at, message = await box.get()
                if expires_at >= time.monotonic():
                    return message
                # An expired message means nobody was listening: like channels, treat the
                # channel as dead and drop it from its groups.
                self._leave_all_groups(channel)
        finally:
            box.receivers -= 1
            self._release(channel, box)

    async def new_channel(self, prefix: str = "specific.") -> str:
        """A new process-local channel name."""
        suffix = "".join(random.choices(string.ascii_letters, k=12))
        return f"{prefix}.inmemory!{suffix}"

    # Flush extension

    async def flush(self) -> None:
        # Receivers already waiting keep their mailbox, so a send after flush still wakes them
        # (channels' version swaps the dicts and leaves them waiting on an orphaned queue).
        for box in self.channels.values():
            box.items.clear()
        self.channels = {name: box for name, box in self.channels.items() if box.receivers}
        self.groups = {}
        self._memberships = {}

    async def close(self) -> None:
        pass

    # Groups extension

    async def group_add(self, group: str, channel: str) -> None:
        self.require_valid_group_name(group)
        self.require_valid_channel_name(channel)
        self.groups.setdefault(group, {})[channel] = time.monotonic()
        self._memberships.setdefault(channel, set()).add(group)

    async def group_discard(self, group: str, channel: str) -> None:
        self.require_valid_channel_name(channel)
        self.require_valid_group_name(group)
        self._discard(group, channel)

    async def group_send(self, group: str, message: Message) -> None:
        """Send to every live member; full channels are skipped silently, as in channels."""
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        now = self._tick()
        members = self.groups.get(group)
        if not members:
            return
        # One deep copy isolates all receivers from the sender. Each receiver then gets its own
        # top-level dict (O(keys), not O(size)), so the common mutations in consumers (pop or
        # set a key) stay private; nested values are shared and must be treated as read-only.
        # Redis would give each receiver a full copy, but deep-copying N times is the O(N * size)
        # cost this layer exists to avoid, and no consumer in this project mutates nested data.
        shared = deepcopy(message)
        for channel, joined_at in list(members.items()):
            if joined_at + self.group_expiry < now:
                self._discard(group, channel)
            elif self._deliverable(channel, now):
                self.channels[channel].put(now + self.expiry, dict(shared))

    # Internals

    def _mailbox(self, channel: str) -> _Mailbox:
        box = self.channels.get(channel)
        if box is None:
            box = self.channels[channel] = _Mailbox(self.get_capacity(channel))
        return box

    def _release(self, channel: str, box: _Mailbox) -> None:
        # Forget empty channels, as channels does, so a layer's size tracks live traffic.
        if box.idle() and self.channels.get(channel) is box:
            del self.channels[channel]

    def _deliverable(self, channel: str, now: float) -> bool:
        box = self._mailbox(channel)
        if box.drop_expired(now):
            self._leave_all_groups(channel)
            self._release(channel, box)
            return False
        return not box.full()

    def _discard(self, group: str, channel: str) -> None:
        members = self.groups.get(group)
        if members is not None:
            members.pop(channel, None)
            if not members:
                del self.groups[group]
        joined = self._memberships.get(channel)
        if joined is not None:
            joined.discard(group)
            if not joined:
                del self._memberships[channel]

    def _leave_all_groups(self, channel: str) -> None:
        for group in list(self._memberships.get(channel, ())):
            self._discard(group, channel)

    def _tick(self) -> float:
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.expiry
            self._sweep(now)
        return now

    def _sweep(self, now: float) -> None:
        """Full cleanup, rate-limited by _tick() to once per `expiry`: amortised O(1) per call."""
        for channel, box in list(self.channels.items()):
            if box.drop_expired(now):
                self._leave_all_groups(channel)
                self._release(channel, box)
        for group, members in list(self.groups.items()):
            for channel, joined_at in list(members.items()):
                if joined_at + self.group_expiry < now:
                    self._discard(group, channel)
