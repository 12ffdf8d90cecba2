"""Complaint intake rules in plain Python: the reporter's contact, the text (no markup), the
attachments (images and PDF only, by their content, at most 5 MB), the inbound message shape."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from typing import Any

from loket.errors import ValidationFailed
from loket.text_input import check_text

MAX_TEXT = 4000
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 3
INBOUND_CHANNELS = ("whatsapp", "sms", "email")
# Channels staff type in, and the counter (a kiosk ticket's complaint reaches its case there).
STAFF_CHANNELS = ("loket", "telepon", "surat", "langsung", "sp4n_lapor", "email", "whatsapp",
                  "sms")
# Media types recognised by their first bytes; the file name and the declared type are ignored.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_MARKUP = re.compile(r"<\s*/?\s*[a-z!][^>]*>|javascript\s*:|\bon[a-z]+\s*=", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s<>]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$")
_LAPOR = re.compile(r"^[A-Z0-9-]{4,40}$")


@dataclass(frozen=True)
class Contact:
    kind: str  # email | phone
    value: str


@dataclass(frozen=True)
class Attachment:
    filename: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class ComplaintInput:
    text: str
    contact: Contact | None
    name: str | None = None
    anonymous: bool = False
    category: str | None = None
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)


def parse_text(value: Any, fieldname: str = "text") -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed("Isi pengaduan wajib diisi.", field=fieldname)
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise ValidationFailed(f"Isi pengaduan paling banyak {MAX_TEXT} karakter.",
                               field=fieldname)
    check_text(text, fieldname, max_length=MAX_TEXT, label="Isi pengaduan")
    if _MARKUP.search(text):
        raise ValidationFailed("Isi pengaduan tidak boleh berisi kode HTML atau skrip; "
                               "tuliskan dengan kata-kata biasa.", field=fieldname,
                               code="markup_in_text")
    return text


def parse_phone(value: Any, fieldname: str) -> str:
    """An Indonesian mobile number as +62…; ``08…``, ``628…`` and ``+628…`` are accepted."""
    if not isinstance(value, str):
        raise ValidationFailed("Nomor telepon harus berupa teks.", field=fieldname)
    digits = re.sub(r"[\s().-]", "", value)
    if digits.startswith("+"):
        digits = digits[1:]
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    if not re.fullmatch(r"62\d{8,13}", digits):
        raise ValidationFailed("Nomor telepon tidak valid (contoh: 0812 3456 7890).",
                               field=fieldname)
    return "+" + digits


def parse_email(value: Any, fieldname: str) -> str:
    if not isinstance(value, str) or not _EMAIL.match(value.strip()):
        raise ValidationFailed("Alamat e-mail tidak valid (contoh: nama@contoh.id).",
                               field=fieldname)
    check_text(value.strip(), fieldname, max_length=254, label="Alamat e-mail", multiline=False)
    return value.strip()


def parse_contact(value: Any, required: bool = True) -> Contact | None:
    if value is None or value == {}:
        if required:
            raise ValidationFailed("Kontak wajib diisi: e-mail atau nomor telepon/WhatsApp, "
                                   "untuk mengirim tanggapan.", field="contact")
        return None
    if not isinstance(value, dict):
        raise ValidationFailed("Kontak harus berupa objek {email} atau {phone}.",
                               field="contact")
    if value.get("email"):
        return Contact("email", parse_email(value["email"], "contact.email"))
    if value.get("phone"):
        return Contact("phone", parse_phone(value["phone"], "contact.phone"))
    if required:
        raise ValidationFailed("Isi e-mail atau nomor telepon/WhatsApp.", field="contact")
    return None


def sniff(data: bytes) -> str | None:
    for magic, media_type in SIGNATURES:
        if data.startswith(magic):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def check_attachment(filename: Any, data: bytes) -> Attachment:
    name = filename if isinstance(filename, str) and filename.strip() else "lampiran"
    name = re.sub(r"[^\w.\- ]", "_", name.strip())[:120]
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ValidationFailed(f"Lampiran '{name}' lebih dari 5 MB.", field="attachments",
                               code="attachment_too_large", status=413)
    media_type = sniff(data)
    if media_type is None:
        raise ValidationFailed(f"Lampiran '{name}' bukan gambar (JPG, PNG, GIF, WEBP) atau PDF.",
                               field="attachments", code="attachment_type", status=415)
    return Attachment(name, media_type, data)


def decode_attachments(value: Any) -> tuple[Attachment, ...]:
    """JSON attachments: ``[{"filename", "content_base64"}]``."""
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_ATTACHMENTS:
        raise ValidationFailed(f"Lampiran paling banyak {MAX_ATTACHMENTS} berkas.",
                               field="attachments")
    result = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("content_base64"), str):
            raise ValidationFailed("Setiap lampiran berisi filename dan content_base64.",
                                   field="attachments")
        try:
            data = base64.b64decode(item["content_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise ValidationFailed("Isi lampiran bukan base64 yang valid.",
                                   field="attachments") from None
        result.append(check_attachment(item.get("filename"), data))
    return tuple(result)


def _flag(value: Any, fieldname: str) -> bool:
    if value in (None, "", False, "false", "0", "off"):
        return False
    if value in (True, "true", "1", "on"):
        return True
    raise ValidationFailed("Isian ini harus benar atau salah (true/false).", field=fieldname)


def parse_complaint(data: dict[str, Any], categories: tuple[str, ...],
                    attachments: tuple[Attachment, ...] = (),
                    contact_required: bool = True) -> ComplaintInput:
    text = parse_text(data.get("text"))
    contact = parse_contact(data.get("contact"), required=contact_required)
    name = data.get("name")
    if name is not None and name != "":
        if not isinstance(name, str) or len(name.strip()) > 120:
            raise ValidationFailed("Nama paling banyak 120 karakter.", field="name")
        check_text(name, "name", max_length=120, label="Nama", multiline=False)
        if _MARKUP.search(name):
            raise ValidationFailed("Nama tidak boleh berisi kode HTML atau skrip.", field="name")
    category = data.get("category") or None
    if category is not None and category not in categories:
        raise ValidationFailed(f"Jenis pengaduan harus salah satu dari: {', '.join(categories)}.",
                               field="category")
    return ComplaintInput(text=text, contact=contact,
                          name=name.strip() if isinstance(name, str) and name.strip() else None,
                          anonymous=_flag(data.get("anonymous"), "anonymous"),
                          category=category, attachments=attachments)


def parse_lapor_reference(value: Any) -> str:
    if not isinstance(value, str) or not _LAPOR.match(value.strip().upper()):
        raise ValidationFailed("Nomor tiket SP4N-LAPOR! wajib diisi (huruf/angka, 4–40).",
                               field="lapor_reference")
    return value.strip().upper()


def reply_channel(contact: Contact | None, channel: str) -> str | None:
    """The answer goes back the way it came: e-mail, or WhatsApp/SMS for a phone number."""
    if contact is None:
        return None
    if contact.kind == "email":
        return "email"
    return "sms" if channel == "sms" else "whatsapp"
