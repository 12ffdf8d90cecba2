"""OpenAPI paths of the word to the citizen (issue #20; merged into the workflow document)."""

from __future__ import annotations

from typing import Any

from workflow_service.openapi import _op, _path_param


def paths() -> dict[str, Any]:
    return {
        "/ready-notices/parked": {"get": _op(
            "Parked 'berkas siap diambil' messages (Sekcam, Camat, admin)")},
        "/ready-notices/{notice_id}/retry": {"post": _op(
            "Retry a parked 'berkas siap diambil' message",
            params=[_path_param("notice_id", {"type": "integer", "minimum": 1})])},
    }
