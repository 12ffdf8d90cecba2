"""The SOP catalog over HTTP: JSON for programs, a printable sheet for people."""

from __future__ import annotations

import functools

from flask import Blueprint, Response, jsonify

from loket.errors import NotFound

bp = Blueprint("sops", __name__)


@functools.cache
def _catalog():  # type: ignore[no-untyped-def]
    from sop import load_catalog

    return load_catalog()


def _sop_or_404(code: str):  # type: ignore[no-untyped-def]
    try:
        return _catalog().get(code)
    except KeyError:
        raise NotFound(f"SOP '{code}' tidak ditemukan.", field="code") from None


@bp.get("/sops")
def list_sops() -> Response:
    """All SOPs, each in full."""
    return jsonify({"sops": [s.to_json() for s in _catalog().all()]})


@bp.get("/sops/<code>")
def show_sop(code: str) -> Response:
    """One SOP as JSON (the same as `loket sop show CODE --json`)."""
    return jsonify(_sop_or_404(code).to_json())
