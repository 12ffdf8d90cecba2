"""Complaint routing by classification and disposisi; the KK file sent to the Dinas and back;
the stuck list (issues #16, #19), each from a kiosk ticket served at a counter."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.workflow.test_workflow_cases import complete
from tests.workflow.test_workflow_desks import pdf_text

pytestmark = pytest.mark.integration

KESRA = "Pemberdayaan Masyarakat dan Kesejahteraan Rakyat"
PEMERINTAHAN = "Tata Pemerintahan dan Ketertiban Umum"


def to_step(client, auth, case_id, key):
    while (step := client.get(f"/cases/{case_id}", headers=auth("petugas")).json[
            "current_step"])["key"] != key:
        assert complete(client, auth, case_id, "petugas").status_code == 200, step


def desk(client, auth, username, section):
    cases = client.get("/cases?role=kasi&status=open",
                       headers=auth("kasi", username, section)).json["cases"]
    return [c["id"] for c in cases]


def test_the_classification_puts_the_disposisi_step_on_the_kasi_kesra_desk(served, client,
                                                                           auth):
    case_id = served("pengaduan")
    url = f"/cases/{case_id}/classification"
    for body, field in (({"kind": "keluhan", "topic": "kesejahteraan"}, "kind"),
                        ({"kind": "pengaduan", "topic": "cuaca"}, "topic"),
                        ({"kind": "pengaduan", "topic": "adminduk", "route": "dapur"}, "route")):
        refused = client.put(url, json=body, headers=auth("petugas"))
        assert refused.status_code == 422 and refused.json["error"]["field"] == field
    operator = client.put(url, json={"kind": "pengaduan", "topic": "kesejahteraan"},
                          headers=auth("operator"))
    assert operator.status_code == 403
    unchanged = client.get(f"/cases/{case_id}", headers=auth("petugas")).json
    assert unchanged["classification"] is None and unchanged["log"][-1]["action"] != "classify"
    classified = client.put(url, json={"kind": "pengaduan", "topic": "kesejahteraan"},
                            headers=auth("petugas"))
    assert classified.status_code == 200, classified.json
    assert classified.json["classification"]["route"] == "kesra"
    to_step(client, auth, case_id, "2c")
    step = client.get(f"/cases/{case_id}", headers=auth("petugas")).json["current_step"]
    assert step["role"] == "kasi" and step["section"] == {"code": "kesra", "name": KESRA}
    assert case_id in desk(client, auth, "kasi_kesra", KESRA)
    assert case_id not in desk(client, auth, "kasi_pem", PEMERINTAHAN)
    other = client.post(f"/cases/{case_id}/steps/current/complete",
                        json={"output": "Jawaban", "decision": "ya"},
                        headers=auth("kasi", "kasi_pem", PEMERINTAHAN))
    assert other.status_code == 403 and other.json["error"]["code"] == "other_section"
    late = client.put(url, json={"kind": "aspirasi", "topic": "adminduk"},
                      headers=auth("petugas"))
    assert late.status_code == 409
    done = client.post(f"/cases/{case_id}/steps/current/complete",
                       json={"output": "Bantuan sosial diproses", "decision": "ya"},
                       headers=auth("kasi", "kasi_kesra", KESRA))
    assert done.status_code == 200, done.json
    assert done.json["current_step"]["key"] == "2d"


def test_the_camat_forwards_a_complaint_to_the_kasi_kesra_by_lembar_disposisi(served, client,
                                                                              auth, db):
    from workflow_service.models import Escalation

    case_id = served("pengaduan")
    client.put(f"/cases/{case_id}/classification", json={"kind": "aspirasi", "topic": "lainnya"},
               headers=auth("petugas"))
    to_step(client, auth, case_id, "2c")
    assert client.get(f"/cases/{case_id}", headers=auth("camat")).json[
        "current_step"]["role"] == "camat"
    url = f"/cases/{case_id}/disposisi"
    body = {"forward_to": "kesra", "instruction": "Tindak lanjuti dan jawab pelapor.",
            "urgency": "segera", "notes": "Koordinasi dengan desa", "date": "2026-11-30"}
    assert client.post(url, json=body, headers=auth("petugas")).status_code == 403
    assert client.post(url, json=body, headers=auth("kasi")).status_code == 403
    for bad, field in (({**body, "instruction": " "}, "instruction"),
                       ({**body, "forward_to": "bupati"}, "forward_to"),
                       ({**body, "urgency": "kilat"}, "urgency"),
                       ({**body, "date": "30/11/2026"}, "date")):
        refused = client.post(url, json=bad, headers=auth("camat"))
        assert refused.status_code == 422 and refused.json["error"]["field"] == field
    assert client.get(f"/cases/{case_id}", headers=auth("camat")).json["dispositions"] == []
    written = client.post(url, json=body, headers=auth("camat"))
    assert written.status_code == 201, written.json
    [disposition] = written.json["dispositions"]
    assert disposition["forward_to"] == "kesra" and disposition["written_by"] == "camat1"
    assert disposition["agenda_number"].endswith("/429.518/2026")
    step = written.json["current_step"]
    assert step["role"] == "kasi" and step["section"]["code"] == "kesra"
    # Its reminder (75 %) now goes to the Kasi, no longer to the Camat.
    with db.session() as session:
        reminder = session.query(Escalation).filter(Escalation.step_id == step["id"],
                                                    Escalation.level == "reminder").one()
        assert reminder.target_roles == ["kasi"]
    assert written.json["log"][-1]["action"] == "disposisi"

    text = pdf_text(client, auth, case_id, "lembar_disposisi")
    for part in ("Tindak lanjuti dan jawab pelapor.", "Kasi " + KESRA, "Segera",
                 disposition["agenda_number"], "Koordinasi dengan desa", "camat1"):
        assert part in text, part
    done = client.post(f"/cases/{case_id}/steps/current/complete",
                       json={"output": "Jawaban dikirim", "decision": "ya"},
                       headers=auth("kasi", "kasi_kesra", KESRA))
    assert done.status_code == 200, done.json


def _kk_at_the_dinas(served, client, auth):
    case_id = served("kk")
    complete(client, auth, case_id, "petugas")
    complete(client, auth, case_id, "kasi", decision="ya")
    complete(client, auth, case_id, "operator")
    step = client.get(f"/cases/{case_id}", headers=auth("petugas")).json["current_step"]
    assert step["key"] == "4" and step["role"] == "kadis_dukcapil"
    return case_id


def test_the_kk_file_sent_to_the_dinas_and_back_has_its_own_clock(served, client, auth, db):
    from workflow_service.models_routing import Handoff

    case_id = _kk_at_the_dinas(served, client, auth)
    base = f"/cases/{case_id}/handoff"
    assert client.post(f"{base}/received", headers=auth("petugas")).status_code == 409
    assert client.post(f"{base}/sent", headers=auth("operator")).status_code == 403
    sent = client.post(f"{base}/sent", headers=auth("petugas", "petugas4"))
    assert sent.status_code == 200, sent.json
    [handoff] = sent.json["handoffs"]
    assert handoff["at_outside"] and handoff["sent_by"] == "petugas4"
    assert sent.json["current_step"]["assignee"] == "petugas4"
    assert client.post(f"{base}/sent", headers=auth("petugas")).status_code == 409
    assert client.get("/cases/stuck", headers=auth("camat")).json["cases"] == []

    # Five days at the Dinas: past its "3 hari" standard, on the stuck list.
    with db.session() as session:
        row = session.query(Handoff).one()
        row.sent_at = row.sent_at - dt.timedelta(days=8)
    stuck = client.get("/cases/stuck", headers=auth("camat")).json["cases"]
    assert [(c["id"], c["stuck"]["reason"]) for c in stuck] == [(case_id, "at_outside")]

    assert client.post(f"{base}/received", headers=auth("operator")).status_code == 403
    assert client.get(f"/cases/{case_id}", headers=auth("petugas")).json["handoffs"][0][
        "at_outside"]
    back = client.post(f"{base}/received", headers=auth("petugas", "petugas4"))
    assert back.status_code == 200, back.json
    [handoff] = back.json["handoffs"]
    assert handoff["received_by"] == "petugas4" and not handoff["at_outside"]
    assert handoff["seconds_outside"] >= 8 * 86400 and handoff["overdue"]
    assert back.json["current_step"]["key"] == "5"
    actions = [e["action"] for e in back.json["log"]]
    assert actions.index("sent") < actions.index("received")
    assert client.get("/cases/stuck", headers=auth("camat")).json["cases"] == []


def test_the_stuck_list_shows_a_step_past_its_deadline(served, client, auth, db):
    from workflow_service.models import Step

    case_id = served("ektp")
    assert client.get("/cases/stuck", headers=auth("sekcam")).json["cases"] == []
    with db.session() as session:
        for step in session.query(Step).filter(Step.case_id == case_id, Step.state == "active"):
            step.due_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    stuck = client.get("/cases/stuck", headers=auth("sekcam")).json["cases"]
    assert [(c["id"], c["stuck"]["reason"]) for c in stuck] == [(case_id, "overdue")]
    assert client.get("/cases/stuck").status_code == 401
    assert client.get("/cases/stuck", headers=auth("petugas")).status_code == 403


def test_the_reporters_category_is_offered_as_the_topic_and_every_topic_routes(client, auth):
    from sop import load_office

    office = load_office()
    categories = {c.value for q in office.service("pengaduan").questions if q.key == "category"
                  for c in q.choices}
    assert set(office.complaint_routing) == categories  # one route per kiosk category
    sent = client.post("/complaints", json={
        "text": "Bantuan sosial belum diterima.", "contact": {"email": "warga@contoh.id"},
        "category": "kesejahteraan"})
    assert sent.status_code == 201, sent.json
    [case] = client.get("/cases?sop=pengaduan", headers=auth("petugas")).json["cases"]
    detail = client.get(f"/cases/{case['id']}", headers=auth("petugas")).json
    assert detail["routing_options"]["suggested_topic"] == "kesejahteraan"
    assert detail["classification"] is None and detail["dispositions"] == []
