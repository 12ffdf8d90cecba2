"""Which SOP step produces which document (#17): the table read against the SOP data."""

from __future__ import annotations

import pytest

from sop import load_catalog
from workflow_service.documents import KINDS
from workflow_service.domain.documents import (
    ANY_SOP,
    RULES,
    check_issue,
    issuing_roles,
    producing_steps,
)

pytestmark = pytest.mark.unit

LABELS = {"petugas": "Petugas", "camat": "Camat", "sekcam": "Sekcam", "kasi": "Kasi"}


def rekomendasi_steps():
    sop = load_catalog().get("rekomendasi")
    return {s.id: s.model_dump() for s in sop.steps}


def test_every_document_has_a_rule_and_every_producing_step_exists_with_a_staff_role():
    assert set(RULES) == set(KINDS)
    catalog = load_catalog()
    for kind, rule in RULES.items():
        codes = catalog.codes() if ANY_SOP in rule.produced_at \
            else list(rule.produced_at)
        for code in codes:
            steps = {s.id: s.model_dump() for s in catalog.get(code).steps}
            for key in producing_steps(kind, code):
                assert key in steps, (kind, code, key)
                assert issuing_roles(steps[key]), (kind, code, key)


def test_the_table_follows_the_documents_own_columns():
    catalog = load_catalog()

    def step(code, key):
        return next(s for s in catalog.get(code).steps if s.id == key)

    assert "Rekomendasi" in step("rekomendasi", "3").output
    assert issuing_roles(step("rekomendasi", "3").model_dump()) == {"camat", "sekcam"}
    assert any("Surat Pengantar" in o for o in step("ektp", "4").output)
    for key in producing_steps("lembar_disposisi", "pengaduan"):
        assert "Lembar disposisi" in step("pengaduan", key).requirements


def check(kind="rekomendasi", status="open", states=None, roles=("camat",)):
    return check_issue(kind, sop_code="rekomendasi", case_status=status,
                       raw_steps=rekomendasi_steps(), step_states=states or {},
                       actor_roles=frozenset(roles), role_labels=LABELS)


def test_a_rekomendasi_waits_for_the_signing_step_to_be_done():
    for states in ({"1": {"active"}}, {"1": {"done"}, "2": {"active"}},
                   {"1": {"done"}, "2": {"done"}, "3": {"active"}}):
        refusal = check(states=states)
        assert refusal is not None and (refusal.status, refusal.code) == (409,
                                                                          "document_not_ready")
        assert refusal.message == ("Surat rekomendasi baru dapat diterbitkan setelah langkah 3 "
                                   "(Camat/Sekcam) selesai.")
    signed = {"1": {"done"}, "2": {"done"}, "3": {"done"}, "4": {"active"}}
    assert check(states=signed) is None
    assert check(states=signed, roles=("sekcam",)) is None
    for roles in (("petugas",), ("kasi",), ("admin",)):
        refusal = check(states=signed, roles=roles)
        assert refusal is not None and (refusal.status, refusal.code) == (403, "outside_remit")
    closed = check(status="rejected", states=signed)
    assert closed is not None and (closed.status, closed.code) == (409, "case_closed")


def test_a_tanda_terima_is_the_petugas_from_step_1_on():
    assert check("tanda_terima", states={"1": {"active"}}, roles=("petugas",)) is None
    assert check("tanda_terima", states={"1": {"waiting_applicant"}},
                 roles=("petugas",)) is None
    refused = check("tanda_terima", states={"1": {"active"}}, roles=("camat",))
    assert refused is not None and refused.code == "outside_remit"
    assert "Tanda terima berkas diterbitkan oleh Petugas" in refused.message
