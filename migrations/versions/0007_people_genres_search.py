"""people, genres and film search: credits link to people, films gain genres, an original title
and their search text with each database's full-text index over it

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa

from app.search import schema
from app.search.text import slug, words


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

COMPANY_ROLES = ('production_company', 'distributor')


def upgrade():
    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('slug', name=op.f('uq_people_slug'))
    )
    op.create_table('genres',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_genres')),
    sa.UniqueConstraint('slug', name=op.f('uq_genres_slug'))
    )
    op.create_table('film_genres',
    sa.Column('film_id', sa.Integer(), nullable=False),
    sa.Column('genre_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['film_id'], ['films.id'], name=op.f('fk_film_genres_film_id_films'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['genre_id'], ['genres.id'], name=op.f('fk_film_genres_genre_id_genres')),
    sa.PrimaryKeyConstraint('film_id', 'genre_id', name=op.f('pk_film_genres'))
    )
    with op.batch_alter_table('film_genres', schema=None) as batch_op:
        batch_op.create_index('ix_film_genres_genre_id_film_id', ['genre_id', 'film_id'], unique=False)
    op.create_table('film_search',
    sa.Column('film_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('people', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['film_id'], ['films.id'], name=op.f('fk_film_search_film_id_films'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('film_id', name=op.f('pk_film_search'))
    )
    with op.batch_alter_table('films', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original_title', sa.String(length=300), nullable=True))
        batch_op.create_index('ix_films_year', ['year', 'published_on', 'id'], unique=False)
    with op.batch_alter_table('credits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_credits_person_id'), ['person_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_credits_person_id_people'), 'people', ['person_id'], ['id'])

    connection = op.get_bind()
    # The existing credits' people, one per folded name, as the film-file import makes them.
    people = {}
    credits = connection.execute(sa.text(
        'SELECT id, name FROM credits WHERE role NOT IN :companies ORDER BY id'
    ).bindparams(sa.bindparam('companies', COMPANY_ROLES, expanding=True))).all()
    for credit_id, name in credits:
        key = slug(name)
        if key not in people:
            people[key] = connection.execute(
                sa.text('INSERT INTO people (slug, name) VALUES (:slug, :name) RETURNING id'),
                {'slug': key, 'name': name},
            ).scalar_one()
        connection.execute(
            sa.text('UPDATE credits SET person_id = :person WHERE id = :id'),
            {'person': people[key], 'id': credit_id},
        )
    # The full-text index first: on SQLite its triggers then take in the rows below.
    schema.create(connection)
    names = {}
    for film_id, name in connection.execute(sa.text('SELECT film_id, name FROM credits ORDER BY position')):
        names.setdefault(film_id, []).append(name)
    for film_id, title, author in connection.execute(sa.text('SELECT id, title, based_on_author FROM films')):
        connection.execute(
            sa.text('INSERT INTO film_search (film_id, title, people) VALUES (:id, :title, :people)'),
            {
                'id': film_id,
                'title': ' '.join(words(title)),
                'people': ' '.join(words(' '.join(names.get(film_id, []) + [author or '']))),
            },
        )


def downgrade():
    schema.drop(op.get_bind())
    with op.batch_alter_table('credits', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_credits_person_id_people'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_credits_person_id'))
        batch_op.drop_column('person_id')
    with op.batch_alter_table('films', schema=None) as batch_op:
        batch_op.drop_index('ix_films_year')
        batch_op.drop_column('original_title')
    op.drop_table('film_search')
    with op.batch_alter_table('film_genres', schema=None) as batch_op:
        batch_op.drop_index('ix_film_genres_genre_id_film_id')
    op.drop_table('film_genres')
    op.drop_table('genres')
    op.drop_table('people')
