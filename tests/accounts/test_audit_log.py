"""The audit log is append-only and shown read-only to superusers only."""

import pytest

from accreg.audit.models import AuditEvent
from accreg.audit.services import log_event

pytestmark = pytest.mark.django_db


def test_events_cannot_be_changed_or_deleted():
    event = log_event("person:1", "sign_in.succeeded", ip="127.0.0.1", method="id_password")

    event.action = "nothing.happened"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.get().action == "sign_in.succeeded"


def test_superusers_read_the_log_and_administrators_do_not(admin_client_for, django_user_model):
    log_event("person:1", "account.registered", ip="127.0.0.1")
    province_admin = admin_client_for("410000", username="henan_admin")
    root = django_user_model.objects.create_superuser("root", password="Root-Mima-2026")
    from django.test import Client

    superuser = Client()
    superuser.force_login(root)

    assert province_admin.get("/admin/audit/auditevent/").status_code == 403
    page = superuser.get("/admin/audit/auditevent/")
    assert page.status_code == 200 and "account.registered" in page.content.decode()
    assert superuser.post("/admin/audit/auditevent/add/", {}).status_code == 403
