"""The registration flow: what the visitor chose and typed, validation, submit, idle, offline."""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from kiosk.api import ApiError, ServerUnreachable
from kiosk.controllers.nik import check_nik, mask_nik
from kiosk.i18n import COMPLAINT_CATEGORIES, DEFAULT_LANGUAGE, GUEST_MEET, GUEST_PURPOSES, t

logger = logging.getLogger(__name__)

GUEST_SERVICE = "penerimaan-tamu"
COMPLAINT_SERVICE = "pengaduan"
PRIORITIES = ("lansia", "disabilitas", "ibu_hamil", "anak")
_NAME_RE = re.compile(r"^[^\W\d_]+(?:[ .,'\-]+[^\W\d_]*)*\.?$")
_PHONE_RE = re.compile(r"^(?:0|\+62)\d{8,13}$")


class Client(Protocol):
    def services(self) -> list[dict[str, Any]]: ...
    def issue_ticket(self, payload: dict[str, Any], idempotency_key: str) -> dict[str, Any]: ...


class Printer(Protocol):
    def print_ticket(self, ticket: dict[str, Any], office: str) -> None: ...


class Backoff:
    """Exponential retry delays: 2, 4, 8, … seconds, capped."""

    def __init__(self, initial: float = 2.0, factor: float = 2.0, maximum: float = 30.0):
        self.initial, self.factor, self.maximum = initial, factor, maximum
        self.attempts = 0

    def next_delay(self) -> float:
        delay = min(self.initial * self.factor**self.attempts, self.maximum)
        self.attempts += 1
        return delay

    def reset(self) -> None:
        self.attempts = 0


@dataclass
class SubmitOutcome:
    status: str  # issued | ignored | offline | rejected | invalid
    ticket: dict[str, Any] | None = None
    retry_in: float | None = None
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class Visitor:
    name: str = ""
    nik: str = ""
    phone: str = ""
    priority: str | None = None
    consent: bool = False


