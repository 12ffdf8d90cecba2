"""wf_document: re-issues recorded (version, replaced row, reason) under the same number

Revision ID: 0009_B
Revises: 0008
Create Date: 2026-11-30

Issue #17: a document issued again keeps its register number; each issue is a row with its
version, the row it replaces and the reason. The number is unique per version, no longer alone.
Rows issued before this migration are version 1 each (the old loose behaviour could give one
case several numbers of a kind; those stay as they were).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009_B'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('wf_document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1',
                                      nullable=False))
        batch_op.add_column(sa.Column('replaces_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reason', sa.Text(), nullable=True))
        batch_op.drop_constraint('uq_wf_document_number', type_='unique')
        batch_op.create_unique_constraint('uq_wf_document_number_version',
                                          ['number', 'version'])
        batch_op.create_foreign_key('fk_wf_document_replaces_id_wf_document', 'wf_document',
                                    ['replaces_id'], ['id'])


def downgrade() -> None:
    # Re-issued rows share their number: only the first issue of each number can stay.
    op.execute("DELETE FROM wf_document WHERE version > 1")
    with op.batch_alter_table('wf_document', schema=None) as batch_op:
        batch_op.drop_constraint('fk_wf_document_replaces_id_wf_document', type_='foreignkey')
        batch_op.drop_constraint('uq_wf_document_number_version', type_='unique')
        batch_op.create_unique_constraint('uq_wf_document_number', ['number'])
        batch_op.drop_column('reason')
        batch_op.drop_column('replaces_id')
        batch_op.drop_column('version')
