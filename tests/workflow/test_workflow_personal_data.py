"""Personal data by need in the workflow (issue #17): the applicant in full only to whoever
holds the case's current step (logged), documents only to staff of the case."""

from __future__ import annotations

import re

import pytest

from tests.workflow.conftest import token_for
from tests.workflow.test_workflow_cases import complete

pytestmark = pytest.mark.integration

NIK = "3510255508900001"
PHONE = "081234567890"
SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


def _open(client, auth) -> dict:
    resp = client.post("/cases", json={"sop": "ektp", "channel": "langsung", "applicant": {
        "name": "Siti Aminah", "nik": NIK, "phone": PHONE}}, headers=auth("petugas"))
    assert resp.status_code == 201, resp.json
    return resp.json  # type: ignore[no-any-return]


def _headers(role: str, username: str, section: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(role, username, section=section)}"}


def _access_log(queue_hall) -> list[dict]:
    resp = queue_hall.client.get("/api/queue/admin/access-log",
                                 headers=queue_hall.staff("admin"))
    assert resp.status_code == 200, resp.json
    return resp.json["entries"]  # type: ignore[no-any-return]


def test_the_holder_of_the_current_step_reads_the_applicant_in_full(client, auth, queue_hall):
    case = _open(client, auth)
    for headers in (auth("kasi"), auth("operator"), auth("camat"), auth("admin")):
        masked = client.get(f"/cases/{case['id']}", headers=headers)
        assert masked.status_code == 200
        assert not SIXTEEN_DIGITS.search(masked.get_data(as_text=True))
        assert PHONE not in masked.get_data(as_text=True)
        assert "nik" not in masked.json["applicant"]
        asked = client.get(f"/cases/{case['id']}?reveal=1", headers=headers)
        assert asked.status_code == 403 and asked.json["error"]["code"] == "not_step_holder"
        assert not SIXTEEN_DIGITS.search(asked.get_data(as_text=True))
    assert _access_log(queue_hall) == []

    # The case JSON never carries the full NIK unasked (issue #16), not even for the holder.
    plain = client.get(f"/cases/{case['id']}", headers=_headers("petugas", "petugas2"))
    assert "nik" not in plain.json["applicant"] and plain.json["applicant"]["nik_masked"]
    assert not SIXTEEN_DIGITS.search(plain.get_data(as_text=True))
    assert _access_log(queue_hall) == []
    bad = client.get(f"/cases/{case['id']}?reveal=semua", headers=auth("petugas"))
    assert bad.status_code == 422 and bad.json["error"]["field"] == "reveal"

    full = client.get(f"/cases/{case['id']}?reveal=1", headers=_headers("petugas", "petugas2"))
    assert full.json["applicant"]["nik"] == NIK and full.json["applicant"]["phone"] == PHONE
    [entry] = _access_log(queue_hall)
    assert entry["staff"] == "petugas2" and entry["service"] == "workflow"
    assert entry["record"] == {"kind": "case", "id": case["id"]}
    assert entry["reason"] == f"memegang langkah 1 kasus {case['id']}"

    # Step 1 done: step 2 is the Kasi Pemerintahan's; the petugas is masked again, and a Kasi
    # of another section is kept off the step.
    done = complete(client, auth, case["id"], "petugas")
    assert done.status_code == 200, done.json
    assert client.get(f"/cases/{case['id']}?reveal=1",
                      headers=auth("petugas")).status_code == 403
    other = _headers("kasi", "kasi_kesra", "Pemberdayaan Masyarakat dan Kesejahteraan Rakyat")
    assert client.get(f"/cases/{case['id']}?reveal=1", headers=other).status_code == 403
    mine = client.get(f"/cases/{case['id']}?reveal=1", headers=auth("kasi"))
    assert mine.json["applicant"]["nik"] == NIK
    assert [e["reason"] for e in _access_log(queue_hall)][0] == \
        f"memegang langkah 2 kasus {case['id']}"


def test_documents_are_downloaded_only_by_staff_of_the_case(client, auth):
    case = _open(client, auth)
    issued = client.post(f"/cases/{case['id']}/documents/tanda_terima", json={},
                         headers=auth("petugas"))
    assert issued.status_code == 201, issued.json
    url = f"/documents/{issued.json['id']}.pdf"
    for headers in (auth("operator"), _headers("kasi", "kasi_kesra", "Pemberdayaan "
                                               "Masyarakat dan Kesejahteraan Rakyat")):
        refused = client.get(url, headers=headers)
        assert refused.status_code == 403
        assert refused.json["error"]["code"] == "not_case_staff"
        assert "kasus" in refused.json["error"]["message"]
    # The one who issued it, the holder of the current step, the SOP's supervisors, admin.
    for headers in (auth("petugas"), _headers("petugas", "petugas3"), auth("camat"),
                    auth("sekcam"), auth("admin")):
        resp = client.get(url, headers=headers)
        assert resp.status_code == 200 and resp.data.startswith(b"%PDF")
    # Once the case reaches the operator's step, the operator is staff of it.
    assert complete(client, auth, case["id"], "petugas").status_code == 200
    assert complete(client, auth, case["id"], "kasi", decision="ya").status_code == 200
    assert client.get(url, headers=auth("operator")).status_code == 200
    assert client.get("/documents/999999.pdf", headers=auth("operator")).status_code == 404


def test_the_openapi_document_says_who_reads_in_full(client):
    spec = client.get("/openapi.json").json
    case = spec["paths"]["/cases/{case_id}"]["get"]
    assert "holds the case's current step" in case["description"]
    assert any(p["name"] == "reveal" for p in case["parameters"])
    assert "not_case_staff" in spec["paths"]["/documents/{document_id}.pdf"]["get"][
        "description"]


def test_a_complaints_contact_is_masked_but_for_the_step_holder(client, auth, queue_hall):
    sent = client.post("/complaints", json={"text": "Pelayanan lambat.", "name": "Dewi",
                                            "contact": {"phone": PHONE}})
    assert sent.status_code == 201
    case_id = next(c["id"] for c in client.get("/cases?status=open", headers=auth(
        "admin")).json["cases"] if c["tracking_code"] == sent.json["tracking_code"])
    as_kasi = client.get(f"/complaints/{case_id}", headers=auth("kasi"))
    assert as_kasi.json["reporter"]["name"] == "Dewi"
    assert as_kasi.json["reporter"]["contact"] == "+628•••••••890"  # kept as +62…
    case_as_kasi = client.get(f"/cases/{case_id}", headers=auth("kasi"))
    assert "1234567" not in case_as_kasi.get_data(as_text=True)
    assert case_as_kasi.json["applicant"]["contact"] == "+628•••••••890"
    assert _access_log(queue_hall) == []
    as_petugas = client.get(f"/complaints/{case_id}", headers=auth("petugas"))
    assert as_petugas.json["reporter"]["contact"] == "+6281234567890"
    [entry] = _access_log(queue_hall)
    assert entry["fields"] == ["contact"] and entry["record"]["id"] == case_id


def test_contacts_are_masked_whatever_their_kind():
    from workflow_service.privacy import mask_contact

    assert mask_contact("budi@contoh.id") == "b•••@contoh.id"
    assert mask_contact("b@contoh.id") == "b•••@contoh.id"
    assert mask_contact("+6281234567890") == "+628•••••••890"
    assert mask_contact(None) is None
