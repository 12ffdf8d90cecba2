"""The one exception the catalog raises for bad data files."""

from __future__ import annotations

from pathlib import Path


def display_path(path: str | Path | None) -> str:
    """Show a path relative to the working directory when it lies below it."""
    if path is None:
        return "<tanpa berkas>"
    p = Path(path)
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(p)


class SopValidationError(ValueError):
    """A data file (SOP, roles, office) is not valid.

    The message always names the file, then the subject (``SOP 'ektp'``), the step
    (``langkah '2'``) and the field (``kolom 'roles'``) when they apply, then the problem in
    Bahasa Indonesia, e.g.
    ``sop/data/ektp.yaml: SOP 'ektp', langkah '2', kolom 'roles': peran tidak dikenal 'lurah'``.
    """

    def __init__(
        self,
        path: str | Path | None,
        problem: str,
        *,
        sop_code: str | None = None,
        step_id: str | None = None,
        field: str | None = None,
        subject: str | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.problem = problem
        self.sop_code = sop_code
        self.step_id = step_id
        self.field = field
        self.subject = subject if subject is not None else (
            f"SOP '{sop_code}'" if sop_code is not None else None
        )
        super().__init__(self._message())

    def _message(self) -> str:
        parts = []
        if self.subject:
            parts.append(self.subject)
        if self.step_id is not None:
            parts.append(f"langkah '{self.step_id}'")
        if self.field is not None:
            parts.append(f"kolom '{self.field}'")
        where = ", ".join(parts)
        head = display_path(self.path)
        return f"{head}: {where}: {self.problem}" if where else f"{head}: {self.problem}"
