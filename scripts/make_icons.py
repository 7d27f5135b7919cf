"""Draw DutyDesk's home-screen icons into static/icons/ (run again after changing the design).

.venv/bin/python scripts/make_icons.py

A white clipboard with a tick on the header's blue (Bootstrap's primary, the manifest's theme
colour). `icon-*.png` have rounded corners; `icon-maskable-512.png` and `apple-touch-icon.png` fill
the square and keep the drawing inside the central safe zone, because Android and iOS cut their
own shape out of them.
"""

from pathlib import Path

from PIL import Image, ImageDraw

BLUE = (13, 110, 253, 255)
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
SCALE = 4  # drawn large, then scaled down: smooth edges without an anti-aliasing pass


def draw(size: int, *, rounded: bool, art: float) -> Image.Image:
    """`art`: the share of the side the clipboard takes (smaller for shapes the system masks)."""
    s = size * SCALE
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((0, 0, s - 1, s - 1), radius=int(s * 0.18) if rounded else 0, fill=BLUE)
    w = s * art
    h = w * 1.2
    left, top = (s - w) / 2, (s - h) / 2 + s * 0.02
    line = max(int(w * 0.075), 1)
    # The board, and the clip on its top edge.
    d.rounded_rectangle((left, top, left + w, top + h), radius=int(w * 0.12), outline=WHITE, width=line)
    clip_w, clip_h = w * 0.44, h * 0.15
    clip_left = left + (w - clip_w) / 2
    d.rounded_rectangle(
        (clip_left, top - clip_h * 0.45, clip_left + clip_w, top + clip_h * 0.55),
        radius=int(clip_h * 0.3),
        fill=WHITE,
    )
    # The tick.
    tick = [
        (left + w * 0.25, top + h * 0.56),
        (left + w * 0.43, top + h * 0.72),
        (left + w * 0.76, top + h * 0.36),
    ]
    d.line(tick, fill=WHITE, width=int(line * 1.5), joint="curve")
    for x, y in (tick[0], tick[-1]):
        r = line * 0.75
        d.ellipse((x - r, y - r, x + r, y + r), fill=WHITE)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size, rounded=True, art=0.5).save(OUT / f"icon-{size}.png", optimize=True)
    draw(512, rounded=False, art=0.42).save(OUT / "icon-maskable-512.png", optimize=True)
    draw(180, rounded=False, art=0.5).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
