"""Routes for the capture area (owned by its views)."""

urlpatterns: list = []
