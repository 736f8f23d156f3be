"""Routes for the sessions area (owned by its views)."""

urlpatterns: list = []
