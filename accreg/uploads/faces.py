"""The 1-inch photo framed around the face (issue 17): finding the one face, placing the head where
the national rule puts it, and measuring the background the crop leaves around it.

OpenCV's Haar cascade (shipped inside `opencv-python-headless`, nothing downloaded) runs on a small
grey copy of the upright picture. The proportions follow the 1-inch photo of GA 461 style rules
(25×35 mm, 295×413 px): the head, from the top of the hair to the chin, fills about two thirds of
the height, a little free space above the hair, the face centred left to right, the shoulders below.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from .refusals import ImageRefused

NO_FACE = "未能在照片中找到人脸，请上传本人正面免冠照片"
MANY_FACES = "照片中有多张人脸，请上传仅有本人的照片"
FACE_TOO_SMALL = "照片中人脸太小，请靠近镜头、让头部和肩膀占满画面后重新拍摄"
FACE_AT_EDGE = "人脸太靠近照片边缘，头部不完整；请让头顶到肩膀都在画面中间后重新拍摄"

CASCADE = "haarcascade_frontalface_alt2.xml"  # fewer false faces in busy backgrounds than "default"
# A face box narrower than this share of the picture's short side is a person too far away: the
# crop would be a blurred enlargement (chosen on bench/reading_portraits.py, where selfies and
# ID-style portraits have boxes of 0.18 to 0.5 of the short side).
FACE_MIN_SHARE = 0.12
# The detector first runs on a grey copy with about this short side, looking only for faces of
# QUICK_SHARE of it and more (46 px and up): a 1-inch portrait or a selfie is found in one quick
# look (about 10 ms; the small sizes are where a cascade spends its time).
DETECT_SHORT_SIDE = 256
QUICK_SHARE = 0.18
# Only when that finds nothing, a second look on a larger copy finds the smaller faces (down to 5%
# of the short side, 24 px): from FACE_MIN_SHARE they are used, below it they are too small.
SMALL_SHORT_SIDE = 480
SMALLEST_SHARE = 0.05
SCALE_STEP = 1.15  # between the sizes of face looked for (1.1 is 25% slower)
SMALL_SCALE_STEP = 1.1  # the second look, finer: it also finds the tilted faces the first missed
NEIGHBOURS = 3  # overlapping hits a face needs (4 missed tilted and blurred faces in the bench)
SMALL_NEIGHBOURS = 5  # hits a face below FACE_MIN_SHARE needs to be called one (texture passes at 3)
# Faces at least this share of the largest one count as another person; smaller ones are a poster
# or a passer-by far behind, and a false face in the background is usually small too.
ANOTHER_PERSON = 0.5

# The frame, in heights of the Haar box (which spans roughly the eyebrows to the chin).
HAIR_ABOVE_BOX = 0.5  # the top of the hair is about half a box above it
CHIN_BELOW_BOX = 0.05
HEAD_SHARE = 0.64  # head (hair to chin) / frame height: 22.4 of 35 mm, about two thirds
TOP_SPACE = 0.10  # free space above the hair / frame height (3.5 mm)
RATIO = 295 / 413
# When the picture is too tight for that frame, a tighter one is taken, the head filling at most
# this share of it: a centred tighter frame is preferred to an off-centre nominal one.
MAX_HEAD_SHARE = 0.76
HAIR_CUT_ALLOWED = 0.10  # of a box height: a little hair past the top edge is still a whole head
CHIN_SPACE = 0.04  # of the frame height, at least, below the chin
CENTRED = 0.02  # of the frame width: a face this close to the middle is centred
OFF_CENTRE_ALLOWED = 0.08  # of the frame width: the face centre from the frame's middle, at most

# The background: a band along the top and the upper sides of the cropped photo, where neither
# the head nor the shoulders reach.
BAND = 0.05  # of the width
SIDE_DOWN_TO = 0.45  # of the height: the side strips stop above the shoulders
WHITE_FLOOR = 170  # every channel's median at least this: a white wall indoors reads 170 to 230 on a phone
WHITE_SPREAD = 35  # and the channels this close: a light blue or cream wall is not white

_detector: cv2.CascadeClassifier | None = None


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    def scaled(self, factor: float, dx: float = 0, dy: float = 0) -> Box:
        return Box((self.x - dx) * factor, (self.y - dy) * factor, self.w * factor, self.h * factor)

    def as_list(self) -> list[int]:
        return [round(self.x), round(self.y), round(self.w), round(self.h)]


def _cascade() -> cv2.CascadeClassifier:
    global _detector
    if _detector is None:
        _detector = cv2.CascadeClassifier(str(cv2.data.haarcascades) + CASCADE)  # type: ignore[attr-defined]
    return _detector


def grey_copy(image: Image.Image, short_side: int) -> tuple[np.ndarray, float]:
    """The picture in grey, shrunk by a whole factor to about the given short side (averaging
    blocks of pixels: quick, and it keeps the contrast of eyes and brows), and that factor."""
    factor = max(1, round(min(image.size) / short_side))
    small = image.reduce(factor) if factor > 1 else image
    return np.asarray(small.convert("L")), float(factor)


def _faces(pixels: np.ndarray, smallest: float, step: float) -> list[tuple[Box, int]]:
    """The faces of `smallest` share of the short side and more, largest first, each with the
    number of overlapping hits that made it (more hits, surer it is a face)."""
    low = max(20, round(min(pixels.shape[:2]) * smallest))
    found, hits = _cascade().detectMultiScale2(pixels, scaleFactor=step, minNeighbors=NEIGHBOURS, minSize=(low, low))
    faces = [(Box(*map(float, f)), int(n)) for f, n in zip(found, hits, strict=True)]
    return sorted(faces, key=lambda face: face[0].w, reverse=True)


def find_face(image: Image.Image) -> Box:
    """The one face in the upright picture (RGB or grey), in its pixels; or ImageRefused: none,
    several, or one too small to make a 1-inch photo of."""
    pixels, factor = grey_copy(image, DETECT_SHORT_SIDE)
    found = _faces(pixels, QUICK_SHARE, SCALE_STEP)
    if not found:  # a second, slower look: a smaller face, or one the quick look missed
        pixels, factor = grey_copy(image, SMALL_SHORT_SIDE)
        found = _faces(pixels, SMALLEST_SHARE, SMALL_SCALE_STEP)
        if not any(box.w >= min(pixels.shape[:2]) * FACE_MIN_SHARE for box, _ in found):
            # Only a sure small face is one: small windows of a busy wall pass for faces too.
            raise ImageRefused(FACE_TOO_SMALL if any(n >= SMALL_NEIGHBOURS for _, n in found) else NO_FACE)
    face = found[0][0]
    if any(other.w >= face.w * ANOTHER_PERSON for other, _ in found[1:]):
        raise ImageRefused(MANY_FACES)
    return face.scaled(factor)


def _placed(face: Box, size: tuple[int, int], share: float) -> tuple[float, float, float, float]:
    """The frame in which the head fills `share` of the height (smaller if the picture is), moved
    only as far as the picture's edges make it: left, top, width, height."""
    width, height = size
    hair, chin = face.y - HAIR_ABOVE_BOX * face.h, face.y + (1 + CHIN_BELOW_BOX) * face.h
    frame_h = min((chin - hair) / share, height, width / RATIO)
    frame_w = frame_h * RATIO
    left = min(max(face.x + face.w / 2 - frame_w / 2, 0), width - frame_w)
    top = min(max(hair - TOP_SPACE * frame_h, 0), height - frame_h)
    return left, top, frame_w, frame_h


