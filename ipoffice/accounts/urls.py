from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("me/", views.my_account, name="my-account"),
    path("requests/", views.pending_requests, name="pending-requests"),
    path("requests/<int:pk>/", views.decide_request, name="decide-request"),
]
