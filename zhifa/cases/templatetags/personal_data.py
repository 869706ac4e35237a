"""``{{ text|masked:mask }}``: a free text as the reader may see it (cases.personal_data).

Pages that show texts an agency wrote about a case (a review round's facts and opinion, a crime
transfer's finding …) put the reader's ``party_mask`` in the context — None inside the agency —
and pass each text through this filter, so the one rule applies there too.
"""

from __future__ import annotations

from django import template

from zhifa.cases.personal_data import PartyMask

register = template.Library()


@register.filter
def masked(value: object, mask: PartyMask | None) -> object:
    if mask is None or not isinstance(value, str):
        return value
    return mask.text(value)
