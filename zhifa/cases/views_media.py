"""Playing an audio/video record (执法音像记录) in the page, each viewing on the record.

Opening the player is a POST that appends one ``evidence.view`` entry (调阅) and hands out a
viewing grant: a signed token naming the account, the case, the file and that entry. The media
player then fetches the bytes in as many ranged requests as it needs with the grant; none of
them appends again, and a grant is good for ``ZHIFA_AV_VIEW_SECONDS`` (4 hours) and only for
the account it was issued to.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhifa.record.services import evidence_view
from zhifa.registry.models import Account
from zhifa.registry.web import request_account

from .access import CaseAction, access_case
from .media import ranged_response
from .models import Case
from .selectors import CaseFile, case_evidence_files

_SALT = "zhifa.cases.av-view"


def view_seconds() -> int:
    return int(getattr(settings, "ZHIFA_AV_VIEW_SECONDS", 4 * 3600))


def _audio_video(account: Account, pk: int, sha256: str) -> tuple[Case, CaseFile]:
    case = access_case(account, pk, CaseAction.PLAY)
    stored = case_evidence_files(case).get(sha256)
    if stored is None or not stored.is_audio_video:
        raise Http404  # not an audio/video record of this case
    return case, stored


@login_required
@require_POST
def case_media_play(request: HttpRequest, pk: int, sha256: str) -> HttpResponse:
    """Record the viewing (调阅) and show the player."""
    account = request_account(request)
    case, stored = _audio_video(account, pk, sha256)
    entry = evidence_view(
        actor_id=account.pk,
        actor_name=account.display_name or account.get_username(),
        role=account.role,
        evidence=stored.ref,
        case_id=case.pk,
    )
    grant = signing.dumps(
        {"a": account.pk, "c": case.pk, "s": stored.sha256, "e": entry.seq}, salt=_SALT
    )
    return render(
        request,
        "cases/media_player.html",
        {
            "case": case,
            "file": stored,
            "entry_seq": entry.seq,
            "grant": grant,
            "video": stored.media_type.startswith("video/"),
            "hours": view_seconds() // 3600,
        },
    )


@login_required
@require_GET
def case_media_stream(
    request: HttpRequest, pk: int, sha256: str
) -> HttpResponse | StreamingHttpResponse:
    """The bytes for the player, in ranges; only with a grant from ``case_media_play``."""
    account = request_account(request)
    try:
        grant = signing.loads(request.GET.get("grant", ""), salt=_SALT, max_age=view_seconds())
    except signing.BadSignature:
        return HttpResponse(
            _("播放凭证无效或已过期，请回到案件页面重新打开播放（每次调阅都记入全过程记录）"),
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    if grant != {"a": account.pk, "c": pk, "s": sha256, "e": grant.get("e")}:
        raise Http404
    _case, stored = _audio_video(account, pk, sha256)  # scope may have changed since the grant
    try:
        return ranged_response(request, stored.ref)
    except FileNotFoundError:
        raise Http404 from None
