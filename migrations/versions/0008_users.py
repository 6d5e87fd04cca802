"""users (owners of the admin); indexes for the admin's film list and votes by time

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('login_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('films', schema=None) as batch_op:
        batch_op.create_index('ix_films_title', ['title', 'id'], unique=False)
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_index('ix_votes_film_id_created_at', ['film_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index('ix_votes_film_id_created_at')
    with op.batch_alter_table('films', schema=None) as batch_op:
        batch_op.drop_index('ix_films_title')
    op.drop_table('users')
