"""Routes for the backlog area (owned by its views)."""

urlpatterns: list = []
