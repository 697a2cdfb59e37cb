"""Reviewers' changes to line items (a cell corrected, a row deleted or added), kept and made
again on every later extraction until a reprocess discards them

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'line_item_corrections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=16), nullable=False),
        sa.Column('row', sa.Integer(), nullable=True),
        sa.Column('cells', sa.JSON(), nullable=False),
        sa.Column('old', sa.JSON(), nullable=True),
        sa.Column('reviewer', sa.String(length=128), nullable=False),
        sa.Column('corrected_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('discarded', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'],
                                name=op.f('fk_line_item_corrections_document_id_documents'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_line_item_corrections')),
    )
    op.create_index(op.f('ix_line_item_corrections_document_id'), 'line_item_corrections', ['document_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_line_item_corrections_document_id'), table_name='line_item_corrections')
    op.drop_table('line_item_corrections')
