"""The background reading of ID cards and certificates (RapidOCR, issue 17 item 2)."""

from __future__ import annotations

import io
from typing import Any

from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django_tasks import task
from PIL import Image, UnidentifiedImageError

from .models import Reading, ReadingState

# Its own queue and worker: the person's page waits for the reading, which must not queue behind a
# long export, and only that worker holds the OCR engine (about 300 MB at work).
READING_QUEUE = "reading"

UNREADABLE = "无法读取该图片，请重新上传清晰的照片"
FILE_GONE = "材料文件已不存在，请重新上传"


def _stored_image(name: str) -> Image.Image:
    from accreg.uploads.models import Material

    storage = Material._meta.get_field("file").storage  # type: ignore[attr-defined]
    with storage.open(name, "rb") as stored:
        data = stored.read()
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _finish(reading: Reading, state: str, *, facts: dict[str, Any] | None = None, error: str = "") -> None:
    updates: dict[str, Any] = {"state": state, "error": error, "read_at": timezone.now()}
    if facts is not None:
        updates["facts"] = {**reading.facts, **facts}
    Reading.objects.filter(pk=reading.pk, state=ReadingState.PENDING).update(**updates)


@task(queue_name=READING_QUEUE)
def read_material(reading_id: int) -> None:
    """Read one stored ID card or certificate by OCR and store its facts (decision 0028). Safe to
    run twice: a reading already done or failed is left as it is; one still pending (its worker
    was killed) is read again. A picture that cannot be decoded fails with the reason in Chinese;
    the database going away re-raises, so the worker runs it again once it is back."""
    from .ocr import read_facts

    reading = Reading.objects.filter(pk=reading_id, state=ReadingState.PENDING).first()
    if reading is None:
        return
    try:
        image = _stored_image(reading.file)
    except FileNotFoundError:
        _finish(reading, ReadingState.FAILED, error=FILE_GONE)
        return
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        _finish(reading, ReadingState.FAILED, error=UNREADABLE)
        return
    try:
        facts = read_facts(reading.kind, image)
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        _finish(reading, ReadingState.FAILED, error=UNREADABLE)
        raise  # a fault in the reader: failed for the person, in the worker's log for us
    _finish(reading, ReadingState.DONE, facts=facts)
