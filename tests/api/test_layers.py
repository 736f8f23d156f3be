"""FastInMemoryChannelLayer keeps channels' in-memory semantics (tests adapted from channels)."""

import asyncio

import pytest
from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer

from api.layers import FastInMemoryChannelLayer, _Mailbox

BOTH = [FastInMemoryChannelLayer, InMemoryChannelLayer]


@pytest.fixture(params=BOTH, ids=["fast", "channels"])
def layer_class(request):
    """Semantic tests run against channels' own layer too, proving they describe its behaviour."""
    return request.param


@pytest.fixture()
def layer(layer_class):
    return layer_class(capacity=3)


async def receive_soon(layer, channel, timeout=1.0):
    async with asyncio.timeout(timeout):
        return await layer.receive(channel)


async def assert_nothing(layer, channel, timeout=0.1):
    with pytest.raises(TimeoutError):
        await receive_soon(layer, channel, timeout)


@pytest.mark.asyncio
async def test_send_then_receive_returns_the_message(layer):
    await layer.send("test-channel-1", {"type": "test.message", "text": "Ahoy-hoy!"})
    message = await receive_soon(layer, "test-channel-1")
    assert message == {"type": "test.message", "text": "Ahoy-hoy!"}


@pytest.mark.asyncio
async def test_send_beyond_capacity_raises_channel_full(layer):
    for _ in range(3):
        await layer.send("test-channel-1", {"type": "test.message"})
    with pytest.raises(ChannelFull):
        await layer.send("test-channel-1", {"type": "test.message"})


@pytest.mark.asyncio
async def test_process_local_channel_round_trips(layer):
    channel = await layer.new_channel()
    assert "!" in channel
    await layer.send(channel, {"type": "test.message", "text": "Local only please"})
    assert (await receive_soon(layer, channel))["text"] == "Local only please"


@pytest.mark.asyncio
async def test_new_channels_are_distinct(layer):
    names = {await layer.new_channel() for _ in range(200)}
    assert len(names) == 200


@pytest.mark.asyncio
async def test_messages_arrive_in_order(layer):
    for n in (1, 2, 3):
        await layer.send("test-channel-3", {"type": f"message.{n}"})
    for n in (1, 2, 3):
        assert (await receive_soon(layer, "test-channel-3"))["type"] == f"message.{n}"


@pytest.mark.asyncio
async def test_group_send_reaches_members_but_not_discarded_ones(layer):
    for n in (1, 2, 3):
        await layer.group_add("test-group", f"test-gr-chan-{n}")
    await layer.group_discard("test-group", "test-gr-chan-2")
    await layer.group_send("test-group", {"type": "message.1"})
    assert (await receive_soon(layer, "test-gr-chan-1"))["type"] == "message.1"
    assert (await receive_soon(layer, "test-gr-chan-3"))["type"] == "message.1"
    await assert_nothing(layer, "test-gr-chan-2")


@pytest.mark.asyncio
async def test_group_send_ignores_full_channels(layer):
    await layer.group_add("test-group", "test-gr-chan-1")
    for n in range(5):
        await layer.group_send("test-group", {"type": "message", "n": n})
    received = [(await receive_soon(layer, "test-gr-chan-1"))["n"] for _ in range(3)]
    assert received == [0, 1, 2]
    await assert_nothing(layer, "test-gr-chan-1")


@pytest.mark.asyncio
async def test_group_send_to_unknown_group_is_a_no_op(layer):
    await layer.group_send("nobody-here", {"type": "message"})
    await layer.group_discard("nobody-here", "test-channel-1")
    # Nothing was delivered anywhere: a member-less group reaches no channel.
    await layer.send("test-channel-1", {"type": "marker"})
    assert (await receive_soon(layer, "test-channel-1"))["type"] == "marker"


@pytest.mark.asyncio
async def test_adding_twice_delivers_once(layer):
    await layer.group_add("test-group", "test-gr-chan-1")
    await layer.group_add("test-group", "test-gr-chan-1")
    await layer.group_send("test-group", {"type": "message.1"})
    await receive_soon(layer, "test-gr-chan-1")
    await assert_nothing(layer, "test-gr-chan-1")


