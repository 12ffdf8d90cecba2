import io
import re
import socket
import subprocess
import wave

import pytest
from werkzeug.exceptions import NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.test import Client

from display import voice
from display.app import create_app

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
    """Record every subprocess the voice module starts (the real one still runs)."""
    calls: list[list[str]] = []
    real_run = subprocess.run

    def spy(cmd, *args, **kwargs):
        calls.append(list(cmd))
        return real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(voice.subprocess, "run", spy)
    return calls


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the voice must not touch the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_announce_returns_a_spoken_call_as_wav(display_app, espeak, espeak_calls, no_network):
    response = display_app.test_client().get("/announce.wav?number=C007&counter=2")
    assert response.status_code == 200
    assert response.mimetype == "audio/wav"
    rate, channels, width, seconds = wav_info(response.data)
    assert (rate, channels, width) == (22050, 1, 2)
    assert 2.0 <= seconds <= 10.0
    # Offline: only the local espeak-ng, with its Indonesian voice, speaking the phrase.
    assert len(espeak_calls) == 1
    cmd = espeak_calls[0]
    assert cmd[0].endswith("espeak-ng")
    assert cmd[cmd.index("-v") + 1] == "id"
    assert "--stdout" in cmd
    assert cmd[-1] == "Nomor antrean C nol nol tujuh, silakan menuju loket dua"


def test_recall_repeats_the_phrase(display_app, espeak):
    client = display_app.test_client()
    once = wav_info(client.get("/announce.wav?number=C007&counter=2").data)[3]
    twice = wav_info(client.get("/announce.wav?number=C007&counter=2&recall=1").data)[3]
    assert twice > once + 1.5


def test_second_call_is_served_from_the_cache(display_app, voice_settings, espeak, espeak_calls):
    client = display_app.test_client()
    first = client.get("/announce.wav?number=A010&counter=12").data
    second = client.get("/announce.wav?number=A010&counter=12").data
    assert first == second
    assert len(espeak_calls) == 1  # no synthesis the second time
    assert len(list(voice_settings.cache_dir.glob("*.wav"))) == 1


def test_cache_key_includes_the_settings(tmp_path, espeak):
    loud = voice.announcement_wav("B100", 3, volume=1.0, cache_dir=tmp_path)
    soft = voice.announcement_wav("B100", 3, volume=0.3, cache_dir=tmp_path)
    assert loud != soft
    assert len(list(tmp_path.glob("*.wav"))) == 2


def test_synthesize_gives_the_chime_format(espeak):
    rate, channels, width, seconds = wav_info(voice.synthesize("Nomor antrean C nol nol tujuh"))
    assert (rate, channels, width) == (22050, 1, 2)
    assert seconds > 1.0


def test_missing_espeak_is_a_503_in_bahasa_indonesia(display_app, monkeypatch):
    monkeypatch.setattr(voice.shutil, "which", lambda name: None)
    response = display_app.test_client().get("/announce.wav?number=C007&counter=2")
    assert response.status_code == 503
    assert response.json["error"]["code"] == "voice_unavailable"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("number=C7&counter=2", "number"),
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
