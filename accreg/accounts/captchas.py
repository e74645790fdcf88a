"""Image captchas for the portals whose password sign-in asks for one (YN 3), drawn by the
`captcha` package. Answers live in the shared cache for 5 minutes and are single use."""

from __future__ import annotations

import base64
import hashlib
import secrets

from captcha.image import ImageCaptcha
from django.core.cache import cache

from accreg.errors import DomainError

# Nothing a distorted picture makes look like something else in it: no 0/O/Q, 1/I/L, 2/Z, 5/S,
# 8/B, E/F, 6/G, U/V (issue 14, item 15).
ALPHABET = "ACDEHJKMNPRTWXY34679"
LOOK_ALIKES = ("0OQ", "1IL", "2Z", "5S", "8B", "EF", "6G", "UV")
LENGTH = 4
LIFETIME_SECONDS = 300


def _cache_key(key: str) -> str:
    return f"captcha:{hashlib.sha256(key.encode()).hexdigest()}"


def new_captcha() -> tuple[str, str]:
    """A fresh captcha: (captcha_key, PNG data URL)."""
    answer = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    key = secrets.token_urlsafe(16)
    cache.set(_cache_key(key), answer, LIFETIME_SECONDS)
    png = ImageCaptcha(width=160, height=60).generate(answer, format="png").getvalue()
    return key, "data:image/png;base64," + base64.b64encode(png).decode()


def check_captcha(key: str | None, answer: str | None) -> None:
    """Raise DomainError naming `captcha` unless the answer matches; a key works once either way."""
    if not key or not answer:
        raise DomainError("captcha_required", "请输入图形验证码", fields={"captcha": ["请输入图形验证码"]})
    expected = cache.get(_cache_key(key))
    cache.delete(_cache_key(key))
    if expected is None:
        msg = "图形验证码已失效，请点击图片刷新"
        raise DomainError("captcha_expired", msg, fields={"captcha": [msg]})
    if not secrets.compare_digest(expected, answer.strip().upper()):
        msg = "图形验证码不正确，请重新输入"
        raise DomainError("captcha_wrong", msg, fields={"captcha": [msg]})
