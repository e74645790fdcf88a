"""Small previews of stored materials, so a page listing eight of them stays light on a phone.

A thumbnail's name is derived from its image's name (`materials/7/photo-0-ab12.jpg` →
`materials/7/thumbs/photo-0-ab12.jpg`), so it needs no column of its own, follows the image into
snapshots and is deleted with it. It is made when the image is stored and, for an image stored
before thumbnails existed (or restored from an archive), the first time it is asked for.
"""

from __future__ import annotations

import io
import posixpath

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from PIL import Image, ImageOps

THUMBNAIL_BOX = (240, 320)  # shown at half this size in CSS pixels; sharp on a 2× phone screen
THUMBNAIL_QUALITY = 72


def thumbnail_name(image_name: str) -> str:
    folder, base = posixpath.split(image_name)
    stem = base.rsplit(".", 1)[0]
    return posixpath.join(folder, "thumbs", f"{stem}.jpg")


def make_thumbnail(content: bytes) -> bytes:
    """A small JPEG of a stored (already decoded, upright and metadata-free) image."""
    with Image.open(io.BytesIO(content)) as image:
        image.draft("RGB", THUMBNAIL_BOX)
        small = ImageOps.contain(image.convert("RGB"), THUMBNAIL_BOX, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return out.getvalue()


def store_thumbnail(storage: Storage, image_name: str, content: bytes) -> str:
    name = thumbnail_name(image_name)
    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(make_thumbnail(content)))


def thumbnail_of(storage: Storage, image_name: str) -> str:
    """The thumbnail's name, made now if the image has none yet."""
    name = thumbnail_name(image_name)
    if storage.exists(name):
        return name
    with storage.open(image_name, "rb") as image:
        return store_thumbnail(storage, image_name, image.read())


def delete_image(storage: Storage, image_name: str) -> None:
    """An image, its thumbnail and what the machine read off it (a replaced picture is no longer
    anyone's material, so the duplicate guard must not find it)."""
    from accreg.reading.models import Reading

    storage.delete(image_name)
    storage.delete(thumbnail_name(image_name))
    Reading.objects.filter(file=image_name).delete()
