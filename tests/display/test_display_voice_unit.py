import io
import wave
from array import array

import pytest

from display import voice
from display.params import InvalidParameter, parse_announce, parse_services

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("number", "counter", "expected"),
    [
        ("C007", 2, "Nomor antrean ce nol nol tujuh, silakan menuju loket dua"),
        ("A010", 12, "Nomor antrean a nol satu nol, silakan menuju loket dua belas"),
        ("B1000", 3, "Nomor antrean be satu nol nol nol, silakan menuju loket tiga"),
        ("KK012", 99,
         "Nomor antrean ka ka nol satu dua, silakan menuju loket sembilan puluh sembilan"),
    ],
)
def test_call_phrase_spells_letter_and_each_digit(number, counter, expected):
    assert voice.call_phrase(number, counter) == expected


@pytest.mark.parametrize(
    ("number", "counter"),
    [("", 1), ("C0 7", 1), ("C007", 0), ("C007", True), ("C007", 100), ("c007", 1)],
)
def test_call_phrase_rejects_garbage(number, counter):
    with pytest.raises(ValueError):
        voice.call_phrase(number, counter)


def test_chime_is_about_one_second_of_22050_hz_mono_16_bit():
    with wave.open(io.BytesIO(voice.chime_wav()), "rb") as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (22050, 1, 2)
        frames = w.getnframes()
        pcm = w.readframes(frames)
    assert 0.8 <= frames / 22050 <= 1.5
    samples = array("h")
    samples.frombytes(pcm)
    peak = max(abs(s) for s in samples)
    assert 10000 < peak < 32767  # audible, not clipped


def test_chime_volume_scales_the_signal():
    loud = array("h")
    loud.frombytes(voice.chime_pcm(1.0))
    quiet = array("h")
    quiet.frombytes(voice.chime_pcm(0.25))
    assert max(map(abs, quiet)) == pytest.approx(max(map(abs, loud)) / 4, rel=0.01)


def test_parse_announce_accepts_a_normal_call():
    req = parse_announce({"number": "C007", "counter": "2"})
    assert (req.number, req.counter, req.recall) == ("C007", 2, False)
    assert parse_announce({"number": "A010", "counter": "99", "recall": "1"}).recall is True


@pytest.mark.parametrize(
    ("args", "field", "code"),
    [
        ({"counter": "2"}, "number", "missing_number"),
        ({"number": "c007", "counter": "2"}, "number", "invalid_number"),
        ({"number": "C07", "counter": "2"}, "number", "invalid_number"),
        ({"number": "CCC007", "counter": "2"}, "number", "invalid_number"),
        ({"number": "Siti", "counter": "2"}, "number", "invalid_number"),
        ({"number": "C007"}, "counter", "missing_counter"),
        ({"number": "C007", "counter": "0"}, "counter", "invalid_counter"),
        ({"number": "C007", "counter": "100"}, "counter", "invalid_counter"),
        ({"number": "C007", "counter": "-1"}, "counter", "invalid_counter"),
        ({"number": "C007", "counter": "dua"}, "counter", "invalid_counter"),
        ({"number": "C007", "counter": "2", "recall": "ya"}, "recall", "invalid_recall"),
    ],
)
def test_parse_announce_rejects_bad_parameters(args, field, code):
    with pytest.raises(InvalidParameter) as info:
        parse_announce(args)
    assert info.value.field == field
    assert info.value.code == code
    assert info.value.message  # shown to people: Bahasa Indonesia, never empty


def test_parse_services():
    assert parse_services(None) == []
    assert parse_services("ektp, kk,ektp") == ["ektp", "kk"]
    with pytest.raises(InvalidParameter):
        parse_services("ektp,<script>")


def test_settings_from_env():
    settings = voice.load_settings(
        {"LOKET_VOICE_VOLUME": "0.5", "LOKET_VOICE_REPEAT": "2", "LOKET_VOICE_CACHE_DIR": "/x"}
    )
    assert (settings.volume, settings.repeat, str(settings.cache_dir)) == (0.5, 2, "/x")
    defaults = voice.load_settings({})
    assert (defaults.volume, defaults.repeat, str(defaults.cache_dir)) == (
        1.0,
        1,
        "var/voice-cache",
    )


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"LOKET_VOICE_VOLUME": "1.5"}, "LOKET_VOICE_VOLUME"),
        ({"LOKET_VOICE_VOLUME": "-0.1"}, "LOKET_VOICE_VOLUME"),
        ({"LOKET_VOICE_VOLUME": "keras"}, "LOKET_VOICE_VOLUME"),
        ({"LOKET_VOICE_VOLUME": "nan"}, "LOKET_VOICE_VOLUME"),
        ({"LOKET_VOICE_REPEAT": "0"}, "LOKET_VOICE_REPEAT"),
        ({"LOKET_VOICE_REPEAT": "4"}, "LOKET_VOICE_REPEAT"),
        ({"LOKET_VOICE_REPEAT": "2.5"}, "LOKET_VOICE_REPEAT"),
        ({"LOKET_VOICE_SPEED": "20"}, "LOKET_VOICE_SPEED"),
    ],
)
def test_bad_settings_raise_a_clear_error(env, name):
    with pytest.raises(voice.VoiceSettingsError, match=name):
        voice.load_settings(env)
