"""Roles as the documents write them: Camat/Sekcam signing, section-owned Kasi steps."""

from __future__ import annotations

import subprocess

import pytest

from tests.support import require_binary
from tests.workflow.test_workflow_cases import complete

pytestmark = pytest.mark.integration

KESRA = "Pemberdayaan Masyarakat dan Kesejahteraan Rakyat"
PEMERINTAHAN = "Tata Pemerintahan dan Ketertiban Umum"


def pdf_text(client, auth, case_id, kind, role="petugas"):
    issued = client.post(f"/cases/{case_id}/documents/{kind}", json={}, headers=auth(role))
    assert issued.status_code == 201, issued.json
    pdf = client.get(f"/documents/{issued.json['id']}.pdf", headers=auth("petugas")).data
    text = subprocess.run([require_binary("pdftotext"), "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode("utf-8")
    return " ".join(text.split())  # lines wrap where the page is narrow


def test_the_sekcam_signs_rekomendasi_step_3_and_the_letter_names_the_sekcam(served, client,
                                                                            auth):
    case_id = served("rekomendasi")
    complete(client, auth, case_id, "petugas")
    complete(client, auth, case_id, "kasi", decision="ya")
    step = client.get(f"/cases/{case_id}", headers=auth("sekcam")).json["current_step"]
    assert step["key"] == "3" and step["role"] == "camat" and step["delegates"] == ["sekcam"]
    signed = complete(client, auth, case_id, "sekcam")
    assert signed.status_code == 200, signed.json
    entry = [e for e in signed.json["log"] if e["action"] == "complete" and e["step"] == "3"]
    assert [(e["actor"], e["role"]) for e in entry] == [("sekcam1", "sekcam")]
    text = pdf_text(client, auth, case_id, "rekomendasi", "sekcam")  # the signer issues it
    assert "a.n. CAMAT GENTENG" in text and "SEKRETARIS KECAMATAN," in text
    assert "NAMA SEKRETARIS KECAMATAN (demo)" in text
    assert "FIRMAN SANYOTO" not in text


def test_the_camat_signing_step_3_signs_the_letter_as_camat(served, client, auth):
    case_id = served("rekomendasi")
    complete(client, auth, case_id, "petugas")
    complete(client, auth, case_id, "kasi", decision="ya")
    assert complete(client, auth, case_id, "camat").status_code == 200
    text = pdf_text(client, auth, case_id, "rekomendasi", "camat")
    assert "CAMAT GENTENG," in text and "FIRMAN SANYOTO" in text and "a.n." not in text


def test_an_ektp_verification_step_is_on_the_kasi_pemerintahan_desk_only(served, client,
                                                                        auth):
    case_id = served("ektp")
    complete(client, auth, case_id, "petugas")

    def desk(username, section):
        cases = client.get("/cases?role=kasi&status=open",
                           headers=auth("kasi", username, section)).json["cases"]
        return [c["id"] for c in cases]

    assert case_id in desk("kasi_pem", PEMERINTAHAN)
    assert case_id not in desk("kasi_kesra", KESRA)
    refused = client.post(f"/cases/{case_id}/steps/current/complete",
                          json={"output": "Diteliti", "decision": "ya"},
                          headers=auth("kasi", "kasi_kesra", KESRA))
    assert refused.status_code == 403 and refused.json["error"]["code"] == "other_section"
    assert "Seksi Tata Pemerintahan dan Ketertiban Umum" in refused.json["error"]["message"]
    # The Sekcam above every Kasi still sees it; the Kasi Pemerintahan decides.
    sekcam = client.get("/cases?role=kasi&status=open", headers=auth("sekcam")).json["cases"]
    assert case_id in [c["id"] for c in sekcam]
    step = client.get(f"/cases/{case_id}", headers=auth("kasi")).json["current_step"]
    assert step["section"] == {"code": "pemerintahan", "name": PEMERINTAHAN}
    done = client.post(f"/cases/{case_id}/steps/current/complete",
                       json={"output": "Diteliti", "decision": "ya"},
                       headers=auth("kasi", "kasi_pem", PEMERINTAHAN))
    assert done.status_code == 200, done.json


def test_a_kk_case_at_the_dinas_is_on_the_senders_worklist_and_the_external_list(served,
                                                                               client, auth):
    from tests.workflow.conftest import token_for

    case_id = served("kk")
    for role, extra in (("petugas", {}), ("kasi", {"decision": "ya"}), ("operator", {})):
        assert complete(client, auth, case_id, role, **extra).status_code == 200
    step = client.get(f"/cases/{case_id}", headers=auth("petugas")).json["current_step"]
    assert step["role"] == "kadis_dukcapil" and step["assignee"] == "operator1"  # who sent it

    def ids(url, role):
        return [c["id"] for c in client.get(url, headers=auth(role)).json["cases"]]

    assert case_id in ids("/cases?role=petugas&status=open", "petugas")
    assert case_id in ids("/cases?mine=1&status=open", "operator")
    external = client.get("/cases/external", headers=auth("camat")).json["cases"]
    assert [(c["id"], c["current_step"]["key"]) for c in external] == [(case_id, "4")]
    refused = client.get("/cases/external",
                         headers={"Authorization": f"Bearer {token_for('warga')}"})
    assert refused.status_code == 403
    # The signed KK comes back: the petugas records it and the case leaves the list.
    assert complete(client, auth, case_id, "petugas").status_code == 200
    assert client.get("/cases/external", headers=auth("camat")).json["cases"] == []


def test_the_guest_host_step_is_on_the_receptionist_desk(served, client, auth):
    case_id = served("penerimaan-tamu")
    for _ in range(3):  # 1, 2, 2b: the petugas receives the guest and shows the way
        assert complete(client, auth, case_id, "petugas").status_code == 200
    step = client.get(f"/cases/{case_id}", headers=auth("petugas")).json["current_step"]
    assert (step["key"], step["role"]) == ("2c", "tujuan")
    desk = client.get("/cases?role=petugas&status=open", headers=auth("petugas")).json["cases"]
    assert case_id in [c["id"] for c in desk]
    kasi = client.get("/cases?role=kasi&status=open", headers=auth("kasi")).json["cases"]
    assert case_id not in [c["id"] for c in kasi]
