"""Complaints over HTTP: the public form and its page, the inbound webhook, staff intake."""

from __future__ import annotations

import hmac
import logging
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from loket import addresses
from loket.app_support import get_app_settings, get_redis
from loket.auth import require
from loket.errors import TooManyAttempts, Unauthorized, ValidationFailed
from loket.web import MAX_ID
from workflow_service.domain import complaints as rules
from workflow_service.usecases import (
    case_access,
    complaint_register,
    complaints,
    guest_book,
    guests,
    tables,
)
from workflow_service.usecases import reception_engine as engine
from workflow_service.web.common import STAFF, ctx, json_body, principal

logger = logging.getLogger(__name__)
bp = Blueprint("complaints", __name__, template_folder="../templates")

# Body limit of the public form: three attachments of 5 MB, base64 in JSON, and the text.
FORM_MAX_BYTES = 3 * 7 * 1024 * 1024 + 64 * 1024
RATE_LIMIT = (5, 600)  # complaints per address per window (seconds); app config overrides


def client_address() -> str:
    """The caller's address behind LOKET_TRUSTED_PROXIES proxies (``loket.addresses``)."""
    return addresses.client_address(request.remote_addr,
                                    request.headers.get("X-Forwarded-For"),
                                    get_app_settings().trusted_proxies)


def _rate_limit() -> None:
    """A fixed window per client address in Redis; without Redis the form stays open."""
    limit, window = current_app.config.get("COMPLAINT_RATE_LIMIT", RATE_LIMIT)
    key = f"loket:rl:complaints:{client_address()}"
    try:
        redis_client = get_redis()
        count = redis_client.incr(key)
        if count == 1:
            redis_client.expire(key, window)
    except Exception:
        logger.warning("rate limit unavailable (redis); complaint accepted")
        return
    if count > limit:
        raise TooManyAttempts("Terlalu banyak pengaduan dari alamat ini; coba lagi beberapa "
                              "menit lagi.", code="rate_limited")


def _with_track_url(body: dict[str, Any]) -> dict[str, Any]:
    body["track_url"] = f"{request.script_root}/t/{body['tracking_code']}"
    return body


def _public_input() -> dict[str, Any]:
    """JSON, or the page's multipart form (files named ``attachments``)."""
    request.max_content_length = FORM_MAX_BYTES
    if request.mimetype == "multipart/form-data":
        form = request.form
        contact = {"email": form.get("email")} if form.get("email") else (
            {"phone": form.get("phone")} if form.get("phone") else None)
        files = request.files.getlist("attachments")
        if len([f for f in files if f.filename]) > rules.MAX_ATTACHMENTS:
            raise ValidationFailed(f"Lampiran paling banyak {rules.MAX_ATTACHMENTS} berkas.",
                                   field="attachments")
        attachments = tuple(
            rules.check_attachment(f.filename, f.read(rules.MAX_ATTACHMENT_BYTES + 1))
            for f in files if f.filename)
        return {"text": form.get("text"), "contact": contact, "name": form.get("name"),
                "anonymous": form.get("anonymous"), "category": form.get("category"),
                "_attachments": attachments}
    data = json_body()
    data["_attachments"] = rules.decode_attachments(data.get("attachments"))
    return data


@bp.post("/complaints")
def submit_public() -> tuple[Response, int]:
    """Public (no token, rate-limited per address): a complaint -> 201 with its tracking code."""
    _rate_limit()
    data = _public_input()
    item = rules.parse_complaint(data, complaints.categories(), data["_attachments"])
    body = _with_track_url(complaints.take(ctx(), item, channel="web"))
    return jsonify({"tracking_code": body["tracking_code"], "track_url": body["track_url"],
                    "attachments": len(body["attachments"])}), 201


