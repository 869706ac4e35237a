"""The Content-Security-Policy header (django-csp), with the one exception the admin needs.

``settings.CONTENT_SECURITY_POLICY`` is strict everywhere — scripts, styles, fonts, images and
connections from zhifa's own origin only, so a page's script can only be a file under
``zhifa/static/js/`` (served by WhiteNoise), never an inline ``<script>``, an ``on…=`` attribute
or a ``style=""``. Django's admin writes one inline ``<style>`` on a change list without actions
(every list here: deletion is off), so under ``/admin/`` styles may also be inline; its scripts
stay as strict as everywhere else.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase

ADMIN_PREFIX = "/admin/"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            parts.update = {**(parts.update or {}), "style-src": ["'unsafe-inline'"]}
        return parts
