"""The SMS gateway. Every backend has the same interface; `SMS_BACKEND` picks one by dotted path.

`OutboxBackend` (the default) appends each message as one JSON line to `$DATA_DIR/sms-outbox.jsonl`
(API.md), where developers and tests read it. A provider's backend (Aliyun, Tencent Cloud …)
implements `send` with its SDK and reads its credentials from the environment.
"""

from __future__ import annotations

import fcntl
import json
import os
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SmsBackend(Protocol):
    def send(self, to: str, text: str) -> None:
        """Deliver one message to a mainland mobile number, or raise."""


class OutboxBackend:
    """Writes messages to a local JSON-lines file instead of sending them."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path or settings.SMS_OUTBOX)

    def send(self, to: str, text: str) -> None:
        line = json.dumps({"to": to, "text": text, "sent_at": timezone.now().isoformat()}, ensure_ascii=False)
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Owner-only, an outbox made before too: the messages carry codes and names (issue 13 item 12).
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as outbox:
            fcntl.flock(outbox, fcntl.LOCK_EX)  # several workers may append at once
            outbox.write(line + "\n")


@cache
def sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()
