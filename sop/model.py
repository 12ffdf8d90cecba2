"""Typed model of one SOP document (pydantic v2, immutable)."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from sop.durations import DurationError, parse_iso_duration, parse_time_standard

if TYPE_CHECKING:
    from sop.roles import RoleRegistry

STEP_ID_PATTERN = r"^[0-9]+[a-z]?$"
SOP_CODE_PATTERN = r"^[a-z][a-z0-9-]*$"
NIP_PATTERN = r"^\d{8} \d{6} \d \d{3}$"

_MONTHS_ID = {
    "januari": 1, "februari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "agustus": 8, "september": 9, "oktober": 10, "november": 11, "desember": 12,
}
_DATE_ID_RE = re.compile(r"^(\d{1,2})\s+([a-z]+)\s+(\d{4})$")


def parse_date_id(text: str | None) -> date | None:
    """``3 April 2017`` or ``2017-04-03`` → date; ``-``/blank/None → None."""
    if text is None:
        return None
    norm = " ".join(str(text).strip().lower().split())
    if norm in {"", "-"}:
        return None
    try:
        return date.fromisoformat(norm)
    except ValueError:
        pass
    m = _DATE_ID_RE.match(norm)
    if not m or m.group(2) not in _MONTHS_ID:
        raise ValueError(f"tanggal tidak dapat dibaca: '{text}'")
    try:
        return date(int(m.group(3)), _MONTHS_ID[m.group(2)], int(m.group(1)))
    except ValueError as exc:
        raise ValueError(f"tanggal tidak valid: '{text}'") from exc


def canonical_json(data: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 text: the form the content hash is taken over."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _as_list(value: Any) -> Any:
    """A single text where a list is expected becomes a one-item list; ``-``/blank → []."""
    if value is None:
        return []
    if isinstance(value, str):
        return [] if value.strip() in {"", "-"} else [value]
    return value


class Correction(_Base):
    """A typo fixed against the source document, kept traceable."""

    field: str = Field(min_length=1)
    original: str = Field(min_length=1)
    corrected: str = Field(min_length=1)


class Branch(_Base):
    """An outcome the document states (or implies) for a step."""

    when: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    action: Literal["goto", "return_to_applicant", "reject"]
    #: Next step for ``goto``; for ``return_to_applicant`` the step work resumes at once the
    #: applicant brings the file back (the SLA clock is paused meanwhile).
    goto: str | None = None
    explicit: bool = True
    source_text: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _target_matches_action(self) -> Branch:
        if self.action == "reject" and self.goto is not None:
            raise ValueError("cabang 'reject' tidak boleh punya 'goto'")
        if self.action != "reject" and self.goto is None:
            raise ValueError(f"cabang '{self.action}' memerlukan 'goto'")
        return self


class Outcomes(_Base):
    """What a step allows besides plain completion; the workflow offers exactly these.

    ``decisions``: the values completing the step must record (the document's ya/tidak marks
    on a Persetujuan row); where each goes is its branch (``when`` = the value), a decision
    without a branch continues with the next step. ``return_to_applicant``: the file may be
    handed back to the applicant and the step resumes when it comes back. ``reject``: the
    request may be refused here with a reason (none of the five SOPs writes one).
    ``inferred``: the office's reading rather than the document's own words.
    """

    decisions: list[str] = Field(default_factory=list)
    return_to_applicant: bool = False
    reject: bool = False
    inferred: bool = False
    note: str | None = None

    @field_validator("decisions")
    @classmethod
    def _decision_values(cls, value: list[str]) -> list[str]:
        for item in value:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", item):
                raise ValueError(f"keputusan harus huruf kecil tanpa spasi: '{item}'")
        if len(set(value)) != len(value):
            raise ValueError("keputusan ganda")
        return value


class Condition(_Base):
    """A rule that applies to a step in a given situation (not a change of path)."""

    when: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    rule: str = Field(min_length=1)


class Step(_Base):
    """One row of the SOP's step table."""

    id: str = Field(pattern=STEP_ID_PATTERN)
    no: int | None = None
    #: Activity text, one line per bullet of the document (typos corrected, see ``corrections``).
    activity: str = Field(min_length=1)
    roles: list[str] = Field(min_length=1)
    #: The role whose worklist and SLA clock the step belongs to; default: first non-citizen role.
    assignee: str | None = None
    #: Roles that may act in the assignee's place (the document's "Camat/Sekcam").
    delegates: list[str] = Field(default_factory=list)
    roles_inferred: bool = True
    inference_note: str | None = None
    requirements: list[str] = Field(default_factory=list)
    #: The "Waktu" cell as printed; the ISO duration is derived from it.
    time_standard_text: str | None
    clock: Literal["business", "wall"] = "business"
    #: The visitor is at the office while this step runs (inferred; see sop/README.md).
    visitor_present: bool = False
    output: list[str] = Field(default_factory=list)
    branches: list[Branch] = Field(default_factory=list)
    outcomes: Outcomes = Field(default_factory=Outcomes)
    conditions: list[Condition] = Field(default_factory=list)
    #: Explicit next step id or ``end``; default is the following row.
    next: str | None = None
    notes: list[str] = Field(default_factory=list)
    corrections: list[Correction] = Field(default_factory=list)

    @field_validator("activity", mode="before")
    @classmethod
    def _join_lines(cls, value: Any) -> Any:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return "\n".join(v.strip() for v in value)
        return value

    @field_validator("requirements", "output", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return _as_list(value)

    @field_validator("time_standard_text")
    @classmethod
    def _parseable(cls, value: str | None) -> str | None:
        try:
            parse_time_standard(value)
        except DurationError as exc:
            raise ValueError(str(exc)) from exc
        return value

    @property
    def time_standard(self) -> str | None:
        """ISO 8601 duration (``PT5M``, ``P3D`` = working days) or None ("seperlunya")."""
        return parse_time_standard(self.time_standard_text)

    @property
    def activity_lines(self) -> list[str]:
        return self.activity.splitlines()

    def original(self, field: str) -> Any:
        """The field as printed in the source document (corrections undone)."""
        return _undo(getattr(self, field), [c for c in self.corrections if c.field == field])

    @property
    def activity_original(self) -> str:
        return str(self.original("activity"))

    def assignee_for(self, registry: RoleRegistry) -> str:
        if self.assignee is not None:
            return self.assignee
        for code in self.roles:
            if code in registry and registry.get(code).kind != "citizen":
                return code
        return self.roles[0]


def _undo(value: Any, corrections: list[Correction]) -> Any:
    if isinstance(value, list):
        return [_undo(v, corrections) for v in value]
    if isinstance(value, str):
        for c in corrections:
            value = value.replace(c.corrected, c.original)
    return value


class SopDates(_Base):
    """Dates as printed ("3 April 2017", "-", blank); parsed values are derived."""

    created: str | None = None
    revised: str | None = None
    effective: str | None = None

    @field_validator("created", "revised", "effective")
    @classmethod
    def _parseable(cls, value: str | None) -> str | None:
        parse_date_id(value)
        return value

    def parsed(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for key in ("created", "revised", "effective"):
            d = parse_date_id(getattr(self, key))
            out[key] = d.isoformat() if d else None
        return out


class Approver(_Base):
    """Who signed the SOP ("Disahkan oleh")."""

    position: str = Field(min_length=1)
    name: str = Field(min_length=1)
    #: The name exactly as printed on this SOP's page when it differs from ``name``.
    name_as_printed: str | None = None
    rank: str = Field(min_length=1)
    nip: str = Field(pattern=NIP_PATTERN)
    note: str | None = None


class Sop(_Base):
    """One SOP document: header block, the "Mutu Baku" step table and provenance."""

    code: str = Field(pattern=SOP_CODE_PATTERN)
    version: str = Field(min_length=1)
    order: int = 0
    name: str = Field(min_length=1)
    #: "Nama SOP" as printed in the header.
    title: str = Field(min_length=1)
    #: Heading of the step table as printed.
    table_title: str | None = None
    unit: str = Field(min_length=1)
    number: str = Field(min_length=1)
    dates: SopDates
    approved_by: Approver
    legal_basis: list[str] = Field(min_length=1)
    qualifications: list[str] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list)
    equipment: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    records: list[str] = Field(default_factory=list)
    #: The "Pelaksana" column headers of the printed table.
    lane_headers: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    corrections: list[Correction] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)

    _registry: Any = PrivateAttr(default=None)

    @field_validator(
        "legal_basis", "qualifications", "related", "equipment", "warnings", "records",
        mode="before",
    )
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return _as_list(value)

    # -- identity -----------------------------------------------------------------------------

    def content(self) -> dict[str, Any]:
        """Everything the data file says, as plain JSON types (what is hashed and archived)."""
        return self.model_dump(mode="json")

    def snapshot(self) -> str:
        """Canonical JSON of the content; ``sha256(snapshot) == content_hash``."""
        return canonical_json(self.content())

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.snapshot().encode("utf-8")).hexdigest()

    @classmethod
    def from_snapshot(cls, text: str | bytes) -> Sop:
        """Rebuild a Sop from :meth:`snapshot` output (see ``sop.versions`` for verification)."""
        return cls.model_validate(json.loads(text))

    # -- lookups ------------------------------------------------------------------------------

    def step(self, step_id: str) -> Step:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(f"langkah tidak dikenal: {step_id!r} di SOP {self.code!r}")

    def next_step_id(self, step_id: str) -> str | None:
        """The step after ``step_id`` on the main path, or None at the end."""
        ids = [s.id for s in self.steps]
        step = self.step(step_id)
        if step.next == "end":
            return None
        if step.next is not None:
            return step.next
        i = ids.index(step_id)
        return ids[i + 1] if i + 1 < len(ids) else None

    def service_minutes(self) -> int | None:
        """Minutes a visitor spends being served on the first visit, per the SOP.

        Sums the time standards of the leading steps with ``visitor_present`` (the visit ends
        at the first step that runs without the visitor, e.g. KK waiting 3 days for the
        Dinas' signature). Day-based and missing standards add nothing; None if nothing adds.
        """
        total: int | None = None
        for step in self.steps:
            if not step.visitor_present:
                break
            iso = step.time_standard
            if iso is None:
                continue
            d = parse_iso_duration(iso)
            if d.days:
                continue
            total = (total or 0) + d.seconds // 60
        return total

    def role_registry(self) -> RoleRegistry:
        if self._registry is not None:
            return self._registry  # type: ignore[no-any-return]
        from sop.roles import default_registry

        return default_registry()

    def acting_roles(self) -> list[str]:
        """Every role acting in some step, in registry order (the table's columns)."""
        registry = self.role_registry()
        used = {code for s in self.steps for code in s.roles}
        return [code for code in registry.codes() if code in used]

    def original(self, field: str) -> Any:
        return _undo(getattr(self, field), [c for c in self.corrections if c.field == field])

    # -- JSON contract ------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """Content plus derived values: ISO durations, parsed dates, assignee, hash."""
        registry = self.role_registry()
        data = self.content()
        data["dates_text"] = data["dates"]
        data["dates"] = self.dates.parsed()
        data["lane_headers_original"] = self.original("lane_headers")
        data["content_hash"] = self.content_hash
        data["acting_roles"] = self.acting_roles()
        data["service_minutes"] = self.service_minutes()
        for raw, step in zip(data["steps"], self.steps, strict=True):
            raw["time_standard"] = step.time_standard
            raw["activity_lines"] = step.activity_lines
            raw["activity_original"] = step.activity_original
            raw["assignee"] = step.assignee_for(registry)
            raw["next_step"] = self.next_step_id(step.id)
        return data
