"""The hall's call as a list of segments and pauses; one naming rule for cache and voice pack.

"Nomor antrean | A | nol | nol | satu | silakan menuju loket | dua": each part is a
`Segment` whose `key` names the file in a recorded-voice pack (``<key>.wav``) and whose
`text` is what the engine says when the pack has no such file. Ticket numbers are read digit
by digit (as Indonesian halls do, "A, nol, nol, satu"), so any length needs only ten digit
segments, and the counter as a number ("dua belas"). Never a visitor's name: only a ticket
number and a counter reach this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from num2words import num2words

# One or two letters (the service), then three to six digits (the day's sequence).
TICKET_NUMBER_RE = re.compile(r"^[A-Z]{1,2}[0-9]{3,6}$")
MAX_COUNTER = 99

# How Indonesians name the letters of the alphabet; said as words, not guessed by the engine.
LETTER_NAMES = {
    "A": "a", "B": "be", "C": "ce", "D": "de", "E": "e", "F": "ef", "G": "ge", "H": "ha",
    "I": "i", "J": "je", "K": "ka", "L": "el", "M": "em", "N": "en", "O": "o", "P": "pe",
    "Q": "ki", "R": "er", "S": "es", "T": "te", "U": "u", "V": "ve", "W": "we", "X": "eks",
    "Y": "ye", "Z": "zet",
}

# Pauses in seconds: long enough to separate the parts, short enough to keep the call brisk.
AFTER_CHIME = 0.35
AFTER_INTRO = 0.25
BETWEEN_LETTER_AND_DIGITS = 0.18
BETWEEN_DIGITS = 0.08
BEFORE_COUNTER_PHRASE = 0.45
BEFORE_COUNTER = 0.15
BETWEEN_REPEATS = 0.9
TAIL = 0.4


@dataclass(frozen=True)
class Segment:
    key: str
    text: str


CHIME = Segment("chime", "")  # synthesised tones, or chime.wav from a pack
INTRO = Segment("nomor_antrean", "Nomor antrean")
COUNTER_PHRASE = Segment("silakan_menuju_loket", "silakan menuju loket")

Part = Segment | float


def letter(ch: str) -> Segment:
    return Segment(f"huruf_{ch.lower()}", LETTER_NAMES[ch])


def digit(ch: str) -> Segment:
    return Segment(f"angka_{ch}", num2words(int(ch), lang="id"))


def counter(n: int) -> Segment:
    return Segment(f"loket_{n}", num2words(n, lang="id"))


def validate_call(number: str, counter_number: int) -> None:
    if not isinstance(number, str) or not TICKET_NUMBER_RE.fullmatch(number):
        raise ValueError(
            f"ticket number must be one or two capital letters and 3-6 digits, got {number!r}"
        )
    if isinstance(counter_number, bool) or not isinstance(counter_number, int):
        raise ValueError(f"counter number must be an integer, got {counter_number!r}")
    if not 1 <= counter_number <= MAX_COUNTER:
        raise ValueError(f"counter number must be 1 to {MAX_COUNTER}, got {counter_number!r}")


def phrase_parts(number: str, counter_number: int) -> list[Part]:
    """The spoken phrase (no chime), with its pauses."""
    validate_call(number, counter_number)
    letters = [ch for ch in number if ch.isalpha()]
    digits = [ch for ch in number if ch.isdigit()]
    parts: list[Part] = [INTRO, AFTER_INTRO]
    for i, ch in enumerate(letters):
        parts += [BETWEEN_DIGITS] if i else []
        parts.append(letter(ch))
    parts.append(BETWEEN_LETTER_AND_DIGITS)
    for i, ch in enumerate(digits):
        parts += [BETWEEN_DIGITS] if i else []
        parts.append(digit(ch))
    parts += [BEFORE_COUNTER_PHRASE, COUNTER_PHRASE, BEFORE_COUNTER, counter(counter_number)]
    return parts


def call_parts(number: str, counter_number: int, repeat: int = 1) -> list[Part]:
    """Chime, then the phrase `repeat` times, as the TV plays it."""
    phrase = phrase_parts(number, counter_number)
    parts: list[Part] = [CHIME, AFTER_CHIME]
    for i in range(repeat):
        parts += [BETWEEN_REPEATS] if i else []
        parts += phrase
    parts.append(TAIL)
    return parts


def call_phrase(number: str, counter_number: int) -> str:
    """'Nomor antrean ce nol nol tujuh, silakan menuju loket dua' as one line of text."""
    words = [p.text for p in phrase_parts(number, counter_number) if isinstance(p, Segment)]
    spoken = " ".join(words[1:-2])
    return f"{words[0]} {spoken}, {words[-2]} {words[-1]}"


def pack_segments(max_counter: int = 20) -> list[Segment]:
    """Every segment a recorded-voice pack may hold, for counters 1..max_counter."""
    return [
        CHIME,
        INTRO,
        COUNTER_PHRASE,
        *(letter(ch) for ch in LETTER_NAMES),
        *(digit(str(d)) for d in range(10)),
        *(counter(n) for n in range(1, max_counter + 1)),
    ]
