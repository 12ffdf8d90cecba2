"""The SOP catalog of Kecamatan Genteng: data files, typed model, validating loader.

Pure Python (pydantic, PyYAML, Jinja2, click); no Flask or SQLAlchemy.
"""

from __future__ import annotations

from sop import roles
from sop.catalog import Catalog, load_catalog, load_sop_file
from sop.durations import iso_to_timedelta, parse_iso_duration, parse_time_standard
from sop.errors import SopValidationError
from sop.model import Sop, Step
from sop.office import Office, load_office
from sop.versions import load_version, publish

__all__ = [
    "Catalog",
    "Office",
    "Sop",
    "SopValidationError",
    "Step",
    "iso_to_timedelta",
    "load_catalog",
    "load_office",
    "load_sop_file",
    "load_version",
    "parse_iso_duration",
    "parse_time_standard",
    "publish",
    "roles",
]
