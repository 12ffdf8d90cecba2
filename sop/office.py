"""Office configuration (not SOP content): name, time zone, ticket prefixes, kiosk questions."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sop._io import from_pydantic, read_mapping
from sop.catalog import Catalog
from sop.errors import SopValidationError

DEFAULT_OFFICE_PATH = Path(__file__).parent / "office" / "genteng.yaml"


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Base):
    value: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)


class Question(_Base):
    """One question the kiosk asks before printing a ticket (answers go to ``details``)."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    type: Literal["text", "textarea", "integer", "choice"]
    required: bool = True
    help: str | None = None
    choices: list[Choice] = Field(default_factory=list)
    min: int | None = None
    max: int | None = None
    default: int | str | None = None
    max_length: int | None = None
    demo: bool = False

    @model_validator(mode="after")
    def _choices_only_for_choice(self) -> Question:
        if self.type == "choice" and not self.choices:
            raise ValueError("pertanyaan pilihan memerlukan 'choices'")
        if self.type != "choice" and self.choices:
            raise ValueError("'choices' hanya untuk pertanyaan bertipe 'choice'")
        return self


class ServiceConfig(_Base):
    prefix: str = Field(pattern=r"^[A-Z]$")
    icon: str = Field(min_length=1)
    bring: list[str] = Field(default_factory=list)
    #: The bring list is an example, not the office's official requirements.
    bring_is_demo: bool = Field(default=True, alias="bring_demo")
    questions: list[Question] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _bring_block(cls, data: Any) -> Any:
        # YAML form: ``bring: {demo: true, items: [...]}``.
        if isinstance(data, dict) and isinstance(data.get("bring"), dict):
            block = dict(data["bring"])
            data = {**data, "bring": block.pop("items", []), "bring_demo": block.pop("demo", True)}
            if block:
                raise ValueError(f"kolom tidak dikenal di 'bring': {', '.join(block)}")
        return data


class Official(_Base):
    """Who signs for a role (e.g. the Sekcam signing a rekomendasi for the Camat)."""

    position: str = Field(min_length=1)
    name: str = Field(min_length=1)
    rank: str | None = None
    nip: str | None = None
    demo: bool = False


class Office(_Base):
    name: str = Field(min_length=1)
    regency: str = Field(min_length=1)
    government: str = Field(min_length=1)
    address: str = Field(min_length=1)
    address_is_demo: bool = False
    timezone: str = "Asia/Jakarta"
    #: Working hours per weekday for SLA clocks, e.g. ``{"monday": [["07:30", "12:00"], ...]}``;
    #: None means the Perpres 21/2023 default (Mon–Fri from 07:30, 37.5 hours a week).
    office_hours: dict[str, Any] | None = None
    services: dict[str, ServiceConfig] = Field(min_length=1)
    #: Signers by role code, besides the Camat who signs the SOPs (``approved_by``).
    officials: dict[str, Official] = Field(default_factory=dict)
    #: The office's sections: code -> name as staff records carry it.
    sections: dict[str, str] = Field(default_factory=dict)
    #: Steps a section owns: SOP code -> step id -> section code (on that section's Kasi desk).
    step_sections: dict[str, dict[str, str]] = Field(default_factory=dict)
    #: A complaint's topic (the kiosk's ``category`` choices) -> who gets its disposisi step:
    #: a section code (that section's Kasi), ``sekcam`` or ``camat``.
    complaint_routing: dict[str, str] = Field(default_factory=dict)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"zona waktu tidak dikenal: '{value}'") from exc
        return value

    @model_validator(mode="after")
    def _unique_prefixes(self) -> Office:
        seen: dict[str, str] = {}
        for code, svc in self.services.items():
            if svc.prefix in seen:
                raise ValueError(
                    f"awalan tiket '{svc.prefix}' dipakai dua layanan: {seen[svc.prefix]}, {code}"
                )
            seen[svc.prefix] = code
        return self

    @model_validator(mode="after")
    def _known_sections(self) -> Office:
        for sop_code, steps in self.step_sections.items():
            for step_id, section in steps.items():
                if section not in self.sections:
                    raise ValueError(
                        f"seksi tidak dikenal '{section}' untuk langkah {sop_code} {step_id}")
        return self

    @model_validator(mode="after")
    def _known_routes(self) -> Office:
        for topic, target in self.complaint_routing.items():
            if target not in self.sections and target not in ("sekcam", "camat"):
                raise ValueError(f"tujuan disposisi tidak dikenal '{target}' untuk topik "
                                 f"pengaduan '{topic}'")
        return self

    def section_of(self, sop_code: str, step_id: str) -> tuple[str, str] | None:
        """(code, name) of the section owning a step, or None when any Kasi may act."""
        code = self.step_sections.get(sop_code, {}).get(step_id)
        return (code, self.sections[code]) if code else None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def service(self, code: str) -> ServiceConfig:
        try:
            return self.services[code]
        except KeyError:
            raise KeyError(f"layanan tidak dikonfigurasi: {code!r}") from None

    def check_catalog(self, catalog: Catalog) -> None:
        """Every configured service must be an SOP of the catalog and vice versa."""
        configured, published = set(self.services), set(catalog.codes())
        if configured != published:
            missing = sorted(published - configured)
            unknown = sorted(configured - published)
            raise SopValidationError(
                None,
                f"layanan kantor tidak cocok dengan katalog SOP (tanpa konfigurasi: {missing}, "
                f"tanpa SOP: {unknown})",
                subject=f"kantor '{self.name}'", field="services",
            )


def load_office(path: str | Path | None = None) -> Office:
    """Load an office file (default ``sop/office/genteng.yaml``); errors are SopValidationError."""
    file = Path(path) if path is not None else DEFAULT_OFFICE_PATH
    data = read_mapping(file, subject=f"kantor '{file.stem}'")
    raw = data.get("office", data) if isinstance(data.get("office"), dict) else data
    name = raw.get("name") if isinstance(raw, dict) else None
    subject = f"kantor '{name or file.stem}'"

    def locate(loc: tuple[Any, ...]) -> tuple[str | None, str | None, tuple[Any, ...]]:
        return subject, None, loc

    try:
        return Office.model_validate(raw)
    except ValidationError as exc:
        raise from_pydantic(exc, file, locate=locate) from exc
