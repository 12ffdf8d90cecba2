"""Loading SOP data files into a validated :class:`Catalog`."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sop._io import from_pydantic, read_mapping
from sop.errors import SopValidationError
from sop.model import Sop, Step
from sop.roles import RoleRegistry, default_registry, load_roles

DEFAULT_DATA_DIR = Path(__file__).parent / "data"
ROLES_FILENAME = "roles.yaml"
_STEP_TEXT_FIELDS = {"activity", "output", "requirements", "inference_note"}
_SOP_TEXT_FIELDS = {
    "name", "title", "table_title", "unit", "number", "legal_basis", "qualifications",
    "related", "equipment", "warnings", "records", "lane_headers",
}


class Catalog:
    """The published SOPs of one office, keyed by code."""

    def __init__(self, sops: list[Sop], roles: RoleRegistry, source: Path | None = None) -> None:
        self._sops = {s.code: s for s in sorted(sops, key=lambda s: (s.order, s.code))}
        self.roles = roles
        self.source = source

    def get(self, code: str) -> Sop:
        try:
            return self._sops[code]
        except KeyError:
            raise KeyError(f"SOP tidak dikenal: {code!r}") from None

    def all(self) -> list[Sop]:
        return list(self._sops.values())

    def codes(self) -> list[str]:
        return list(self._sops)

    def __contains__(self, code: object) -> bool:
        return code in self._sops

    def __iter__(self) -> Iterator[Sop]:
        return iter(self._sops.values())

    def __len__(self) -> int:
        return len(self._sops)

    def by_hash(self, content_hash: str) -> Sop | None:
        """The currently loaded SOP with this content hash, if any."""
        for sop in self._sops.values():
            if sop.content_hash == content_hash:
                return sop
        return None

    def snapshot(self, sop: Sop | str) -> str:
        """Canonical JSON of an SOP's content, for a case to store next to the hash it pins."""
        return (self.get(sop) if isinstance(sop, str) else sop).snapshot()


def _locator(data: dict[str, Any], code: str):  # type: ignore[no-untyped-def]
    def locate(loc: tuple[Any, ...]) -> tuple[str | None, str | None, tuple[Any, ...]]:
        subject = f"SOP '{code}'"
        if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
            steps = data.get("steps")
            step_id: Any = f"#{loc[1] + 1}"
            if isinstance(steps, list) and loc[1] < len(steps) and isinstance(steps[loc[1]], dict):
                step_id = steps[loc[1]].get("id", step_id)
            return subject, str(step_id), loc[2:]
        return subject, None, loc

    return locate


def load_sop_file(path: str | Path, registry: RoleRegistry | None = None) -> Sop:
    """Load one SOP data file and validate it against the role registry."""
    file = Path(path)
    registry = registry if registry is not None else default_registry()
    data = read_mapping(file)
    raw_code = data.get("code")
    code = raw_code if isinstance(raw_code, str) and raw_code else file.stem
    try:
        sop = Sop.model_validate(data)
    except ValidationError as exc:
        raise from_pydantic(exc, file, locate=_locator(data, code)) from exc
    if sop.code != file.stem:
        raise SopValidationError(
            file, f"kode SOP harus sama dengan nama berkas '{file.stem}'",
            sop_code=sop.code, field="code",
        )
    validate_sop(sop, registry, file)
    sop._registry = registry
    return sop


