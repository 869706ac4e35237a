"""The record log's proof material under /api/v1/record/.

Anyone may fetch the public key, the latest signed head and consistency proofs: that is what
lets outsiders (witnesses, the public checking a published decision) hold the log to account.
Entries themselves hold personal data and are not served here; an inclusion proof names only
the entry's number and leaf hash, and needs an authenticated caller.
"""

from __future__ import annotations

from typing import Annotated

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from zhifa.core.api_errors import responses
from zhifa.core.api_types import MAX_ID
from zhifa.core.exceptions import InvalidField

from . import selectors
from .services import public_verifier_key

router = Router(tags=["全过程记录"])  # auth: the API's default (token, or session for GETs)


class HeadOut(Schema):
    size: int
    root_hash: str
    checkpoint: str
    signed_at: str


class InclusionProofOut(Schema):
    seq: int
    leaf_hash: str
    size: int
    root_hash: str
    proof: list[str]
    checkpoint: str


class ConsistencyParams(Schema):
    old: int = Field(ge=0, le=MAX_ID, description="较早的树的大小")
    new: int = Field(ge=0, le=MAX_ID, description="较晚的树的大小")


class ConsistencyProofOut(Schema):
    old: int
    new: int
    proof: list[str]


@router.get(
    "/public-key",
    auth=None,
    response=responses({}, 503),
    summary="日志签名公钥（C2SP/x-mod 验证者密钥格式）",
    openapi_extra={
        "responses": {"200": {"description": "公钥（文本）", "content": {"text/plain": {}}}}
    },
)
def public_key(request: HttpRequest) -> HttpResponse:
    return HttpResponse(public_verifier_key() + "\n", content_type="text/plain; charset=utf-8")


@router.get(
    "/heads/latest",
    auth=None,
    response=responses({200: HeadOut}, 404),
    summary="最新签名树头",
)
def head_latest(request: HttpRequest) -> HeadOut:
    head = selectors.latest_head()
    if head is None:
        raise Http404
    return HeadOut(
        size=head.size,
        root_hash=head.root_hash_hex,
        checkpoint=head.note,
        signed_at=head.signed_at.isoformat(),
    )


@router.get(
    "/entries/{seq}/proof",
    response=responses({200: InclusionProofOut}, 401, 404, 422),
    summary="记录的包含证明（对照签名树头）",
)
def entry_proof(
    request: HttpRequest,
    seq: Annotated[int, Path(ge=0, le=MAX_ID)],
    size: Annotated[int, Query(ge=1, le=MAX_ID)] | None = None,
) -> InclusionProofOut:
    entry = selectors.entry_by_seq(seq)
    if entry is None:
        raise Http404
    try:
        proof = selectors.inclusion_proof_for(entry, size)
    except LookupError as exc:
        raise Http404 from exc
    if proof is None:  # no signed head covers the entry yet
        raise Http404
    return InclusionProofOut(
        seq=entry.seq,
        leaf_hash=entry.leaf_hash_hex,
        size=proof.size,
        root_hash=proof.root_hash,
        proof=proof.proof,
        checkpoint=proof.checkpoint,
    )


@router.get(
    "/consistency",
    auth=None,
    response=responses({200: ConsistencyProofOut}, 422),
    summary="两个树头之间的一致性证明",
)
def consistency(request: HttpRequest, params: Query[ConsistencyParams]) -> ConsistencyProofOut:
    try:
        proof = selectors.consistency_proof_between(params.old, params.new)
    except ValueError as exc:
        raise InvalidField(_("树的大小无效：须满足 0 ≤ old ≤ new ≤ 日志大小"), field="new") from exc
    return ConsistencyProofOut(old=params.old, new=params.new, proof=proof)
