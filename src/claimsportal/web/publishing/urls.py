"""Public: the Executive Dashboard and the news. The operator's pages are under console/ (the
Administration section) in web/console/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from claimsportal.web.publishing import views

urlpatterns: list[URLPattern] = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<int:year>/", views.dashboard_year, name="dashboard-year"),
    path("dashboard/<int:year>.csv", views.dashboard_year_csv, name="dashboard-year-csv"),
    path("dashboard/<int:year>/<int:month>/", views.dashboard_month, name="dashboard-month"),
    path("dashboard/<int:year>/<int:month>.csv", views.dashboard_month_csv, name="dashboard-month-csv"),
    path("news/", views.news_list, name="news"),
    path("news/feed.atom", views.news_feed, name="news-feed"),
    path("news/<int:pk>/", views.news_item, name="news-item"),
]
