"""Issue #20: a "berkas siap diambil" message that kept failing is parked, and a supervisor sees
it on the settings page and sends it again — the real hall in a real Chromium, a real local
HTTP receiver as the WhatsApp gateway."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.workflow.reception_support import http_receiver
from workflow_service.usecases import ready_notice

pytestmark = pytest.mark.ui


def kk_case_at_handover(hall) -> dict:
    case = hall.api("POST", "/api/workflow/cases", "petugas1",
                    json={"sop": "kk", "channel": "langsung"}).json()
    added = hall.api("PUT", f"/api/workflow/cases/{case['id']}/applicant", "petugas1",
                     json={"name": "Budi Santoso", "contact": "0812-3456-7890"})
    assert added.status_code == 200, added.text
    for username, extra in (("petugas1", {}), ("kasi_pem", {"decision": "ya"}),
                            ("operator1", {}), ("petugas1", {})):
        done = hall.api("POST", f"/api/workflow/cases/{case['id']}/steps/current/complete",
                        username, json={"output": "selesai", **extra})
        assert done.status_code == 200, done.text
    return case


def test_a_supervisor_sees_a_parked_message_and_sends_it_again(hall, login, settings, db):
    case = kk_case_at_handover(hall)
    with http_receiver("LOKET_GATEWAY_URL") as gateway:
        gateway.status = 503
        failing = settings.model_copy(update={"gateway_url": os.environ["LOKET_GATEWAY_URL"],
                                              "notify_max_attempts": 1})
        with db.session() as session:
            assert ready_notice.queue_notices(session, failing) == 1
        assert ready_notice.deliver_due(db.session, settings=failing)["parked"] == 1

        page = login("sekcam")
        page.goto(hall.base + "/console/admin")
        row = page.locator("#ready-table tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(case["tracking_code"])
        expect(row).to_contain_text("WhatsApp/SMS")
        expect(row.locator("td.num")).to_have_text("1")
        expect(page.locator("#ready-empty")).to_be_hidden()

        gateway.status = 200
        row.locator("button").click()
        expect(page.locator("#flash")).to_contain_text("Pesan dijadwalkan ulang.")
        expect(row).to_have_count(0)
        expect(page.locator("#ready-empty")).to_be_visible()
        assert ready_notice.deliver_due(db.session, settings=failing)["sent"] == 1
        assert [r["to"] for r in gateway.received] == ["+6281234567890"] * 2
    assert page.js_errors == []
