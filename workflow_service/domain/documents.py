"""Which SOP step produces which document, who issues it and when (issue #17).

A document is issued by a role of the step that produces it, once the case has reached that
step (a signed letter only after the signing step is done), and never on a rejected or
cancelled case. Where each rule comes from (the SOP document itself, or the office's reading of
it) is written beside it; ``docs/security.md`` repeats the table.

Plain Python: the use case passes the pinned SOP's steps and the states the case's steps are in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from workflow_service.domain.permissions import role_kind

ANY_SOP = "*"
# States in which a step has been reached (the file is, or was, at that step).
REACHED = frozenset({"active", "waiting_applicant", "done"})
CLOSED_CASE = {"rejected": "ditolak", "cancelled": "dibatalkan"}


@dataclass(frozen=True)
class DocumentRule:
    title: str  # as the officer reads it
    produced_at: Mapping[str, tuple[str, ...]]  # SOP code (or ANY_SOP) -> producing step ids
    after_done: bool  # only once the producing step is done (a signed letter)
    source: str  # where the rule comes from


RULES: dict[str, DocumentRule] = {
    # The office's reading: the SOPs record the file's receipt at step 1 ("Petugas menerima
    # berkas", Kelengkapan "Buku register"); the receipt is what the petugas hands over.
    "tanda_terima": DocumentRule(
        "Tanda terima berkas", {ANY_SOP: ("1",)}, after_done=False,
        source="bacaan kantor: penerimaan berkas di langkah 1"),
    # e-KTP step 4's Output is "Surat Pengantar dan biodata pemohon" (the document's own). KK
    # step 5 is the same "Registrasi Produk" by the petugas (the office's reading).
    "surat_pengantar": DocumentRule(
        "Surat pengantar", {"ektp": ("4",), "kk": ("5",)}, after_done=False,
        source="dokumen: e-KTP langkah 4 (Output); bacaan kantor: KK langkah 5"),
    # Pengaduan 2b and 2c list "Lembar disposisi" in their Kelengkapan (the document's own).
    "lembar_disposisi": DocumentRule(
        "Lembar disposisi", {"pengaduan": ("2b", "2c")}, after_done=False,
        source="dokumen: Pengaduan langkah 2b dan 2c (Kelengkapan)"),
    # Rekomendasi step 3's Output is "Rekomendasi": the Camat/Sekcam signs (the document's).
    "rekomendasi": DocumentRule(
        "Surat rekomendasi", {"rekomendasi": ("3",)}, after_done=True,
        source="dokumen: Rekomendasi langkah 3 (Output), sesudah penandatanganan"),
}


@dataclass(frozen=True)
class Refusal:
    status: int  # 403 (not the caller's to issue) or 409 (not in this state)
    code: str
    message: str


def issuing_roles(raw_step: Mapping[str, Any]) -> frozenset[str]:
    """The staff roles of a step as the SOP writes it: its roles, assignee and delegates."""
    named = [*raw_step.get("roles", ()), *raw_step.get("delegates", ()),
             *([raw_step["assignee"]] if raw_step.get("assignee") else [])]
    return frozenset(r for r in named if role_kind(r) == "staff")


def producing_steps(kind: str, sop_code: str) -> tuple[str, ...]:
    rule = RULES[kind]
    return rule.produced_at.get(sop_code) or rule.produced_at.get(ANY_SOP) or ()


def _labels(roles: Iterable[str], labels: Mapping[str, str]) -> str:
    return "/".join(labels.get(r, r) for r in sorted(roles))


def check_issue(kind: str, *, sop_code: str, case_status: str,
                raw_steps: Mapping[str, Mapping[str, Any]],
                step_states: Mapping[str, set[str]], actor_roles: frozenset[str],
                role_labels: Mapping[str, str]) -> Refusal | None:
    """Why ``actor_roles`` may not issue ``kind`` now, or None when they may.

    ``raw_steps``: the pinned SOP's steps by id; ``step_states``: per step id, the states its
    runs are in (a step run again after a return has two).
    """
    rule = RULES[kind]
    if case_status in CLOSED_CASE:
        return Refusal(409, "case_closed", f"Kasus ini sudah {CLOSED_CASE[case_status]}; "
                       f"{rule.title.lower()} tidak dapat diterbitkan.")
    keys = [k for k in producing_steps(kind, sop_code) if k in raw_steps]
    wanted = {"done"} if rule.after_done else REACHED
    ready = [k for k in keys if step_states.get(k, set()) & wanted]
    if not ready:
        where = " atau ".join(f"langkah {k}" for k in keys) or "-"
        roles = _labels({r for k in keys for r in issuing_roles(raw_steps[k])}, role_labels)
        when = (f"setelah {where} ({roles}) selesai" if rule.after_done
                else f"setelah kasus sampai di {where}")
        return Refusal(409, "document_not_ready", f"{rule.title} baru dapat diterbitkan {when}.")
    allowed = {r for k in ready for r in issuing_roles(raw_steps[k])}
    if not actor_roles & allowed:
        return Refusal(403, "outside_remit",
                       f"{rule.title} diterbitkan oleh {_labels(allowed, role_labels)} "
                       f"(langkah {', '.join(ready)}); peran Anda "
                       f"({_labels(actor_roles, role_labels) or '-'}) tidak berwenang.")
    return None
