"""ASGI entry point: Django for HTTP, Channels for WebSockets (origin and auth checked first)."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.dev")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from api.flag_intake import FlagIntake  # noqa: E402
from api.middleware import BodyLimit  # noqa: E402
from api.routing import websocket_urlpatterns  # noqa: E402
from api.wsauth import AllowedHostsOriginCheck, TokenAuthMiddleware  # noqa: E402
from feedback import phi  # noqa: E402

# A server loads everything once: the PHI recognizers now rather than in the first ward request,
# then the startup objects (Django, Presidio, about 220,000) move out of the garbage collector's
# way: a full collection walking them took 110 ms, landing on whichever request triggered it.
phi.preload()
gc.freeze()

application = ProtocolTypeRouter(
    {
        # The widget's flags take a fast path in front of Django (api/flag_intake.py).
        "http": BodyLimit(FlagIntake(django_asgi_app)),
        "websocket": AllowedHostsOriginCheck(
            AuthMiddlewareStack(TokenAuthMiddleware(URLRouter(websocket_urlpatterns)))
        ),
    }
)
