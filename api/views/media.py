"""Serves stored images: screens to anyone holding the link, photos only to who may see them."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from api.errors import json_error
from feedback.selectors.media import media_visible


def _user(request: HttpRequest):  # type: ignore[no-untyped-def]
    if request.user.is_authenticated:
        return request.user
    try:
        found = TokenAuthentication().authenticate(Request(request))
    except AuthenticationFailed:
        return None
    return found[0] if found else None


def media(request: HttpRequest, path: str) -> HttpResponseBase:
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    if root not in target.parents or not target.is_file():
        raise Http404("No such file.")
    rel = target.relative_to(root).as_posix()
    if not rel.startswith("screens/"):
        user = _user(request)
        if user is None:
            return json_error("not_authenticated", "Sign in to see this photo.", 401)
        if not media_visible(user=user, name=rel):
            raise Http404("No such file.")
    response = FileResponse(target.open("rb"), content_type=mimetypes.guess_type(rel)[0])
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
