"""Views: the films, listed and searched by title a page at a time, created and edited through
one form that content.validate() checks (as it checks a TOML file), and exported as TOML."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import exists, func, or_, select
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from ..core import markdown, redirects, sizes
from ..core.catalog import any_film_or_404
from ..core.database import write_transaction
from ..core.parsing import control_character, page_number
from ..core.web import is_htmx
from ..extensions import csrf, db
from ..films import content, pages, posters
from ..models import Credit, Film, Tally
from . import bp, film_form

# What a film imported from a blog lacks until the owner adds it (app/wordpress/).
_INCOMPLETE = or_(Film.year.is_(None), ~exists().where(Credit.film_id == Film.id))
_NOT_SAVED = "The film was not saved: please correct what is marked below."
_TOO_LARGE = f"That file is larger than a poster may be ({posters.MAX_BYTES // 1024 // 1024} MB)."


@bp.get("/films")
def films():
    """Every film, searched by title and filtered by status, a page at a time, in title order."""
    query = request.args.get("q", "").strip()[:300]
    incomplete = request.args.get("incomplete") == "1"
    query_error = None
    if found := control_character(query, one_line=True):
        query, query_error = "", f"Remove the control character ({found}) from the search."
    status = request.args.get("status") or None
    if status is not None and status not in Film.STATUSES:
        abort(400, f"Status: choose one of {', '.join(Film.STATUSES)}, or all films.")
    page = request.args.get("page", 1, type=page_number)
    per_page = current_app.config["ADMIN_FILMS_PER_PAGE"]
    where = [Film.title.icontains(query, autoescape=True)] if query else []
    if status:
        where.append(Film.status_is(status))
    if incomplete:
        where.append(_INCOMPLETE)
    count = db.session.scalar(select(func.count()).select_from(Film).where(*where))
    pages = max(1, -(-count // per_page))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        select(
            Film.slug,
            Film.title,
            Film.year,
            Film.published_on,
            Film.status().label("status"),
            Tally.count,
        )
        .join(Tally, Tally.film_id == Film.id)
        .where(*where)
        .order_by(Film.title, Film.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    body = render_template(
        "admin/films.html",
        page_title="Films",
        area="films",
        films=rows,
        query=query,
        incomplete=incomplete,
        incomplete_count=db.session.scalar(
            select(func.count()).select_from(Film).where(_INCOMPLETE)
        ),
        status=status,
        statuses=Film.STATUSES,
        query_error=query_error,
        count=count,
        page=page,
        pages=pages,
    )
    return body, 400 if query_error else 200


def _form(
    film: Film | None,
    values: dict,
    errors: dict | None = None,
    status: int = 200,
    poster_error: str | None = None,
    **body_preview,
):
    """The film's form: the whole page, or for htmx the form alone (the one partial)."""
    context = {
        "film": film,
        "values": values,
        "errors": errors or {},
        "form_error": _NOT_SAVED if errors else None,
        "first_error": film_form.first_in_error(errors or {}),
        "form": film_form,
        **body_preview,
    }
    if is_htmx():
        return render_template("admin/_film_form.html", **context), status, {"Vary": "HX-Request"}
    title = f"Edit {film.title}" if film else "New film"
    picture = pages.owners_picture(film) if film else None
    film_status = film and db.session.scalar(select(Film.status()).where(Film.id == film.id))
    body = render_template(
        "admin/film.html",
        page_title=title,
        area="films",
        picture=picture,
        film_status=film_status,
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


def _poster_file(size: int) -> FileStorage | None:
    """The poster file this request carries, if any, its CSRF token checked once the request
    may be as large as a poster; RequestEntityTooLarge when it is larger still."""
    # Here, not by sizes.allows(): CSRFProtect's own check would read the form first, and a
    # file too large would get a bare 413 instead of the message by the field.
    sizes.allow(size)
    csrf.protect()
    upload = request.files.get("poster")
    return upload if upload is not None and upload.filename else None


def _save(film: Film | None, poster: FileStorage | None = None):
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
        if problem := content.missing_film_link(film_file.fields["body"], slug):
            errors["body"] = f"Review: {problem}."
    image = poster.read() if poster else b""
    # The slug made from the title is shown, to be kept or changed.
    shown = {**request.form.to_dict(), "slug": data.get("slug", "")}
    if poster and errors:
        # Checked too, so that every problem shows at once: a browser cannot refill a file box.
        try:
            posters.process(image, poster.filename)
        except posters.PosterError as refused:
            errors["poster"] = f"{refused}."
    if errors:
        return _form(film, shown, errors, 422)
    try:
        with write_transaction() as session:
            old_slug = film.slug if film else None
            saved, outcome = content.write(film_file, film)
            if film is None:
                saved.author_id = current_user.id
            session.flush()
            redirects.slug_given(session, saved.id, old_slug, saved.slug)
            if poster:
                posters.store(saved, image, poster.filename)
            slug = saved.slug
    except posters.PosterError as refused:
        return _form(film, shown, {"poster": f"{refused}."}, 422)
    flash(f"The film was {outcome}.", "admin")
    target = url_for("admin.edit_film", slug=slug)
    if is_htmx():
        return "", 200, {"HX-Redirect": target, "Vary": "HX-Request"}
    return redirect(target, code=303)


@bp.post("/new-film")
@csrf.exempt  # checked in _poster_file(), once this request may be as large as a poster
def create_film():
    """Create a film from the form, checked as a film file is, with its poster when given."""
    try:
        poster = _poster_file(sizes.NEW_FILM_FORM_BYTES)
    except RequestEntityTooLarge:
        blank = film_form.values_of({"is_published": False})
        return _form(None, blank, {"poster": _TOO_LARGE}, 413)
    return _save(None, poster)


@bp.post("/films/<slug>")
@sizes.allows(sizes.FILM_FORM_BYTES)
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
    try:
        upload = _poster_file(sizes.POSTER_FORM_BYTES)
    except RequestEntityTooLarge:
        return _form(film, shown, status=413, poster_error=_TOO_LARGE)
    if upload is None:
        return _form(film, shown, status=422, poster_error="Choose an image file first.")
    try:
        with write_transaction():
            posters.store(film, upload.read(), upload.filename)
    except posters.PosterError as refused:
        return _form(film, shown, status=422, poster_error=f"{refused}.")
    flash("The poster was saved: it is shown below as visitors see it.", "admin")
    return redirect(url_for("admin.edit_film", slug=slug, _anchor="poster"), code=303)


@bp.get("/films/<slug>/preview")
def preview_film(slug: str):
    """A draft or scheduled film's page as visitors will see it, for the owners alone."""
    found = db.session.execute(select(Film.id, Film.status()).where(Film.slug == slug)).first()
    if found is None:
        abort(404)
    film_id, status = found
    if status == "live":
        return redirect(url_for("films.show", slug=slug), code=303)
    return pages.preview_page(film_id)


@bp.post("/new-film/body-preview", defaults={"slug": None})
@bp.post("/films/<slug>/body-preview")
@sizes.allows(sizes.FILM_FORM_BYTES)
def preview_body(slug: str | None):
    """The review as visitors will read it, or what is wrong with it: for htmx the preview
    alone (its one partial), else the form page, as sent, with the preview under the body."""
    film = any_film_or_404(slug) if slug else None
    body = request.form.get("body", "").replace("\r\n", "\n").strip()
    own = request.form.get("slug", "").strip() or None
    problem = content.unsafe_body(body) or content.missing_film_link(body, own)
    shown = {
        "body_preview_error": f"Review: {problem}." if problem else None,
        "body_preview": None if problem else markdown.render(body),
    }
    if is_htmx():
        return render_template("admin/_preview.html", **shown), 200, {"Vary": "HX-Request"}
    return _form(film, request.form.to_dict(), status=422 if problem else 200, **shown)
