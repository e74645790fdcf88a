"""The management department tree over the four provinces, and the known directory."""

import pytest

from accreg.provinces.loader import all_profiles
from accreg.regions.divisions import all_divisions
from accreg.regions.loading import apply_directory, build_departments, sync_regions
from accreg.regions.models import Department, Region
from accreg.regions.selectors import department_codes_serving, department_subtree, departments_serving


@pytest.mark.django_db
def test_departments_exist_only_for_the_profiles_provinces():
    prefixes = {code[:2] for code in Department.objects.values_list("code", flat=True)}

    assert prefixes == {"50", "53", "41", "21"}


@pytest.mark.django_db
def test_every_division_of_the_four_provinces_has_a_bureau():
    for prefix in ("50", "53", "41", "21"):
        regions = Region.objects.filter(code__startswith=prefix).count()
        assert Department.objects.filter(code__startswith=prefix).count() == regions


@pytest.mark.django_db
def test_bureau_names_follow_the_level():
    names = dict(
        Department.objects.filter(code__in=["410000", "500000", "410100", "410105"]).values_list("code", "name")
    )

    assert names == {
        "410000": "河南省财政厅",
        "500000": "重庆市财政局",
        "410100": "郑州市财政局",
        "410105": "金水区财政局",
    }


@pytest.mark.django_db
def test_paths_run_from_the_province_bureau_down():
    for department in Department.objects.select_related("parent"):
        expected = (department.parent.path if department.parent else "") + department.code + "/"
        assert department.path == expected


@pytest.mark.django_db
def test_a_county_is_served_by_its_bureau_then_city_then_province():
    served = [d.name for d in departments_serving("410105")]

    assert served == ["金水区财政局", "郑州市财政局", "河南省财政厅"]


@pytest.mark.django_db
def test_a_municipality_district_is_served_by_the_district_then_the_city():
    assert [d.code for d in departments_serving("500103")] == ["500103", "500000"]


@pytest.mark.django_db
def test_the_codes_a_save_checks_follow_a_department_removed_or_added_in_this_process():
    assert department_codes_serving("410105") == ["410105", "410100", "410000"]
    county = Department.objects.get(code="410105")
    county.people.all().delete()
    Department.objects.filter(parent=county).delete()
    county.delete()

    assert department_codes_serving("410105") == ["410100", "410000"]  # at once, not after a minute

    Department.objects.create(
        code="410105", region_id="410105", name="金水区财政局", level=county.level, parent_id="410100", path=county.path
    )
    assert department_codes_serving("410105") == [d.code for d in departments_serving("410105")]


@pytest.mark.django_db
def test_a_city_subtree_holds_its_counties_and_nothing_else():
    zhengzhou = Department.objects.get(code="410100")

    codes = set(department_subtree(zhengzhou).values_list("code", flat=True))

    assert "410105" in codes and "410100" in codes
    assert all(code.startswith("4101") for code in codes)


@pytest.mark.django_db
def test_the_liaoning_directory_is_loaded_as_published():
    heping = Department.objects.get(code="210102")
    shenyang = Department.objects.get(code="210100")

    assert (heping.address, heping.phone) == ("和平区十一纬路76号", "024-22861002")
    assert (shenyang.directory_name, shenyang.phone) == ("沈阳市财政局本级", "024-22704418")


@pytest.mark.django_db
def test_no_contact_details_are_invented():
    with_contacts = Department.objects.exclude(phone="", address="")

    assert set(with_contacts.values_list("code", flat=True)) == {"210100", "210102", "210103", "210104"}
    assert all(d.directory_source for d in with_contacts)


@pytest.mark.django_db
def test_loading_again_changes_nothing():
    regions = sync_regions(all_divisions())
    departments = build_departments(all_profiles().values())
    directory = apply_directory()

    assert (regions.created, regions.updated, regions.unchanged) == (0, 0, Region.objects.count())
    assert (departments.created, departments.updated) == (0, 0)
    assert (directory.updated, directory.unchanged) == (0, 4)


@pytest.mark.django_db
def test_a_renamed_division_is_updated_and_its_bureau_follows():
    Region.objects.filter(code="410105").update(name="旧名区")
    Department.objects.filter(code="410105").update(name="旧名区财政局")

    regions = sync_regions(all_divisions())
    departments = build_departments(all_profiles().values())

    assert regions.updated == 1 and departments.updated == 1
    assert Department.objects.get(code="410105").name == "金水区财政局"