@bp.get("/pengaduan")
def public_page() -> str:
    """The public complaint form, phone-sized, no login, no outside assets."""
    return render_template("pengaduan.html", categories=_category_labels(),
                           max_mb=rules.MAX_ATTACHMENT_BYTES // (1024 * 1024))


def _category_labels() -> list[tuple[str, str]]:
    config = engine.office().services.get(complaints.SOP)
    for question in getattr(config, "questions", []):
        if question.key == "category":
            return [(c.value, c.label) for c in question.choices]
    return []


def _check_inbound_secret() -> None:
    secret = get_app_settings().inbound_secret
    header = request.headers.get("Authorization", "")
    given = header[7:].strip() if header.lower().startswith("bearer ") else ""
    if secret is None or not given or not hmac.compare_digest(
            given.encode(), secret.get_secret_value().encode()):
        raise Unauthorized("Kunci webhook tidak valid.", code="invalid_inbound_secret")


@bp.post("/complaints/inbound")
def inbound() -> tuple[Response, int]:
    """E-mail, WhatsApp or SMS through a gateway (Bearer LOKET_INBOUND_SECRET); idempotent."""
    _check_inbound_secret()
    data = json_body()
    channel = data.get("channel")
    if channel not in rules.INBOUND_CHANNELS:
        raise ValidationFailed(f"Saluran harus salah satu dari: "
                               f"{', '.join(rules.INBOUND_CHANNELS)}.", field="channel")
    message_id = data.get("message_id")
    if not isinstance(message_id, str) or not 1 <= len(message_id) <= 200:
        raise ValidationFailed("message_id wajib diisi (1–200 karakter).", field="message_id")
    contact, text = complaints.inbound_input(channel, data.get("from"),
                                             rules.parse_text(data.get("text")))
    item = rules.ComplaintInput(text=text, contact=contact)
    body, created = complaints.take_inbound(ctx(), item, channel=channel, message_id=message_id)
    return jsonify(_with_track_url(body)), 201 if created else 200


@bp.post("/complaints/intake")
@require(*STAFF)
def staff_intake() -> tuple[Response, int]:
    """Typed in by staff: telephone, letter, counter (a kiosk ticket's text), SP4N-LAPOR!."""
    data = json_body()
    channel = data.get("channel")
    if channel not in rules.STAFF_CHANNELS:
        raise ValidationFailed(f"Saluran harus salah satu dari: "
                               f"{', '.join(rules.STAFF_CHANNELS)}.", field="channel")
    lapor = rules.parse_lapor_reference(data.get("lapor_reference")) \
        if channel == "sp4n_lapor" else None
    ticket = _ticket(data.get("ticket"))
    item = rules.parse_complaint(data, complaints.categories(), contact_required=False)
    body = complaints.take(ctx(), item, channel=channel, actor=principal(), ticket=ticket,
                           lapor_reference=lapor)
    return jsonify(_with_track_url(body)), 201


def _ticket(value: Any) -> tuple[int, str | None] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("id"), int) \
            or isinstance(value.get("id"), bool) or not 1 <= value["id"] <= MAX_ID:
        raise ValidationFailed("Tiket harus berupa objek {id, number}.", field="ticket")
    number = value.get("number")
    if number is not None and (not isinstance(number, str) or len(number) > 8):
        raise ValidationFailed("Nomor tiket paling banyak 8 karakter.", field="ticket.number")
    return value["id"], number


@bp.get("/complaints/<int:case_id>")
@require(*STAFF)
def show(case_id: int) -> Response:
    """The complaint of a case; an anonymous reporter is shown only to the petugas."""
    body, reporter = complaints.shown(ctx(), case_id, principal())
    reporter = case_access.reporter_by_need(ctx(), case_id, principal(), reporter)
    return jsonify({**_with_track_url(body), **reporter})


@bp.get("/complaints/<int:case_id>/attachments/<int:attachment_id>")
@require(*STAFF)
def attachment(case_id: int, attachment_id: int) -> Response:
    """One attachment of the case's complaint, as a download."""
    data, media_type, filename = complaints.attachment_file(ctx(), case_id, attachment_id)
    return Response(data, mimetype=media_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "X-Content-Type-Options": "nosniff"})

@bp.get("/complaints/register")
@require(*STAFF)
def register() -> Response:
    """The complaint register of a month, each step's time against its standard."""
    period = _month()
    columns, rows = complaint_register.book(ctx(), period, _reads_in_full())
    return jsonify({"period": period.label, "columns": columns, "rows": rows})


@bp.get("/complaints/register.<fmt>")
@require(*STAFF)
def register_file(fmt: str) -> Response:
    """The register as CSV, XLSX or printable PDF."""
    period = _month()
    content = complaint_register.export(ctx(), period, fmt, _reads_in_full())
    return Response(content, content_type=tables.FORMATS[fmt], headers={
        "Content-Disposition": f'attachment; filename="register-pengaduan-{period.slug}.{fmt}"'})


def _reads_in_full() -> bool:
    return guests.reads_in_full(principal())


def _month() -> guest_book.Period:
    month = request.args.get("month")
    if not month:
        raise ValidationFailed("Bulan wajib diisi (month=YYYY-MM).", field="month")
    return guest_book.parse_period(None, month)
