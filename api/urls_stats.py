"""Routes for the dashboard statistics (owned by its views)."""

from django.urls import path

from api.views import stats

urlpatterns = [
    path("stats/pain-points/", stats.PainPointsView.as_view(), name="stats-pain-points"),
    path("stats/ratings/", stats.RatingsView.as_view(), name="stats-ratings"),
]
