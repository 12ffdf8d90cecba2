"""report indexes

Revision ID: 0006
Revises: 0002
Create Date: 2026-11-30

The SOP compliance report reads the steps activated in a period and the cases opened in it
(workflow_service/usecases/reports.py); both are range scans on these columns.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0006'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('wf_step', schema=None) as batch_op:
        batch_op.create_index('ix_wf_step_activated_at', ['activated_at'], unique=False)
    with op.batch_alter_table('wf_case', schema=None) as batch_op:
        batch_op.create_index('ix_wf_case_opened_at', ['opened_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('wf_case', schema=None) as batch_op:
        batch_op.drop_index('ix_wf_case_opened_at')
    with op.batch_alter_table('wf_step', schema=None) as batch_op:
        batch_op.drop_index('ix_wf_step_activated_at')
