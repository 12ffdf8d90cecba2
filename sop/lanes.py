"""The document's own Pelaksana columns, its ya/tidak marks, and what the office inferred.

The printed SOPs head their Pelaksana columns in their own words ("Seksi Pem & Tibum",
"Seksi/ Sekcam", "Kepala SKPD", "Kepala Dinas"); the catalog's steps name roles of the role
registry. :func:`lanes` maps each header to the roles it stands for, so the sheet and
``loket sop show`` print the document's columns, not the registry's. A decision row carries
the document's "ya"/"tidak" in the column of the step each answer leads to. :func:`inferences`
lists every reading the office made that the document does not state.
"""

from __future__ import annotations

from dataclasses import dataclass

from sop.model import Sop, Step

MARK_ASSIGNEE = "✓"
MARK_INVOLVED = "•"
MARK_INFERRED = "*"

# A header of the printed table -> the roles it stands for (lower case, spaces collapsed).
LANE_ROLES: dict[str, tuple[str, ...]] = {
    "tamu": ("tamu",), "petugas": ("petugas",), "tujuan": ("tujuan",),
    "pelapor": ("pelapor",), "pemohon": ("pemohon",), "operator": ("operator",),
    "camat": ("camat",), "seksi/ sekcam": ("kasi", "sekcam"),
    "seksi pem & tibum": ("kasi",), "kepala seksi pemerintahan": ("kasi",),
    "kepala skpd": ("camat", "sekcam"), "kepala dinas": ("kadis_dukcapil",),
}
# Headers whose roles are the office's reading of the document's words.
INFERRED_LANES = {"seksi/ sekcam": "Kasi seksi terkait atau Sekretaris Camat",
                  "kepala skpd": "Camat, atau Sekretaris Camat bila didelegasikan",
                  "kepala dinas": "Kepala Dinas Kependudukan dan Pencatatan Sipil"}


@dataclass(frozen=True)
class Lane:
    header: str
    roles: tuple[str, ...]
    note: str | None = None  # set when the roles are an inference


def _key(header: str) -> str:
    return " ".join(header.lower().split())


def lanes(sop: Sop) -> list[Lane]:
    """The Pelaksana columns: the document's headers, else one per acting role."""
    registry = sop.role_registry()
    if not sop.lane_headers:
        return [Lane(registry.get(code).short_label, (code,)) for code in sop.acting_roles()]
    result = []
    for header in sop.lane_headers:
        key = _key(header)
        roles = LANE_ROLES.get(key) or tuple(
            r.code for r in registry if _key(r.short_label) == key or _key(r.label) == key)
        result.append(Lane(header, roles, INFERRED_LANES.get(key)))
    return result


def _lane_of(lanes_: list[Lane], role: str) -> int | None:
    return next((i for i, lane in enumerate(lanes_) if role in lane.roles), None)


def decision_marks(sop: Sop, step: Step, lanes_: list[Lane]) -> dict[int, list[str]]:
    """Lane index -> the decisions marked there: each answer in the column of the step it
    leads to (the document's "tidak" in the Petugas column, "ya" in the Kepala SKPD column)."""
    registry = sop.role_registry()
    branches = {b.when: b for b in step.branches}
    marks: dict[int, list[str]] = {}
    for value in step.outcomes.decisions:
        branch = branches.get(value)
        target = branch.goto if branch is not None and branch.goto else sop.next_step_id(step.id)
        if target is None:
            continue
        index = _lane_of(lanes_, sop.step(target).assignee_for(registry))
        if index is None:
            continue
        inferred = branch is None and step.outcomes.inferred or (
            branch is not None and not branch.explicit)
        marks.setdefault(index, []).append(value + (MARK_INFERRED if inferred else ""))
    return marks


def cells(sop: Sop, step: Step, lanes_: list[Lane]) -> list[str]:
    """Each lane's cell for a step: ✓ (responsible) or • (involved), then its ya/tidak."""
    assignee = step.assignee_for(sop.role_registry())
    acting = {assignee, *step.delegates, *step.roles}
    decisions = decision_marks(sop, step, lanes_)
    result = []
    for i, lane in enumerate(lanes_):
        mark = MARK_ASSIGNEE if assignee in lane.roles else (
            MARK_INVOLVED if acting & set(lane.roles) else "")
        result.append(" ".join([mark, *decisions.get(i, [])]).strip())
    return result


def waktu(step: Step) -> str:
    """The Waktu cell as printed, starred when the office reads days as working days."""
    text = (step.time_standard_text or "-").strip()
    if step.time_standard and "D" in step.time_standard.split("T")[0] and "kerja" not in text:
        text += MARK_INFERRED
    return text


def step_inferences(step: Step) -> list[str]:
    """What the office inferred about one step (each line starts with "Inferensi")."""
    notes = []
    if step.roles_inferred and step.inference_note:
        notes.append(f"Inferensi (pelaksana): {step.inference_note}")
    if step.outcomes.inferred:
        notes.append("Inferensi (keputusan " + " / ".join(step.outcomes.decisions or
                                                            ["pengembalian berkas"]) + ")" +
                     (f": {step.outcomes.note}" if step.outcomes.note else ""))
    for branch in step.branches:
        if not branch.explicit:
            notes.append(f"Inferensi (cabang {branch.label})" +
                         (f": {branch.note}" if branch.note else ""))
        if branch.action == "return_to_applicant":
            notes.append("Inferensi (waktu): jam langkah berhenti selama berkas berada di "
                         "pemohon.")
    if waktu(step).endswith(MARK_INFERRED):
        notes.append(f"Inferensi (waktu): “{step.time_standard_text}” dibaca sebagai hari "
                     "kerja menurut kalender kantor.")
    return notes


def lane_notes(lanes_: list[Lane]) -> list[str]:
    return [f"Inferensi (kolom “{lane.header}”): {lane.note}." for lane in lanes_ if lane.note]
