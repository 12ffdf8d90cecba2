"""Render an SOP as a terminal table or as the office's printable SOP sheet (HTML, A4)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from sop import lanes as sop_lanes
from sop.durations import format_duration_id
from sop.model import Branch, Sop, Step
from sop.office import Office

TEMPLATES = Path(__file__).parent / "templates"
MARK_ASSIGNEE = sop_lanes.MARK_ASSIGNEE
MARK_INVOLVED = sop_lanes.MARK_INVOLVED

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


def waktu(step: Step) -> str:
    return sop_lanes.waktu(step)


def render_table(sop: Sop, width: int = 150) -> str:
    """Plain-text table like the printed "Mutu Baku" table, wrapped to about ``width`` columns."""
    lanes = sop_lanes.lanes(sop)
    roles = lanes
    role_heads = [lane.header for lane in lanes]
    fixed = {"no": 3, "waktu": 10}
    all_cells = [sop_lanes.cells(sop, step, lanes) for step in sop.steps]
    role_widths = [max(len(h), 3, *(len(row[i]) for row in all_cells))
                   for i, h in enumerate(role_heads)]
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
            *[[c.center(w)] for c, w in zip(sop_lanes.cells(sop, step, lanes), role_widths,
                                            strict=True)],
            wrap_lines(step.requirements or ["-"], w_req, bullet=True),
            textwrap.wrap(waktu(step), fixed["waktu"]),
            wrap_lines(step.output or ["-"], w_out, bullet=True),
        ]
        out += row(cells)
        out.append(rule)
    out.append(f"{MARK_ASSIGNEE} = penanggung jawab langkah, {MARK_INVOLVED} = ikut melaksanakan"
               f", ya/tidak = keputusan menuju kolom itu, {sop_lanes.MARK_INFERRED} = inferensi "
               "kantor (tidak tertulis di dokumen)")
    return "\n".join(out + _branch_notes(sop) + _inference_notes(sop, lanes))


def _inference_notes(sop: Sop, lanes: list[sop_lanes.Lane]) -> list[str]:
    notes = [f"  {n}" for n in sop_lanes.lane_notes(lanes)]
    for step in sop.steps:
        notes += [f"  Langkah {step.id}: {n}" for n in sop_lanes.step_inferences(step)]
    return ["Inferensi (bacaan kantor, tidak tertulis di dokumen):", *notes] if notes else []


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
    lanes = sop_lanes.lanes(sop)
    steps = []
    for step in sop.steps:
        remarks = [branch_text(b) for b in step.branches]
        remarks += [f"{c.label}: {c.rule}" for c in step.conditions]
        remarks += list(step.notes)
        remarks += [f"Koreksi ejaan: “{c.original}” → “{c.corrected}”" for c in step.corrections]
        steps.append({
            "step": step,
            "marks": sop_lanes.cells(sop, step, lanes),
            "waktu": sop_lanes.waktu(step),
            "remarks": remarks,
            "inferences": sop_lanes.step_inferences(step),
        })
    template = _env().get_template("sop_sheet.html")
    return template.render(sop=sop, office=office, lanes=lanes, steps=steps,
                           lane_notes=sop_lanes.lane_notes(lanes),
                           dates=sop.dates.parsed(), mark_assignee=MARK_ASSIGNEE,
                           mark_involved=MARK_INVOLVED, mark_inferred=sop_lanes.MARK_INFERRED)
