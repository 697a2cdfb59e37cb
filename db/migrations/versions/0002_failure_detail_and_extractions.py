"""failure detail and extraction history: documents.error_detail, table extractions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('error_detail', sa.Text(), nullable=True))

    op.create_table('extractions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('doc_type', sa.String(length=64), nullable=True),
    sa.Column('template', sa.String(length=128), nullable=True),
    sa.Column('status', sa.Enum('queued', 'processing', 'done', 'needs_review', 'failed', name='status', native_enum=False, length=16), nullable=False),
    sa.Column('review_reasons', sa.JSON(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_extractions_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_extractions')),
    sa.UniqueConstraint('document_id', 'version', name=op.f('uq_extractions_document_id_version'))
    )


def downgrade() -> None:
    op.drop_table('extractions')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('error_detail')
