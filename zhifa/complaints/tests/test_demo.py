from __future__ import annotations

import pytest

from zhifa.complaints.demo import load
from zhifa.complaints.models import Appointment, Complaint
from zhifa.complaints.selectors import complaints_replay_check
from zhifa.registry.demo import REFERENCE_DAY, city_load

pytestmark = pytest.mark.django_db


def test_the_demo_has_complaints_in_every_state_two_monitors_and_is_idempotent() -> None:
    city_load()
    result = load(today=REFERENCE_DAY)
    assert not result.already
    states = set(Complaint.objects.values_list("state", flat=True))
    assert states == {s.value for s in Complaint.State}
    assert Complaint.objects.filter(anonymous=True).count() >= 2
    assert Complaint.objects.filter(origin="hotline_12345").exists()
    assert Complaint.objects.filter(origin="external_supervisor").exists()
    assert Appointment.objects.count() == 2
    assert list(complaints_replay_check([])) == []
    assert load(today=REFERENCE_DAY).already
