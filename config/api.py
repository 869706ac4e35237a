"""The JSON API under /api/v1/ (token auth); its OpenAPI 3 schema at /api/v1/openapi.json."""

from ninja import NinjaAPI

from zhifa.registry.api import router as registry_router

api = NinjaAPI(
    title="zhifa API",
    version="1",
    description="行政执法平台接口：执法主体、执法人员、执法证件、权责清单。",
    urls_namespace="api",
)
api.add_router("/", registry_router)
