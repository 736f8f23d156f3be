"""Rows named in a path, fetched once for every view that needs them (404 in the error shape)."""

from __future__ import annotations

from rest_framework.exceptions import NotFound

from feedback.models import Tool


def tool_or_404(tool_id: int) -> Tool:
    tool = Tool.objects.filter(pk=tool_id).first()
    if tool is None:
        raise NotFound(f"No tool {tool_id}; pick one from /api/tools/.")
    return tool
