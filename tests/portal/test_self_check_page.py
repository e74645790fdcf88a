"""The summary page and the API say what would likely be returned before the person submits."""

import pytest

from accreg.accounts.models import Person
from accreg.collection.services import save_section
from tests.collection.answers import CHONGQING_EMPLOYED_WORK
from tests.conftest import Api, valid_id_number

pytestmark = pytest.mark.django_db

# Born 1990-03-07 (the page fixture's ID number): sixteen on 2006-03-07.
TOO_EARLY = {**CHONGQING_EMPLOYED_WORK, "accounting_start_date": "2004-07-01", "accounting_years": 10}


def test_the_summary_lists_likely_returns_each_linked_to_its_step(page):
    browser = page("chongqing", region="500103")
    person = Person.objects.get()
    save_section(person, "work", TOO_EARLY)

    html = browser.get("/chongqing/record/commitment/").content.decode()

    assert "提交前自查" in html
    assert "以下内容可能导致审核不通过，建议核对修改后再提交（不影响提交）" in html
    assert (
        '<a href="/chongqing/record/work/">开始从事会计工作时间（2004-07-01）时您还不满16周岁，请核对</a>'
        '<small class="reason">审核常见问题：从事会计工作时间或年限有误</small>'
    ) in html
    assert '<button class="button block" type="submit">提交审核</button>' in html  # it never blocks


def test_a_summary_with_nothing_odd_shows_no_self_check(page):
    browser = page("chongqing", region="500103")
    save_section(Person.objects.get(), "work", CHONGQING_EMPLOYED_WORK)

    assert "提交前自查" not in browser.get("/chongqing/record/commitment/").content.decode()


def test_the_self_check_is_on_the_api(register):
    registered = register(province="chongqing", id_number=valid_id_number(region="500103", birth="19900307"))
    save_section(Person.objects.get(pk=registered["id"]), "work", TOO_EARLY)

    response = Api(registered["token"]).get("/api/v1/me/record/self-check")

    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "reason": "R11",
                "label": "从事会计工作时间或年限有误",
                "message": "开始从事会计工作时间（2004-07-01）时您还不满16周岁，请核对",
                "step": "work",
                "field": "work.accounting_start_date",
            }
        ]
    }
