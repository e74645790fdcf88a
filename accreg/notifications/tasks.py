"""Background sending, so a slow gateway never holds up a person's page.

The queue stores task arguments in the database, so the message (a mobile and maybe a code) is
passed encrypted and decrypted only by the worker.
"""

import json

from django.db import transaction
from django_tasks import task

from accreg.accounts.sensitive import decrypt, encrypt

from .sms import sms_backend


@task()
def send_sms(sealed: str) -> None:
    message = json.loads(decrypt(sealed))
    sms_backend().send(message["to"], message["text"])


def queue_sms(to: str, text: str) -> None:
    """Send after the current transaction commits (never for a rolled-back action)."""
    sealed = encrypt(json.dumps({"to": to, "text": text}, ensure_ascii=False))
    transaction.on_commit(lambda: send_sms.enqueue(sealed))