@pytest.mark.asyncio
async def test_waiting_receiver_wakes_when_a_message_arrives(layer):
    waiting = asyncio.create_task(layer.receive("test-channel-1"))
    await asyncio.sleep(0.01)
    assert not waiting.done()
    await layer.send("test-channel-1", {"type": "wake.up"})
    async with asyncio.timeout(1):
        assert (await waiting)["type"] == "wake.up"


@pytest.mark.asyncio
async def test_waiting_group_members_wake_on_group_send(layer_class):
    layer = layer_class()
    names = [f"member-{n}" for n in range(50)]
    for name in names:
        await layer.group_add("room", name)
    waiting = [asyncio.create_task(layer.receive(name)) for name in names]
    await asyncio.sleep(0.01)
    await layer.group_send("room", {"type": "aggregate", "count": 7})
    async with asyncio.timeout(1):
        messages = await asyncio.gather(*waiting)
    assert all(m == {"type": "aggregate", "count": 7} for m in messages)


@pytest.mark.asyncio
async def test_group_of_many_channels_each_receive_every_message(layer_class):
    layer = layer_class(capacity=10)
    names = [await layer.new_channel() for _ in range(1000)]
    for name in names:
        await layer.group_add("big", name)
    for n in range(3):
        await layer.group_send("big", {"type": "tick", "n": n})
    for name in names:
        assert [(await receive_soon(layer, name))["n"] for _ in range(3)] == [0, 1, 2]


@pytest.mark.asyncio
async def test_expired_message_is_dropped_and_channel_forgotten(layer_class):
    layer = layer_class(expiry=0.1)
    await layer.send("test-channel-1", {"type": "message.1"})
    assert len(layer.channels) == 1
    await asyncio.sleep(0.25)
    await assert_nothing(layer, "test-channel-1")
    assert len(layer.channels) == 0


@pytest.mark.asyncio
async def test_only_expired_messages_are_dropped(layer_class):
    layer = layer_class(expiry=0.1)
    for n in (1, 2, 3):
        await layer.send("test-channel-1", {"type": f"message.{n}"})
    assert (await receive_soon(layer, "test-channel-1"))["type"] == "message.1"
    await asyncio.sleep(0.25)
    await layer.send("test-channel-1", {"type": "message.4"})
    assert (await receive_soon(layer, "test-channel-1"))["type"] == "message.4"
    await assert_nothing(layer, "test-channel-1")
    assert len(layer.channels) == 0


@pytest.mark.asyncio
async def test_channel_with_expired_message_leaves_its_groups(layer_class):
    # A consumer that stopped reading is presumed dead: channels drops it from every group.
    layer = layer_class(expiry=0.1)
    for group in ("room-a", "room-b"):
        await layer.group_add(group, "dead-chan")
        await layer.group_add(group, "live-chan")
    await layer.send("dead-chan", {"type": "unread"})
    await asyncio.sleep(0.25)
    await layer.group_send("room-a", {"type": "after"})
    await layer.group_send("room-b", {"type": "after"})
    assert (await receive_soon(layer, "live-chan"))["type"] == "after"
    await assert_nothing(layer, "dead-chan")


@pytest.mark.asyncio
async def test_group_membership_expires(layer_class):
    layer = layer_class(group_expiry=0.1)
    await layer.group_add("room", "old-chan")
    await asyncio.sleep(1.1 if layer_class is InMemoryChannelLayer else 0.25)
    await layer.group_add("room", "new-chan")
    await layer.group_send("room", {"type": "hello"})
    assert (await receive_soon(layer, "new-chan"))["type"] == "hello"
    await assert_nothing(layer, "old-chan")


@pytest.mark.asyncio
async def test_flush_drops_messages_and_groups(layer):
    await layer.send("test-channel-1", {"type": "message.1"})
    await layer.group_add("room", "test-channel-2")
    await layer.flush()
    await layer.group_send("room", {"type": "message.2"})
    await assert_nothing(layer, "test-channel-1")
    await assert_nothing(layer, "test-channel-2")
    await layer.close()


@pytest.mark.asyncio
async def test_sender_mutation_after_send_does_not_reach_receiver(layer):
    message = {"type": "m", "scores": {"clarity": 3}}
    await layer.send("test-channel-1", message)
    await layer.group_add("room", "test-channel-2")
    await layer.group_send("room", message)
    message["scores"]["clarity"] = 5
    assert (await receive_soon(layer, "test-channel-1"))["scores"] == {"clarity": 3}
    assert (await receive_soon(layer, "test-channel-2"))["scores"] == {"clarity": 3}


