"""Background sending, so a slow gateway never holds up a person's page.

The queue stores task arguments in the database, so the message (a mobile and maybe a code) is
passed encrypted and decrypted only by the worker. A gateway that fails is tried again later,
with growing pauses, a few times; then the failure is logged for the operators.
"""

import datetime
import json
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from accreg.accounts.sensitive import decrypt, encrypt

from .sms import sms_backend

logger = logging.getLogger(__name__)
RETRY_MINUTES = (1, 5, 15, 60)  # after the first failure, then the next …


@task()
def send_sms(sealed: str, attempt: int = 0) -> None:
    message = json.loads(decrypt(sealed))
    try:
        sms_backend().send(message["to"], message["text"])
    except Exception as exc:
        if attempt >= len(RETRY_MINUTES):
            logger.error("SMS not delivered after %d attempts: %s", attempt + 1, type(exc).__name__)
            raise
        later = timezone.now() + datetime.timedelta(minutes=RETRY_MINUTES[attempt])
        logger.warning("SMS gateway failed (%s); trying again at %s", type(exc).__name__, later.isoformat())
        send_sms.using(run_after=later).enqueue(sealed, attempt + 1)


def queue_sms(to: str, text: str) -> None:
    """Send after the current transaction commits (never for a rolled-back action)."""
    sealed = encrypt(json.dumps({"to": to, "text": text}, ensure_ascii=False))
    transaction.on_commit(lambda: send_sms.enqueue(sealed))
