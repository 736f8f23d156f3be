"""Reads: querysets already narrowed to what the given user may see."""
