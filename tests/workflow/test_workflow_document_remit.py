"""Documents within one's remit (#17): the SOP step's role, in the SOP step's state; a refused
issue takes no register number; a re-issue keeps the number and is recorded and listed."""

from __future__ import annotations

import subprocess

import pytest
from sqlalchemy import func, select

from tests.support import require_binary
from tests.workflow.test_workflow_cases import complete, open_case

pytestmark = pytest.mark.integration

APPLICANT = {"name": "Siti Aminah", "nik": "3510255508900001"}


def issue(client, auth, case_id, kind, role, **body):
    return client.post(f"/cases/{case_id}/documents/{kind}", json=body, headers=auth(role))


def reissue(client, auth, case_id, kind, role, **body):
    return client.post(f"/cases/{case_id}/documents/{kind}/reissue", json=body,
                       headers=auth(role))


def register_and_documents(db):
    from workflow_service.models import Document, DocumentRegister

    with db.session() as session:
        registers = {(r.kind, r.last_number) for r in session.scalars(select(DocumentRegister))}
        return registers, session.scalar(select(func.count()).select_from(Document))


def pdf_text(client, auth, doc, role="petugas"):
    body = client.get(f"/documents/{doc['id']}.pdf", headers=auth(role)).data
    out = subprocess.run([require_binary("pdftotext"), "-", "-"], input=body,
                         capture_output=True, check=True).stdout.decode("utf-8")
    return " ".join(out.split())


def test_a_rekomendasi_before_signing_is_refused_and_takes_no_number(served, client, auth,
                                                                     db):
    case_id = served("rekomendasi")  # a kiosk ticket served at Loket 4
    before = register_and_documents(db)
    for role, extra in (("petugas", {}), ("kasi", {"decision": "ya"}), (None, {})):
        # At step 1, at step 2, and at step 3 itself: not before the Camat/Sekcam signed.
        for who in ("camat", "sekcam", "petugas"):
            refused = issue(client, auth, case_id, "rekomendasi", who)
            assert refused.status_code == 409, refused.json
            assert refused.json["error"] == {
                "code": "document_not_ready", "field": "kind",
                "message": "Surat rekomendasi baru dapat diterbitkan setelah langkah 3 "
                           "(Camat/Sekcam) selesai.",
                "request_id": refused.json["error"]["request_id"]}
        if role:
            assert complete(client, auth, case_id, role, **extra).status_code == 200
    assert register_and_documents(db) == before  # no number taken, no row
    assert complete(client, auth, case_id, "camat").status_code == 200  # signed
    by_petugas = issue(client, auth, case_id, "rekomendasi", "petugas")
    assert by_petugas.status_code == 403
    assert by_petugas.json["error"]["code"] == "outside_remit"
    assert by_petugas.json["error"]["message"] == (
        "Surat rekomendasi diterbitkan oleh Camat/Sekcam (langkah 3); peran Anda (Petugas) "
        "tidak berwenang.")
    signed = issue(client, auth, case_id, "rekomendasi", "camat")
    assert signed.status_code == 201, signed.json
    assert signed.json["number"].startswith("400/001/429.518/")  # the first number of the year
    assert signed.json["version"] == 1 and signed.json["created_by"] == "camat1"


@pytest.mark.parametrize(("kind", "role"), [
    ("tanda_terima", "camat"), ("tanda_terima", "kasi"), ("tanda_terima", "admin"),
    ("tanda_terima", "operator")])
def test_issuing_by_the_wrong_role_is_refused(client, auth, db, kind, role):
    case = open_case(client, auth, "ektp", applicant=APPLICANT)
    before = register_and_documents(db)
    refused = issue(client, auth, case["id"], kind, role)
    assert refused.status_code == 403, refused.json
    assert refused.json["error"]["code"] == "outside_remit"
    assert refused.json["error"]["field"] == "kind"
    assert "Tanda terima berkas diterbitkan oleh Petugas" in refused.json["error"]["message"]
    assert register_and_documents(db) == before


def test_the_disposisi_is_issued_at_its_steps_only(client, auth):
    case = open_case(client, auth, "pengaduan", subject="Jalan rusak")
    early = issue(client, auth, case["id"], "lembar_disposisi", "petugas")
    assert early.status_code == 409 and early.json["error"]["code"] == "document_not_ready"
    assert "langkah 2b atau langkah 2c" in early.json["error"]["message"]
    for _ in range(3):  # 1, 1b, 2: the case reaches 2b (the petugas reports by disposisi)
        assert complete(client, auth, case["id"], "petugas").status_code == 200
    by_kasi = issue(client, auth, case["id"], "lembar_disposisi", "kasi")
    assert by_kasi.status_code == 403 and by_kasi.json["error"]["code"] == "outside_remit"
    issued = issue(client, auth, case["id"], "lembar_disposisi", "petugas",
                   classification="pengaduan", forward_to="Camat")
    assert issued.status_code == 201 and issued.json["number"].startswith("065/001/")


