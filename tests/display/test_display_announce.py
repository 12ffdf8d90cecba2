import io
import re
import socket
import wave

import pytest
from werkzeug.exceptions import NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.test import Client

from display import voice
from display.app import create_app
from voice import VoiceSettings, call_wav
from voice.audio import measure_wav
from voice.engines import LibraryEngine

pytestmark = pytest.mark.integration


def wav_info(data: bytes) -> tuple[int, int, int, float]:
    with wave.open(io.BytesIO(data), "rb") as w:
        return (
            w.getframerate(),
            w.getnchannels(),
            w.getsampwidth(),
            w.getnframes() / w.getframerate(),
        )


@pytest.fixture
def espeak_calls(monkeypatch):
    """Record every text the voice engine is asked to speak (the real engine still runs)."""
    calls: list[str] = []
    real = LibraryEngine.synthesize

    def spy(self, text, speed):
        calls.append(text)
        return real(self, text, speed)

    monkeypatch.setattr(LibraryEngine, "synthesize", spy)
    return calls


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the voice must not touch the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_announce_returns_a_spoken_call_as_wav(display_app, record_call, espeak_calls,
                                               no_network):
    call = record_call("C007", 2)
    response = display_app.test_client().get(f"/announce.wav?call={call}")
    assert response.status_code == 200
    assert response.mimetype == "audio/wav"
    rate, channels, width, seconds = wav_info(response.data)
    assert (rate, channels, width) == (22050, 1, 2)
    assert 3.0 <= seconds <= 12.0
    heard = measure_wav(response.data)
    assert heard.voiced_seconds > 2.5 and heard.rms > 1000
    # Offline, segment by segment, with the Indonesian names of letters and digits.
    assert espeak_calls == [
        "Nomor antrean", "ce", "nol", "tujuh", "silakan menuju loket", "dua"
    ]


def test_recall_repeats_the_phrase(display_app, record_call):
    client = display_app.test_client()
    called, recalled = record_call("C007", 2), record_call("C007", 2, recall=True)
    once = wav_info(client.get(f"/announce.wav?call={called}").data)[3]
    twice = wav_info(client.get(f"/announce.wav?call={recalled}").data)[3]
    assert twice > once + 1.5


def test_second_call_costs_no_synthesis(display_app, record_call, voice_settings, espeak_calls):
    client = display_app.test_client()
    call = record_call("A010", 12)
    first = client.get(f"/announce.wav?call={call}").data
    count = len(espeak_calls)
    second = client.get(f"/announce.wav?call={call}").data
    assert first == second
    assert len(espeak_calls) == count  # no synthesis the second time
    # Segments, not whole calls, are cached: A010 has five distinct texts plus "dua belas",
    # and the chime.
    assert count == 6
    assert len(list(voice_settings.cache_dir.glob("*.wav"))) == count + 1


def test_long_numbers_of_a_busy_day_are_spoken(display_app, record_call, espeak_calls):
    call = record_call("AB1234", 3)
    response = display_app.test_client().get(f"/announce.wav?call={call}")
    assert response.status_code == 200
    assert espeak_calls[1:7] == ["a", "be", "satu", "dua", "tiga", "empat"]


def test_volume_scales_the_call(tmp_path):
    loud = call_wav("B100", 3, VoiceSettings(volume=1.0, cache_dir=tmp_path))
    soft = call_wav("B100", 3, VoiceSettings(volume=0.3, cache_dir=tmp_path))
    assert measure_wav(soft).rms == pytest.approx(measure_wav(loud).rms * 0.3, rel=0.05)


def test_missing_engine_is_a_503_in_bahasa_indonesia(tmp_path, monkeypatch, settings,
                                                     record_call):
    monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng program to be found
    voice_settings = VoiceSettings(engine="program", cache_dir=tmp_path / "c")
    app = create_app({"VOICE_SETTINGS": voice_settings, "TESTING": True}, settings=settings)
    response = app.test_client().get(f"/announce.wav?call={record_call('C007', 2)}")
    assert response.status_code == 503
    assert response.json["error"]["code"] == "voice_unavailable"
    assert response.json["error"]["message"] == "Suara pengumuman sedang tidak tersedia."


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("number=C7&counter=2", "number"),
        ("number=ABC001&counter=2", "number"),
        ("number=C0070070&counter=2", "number"),
        ("number=Budi&counter=2", "number"),
        ("number=C007&counter=100", "counter"),
        ("number=C007", "counter"),
    ],
)
def test_bad_announce_parameters_get_a_422(display_app, query, field, espeak_calls):
    response = display_app.test_client().get(f"/announce.wav?{query}")
    assert response.status_code == 422
    error = response.json["error"]
    assert error["field"] == field
    assert error["code"].startswith(("invalid_", "missing_"))
    assert "tidak valid" in error["message"] or "wajib" in error["message"]
    assert error["request_id"]
    assert espeak_calls == []


def test_healthz(display_app):
    response = display_app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_unknown_path_is_json_404(display_app):
    response = display_app.test_client().get("/nope")
    assert response.status_code == 404
    assert response.json["error"]["message"] == "Halaman tidak ditemukan."
    # Loket's one error shape (loket.web), the same as the queue's and the workflow's
    assert set(response.json["error"]) == {"code", "message", "field", "request_id"}
    assert response.json["error"]["code"] == "not_found" and response.headers["X-Request-ID"]


def test_page_mounted_at_display_uses_local_assets_and_passes_the_filter(display_app):
    root = DispatcherMiddleware(NotFound(), {"/display": display_app})
    client = Client(root)
    response = client.get("/display/?services=ektp,kk")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'lang="id"' in html
    assert 'data-services="ektp,kk"' in html
    assert 'data-announce-url="/display/announce.wav"' in html
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert refs and all(ref.startswith("/display/static/") for ref in refs)
    for ref in refs:
        asset = client.get(ref)
        assert asset.status_code == 200, ref
        body = asset.get_data(as_text=True)
        # Offline hall: no CDN, no web fonts, nothing fetched from the internet.
        assert "https://" not in body and "@import" not in body and "@font-face" not in body
        asset.close()


def test_bad_service_filter_is_422(display_app):
    response = display_app.test_client().get("/?services=ektp,%3Cscript%3E")
    assert response.status_code == 422
    assert response.json["error"]["field"] == "services"


def test_bad_env_setting_stops_the_app(monkeypatch):
    monkeypatch.setenv("LOKET_VOICE_REPEAT", "9")
    with pytest.raises(voice.VoiceSettingsError, match="LOKET_VOICE_REPEAT"):
        create_app()


def test_hall_settings_put_the_voice_cache_under_var(tmp_path, monkeypatch):
    monkeypatch.delenv("LOKET_VOICE_CACHE_DIR", raising=False)

    class HallSettings:
        var_path = tmp_path / "var"

    app = create_app(settings=HallSettings())
    assert app.config["VOICE_SETTINGS"].cache_dir == tmp_path / "var" / "voice-cache"
