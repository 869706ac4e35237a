"""An Atom feed per agency of its newest published decisions (Django's syndication framework).

Summaries are plain text (``type="text"``): a party's name such as ``A&B <测试>`` reaches the
feed reader as those characters, never as markup. Every ``<id>`` is an absolute URL
(RFC 4287 §4.2.6 requires an IRI; a relative one changes meaning with the reader's base).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import selectors
from .headings import decision_heading
from .highlight import EXCERPT_CHARS
from .models import Entry
from .services import KINDS

FEED_ITEMS = 50


class AgencyFeed:
    """The feed's subject: one agency that has published decisions; ``url`` is the feed's own
    absolute address, its permanent id."""

    def __init__(self, agency_id: int, name: str, url: str) -> None:
        self.agency_id = agency_id
        self.name = name
        self.url = url


class PlainTextAtom1Feed(Atom1Feed):
    """Atom whose entry summaries are declared plain text: Django's Atom1Feed declares them
    HTML, so a reader would render the markup a published text happens to contain."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item | {"description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


if TYPE_CHECKING:
    _FeedBase = Feed[Entry, AgencyFeed]  # generic only in django-stubs
else:
    _FeedBase = Feed


class AgencyDecisionsFeed(_FeedBase):
    feed_type = PlainTextAtom1Feed

    def get_object(self, request: HttpRequest, agency_id: int) -> AgencyFeed:
        name = selectors.agency_name(agency_id)
        if name is None:
            raise Http404
        url = request.build_absolute_uri(reverse("public_agency_feed", args=[agency_id]))
        return AgencyFeed(agency_id, name, url)

    def title(self, obj: AgencyFeed) -> str:
        return _("%(agency)s · 行政执法决定公示") % {"agency": obj.name}

    def subtitle(self, obj: AgencyFeed) -> str:
        return _("%(agency)s最新公示的行政执法决定") % {"agency": obj.name}

    def link(self, obj: AgencyFeed) -> str:
        return f"{reverse('public_search')}?agency={obj.agency_id}"

    def feed_guid(self, obj: AgencyFeed) -> str:
        return obj.url

    def items(self, obj: AgencyFeed) -> list[Entry]:
        return selectors.decisions_of_agency(obj.agency_id, limit=FEED_ITEMS)

    def item_title(self, item: Entry) -> str:
        return decision_heading(
            decision_number=item.decision_number, subject=item.subject, title=item.title
        )

    def item_description(self, item: Entry) -> str:
        kind = _(KINDS.get(item.kind, item.kind))
        body = item.body if len(item.body) <= EXCERPT_CHARS else item.body[:EXCERPT_CHARS] + "…"
        return f"{kind} · {item.subject} · {body}"

    def item_link(self, item: Entry) -> str:
        # Also the entry's <id>: the framework makes it absolute (no item_guid on purpose).
        return item.url

    def item_pubdate(self, item: Entry) -> datetime:
        return _midnight(item.published_on)

    def item_updateddate(self, item: Entry) -> datetime:
        return _midnight(item.published_on)

    def item_categories(self, item: Entry) -> list[str]:
        return [str(_(KINDS.get(item.kind, item.kind))), item.domain_name]
