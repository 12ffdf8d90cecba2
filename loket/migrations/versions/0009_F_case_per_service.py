"""a case per ticket and SOP service; documents rendered outside the write session

Revision ID: 0009_F
Revises: 0008
Create Date: 2026-11-30

- ``wf_case``: the unique ``ticket_id`` becomes unique ``(ticket_id, sop_code)``: a ticket
  transferred to a second SOP service and served again opens that service's case.
- ``wf_document``: ``html`` (the letter as issued) and a nullable ``pdf`` (rendered after the
  short write that takes the register number).
- ``event``: index ``(type, created_at)`` for the sweep that opens missing cases.

On SQLite the case table is re-created (batch mode) while steps and documents refer to it:
``env.py`` turns foreign keys off for the run and checks them before the commit. A downgrade
fails while a ticket has cases of two services (the old constraint cannot hold them).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009_F'
down_revision: str | None = '0009_C'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('wf_case', schema=None) as batch_op:
        batch_op.drop_constraint('uq_wf_case_ticket_id', type_='unique')
        batch_op.create_unique_constraint('uq_wf_case_ticket_sop', ['ticket_id', 'sop_code'])
    with op.batch_alter_table('wf_document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('html', sa.Text(), nullable=True))
        batch_op.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=True)
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index('ix_event_type_created', ['type', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_type_created')
    # A letter whose PDF was never rendered cannot stay in the old schema (pdf NOT NULL).
    op.execute("DELETE FROM wf_document WHERE pdf IS NULL")
    with op.batch_alter_table('wf_document', schema=None) as batch_op:
        batch_op.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column('html')
    with op.batch_alter_table('wf_case', schema=None) as batch_op:
        batch_op.drop_constraint('uq_wf_case_ticket_sop', type_='unique')
        batch_op.create_unique_constraint('uq_wf_case_ticket_id', ['ticket_id'])
