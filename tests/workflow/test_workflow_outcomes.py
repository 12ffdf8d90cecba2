"""Each step offers exactly the outcomes its SOP declares; cases start from kiosk tickets."""

from __future__ import annotations

import pytest

from tests.workflow.test_workflow_cases import complete

pytestmark = pytest.mark.integration


def act(client, auth, case_id, action, role, **body):
    return client.post(f"/cases/{case_id}/steps/current/{action}", json=body,
                       headers=auth(role))


def test_rekomendasi_tidak_at_step_2_returns_the_file_and_resumes_at_step_1(served, client,
                                                                           auth):
    case_id = served("rekomendasi")
    assert complete(client, auth, case_id, "petugas").status_code == 200
    offered = client.get(f"/cases/{case_id}", headers=auth("kasi")).json["current_step"]
    assert offered["key"] == "2" and offered["decisions"] == ["ya", "tidak"]
    refused = complete(client, auth, case_id, "kasi", decision="tidak")
    assert refused.status_code == 200, refused.json
    step = refused.json["current_step"]
    assert step["key"] == "1" and step["state"] == "waiting_applicant"
    assert step["paused"] and step["actions"] == ["resubmit", "reassign", "cancel"]
    assert "Tidak disetujui" in step["reason"]
    decided = [s for s in refused.json["steps"] if s["key"] == "2"][0]
    assert decided["decision"] == "tidak"
    # The applicant brings the file back: step 1 runs again, then step 2 decides anew.
    assert act(client, auth, case_id, "resubmit", "petugas").status_code == 200
    assert complete(client, auth, case_id, "petugas").json["current_step"]["key"] == "2"
    agreed = complete(client, auth, case_id, "kasi", decision="ya")
    assert agreed.json["current_step"]["key"] == "3"


def test_kk_2_cannot_be_completed_without_a_decision(served, client, auth):
    case_id = served("kk")
    complete(client, auth, case_id, "petugas")
    missing = complete(client, auth, case_id, "kasi")
    assert missing.status_code == 422
    assert missing.json["error"]["field"] == "decision"
    assert "Keputusan wajib dipilih: ya / tidak" in missing.json["error"]["message"]
    wrong = complete(client, auth, case_id, "kasi", decision="mungkin")
    assert wrong.status_code == 422 and wrong.json["error"]["field"] == "decision"
    case = client.get(f"/cases/{case_id}", headers=auth("kasi")).json
    assert case["current_step"]["key"] == "2" and case["current_step"]["state"] == "active"
    assert complete(client, auth, case_id, "kasi", decision="ya").status_code == 200


def test_reject_is_refused_on_kk_4_and_return_where_the_sop_has_none(served, client, auth):
    case_id = served("kk")
    assert act(client, auth, case_id, "reject", "petugas",
               reason="x").json["error"]["code"] == "reject_not_allowed"
    for role, extra in (("petugas", {}), ("kasi", {"decision": "ya"}), ("operator", {})):
        assert complete(client, auth, case_id, role, **extra).status_code == 200
    case = client.get(f"/cases/{case_id}", headers=auth("petugas")).json
    assert case["current_step"]["key"] == "4"
    assert case["current_step"]["actions"] == ["complete", "reassign", "cancel"]
    rejected = act(client, auth, case_id, "reject", "petugas",
                   reason="Berkas ditolak Dinas")
    assert rejected.status_code == 409
    assert rejected.json["error"]["message"] == (
        "Menurut SOP, permohonan tidak dapat ditolak pada langkah ini.")
    returned = act(client, auth, case_id, "return", "petugas", reason="Kurang fotokopi")
    assert returned.status_code == 409
    assert "tidak dikembalikan ke pemohon" in returned.json["error"]["message"]
    resubmitted = act(client, auth, case_id, "resubmit", "petugas")
    assert resubmitted.status_code == 409
    after = client.get(f"/cases/{case_id}", headers=auth("petugas")).json
    assert after["status"] == "open" and after["current_step"]["state"] == "active"


def test_ektp_1_may_be_returned_to_the_applicant_as_the_document_says(served, client, auth):
    case_id = served("ektp")
    step = client.get(f"/cases/{case_id}", headers=auth("petugas")).json["current_step"]
    assert step["actions"] == ["complete", "return", "reassign", "cancel"]
    returned = act(client, auth, case_id, "return", "petugas", reason="Fotokopi KK kurang")
    assert returned.status_code == 200
    assert returned.json["current_step"]["state"] == "waiting_applicant"
