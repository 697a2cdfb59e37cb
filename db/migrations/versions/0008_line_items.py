"""Line items: a document's item table (an invoice's goods and services), a row per item, and
the items of an earlier extraction kept in its history

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'line_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('row', sa.Integer(), nullable=False),
        sa.Column('name', sa.Text(), nullable=True),
        sa.Column('specification', sa.Text(), nullable=True),
        sa.Column('unit', sa.Text(), nullable=True),
        sa.Column('quantity', sa.Text(), nullable=True),
        sa.Column('unit_price', sa.Text(), nullable=True),
        sa.Column('amount', sa.Text(), nullable=True),
        sa.Column('tax_rate', sa.Text(), nullable=True),
        sa.Column('tax', sa.Text(), nullable=True),
        sa.Column('page', sa.Integer(), nullable=False),
        sa.Column('bbox', sa.JSON(), nullable=True),
        sa.Column('confidence', sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_line_items_document_id_documents'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_line_items')),
        sa.UniqueConstraint('document_id', 'row', name=op.f('uq_line_items_document_id_row')),
    )
    with op.batch_alter_table('extractions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('line_items', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('extractions', schema=None) as batch_op:
        batch_op.drop_column('line_items')
    op.drop_table('line_items')
