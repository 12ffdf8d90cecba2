"""Console pages: HTML shells; the browser fills them from the public JSON APIs."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("pages", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")

# page key -> (template, title, script)
PAGES = {
    "loket": ("console_loket.html", "Konsol Loket", "loket.js"),
    "meja": ("console_meja.html", "Meja Kerja", "meja.js"),
    "dasbor": ("console_dasbor.html", "Dasbor Camat", "dasbor.js"),
    "admin": ("console_admin.html", "Pengaturan", "admin.js"),
    "tamu": ("console_tamu.html", "Buku Tamu", "tamu.js"),
}
# Administration (issue #15), one page per subject: /console/atur-<section>
ATUR = {"kantor": "Profil kantor", "layanan": "Layanan", "loket": "Loket",
        "petugas": "Petugas", "perangkat": "Perangkat", "audit": "Log audit"}


@bp.get("/")
def index() -> str:
    """The staff landing page: log in, then go to the desk of the staff's role."""
    return render_template("console_index.html", page="login", title="Masuk", script="console.js")


def _page(key: str) -> str:
    template, title, script = PAGES[key]
    return render_template(template, page=key, title=title, script=script)


@bp.get("/loket")
def loket() -> str:
    """Counter console (petugas): open the counter, call, serve, transfer."""
    return _page("loket")


@bp.get("/meja")
def meja() -> str:
    """Role desk: the worklist of a role and the actions on a case's current step."""
    return _page("meja")


@bp.get("/dasbor")
def dasbor() -> str:
    """The Camat's dashboard: SOP figures, late steps, SLA events, the queue."""
    return _page("dasbor")


@bp.get("/admin")
def admin() -> str:
    """Running text, local calendar, parked notifications."""
    return _page("admin")


@bp.get("/atur-<any(kantor, layanan, loket, petugas, perangkat, audit):section>")
def atur(section: str) -> str:
    """Administration: office, services, counters, staff, devices, audit log (admin only)."""
    return render_template("console_atur.html", page=f"atur-{section}", section=section,
                           sections=ATUR, title=f"Pengaturan · {ATUR[section]}", script="atur.js")


@bp.get("/tamu")
def tamu() -> str:
    """Buku Tamu: check guests in and out, who is inside, the guest book to download."""
    return _page("tamu")
