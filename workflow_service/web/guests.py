"""Guest reception over HTTP: the card pool, check-in, check-out, who is inside, the buku tamu."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from loket.auth import require
from workflow_service.domain.guests import parse_guest
from workflow_service.domain.permissions import ADMIN, PETUGAS
from workflow_service.usecases import guest_book, guests
from workflow_service.web.common import STAFF, ctx, json_body, principal

bp = Blueprint("guests", __name__)

# The receptionist is a petugas; admin passes every require().
RECEPTION = (PETUGAS,)


@bp.get("/guests/cards")
@require(*STAFF)
def cards() -> Response:
    """The office's visitor cards and whether each is free."""
    return jsonify({"cards": guests.cards(ctx())})


@bp.put("/guests/cards")
@require(ADMIN)
def set_cards() -> Response:
    """Admin: the pool is cards 1..count."""
    return jsonify({"cards": guests.replace_pool(ctx(), json_body().get("count"))})


@bp.post("/guests")
@require(*RECEPTION)
def check_in() -> tuple[Response, int]:
    """Buku tamu entry + identity card held + visitor card out; 409 if the card is out."""
    entry = parse_guest(json_body())
    return jsonify(guests.receive(ctx(), entry, principal())), 201


@bp.post("/guests/<int:guest_id>/checkout")
@require(*RECEPTION)
def check_out(guest_id: int) -> Response:
    """Visitor card back, identity card back; the penerimaan-tamu case closes."""
    return jsonify(guests.see_out(ctx(), guest_id, principal()))


@bp.get("/guests/inside")
@require(*STAFF)
def inside() -> Response:
    """Who is inside now (identity cards masked; names only for the receptionist)."""
    return jsonify({"guests": guests.inside_json(ctx(), principal())})


@bp.get("/guests")
@require(*STAFF)
def guest_book_json() -> Response:
    """The buku tamu of one day (``date``) or month (``month``)."""
    period = guest_book.parse_period(request.args.get("date"), request.args.get("month"))
    full = guests.reads_in_full(principal())
    return jsonify({"period": period.label, "rows": guest_book.book(ctx(), period, full)})


@bp.get("/guests/export.<fmt>")
@require(*STAFF)
def export(fmt: str) -> Response:
    """CSV, XLSX or printable PDF of the buku tamu for a day or a month."""
    period = guest_book.parse_period(request.args.get("date"), request.args.get("month"))
    content = guest_book.export(ctx(), period, fmt, guests.reads_in_full(principal()))
    filename = f"buku-tamu-{period.slug}.{fmt}"
    return Response(content, content_type=guest_book.FORMATS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
