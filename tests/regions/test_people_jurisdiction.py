"""Which accountants a staff member's desk may find (issue 15): a person belongs to their assigned
department, else the department their record went to, else the one their draft names, else the
province's bureau."""

import pytest

from accreg.accounts.identity import check_id_number
from accreg.accounts.models import Person
from accreg.accounts.people import set_identity
from accreg.collection.models import Record
from accreg.regions.jurisdiction import people_within_jurisdiction
from accreg.regions.models import Department
from tests.conftest import valid_id_number

pytestmark = pytest.mark.django_db


def person(name: str, seq: int, *, province: str = "henan", assigned: str = "", submitted: str = "", draft=None):  # type: ignore[no-untyped-def]
    p = Person(province=province, name=name)
    region = "210102" if province == "liaoning" else "410105"
    set_identity(p, check_id_number("111", valid_id_number(region=region, seq=seq)))
    if assigned:
        p.department = Department.objects.get(code=assigned)
    p.save()
    if submitted or draft is not None:
        Record.objects.create(
            person=p,
            sections=draft or {},
            department=Department.objects.get(code=submitted) if submitted else None,
        )
    return p


@pytest.fixture
def people():  # type: ignore[no-untyped-def]
    return {
        "assigned_jinshui": person("甲", 1, assigned="410105"),
        "submitted_zhongyuan": person("乙", 2, submitted="410102"),
        "draft_longting": person("丙", 3, draft={"work": {"department": "410202"}}),
        "nothing_yet": person("丁", 4),
        "draft_without_department": person("戊", 5, draft={"personal": {"ethnicity": "01"}}),
        "liaoning_nothing": person("己", 6, province="liaoning"),
        # an assigned department wins over an older submission elsewhere
        "moved_to_jinshui": person("庚", 7, assigned="410105", submitted="410202"),
    }


SEES = {
    "410000": {
        "assigned_jinshui",
        "submitted_zhongyuan",
        "draft_longting",
        "nothing_yet",
        "draft_without_department",
        "moved_to_jinshui",
    },
    "410100": {"assigned_jinshui", "submitted_zhongyuan", "moved_to_jinshui"},
    "410105": {"assigned_jinshui", "moved_to_jinshui"},
    "410202": {"draft_longting"},
    "210000": {"liaoning_nothing"},
}


@pytest.mark.parametrize("level", list(SEES))
def test_a_desk_finds_only_its_people(level, people, make_staff):
    staff = make_staff(f"desk-{level}", level)

    found = set(people_within_jurisdiction(Person.objects.all(), staff).values_list("pk", flat=True))

    assert found == {people[key].pk for key in SEES[level]}


def test_rows_reaching_a_person_are_filtered_the_same_way(people, make_staff):
    staff = make_staff("desk-city", "410100")

    records = people_within_jurisdiction(Record.objects.all(), staff, via="person")

    assert set(records.values_list("person__name", flat=True)) == {"乙", "庚"}  # 甲 has no record
