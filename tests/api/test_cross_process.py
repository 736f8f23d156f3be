"""Two real Daphne processes sharing Redis: a notification made through one reaches its user's
socket on the other, and no one else's."""

from __future__ import annotations

import asyncio
import json

import pytest
import websockets
from asgiref.sync import sync_to_async
from rest_framework.authtoken.models import Token

from tests.live import daphne

pytestmark = [pytest.mark.redis, pytest.mark.slow]


def _token(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


async def _open(base: str, token: str):
    url = base.replace("http", "ws") + f"/ws/notifications/?token={token}"
    ws = await websockets.connect(url, origin=base)
    hello = json.loads(await asyncio.wait_for(ws.recv(), 5))
    assert hello["type"] == "hello"
    return ws


def test_notification_crosses_processes(redis_required, transactional_db, tmp_path, make_user):
    import httpx

    admin, target, bystander = make_user("admin"), make_user("clinician"), make_user("clinician")
    keys = {u.pk: _token(u) for u in (admin, target, bystander)}
    with daphne(tmp_path, "a") as a, daphne(tmp_path, "b") as b:

        async def scenario():
            target_ws = await _open(b, keys[target.pk])
            bystander_ws = await _open(b, keys[bystander.pk])
            same_process_ws = await _open(a, keys[target.pk])

            def change_roles():
                return httpx.patch(
                    f"{a}/api/users/{target.pk}/",
                    json={"roles": ["observer"]},
                    headers={"Authorization": f"Token {keys[admin.pk]}"},
                )

            response = await sync_to_async(change_roles)()
            assert response.status_code == 200, response.text
            got = json.loads(await asyncio.wait_for(target_ws.recv(), 5))
            assert got["type"] == "notification" and got["kind"] == "roles_changed"
            also = json.loads(await asyncio.wait_for(same_process_ws.recv(), 5))
            assert also["id"] == got["id"]
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(bystander_ws.recv(), 1.0)
            for ws in (target_ws, bystander_ws, same_process_ws):
                await ws.close()

        asyncio.run(scenario())
