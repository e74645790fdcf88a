"""Pictures that behave like a phone's: busy enough that neither the photo nor its thumbnail
compresses away, so byte budgets measured with them are honest."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

from accreg.demo.portraits import SKIN, draw_person, portrait, portrait_jpeg

__all__ = ["SKIN", "busy_jpeg", "busy_picture", "distinct_portrait_jpeg", "draw_person", "portrait", "portrait_jpeg"]


def busy_picture(width: int = 4000, height: int = 3000, *, seed: int = 7) -> Image.Image:
    """Thousands of coloured blocks of many sizes over light noise (a 4000×3000 JPEG at quality 90
    is about 2.5 MB, its 240 px thumbnail about 19 KB: detail at every scale, like a photo of a
    certificate or a face)."""
    rnd = random.Random(seed)
    image = Image.new("RGB", (width, height), (245, 245, 240))
    draw = ImageDraw.Draw(image)
    for _ in range(3000):
        x, y, side = rnd.randrange(width), rnd.randrange(height), rnd.randrange(width // 200, width // 25)
        draw.rectangle(
            (x, y, x + side, y + side // 2), fill=(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
        )
    return Image.blend(image, Image.effect_noise((width, height), 18).convert("RGB"), 0.15)


def busy_jpeg(width: int = 4000, height: int = 3000, *, quality: int = 90, seed: int = 7) -> bytes:
    out = io.BytesIO()
    busy_picture(width, height, seed=seed).save(out, "JPEG", quality=quality)
    return out.getvalue()


def distinct_portrait_jpeg(seed: int, width: int = 900, height: int = 1200) -> bytes:
    """A portrait (as `portrait`) whose clothes carry a coarse pattern drawn from `seed`: two seeds
    give two different pictures to a perceptual hash, one seed the same picture."""
    import random

    image = portrait(width, height, face_top=0.2, face_width=0.3)
    draw = ImageDraw.Draw(image)
    chance = random.Random(seed)
    block = width // 10
    for row in range(int(height * 0.46), height, block):
        for column in range(0, width, block):
            grey = chance.randrange(0, 256)
            draw.rectangle((column, row, column + block, row + block), fill=(grey, grey // 2, 255 - grey))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()
