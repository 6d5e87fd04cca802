"""comment threads: the film page's index on comments gains parent_id, so that the count and
the page of comments that are no reply are read from it alone

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_film_id_status_parent_id_created_at', ['film_id', 'status', 'parent_id', 'created_at'], unique=False)
        batch_op.drop_index('ix_comments_film_id_status_created_at')


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_film_id_status_created_at', ['film_id', 'status', 'created_at'], unique=False)
        batch_op.drop_index('ix_comments_film_id_status_parent_id_created_at')
