from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("", views.todo_list, name="todo_list"),
]
