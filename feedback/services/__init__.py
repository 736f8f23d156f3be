"""Writes: one module per area; each service is keyword-only, typed and atomic."""
