"""Text off a stored picture by RapidOCR (its ONNX models ship inside the wheel; nothing is
downloaded). One engine per worker process, made on first use: loading it takes about half a
second and 150 MB, so a worker keeps it for every later task."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

if TYPE_CHECKING:
    from rapidocr_onnxruntime import RapidOCR

# The long side a picture is read at. Stored documents are up to 2400 px; card text stays well
# above the recogniser's 48 px line height at this size, and detection time grows with the area
# (bench/reading.py measures both).
READ_SIDE = 1280

_engine: RapidOCR | None = None


def engine() -> RapidOCR:
    global _engine
    if _engine is None:
        from rapidocr_onnxruntime import RapidOCR

        _engine = RapidOCR()
    return _engine


def read_lines(image: Image.Image, *, side: int = READ_SIDE) -> list[str]:
    """The lines of text on `image`, top to bottom as OCR found them."""
    picture = image.convert("RGB")
    if max(picture.size) > side:
        picture.thumbnail((side, side), Image.Resampling.LANCZOS)
    result, _ = engine()(np.asarray(picture)[:, :, ::-1])  # RapidOCR takes OpenCV's BGR order
    return [str(text) for _, text, _ in result or []]
