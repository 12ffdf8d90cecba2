"""Kiosk controllers: NIK rules, registration flow, idempotent submit, idle wipe, offline."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx
import pytest
from stdnum.id import nik as stdnum_nik

from kiosk.api import ApiError, QueueClient, ServerUnreachable
from kiosk.controllers import Backoff, RegistrationFlow, check_nik, mask_nik
from kiosk.controllers.wording import duration_text, steps_lines
from kiosk.hardware.printer import PrinterFault
from kiosk.settings import KioskSettings, SettingsError

pytestmark = pytest.mark.unit

# Genteng, Banyuwangi (35 10 25); born 15-08-1990, female (+40 → 55); serial 0001.
VALID_NIK = "3510255508900001"

SERVICES = [
    {"code": "penerimaan-tamu", "name": "Penerimaan Tamu", "prefix": "A", "open": True},
    {"code": "pengaduan", "name": "Pengaduan Pelayanan Publik", "prefix": "B", "open": True},
    {"code": "ektp", "name": "Permohonan e-KTP", "prefix": "C", "open": True},
    {"code": "kk", "name": "Permohonan Kartu Keluarga", "prefix": "D", "open": False},
]


class FakeClient:
    def __init__(self, failures: int = 0, gate: threading.Event | None = None):
        self.calls: list[tuple[dict[str, Any], str]] = []
        self.failures = failures
        self.gate = gate
        self.entered = threading.Event()

    def services(self) -> list[dict[str, Any]]:
        if self.failures:
            self.failures -= 1
            raise ServerUnreachable("down")
        return SERVICES

    def issue_ticket(self, payload: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        self.calls.append((payload, idempotency_key))
        self.entered.set()
        if self.gate is not None:
            self.gate.wait(5)
        if self.failures:
            self.failures -= 1
            raise ServerUnreachable("down")
        return {"number": "C001", "service": payload["service"], "service_name": "Permohonan e-KTP",
                "people_ahead": 0, "nik_masked": mask_nik(payload["visitor"]["nik"]),
                "status_url": "http://127.0.0.1:8000/api/queue/tickets/X"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def ready_flow(client: FakeClient | None = None, **kwargs: Any) -> RegistrationFlow:
    flow = RegistrationFlow(client or FakeClient(), **kwargs)
    flow.load_services()
    assert flow.choose_service("ektp")
    flow.visitor.name = "Siti Aminah"
    flow.visitor.nik = VALID_NIK
    flow.visitor.consent = True
    return flow


# -- NIK rules ------------------------------------------------------------------------------

def test_example_nik_is_valid_for_stdnum_and_for_the_kiosk() -> None:
    assert stdnum_nik.validate(VALID_NIK) == VALID_NIK
    feedback = check_nik(VALID_NIK)
    assert feedback.ok and feedback.kind == "ok"


@pytest.mark.parametrize(
    ("typed", "kind", "message"),
    [
        ("", "empty", "Ketik 16 digit NIK sesuai KTP"),
        ("351025550890", "too_short", "Kurang 4 digit lagi"),
        ("351025550890000", "too_short", "Kurang 1 digit lagi"),
        ("35102555089000012", "too_long", "NIK terlalu panjang: lebih 1 digit (harus 16 digit)"),
        ("3510-2555", "not_digits", "NIK hanya boleh berisi angka"),
        ("35102555O8900001", "not_digits", "NIK hanya boleh berisi angka"),
        ("99", "invalid_province", "Kode provinsi 99 tidak dikenal — periksa 2 digit pertama"),
        ("3599255508900001", "invalid_regency",
         "Kode kabupaten/kota 3599 tidak dikenal — periksa 4 digit pertama"),
        ("351025321390", "invalid_birth_date",
         "Tanggal lahir pada NIK tidak valid — periksa digit ke-7 s.d. 12"),
        ("3510253208900001", "invalid_birth_date",
         "Tanggal lahir pada NIK tidak valid — periksa digit ke-7 s.d. 12"),
    ],
)
def test_nik_mistakes_get_a_clear_indonesian_message(typed: str, kind: str, message: str) -> None:
    feedback = check_nik(typed)
    assert not feedback.ok
    assert (feedback.kind, feedback.message) == (kind, message)
    if len(typed) == 16 and typed.isdigit():
        # stdnum checks the province only; the kiosk also checks the regency (same stdnum data).
        assert stdnum_nik.is_valid(typed) is (kind == "invalid_regency")


def test_nik_feedback_is_live_while_typing() -> None:
    messages = [check_nik(VALID_NIK[:n]).message for n in (1, 4, 12, 15, 16)]
    assert messages == ["Kurang 15 digit lagi", "Kurang 12 digit lagi", "Kurang 4 digit lagi",
                        "Kurang 1 digit lagi", "NIK sesuai format"]


def test_nik_feedback_in_english() -> None:
    assert check_nik("3510", "en").message == "12 more digits"


def test_mask_nik_keeps_first_and_last_four() -> None:
    assert mask_nik(VALID_NIK) == "3510\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u20220001"


# -- validation and payload -----------------------------------------------------------------

def test_visitor_validation_names_the_field_in_indonesian() -> None:
    flow = ready_flow()
    flow.visitor.name = ""
    flow.visitor.nik = "3510"
    flow.visitor.phone = "12ab"
    flow.visitor.consent = False
    errors = flow.validate()
    assert errors == {
        "visitor.name": "Nama: wajib diisi",
        "visitor.nik": "NIK: Kurang 12 digit lagi",
        "visitor.phone": "Nomor HP: 9–15 angka, diawali 0 atau +62",
        "visitor.consent": "Persetujuan: wajib dicentang untuk melanjutkan (UU 27/2022)",
    }
    flow.visitor.name = "R2D2"
    assert flow.validate_visitor()["visitor.name"].startswith("Nama: hanya huruf")


def test_closed_service_cannot_be_chosen() -> None:
    flow = RegistrationFlow(FakeClient())
    flow.load_services()
    assert not flow.choose_service("kk")
    assert flow.errors == {"service": "Layanan: layanan ini sedang tutup"}


def test_payload_for_a_plain_service() -> None:
    flow = ready_flow()
    flow.visitor.name = "  Siti   Aminah "
    flow.visitor.phone = "0812-3456-7890"
    flow.visitor.priority = "lansia"
    assert flow.validate() == {}
    assert not flow.needs_questions
    assert flow.build_payload() == {
        "service": "ektp",
        "visitor": {"name": "Siti Aminah", "nik": VALID_NIK, "phone": "081234567890",
                    "consent": True},
        "priority": "lansia",
        "details": {},
    }


def test_guest_payload_registers_the_group_leader() -> None:
    flow = ready_flow()
    assert flow.choose_service("penerimaan-tamu") and flow.needs_questions
    assert flow.validate_details() == {
        "details.purpose": "Keperluan: wajib dipilih",
        "details.meet": "Ingin bertemu: wajib dipilih",
    }
    flow.details.update(purpose="Undangan", meet="Camat", institution=" Desa  Kaligondo ",
                        group_size=3)
    assert flow.validate() == {}
    payload = flow.build_payload()
    assert payload["service"] == "penerimaan-tamu"
    assert payload["visitor"]["nik"] == VALID_NIK  # one ID: the leader's
    assert payload["details"] == {"purpose": "Undangan", "meet": "Camat",
                                  "institution": "Desa Kaligondo", "group_size": 3}
    flow.details["group_size"] = 0
    assert flow.validate_details() == {"details.group_size": "Jumlah rombongan: 1 sampai 50 orang"}


def test_complaint_payload_and_messages() -> None:
    flow = ready_flow()
    assert flow.choose_service("pengaduan")
    flow.details["description"] = "lama"
    assert flow.validate_details() == {
        "details.category": "Jenis pengaduan: wajib dipilih",
        "details.description": "Isi pengaduan: minimal 10 huruf",
    }
    flow.details.update(category="Pelayanan lambat", description="Antrean KTP lama sekali.")
    assert flow.build_payload()["details"] == {"category": "Pelayanan lambat",
                                              "description": "Antrean KTP lama sekali."}


# -- idempotent submit ----------------------------------------------------------------------

def test_double_tap_while_submitting_sends_one_request() -> None:
    gate = threading.Event()
    client = FakeClient(gate=gate)
    flow = ready_flow(client)
    first: list[Any] = []
    worker = threading.Thread(target=lambda: first.append(flow.submit()))
    worker.start()
    assert client.entered.wait(5)
    second = flow.submit()  # the impatient second tap
    gate.set()
    worker.join(5)
    assert second.status == "ignored"
    assert first[0].status == "issued"
    assert len(client.calls) == 1
    assert flow.submit().status == "ignored"  # a tap after the ticket is shown
    assert len(client.calls) == 1


def test_retry_after_server_unreachable_reuses_the_key() -> None:
    client = FakeClient()
    flow = ready_flow(client)
    client.failures = 2
    outcomes = [flow.submit() for _ in range(3)]
    assert [o.status for o in outcomes] == ["offline", "offline", "issued"]
    keys = {key for _, key in client.calls}
    assert len(client.calls) == 3 and len(keys) == 1
    assert flow.offline is False


def test_key_is_new_only_after_the_flow_is_reset() -> None:
    flow = ready_flow()
    key = flow.confirm()
    assert flow.confirm() == key
    flow.reset()
    assert flow.idempotency_key is None
    assert flow.confirm() != key


def test_invalid_form_is_not_sent() -> None:
    client = FakeClient()
    flow = ready_flow(client)
    flow.visitor.consent = False
    outcome = flow.submit()
    assert outcome.status == "invalid" and "visitor.consent" in outcome.errors
    assert client.calls == []


def test_server_rejection_shows_the_field_message() -> None:
    class Rejecting(FakeClient):
        def issue_ticket(self, payload: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
            raise ApiError("invalid_nik", "NIK tidak valid: wilayah", "visitor.nik", 422)

    flow = ready_flow(Rejecting())
    outcome = flow.submit()
    assert outcome.status == "rejected"
    assert outcome.errors == {"visitor.nik": "NIK tidak valid: wilayah"}


# -- idle and offline -----------------------------------------------------------------------

def test_idle_timeout_wipes_everything_typed() -> None:
    clock = Clock()
    flow = ready_flow(idle_seconds=60, clock=clock)
    flow.set_language("en")
    flow.visitor.phone = "081234567890"
    flow.details["x"] = 1
    flow.confirm()
    flow.touch()
    clock.now += 59
    assert not flow.idle_expired()
    assert flow.visitor.nik == VALID_NIK
    clock.now += 1
    assert flow.idle_expired()
    assert flow.is_empty()
    assert (flow.service, flow.visitor.name, flow.visitor.nik, flow.visitor.phone) == (
        None, "", "", "")
    assert flow.visitor.consent is False and flow.details == {}
    assert flow.idempotency_key is None and flow.language == "id"


def test_a_touch_postpones_the_idle_reset() -> None:
    clock = Clock()
    flow = ready_flow(idle_seconds=60, clock=clock)
    clock.now += 50
    flow.touch()
    clock.now += 50
    assert not flow.idle_expired()
    assert flow.visitor.name == "Siti Aminah"


def test_offline_catalog_retries_with_backoff_until_the_server_answers() -> None:
    flow = RegistrationFlow(FakeClient(failures=5), backoff=Backoff(initial=2, maximum=10))
    delays = [flow.load_services().retry_in for _ in range(5)]
    assert delays == [2, 4, 8, 10, 10]
    assert flow.offline
    assert flow.t("offline") == "Server tidak dapat dihubungi. Mencoba lagi…"
    assert flow.load_services().status == "loaded"
    assert not flow.offline and flow.backoff.attempts == 0


# -- printer faults reach staff -------------------------------------------------------------

class BrokenPrinter:
    def print_ticket(self, ticket: dict[str, Any], office: str) -> None:
        raise PrinterFault("offline", "connection refused")


def test_printer_fault_keeps_the_ticket_and_notifies_staff() -> None:
    notified: list[tuple[str, str]] = []
    flow = ready_flow(printer=BrokenPrinter(), notify_staff=lambda k, m: notified.append((k, m)))
    assert flow.submit().status == "issued"
    flow.print_ticket()
    assert flow.ticket is not None and flow.print_state == "fault"
    assert flow.printer_fault.kind == "offline"
    assert flow.t(flow.printer_fault.message_id) == (
        "Printer tidak terhubung. Tiket Anda tetap berlaku — silakan foto layar ini "
        "atau catat nomor Anda.")
    assert notified and notified[0][0] == "printer_offline"
    assert flow.staff_notified


# -- API client -----------------------------------------------------------------------------

def test_client_maps_errors_and_sends_the_key() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/api/queue/kiosk/faults":
            return httpx.Response(404, json={"error": {"code": "not_found", "message": "x"}})
        return httpx.Response(422, json={"error": {"code": "invalid_nik", "message": "NIK salah",
                                                   "field": "visitor.nik"}})

    client = QueueClient("http://kiosk.test", "tok", transport=httpx.MockTransport(handler))
    with pytest.raises(ApiError) as caught:
        client.issue_ticket({"service": "ektp"}, "key-1")
    assert (caught.value.code, caught.value.message, caught.value.field) == (
        "invalid_nik", "NIK salah", "visitor.nik")
    assert seen[0].headers["Idempotency-Key"] == "key-1"
    assert seen[0].headers["Authorization"] == "Bearer tok"
    assert client.notify_staff("printer_offline", "x") is False  # 404 is ignored
    assert json.loads(seen[-1].content) == {"code": "printer_offline", "detail": "x"}


def test_client_maps_connection_failures_to_server_unreachable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    client = QueueClient("http://kiosk.test", "tok", transport=httpx.MockTransport(handler))
    with pytest.raises(ServerUnreachable):
        client.services()
    client = QueueClient("http://127.0.0.1:9", "tok", timeout=1)  # nothing listens on discard
    with pytest.raises(ServerUnreachable):
        client.services()


# -- settings and catalog text --------------------------------------------------------------

def test_settings_defaults_and_strict_parsing() -> None:
    settings = KioskSettings.from_env({})
    assert (settings.server_url, settings.printer, settings.printer_port,
            settings.idle_seconds, settings.fullscreen, settings.language) == (
        "http://127.0.0.1:8000", "file", 9100, 60.0, False, "id")
    assert KioskSettings.from_env({"LOKET_KIOSK_FULLSCREEN": "yes"}).fullscreen is True
    for env, name in [
        ({"LOKET_KIOSK_FULLSCREEN": "maybe"}, "LOKET_KIOSK_FULLSCREEN"),
        ({"LOKET_KIOSK_PRINTER": "laser"}, "LOKET_KIOSK_PRINTER"),
        ({"LOKET_KIOSK_PRINTER": "network"}, "LOKET_KIOSK_PRINTER_HOST"),
        ({"LOKET_KIOSK_PRINTER_PORT": "ninety"}, "LOKET_KIOSK_PRINTER_PORT"),
        ({"LOKET_KIOSK_IDLE_SECONDS": "-1"}, "LOKET_KIOSK_IDLE_SECONDS"),
        ({"LOKET_KIOSK_LANGUAGE": "jv"}, "LOKET_KIOSK_LANGUAGE"),
        ({"LOKET_KIOSK_SERVER_URL": "ftp://x"}, "LOKET_KIOSK_SERVER_URL"),
    ]:
        with pytest.raises(SettingsError, match=name):
            KioskSettings.from_env(env)


def test_time_standards_in_words() -> None:
    assert duration_text("PT2M") == "2 menit"
    # one grammar for every time standard (sop.durations): a fraction is read, said whole
    assert duration_text("PT0.5H") == "30 menit"
    assert duration_text("PT1H30M", "en") == "1 hour 30 minutes"
    assert duration_text("P1Y") == ""  # not an SOP time standard: left out, never an error
    assert duration_text("P3D") == "3 hari kerja"
    assert duration_text(None) == "" and duration_text("seperlunya") == ""
    service = {"steps": [{"activity": "Verifikasi berkas", "time_standard": "PT2M"},
                         {"activity": "Penerimaan tamu", "time_standard": None}]}
    assert steps_lines(service) == ["1. Verifikasi berkas (2 menit)", "2. Penerimaan tamu"]
    # the catalog keeps the SOP document's line breaks inside an activity
    service = {"steps": [{"activity": "Pemohon mengajukan berkas\nPetugas menerima  berkas",
                          "time_standard": "PT2M"}]}
    assert steps_lines(service) == [
        "1. Pemohon mengajukan berkas Petugas menerima berkas (2 menit)"]
