"""Views: the films, listed and searched by title a page at a time, created and edited through
one form that content.validate() checks (as it checks a TOML file), and exported as TOML."""

from flask import current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import exists, func, or_, select
from werkzeug.exceptions import RequestEntityTooLarge

from ..core.catalog import any_film_or_404
from ..core.database import write_transaction
from ..core.web import is_htmx
from ..extensions import csrf, db
from ..films import content, posters
from ..models import Credit, Film, Tally
from . import bp, film_form

# What a film imported from a blog lacks until the owner adds it (app/wordpress/).
_INCOMPLETE = or_(Film.year.is_(None), ~exists().where(Credit.film_id == Film.id))
_NOT_SAVED = "The film was not saved: please correct what is marked below."
_TOO_LARGE = f"That file is larger than a poster may be ({posters.MAX_BYTES // 1024 // 1024} MB)."


@bp.get("/films")
def films():
    """Every film, searched by title, a page at a time, in title order."""
    query = request.args.get("q", "").strip()[:300]
    incomplete = request.args.get("incomplete") == "1"
    page = request.args.get("page", 1, type=int)
    per_page = current_app.config["ADMIN_FILMS_PER_PAGE"]
    where = [Film.title.icontains(query, autoescape=True)] if query else []
    if incomplete:
        where.append(_INCOMPLETE)
    count = db.session.scalar(select(func.count()).select_from(Film).where(*where))
    pages = max(1, -(-count // per_page))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        select(Film.slug, Film.title, Film.year, Film.published_on, Film.is_published, Tally.count)
        .join(Tally, Tally.film_id == Film.id)
        .where(*where)
        .order_by(Film.title, Film.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return render_template(
        "admin/films.html",
        page_title="Films",
        area="films",
        films=rows,
        query=query,
        incomplete=incomplete,
        incomplete_count=db.session.scalar(
            select(func.count()).select_from(Film).where(_INCOMPLETE)
        ),
        count=count,
        page=page,
        pages=pages,
    )


def _form(
    film: Film | None,
    values: dict,
    errors: dict | None = None,
    status: int = 200,
    poster_error: str | None = None,
):
    """The film's form: the whole page, or for htmx the form alone (the one partial)."""
    context = {
        "film": film,
        "values": values,
        "errors": errors or {},
        "form_error": _NOT_SAVED if errors else None,
        "first_error": film_form.first_in_error(errors or {}),
        "form": film_form,
    }
    if is_htmx():
        return render_template("admin/_film_form.html", **context), status, {"Vary": "HX-Request"}
    title = f"Edit {film.title}" if film else "New film"
    picture = posters.picture(film) if film else None
    body = render_template(
        "admin/film.html",
        page_title=title,
        area="films",
        picture=picture,
        poster_error=poster_error,
        poster_limit=posters.MAX_BYTES // 1024 // 1024,
        **context,
    )
    return body, status, {"Vary": "HX-Request"}


@bp.get("/new-film")
def new_film():
    """An empty form for a new film, unpublished until the owner ticks the box."""
    return _form(None, film_form.values_of({"is_published": False}))


@bp.get("/films/<slug>")
def edit_film(slug: str):
    """The film's form, filled in."""
    film = any_film_or_404(slug)
    return _form(film, film_form.values_of(content.as_data(film)))


def _save(film: Film | None):
    data, errors = film_form.data_from(request.form)
    try:
        film_file = content.validate(data)
    except content.InvalidFilm as invalid:
        errors = {**film_form.field_errors(invalid.errors), **errors}
    else:
        slug = film_file.fields["slug"]
        taken = select(Film.id).where(Film.slug == slug, Film.id != (film.id if film else -1))
        if db.session.scalar(taken) is not None:
            errors["slug"] = f"Slug: another film has the address /films/{slug}."
    if errors:
        return _form(film, request.form.to_dict(), errors, 422)
    with write_transaction():
        saved, outcome = content.write(film_file, film)
        slug = saved.slug
    flash(f"The film was {outcome}.", "admin")
    target = url_for("admin.edit_film", slug=slug)
    if is_htmx():
        return "", 200, {"HX-Redirect": target, "Vary": "HX-Request"}
    return redirect(target, code=303)


@bp.post("/new-film")
def create_film():
    """Create a film from the form, checked as a film file is."""
    return _save(None)


@bp.post("/films/<slug>")
def update_film(slug: str):
    """Save the film's form; moves its updated_at, so its kept pages are renewed."""
    return _save(any_film_or_404(slug))


@bp.get("/films/<slug>/export")
def export_film(slug: str):
    """The film as its TOML file, a download that `flask films import` reads back."""
    film = any_film_or_404(slug)
    return (
        content.to_toml(film),
        200,
        {
            "Content-Type": "application/toml; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{film.slug}.toml"',
        },
    )


@bp.post("/films/<slug>/poster")
@csrf.exempt  # checked below, once this request may be as large as a poster
def upload_poster(slug: str):
    """Make an uploaded image the film's poster: checked, stripped and re-encoded (posters)."""
    film = any_film_or_404(slug)
    shown = film_form.values_of(content.as_data(film))
    # The site's forms are at most 64 KB; only this request may carry a poster.
    request.max_content_length = posters.MAX_BYTES + 64 * 1024
    try:
        csrf.protect()
        upload = request.files.get("poster")
    except RequestEntityTooLarge:
        return _form(film, shown, status=413, poster_error=_TOO_LARGE)
    if upload is None or not upload.filename:
        return _form(film, shown, status=422, poster_error="Choose an image file first.")
    try:
        with write_transaction():
            posters.store(film, upload.read(), upload.filename)
    except posters.PosterError as refused:
        return _form(film, shown, status=422, poster_error=f"{refused}.")
    flash("The poster was saved: it is shown below as visitors see it.", "admin")
    return redirect(url_for("admin.edit_film", slug=slug, _anchor="poster"), code=303)
