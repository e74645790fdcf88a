"""Text off a stored picture by RapidOCR (its ONNX models ship inside the wheel; nothing is
downloaded). One engine per worker process, made on first use: loading it takes about half a
second and 80 MB, so a worker keeps it for every later task.

RapidOCR finds text boxes (detection), then reads each box (recognition). Detection's time and
memory grow with the area it looks at, so it looks at a picture of at most DETECT_SIDE; the boxes
are cut for recognition from the picture at up to READ_SIDE, where small print is still sharp
(bench/reading.py measures both). The boxes are put back into the card's rows, so a label and
its value on one row make one line ("姓名 李娜") even when the photo is a little turned."""

from __future__ import annotations

import ctypes
import ctypes.util
import math
import statistics
from typing import TYPE_CHECKING, Any

import numpy as np
from PIL import Image

from .extract import better, complete, facts_for

if TYPE_CHECKING:
    from rapidocr_onnxruntime import RapidOCR

READ_SIDE = 1280
DETECT_SIDE = 736
# A card whose number, name or validity was not found is looked at once more, detecting at this
# size: small print on a card far from the camera is missed at DETECT_SIDE.
SECOND_LOOK_SIDE = 960

_engine: RapidOCR | None = None
_detect_side = DETECT_SIDE


def engine() -> RapidOCR:
    global _engine
    if _engine is None:
        from rapidocr_onnxruntime import RapidOCR
        from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess

        # Two boxes per recognition batch, not six: the same time, 50 MB less at the peak.
        _engine = RapidOCR(rec_batch_num=2)
        detector = _engine.text_det
        # Detection at most `detect_side` on the long side. RapidOCR 1.4's own settings cannot say
        # this: "min" keeps a big picture whole, "max" rounds the limit up to 960/1500/2000.
        detector.get_preprocess = lambda _: DetPreProcess(_detect_side, "max", detector.mean, detector.std)
    return _engine


def _release_memory() -> None:
    """Give the memory freed after a reading back to the system (glibc keeps it otherwise, and
    a long-lived worker's size creeps up by a few hundred MB over hundreds of pictures)."""
    name = ctypes.util.find_library("c")
    if name and name.startswith("libc.so"):
        ctypes.CDLL(name).malloc_trim(0)


def _rows(boxes: list[tuple[list[list[float]], str]]) -> list[str]:
    """The boxes grouped into rows along the text's slant, each row read left to right."""
    slants = [
        math.atan2(b[1][1] - b[0][1], b[1][0] - b[0][0])
        for b, _ in boxes
        if math.dist(b[0], b[1]) > 2 * math.dist(b[0], b[3])
    ]
    slant = statistics.median(slants) if slants else 0.0
    cos, sin = math.cos(-slant), math.sin(-slant)
    placed = []
    for box, text in boxes:
        cx, cy = sum(p[0] for p in box) / 4, sum(p[1] for p in box) / 4
        height = (math.dist(box[0], box[3]) + math.dist(box[1], box[2])) / 2
        placed.append((cx * sin + cy * cos, cx * cos - cy * sin, height, text))
    placed.sort()
    rows: list[list[tuple[float, float, float, str]]] = []
    for item in placed:
        row = rows[-1] if rows else None
        if row and abs(item[0] - statistics.fmean(r[0] for r in row)) < 0.5 * min(item[2], row[0][2]):
            row.append(item)
        else:
            rows.append([item])
    return [" ".join(text for _, _, _, text in sorted(row, key=lambda r: r[1])) for row in rows]


def read_facts(kind: str, image: Image.Image, *, side: int = READ_SIDE) -> dict[str, Any]:
    """The facts of a material of `kind` (decision 0028) read off its stored picture, with a
    second, closer look at a card where the first did not find everything."""
    first = facts_for(kind, read_lines(image, side=side))
    if complete(kind, first):
        return first
    second = facts_for(kind, read_lines(image, side=side, detect_side=SECOND_LOOK_SIDE))
    return better(kind, first, second)


def read_lines(image: Image.Image, *, side: int = READ_SIDE, detect_side: int | None = None) -> list[str]:
    """The lines of text on `image`, row by row from the top."""
    global _detect_side
    _detect_side = detect_side or DETECT_SIDE
    picture = image.convert("RGB")
    if max(picture.size) > side:
        picture.thumbnail((side, side), Image.Resampling.LANCZOS)
    result: list[Any] | None
    result, _ = engine()(np.asarray(picture)[:, :, ::-1])  # RapidOCR takes OpenCV's BGR order
    del picture
    _release_memory()
    return _rows([([list(map(float, p)) for p in box], str(text)) for box, text, _ in result or []])
