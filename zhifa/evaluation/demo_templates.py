"""The demo's scoring templates: the two shipped standards (``standard_templates``) installed
and published for the 示范市司法局, and a draft of the next version of the 处罚 standard being
edited, so that the template pages show a published version, its draft and the versions list.
Idempotent: a second run changes nothing."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from zhifa.registry.models import Account, Agency

from . import services_templates
from .models import Template
from .standard_templates import standard_templates_install

CITY_BODY = "示范市司法局"
PUBLISHED_ON = date(2026, 1, 5)  # before the 2026 campaigns


def load(today: date) -> list[str]:
    """Install the templates for the city's 司法局 (its supervisor ``supervisor``)."""
    body = Agency.objects.filter(name=CITY_BODY).first()
    sup = Account.objects.filter(username="supervisor", agency=body).first() if body else None
    if body is None or sup is None:
        return ["评查标准：未找到示范市司法局及其监督人员，跳过"]
    on = min(today, PUBLISHED_ON)
    with transaction.atomic():
        installed = standard_templates_install(sup, on)
        penalty = installed[-1]
        if penalty.version == 1 and penalty.status == Template.Status.PUBLISHED:
            services_templates.template_new_version(actor=sup, template=penalty, on=today)
    return [
        f"评查标准：{t.name}（第{t.version}版，{t.get_status_display()}）"
        for t in Template.objects.filter(owner=body).order_by("key", "version")
    ]
