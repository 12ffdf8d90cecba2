"""The visitor's ticket page: the QR's URL answers HTML to a browser (content negotiation)."""

from __future__ import annotations

from flask import Response, render_template, request, url_for

from queue_service.domain import skm
from queue_service.domain.errors import TicketNotFound
from queue_service.domain.states import STATUS_LABELS
from queue_service.usecases import citizen
from queue_service.web.common import ctx


def wants_html() -> bool:
    """A browser (text/html preferred over JSON); API clients keep today's JSON."""
    accept = request.accept_mimetypes
    return accept["text/html"] > accept["application/json"]


def page(tracking_code: str) -> tuple[Response, int]:
    """The live ticket page, or a page saying the code is unknown."""
    try:
        data = citizen.ticket_page(ctx(), tracking_code)
    except TicketNotFound:
        return _html(render_template("phone_unknown.html")), 404
    ticket = data["ticket"]
    status_url = url_for("queue_public.ticket_status", tracking_code=tracking_code)
    html = render_template(
        "phone_ticket.html", ticket=ticket, office=data["office"], labels=STATUS_LABELS,
        status_url=status_url, events_url=f"{status_url}/events",
        survey_url=url_for("queue_survey.submit", tracking_code=tracking_code),
        survey_state=data["survey"],
        standard_url=url_for("queue_standard.page", code=ticket["service"]),
        unsur=skm.UNSUR, age_range=skm.AGE_RANGE, genders=skm.GENDERS,
        educations=skm.EDUCATIONS, occupations=skm.OCCUPATIONS)
    return _html(html), 200


def _html(html: str) -> Response:
    response = Response(html, mimetype="text/html")
    response.headers["Vary"] = "Accept"
    response.headers["Cache-Control"] = "no-store"
    return response
