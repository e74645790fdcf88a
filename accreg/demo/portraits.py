"""Drawn head-and-shoulders portraits that OpenCV's face detector takes for a face: the demo
people's 1-inch photos, and the tests' and benchmarks' portraits. Nobody's real face."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFilter

SKIN = (224, 182, 150)


def draw_person(
    image: Image.Image, centre_x: float, face_top: float, face_width: float, *, skin: tuple[int, int, int] = SKIN
) -> None:
    """A head and shoulders drawn as a Haar cascade sees a face (dark brows and eyes over lighter
    cheeks, a light nose bridge, a darker mouth), in real proportions: the hair rises about 0.4 of
    the face's height above its top, the chin ends it, the shoulders start below the neck."""
    draw = ImageDraw.Draw(image)
    cx, w = centre_x, face_width
    h, top = w * 1.3, face_top
    shade = tuple(int(c * 0.85) for c in skin)
    draw.ellipse((cx - w * 1.6, top + h * 1.25, cx + w * 1.6, top + h * 3.2), fill=(40, 50, 80))  # shoulders
    draw.rectangle((cx - w * 0.22, top + h * 0.8, cx + w * 0.22, top + h * 1.35), fill=shade)  # neck
    draw.ellipse((cx - w * 0.6, top - h * 0.4, cx + w * 0.6, top + h * 0.75), fill=(30, 25, 22))  # hair
    draw.ellipse((cx - w / 2, top, cx + w / 2, top + h), fill=skin)
    draw.chord((cx - w * 0.55, top - h * 0.3, cx + w * 0.55, top + h * 0.38), 180, 360, fill=(30, 25, 22))
    eyes = top + h * 0.44
    for side in (-1, 1):
        x = cx + side * w * 0.2
        draw.ellipse((x - w * 0.12, eyes - h * 0.1, x + w * 0.12, eyes - h * 0.065), fill=(60, 45, 35))  # brow
        draw.ellipse((x - w * 0.11, eyes - h * 0.035, x + w * 0.11, eyes + h * 0.035), fill=(245, 245, 245))
        draw.ellipse((x - w * 0.045, eyes - h * 0.035, x + w * 0.045, eyes + h * 0.035), fill=(40, 30, 25))
    nose = top + h * 0.64
    draw.line((cx, eyes, cx - w * 0.03, nose), fill=shade, width=max(1, int(w * 0.02)))
    draw.ellipse((cx - w * 0.09, nose - h * 0.015, cx + w * 0.09, nose + h * 0.025), fill=(157, 127, 105))
    mouth = top + h * 0.78
    draw.ellipse((cx - w * 0.15, mouth - h * 0.025, cx + w * 0.15, mouth + h * 0.025), fill=(170, 80, 80))


def portrait(
    width: int = 600,
    height: int = 800,
    *,
    centre_x: float = 0.5,
    face_top: float = 0.25,
    face_width: float = 0.33,
    background: tuple[int, int, int] = (250, 250, 250),
    people: int = 1,
    noise: float = 0.0,
) -> Image.Image:
    """A synthetic head-and-shoulders photo: one face (or `people` side by side) whose centre is at
    `centre_x` of the width, its top at `face_top` of the height, `face_width` of the width wide;
    `noise` (0 to 1) blends in sensor noise, so that it compresses like a camera photo."""
    image = Image.new("RGB", (width, height), background)
    for n in range(people):
        x = width * (centre_x if people == 1 else (n + 0.5) / people)
        draw_person(image, x, height * face_top, width * face_width)
    image = image.filter(ImageFilter.GaussianBlur(width * face_width * 0.012))
    if noise:  # in grains of about 1/400 of the width, which scaling to 295 px does not average away
        grain = max(1, width // 400)
        speckle = Image.effect_noise((width // grain + 1, height // grain + 1), 60).convert("RGB")
        speckle = speckle.resize((speckle.width * grain, speckle.height * grain), Image.Resampling.NEAREST)
        image = Image.blend(image, speckle.crop((0, 0, width, height)), noise)
    return image


def portrait_jpeg(width: int = 600, height: int = 800, *, quality: int = 90, **options: object) -> bytes:
    out = io.BytesIO()
    portrait(width, height, **options).save(out, "JPEG", quality=quality)  # type: ignore[arg-type]
    return out.getvalue()
