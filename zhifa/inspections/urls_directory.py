"""The directory part's pages under /inspections/: entities, 回避, plans, 综合查一次."""

from django.urls import URLPattern, path

from . import views_directory as v

urlpatterns: list[URLPattern] = [
    path("entities/", v.entity_list, name="inspections_entity_list"),
    path("entities/new/", v.entity_new, name="inspections_entity_new"),
    path("entities/<int:pk>/", v.entity_detail, name="inspections_entity_detail"),
    path("entities/<int:pk>/edit/", v.entity_edit, name="inspections_entity_edit"),
    path("entities/<int:pk>/conflicts/", v.conflict_new, name="inspections_conflict_new"),
    path(
        "entities/<int:pk>/conflicts/<int:conflict_pk>/end/",
        v.conflict_end,
        name="inspections_conflict_end",
    ),
    path("plans/", v.plan_list, name="inspections_plan_list"),
    path("plans/new/", v.plan_new, name="inspections_plan_new"),
    path("plans/publication/", v.plan_publication, name="inspections_plan_publication"),
    path("plans/<int:pk>/", v.plan_detail, name="inspections_plan_detail"),
    path("plans/<int:pk>/approve/", v.plan_approve, name="inspections_plan_approve"),
    path("plans/<int:pk>/publish/", v.plan_publish, name="inspections_plan_publish"),
    path("plans/<int:pk>/withdraw/", v.plan_withdraw, name="inspections_plan_withdraw"),
    path("joint/", v.joint_list, name="inspections_joint_list"),
    path("joint/agree/", v.joint_agree, name="inspections_joint_agree"),
    path("joint/decline/", v.joint_decline, name="inspections_joint_decline"),
    path("joint/rate/", v.joint_rate, name="inspections_joint_rate"),
    path("joint/<int:pk>/", v.joint_detail, name="inspections_joint_detail"),
]
