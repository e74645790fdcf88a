"""Background sending, so a slow gateway never holds up a person's page.

The queue stores task arguments in the database, so the message (a mobile and maybe a code) is
passed encrypted and decrypted only by the worker. SMS have their own queue (`sms`) and worker, so
a backlog of exports never delays a login code. A gateway that fails is tried again later, with
growing pauses, a few times; then the failure is logged for the operators.

Each message carries a key; the worker records the key once the gateway accepted it, so a task
run twice (its worker died, the database went away) sends its message once (docs/decisions/0019).
"""

import datetime
import json
import logging
import uuid

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from accreg.accounts.sensitive import decrypt, encrypt

from .models import SmsDelivery
from .sms import sms_backend
from .worker import until_database_answers

logger = logging.getLogger(__name__)
RETRY_MINUTES = (1, 5, 15, 60)  # after the first failure, then the next …
SMS_QUEUE = "sms"
DELIVERY_RECORDS_KEPT = datetime.timedelta(days=30)  # far longer than any retry of a message
RECORD_PATIENCE = 3600.0  # seconds to keep trying to record a sent message while the database is down


@task(queue_name=SMS_QUEUE)
def send_sms(sealed: str, attempt: int = 0) -> None:
    """Send one queued message, unless its key shows it was sent already. Safe to run twice."""
    message = json.loads(decrypt(sealed))
    key = message.get("key")  # messages queued before keys existed have none
    if key and SmsDelivery.objects.filter(key=key).exists():
        logger.info("SMS %s was sent already; not sending it again", key)
        return
    try:
        sms_backend().send(message["to"], message["text"])
    except Exception as exc:
        if attempt >= len(RETRY_MINUTES):
            logger.error("SMS not delivered after %d attempts: %s", attempt + 1, type(exc).__name__)
            raise
        later = timezone.now() + datetime.timedelta(minutes=RETRY_MINUTES[attempt])
        logger.warning("SMS gateway failed (%s); trying again at %s", type(exc).__name__, later.isoformat())
        send_sms.using(run_after=later).enqueue(sealed, attempt + 1)
        return
    if key:
        # Sent: whatever the database does now, this must be written, or a second run sends it again.
        until_database_answers(lambda: SmsDelivery.objects.get_or_create(key=key), patience=RECORD_PATIENCE)


def queue_sms(to: str, text: str) -> None:
    """Send after the current transaction commits (never for a rolled-back action)."""
    message = {"to": to, "text": text, "key": str(uuid.uuid4())}
    sealed = encrypt(json.dumps(message, ensure_ascii=False))
    transaction.on_commit(lambda: send_sms.enqueue(sealed))


def forget_old_deliveries() -> int:
    """Worker housekeeping: delivery records outlive every retry of their message, then go."""
    deleted, _ = SmsDelivery.objects.filter(sent_at__lt=timezone.now() - DELIVERY_RECORDS_KEPT).delete()
    return deleted