def test_a_cancelled_case_gets_no_document(client, auth, db):
    case = open_case(client, auth, "ektp", applicant=APPLICANT)
    cancelled = client.post(f"/cases/{case['id']}/steps/current/cancel",
                            json={"reason": "Pemohon membatalkan"}, headers=auth("petugas"))
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    before = register_and_documents(db)
    refused = issue(client, auth, case["id"], "tanda_terima", "petugas")
    assert refused.status_code == 409 and refused.json["error"]["code"] == "case_closed"
    assert refused.json["error"]["message"] == (
        "Kasus ini sudah dibatalkan; tanda terima berkas tidak dapat diterbitkan.")
    assert register_and_documents(db) == before


def test_a_reissue_keeps_the_number_and_is_recorded_and_listed(client, auth, db):
    case = open_case(client, auth, "ektp", applicant=APPLICANT)
    first = issue(client, auth, case["id"], "tanda_terima", "petugas")
    assert first.status_code == 201 and first.json["number"].startswith("TT/001/")
    before = register_and_documents(db)
    # Issuing again is not a silent second number.
    twice = issue(client, auth, case["id"], "tanda_terima", "petugas")
    assert twice.status_code == 409 and twice.json["error"]["code"] == "document_already_issued"
    assert first.json["number"] in twice.json["error"]["message"]
    # A re-issue needs a reason, the producing step's role, and an earlier issue.
    for body, field in (({}, "reason"), ({"reason": "   "}, "reason"), ({"reason": "ab"}, "reason"),
                        ({"reason": 5}, "reason"), ({"reason": "x" * 501}, "reason")):
        bad = reissue(client, auth, case["id"], "tanda_terima", "petugas", **body)
        assert bad.status_code == 422 and bad.json["error"]["field"] == field, body
    wrong = reissue(client, auth, case["id"], "tanda_terima", "kasi", reason="Kertas rusak")
    assert wrong.status_code == 403 and wrong.json["error"]["code"] == "outside_remit"
    never = reissue(client, auth, case["id"], "surat_pengantar", "petugas",
                    reason="Kertas rusak")
    assert never.status_code == 409 and never.json["error"]["code"] in (
        "document_not_ready", "document_not_issued")
    assert register_and_documents(db) == before

    again = reissue(client, auth, case["id"], "tanda_terima", "petugas",
                    reason="Tanda terima hilang, pemohon meminta salinan")
    assert again.status_code == 201, again.json
    assert again.json["number"] == first.json["number"]  # the same register number
    assert (again.json["version"], again.json["replaces_id"]) == (2, first.json["id"])
    assert again.json["reason"] == "Tanda terima hilang, pemohon meminta salinan"
    assert again.json["created_by"] == "petugas1" and again.json["created_at"]
    registers, rows = register_and_documents(db)
    assert registers == before[0] and rows == before[1] + 1  # no number taken, one row more
    assert "Terbitan ulang (versi 2)" in pdf_text(client, auth, again.json)

    listed = client.get(f"/cases/{case['id']}/documents", headers=auth("petugas")).json
    assert [(d["number"], d["version"], d["reason"]) for d in listed["documents"]] == [
        (first.json["number"], 1, None),
        (first.json["number"], 2, "Tanda terima hilang, pemohon meminta salinan")]
    log = client.get(f"/cases/{case['id']}", headers=auth("petugas")).json["log"]
    entries = [(e["action"], e["actor"], e["role"], e["note"]) for e in log
               if e["action"].endswith("issue_document")]
    number = first.json["number"]
    assert entries == [
        ("issue_document", "petugas1", "petugas", f"tanda_terima {number} versi 1"),
        ("reissue_document", "petugas1", "petugas",
         f"tanda_terima {number} versi 2: Tanda terima hilang, pemohon meminta salinan")]
    # The register moved on only by first issues: the next case's receipt is TT/002.
    other = open_case(client, auth, "kk", applicant=APPLICANT)
    assert issue(client, auth, other["id"], "tanda_terima", "petugas").json["number"] \
        .startswith("TT/002/")
