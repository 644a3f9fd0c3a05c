from django.urls import path

from claimsportal.web import views

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("claims/<str:application_id>/", views.claim_detail, name="claim"),
]
