"""Playing audio/video in the page: one 调阅 entry per viewing, ranged requests for seeking."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse

from zhifa.cases.media import ByteRange, Unsatisfiable, parse_range
from zhifa.cases.models import Case

from .conftest import FileIn, World, entries_of
from .test_views import NOW, VIDEO, client_for, detail_url, investigated_with, late_video, text


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def play_url(case: Case, sha256: str) -> str:
    return reverse("case_media_play", kwargs={"pk": case.pk, "sha256": sha256})


def stream_src(page: str) -> str:
    match = re.search(r'<video[^>]* src="([^"]+)"', page)
    assert match, "the player page has a <video> element"
    return match.group(1).replace("&amp;", "&")


def streamed(response: Any) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def video_case(world: World, evidence_dir: Any) -> tuple[Case, FileIn]:
    video = late_video(world)
    return investigated_with(world, video), video


# -- the Range header -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-", ByteRange(0, 999)),
        ("bytes=0-0", ByteRange(0, 0)),
        ("bytes=100-199", ByteRange(100, 199)),
        ("bytes=900-5000", ByteRange(900, 999)),  # the end is clipped to the file
        ("bytes=999-", ByteRange(999, 999)),  # the last byte
        ("bytes=-100", ByteRange(900, 999)),  # the last 100 bytes
        ("bytes=-5000", ByteRange(0, 999)),
        ("bytes=0-1,5-6", None),  # several ranges: the whole file
        ("items=0-1", None),
        ("bytes=20-10", None),  # malformed: ignored
    ],
)
def test_a_single_byte_range_is_understood_and_anything_else_means_the_whole_file(
    header: str | None, expected: ByteRange | None
) -> None:
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=1000-2000", "bytes=-0"])
def test_a_range_beyond_the_end_is_unsatisfiable(header: str) -> None:
    with pytest.raises(Unsatisfiable):
        parse_range(header, 1000)


# -- playing ----------------------------------------------------------------------------------


def test_playing_records_one_viewing_and_the_player_fetches_ranges_without_more_entries(
    world: World, video_case: tuple[Case, FileIn]
) -> None:
    case, video = video_case
    client = client_for(world.p.officer2)
    before = len(entries_of(case))
    page = client.post(play_url(case, video.sha256))
    assert page.status_code == 200
    viewing = entries_of(case)[-1]
    assert len(entries_of(case)) == before + 1
    assert viewing.action == "evidence.view" and viewing.actor_name == "李执法"
    assert f"第 {viewing.seq} 条" in text(page)
    src = stream_src(text(page))

    whole = client.get(src)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert whole["Content-Type"] == "video/mp4" and streamed(whole) == VIDEO
    part = client.get(src, HTTP_RANGE="bytes=4-11")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 4-11/{len(VIDEO)}"
    assert part["Content-Length"] == "8" and streamed(part) == VIDEO[4:12]
    tail = client.get(src, HTTP_RANGE="bytes=-10")
    assert streamed(tail) == VIDEO[-10:]
    beyond = client.get(src, HTTP_RANGE=f"bytes={len(VIDEO)}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(VIDEO)}"
    assert len(entries_of(case)) == before + 1  # seeking is not another viewing


def test_the_stream_needs_a_grant_of_the_same_account_and_file(
    world: World, video_case: tuple[Case, FileIn]
) -> None:
    case, video = video_case
    src = stream_src(text(client_for(world.p.officer2).post(play_url(case, video.sha256))))
    bare = src.split("?")[0]
    refused = client_for(world.p.officer2).get(bare)
    assert refused.status_code == 403 and "播放凭证无效或已过期" in text(refused)
    forged = client_for(world.p.officer2).get(bare + "?grant=" + signing.dumps({"a": 1}))
    assert forged.status_code == 403
    # Another officer of the same agency cannot reuse the grant: it names the account.
    assert client_for(world.p.officer).get(src).status_code == 404


def test_a_grant_expires_after_four_hours(world: World, video_case: tuple[Case, FileIn]) -> None:
    case, video = video_case
    client = client_for(world.p.officer2)
    src = stream_src(text(client.post(play_url(case, video.sha256))))
    with time_machine.travel(NOW.timestamp() + 4 * 3600 - 1, tick=False):
        assert client.get(src).status_code == 200
    with time_machine.travel(NOW.timestamp() + 4 * 3600 + 1, tick=False):
        assert client.get(src).status_code == 403


def test_the_supervisor_may_play_the_video_and_the_viewing_names_the_supervisor(
    world: World, video_case: tuple[Case, FileIn]
) -> None:
    case, video = video_case
    client = client_for(world.p.supervisor)
    assert "在线播放" in text(client.get(detail_url(case)))
    page = client.post(play_url(case, video.sha256))
    assert page.status_code == 200
    viewing = entries_of(case)[-1]
    assert viewing.action == "evidence.view" and viewing.role == "supervisor"
    assert streamed(client.get(stream_src(text(page)))) == VIDEO


def test_playing_is_refused_to_another_agency_and_anonymous_and_only_for_audio_video(
    world: World, video_case: tuple[Case, FileIn], photo: Any
) -> None:
    case, video = video_case
    before = len(entries_of(case))
    assert client_for(world.p.officer_b).post(play_url(case, video.sha256)).status_code == 404
    anonymous = Client().post(play_url(case, video.sha256))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    assert client_for(world.p.officer).get(play_url(case, video.sha256)).status_code == 405
    photo_case = investigated_with(world, photo)
    assert client_for(world.p.officer).post(play_url(photo_case, photo.sha256)).status_code == 404
    assert len(entries_of(case)) == before
