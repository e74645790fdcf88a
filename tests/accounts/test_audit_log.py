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

    assert "查看完整证件号码" in city_page and "审核通过" not in city_page
    assert "注册账户" not in city_admin.get("/admin/audit/auditevent/").content.decode()
    assert all(a in everything for a in ("注册账户", "查看完整证件号码", "审核通过"))
    assert city_admin.post("/admin/audit/auditevent/add/", {}).status_code == 403
    assert reviewer.get("/admin/audit/auditevent/").status_code in (302, 403)  # reviewers have no admin


def test_the_log_names_people_and_actions_in_chinese(make_staff, django_user_model):
    from django.test import Client

    from accreg.accounts.models import Person

    reviewer = make_staff("jinshui_reviewer", "410105")
    reviewer.last_name, reviewer.first_name = "王", "审核"
    reviewer.save()
    person = Person.objects.create(province="henan", name="周敏")
    log_event(f"staff:{reviewer.pk}", "review.returned", target=f"person:{person.pk}", ip="10.0.0.5")
    root = django_user_model.objects.create_superuser("root", password="Root-Mima-2026")
    superuser = Client()
    superuser.force_login(root)

    page = superuser.get("/admin/audit/auditevent/").content.decode()

    assert "王审核（jinshui_reviewer）" in page and "退回修改" in page and "会计人员 周敏" in page
    rows = page.split('<table id="result_list">')[1].split("</table>")[0]
    assert f"staff:{reviewer.pk}" not in rows and "review.returned" not in rows


def test_the_admin_speaks_chinese_where_django_has_no_translation(django_user_model):
    from django.test import Client

    root = django_user_model.objects.create_superuser("root", password="Root-Mima-2026")
    superuser = Client()
    superuser.force_login(root)

    page = superuser.get("/admin/accounts/staff/add/").content.decode()

    assert "先填写用户名和密码；创建后即可编辑所属部门、角色等其他信息。" in page
    assert "After you" not in page
