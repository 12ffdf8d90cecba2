"""Public read endpoints: services, ticket status by tracking code, board."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from queue_service.usecases import hall, tickets
from queue_service.web import phone
from queue_service.web.common import ctx, query_list

bp = Blueprint("queue_public", __name__)


@bp.get("/services")
def list_services() -> Response:
    """The services a visitor can choose, with waiting counts and estimates.

    ``office.open`` is false outside the opening hours (when enforced); ``office.message`` then
    says so, with the hours and the next opening, for the kiosk to show before anyone starts.
    """
    context = ctx()
    return jsonify({"services": hall.list_services(context),
                    "office": hall.office_state(context)})


@bp.get("/tickets/<string:tracking_code>")
def ticket_status(tracking_code: str) -> Response | tuple[Response, int]:
    """A visitor's own ticket, by the code printed on the slip. No personal data. A browser
    (``Accept: text/html``) gets the live ticket page instead of the JSON."""
    if phone.wants_html():
        return phone.page(tracking_code)
    response = jsonify(tickets.public_status(ctx(), tracking_code))
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/board")
def board() -> Response:
    """What the waiting-room TV shows."""
    return jsonify(hall.board(ctx(), query_list("services")))


# The live events (/events, /tickets/<code>/events) are served by the stream process
# (stream_service), so an open stream never holds one of this app's request threads.
