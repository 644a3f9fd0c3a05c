from django.urls import include, path

from claimsportal.a2a.api import OPERATION_NAMES, serve_operation
from claimsportal.a2a.api import api as a2a_api
from claimsportal.a2a.dispatch import claim_path_pattern
from claimsportal.core import views as core_views
from claimsportal.jobs import views as jobs_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("healthz/jobs", jobs_views.healthz_jobs, name="healthz-jobs"),
    # Every claims/{applicationId}/{name} path of the API in one regex match (see a2a.dispatch).
    claim_path_pattern(a2a_api, "a2a/v1/", serve_operation, OPERATION_NAMES),
    path("a2a/v1/", a2a_api.urls),
    path("", include("claimsportal.web.urls")),
]