@pytest.mark.asyncio
async def test_receiver_top_level_mutation_does_not_reach_other_members(layer):
    await layer.group_add("room", "chan-a")
    await layer.group_add("room", "chan-b")
    await layer.group_send("room", {"type": "m", "count": 1})
    first = await receive_soon(layer, "chan-a")
    first.pop("type")
    first["count"] = 99
    assert await receive_soon(layer, "chan-b") == {"type": "m", "count": 1}


@pytest.mark.asyncio
async def test_invalid_names_and_messages_are_refused(layer):
    with pytest.raises(TypeError):
        await layer.send("bad channel name", {"type": "m"})
    with pytest.raises(TypeError):
        await layer.group_add("bad group!", "test-channel-1")
    with pytest.raises(AssertionError):
        await layer.send("test-channel-1", ["not", "a", "dict"])
    assert set(layer.extensions) == {"groups", "flush"}


# Behaviour where the fast layer deliberately differs from, or improves on, channels' own.


@pytest.mark.asyncio
async def test_unread_channel_is_cleaned_when_touched_or_swept():
    # channels cleans every channel on every receive; here an unread channel is cleaned when it
    # is next used, or by the sweep that runs at most once per expiry interval.
    layer = FastInMemoryChannelLayer(expiry=0.1)
    await layer.send("test-channel-1", {"type": "message.1"})
    await asyncio.sleep(0.25)
    await layer.send("test-channel-2", {"type": "message.2"})
    assert (await receive_soon(layer, "test-channel-2"))["type"] == "message.2"
    assert layer.channels == {}


@pytest.mark.asyncio
async def test_group_send_does_not_scan_unrelated_channels(monkeypatch):
    layer = FastInMemoryChannelLayer(expiry=3600)
    for n in range(100):
        await layer.send(f"other-{n}", {"type": "m"})
    await layer.group_add("room", "member")
    checked = []
    original = _Mailbox.drop_expired

    def spy(box, now):
        checked.append(box)
        return original(box, now)

    monkeypatch.setattr(_Mailbox, "drop_expired", spy)
    await layer.group_send("room", {"type": "hello"})
    assert checked == [layer.channels["member"]]


@pytest.mark.asyncio
async def test_cancelled_receiver_does_not_strand_a_message():
    layer = FastInMemoryChannelLayer()
    first = asyncio.create_task(layer.receive("shared"))
    second = asyncio.create_task(layer.receive("shared"))
    await asyncio.sleep(0.01)
    await layer.send("shared", {"type": "only.one"})
    first.cancel()  # woken but cancelled before it ran: the wake-up must pass to `second`
    async with asyncio.timeout(1):
        assert (await second)["type"] == "only.one"
    assert first.cancelled()
    assert layer.channels == {}


@pytest.mark.asyncio
async def test_receiver_waiting_across_flush_still_wakes():
    layer = FastInMemoryChannelLayer()
    waiting = asyncio.create_task(layer.receive("test-channel-1"))
    await asyncio.sleep(0.01)
    await layer.flush()
    await layer.send("test-channel-1", {"type": "after.flush"})
    async with asyncio.timeout(1):
        assert (await waiting)["type"] == "after.flush"


@pytest.mark.asyncio
async def test_channel_capacity_patterns_apply():
    layer = FastInMemoryChannelLayer(capacity=5, channel_capacity={"tiny.*": 1})
    await layer.send("tiny.one", {"type": "m"})
    with pytest.raises(ChannelFull):
        await layer.send("tiny.one", {"type": "m"})
    for _ in range(5):
        await layer.send("roomy", {"type": "m"})


@pytest.mark.asyncio
async def test_flush_between_wake_up_and_receive_keeps_the_receiver_reachable():
    layer = FastInMemoryChannelLayer()
    waiting = asyncio.create_task(layer.receive("test-channel-1"))
    await asyncio.sleep(0.01)
    await layer.send("test-channel-1", {"type": "flushed.away"})
    await layer.flush()  # the receiver was woken but has not run yet
    await layer.send("test-channel-1", {"type": "after.flush"})
    async with asyncio.timeout(1):
        assert (await waiting)["type"] == "after.flush"