def validate_sop(sop: Sop, registry: RoleRegistry, path: Path | None = None) -> None:
    """Cross-field checks pydantic cannot do alone: roles, targets, reachability, corrections."""

    def fail(problem: str, step: Step | None, field: str) -> SopValidationError:
        return SopValidationError(
            path, problem, sop_code=sop.code, step_id=step.id if step else None, field=field
        )

    ids: list[str] = []
    for step in sop.steps:
        if step.id in ids:
            raise fail(f"id langkah ganda '{step.id}'", step, "id")
        ids.append(step.id)
    known = set(ids)

    for step in sop.steps:
        for i, code in enumerate(step.roles):
            if code not in registry:
                raise fail(f"peran tidak dikenal '{code}'", step, "roles")
            if registry.get(code).kind == "system":
                raise fail(f"peran sistem '{code}' tidak bertindak dalam langkah SOP", step,
                           "roles")
            if code in step.roles[:i]:
                raise fail(f"peran ganda '{code}'", step, "roles")
        if step.assignee is not None and step.assignee not in step.roles:
            raise fail(f"penanggung jawab '{step.assignee}' tidak ada di 'roles'", step, "assignee")
        for code in step.delegates:
            if code not in step.roles or code == step.assignee_for(registry):
                raise fail(f"wakil '{code}' harus peran lain di 'roles'", step, "delegates")
        if step.roles_inferred and not step.inference_note:
            raise fail("peran hasil inferensi memerlukan 'inference_note'", step, "inference_note")
        if step.next is not None and step.next != "end" and step.next not in known:
            raise fail(f"langkah tujuan tidak ada '{step.next}'", step, "next")
        for b_i, branch in enumerate(step.branches):
            if branch.goto is not None and branch.goto not in known:
                raise fail(
                    f"cabang '{branch.when}' menuju langkah yang tidak ada '{branch.goto}'",
                    step, f"branches[{b_i}].goto",
                )
        whens = [b.when for b in step.branches]
        if len(set(whens)) != len(whens):
            raise fail("kondisi cabang ganda", step, "branches")
        _check_outcomes(step, fail)
        _check_corrections(step, step.corrections, _STEP_TEXT_FIELDS, fail)
    _check_corrections(sop, sop.corrections, _SOP_TEXT_FIELDS,
                       lambda problem, _s, field: fail(problem, None, field))

    _check_reachable(sop, ids, fail)


def _check_reachable(sop: Sop, ids: list[str], fail: Any) -> None:
    """Every step is reachable: walk the main path and every branch from the first step."""
    edges: dict[str, list[str]] = {}
    for step in sop.steps:
        out = [b.goto for b in step.branches if b.goto is not None]
        nxt = sop.next_step_id(step.id)
        if nxt is not None:
            out.append(nxt)
        edges[step.id] = out
    seen = {ids[0]}
    queue = deque([ids[0]])
    while queue:
        for target in edges[queue.popleft()]:
            if target not in seen:
                seen.add(target)
                queue.append(target)
    for step in sop.steps:
        if step.id not in seen:
            raise fail("langkah tidak dapat dicapai dari langkah pertama", step, "id")


def _check_corrections(owner: Any, corrections: list[Any], fields: set[str], fail: Any) -> None:
    for i, c in enumerate(corrections):
        if c.field not in fields:
            raise fail(f"koreksi untuk kolom yang tidak dikenal '{c.field}'", owner,
                       f"corrections[{i}].field")
        value = getattr(owner, c.field)
        texts = value if isinstance(value, list) else [value or ""]
        if c.original == c.corrected:
            raise fail("koreksi tanpa perubahan", owner, f"corrections[{i}]")
        if not any(c.corrected in t for t in texts):
            raise fail(f"teks koreksi '{c.corrected}' tidak ditemukan di '{c.field}'", owner,
                       f"corrections[{i}].corrected")


def sop_files(directory: Path) -> list[Path]:
    return sorted(
        p for p in directory.iterdir()
        if p.suffix in {".yaml", ".yml"} and p.name != ROLES_FILENAME and p.is_file()
    )


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load every SOP in a folder (default ``sop/data``); ``roles.yaml`` there is the registry."""
    directory = Path(path) if path is not None else DEFAULT_DATA_DIR
    if not directory.is_dir():
        raise SopValidationError(directory, "folder data SOP tidak ditemukan")
    roles_file = directory / ROLES_FILENAME
    registry = load_roles(roles_file) if roles_file.exists() else default_registry()
    sops: list[Sop] = []
    for file in sop_files(directory):
        sops.append(load_sop_file(file, registry))
    if not sops:
        raise SopValidationError(directory, "tidak ada berkas SOP (*.yaml)")
    return Catalog(sops, registry, source=directory)


def _check_outcomes(step: Step, fail: Any) -> None:
    """Every branch is a declared decision, or describes the step's own return to applicant."""
    outcomes = step.outcomes
    for b_i, branch in enumerate(step.branches):
        if branch.when in outcomes.decisions:
            continue
        if branch.action == "return_to_applicant" and branch.goto == step.id:
            if not outcomes.return_to_applicant:
                raise fail("cabang pengembalian berkas memerlukan "
                           "'outcomes.return_to_applicant: true'", step, f"branches[{b_i}]")
            continue
        raise fail(f"cabang '{branch.when}' bukan keputusan langkah ini (outcomes.decisions)",
                   step, f"branches[{b_i}].when")
