"""Issuing within one's remit (#17): the SOP step's role, in the SOP step's state, one number.

:func:`check_may_issue` runs under the case's lock before the register is touched, so a refused
issue takes no number. A kind is issued once per case; printing it again is a re-issue: the
same number, the next version, who, when and why (:func:`record_issue` writes the case log).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from loket.auth import Principal
from loket.errors import Conflict, Forbidden
from workflow_service.domain.documents import RULES, check_issue, issuing_roles, producing_steps
from workflow_service.models import Case, CaseLog, Document
from workflow_service.usecases.context import catalog
from workflow_service.usecases.steps import content_of


def latest_issue(session: Any, case_id: int, kind: str) -> Document | None:
    """The newest issue of ``kind`` for the case (the one a re-issue replaces)."""
    return session.scalars(  # type: ignore[no-any-return]
        select(Document).where(Document.case_id == case_id, Document.kind == kind)
        .order_by(Document.version.desc(), Document.id.desc()).limit(1)).first()


def _step_states(case: Case) -> dict[str, set[str]]:
    states: dict[str, set[str]] = {}
    for step in case.steps:
        states.setdefault(step.step_key, set()).add(step.state)
    return states


def check_may_issue(session: Any, case: Case, kind: str, actor: Principal, *,
                    reissue: bool) -> Document | None:
    """Refuse (403/409, field ``kind``) what the SOP does not allow; the issue a re-issue
    replaces (None for a first issue)."""
    raw_steps = {str(s["id"]): s for s in content_of(session, case).get("steps", [])}
    labels = {r.code: r.short_label for r in catalog().roles}
    refusal = check_issue(kind, sop_code=case.sop_code, case_status=case.status,
                          raw_steps=raw_steps, step_states=_step_states(case),
                          actor_roles=actor.roles, role_labels=labels)
    if refusal is not None:
        error = Forbidden if refusal.status == 403 else Conflict
        raise error(refusal.message, field="kind", code=refusal.code)
    title = RULES[kind].title
    latest = latest_issue(session, case.id, kind)
    if reissue and latest is None:
        raise Conflict(f"{title} belum pernah diterbitkan untuk kasus ini; terbitkan dulu.",
                       field="kind", code="document_not_issued")
    if not reissue and latest is not None:
        raise Conflict(f"{title} untuk kasus ini sudah diterbitkan dengan nomor {latest.number}; "
                       "untuk mencetaknya lagi, terbitkan ulang dengan alasan.",
                       field="kind", code="document_already_issued")
    return latest


def issuer_role(session: Any, case: Case, kind: str, actor: Principal) -> str | None:
    """The role of the producing step the actor issues in (for the case log)."""
    raw_steps = {str(s["id"]): s for s in content_of(session, case).get("steps", [])}
    allowed = {r for k in producing_steps(kind, case.sop_code) if k in raw_steps
               for r in issuing_roles(raw_steps[k])}
    return next(iter(sorted(actor.roles & allowed)), None)


def record_issue(session: Any, case: Case, doc: Document, actor: Principal) -> None:
    """The case log's line for an issue or a re-issue (the reason is the re-issue's note)."""
    reissued = doc.replaces_id is not None
    note = f"{doc.kind} {doc.number} versi {doc.version}"
    session.add(CaseLog(
        case_id=case.id, step_id=None, step_key=None, actor=actor.username,
        actor_role=issuer_role(session, case, doc.kind, actor),
        action="reissue_document" if reissued else "issue_document", from_state=None,
        to_state=None, note=f"{note}: {doc.reason}" if reissued else note, at=doc.created_at))