class RegistrationFlow:
    """Holds one visitor's registration from welcome to ticket; no Kivy inside."""

    def __init__(
        self,
        client: Client,
        printer: Printer | None = None,
        notify_staff: Callable[[str, str], object] | None = None,
        idle_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        language: str = DEFAULT_LANGUAGE,
        backoff: Backoff | None = None,
    ):
        self.client = client
        self.printer = printer
        self.notify_staff = notify_staff
        self.idle_seconds = idle_seconds
        self.clock = clock
        self.default_language = language
        self.backoff = backoff or Backoff()
        self.services: list[dict[str, Any]] = []
        # The queue's message while the office hands out no numbers (outside its hours).
        self.closed_message: str | None = None
        self.offline = False
        self._lock = threading.Lock()
        self._in_flight = False
        self.reset()

    # -- lifecycle ---------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget everything the visitor chose or typed (the catalog stays)."""
        with self._lock:
            self.language = self.default_language
            self.service: dict[str, Any] | None = None
            self.visitor = Visitor()
            self.details: dict[str, Any] = {}
            self.ticket: dict[str, Any] | None = None
            self.printer_fault: Any = None
            self.print_state: str | None = None  # None | printing | printed | fault
            self.staff_notified = False
            self.idempotency_key: str | None = None
            self.errors: dict[str, str] = {}
            self.last_touch = self.clock()

    def is_empty(self) -> bool:
        return (
            self.service is None and self.visitor == Visitor() and not self.details
            and self.ticket is None and self.idempotency_key is None and not self.errors
            and self.language == self.default_language
        )

    def touch(self) -> None:
        self.last_touch = self.clock()

    def idle_expired(self) -> bool:
        """True (and the flow wiped) when nobody touched the screen for ``idle_seconds``."""
        if self._in_flight or self.clock() - self.last_touch < self.idle_seconds:
            return False
        if not self.is_empty():
            logger.info("kiosk idle for %ss: flow reset", self.idle_seconds)
        self.reset()
        return True

    def t(self, key: str, **values: object) -> str:
        return t(key, self.language, **values)

    def set_language(self, language: str) -> None:
        self.language = language if language in ("id", "en") else DEFAULT_LANGUAGE

    # -- catalog -----------------------------------------------------------------------------
    def load_services(self) -> SubmitOutcome:
        try:
            self.services = self.client.services()
        except ServerUnreachable:
            self.offline = True
            return SubmitOutcome("offline", retry_in=self.backoff.next_delay())
        office = getattr(self.client, "office", None) or {}
        self.closed_message = (None if office.get("open", True)
                               else str(office.get("message") or self.t("err_service_closed")))
        self.offline = False
        self.backoff.reset()
        return SubmitOutcome("loaded")

    def choose_service(self, code: str) -> bool:
        if self.closed_message:
            self.errors = {"service": self.closed_message}
            return False
        service = next((s for s in self.services if s.get("code") == code), None)
        if service is None or not service.get("open", True):
            self.errors = {"service": self.t("err_service_closed" if service else
                                             "err_service_required")}
            return False
        if self.service is None or self.service["code"] != code:
            self.details = self._default_details(code)
        self.service = service
        self.errors = {}
        return True

    @property
    def needs_questions(self) -> bool:
        return self.service is not None and self.service["code"] in (
            GUEST_SERVICE, COMPLAINT_SERVICE)

    @staticmethod
    def _default_details(code: str) -> dict[str, Any]:
        if code == GUEST_SERVICE:
            return {"purpose": "", "meet": "", "institution": "", "group_size": 1}
        if code == COMPLAINT_SERVICE:
            return {"category": "", "description": ""}
        return {}

    # -- visitor -----------------------------------------------------------------------------
    def nik_feedback(self):
        return check_nik(self.visitor.nik, self.language)

    def validate_visitor(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        v = self.visitor
        name = " ".join(v.name.split())
        if not name:
            errors["visitor.name"] = self.t("err_name_required")
        elif len(name) < 2:
            errors["visitor.name"] = self.t("err_name_short")
        elif len(name) > 100:
            errors["visitor.name"] = self.t("err_name_long")
        elif not _NAME_RE.match(name):
            errors["visitor.name"] = self.t("err_name_chars")
        feedback = self.nik_feedback()
        if not feedback.ok:
            errors["visitor.nik"] = self.t("err_nik", message=feedback.message)
        phone = v.phone.replace(" ", "").replace("-", "")
        if phone and not _PHONE_RE.match(phone):
            errors["visitor.phone"] = self.t("err_phone")
        return errors

    def validate_consent(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        if self.visitor.priority is not None and self.visitor.priority not in PRIORITIES:
            errors["priority"] = self.t("err_priority")
        if self.visitor.consent is not True:
            errors["visitor.consent"] = self.t("err_consent")
        return errors

    def validate_details(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        code = self.service["code"] if self.service else None
        d = self.details
        if code == GUEST_SERVICE:
            if d.get("purpose") not in GUEST_PURPOSES:
                errors["details.purpose"] = self.t("err_purpose_required")
            if d.get("meet") not in GUEST_MEET:
                errors["details.meet"] = self.t("err_meet_required")
            if len(str(d.get("institution", "")).strip()) > 100:
                errors["details.institution"] = self.t("err_institution_long")
            size = d.get("group_size")
            if not isinstance(size, int) or not 1 <= size <= 50:
                errors["details.group_size"] = self.t("err_group_size")
        elif code == COMPLAINT_SERVICE:
            if d.get("category") not in COMPLAINT_CATEGORIES:
                errors["details.category"] = self.t("err_category_required")
            description = " ".join(str(d.get("description", "")).split())
            if len(description) < 10:
                errors["details.description"] = self.t("err_description_short")
            elif len(description) > 500:
                errors["details.description"] = self.t("err_description_long")
        return errors

    def validate(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        if self.service is None:
            errors["service"] = self.t("err_service_required")
        errors.update(self.validate_visitor())
        errors.update(self.validate_consent())
        errors.update(self.validate_details())
        return errors

    def build_payload(self) -> dict[str, Any]:
        assert self.service is not None
        v = self.visitor
        visitor: dict[str, Any] = {
            "name": " ".join(v.name.split()),
            "nik": v.nik.strip(),
            "consent": v.consent,
        }
        phone = v.phone.replace(" ", "").replace("-", "")
        if phone:
            visitor["phone"] = phone
        details = dict(self.details)
        for key in ("institution", "description"):
            if key in details:
                details[key] = " ".join(str(details[key]).split())
        return {
            "service": self.service["code"],
            "visitor": visitor,
            "priority": v.priority,
            "details": details,
        }

    @property
    def nik_masked(self) -> str:
        return mask_nik(self.visitor.nik.strip())

    # -- submit ------------------------------------------------------------------------------
    def confirm(self) -> str:
        """The visitor confirmed: fix one idempotency key for this registration."""
        if self.idempotency_key is None:
            self.idempotency_key = str(uuid.uuid4())
        return self.idempotency_key

    @property
    def submitting(self) -> bool:
        return self._in_flight

    def submit(self) -> SubmitOutcome:
        """Issue the ticket once; safe to call from a worker thread and to call twice."""
        with self._lock:
            if self._in_flight:
                return SubmitOutcome("ignored")
            if self.ticket is not None:
                return SubmitOutcome("ignored", ticket=self.ticket)
            errors = self.validate()
            if errors:
                self.errors = errors
                return SubmitOutcome("invalid", errors=errors)
            self._in_flight = True
            key = self.confirm()
            payload = self.build_payload()
        try:
            ticket = self.client.issue_ticket(payload, key)
        except ServerUnreachable:
            self.offline = True
            return SubmitOutcome("offline", retry_in=self.backoff.next_delay())
        except ApiError as exc:
            field_name = exc.field or "form"
            self.errors = {field_name: exc.message}
            return SubmitOutcome("rejected", errors=dict(self.errors))
        finally:
            with self._lock:
                self._in_flight = False
        self.offline = False
        self.backoff.reset()
        self.ticket = ticket
        return SubmitOutcome("issued", ticket=ticket)

    def print_ticket(self) -> None:
        """Print the issued ticket; a printer fault never loses the ticket, and staff hear of it."""
        from kiosk.hardware.printer import PrinterFault  # hardware stays optional to import

        if self.printer is None or self.ticket is None or self.print_state is not None:
            return
        self.print_state = "printing"
        try:
            self.printer.print_ticket(self.ticket, self.ticket.get("office") or t("office"))
            self.print_state = "printed"
        except PrinterFault as fault:
            self.print_state = "fault"
            self.printer_fault = fault
            logger.warning("printer fault: %s", fault.kind)
            if self.notify_staff is not None:
                try:
                    self.notify_staff(fault.code, t(fault.message_id))
                    self.staff_notified = True
                except (ServerUnreachable, ApiError):
                    logger.warning("could not notify staff about printer fault")
