"""The queue's OpenAPI document and its readable page (the shared page of ``loket.apidocs``)."""

from __future__ import annotations

from loket.apidocs import docs_blueprint
from queue_service.openapi import build_spec

bp = docs_blueprint("queue_docs", build_spec)
