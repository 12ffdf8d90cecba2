"""The SOP catalog over HTTP: JSON for programs, a printable sheet for people."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from loket.errors import NotFound
from workflow_service.usecases.context import catalog as _catalog

bp = Blueprint("sops", __name__)


def _sop_or_404(code: str):  # type: ignore[no-untyped-def]
    try:
        return _catalog().get(code)
    except KeyError:
        raise NotFound(f"SOP '{code}' tidak ditemukan.", field="code") from None


@bp.get("/sops/")
def sops_index() -> str:
    """A page listing every SOP with links to its printable sheet."""
    from flask import render_template_string

    return render_template_string(
        """<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>SOP Kecamatan Genteng</title><style>body{font-family:system-ui,sans-serif;max-width:50rem;
margin:2rem auto;padding:0 1rem}li{margin:.5rem 0}</style></head><body>
<h1>Standar Operasional Prosedur — Kecamatan Genteng</h1><ul>
{% for s in sops %}<li><a href="{{ s.code }}/sheet">{{ s.name }}</a> — {{ s.unit }}
(<a href="{{ s.code }}">JSON</a>)</li>{% endfor %}</ul></body></html>""",
        sops=_catalog().all())


@bp.get("/sops/<code>/sheet")
def sop_sheet(code: str) -> str:
    """The office's printable SOP sheet: header block and step table, A4."""
    from sop import load_office
    from sop.render import render_html

    return render_html(_sop_or_404(code), load_office())


@bp.get("/sops")
def list_sops() -> Response:
    """All SOPs, each in full."""
    return jsonify({"sops": [s.to_json() for s in _catalog().all()]})


@bp.get("/sops/<code>")
def show_sop(code: str) -> Response:
    """One SOP as JSON (the same as `loket sop show CODE --json`)."""
    return jsonify(_sop_or_404(code).to_json())
