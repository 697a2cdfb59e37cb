"""Documents split out of one upload (parent and page range) and corrections a reprocess discarded

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('first_page', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('last_page', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_documents_parent_id'), ['parent_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_documents_parent_id_documents'), 'documents', ['parent_id'], ['id'],
                                    ondelete='CASCADE')
    with op.batch_alter_table('field_corrections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discarded', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('field_corrections', schema=None) as batch_op:
        batch_op.drop_column('discarded')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_documents_parent_id_documents'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_documents_parent_id'))
        batch_op.drop_column('last_page')
        batch_op.drop_column('first_page')
        batch_op.drop_column('parent_id')
