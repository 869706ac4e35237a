"""The checks part's pages and API: the override report per template (how many files the record
proposed a mark for, how often reviewers overrode it) and a case's 系统预评 with its evidence
linked to the case's record entries and documents."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import reverse

from zhifa.cases.tests.conftest import World, bearer
from zhifa.evaluation.models import Campaign, File, Scoring, TeamMember, Template
from zhifa.evaluation.recording import record_rows
from zhifa.evaluation.scoring import parse_template
from zhifa.evaluation.selectors_checks import override_report, override_tally
from zhifa.supervision.tests.conftest import Bureau

from .conftest import publish_template, small_content


def checked_content() -> dict[str, Any]:
    content = small_content()
    content["sections"][1]["items"][1]["check"] = "service_in_time"  # B2
    content["sections"][0]["items"][1]["check"] = "file_reads_logged"  # A2 (never proposes)
    return content


def mark(proposed: Any, overridden: bool = False, reason: str = "") -> dict[str, Any]:
    return {
        "occurrences": 1 if overridden else 0,
        "deduction": None,
        "reason": reason,
        "proposed": proposed,
        "overridden": overridden,
        "override_reason": reason,
    }


def scored_files(b: Bureau, world: World, template: Template) -> list[File]:
    """A campaign with three files of decided cases, each scored by two reviewers (the scoring
    part's services make these; here they are written directly and recorded)."""
    with transaction.atomic():
        campaign = Campaign.objects.create(
            number="PC-2026-01",
            body=b.body,
            name="2026年行政处罚案卷评查",
            year=2026,
            decided_from=date(2026, 1, 1),
            decided_to=date(2026, 12, 31),
            starts_on=date(2026, 6, 1),
            ends_on=date(2026, 7, 31),
            sampling=Campaign.Sampling.CENSUS,
            state=Campaign.State.SCORING,
            created_by=b.sup1,
        )
        r1 = TeamMember.objects.create(
            campaign=campaign, account=b.sup1, name="甲", kind="supervisor", is_leader=True
        )
        r2 = TeamMember.objects.create(
            campaign=campaign, account=b.sup2, name="乙", kind="supervisor"
        )
        files = []
        for n in range(3):
            case = world.decided(fine=Decimal(20000 + n))
            files.append(
                File.objects.create(
                    campaign=campaign,
                    case=case,
                    agency=case.agency,
                    template=template,
                    origin=File.Origin.CENSUS,
                )
            )
        proposed = {"occurrences": 0}
        plans = [
            # file 0: both accept the proposal; file 1: one reviewer overrides it; file 2: no
            # proposal (the record could not tell), and a draft that must not count
            (mark(proposed), mark(proposed)),
            (mark(proposed), mark(proposed, True, "回执签收人非当事人")),
            (mark(None), None),
        ]
        rows: list[Any] = [campaign, r1, r2, *files]
        for f, (m1, m2) in zip(files, plans, strict=True):
            rows.append(
                Scoring.objects.create(
                    file=f,
                    reviewer=r1,
                    marks={
                        "items": {"B2": m1},
                        "vetoes": {"V1": {"hit": False, "proposed": {"hit": False}}},
                    },
                    state=Scoring.State.SIGNED,
                    signed_on=date(2026, 6, 10),
                )
            )
            rows.append(
                Scoring.objects.create(
                    file=f,
                    reviewer=r2,
                    marks={"items": {"B2": m2}} if m2 else {},
                    state=Scoring.State.SIGNED if m2 else Scoring.State.DRAFT,
                    signed_on=date(2026, 6, 11) if m2 else None,
                )
            )
        record_rows(b.sup1, "evaluation.template.create", rows)  # test fixture rows, recorded
    return files


def test_the_override_report_counts_proposals_and_overrides(bureau: Bureau, world: World) -> None:
    template = publish_template(bureau, content=checked_content())
    scored_files(bureau, world, template)
    report = override_report(bureau.sup1, template)
    rows = {r.code: r for r in report.rows}
    assert set(rows) == {"A2", "B2", "V1"}
    assert report.items_total == 5 and report.items_checked == 3
    assert report.files_scored == 3 and report.scorings_signed == 5  # the draft is left out
    b2 = rows["B2"]
    assert (b2.files_proposed, b2.scorings_proposed, b2.overridden) == (2, 4, 1)
    assert b2.override_rate == Decimal("25.0")
    assert b2.reasons == ["回执签收人非当事人"]
    assert rows["V1"].is_veto and rows["V1"].scorings_proposed == 3
    assert rows["A2"].scorings_proposed == 0 and rows["A2"].override_rate is None


def test_the_tally_is_pure_and_reads_only_checked_items() -> None:
    spec = parse_template(checked_content())
    rows, files, count = override_tally(
        spec, [(1, {"items": {"A1": mark(1, True, "x"), "B2": mark(1, True, "晚送达")}})]
    )
    by = {r.code: r for r in rows}
    assert "A1" not in by  # no check named: the reviewer's own item
    assert by["B2"].overridden == 1 and (files, count) == (1, 1)


def test_the_checks_page_lists_checks_and_the_template_report(
    client: Client, bureau: Bureau, world: World
) -> None:
    template = publish_template(bureau, content=checked_content())
    scored_files(bureau, world, template)
    client.force_login(bureau.sup1)
    page = client.get(reverse("evaluation_checks"), {"template": template.pk}).content.decode()
    assert "《行政处罚法》第四十二条" in page and "two_certified_officers" in page
    assert "决定书在期限内送达，送达回证在卷" in page
    assert "25.0%" in page and "回执签收人非当事人" in page
    assert client.get(reverse("evaluation_checks"), {"template": 999999}).status_code == 404


def test_officers_do_not_read_the_checks(client: Client, world: World) -> None:
    client.force_login(world.p.officer)
    assert client.get(reverse("evaluation_checks")).status_code == 403


def test_the_case_page_links_each_finding_to_the_record(
    client: Client, bureau: Bureau, world: World
) -> None:
    case = world.decided()
    client.force_login(bureau.sup1)
    url = reverse("evaluation_case_findings", kwargs={"case_id": case.pk})
    page = client.get(url, {"on": "2026-05-01"}).content.decode()
    assert "系统预评" in page and "依据截至2026-05-01" in page
    assert "执法人员不少于两人且持有覆盖该领域的有效执法证" in page
    detail = reverse("case_detail", kwargs={"pk": case.pk})
    assert f'href="{detail}#entry-' in page
    # the case page carries the anchors the links point to
    case_page = client.get(detail).content.decode()
    assert 'id="entry-' in case_page
    # an officer of the agency sees the case but not the proposals
    client.force_login(world.p.officer)
    assert client.get(url).status_code == 403


def test_the_api_gives_the_findings_and_the_report(bureau: Bureau, world: World) -> None:
    from zhifa.registry.services import api_token_issue

    template = publish_template(bureau, content=checked_content())
    files = scored_files(bureau, world, template)
    _, raw = api_token_issue(actor=bureau.sup1, name="测试")
    c = Client(headers={"Authorization": f"Bearer {raw}"})
    checks = c.get("/api/v1/evaluation/checks").json()
    assert {x["code"] for x in checks} >= {"prior_notice", "archived_in_time"}
    body = c.get(f"/api/v1/evaluation/checks/cases/{files[0].case_id}", {"on": "2026-05-01"}).json()
    found = {f["check"]: f for f in body["findings"]}
    assert found["two_certified_officers"]["passed"] is True
    assert found["two_certified_officers"]["evidence"][0]["seq"] is not None
    reports = c.get("/api/v1/evaluation/checks/overrides", {"template_id": template.pk}).json()
    b2 = next(r for r in reports[0]["rows"] if r["code"] == "B2")
    assert (b2["files_proposed"], b2["overridden"]) == (2, 1)
    every = c.get("/api/v1/evaluation/checks/overrides").json()
    assert [r["template_id"] for r in every] == [template.pk]
    officer = Client(headers=bearer(world.p.officer))
    assert officer.get("/api/v1/evaluation/checks").status_code == 403
