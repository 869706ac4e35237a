from django.contrib.auth import views as auth_views
from django.urls import URLPattern, path

from . import views, views_discretion, views_logins
from .forms import LoginForm

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("check/", views.certificate_check, name="certificate_check"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("registry/logins/", views_logins.lockout_list, name="login_lockouts"),
    path("registry/logins/unlock/", views_logins.lockout_unlock, name="login_unlock"),
    path("workbench/", views.workbench, name="workbench"),
    path("registry/agencies/", views.agency_list, name="agency_list"),
    path("registry/agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("registry/officers/", views.officer_list, name="officer_list"),
    path("registry/officers/<int:pk>/", views.officer_detail, name="officer_detail"),
    path(
        "registry/certificates/<int:pk>/status/",
        views.certificate_status_change,
        name="certificate_status_change",
    ),
    path("registry/power-items/", views.power_item_list, name="power_item_list"),
    path("registry/power-items/<int:pk>/", views.power_item_detail, name="power_item_detail"),
    path(
        "registry/power-items/<int:pk>/publish/",
        views.power_item_publish,
        name="power_item_publish",
    ),
    path(
        "registry/power-items/<int:pk>/repeal/",
        views.power_item_repeal,
        name="power_item_repeal",
    ),
    path(
        "registry/power-items/<int:pk>/revise/",
        views.power_item_revise,
        name="power_item_revise",
    ),
    # -- issue 13: 裁量基准 entries with their range and parent (registry.views_discretion)
    path("registry/discretion/", views_discretion.discretion_list, name="registry_discretion_list"),
    path(
        "registry/discretion/new/",
        views_discretion.discretion_new,
        name="registry_discretion_new",
    ),
]
