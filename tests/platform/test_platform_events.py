"""The outbox refuses personal data in event payloads."""

from __future__ import annotations

import pytest

from loket import events

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("payload", [
    {"ticket": {"number": "C007"}, "visitor": {"name": "Siti"}},
    {"ticket": {"number": "C007", "name": "Siti"}},
    {"case": {"nik": "3510255508900001"}},
    {"items": [{"phone": "0812"}]},
])
def test_personal_data_is_refused(payload):
    with pytest.raises(events.PersonalDataInEvent):
        events._check_payload(payload)


def test_counter_and_service_names_are_not_personal():
    events._check_payload({"counter": {"id": 1, "name": "Loket 1"},
                           "service": {"code": "ektp", "name": "Permohonan e-KTP"}})
