"""The desk's console pages (/review/people/, /review/people/<id>/, /review/corrections/) for a
signed-in staff member: the same jurisdiction as the API, actions with reasons, typed input kept."""

import pytest

from accreg.accounts.models import Person
from accreg.desk.models import Correction
from tests.conftest import CommittingClient

from .conftest import sign_in

pytestmark = pytest.mark.django_db

SEES = {"410000": True, "410100": True, "410105": True, "210000": False}


@pytest.fixture
def console(make_staff):  # type: ignore[no-untyped-def]
    def make(department: str, username: str | None = None) -> CommittingClient:
        client = CommittingClient()
        client.force_login(make_staff(username or f"page-{department}", department))
        return client

    return make


@pytest.mark.parametrize("level", list(SEES))
def test_the_pages_keep_to_the_jurisdiction(level, accountant, console):
    person = accountant("410105", name="李娜")
    client = console(level)

    requested = console("410105", "requester").post(
        f"/review/people/{person['id']}/", {"action": "correct", "field": "name", "value": "李雅", "reason": "户籍证明"}
    )
    assert requested.status_code == 302
    correction = Correction.objects.get()

    found = client.get(f"/review/people/?q={person['mobile']}").content.decode()
    page = client.get(f"/review/people/{person['id']}/")
    posted = client.post(f"/review/people/{person['id']}/", {"action": "unlock", "reason": "本人来电"})
    pending = client.get("/review/corrections/").content.decode()
    decided = client.post("/review/corrections/", {"action": "refuse", "correction": correction.pk, "reason": "x"})

    assert ("李娜" in found) is SEES[level]
    assert page.status_code == (200 if SEES[level] else 404)
    assert posted.status_code == (302 if SEES[level] else 404)
    assert ("李雅" in pending) is SEES[level]
    assert decided.status_code == (302 if SEES[level] else 404)
    assert Correction.objects.get().state == ("refused" if SEES[level] else "pending")


def test_search_shows_masked_numbers_and_links_to_the_person(accountant, console):
    person = accountant("410105", name="李娜")

    html = console("410105").get("/review/people/?q=李").content.decode()

    assert f'href="/review/people/{person["id"]}/"' in html
    assert person["id_number"] not in html and person["mobile"] not in html
    assert person["id_number"][:3] + "*" * 11 + person["id_number"][-4:] in html


def test_unlocking_on_the_page_says_so_and_the_person_signs_in(api, accountant, console):
    person = accountant("410105")
    for _ in range(5):
        sign_in(api, person, password="wrong-2026")
    client = console("410105")
    assert "登录已锁定" in client.get(f"/review/people/{person['id']}/").content.decode()

    response = client.post(f"/review/people/{person['id']}/", {"action": "unlock", "reason": "本人来电"}, follow=True)

    html = response.content.decode()
    assert "已解除登录锁定，本人现在可以重新登录。" in html
    assert "解除登录锁定</td>" in html  # the history's newest line
    assert sign_in(api, person).status_code == 201


def test_a_refused_correction_keeps_what_was_typed(accountant, console):
    person = accountant("410105")
    other = accountant("410105")

    response = console("410105").post(
        f"/review/people/{person['id']}/",
        {"action": "correct", "field": "id_number", "value": other["id_number"], "reason": "窗口核实"},
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "该证件号码已被其他会计人员使用" in html
    assert f'value="{other["id_number"]}"' in html and "窗口核实</textarea>" in html


def test_a_second_staff_member_approves_on_the_corrections_page(accountant, console):
    person = accountant("410105", name="钱多")
    requester, colleague = console("410105", "a"), console("410105", "b")
    requester.post(
        f"/review/people/{person['id']}/", {"action": "correct", "field": "name", "value": "钱朵", "reason": "户籍证明"}
    )
    correction = Correction.objects.get()

    own = requester.get("/review/corrections/").content.decode()
    response = colleague.post("/review/corrections/", {"action": "approve", "correction": correction.pk}, follow=True)

    assert "不能审批自己提出的更正申请" in own
    assert "已批准，更正已生效，已短信通知本人。" in response.content.decode()
    assert Person.objects.get(pk=person["id"]).name == "钱朵"


def test_the_console_navigation_links_the_desk(console):
    html = console("410105").get("/review/").content.decode()

    assert '<a href="/review/people/">人员查询</a>' in html
    assert '<a href="/review/corrections/">更正审批</a>' in html


def test_an_id_type_is_chosen_from_the_list_on_the_page(accountant, console):
    person = accountant("410105")

    response = console("410105").post(
        f"/review/people/{person['id']}/",
        {"action": "correct", "field": "id_type", "value": "", "id_type": "114", "reason": "证件类型登记错误"},
        follow=True,
    )

    assert "更正已生效，已短信通知本人。" in response.content.decode()
    assert Person.objects.get(pk=person["id"]).id_type == "114"
