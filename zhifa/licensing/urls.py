from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("new/", views.licence_apply, name="licence_apply"),
    path("<int:pk>/", views.licence_workspace, name="licence_workspace"),
    path("<int:pk>/steps/<str:service>/", views.licence_step, name="licence_step"),
    path("<int:pk>/licence/<str:act>/", views.licence_act, name="licence_act"),
]
