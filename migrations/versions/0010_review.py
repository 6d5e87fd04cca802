"""the owner's review: films.body (Markdown, folded from the five fixed parts, which go), the
owner's score, verdict and author; users.display_name; owners' replies to comments; redirects

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04

"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa

from app.core import article


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


@contextmanager
def foreign_keys_off():
    """SQLite changes a table by building a new one and dropping the old: with foreign keys on,
    dropping the old films table would first delete every row that cascades from a film
    (credits, votes, comments). The pragma only takes effect between transactions."""
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        yield
        return
    bind.exec_driver_sql('COMMIT')
    bind.exec_driver_sql('PRAGMA foreign_keys=OFF')
    bind.exec_driver_sql('BEGIN IMMEDIATE')
    yield
    broken = bind.exec_driver_sql('PRAGMA foreign_key_check').all()
    if broken:
        raise RuntimeError(f'rows name rows that do not exist: {broken[:5]}')
    bind.exec_driver_sql('COMMIT')
    bind.exec_driver_sql('PRAGMA foreign_keys=ON')
    bind.exec_driver_sql('BEGIN IMMEDIATE')


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('display_name', sa.String(length=120), server_default='', nullable=False))
    op.create_table('redirects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('old_path', sa.String(length=500), nullable=False),
    sa.Column('film_id', sa.Integer(), nullable=True),
    sa.Column('target', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(film_id IS NULL) <> (target IS NULL)', name=op.f('ck_redirects_film_or_target')),
    sa.ForeignKeyConstraint(['film_id'], ['films.id'], name=op.f('fk_redirects_film_id_films'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redirects')),
    sa.UniqueConstraint('old_path', name=op.f('uq_redirects_old_path'))
    )
    with foreign_keys_off():
        with op.batch_alter_table('films', schema=None) as batch_op:
            batch_op.add_column(sa.Column('body', sa.Text(), server_default='', nullable=False))
            batch_op.add_column(sa.Column('score_halves', sa.SmallInteger(), nullable=True))
            batch_op.add_column(sa.Column('verdict', sa.String(length=200), nullable=True))
            batch_op.add_column(sa.Column('author_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(batch_op.f('fk_films_author_id_users'), 'users', ['author_id'], ['id'], ondelete='SET NULL')
            batch_op.create_check_constraint(batch_op.f('ck_films_score_halves_range'), 'score_halves BETWEEN 1 AND 10')

        connection = op.get_bind()
        films = connection.execute(sa.text(
            'SELECT id, lead, reception, plot, awards, legacy FROM films ORDER BY id'
        )).mappings().all()
        for film in films:
            connection.execute(
                sa.text('UPDATE films SET body = :body WHERE id = :id'),
                {'body': article.fold(film), 'id': film['id']},
            )

        with op.batch_alter_table('films', schema=None) as batch_op:
            for part in reversed(article.PARTS):
                batch_op.drop_column(part)

        with op.batch_alter_table('comments', schema=None) as batch_op:
            batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column('author_id', sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f('ix_comments_parent_id'), ['parent_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f('fk_comments_parent_id_comments'), 'comments', ['parent_id'], ['id'], ondelete='CASCADE')
            batch_op.create_foreign_key(batch_op.f('fk_comments_author_id_users'), 'users', ['author_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with foreign_keys_off():
        with op.batch_alter_table('comments', schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f('fk_comments_author_id_users'), type_='foreignkey')
            batch_op.drop_constraint(batch_op.f('fk_comments_parent_id_comments'), type_='foreignkey')
            batch_op.drop_index(batch_op.f('ix_comments_parent_id'))
            batch_op.drop_column('author_id')
            batch_op.drop_column('parent_id')

        # Best effort: the whole body goes back into the lead; the other parts stay empty.
        with op.batch_alter_table('films', schema=None) as batch_op:
            batch_op.add_column(sa.Column('lead', sa.Text(), server_default='', nullable=False))
            for part in article.PARTS[1:]:
                batch_op.add_column(sa.Column(part, sa.Text(), server_default='', nullable=False))
        op.execute('UPDATE films SET lead = body')

        with op.batch_alter_table('films', schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f('ck_films_score_halves_range'), type_='check')
            batch_op.drop_constraint(batch_op.f('fk_films_author_id_users'), type_='foreignkey')
            batch_op.drop_column('author_id')
            batch_op.drop_column('verdict')
            batch_op.drop_column('score_halves')
            batch_op.drop_column('body')
    op.drop_table('redirects')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('display_name')
