"""wf_step.section, wf_classification, wf_disposition, wf_handoff (issues #16, #19)

Revision ID: 0009_H
Revises: 0008
Create Date: 2026-11-30

A step routed per case (a complaint's classification or disposisi) keeps the section whose
Kasi holds it; the complaint's classification; the lembar disposisi; a file sent to an outside
office and received back, with its own clock.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import loket.db

revision: str = '0009_H'
down_revision: str | None = '0009_D'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('wf_step') as batch:
        batch.add_column(sa.Column('section', sa.String(length=40), nullable=True))
    op.create_table(
        'wf_classification',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('topic', sa.String(length=40), nullable=False),
        sa.Column('route', sa.String(length=40), nullable=False),
        sa.Column('by', sa.String(length=60), nullable=False),
        sa.Column('at', loket.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['wf_case.id'],
                                name=op.f('fk_wf_classification_case_id_wf_case')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_wf_classification')),
        sa.UniqueConstraint('case_id', name=op.f('uq_wf_classification_case_id')),
    )
    op.create_table(
        'wf_disposition',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('step_id', sa.Integer(), nullable=True),
        sa.Column('agenda_number', sa.String(length=60), nullable=False),
        sa.Column('sender', sa.String(length=200), nullable=False),
        sa.Column('urgency', sa.String(length=20), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('forward_to', sa.String(length=40), nullable=False),
        sa.Column('instruction', sa.Text(), nullable=False),
        sa.Column('notes', sa.Text(), nullable=True),
        sa.Column('dated', sa.Date(), nullable=False),
        sa.Column('written_by', sa.String(length=60), nullable=False),
        sa.Column('written_role', sa.String(length=20), nullable=False),
        sa.Column('written_at', loket.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['wf_case.id'],
                                name=op.f('fk_wf_disposition_case_id_wf_case')),
        sa.ForeignKeyConstraint(['step_id'], ['wf_step.id'],
                                name=op.f('fk_wf_disposition_step_id_wf_step')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_wf_disposition')),
    )
    op.create_index(op.f('ix_wf_disposition_case_id'), 'wf_disposition', ['case_id'],
                    unique=False)
    op.create_table(
        'wf_handoff',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('step_id', sa.Integer(), nullable=False),
        sa.Column('sent_at', loket.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('sent_by', sa.String(length=60), nullable=False),
        sa.Column('received_at', loket.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('received_by', sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(['step_id'], ['wf_step.id'],
                                name=op.f('fk_wf_handoff_step_id_wf_step')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_wf_handoff')),
        sa.UniqueConstraint('step_id', name=op.f('uq_wf_handoff_step_id')),
    )


def downgrade() -> None:
    op.drop_table('wf_handoff')
    op.drop_index(op.f('ix_wf_disposition_case_id'), table_name='wf_disposition')
    op.drop_table('wf_disposition')
    op.drop_table('wf_classification')
    with op.batch_alter_table('wf_step') as batch:
        batch.drop_column('section')
