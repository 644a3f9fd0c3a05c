"""Public: the Executive Dashboard and the news; and the operator's pages under console/ (the
Administration section)."""

from __future__ import annotations

from django.urls import URLPattern, path

from claimsportal.web.publishing import operator, views

urlpatterns: list[URLPattern] = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<int:year>/", views.dashboard_year, name="dashboard-year"),
    path("dashboard/<int:year>.csv", views.dashboard_year_csv, name="dashboard-year-csv"),
    path("dashboard/<int:year>/<int:month>/", views.dashboard_month, name="dashboard-month"),
    path("dashboard/<int:year>/<int:month>.csv", views.dashboard_month_csv, name="dashboard-month-csv"),
    path("news/", views.news_list, name="news"),
    path("news/feed.atom", views.news_feed, name="news-feed"),
    path("news/<int:pk>/", views.news_item, name="news-item"),
    path("insurer-index/", views.insurer_index_versions, name="insurer-index"),
    path("insurer-index/v<int:number>.csv", views.insurer_index_csv, name="insurer-index-csv"),
    path("insurer-index/v<int:number>.xlsx", views.insurer_index_xlsx, name="insurer-index-xlsx"),
    # The operator's pages (the Administration section, like the rest of console/)
    path("console/dashboard/", operator.live_dashboard, name="console-dashboard"),
    path("console/dashboard.csv", operator.live_dashboard_csv, name="console-dashboard-csv"),
    path("console/news/", operator.news_admin, name="console-news"),
    path("console/news/<int:pk>/end/", operator.news_end, name="console-news-end"),
    path("console/maintenance/", operator.maintenance_admin, name="console-maintenance"),
    path(
        "console/maintenance/<int:pk>/cancel/", operator.maintenance_cancel, name="console-maintenance-cancel"
    ),
    path("console/insurer-index/", operator.insurer_index_admin, name="console-insurer-index"),
    path("console/insurer-index/check/", operator.insurer_index_check, name="console-insurer-index-check"),
]
