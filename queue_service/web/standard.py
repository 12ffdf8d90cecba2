"""Standar pelayanan (PermenPANRB 15/2014) per service: a public page and an A4 poster."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template

from queue_service.usecases import citizen
from queue_service.web.common import ctx
from queue_service.web.phone import wants_html

bp = Blueprint("queue_standard", __name__)


@bp.get("/services/<string:code>/standar")
def page(code: str) -> Response:
    """The standar pelayanan of a service: a page for a browser, JSON for an API client."""
    data = citizen.standard(ctx(), code)
    if wants_html():
        response = Response(render_template("standard_page.html", s=data, poster=False),
                            mimetype="text/html")
    else:
        response = jsonify(data)
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/services/<string:code>/standar/poster")
def poster(code: str) -> Response:
    """The same as a printable A4 poster (HTML, print from the browser)."""
    data = citizen.standard(ctx(), code)
    return Response(render_template("standard_page.html", s=data, poster=True),
                    mimetype="text/html")


@bp.get("/services/<string:code>/standar/poster.pdf")
def poster_pdf(code: str) -> Response:
    """The A4 poster as PDF (WeasyPrint)."""
    from weasyprint import HTML

    html = render_template("standard_page.html", s=citizen.standard(ctx(), code), poster=True)
    return Response(HTML(string=html).write_pdf(), mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename=standar-{code}.pdf"})
