"""Request and response shapes, one module per API area (spelled as in `api/views/`)."""
