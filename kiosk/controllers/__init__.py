"""Kiosk behaviour in plain Python (no Kivy), unit-tested without a window."""

from kiosk.controllers.flow import Backoff, RegistrationFlow, SubmitOutcome
from kiosk.controllers.nik import NikFeedback, check_nik, mask_nik

__all__ = ["Backoff", "NikFeedback", "RegistrationFlow", "SubmitOutcome", "check_nik", "mask_nik"]
