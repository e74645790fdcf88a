"""The 1-inch photo cut around the face (issue 17 item 1): how often the face is found, where the
head lands, and what finding it costs next to the bare fix (decode, crop, resize, compress).

    .venv/bin/python bench/reading_portraits.py [--count 200] [--seed 1] [--save DIR]

The corpus is generated from the seed: synthetic head-and-shoulders portraits (tests/pictures.py
draws the face: hair, brows, eyes, nose, mouth, neck, shoulders), as a phone sends them (long side
1239 px, the portal's shrink for a 1-inch photo) or straight from a camera (4000×3000), portrait or
landscape, the face off centre, tilted up to 8°, of several skin tones, on white, grey, blue, cream
or busy backgrounds, under uneven light, blurred, with sensor noise and JPEG at quality 60 to 92.
They are cartoons, not people: the figures say the pipeline works and what it costs, not how
often a real selfie's face is found (Haar frontal cascades find well-lit frontal faces reliably and
miss strongly turned ones). Targets: faces found ≥ 98%, whole fix ≤ 2.5× the bare fix.

"Bare" is the fix as it was before issue 17, measured on the same files: the JPEG decoded at the
scale a 413 px crop needs, the centre cut to 295:413, resized and compressed to Yunnan's 20 KB.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw, ImageFilter

from accreg.uploads.imaging import ONE_INCH, ImageRefused, ImageRule, _compress, _encode, process_image
from tests.pictures import busy_picture, draw_person

YN_PHOTO = ImageRule(("jpeg", "png"), max_bytes=20 * 1024, one_inch=True, white_background=True)
HN_PHOTO = ImageRule(("jpeg", "png"), min_width=295, min_height=413, one_inch=True, white_background=True)
SKINS = [(241, 204, 177), (224, 182, 150), (198, 150, 115), (160, 110, 80), (110, 75, 55)]
BACKGROUNDS = {
    "white": (248, 248, 246),
    "warm white": (240, 236, 226),
    "light grey": (200, 200, 200),
    "blue": (67, 142, 219),
    "red": (200, 40, 40),
    "cream": (235, 220, 180),
}


def _background(rng: random.Random, size: tuple[int, int]) -> tuple[Image.Image, str]:
    roll = rng.random()
    if roll < 0.12:
        return busy_picture(size[0] // 4, size[1] // 4, seed=rng.randrange(10**6)).resize(size), "busy"
    if roll < 0.2:  # a wall with a door frame or a shelf edge
        image = Image.new("RGB", size, BACKGROUNDS["warm white"])
        draw = ImageDraw.Draw(image)
        for _ in range(rng.randint(1, 3)):
            x = rng.randrange(size[0])
            draw.rectangle((x, 0, x + size[0] // 30, size[1]), fill=(150, 120, 90))
        return image, "wall with lines"
    name = rng.choices(list(BACKGROUNDS), weights=[40, 15, 10, 10, 5, 8])[0]
    return Image.new("RGB", size, BACKGROUNDS[name]), name


def portrait(rng: random.Random) -> tuple[bytes, dict[str, object]]:
    """One generated photo and how it was made."""
    kind = rng.choices(["phone portrait", "phone landscape", "camera"], weights=[70, 15, 15])[0]
    size = {"phone portrait": (929, 1239), "phone landscape": (1239, 929), "camera": (4000, 3000)}[kind]
    if kind == "camera" and rng.random() < 0.5:
        size = (3000, 4000)
    image, background = _background(rng, size)
    width, height = size
    face_share = rng.uniform(0.2, 0.42) if height > width else rng.uniform(0.13, 0.24)
    face_width = width * face_share
    centre_x = width * rng.uniform(0.32, 0.68)
    face_top = height * rng.uniform(0.14, 0.34)
    draw_person(image, centre_x, face_top, face_width, skin=rng.choice(SKINS))
    image = image.filter(ImageFilter.GaussianBlur(face_width * 0.012))
    tilt = rng.uniform(-8, 8)
    image = image.rotate(tilt, Image.Resampling.BILINEAR, center=(centre_x, face_top), fillcolor=image.getpixel((2, 2)))
    # Uneven light: a lamp on one side, darker on the other (0.55 to 1.0 of the light).
    low = rng.uniform(0.55, 0.95)
    ramp = Image.linear_gradient("L").rotate(rng.choice([90, -90, 0, 180])).resize(size)
    light = ramp.point(lambda v: round(255 * (low + (1 - low) * v / 255)))
    image = Image.composite(image, Image.new("RGB", size), light)
    if rng.random() < 0.4:
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 2.5) * min(size) / 929))
    grain = max(1, width // 400)
    speckle = Image.effect_noise((width // grain + 1, height // grain + 1), 50).convert("RGB")
    speckle = speckle.resize((speckle.width * grain, speckle.height * grain)).crop((0, 0, width, height))
    image = Image.blend(image, speckle, rng.uniform(0.02, 0.12))
    out = io.BytesIO()
    quality = rng.randint(60, 92)
    image.save(out, "JPEG", quality=quality)
    made = {"kind": kind, "size": size, "face_share": round(face_share, 2), "background": background}
    made |= {"tilt": round(tilt, 1), "light": round(low, 2), "quality": quality}
    return out.getvalue(), made


def bare_fix(data: bytes, rule: ImageRule = YN_PHOTO) -> bytes:
    """The fix before issue 17, on the same files: decoded at the 413 px scale, the centre (a little
    more of the top) cut to 295:413, resized and compressed to the rule's bytes (Yunnan: 20 KB)."""
    image: Image.Image = Image.open(io.BytesIO(data))
    image.draft(image.mode, (max(ONE_INCH), max(ONE_INCH)))
    image.load()
    width, height = image.size
    if width / height > ONE_INCH[0] / ONE_INCH[1]:
        new_width = round(height * ONE_INCH[0] / ONE_INCH[1])
        box = ((width - new_width) // 2, 0, (width - new_width) // 2 + new_width, height)
    else:
        new_height = round(width * ONE_INCH[1] / ONE_INCH[0])
        box = (0, (height - new_height) // 3, width, (height - new_height) // 3 + new_height)
    factor = min((box[2] - box[0]) // ONE_INCH[0], (box[3] - box[1]) // ONE_INCH[1])
    if factor >= 2:
        image = image.reduce(factor, box=box)
        box = (0, 0, *image.size)
    image = image.resize(ONE_INCH, Image.Resampling.LANCZOS, box=box)
    content = _encode(image, "jpeg", 90)
    if rule.max_bytes and len(content) > rule.max_bytes:
        content, _ = _compress(image, "jpeg", rule, *ONE_INCH, 0)
    return content


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def run(count: int = 200, seed: int = 1, save: Path | None = None) -> dict[str, object]:
    """Fix `count` generated portraits both ways; the figures as a dict."""
    rng = random.Random(seed)
    warm_up, _ = portrait(random.Random(seed - 1))  # loads the cascade and the codecs, not counted
    bare_fix(warm_up)
    process_image(warm_up, YN_PHOTO)
    whole, bare, refused, misplaced = [], [], [], []
    whole_hn, bare_hn = [], []  # Henan's rule: no byte limit, so no compressing either way
    found = 0
    for n in range(count):
        data, made = portrait(rng)
        started = time.perf_counter()
        bare_fix(data, HN_PHOTO)
        bare_hn.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        with contextlib.suppress(ImageRefused):  # Henan refuses a head with fewer than 413 px around it
            process_image(data, HN_PHOTO)
        whole_hn.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        bare_fix(data)
        bare.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        try:
            result = process_image(data, YN_PHOTO)
        except ImageRefused as exc:
            whole.append((time.perf_counter() - started) * 1000)
            refused.append({"n": n, **made, "reason": str(exc)})
            continue
        whole.append((time.perf_counter() - started) * 1000)
        found += 1
        x, y, w, h = result.facts["face"]["box"]  # type: ignore[index]
        # Where the head should be, by the same estimate from the box (hair half a box above it,
        # chin at its foot): face centred (±8% of the width), hair inside, some room under the
        # chin, the head between half and four fifths of the height.
        head_top, chin = y - 0.5 * h, y + 1.05 * h
        if (
            abs(x + w / 2 - result.width / 2) > 0.08 * result.width
            or head_top < -0.05 * result.height
            or chin > 0.96 * result.height
            or not 0.5 <= (chin - head_top) / result.height <= 0.8
        ):
            misplaced.append({"n": n, **made, "box": [x, y, w, h]})
        if save and n < 24:
            save.mkdir(parents=True, exist_ok=True)
            Image.open(io.BytesIO(data)).save(save / f"{n:03d}-in.jpg")
            (save / f"{n:03d}-out.jpg").write_bytes(result.content)
    return {
        "count": count,
        "seed": seed,
        "faces_found_pct": round(100 * found / count, 1),
        "head_misplaced": len(misplaced),
        "whole_ms": {"p50": round(statistics.median(whole), 1), "p95": round(_percentile(whole, 0.95), 1)},
        "bare_ms": {"p50": round(statistics.median(bare), 1), "p95": round(_percentile(bare, 0.95), 1)},
        "whole_over_bare_p50": round(statistics.median(whole) / statistics.median(bare), 2),
        "whole_over_bare_total": round(sum(whole) / sum(bare), 2),
        "henan_no_byte_limit": {
            "whole_ms_p50": round(statistics.median(whole_hn), 1),
            "bare_ms_p50": round(statistics.median(bare_hn), 1),
            "whole_over_bare_p50": round(statistics.median(whole_hn) / statistics.median(bare_hn), 2),
            "whole_over_bare_total": round(sum(whole_hn) / sum(bare_hn), 2),
        },
        "refused": refused,
        "misplaced": misplaced,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--save", type=Path, help="write the first 24 inputs and crops here")
    args = parser.parse_args()
    figures = run(args.count, args.seed, args.save)
    print(json.dumps(figures, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
