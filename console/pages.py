"""Console pages."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("pages", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")


@bp.get("/")
def index() -> str:
    """The staff landing page: log in, then pick a desk."""
    return render_template("console_index.html")
