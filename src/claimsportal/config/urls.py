from django.urls import include, path

from claimsportal.a2a.api import api as a2a_api
from claimsportal.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("a2a/v1/", a2a_api.urls),
    path("", include("claimsportal.web.urls")),
]
