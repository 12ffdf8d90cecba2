"""Guest reception over HTTP: the card pool, check-in, check-out, who is inside, the buku tamu."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from loket import events
from loket.app_support import get_db, get_redis
from loket.auth import Principal, current_principal, require
from workflow_service.domain.guests import parse_guest
from workflow_service.usecases import guest_book, guests
from workflow_service.web.common import json_body

bp = Blueprint("guests", __name__)

STAFF = ("petugas", "operator", "kasi", "sekcam", "camat")
RECEPTION = ("petugas",)  # the receptionist is a petugas; admin passes every require()


def _actor() -> Principal:
    principal = current_principal()
    assert principal is not None
    return principal


@bp.get("/guests/cards")
@require(*STAFF)
def cards() -> Response:
    """The office's visitor cards and whether each is free."""
    with get_db().read_session() as session:
        return jsonify({"cards": guests.list_cards(session)})


@bp.put("/guests/cards")
@require("admin")
def set_cards() -> Response:
    """Admin: the pool is cards 1..count."""
    data = json_body()
    with get_db().session() as session:
        return jsonify({"cards": guests.set_pool(session, data.get("count"))})


@bp.post("/guests")
@require(*RECEPTION)
def check_in() -> tuple[Response, int]:
    """Buku tamu entry + identity card held + visitor card out; 409 if the card is out."""
    entry = parse_guest(json_body())
    actor = _actor()
    with get_db().session() as session:
        outcome = guests.check_in(session, entry, actor)
        body = guests.guest_json(outcome.guest, guests.reads_in_full(actor))
    events.publish_after_commit(get_db(), get_redis(), outcome.event_ids)
    return jsonify(body), 201


@bp.post("/guests/<int:guest_id>/checkout")
@require(*RECEPTION)
def check_out(guest_id: int) -> Response:
    """Visitor card back, identity card back; the penerimaan-tamu case closes."""
    actor = _actor()
    with get_db().session() as session:
        outcome = guests.check_out(session, guest_id, actor)
        body = guests.guest_json(outcome.guest, guests.reads_in_full(actor))
    events.publish_after_commit(get_db(), get_redis(), outcome.event_ids)
    return jsonify(body)


@bp.get("/guests/inside")
@require(*STAFF)
def inside() -> Response:
    """Who is inside now (identity cards masked; names only for the receptionist)."""
    full = guests.reads_in_full(_actor())
    with get_db().read_session() as session:
        return jsonify({"guests": [guests.guest_json(g, full) for g in guests.inside(session)]})


@bp.get("/guests")
@require(*STAFF)
def guest_book_json() -> Response:
    """The buku tamu of one day (``date``) or month (``month``)."""
    period = guest_book.parse_period(request.args.get("date"), request.args.get("month"))
    full = guests.reads_in_full(_actor())
    with get_db().read_session() as session:
        return jsonify({"period": period.label, "rows": guest_book.rows(session, period, full)})


@bp.get("/guests/export.<fmt>")
@require(*STAFF)
def export(fmt: str) -> Response:
    """CSV, XLSX or printable PDF of the buku tamu for a day or a month."""
    period = guest_book.parse_period(request.args.get("date"), request.args.get("month"))
    full = guests.reads_in_full(_actor())
    with get_db().read_session() as session:
        content = guest_book.render(session, period, fmt, full)
    filename = f"buku-tamu-{period.slug}.{fmt}"
    return Response(content, content_type=guest_book.FORMATS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
