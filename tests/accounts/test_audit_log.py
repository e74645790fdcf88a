"""The audit log is append-only; superusers read all of it, administrators what the staff of their
subtree did, searchable, never editable."""

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


def test_superusers_read_everything_and_administrators_their_subtrees_staff(
    admin_client_for, make_staff, django_user_model
):
    from django.test import Client

    log_event("person:1", "account.registered", ip="127.0.0.1")
    jinshui, kaifeng = make_staff("jinshui", "410105"), make_staff("longting", "410202")
    log_event(f"staff:{jinshui.pk}", "review.id_revealed", target="person:7", ip="10.0.0.5")
    log_event(f"staff:{kaifeng.pk}", "review.approved", target="submission:9", ip="10.0.0.6")
    city_admin = admin_client_for("410100", username="zhengzhou_admin")
    root = django_user_model.objects.create_superuser("root", password="Root-Mima-2026")
    superuser = Client()
    superuser.force_login(root)
    reviewer = Client()
    reviewer.force_login(jinshui)

    city_page = city_admin.get("/admin/audit/auditevent/?q=review").content.decode()
    everything = superuser.get("/admin/audit/auditevent/").content.decode()

    assert "review.id_revealed" in city_page and "review.approved" not in city_page
    assert "account.registered" not in city_admin.get("/admin/audit/auditevent/").content.decode()
    assert all(a in everything for a in ("account.registered", "review.id_revealed", "review.approved"))
    assert city_admin.post("/admin/audit/auditevent/add/", {}).status_code == 403
    assert reviewer.get("/admin/audit/auditevent/").status_code in (302, 403)  # reviewers have no admin
