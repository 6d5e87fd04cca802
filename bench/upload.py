"""Peak memory of a worker taking the worst posters it accepts, above the same worker idle.

Each case runs in a fresh Python process of its own (an app on a temporary SQLite database, an
owner signed in through the form, a first small poster uploaded so that Pillow's plugins are
loaded): its resident size then is "idle"; the peak (VmHWM, reset through /proc/self/clear_refs
just before) while the case's upload goes through the admin's upload form, request parsing and
all, less that, is the figure. Target: under 150 MB for every case.

    .venv/bin/python bench/upload.py
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MB = 150
REFUSED = "16-bit RGBA PNG 7000×5430, refused"


def _worst_cases() -> dict[str, tuple[str, bytes]]:
    """Each just within POSTER_MAX_DECODED_BYTES (64 MB; app/films/posters.py's bytes a
    pixel) or the 40-megapixel and 10 MB limits."""
    import io

    from PIL import Image

    from tests.posters import encoded, photo, png_rgba16

    def grey_png() -> bytes:  # 40 megapixels at 1 byte each: the pixel limit, not the bytes'
        return encoded(Image.new("L", (5000, 8000), 128), "PNG")

    def palette_png() -> bytes:  # 9 bytes a pixel (its RGBA copies): 7.4 megapixels
        return encoded(Image.new("P", (2200, 3380), 7), "PNG", transparency=0)

    def big_jpeg() -> bytes:  # near 10 MB, 40 megapixels: decoded at an eighth (draft)
        return encoded(photo((5000, 8000)), "JPEG", quality=60)

    def rgba_webp() -> bytes:  # 20 bytes a pixel, 3.3 megapixels: WebP has no draft
        out = io.BytesIO()
        photo((1500, 2230)).convert("RGBA").save(out, "WEBP", quality=50, method=0)
        return out.getvalue()

    return {
        "16-bit RGBA PNG 2896×2896": ("poster.png", png_rgba16(2896, 2896)),
        "grey PNG 5000×8000": ("poster.png", grey_png()),
        "palette PNG 2200×3380": ("poster.png", palette_png()),
        "JPEG 5000×8000": ("poster.jpg", big_jpeg()),
        "RGBA WebP 1500×2230": ("poster.webp", rgba_webp()),
        # The outside review's file (311 KB; it took a worker to 561 MB): refused unread.
        REFUSED: ("poster.png", png_rgba16(7000, 5430)),
    }


def _kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def _child(filename: str, path: str) -> None:
    """One upload, in this process: print {"idle_mb", "peak_mb", "after_mb", "status"}."""
    sys.path.insert(0, str(ROOT))
    import io
    import secrets

    from app import create_app
    from app.admin import owners
    from app.extensions import db
    from app.films import content
    from tests.helpers import csrf_token
    from tests.posters import encoded, photo

    data = Path(path).read_bytes()
    tmp = Path(tempfile.mkdtemp(prefix="marquee-upload-"))
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'db.sqlite3'}",
            "POSTER_DIR": str(tmp / "posters"),
            "RATELIMIT_ENABLED": False,
        }
    )
    password = secrets.token_hex(16)
    with app.app_context():
        db.create_all()
        content.import_files([content.DEMO])
        owners.create("bench@example.com", password)
    client = app.test_client()
    page = client.get("/admin/sign-in").get_data(as_text=True)
    form = {"csrf_token": csrf_token(page), "email": "bench@example.com", "password": password}
    assert client.post("/admin/sign-in", data=form).status_code == 303
    token = csrf_token(client.get("/admin/comments").get_data(as_text=True))
    url = "/admin/films/the-way-back/poster"

    def upload(data: bytes, filename: str) -> int:
        fields = {"csrf_token": token, "poster": (io.BytesIO(data), filename)}
        return client.post(url, data=fields, content_type="multipart/form-data").status_code

    assert upload(encoded(photo((300, 450))), "warm.jpg") == 303
    idle = _kb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
    status = upload(data, filename)
    peak, after = _kb("VmHWM"), _kb("VmRSS")
    figures = {"idle_mb": idle / 1024, "peak_mb": peak / 1024, "after_mb": after / 1024}
    print(json.dumps({**figures, "status": status}))


def measure() -> list[tuple[str, dict]]:
    """Every case, each in a fresh process: (case, its figures)."""
    sys.path.insert(0, str(ROOT))
    results = []
    folder = Path(tempfile.mkdtemp(prefix="marquee-uploads-"))
    for case, (filename, data) in _worst_cases().items():
        path = folder / filename
        path.write_bytes(data)
        out = subprocess.run(
            [sys.executable, __file__, "--child", filename, str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        results.append((case, json.loads(out.stdout.strip().splitlines()[-1])))
    return results


def summary() -> str:
    """One sentence for the bench's output and the README."""
    results = dict(measure())
    refused = results.pop(REFUSED)
    worst_case, worst = max(results.items(), key=lambda item: _above(item[1]))
    answered = all(f["status"] == 303 for f in results.values()) and refused["status"] == 422
    return (
        f"Poster upload (`bench/upload.py`): the worst accepted upload, {worst_case}, peaks at "
        f"{_above(worst):.0f} MB above the idle worker ({worst['idle_mb']:.0f} MB; target under "
        f"{TARGET_MB} MB); the outside review's 38-megapixel 16-bit PNG is refused at "
        f"{_above(refused):.0f} MB; every case answered as expected: {'yes' if answered else 'NO'}."
    )


def _above(figures: dict) -> float:
    return figures["peak_mb"] - figures["idle_mb"]


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2], sys.argv[3])
        return 0
    print("| upload | answer | idle MB | peak MB | above idle MB | kept after MB |")
    print("|---|---:|---:|---:|---:|---:|")
    worst, answered = 0.0, True
    for case, figures in measure():
        worst = max(worst, _above(figures))
        answered &= figures["status"] == (422 if case == REFUSED else 303)
        print(
            f"| {case} | {figures['status']} | {figures['idle_mb']:.0f} | "
            f"{figures['peak_mb']:.0f} | {_above(figures):.0f} | "
            f"{figures['after_mb'] - figures['idle_mb']:.0f} |"
        )
    print(f"\nworst {worst:.0f} MB above idle; target under {TARGET_MB} MB")
    return 0 if worst < TARGET_MB and answered else 1


if __name__ == "__main__":
    sys.exit(main())
