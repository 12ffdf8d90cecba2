"""The role registry (``sop/data/roles.yaml``): who acts in SOP steps and who supervises whom.

Usage: ``from sop import roles``; ``roles.default_registry().get("kasi").label``,
``roles.supervisor_of("petugas")`` → ``"kasi"``, ``roles.escalation_chain("petugas")`` →
``["kasi", "sekcam", "camat"]``; ``roles.staff_roles()``, ``roles.supervising_roles()``,
``roles.frontline_roles()`` and ``roles.login_roles()`` are the role lists every service uses.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sop._io import from_pydantic, read_mapping
from sop.errors import SopValidationError

DEFAULT_ROLES_PATH = Path(__file__).parent / "data" / "roles.yaml"
CODE_PATTERN = r"^[a-z][a-z0-9_]*$"

RoleKind = Literal["citizen", "staff", "external", "system"]


class Role(BaseModel):
    """One actor of the SOPs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=CODE_PATTERN)
    label: str = Field(min_length=1)
    short_label: str = Field(min_length=1)
    kind: RoleKind
    supervisor: str | None = None
    # A placeholder that any member of staff may fill (the guest's host, "tujuan"): nobody
    # signs in with it.
    any_staff: bool = False
    # Leadership that reads the office's reports and dashboard (Camat, Sekcam).
    reads_reports: bool = False
    description: str | None = None


class _RolesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    roles: list[Role] = Field(min_length=1)


class RoleRegistry:
    """Roles in file order (the order columns are drawn in)."""

    def __init__(self, roles: list[Role], source: Path | None = None) -> None:
        self._roles = {r.code: r for r in roles}
        self.source = source

    def __contains__(self, code: object) -> bool:
        return code in self._roles

    def __iter__(self) -> Iterator[Role]:
        return iter(self._roles.values())

    def __len__(self) -> int:
        return len(self._roles)

    def codes(self) -> list[str]:
        return list(self._roles)

    def get(self, code: str) -> Role:
        try:
            return self._roles[code]
        except KeyError:
            raise KeyError(f"peran tidak dikenal: {code!r}") from None

    def order(self, code: str) -> int:
        return self.codes().index(code)

    def supervisor_of(self, code: str) -> str | None:
        return self.get(code).supervisor

    def escalation_chain(self, code: str) -> list[str]:
        """Supervisors above ``code``, nearest first (petugas → kasi, sekcam, camat)."""
        chain: list[str] = []
        current = self.get(code).supervisor
        while current is not None:
            chain.append(current)
            current = self.get(current).supervisor
        return chain

    def staff_roles(self) -> tuple[str, ...]:
        """Staff roles people sign in with (petugas, kasi, operator, sekcam, camat)."""
        return tuple(r.code for r in self if r.kind == "staff" and not r.any_staff)

    def system_roles(self) -> tuple[str, ...]:
        """Roles that run the system but act in no SOP step (admin)."""
        return tuple(r.code for r in self if r.kind == "system")

    def login_roles(self) -> tuple[str, ...]:
        """Every role a staff account may hold."""
        return self.staff_roles() + self.system_roles()

    def supervising_roles(self) -> tuple[str, ...]:
        """Staff roles someone reports to (kasi, sekcam, camat), in file order."""
        bosses = {r.supervisor for r in self if r.supervisor is not None}
        return tuple(code for code in self.staff_roles() if code in bosses)

    def frontline_roles(self) -> tuple[str, ...]:
        """Staff roles nobody reports to: they serve the visitor (petugas, operator)."""
        bosses = set(self.supervising_roles())
        return tuple(code for code in self.staff_roles() if code not in bosses)

    def report_roles(self) -> tuple[str, ...]:
        """Staff roles that read the office's reports (``reads_reports``; admin besides)."""
        return tuple(code for code in self.staff_roles() if self.get(code).reads_reports)

    def to_json(self) -> list[dict[str, Any]]:
        return [r.model_dump() for r in self]


def load_roles(path: str | Path | None = None) -> RoleRegistry:
    """Load and validate a roles file (default ``sop/data/roles.yaml``)."""
    file = Path(path) if path is not None else DEFAULT_ROLES_PATH
    data = read_mapping(file, subject="daftar peran")

    def locate(loc: tuple[Any, ...]) -> tuple[str | None, str | None, tuple[Any, ...]]:
        if len(loc) >= 2 and loc[0] == "roles" and isinstance(loc[1], int):
            raw = data.get("roles")
            code = None
            if isinstance(raw, list) and loc[1] < len(raw) and isinstance(raw[loc[1]], dict):
                code = raw[loc[1]].get("code")
            return f"peran '{code if code is not None else loc[1]}'", None, loc[2:]
        return "daftar peran", None, loc

    try:
        parsed = _RolesFile.model_validate(data)
    except ValidationError as exc:
        raise from_pydantic(exc, file, locate=locate) from exc
    seen: set[str] = set()
    for role in parsed.roles:
        if role.code in seen:
            raise SopValidationError(
                file, f"kode peran ganda '{role.code}'", subject=f"peran '{role.code}'",
                field="code",
            )
        seen.add(role.code)
    registry = RoleRegistry(parsed.roles, source=file)
    for role in parsed.roles:
        if role.supervisor is not None and role.supervisor not in registry:
            raise SopValidationError(
                file, f"atasan tidak dikenal '{role.supervisor}'",
                subject=f"peran '{role.code}'", field="supervisor",
            )
        # A supervisor cycle would make escalation loop forever.
        visited = {role.code}
        current = role.supervisor
        while current is not None:
            if current in visited:
                raise SopValidationError(
                    file, "rantai atasan berputar (siklus)",
                    subject=f"peran '{role.code}'", field="supervisor",
                )
            visited.add(current)
            current = registry.get(current).supervisor
    return registry


@functools.lru_cache(maxsize=1)
def default_registry() -> RoleRegistry:
    return load_roles(DEFAULT_ROLES_PATH)


def get(code: str) -> Role:
    return default_registry().get(code)


def supervisor_of(code: str) -> str | None:
    return default_registry().supervisor_of(code)


def escalation_chain(code: str) -> list[str]:
    return default_registry().escalation_chain(code)


def staff_roles() -> tuple[str, ...]:
    return default_registry().staff_roles()


def system_roles() -> tuple[str, ...]:
    return default_registry().system_roles()


def login_roles() -> tuple[str, ...]:
    return default_registry().login_roles()


def supervising_roles() -> tuple[str, ...]:
    return default_registry().supervising_roles()


def frontline_roles() -> tuple[str, ...]:
    return default_registry().frontline_roles()


def report_roles() -> tuple[str, ...]:
    return default_registry().report_roles()