def one_inch_frame(face: Box, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The 295:413 part of a picture of `size` that frames the head around `face`: the nominal
    frame (HEAD_SHARE) with the face centred; when the picture is too tight, a tighter frame (the
    head up to MAX_HEAD_SHARE) that keeps it centred, or failing that the least off-centre one;
    ImageRefused when none keeps the head whole (cut off, or pressed against an edge)."""
    hair, chin = face.y - HAIR_ABOVE_BOX * face.h, face.y + (1 + CHIN_BELOW_BOX) * face.h
    if hair < -HAIR_CUT_ALLOWED * face.h:
        raise ImageRefused(FACE_AT_EDGE)
    centre, tries = face.x + face.w / 2, []
    for step in range(8):
        left, top, frame_w, frame_h = _placed(face, size, HEAD_SHARE + step * (MAX_HEAD_SHARE - HEAD_SHARE) / 7)
        off = abs(centre - (left + frame_w / 2)) / frame_w
        whole = (chin - hair) / frame_h <= MAX_HEAD_SHARE + 0.01 and top + frame_h >= chin + CHIN_SPACE * frame_h
        if whole:  # the first centred one; else the least off centre
            tries.append(((0.0, float(step)) if off <= CENTRED else (1.0, off), off, (left, top, frame_w, frame_h)))
    best = min(tries, key=lambda t: t[0]) if tries else None
    if best is None or best[1] > OFF_CENTRE_ALLOWED:
        raise ImageRefused(FACE_AT_EDGE)
    left, top, frame_w, frame_h = best[2]
    width, height = size
    box_w, box_h = max(1, round(frame_w)), max(1, round(frame_h))
    x0, y0 = max(0, min(round(left), width - box_w)), max(0, min(round(top), height - box_h))
    return (x0, y0, x0 + box_w, y0 + box_h)


def background_of(image: Image.Image) -> dict[str, object]:
    """Whether the band along the top and upper sides of the cropped photo is near-white, and its
    median colour: the `background` fact of a photo's reading."""
    rgb = np.asarray(image.convert("RGB"))
    height, width = rgb.shape[:2]
    band, down = max(1, round(width * BAND)), max(2, round(height * SIDE_DOWN_TO))
    strips = [rgb[:band, :], rgb[band:down, :band], rgb[band:down, width - band :]]
    pixels = np.concatenate([s.reshape(-1, 3) for s in strips])
    median = [int(v) for v in np.median(pixels, axis=0)]
    white = min(median) >= WHITE_FLOOR and max(median) - min(median) <= WHITE_SPREAD
    return {"white": white, "rgb": median}
