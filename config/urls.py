from django.contrib import admin
from django.urls import include, path, re_path

from zhifa.core.views import healthz

from .api import api, api_not_found

# A request refused before any view (an upload cut off or too large) says why.
handler400 = "zhifa.core.views.bad_request"
# Errors in the site's layout, in Chinese: a refusal's reason (403), missing and not-yours alike
# (404), the request id of the log line (500) — templates in zhifa/templates.
handler500 = "zhifa.core.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),  # JSON 404 for any other path under /api/
    path("registry/transfer/", include("zhifa.registry.urls_transfer")),
    path("cases/approvals/", include("zhifa.approvals.urls")),
    path("cases/", include("zhifa.cases.urls")),
    path("licensing/", include("zhifa.licensing.urls")),
    path("public/licences/", include("zhifa.licensing.urls_public")),
    path("inspections/", include("zhifa.inspections.urls")),
    path("public/inspections/", include("zhifa.inspections.urls_public")),
    path("evaluation/", include("zhifa.evaluation.urls")),
    path("statistics/", include("zhifa.statistics.urls")),
    path("public/evaluation/", include("zhifa.evaluation.urls_public")),
    path("todos/", include("zhifa.todos.urls")),
    path("notifications/", include("zhifa.notifications.urls")),
    path("review/", include("zhifa.review.urls")),
    path("supervision/", include("zhifa.supervision.urls")),
    path("statistics/", include("zhifa.statistics.urls")),  # 行政执法统计 (issue 16)
    path("filings/", include("zhifa.filings.urls")),
    path("statistics/", include("zhifa.statistics.urls")),
    path("discretion/", include("zhifa.discretion.urls")),  # 裁量基准 applied (issue 13)
    path("public/decisions/", include("zhifa.publicity.urls")),
    # supervision results published by the supervisory bodies (issue 12, i12b)
    path("public/supervision-results/", include("zhifa.publicity.urls_results")),
    path("public/statistics/", include("zhifa.statistics.urls_public")),  # 年度数据公开 (issue 16)
    path("public/", include("zhifa.publicity.search.urls")),
    path("public/", include("zhifa.registry.urls_public")),
    path("publish/", include("zhifa.publicity.urls_publisher")),
    path("", include("zhifa.complaints.urls")),
    path("supervision/", include("zhifa.alerts.urls")),
    path("", include("zhifa.registry.urls")),
]
