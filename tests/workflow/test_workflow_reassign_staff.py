"""Reassigning a step picks a person from the queue's staff list (issue #15), over real HTTP."""

from __future__ import annotations

import pytest

from tests.workflow.test_workflow_cases import complete

pytestmark = pytest.mark.integration

PEMERINTAHAN = "Tata Pemerintahan dan Ketertiban Umum"


@pytest.fixture
def wf(live_hall, settings, db):
    """The workflow app whose queue is the live hall (the staff list is read over HTTP)."""
    from sqlalchemy import select

    from queue_service.models import Staff
    from queue_service.seed import seed_demo
    from workflow_service.app import create_app

    seed_demo(settings)
    app = create_app(settings.model_copy(update={"public_url": live_hall}))
    app.config["TESTING"] = True
    with db.session() as session:
        ids = {s.username: s.id for s in session.scalars(select(Staff))}
    return app.test_client(), ids


def test_reassign_picks_a_kasi_of_the_steps_section_by_staff_id(wf, served, auth):
    client, ids = wf
    case_id = served("ektp")
    complete(client, auth, case_id, "petugas")  # step 2: the Kasi Pemerintahan's
    listed = client.get(f"/cases/{case_id}/steps/current/candidates", headers=auth("sekcam"))
    assert listed.status_code == 200, listed.json
    assert listed.json["section"] == {"code": "pemerintahan", "name": PEMERINTAHAN}
    assert [p["username"] for p in listed.json["staff"]] == ["kasi_pem"]

    # A Kasi of another section is not a candidate, nor an unknown id: 422 naming the field.
    for staff_id in (ids["kasi_kesra"], 999_999):
        refused = client.post(f"/cases/{case_id}/steps/current/reassign",
                              json={"staff_id": staff_id}, headers=auth("sekcam"))
        assert refused.status_code == 422, refused.json
        assert refused.json["error"]["field"] == "staff_id"
        assert refused.json["error"]["code"] == "unknown_staff"
    typed = client.post(f"/cases/{case_id}/steps/current/reassign",
                        json={"assignee": "siapa saja"}, headers=auth("sekcam"))
    assert typed.status_code == 422 and typed.json["error"]["field"] == "assignee"
    bad = client.post(f"/cases/{case_id}/steps/current/reassign", json={"staff_id": "kasi"},
                      headers=auth("sekcam"))
    assert bad.status_code == 422 and bad.json["error"]["field"] == "staff_id"
    assert client.get(f"/cases/{case_id}", headers=auth("sekcam")).json["current_step"][
        "assignee"] is None

    done = client.post(f"/cases/{case_id}/steps/current/reassign",
                       json={"staff_id": ids["kasi_pem"]}, headers=auth("sekcam"))
    assert done.status_code == 200, done.json
    assert done.json["current_step"]["assignee"] == "kasi_pem"
    assert done.json["log"][-1]["action"] == "reassign"


def test_a_petugas_may_not_reassign(wf, served, auth):
    client, ids = wf
    case_id = served("kk")
    refused = client.post(f"/cases/{case_id}/steps/current/reassign",
                          json={"staff_id": ids["petugas2"]}, headers=auth("petugas"))
    assert refused.status_code == 403
    listing = client.get(f"/cases/{case_id}/steps/current/candidates", headers=auth("petugas"))
    assert listing.status_code == 403
    # The petugas' own supervisor may: the step goes to another petugas from the list.
    listed = client.get(f"/cases/{case_id}/steps/current/candidates", headers=auth("kasi"))
    assert {p["username"] for p in listed.json["staff"]} >= {"petugas1", "petugas2"}
    assert all(p["username"].startswith("petugas") for p in listed.json["staff"])
    moved = client.post(f"/cases/{case_id}/steps/current/reassign",
                        json={"staff_id": ids["petugas2"]}, headers=auth("kasi"))
    assert moved.status_code == 200 and moved.json["current_step"]["assignee"] == "petugas2"


def test_a_step_nobody_holds_is_on_the_stuck_list(wf, served, auth, db):
    """The Kasi Pemerintahan moves to another section: e-KTP step 2 sits on nobody's desk."""
    from queue_service.models import Staff

    client, _ = wf
    case_id = served("ektp")
    complete(client, auth, case_id, "petugas")
    assert client.get("/cases/stuck", headers=auth("camat")).json["cases"] == []
    with db.session() as session:
        session.query(Staff).filter(Staff.username == "kasi_pem").one().section = "kesra"
    stuck = client.get("/cases/stuck", headers=auth("camat")).json["cases"]
    assert [(c["id"], c["stuck"]["reason"]) for c in stuck] == [(case_id, "unstaffed")]
    assert "Tidak ada petugas aktif" in stuck[0]["stuck"]["label"]
