"""The real Kivy kiosk under Xvfb, driven by touches through whole flows, against the real
queue service (seeded demo hall) served over HTTP.

Each test runs ``kiosk_ui_driver.py`` in its own process (Kivy makes one window per process)
and reads back what the visitor saw as JSON; what the server issued is read back through the
queue API as an officer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.ui

REPO = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("kiosk_ui_driver.py")
SCREENSHOTS = REPO / "docs" / "screenshots"

LEADER_NIK = "3510251708850002"  # Genteng, Banyuwangi; born 17-08-1985, male
FLOWS: list[dict[str, Any]] = [
    {"service": "ektp", "name": "Siti Aminah", "nik": "3510255508900001",
     "phone": "081234567890", "priority": "lansia"},
    {"service": "kk", "name": "Ahmad Fauzi", "nik": "3510250101800003", "shots": False},
    {"service": "rekomendasi", "name": "Dewi Lestari", "nik": "3510254203950004",
     "priority": "ibu_hamil", "shots": False},
    {"service": "penerimaan-tamu", "name": "Budi Santoso", "nik": LEADER_NIK,
     "details": {"purpose": "Undangan", "meet": "Camat", "institution": "Desa Kaligondo",
                 "group_size": 3}},
    {"service": "pengaduan", "name": "Rina Wati", "nik": "3510256512000005",
     "details": {"category": "Pelayanan lambat",
                 "description": "Antrean KTP lama sekali, petugas belum datang."}},
]


def run_kiosk(tmp_path: Path, display: str, api: Any, scenario: dict[str, Any],
              **env_overrides: str) -> dict[str, Any]:
    scenario_path = tmp_path / "scenario.json"
    result_path = tmp_path / "result.json"
    scenario_path.write_text(json.dumps(scenario))
    env = {
        **os.environ,
        "DISPLAY": display,
        "KIVY_NO_ARGS": "1",
        "KIVY_WINDOW": "sdl2",
        "KIVY_HOME": str(tmp_path / "kivy-home"),
        "KIVY_NO_FILELOG": "1",
        "SDL_AUDIODRIVER": "dummy",
        "LOKET_KIOSK_SERVER_URL": api.base_url,
        "LOKET_KIOSK_TOKEN": api.token,
        "LOKET_KIOSK_FULLSCREEN": "false",
        "LOKET_KIOSK_LANGUAGE": "id",
        "LOKET_KIOSK_DATA_DIR": str(tmp_path / "kiosk-data"),  # voice cache, audio files
        "LOKET_KIOSK_AUDIO": "record",  # no speakers here: the prompts are kept as WAV files
        **env_overrides,
    }
    process = subprocess.run(
        [sys.executable, str(DRIVER), str(scenario_path), str(result_path)],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=240,
    )
    assert result_path.exists(), f"kiosk did not report:\n{process.stderr[-4000:]}"
    result = json.loads(result_path.read_text())
    assert result["errors"] == [], result["errors"][0] + process.stderr[-3000:]
    return result


def test_every_service_issues_a_ticket_the_visitor_sees(
        tmp_path, xvfb_display, queue_api, printer_listener) -> None:
    result = run_kiosk(
        tmp_path, xvfb_display, queue_api,
        {"screenshots": str(SCREENSHOTS), "english_shot": True, "flows": FLOWS},
        LOKET_KIOSK_PRINTER="network", LOKET_KIOSK_PRINTER_HOST="127.0.0.1",
        LOKET_KIOSK_PRINTER_PORT=str(printer_listener.port),
    )
    issued = queue_api.staff.tickets()  # the server's own record, oldest first
    # one ticket per flow although every confirm was double-tapped
    assert [t["service"] for t in issued] == [f["service"] for f in FLOWS]
    assert [f["number_shown"] for f in result["flows"]] == [t["number"] for t in issued]
    assert [t["number"] for t in issued] == ["C001", "D001", "E001", "A001", "B001"]
    for flow, seen, ticket in zip(FLOWS, result["flows"], issued, strict=True):
        assert seen["nik_feedback_partial"] == "Kurang 4 digit lagi"
        assert seen["nik_feedback"] == "NIK sesuai format"
        assert seen["consent_error"] == (
            "Persetujuan: wajib dicentang untuk melanjutkan (UU 27/2022)")
        masked = flow["nik"][:4] + "\u2022" * 8 + flow["nik"][-4:]
        assert seen["nik_shown"] == masked == ticket["nik_masked"]
        assert seen["qr_shown"] and not seen["printer_fault"]
        assert seen["printer_message"] == "Tiket sudah dicetak. Silakan ambil di bawah."
        assert seen["wiped"]
        assert ticket["status"] == "waiting"
        assert ticket["priority"] == flow.get("priority")
        assert ticket["visitor"]["name"] == flow["name"]
        assert ticket["visitor"]["consent"] is True
    assert issued[0]["visitor"]["phone_masked"] not in (None, "", "081234567890")
    assert issued[1]["visitor"]["phone_masked"] in (None, "")
    assert issued[3]["details"] == FLOWS[3]["details"]
    assert issued[4]["details"] == FLOWS[4]["details"]
    jobs = printer_listener.wait_for_jobs(5)
    assert len(jobs) == 5
    for job, ticket in zip(jobs, issued, strict=True):
        # the QR carries the server's status URL (its configured public base URL)
        status_path = f"/api/queue/tickets/{ticket['tracking_code']}"
        assert ticket["number"].encode() in job and status_path.encode() in job
    for name in ("welcome", "services", "requirements", "identity", "consent",
                 "questions-penerimaan-tamu", "questions-pengaduan", "confirm", "ticket"):
        assert (SCREENSHOTS / f"kiosk-{name}.png").stat().st_size > 10_000
    print(f"\nkiosk startup-to-welcome: {result['startup_seconds']:.2f} s")
    for seen in result["flows"]:
        print(f"kiosk {seen['service']}: tap-to-ticket {seen['tap_to_ticket_seconds']:.2f} s, "
              f"whole flow {seen['flow_seconds']:.2f} s")


def test_printer_fault_is_told_to_the_visitor_and_the_ticket_exists_once(
        tmp_path, xvfb_display, queue_api, printer_listener) -> None:
    port = printer_listener.port
    printer_listener.close()  # the printer is unplugged
    queue_api.set_service_open("rekomendasi", False)
    flow = {**FLOWS[0], "shots": False, "services_shot": "services-closed",
            "ticket_shot": "ticket-printer-fault"}
    result = run_kiosk(
        tmp_path, xvfb_display, queue_api,
        {"screenshots": str(SCREENSHOTS), "welcome_shot": False, "flows": [flow]},
        LOKET_KIOSK_PRINTER="network", LOKET_KIOSK_PRINTER_HOST="127.0.0.1",
        LOKET_KIOSK_PRINTER_PORT=str(port),
    )
    seen = result["flows"][0]
    assert seen["printer_fault"] is True
    assert seen["printer_message"].startswith(
        "Printer tidak terhubung. Tiket Anda tetap berlaku — silakan foto layar ini "
        "atau catat nomor Anda.")
    issued = queue_api.staff.tickets()
    assert [t["number"] for t in issued] == [seen["number_shown"]] == ["C001"]
    told = seen["printer_message"].split(" Petugas")[0]
    faults = queue_api.staff.faults()
    assert len(faults) == 1
    assert faults[0]["type"] == "kiosk.fault"
    assert faults[0]["fault"] == "printer_offline"
    assert faults[0]["detail"] == told
    assert faults[0]["device"]["label"]  # which kiosk it was


def test_idle_kiosk_returns_to_welcome_with_nothing_left(
        tmp_path, xvfb_display, queue_api) -> None:
    result = run_kiosk(tmp_path, xvfb_display, queue_api,
                       {"welcome_shot": False, "flows": [], "idle_check": True},
                       LOKET_KIOSK_PRINTER="none", LOKET_KIOSK_IDLE_SECONDS="2")
    assert result["idle_wiped"] is True
    assert 1.5 <= result["idle_reset_seconds"] <= 5
    assert queue_api.staff.tickets() == []


def test_closed_office_is_said_on_the_services_screen_and_nothing_can_be_chosen(
        tmp_path, xvfb_display, settings, queue_api) -> None:
    """Outside opening hours (enforced) every card is closed and the queue's message shown."""
    import datetime as dt
    import types
    from zoneinfo import ZoneInfo

    import time_machine

    from queue_service.app import create_app
    from tests.hall_server import RestartableServer
    from tests.queue.conftest import mounted

    strict = settings.model_copy(update={"enforce_opening_hours": True})
    server = RestartableServer(mounted(create_app(strict))).start()
    night = dt.datetime(2026, 11, 30, 21, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    try:
        api = types.SimpleNamespace(base_url=server.base_url, token=queue_api.token)
        with time_machine.travel(night, tick=True):  # the server's clock, in this process
            result = run_kiosk(tmp_path, xvfb_display, api,
                               {"screenshots": str(SCREENSHOTS), "welcome_shot": False,
                                "flows": [], "closed_check": True},
                               LOKET_KIOSK_PRINTER="none")
    finally:
        server.stop()
    assert result["closed_message"].startswith("Maaf, kantor sedang tutup; tiket antrean "
                                               "belum dapat diambil. Jam layanan: Senin–Kamis")
    assert result["closed_message"].endswith("Buka lagi Selasa, 1 Desember 07.30.")
    assert result["cards_open"] == [False] * 5
    assert result["screen_after_tap"] == "services"  # the visitor cannot start
    assert result["message_after_tap"] == result["closed_message"]
    assert queue_api.staff.tickets() == []


def test_offline_server_is_explained_and_the_kiosk_recovers_by_itself(
        tmp_path, xvfb_display, queue_api) -> None:
    queue_api.server.stop()  # the server is down when the kiosk starts
    marker = tmp_path / "offline-seen"
    scenario = {"screenshots": str(SCREENSHOTS), "welcome_shot": False,
                "offline_marker": str(marker), "flows": [{**FLOWS[2], "shots": False}]}
    (tmp_path / "scenario.json").write_text(json.dumps(scenario))
    env = {**os.environ, "DISPLAY": xvfb_display, "KIVY_NO_ARGS": "1", "KIVY_WINDOW": "sdl2",
           "KIVY_HOME": str(tmp_path / "kivy-home"), "KIVY_NO_FILELOG": "1",
           "SDL_AUDIODRIVER": "dummy", "LOKET_KIOSK_SERVER_URL": queue_api.base_url,
           "LOKET_KIOSK_TOKEN": queue_api.token, "LOKET_KIOSK_PRINTER": "none"}
    process = subprocess.Popen(
        [sys.executable, str(DRIVER), str(tmp_path / "scenario.json"),
         str(tmp_path / "result.json")],
        env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert marker.exists(), "the kiosk never showed the offline message"
        queue_api.server.start()  # the server comes back on the same address
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["errors"] == [], result["errors"][0] + stderr[-3000:]
    assert result["offline_message"] == "Server tidak dapat dihubungi. Mencoba lagi…"
    assert result["recovered_after_seconds"] < 40
    issued = queue_api.staff.tickets()
    assert [t["number"] for t in issued] == [result["flows"][0]["number_shown"]] == ["E001"]


def test_requirements_screen_shows_the_office_bring_list_once_an_admin_set_it(
        tmp_path, xvfb_display, queue_api) -> None:
    """Issue #15: the bring-list set through the admin API, no longer marked as an example."""
    import httpx

    base = queue_api.base_url
    password = next(s["password"] for s in queue_api.staff.demo["staff"]
                    if s["username"] == "admin")
    token = httpx.post(f"{base}/api/queue/auth/token",
                       json={"username": "admin", "password": password}).json()["token"]
    bring = ["KTP-el asli yang rusak", "Fotokopi Kartu Keluarga", "Surat pengantar desa"]
    resp = httpx.put(f"{base}/api/queue/admin/services/ektp", json={"bring": bring},
                     headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.text
    result = run_kiosk(tmp_path, xvfb_display, queue_api,
                       {"screenshots": str(SCREENSHOTS), "welcome_shot": False, "flows": [],
                        "requirements_check": "ektp"}, LOKET_KIOSK_PRINTER="none")
    assert result["bring_text"] == "\n".join(f"•  {item}" for item in bring)
    assert result["bring_is_demo"] is False
