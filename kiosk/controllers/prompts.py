"""What the kiosk says on each screen, in Bahasa Indonesia (Kivy-free, unit-tested plainly).

The prompts repeat what the screen asks and where to touch ("tombol hijau Lanjut di kanan
bawah"), so a visitor who cannot read can finish the flow. Never a name or a NIK: only the
service, the ticket number and the counter are spoken.
"""

from __future__ import annotations

from typing import Any

from num2words import num2words

from kiosk.i18n import t
from voice.segments import LETTER_NAMES, TICKET_NUMBER_RE, digit

VOICE_LANGUAGE = "id"  # the kiosk's voice is Indonesian whatever the screen language


def spoken_number(number: str) -> str:
    """'A001' → 'a, nol, nol, satu' (letters by their Indonesian names, digit by digit)."""
    if not TICKET_NUMBER_RE.fullmatch(number):
        return number
    words = [LETTER_NAMES[ch] if ch.isalpha() else digit(ch).text for ch in number]
    return ", ".join(words)


def screen_prompt(screen: str, flow: Any) -> str:
    """The prompt for `screen` given the flow's state; empty when there is nothing to say."""
    if screen == "services":
        return _services(flow)
    if screen == "requirements":
        service = (flow.service or {}).get("name", "")
        return t("say_requirements", VOICE_LANGUAGE, service=service)
    if screen == "ticket":
        return ticket_prompt(flow.ticket or {})
    key = f"say_{screen}"
    try:
        return t(key, VOICE_LANGUAGE)
    except KeyError:
        return ""


def _services(flow: Any) -> str:
    if flow.closed_message:
        return t("say_services_closed", VOICE_LANGUAGE, message=flow.closed_message)
    parts = [t("say_services", VOICE_LANGUAGE)]
    for service in flow.services:
        if service.get("open", True):
            letter = str(service.get("prefix", ""))
            parts.append(t("say_service_item", VOICE_LANGUAGE, name=service.get("name", ""),
                           letter=LETTER_NAMES.get(letter, letter)))
    return " ".join(parts)


def ticket_prompt(ticket: dict[str, Any]) -> str:
    """The ticket's number, and its counter when one is already assigned."""
    number = str(ticket.get("number", ""))
    if not number:
        return ""
    parts = [t("say_ticket", VOICE_LANGUAGE, number=spoken_number(number))]
    counter = ticket.get("counter")
    counter_number = counter.get("number") if isinstance(counter, dict) else None
    if counter_number:
        spoken = num2words(int(counter_number), lang="id")
        parts.append(t("say_ticket_counter", VOICE_LANGUAGE, counter=spoken))
    else:
        parts.append(t("say_ticket_wait", VOICE_LANGUAGE, n=ticket.get("people_ahead", 0)))
    return " ".join(parts)
