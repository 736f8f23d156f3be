"""Channels consumers: authenticate, join groups, dispatch frames to services."""
