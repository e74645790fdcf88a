"""The reading benchmark's corpus: fake ID card fronts and backs and certificates (drawn by
accreg/demo/cards.py with Noto Sans SC), photographed badly the way phones do it: on a table,
at an angle (perspective), turned a little, sometimes sideways with an EXIF orientation, out of
focus, under uneven light, with sensor noise and JPEG loss. A fixed seed gives the same corpus.

Each sample carries the truth and what the checks should say. A share of the ID fronts is printed
with another valid number (the check must flag it); a share of the certificates has a different
number typed in the record; the backs' validity is past, future or 长期.

    .venv/bin/python bench/reading_corpus.py --count 5 --out /tmp/corpus   # to look at them
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accreg.demo.cards import (
    ADDRESSES,
    AUTHORITIES,
    Certificate,
    IdBack,
    IdFront,
    draw_certificate,
    draw_id_back,
    draw_id_front,
    random_id_number,
    random_name,
)

KINDS = ("id_front", "id_back", "certificate")
WRONG_SHARE = 0.5  # of fronts printed with another number, of certificates with another number typed
TODAY = date(2026, 12, 6)  # the checks' "today" for the backs, so the corpus means the same any day
CERTIFICATES = (  # the kind of material, the title printed, how its number looks
    ("full_time_education", "普通高等学校毕业证书", "education"),
    ("full_time_degree", "学士学位证书", "degree"),
    ("qualification", "会计专业技术资格证书", "qualification"),
)


@dataclass
class Sample:
    kind: str  # id_front, id_back or one of the certificate kinds
    data: bytes  # the phone's JPEG
    # What the record says (the subject), what is printed, and whether the check should pass.
    name: str = ""
    id_number: str = ""
    printed: dict[str, str] = field(default_factory=dict)
    typed_number: str = ""
    expect_ok: bool = True
    faults: dict[str, float | int] = field(default_factory=dict)

    def truth(self) -> dict[str, object]:
        out = asdict(self)
        del out["data"]
        return out


def _certificate_number(rnd: random.Random, style: str) -> str:
    if style == "education":  # school code (5), year, level, serial: 18 digits
        return f"1{rnd.randrange(10000):04d}{rnd.randrange(2000, 2024)}{rnd.choice('0356')}{rnd.randrange(10**6):06d}"
    if style == "degree":
        return f"1{rnd.randrange(10000):04d}{rnd.randrange(2, 5)}{rnd.randrange(2000, 2024)}{rnd.randrange(10**6):06d}"
    province = rnd.choice(("41", "53", "50", "21"))
    return f"{rnd.choice('ZKJ')}{rnd.randrange(2000, 2024)}{province}{rnd.randrange(10**5):05d}"


def _day(rnd: random.Random, start: int, end: int) -> str:
    return f"{rnd.randrange(start, end)}.{rnd.randrange(1, 13):02d}.{rnd.randrange(1, 29):02d}"


def _perspective(card: Image.Image, rnd: random.Random, strength: float) -> tuple[np.ndarray, np.ndarray]:
    """The card as a camera at an angle sees it, on a canvas with its mask."""
    w, h = card.size
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    jitter = [(rnd.uniform(-strength, strength) * w, rnd.uniform(-strength, strength) * h) for _ in range(4)]
    margin = int(strength * max(w, h)) + 2
    dst = np.float32([[x + margin + dx, y + margin + dy] for (x, y), (dx, dy) in zip(src, jitter, strict=True)])
    size = (w + 2 * margin, h + 2 * margin)
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(np.asarray(card), matrix, size, flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), matrix, size, flags=cv2.INTER_LINEAR)
    return warped, mask


# How bad the photos get. HARSH (--harsh) is a worse phone in worse light: a card far away in a
# small picture, more blur, deeper shadow, more noise and harder compression.
NORMAL = {"perspective": 0.06, "angle": 8, "fill": (0.55, 0.9), "sides": (1600, 1800, 2400, 3000, 4000),
          "blur": 1.6, "light": 0.45, "noise": 14, "quality": (45, 92)}  # fmt: skip
HARSH = {"perspective": 0.1, "angle": 15, "fill": (0.35, 0.7), "sides": (1000, 1280, 1600),
         "blur": 2.6, "light": 0.7, "noise": 24, "quality": (25, 60)}  # fmt: skip
SEVERITY = NORMAL


def photograph(card: Image.Image, rnd: random.Random) -> tuple[bytes, dict[str, float | int]]:
    """A phone photo of `card`: returns the JPEG and the faults put in it."""
    v = SEVERITY
    faults: dict[str, float | int] = {
        "perspective": round(rnd.uniform(0.0, v["perspective"]), 3),
        "angle": round(rnd.uniform(-v["angle"], v["angle"]), 1),
        "fill": round(rnd.uniform(*v["fill"]), 2),  # share of the photo's width the card takes
        "long_side": rnd.choice(v["sides"]),
        "blur": round(rnd.choice((0.0, 0.0, rnd.uniform(0.3, v["blur"]))), 2),  # at the card's drawn size
        "light": round(rnd.uniform(0.0, v["light"]), 2),  # depth of the shadow across the picture
        "noise": round(rnd.uniform(0, v["noise"]), 1),
        "quality": rnd.randrange(*v["quality"]),
        "exif": rnd.choice((1, 1, 1, 1, 1, 1, 1, 1, 6, 8)),
    }
    if faults["blur"]:
        card = card.filter(ImageFilter.GaussianBlur(float(faults["blur"])))
    warped, mask = _perspective(card, rnd, float(faults["perspective"]))
    centre = (warped.shape[1] / 2, warped.shape[0] / 2)
    turn = cv2.getRotationMatrix2D(centre, float(faults["angle"]), 1.0)
    shape = (warped.shape[1], warped.shape[0])
    warped = cv2.warpAffine(warped, turn, shape, flags=cv2.INTER_LINEAR)
    mask = cv2.warpAffine(mask, turn, shape, flags=cv2.INTER_LINEAR)
    # The table: a colour with coarse texture, the card on it at the chosen share of the width.
    width = int(warped.shape[1] / float(faults["fill"]))
    height = int(width * rnd.choice((0.75, 0.5625, 1.0)))
    height = max(height, warped.shape[0] + 40)
    rng = np.random.default_rng(rnd.randrange(2**32))
    table = np.array([rnd.randrange(60, 200) for _ in range(3)], np.float32)
    coarse = rng.standard_normal((height // 40 + 1, width // 40 + 1), dtype=np.float32) * 12
    canvas = table + cv2.resize(coarse, (width, height))[:, :, None]
    x, y = rnd.randrange(0, width - warped.shape[1] + 1), rnd.randrange(0, height - warped.shape[0] + 1)
    region = canvas[y : y + warped.shape[0], x : x + warped.shape[1]]
    alpha = (mask.astype(np.float32) / 255)[:, :, None]
    canvas[y : y + warped.shape[0], x : x + warped.shape[1]] = region * (1 - alpha) + warped * alpha
    # Uneven light: a shadow falling off from one side, and a soft highlight (smooth, so worked out
    # at an eighth of the size).
    small_h, small_w = height // 8 + 1, width // 8 + 1
    ys, xs = np.mgrid[0:small_h, 0:small_w].astype(np.float32)
    direction = rnd.uniform(0, 2 * np.pi)
    ramp = (np.cos(direction) * xs / small_w + np.sin(direction) * ys / small_h + 1) / 2
    light = 1 - float(faults["light"]) * ramp
    cx, cy = rnd.uniform(0, small_w), rnd.uniform(0, small_h)
    light += 0.12 * np.exp(-(((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * (0.25 * small_w) ** 2)))
    canvas *= cv2.resize(light.astype(np.float32), (width, height))[:, :, None]
    canvas += rng.standard_normal(canvas.shape, dtype=np.float32) * float(faults["noise"])
    photo = Image.fromarray(np.clip(canvas, 0, 255, out=canvas).astype(np.uint8))
    scale = int(faults["long_side"]) / max(photo.size)
    photo = photo.resize((round(photo.width * scale), round(photo.height * scale)), Image.Resampling.BILINEAR)
    exif = Image.Exif()
    if faults["exif"] != 1:  # the phone stored it sideways and says so in EXIF
        photo = photo.transpose(Image.Transpose.ROTATE_90 if faults["exif"] == 6 else Image.Transpose.ROTATE_270)
        exif[0x0112] = int(faults["exif"])
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=int(faults["quality"]), exif=exif)
    return out.getvalue(), faults


def id_fronts(count: int, rnd: random.Random) -> Iterator[Sample]:
    for _ in range(count):
        name, number = random_name(rnd), random_id_number(rnd)
        wrong = rnd.random() < WRONG_SHARE
        printed = random_id_number(rnd) if wrong else number
        card = draw_id_front(IdFront(name, printed, rnd.choice(ADDRESSES)))
        data, faults = photograph(card, rnd)
        yield Sample("id_front", data, name, number, {"name": name, "id_number": printed}, "", not wrong, faults)


def id_backs(count: int, rnd: random.Random) -> Iterator[Sample]:
    for _ in range(count):
        start = _day(rnd, 2004, 2026)
        years = rnd.choice((10, 20, 20, 0))
        until = "长期" if years == 0 else f"{int(start[:4]) + years}{start[4:]}"
        card = draw_id_back(IdBack(start, until, rnd.choice(AUTHORITIES)))
        data, faults = photograph(card, rnd)
        expired = until != "长期" and date.fromisoformat(until.replace(".", "-")) < TODAY
        printed = {"valid_from": start.replace(".", "-"), "valid_until": until.replace(".", "-")}
        yield Sample("id_back", data, printed=printed, expect_ok=not expired, faults=faults)


def certificates(count: int, rnd: random.Random) -> Iterator[Sample]:
    for _ in range(count):
        kind, title, style = rnd.choice(CERTIFICATES)
        name, number = random_name(rnd), _certificate_number(rnd, style)
        wrong = rnd.random() < WRONG_SHARE
        typed = _certificate_number(rnd, style) if wrong else number
        data, faults = photograph(draw_certificate(Certificate(title, name, number)), rnd)
        yield Sample(kind, data, name, "", {"number": number}, typed, not wrong, faults)


def corpus(kind: str, count: int, seed: int) -> Iterator[Sample]:
    """`count` samples of `kind` (id_front, id_back, certificate), the same for the same seed."""
    rnd = random.Random(f"{seed}-{kind}")
    makers = {"id_front": id_fronts, "id_back": id_backs, "certificate": certificates}
    return makers[kind](count, rnd)


def write(directory: Path, count: int, seed: int) -> None:
    """The corpus as JPEG files and one truth.jsonl, for the benchmark's measuring process."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "truth.jsonl").open("w") as truth:
        for kind in KINDS:
            for index, sample in enumerate(corpus(kind, count, seed)):
                path = directory / f"{kind}-{index:04d}.jpg"
                path.write_bytes(sample.data)
                truth.write(json.dumps({"file": path.name, **sample.truth()}, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200, help="samples of each kind")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--harsh", action="store_true", help="worse photos (HARSH)")
    args = parser.parse_args()
    global SEVERITY
    SEVERITY = HARSH if args.harsh else NORMAL
    write(args.out, args.count, args.seed)


if __name__ == "__main__":
    main()
