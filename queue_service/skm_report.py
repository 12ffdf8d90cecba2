"""The IKM report as a page, a PDF (WeasyPrint) and a workbook (openpyxl), from the report JSON
of usecases.survey.report. Adapters only: no figure is computed here."""

from __future__ import annotations

import io
from typing import Any

from flask import render_template


def render_html(report: dict[str, Any]) -> str:
    return render_template("skm_report.html", r=report)


def render_pdf(report: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    buffer = io.BytesIO()
    HTML(string=render_html(report)).write_pdf(buffer)
    return buffer.getvalue()


def render_xlsx(report: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "IKM"
    sheet.append(["Indeks Kepuasan Masyarakat", report["office"]])
    sheet.append(["Periode", report["from"], report["to"]])
    sheet.append(["Layanan", report["service"]["name"] if report["service"] else "Semua layanan"])
    sheet.append([])
    sheet.append(["Kode", "Unsur pelayanan", "Menjawab", "Jumlah nilai", "NRR",
                  "NRR tertimbang", "Konversi", "Prioritas perbaikan"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    highlight = PatternFill("solid", fgColor="FDE2A7")
    for u in report["unsur"]:
        sheet.append([u["code"], u["name"], u["answered"], u["total"], u["nrr"],
                      u["nrr_weighted"], u["converted"], "ya" if u["priority"] else ""])
        if u["priority"]:
            for cell in sheet[sheet.max_row]:
                cell.fill = highlight
    sheet.append([])
    for label, value in (("IKM", report["ikm"]), ("Mutu pelayanan", report["mutu"]),
                         ("Kinerja unit pelayanan", report["kinerja"]),
                         ("Responden", report["respondents"]),
                         ("Populasi (selesai dilayani)", report["population"]),
                         ("Sampel minimum (Krejcie–Morgan)", report["sample_needed"]),
                         ("Sampel tercapai", "ya" if report["sample_reached"] else "tidak")):
        sheet.append([label, value])
    _profile_sheet(book.create_sheet("Profil responden"), report)
    sheet.column_dimensions["B"].width = 42
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _profile_sheet(sheet: Any, report: dict[str, Any]) -> None:
    sheet.append(["Profil", "Kategori", "Jumlah"])
    for key, title in (("age", "Usia"), ("gender", "Jenis kelamin"),
                       ("education", "Pendidikan"), ("occupation", "Pekerjaan")):
        for row in report["profile"][key]:
            sheet.append([title, row["label"], row["count"]])
    if report["comments"]:
        sheet.append([])
        sheet.append(["Saran dan masukan"])
        for comment in report["comments"]:
            sheet.append([comment])
