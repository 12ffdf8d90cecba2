"""Parsing an SKM survey and an SKM report query, with Indonesian messages naming the field."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from queue_service.domain import skm
from queue_service.domain.errors import InvalidInput
from queue_service.validation import _text, require_object

MAX_COMMENT = 1000
MAX_REPORT_DAYS = 366 * 2


@dataclasses.dataclass(frozen=True)
class SurveyInput:
    answers: dict[str, int]
    age: int | None
    gender: str | None
    education: str | None
    occupation: str | None
    comment: str | None


def _answers(raw: Any) -> dict[str, int]:
    raw = require_object(raw, "answers")
    unknown = sorted(set(raw) - set(skm.UNSUR_CODES))
    if unknown:
        raise InvalidInput(f"Unsur tidak dikenal: {unknown[0]}.", field=f"answers.{unknown[0]}")
    answers: dict[str, int] = {}
    for code in skm.UNSUR_CODES:
        value = raw.get(code)
        if value is None:
            continue  # an unsur may be left blank
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
            raise InvalidInput(f"Nilai {code} ({skm.UNSUR[code][0]}) harus angka 1 sampai 4.",
                               field=f"answers.{code}", code="out_of_range")
        answers[code] = value
    if not answers:
        raise InvalidInput("Isi paling sedikit satu unsur survei.", field="answers",
                           code="required")
    return answers


def _choice(value: Any, field: str, choices: dict[str, str], label: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or value not in choices:
        raise InvalidInput(f"{label} tidak dikenal; pilih salah satu: {', '.join(choices)}.",
                           field=field)
    return value


def _age(value: Any) -> int | None:
    if value is None or value == "":
        return None
    low, high = skm.AGE_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"Usia harus angka {low} sampai {high} tahun.", field="profile.age")
    return value


def parse_survey(body: Any) -> SurveyInput:
    body = require_object(body)
    profile = require_object(body.get("profile") or {}, "profile")
    return SurveyInput(
        answers=_answers(body.get("answers")),
        age=_age(profile.get("age")),
        gender=_choice(profile.get("gender"), "profile.gender", skm.GENDERS, "Jenis kelamin"),
        education=_choice(profile.get("education"), "profile.education", skm.EDUCATIONS,
                          "Pendidikan"),
        occupation=_choice(profile.get("occupation"), "profile.occupation", skm.OCCUPATIONS,
                           "Pekerjaan"),
        comment=_text(body.get("comment"), "comment", max_len=MAX_COMMENT, label="Komentar"),
    )


def _date(value: str | None, field: str) -> dt.date:
    if not value:
        raise InvalidInput(f"Tanggal '{field}' wajib diisi (TTTT-BB-HH).", field=field,
                           code="required")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"Tanggal '{field}' harus berformat TTTT-BB-HH.",
                           field=field) from None


def parse_period(start: str | None, end: str | None) -> tuple[dt.date, dt.date]:
    first, last = _date(start, "from"), _date(end, "to")
    if last < first:
        raise InvalidInput("Tanggal 'to' tidak boleh sebelum 'from'.", field="to")
    if (last - first).days > MAX_REPORT_DAYS:
        raise InvalidInput("Periode laporan paling lama dua tahun.", field="to")
    return first, last
