"""Public tracking: the JSON status and the page the QR on the receipt opens. No login."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template

from workflow_service.usecases import ready_notice, tracking
from workflow_service.web.common import ctx

bp = Blueprint("tracking", __name__, template_folder="../templates")


@bp.get("/track/<code>")
def track(code: str) -> Response:
    """Public: where a case is, what comes next, expected completion. No personal data."""
    return jsonify(tracking.track(ctx(), code))


@bp.get("/t/<code>")
def track_page(code: str) -> str:
    """The same for a phone screen; any failure reads as one of the project's own sentences."""
    data, error = tracking.track_page(ctx(), code)
    pickup = ready_notice.tracking_words(data, ctx().settings) if data else None  # issue #20
    return render_template("track.html", data=data, error=error, code=code, pickup=pickup)
