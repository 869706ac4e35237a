"""campaigns pages of the evaluation app."""

from django.urls import URLPattern, URLResolver, path

from . import views_campaigns as v

urlpatterns: list[URLPattern | URLResolver] = [
    path("campaigns/", v.campaign_list, name="evaluation_campaigns"),
    path("campaigns/new/", v.campaign_new, name="evaluation_campaign_new"),
    path("campaigns/<int:pk>/", v.campaign_detail, name="evaluation_campaign"),
    path(
        "campaigns/<int:pk>/members/", v.campaign_member_add, name="evaluation_campaign_member_add"
    ),
    path("campaigns/<int:pk>/draw/", v.campaign_draw, name="evaluation_campaign_draw"),
    path("campaigns/<int:pk>/submit/", v.campaign_submit, name="evaluation_campaign_submit"),
    path("my-files/", v.my_files, name="evaluation_my_files"),
    path("files/<int:pk>/score/", v.scoring_screen, name="evaluation_scoring"),
    path("files/<int:pk>/case/", v.file_case, name="evaluation_file_case"),
    path("files/<int:pk>/reconcile/", v.file_reconcile, name="evaluation_reconcile"),
]
