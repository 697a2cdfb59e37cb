"""Layouts people confirmed: each document's latest extraction's layout example (its printed
marks, every field's box and the value found there), and the examples confirmations saved

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('layout_reading', sa.JSON(), nullable=True))
    op.create_table(
        'layout_examples',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('doc_type', sa.String(length=64), nullable=False),
        sa.Column('example', sa.JSON(), nullable=False),
        sa.Column('actor', sa.String(length=128), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'],
                                name=op.f('fk_layout_examples_document_id_documents'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_layout_examples')),
        sa.UniqueConstraint('document_id', name=op.f('uq_layout_examples_document_id')),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table('layout_examples')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('layout_reading')
