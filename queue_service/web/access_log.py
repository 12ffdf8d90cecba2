"""The access log of personal data, for the administrator (issue #17)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from loket.auth import require
from queue_service.usecases import access_review
from queue_service.web.common import ctx

bp = Blueprint("queue_access_log", __name__)


@bp.get("/admin/access-log")
@require("admin")
def access_log() -> Response:
    """Who read a visitor's full NIK or phone, newest first; ``from``, ``to``, ``staff``,
    ``page``, ``per_page``."""
    return jsonify(access_review.review(ctx(), request.args))
