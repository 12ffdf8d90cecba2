"""Reading YAML data files and turning pydantic errors into SopValidationError."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sop.errors import SopValidationError

_TYPE_MESSAGES = {
    "missing": "wajib diisi",
    "extra_forbidden": "kolom tidak dikenal",
    "string_type": "harus berupa teks",
    "int_type": "harus berupa bilangan bulat",
    "int_parsing": "harus berupa bilangan bulat",
    "int_from_float": "harus berupa bilangan bulat",
    "bool_type": "harus berupa true/false",
    "bool_parsing": "harus berupa true/false",
    "list_type": "harus berupa daftar",
    "dict_type": "harus berupa pemetaan (kolom: nilai)",
    "model_type": "harus berupa pemetaan (kolom: nilai)",
    "model_attributes_type": "harus berupa pemetaan (kolom: nilai)",
    "too_short": "tidak boleh kosong",
    "string_too_short": "tidak boleh kosong",
}


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false, so a key ``no:`` stays the text "no"."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader


def read_mapping(path: Path, subject: str | None = None) -> dict[str, Any]:
    """Read a YAML file whose top level must be a mapping; every failure is SopValidationError.

    ``subject`` names what the file holds in error messages (default ``SOP '<file stem>'``).
    """
    subject = subject if subject is not None else f"SOP '{path.stem}'"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SopValidationError(path, "berkas tidak ditemukan") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SopValidationError(path, f"berkas tidak dapat dibaca: {exc}") from exc
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (baris {mark.line + 1}, kolom {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SopValidationError(
            path, f"YAML tidak valid{where}: {problem}", subject=subject
        ) from exc
    if data is None:
        raise SopValidationError(path, "berkas kosong", subject=subject)
    if not isinstance(data, dict):
        raise SopValidationError(
            path,
            f"isi berkas harus berupa pemetaan (kolom: nilai), bukan {type(data).__name__}",
            subject=subject,
        )
    return data


def problem_text(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "value_error":
        msg = str(err.get("msg", ""))
        return msg.removeprefix("Value error, ")
    if kind in _TYPE_MESSAGES:
        text = _TYPE_MESSAGES[kind]
        if kind not in {"missing", "extra_forbidden"}:
            text += f" (nilai: {err.get('input')!r})"
        return text
    if kind == "literal_error":
        ctx = err.get("ctx") or {}
        return f"nilai {err.get('input')!r} tidak diizinkan (pilihan: {ctx.get('expected', '?')})"
    if kind == "string_pattern_mismatch":
        ctx = err.get("ctx") or {}
        return f"format tidak sesuai {ctx.get('pattern', '')!s} (nilai: {err.get('input')!r})"
    return str(err.get("msg", kind))


def format_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "-"


def from_pydantic(
    exc: ValidationError,
    path: Path,
    *,
    locate: Callable[[tuple[Any, ...]], tuple[str | None, str | None, tuple[Any, ...]]],
) -> SopValidationError:
    """Convert the first pydantic error; ``locate`` maps a loc to (subject, step id, rest)."""
    errors = exc.errors()
    first = errors[0]
    subject, step_id, rest = locate(tuple(first["loc"]))
    problem = problem_text(dict(first))
    if len(errors) > 1:
        problem += f" (dan {len(errors) - 1} kesalahan lain)"
    return SopValidationError(
        path, problem, subject=subject, step_id=step_id, field=format_loc(rest)
    )
