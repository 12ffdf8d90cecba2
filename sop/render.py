"""Render an SOP as a terminal table or as the office's printable SOP sheet (HTML, A4)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from sop.durations import format_duration_id
from sop.model import Branch, Sop, Step
from sop.office import Office

TEMPLATES = Path(__file__).parent / "templates"
MARK_ASSIGNEE = "✓"
MARK_INVOLVED = "•"

_ACTIONS_ID = {
    "goto": "lanjut ke langkah {goto}",
    "return_to_applicant": "berkas dikembalikan ke pemohon, dilanjutkan di langkah {goto}",
    "reject": "permohonan ditolak",
}


def branch_text(branch: Branch) -> str:
    """One line of Bahasa Indonesia describing a branch."""
    text = f"{branch.label}: {_ACTIONS_ID[branch.action].format(goto=branch.goto)}"
    if not branch.explicit:
        text += " (tersirat)"
    return text


def mark(sop: Sop, step: Step, role: str) -> str:
    """✓ for the role the step is assigned to, • for another role acting in it."""
    if role not in step.roles:
        return ""
    return MARK_ASSIGNEE if step.assignee_for(sop.role_registry()) == role else MARK_INVOLVED


def waktu(step: Step) -> str:
    return (step.time_standard_text or "-").strip()


def render_table(sop: Sop, width: int = 150) -> str:
    """Plain-text table like the printed "Mutu Baku" table, wrapped to about ``width`` columns."""
    registry = sop.role_registry()
    roles = sop.acting_roles()
    role_heads = [registry.get(r).short_label for r in roles]
    fixed = {"no": 3, "waktu": 10}
    role_widths = [max(len(h), 3) for h in role_heads]
    # Share the rest between Kegiatan, Kelengkapan and Output (2 : 1 : 1).
    borders = 3 * (4 + len(roles) + 2) + 1
    rest = max(width - borders - fixed["no"] - fixed["waktu"] - sum(role_widths), 40)
    w_act, w_req = rest // 2, rest // 4
    w_out = rest - w_act - w_req
    heads = ["No", "Kegiatan", *role_heads, "Kelengkapan", "Waktu", "Output"]
    widths = [fixed["no"], w_act, *role_widths, w_req, fixed["waktu"], w_out]

    def wrap_lines(items: list[str], w: int, bullet: bool) -> list[str]:
        out: list[str] = []
        for item in items:
            prefix = "- " if bullet and len(items) > 1 else ""
            out += textwrap.wrap(prefix + item, w, subsequent_indent=" " * len(prefix)) or [""]
        return out

    def row(cells: list[list[str]]) -> list[str]:
        height = max(len(c) for c in cells)
        lines = []
        for i in range(height):
            parts = []
            for cell, w in zip(cells, widths, strict=True):
                text = cell[i] if i < len(cell) else ""
                parts.append(text.ljust(w))
            lines.append("| " + " | ".join(parts) + " |")
        return lines

    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    out = [sop.table_title or f"STANDAR OPERASIONAL PROSEDUR {sop.title}",
           f"{sop.name} ({sop.code}, versi {sop.version}) — {sop.unit}", rule]
    out += row([[h] if len(h) <= w else textwrap.wrap(h, w) for h, w in zip(heads, widths,
                                                                              strict=True)])
    out.append(rule.replace("-", "="))
    for step in sop.steps:
        cells = [
            [step.no is not None and str(step.no) or ""],
            wrap_lines(step.activity_lines, w_act, bullet=True),
            *[[mark(sop, step, r).center(w)] for r, w in zip(roles, role_widths, strict=True)],
            wrap_lines(step.requirements or ["-"], w_req, bullet=True),
            textwrap.wrap(waktu(step), fixed["waktu"]),
            wrap_lines(step.output or ["-"], w_out, bullet=True),
        ]
        out += row(cells)
        out.append(rule)
    out.append(f"{MARK_ASSIGNEE} = penanggung jawab langkah, {MARK_INVOLVED} = ikut melaksanakan")
    return "\n".join(out + _branch_notes(sop))


def _branch_notes(sop: Sop) -> list[str]:
    notes = []
    for step in sop.steps:
        for b in step.branches:
            notes.append(f"  Langkah {step.id}: {branch_text(b)}")
        for c in step.conditions:
            notes.append(f"  Langkah {step.id}: {c.label} — {c.rule}")
    return ["Cabang dan ketentuan:", *notes] if notes else []


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["durasi"] = format_duration_id
    return env


def render_html(sop: Sop, office: Office) -> str:
    """The office's printable SOP sheet (Bahasa Indonesia, inline CSS, A4)."""
    registry = sop.role_registry()
    roles = [registry.get(code) for code in sop.acting_roles()]
    steps = []
    for step in sop.steps:
        remarks = [branch_text(b) for b in step.branches]
        remarks += [f"{c.label}: {c.rule}" for c in step.conditions]
        remarks += list(step.notes)
        if step.roles_inferred and step.inference_note:
            remarks.append(f"Pelaksana disimpulkan: {step.inference_note}")
        remarks += [f"Koreksi ejaan: “{c.original}” → “{c.corrected}”" for c in step.corrections]
        steps.append({
            "step": step,
            "marks": [mark(sop, step, r.code) for r in roles],
            "remarks": remarks,
        })
    template = _env().get_template("sop_sheet.html")
    return template.render(sop=sop, office=office, roles=roles, steps=steps,
                           dates=sop.dates.parsed(), mark_assignee=MARK_ASSIGNEE,
                           mark_involved=MARK_INVOLVED)
