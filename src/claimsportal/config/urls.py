from django.urls import include, path

from claimsportal.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("claimsportal.web.urls")),
]
